//! Properties of the emitters, over any feed: every document written is well-formed (XML that
//! quick-xml reads to the end with nothing XML forbids in it; JSON that serde_json parses),
//! and reads back field for field with independent readers (the `rss` and
//! `atom_syndication` crates, `serde_json`): ids, titles, links, dates to the second, authors
//! and categories, after the emitters' documented cleaning (XML-illegal characters stripped,
//! blank values left out, fallbacks for empty titles and ids, dates no format can carry left
//! out).

use chrono::{DateTime, FixedOffset};
use feedloom::dates::representable;
use feedloom::emit::values::{
    entry_id, entry_title, feed_id, feed_title, named_people, unique_categories,
};
use feedloom::emit::{self, Format, text::non_empty};
use feedloom::model::{Category, Enclosure, Entry, Feed, Origin, Person};
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use proptest::sample::select;
use url::Url;

/// Pieces that text from outside may hold: any Unicode, markup that must stay text, and the
/// characters that XML forbids or readers trip on.
/// Characters that XML forbids, that readers trip on, or that markup gives a meaning to.
const SPECIALS: &[char] = &[
    '\0',
    '\u{1}',
    '\u{8}',
    '\t',
    '\n',
    '\u{b}',
    '\u{c}',
    '\r',
    '\u{1f}',
    ' ',
    '\u{7f}',
    '\u{80}',
    '\u{85}',
    '\u{9f}',
    '\u{a0}',
    '\u{2028}',
    '\u{feff}',
    '\u{fffd}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{10ffff}',
    '&',
    '<',
    '>',
    '"',
    '\'',
    '%',
    '中',
];

/// Markup that must stay text.
const MARKUP: &[&str] = &[
    "]]>",
    "</channel>",
    "</item></channel></rss>",
    "<![CDATA[",
    "&amp;",
    "&lt;b&gt;",
    "&#x1;",
    "&nbsp;",
    "<b>x</b>",
    "<!--",
    "\r\n",
    "  ",
];

/// Pieces that text from outside may hold: any Unicode, markup that must stay text, and the
/// characters that XML forbids or readers trip on.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => select(SPECIALS).prop_map(String::from),
        2 => select(MARKUP).prop_map(String::from),
        2 => "[a-zA-Z0-9 铜价上涨]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    vec(fragment(), 0..5).prop_map(|parts| parts.concat())
}

/// Any instant chrono can hold, weighted towards the years the formats carry and their
/// edges, in any offset (whole hours, odd minutes, and seconds).
fn date() -> impl Strategy<Value = DateTime<FixedOffset>> {
    let min = DateTime::<chrono::Utc>::MIN_UTC.timestamp();
    let max = DateTime::<chrono::Utc>::MAX_UTC.timestamp();
    let year_1900 = -2_208_988_800_i64;
    let year_10000 = 253_402_300_800_i64;
    let day = 86_400_i64;
    let seconds = prop_oneof![
        4 => year_1900..year_10000,
        1 => min..=max,
        1 => (year_1900 - 2 * day)..(year_1900 + 2 * day),
        1 => (year_10000 - 2 * day)..(year_10000 + 2 * day),
    ];
    let offset = prop_oneof![
        3 => (-14..=14_i32).prop_map(|h| h * 3600),
        2 => (-1439..=1439_i32).prop_map(|m| m * 60),
        1 => -86_399..=86_399_i32,
    ];
    (seconds, 0..1_000_000_000_u32, offset).prop_filter_map(
        "an instant chrono holds",
        |(s, nanos, offset)| {
            let offset = FixedOffset::east_opt(offset)?;
            let utc = DateTime::from_timestamp(s, nanos)?;
            Some(utc.with_timezone(&offset))
        },
    )
}

/// Bases of URLs: web pages, non-ASCII hosts and paths, queries, and schemes that are no
/// web address.
const URL_BASES: &[&str] = &[
    "https://example.com/",
    "http://例子.测试/新闻/",
    "https://example.com/a?b=1&c=",
    "ftp://files.example/",
    "mailto:",
    "tag:example.com,2020:",
    "urn:uuid:",
    "file:///tmp/",
    "data:text/plain,",
];

fn url() -> impl Strategy<Value = Url> {
    (select(URL_BASES), text()).prop_filter_map("a URL", |(base, rest)| {
        Url::parse(&format!("{base}{rest}")).ok()
    })
}

