//! Atom 1.0 (RFC 4287) output: the feed's head, one `<entry>`, the tail, written with
//! quick-xml (see the `xml` module).
//!
//! Mapping choices that the model's field docs leave open:
//! - feed `<id>`: see [`feed_id`].
//! - feed `<updated>`: [`Feed::updated`], else the newest entry date, else the fixed
//!   2000-01-01T00:00:00Z (see [`undated`]), so that an empty, undated feed still gives the
//!   same bytes on every run.
//! - feed alternate links: the companion page ([`Feed::page_url`]) as
//!   `type="text/html"`, then the site ([`Feed::home_page_url`]) with no `type`. RFC 4287
//!   allows one alternate link per type and language, so both fit; the site comes last
//!   because parsers that keep one link per feed (feedparser and those built on it) keep the
//!   last HTML alternate, so their "link" of the feed stays the site.
//! - `<link rel="hub">`: one per WebSub hub, after the self link, only when there is one.
//! - feed `<author>`: Atom needs an author on the feed or on every entry. The feed's authors
//!   are written when there are any; otherwise, when an entry has no author (or there are no
//!   entries), the feed title stands in as the feed's author.
//! - entry `<id>`: see [`entry_id`].
//! - entry `<updated>`: `updated`, else `published`, else the feed's `<updated>` (made
//!   unique, see [`entry_updates`]).
//! - text constructs (titles, subtitle, summary): plain text, or `type="html"` with the
//!   text HTML-escaped when it looks like markup (see [`looks_like_markup`]).
//! - dates are written to the second, and left out when out of range (see [`date`]).
//! - entry language: `xml:lang` on the entry's title, summary and content.
//! - entry `<content>`: `type="html"`; an entry with neither content nor link gets its summary
//!   (else its title) as text content, since Atom requires one of them.
//! - entry `<source>`: the origin's title, id (its feed URL, else its home page, else a
//!   `tag:` URI from its title) and links. Its `<updated>` (which validators expect) is the
//!   entry's own `<updated>`: the origin feed changed at least then.
//! - category `scheme`: left out unless it is a URI.
//! - HTML is written as CDATA; plain text with hexadecimal references.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, TimeDelta};
use foldhash::{HashMap, HashSet};
use url::Url;

use super::text::{Refs, escape, is_blank, looks_like_markup, non_empty};
use super::values::{
    date, entry_id, entry_title, fallback_tag_uri, feed_id, feed_title, feed_updated, named_people,
    rfc3339, undated, unique_categories,
};
use super::xml::{Attr, Xml};
use super::{EmitError, Emitter, GENERATOR};
use crate::model::{Entry, Feed, Origin, Person};

/// The Atom namespace.
pub const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";

/// How deep an `<entry>` stands: in `<feed>`.
const ENTRY_LEVEL: usize = 1;

/// The Atom writer for one feed, published at `self_url`, with every entry's `<updated>`
/// worked out up front.
pub(super) struct Atom<'a> {
    feed: &'a Feed,
    self_url: Option<&'a Url>,
    updated: DateTime<FixedOffset>,
    updates: Vec<DateTime<FixedOffset>>,
}

impl<'a> Atom<'a> {
    /// The writer for `feed`, published at `self_url`.
    pub(super) fn new(feed: &'a Feed, self_url: Option<&'a Url>) -> Self {
        let updated = feed_updated(feed).unwrap_or_else(undated);
        Atom {
            feed,
            self_url,
            updated,
            updates: entry_updates(&feed.entries, updated),
        }
    }
}

