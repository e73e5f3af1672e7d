//! The emitters, tested by writing each format and reading it back with independent parsers:
//! `feed-rs` for all three formats, the `rss` and `atom_syndication` crates for the XML
//! formats, and `serde_json::Value` for JSON Feed.
//!
//! `cargo test --test emit_roundtrip -- --ignored` also writes the sample feeds to
//! `$FEEDLOOM_SAMPLE_DIR` (default: a folder under the system temp dir) for checking by hand
//! with external validators and readers.

use chrono::{DateTime, FixedOffset};
use feedloom::emit::{self, Format};
use feedloom::model::{Category, Enclosure, Entry, Feed, Origin, Person};
use url::Url;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test date")
}

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

const HOME: &str = "https://www.example.com/";
const FIRST_LINK: &str = "https://www.example.com/news/2020-07-10-copper.html";
const SECOND_ID: &str = "tag:example.com,2020-07-09:policy";
const THIRD_ID: &str = "tag:example.com,2020-07-08:undated";
const MERGED_LINK: &str = "https://other.example.org/posts/42?a=1&b=2";
/// Text that must survive the XML writers: a CDATA terminator, markup characters and
/// characters that XML forbids (which must be stripped).
const TRICKY_HTML: &str = "<p>铜价 ]]> 上涨 a &lt; b</p>\u{0}\u{1b}<p>第二段\u{7}</p>";

/// A feed with what the emitters must handle: Chinese text, entries with and without links
/// and dates, dates in +08:00 and -05:00, contributors with roles, duplicate categories,
/// enclosures and a merged entry with its origin.
fn rich_feed(format: Format) -> Feed {
    let first = Entry {
        id: FIRST_LINK.into(),
        title: "中国有色网 · 铜价\u{b}走势".into(),
        link: Some(url(FIRST_LINK)),
        published: Some(at("2020-07-10T09:52:00+08:00")),
        updated: Some(at("2020-07-11T08:00:00+08:00")),
        summary: Some("铜价上涨 a < b & c > d".into()),
        content_html: Some(TRICKY_HTML.into()),
        authors: vec![
            Person {
                email: Some("zhangsan@example.com".into()),
                uri: Some(url("https://www.example.com/people/zhangsan")),
                ..Person::named("张三")
            },
            Person::named("赵六"),
        ],
        contributors: vec![
            Person {
                role: Some("editor".into()),
                ..Person::named("李四")
            },
            Person {
                role: Some("planner".into()),
                ..Person::named("王五")
            },
        ],
        categories: vec![
            Category::term("学习进行时"),
            Category::term("铜"),
            Category::term("学习进行时"),
            Category {
                scheme: Some("https://www.example.com/categories/".into()),
                label: Some("Metals".into()),
                ..Category::term("金属")
            },
        ],
        enclosures: vec![
            Enclosure {
                url: url("https://www.example.com/media/copper.jpg"),
                mime_type: "image/jpeg".into(),
                length: Some(12345),
            },
            Enclosure {
                url: url("https://www.example.com/media/copper.mp3"),
                mime_type: "audio/mpeg".into(),
                length: None,
            },
        ],
        ..Entry::default()
    };
    let second = Entry {
        id: SECOND_ID.into(),
        title: "政策解读".into(),
        published: Some(at("2020-07-09T18:30:00+08:00")),
        content_html: Some("<p>没有链接的文章。</p>".into()),
        authors: vec![Person::named("记者")],
        categories: vec![Category::term("政策")],
        ..Entry::default()
    };
    let third = Entry {
        id: THIRD_ID.into(),
        title: "没有日期".into(),
        summary: Some("只有摘要。".into()),
        ..Entry::default()
    };
    let merged = Entry {
        id: MERGED_LINK.into(),
        title: "Copper rallies".into(),
        link: Some(url(MERGED_LINK)),
        published: Some(at("2020-07-08T07:15:30-05:00")),
        content_html: Some("<p>From elsewhere.</p>".into()),
        language: Some("en".into()),
        origin: Some(Origin {
            title: "Other & Co".into(),
            feed_url: Some(url("https://other.example.org/feed.xml?x=1&y=2")),
            home_page_url: Some(url("https://other.example.org/")),
        }),
        ..Entry::default()
    };
    let mut feed = Feed {
        title: "中国有色网 · 学习进行时".into(),
        home_page_url: Some(url(HOME)),
        feed_url: Some(feed_url(format)),
        description: Some("Articles converted from samples/".into()),
        language: Some("zh-CN".into()),
        entries: vec![first, second, third, merged],
        ..Feed::default()
    };
    feed.derive_updated();
    feed
}

