//! The embedded store: one SQLite file (`feeds/.feedloom.sqlite` by default) that carries
//! the facts of [`crate::state`] from one run to the next. [`State`] opens it (creating and
//! migrating it, see [`schema`]); a [`Run`] is one transaction over it ([`run`]).
//!
//! The database uses SQLite's rollback journal (`journal_mode=DELETE`, `synchronous=FULL`)
//! rather than WAL: runs are serialised by [`crate::lock`], so WAL's concurrent readers buy
//! nothing, while the rollback journal keeps the state a single file between runs (easy to
//! back up or move) and works on file systems without shared memory, where WAL does not.
//!
//! Time is always passed in as `now`; nothing here reads the clock.
//!
mod pages;
mod run;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{StateError, StateStore, StoreRun, Unreadable};

/// The state file's name when `--state` does not choose another path: it sits in the folder
/// of feed definitions, as `feeds/.feedloom.sqlite`.
pub const DEFAULT_FILE_NAME: &str = ".feedloom.sqlite";

/// How much of the state file SQLite maps into memory, in bytes.
const MMAP_SIZE: i64 = 1 << 30;

/// The page size of new state files, in bytes. A cached article's row holds its whole entry,
/// 2–5 KB: with SQLite's default 4 KiB pages each row took a page of its own (and spilled
/// into a second), doubling the file; 16 KiB pages hold several rows each.
const PAGE_SIZE: i64 = 16 * 1024;

/// The schema version this build of feedloom writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::CURRENT;

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
        // Only takes effect on a new file: an existing one keeps its page size.
        conn.pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(&sql)?;
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

impl StateStore for State {
    fn begin(&mut self) -> Result<Box<dyn StoreRun + '_>, StateError> {
        Ok(Box::new(self.begin_run()?))
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
            store: self.path.display().to_string(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_size(path: &Path) -> i64 {
        let conn = Connection::open(path).expect("open");
        (conn.pragma_query_value(None, "page_size", |row| row.get(0))).expect("page size")
    }

    #[test]
    fn new_files_get_large_pages_and_older_files_keep_theirs_until_vacuumed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let new = dir.path().join("new.sqlite");
        State::open(&new).expect("create");
        assert_eq!(page_size(&new), PAGE_SIZE);

        // A file as older feedloom created it: SQLite's default 4 KiB pages.
        let old = dir.path().join("old.sqlite");
        let mut conn = Connection::open(&old).expect("open old");
        conn.pragma_update(None, "page_size", 4096)
            .expect("page size");
        schema::migrate(&mut conn, &old).expect("schema");
        drop(conn);
        let state = State::open(&old).expect("reopen old");
        assert_eq!(state.schema_version().expect("version"), SCHEMA_VERSION);
        drop(state);
        assert_eq!(page_size(&old), 4096);

        // The conversion docs/cron.md gives.
        let conn = Connection::open(&old).expect("open old");
        (conn.execute_batch("PRAGMA page_size = 16384; VACUUM")).expect("convert");
        drop(conn);
        let state = State::open(&old).expect("reopen converted");
        assert_eq!(state.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(page_size(&old), PAGE_SIZE);
    }
}
