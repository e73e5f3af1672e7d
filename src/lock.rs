//! An advisory lock on the state file, so two overlapping runs (a slow cron run and the next
//! one, say) never interleave.
//!
//! The lock is taken on a separate file beside the state (`<state>.lock`), never on the
//! database itself, so it cannot interfere with SQLite's own locking. It is an operating
//! system lock (`flock` on Unix, `LockFileEx` on Windows) through [`std::fs::File::try_lock`]:
//! it is released when the holder exits, even by a crash, so there are no stale locks to
//! clean up. The lock file itself is left in place; its presence means nothing.
//!
//! A PostgreSQL state has no file to lock: there each feed's build takes an advisory lock in
//! the database instead (`crate::state::postgres::lock`), and reports [`LockError::FeedBusy`].

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a waiting run tries the lock again.
const POLL: Duration = Duration::from_millis(50);

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another run held the lock for the whole wait.
    #[error(
        "{}: another feedloom run holds the lock (waited {:.1} s); it is probably still \
         building, so this run did nothing; try again later",
        path.display(),
        waited.as_secs_f64()
    )]
    Busy {
        /// The lock file.
        path: PathBuf,
        /// How long this run waited.
        waited: Duration,
    },
    /// Another build held a feed's advisory lock in the shared database for the whole wait.
    #[error(
        "{store}: another feedloom build holds the lock of feed `{feed}` (waited {:.1} s); it \
         is probably still building, so this run did nothing; try again later",
        waited.as_secs_f64()
    )]
    FeedBusy {
        /// The database, its password hidden.
        store: String,
        /// The feed whose lock is held.
        feed: String,
        /// How long this run waited.
        waited: Duration,
    },
    /// The lock file could not be opened or locked.
    #[error("{}: cannot lock: {source}", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct StateLock {
    file: File,
    path: PathBuf,
}

/// The lock file that guards the state file at `state`: the same path with `.lock` appended.
pub fn lock_path(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl StateLock {
    /// Takes the lock guarding the state file at `state`, waiting up to `timeout` for
    /// another run to release it. Creates the state file's folder if needed.
    pub fn acquire(state: &Path, timeout: Duration) -> Result<StateLock, LockError> {
        let path = lock_path(state);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(StateLock { file, path }),
                Err(TryLockError::Error(source)) => return Err(io(source)),
                Err(TryLockError::WouldBlock) => {
                    let waited = start.elapsed();
                    if waited >= timeout {
                        return Err(LockError::Busy { path, waited });
                    }
                    std::thread::sleep(POLL.min(timeout - waited));
                }
            }
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes it immediate even
        // if a child process inherited the descriptor.
        let _ = self.file.unlock();
    }
}
