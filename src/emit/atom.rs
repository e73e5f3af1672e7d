//! Atom 1.0 (RFC 4287) output, written with the `atom_syndication` crate.
//!
//! Mapping choices that the model's field docs leave open:
//! - feed `<id>`: see [`super::feed_id`].
//! - feed `<updated>`: [`Feed::updated`], else the newest entry date, else the fixed
//!   2000-01-01T00:00:00Z (see [`super::undated`]), so that an empty, undated feed still
//!   gives the same bytes on every run.
//! - feed `<author>`: Atom needs an author on the feed or on every entry. The feed's authors
//!   are written when there are any; otherwise, when an entry has no author (or there are no
//!   entries), the feed title stands in as the feed's author.
//! - entry `<id>`: see [`super::entry_id`].
//! - entry `<updated>`: `updated`, else `published`, else the feed's `<updated>` (made
//!   unique, see [`entry_updates`]).
//! - text constructs (titles, subtitle, summary): `type="text"`, or `type="html"` with the
//!   text HTML-escaped when it looks like markup (see `text`).
//! - dates are written to the second (see [`super::whole_seconds`]).
//! - entry language: `xml:lang` on the entry's title, summary and content (the crate has no
//!   `xml:lang` on `<entry>` itself).
//! - entry `<content>`: `type="html"`; an entry with neither content nor link gets its summary
//!   (else its title) as `type="text"` content, since Atom requires one of them.
//! - entry `<source>`: the origin's title, id (its feed URL, else its home page, else a
//!   `tag:` URI from its title) and links. Its `<updated>` (which validators expect) is the
//!   entry's own `<updated>`: the origin feed changed at least then.

use foldhash::{HashMap, HashSet};

use atom_syndication::{Content, Generator, Link, Text, TextType, WriteConfig};
use chrono::{DateTime, FixedOffset, TimeDelta};
use url::Url;

use super::{
    EmitError, GENERATOR, entry_id, entry_title, escape_html, fallback_tag_uri, feed_id,
    feed_title, feed_updated, is_blank, looks_like_markup, named_people, non_empty, undated,
    unique_categories, whole_seconds,
};
use rayon::prelude::*;

use crate::model::{Entry, Feed, Origin, Person};

/// Writes `feed` as an Atom 1.0 document (UTF-8, ending in a newline).
pub fn to_atom(feed: &Feed, self_url: Option<&Url>) -> Result<Vec<u8>, EmitError> {
    let mut out = document(&atom_feed(feed, self_url))?;
    out.push(b'\n');
    Ok(out)
}

/// Writes `feed` as [`to_atom`] does, without the final newline.
pub(super) fn document(feed: &atom_syndication::Feed) -> Result<Vec<u8>, EmitError> {
    document_in(feed, Vec::new())
}

/// [`document`], written into `buffer` (which may come with room reserved).
fn document_in(feed: &atom_syndication::Feed, buffer: Vec<u8>) -> Result<Vec<u8>, EmitError> {
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    Ok(feed.write_with_config(buffer, config)?)
}

/// Writes `entry` alone in an otherwise empty feed, the way [`to_atom`] writes it in a
/// feed (the same indentation); [`super::parts`] cuts it out.
/// `room` is the number of bytes to reserve.
pub(super) fn entry_document(
    entry: atom_syndication::Entry,
    room: usize,
) -> Result<Vec<u8>, EmitError> {
    let feed = atom_syndication::Feed {
        entries: vec![entry],
        ..atom_syndication::Feed::default()
    };
    document_in(&feed, Vec::with_capacity(room))
}

/// Builds the `atom_syndication` feed for `feed`, before it is written.
pub fn atom_feed(feed: &Feed, self_url: Option<&Url>) -> atom_syndication::Feed {
    let shell = feed_shell(feed, self_url);
    atom_syndication::Feed {
        entries: feed
            .entries
            .par_iter()
            .zip(entry_updates(&feed.entries, shell.updated))
            .map(|(e, updated)| entry(e, updated))
            .collect(),
        ..shell
    }
}

/// The `atom_syndication` feed for `feed` without its entries.
pub(super) fn feed_shell(feed: &Feed, self_url: Option<&Url>) -> atom_syndication::Feed {
    let title = feed_title(feed, self_url);
    let updated = whole_seconds(feed_updated(feed).unwrap_or_else(undated));

    let mut authors = people(&feed.authors);
    let entry_without_author = feed.entries.is_empty()
        || feed
            .entries
            .iter()
            .any(|e| !e.authors.iter().any(|p| !is_blank(&p.name)));
    if authors.is_empty() && entry_without_author {
        authors.push(atom_syndication::Person {
            name: title.clone(),
            ..atom_syndication::Person::default()
        });
    }

    let mut links = Vec::new();
    if let Some(url) = &feed.home_page_url {
        links.push(link(url, "alternate", None));
    }
    if let Some(url) = self_url {
        links.push(link(url, "self", Some("application/atom+xml")));
    }

    atom_syndication::Feed {
        id: feed_id(feed, self_url),
        title: text(title),
        updated,
        authors,
        generator: Some(Generator {
            value: GENERATOR.to_string(),
            ..Generator::default()
        }),
        links,
        subtitle: non_empty(feed.description.as_deref()).map(text),
        lang: non_empty(feed.language.as_deref()),
        ..atom_syndication::Feed::default()
    }
}

