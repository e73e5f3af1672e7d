//! The `fetch` command of the binary: fetch workers of a shared PostgreSQL state, and the
//! status of their queue.
//!
//! `feedloom fetch` fetches every due source once and exits; `--worker` keeps fetching until
//! SIGTERM or SIGINT (then it finishes and stores what is in flight, and exits; a second
//! signal does not hurry it: each fetch is bounded by its timeout); `--status` prints the
//! queue. The clock is read here: the system's, or, with `SOURCE_DATE_EPOCH`, that time
//! plus the time elapsed since the start.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;
use feedloom::diagnostic::sanitize_terminal;
use feedloom::exit::ExitStatus;
use feedloom::pipeline::fetch::default_worker_id;
use feedloom::pipeline::{self, FetchError, FetchOptions, StateLocation};

use super::{Reporter, fail_with};
use crate::Cli;

/// Examples shown at the end of `feedloom fetch --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom fetch --worker --state postgres://feedloom@db/feeds      a long-lived worker (one per host, or more)
  feedloom fetch --state postgres://feedloom@db/feeds               fetch what is due now, then exit
  feedloom fetch --status                                           due, leased, failing and backed-off sources";

/// The flags of `feedloom fetch`.
#[derive(Debug, Args)]
pub(crate) struct FetchArgs {
    /// The folder of feed definitions (*.toml).
    #[arg(long, default_value = "feeds")]
    feeds: PathBuf,
    /// The shared state: a PostgreSQL database (postgres://…) [default: the definitions'
    /// `state` key].
    #[arg(
        long,
        value_name = "URL",
        env = "FEEDLOOM_STATE",
        hide_env_values = true
    )]
    state: Option<StateLocation>,
    /// Keep fetching due sources until stopped (SIGTERM, SIGINT), instead of one pass.
    #[arg(long, conflicts_with = "status")]
    worker: bool,
    /// Fetches at once in this process.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=1024))]
    concurrency: u64,
    /// Seconds a claimed source stays this worker's without renewal; renewed every third
    /// of it. A worker that dies loses its sources to the others this long after.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    lease: f64,
    /// Seconds an idle worker waits before looking for due sources again.
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    poll: f64,
    /// This worker's name in leases and logs [default: host:pid:random].
    #[arg(long, value_name = "NAME")]
    worker_id: Option<String>,
    /// Print the due, leased, failing and backed-off sources, and exit.
    #[arg(long)]
    status: bool,
    /// With --status: list at most this many sources of each kind.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: i64,
}

/// A duration in seconds from a flag, at least `min`.
fn seconds(secs: f64, min: f64) -> Duration {
    Duration::try_from_secs_f64(secs.max(min)).unwrap_or(Duration::MAX)
}

/// Runs `feedloom fetch`.
pub(crate) fn run(args: &FetchArgs, cli: &Cli, report: &mut Reporter) -> anyhow::Result<()> {
    let start = super::now()?;
    let started = Instant::now();
    let clock = move || -> DateTime<Utc> {
        start + chrono::Duration::from_std(started.elapsed()).unwrap_or_default()
    };
    if args.status {
        let status = pipeline::fetch_status(&args.feeds, args.state.as_ref(), clock(), args.limit)
            .map_err(failure)?;
        return super::fetch_status::print(&status, clock());
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, stop.clone()).context("cannot catch signals")?;
    }
    let options = FetchOptions {
        feeds: args.feeds.clone(),
        state: args.state.clone(),
        concurrency: usize::try_from(args.concurrency).unwrap_or(8),
        lease: seconds(args.lease, 1.0),
        poll: seconds(args.poll, 0.01),
        until_idle: !args.worker,
        worker_id: args.worker_id.clone().unwrap_or_else(default_worker_id),
    };
    let done = pipeline::fetch(&options, &clock, &stop).map_err(failure)?;
    report.report(&done.diagnostics);
    if cli.verbose || (!cli.quiet && std::io::stdout().is_terminal()) {
        let line = format!(
            "{}: {} fetched, {} failed, {} dropped (lease lost); sources: {} new, {} changed, {} retired",
            options.worker_id,
            done.fetched,
            done.failed,
            done.lost,
            done.registered.added,
            done.registered.changed,
            done.registered.retired
        );
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", sanitize_terminal(&line)).context("cannot write to stdout")?;
    }
    Ok(())
}

/// A fetch error with its exit status: 2 for definitions or a state that is no database.
fn failure(e: FetchError) -> anyhow::Error {
    let status = match &e {
        FetchError::Config(_) | FetchError::NotShared { .. } => ExitStatus::Usage,
        _ => ExitStatus::Failure,
    };
    fail_with(status, e)
}
