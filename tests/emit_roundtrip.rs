//! The emitters, tested by writing each format and reading it back with independent parsers:
//! `feed-rs` for all three formats here, and per format the `rss` crate (`emit_rss.rs`),
//! `atom_syndication` (`emit_atom.rs`) and `serde_json` (`emit_json.rs`).
//!
//! `cargo test --test emit_roundtrip -- --ignored` also writes the sample feeds to
//! `$FEEDLOOM_SAMPLE_DIR` (default: a folder under the system temp dir) for checking by hand
//! with external validators and readers.

mod emit_common;

use chrono::{DateTime, FixedOffset};
use emit_common::*;
use feedloom::emit::{self, Format};
use feedloom::model::{Category, Entry, Feed};

#[test]
fn every_format_is_deterministic() {
    for format in Format::ALL {
        let feed = rich_feed(format);
        assert_eq!(
            write(&feed, format),
            write(&feed.clone(), format),
            "{format}"
        );
        assert!(write(&feed, format).ends_with(b"\n"), "{format}");
    }
}

#[test]
fn feed_rs_reads_ids_titles_links_and_order() {
    for format in Format::ALL {
        let parsed = read_feed_rs(&rich_feed(format), format);
        let ids: Vec<_> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [FIRST_LINK, SECOND_ID, THIRD_ID, MERGED_LINK],
            "{format}"
        );
        let titles: Vec<_> = parsed
            .entries
            .iter()
            .map(|e| e.title.as_ref().map(|t| t.content.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                Some("中国有色网 · 铜价走势"),
                Some("政策解读"),
                Some("没有日期"),
                Some("Copper rallies")
            ],
            "{format}"
        );
        let title = parsed.title.as_ref().map(|t| t.content.as_str());
        assert_eq!(title, Some("中国有色网 · 学习进行时"), "{format}");
        // feed-rs lists the page link first; JSON attachments follow without a rel.
        let first_link = parsed.entries[0].links.first().map(|l| l.href.as_str());
        assert_eq!(first_link, Some(FIRST_LINK), "{format}");
        assert!(
            parsed.entries[1]
                .links
                .iter()
                .all(|l| l.rel.as_deref() == Some("enclosure")),
            "{format}: an entry without a link got one"
        );
    }
}

#[test]
fn feed_rs_reads_the_exact_instants() {
    let published = at("2020-07-10T09:52:00+08:00");
    for format in Format::ALL {
        let parsed = read_feed_rs(&rich_feed(format), format);
        assert_eq!(
            parsed.entries[0].published,
            Some(published.to_utc()),
            "{format}"
        );
        assert_eq!(
            parsed.entries[3].published,
            Some(at("2020-07-08T07:15:30-05:00").to_utc()),
            "{format}"
        );
        assert_eq!(
            parsed.entries[2].published, None,
            "{format}: invented a date"
        );
    }
    let atom = read_feed_rs(&rich_feed(Format::Atom), Format::Atom);
    assert_eq!(atom.updated, Some(at("2020-07-11T08:00:00+08:00").to_utc()));
}

#[test]
fn feed_rs_reads_authors_categories_and_content() {
    for format in Format::ALL {
        let parsed = read_feed_rs(&rich_feed(format), format);
        let first = &parsed.entries[0];
        let authors: Vec<_> = first
            .authors
            .iter()
            .filter_map(|a| a.name.as_deref())
            .collect();
        assert_eq!(authors, ["张三", "赵六"], "{format}");
        let terms: Vec<_> = first.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["学习进行时", "铜", "金属"], "{format}");
        let body = first.content.as_ref().and_then(|c| c.body.as_deref());
        assert_eq!(body, Some(TRICKY_HTML_CLEAN), "{format}");
    }
}

