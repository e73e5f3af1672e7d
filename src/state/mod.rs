//! The state store: an embedded SQLite database that carries facts from one run to the next.
//!
//! It keeps, per feed, the date each entry was first seen and a hash of its content (so the
//! pipeline can date undated entries and move `updated` only on real change), a history of
//! merged entries (so an item that scrolls out of a source feed stays in ours for the feed's
//! [`Keep`] window), HTTP validators and last good bodies of fetched URLs (a [`Run`] is a
//! [`crate::merge::FetchCache`]), and the parse result of each article file (so unchanged
//! files are not parsed again).
//!
//! All writes of one run happen in one transaction: [`State::begin_run`] starts it,
//! [`Run::commit`] ends it, and a [`Run`] dropped without commit rolls everything back.
//!
//! The database uses SQLite's rollback journal (`journal_mode=DELETE`, `synchronous=FULL`)
//! rather than WAL: runs are serialised by [`crate::lock`], so WAL's concurrent readers buy
//! nothing, while the rollback journal keeps the state a single file between runs (easy to
//! back up or move) and works on file systems without shared memory, where WAL does not.
//!
//! Time is always passed in as `now`; nothing here reads the clock.
//!
//! # One run
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use feedloom::lock::StateLock;
//! use feedloom::model::Entry;
//! use feedloom::state::{Keep, State};
//!
//! # let dir = tempfile::tempdir()?;
//! # let feeds_dir = dir.path();
//! let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")?.to_utc();
//! let zone = chrono_tz::Asia::Shanghai;
//! let path = State::default_path(feeds_dir);
//! let _lock = StateLock::acquire(&path, Duration::from_secs(60))?; // 1. serialise runs
//! let mut state = State::open(&path)?; // 2. create or migrate
//! let run = state.begin_run()?; // 3. one transaction for every feed
//!
//! // 4. per feed: date what the sources gave this run (an undated entry gets the date it
//! //    was first seen, written in the feed's zone)…
//! let mut fresh = vec![Entry { id: "tag:example.com,2000:a".into(), ..Entry::default() }];
//! for entry in &mut fresh {
//!     run.resolve_dates("news", entry, now, zone)?;
//! }
//! assert_eq!(fresh[0].published.map(|d| d.to_rfc3339()).as_deref(), Some("2026-01-01T08:00:00+08:00"));
//! // …merge in the history (fresh entries win on equal ids), filter, sort…
//! let keep = Keep::default();
//! let mut merged = fresh.clone();
//! for old in run.history("news", keep, now)? {
//!     if !fresh.iter().any(|f| f.id == old.id) {
//!         merged.push(old);
//!     }
//! }
//! // …and remember the merged entries for the next runs.
//! run.remember_history("news", &merged, keep, now)?;
//!
//! // 5. once per run: forget long-gone entries, then save everything at once. Commit
//! //    before installing outputs, so no published date is one the store did not keep.
//! run.forget_unseen(now - chrono::Duration::days(365))?;
//! run.commit()?;
//! // 6. install the outputs (crate::output); the lock is released on drop.
//! # Ok(())
//! # }
//! ```

mod articles;
mod dating;
mod entries;
mod fetch;
mod fingerprints;
mod history;
mod schema;
mod stored;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use articles::{CachedArticle, PreparedArticle};
pub use dating::Seen;
pub use entries::SeenUpdates;
pub use history::Keep;
pub use stored::Unreadable;

/// The state file's name when `--state` does not choose another path: it sits in the folder
/// of feed definitions, as `feeds/.feedloom.sqlite`.
pub const DEFAULT_FILE_NAME: &str = ".feedloom.sqlite";

/// How much of the state file SQLite maps into memory, in bytes.
const MMAP_SIZE: i64 = 1 << 30;

/// The schema version this build of feedloom writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::CURRENT;

/// Why the state store could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The folder that should hold the state file could not be created.
    #[error("{}: cannot create the state folder: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// SQLite refused an operation on the state file.
    #[error("{}: state database error: {source}", path.display())]
    Sql {
        /// The state file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The state file was written by a newer feedloom whose schema this one does not know.
    #[error(
        "{}: state schema version {found} is newer than this feedloom supports ({supported}); \
         upgrade feedloom or point --state at another file",
        path.display()
    )]
    TooNew {
        /// The state file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// The file is an SQLite database, but not a feedloom state file.
    #[error("{}: not a feedloom state file (application id {found:#x}); refusing to touch it", path.display())]
    NotOurs {
        /// The file.
        path: PathBuf,
        /// The application id found in it.
        found: i64,
    },
    /// A stored value could not be read back.
    #[error("{}: corrupt state ({source}); delete the file to start afresh", path.display())]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// What could not be read.
        source: Unreadable,
    },
    /// The schema version stored in the file is negative.
    #[error("{}: corrupt state (schema version {found}); delete the file to start afresh", path.display())]
    BadVersion {
        /// The state file.
        path: PathBuf,
        /// The version found.
        found: i64,
    },
}

impl StateError {
    fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> StateError + '_ {
        move |source| StateError::Sql {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// An open state store.
#[derive(Debug)]
pub struct State {
    conn: Connection,
    path: PathBuf,
}

impl State {
    /// Where the state lives when nothing else is configured: `.feedloom.sqlite` in the
    /// folder of feed definitions.
    pub fn default_path(feeds_dir: &Path) -> PathBuf {
        feeds_dir.join(DEFAULT_FILE_NAME)
    }

    /// Opens the state file at `path`, creating it (and its folder) on first use and
    /// migrating its schema to the current version. Take the [`crate::lock::StateLock`]
    /// first, so no other run migrates or writes it meanwhile.
    pub fn open(path: &Path) -> Result<State, StateError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StateError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let sql = StateError::sql(path);
        let mut conn = Connection::open(path).map_err(&sql)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(&sql)?;
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |row| {
            row.get::<_, String>(0)
        })
        .map_err(&sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(&sql)?;
        // Read through a memory map: a build reads every cached entry of a feed at once,
        // and page-by-page reads would copy each page through the kernel.
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)
            .map_err(&sql)?;
        schema::migrate(&mut conn, path)?;
        Ok(State {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StateError> {
        schema::version(&self.conn).map_err(StateError::sql(&self.path))
    }

    /// Starts a run: every write until [`Run::commit`] happens in one transaction, and
    /// dropping the [`Run`] without committing rolls all of them back.
    pub fn begin_run(&mut self) -> Result<Run<'_>, StateError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StateError::sql(&self.path))?;
        Ok(Run {
            tx,
            path: &self.path,
        })
    }
}

/// One run's view of the state: reads see the run's own writes; nothing is kept until
/// [`Run::commit`].
#[derive(Debug)]
pub struct Run<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
}

impl Run<'_> {
    /// Makes every write of this run durable.
    pub fn commit(self) -> Result<(), StateError> {
        let path = self.path;
        self.tx.commit().map_err(StateError::sql(path))
    }

    fn sql_err(&self) -> impl Fn(rusqlite::Error) -> StateError + '_ {
        StateError::sql(self.path)
    }

    fn corrupt(&self, source: Unreadable) -> StateError {
        StateError::Corrupt {
            path: self.path.to_path_buf(),
            source,
        }
    }
}