fn feed_url(format: Format) -> Url {
    url(&format!(
        "https://www.example.com/feeds/xuexi.{}",
        format.extension()
    ))
}

/// A feed with its URLs but no dates and no entries.
fn empty_feed(format: Format) -> Feed {
    Feed {
        title: "Empty".into(),
        home_page_url: Some(url(HOME)),
        feed_url: Some(feed_url(format)),
        ..Feed::default()
    }
}

/// Awkward values: an empty title, markup and `]]>` in plain text, an enclosure without a
/// length, a category scheme that is not a URI, an invalid e-mail address, fractional
/// seconds and an unusual offset.
fn edge_feed(format: Format) -> Feed {
    let entry = Entry {
        id: "tag:example.com,2021-01-01:edge".into(),
        title: " \u{1} ".into(),
        link: Some(url("https://www.example.com/edge?id=1&lang=zh#top")),
        published: Some(at("2021-01-01T12:30:45.123+05:45")),
        summary: Some("Use <b>bold</b> & ]]> here".into()),
        authors: vec![Person {
            email: Some("not-an-address".into()),
            ..Person::named("Ann")
        }],
        contributors: vec![Person::named(" ")],
        categories: vec![Category {
            scheme: Some("not a uri".into()),
            ..Category::term("x")
        }],
        enclosures: vec![Enclosure {
            url: url("https://www.example.com/a.pdf"),
            mime_type: String::new(),
            length: None,
        }],
        language: Some("en-US".into()),
        ..Entry::default()
    };
    let markup = Entry {
        id: "tag:example.com,2021-01-02:markup".into(),
        title: "a < b & c, AT&T <3".into(),
        published: Some(at("2021-01-02T00:00:00Z")),
        summary: Some("Plain <i>text</i> &amp; more".into()),
        ..Entry::default()
    };
    Feed {
        title: "Edge & co <edge>".into(),
        description: Some("About a<b & corners".into()),
        id: Some("tag:example.com,2021:edge-feed".into()),
        home_page_url: Some(url(HOME)),
        feed_url: Some(feed_url(format)),
        entries: vec![markup, entry],
        ..Feed::default()
    }
}

/// Many entries, every third one undated, one minute apart.
fn many_feed(format: Format) -> Feed {
    let start = at("2020-07-10T09:00:00+08:00");
    let entries = (0..60)
        .map(|i| Entry {
            id: format!("tag:example.com,2020-07-10:many-{i}"),
            title: format!("第{i}篇 · 铜"),
            link: (i % 2 == 0).then(|| url(&format!("https://www.example.com/news/{i}.html"))),
            published: (i % 3 != 2).then(|| start - chrono::TimeDelta::minutes(i)),
            summary: Some(format!("摘要 {i}")),
            content_html: Some(format!("<p>正文 {i}</p>")),
            categories: vec![Category::term("铜"), Category::term(format!("t{}", i % 4))],
            ..Entry::default()
        })
        .collect();
    let mut feed = Feed {
        title: "Many".into(),
        home_page_url: Some(url(HOME)),
        feed_url: Some(feed_url(format)),
        language: Some("zh-CN".into()),
        authors: vec![Person::named("编辑部")],
        entries,
        ..Feed::default()
    };
    feed.sort_entries();
    feed.derive_updated();
    feed
}

