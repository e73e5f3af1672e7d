//! Per-entry facts in SQL: when each entry of each feed was first seen, the hash of its
//! content and since when it is as it is. The rules that turn these facts into dates are in
//! [`super::dating`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use foldhash::fast::RandomState;
use rusqlite::{OptionalExtension, params};

use super::dating::{HASH_VERSION, Seen, SeenRow, apply, seen_from, settled, stale};
use super::stored::date_text;
use super::{Run, StateError};
use crate::model::{ContentHash, Entry};

/// What [`Run::date_entries`] leaves for [`Run::store_seen`] to write: per entry id, its
/// dates and content hash.
#[derive(Debug, Default)]
pub struct SeenUpdates(Vec<(String, Seen, ContentHash)>);

impl Run<'_> {
    /// Completes the dates of a feed's entries from what the store remembers, each entry
    /// paired with its [`ContentHash`], writing dates in `zone` (see [`super::dating`]).
    /// Reads what is known of the feed's entries in one query. Returns how many entries are
    /// new or changed, and what [`Run::store_seen`] must record (so that a build can write
    /// it while it does other work).
    pub fn date_entries<H: AsRef<ContentHash>>(
        &self,
        feed: &str,
        entries: &mut [(Entry, H)],
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<(usize, SeenUpdates), StateError> {
        let known = self.seen_rows(feed)?;
        let mut changed = 0;
        let mut updates = Vec::new();
        for (entry, hash) in entries.iter_mut() {
            let hash = (*hash).as_ref();
            let row = known.get(&entry.id);
            if row.is_some_and(|r| settled(r, entry, hash, now)) {
                continue;
            }
            let (seen, fresh) = seen_from(row, hash, now).map_err(|e| self.corrupt(e))?;
            if stale(row, fresh, now) {
                updates.push((entry.id.clone(), seen, *hash));
            }
            changed += usize::from(fresh);
            apply(entry, &seen, zone);
        }
        Ok((changed, SeenUpdates(updates)))
    }

    /// Records what [`Run::date_entries`] found.
    pub fn store_seen(
        &self,
        feed: &str,
        updates: SeenUpdates,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        for (id, seen, hash) in updates.0 {
            self.upsert_seen(feed, &id, &seen, &hash, now)?;
        }
        Ok(())
    }

    /// [`Run::date_entries`] and [`Run::store_seen`] at once.
    pub fn resolve_dates_all(
        &self,
        feed: &str,
        entries: &mut [(Entry, ContentHash)],
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<usize, StateError> {
        let (changed, seen) = self.date_entries(feed, entries, now, zone)?;
        self.store_seen(feed, seen, now)?;
        Ok(changed)
    }

    /// Records that `entry` of `feed` is present at `now`, and returns when it was first
    /// seen and since when its content is as it is now.
    pub fn observe(
        &self,
        feed: &str,
        entry: &Entry,
        now: DateTime<Utc>,
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
        let (seen, _) = seen_from(row.as_ref(), &hash, now).map_err(|e| self.corrupt(e))?;
        self.upsert_seen(feed, &entry.id, &seen, &hash, now)?;
        Ok(seen)
    }

    /// When `entry` of `feed` was first seen, recording `now` if it never was.
    pub fn first_seen(
        &self,
        feed: &str,
        entry: &Entry,
        now: DateTime<Utc>,
    ) -> Result<DateTime<chrono::FixedOffset>, StateError> {
        Ok(self.observe(feed, entry, now)?.first_seen)
    }

    /// Completes one entry's dates, as [`Run::date_entries`] does, and records it as seen.
    pub fn resolve_dates(
        &self,
        feed: &str,
        entry: &mut Entry,
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<(), StateError> {
        let seen = self.observe(feed, entry, now)?;
        apply(entry, &seen, zone);
        Ok(())
    }

    /// Forgets the first-seen dates and content hashes of entries, in every feed, that no
    /// run has observed since `before`, so the store does not grow forever. Pick `before`
    /// well beyond every feed's keep window (a year, say): an entry that comes back after
    /// being forgotten is dated as new.
    pub fn forget_unseen(&self, before: DateTime<Utc>) -> Result<usize, StateError> {
        self.tx
            .execute(
                "DELETE FROM entry_seen WHERE last_seen < ?1",
                params![before.timestamp()],
            )
            .map_err(self.sql_err())
    }

    fn seen_rows(&self, feed: &str) -> Result<HashMap<String, SeenRow, RandomState>, StateError> {
        let sql = self.sql_err();
        let mut query = self
            .tx
            .prepare_cached(
                "SELECT entry_id, first_seen, hash_version, content_hash, hash_seen, last_seen
                 FROM entry_seen WHERE feed = ?1",
            )
            .map_err(&sql)?;
        let rows = query
            .query_map(params![feed], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    SeenRow {
                        first_seen: r.get(1)?,
                        version: r.get(2)?,
                        hash: r.get(3)?,
                        hash_seen: r.get(4)?,
                        last_seen: r.get(5)?,
                    },
                ))
            })
            .map_err(&sql)?;
        rows.map(|row| row.map_err(&sql)).collect()
    }

    fn upsert_seen(
        &self,
        feed: &str,
        id: &str,
        seen: &Seen,
        hash: &ContentHash,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        self.tx
            .prepare_cached(
                "INSERT INTO entry_seen
                     (feed, entry_id, first_seen, hash_version, content_hash, hash_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (feed, entry_id) DO UPDATE SET
                     hash_version = excluded.hash_version,
                     content_hash = excluded.content_hash,
                     hash_seen = excluded.hash_seen,
                     last_seen = excluded.last_seen",
            )
            .and_then(|mut upsert| {
                upsert.execute(params![
                    feed,
                    id,
                    date_text(&seen.first_seen),
                    HASH_VERSION,
                    hash.0.as_slice(),
                    date_text(&seen.content_since),
                    now.timestamp(),
                ])
            })
            .map(drop)
            .map_err(self.sql_err())
    }
}
