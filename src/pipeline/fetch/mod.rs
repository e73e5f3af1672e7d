//! `feedloom fetch`: the fetch workers of a shared (PostgreSQL) state. Any number of them,
//! on any number of hosts, fetch the `[[merge]]` sources of a folder of definitions as
//! leased work, so that `feedloom build` only merges what they stored.
//!
//! [`fetch()`] registers the sources the definitions name ([`plan`]), then claims due
//! sources, fetches and stores them ([`worker`]): until stopped, or (`until_idle`) until
//! nothing is due. [`fetch_status()`] reports the queue.

mod plan;
mod worker;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use plan::{FetchPlan, Planned, plan};
pub use worker::Clock;

use crate::config::{self, FeedDef};
use crate::diagnostic::Diagnostic;
use crate::error::ConfigError;
pub use crate::state::postgres::{Registered, SourceStatus, StatusRow};
use crate::state::{PgAddress, PgState, State, StateError, StateLocation};

/// What `feedloom fetch` is asked to do.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The folder of feed definitions.
    pub feeds: PathBuf,
    /// The state (`--state`, `FEEDLOOM_STATE`); `None`: the definitions' `state` key.
    pub state: Option<StateLocation>,
    /// Fetches at once in this worker.
    pub concurrency: usize,
    /// How long a claimed source stays this worker's without a renewal: a worker that dies
    /// loses its sources to the others this long after its last renewal.
    pub lease: Duration,
    /// How long an idle worker waits before it looks for due sources again.
    pub poll: Duration,
    /// Stop once nothing is due and nothing is in flight (one pass), instead of running
    /// until stopped.
    pub until_idle: bool,
    /// This worker's name in leases and logs (host name, process id and a random part by
    /// default).
    pub worker_id: String,
}

impl FetchOptions {
    /// Options for a worker over the definitions in `feeds`, every other setting at its
    /// default: 8 fetches at once, 60 s leases, a 1 s poll, running until stopped.
    pub fn new(feeds: impl Into<PathBuf>) -> FetchOptions {
        FetchOptions {
            feeds: feeds.into(),
            state: None,
            concurrency: 8,
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(1),
            until_idle: false,
            worker_id: default_worker_id(),
        }
    }
}

/// What a worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerReport {
    /// What registering the definitions' sources changed.
    pub registered: Registered,
    /// Sources fetched (a 200 or a 304) and stored.
    pub fetched: usize,
    /// Sources whose fetch failed (the failure is stored, and they back off).
    pub failed: usize,
    /// Results dropped because the lease ran out meanwhile and another worker took over.
    pub lost: usize,
    /// Problems with the definitions' sources (an unreadable OPML list, say).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why `feedloom fetch` could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The feed definitions could not be read or are wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database failed.
    #[error(transparent)]
    State(#[from] StateError),
    /// The state is an SQLite file, which no worker shares.
    #[error(
        "{path}: feedloom fetch needs a shared PostgreSQL state (--state postgres://…, \
         FEEDLOOM_STATE, or `state` in the definitions); with a state file, feedloom build \
         fetches the sources itself"
    )]
    NotShared {
        /// The state file.
        path: String,
    },
}

/// The database the definitions in `feeds` use, `flag` first.
fn address(
    flag: Option<&StateLocation>,
    defs: &[FeedDef],
    feeds: &std::path::Path,
) -> Result<PgAddress, FetchError> {
    let location = (flag.cloned())
        .or_else(|| config::named_state(defs).cloned())
        .unwrap_or_else(|| StateLocation::File(State::default_path(feeds)));
    match location {
        StateLocation::Postgres(address) => Ok(address),
        StateLocation::File(path) => Err(FetchError::NotShared {
            path: path.display().to_string(),
        }),
    }
}

/// Runs a fetch worker: registers the sources of the definitions, then fetches due sources
/// until `stop` is set (finishing and storing what is in flight), or with
/// `options.until_idle` until nothing is due. `clock` is read at the top of each round and
/// as each fetch starts.
pub fn fetch(
    options: &FetchOptions,
    clock: Clock<'_>,
    stop: &AtomicBool,
) -> Result<WorkerReport, FetchError> {
    let defs = config::load_dir(&options.feeds)?;
    let address = address(options.state.as_ref(), &defs, &options.feeds)?;
    let mut state = PgState::open(&address)?;
    let (fetch_plan, diagnostics) = plan(&defs);
    let registered = state.register(&fetch_plan.rows)?;
    // A worker of the same name that ended before holds nothing any more.
    state.release_others(&options.worker_id, &[])?;
    tracing::info!(
        sources = fetch_plan.rows.len(),
        ?registered,
        "sources registered"
    );
    let mut report = worker::run(options, address, state, fetch_plan, clock, stop)?;
    report.registered = registered;
    report.diagnostics = diagnostics;
    Ok(report)
}

/// The work queue of the definitions' database at `now`, with up to `rows` sources of each
/// kind (due, leased, failing, backed off).
pub fn fetch_status(
    feeds: &std::path::Path,
    state: Option<&StateLocation>,
    now: DateTime<Utc>,
    rows: i64,
) -> Result<SourceStatus, FetchError> {
    let defs = config::load_dir(feeds)?;
    let address = address(state, &defs, feeds)?;
    Ok(PgState::open(&address)?.status(now, rows)?)
}

/// `host:pid:random`, unique enough to tell workers apart in leases and logs.
pub fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    // The standard library seeds each RandomState from the system's randomness.
    let nonce =
        std::hash::BuildHasher::hash_one(&std::collections::hash_map::RandomState::new(), 0u8);
    format!("{host}:{}:{:06x}", std::process::id(), nonce & 0xff_ffff)
}
