//! A run killed mid-transaction leaves the state as the last committed run left it.
//!
//! The test runs itself again as a child process that writes a large uncommitted run and
//! exits at once, running no destructors (as a crash or `kill -9` would), then reopens the
//! state in the parent; against both stores.

mod store_common;

use std::process::Command;

use chrono::{DateTime, Utc};
use feedloom::model::Entry;
use feedloom::state::Keep;
use store_common::{TestStore, open_location};

const CHILD_ENV: &str = "FEEDLOOM_TEST_CRASH_STATE";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("test date")
        .to_utc()
}

fn entry(n: usize) -> Entry {
    Entry {
        id: format!("e{n}"),
        title: format!("entry {n}"),
        content_html: Some("<p>padding</p>".repeat(200)),
        ..Entry::default()
    }
}

/// In the child: write enough to spill pages into the database file, then die.
fn crash_mid_run(location: &str) -> ! {
    let mut state = open_location(location);
    let run = state.begin().expect("begin in child");
    let entries: Vec<Entry> = (0..2000).map(entry).collect();
    let keep = Keep {
        days: None,
        count: None,
    };
    run.remember_history("news", &entries, keep, now())
        .expect("write in child");
    std::process::exit(0)
}

#[test]
fn a_crash_mid_run_rolls_back_to_the_last_commit() {
    if let Ok(location) = std::env::var(CHILD_ENV) {
        crash_mid_run(&location);
    }
    crash_and_check(&TestStore::sqlite(), "sqlite");
    if let Some(postgres) = TestStore::postgres() {
        crash_and_check(&postgres, "postgres");
    }
}

/// Commits one entry, has a child die mid-run, and checks that only the entry is left.
fn crash_and_check(store: &TestStore, name: &str) {
    {
        let mut state = store.open();
        let run = state.begin().expect("begin");
        run.remember_history("news", &[entry(0)], Keep::default(), now())
            .expect("remember");
        run.commit().expect("commit");
    }
    let exe = std::env::current_exe().expect("test binary");
    let status = Command::new(exe)
        .args(["--exact", "a_crash_mid_run_rolls_back_to_the_last_commit"])
        .env(CHILD_ENV, &store.location)
        .status()
        .expect("run child");
    assert!(status.success(), "{name}: child failed: {status}");
    if !store.is_postgres() {
        let journal = format!("{}-journal", store.location);
        assert!(
            std::path::Path::new(&journal).exists(),
            "the child should have left a hot journal behind"
        );
    }

    let mut state = store.open();
    let run = state.begin().expect("begin");
    let ids: Vec<String> = run
        .history("news", Keep::default(), now())
        .expect("history")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, ["e0"], "{name}");
}
