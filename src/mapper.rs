//! The mapper: [`Article`] → [`Entry`].
//!
//! Resolves dates in the feed's time zone, derives the stable id and the link, the summary,
//! the content HTML, authors, contributors, categories and language.

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use quick_xml::Writer;
use quick_xml::events::BytesText;
use url::Url;

use crate::dates::{self, DateError};
use crate::diagnostic::Diagnostic;
use crate::model::{Category, Entry, Person, TagAuthority, tag_uri, uri_path_escape};
use crate::sanitize;
use crate::source::{Article, Block, BlockKind, Body, FieldKey};

/// How long a derived summary may be, in characters.
pub const DEFAULT_SUMMARY_CHARS: usize = 200;

/// The tag authority used when the feed has no link to take a host name from.
pub const FALLBACK_AUTHORITY: &str = "feedloom.localhost";

/// What the mapper needs to know about the feed an article goes into.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Zone for dates written without an offset.
    pub timezone: Tz,
    /// Entry link pattern; `{slug}` is replaced by the article's slug.
    pub link_template: Option<String>,
    /// Host name used as the authority of `tag:` ids (the feed link's host).
    pub id_authority: String,
    /// The feed's site, against which relative article links are resolved.
    pub site: Option<Url>,
    /// The feed's language; an article in another language gets its own.
    pub language: Option<String>,
    /// Maximum summary length in characters.
    pub summary_chars: usize,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            timezone: dates::DEFAULT_TIMEZONE,
            link_template: None,
            id_authority: FALLBACK_AUTHORITY.to_owned(),
            site: None,
            language: None,
            summary_chars: DEFAULT_SUMMARY_CHARS,
        }
    }
}

/// Where an article sits: its key (path relative to its source root, without extension,
/// `/`-separated) names it in `tag:` ids; its slug fills `{slug}` in link templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleKey {
    /// Path relative to the source root, without extension, e.g. `2020/cnmn-xi-putin`.
    pub key: String,
    /// The file stem, e.g. `cnmn-xi-putin`.
    pub slug: String,
}

impl ArticleKey {
    /// The key of `path` relative to `root` (a file given directly is its own root).
    pub fn new(root: &std::path::Path, path: &std::path::Path) -> ArticleKey {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let relative = if relative.as_os_str().is_empty() {
            std::path::Path::new(path.file_name().unwrap_or(path.as_os_str()))
        } else {
            relative
        };
        let mut parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(last) = parts.last_mut() {
            *last = slug.clone();
        }
        ArticleKey {
            key: parts.join("/"),
            slug,
        }
    }
}

/// Builds the entry for `article`. Problems (an unreadable date, no date at all) are returned
/// as warnings; the entry is still built.
pub fn map(article: &Article, key: &ArticleKey, options: &MapOptions) -> (Entry, Vec<Diagnostic>) {
    let mut warnings = article.warnings.clone();
    let origin = article.path.display().to_string();
    let title = article
        .title
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_default();
    let slug = article
        .field(FieldKey::Slug)
        .map_or(key.slug.as_str(), |f| f.value.as_str());

    let link = own_link(article, options.site.as_ref()).or_else(|| templated_link(options, slug));
    let id = match &link {
        Some(url) => url.to_string(),
        None => tag_id(&options.id_authority, &key.key),
    };

    let mut date = |field: FieldKey, what: &str| -> Option<DateTime<FixedOffset>> {
        let f = article.field(field)?;
        let parsed = dates::parse(&f.value, options.timezone);
        if let Err(e) = &parsed {
            let reason = match e {
                DateError::Unreadable => format!("cannot read the {what} date {:?}", f.value),
                DateError::OutOfRange(_) => format!("the {what} date {e}"),
            };
            warnings.push(Diagnostic::warning(
                &origin,
                f.line,
                format!("{reason}; the entry is left undated"),
            ));
        }
        parsed.ok()
    };
    let published = date(FieldKey::Published, "publication");
    let updated = date(FieldKey::Updated, "update");
    if article.field(FieldKey::Published).is_none() {
        warnings.push(Diagnostic::warning(
            &origin,
            None,
            "no date found (add a meta line such as `2020年07月10日 9:52` or `Date: 2020-07-10`)",
        ));
    }

    let content_html = match &article.body {
        Body::Blocks(blocks) => blocks_to_html(
            blocks,
            article.field(FieldKey::Source).map(|f| f.value.as_str()),
        ),
        Body::Html(html) => sanitize::clean_html(html, link.as_ref()),
        Body::RenderedHtml(html) => html.clone(),
    };
    let summary = article
        .field(FieldKey::Summary)
        .map(|f| f.value.clone())
        .or_else(|| lede(&article.body))
        .map(|s| shorten(&s, options.summary_chars));

    let entry = Entry {
        id,
        title: title.clone(),
        link,
        published,
        updated: updated.filter(|u| Some(*u) != published),
        summary,
        content_html: (!content_html.is_empty()).then_some(content_html),
        authors: people(article, true),
        contributors: people(article, false),
        categories: categories(article),
        enclosures: Vec::new(),
        language: language(article, &title, options.language.as_deref(), &mut warnings),
        origin: None,
    };
    (entry, warnings)
}

