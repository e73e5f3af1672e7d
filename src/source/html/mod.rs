//! The HTML article reader: a saved or fetched web page → [`Article`].
//!
//! - Encoding: a BOM, then `<meta charset>` / `http-equiv` in the first 2 KiB, then UTF-8,
//!   then a guess from the bytes.
//! - Title: the `title` selector, `og:title`, `twitter:title`, JSON-LD `headline`, the first
//!   `<h1>` in the content, then `<title>` without the site name.
//! - Date: the `date` selector, `article:published_time`, JSON-LD `datePublished`,
//!   `<time datetime>`, `<meta name="pubdate">` and kin, then a meta line in the page text.
//! - Content: the `content` selector, the `<article>` with the most paragraph text, the block
//!   with the most paragraph text, JSON-LD `articleBody` when it holds more than twice the
//!   text, else the whole body; page furniture and the `remove` selectors are left out.
//! - Summary: `og:description`, `description`, JSON-LD `description`, else the content's
//!   first paragraph.
//!
//! The body is returned raw; the mapper sanitises it.

mod charset;
mod content;
mod meta;
mod selectors;
mod walk;
mod write;

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use self::content::selector;
use self::content::{Found, Main};
use self::meta::{Page, clean};
pub use self::selectors::{BadSelector, CssSelector, HtmlSelectors};
use super::{Article, Body, Located, ReadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::SourceError;
use crate::sanitize::{MAX_HTML_DEPTH, MAX_OPEN_FORMATTING, flatten_deep};
use crate::source::meta::{credit_fields, is_credit_line, meta_fields};
use crate::source::{Field, FieldKey, Role};

static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static BASE: LazyLock<Selector> = LazyLock::new(|| selector("base[href]"));

/// Reads a page's bytes, honouring its declared encoding.
pub fn read(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Article, SourceError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SourceError::invalid(path, None, "the file is empty"));
    }
    let (text, warnings) = charset::decode_page(path, bytes, None);
    let mut article = parse(path, &text, options)?;
    article.warnings.splice(0..0, warnings);
    Ok(article)
}

/// Parses the text of one page. Elements nested deeper than [`MAX_HTML_DEPTH`], and
/// formatting elements past [`MAX_OPEN_FORMATTING`] left open, are flattened first, with a
/// warning: parsing and reading such a page would take time that grows with the square of
/// its size.
pub fn parse(path: &Path, text: &str, options: &ReadOptions) -> Result<Article, SourceError> {
    let (article, _) = parse_page(path, text, options, None);
    if article.title.is_none() {
        return Err(SourceError::invalid(
            path,
            None,
            "no title: the page has no og:title, <h1> or <title>; set a `title` selector for this source",
        ));
    }
    Ok(article)
}

/// A web page as fetched: its address after redirects, its bytes, and the `charset` of its
/// HTTP `Content-Type`, if the server named one.
#[derive(Debug, Clone, Copy)]
pub struct FetchedPage<'a> {
    /// Where the page was fetched from, after redirects: it names the page in messages, and
    /// relative links and images resolve against it (or against the page's `<base href>`).
    pub url: &'a Url,
    /// The body.
    pub bytes: &'a [u8],
    /// The HTTP `charset` label; it comes before the page's own declaration.
    pub charset: Option<&'a str>,
}

/// Reads the article of a page fetched from the web, as [`read`] does a saved one, except
/// that a missing title is no error (the caller has one), and a page where no content is
/// found (nothing but the whole body) is one.
pub fn read_fetched(page: FetchedPage<'_>, options: &ReadOptions) -> Result<Article, SourceError> {
    let path = Path::new(page.url.as_str());
    if page.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SourceError::invalid(path, None, "the page is empty"));
    }
    let (text, warnings) = charset::decode_page(path, page.bytes, page.charset);
    let (mut article, found) = parse_page(path, &text, options, Some(page.url));
    if found == Found::WholeBody {
        let reason = "no article found in the page (no <article>, no paragraphs)";
        return Err(SourceError::invalid(path, None, reason));
    }
    article.warnings.splice(0..0, warnings);
    Ok(article)
}

