//! JSON Feed 1.1 output read back with `serde_json`, field for field, and its layout.

mod emit_common;

use emit_common::*;
use feedloom::emit::Format;
use feedloom::model::{Entry, Feed};
use serde_json::json;

#[test]
fn json_reads_back_field_for_field() {
    let expected = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "中国有色网 · 学习进行时",
        "home_page_url": HOME,
        "feed_url": feed_url(Format::Json).as_str(),
        "description": "Articles converted from samples/",
        "language": "zh-CN",
        "items": [
            {
                "id": FIRST_LINK,
                "url": FIRST_LINK,
                "title": "中国有色网 · 铜价走势",
                "content_html": TRICKY_HTML_CLEAN,
                "summary": "铜价上涨 a < b & c > d",
                "date_published": "2020-07-10T09:52:00+08:00",
                "date_modified": "2020-07-11T08:00:00+08:00",
                "authors": [
                    {"name": "张三", "url": "https://www.example.com/people/zhangsan"},
                    {"name": "赵六"}
                ],
                "tags": ["学习进行时", "铜", "金属"],
                "attachments": [
                    {
                        "url": "https://www.example.com/media/copper.jpg",
                        "mime_type": "image/jpeg",
                        "size_in_bytes": 12345
                    },
                    {
                        "url": "https://www.example.com/media/copper.mp3",
                        "mime_type": "audio/mpeg"
                    }
                ]
            },
            {
                "id": SECOND_ID,
                "title": "政策解读",
                "content_html": "<p>没有链接的文章。</p>",
                "date_published": "2020-07-09T18:30:00+08:00",
                "authors": [{"name": "记者"}],
                "tags": ["政策"]
            },
            {
                "id": THIRD_ID,
                "title": "没有日期",
                // No content: the summary stands in as content_text.
                "content_text": "只有摘要。",
                "summary": "只有摘要。"
            },
            {
                "id": MERGED_LINK,
                "url": MERGED_LINK,
                "title": "Copper rallies",
                "content_html": "<p>From elsewhere.</p>",
                "date_published": "2020-07-08T07:15:30-05:00",
                "language": "en"
            }
        ]
    });
    assert_eq!(read_json(&rich_feed(Format::Json)), expected);
}

#[test]
fn json_never_writes_null() {
    for feed in [
        bare_feed(),
        rich_feed(Format::Json),
        edge_feed(Format::Json),
    ] {
        let output = write(&feed, Format::Json);
        assert!(!text(&output).contains("null"), "{}", text(&output));
    }
}

#[test]
fn json_awkward_values_get_their_fallbacks() {
    let json = read_json(&edge_feed(Format::Json));
    let items = &json["items"];
    assert_eq!(items[0]["title"], "a < b & c, AT&T <3");
    assert_eq!(items[0]["summary"], "Plain <i>text</i> &amp; more");
    // An empty title is left out, and the item's text is its summary.
    let edge = &items[1];
    assert!(edge.get("title").is_none(), "{edge}");
    assert_eq!(edge["content_text"], "Use <b>bold</b> & ]]> here");
    assert_eq!(edge["date_published"], "2021-01-01T12:30:45+05:45");
    assert_eq!(edge["authors"], json!([{"name": "Ann"}]));
    assert_eq!(
        edge["attachments"],
        json!([{"url": "https://www.example.com/a.pdf", "mime_type": "application/octet-stream"}])
    );
    assert_eq!(edge["language"], "en-US");
}

#[test]
fn json_author_url_falls_back_to_their_email() {
    let mut feed = rich_feed(Format::Json);
    feed.entries[0].authors[0].uri = None;
    let json = read_json(&feed);
    assert_eq!(
        json["items"][0]["authors"][0]["url"],
        "mailto:zhangsan@example.com"
    );
}

/// The layout is `serde_json`'s pretty one: two spaces a level, keys in the order the
/// specification lists them, a final line break.
#[test]
fn json_layout_is_pinned() {
    let empty = write(&empty_feed(Format::Json), Format::Json);
    assert_eq!(
        text(&empty),
        r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Empty",
  "home_page_url": "https://www.example.com/",
  "feed_url": "https://www.example.com/feeds/xuexi.json",
  "items": []
}
"#
    );
    let two = Feed {
        title: "Two".into(),
        entries: vec![
            Entry {
                id: "a".into(),
                title: "\"A\"".into(),
                ..Entry::default()
            },
            Entry {
                id: "b".into(),
                content_html: Some("<p>B</p>".into()),
                ..Entry::default()
            },
        ],
        ..Feed::default()
    };
    assert_eq!(
        text(&write(&two, Format::Json)),
        r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Two",
  "items": [
    {
      "id": "a",
      "title": "\"A\"",
      "content_text": "\"A\""
    },
    {
      "id": "b",
      "content_html": "<p>B</p>"
    }
  ]
}
"#
    );
}
