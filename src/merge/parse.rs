//! External feed bytes → [`Entry`] values. The body is decoded to UTF-8
//! ([`decode`](super::decode)), JSON goes to [`json`](super::json), XML is repaired
//! ([`repair`](super::repair)), rewritten ([`normalize`](super::normalize)) and read by
//! feed-rs. The parser runs inside `catch_unwind`, so a panic becomes an error.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, FixedOffset, Utc};
use feed_rs::model as fr;
use url::Url;

use super::content::{clean_external_html, collapse_space, html_to_text, text_to_html};
use super::decode::to_utf8;
use super::error::ParseError;
use super::normalize::normalize;
use super::repair::repair;
use crate::model::{Category, Enclosure, Entry, MERGED_ITEMS, Person, tag_uri};

/// One external feed, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFeed {
    /// The feed's title, plain text.
    pub title: String,
    /// The feed's home page.
    pub home_page_url: Option<Url>,
    /// Its entries, in document order, every one with an id.
    pub entries: Vec<Entry>,
    /// Problems that did not stop the feed from being read.
    pub warnings: Vec<String>,
}

/// Reads `bytes` as a feed fetched from `url` (which resolves relative links and seeds
/// hash-based ids). `content_type` is the HTTP header, whose charset is honoured.
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    url: &Url,
) -> Result<ParsedFeed, ParseError> {
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        parse_unguarded(bytes, content_type, url)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ParseError::Crashed(what))
    })?;
    Ok(with_ids(without_unrepresentable_dates(parsed), url))
}

/// Leaves undated, with a warning, every date of `feed` that no output format can carry
/// (the year 0 or 10000: see [`crate::dates::representable`]).
fn without_unrepresentable_dates(mut feed: ParsedFeed) -> ParsedFeed {
    for e in &mut feed.entries {
        for (what, date) in [
            ("publication", &mut e.published),
            ("update", &mut e.updated),
        ] {
            if let Some(Err(refused)) = date.map(crate::dates::in_range) {
                *date = None;
                let item = if e.title.is_empty() { &e.id } else { &e.title };
                feed.warnings.push(format!(
                    "item {item:?}: the {what} date {refused}; the item is left undated"
                ));
            }
        }
    }
    feed
}

fn parse_unguarded(
    bytes: &[u8],
    content_type: Option<&str>,
    url: &Url,
) -> Result<ParsedFeed, ParseError> {
    let (text, _) = to_utf8(bytes, content_type);
    let start = text.trim_start();
    if start.is_empty() {
        return Err(ParseError::Empty);
    }
    if start.starts_with('{') {
        return super::json::parse(start, url);
    }
    if !start.starts_with('<') {
        return Err(ParseError::NeitherXmlNorJson);
    }
    let repaired = repair(start);
    drop(text);
    if root_name(&repaired).eq_ignore_ascii_case("html") {
        return Err(ParseError::Html);
    }
    // A file's own location is no base for the links in it (see `site_base`): feed-rs
    // leaves them relative and `map_feed` resolves them.
    let feed_rs_base = (url.scheme() != "file").then_some(url.as_str());
    let parser = || {
        feed_rs::parser::Builder::new()
            .base_uri(feed_rs_base)
            .id_generator(|_, _, _| String::new())
            .build()
    };
    let mut warnings = Vec::new();
    let feed = match normalize(&repaired) {
        Ok(normalized) => {
            warnings = normalized.warnings;
            (parser().parse(normalized.xml.as_bytes())).or_else(|e| {
                (parser().parse(repaired.as_bytes())).map_err(|_| ParseError::NoFeed(e.to_string()))
            })
        }
        Err(xml_error) => (parser().parse(repaired.as_bytes()))
            .map_err(|e| ParseError::NoFeed(format!("{e} (XML: {xml_error})"))),
    }?;
    let mut parsed = map_feed(feed, url);
    parsed.warnings = warnings;
    Ok(parsed)
}

