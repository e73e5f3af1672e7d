//! Each fixture feed named after what it shows (tests/fixtures/merge/), read field by field:
//! every entry's title, link and dates, and the warnings (with their lines) of the ones that
//! are not well-formed. The titles, links and dates are those feedparser reads
//! (`scripts/compare_feedparser.py tests/fixtures/merge` agrees on every one).

use std::path::Path;

use feedloom::merge::parse_feed;
use url::Url;

/// (title, link, published, updated) of one entry; `""` is none.
type Fields = (&'static str, &'static str, &'static str, &'static str);

/// (fixture, its entries, its warnings).
#[rustfmt::skip]
const TABLE: &[(&str, &[Fields], &[&str])] = &[
    ("rss-dc-date-only.xml", &[
        ("Road closure on Quay Street", "https://council.example.gov/news/quay-street-closure", "2024-03-04T09:15:00Z", "2024-03-04T09:15:00Z"),
        ("Minutes of the February meeting", "https://council.example.gov/news/minutes-february", "2024-02-28T16:40:00Z", "2024-02-28T16:40:00Z"),
        ("Library opening hours over Easter", "https://council.example.gov/news/library-easter", "2024-02-20T00:00:00Z", "2024-02-20T00:00:00Z"),
    ], &[]),
    ("rss-dcterms-dates.xml", &[
        ("Air quality readings, 2023", "https://data.example.org/dataset/air-quality-2023", "2024-01-15T08:00:00Z", "2024-02-01T12:30:00Z"),
        ("Bus stop locations", "https://data.example.org/dataset/bus-stops", "2024-01-22T08:05:00Z", "2024-01-22T08:05:00Z"),
        ("Tree inventory", "https://data.example.org/dataset/trees", "2023-11-30T00:00:00Z", "2023-12-04T09:00:00Z"),
    ], &[]),
    ("rss10-prefixed-elements.rdf", &[
        ("In defence of Brutalism", "https://arch.example.net/2023/brutalism", "2023-10-02T10:00:00Z", "2023-10-02T10:00:00Z"),
        ("Tall timber", "https://arch.example.net/2023/timber", "2023-09-18T07:30:00Z", "2023-09-18T07:30:00Z"),
    ], &[]),
    ("rss-namespaced-rss2.xml", &[
        ("Outliners are back", "http://radio.example.com/blog/2004/03/01.html#a12", "2004-03-01T14:21:07Z", "2004-03-01T14:21:07Z"),
        ("Podcasting, a year on", "http://radio.example.com/blog/2004/02/27.html#a11", "2004-02-27T09:02:44Z", "2004-02-27T09:02:44Z"),
    ], &[]),
    ("atom-entry-document.xml", &[
        ("Shipping small releases", "https://blog.example.com/2024/05/small-releases", "2024-05-02T11:45:00Z", "2024-05-03T14:00:00Z"),
    ], &[]),
    ("rss-media-fallbacks.xml", &[
        ("Harbour at dawn, 4K", "https://footage.example.com/clips/8812", "2024-05-14T06:00:00Z", "2024-05-14T06:00:00Z"),
        ("Rain on a window", "https://footage.example.com/clips/8790", "2024-05-13T06:00:00Z", "2024-05-13T06:00:00Z"),
        ("Night market (edited)", "https://footage.example.com/clips/8701", "2024-05-12T06:00:00Z", "2024-05-12T06:00:00Z"),
        ("Desert road at noon", "https://footage.example.com/clips/8650", "2024-05-11T06:00:00Z", "2024-05-11T06:00:00Z"),
    ], &[]),
    ("atom-links-no-href.xml", &[
        ("A link written as text", "https://odd.example.org/posts/text-link", "", "2024-03-30T10:00:00Z"),
        ("Enclosure first, page second", "https://odd.example.org/posts/episode-3", "", "2024-03-29T10:00:00Z"),
        ("A link with no rel", "http://feeds.example.net/posts/no-rel", "", "2024-03-28T10:00:00Z"),
        ("Only an id that is a page", "https://odd.example.org/posts/id-only", "", "2024-03-27T10:00:00Z"),
        ("Alternate in another format, then HTML", "https://odd.example.org/posts/six", "", "2024-03-26T10:00:00Z"),
        ("ALTERNATE in capitals", "https://odd.example.org/posts/seven", "", "2024-03-25T10:00:00Z"),
    ], &[]),
    ("atom-xml-base-levels.xml", &[
        ("Relative to the feed", "https://base.example.net/journal/2024/feed-level.html", "", "2024-05-31T00:00:00Z"),
        ("Relative to the entry", "https://base.example.net/journal/2024/05/entry-level.html", "", "2024-05-30T00:00:00Z"),
        ("Relative to the link itself", "https://mirror.example.org/archive/2024/element-level.html", "", "2024-05-29T00:00:00Z"),
        ("Absolute path", "https://base.example.net/about/absolute.html", "", "2024-05-28T00:00:00Z"),
    ], &[]),
    ("cdf-channel.cdf", &[
        ("Markets close higher", "http://www.example-news.com/stories/1105-markets.htm", "1998-11-05T21:40:00Z", "1998-11-05T21:40:00Z"),
        ("Storm warning for the coast", "http://www.example-news.com/stories/1105-weather.htm", "1998-11-05T18:00:00Z", "1998-11-05T18:00:00Z"),
        ("Home team wins the cup", "http://www.example-news.com/stories/1104-sports.htm", "", ""),
    ], &[]),
    ("rss090-items.rdf", &[
        ("New Status Updates", "http://www.mozilla.org/status/", "", ""),
        ("Bugzilla Reorganized", "http://www.mozilla.org/bugs/", "", ""),
        ("Mozilla Party, 2.0!", "http://www.mozilla.org/party/1999/", "", ""),
    ], &[]),
    ("rss-loose-dates.xml", &[
        ("Missing comma", "https://loose.example.com/1", "2024-05-14T07:30:00Z", "2024-05-14T07:30:00Z"),
        ("Day and month swapped", "https://loose.example.com/2", "2024-05-13T18:05:00Z", "2024-05-13T18:05:00Z"),
        ("Two-digit year", "https://loose.example.com/3", "2024-05-12T12:00:00Z", "2024-05-12T12:00:00Z"),
        ("Named zone, daylight time", "https://loose.example.com/4", "2024-05-11T23:45:10Z", "2024-05-11T23:45:10Z"),
        ("Colon in the offset", "https://loose.example.com/5", "2024-05-10T06:30:00Z", "2024-05-10T06:30:00Z"),
        ("GMT with an offset", "https://loose.example.com/6", "2024-05-09T00:00:00Z", "2024-05-09T00:00:00Z"),
        ("No seconds, no zone", "https://loose.example.com/7", "2024-05-08T21:15:00Z", "2024-05-08T21:15:00Z"),
        ("ISO 8601 in pubDate", "https://loose.example.com/8", "2024-05-07T06:30:00Z", "2024-05-07T06:30:00Z"),
        ("SQL style", "https://loose.example.com/9", "2024-05-06T14:00:00Z", "2024-05-06T14:00:00Z"),
        ("asctime", "https://loose.example.com/10", "2024-05-05T11:22:33Z", "2024-05-05T11:22:33Z"),
        ("Full month name", "https://loose.example.com/11", "2024-05-04T14:00:00Z", "2024-05-04T14:00:00Z"),
        ("Etc zone", "https://loose.example.com/12", "2024-05-03T23:59:59Z", "2024-05-03T23:59:59Z"),
        ("Compact ISO", "https://loose.example.com/13", "2024-05-02T00:00:00Z", "2024-05-02T00:00:00Z"),
        ("Date alone", "https://loose.example.com/14", "2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z"),
    ], &[]),
    ("atom-youtube-media-group.xml", &[
        ("Autumn walk through the beeches", "https://www.youtube.example/watch?v=abc123", "2024-05-10T15:00:06Z", "2024-05-12T08:21:44Z"),
        ("Spring bluebells & wild garlic", "https://www.youtube.example/watch?v=def456", "2024-04-20T15:00:01Z", "2024-04-21T09:00:00Z"),
    ], &[]),
    ("rss-guid-permalink.xml", &[
        ("Only a guid", "https://guid.example.com/posts/only-guid", "2024-05-20T10:00:00Z", "2024-05-20T10:00:00Z"),
        ("Guid says it is no permalink", "", "2024-05-19T10:00:00Z", "2024-05-19T10:00:00Z"),
        ("Link wins over guid", "https://guid.example.com/posts/by-link", "2024-05-18T10:00:00Z", "2024-05-18T10:00:00Z"),
        ("Relative guid", "http://feeds.example.net/posts/relative-guid", "2024-05-17T10:00:00Z", "2024-05-17T10:00:00Z"),
    ], &[]),
    ("rss-html-in-titles.xml", &[
        ("Escaped emphasis in a title", "https://markup.example.com/1", "", ""),
        ("CDATA with bold & an ampersand", "https://markup.example.com/2", "", ""),
        ("Double-escaped & ampersand", "https://markup.example.com/3", "", ""),
        ("Numeric “quotes” and — dashes", "https://markup.example.com/4", "", ""),
        ("Less-than 3 < 4 is fine", "https://markup.example.com/5", "", ""),
        ("Spread over lines", "https://markup.example.com/6", "", ""),
        ("HTML entity été without a DTD", "https://markup.example.com/7?a=1&b=2", "", ""),
    ], &[]),
    ("rdf-slash-dc.rdf", &[
        ("Kernel 7.0 released", "https://tech.example.org/story/24/05/20/1?utm_source=rss1.0mainlinkanon&utm_medium=feed", "2024-05-20T14:00:00Z", "2024-05-20T14:00:00Z"),
        ("Café robots", "https://tech.example.org/story/24/05/20/2", "2024-05-20T11:30:00Z", "2024-05-20T11:30:00Z"),
    ], &[]),
    ("atom03-feed.xml", &[
        ("Atom 0.3 entry", "http://diveinto.example.org/2004/05/20/atom", "2004-05-20T12:00:00Z", "2004-05-20T12:00:00Z"),
        ("Base64 title", "http://diveinto.example.org/2004/05/19/base64", "2004-05-19T00:00:00Z", "2004-05-19T10:00:00Z"),
    ], &[]),
    ("rss-itunes-unclosed-category.xml", &[
        ("Episode 42: Hand planes", "https://workshop.example.fm/42", "2024-05-15T05:00:00Z", "2024-05-15T05:00:00Z"),
        ("Episode 41: Sharpening", "https://workshop.example.fm/41", "2024-05-08T05:00:00Z", "2024-05-08T05:00:00Z"),
    ], &["line 9: `<itunes:category>` is never closed; `</channel>` on line 28 closes it"]),
    ("rss-undeclared-prefix.xml", &[
        ("First tomatoes", "https://garden.example.org/2024/07/first-tomatoes", "2024-07-02T17:00:00Z", "2024-07-02T17:00:00Z"),
        ("Slugs, again", "https://garden.example.org/2024/06/slugs", "2024-06-24T06:30:00Z", "2024-06-24T06:30:00Z"),
    ], &["line 9: the namespace prefix `dc` is never declared; read as usual"]),
    ("rss-text-before-declaration.xml", &[
        ("Sourdough is back", "http://bakery.example.com/news/sourdough", "2024-05-16T05:00:00Z", "2024-05-16T05:00:00Z"),
        ("Closed on Monday", "http://bakery.example.com/news/closed-monday", "2024-05-14T05:00:00Z", "2024-05-14T05:00:00Z"),
    ], &["line 2: text before the XML declaration, which must come first"]),
    ("rss-truncated-mid-item.xml", &[
        ("Power restored downtown", "https://night.example.net/power-restored", "2024-05-17T02:10:00Z", "2024-05-17T02:10:00Z"),
        ("Bridge reopens after inspection", "https://night.example.net/bridge-reopens", "2024-05-17T01:05:00Z", "2024-05-17T01:05:00Z"),
    ], &["line 16: the document ends inside `<description>` (line 15) and 3 elements around it: it looks cut short"]),
    ("rss-mismatched-tags.xml", &[
        ("Spring sale", "http://handmade.example.com/sale", "2024-03-18T10:00:00Z", "2024-03-18T10:00:00Z"),
        ("New opening hours", "http://handmade.example.com/hours", "2024-03-11T10:00:00Z", "2024-03-11T10:00:00Z"),
    ], &["line 10: `<b>` is never closed; `</description>` on line 10 closes it", "line 17: `</item>` closes no open element; ignored"]),
];

