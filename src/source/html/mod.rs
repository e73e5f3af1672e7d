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

use self::content::selector;
use self::content::{Found, Main};
use self::meta::{Page, clean};
pub use self::selectors::{BadSelector, CssSelector, HtmlSelectors};
use super::{Article, Body, Located, ReadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::SourceError;
use crate::source::meta::{credit_fields, is_credit_line, meta_fields};
use crate::source::{Field, FieldKey};

static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static BASE: LazyLock<Selector> = LazyLock::new(|| selector("base[href]"));

/// Reads a page's bytes, honouring its declared encoding.
pub fn read(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Article, SourceError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SourceError::invalid(path, None, "the file is empty"));
    }
    let (text, warnings) = charset::decode_page(path, bytes);
    let mut article = parse(path, &text, options)?;
    article.warnings.splice(0..0, warnings);
    Ok(article)
}

/// Parses the text of one page.
pub fn parse(path: &Path, text: &str, options: &ReadOptions) -> Result<Article, SourceError> {
    let doc = Html::parse_document(text);
    let page = Page::new(path, &doc);
    let mut warnings = page.warnings.clone();
    warnings.extend(truncated(text).map(|line| {
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
    let Some(title) = title else {
        return Err(SourceError::invalid(
            path,
            None,
            "no title: the page has no og:title, <h1> or <title>; set a `title` selector for this source",
        ));
    };
    drop.extend(title_node);
    let date = selected_date(path, &doc, sel, &mut warnings);
    let mut fields = meta::fields(&page, &doc, date);
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
    // Relative links in the content are relative to `<base href>` when the page sets one.
    let base = (doc.select(&BASE).next())
        .and_then(|b| url::Url::parse(b.value().attr("href")?.trim()).ok());
    Ok(Article {
        path: path.to_path_buf(),
        title: Some(Located {
            value: title,
            line: None,
        }),
        fields,
        body: Body::Html(write::write(&main, &drop, base.as_ref())),
        warnings,
    })
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
