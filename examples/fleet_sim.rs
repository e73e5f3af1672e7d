//! A simulation of many fetch workers on loopback, as a benchmark (never a test): 10,000
//! feeds served by local servers on 16 loopback addresses (each feed counting its hits), a
//! real PostgreSQL started for the run, and 1, 2 and 4 `feedloom fetch --worker` processes
//! in turn, each on a fresh database.
//!
//! Per run it reports: how fast the workers fetch the whole fleet once (every feed is due
//! at the start: fetches per second at capacity), whether any feed was fetched twice within
//! its interval (a double fetch) or went a whole interval and more without a fetch
//! (starvation) while the fleet kept being due every N seconds, and the database's load:
//! transactions, rows written and blocks read from `pg_stat_database`, and the busiest
//! statements from `pg_stat_statements`.
//!
//! ```sh
//! cargo build --release && cargo run --release --example fleet_sim -- [FEEDS] [EVERY_SECS] [ROUNDS]
//! ```
//!
//! Defaults: 10,000 feeds due every 60 s, watched for 2.5 intervals after the first pass.

#[path = "../tests/fleet_common/mod.rs"]
mod fleet_common;
#[path = "../tests/pg_common/mod.rs"]
mod pg_common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fleet_common::{Fleet, signal, spawn};

/// Loopback addresses the fleet is spread over.
const HOSTS: usize = 16;
/// Fetches at once per worker process.
const CONCURRENCY: &str = "32";
/// Fetches at once per host, over every worker.
const PER_HOST: usize = 8;

struct Args {
    feeds: usize,
    every: u64,
    rounds: f64,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut next = |default: f64| it.next().and_then(|a| a.parse().ok()).unwrap_or(default);
    Args {
        feeds: next(10_000.0) as usize,
        every: next(60.0) as u64,
        rounds: next(2.5),
    }
}

/// The release binary beside this example (`target/release/feedloom`).
fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("this example's path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/release")
        .join("feedloom");
    assert!(
        bin.is_file(),
        "build the binary first: cargo build --release ({})",
        bin.display()
    );
    bin
}

/// The counters of `pg_stat_database` for one database.
fn db_stats(admin: &mut postgres::Client, db: &str) -> HashMap<&'static str, i64> {
    let row = admin
        .query_one(
            "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted,
                    tup_updated, tup_deleted, blks_read, blks_hit
             FROM pg_stat_database WHERE datname = $1",
            &[&db],
        )
        .expect("pg_stat_database");
    let names = [
        "commits",
        "rollbacks",
        "returned",
        "fetched",
        "inserted",
        "updated",
        "deleted",
        "blks_read",
        "blks_hit",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, row.get::<_, i64>(i)))
        .collect()
}

fn main() {
    let args = args();
    let bin = binary();
    let pg_bin = pg_common::bin_dir().expect("PostgreSQL (pg_ctl) is installed");
    let server = pg_common::PgServer::start(
        &pg_bin,
        &[
            "shared_preload_libraries=pg_stat_statements",
            "max_connections=300",
        ],
    );
    println!(
        "fleet: {} feeds on {HOSTS} loopback hosts, due every {} s, per_host {PER_HOST}, {CONCURRENCY} fetches per worker; PostgreSQL on port {}",
        args.feeds, args.every, server.port
    );
    for workers in [1usize, 2, 4] {
        run(&bin, &server, &args, workers);
    }
    server.stop();
}