/// Whether `bytes` look like a feed rather than an article: XML whose root element is
/// `rss`, `rdf:RDF` or `feed`, or JSON whose `version` names JSON Feed. Only the start of
/// the document is looked at.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _) = to_utf8(head, None);
    let start = text.trim_start();
    if start.starts_with('{') {
        // `"version": "https://jsonfeed.org/version/1.1"` comes first in nearly every feed.
        return start.contains("jsonfeed.org/version");
    }
    if !start.starts_with('<') {
        return false;
    }
    let root = root_name(start);
    let local = root.rsplit(':').next().unwrap_or(root);
    matches!(local, "rss" | "feed") || root.eq_ignore_ascii_case("rdf:RDF")
}

/// The name of the first element, past comments and processing instructions.
fn root_name(xml: &str) -> &str {
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let skip_to = if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else {
            let name = &rest[1..];
            let end = name
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(name.len());
            return &name[..end];
        };
        rest = &rest[skip_to.unwrap_or(rest.len())..];
    }
    ""
}

/// The URL relative links of a feed fetched from `url` resolve against: `url` itself, but
/// for a feed read from a file its home page (when that is a web address), since the file
/// is a copy of a feed published on that site and its path means nothing to readers.
fn site_base(url: &Url, home_page_url: Option<&Url>) -> Url {
    match home_page_url {
        Some(home) if url.scheme() == "file" && matches!(home.scheme(), "http" | "https") => {
            home.clone()
        }
        _ => url.clone(),
    }
}

fn map_feed(feed: fr::Feed, url: &Url) -> ParsedFeed {
    let home_page_url = alternate(&feed.links, url);
    let base = site_base(url, home_page_url.as_ref());
    let feed_authors = people(&feed.authors, &base);
    let entries = feed
        .entries
        .into_iter()
        .map(|e| map_entry(e, &base, &feed_authors, feed.language.as_deref()))
        .collect();
    ParsedFeed {
        title: feed.title.as_ref().map(plain).unwrap_or_default(),
        home_page_url,
        entries,
        warnings: Vec::new(),
    }
}

fn map_entry(e: fr::Entry, base: &Url, feed_authors: &[Person], lang: Option<&str>) -> Entry {
    let base = e
        .base
        .as_deref()
        .and_then(|b| base.join(b).ok())
        .unwrap_or_else(|| base.clone());
    let link = alternate(&e.links, &base).or_else(|| {
        // An RSS guid that is a URL is the item's permalink unless it says otherwise.
        Url::parse(e.id.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
    });
    let html_base = link.as_ref().unwrap_or(&base);
    let summary_is_html = e.summary.as_ref().is_some_and(is_html);
    let content_html = e
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?;
            Some(if c.content_type.to_string().contains("html") {
                clean_external_html(body, Some(html_base))
            } else {
                text_to_html(body)
            })
        })
        .or_else(|| {
            let s = e.summary.as_ref().filter(|_| summary_is_html)?;
            Some(clean_external_html(&s.content, Some(html_base)))
        })
        .filter(|h| !h.is_empty());
    let mut authors = people(&e.authors, &base);
    if authors.is_empty() {
        authors = feed_authors.to_vec();
    }
    Entry {
        id: e.id.trim().to_string(),
        title: e.title.as_ref().map(plain).unwrap_or_default(),
        link,
        published: e.published.map(fixed),
        updated: e.updated.map(fixed),
        summary: e.summary.as_ref().map(plain).filter(|s| !s.is_empty()),
        content_html,
        authors,
        contributors: people(&e.contributors, &base),
        categories: e.categories.iter().filter_map(category).collect(),
        enclosures: enclosures(&e, &base),
        language: e.language.or(lang.map(str::to_string)),
        origin: None,
    }
}

fn is_html(t: &fr::Text) -> bool {
    let ty = t.content_type.to_string();
    ty.contains("html")
        || (ty == "text/plain" && t.content.contains('<') && t.content.contains('>'))
}

fn plain(t: &fr::Text) -> String {
    if is_html(t) {
        html_to_text(&t.content)
    } else {
        collapse_space(&t.content)
    }
}

fn fixed(d: DateTime<Utc>) -> DateTime<FixedOffset> {
    d.fixed_offset()
}

