//! The external feed reader on fixture feeds of each format, era, encoding and breakage
//! (tests/fixtures/merge/, each named after what it shows).

use std::path::Path;
use std::time::{Duration, Instant};

use feedloom::merge::{ParseError, ParsedFeed, parse_feed};
use url::Url;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/merge")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str) -> ParsedFeed {
    read_with(name, None)
}

fn read_with(name: &str, content_type: Option<&str>) -> ParsedFeed {
    let url = Url::parse(&format!("http://feeds.example.net/{name}")).unwrap();
    parse_feed(&fixture(name), content_type, &url).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_format_era_and_encoding_reads() {
    // (fixture, feed title, first entry title, first entry link, entries)
    let table = [
        (
            "rss2-podcast.xml",
            "Example Podcast",
            "Episode 2: Copper",
            "http://feeds.example.net/episodes/2",
            2,
        ),
        (
            "rss-no-version.xml",
            "No version",
            "Item A",
            "http://nv.example.com/a",
            1,
        ),
        (
            "rss094-version.xml",
            "v0.94",
            "Item A",
            "http://v094.example.com/a",
            1,
        ),
        (
            "rss201-version.xml",
            "v2.01",
            "Item A",
            "http://v201.example.com/a",
            1,
        ),
        (
            "rss-missing-channel.xml",
            "No channel",
            "Item A",
            "http://nc.example.com/a",
            1,
        ),
        (
            "rss091-netscape-doctype.xml",
            "Café news",
            "Café & crème",
            "http://cafe.example.com/1",
            1,
        ),
        (
            "rss10-rdf.xml",
            "RDF site",
            "With link",
            "http://rdf.example.com/1",
            2,
        ),
        (
            "rss090.xml",
            "RSS 0.90",
            "Old item",
            "http://r090.example.com/1",
            1,
        ),
        (
            "atom10-xml-base.xml",
            "Base test",
            "Relative",
            "http://base.example.com/blog/posts/one.html",
            1,
        ),
        (
            "atom03-escaped-title.xml",
            "Old Atom",
            "Entry one",
            "http://a03.example.com/1",
            1,
        ),
        (
            "atom-unknown-content-type.xml",
            "Odd types",
            "Good",
            "http://odd.example.com/1",
            2,
        ),
        (
            "jsonfeed10.json",
            "JSON 1.0",
            "Numeric id",
            "http://feeds.example.net/posts/1",
            1,
        ),
        (
            "jsonfeed11.json",
            "JSON 1.1",
            "One",
            "https://json11.example.com/1",
            2,
        ),
        (
            "gbk-declared.xml",
            "中国有色网",
            "铜价上涨 中国有色网",
            "http://zh.example.cn/1",
            1,
        ),
        (
            "gbk-undeclared.xml",
            "中国有色网",
            "铜价上涨 中国有色网",
            "http://zh.example.cn/1",
            1,
        ),
        (
            "gb18030-declared.xml",
            "中国有色网",
            "铜价𠀀上涨 中国有色网",
            "http://zh.example.cn/1",
            1,
        ),
        (
            "big5-declared.xml",
            "中國有色網",
            "銅價上漲",
            "http://tw.example.com/1",
            1,
        ),
        (
            "shift_jis-declared.xml",
            "日本のニュース",
            "銅の価格",
            "http://jp.example.com/1",
            1,
        ),
        (
            "utf16be-declared.xml",
            "UTF-16 ünïcode",
            "Élan",
            "http://u16.example.com/1",
            1,
        ),
        (
            "utf16le-bom.xml",
            "UTF-16 LE",
            "Élan",
            "http://u16le.example.com/1",
            1,
        ),
        (
            "stray-ampersand.xml",
            "Tom & Jerry",
            "AT&T & friends",
            "http://amp.example.com/item?x=1&y=2",
            1,
        ),
        (
            "undeclared-entities.xml",
            "Entities é…",
            "Résumé — &bogus; ©",
            "http://ent.example.com/1",
            1,
        ),
        (
            "truncated.xml",
            "Cut off",
            "Complete",
            "http://cut.example.com/1",
            2,
        ),
    ];
    for (name, title, first, link, count) in table {
        let feed = read(name);
        assert_eq!(feed.title, title, "{name}: feed title");
        assert_eq!(feed.entries.len(), count, "{name}: entries");
        assert_eq!(feed.entries[0].title, first, "{name}: entry title");
        assert_eq!(
            feed.entries[0].link.as_ref().map(Url::as_str),
            Some(link),
            "{name}: entry link"
        );
    }
}

#[test]
fn http_charset_wins_over_the_detector() {
    let feed = read_with(
        "windows-1252-undeclared.xml",
        Some("application/rss+xml; charset=windows-1252"),
    );
    assert_eq!(feed.title, "\u{201c}Smart\u{201d} café");
    assert_eq!(feed.entries[0].title, "Naïve — résumé");
    // Without the header the detector still finds a Latin encoding.
    assert_eq!(
        read("windows-1252-undeclared.xml").entries[0].title,
        "Naïve — résumé"
    );
}

#[test]
fn podcast_items_keep_audio_credit_and_safe_content() {
    let feed = read("rss2-podcast.xml");
    let e = &feed.entries[0];
    assert_eq!(e.id, "pod-ep-2");
    assert_eq!(
        e.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2020-07-10T01:52:00+00:00")
    );
    assert_eq!(e.authors[0].name, "Ann Lee");
    let terms: Vec<_> = e.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(terms, ["metals", "copper"]);
    assert_eq!(e.enclosures.len(), 1);
    assert_eq!(
        e.enclosures[0].url.as_str(),
        "https://cdn.example.com/ep2.mp3"
    );
    assert_eq!(e.enclosures[0].mime_type, "audio/mpeg");
    assert_eq!(e.enclosures[0].length, Some(12_345_678));
    assert_eq!(e.summary.as_deref(), Some("Short summary"));
    let html = e.content_html.as_deref().unwrap();
    for bad in ["script", "onclick", "iframe", "javascript:", "p.gif"] {
        assert!(!html.contains(bad), "{bad} left in {html}");
    }
    // Relative URLs resolve against the document's URL, as xml:base-less XML does.
    assert!(
        html.contains(r#"href="http://feeds.example.net/episodes/notes.html""#),
        "{html}"
    );
    assert!(
        html.contains(r#"src="http://feeds.example.net/episodes/cover.jpg""#),
        "{html}"
    );
    // No guid: the link is the id.
    assert_eq!(feed.entries[1].id, "https://pod.example.com/episodes/1");
}

#[test]
fn atom_xml_base_people_categories_and_enclosures() {
    let feed = read("atom10-xml-base.xml");
    assert_eq!(
        feed.home_page_url.as_ref().map(Url::as_str),
        Some("http://base.example.com/blog/")
    );
    let e = &feed.entries[0];
    assert_eq!(e.id, "urn:x:1");
    assert_eq!(
        e.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2020-07-08T23:00:00+00:00")
    );
    assert_eq!(
        e.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2020-07-09T23:00:00+00:00")
    );
    assert_eq!(e.authors[0].email.as_deref(), Some("cy@example.com"));
    assert_eq!(e.categories[0].label.as_deref(), Some("Tag One"));
    assert_eq!(
        e.enclosures[0].url.as_str(),
        "http://base.example.com/audio/one.ogg"
    );
    let html = e.content_html.as_deref().unwrap();
    assert!(
        html.contains("http://base.example.com/blog/posts/two.html"),
        "{html}"
    );
}

#[test]
fn atom03_dates_and_escaped_content() {
    let e = &read("atom03-escaped-title.xml").entries[0];
    assert_eq!(
        e.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2003-12-31T18:14:55+00:00")
    );
    assert_eq!(
        e.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2004-01-01T00:00:00+00:00")
    );
    assert_eq!(e.content_html.as_deref(), Some("<p>Body</p>"));
}

#[test]
fn json_feeds_map_every_field() {
    let e = &read("jsonfeed10.json").entries[0];
    assert_eq!(e.id, "1");
    assert_eq!(e.authors[0].name, "Ed");
    assert_eq!(e.content_html.as_deref(), Some("<p>Hi</p>"));
    assert_eq!(e.categories.len(), 2);
    assert_eq!(e.enclosures[0].mime_type, "audio/mpeg");
    let feed = read("jsonfeed11.json");
    assert_eq!(feed.entries[0].authors[0].name, "Gus");
    assert_eq!(feed.entries[0].published, None, "bad date is dropped");
    assert_eq!(
        feed.entries[0].content_html.as_deref(),
        Some("<p>Plain &amp; simple</p>")
    );
    assert_eq!(feed.entries[1].authors[0].name, "Fay");
    assert_eq!(feed.entries[1].language.as_deref(), Some("en"));
}

#[test]
fn bad_dates_become_none_and_the_rest_survives() {
    let feed = read("bad-dates.xml");
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published.is_some()).collect();
    assert_eq!(dates, [false, true, false]);
}

#[test]
fn entries_without_id_or_link_get_a_pinned_hash_id() {
    let feed = read("undated-no-guid.xml");
    assert_eq!(
        feed.entries[0].id,
        "tag:feedloom,2024:merged:1f244098e2e698ce502ea86fadfed2bf"
    );
}

#[test]
fn entity_expansion_never_happens() {
    let started = Instant::now();
    let feed = read("billion-laughs.xml");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!feed.title.contains("lollol"), "{}", feed.title);
    assert_eq!(feed.title, "&lol9;");
    assert_eq!(feed.entries[0].title, "Laughs &lol9;");
}

#[test]
fn external_entities_are_never_resolved() {
    let feed = read("external-entity.xml");
    assert_eq!(feed.title, "XXE &xxe;");
    assert!(
        !feed.entries[0].title.contains("root:"),
        "{}",
        feed.entries[0].title
    );
}

#[test]
fn html_pages_and_garbage_are_not_feeds() {
    let url = Url::parse("http://x.example/").unwrap();
    let err = parse_feed(&fixture("not-a-feed.html"), Some("text/html"), &url).unwrap_err();
    assert!(matches!(err, ParseError::Html), "{err}");
    for bad in [
        &b""[..],
        b"   ",
        b"hello",
        b"{\"not\":\"a feed\"}",
        b"<a><b></a>",
        b"\xff\xfe\x00",
    ] {
        assert!(parse_feed(bad, None, &url).is_err(), "{bad:?}");
    }
}

#[test]
fn truncated_and_mangled_fixtures_never_crash_the_parser() {
    let url = Url::parse("http://feeds.example.net/x.xml").unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/merge");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let bytes = std::fs::read(&path).unwrap();
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let mut mangled = bytes[..cut].to_vec();
            let whole = parse_feed(&mangled, None, &url);
            mangled.extend_from_slice(b"<&\"]]>--><![CDATA[");
            mangled.extend_from_slice(&bytes[cut..]);
            let spliced = parse_feed(&mangled, None, &url);
            for result in [whole, spliced] {
                if let Err(e) = result {
                    assert!(
                        !matches!(e, ParseError::Crashed(_)),
                        "{} cut at {cut}: {e}",
                        path.display()
                    );
                }
            }
        }
    }
}

