//! The state store against both stores: real SQLite files in temporary folders and, when
//! PostgreSQL is installed, fresh databases on a real server (see `store_common`).

mod store_common;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use feedloom::model::{Category, Entry, Person};
use feedloom::state::{Keep, PgState, State, StateError, StateLocation};
use store_common::TestStore;
use url::Url;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test date")
}

/// The zone the feeds of these tests are written in.
const ZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// The time of the run on day `n`.
fn day(n: i64) -> DateTime<Utc> {
    at("2026-01-01T00:00:00Z").to_utc() + Duration::days(n)
}

/// The time of the run on day `n`, as an entry's date.
fn on(n: i64) -> DateTime<FixedOffset> {
    day(n).fixed_offset()
}

fn entry(id: &str, title: &str) -> Entry {
    Entry {
        id: id.into(),
        title: title.into(),
        link: Some(Url::parse(&format!("https://example.com/{id}")).expect("test URL")),
        summary: Some("summary".into()),
        content_html: Some("<p>body</p>".into()),
        authors: vec![Person::named("记者 A")],
        categories: vec![Category::term("铜")],
        ..Entry::default()
    }
}

both_stores!(
    undated_entries_keep_their_first_seen_date_across_runs,
    updated_moves_only_when_content_changes,
    resolved_dates_do_not_count_as_a_content_change,
    history_keeps_dropped_entries_for_the_keep_window_in_days,
    history_keeps_only_the_newest_entries_up_to_the_count,
    a_run_dropped_without_commit_leaves_nothing,
    an_uncommitted_write_on_a_dropped_connection_is_gone_after_reopening,
    forgets_entries_unseen_since_a_cutoff,
    page_records_persist_by_feed_id_and_link_and_go_with_their_items,
);

#[test]
fn creates_the_file_with_its_folder_and_reopens_at_the_same_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feeds").join(".feedloom.sqlite");
    let version = State::open(&path)
        .expect("create")
        .schema_version()
        .expect("version");
    assert!(version >= 1);
    assert!(path.is_file());
    let again = State::open(&path).expect("reopen");
    assert_eq!(again.schema_version().expect("version"), version);
}

#[test]
fn refuses_a_file_from_a_newer_feedloom_and_foreign_databases() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feeds").join(".feedloom.sqlite");
    drop(State::open(&path).expect("create"));
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.pragma_update(None, "user_version", 999).expect("bump");
    drop(conn);
    assert!(matches!(
        State::open(&path),
        Err(StateError::TooNew { found: 999, .. })
    ));

    let foreign = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&foreign).expect("raw open");
    conn.execute_batch("CREATE TABLE t (x)")
        .expect("create table");
    drop(conn);
    let err = State::open(&foreign).expect_err("foreign file");
    assert!(matches!(err, StateError::NotOurs { .. }));
    assert!(err.to_string().contains("other.sqlite"), "{err}");
}

fn undated_entries_keep_their_first_seen_date_across_runs(store: &TestStore) {
    for n in 0..3 {
        let mut e = entry("a", "Title");
        store
            .with_run(|run| run.resolve_dates("news", &mut e, day(n), ZONE))
            .expect("resolve");
        assert_eq!(e.published, Some(on(0)), "run {n}");
        assert_eq!(e.updated, None, "run {n}");
    }
    // Another feed has its own first-seen dates.
    let first = store.with_run(|run| run.first_seen("other", &entry("a", "Title"), day(5)));
    assert_eq!(first.expect("first seen"), on(5));
}

fn updated_moves_only_when_content_changes(store: &TestStore) {
    let published = at("2020-07-10T09:52:00+08:00");
    let resolve = |e: Entry, now| {
        let mut e = Entry {
            published: Some(published),
            ..e
        };
        store
            .with_run(|run| run.resolve_dates("news", &mut e, now, ZONE))
            .expect("resolve");
        e
    };
    assert_eq!(resolve(entry("a", "Title"), day(0)).updated, None);
    assert_eq!(resolve(entry("a", "Title"), day(1)).updated, None);
    let changed = resolve(entry("a", "Title, corrected"), day(2));
    assert_eq!(changed.published, Some(published));
    assert_eq!(changed.updated, Some(on(2)));
    // Unchanged since: the date of the change stays.
    assert_eq!(
        resolve(entry("a", "Title, corrected"), day(3)).updated,
        Some(on(2))
    );
    // A date the source gives wins.
    let mut own = entry("a", "Title, corrected");
    own.updated = Some(on(9));
    assert_eq!(resolve(own, day(4)).updated, Some(on(9)));
}