/// The first `alternate` (or unlabelled) link, absolute.
fn alternate(links: &[fr::Link], base: &Url) -> Option<Url> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .and_then(|l| base.join(l.href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https" | "file" | "ftp"))
}

fn people(people: &[fr::Person], base: &Url) -> Vec<Person> {
    people
        .iter()
        .filter_map(|p| {
            let (name, email) = split_email(p.name.as_deref(), p.email.as_deref());
            let name = name.or_else(|| email.clone())?;
            Some(Person {
                name,
                email,
                uri: p.uri.as_deref().and_then(|u| base.join(u).ok()),
                role: None,
            })
        })
        .collect()
}

/// RSS authors are often `jane@example.com (Jane Doe)`.
fn split_email(name: Option<&str>, email: Option<&str>) -> (Option<String>, Option<String>) {
    let clean = |s: &str| Some(collapse_space(s)).filter(|s| !s.is_empty());
    let name = name.and_then(clean);
    let email = email.and_then(clean);
    if let Some(n) = &name
        && let Some((addr, rest)) = n.split_once('(')
        && (addr.trim().is_empty() || (addr.contains('@') && !addr.trim().contains(' ')))
    {
        let addr = Some(addr.trim().to_string()).filter(|a| !a.is_empty());
        return (clean(rest.trim_end_matches(')')), addr.or(email));
    }
    (name, email)
}

fn category(c: &fr::Category) -> Option<Category> {
    let term = collapse_space(&c.term);
    let label = c
        .label
        .as_deref()
        .map(collapse_space)
        .filter(|l| !l.is_empty());
    (!term.is_empty()).then(|| Category {
        term,
        scheme: c.scheme.clone(),
        label,
    })
}

fn enclosures(e: &fr::Entry, base: &Url) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    let media = e.media.iter().flat_map(|m| &m.content).filter_map(|c| {
        Some(Enclosure {
            url: c.url.clone()?,
            mime_type: c
                .content_type
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            length: c.size,
        })
    });
    let links = e
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .filter_map(|l| {
            Some(Enclosure {
                url: base.join(l.href.trim()).ok()?,
                mime_type: l.media_type.clone().unwrap_or_default(),
                length: l.length,
            })
        });
    for mut enc in media.chain(links) {
        if enc.mime_type.is_empty() {
            enc.mime_type = "application/octet-stream".into();
        }
        if !out.iter().any(|o| o.url == enc.url) {
            out.push(enc);
        }
    }
    out
}

/// Fills in missing ids: the entry's link, else a `tag:` URI hashed from the feed URL (for
/// a file, its home page when it names one, so the id does not depend on where the file
/// lies), title and date, so the same entry gets the same id on every run.
fn with_ids(mut feed: ParsedFeed, url: &Url) -> ParsedFeed {
    let url = &site_base(url, feed.home_page_url.as_ref());
    for e in &mut feed.entries {
        if e.id.is_empty() {
            e.id = match &e.link {
                Some(link) => link.to_string(),
                None => hashed_id(url, &e.title, e.sort_date()),
            };
        }
    }
    feed
}

/// Turns every id that is not an absolute URI (an RSS `guid` such as `post-123`, which is
/// unique only within its own feed) into a `tag:` URI hashed from the feed's URL (for a
/// file, its home page, as for links) and that id. Ids then stay unique across merged
/// sources, and are valid Atom ids (which must be IRIs); the same item gets the same id on
/// every run. URIs (`https://…`, `urn:uuid:…`, `tag:…`) are kept as they are.
pub fn scope_ids(feed: &mut ParsedFeed, url: &Url) {
    let url = site_base(url, feed.home_page_url.as_ref());
    for e in &mut feed.entries {
        if Url::parse(&e.id).is_err() {
            let digest = blake3::hash(format!("{url}\nid\n{}", e.id).as_bytes());
            e.id = merged_id(&digest);
        }
    }
}

/// The id of an entry that has neither id nor link.
pub fn hashed_id(feed_url: &Url, title: &str, date: Option<DateTime<FixedOffset>>) -> String {
    let date = date.map(|d| d.to_rfc3339()).unwrap_or_default();
    let digest = blake3::hash(format!("{feed_url}\n{title}\n{date}").as_bytes());
    merged_id(&digest)
}

