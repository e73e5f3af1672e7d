//! Full text for merged items through `feedloom merge --full-text`, against a news site on
//! 127.0.0.1 that counts its hits: with `--cache DIR` each page is fetched once and a page
//! that failed waits before it is tried again; without it, nothing is remembered. The clock
//! is `SOURCE_DATE_EPOCH`, moved forward by the tests.

mod full_text_common;
mod loopback_common;

use std::path::Path;

use full_text_common::{EPOCH, ITEMS, Site, assert_copper_article, content, items_by_title};
use loopback_common::{describe, feedloom};

/// Runs `feedloom merge --full-text -v` on `url` at `EPOCH + secs` with `flags`; returns the
/// feed (JSON) and stderr.
fn merge(dir: &Path, url: &str, secs: i64, flags: &[&str]) -> (Vec<u8>, String) {
    let mut args = vec![
        "merge",
        "--full-text",
        "-v",
        "--allow-private",
        "--format",
        "json",
    ];
    args.extend_from_slice(flags);
    args.push(url);
    let out = feedloom(dir, &args, EPOCH + secs, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    (
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn merge_with_a_cache_fetches_each_page_once() {
    let site = Site::start(&ITEMS);
    let (base, url) = (site.server.base.clone(), site.feed_url());
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = ["--cache", "cache"];
    let (feed, stderr) = merge(dir.path(), &url, 0, &cache);
    let items = items_by_title(&feed);
    assert_copper_article(&items["Copper hits a two-year high"], &base);
    assert!(content(&items["铜价创两年新高"]).contains("铜价升至两年来最高水平"));
    let warning = format!(
        "warning: {base}/missing.html: full text: HTTP 404 Not Found; the item keeps the feed's own content"
    );
    assert!(stderr.contains(&warning), "{stderr}");
    let counts = format!("full text of {url}: 2 pages fetched, 0 reused, 1 failed\n");
    assert!(stderr.contains(&counts), "{stderr}");
    assert_eq!(site.page_hits(), 4, "a redirect and three pages");

    // A minute later: the articles come from the cache, and the 404 waits.
    let (again, stderr) = merge(dir.path(), &url, 60, &cache);
    assert_eq!(site.page_hits(), 4, "{stderr}");
    assert_eq!(again, feed);
    let counts = format!(
        "full text of {url}: 0 pages fetched, 2 reused, 0 failed, 1 waiting to be tried again\n"
    );
    assert!(stderr.contains(&counts), "{stderr}");

    // --force tries the failed page now; the others stay cached.
    merge(dir.path(), &url, 120, &["--cache", "cache", "--force"]);
    assert_eq!(site.page_hits(), 5);
    assert_eq!(site.server.hits("/missing.html"), 2);

    // An item gone from the feed is forgotten with its page.
    site.list(&ITEMS[1..]);
    merge(dir.path(), &url, 180, &cache);
    site.list(&ITEMS);
    merge(dir.path(), &url, 240, &cache);
    assert_eq!(
        site.server.hits("/articles/2024/copper.html"),
        2,
        "back: new again"
    );
}

#[test]
fn merge_without_a_cache_fetches_the_pages_on_every_run() {
    let site = Site::start(&ITEMS[..1]);
    let (base, url) = (site.server.base.clone(), site.feed_url());
    let dir = tempfile::tempdir().expect("temp dir");
    for run in 1..=2 {
        let (feed, _) = merge(dir.path(), &url, run, &[]);
        assert_copper_article(&items_by_title(&feed)["Copper hits a two-year high"], &base);
        assert_eq!(site.server.hits("/articles/2024/copper.html"), run as usize);
    }
    let out = feedloom(
        dir.path(),
        &["merge", "--allow-private", "--format", "json", &url],
        EPOCH,
        &[],
    );
    let items = items_by_title(&out.stdout);
    assert!(!content(&items["Copper hits a two-year high"]).contains("Copper rose"));
    assert_eq!(
        site.server.hits("/articles/2024/copper.html"),
        2,
        "not asked for"
    );
}
