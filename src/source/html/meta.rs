//! A page's facts from its `<meta>` tags, `<link rel="canonical">`, JSON-LD and, as a last
//! resort, a meta line in its text (read by the text reader's rules).

use std::path::Path;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use url::Url;

use super::content::{self, selector};
use crate::diagnostic::Diagnostic;
use crate::source::meta::{is_meta_line, meta_fields};
use crate::source::{Field, FieldKey, Role};

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "LiveBlogPosting",
    "SocialMediaPosting",
];

/// How many lines of page text are searched for a meta line.
const META_LINE_WINDOW: usize = 200;

static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel~=canonical][href]"));
static JSON_LD: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"script[type="application/ld+json"]"#));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta[content]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));

/// The `<meta>` tags and the JSON-LD article object of a page.
pub(super) struct Page {
    /// (lower-cased `property`, `name` or `itemprop`; `content`) in document order.
    metas: Vec<(String, String)>,
    /// The first JSON-LD object whose type is an article type.
    ld: Option<Value>,
    /// Unreadable JSON-LD blocks.
    pub warnings: Vec<Diagnostic>,
}

impl Page {
    /// Indexes the page's `<meta>` tags and JSON-LD blocks.
    pub fn new(path: &Path, doc: &Html) -> Page {
        let metas = doc
            .select(&META)
            .filter_map(|m| {
                let v = m.value();
                let key = v
                    .attr("property")
                    .or(v.attr("name"))
                    .or(v.attr("itemprop"))?;
                let content = clean(v.attr("content")?);
                (!content.is_empty()).then(|| (key.trim().to_ascii_lowercase(), content))
            })
            .collect();
        let mut warnings = Vec::new();
        let mut ld = None;
        let scripts = doc.select(&JSON_LD);
        for (i, script) in scripts.enumerate() {
            let text: String = script.text().collect();
            match serde_json::from_str::<Value>(text.trim()) {
                Ok(value) if ld.is_none() => ld = find_article(value),
                Ok(_) => {}
                Err(e) => warnings.push(Diagnostic::warning(
                    path.display(),
                    None,
                    format!("JSON-LD block {} is not valid JSON ({e}); ignored", i + 1),
                )),
            }
        }
        Page {
            metas,
            ld,
            warnings,
        }
    }

    /// The first `<meta>` content for any of `keys`, in the order of `keys`.
    pub fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(name, _)| name == k)
                .map(|(_, c)| c.clone())
        })
    }

    fn metas<'p>(&'p self, key: &'p str) -> impl Iterator<Item = &'p str> + 'p {
        self.metas
            .iter()
            .filter(move |(name, _)| name == key)
            .map(|(_, c)| c.as_str())
    }

    /// Text values of a JSON-LD key: a string, numbers, `{ "name": … }` objects, or lists.
    pub fn ld(&self, key: &str) -> Vec<String> {
        self.ld
            .as_ref()
            .and_then(|o| o.get(key))
            .map_or_else(Vec::new, ld_texts)
    }

    /// The JSON-LD `articleBody`, if any.
    pub fn article_body(&self) -> Option<&str> {
        self.ld.as_ref()?.get("articleBody")?.as_str()
    }
}

fn find_article(value: Value) -> Option<Value> {
    match value {
        Value::Array(items) => items.into_iter().find_map(find_article),
        Value::Object(mut map) => {
            let is_article = match map.get("@type") {
                Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                _ => false,
            };
            if is_article {
                return Some(Value::Object(map));
            }
            map.remove("@graph").and_then(find_article)
        }
        _ => None,
    }
}

fn ld_texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![clean(s)],
        Value::Number(n) => vec![n.to_string()],
        Value::Object(o) => o.get("name").map_or_else(Vec::new, ld_texts),
        Value::Array(items) => items.iter().flat_map(ld_texts).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// Collapses whitespace runs (non-breaking spaces included) into single spaces.
