//! The format-neutral feed model.
//!
//! Every source reader ends in an [`Entry`] (through the mapper), every external feed parser
//! produces [`Entry`] values too, and every emitter consumes a [`Feed`]. Each field's doc says
//! how it maps onto RSS 2.0, Atom 1.0 and JSON Feed 1.1.

use chrono::{DateTime, FixedOffset};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use url::Url;

/// A whole feed: channel-level facts plus its entries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Feed {
    /// RSS `<channel><title>`, Atom `<feed><title>`, JSON `title`.
    pub title: String,
    /// The site the feed belongs to. RSS `<channel><link>`, Atom `<link rel="alternate">`,
    /// JSON `home_page_url`.
    pub home_page_url: Option<Url>,
    /// Where the feed itself is published. RSS `<atom:link rel="self">`, Atom
    /// `<link rel="self">`, JSON `feed_url`.
    pub feed_url: Option<Url>,
    /// The feed's companion page: an HTML rendering of the feed for people who open it in a
    /// browser. Atom `<link rel="alternate" type="text/html">`, written before the site's
    /// alternate link (which has no `type`); RSS and JSON Feed keep only the site.
    pub page_url: Option<Url>,
    /// WebSub hubs that announce the feed's changes. RSS `<atom:link rel="hub">`, Atom
    /// `<link rel="hub">`, JSON `hubs` (type `WebSub`); written only beside a self link,
    /// since a hub needs the feed's URL as its topic.
    pub hubs: Vec<Url>,
    /// RSS `<description>`, Atom `<subtitle>`, JSON `description`.
    pub description: Option<String>,
    /// A BCP 47 tag such as `zh-CN`. RSS `<language>`, Atom `xml:lang`, JSON `language`.
    pub language: Option<String>,
    /// The feed's permanent id. Atom `<id>`; RSS and JSON have no feed id. When `None`,
    /// emitters use the feed URL, then the home page URL, then a `tag:` URI from the title.
    pub id: Option<String>,
    /// The feed's authors. RSS `<managingEditor>` is left out (it needs an e-mail address),
    /// Atom `<author>`, JSON `authors`.
    pub authors: Vec<Person>,
    /// When the feed last changed. RSS `<lastBuildDate>`, Atom `<updated>`. Derived from
    /// the newest entry by [`Feed::derive_updated`]; never the clock.
    pub updated: Option<DateTime<FixedOffset>>,
    /// The entries, newest first once [`Feed::sort_entries`] has run.
    pub entries: Vec<Entry>,
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// Stable, globally unique id: the entry URL or a `tag:` URI. RSS `<guid>` (with
    /// `isPermaLink="true"` only when it is the entry's URL), Atom `<id>`, JSON `id`.
    pub id: String,
    /// Plain text title. RSS `<title>`, Atom `<title>`, JSON `title`.
    pub title: String,
    /// The entry's page. RSS `<link>`, Atom `<link rel="alternate">`, JSON `url`.
    pub link: Option<Url>,
    /// First publication. RSS `<pubDate>`, Atom `<published>`, JSON `date_published`.
    pub published: Option<DateTime<FixedOffset>>,
    /// Last real change. Atom `<updated>` (falls back to `published`), JSON
    /// `date_modified`; RSS has no such element.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Plain text summary. RSS `<description>`, Atom `<summary>`, JSON `summary`.
    pub summary: Option<String>,
    /// Full content as well-formed, sanitised HTML. RSS `<content:encoded>`, Atom
    /// `<content type="html">`, JSON `content_html`.
    pub content_html: Option<String>,
    /// Authors. RSS `<dc:creator>` (one per author), Atom `<author>`, JSON `authors`.
    pub authors: Vec<Person>,
    /// Contributors (editors, planners…), with their role. RSS `<dc:contributor>`, Atom
    /// `<contributor>`, JSON has no contributors: they are left out there.
    pub contributors: Vec<Person>,
    /// Categories and tags. RSS `<category>`, Atom `<category>`, JSON `tags`.
    pub categories: Vec<Category>,
    /// Attached media. RSS `<enclosure>` (the first only: RSS allows one), Atom
    /// `<link rel="enclosure">`, JSON `attachments`.
    pub enclosures: Vec<Enclosure>,
    /// BCP 47 language tag when it differs from the feed's. Atom `xml:lang`, JSON
    /// `language`; RSS has no per-item language.
    pub language: Option<String>,
    /// The feed this entry was merged from, if any. RSS `<source url>`, Atom `<source>`,
    /// JSON has no equivalent.
    pub origin: Option<Origin>,
}

/// A person: author or contributor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    /// Display name.
    pub name: String,
    /// E-mail address, when known.
    pub email: Option<String>,
    /// Home page, when known.
    pub uri: Option<Url>,
    /// What the person did (`editor`, `planner`, `chief editor`…), for contributors.
    pub role: Option<String>,
}

impl Person {
    /// A person known only by name.
    pub fn named(name: impl Into<String>) -> Self {
        Person {
            name: name.into(),
            ..Person::default()
        }
    }
}