/// The article's own link: absolute, or relative to the site (`/posts/x/`, as Markdown front
/// matter often gives it) and resolved against the feed's link.
fn own_link(article: &Article, site: Option<&Url>) -> Option<Url> {
    article
        .fields_of(FieldKey::Link)
        .filter_map(|f| match Url::parse(&f.value) {
            Ok(url) => Some(url),
            Err(url::ParseError::RelativeUrlWithoutBase) => site?.join(&f.value).ok(),
            Err(_) => None,
        })
        .find(|u| matches!(u.scheme(), "http" | "https"))
}

fn templated_link(options: &MapOptions, slug: &str) -> Option<Url> {
    let template = options.link_template.as_ref()?;
    let encoded = uri_path_escape(slug);
    Url::parse(&template.replace("{slug}", &encoded)).ok()
}

/// The `tag:` URI (RFC 4151) of an article without a link. It depends only on the feed's
/// authority and the article's key, so it survives edits to the article's date or text.
pub fn tag_id(authority: &str, key: &str) -> String {
    tag_uri(TagAuthority::site(authority), key)
}

fn people(article: &Article, authors: bool) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    for field in &article.fields {
        let FieldKey::Person(role) = field.key else {
            continue;
        };
        if role.is_author() != authors || out.iter().any(|p| p.name == field.value) {
            continue;
        }
        out.push(Person {
            role: (!authors).then(|| role.label().to_owned()),
            ..Person::named(&field.value)
        });
    }
    out
}

fn categories(article: &Article) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for field in &article.fields {
        if matches!(field.key, FieldKey::Category | FieldKey::Tag)
            && !out.iter().any(|c| c.term == field.value)
        {
            out.push(Category::term(&field.value));
        }
    }
    out
}

/// An article's own language, when it is given or plainly differs from the feed's: a text
/// with no CJK characters in a Chinese or Japanese feed is taken as English. A given
/// language is written as a BCP 47 tag (`zh_CN` becomes `zh-CN`); one that is not a known
/// language is left out with a warning.
fn language(
    article: &Article,
    title: &str,
    feed: Option<&str>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Some(f) = article.field(FieldKey::Language) {
        let tag = f.value.trim().replace('_', "-");
        if !feedloom_validate::is_language_code(&tag) {
            let reason = format!(
                "the language {:?} is not a language tag readers know (such as \"zh-CN\" or \"en\"); left out",
                f.value
            );
            warnings.push(Diagnostic::warning(article.path.display(), f.line, reason));
            return None;
        }
        return Some(tag).filter(|l| Some(l.as_str()) != feed);
    }
    let feed = feed?;
    let cjk_feed = ["zh", "ja", "ko"].iter().any(|p| feed.starts_with(p));
    let sample: String = title
        .chars()
        .chain(lede(&article.body).unwrap_or_default().chars())
        .collect();
    let has_cjk = sample.chars().any(|c| matches!(c as u32, 0x3040..=0x9FFF));
    (cjk_feed && !has_cjk && sample.chars().any(|c| c.is_ascii_alphabetic()))
        .then(|| "en".to_owned())
}

/// The first paragraph of a block body, as plain text.
fn lede(body: &Body) -> Option<String> {
    match body {
        Body::Blocks(blocks) => blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Paragraph(text) => Some(text.clone()),
            _ => None,
        }),
        Body::Html(_) | Body::RenderedHtml(_) => None,
    }
}

/// Shortens `text` to at most `max` characters: at the last sentence end if one falls in the
/// second half, else at the limit with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let sentence_end = head
        .char_indices()
        .filter(|(_, c)| {
            matches!(
                c,
                '。' | '!' | '?' | '.' | ';' | '\u{ff01}' | '\u{ff1f}' | '\u{ff1b}'
            )
        })
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .filter(|&end| head[..end].chars().count() * 2 >= max);
    match sentence_end {
        Some(end) => head[..end].to_owned(),
        None => format!("{}…", head.trim_end()),
    }
}

