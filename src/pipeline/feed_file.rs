//! Feed files among article inputs: `feedloom convert feed.xml` reads an RSS, Atom, RDF,
//! CDF or JSON Feed file as the entries it holds, so converting a feed is converting its
//! entries. An XML file that is no feed is an error naming it, never read as an article.

use std::path::Path;

use url::Url;

use crate::diagnostic::Diagnostic;
use crate::merge::{self, ParsedFeed};
use crate::source::SourceKind;

/// Reads `path` as a feed when its content says it is one ([`merge::looks_like_feed`]):
/// `None` when it is an article (or cannot be read: the article reader will say why), else
/// the feed, or an error naming the file when it is XML but no feed this reader knows, or
/// cannot be read as a feed after all. Relative links resolve against the feed's home page
/// and ids are made URIs ([`merge::scope_ids`]), as for a merged feed file.
pub fn read_feed_file(path: &Path) -> Option<Result<ParsedFeed, Diagnostic>> {
    if !path.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if !merge::looks_like_feed(&bytes) {
        return other_xml(path, &bytes).map(Err);
    }
    let url = std::path::absolute(path)
        .ok()
        .and_then(|p| Url::from_file_path(p).ok());
    let Some(url) = url else {
        let reason = "cannot turn the path into a file URL";
        return Some(Err(Diagnostic::error(path.display(), None, reason)));
    };
    let feed = merge::parse_feed(&bytes, None, &url).map(|mut feed| {
        merge::scope_ids(&mut feed, &url);
        feed
    });
    Some(
        feed.map_err(|reason| {
            Diagnostic::error(path.display(), None, format!("not a feed: {reason}"))
        }),
    )
}

/// The error for an XML document that is no feed: one whose root element is not HTML, in
/// a file not named as a web page.
fn other_xml(path: &Path, bytes: &[u8]) -> Option<Diagnostic> {
    if SourceKind::from_extension(path).is_some() {
        return None;
    }
    let root = merge::markup_root(bytes)?;
    let local = root
        .rsplit(':')
        .next()
        .unwrap_or(&root)
        .to_ascii_lowercase();
    if is_html_element(&local) || crate::source::sniff_kind(bytes) == SourceKind::Html {
        return None;
    }
    let reason = format!(
        "an XML document whose root element is <{root}>, which is no feed feedloom reads \
         (RSS, RDF, Atom, CDF or JSON Feed) and no article"
    );
    Some(Diagnostic::error(path.display(), None, reason))
}

/// Whether `name` starts an HTML page or fragment rather than an XML document.
fn is_html_element(name: &str) -> bool {
    const HTML: &[&str] = &[
        "html",
        "head",
        "body",
        "p",
        "div",
        "article",
        "section",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "meta",
        "title",
        "link",
        "table",
        "ul",
        "ol",
        "span",
        "a",
        "b",
        "i",
        "em",
        "strong",
        "img",
        "figure",
        "blockquote",
        "pre",
        "br",
        "!doctype",
    ];
    HTML.contains(&name)
}
