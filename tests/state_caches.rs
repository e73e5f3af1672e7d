//! The fetch cache and the article cache of the state store.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use feedloom::merge::{CachedResponse, FetchCache};
use feedloom::model::Entry;
use feedloom::state::{ContentHash, FileStamp, State};
use url::Url;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00+08:00").expect("test date")
}

#[test]
fn fetch_cache_keeps_validators_and_body_across_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.sqlite");
    let url = Url::parse("https://other.example.org/feed.xml").expect("URL");
    let response = CachedResponse {
        etag: Some("\"abc\"".into()),
        last_modified: Some("Sun, 01 Mar 2026 04:00:00 GMT".into()),
        fetched_at: now(),
        body: b"<rss/>".to_vec(),
    };
    {
        let mut state = State::open(&path).expect("open");
        let run = state.begin_run().expect("begin");
        assert_eq!(run.get(&url), None);
        run.put(&url, response.clone());
        run.commit().expect("commit");
    }
    let mut state = State::open(&path).expect("reopen");
    let run = state.begin_run().expect("begin");
    assert_eq!(run.get(&url), Some(response.clone()));
    let newer = CachedResponse {
        etag: None,
        body: b"<rss></rss>".to_vec(),
        ..response
    };
    run.put(&url, newer.clone());
    assert_eq!(run.cached_response(&url).expect("read"), Some(newer));
}

#[test]
fn article_cache_reuses_by_stamp_then_by_hash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut state = State::open(&dir.path().join("state.sqlite")).expect("open");
    let run = state.begin_run().expect("begin");
    let file = Path::new("samples/a.txt");
    let stamp = FileStamp {
        size: 120,
        mtime_ns: 1_000,
    };
    let hash = ContentHash::of_bytes(b"article text");
    let parsed = Entry {
        id: "tag:example.com,2020:a".into(),
        title: "学习进行时".into(),
        ..Entry::default()
    };
    let context = "tz=Asia/Shanghai";
    assert_eq!(
        run.cached_article(file, context, stamp, None)
            .expect("lookup"),
        None
    );
    run.store_article(file, context, stamp, &hash, &parsed)
        .expect("store");

    // Same size and mtime: reused without hashing.
    let hit = run
        .cached_article(file, context, stamp, None)
        .expect("lookup");
    assert_eq!(hit.as_ref(), Some(&parsed));
    // Touched: the stamp differs, the hash decides, and the new stamp is remembered.
    let touched = FileStamp {
        mtime_ns: 2_000,
        ..stamp
    };
    assert_eq!(
        run.cached_article(file, context, touched, None)
            .expect("lookup"),
        None
    );
    let hit = run.cached_article(file, context, touched, Some(&hash));
    assert_eq!(hit.expect("lookup").as_ref(), Some(&parsed));
    let hit = run
        .cached_article(file, context, touched, None)
        .expect("lookup");
    assert_eq!(hit.as_ref(), Some(&parsed));
    // Edited: a different hash misses.
    let other = ContentHash::of_bytes(b"edited text");
    let edited = FileStamp {
        size: 130,
        mtime_ns: 3_000,
    };
    assert_eq!(
        run.cached_article(file, context, edited, Some(&other))
            .expect("lookup"),
        None
    );
    // Other settings: a miss, so the file is mapped again under them.
    assert_eq!(
        run.cached_article(file, "tz=UTC", stamp, Some(&hash))
            .expect("lookup"),
        None
    );

    // Deleted files are forgotten.
    assert_eq!(
        run.forget_articles_except(&[Path::new("samples/b.txt")])
            .expect("forget"),
        1
    );
    assert_eq!(
        run.cached_article(file, context, touched, None)
            .expect("lookup"),
        None
    );
}

#[test]
fn file_stamp_reads_size_and_mtime() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "12345").expect("write");
    let stamp =
        FileStamp::from_metadata(&std::fs::metadata(&file).expect("metadata")).expect("stamp");
    assert_eq!(stamp.size, 5);
    assert!(stamp.mtime_ns > 0);
}
