//! One build at a time per feed, over every host: a PostgreSQL advisory lock per feed name,
//! held by a connection of its own for as long as [`FeedLocks`] lives. It replaces the lock
//! file of the SQLite store; like it, it is released when its holder exits, even by a crash
//! (the server drops a dead connection's locks).

use std::time::{Duration, Instant};

use super::Conn;
use crate::lock::LockError;
use crate::state::{PgAddress, StateError};

/// How often a waiting build tries a lock again.
const POLL: Duration = Duration::from_millis(50);

/// Why the feed locks could not be taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedLockError {
    /// The database could not be reached.
    #[error(transparent)]
    State(#[from] StateError),
    /// Another build held a feed's lock for the whole wait.
    #[error(transparent)]
    Busy(#[from] LockError),
}

/// The advisory locks of some feeds, held until dropped.
pub struct FeedLocks {
    conn: Conn,
    keys: Vec<i64>,
}

impl std::fmt::Debug for FeedLocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FeedLocks({}, {} feeds)",
            self.conn.store(),
            self.keys.len()
        )
    }
}

/// The advisory lock key of `feed`'s builds: 64 bits of a hash of its name.
pub fn feed_key(feed: &str) -> i64 {
    let hash = blake3::hash(format!("feedloom build\0{feed}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    i64::from_be_bytes(first)
}

impl FeedLocks {
    /// Takes the lock of every feed of `feeds` (in name order, so that two builds of
    /// overlapping feeds never wait for each other in a circle), waiting up to `timeout`
    /// in all for builds that hold them.
    pub fn acquire(
        address: &PgAddress,
        feeds: &[&str],
        timeout: Duration,
    ) -> Result<FeedLocks, FeedLockError> {
        let mut conn = Conn::connect(address)?;
        let mut names: Vec<&str> = feeds.to_vec();
        names.sort_unstable();
        names.dedup();
        let start = Instant::now();
        let mut keys = Vec::with_capacity(names.len());
        for name in names {
            let key = feed_key(name);
            loop {
                let row = (conn
                    .client
                    .query_one("SELECT pg_try_advisory_lock($1)", &[&key]))
                .map_err(StateError::pg(conn.store()))?;
                if row.get::<_, bool>(0) {
                    keys.push(key);
                    break;
                }
                let waited = start.elapsed();
                if waited >= timeout {
                    return Err(FeedLockError::Busy(LockError::FeedBusy {
                        store: conn.store().to_owned(),
                        feed: name.to_owned(),
                        waited,
                    }));
                }
                std::thread::sleep(POLL.min(timeout - waited));
            }
        }
        Ok(FeedLocks { conn, keys })
    }
}

impl Drop for FeedLocks {
    fn drop(&mut self) {
        // Closing the connection releases the locks too; unlocking first makes it immediate.
        let _ = self
            .conn
            .client
            .execute("SELECT pg_advisory_unlock_all()", &[]);
    }
}
