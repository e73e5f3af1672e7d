//! `feedloom build`: every feed of a definitions folder, incrementally, against the state
//! store, under its lock.
//!
//! One run: take the lock ([`crate::lock`]); open the store; in one transaction, build each
//! feed ([`feed`]: skip it when its fingerprint is unchanged, else read what changed, date
//! the entries, merge external entries and history, emit every output into a temporary
//! file); commit; only then install the outputs (flush and rename). A run killed before the
//! commit leaves state and outputs as they were; one killed after it leaves outputs the next
//! run rewrites (their stamps are not the recorded ones).

mod articles;
mod external;
mod feed;
mod fingerprint;
mod outputs;
mod run;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use feed::{FeedBuild, RACY_WINDOW, build_feed};
pub use run::build_all;

use crate::config::{self, FeedDef};
use crate::diagnostic::Diagnostic;
use crate::error::ConfigError;
use crate::lock::{LockError, StateLock};
use crate::pipeline::full_text::PageCounts;
use crate::pipeline::websub::{self, PingSettings};
use crate::state::postgres::lock::{FeedLockError, FeedLocks};
use crate::state::{PgAddress, PgState, State, StateError, StateLocation};

/// What `feedloom build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder of feed definitions (`feeds/`); relative paths in them resolve against
    /// its parent.
    pub feeds: PathBuf,
    /// The state: an SQLite file or a PostgreSQL database; `None`: the one the definitions
    /// name (`state`), else `.feedloom.sqlite` in the definitions folder.
    pub state: Option<StateLocation>,
    /// How long to wait for another run to release the lock.
    pub lock_timeout: Duration,
    /// Include draft articles.
    pub drafts: bool,
    /// Work out what would change, but write no output and keep no state.
    pub dry_run: bool,
    /// Check every output against the W3C Feed Validation Service's rules before installing
    /// it: one with an error is not installed (the last good one stays) and the error names
    /// the feed.
    pub validate: bool,
    /// Tell the WebSub hubs of each feed (its `hubs` key) about every output whose bytes
    /// were written, once they are installed; `None`: tell no hub. A hub that is not
    /// reached is a warning, never a failure.
    pub ping: Option<PingSettings>,
    /// The run's time: first-seen dates, history, fingerprint expiry, which files were
    /// modified too recently to trust their stamps, and which external feeds are due all
    /// count from it. Taken once, by the caller.
    pub now: DateTime<Utc>,
    /// Fetch every `[[merge]]` source now, even one that asked to wait (`Retry-After`), is
    /// backing off after failures, or is fresh by its own headers.
    pub force: bool,
    /// Whether the build fetches the `[[merge]]` sources itself. `None`: it does with a
    /// state file, and with a PostgreSQL state merges the copies the fetch workers stored
    /// (`feedloom fetch`) instead; `Some(true)` (`--fetch`, or `--force`) fetches with
    /// either. [`build_all`] takes `None` as `Some(true)`.
    pub fetch: Option<bool>,
}

impl BuildOptions {
    /// Options for the project whose definitions are in `feeds`, at `now`, with every other
    /// setting at its default (the state beside the definitions, a 60 s lock timeout).
    pub fn new(feeds: impl Into<PathBuf>, now: DateTime<Utc>) -> BuildOptions {
        BuildOptions {
            feeds: feeds.into(),
            state: None,
            lock_timeout: Duration::from_secs(60),
            drafts: false,
            dry_run: false,
            validate: false,
            ping: Some(PingSettings::default()),
            now,
            force: false,
            fetch: None,
        }
    }

    /// The state this run uses: `state`, else the one `defs` name, else the file beside
    /// them.
    pub fn state_location(&self, defs: &[FeedDef]) -> StateLocation {
        (self.state.clone())
            .or_else(|| config::named_state(defs).cloned())
            .unwrap_or_else(|| StateLocation::File(State::default_path(&self.feeds)))
    }
}

/// Why a build did not run at all. Problems with single feeds, articles or sources are
/// diagnostics in the [`BuildReport`] instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The feed definitions could not be read or are wrong; nothing was built.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Another run holds the lock, or locking failed; nothing was done.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The state store failed; the run was abandoned and no output changed.
    #[error("{0}; the build was abandoned and no output was changed")]
    State(#[from] StateError),
}

/// What a whole run did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// One report per feed, in definition order.
    pub feeds: Vec<FeedReport>,
}