/// A category or tag.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Category {
    /// The term itself. RSS `<category>` text, Atom `term`, JSON `tags[]`.
    pub term: String,
    /// A scheme or domain URI. RSS `domain`, Atom `scheme`.
    pub scheme: Option<String>,
    /// A human label. Atom `label`.
    pub label: Option<String>,
}

impl Category {
    /// A category with only a term.
    pub fn term(term: impl Into<String>) -> Self {
        Category {
            term: term.into(),
            ..Category::default()
        }
    }
}

/// A media file attached to an entry (podcast audio, for example).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    /// Absolute URL of the file.
    pub url: Url,
    /// MIME type, such as `audio/mpeg`.
    pub mime_type: String,
    /// Size in bytes, when known.
    pub length: Option<u64>,
}

/// Where a merged entry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The source feed's title.
    pub title: String,
    /// The source feed's URL (where it was fetched from).
    pub feed_url: Option<Url>,
    /// The source feed's home page.
    pub home_page_url: Option<Url>,
}

/// The authority of a `tag:` URI (RFC 4151): a name and the year it held the name in. Every
/// date is fixed, never the clock's, so an id made today is the id made on any other day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagAuthority<'a> {
    /// A domain name (or the reserved `feedloom.invalid` when no site is known).
    pub name: &'a str,
    /// The year the authority held the name.
    pub year: u16,
}

impl<'a> TagAuthority<'a> {
    /// A site known by its host name, dated 2000: before any article a feed carries.
    pub fn site(host: &'a str) -> Self {
        TagAuthority {
            name: host,
            year: 2000,
        }
    }
}

/// The authority of ids made for a feed or entry whose site is unknown.
pub const UNKNOWN_SITE: TagAuthority<'static> = TagAuthority {
    name: "feedloom.invalid",
    year: 2000,
};

/// The authority of ids made for merged items whose own id is not a URI.
pub const MERGED_ITEMS: TagAuthority<'static> = TagAuthority {
    name: "feedloom",
    year: 2024,
};

/// What [`uri_path_escape`] escapes: controls, space and what URIs reserve or forbid
/// outside paths; `/` and `:` stay.
const TAG_ESCAPE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Whether `url` is a web address (`http` or `https`): one a reader can open as a page, never
/// `javascript:`, `data:`, `urn:` or `tag:`.
pub fn is_web_address(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// `text` percent-encoded to stand in a URI path or a `tag:` specific (non-ASCII text
/// included): `新闻/a b` becomes `%E6%96%B0%E9%97%BB/a%20b`.
pub fn uri_path_escape(text: &str) -> String {
    utf8_percent_encode(text, TAG_ESCAPE).to_string()
}

/// A `tag:` URI (RFC 4151): `tag:AUTHORITY,YEAR:SPECIFIC`, the specific part
/// percent-encoded where URIs need it (see [`uri_path_escape`]).
pub fn tag_uri(authority: TagAuthority<'_>, specific: &str) -> String {
    let specific = uri_path_escape(specific);
    format!("tag:{},{}:{specific}", authority.name, authority.year)
}

impl Entry {
    /// The date used to order entries: `published`, then `updated`.
    pub fn sort_date(&self) -> Option<DateTime<FixedOffset>> {
        self.published.or(self.updated)
    }

    /// Feeds what readers see of the entry into `h`: title, link, summary, content,
    /// language, authors, contributors, categories and enclosures, each text preceded by
    /// its length so that no two entries give the same stream. The id, the origin and the
    /// dates are left out (see [`Entry::hash_identity`]).
    pub fn hash_content(&self, h: &mut blake3::Hasher) {
        let mut text = |t: &str| hash_text(h, t);
        text(&self.title);
        text(self.link.as_ref().map_or("", |l| l.as_str()));
        text(self.summary.as_deref().unwrap_or(""));
        text(self.content_html.as_deref().unwrap_or(""));
        text(self.language.as_deref().unwrap_or(""));
        for (tag, people) in [("a", &self.authors), ("c", &self.contributors)] {
            for p in people.iter() {
                text(tag);
                text(&p.name);
                text(p.email.as_deref().unwrap_or(""));
                text(p.uri.as_ref().map_or("", |u| u.as_str()));
                text(p.role.as_deref().unwrap_or(""));
            }
        }
        for c in &self.categories {
            text("k");
            text(&c.term);
            text(c.scheme.as_deref().unwrap_or(""));
            text(c.label.as_deref().unwrap_or(""));
        }
        for e in &self.enclosures {
            text("e");
            text(e.url.as_str());
            text(&e.mime_type);
            text(&e.length.map(|l| l.to_string()).unwrap_or_default());
        }
    }

    /// Feeds what identifies and dates the entry into `h`: the id, the origin and both
    /// dates (instant and offset). With [`Entry::hash_content`], every field.
    pub fn hash_identity(&self, h: &mut blake3::Hasher) {
        let mut text = |t: &str| hash_text(h, t);
        text("i");
        text(&self.id);
        if let Some(o) = &self.origin {
            text("o");
            text(&o.title);
            text(o.feed_url.as_ref().map_or("", |u| u.as_str()));
            text(o.home_page_url.as_ref().map_or("", |u| u.as_str()));
        }
        for date in [self.published, self.updated] {
            hash_date(h, date);
        }
    }
}

/// A BLAKE3 hash of what readers see of an entry (see [`Entry::hash_content`]): the
/// store compares it across runs to tell a changed entry from an unchanged one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// Hashes `entry`'s content: every field readers see but the id, the origin and the
    /// dates, each written with its length so that no two entries share a stream.
    pub fn of(entry: &Entry) -> ContentHash {
        let mut h = blake3::Hasher::new();
        entry.hash_content(&mut h);
        ContentHash(*h.finalize().as_bytes())
    }

    /// Hashes raw bytes (an article file's content).
    pub fn of_bytes(bytes: &[u8]) -> ContentHash {
        ContentHash(*blake3::hash(bytes).as_bytes())
    }
}

