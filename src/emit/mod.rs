//! The emitters: a [`Feed`] becomes the bytes of an RSS 2.0, Atom 1.0 or JSON Feed 1.1
//! document.
//!
//! Every emitter is deterministic: the same feed gives byte-identical output (no clock, no
//! hash-map order), and entries keep the order they are given in (the caller sorts them).
//! Feeds are valid by construction: XML-illegal characters are stripped from all text, empty
//! optional values are left out, and every element a format requires gets a documented
//! fallback when the model has no value for it.

pub mod atom;
pub mod json;
pub mod parts;
pub mod rss;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SecondsFormat, Timelike};

use url::Url;

use crate::model::{Category, Entry, Feed, Person, UNKNOWN_SITE, tag_uri};

/// The name written as the generator of every feed.
pub const GENERATOR: &str = "feedloom";

/// One of the three output formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// RSS 2.0, the default.
    #[default]
    Rss,
    /// Atom 1.0 (RFC 4287).
    Atom,
    /// JSON Feed 1.1.
    Json,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The usual file extension, without the dot: `xml`, `atom` or `json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "xml",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The media type to serve the format with.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    /// The lowercase name, as accepted by [`Format::from_str`].
    pub fn name(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text given to [`Format::from_str`] names no format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown feed format {0:?}: expected \"rss\", \"atom\" or \"json\"")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Reads `rss`, `atom` or `json`, ignoring ASCII case and surrounding spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rss" => Ok(Format::Rss),
            "atom" => Ok(Format::Atom),
            "json" => Ok(Format::Json),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// Why a feed could not be serialised. The writers only fail on internal errors (they write
/// into memory), but the crates they use report them, so they are passed on, not hidden.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The `rss` crate failed to write the channel.
    #[error("cannot write RSS: {0}")]
    Rss(#[from] ::rss::Error),
    /// The `atom_syndication` crate failed to write the feed.
    #[error("cannot write Atom: {0}")]
    Atom(#[from] ::atom_syndication::Error),
    /// `serde_json` failed to write the feed.
    #[error("cannot write JSON Feed: {0}")]
    Json(#[from] serde_json::Error),
    /// An entry written alone could not be cut out of its document (an internal error).
    #[error("cannot find the entry in a one-entry {0} document")]
    Cut(Format),
    /// An entry given without its content had to be written anew (an internal error).
    #[error("entry {0} has no content here and is not in the earlier output")]
    Hollow(String),
}

/// Writes `feed` in `format`. The same feed always gives the same bytes.
pub fn write(feed: &Feed, format: Format) -> Result<Vec<u8>, EmitError> {
    write_at(feed, format, feed.feed_url.as_ref())
}

/// Writes `feed` in `format` as published at `self_url` (in place of [`Feed::feed_url`]), so
/// that one feed can be written in several formats at once, each with its own self link.
/// Entries are written in parallel (see [`parts`]).
pub fn write_at(feed: &Feed, format: Format, self_url: Option<&Url>) -> Result<Vec<u8>, EmitError> {
    let written = parts::FeedParts::unindexed(feed).write(format, self_url, None)?;
    // A document with no earlier pieces is all in memory: putting it together cannot fail.
    Ok(written.document.to_bytes(None).unwrap_or_default())
}

/// Writes `feed` like [`write_at`], in one pass through the format's crate: the reference
/// that [`parts`] is held to.
pub fn write_single_pass(
    feed: &Feed,
    format: Format,
    self_url: Option<&Url>,
) -> Result<Vec<u8>, EmitError> {
    match format {
        Format::Rss => self::rss::to_rss(feed, self_url),
        Format::Atom => atom::to_atom(feed, self_url),
        Format::Json => json::to_json(feed, self_url),
    }
}

/// Removes what XML 1.0 forbids or discourages in text: C0 control characters other than tab
/// and line feed, DEL and C1 controls, and the non-characters U+FFFE and U+FFFF. A carriage
/// return becomes a line feed (an XML parser would turn it into one anyway). Used on all text
/// of every format, so the three formats carry the same strings.
pub fn clean_text(text: &str) -> String {
    if is_clean(text) {
        return text.to_owned();
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars().filter(|&c| is_allowed_char(c)).collect()
}

/// Whether `text` has nothing [`clean_text`] would change, checked on bytes: no C0 control
/// but tab and newline (so no carriage return) and no DEL, screened 32 bytes at a time
/// without branches (the loop vectorises); no C1 control (`C2 80`–`C2 9F`) and no U+FFFE or
/// U+FFFF (`EF BF BE`, `EF BF BF`), found with `memchr`'s vectorised searches.
fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0x7f);
    let chunks = bytes.chunks_exact(32);
    let rest = chunks.remainder();
    for chunk in chunks {
        if chunk.iter().fold(false, |acc, &b| acc | control(b)) {
            return false;
        }
    }
    if rest.iter().any(|&b| control(b)) {
        return false;
    }
    let c1 =
        memchr::memchr_iter(0xc2, bytes).any(|i| matches!(bytes.get(i + 1), Some(0x80..=0x9f)));
    static SPECIALS: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let specials = SPECIALS.get_or_init(|| memchr::memmem::Finder::new(b"\xef\xbf"));
    let nonchar =
        (specials.find_iter(bytes)).any(|i| matches!(bytes.get(i + 2), Some(0xbe | 0xbf)));
    !c1 && !nonchar
}

fn is_allowed_char(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    }
}

/// [`clean_text`], then trimmed; `None` when nothing is left. Optional elements with no text
/// are left out rather than written empty.
pub fn non_empty(text: Option<&str>) -> Option<String> {
    let text = text?;
    let trimmed = |t: &str| {
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    if is_clean(text) {
        return trimmed(text);
    }
    trimmed(&clean_text(text))
}

/// Whether [`non_empty`] would give `None` for `text`: it holds only white space and
/// characters that [`clean_text`] removes. Checked without allocating.
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || !is_allowed_char(c))
}

/// The entry's title, cleaned; when it is empty, the entry id, then its link, then
/// `Untitled` stand in, so that every entry has something to show in a reader's list.
pub fn entry_title(entry: &Entry) -> String {
    non_empty(Some(&entry.title))
        .or_else(|| non_empty(Some(&entry.id)))
        .or_else(|| entry.link.as_ref().map(|u| u.to_string()))
        .unwrap_or_else(|| "Untitled".to_string())
}

/// The entry's id, cleaned: [`Entry::id`], else its link, else a `tag:` URI made from its
/// title (see [`fallback_tag_uri`]). Every format needs one.
pub fn entry_id(entry: &Entry) -> String {
    non_empty(Some(&entry.id))
        .or_else(|| entry.link.as_ref().map(|u| u.to_string()))
        .unwrap_or_else(|| fallback_tag_uri(&non_empty(Some(&entry.title)).unwrap_or_default()))
}

/// The feed's title, cleaned; when it is empty: the home page URL, then the feed URL, then
/// `Untitled feed`.
pub fn feed_title(feed: &Feed, self_url: Option<&Url>) -> String {
    non_empty(Some(&feed.title))
        .or_else(|| feed.home_page_url.as_ref().map(|u| u.to_string()))
        .or_else(|| self_url.map(|u| u.to_string()))
        .unwrap_or_else(|| "Untitled feed".to_string())
}

/// The feed's permanent id: [`Feed::id`], else the feed URL, else the home page URL, else a
/// `tag:` URI made from the title (see [`fallback_tag_uri`]).
pub fn feed_id(feed: &Feed, self_url: Option<&Url>) -> String {
    non_empty(feed.id.as_deref())
        .or_else(|| self_url.map(|u| u.to_string()))
        .or_else(|| feed.home_page_url.as_ref().map(|u| u.to_string()))
        .unwrap_or_else(|| fallback_tag_uri(&feed_title(feed, self_url)))
}

/// A `tag:` URI (RFC 4151) for a feed that has neither an id nor a URL:
/// `tag:feedloom.invalid,2000:` followed by the percent-encoded title. The authority is a
/// reserved `.invalid` name (no real domain is known) and the date is fixed, so the id stays
/// the same for as long as the title does.
pub fn fallback_tag_uri(title: &str) -> String {
    tag_uri(UNKNOWN_SITE, title)
}

/// The fixed date written where a format needs one and the feed has none at all (an Atom
/// feed whose entries are all undated, or that has no entries): 2000-01-01T00:00:00Z.
/// Deterministic, so an unchanged feed gives unchanged bytes, and old enough to sort below
/// any real entry, yet not so old that validators call it implausible (they flag dates
/// before 1990).
pub fn undated() -> DateTime<FixedOffset> {
    DateTime::from_timestamp(946_684_800, 0)
        .unwrap_or(DateTime::UNIX_EPOCH)
        .fixed_offset()
}

/// When the feed last changed: [`Feed::updated`], else the newest entry date (`updated` or
/// `published`), else `None`.
pub fn feed_updated(feed: &Feed) -> Option<DateTime<FixedOffset>> {
    feed.updated.or_else(|| {
        feed.entries
            .iter()
            .flat_map(|e| [e.updated, e.published])
            .flatten()
            .max()
    })
}

/// The entry's categories with empty terms dropped and duplicates (same term and scheme)
/// removed, keeping the first of each in the given order. Terms and labels are cleaned.
pub fn unique_categories(categories: &[Category]) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::with_capacity(categories.len());
    for category in categories {
        let Some(term) = non_empty(Some(&category.term)) else {
            continue;
        };
        let scheme = non_empty(category.scheme.as_deref());
        if out.iter().any(|c| c.term == term && c.scheme == scheme) {
            continue;
        }
        out.push(Category {
            term,
            scheme,
            label: non_empty(category.label.as_deref()),
        });
    }
    out
}

/// The people with a non-empty name, names cleaned and trimmed, duplicates (same name)
/// removed.
pub fn named_people(people: &[Person]) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::with_capacity(people.len());
    for person in people {
        let Some(name) = non_empty(Some(&person.name)) else {
            continue;
        };
        if out.iter().any(|p| p.name == name) {
            continue;
        }
        out.push(Person {
            name,
            email: non_empty(person.email.as_deref()).filter(|e| is_plausible_email(e)),
            uri: person.uri.clone(),
            role: non_empty(person.role.as_deref()),
        });
    }
    out
}

/// A loose e-mail address check: one `@` with text on both sides, a dot in the domain, no
/// spaces or angle brackets. Addresses that fail are left out rather than written invalid.
fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.contains(|c: char| c.is_whitespace() || "<>()[],;:\"".contains(c))
}

/// The date without its fraction of a second. Feeds are written to the second: some readers
/// (newsboat) misread the offset of an RFC 3339 date with a fraction.
pub fn whole_seconds(date: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    date.with_nanosecond(0).unwrap_or(date)
}

/// An RFC 3339 date to the second, in the date's own offset: `2020-07-10T09:52:00+08:00`.
pub fn rfc3339(date: DateTime<FixedOffset>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Whether plain text holds something that validators and readers take for HTML: an end tag
/// (`</b>`) or a character reference (`&amp;`, `&#38;`). Plain `<` and `&` (`a < b`, `AT&T`)
/// are not.
pub fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'<' => bytes.get(i + 1) == Some(&b'/') && ends_tag(&bytes[i + 2..]),
        b'&' => is_reference(&bytes[i + 1..]),
        _ => false,
    })
}