pub(super) fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gathers the page's fields. `date_override` is the date the `date` selector found.
pub(super) fn fields(page: &Page, doc: &Html, date_override: Option<String>) -> Vec<Field> {
    let mut out = Fields(Vec::new());
    out.push(
        FieldKey::Published,
        date_override.or_else(|| published(page, doc)),
    );
    let updated = page
        .meta(&["article:modified_time", "og:updated_time", "datemodified"])
        .or_else(|| page.ld("dateModified").into_iter().next());
    out.push(FieldKey::Updated, updated);
    out.extend(FieldKey::Person(Role::Author), authors(page));
    let mut sections: Vec<String> = page.metas("article:section").map(str::to_string).collect();
    if sections.is_empty() {
        sections = page.ld("articleSection");
    }
    out.extend(FieldKey::Category, sections);
    out.extend(FieldKey::Tag, tags(page));
    let summary = page
        .meta(&["og:description", "description", "twitter:description"])
        .or_else(|| page.ld("description").into_iter().next());
    out.push(FieldKey::Summary, summary);
    out.push(FieldKey::Link, link(page, doc));
    let lang = (doc.root_element().value().attr("lang").map(clean))
        .or_else(|| page.meta(&["content-language"]));
    out.push(FieldKey::Language, lang);
    // A meta line in the text fills what the tags left out (the date of many Chinese news
    // pages, their `来源`).
    for f in meta_line(doc).unwrap_or_default() {
        if out.0.iter().all(|have| have.key != f.key) {
            out.0.push(f);
        }
    }
    out.0
}

/// The publication date: `article:published_time`, JSON-LD `datePublished`,
/// `<time datetime>`, then `<meta name="pubdate">` and its kin.
fn published(page: &Page, doc: &Html) -> Option<String> {
    page.meta(&[
        "article:published_time",
        "og:published_time",
        "datepublished",
    ])
    .or_else(|| page.ld("datePublished").into_iter().next())
    .or_else(|| time_datetime(doc))
    .or_else(|| {
        page.meta(&[
            "pubdate",
            "publishdate",
            "publish_date",
            "publication_date",
            "dc.date.issued",
            "dc.date",
            "date",
        ])
    })
}

/// The authors: `<meta name="author">`, JSON-LD `author`, then `article:author` when it is
/// a name rather than a profile URL.
fn authors(page: &Page) -> Vec<String> {
    let mut authors: Vec<String> = page.metas("author").map(str::to_string).collect();
    if authors.is_empty() {
        authors = page.ld("author");
    }
    if authors.is_empty() {
        authors = (page.metas("article:author"))
            .filter(|a| Url::parse(a).is_err())
            .map(str::to_string)
            .collect();
    }
    authors
}

/// The tags: `article:tag` and `<meta name="keywords">`, else JSON-LD `keywords`.
fn tags(page: &Page) -> Vec<String> {
    let mut tags: Vec<String> = page.metas("article:tag").map(str::to_string).collect();
    tags.extend(page.metas("keywords").flat_map(split_keywords));
    if tags.is_empty() {
        tags = (page.ld("keywords").iter())
            .flat_map(|k| split_keywords(k))
            .collect();
    }
    tags
}

/// The first meta line (as the text reader sees one) among the page's first lines of text
/// that gives a date, a source or an author.
fn meta_line(doc: &Html) -> Option<Vec<Field>> {
    content::page_lines(doc)
        .iter()
        .take(META_LINE_WINDOW)
        .filter(|l| is_meta_line(l))
        .map(|l| meta_fields(l, None))
        .find(|fields| {
            fields.iter().any(|f| {
                matches!(
                    f.key,
                    FieldKey::Published | FieldKey::Source | FieldKey::Person(_)
                )
            })
        })
}

struct Fields(Vec<Field>);

impl Fields {
    fn push(&mut self, key: FieldKey, value: Option<String>) {
        self.extend(key, value);
    }

    fn extend(&mut self, key: FieldKey, values: impl IntoIterator<Item = String>) {
        for value in values {
            let value = clean(&value);
            let dup = self.0.iter().any(|f| f.key == key && f.value == value);
            if !value.is_empty() && !dup {
                self.0.push(Field {
                    key,
                    value,
                    line: None,
                });
            }
        }
    }
}

fn split_keywords(text: &str) -> Vec<String> {
    text.split([',', '，', ';', '；', '、'])
        .map(clean)
        .filter(|k| !k.is_empty())
        .collect()
}

/// The first `<time datetime>` outside page furniture.
fn time_datetime(doc: &Html) -> Option<String> {
    doc.select(&TIME)
        .filter(|t| {
            !t.ancestors()
                .filter_map(ElementRef::wrap)
                .any(content::is_chrome)
        })
        .find_map(|t| {
            t.value()
                .attr("datetime")
                .map(clean)
                .filter(|d| !d.is_empty())
        })
}