fn resolved_dates_do_not_count_as_a_content_change(store: &TestStore) {
    let mut first = entry("a", "Title");
    store
        .with_run(|run| run.resolve_dates("news", &mut first, day(0), ZONE))
        .expect("resolve");
    // The resolved entry (as kept in history) passes through again.
    let mut again = first.clone();
    store
        .with_run(|run| run.resolve_dates("news", &mut again, day(1), ZONE))
        .expect("resolve");
    assert_eq!(again, first);
}

fn history_keeps_dropped_entries_for_the_keep_window_in_days(store: &TestStore) {
    let keep = Keep {
        days: Some(30),
        count: None,
    };
    let dated = |id: &str, n| Entry {
        published: Some(on(n)),
        ..entry(id, id)
    };
    store
        .with_run(|run| {
            run.remember_history("news", &[dated("old", 0), dated("new", 1)], keep, day(1))
        })
        .expect("remember");
    // The source dropped "old": history still has it, and the entry round-trips whole.
    store
        .with_run(|run| run.remember_history("news", &[dated("new", 1)], keep, day(10)))
        .expect("remember");
    let kept = store
        .with_run(|run| run.history("news", keep, day(10)))
        .expect("history");
    assert_eq!(kept, vec![dated("new", 1), dated("old", 0)]);
    assert!(
        store
            .with_run(|run| run.history("sport", keep, day(10)))
            .expect("history")
            .is_empty()
    );
    // 30 days after "old" was last merged it is still there; a day later it is gone.
    let ids = |now| {
        store
            .with_run(|run| run.history("news", keep, now))
            .expect("history")
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(day(31)), ["new", "old"]);
    assert_eq!(ids(day(32)), ["new"]);
    // Pruning on the next remember deletes it for good.
    store
        .with_run(|run| run.remember_history("news", &[], keep, day(32)))
        .expect("remember");
    let unlimited = Keep {
        days: None,
        count: None,
    };
    assert_eq!(
        store
            .with_run(|run| run.history("news", unlimited, day(32)))
            .expect("history")
            .len(),
        1
    );
}

fn history_keeps_only_the_newest_entries_up_to_the_count(store: &TestStore) {
    let keep = Keep {
        days: None,
        count: Some(2),
    };
    let entries: Vec<Entry> = (0..4)
        .map(|n| Entry {
            published: Some(on(n)),
            ..entry(&format!("e{n}"), "t")
        })
        .collect();
    store
        .with_run(|run| run.remember_history("news", &entries, keep, day(4)))
        .expect("remember");
    let unlimited = Keep {
        days: None,
        count: None,
    };
    let ids: Vec<String> = store
        .with_run(|run| run.history("news", unlimited, day(4)))
        .expect("history")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, ["e3", "e2"]);
    assert_eq!(
        Keep::default(),
        Keep {
            days: Some(30),
            count: Some(200)
        }
    );
}

fn a_run_dropped_without_commit_leaves_nothing(store: &TestStore) {
    let mut state = store.open();
    {
        let run = state.begin().expect("begin");
        run.first_seen("news", &entry("a", "t"), day(0))
            .expect("first seen");
        run.remember_history("news", &[entry("a", "t")], Keep::default(), day(0))
            .expect("remember");
    }
    let run = state.begin().expect("begin");
    assert!(
        run.history("news", Keep::default(), day(0))
            .expect("history")
            .is_empty()
    );
    assert_eq!(
        run.first_seen("news", &entry("a", "t"), day(3))
            .expect("first seen"),
        on(3)
    );
}

fn an_uncommitted_write_on_a_dropped_connection_is_gone_after_reopening(store: &TestStore) {
    store
        .with_run(|run| run.first_seen("news", &entry("a", "t"), day(0)))
        .expect("first seen");
    // Written on a connection that closes without committing.
    store.raw(
        "BEGIN; DELETE FROM entry_seen; DELETE FROM history; \
         INSERT INTO history (feed, entry_id, last_seen, entry) VALUES ('news', 'x', 0, '{}');",
    );
    let first = store.with_run(|run| run.first_seen("news", &entry("a", "t"), day(7)));
    assert_eq!(first.expect("first seen"), on(0));
}