fn person() -> impl Strategy<Value = Person> {
    let email = prop_oneof![text(), Just("a@example.com".to_string())];
    (text(), of(email), of(url()), of(text())).prop_map(|(name, email, uri, role)| Person {
        name,
        email,
        uri,
        role,
    })
}

fn category() -> impl Strategy<Value = Category> {
    (text(), of(text()), of(text())).prop_map(|(term, scheme, label)| Category {
        term,
        scheme,
        label,
    })
}

fn enclosure() -> impl Strategy<Value = Enclosure> {
    (url(), text(), of(any::<u64>())).prop_map(|(url, mime_type, length)| Enclosure {
        url,
        mime_type,
        length,
    })
}

fn origin() -> impl Strategy<Value = Origin> {
    (text(), of(url()), of(url())).prop_map(|(title, feed_url, home_page_url)| Origin {
        title,
        feed_url,
        home_page_url,
    })
}

fn entry() -> impl Strategy<Value = Entry> {
    let id = prop_oneof![text(), url().prop_map(String::from)];
    let texts = (id, text(), of(text()), of(text()), of(text()));
    let links_dates = (of(url()), of(date()), of(date()));
    let lists = (
        vec(person(), 0..3),
        vec(person(), 0..2),
        vec(category(), 0..4),
        vec(enclosure(), 0..2),
        of(origin()),
    );
    (texts, links_dates, lists).prop_map(
        |(
            (id, title, summary, content_html, language),
            (link, published, updated),
            (authors, contributors, categories, enclosures, origin),
        )| Entry {
            id,
            title,
            link,
            published,
            updated,
            summary,
            content_html,
            authors,
            contributors,
            categories,
            enclosures,
            language,
            origin,
        },
    )
}

fn feed() -> impl Strategy<Value = (Feed, Option<Url>)> {
    let head = (
        text(),
        of(url()),
        of(url()),
        of(text()),
        of(text()),
        of(text()),
    );
    let rest = (
        vec(person(), 0..2),
        of(date()),
        vec(entry(), 0..4),
        of(url()),
    );
    (head, rest).prop_map(
        |(
            (title, home_page_url, feed_url, description, language, id),
            (authors, updated, entries, self_url),
        )| {
            let feed = Feed {
                title,
                home_page_url,
                feed_url,
                description,
                language,
                id,
                authors,
                updated,
                entries,
                ..Feed::default()
            };
            (feed, self_url)
        },
    )
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// Reads `xml` to the end with quick-xml, end tags checked against start tags.
fn check_well_formed(xml: &[u8]) -> Result<(), TestCaseError> {
    let text = std::str::from_utf8(xml).map_err(|e| TestCaseError::fail(e.to_string()))?;
    if let Some(bad) = text.chars().find(|&c| !xml_char(c)) {
        return Err(TestCaseError::fail(format!("{bad:?} in the XML")));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0_i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let predefined = matches!(
                    &*r.borrow().into_inner(),
                    "amp" | "lt" | "gt" | "quot" | "apos"
                );
                let char_ref = r.resolve_char_ref();
                let legal = char_ref.as_ref().is_ok_and(|c| c.is_some_and(xml_char));
                prop_assert!(predefined || legal, "reference {:?}", r);
            }
            Ok(_) => {}
            Err(e) => {
                let at = reader.error_position();
                return Err(TestCaseError::fail(format!("not well-formed at {at}: {e}")));
            }
        }
    }
    prop_assert_eq!(depth, 0, "unclosed elements");
    Ok(())
}

fn rep(date: Option<DateTime<FixedOffset>>) -> Option<DateTime<FixedOffset>> {
    date.filter(|d| representable(*d))
}

/// The instant to the second, for comparing dates read back.
fn second(date: Option<DateTime<FixedOffset>>) -> Option<i64> {
    date.map(|d| d.timestamp())
}

fn names(people: &[Person]) -> Vec<String> {
    named_people(people)
        .into_iter()
        .map(|p| p.name.into_owned())
        .collect()
}

fn terms(entry: &Entry) -> Vec<String> {
    unique_categories(&entry.categories)
        .into_iter()
        .map(|c| c.term.into_owned())
        .collect()
}

