//! Per-feed fingerprints: a hash of everything a feed's last build read, so that a build
//! whose inputs did not change skips the feed whole.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Run, StateError};

impl Run<'_> {
    /// The fingerprint stored for `feed`, unless it expired before `now`.
    pub fn fingerprint(
        &self,
        feed: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StateError> {
        self.tx
            .query_row(
                "SELECT fingerprint FROM feed_fingerprint
                 WHERE feed = ?1 AND (valid_until IS NULL OR valid_until > ?2)",
                params![feed, now.timestamp()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql_err())
    }

    /// Stores `feed`'s fingerprint (`None` forgets it), valid until `valid_until` if given.
    pub fn set_fingerprint(
        &self,
        feed: &str,
        fingerprint: Option<&[u8]>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Result<(), StateError> {
        match fingerprint {
            Some(fp) => self.tx.execute(
                "INSERT OR REPLACE INTO feed_fingerprint (feed, fingerprint, valid_until)
                 VALUES (?1, ?2, ?3)",
                params![feed, fp, valid_until.map(|t| t.timestamp())],
            ),
            None => self.tx.execute(
                "DELETE FROM feed_fingerprint WHERE feed = ?1",
                params![feed],
            ),
        }
        .map(drop)
        .map_err(self.sql_err())
    }
}