/// A feed with nothing but a title: no URLs, no dates, no entries.
fn bare_feed() -> Feed {
    Feed {
        title: "空的".into(),
        ..Feed::default()
    }
}

fn write(feed: &Feed, format: Format) -> Vec<u8> {
    emit::write(feed, format).expect("write feed")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

fn read_rss(feed: &Feed) -> rss::Channel {
    rss::Channel::read_from(&write(feed, Format::Rss)[..]).expect("rss crate reads it")
}

fn read_atom(feed: &Feed) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(&write(feed, Format::Atom)[..])
        .expect("atom_syndication reads it")
}

fn read_json(feed: &Feed) -> serde_json::Value {
    serde_json::from_slice(&write(feed, Format::Json)).expect("serde_json reads it")
}

fn read_feed_rs(feed: &Feed, format: Format) -> feed_rs::model::Feed {
    feed_rs::parser::parse(&write(feed, format)[..])
        .unwrap_or_else(|e| panic!("feed-rs reads {format}: {e}"))
}

/// The content of the first entry as every reader must see it: control characters gone,
/// everything else (including `]]>`) intact.
const TRICKY_HTML_CLEAN: &str = "<p>铜价 ]]> 上涨 a &lt; b</p><p>第二段</p>";

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
fn rss_round_trips_through_the_rss_crate() {
    let channel = read_rss(&rich_feed(Format::Rss));
    assert_eq!(channel.link, HOME);
    assert_eq!(channel.description, "Articles converted from samples/");
    assert_eq!(channel.language.as_deref(), Some("zh-CN"));
    assert_eq!(channel.generator.as_deref(), Some("feedloom"));
    assert_eq!(
        channel.last_build_date.as_deref(),
        Some("Sat, 11 Jul 2020 08:00:00 +0800")
    );
    let self_link = &channel.extensions["atom"]["link"][0];
    assert_eq!(self_link.attrs["href"], feed_url(Format::Rss).as_str());
    assert_eq!(self_link.attrs["rel"], "self");
    assert_eq!(self_link.attrs["type"], "application/rss+xml");

    let items = &channel.items;
    let first = &items[0];
    assert_eq!(
        first.pub_date.as_deref(),
        Some("Fri, 10 Jul 2020 09:52:00 +0800")
    );
    let parsed = first
        .pub_date
        .as_deref()
        .map(DateTime::parse_from_rfc2822)
        .and_then(Result::ok);
    assert_eq!(parsed.map(|d| d.offset().local_minus_utc()), Some(8 * 3600));
    assert_eq!(first.content.as_deref(), Some(TRICKY_HTML_CLEAN));
    assert_eq!(
        first.description.as_deref(),
        Some("铜价上涨 a &lt; b &amp; c &gt; d")
    );
    let dc = first.dublin_core_ext.as_ref().expect("dc extension");
    assert_eq!(dc.creators, ["张三", "赵六"]);
    assert_eq!(dc.contributors, ["李四", "王五"]);
    let categories: Vec<_> = first
        .categories
        .iter()
        .map(|c| (c.name.as_str(), c.domain.as_deref()))
        .collect();
    assert_eq!(
        categories,
        [
            ("学习进行时", None),
            ("铜", None),
            ("金属", Some("https://www.example.com/categories/"))
        ]
    );
    let enclosure = first.enclosure.as_ref().expect("first enclosure");
    assert_eq!(enclosure.url, "https://www.example.com/media/copper.jpg");
    assert_eq!(enclosure.length, "12345");
    assert_eq!(enclosure.mime_type, "image/jpeg");

    assert_eq!(items[1].link, None);
    // No summary: the content stands in as the description.
    assert_eq!(
        items[1].description.as_deref(),
        Some("<p>没有链接的文章。</p>")
    );
    assert_eq!(items[2].pub_date, None);
    let source = items[3].source.as_ref().expect("source");
    assert_eq!(source.url, "https://other.example.org/feed.xml?x=1&y=2");
    assert_eq!(source.title.as_deref(), Some("Other & Co"));
    assert_eq!(
        items[3].pub_date.as_deref(),
        Some("Wed, 8 Jul 2020 07:15:30 -0500")
    );
}

