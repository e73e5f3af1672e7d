//! A fetch worker rides out a database that goes away: while PostgreSQL is down it keeps
//! what it fetched and retries, and once the database is back it stores it and goes on
//! fetching, so its feeds do not stop refreshing; a claim that committed just as the
//! connection broke is given back at once instead of waiting for its leases to expire. The
//! test has a server of its own, since it stops it.

mod fleet_common;
#[path = "pg_common/mod.rs"]
mod pg_common;

use std::path::Path;
use std::time::Duration;

use fleet_common::{Fleet, signal, spawn, wait_until};

#[test]
fn a_worker_goes_on_fetching_after_the_database_comes_back() {
    let Some(bin) = pg_common::bin_dir() else {
        assert!(
            std::env::var_os("FEEDLOOM_REQUIRE_TOOLS").is_none(),
            "pg_ctl not found, and FEEDLOOM_REQUIRE_TOOLS is set: install postgresql"
        );
        eprintln!("skipped: pg_ctl not found");
        return;
    };
    let server = pg_common::PgServer::start(&bin, &[]);
    let state = server.new_database();
    let fleet = Fleet::start(1, 4, Duration::ZERO);
    let dir = tempfile::tempdir().expect("temp dir");
    fleet.project(dir.path(), 10, "every = \"1s\"\nper_host = 8", "");
    let args = ["fetch", "--worker", "--state", &state, "--poll", "0.1"];
    let worker = spawn(
        Path::new(env!("CARGO_BIN_EXE_feedloom")),
        dir.path(),
        &args,
        &[],
    );
    assert!(
        wait_until(Duration::from_secs(30), || fleet.total() >= 20),
        "it fetches"
    );
    server.set_running(false);
    std::thread::sleep(Duration::from_secs(3));
    let during = fleet.total();
    server.set_running(true);
    let resumed = wait_until(Duration::from_secs(30), || fleet.total() >= during + 30);
    let stored = || {
        let mut client = postgres::Client::connect(&state, postgres::NoTls).expect("connect");
        let row = client
            .query_one(
                "SELECT count(*) FROM fetch_source
                 WHERE checked_at > now() - interval '2 seconds'",
                &[],
            )
            .expect("query");
        row.get::<_, i64>(0)
    };
    let fresh = resumed && wait_until(Duration::from_secs(10), || stored() == 10);
    signal(&worker, false);
    let out = worker.wait_with_output().expect("wait");
    server.stop();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(resumed, "fetching resumed after the restart: {stderr}");
    assert!(fresh, "and every source was stored fresh again: {stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