#[test]
fn feed_rs_reads_descriptions_languages_and_summaries() {
    for format in Format::ALL {
        let parsed = read_feed_rs(&rich_feed(format), format);
        let description = parsed.description.as_ref().map(|t| t.content.as_str());
        assert_eq!(
            description,
            Some("Articles converted from samples/"),
            "{format}"
        );
        let language = parsed.language.as_deref().map(str::to_ascii_lowercase);
        assert_eq!(language.as_deref(), Some("zh-cn"), "{format}");
        let summaries: Vec<_> = (parsed.entries.iter())
            .map(|e| e.summary.as_ref().map(|t| t.content.as_str()))
            .collect();
        let expected = match format {
            // RSS descriptions are HTML: the summary escaped, else the content.
            Format::Rss => [
                Some("铜价上涨 a &lt; b &amp; c &gt; d"),
                Some("<p>没有链接的文章。</p>"),
                Some("只有摘要。"),
                Some("<p>From elsewhere.</p>"),
            ],
            Format::Atom | Format::Json => [
                Some("铜价上涨 a < b & c > d"),
                None,
                Some("只有摘要。"),
                None,
            ],
        };
        assert_eq!(summaries, expected, "{format}");
    }
    // Atom gives every entry an updated date, distinct from the others'.
    let atom = read_feed_rs(&rich_feed(Format::Atom), Format::Atom);
    let updated: Vec<_> = atom.entries.iter().map(|e| e.updated).collect();
    let expected = [
        "2020-07-11T08:00:00+08:00",
        "2020-07-09T18:30:00+08:00",
        "2020-07-11T07:59:59+08:00",
        "2020-07-08T07:15:30-05:00",
    ]
    .map(|d| Some(at(d).to_utc()));
    assert_eq!(updated, expected);
}

#[test]
fn xml_illegal_characters_are_stripped_everywhere() {
    let mut feed = rich_feed(Format::Rss);
    feed.title = "标题\u{1}\u{fffe}".into();
    feed.description = Some("描述\u{1f}".into());
    feed.entries[0].authors[0].name = "张\u{0}三".into();
    for format in Format::ALL {
        let output = write(&feed, format);
        let output = text(&output);
        for bad in [
            '\u{0}', '\u{1}', '\u{7}', '\u{b}', '\u{1b}', '\u{1f}', '\u{fffe}',
        ] {
            assert!(!output.contains(bad), "{format}: {bad:?} left in");
        }
        let parsed = read_feed_rs(&feed, format);
        assert_eq!(parsed.title.map(|t| t.content).as_deref(), Some("标题"));
        assert_eq!(parsed.entries[0].authors[0].name.as_deref(), Some("张三"));
    }
}

#[test]
fn empty_optional_values_are_left_out() {
    let feed = Feed {
        title: "t".into(),
        description: Some("  ".into()),
        language: Some(String::new()),
        entries: vec![Entry {
            id: "tag:example.com,2020:e".into(),
            title: "e".into(),
            summary: Some(String::new()),
            content_html: Some(" ".into()),
            categories: vec![Category::term("")],
            ..Entry::default()
        }],
        ..Feed::default()
    };
    let rss = String::from_utf8(write(&feed, Format::Rss)).expect("UTF-8");
    for absent in ["<language", "<category", "<content:encoded", "<pubDate"] {
        assert!(!rss.contains(absent), "{absent} in {rss}");
    }
    assert!(rss.contains("<description>t</description>"), "{rss}");
    let atom = String::from_utf8(write(&feed, Format::Atom)).expect("UTF-8");
    for absent in ["<subtitle", "<category", "<summary", "xml:lang"] {
        assert!(!atom.contains(absent), "{absent} in {atom}");
    }
    let json = read_json(&feed);
    assert!(json.get("description").is_none());
    assert!(json["items"][0].get("tags").is_none());
    assert_eq!(json["items"][0]["content_text"], "e");
}

/// A feed whose dates no format can carry (the years 0 and 10000) beside one it can.
fn out_of_range_feed() -> Feed {
    let year_0 = at("0000-01-01T00:00:00Z");
    let year_10000: DateTime<FixedOffset> = DateTime::from_timestamp(253_402_300_800, 0)
        .expect("10000-01-01")
        .into();
    Feed {
        title: "Dates".into(),
        updated: Some(year_10000),
        entries: vec![
            Entry {
                id: "tag:example.com,2000:a".into(),
                title: "A".into(),
                published: Some(year_0),
                updated: Some(year_10000),
                ..Entry::default()
            },
            Entry {
                id: "tag:example.com,2000:b".into(),
                title: "B".into(),
                published: Some(year_10000),
                updated: Some(at("2020-01-01T00:00:00Z")),
                ..Entry::default()
            },
        ],
        ..Feed::default()
    }
}