/// `tag:feedloom,2024:merged:` and the first half of `digest` in hex.
fn merged_id(digest: &blake3::Hash) -> String {
    tag_uri(MERGED_ITEMS, &format!("merged:{}", &digest.to_hex()[..32]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_ids_are_pinned() {
        let url = Url::parse("https://example.org/feed.xml").unwrap();
        let date = DateTime::parse_from_rfc3339("2020-07-10T09:52:00+08:00").ok();
        assert_eq!(hashed_id(&url, "铜价", date), hashed_id(&url, "铜价", date),);
        assert_ne!(hashed_id(&url, "铜价", date), hashed_id(&url, "铜价", None));
        assert!(hashed_id(&url, "铜价", date).starts_with("tag:feedloom,2024:merged:"));
    }

    #[test]
    fn splits_rss_author_addresses() {
        assert_eq!(
            split_email(Some("jane@example.com (Jane Doe)"), None),
            (Some("Jane Doe".into()), Some("jane@example.com".into()))
        );
    }

    #[test]
    fn a_feed_read_from_a_file_resolves_links_against_its_site() {
        let xml = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<link>https://metals.example.org/</link>
<item><title>A</title><link>/news/a.html</link>
<description>&lt;p&gt;see &lt;a href="b.html"&gt;b&lt;/a&gt;&lt;/p&gt;</description></item>
<item><title>B</title></item></channel></rss>"#;
        let here = Url::parse("file:///srv/one/feed.xml").unwrap();
        let there = Url::parse("file:///home/two/feed.xml").unwrap();
        let feed = parse_feed(xml, None, &here).unwrap();
        let a = &feed.entries[0];
        let link = "https://metals.example.org/news/a.html";
        assert_eq!(a.link.as_ref().unwrap().as_str(), link);
        assert_eq!(a.id, link);
        let html = a.content_html.as_deref().unwrap();
        assert!(
            html.contains("https://metals.example.org/news/b.html"),
            "{html}"
        );
        let moved = parse_feed(xml, None, &there).unwrap();
        assert_eq!(
            feed.entries[1].id, moved.entries[1].id,
            "ids must not depend on the path"
        );
        let web = Url::parse("https://mirror.example.net/feed.xml").unwrap();
        let fetched = parse_feed(xml, None, &web).unwrap();
        assert_eq!(
            fetched.entries[0].link.as_ref().unwrap().as_str(),
            "https://mirror.example.net/news/a.html",
            "a fetched feed still resolves against its own URL"
        );
    }

    #[test]
    fn tells_feeds_from_articles() {
        let rows: &[(&str, bool)] = &[
            (
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>",
                true,
            ),
            (
                "\u{feff}<!-- c --><rdf:RDF xmlns:rdf=\"x\"></rdf:RDF>",
                true,
            ),
            ("<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", true),
            (
                "<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\"/>",
                true,
            ),
            (
                "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}",
                true,
            ),
            ("{\"title\": \"not a feed\"}", false),
            ("<!DOCTYPE html><html><body>rss</body></html>", false),
            ("---\ntitle: feed\n---\n", false),
            ("标题：铜价\n2020-07-10", false),
        ];
        for (text, feed) in rows {
            assert_eq!(looks_like_feed(text.as_bytes()), *feed, "{text}");
        }
    }

    #[test]
    fn scoped_ids_are_uris_unique_per_feed_and_pinned() {
        let xml = br#"<rss version="2.0"><channel><title>T</title><link>https://a.example/</link>
<item><title>A</title><guid isPermaLink="false">post-1</guid></item>
<item><title>B</title><guid>urn:uuid:0f0e</guid></item></channel></rss>"#;
        let one = Url::parse("https://a.example/feed.xml").unwrap();
        let other = Url::parse("https://b.example/feed.xml").unwrap();
        let mut a = parse_feed(xml, None, &one).unwrap();
        let mut b = parse_feed(xml, None, &other).unwrap();
        assert_eq!(
            a.entries[0].id, "post-1",
            "parse_feed keeps the source's id"
        );
        scope_ids(&mut a, &one);
        scope_ids(&mut b, &other);
        assert_eq!(
            a.entries[0].id,
            "tag:feedloom,2024:merged:6f9e70bcdb4be2600ed76ae5adbee7ca"
        );
        assert_ne!(a.entries[0].id, b.entries[0].id);
        assert_eq!(a.entries[1].id, "urn:uuid:0f0e");
    }
}