/// Reads a page into an article whose title may be missing, and says how its content was
/// found. Relative URLs in the content resolve against `<base href>`, itself resolved
/// against `page_url` when it is given.
fn parse_page(
    path: &Path,
    text: &str,
    options: &ReadOptions,
    page_url: Option<&Url>,
) -> (Article, Found) {
    let (text, flattened) = flatten_deep(text, MAX_HTML_DEPTH);
    let doc = Html::parse_document(&text);
    let page = Page::new(path, &doc);
    let mut warnings = page.warnings.clone();
    if flattened > 0 {
        let reason = format!(
            "elements nested more than {MAX_HTML_DEPTH} deep, or more than \
             {MAX_OPEN_FORMATTING} formatting elements left open: {flattened} of their tags \
             left out, their text kept"
        );
        warnings.push(Diagnostic::warning(path.display(), None, reason));
    }
    warnings.extend(truncated(&text).map(|line| {
        let reason =
            "the page ends without `</body>` or `</html>`: it may be cut short; read what is there";
        Diagnostic::warning(path.display(), Some(line), reason)
    }));
    let sel = &options.selectors;
    let (main, found) = content::locate(&doc, sel, page.article_body());
    warnings.extend(detection_warnings(path, sel, found));
    let mut drop: HashSet<_> = (sel.remove.iter())
        .flat_map(|s| doc.select(s.selector()).map(|e| e.id()))
        .collect();
    let (title, title_node) = title(path, &doc, &page, &main, options, &mut warnings);
    drop.extend(title_node);
    let date = selected_date(path, &doc, sel, &mut warnings);
    let mut fields = meta::fields(&page, &doc, date);
    selected_authors(path, &doc, sel, &mut fields, &mut warnings);
    take_credits(&main, &mut fields, &mut drop);
    if !fields.iter().any(|f| f.key == FieldKey::Summary)
        && let Some(lede) = write::lede(&main, &drop)
    {
        fields.push(Field {
            key: FieldKey::Summary,
            value: lede,
            line: None,
        });
    }
    let base = (doc.select(&BASE).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| match page_url {
            Some(url) => url.join(href.trim()).ok(),
            None => Url::parse(href.trim()).ok(),
        })
        .or_else(|| page_url.cloned());
    let article = Article {
        path: path.to_path_buf(),
        title: title.map(|value| Located { value, line: None }),
        fields,
        body: Body::Html(write::write(&main, &drop, base.as_ref())),
        warnings,
    };
    (article, found)
}

/// Warnings about how the content was found: a `content` selector that matched nothing, or
/// no content at all but the whole body.
fn detection_warnings(path: &Path, sel: &HtmlSelectors, found: Found) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let Some(s) = sel.content.as_ref().filter(|_| found != Found::Selector) {
        let reason = format!(
            "content selector `{}` matched nothing; found the content by detection",
            s.as_str()
        );
        warnings.push(Diagnostic::warning(path.display(), None, reason));
    }
    if found == Found::WholeBody {
        let reason =
            "no article content found (no <article>, no paragraphs); used the whole page body";
        warnings.push(Diagnostic::warning(path.display(), None, reason));
    }
    warnings
}

/// The date the `date` selector finds, with a warning when it finds none.
fn selected_date(
    path: &Path,
    doc: &Html,
    sel: &HtmlSelectors,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let s = sel.date.as_ref()?;
    let found = doc.select(s.selector()).next().and_then(element_date);
    if found.is_none() {
        let reason = format!(
            "date selector `{}` matched nothing; detected the date instead",
            s.as_str()
        );
        warnings.push(Diagnostic::warning(path.display(), None, reason));
    }
    found
}

