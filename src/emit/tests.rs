//! The join held to the plain way of writing a document: head, every entry in order, tail,
//! one after the other into one buffer.

use super::*;
use crate::model::{Category, Origin, Person};

/// Head, entries and tail written in order, without batches or threads.
fn one_by_one(emitter: &impl Emitter, entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    emitter.head(&mut out).expect("head");
    for (i, entry) in entries.iter().enumerate() {
        emitter.entry(i, entry, &mut out).expect("entry");
    }
    emitter.tail(&mut out).expect("tail");
    out
}

fn in_order(feed: &Feed, format: Format) -> Vec<u8> {
    let url = feed.feed_url.as_ref();
    match format {
        Format::Rss => one_by_one(&rss::Rss::new(feed, url), &feed.entries),
        Format::Atom => one_by_one(&atom::Atom::new(feed, url), &feed.entries),
        Format::Json => one_by_one(&json::Json::new(feed, url), &feed.entries),
    }
}

fn date(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    Some(chrono::DateTime::parse_from_rfc3339(s).expect("test date"))
}

/// Entries whose texts hold what a join by searching would trip on: the closing tags and
/// keys around entries, CDATA terminators, quotes and control characters.
fn tricky_feed() -> Feed {
    let url = |s: &str| Url::parse(s).ok();
    let entries = vec![
        Entry {
            id: "https://example.com/a".into(),
            link: url("https://example.com/a"),
            title: "A <b>bold</b> \"title\" & \"items\": [ </channel>\u{1}".into(),
            published: date("2021-03-05T00:00:00+08:00"),
            summary: Some("Summary\n  </channel>\n</feed>\n  ]\u{7}".into()),
            content_html: Some("<p>x</p>\n  </channel>\n    <item>\n  <entry>\n</feed>]]>".into()),
            authors: vec![Person::named("张三"), Person::named("李四")],
            categories: vec![Category::term("铜"), Category::term("]]> \"items\": [")],
            ..Entry::default()
        },
        Entry {
            id: "tag:example.com,2000:b".into(),
            title: "B ]]> <item> 'q'".into(),
            published: date("2021-03-05T00:00:00+08:00"),
            origin: Some(Origin {
                title: "Elsewhere </channel>".into(),
                feed_url: url("https://elsewhere.example/feed.xml?a=1&b=2"),
                home_page_url: None,
            }),
            ..Entry::default()
        },
        Entry {
            id: "tag:example.com,2000:c".into(),
            ..Entry::default()
        },
        Entry {
            id: "https://example.com/d".into(),
            link: url("https://example.com/d"),
            title: "D\r\n\"items\": [".into(),
            updated: date("2020-01-01T00:00:00Z"),
            content_html: Some("<p>&amp; ]]&gt; \"done\"</p>\u{0}".into()),
            ..Entry::default()
        },
    ];
    Feed {
        title: "Feed & <co> </channel>".into(),
        home_page_url: url("https://example.com/"),
        feed_url: url("https://example.com/feed.xml"),
        description: Some("About \"items\": [ things ]]>".into()),
        language: Some("zh-CN".into()),
        entries,
        ..Feed::default()
    }
}

#[test]
fn the_parallel_join_gives_the_bytes_of_entries_written_in_order() {
    let feed = tricky_feed();
    for n in 0..=feed.entries.len() {
        let mut some = feed.clone();
        some.entries.truncate(n);
        for format in Format::ALL {
            let joined = write(&some, format).expect("write");
            assert_eq!(
                String::from_utf8_lossy(&joined),
                String::from_utf8_lossy(&in_order(&some, format)),
                "{format} with {n} entries"
            );
            let mut streamed = Vec::new();
            write_to(&some, format, some.feed_url.as_ref(), &mut streamed).expect("write_to");
            assert_eq!(streamed, joined, "{format} with {n} entries, streamed");
        }
    }
}

#[test]
fn batches_join_like_one() {
    let one = tricky_feed().entries;
    let feed = Feed {
        entries: (0..2 * BATCH + 3)
            .map(|i| Entry {
                id: format!("tag:example.com,2000:{i}"),
                ..one[i % one.len()].clone()
            })
            .collect(),
        ..tricky_feed()
    };
    for format in Format::ALL {
        let joined = write(&feed, format).expect("write");
        assert!(joined == in_order(&feed, format), "{format}");
    }
}

#[test]
fn every_document_parses() {
    let feed = tricky_feed();
    let json: serde_json::Value =
        serde_json::from_slice(&write(&feed, Format::Json).expect("write")).expect("JSON");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(4));
    for format in [Format::Rss, Format::Atom] {
        let xml = write(&feed, format).expect("write");
        let mut reader = quick_xml::Reader::from_reader(&xml[..]);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => buf.clear(),
                Err(e) => panic!("{format}: {e}"),
            }
        }
    }
}

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
fn an_output_that_refuses_bytes_is_an_io_error() {
    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    for format in Format::ALL {
        let err = write_to(&tricky_feed(), format, None, &mut Full);
        assert!(matches!(err, Err(EmitError::Io(_))), "{format}: {err:?}");
    }
}