/// `rest` starts with a tag name and `>`.
fn ends_tag(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&b'>')
}

/// `rest` starts with `#` or with an entity name followed by `;`.
fn is_reference(rest: &[u8]) -> bool {
    if rest.first() == Some(&b'#') {
        return true;
    }
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&b';')
}

/// An RFC 2822 date for RSS: `Fri, 10 Jul 2020 09:52:00 +0800`, in the date's own offset.
/// Offsets that are not whole or half hours (`+0545`) are written in UTC instead, since
/// validators and some readers reject them; the instant is the same.
pub fn rfc2822(date: DateTime<FixedOffset>) -> String {
    if date.offset().local_minus_utc() % 1800 == 0 {
        date.to_rfc2822()
    } else {
        date.to_utc().fixed_offset().to_rfc2822()
    }
}

/// Escapes `&`, `<` and `>` so that plain text can stand where HTML is expected.
pub fn escape_html(text: &str) -> String {
    if !text.contains(['&', '<', '>']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        assert_eq!(" Atom ".parse::<Format>(), Ok(Format::Atom));
        assert!("rdf".parse::<Format>().is_err());
        assert_eq!(Format::Rss.extension(), "xml");
        assert_eq!(Format::Json.media_type(), "application/feed+json");
    }

    #[test]
    fn clean_text_finds_illegal_characters_at_block_edges() {
        for at in [0, 1, 62, 63, 64, 65, 127, 128] {
            for bad in ['\u{1}', '\r', '\u{7f}', '\u{85}', '\u{fffe}', '\u{ffff}'] {
                let mut text: String = "a".repeat(at);
                text.push(bad);
                text.push_str(&"。".repeat(30));
                assert!(!is_clean(&text), "{bad:?} at {at}");
                assert!(!clean_text(&text).contains(bad), "{bad:?} at {at}");
            }
            let fine: String = "a".repeat(at) + "中文,标点,\t\n\u{fffd}\u{ff0c}";
            assert!(is_clean(&fine), "clean text at {at}");
        }
    }

    #[test]
    fn clean_text_strips_xml_illegal_characters() {
        assert_eq!(
            clean_text("a\u{0}b\u{8}c\u{1b}d\u{7f}e\u{85}f\u{fffe}g\u{ffff}h"),
            "abcdefgh"
        );
        assert_eq!(clean_text("l1\r\nl2\rl3\tx"), "l1\nl2\nl3\tx");
        assert_eq!(clean_text("中文 ]]> 𝄞"), "中文 ]]> 𝄞");
    }

    #[test]
    fn non_empty_drops_blank_text() {
        assert_eq!(non_empty(Some(" \u{1} \n")), None);
        assert_eq!(non_empty(None), None);
        assert_eq!(non_empty(Some(" x ")), Some("x".to_string()));
    }

    #[test]
    fn rfc2822_keeps_half_hour_offsets_only() {
        let date = |s| DateTime::parse_from_rfc3339(s).expect("test date");
        assert_eq!(
            rfc2822(date("2020-07-10T09:52:00+08:00")),
            "Fri, 10 Jul 2020 09:52:00 +0800"
        );
        assert_eq!(
            rfc2822(date("2020-07-10T09:52:00+05:30")),
            "Fri, 10 Jul 2020 09:52:00 +0530"
        );
        assert_eq!(
            rfc2822(date("2020-07-10T09:52:00+05:45")),
            "Fri, 10 Jul 2020 04:07:00 +0000"
        );
    }

    #[test]
    fn markup_is_told_from_plain_comparisons() {
        for plain in ["a < b & c", "AT&T", "x<y", "<3", "R&D", "a &; b", "</ b>"] {
            assert!(!looks_like_markup(plain), "{plain}");
        }
        for markup in ["<b>x</b>", "a &amp; b", "&#38;", "&nbsp;", "x</p>"] {
            assert!(looks_like_markup(markup), "{markup}");
        }
    }

    #[test]
    fn dates_are_written_to_the_second() {
        let date = DateTime::parse_from_rfc3339("2021-01-01T12:30:45.123+05:45").expect("date");
        assert_eq!(rfc3339(whole_seconds(date)), "2021-01-01T12:30:45+05:45");
    }

    #[test]
    fn fallback_tag_uri_is_percent_encoded() {
        assert_eq!(
            fallback_tag_uri("学习 a-b"),
            "tag:feedloom.invalid,2000:%E5%AD%A6%E4%B9%A0%20a-b"
        );
    }

    #[test]
    fn categories_are_deduplicated_in_order() {
        let cats = [
            Category::term("铜"),
            Category::term(" "),
            Category::term("铝"),
            Category::term("铜"),
            Category {
                scheme: Some("https://example.com/c".into()),
                ..Category::term("铜")
            },
        ];
        let terms: Vec<_> = unique_categories(&cats)
            .into_iter()
            .map(|c| (c.term, c.scheme))
            .collect();
        assert_eq!(
            terms,
            [
                ("铜".to_string(), None),
                ("铝".to_string(), None),
                ("铜".to_string(), Some("https://example.com/c".to_string())),
            ]
        );
    }

    #[test]
    fn implausible_emails_are_dropped() {
        let people = [
            Person {
                email: Some("a@example.com".into()),
                ..Person::named("A")
            },
            Person {
                email: Some("not an email".into()),
                ..Person::named("B")
            },
            Person::named("  "),
            Person::named("A"),
        ];
        let named = named_people(&people);
        assert_eq!(named.len(), 2);
        assert_eq!(named[0].email.as_deref(), Some("a@example.com"));
        assert_eq!(named[1].email, None);
    }

    #[test]
    fn entry_id_and_title_always_have_a_value() {
        let mut entry = Entry::default();
        assert_eq!(entry_title(&entry), "Untitled");
        assert_eq!(entry_id(&entry), "tag:feedloom.invalid,2000:");
        entry.title = "标题".into();
        assert_eq!(
            entry_id(&entry),
            "tag:feedloom.invalid,2000:%E6%A0%87%E9%A2%98"
        );
        entry.link = url::Url::parse("https://example.com/a").ok();
        assert_eq!(entry_id(&entry), "https://example.com/a");
        entry.title = " ".into();
        assert_eq!(entry_title(&entry), "https://example.com/a");
        entry.id = "tag:example.com,2020:a".into();
        assert_eq!(entry_title(&entry), "tag:example.com,2020:a");
    }

    #[test]
    fn feed_id_falls_back_in_order() {
        let mut feed = Feed {
            title: "T".into(),
            ..Feed::default()
        };
        assert_eq!(
            feed_id(&feed, feed.feed_url.as_ref()),
            "tag:feedloom.invalid,2000:T"
        );
        feed.home_page_url = url::Url::parse("https://example.com/").ok();
        assert_eq!(
            feed_id(&feed, feed.feed_url.as_ref()),
            "https://example.com/"
        );
        feed.feed_url = url::Url::parse("https://example.com/feed.atom").ok();
        assert_eq!(
            feed_id(&feed, feed.feed_url.as_ref()),
            "https://example.com/feed.atom"
        );
        feed.id = Some("tag:example.com,2020:feed".into());
        assert_eq!(
            feed_id(&feed, feed.feed_url.as_ref()),
            "tag:example.com,2020:feed"
        );
    }
}