/// The `<updated>` of each entry: its `updated`, else its `published`. An undated entry gets
/// the feed's `<updated>`, moved back one second at a time until no other entry has that
/// instant. Validators flag entries with equal `<updated>` values, so an entry whose date an
/// earlier entry already took (two articles dated by day alone, say) is moved back one second
/// at a time too: entries are sorted newest first, so the order is kept, and `<published>`
/// keeps the exact date.
pub fn entry_updates(
    entries: &[Entry],
    feed_updated: DateTime<FixedOffset>,
) -> Vec<DateTime<FixedOffset>> {
    let dated: HashSet<i64> = entries
        .iter()
        .filter_map(|e| e.updated.or(e.published).map(|d| d.timestamp()))
        .collect();
    let mut used = Taken::default();
    let mut next_undated = feed_updated;
    entries
        .iter()
        .map(|e| {
            let wanted = match e.updated.or(e.published).map(whole_seconds) {
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

/// One `<entry>`, with its `<updated>` already chosen.
pub(super) fn entry(entry: &Entry, updated: DateTime<FixedOffset>) -> atom_syndication::Entry {
    let lang = non_empty(entry.language.as_deref());
    let localized = |value: String| Text {
        lang: lang.clone(),
        ..text(value)
    };
    let title = entry_title(entry);
    let id = entry_id(entry);

    let mut links = Vec::new();
    if let Some(url) = &entry.link {
        links.push(link(url, "alternate", None));
    }
    for enclosure in &entry.enclosures {
        let mut enclosure_link = link(
            &enclosure.url,
            "enclosure",
            non_empty(Some(&enclosure.mime_type)).as_deref(),
        );
        enclosure_link.length = enclosure.length.map(|n| n.to_string());
        links.push(enclosure_link);
    }

    let summary = non_empty(entry.summary.as_deref());
    let content = match non_empty(entry.content_html.as_deref()) {
        Some(html) => Some(Content {
            value: Some(html),
            content_type: Some("html".to_string()),
            lang: lang.clone(),
            ..Content::default()
        }),
        None if entry.link.is_none() => {
            let fallback = text(summary.clone().unwrap_or_else(|| title.clone()));
            Some(Content {
                content_type: Some(text_type(&fallback).to_string()),
                value: Some(fallback.value),
                lang: lang.clone(),
                ..Content::default()
            })
        }
        None => None,
    };

    let categories = unique_categories(&entry.categories)
        .into_iter()
        .map(|c| atom_syndication::Category {
            term: c.term,
            scheme: c.scheme.filter(|s| Url::parse(s).is_ok()),
            label: c.label,
        })
        .collect();

    atom_syndication::Entry {
        title: localized(title),
        id,
        updated,
        authors: people(&entry.authors),
        categories,
        contributors: people(&entry.contributors),
        links,
        published: entry.published.map(whole_seconds),
        summary: summary.map(localized),
        content,
        source: entry.origin.as_ref().map(|o| source(o, updated)),
        ..atom_syndication::Entry::default()
    }
}

/// A plain text construct: `type="text"`, unless the text looks like markup (see
/// [`looks_like_markup`]). Then it is HTML-escaped and written as `type="html"`, which
/// readers show as the same text, while validators would take it for undeclared HTML.
fn text(value: String) -> Text {
    if looks_like_markup(&value) {
        Text::html(escape_html(&value))
    } else {
        Text::plain(value)
    }
}

fn text_type(text: &Text) -> &'static str {
    match text.r#type {
        TextType::Text => "text",
        TextType::Html => "html",
        TextType::Xhtml => "xhtml",
    }
}

/// Atom persons for the model's people: name, e-mail, URI. Roles have no Atom element.
fn people(people: &[Person]) -> Vec<atom_syndication::Person> {
    named_people(people)
        .into_iter()
        .map(|p| atom_syndication::Person {
            name: p.name,
            email: p.email,
            uri: p.uri.map(|u| u.to_string()),
            ..atom_syndication::Person::default()
        })
        .collect()
}

fn link(url: &Url, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: url.to_string(),
        rel: rel.to_string(),
        mime_type: mime_type.map(str::to_string),
        ..Link::default()
    }
}

/// `<source>` for a merged entry; `updated` is the entry's own `<updated>`.
fn source(origin: &Origin, updated: DateTime<FixedOffset>) -> atom_syndication::Source {
    let title = non_empty(Some(&origin.title)).unwrap_or_default();
    let id = origin
        .feed_url
        .as_ref()
        .or(origin.home_page_url.as_ref())
        .map(|u| u.to_string())
        .unwrap_or_else(|| fallback_tag_uri(&title));
    let mut links = Vec::new();
    if let Some(url) = &origin.home_page_url {
        links.push(link(url, "alternate", None));
    }
    if let Some(url) = &origin.feed_url {
        links.push(link(url, "self", None));
    }
    atom_syndication::Source {
        title: text(title),
        id,
        updated,
        links,
        ..atom_syndication::Source::default()
    }
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
        ];
        let updates = entry_updates(&entries, at("2020-07-10T10:00:00+08:00"));
        let expected = [
            "2020-07-10T10:00:00+08:00",
            "2020-07-10T09:59:59+08:00",
            "2020-07-10T09:59:58+08:00",
            "2020-07-10T09:59:57+08:00",
        ]
        .map(at);
        assert_eq!(updates, expected);
    }
}