fn run(bin: &Path, server: &pg_common::PgServer, args: &Args, workers: usize) {
    let url = server.new_database();
    let db = url.rsplit('/').next().unwrap_or_default().to_string();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    admin
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .expect("extension");
    let fleet = Fleet::start(HOSTS, 16, Duration::ZERO);
    let dir = tempfile::tempdir().expect("temp dir");
    let fetch = format!(
        "every = \"{}s\"\nper_host = {PER_HOST}\ntimeout_secs = 10",
        args.every
    );
    fleet.project(dir.path(), args.feeds, &fetch, "");
    admin
        .execute("SELECT pg_stat_statements_reset()", &[])
        .expect("reset");
    admin.execute("SELECT pg_stat_reset()", &[]).expect("reset");
    let before = db_stats(&mut admin, &db);
    let pg_cpu_before = postgres_cpu();
    let workers_cpu_before = children_cpu();
    let started = Instant::now();
    let children: Vec<_> = (0..workers)
        .map(|i| {
            let id = format!("w{i}");
            let argv = [
                "fetch",
                "--worker",
                "--state",
                &url,
                "--worker-id",
                &id,
                "--concurrency",
                CONCURRENCY,
                "--poll",
                "0.2",
            ];
            spawn(bin, dir.path(), &argv, &[])
        })
        .collect();
    // The first pass: every feed is due at once.
    while fleet.hits().len() < args.feeds && started.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let first_pass = fleet
        .tally
        .hits
        .lock()
        .expect("hits")
        .values()
        .filter_map(|t| t.first().copied())
        .max()
        .unwrap_or_default();
    let window = Duration::from_secs_f64(args.every as f64 * args.rounds);
    std::thread::sleep(window.saturating_sub(started.elapsed().saturating_sub(first_pass)));
    let elapsed = started.elapsed();
    // Before the workers leave: their server processes go with their connections.
    let pg_cpu = postgres_cpu() - pg_cpu_before;
    for child in &children {
        signal(child, false);
    }
    for child in children {
        let out = child.wait_with_output().expect("wait");
        if !out.status.success() {
            eprintln!("a worker failed: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    let after = db_stats(&mut admin, &db);
    let workers_cpu = children_cpu() - workers_cpu_before;
    report(&fleet, args, workers, first_pass, elapsed, &before, &after);
    let fetches: usize = fleet.hits().values().map(Vec::len).sum();
    println!(
        "CPU: PostgreSQL {pg_cpu:.1} s ({:.0}% of one core, {:.3} ms per fetch); workers {workers_cpu:.1} s ({:.3} ms per fetch)",
        pg_cpu / elapsed.as_secs_f64() * 100.0,
        pg_cpu * 1000.0 / fetches.max(1) as f64,
        workers_cpu * 1000.0 / fetches.max(1) as f64
    );
    statements(&mut admin, elapsed);
}

fn report(
    fleet: &Fleet,
    args: &Args,
    workers: usize,
    first_pass: Duration,
    elapsed: Duration,
    before: &HashMap<&'static str, i64>,
    after: &HashMap<&'static str, i64>,
) {
    let hits = fleet.hits();
    let every = args.every as f64;
    let (mut doubles, mut starved, mut fetches) = (0usize, 0usize, 0usize);
    let mut worst_gap: f64 = 0.0;
    for times in hits.values() {
        fetches += times.len();
        for pair in times.windows(2) {
            let gap = (pair[1] - pair[0]).as_secs_f64();
            worst_gap = worst_gap.max(gap);
            doubles += usize::from(gap < every * 0.95);
        }
        // After the first pass, a feed must be fetched again within an interval and a bit.
        let last = times.last().map(Duration::as_secs_f64).unwrap_or(0.0);
        starved += usize::from(elapsed.as_secs_f64() - last > every + 5.0);
    }
    let never = args.feeds - hits.len();
    let secs = elapsed.as_secs_f64();
    let d = |k: &str| after.get(k).copied().unwrap_or(0) - before.get(k).copied().unwrap_or(0);
    println!("\n== {workers} worker(s), {secs:.0} s");
    println!(
        "first pass: {} feeds in {:.1} s = {:.0} fetches/s",
        args.feeds,
        first_pass.as_secs_f64(),
        args.feeds as f64 / first_pass.as_secs_f64().max(0.001)
    );
    println!(
        "in all: {fetches} fetches ({:.0}/s); double fetches within an interval: {doubles}; feeds never fetched: {never}; feeds starved (no fetch in the last interval + 5 s): {starved}; longest gap {worst_gap:.1} s",
        fetches as f64 / secs
    );
    println!(
        "database: {} commits ({:.0}/s, {:.2} per fetch), {} rollbacks, rows inserted {} updated {} deleted {}, rows returned {} fetched {}, blocks read {} hit {}",
        d("commits"),
        d("commits") as f64 / secs,
        d("commits") as f64 / fetches.max(1) as f64,
        d("rollbacks"),
        d("inserted"),
        d("updated"),
        d("deleted"),
        d("returned"),
        d("fetched"),
        d("blks_read"),
        d("blks_hit")
    );
}

/// CPU seconds (user and system) of every `postgres` process now running.
fn postgres_cpu() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((name, rest)) = stat.split_once(") ") else {
            continue;
        };
        if !name.ends_with("(postgres") {
            continue;
        }
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        total += (field(11) + field(12)) / ticks;
    }
    total
}

/// CPU seconds of this process's children that have been waited for.
fn children_cpu() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// The statements that took the database's time, from `pg_stat_statements`.
fn statements(admin: &mut postgres::Client, elapsed: Duration) {
    let rows = admin
        .query(
            "SELECT calls, total_exec_time, rows, regexp_replace(left(query, 70), '\\s+', ' ', 'g')
             FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%'
             ORDER BY total_exec_time DESC LIMIT 8",
            &[],
        )
        .expect("pg_stat_statements");
    let total: f64 = rows.iter().map(|r| r.get::<_, f64>(1)).sum();
    println!(
        "statement time: {total:.0} ms in all, {:.1}% of one core; the busiest:",
        total / elapsed.as_secs_f64() / 10.0
    );
    for r in rows {
        let (calls, ms, n, text): (i64, f64, i64, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        println!(
            "  {calls:>8} calls {ms:>9.1} ms {:>7.3} ms/call {n:>8} rows  {text}",
            ms / calls.max(1) as f64
        );
    }
}
