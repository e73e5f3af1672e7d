//! The feeds the emitter tests write, and helpers to write them and read them back with
//! independent parsers: `feed-rs` for all three formats, the `rss` and `atom_syndication`
//! crates for the XML formats, and `serde_json` for JSON Feed.

#![allow(dead_code)]

use chrono::{DateTime, FixedOffset};
use feedloom::emit::{self, Format};
use feedloom::model::{Category, Enclosure, Entry, Feed, Origin, Person};
use url::Url;

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test date")
}

pub fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

pub const HOME: &str = "https://www.example.com/";
pub const FIRST_LINK: &str = "https://www.example.com/news/2020-07-10-copper.html";
pub const SECOND_ID: &str = "tag:example.com,2020-07-09:policy";
pub const THIRD_ID: &str = "tag:example.com,2020-07-08:undated";
pub const MERGED_LINK: &str = "https://other.example.org/posts/42?a=1&b=2";
/// Text that must survive the XML writers: a CDATA terminator, markup characters and
/// characters that XML forbids (which must be stripped).
pub const TRICKY_HTML: &str = "<p>铜价 ]]> 上涨 a &lt; b</p>\u{0}\u{1b}<p>第二段\u{7}</p>";

/// A feed with what the emitters must handle: Chinese text, entries with and without links
/// and dates, dates in +08:00 and -05:00, contributors with roles, duplicate categories,
/// enclosures and a merged entry with its origin.
pub fn rich_feed(format: Format) -> Feed {
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

pub fn feed_url(format: Format) -> Url {
    url(&format!(
        "https://www.example.com/feeds/xuexi.{}",
        format.extension()
    ))
}

/// A feed with its URLs but no dates and no entries.
pub fn empty_feed(format: Format) -> Feed {
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
pub fn edge_feed(format: Format) -> Feed {
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
pub fn many_feed(format: Format) -> Feed {
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
pub fn bare_feed() -> Feed {
    Feed {
        title: "空的".into(),
        ..Feed::default()
    }
}

pub fn write(feed: &Feed, format: Format) -> Vec<u8> {
    emit::write(feed, format).expect("write feed")
}

pub fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

pub fn read_rss(feed: &Feed) -> rss::Channel {
    rss::Channel::read_from(&write(feed, Format::Rss)[..]).expect("rss crate reads it")
}

pub fn read_atom(feed: &Feed) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(&write(feed, Format::Atom)[..])
        .expect("atom_syndication reads it")
}

pub fn read_json(feed: &Feed) -> serde_json::Value {
    serde_json::from_slice(&write(feed, Format::Json)).expect("serde_json reads it")
}

pub fn read_feed_rs(feed: &Feed, format: Format) -> feed_rs::model::Feed {
    feed_rs::parser::parse(&write(feed, format)[..])
        .unwrap_or_else(|e| panic!("feed-rs reads {format}: {e}"))
}

/// The content of the first entry as every reader must see it: control characters gone,
/// everything else (including `]]>`) intact.
pub const TRICKY_HTML_CLEAN: &str = "<p>铜价 ]]> 上涨 a &lt; b</p><p>第二段</p>";
