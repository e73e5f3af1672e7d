//! Fetch workers against a real PostgreSQL and a fleet of feeds on loopback: every due feed
//! is fetched once per interval by two workers, a worker killed mid-batch loses nothing,
//! per-host limits hold across workers, and builds merge what the workers stored, one at a
//! time per feed.

mod fleet_common;
#[path = "pg_common/mod.rs"]
mod pg_common;

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use fleet_common::{Fleet, signal, spawn, wait_until};

const BIN: &str = env!("CARGO_BIN_EXE_feedloom");

fn feedloom(dir: &Path, args: &[&str]) -> Child {
    spawn(Path::new(BIN), dir, args, &[])
}

/// Waits for `child` and returns its exit code and standard error.
fn finish(child: Child) -> (Option<i32>, String) {
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn query_i64(url: &str, sql: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    client.query_one(sql, &[]).expect("query").get(0)
}

fn worker<'a>(state: &'a str, id: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "fetch",
        "--worker",
        "--state",
        state,
        "--worker-id",
        id,
        "--poll",
        "0.1",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn every_due_feed_is_fetched_once_per_interval_by_two_workers() {
    let Some(state) = pg_common::database() else {
        return;
    };
    let fleet = Fleet::start(1, 8, Duration::ZERO);
    let dir = tempfile::tempdir().expect("temp dir");
    fleet.project(dir.path(), 200, "every = \"2s\"\nper_host = 64", "");
    let a = feedloom(dir.path(), &worker(&state, "a", &[]));
    let b = feedloom(dir.path(), &worker(&state, "b", &[]));
    std::thread::sleep(Duration::from_secs(9));
    signal(&a, false);
    signal(&b, false);
    for (name, child) in [("a", a), ("b", b)] {
        let (code, stderr) = finish(child);
        assert_eq!(
            code,
            Some(0),
            "worker {name} stops cleanly on SIGTERM: {stderr}"
        );
    }
    let hits = fleet.hits();
    assert_eq!(hits.len(), 200, "every feed was fetched");
    for (url, times) in &hits {
        let gaps: Vec<f64> = times
            .windows(2)
            .map(|w| (w[1] - w[0]).as_secs_f64())
            .collect();
        assert!(
            times.len() >= 3,
            "{url}: fetched {} times in 9 s: {times:?}",
            times.len()
        );
        assert!(
            gaps.iter().all(|g| *g >= 1.9),
            "{url}: fetched twice within its 2 s interval: {gaps:?}"
        );
        assert!(
            gaps.iter().all(|g| *g < 4.0),
            "{url}: an interval passed without a fetch: {gaps:?}"
        );
    }
    let held = query_i64(
        &state,
        "SELECT count(*) FROM fetch_source WHERE lease_owner IS NOT NULL",
    );
    assert_eq!(held, 0, "a stopped worker holds no lease");
}

#[test]
fn a_worker_killed_mid_batch_loses_nothing() {
    let Some(state) = pg_common::database() else {
        return;
    };
    let fleet = Fleet::start(1, 16, Duration::from_millis(300));
    let dir = tempfile::tempdir().expect("temp dir");
    fleet.project(dir.path(), 200, "every = \"1h\"\nper_host = 16", "");
    let a = feedloom(
        dir.path(),
        &worker(&state, "doomed", &["--lease", "2", "--concurrency", "16"]),
    );
    assert!(
        wait_until(Duration::from_secs(30), || fleet.total() >= 40),
        "the first worker fetches"
    );
    signal(&a, true);
    let _ = finish(a);
    let held = query_i64(
        &state,
        "SELECT count(*) FROM fetch_source WHERE lease_owner = 'doomed'",
    );
    assert!(held > 0, "killed mid-batch, it held leases");
    let b = feedloom(
        dir.path(),
        &worker(&state, "heir", &["--lease", "2", "--concurrency", "16"]),
    );
    let all = || {
        query_i64(
            &state,
            "SELECT count(*) FROM fetch_source WHERE wanted AND fetched_at IS NOT NULL",
        ) == 200
    };
    let done = wait_until(Duration::from_secs(60), all);
    signal(&b, false);
    let (code, stderr) = finish(b);
    assert!(
        done,
        "every source was fetched and stored after the lease ran out: {stderr}"
    );
    assert_eq!(code, Some(0), "{stderr}");
    let hits = fleet.hits();
    assert_eq!(hits.len(), 200);
    let twice = hits.values().filter(|t| t.len() > 1).count();
    assert!(
        twice as i64 <= held,
        "only the sources in flight when the worker died were fetched again ({twice} > {held})"
    );
    let orphans = query_i64(
        &state,
        "SELECT count(*) FROM fetch_source WHERE lease_owner IS NOT NULL",
    );
    assert_eq!(orphans, 0);
}

#[test]
fn per_host_limits_hold_across_workers() {
    let Some(state) = pg_common::database() else {
        return;
    };
    let fleet = Fleet::start(2, 16, Duration::from_millis(150));
    let dir = tempfile::tempdir().expect("temp dir");
    fleet.project(dir.path(), 60, "per_host = 3", "");
    let one_pass = |id: &'static str| {
        let args = [
            "fetch",
            "--state",
            &state,
            "--worker-id",
            id,
            "--poll",
            "0.05",
            "--concurrency",
            "8",
        ];
        feedloom(dir.path(), &args)
    };
    let (a, b) = (one_pass("a"), one_pass("b"));
    for child in [a, b] {
        let (code, stderr) = finish(child);
        assert_eq!(code, Some(0), "{stderr}");
    }
    let hits = fleet.hits();
    assert_eq!(hits.len(), 60, "every feed was fetched");
    assert!(hits.values().all(|t| t.len() == 1), "each once: {hits:?}");
    let peaks = fleet.peaks();
    assert_eq!(peaks.len(), 2);
    for (host, peak) in &peaks {
        assert!(
            *peak <= 3,
            "{host} had {peak} requests at once, over its limit of 3"
        );
    }
    assert!(
        peaks.values().any(|p| *p >= 2),
        "the workers did fetch in parallel: {peaks:?}"
    );
}

