//! A news site on 127.0.0.1 for the full-text tests: a summary-only RSS feed whose items link
//! to pages on the same server (real page furniture, a redirect, a GBK page, a 404, a PDF,
//! a custom layout), the feed's items switchable by the test, every hit counted. And what
//! the tests read back: the items of a JSON Feed output.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::loopback_common::{Answer, Loopback};

/// 2024-01-01T00:00:00Z.
pub const EPOCH: i64 = 1_704_067_200;

/// One item of the feed: title, path of its link, and whether it has a date.
#[derive(Clone)]
pub struct Item {
    pub title: &'static str,
    pub path: &'static str,
    pub dated: bool,
}

/// The items every test starts from: an article behind a redirect, a GBK page, a 404.
pub const ITEMS: [Item; 3] = [
    Item {
        title: "Copper hits a two-year high",
        path: "/go/copper",
        dated: true,
    },
    Item {
        title: "铜价创两年新高",
        path: "/articles/gbk.html",
        dated: true,
    },
    Item {
        title: "Gone",
        path: "/missing.html",
        dated: true,
    },
];

/// The summary the feed gives each item.
pub fn summary(title: &str) -> String {
    format!("Summary of {title}.")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/full_text/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).expect("fixture")
}

/// The RSS feed of `items`, links on `base`.
pub fn feed(base: &str, items: &[Item]) -> String {
    let items: String = (items.iter())
        .map(|i| {
            let date = match i.dated {
                true => "<pubDate>Mon, 01 Jan 2024 06:00:00 +0800</pubDate>",
                false => "",
            };
            // A path is on this site; a whole URL is elsewhere.
            let link = match i.path.starts_with("http") {
                true => i.path.to_owned(),
                false => format!("{base}{}", i.path),
            };
            format!(
                "<item><title>{t}</title><link>{link}</link><guid>{link}</guid>{date}<description>{s}</description></item>",
                t = i.title,
                s = summary(i.title)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Metals</title><link>{base}/</link>{items}</channel></rss>"
    )
}

fn html(bytes: Vec<u8>, content_type: &str) -> Answer {
    Answer {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: bytes,
    }
}

/// The site, and the items its feed lists (change them to add or drop items).
pub struct Site {
    pub server: Loopback,
    pub items: Arc<Mutex<Vec<Item>>>,
}

impl Site {
    /// A site whose feed lists `items`.
    pub fn start(items: &[Item]) -> Site {
        let shared = Arc::new(Mutex::new(items.to_vec()));
        let listed = shared.clone();
        let base = Arc::new(Mutex::new(String::new()));
        let own = base.clone();
        let server = Loopback::start(move |path, headers| {
            let base = own.lock().expect("base").clone();
            match path {
                "/feed.xml" => Answer::feed(feed(&base, &listed.lock().expect("items"))),
                "/go/copper" => Answer::redirect("/articles/2024/copper.html"),
                "/articles/2024/copper.html" => html(
                    fixture("article-with-furniture.html"),
                    "text/html; charset=utf-8",
                ),
                "/articles/gbk.html" => html(fixture("gbk-declared.html"), "text/html"),
                "/custom.html" => html(fixture("custom-layout-selectors.html"), "text/html"),
                "/empty.html" if headers.get("if-none-match").is_some_and(|e| e == "\"e1\"") => {
                    Answer::status(304)
                }
                "/empty.html" => html(
                    b"<html><body><nav><a href='/'>Home</a></nav></body></html>".to_vec(),
                    "text/html",
                )
                .with("ETag", "\"e1\""),
                "/a/report.pdf" => html(b"%PDF-1.4".to_vec(), "application/pdf"),
                "/busy/1.html" | "/busy/2.html" => Answer::status(429).with("Retry-After", "120"),
                _ => Answer::status(404),
            }
        });
        *base.lock().expect("base") = server.base.clone();
        Site {
            server,
            items: shared,
        }
    }

    /// The feed's URL.
    pub fn feed_url(&self) -> String {
        self.server.url("/feed.xml")
    }

    /// Requests for pages (everything but the feed).
    pub fn page_hits(&self) -> usize {
        self.server.total_hits() - self.server.hits("/feed.xml")
    }

    /// Lists `items` from now on.
    pub fn list(&self, items: &[Item]) {
        *self.items.lock().expect("items") = items.to_vec();
    }
}

/// The items of a JSON Feed document, by title.
pub fn items_by_title(json: &[u8]) -> HashMap<String, Value> {
    let feed: Value = serde_json::from_slice(json).expect("a JSON Feed");
    (feed["items"].as_array().expect("items").iter())
        .map(|i| (i["title"].as_str().unwrap_or("").to_owned(), i.clone()))
        .collect()
}

/// The `content_html` of an item, or "".
pub fn content(item: &Value) -> &str {
    item["content_html"].as_str().unwrap_or("")
}

/// Checks an item holds the copper article, without furniture, its images absolute against
/// the page's final URL on `base` and the lazy and `<noscript>` images plain.
pub fn assert_copper_article(item: &Value, base: &str) {
    let html = content(item);
    for kept in [
        "Copper rose to its highest price in two years",
        "smelters in the region had little metal left",
        &format!(r#"src="{base}/articles/2024/img/chart.png""#),
        &format!(r#"src="{base}/media/warehouse.jpg""#),
        &format!(r#"src="{base}/articles/media/smelter.jpg""#),
        &format!(r#"href="{base}/articles/background.html""#),
    ] {
        assert!(html.contains(kept), "{kept} missing from {html}");
    }
    for furniture in [
        "cookies",
        "Markets menu",
        "Share on",
        "Related",
        "comment",
        "Most read",
        "All rights reserved",
        "placeholder.gif",
        "pixel.gif",
        "data-src",
        "data:image",
        "noscript",
        "<script",
    ] {
        assert!(!html.contains(furniture), "{furniture} left in {html}");
    }
    let title = "Copper hits a two-year high";
    assert_eq!(
        item["summary"],
        summary(title),
        "the summary stays the feed's"
    );
    assert_eq!(
        item["url"],
        format!("{base}/go/copper"),
        "the link stays the item's"
    );
}