/// Renders text blocks as HTML: `<p>`, `<h2>`/`<h3>`, `<figure><figcaption>`, `<ul><li>`.
/// The source outlet, if known, closes the content as a paragraph.
pub fn blocks_to_html(blocks: &[Block], source: Option<&str>) -> String {
    let mut writer = Writer::new(Vec::new());
    let result: std::io::Result<()> = (|| {
        for block in blocks {
            match &block.kind {
                BlockKind::Paragraph(text) => element(&mut writer, "p", text)?,
                BlockKind::Heading { level, text } => {
                    element(&mut writer, if *level >= 3 { "h3" } else { "h2" }, text)?
                }
                BlockKind::Figure { caption, .. } => {
                    writer
                        .create_element("figure")
                        .write_inner_content(|w| element(w, "figcaption", caption))?;
                }
                BlockKind::List(items) => {
                    writer.create_element("ul").write_inner_content(|w| {
                        items.iter().try_for_each(|item| element(w, "li", item))
                    })?;
                }
            }
        }
        if let Some(source) = source {
            let label = if source.is_ascii() {
                "Source: "
            } else {
                "来源:"
            };
            element(&mut writer, "p", &format!("{label}{source}"))?;
        }
        Ok(())
    })();
    // Writing into a Vec cannot fail; the text is escaped by the writer.
    debug_assert!(result.is_ok());
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::from_escaped(quick_xml::escape::partial_escape(
            text,
        )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn article_keys_are_relative_to_the_source_root() {
        let key = ArticleKey::new(Path::new("samples"), Path::new("samples/2020/a-b.txt"));
        assert_eq!(
            key,
            ArticleKey {
                key: "2020/a-b".into(),
                slug: "a-b".into()
            }
        );
        let file = ArticleKey::new(Path::new("samples/x.txt"), Path::new("samples/x.txt"));
        assert_eq!(
            file,
            ArticleKey {
                key: "x".into(),
                slug: "x".into()
            }
        );
    }

    #[test]
    fn relative_own_links_resolve_against_the_site() {
        let article = Article {
            title: Some(crate::source::Located {
                value: "T".into(),
                line: Some(1),
            }),
            fields: vec![crate::source::Field {
                key: FieldKey::Link,
                value: "/posts/copper/".into(),
                line: Some(3),
            }],
            ..Article::default()
        };
        let key = ArticleKey {
            key: "copper".into(),
            slug: "copper".into(),
        };
        let options = MapOptions {
            site: Url::parse("https://www.example.com/blog/").ok(),
            ..MapOptions::default()
        };
        let (entry, _) = map(&article, &key, &options);
        assert_eq!(entry.id, "https://www.example.com/posts/copper/");
        let (no_site, _) = map(&article, &key, &MapOptions::default());
        assert_eq!(
            no_site.link, None,
            "a relative link without a site cannot be used"
        );
    }

    #[test]
    fn tag_ids_escape_what_uris_forbid() {
        assert_eq!(
            tag_id("example.com", "新闻/a b"),
            "tag:example.com,2000:%E6%96%B0%E9%97%BB/a%20b"
        );
    }

    #[test]
    fn shortens_on_character_boundaries() {
        assert_eq!(shorten("短文。", 10), "短文。");
        assert_eq!(shorten("一二三四五六七八九十", 5), "一二三四…");
        assert_eq!(shorten("一二三。四五六七八九十", 6), "一二三。");
    }

    #[test]
    fn blocks_render_as_escaped_html() {
        let blocks = vec![
            Block {
                kind: BlockKind::Paragraph("a < b & c's".into()),
                line: 1,
            },
            Block {
                kind: BlockKind::Heading {
                    level: 2,
                    text: "H".into(),
                },
                line: 2,
            },
            Block {
                kind: BlockKind::Figure {
                    number: "1".into(),
                    caption: "cap".into(),
                },
                line: 3,
            },
            Block {
                kind: BlockKind::List(vec!["x".into(), "y".into()]),
                line: 4,
            },
        ];
        assert_eq!(
            blocks_to_html(&blocks, Some("新华社")),
            "<p>a &lt; b &amp; c's</p><h2>H</h2><figure><figcaption>cap</figcaption></figure><ul><li>x</li><li>y</li></ul><p>来源:新华社</p>"
        );
    }
}