#[test]
fn migrates_an_existing_empty_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("empty.sqlite");
    std::fs::write(&path, b"").expect("empty file");
    let state = State::open(&path).expect("open empty file");
    assert_eq!(
        state.schema_version().expect("version"),
        feedloom::state::SCHEMA_VERSION
    );
}

fn forgets_entries_unseen_since_a_cutoff(store: &TestStore) {
    store
        .with_run(|run| run.first_seen("news", &entry("old", "t"), day(0)))
        .expect("seen");
    store
        .with_run(|run| run.first_seen("news", &entry("new", "t"), day(0)))
        .expect("seen");
    store
        .with_run(|run| run.first_seen("news", &entry("new", "t"), day(400)))
        .expect("seen");
    let forgotten = store
        .with_run(|run| run.forget_unseen(day(35)))
        .expect("forget");
    assert_eq!(forgotten, 1);
    let again = store.with_run(|run| run.first_seen("news", &entry("old", "t"), day(401)));
    assert_eq!(again.expect("seen"), on(401));
    let kept = store.with_run(|run| run.first_seen("news", &entry("new", "t"), day(401)));
    assert_eq!(kept.expect("seen"), on(0));
}

#[test]
fn creates_the_schema_of_a_new_database_and_reopens_it_at_the_same_version() {
    let Some(store) = TestStore::postgres() else {
        return;
    };
    let Ok(StateLocation::Postgres(address)) = StateLocation::parse(&store.location) else {
        panic!("a database address");
    };
    let version = PgState::open(&address)
        .expect("create")
        .schema_version()
        .expect("version");
    assert_eq!(version, feedloom::state::postgres::schema::CURRENT);
    let mut again = PgState::open(&address).expect("reopen");
    assert_eq!(again.schema_version().expect("version"), version);
    // Every host migrates on start, several at once.
    let opened: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PgState::open(&address).is_ok()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(false))
            .collect()
    });
    assert_eq!(opened, [true; 4]);
}

#[test]
fn refuses_a_database_from_a_newer_feedloom_and_hides_its_password() {
    let Some(store) = TestStore::postgres() else {
        return;
    };
    drop(store.open());
    store.raw("INSERT INTO feedloom_schema (version) VALUES (999)");
    let address = match StateLocation::parse(&store.location) {
        Ok(StateLocation::Postgres(address)) => address,
        other => panic!("not a database address: {other:?}"),
    };
    let err = PgState::open(&address).expect_err("too new");
    assert!(
        matches!(err, StateError::SchemaTooNew { found: 999, .. }),
        "{err}"
    );
    let wrong = store
        .location
        .replace("postgres@", "postgres:hunter2@")
        .replace("/t", "/missing_t");
    let Ok(StateLocation::Postgres(wrong)) = StateLocation::parse(&wrong) else {
        panic!("a database address");
    };
    let err = PgState::open(&wrong)
        .expect_err("no such database")
        .to_string();
    assert!(err.contains("postgres:***@127.0.0.1"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

fn page_records_persist_by_feed_id_and_link_and_go_with_their_items(store: &TestStore) {
    use feedloom::merge::{FetchSchedule, PageRecord, PageText};
    let link = |p: &str| Url::parse(&format!("https://example.com/{p}")).expect("test URL");
    let record = |html: Option<&str>| PageRecord {
        text: html.map(|h| PageText {
            content_html: h.into(),
            published: Some(on(0)),
            authors: vec!["Ann".into()],
        }),
        schedule: FetchSchedule::failed(None, day(0), None),
        etag: Some("\"e\"".into()),
        last_modified: None,
    };
    store.with_run(|run| {
        run.put_page("news", "a", &link("a"), &record(Some("<p>A</p>")));
        run.put_page("news", "b", &link("b"), &record(None));
        run.put_page("other", "a", &link("a"), &record(None));
    });
    store.with_run(|run| {
        assert_eq!(
            run.page("news", "a", &link("a")),
            Some(record(Some("<p>A</p>")))
        );
        assert_eq!(run.page("news", "a", &link("moved")), None, "another link");
        run.forget_pages_except("news", &["b"]);
    });
    store.with_run(|run| {
        assert_eq!(run.page("news", "a", &link("a")), None);
        assert_eq!(run.page("news", "b", &link("b")), Some(record(None)));
        assert_eq!(run.page("other", "a", &link("a")), Some(record(None)));
    });
}
