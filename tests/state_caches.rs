//! The fetch cache and the article cache of the state store, against both stores.

mod store_common;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use feedloom::merge::{CachedResponse, FetchSchedule};
use feedloom::model::ContentHash;
use feedloom::model::Entry;
use feedloom::output::FileStamp;
use feedloom::state::PreparedArticle;
use store_common::TestStore;
use url::Url;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-01T12:00:00+08:00").expect("test date")
}

both_stores!(
    fetch_cache_keeps_validators_and_body_across_runs,
    fetch_schedules_carry_over_runs_with_their_due_time,
    article_cache_keeps_whole_entries_per_context_with_their_stamps,
);

fn fetch_cache_keeps_validators_and_body_across_runs(store: &TestStore) {
    let url = Url::parse("https://other.example.org/feed.xml").expect("URL");
    let response = CachedResponse {
        etag: Some("\"abc\"".into()),
        last_modified: Some("Sun, 01 Mar 2026 04:00:00 GMT".into()),
        fetched_at: now(),
        body: b"<rss/>".to_vec(),
    };
    {
        let mut state = store.open();
        let run = state.begin().expect("begin");
        assert_eq!(run.get(&url), None);
        run.put(&url, response.clone());
        run.commit().expect("commit");
    }
    let mut state = store.open();
    let run = state.begin().expect("begin");
    assert_eq!(run.get(&url), Some(response.clone()));
    let newer = CachedResponse {
        etag: None,
        body: b"<rss></rss>".to_vec(),
        ..response
    };
    run.put(&url, newer.clone());
    assert_eq!(run.get(&url), Some(newer));
}

fn fetch_schedules_carry_over_runs_with_their_due_time(store: &TestStore) {
    let url = Url::parse("https://other.example.org/feed.xml").expect("URL");
    let at = now().to_utc();
    let asked = FetchSchedule::failed(None, at, Some(at + chrono::Duration::seconds(120)));
    {
        let mut state = store.open();
        let run = state.begin().expect("begin");
        assert_eq!(run.schedule(&url), None);
        run.set_schedule(&url, &asked);
        run.commit().expect("commit");
    }
    let mut state = store.open();
    let run = state.begin().expect("begin");
    assert_eq!(run.schedule(&url), Some(asked.clone()));
    assert_eq!(run.get(&url), None, "a schedule is kept without a copy");
    let fresh = FetchSchedule::succeeded(at, Some(at + chrono::Duration::seconds(600)));
    run.set_schedule(&url, &fresh);
    assert_eq!(run.schedule(&url), Some(fresh));
    drop(run);
    drop(state);
    // A row a scheduler can read: failures, and when it is next due. In PostgreSQL the
    // source's interval (an hour unless a definition says otherwise) counts too.
    let (table, next, wait) = match store.is_postgres() {
        false => ("fetch_schedule", "next_fetch", 120),
        true => (
            "fetch_source",
            "extract(epoch FROM next_fetch_at)::bigint",
            3600,
        ),
    };
    let sql = |column: &str| format!("SELECT {column} FROM {table} WHERE url = '{url}'");
    assert_eq!(store.raw_i64(&sql("CAST(failures AS bigint)")), 1);
    assert_eq!(
        store.raw_i64(&sql(next)),
        (at + chrono::Duration::seconds(wait)).timestamp()
    );
}

fn article_cache_keeps_whole_entries_per_context_with_their_stamps(store: &TestStore) {
    let mut state = store.open();
    let run = state.begin().expect("begin");
    let file = Path::new("samples/a.txt");
    let stamp = FileStamp {
        size: 120,
        mtime_ns: 1_000,
    };
    let hash = ContentHash::of_bytes(b"article text");
    let parsed = Entry {
        id: "tag:example.com,2000:a".into(),
        title: "学习进行时".into(),
        summary: Some("摘要".into()),
        content_html: Some("<p>正文</p>".into()),
        ..Entry::default()
    };
    let context = "tz=Asia/Shanghai";
    assert!(run.cached_articles(context).expect("lookup").is_empty());
    let prepared = PreparedArticle::new(&parsed, stamp, hash);
    run.store_article(file, context, &prepared).expect("store");

    let rows = run.cached_articles(context).expect("lookup");
    let row = rows.get("samples/a.txt").expect("cached");
    assert_eq!((row.stamp, row.file_hash), (stamp, hash));
    assert_eq!(row.entry_hash, ContentHash::of(&parsed));
    assert_eq!(row.entry().expect("decodes"), parsed);
    // Touched but not changed: a new stamp is recorded.
    let touched = FileStamp {
        mtime_ns: 2_000,
        ..stamp
    };
    run.restamp_article(file, context, touched)
        .expect("restamp");
    let rows = run.cached_articles(context).expect("lookup");
    assert_eq!(rows["samples/a.txt"].stamp, touched);
    // Other settings: nothing cached under them.
    assert!(run.cached_articles("tz=UTC").expect("lookup").is_empty());
    // Settings no feed uses any more are forgotten, then deleted files.
    assert_eq!(
        run.forget_article_contexts_except(&[context])
            .expect("forget"),
        0
    );
    run.forget_article(file, context).expect("forget");
    assert!(run.cached_articles(context).expect("lookup").is_empty());
    run.store_article(file, context, &prepared).expect("store");
    assert_eq!(
        run.forget_article_contexts_except(&["tz=UTC"])
            .expect("forget"),
        1
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