/// The canonical URL: `<link rel="canonical">`, then `og:url`, then JSON-LD `url` or
/// `mainEntityOfPage`. Only absolute http(s) URLs count; a relative canonical link is
/// resolved against `og:url`.
fn link(page: &Page, doc: &Html) -> Option<String> {
    let og = page.meta(&["og:url"]).and_then(|u| absolute(&u, None));
    let canonical = doc
        .select(&CANONICAL)
        .find_map(|l| absolute(l.value().attr("href")?, og.as_ref()));
    let ld = || {
        let main_entity = page
            .ld
            .as_ref()?
            .get("mainEntityOfPage")
            .and_then(|m| match m {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("@id").and_then(Value::as_str).map(str::to_string),
                _ => None,
            });
        page.ld("url")
            .into_iter()
            .chain(main_entity)
            .find_map(|u| absolute(&u, None))
    };
    canonical.or(og).or_else(ld).map(String::from)
}

fn absolute(text: &str, base: Option<&Url>) -> Option<Url> {
    let text = text.trim();
    let url = match base {
        Some(base) => base.join(text).ok()?,
        None => Url::parse(text).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// A title without `site` when `site` starts or ends it (with the separator between).
pub(super) fn strip_known_site(title: &str, site: Option<&str>) -> Option<String> {
    let site = site.filter(|s| !s.is_empty() && *s != title)?;
    let rest = title
        .strip_suffix(site)
        .or_else(|| title.strip_prefix(site))?;
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || "|-–—｜:_·".contains(c));
    (!rest.is_empty()).then(|| rest.to_string())
}

/// A `<title>` without the site name: the `og:site_name` (or `application-name`) when it
/// starts or ends the title, else the longest part between separators such as ` | `,
/// ` - ` and `_`.
pub(super) fn strip_site_name(title: &str, site: Option<&str>) -> String {
    const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", "｜", " :: ", "_", " · "];
    if let Some(rest) = strip_known_site(title, site) {
        return rest;
    }
    let parts: Vec<&str> = match SEPARATORS.iter().find(|s| title.contains(**s)) {
        Some(sep) => title.split(sep).collect(),
        None => split_cjk_hyphens(title),
    };
    // The first part, unless it is much shorter than another (then it is the site name).
    let parts: Vec<&str> = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let longest = parts.iter().copied().fold("", |best, p| {
        if p.chars().count() > best.chars().count() {
            p
        } else {
            best
        }
    });
    match parts.first() {
        Some(first) if first.chars().count() * 2 >= longest.chars().count() => first.to_string(),
        Some(_) => longest.to_string(),
        None => title.to_string(),
    }
}

/// Splits at bare hyphens next to a non-ASCII character (`标题-要闻-网站`), not inside
/// words such as `COVID-19`.
fn split_cjk_hyphens(title: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).map(|x| x.1);
        let after = chars.get(i + 1).map(|x| x.1);
        if c == '-'
            && (before.is_some_and(|b| !b.is_ascii()) || after.is_some_and(|a| !a.is_ascii()))
        {
            parts.push(&title[start..at]);
            start = at + 1;
        }
    }
    parts.push(&title[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_site_names() {
        let rows = [
            ("Why Rust | Ann's Blog", None, "Why Rust"),
            ("中俄元首通电话_新华网", None, "中俄元首通电话"),
            ("中俄元首通电话-要闻-中国有色网", None, "中俄元首通电话"),
            ("Plain title", None, "Plain title"),
            (
                "News - A much longer article title",
                None,
                "A much longer article title",
            ),
            ("Site: A - B", Some("Site"), "A - B"),
            ("COVID-19 news", None, "COVID-19 news"),
        ];
        for (title, site, want) in rows {
            assert_eq!(strip_site_name(title, site), want, "{title}");
        }
    }

    #[test]
    fn finds_article_objects_in_graphs_and_lists() {
        let v: Value = serde_json::from_str(
            r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},{"@type":["BlogPosting"],"headline":"H"}]}"#,
        )
        .unwrap();
        assert_eq!(find_article(v).unwrap()["headline"], "H");
        let v: Value = serde_json::from_str(r#"[{"@type":"Person"}]"#).unwrap();
        assert!(find_article(v).is_none());
    }
}