#[test]
fn rss_guid_is_a_permalink_only_when_it_is_the_link() {
    let mut feed = rich_feed(Format::Rss);
    // An id that is a URL but not the entry's link is not a permalink.
    feed.entries[3].id = "https://other.example.org/id/42".into();
    let channel = read_rss(&feed);
    let guids: Vec<_> = channel
        .items
        .iter()
        .map(|i| i.guid.as_ref().map(|g| (g.value.as_str(), g.permalink)))
        .collect();
    assert_eq!(
        guids,
        [
            Some((FIRST_LINK, true)),
            Some((SECOND_ID, false)),
            Some((THIRD_ID, false)),
            Some(("https://other.example.org/id/42", false)),
        ]
    );
    let xml = String::from_utf8(write(&feed, Format::Rss)).expect("UTF-8");
    assert!(xml.contains(&format!("<guid>{FIRST_LINK}</guid>")), "{xml}");
    assert!(xml.contains(&format!("<guid isPermaLink=\"false\">{SECOND_ID}</guid>")));
}

#[test]
fn atom_round_trips_through_atom_syndication() {
    let feed = read_atom(&rich_feed(Format::Atom));
    assert_eq!(feed.id, feed_url(Format::Atom).as_str());
    assert_eq!(feed.updated, at("2020-07-11T08:00:00+08:00"));
    assert_eq!(feed.updated.offset().local_minus_utc(), 8 * 3600);
    assert_eq!(feed.lang.as_deref(), Some("zh-CN"));
    assert_eq!(
        feed.subtitle.as_ref().map(|t| t.value.as_str()),
        Some("Articles converted from samples/")
    );
    let links: Vec<_> = feed
        .links
        .iter()
        .map(|l| (l.rel.as_str(), l.href.as_str(), l.mime_type.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            ("alternate", HOME, None),
            (
                "self",
                feed_url(Format::Atom).as_str(),
                Some("application/atom+xml")
            ),
        ]
    );
    // The third entry has no author, so the feed gets one: its title.
    let feed_authors: Vec<_> = feed.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(feed_authors, ["中国有色网 · 学习进行时"]);

    let first = &feed.entries[0];
    assert_eq!(first.published, Some(at("2020-07-10T09:52:00+08:00")));
    assert_eq!(first.updated, at("2020-07-11T08:00:00+08:00"));
    assert_eq!(
        first.authors[0].email.as_deref(),
        Some("zhangsan@example.com")
    );
    assert_eq!(
        first.authors[0].uri.as_deref(),
        Some("https://www.example.com/people/zhangsan")
    );
    let contributors: Vec<_> = first.contributors.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(contributors, ["李四", "王五"]);
    let content = first.content.as_ref().expect("content");
    assert_eq!(content.value.as_deref(), Some(TRICKY_HTML_CLEAN));
    assert_eq!(content.content_type.as_deref(), Some("html"));
    // Plain `<` and `&` do not make text look like markup: it stays type="text".
    let summary = first.summary.as_ref().expect("summary");
    assert_eq!(summary.value, "铜价上涨 a < b & c > d");
    assert_eq!(summary.r#type, atom_syndication::TextType::Text);
    let scheme = first.categories[2].scheme.as_deref();
    assert_eq!(scheme, Some("https://www.example.com/categories/"));
    assert_eq!(first.categories[2].label.as_deref(), Some("Metals"));
    let enclosures: Vec<_> = first
        .links
        .iter()
        .filter(|l| l.rel == "enclosure")
        .map(|l| (l.href.as_str(), l.mime_type.as_deref(), l.length.as_deref()))
        .collect();
    assert_eq!(
        enclosures,
        [
            (
                "https://www.example.com/media/copper.jpg",
                Some("image/jpeg"),
                Some("12345")
            ),
            (
                "https://www.example.com/media/copper.mp3",
                Some("audio/mpeg"),
                None
            ),
        ]
    );

    // No `updated`: falls back to `published`; no date at all: to the feed's updated, made
    // unique (the first entry was updated at that instant).
    assert_eq!(feed.entries[1].updated, at("2020-07-09T18:30:00+08:00"));
    assert_eq!(feed.entries[2].updated, at("2020-07-11T07:59:59+08:00"));
    assert_eq!(feed.entries[2].published, None);
    // No content and no link: the summary becomes text content.
    let third = feed.entries[2].content.as_ref().expect("fallback content");
    assert_eq!(third.value.as_deref(), Some("只有摘要。"));

    let merged = &feed.entries[3];
    assert_eq!(merged.title.lang.as_deref(), Some("en"));
    let source = merged.source.as_ref().expect("source");
    assert_eq!(source.title.value, "Other & Co");
    assert_eq!(source.id, "https://other.example.org/feed.xml?x=1&y=2");
    assert_eq!(source.links[0].href, "https://other.example.org/");
    assert_eq!(
        source.links[1].href,
        "https://other.example.org/feed.xml?x=1&y=2"
    );
}

#[test]
fn atom_feed_without_dates_or_urls_is_still_complete() {
    let feed = read_atom(&bare_feed());
    assert_eq!(feed.id, "tag:feedloom.invalid,2000:%E7%A9%BA%E7%9A%84");
    assert_eq!(feed.updated, at("2000-01-01T00:00:00Z"));
    assert_eq!(feed.authors.len(), 1);
    let again = read_atom(&bare_feed());
    assert_eq!(feed, again);
}

#[test]
fn atom_feed_authors_are_left_to_entries_that_all_have_them() {
    let mut source = rich_feed(Format::Atom);
    source.entries.retain(|e| !e.authors.is_empty());
    let feed = read_atom(&source);
    assert!(feed.authors.is_empty(), "{:?}", feed.authors);
    assert!(feed.entries.iter().all(|e| !e.authors.is_empty()));
}

#[test]
fn json_round_trips_through_serde_json() {
    let value = read_json(&rich_feed(Format::Json));
    assert_eq!(value["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(value["home_page_url"], HOME);
    assert_eq!(value["feed_url"], feed_url(Format::Json).as_str());
    assert_eq!(value["language"], "zh-CN");
    let items = value["items"].as_array().expect("items");
    let first = &items[0];
    assert_eq!(first["id"], FIRST_LINK);
    assert_eq!(first["url"], FIRST_LINK);
    assert_eq!(first["date_published"], "2020-07-10T09:52:00+08:00");
    assert_eq!(first["date_modified"], "2020-07-11T08:00:00+08:00");
    assert_eq!(first["content_html"], TRICKY_HTML_CLEAN);
    assert_eq!(first["summary"], "铜价上涨 a < b & c > d");
    assert_eq!(
        first["tags"],
        serde_json::json!(["学习进行时", "铜", "金属"])
    );
    assert_eq!(
        first["authors"][0]["url"],
        "https://www.example.com/people/zhangsan"
    );
    assert_eq!(first["attachments"][0]["size_in_bytes"], 12345);
    assert!(first["attachments"][1].get("size_in_bytes").is_none());
    // The third item has no content: its summary stands in as content_text.
    assert_eq!(items[2]["content_text"], "只有摘要。");
    assert!(items[2].get("date_published").is_none());
    assert!(items[2].get("url").is_none());
    assert_eq!(items[3]["language"], "en");
    assert_eq!(items[3]["date_published"], "2020-07-08T07:15:30-05:00");
}

#[test]
fn json_never_writes_null() {
    let output = write(&bare_feed(), Format::Json);
    let output = text(&output);
    assert!(!output.contains("null"), "{output}");
    let output = write(&rich_feed(Format::Json), Format::Json);
    assert!(!text(&output).contains("null"));
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

#[test]
fn markup_like_plain_text_stays_plain_text() {
    let title = "a < b & c, AT&T <3";
    let summary = "Plain <i>text</i> &amp; more";
    let rss = read_rss(&edge_feed(Format::Rss));
    assert_eq!(rss.items[0].title.as_deref(), Some(title));
    assert_eq!(rss.title, "Edge & co <edge>");
    let xml = String::from_utf8(write(&edge_feed(Format::Rss), Format::Rss)).expect("UTF-8");
    assert!(
        xml.contains("<title>Edge &#x26; co &#x3C;edge&#x3E;</title>"),
        "{xml}"
    );

    // Plain `<` and `&` stay type="text"; an end tag or an entity makes the text escaped
    // HTML, so that no reader or validator takes it for markup.
    let atom = read_atom(&edge_feed(Format::Atom));
    let entry = &atom.entries[0];
    assert_eq!(entry.title.r#type, atom_syndication::TextType::Text);
    assert_eq!(entry.title.value, title);
    let atom_summary = entry.summary.as_ref().expect("summary");
    assert_eq!(atom_summary.r#type, atom_syndication::TextType::Html);
    assert_eq!(
        atom_summary.value,
        "Plain &lt;i&gt;text&lt;/i&gt; &amp;amp; more"
    );

    let json = read_json(&edge_feed(Format::Json));
    assert_eq!(json["items"][0]["title"], title);
    assert_eq!(json["items"][0]["summary"], summary);
}

#[test]
fn awkward_values_get_their_fallbacks() {
    let rss = read_rss(&edge_feed(Format::Rss));
    let item = &rss.items[1];
    // An empty title falls back to the id; an unknown length to 0; a missing type to
    // application/octet-stream; a +05:45 date is written in UTC.
    assert_eq!(
        item.title.as_deref(),
        Some("tag:example.com,2021-01-01:edge")
    );
    let enclosure = item.enclosure.as_ref().expect("enclosure");
    assert_eq!(enclosure.length, "0");
    assert_eq!(enclosure.mime_type, "application/octet-stream");
    assert_eq!(
        item.pub_date.as_deref(),
        Some("Fri, 1 Jan 2021 06:45:45 +0000")
    );
    // Blank contributors are dropped, so there is no dc:contributor.
    let dc = item.dublin_core_ext.as_ref().expect("dc");
    assert!(dc.contributors.is_empty());

    let atom = read_atom(&edge_feed(Format::Atom));
    let entry = &atom.entries[1];
    // Written to the second, in the original offset.
    assert_eq!(entry.published, Some(at("2021-01-01T12:30:45+05:45")));
    let json = read_json(&edge_feed(Format::Json));
    assert_eq!(
        json["items"][1]["date_published"],
        "2021-01-01T12:30:45+05:45"
    );
    assert_eq!(entry.authors[0].email, None, "invalid e-mail kept");
    assert_eq!(entry.categories[0].scheme, None, "non-URI scheme kept");
    assert_eq!(atom.id, "tag:example.com,2021:edge-feed");
}

/// Writes every sample feed in every format into `$FEEDLOOM_SAMPLE_DIR` (default:
/// `feedloom-emit-samples` in the temp dir), for external validators and readers.
#[test]
#[ignore = "writes sample files for checking by hand"]
fn write_sample_feeds() {
    let dir = std::env::var_os("FEEDLOOM_SAMPLE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("feedloom-emit-samples"));
    std::fs::create_dir_all(&dir).expect("create sample dir");
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
            let path = dir.join(format!("{name}.{}", format.extension()));
            std::fs::write(&path, write(&feed, format)).expect("write sample");
            println!("{}", path.display());
        }
    }
}