fn check_rss(feed: &Feed, self_url: Option<&Url>, xml: &[u8]) -> Result<(), TestCaseError> {
    check_well_formed(xml)?;
    let channel = rss::Channel::read_from(xml).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(channel.title(), feed_title(feed, self_url));
    prop_assert_eq!(channel.items().len(), feed.entries.len());
    for (item, entry) in channel.items().iter().zip(&feed.entries) {
        let (id, title) = (entry_id(entry), entry_title(entry));
        prop_assert_eq!(item.guid().map(|g| g.value()), Some(&*id));
        prop_assert_eq!(item.title(), Some(&*title));
        prop_assert_eq!(item.link(), entry.link.as_ref().map(Url::as_str));
        let date = item
            .pub_date()
            .map(DateTime::parse_from_rfc2822)
            .transpose();
        let date = date.map_err(|e| TestCaseError::fail(format!("pubDate: {e}")))?;
        prop_assert_eq!(
            second(date),
            second(rep(entry.published).or(rep(entry.updated)))
        );
        let creators = item.dublin_core_ext().map(|dc| dc.creators().to_vec());
        prop_assert_eq!(creators.unwrap_or_default(), names(&entry.authors));
        let categories: Vec<_> = item.categories().iter().map(|c| c.name.clone()).collect();
        prop_assert_eq!(categories, terms(entry));
    }
    Ok(())
}

/// The text of an Atom text construct, unescaped when it was written as HTML.
fn atom_text(t: &atom_syndication::Text) -> String {
    match t.r#type {
        atom_syndication::TextType::Html => t
            .value
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
        _ => t.value.clone(),
    }
}

fn check_atom(feed: &Feed, self_url: Option<&Url>, xml: &[u8]) -> Result<(), TestCaseError> {
    check_well_formed(xml)?;
    let read =
        atom_syndication::Feed::read_from(xml).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(read.id(), feed_id(feed, self_url));
    prop_assert_eq!(atom_text(read.title()), feed_title(feed, self_url));
    prop_assert!(
        representable(*read.updated()),
        "feed updated {}",
        read.updated()
    );
    prop_assert_eq!(read.entries().len(), feed.entries.len());
    for (e, entry) in read.entries().iter().zip(&feed.entries) {
        prop_assert_eq!(e.id(), entry_id(entry));
        prop_assert_eq!(atom_text(e.title()), entry_title(entry));
        let alternate = e.links().iter().find(|l| l.rel() == "alternate");
        prop_assert_eq!(
            alternate.map(|l| l.href()),
            entry.link.as_ref().map(Url::as_str)
        );
        prop_assert_eq!(second(e.published().copied()), second(rep(entry.published)));
        prop_assert!(representable(*e.updated()), "entry updated {}", e.updated());
        // Entries sharing a second are moved apart, one second at a time, never later.
        let wanted = rep(entry.updated).or(rep(entry.published));
        let shared = (feed.entries.iter())
            .filter(|o| second(rep(o.updated).or(rep(o.published))) == second(wanted))
            .count();
        match wanted {
            Some(d) if shared == 1 => prop_assert_eq!(e.updated().timestamp(), d.timestamp()),
            Some(d) => prop_assert!(e.updated().timestamp() <= d.timestamp()),
            None => {}
        }
        let authors: Vec<_> = e.authors().iter().map(|p| p.name.clone()).collect();
        prop_assert_eq!(authors, names(&entry.authors));
        let categories: Vec<_> = e.categories().iter().map(|c| c.term.clone()).collect();
        prop_assert_eq!(categories, terms(entry));
    }
    Ok(())
}

fn json_date(item: &serde_json::Value, key: &str) -> Result<Option<i64>, TestCaseError> {
    let Some(text) = item.get(key) else {
        return Ok(None);
    };
    let text = text
        .as_str()
        .ok_or_else(|| TestCaseError::fail(format!("{key}: no string")))?;
    let date = DateTime::parse_from_rfc3339(text)
        .map_err(|e| TestCaseError::fail(format!("{key} {text:?}: {e}")))?;
    Ok(Some(date.timestamp()))
}

fn strings(value: Option<&serde_json::Value>, key: Option<&str>) -> Vec<String> {
    let list = value
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|v| match key {
            Some(k) => v.get(k)?.as_str().map(str::to_string),
            None => v.as_str().map(str::to_string),
        })
        .collect()
}

