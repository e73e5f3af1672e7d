//! The values every format derives the same way from the model: titles and ids with their
//! fallbacks, dates as feeds carry them, and the people and categories worth writing.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, SecondsFormat, Timelike};
use url::Url;

use super::text::non_empty;
use crate::dates::representable;
use crate::model::{Category, Entry, Feed, Person, UNKNOWN_SITE, tag_uri};

/// The entry's title, cleaned; when it is empty, the entry id, then its link, then
/// `Untitled` stand in, so that every entry has something to show in a reader's list.
pub fn entry_title(entry: &Entry) -> Cow<'_, str> {
    non_empty(Some(&entry.title))
        .or_else(|| non_empty(Some(&entry.id)))
        .or_else(|| entry.link.as_ref().map(|u| Cow::Borrowed(u.as_str())))
        .unwrap_or(Cow::Borrowed("Untitled"))
}

/// The entry's id, cleaned: [`Entry::id`], else its link, else a `tag:` URI made from its
/// title (see [`fallback_tag_uri`]). Every format needs one.
pub fn entry_id(entry: &Entry) -> Cow<'_, str> {
    non_empty(Some(&entry.id))
        .or_else(|| entry.link.as_ref().map(|u| Cow::Borrowed(u.as_str())))
        .unwrap_or_else(|| {
            let title = non_empty(Some(&entry.title)).unwrap_or_default();
            Cow::Owned(fallback_tag_uri(&title))
        })
}

/// The feed's title, cleaned; when it is empty: the home page URL, then the feed URL
/// (`self_url`), then `Untitled feed`.
pub fn feed_title<'a>(feed: &'a Feed, self_url: Option<&'a Url>) -> Cow<'a, str> {
    non_empty(Some(&feed.title))
        .or_else(|| {
            feed.home_page_url
                .as_ref()
                .map(|u| Cow::Borrowed(u.as_str()))
        })
        .or_else(|| self_url.map(|u| Cow::Borrowed(u.as_str())))
        .unwrap_or(Cow::Borrowed("Untitled feed"))
}

/// The feed's permanent id: [`Feed::id`], else the feed URL (`self_url`), else the home page
/// URL, else a `tag:` URI made from the title (see [`fallback_tag_uri`]).
pub fn feed_id<'a>(feed: &'a Feed, self_url: Option<&'a Url>) -> Cow<'a, str> {
    non_empty(feed.id.as_deref())
        .or_else(|| self_url.map(|u| Cow::Borrowed(u.as_str())))
        .or_else(|| {
            feed.home_page_url
                .as_ref()
                .map(|u| Cow::Borrowed(u.as_str()))
        })
        .unwrap_or_else(|| Cow::Owned(fallback_tag_uri(&feed_title(feed, self_url))))
}

/// A `tag:` URI (RFC 4151) for a feed or entry that has neither an id nor a URL:
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

/// A date as feeds carry it: without its fraction of a second (some readers, newsboat
/// among them, misread the offset of an RFC 3339 date with a fraction), and absent when no
/// format can carry it (outside the years 1900–9999, see [`representable`]). A date whose
/// offset has seconds (local mean time, such as Monrovia's -00:44:30 until 1972) is put in
/// UTC: RFC 3339 and RFC 2822 offsets have none, so written as it is it would name another
/// instant.
pub fn date(date: Option<DateTime<FixedOffset>>) -> Option<DateTime<FixedOffset>> {
    let date = date.filter(|d| representable(*d))?;
    let date = match date.offset().local_minus_utc() % 60 {
        0 => date,
        _ => date.to_utc().fixed_offset(),
    };
    Some(date.with_nanosecond(0).unwrap_or(date))
}

/// When the feed last changed: [`Feed::updated`], else the newest entry date (`updated` or
/// `published`), else `None`; each read through [`date`].
pub fn feed_updated(feed: &Feed) -> Option<DateTime<FixedOffset>> {
    date(feed.updated).or_else(|| {
        (feed.entries.iter())
            .flat_map(|e| [date(e.updated), date(e.published)])
            .flatten()
            .max()
    })
}

/// An RFC 3339 date to the second, in the date's own offset: `2020-07-10T09:52:00+08:00`.
pub fn rfc3339(date: DateTime<FixedOffset>) -> String {
    date.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// An RFC 2822 date for RSS: `Fri, 10 Jul 2020 09:52:00 +0800`, in the date's own offset.
/// Offsets that are not whole or half hours (`+0545`) are written in UTC instead, since
/// validators and some readers reject them; the instant is the same. The date must be one
/// that [`date`] lets through.
pub fn rfc2822(date: DateTime<FixedOffset>) -> String {
    if date.offset().local_minus_utc() % 1800 == 0 {
        date.to_rfc2822()
    } else {
        date.to_utc().fixed_offset().to_rfc2822()
    }
}

/// A category worth writing: its term, scheme and label cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term<'a> {
    /// The term, never empty.
    pub term: Cow<'a, str>,
    /// The scheme or domain, when not blank.
    pub scheme: Option<Cow<'a, str>>,
    /// The label, when not blank.
    pub label: Option<Cow<'a, str>>,
}