impl BuildReport {
    /// Every diagnostic of every feed.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.feeds.iter().flat_map(|f| &f.diagnostics)
    }
}

/// What a build did, or would do, to one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputChange {
    /// Its bytes stay as they are; the file is not touched.
    Unchanged,
    /// New bytes are (or would be) written.
    Written,
}

/// What happened to one feed.
#[derive(Debug, Clone, Default)]
pub struct FeedReport {
    /// The feed's name (its definition file's name without `.toml`).
    pub name: String,
    /// Nothing changed since the last build: nothing was read, emitted or written.
    pub skipped: bool,
    /// Article files found.
    pub articles: usize,
    /// Article files read and parsed this run (new or changed).
    pub parsed: usize,
    /// Entries published.
    pub entries: usize,
    /// Entries new or changed since the last run.
    pub changed_entries: usize,
    /// Each output and what happened to it.
    pub outputs: Vec<(PathBuf, OutputChange)>,
    /// What became of the pages of each `full_text` source's items.
    pub pages: Vec<PageCounts>,
    /// Warnings and errors met on the way.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds every feed defined in `options.feeds`: reads the definitions, takes the lock
/// (waiting up to `options.lock_timeout`), opens the store and runs [`build_all`]; then,
/// the lock released, tells the feeds' WebSub hubs what changed (see `options.ping`).
/// `progress` is told each feed's name as its build starts.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use feedloom::pipeline::{BuildOptions, build};
///
/// let report = build(&BuildOptions::new("feeds", chrono::Utc::now()), &mut |_| {})?;
/// for feed in &report.feeds {
///     println!("{}: {} entries", feed.name, feed.entries);
/// }
/// # Ok(())
/// # }
/// ```
pub fn build(
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildReport, BuildError> {
    let defs = config::load_dir(&options.feeds)?;
    let mut report = match options.state_location(&defs) {
        StateLocation::File(path) => build_local(&path, &defs, options, progress)?,
        StateLocation::Postgres(address) => build_shared(&address, &defs, options, progress)?,
    };
    if let Some(settings) = &options.ping
        && !options.dry_run
    {
        let notices = websub::notices(&defs, &report);
        for (feed, warning) in websub::publish(&notices, settings) {
            if let Some(feed) = report.feeds.get_mut(feed) {
                feed.diagnostics.push(warning);
            }
        }
    }
    Ok(report)
}

/// [`build`] with a state file: takes its lock file, opens it and builds.
fn build_local(
    state_path: &Path,
    defs: &[FeedDef],
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildReport, BuildError> {
    let _lock = StateLock::acquire(state_path, options.lock_timeout)?;
    // A dry run on a project without state works on an empty one in memory, so that it
    // creates no state file.
    let in_memory = options.dry_run && !state_path.exists();
    let mut state = State::open(if in_memory {
        Path::new(":memory:")
    } else {
        state_path
    })?;
    Ok(build_all(&mut state, defs, options, progress)?)
}

/// [`build`] with a PostgreSQL state: takes every feed's lock in the database, registers
/// the sources for the fetch workers, and builds from the copies they stored (unless
/// `options.fetch` asks to fetch here).
fn build_shared(
    address: &PgAddress,
    defs: &[FeedDef],
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildReport, BuildError> {
    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    let _locks =
        FeedLocks::acquire(address, &names, options.lock_timeout).map_err(|e| match e {
            FeedLockError::State(e) => BuildError::State(e),
            FeedLockError::Busy(e) => BuildError::Lock(e),
        })?;
    let mut state = PgState::open(address)?;
    if !options.dry_run {
        // Problems with a source's plan (an unreadable OPML list) are the build's own
        // warnings too, when it reads that source.
        let (fetch_plan, _) = crate::pipeline::fetch::plan(defs);
        state.register(&fetch_plan.rows)?;
    }
    let options = BuildOptions {
        fetch: Some(options.fetch.unwrap_or(false) || options.force),
        ..options.clone()
    };
    Ok(build_all(&mut state, defs, &options, progress)?)
}

/// The article cache context of a feed: its name, its definition and the flags that shape
/// a parse, so a changed definition reads every article once more.
fn cache_context(def: &FeedDef, options: &BuildOptions) -> String {
    let digest: String = def.digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}\n{digest}\ndrafts={}", def.name, options.drafts)
}

/// How the state names a file of a feed: by its path relative to the project `root`, so
/// that the same project reached another way (a relative or an absolute `--feeds`) finds
/// what it cached.
fn state_key(root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}
