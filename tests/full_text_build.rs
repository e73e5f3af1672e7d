//! Full text for merged items through `feedloom build`, against a news site on 127.0.0.1
//! that counts its hits: new items get their page's article without the furniture, images
//! absolute against the page's final URL; each page is fetched once, the article kept in
//! the state; a page that fails keeps the summary, warns, and waits before it is tried
//! again; selectors override detection; items seen before full text was asked for are left
//! alone. The clock is `SOURCE_DATE_EPOCH`, moved forward by the tests.

mod full_text_common;
mod loopback_common;

use std::path::Path;

use full_text_common::{
    EPOCH, ITEMS, Item, Site, assert_copper_article, content, items_by_title, summary,
};
use loopback_common::{describe, feedloom};

/// A project whose one feed merges `url` (with `merge` lines in its `[[merge]]` table) into
/// `public/m.json`, fetching from 127.0.0.1.
fn project(dir: &Path, url: &str, merge: &str, fetch: &str) {
    let feeds = dir.join("feeds");
    std::fs::create_dir_all(&feeds).expect("mkdir");
    let definition = format!(
        "title = \"M\"\nlink = \"https://www.example.com/\"\n[[merge]]\nurl = \"{url}\"\n{merge}\n\
         [output]\njson = \"public/m.json\"\n[fetch]\nallow = [\"127.0.0.1\"]\n{fetch}"
    );
    std::fs::write(feeds.join("m.toml"), definition).expect("write");
}

/// Runs `feedloom build -v` at `EPOCH + secs`; returns stdout and stderr.
fn build(dir: &Path, secs: i64) -> (String, String) {
    let out = feedloom(dir, &["build", "-v"], EPOCH + secs, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (text(&out.stdout), text(&out.stderr))
}

fn output(dir: &Path) -> std::collections::HashMap<String, serde_json::Value> {
    items_by_title(&std::fs::read(dir.join("public/m.json")).expect("output"))
}

#[test]
fn new_items_get_their_article_once_and_a_failing_page_waits() {
    let site = Site::start(&ITEMS);
    let (base, url) = (site.server.base.clone(), site.feed_url());
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), &url, "full_text = true", "");
    let (stdout, stderr) = build(dir.path(), 0);
    let items = output(dir.path());
    assert_copper_article(&items["Copper hits a two-year high"], &base);
    let gbk = content(&items["铜价创两年新高"]);
    assert!(gbk.contains("铜价升至两年来最高水平"), "{gbk}");
    assert!(!gbk.contains("版权所有"), "{gbk}");
    let gone = &items["Gone"];
    assert!(!content(gone).contains("Copper"), "{gone}");
    assert_eq!(gone["summary"], summary("Gone"));
    let warning = format!(
        "warning: {base}/missing.html: full text: HTTP 404 Not Found; the item keeps the feed's own content"
    );
    assert!(stderr.contains(&warning), "{stderr}");
    let counts = format!("m: full text of {url}: 2 pages fetched, 0 reused, 1 failed\n");
    assert!(stdout.contains(&counts), "{stdout}");
    let hits = |path: &str| site.server.hits(path);
    let pages = [
        "/go/copper",
        "/articles/2024/copper.html",
        "/articles/gbk.html",
        "/missing.html",
    ];
    assert_eq!(pages.map(hits), [1, 1, 1, 1]);
    let first = std::fs::read(dir.path().join("public/m.json")).expect("output");

    // A minute later: no page is fetched again, not even the one that failed.
    let (stdout, stderr) = build(dir.path(), 60);
    assert_eq!(pages.map(hits), [1, 1, 1, 1], "{stderr}");
    let counts = format!(
        "m: full text of {url}: 0 pages fetched, 2 reused, 0 failed, 1 waiting to be tried again\n"
    );
    assert!(stdout.contains(&counts), "{stdout}");
    assert!(!stderr.contains("full text"), "{stderr}");
    let second = std::fs::read(dir.path().join("public/m.json")).expect("output");
    assert_eq!(first, second, "the same articles, from the state");

    // Past the first backoff (5 minutes), the failed page is tried again, and only it.
    let (_, stderr) = build(dir.path(), 600);
    assert_eq!(pages.map(hits), [1, 1, 1, 2]);
    assert!(stderr.contains(&warning), "{stderr}");
}

#[test]
fn only_items_new_since_the_last_run_are_fetched() {
    let site = Site::start(&ITEMS[..1]);
    let url = site.feed_url();
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), &url, "", "");
    build(dir.path(), 0);
    assert_eq!(site.page_hits(), 0, "full text was not asked for");
    project(dir.path(), &url, "full_text = true", "");
    let custom = Item {
        title: "Harbour reopens",
        path: "/custom.html",
        dated: true,
    };
    site.list(&[ITEMS[0].clone(), custom]);
    let (stdout, _) = build(dir.path(), 60);
    assert_eq!(site.server.hits("/go/copper"), 0, "seen before: left alone");
    assert_eq!(site.server.hits("/custom.html"), 1, "new: fetched");
    let counts = format!("full text of {url}: 1 pages fetched, 0 reused, 0 failed\n");
    assert!(stdout.contains(&counts), "{stdout}");
    let items = output(dir.path());
    assert!(!content(&items["Copper hits a two-year high"]).contains("Copper rose"));
}