impl AsRef<ContentHash> for ContentHash {
    fn as_ref(&self) -> &ContentHash {
        self
    }
}

/// Sorts entries, each with something of the caller's, as [`Feed::sort_entries`] does.
pub fn sort_newest_first<T>(entries: Vec<(Entry, T)>) -> Vec<(Entry, T)> {
    let order = newest_first_order(&entries);
    take_in_order(entries, order).collect()
}

/// The positions of `entries` in [`Feed::sort_entries`]' order. Entries are large: sorting
/// positions and then moving each entry once is cheaper than sorting the entries.
pub fn newest_first_order<T>(entries: &[(Entry, T)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&entries[a].0, &entries[b].0);
        b.sort_date()
            .cmp(&a.sort_date())
            .then_with(|| a.id.cmp(&b.id))
    });
    order
}

/// The items at the positions `order` gives (each at most once), in that order.
pub fn take_in_order<I>(items: Vec<I>, order: Vec<usize>) -> impl Iterator<Item = I> {
    let mut slots: Vec<Option<I>> = items.into_iter().map(Some).collect();
    (order.into_iter()).filter_map(move |i| slots.get_mut(i).and_then(Option::take))
}

/// Feeds `text` into `h` preceded by its length, so that no two sequences of texts give
/// the same stream.
fn hash_text(h: &mut blake3::Hasher, text: &str) {
    h.update(&(text.len() as u64).to_le_bytes());
    h.update(text.as_bytes());
}

/// Feeds a date into `h` as its instant and its offset (nine zero bytes for none).
pub fn hash_date(h: &mut blake3::Hasher, date: Option<DateTime<FixedOffset>>) {
    match date {
        Some(d) => {
            h.update(&[1]);
            h.update(&d.timestamp().to_le_bytes());
            h.update(&d.timestamp_subsec_nanos().to_le_bytes());
            h.update(&d.offset().local_minus_utc().to_le_bytes());
        }
        None => {
            h.update(&[0; 9]);
        }
    }
}

impl Feed {
    /// Sorts entries newest first with a total order: date (undated last), then id.
    pub fn sort_entries(&mut self) {
        let entries = std::mem::take(&mut self.entries);
        self.entries = sort_newest_first(entries.into_iter().map(|e| (e, ())).collect())
            .into_iter()
            .map(|(e, ())| e)
            .collect();
    }

    /// Sets [`Feed::updated`] to the newest `updated` or `published` date among the entries,
    /// leaving it as it is when no entry is dated.
    pub fn derive_updated(&mut self) {
        let newest = self
            .entries
            .iter()
            .filter_map(|e| match (e.updated, e.published) {
                (Some(u), Some(p)) => Some(u.max(p)),
                (u, p) => u.or(p),
            })
            .max();
        if newest.is_some() {
            self.updated = newest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<FixedOffset>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap())
    }

    fn entry(id: &str, published: Option<DateTime<FixedOffset>>) -> Entry {
        Entry {
            id: id.into(),
            published,
            ..Entry::default()
        }
    }

    #[test]
    fn sorts_newest_first_then_by_id_with_undated_last() {
        let mut feed = Feed {
            entries: vec![
                entry("b", at("2020-01-01T00:00:00+08:00")),
                entry("z", None),
                entry("c", at("2021-01-01T00:00:00Z")),
                entry("a", at("2020-01-01T00:00:00+08:00")),
            ],
            ..Feed::default()
        };
        feed.sort_entries();
        let ids: Vec<_> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b", "z"]);
    }

    #[test]
    fn updated_is_the_newest_entry_date() {
        let mut feed = Feed {
            entries: vec![
                entry("a", at("2020-01-01T00:00:00Z")),
                Entry {
                    updated: at("2022-05-01T00:00:00+02:00"),
                    ..entry("b", at("2019-01-01T00:00:00Z"))
                },
            ],
            ..Feed::default()
        };
        feed.derive_updated();
        assert_eq!(feed.updated, at("2022-05-01T00:00:00+02:00"));
    }
}