#[test]
fn builds_merge_what_workers_stored_one_build_at_a_time() {
    let Some(state) = pg_common::database() else {
        return;
    };
    let fleet = Fleet::start(1, 4, Duration::ZERO);
    let dir = tempfile::tempdir().expect("temp dir");
    fleet.project(dir.path(), 20, "", &format!("state = \"{state}\"\n"));
    let (code, stderr) = finish(feedloom(dir.path(), &["build"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        fleet.total(),
        0,
        "a build with a shared state fetches nothing"
    );
    assert!(
        stderr.contains("no fetch worker has stored a copy yet"),
        "{stderr}"
    );
    let (code, stderr) = finish(feedloom(dir.path(), &["fetch", "--poll", "0.05"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(fleet.total(), 20);

    // Two builds at once: one waits for the other's locks, and both write the same feed.
    let builds: Vec<Child> = (0..2)
        .map(|_| feedloom(dir.path(), &["build", "-v"]))
        .collect();
    let outcomes: Vec<(Option<i32>, String)> = builds.into_iter().map(finish).collect();
    for (code, stderr) in &outcomes {
        assert_eq!(*code, Some(0), "{stderr}");
    }
    assert_eq!(fleet.total(), 20, "builds fetched nothing");
    let feed = std::fs::read(dir.path().join("public/fleet.xml")).expect("the feed");
    let channel = rss::Channel::read_from(&feed[..]).expect("a valid RSS feed");
    assert_eq!(channel.items().len(), 20, "one entry per merged feed");
    let out = std::process::Command::new(BIN)
        .args(["build", "-v"])
        .current_dir(dir.path())
        .env_remove("FEEDLOOM_STATE")
        .output()
        .expect("build");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("fleet: unchanged"),
        "a third build changes nothing: {summary}"
    );

    // A build held still inside its transaction keeps the feed's lock: another gives up
    // with exit code 3 once its --lock-timeout is over.
    let held = spawn(
        Path::new(BIN),
        dir.path(),
        &["build"],
        &[("FEEDLOOM_PAUSE_AT", "before-commit")],
    );
    let locks = || {
        query_i64(
            &state,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'",
        )
    };
    assert!(
        wait_until(Duration::from_secs(30), || locks() > 0),
        "the first build locks"
    );
    let (code, stderr) = finish(feedloom(dir.path(), &["build", "--lock-timeout", "0.3"]));
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("another feedloom build holds the lock of feed `fleet`"),
        "{stderr}"
    );
    signal(&held, true);
    let _ = finish(held);
    let (code, stderr) = finish(feedloom(dir.path(), &["build", "--lock-timeout", "5"]));
    assert_eq!(code, Some(0), "a killed build's lock is gone: {stderr}");
}

#[test]
fn status_shows_due_failing_and_backed_off_sources() {
    let Some(state) = pg_common::database() else {
        return;
    };
    let fleet = Fleet::start(1, 4, Duration::ZERO);
    let dir = tempfile::tempdir().expect("temp dir");
    fleet.project(dir.path(), 5, "", "");
    let broken = "title = \"Broken\"\n[[merge]]\nurl = \"http://127.0.0.1:9/gone.xml\"\n\
                  [output]\nrss = \"public/broken.xml\"\n[fetch]\nallow = [\"127.0.0.1\"]\n";
    std::fs::write(dir.path().join("feeds/broken.toml"), broken).expect("write");
    let status = |dir: &Path| {
        let out = std::process::Command::new(BIN)
            .args(["fetch", "--status", "--state", &state])
            .current_dir(dir)
            .env_remove("FEEDLOOM_STATE")
            .output()
            .expect("status");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let (code, stderr) = finish(feedloom(dir.path(), &["fetch", "--state", &state]));
    assert_eq!(code, Some(0), "{stderr}");
    let shown = status(dir.path());
    for line in [
        "sources: 6",
        "due: 0",
        "leased: 0",
        "failing: 1",
        "backed off: 1",
        "never fetched: 0",
    ] {
        assert!(shown.contains(line), "{line}: {shown}");
    }
    assert!(
        shown.contains("backed-off http://127.0.0.1:9/gone.xml (1 failures in a row; next try"),
        "{shown}"
    );
    assert!(
        shown.contains("cannot connect"),
        "the reason is shown: {shown}"
    );
    // Without a database, there is nothing to show.
    let out = std::process::Command::new(BIN)
        .args(["fetch", "--status"])
        .current_dir(dir.path())
        .env_remove("FEEDLOOM_STATE")
        .output()
        .expect("status");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a shared PostgreSQL state"));
}