fn check_json(feed: &Feed, self_url: Option<&Url>, bytes: &[u8]) -> Result<(), TestCaseError> {
    let doc: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let title = feed_title(feed, self_url);
    prop_assert_eq!(doc["title"].as_str(), Some(&*title));
    let items = doc["items"].as_array().cloned().unwrap_or_default();
    prop_assert_eq!(items.len(), feed.entries.len());
    for (item, entry) in items.iter().zip(&feed.entries) {
        let id = entry_id(entry);
        prop_assert_eq!(item["id"].as_str(), Some(&*id));
        let title = non_empty(Some(&entry.title));
        prop_assert_eq!(item.get("title").and_then(|t| t.as_str()), title.as_deref());
        let link = entry.link.as_ref().map(Url::as_str);
        prop_assert_eq!(item.get("url").and_then(|u| u.as_str()), link);
        prop_assert_eq!(
            json_date(item, "date_published")?,
            second(rep(entry.published))
        );
        prop_assert_eq!(
            json_date(item, "date_modified")?,
            second(rep(entry.updated))
        );
        prop_assert_eq!(
            strings(item.get("authors"), Some("name")),
            names(&entry.authors)
        );
        let mut tags = terms(entry);
        let mut seen = std::collections::HashSet::new();
        tags.retain(|t| seen.insert(t.clone()));
        prop_assert_eq!(strings(item.get("tags"), None), tags);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_feed_is_well_formed_and_reads_back((feed, self_url) in feed()) {
        let self_url = self_url.as_ref();
        check_rss(&feed, self_url, &emit::write_at(&feed, Format::Rss, self_url)?)?;
        check_atom(&feed, self_url, &emit::write_at(&feed, Format::Atom, self_url)?)?;
        check_json(&feed, self_url, &emit::write_at(&feed, Format::Json, self_url)?)?;
        let own = feed.feed_url.as_ref();
        check_rss(&feed, own, &emit::write(&feed, Format::Rss)?)?;
    }
}

/// The failures the property found, each kept as a plain test.
mod found {
    use super::*;

    fn one_entry(entry: Entry) -> Feed {
        Feed {
            title: "T".into(),
            entries: vec![entry],
            ..Feed::default()
        }
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("test date")
    }

    #[test]
    fn a_feed_dated_in_the_year_10000_is_written_undated() {
        let feed = Feed {
            updated: DateTime::from_timestamp(253_402_300_800, 0).map(|d| d.fixed_offset()),
            ..one_entry(Entry {
                id: "urn:x".into(),
                published: DateTime::from_timestamp(-62_167_219_200, 0).map(|d| d.fixed_offset()),
                ..Entry::default()
            })
        };
        for format in Format::ALL {
            let written = emit::write(&feed, format).expect("written");
            let text = String::from_utf8(written).expect("UTF-8");
            assert!(
                !text.contains("10000") && !text.contains("0000-01-01"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_date_whose_offset_has_seconds_keeps_its_instant() {
        // Monrovia kept local mean time, -00:44:30, until 1972.
        let date = at("1970-06-01T12:00:00Z")
            .with_timezone(&FixedOffset::west_opt(44 * 60 + 30).expect("offset"));
        let feed = one_entry(Entry {
            id: "urn:x".into(),
            published: Some(date),
            ..Entry::default()
        });
        let json = emit::write(&feed, Format::Json).expect("written");
        let doc: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
        let published = doc["items"][0]["date_published"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(published, "1970-06-01T12:00:00+00:00");
        let atom = emit::write(&feed, Format::Atom).expect("written");
        let read = atom_syndication::Feed::read_from(atom.as_slice()).expect("Atom");
        let read = read.entries()[0].published().copied();
        assert_eq!(read.map(|d| d.timestamp()), Some(date.timestamp()));
    }

    #[test]
    fn a_category_with_a_tab_reads_back_as_it_was() {
        let feed = one_entry(Entry {
            id: "urn:x".into(),
            categories: vec![Category::term("铜\t价\n格")],
            ..Entry::default()
        });
        let atom = emit::write(&feed, Format::Atom).expect("written");
        let read = atom_syndication::Feed::read_from(atom.as_slice()).expect("Atom");
        assert_eq!(read.entries()[0].categories()[0].term(), "铜\t价\n格");
        let rss = emit::write(&feed, Format::Rss).expect("written");
        let channel = rss::Channel::read_from(rss.as_slice()).expect("RSS");
        assert_eq!(channel.items()[0].categories()[0].name(), "铜\t价\n格");
    }
}