/// Every writer treats a date outside the years 1900-9999 as absent, and never panics.
#[test]
fn dates_no_format_can_carry_are_left_out() {
    let feed = out_of_range_feed();
    let channel = read_rss(&feed);
    let newest = "Wed, 1 Jan 2020 00:00:00 +0000";
    assert_eq!(channel.last_build_date.as_deref(), Some(newest));
    assert_eq!(channel.items[0].pub_date, None);
    assert_eq!(channel.items[1].pub_date.as_deref(), Some(newest));

    let atom = read_atom(&feed);
    assert_eq!(atom.updated, at("2020-01-01T00:00:00Z"));
    assert_eq!(atom.entries[0].published, None);
    // Undated, so given the feed's date, one second earlier than the entry that has it.
    assert_eq!(atom.entries[0].updated, at("2019-12-31T23:59:59Z"));
    assert_eq!(atom.entries[1].published, None);
    assert_eq!(atom.entries[1].updated, at("2020-01-01T00:00:00Z"));

    let json = read_json(&feed);
    let items = &json["items"];
    assert!(items[0].get("date_published").is_none());
    assert!(items[0].get("date_modified").is_none());
    assert!(items[1].get("date_published").is_none());
    assert_eq!(items[1]["date_modified"], "2020-01-01T00:00:00+00:00");

    for format in Format::ALL {
        let parsed = read_feed_rs(&feed, format);
        assert_eq!(parsed.entries.len(), 2, "{format}");
        assert_eq!(parsed.entries[0].published, None, "{format}");
    }
}

/// One feed written in several formats, each with its own self URL.
#[test]
fn each_output_gets_its_own_self_url() {
    let feed = rich_feed(Format::Rss);
    for format in Format::ALL {
        let own = url(&format!(
            "https://cdn.example.net/all.{}",
            format.extension()
        ));
        let bytes = emit::write_at(&feed, format, Some(&own)).expect("write_at");
        let mut streamed = Vec::new();
        emit::write_to(&feed, format, Some(&own), &mut streamed).expect("write_to");
        assert_eq!(streamed, bytes, "{format}");
        match format {
            Format::Rss => {
                let channel = rss::Channel::read_from(&bytes[..]).expect("rss reads it");
                let link = &channel.extensions["atom"]["link"][0];
                assert_eq!(link.attrs["href"], own.as_str());
            }
            Format::Atom => {
                let parsed = feed_rs::parser::parse(&bytes[..]).expect("feed-rs reads it");
                let links: Vec<_> = (parsed.links.iter())
                    .filter(|l| l.rel.as_deref() == Some("self"))
                    .map(|l| l.href.as_str())
                    .collect();
                assert_eq!(links, [own.as_str()]);
                assert_eq!(parsed.id, own.as_str(), "the feed id is its URL");
            }
            Format::Json => {
                let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
                assert_eq!(value["feed_url"], own.as_str());
            }
        }
        let other = feed_url(Format::Rss);
        assert!(
            !text(&bytes).contains(other.as_str()),
            "{format} names {other}"
        );
    }
}

/// Every sample feed, in every format, passes the W3C Feed Validation Service's rules
/// (feedloom's native port of them). A feed written without any URL may only lack what
/// needs one: its self link, its RSS channel link, JSON Feed's recommended URLs.
#[test]
fn every_sample_feed_passes_the_feed_rules() {
    for format in Format::ALL {
        let mut dated = rich_feed(format);
        dated.entries.retain(|e| e.sort_date().is_some());
        let samples = [
            ("rich", rich_feed(format)),
            ("dated", dated),
            ("empty", empty_feed(format)),
            ("edge", edge_feed(format)),
            ("many", many_feed(format)),
            ("bare", bare_feed()),
        ];
        for (name, feed) in samples {
            let bytes = write(&feed, format);
            let report = feedloom::pipeline::validate::validate_bytes(&bytes, None);
            let problems: Vec<String> = (report.problems.iter())
                .filter(|p| {
                    let needs_a_url = ["MissingSelf", "MissingAtomSelfLink", "MissingLink"];
                    let unknown = feed.feed_url.is_none() && feed.home_page_url.is_none();
                    !(unknown
                        && (needs_a_url.contains(&p.class) || p.class == "JsonFeedRecommended"))
                })
                .map(|p| format!("{}:{}: {} [{}]", p.line, p.column, p.message, p.class))
                .collect();
            assert!(
                problems.is_empty(),
                "{name}.{format}:\n{}\n{}",
                problems.join("\n"),
                text(&bytes)
            );
        }
    }
}