impl Emitter for Atom<'_> {
    fn room(&self, entry: &Entry) -> usize {
        let len = |text: &Option<String>| text.as_ref().map_or(0, String::len);
        let link = entry.link.as_ref().map_or(0, |u| u.as_str().len());
        let small = entry.categories.len() + entry.authors.len() + entry.contributors.len();
        let source = entry.origin.as_ref().map_or(0, |_| 512);
        384 + 2 * entry.title.len()
            + entry.id.len()
            + link
            + len(&entry.summary) * 5 / 4
            + len(&entry.content_html)
            + 96 * (small + entry.enclosures.len())
            + source
    }

    fn head(&self, out: &mut impl Write) -> Result<(), EmitError> {
        let (feed, self_url) = (self.feed, self.self_url);
        let title = feed_title(feed, self_url);
        let language = non_empty(feed.language.as_deref());

        let mut x = Xml::new(out, 0);
        x.declaration()?;
        let attrs = [
            ("xmlns", Some(ATOM_NAMESPACE)),
            ("xml:lang", language.as_deref()),
        ];
        x.open("feed", &attrs)?;
        text(&mut x, "title", None, &title)?;
        x.text("id", &[], &feed_id(feed, self_url))?;
        x.text("updated", &[], &rfc3339(self.updated))?;
        let entry_without_author = feed.entries.is_empty()
            || (feed.entries.iter()).any(|e| e.authors.iter().all(|p| is_blank(&p.name)));
        if !people(&mut x, "author", &feed.authors)? && entry_without_author {
            x.open("author", &[])?;
            x.text("name", &[], &title)?;
            x.close("author")?;
        }
        x.text("generator", &[], GENERATOR)?;
        if let Some(url) = &feed.page_url {
            link(&mut x, url, "alternate", Some("text/html"))?;
        }
        if let Some(url) = &feed.home_page_url {
            link(&mut x, url, "alternate", None)?;
        }
        if let Some(url) = self_url {
            link(&mut x, url, "self", Some("application/atom+xml"))?;
            for hub in &feed.hubs {
                link(&mut x, hub, "hub", None)?;
            }
        }
        if let Some(description) = non_empty(feed.description.as_deref()) {
            text(&mut x, "subtitle", None, &description)?;
        }
        Ok(())
    }

    fn entry(&self, index: usize, entry: &Entry, out: &mut Vec<u8>) -> Result<(), EmitError> {
        let updated = self.updates.get(index).copied().unwrap_or(self.updated);
        let mut x = Xml::new(out, ENTRY_LEVEL);
        Ok(write_entry(entry, updated, &mut x)?)
    }

    fn tail(&self, out: &mut impl Write) -> Result<(), EmitError> {
        let mut x = Xml::new(out, ENTRY_LEVEL);
        x.close("feed")?;
        Ok(x.end()?)
    }
}

/// One `<entry>`, with its `<updated>` already chosen.
fn write_entry(
    entry: &Entry,
    updated: DateTime<FixedOffset>,
    x: &mut Xml<impl Write>,
) -> io::Result<()> {
    let lang = non_empty(entry.language.as_deref());
    let lang = lang.as_deref();
    let title = entry_title(entry);
    let summary = non_empty(entry.summary.as_deref());

    x.open("entry", &[])?;
    text(x, "title", lang, &title)?;
    x.text("id", &[], &entry_id(entry))?;
    x.text("updated", &[], &rfc3339(updated))?;
    people(x, "author", &entry.authors)?;
    for category in unique_categories(&entry.categories) {
        let scheme = (category.scheme.as_deref()).filter(|s| Url::parse(s).is_ok());
        let attrs = [
            ("term", Some(category.term.as_ref())),
            ("scheme", scheme),
            ("label", category.label.as_deref()),
        ];
        x.empty("category", &attrs)?;
    }
    people(x, "contributor", &entry.contributors)?;
    if let Some(url) = &entry.link {
        link(x, url, "alternate", None)?;
    }
    for enclosure in &entry.enclosures {
        let mime_type = non_empty(Some(&enclosure.mime_type));
        let length = enclosure.length.map(|n| n.to_string());
        let attrs = [
            ("href", Some(enclosure.url.as_str())),
            ("rel", Some("enclosure")),
            ("type", mime_type.as_deref()),
            ("length", length.as_deref()),
        ];
        x.empty("link", &attrs)?;
    }
    if let Some(published) = date(entry.published) {
        x.text("published", &[], &rfc3339(published))?;
    }
    if let Some(origin) = &entry.origin {
        source(x, origin, updated)?;
    }
    if let Some(summary) = &summary {
        text(x, "summary", lang, summary)?;
    }
    if let Some(html) = non_empty(entry.content_html.as_deref()) {
        x.html(
            "content",
            &[("xml:lang", lang), ("type", Some("html"))],
            &html,
        )?;
    } else if entry.link.is_none() {
        // Atom wants content or a link: the summary, else the title, stands in.
        text(x, "content", lang, summary.as_deref().unwrap_or(&title))?;
    }
    x.close("entry")
}

