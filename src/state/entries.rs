//! Per-entry facts: when each entry was first seen, whether its content changed, and the
//! history of merged entries kept for the feed's [`Keep`] window.

use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::batch::{SeenRow, apply, seen_from};
use super::stored::{entry_from_json, entry_json};
use super::{Run, StateError};
pub use crate::model::ContentHash;
use crate::model::Entry;

/// Bumped whenever [`ContentHash::of`] changes what it hashes; a stored hash of another
/// version is replaced without counting as a content change.
pub(super) const HASH_VERSION: i64 = 2;

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
    fn cutoff(&self, now: &DateTime<FixedOffset>) -> i64 {
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

/// What the store knows about one entry of one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// When the entry was first seen in this feed.
    pub first_seen: DateTime<FixedOffset>,
    /// When the entry's current content was first seen; later than `first_seen` only if
    /// the content changed since.
    pub content_since: DateTime<FixedOffset>,
}

impl Run<'_> {
    /// Records that `entry` of `feed` is present at `now`, and returns when it was first
    /// seen and since when its content is as it is now.
    pub fn observe(
        &self,
        feed: &str,
        entry: &Entry,
        now: DateTime<FixedOffset>,
    ) -> Result<Seen, StateError> {
        let hash = ContentHash::of(entry);
        let row: Option<SeenRow> = self
            .tx
            .query_row(
                "SELECT first_seen, hash_version, content_hash, hash_seen, last_seen
                 FROM entry_seen WHERE feed = ?1 AND entry_id = ?2",
                params![feed, entry.id],
                |r| {
                    Ok(SeenRow {
                        first_seen: r.get(0)?,
                        version: r.get(1)?,
                        hash: r.get(2)?,
                        hash_seen: r.get(3)?,
                        last_seen: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql_err())?;
        let (seen, _) =
            seen_from(row.as_ref(), &hash, now).map_err(|r| StateError::corrupt(self.path, r))?;
        self.upsert_seen(feed, &entry.id, &seen, &hash, now)?;
        Ok(seen)
    }

    /// When `entry_id` of `feed` was first seen, recording `now` if it never was.
    pub fn first_seen(
        &self,
        feed: &str,
        entry: &Entry,
        now: DateTime<FixedOffset>,
    ) -> Result<DateTime<FixedOffset>, StateError> {
        Ok(self.observe(feed, entry, now)?.first_seen)
    }

    /// Completes `entry`'s dates from what the store remembers, and records it as seen.
    /// Call it on every entry a source gave this run, before merging in the history.
    ///
    /// An entry without `published` gets the date it was first seen, on every run. An entry
    /// without `updated` gets the date its content last changed, but only when it changed
    /// after the entry was first seen; otherwise `updated` stays `None`. An `updated` given
    /// by the source is left as it is.
    pub fn resolve_dates(
        &self,
        feed: &str,
        entry: &mut Entry,
        now: DateTime<FixedOffset>,
    ) -> Result<(), StateError> {
        let seen = self.observe(feed, entry, now)?;
        apply(entry, &seen);
        Ok(())
    }

    /// Forgets the first-seen dates and content hashes of entries, in every feed, that no
    /// run has observed since `before`, so the store does not grow forever. Pick `before`
    /// well beyond every feed's [`Keep`] window (a year, say): an entry that comes back
    /// after being forgotten is dated as new.
    pub fn forget_unseen(&self, before: DateTime<FixedOffset>) -> Result<usize, StateError> {
        self.tx
            .execute(
                "DELETE FROM entry_seen WHERE last_seen < ?1",
                params![before.timestamp()],
            )
            .map_err(self.sql_err())
    }

    /// Stores `entries` (the feed's merged entries of this run) in `feed`'s history as last
    /// merged at `now`, then forgets the entries that fell out of the `keep` window.
    pub fn remember_history(
        &self,
        feed: &str,
        entries: &[Entry],
        keep: Keep,
        now: DateTime<FixedOffset>,
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
            upsert
                .execute(params![
                    feed,
                    entry.id,
                    sort,
                    now.timestamp(),
                    entry_json(entry)
                ])
                .map_err(&sql)?;
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
        now: DateTime<FixedOffset>,
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
        rows.map(|json| {
            let json = json.map_err(&sql)?;
            entry_from_json(&json).map_err(|reason| StateError::corrupt(self.path, reason))
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keep_window_longer_than_the_calendar_keeps_everything() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").expect("date");
        let keep = |days| Keep {
            days: Some(days),
            count: None,
        };
        assert_eq!(keep(u32::MAX).cutoff(&now), i64::MIN);
        assert_eq!(keep(1).cutoff(&now), now.timestamp() - 86_400);
    }
}
