//! External feed bytes → [`Entry`] values. The body is decoded to UTF-8
//! ([`decode`](super::decode)); JSON goes to [`json`](super::json), XML to the streaming
//! [`reader`](super::reader), which reads RSS 0.90–2.0, RSS 1.0, Atom 0.3 and 1.0, Atom
//! entry documents and Microsoft CDF as feedparser does, broken XML included. The reader
//! runs inside `catch_unwind`, so a panic becomes an error.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::atom_id::is_valid_id;
use super::decode::to_utf8;
use super::entry::plain;
use super::error::ParseError;
use crate::model::{Entry, MERGED_ITEMS, is_web_address, tag_uri};

/// One external feed, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFeed {
    /// The feed's title, plain text.
    pub title: String,
    /// The feed's home page.
    pub home_page_url: Option<Url>,
    /// Its entries, in document order, every one with an id.
    pub entries: Vec<Entry>,
    /// Problems that did not stop the feed from being read, each `line N: what` when it
    /// sits on a line (callers prefix the source).
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
    let document = past_junk(start);
    if !document.starts_with('<') {
        return Err(ParseError::NeitherXmlNorJson);
    }
    if local_name(root_name(document)).eq_ignore_ascii_case("html") {
        return Err(ParseError::Html);
    }
    let read = super::reader::read(start, url);
    if !read.is_feed {
        let root = if read.root.is_empty() {
            "none".to_string()
        } else {
            format!("<{}>", read.root)
        };
        return Err(ParseError::NoFeed(format!(
            "the root element is {root}: no RSS, Atom, RDF or CDF feed"
        )));
    }
    Ok(ParsedFeed {
        title: read.title.as_ref().map(plain).unwrap_or_default(),
        home_page_url: read.home_page_url,
        entries: read.entries,
        warnings: read.warnings,
    })
}

/// The roots of the feed documents the reader knows: RSS, RDF, Atom feeds and entries,
/// Microsoft CDF channels.
const FEED_ROOTS: [&str; 5] = ["rss", "rdf", "feed", "entry", "channel"];

/// Whether `bytes` look like a feed rather than an article: XML whose root element is
/// `rss`, `rdf:RDF`, `feed` or an Atom `entry` (whatever their prefix), or a CDF `channel`;
/// or JSON whose `version` names JSON Feed. Only the start of the document is looked at.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _) = to_utf8(head, None);
    let start = text.trim_start();
    if start.starts_with('{') {
        // `"version": "https://jsonfeed.org/version/1.1"` comes first in nearly every feed.
        return start.contains("jsonfeed.org/version");
    }
    let document = past_junk(start);
    if !document.starts_with('<') {
        return false;
    }
    let root = local_name(root_name(document)).to_ascii_lowercase();
    FEED_ROOTS.contains(&root.as_str())
}

/// The name of the root element of `bytes` when they are markup (they start with `<`,
/// past a byte order mark and white space), as written: `None` for anything else.
pub fn markup_root(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _) = to_utf8(head, None);
    let start = past_junk(text.trim_start());
    if !start.starts_with('<') {
        return None;
    }
    Some(root_name(start).to_string()).filter(|r| !r.is_empty())
}

/// Where the XML document in `text` starts: at its `<?xml …?>` declaration when one comes
/// after something else (a server's warning printed before the feed, as PHP does), since
/// XML readers start there; else `text` itself.
fn past_junk(text: &str) -> &str {
    if text.starts_with("<?xml") {
        return text;
    }
    let declaration = text.match_indices("<?xml").find(|(at, _)| {
        text[at + 5..]
            .chars()
            .next()
            .is_some_and(char::is_whitespace)
    });
    match declaration {
        Some((at, _)) => &text[at..],
        None => text,
    }
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
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

/// Turns every id that is not a valid URI (an RSS `guid` such as `post-123`, which is
/// unique only within its own feed, or `urn:uuid:` with no UUID, or a URL with a space: see
/// [`is_valid_id`]) into a `tag:` URI hashed from the feed's URL (for a file, its home page,
/// as for links) and that id. Ids then stay unique across merged sources, and are Atom ids
/// validators accept; the same item gets the same id on every run. Valid URIs
/// (`https://…`, `urn:uuid:…`, `tag:…`) are kept as they are.
pub fn scope_ids(feed: &mut ParsedFeed, url: &Url) {
    let url = site_base(url, feed.home_page_url.as_ref());
    for e in &mut feed.entries {
        if !is_valid_id(&e.id) {
            e.id = match as_web_address(&e.id) {
                Some(address) => address,
                None => merged_id(&blake3::hash(format!("{url}\nid\n{}", e.id).as_bytes())),
            };
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
/// An http(s) id written loosely (a space, raw non-ASCII letters) as the web address it
/// names, percent-encoded as a link is: `http://a.example/a b` is `http://a.example/a%20b`.
fn as_web_address(id: &str) -> Option<String> {
    let url = Url::parse(id).ok().filter(is_web_address)?;
    let address = String::from(url);
    is_valid_id(&address).then_some(address)
}

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
            ("<entry xmlns=\"http://www.w3.org/2005/Atom\"/>", true),
            ("<CHANNEL HREF=\"http://a.example/\"></CHANNEL>", true),
            (
                "\n<b>Warning</b>: on line 3<br />\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"/>",
                true,
            ),
            (
                "Warning: on line 3\n<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"/>",
                true,
            ),
            (
                "<b>Warning</b>\n<?xml version=\"1.0\"?>\n<html><body>rss</body></html>",
                false,
            ),
            ("<p>Write <?xml-stylesheet?> first</p><rss/>", false),
            ("<!DOCTYPE html><html><body>rss</body></html>", false),
            ("<!-- c --><opml version=\"2.0\"/>", false),
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
<item><title>B</title><guid>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</guid></item>
<item><title>C</title><guid>urn:uuid:0f0e</guid></item>
<item><title>D</title><guid isPermaLink="false">https://a.example/a b</guid></item>
</channel></rss>"#;
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
        assert_eq!(
            a.entries[1].id, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
            "a valid id is kept"
        );
        assert!(
            (a.entries[2].id).starts_with("tag:feedloom,2024:merged:"),
            "{}",
            a.entries[2].id
        );
        assert_eq!(
            a.entries[3].id, "https://a.example/a%20b",
            "a loosely written web address is written as a link is"
        );
    }
}
