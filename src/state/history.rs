//! The history of merged entries: each entry a feed merged from an external source, kept
//! for the feed's [`Keep`] window after it left its source.

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use super::stored::{entry_from_json, entry_json};
use super::{Run, StateError};
use crate::model::Entry;

/// How long merged entries stay in a feed after they left their source.
///
/// An entry is kept while it was last merged no more than `days` days ago, and only the
/// `count` newest such entries are kept. `None` lifts that limit. The default is 30 days
/// and 200 entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Days since the entry was last merged; `None` for no age limit.
    pub days: Option<u32>,
    /// The most entries kept, newest first; `None` for no count limit.
    pub count: Option<u32>,
}

impl Default for Keep {
    fn default() -> Self {
        Keep {
            days: Some(30),
            count: Some(200),
        }
    }
}

impl Keep {
    /// The oldest `last_seen` (Unix seconds) still inside the window at `now`.
    fn cutoff(&self, now: &DateTime<Utc>) -> i64 {
        match self.days {
            // A window reaching past the calendar's start keeps everything.
            Some(days) => (now.checked_sub_signed(Duration::days(i64::from(days))))
                .map_or(i64::MIN, |cutoff| cutoff.timestamp()),
            None => i64::MIN,
        }
    }

    fn limit(&self) -> i64 {
        self.count.map_or(-1, i64::from)
    }
}

impl Run<'_> {
    /// Stores `entries` (the feed's merged entries of this run) in `feed`'s history as last
    /// merged at `now`, then forgets the entries that fell out of the `keep` window.
    pub fn remember_history(
        &self,
        feed: &str,
        entries: &[Entry],
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let sql = self.sql_err();
        let mut upsert = self
            .tx
            .prepare_cached(
                "INSERT INTO history (feed, entry_id, sort_date, last_seen, entry)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (feed, entry_id) DO UPDATE SET
                     sort_date = excluded.sort_date,
                     last_seen = excluded.last_seen,
                     entry = excluded.entry",
            )
            .map_err(&sql)?;
        for entry in entries {
            let sort = entry.sort_date().map(|d| d.timestamp());
            let json = entry_json(entry);
            (upsert.execute(params![feed, entry.id, sort, now.timestamp(), json])).map_err(&sql)?;
        }
        self.tx
            .execute(
                "DELETE FROM history WHERE feed = ?1 AND (last_seen < ?2 OR entry_id NOT IN (
                     SELECT entry_id FROM history WHERE feed = ?1 AND last_seen >= ?2
                     ORDER BY sort_date DESC NULLS LAST, entry_id LIMIT ?3))",
                params![feed, keep.cutoff(&now), keep.limit()],
            )
            .map_err(&sql)?;
        Ok(())
    }

    /// The entries of `feed`'s history still inside the `keep` window at `now`, newest
    /// first (undated last, then by id).
    pub fn history(
        &self,
        feed: &str,
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<Vec<Entry>, StateError> {
        let sql = self.sql_err();
        let mut query = self
            .tx
            .prepare_cached(
                "SELECT entry FROM history WHERE feed = ?1 AND last_seen >= ?2
                 ORDER BY sort_date DESC NULLS LAST, entry_id LIMIT ?3",
            )
            .map_err(&sql)?;
        let rows = query
            .query_map(params![feed, keep.cutoff(&now), keep.limit()], |r| {
                r.get::<_, String>(0)
            })
            .map_err(&sql)?;
        rows.map(|json| entry_from_json(&json.map_err(&sql)?).map_err(|e| self.corrupt(e)))
            .collect()
    }

    /// When the oldest entry in `feed`'s history was last merged (Unix seconds), if it has
    /// any.
    pub fn oldest_history(&self, feed: &str) -> Result<Option<i64>, StateError> {
        self.tx
            .query_row(
                "SELECT MIN(last_seen) FROM history WHERE feed = ?1",
                params![feed],
                |r| r.get(0),
            )
            .map_err(self.sql_err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keep_window_longer_than_the_calendar_keeps_everything() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .expect("date")
            .to_utc();
        let keep = |days| Keep {
            days: Some(days),
            count: None,
        };
        assert_eq!(keep(u32::MAX).cutoff(&now), i64::MIN);
        assert_eq!(keep(1).cutoff(&now), now.timestamp() - 86_400);
    }
}