#[test]
fn selectors_override_detection_and_fill_in_what_the_feed_left_out() {
    let undated = Item {
        title: "Harbour reopens",
        path: "/custom.html",
        dated: false,
    };
    let site = Site::start(&[undated]);
    let dir = tempfile::tempdir().expect("temp dir");
    let merge = "full_text = true\n[merge.selectors]\ncontent = \".story-text\"\n\
                 remove = [\".inline-promo\"]\ndate = \".when\"\nauthor = \".writer\"";
    project(dir.path(), &site.feed_url(), merge, "");
    let (_, stderr) = build(dir.path(), 0);
    let item = &output(dir.path())["Harbour reopens"];
    let html = content(item);
    assert!(html.contains("The harbour reopened on Wednesday"), "{html}");
    assert!(
        html.contains("Ferries resume their normal timetable"),
        "{html}"
    );
    assert!(
        !html.contains("Subscribe now") && !html.contains("unrelated"),
        "{html}"
    );
    assert_eq!(
        item["date_published"], "2023-11-08T07:45:00+00:00",
        "{stderr}"
    );
    assert_eq!(item["authors"][0]["name"], "Ana Costa");
    assert_eq!(item["summary"], summary("Harbour reopens"));
}

#[test]
fn a_bad_selector_is_an_error_naming_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let merge = "full_text = true\n[merge.selectors]\ncontent = \"div[[\"";
    project(dir.path(), "https://feeds.example/x.xml", merge, "");
    let out = feedloom(dir.path(), &["build"], EPOCH, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("merge[0].selectors.content"), "{stderr}");
    let merge = "full_text = true\n[merge.selectors]\ntitle = \"h1\"";
    project(dir.path(), "https://feeds.example/x.xml", merge, "");
    let out = feedloom(dir.path(), &["build"], EPOCH, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

#[test]
fn pages_that_are_not_html_or_ask_to_wait_keep_the_summary_and_wait() {
    let items = [
        ("A report", "/a/report.pdf"),
        ("Busy one", "/busy/1.html"),
        ("Busy two", "/busy/2.html"),
    ]
    .map(|(title, path)| Item {
        title,
        path,
        dated: true,
    });
    let site = Site::start(&items);
    let (base, url) = (site.server.base.clone(), site.feed_url());
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), &url, "full_text = true", "per_host = 1");
    let (stdout, stderr) = build(dir.path(), 0);
    for warning in [
        format!("{base}/a/report.pdf: full text: not an HTML page (Content-Type: application/pdf)"),
        format!("{base}/busy/1.html: full text: HTTP 429 Too Many Requests; the server asks to wait until 2024-01-01T00:02:00Z"),
        "127.0.0.1: full text: not fetched for 1 more items: the host asked to wait until 2024-01-01T00:02:00Z".to_owned(),
    ] {
        assert!(stderr.contains(&warning), "{warning} not in {stderr}");
    }
    let counts = "0 pages fetched, 0 reused, 2 failed, 1 waiting to be tried again\n";
    assert!(stdout.contains(counts), "{stdout}");
    let hits = |path: &str| site.server.hits(path);
    assert_eq!(items.clone().map(|i| hits(i.path)), [1, 1, 0]);
    for item in output(dir.path()).values() {
        assert_eq!(
            item["content_html"], item["summary"],
            "the feed's own content"
        );
    }
    build(dir.path(), 60);
    assert_eq!(items.clone().map(|i| hits(i.path)), [1, 1, 0], "all wait");
    build(dir.path(), 400);
    // Both are tried again: the first asks to wait once more, so the second waits too.
    assert_eq!(items.map(|i| hits(i.path)), [2, 2, 0]);
}

#[test]
fn pages_too_large_refused_or_without_an_article_keep_the_summary() {
    let items = [
        ("Large", "/go/copper"),
        ("Private", "http://10.255.255.1/story.html"),
        ("Empty", "/empty.html"),
    ]
    .map(|(title, path)| Item {
        title,
        path,
        dated: true,
    });
    let site = Site::start(&items);
    let (base, url) = (site.server.base.clone(), site.feed_url());
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), &url, "full_text = true", "max_bytes = 2000");
    let (_, stderr) = build(dir.path(), 0);
    for warning in [
        format!("{base}/go/copper: full text: the body is larger than the 2000-byte limit"),
        "http://10.255.255.1/story.html: full text: refused: 10.255.255.1 is private (RFC 1918); add it to [fetch] allow to permit".to_owned(),
        format!("{base}/empty.html: full text: no article found in the page"),
    ] {
        assert!(stderr.contains(&warning), "{warning} not in {stderr}");
    }
    for item in output(dir.path()).values() {
        assert_eq!(
            item["content_html"], item["summary"],
            "the feed's own content"
        );
    }
    // A minute later the refused page is asked for again (the guard's rule is this side's,
    // not the server's failure); the others wait.
    let (_, stderr) = build(dir.path(), 60);
    assert!(stderr.contains("10.255.255.1 is private"), "{stderr}");
    assert!(
        !stderr.contains("2000-byte") && !stderr.contains("empty.html"),
        "{stderr}"
    );
    // Past the backoff, the page without an article is asked for with its ETag: a 304 says
    // it is still the page that had none.
    let (_, stderr) = build(dir.path(), 600);
    let asked = site.server.requests_to("/empty.html");
    assert_eq!(asked.len(), 2);
    assert_eq!(
        asked[1].get("if-none-match").map(String::as_str),
        Some("\"e1\"")
    );
    let warning = format!(
        "{base}/empty.html: full text: unchanged since the last try, which found no article in it"
    );
    assert!(stderr.contains(&warning), "{stderr}");
}