/// Inputs that crashed an earlier reader when fuzzed: contacts whose e-mail address touches
/// full-width characters (`editor@example.cn（编辑部）`, a GBK `<webMaster>` ending in
/// ideographic spaces), read with the address and the name apart.
#[test]
fn contacts_with_full_width_characters_beside_an_address_read() {
    for name in [
        "fullwidth-contact-email.xml",
        "fuzz-gbk-webmaster-fullwidth-space.xml",
    ] {
        let url = Url::parse("https://metals.example.cn/feed.xml").expect("URL");
        let parsed = parse_feed(&fixture(name), None, &url);
        assert!(parsed.is_ok(), "{name}: {:?}", parsed.err());
    }
    let feed = read("fullwidth-contact-email.xml");
    let people: Vec<_> = (feed.entries[0].authors.iter())
        .map(|p| (p.name.as_str(), p.email.as_deref()))
        .collect();
    assert_eq!(
        people,
        [
            ("张三", Some("zhang@metals.example.cn")),
            ("李四", Some("li@metals.example.cn")),
        ]
    );
}

/// A stray XML declaration in the middle of a feed (found by fuzzing an earlier reader,
/// which crashed on it) is no crash: the items around it are read.
#[test]
fn a_declaration_in_the_middle_of_a_feed_is_no_crash() {
    let url = Url::parse("https://example.org/feed.xml").expect("URL");
    let bytes = fixture("fuzz-xml-declaration-mid-document.xml");
    let parsed = parse_feed(&bytes, None, &url);
    assert!(
        !matches!(parsed, Err(ParseError::Crashed(_))),
        "{:?}",
        parsed.err()
    );
}

/// A byte-order mark right after a stray `<` (UTF-16 text found by fuzzing the OPML reader,
/// which panicked on it: every offset after it pointed one character early) is no crash for
/// either reader that shares the XML lexer.
#[test]
fn a_byte_order_mark_after_a_stray_lt_is_no_crash() {
    let bytes = b"\xff\xfe<\x00\xff\xfe<\x00vvp";
    let url = Url::parse("https://example.org/feed.xml").expect("URL");
    let parsed = parse_feed(bytes, None, &url);
    assert!(
        !matches!(parsed, Err(ParseError::Crashed(_))),
        "{:?}",
        parsed.err()
    );
    assert!(feedloom::merge::opml::read(bytes).is_err());
    let mut utf8 = "<\u{feff}<opml>".as_bytes().to_vec();
    utf8.extend_from_slice(b"<body><outline xmlUrl=\"https://example.org/f.xml\"/></body></opml>");
    let feeds = feedloom::merge::opml::read(&utf8).expect("OPML read on past the stray `<`");
    assert_eq!(feeds.len(), 1);
}