/// The authors the `author` selector finds replace the detected ones; a warning when it
/// finds none.
fn selected_authors(
    path: &Path,
    doc: &Html,
    sel: &HtmlSelectors,
    fields: &mut Vec<Field>,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(s) = &sel.author else { return };
    let mut found: Vec<String> = Vec::new();
    for el in doc.select(s.selector()) {
        let text = clean(&el.text().collect::<String>());
        // A line such as `By Jane Doe` or `作者：张三` gives the name alone.
        let named = credit_fields(&text, None)
            .into_iter()
            .find(|f| f.key == FieldKey::Person(Role::Author))
            .map(|f| f.value);
        let name = named.unwrap_or_else(|| strip_by(&text).to_string());
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    if found.is_empty() {
        let reason = format!(
            "author selector `{}` matched nothing; detected the author instead",
            s.as_str()
        );
        warnings.push(Diagnostic::warning(path.display(), None, reason));
        return;
    }
    fields.retain(|f| f.key != FieldKey::Person(Role::Author));
    fields.extend(found.into_iter().map(|value| Field {
        key: FieldKey::Person(Role::Author),
        value,
        line: None,
    }));
}

/// A name without a leading `By ` (in any case).
fn strip_by(text: &str) -> &str {
    match text.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => text[3..].trim(),
        _ => text,
    }
}

/// Credit lines (`责任编辑:…`) in the content become fields and leave the content.
fn take_credits(main: &Main<'_>, fields: &mut Vec<Field>, drop: &mut HashSet<ego_tree::NodeId>) {
    let Main::Element(el) = main else { return };
    for (id, text) in content::paragraphs(*el) {
        if text.chars().count() <= 120 && is_credit_line(&text) {
            for f in credit_fields(&text, None) {
                if !(fields.iter()).any(|have| have.key == f.key && have.value == f.value) {
                    fields.push(f);
                }
            }
            drop.insert(id);
        }
    }
}

/// The title and, when it is an element inside the content, that element (so that the
/// content does not repeat it).
fn title(
    path: &Path,
    doc: &Html,
    page: &Page,
    main: &Main<'_>,
    options: &ReadOptions,
    warnings: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<ego_tree::NodeId>) {
    let heading = match main {
        Main::Element(el) => content::first_heading(*el),
        Main::Text(_) => None,
    };
    if let Some(s) = &options.selectors.title {
        match doc
            .select(s.selector())
            .map(text_of)
            .find(|(t, _)| !t.is_empty())
        {
            Some((t, id)) => return (Some(t), Some(id)),
            None => warnings.push(Diagnostic::warning(
                path.display(),
                None,
                format!(
                    "title selector `{}` matched nothing; detected the title instead",
                    s.as_str()
                ),
            )),
        }
    }
    let heading = heading.map(text_of).filter(|(t, _)| !t.is_empty());
    let site = page.meta(&["og:site_name", "application-name"]);
    let declared = page
        .meta(&["og:title", "twitter:title"])
        .or_else(|| page.ld("headline").into_iter().next())
        .map(|t| meta::strip_known_site(&t, site.as_deref()).unwrap_or(t));
    if let Some(t) = declared {
        // Leave the content's own heading out when it only repeats the title.
        let id = heading.filter(|(h, _)| *h == t).map(|(_, id)| id);
        return (Some(t), id);
    }
    if let Some((t, id)) = heading {
        return (Some(t), Some(id));
    }
    let title = doc
        .select(&TITLE)
        .next()
        .map(|t| clean(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .map(|t| meta::strip_site_name(&t, site.as_deref()));
    (title, None)
}

fn text_of(el: ElementRef<'_>) -> (String, ego_tree::NodeId) {
    (clean(&el.text().collect::<String>()), el.id())
}

/// The date an element holds: its `datetime` or `content` attribute, else the date in its
/// text, else its text.
fn element_date(el: ElementRef<'_>) -> Option<String> {
    let v = el.value();
    if let Some(d) = v.attr("datetime").or(v.attr("content")).map(clean)
        && !d.is_empty()
    {
        return Some(d);
    }
    let text = clean(&el.text().collect::<String>());
    meta_fields(&text, None)
        .into_iter()
        .find(|f| f.key == FieldKey::Published)
        .map(|f| f.value)
        .or_else(|| (!text.is_empty()).then_some(text))
}

/// The last line, when the page opens `<html>` or `<body>` but closes neither.
fn truncated(text: &str) -> Option<usize> {
    let has = |needle: &str| {
        text.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    let opened = has("<html") || has("<body");
    let closed = has("</body") || has("</html");
    (opened && !closed).then(|| text.lines().count().max(1))
}