/// The entry's categories with empty terms dropped and duplicates (same term and scheme)
/// removed, keeping the first of each in the given order. Terms and labels are cleaned.
pub fn unique_categories(categories: &[Category]) -> Vec<Term<'_>> {
    let mut out: Vec<Term<'_>> = Vec::with_capacity(categories.len());
    for category in categories {
        let Some(term) = non_empty(Some(&category.term)) else {
            continue;
        };
        let scheme = non_empty(category.scheme.as_deref());
        if out.iter().any(|c| c.term == term && c.scheme == scheme) {
            continue;
        }
        out.push(Term {
            term,
            scheme,
            label: non_empty(category.label.as_deref()),
        });
    }
    out
}

/// A person worth writing: named, with what else is known of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<'a> {
    /// The name, cleaned and trimmed, never empty.
    pub name: Cow<'a, str>,
    /// The e-mail address, when it looks like one.
    pub email: Option<Cow<'a, str>>,
    /// The home page.
    pub uri: Option<&'a Url>,
}

/// The people with a non-empty name, names cleaned and trimmed, duplicates (same name)
/// removed. Roles have no element in any format and are left out.
pub fn named_people(people: &[Person]) -> Vec<Named<'_>> {
    let mut out: Vec<Named<'_>> = Vec::with_capacity(people.len());
    for person in people {
        let Some(name) = non_empty(Some(&person.name)) else {
            continue;
        };
        if out.iter().any(|p| p.name == name) {
            continue;
        }
        out.push(Named {
            name,
            email: non_empty(person.email.as_deref()).filter(|e| is_plausible_email(e)),
            uri: person.uri.as_ref(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("test date")
    }

    #[test]
    fn rfc2822_keeps_half_hour_offsets_only() {
        assert_eq!(
            rfc2822(at("2020-07-10T09:52:00+08:00")),
            "Fri, 10 Jul 2020 09:52:00 +0800"
        );
        assert_eq!(
            rfc2822(at("2020-07-10T09:52:00+05:30")),
            "Fri, 10 Jul 2020 09:52:00 +0530"
        );
        assert_eq!(
            rfc2822(at("2020-07-10T09:52:00+05:45")),
            "Fri, 10 Jul 2020 04:07:00 +0000"
        );
    }

    #[test]
    fn dates_are_written_to_the_second_and_only_in_range() {
        let fraction = at("2021-01-01T12:30:45.123+05:45");
        assert_eq!(
            date(Some(fraction)).map(rfc3339).as_deref(),
            Some("2021-01-01T12:30:45+05:45")
        );
        for outside in ["0000-01-01T00:00:00Z", "1899-12-31T23:59:59Z"] {
            assert_eq!(date(Some(at(outside))), None, "{outside}");
        }
        // In range in its own offset, but not in UTC.
        assert_eq!(date(Some(at("9999-12-31T23:00:00-05:00"))), None);
        let far = DateTime::from_timestamp(253_402_300_800, 0).map(|d| d.fixed_offset());
        assert_eq!(date(far), None, "year 10000");
    }

    #[test]
    fn feed_updated_skips_dates_no_format_can_carry() {
        let feed = Feed {
            updated: Some(at("0000-01-01T00:00:00Z")),
            entries: vec![
                Entry {
                    published: Some(at("2020-01-01T00:00:00Z")),
                    updated: DateTime::from_timestamp(253_402_300_800, 0).map(|d| d.into()),
                    ..Entry::default()
                },
                Entry {
                    published: Some(at("2021-01-01T00:00:00Z")),
                    ..Entry::default()
                },
            ],
            ..Feed::default()
        };
        assert_eq!(feed_updated(&feed), Some(at("2021-01-01T00:00:00Z")));
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
        let terms: Vec<_> = (unique_categories(&cats).into_iter())
            .map(|c| (c.term.into_owned(), c.scheme.map(Cow::into_owned)))
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
        entry.link = Url::parse("https://example.com/a").ok();
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
        let id = |feed: &Feed| feed_id(feed, feed.feed_url.as_ref()).into_owned();
        assert_eq!(id(&feed), "tag:feedloom.invalid,2000:T");
        feed.home_page_url = Url::parse("https://example.com/").ok();
        assert_eq!(id(&feed), "https://example.com/");
        feed.feed_url = Url::parse("https://example.com/feed.atom").ok();
        assert_eq!(id(&feed), "https://example.com/feed.atom");
        feed.id = Some("tag:example.com,2020:feed".into());
        assert_eq!(id(&feed), "tag:example.com,2020:feed");
    }
}