fn date(d: Option<chrono::DateTime<chrono::FixedOffset>>) -> String {
    d.map(|d| d.to_rfc3339().replace("+00:00", "Z"))
        .unwrap_or_default()
}

#[test]
fn every_fixture_field_by_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/merge");
    for (name, entries, warnings) in TABLE {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let url = Url::parse("http://feeds.example.net/")
            .unwrap()
            .join(name)
            .unwrap();
        let feed = parse_feed(&bytes, None, &url).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(String, String, String, String)> = (feed.entries.iter())
            .map(|e| {
                let link = e.link.as_ref().map_or("", Url::as_str).to_string();
                (e.title.clone(), link, date(e.published), date(e.updated))
            })
            .collect();
        let want: Vec<(String, String, String, String)> = (entries.iter())
            .map(|(t, l, p, u)| (t.to_string(), l.to_string(), p.to_string(), u.to_string()))
            .collect();
        assert_eq!(got, want, "{name}: entries");
        assert_eq!(feed.warnings, *warnings, "{name}: warnings");
    }
}

#[test]
fn a_million_tiny_items_keep_ten_thousand() {
    let mut xml = String::from("<rss><channel><title>Many</title>");
    for i in 0..50_050 {
        xml.push_str(&format!("<item><title>{i}</title></item>"));
    }
    xml.push_str("</channel></rss>");
    let url = Url::parse("http://feeds.example.net/many.xml").unwrap();
    let feed = parse_feed(xml.as_bytes(), None, &url).unwrap();
    assert_eq!(feed.entries.len(), feedloom::merge::MAX_ENTRIES);
    assert_eq!(feed.entries.last().map(|e| e.title.as_str()), Some("49999"));
    assert_eq!(feed.warnings.len(), 1, "{:?}", feed.warnings);
    assert!(
        feed.warnings[0].contains("50 dropped"),
        "{:?}",
        feed.warnings
    );
}

#[test]
fn deep_nesting_and_many_unclosed_elements_stay_linear() {
    let depth = 50_000;
    let mut xml = String::from("<rss><channel><item><title>Deep</title>");
    xml.push_str(&"<x>".repeat(depth));
    xml.push_str("</item><item><title>After</title></item></channel></rss>");
    let url = Url::parse("http://feeds.example.net/deep.xml").unwrap();
    let started = std::time::Instant::now();
    let feed = parse_feed(xml.as_bytes(), None, &url).unwrap();
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Deep", "After"]);
    assert!(
        feed.warnings[0].contains("never closed"),
        "{:?}",
        feed.warnings
    );
    assert!(
        feed.warnings[0].contains(&format!("{depth} times")),
        "{:?}",
        feed.warnings
    );
    // Quadratic work would take minutes here; linear work takes milliseconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