/// A text construct: plain text, unless the text looks like markup (see
/// [`looks_like_markup`]). Then it is HTML-escaped and written as `type="html"`, which
/// readers show as the same text, while validators would take it for undeclared HTML.
fn text(x: &mut Xml<impl Write>, name: &str, lang: Option<&str>, value: &str) -> io::Result<()> {
    match looks_like_markup(value) {
        true => {
            let attrs: [Attr<'_>; 2] = [("xml:lang", lang), ("type", Some("html"))];
            x.html(name, &attrs, &escape(value, Refs::Html))
        }
        false => x.text(name, &[("xml:lang", lang)], value),
    }
}

/// `<author>` or `<contributor>` elements (`element`) for the named people: name, e-mail,
/// URI. Whether any was written.
fn people(x: &mut Xml<impl Write>, element: &str, people: &[Person]) -> io::Result<bool> {
    let named = named_people(people);
    for person in &named {
        x.open(element, &[])?;
        x.text("name", &[], &person.name)?;
        if let Some(email) = &person.email {
            x.text("email", &[], email)?;
        }
        if let Some(uri) = person.uri {
            x.text("uri", &[], uri.as_str())?;
        }
        x.close(element)?;
    }
    Ok(!named.is_empty())
}

fn link(x: &mut Xml<impl Write>, url: &Url, rel: &str, mime_type: Option<&str>) -> io::Result<()> {
    let attrs = [
        ("href", Some(url.as_str())),
        ("rel", Some(rel)),
        ("type", mime_type),
    ];
    x.empty("link", &attrs)
}

/// `<source>` for a merged entry; `updated` is the entry's own `<updated>`.
fn source(
    x: &mut Xml<impl Write>,
    origin: &Origin,
    updated: DateTime<FixedOffset>,
) -> io::Result<()> {
    let title = non_empty(Some(&origin.title)).unwrap_or_default();
    let id = (origin.feed_url.as_ref().or(origin.home_page_url.as_ref()))
        .map(|u| Cow::Borrowed(u.as_str()))
        .unwrap_or_else(|| Cow::Owned(fallback_tag_uri(&title)));
    x.open("source", &[])?;
    text(x, "title", None, &title)?;
    x.text("id", &[], &id)?;
    x.text("updated", &[], &rfc3339(updated))?;
    if let Some(url) = &origin.home_page_url {
        link(x, url, "alternate", None)?;
    }
    if let Some(url) = &origin.feed_url {
        link(x, url, "self", None)?;
    }
    x.close("source")
}

/// The `<updated>` of each entry: its `updated`, else its `published` (each read through
/// [`date`]). An undated entry gets the feed's `<updated>`, moved back one second at a time
/// until no other entry has that instant. Validators flag entries with equal `<updated>`
/// values, so an entry whose date an earlier entry already took (two articles dated by day
/// alone, say) is moved back one second at a time too: entries are sorted newest first, so
/// the order is kept, and `<published>` keeps the exact date.
pub fn entry_updates(
    entries: &[Entry],
    feed_updated: DateTime<FixedOffset>,
) -> Vec<DateTime<FixedOffset>> {
    let wanted: Vec<Option<DateTime<FixedOffset>>> = (entries.iter())
        .map(|e| date(e.updated).or(date(e.published)))
        .collect();
    let dated: HashSet<i64> = wanted.iter().flatten().map(|d| d.timestamp()).collect();
    let mut used = Taken::default();
    let mut next_undated = feed_updated;
    wanted
        .into_iter()
        .map(|wanted| {
            let wanted = match wanted {
                Some(date) => date,
                None => {
                    while dated.contains(&next_undated.timestamp())
                        || used.contains(next_undated.timestamp())
                    {
                        match one_second_before(next_undated) {
                            Some(earlier) => next_undated = earlier,
                            None => break,
                        }
                    }
                    next_undated
                }
            };
            let free = used.take_free_at_or_before(wanted.timestamp());
            wanted
                .checked_sub_signed(TimeDelta::seconds(wanted.timestamp() - free))
                .unwrap_or(wanted)
        })
        .collect()
}

/// The instants (Unix seconds) already given to an entry. Entries that share a date take
/// the seconds before it one by one; each taken second remembers a lower second where the
/// search may go on, so a thousand entries of one day cost a thousand steps, not half a
/// million.
#[derive(Default)]
struct Taken {
    /// For each taken second, a second below it such that every second in between is taken.
    below: HashMap<i64, i64>,
}

impl Taken {
    fn contains(&self, t: i64) -> bool {
        self.below.contains_key(&t)
    }

    /// Takes the latest free second at or before `t`, and returns it.
    fn take_free_at_or_before(&mut self, t: i64) -> i64 {
        let mut visited = Vec::new();
        let mut at = t;
        while let Some(&next) = self.below.get(&at) {
            visited.push(at);
            at = next;
        }
        let free = at;
        let lower = free.saturating_sub(1);
        self.below.insert(free, lower);
        for v in visited {
            self.below.insert(v, lower);
        }
        free
    }
}

fn one_second_before(date: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    date.checked_sub_signed(TimeDelta::seconds(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("test date")
    }

    #[test]
    fn entries_sharing_a_date_get_distinct_updated_values_in_order() {
        let day = |id: &str| Entry {
            id: id.into(),
            published: Some(at("2021-03-05T00:00:00+08:00")),
            ..Entry::default()
        };
        let earlier = Entry {
            published: Some(at("2021-03-04T23:59:59+08:00")),
            ..day("c")
        };
        let updates = entry_updates(
            &[day("a"), day("b"), earlier],
            at("2021-03-05T00:00:00+08:00"),
        );
        let got: Vec<String> = updates.iter().map(|d| d.to_rfc3339()).collect();
        assert_eq!(
            got,
            [
                "2021-03-05T00:00:00+08:00",
                "2021-03-04T23:59:59+08:00",
                "2021-03-04T23:59:58+08:00"
            ]
        );
    }

    #[test]
    fn a_thousand_entries_of_one_day_take_the_thousand_seconds_before_it() {
        let day = at("2021-03-05T00:00:00+08:00");
        let mut entries: Vec<Entry> = (0..1000)
            .map(|i| Entry {
                id: format!("e{i:04}"),
                published: Some(day),
                ..Entry::default()
            })
            .collect();
        // One entry a minute before the day collides with the run, and gives way too.
        entries.push(Entry {
            published: Some(day - TimeDelta::seconds(60)),
            ..Entry::default()
        });
        let updates = entry_updates(&entries, day);
        for (i, date) in updates.iter().take(1000).enumerate() {
            assert_eq!(*date, day - TimeDelta::seconds(i as i64), "entry {i}");
            assert_eq!(date.offset(), day.offset());
        }
        assert_eq!(updates[1000], day - TimeDelta::seconds(1000));
    }

    #[test]
    fn undated_entries_get_unique_updated_values_below_the_feed() {
        let dated = |d: &str| Entry {
            published: Some(at(d)),
            ..Entry::default()
        };
        let entries = [
            dated("2020-07-10T10:00:00.5+08:00"),
            dated("2020-07-10T09:59:59+08:00"),
            Entry::default(),
            Entry::default(),
            // Out of range: undated.
            dated("0000-01-01T00:00:00Z"),
        ];
        let updates = entry_updates(&entries, at("2020-07-10T10:00:00+08:00"));
        let expected = [
            "2020-07-10T10:00:00+08:00",
            "2020-07-10T09:59:59+08:00",
            "2020-07-10T09:59:58+08:00",
            "2020-07-10T09:59:57+08:00",
            "2020-07-10T09:59:56+08:00",
        ]
        .map(at);
        assert_eq!(updates, expected);
    }
}
