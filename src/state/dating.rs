//! How the store dates entries, written once for every store: an entry without a date of
//! its own gets the date it was first seen; an entry whose content changed after it was first
//! seen gets that change's date as its `updated`. The rules are pure functions over what the
//! store remembers of an entry ([`SeenRow`]); the methods of `dyn StoreRun` below apply them
//! through the store's primitive reads and writes.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;

use super::stored::{Unreadable, parse_date};
use super::{StateError, StoreRun};
use crate::model::{ContentHash, Entry};

/// Bumped whenever [`ContentHash::of`] changes what it hashes; a stored hash of another
/// version is replaced without counting as a content change.
pub const HASH_VERSION: i64 = 2;

/// How often an entry that is still present but unchanged gets its `last_seen` refreshed,
/// in seconds: daily is plenty for a forget horizon of months.
const REFRESH_SECS: i64 = 86_400;

/// What the store knows about one entry of one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// When the entry was first seen in this feed.
    pub first_seen: DateTime<FixedOffset>,
    /// When the entry's current content was first seen; later than `first_seen` only if
    /// the content changed since.
    pub content_since: DateTime<FixedOffset>,
}

/// What a store holds for one entry of one feed, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRow {
    /// When the entry was first seen (RFC 3339).
    pub first_seen: String,
    /// The version of the content hash ([`HASH_VERSION`] when current).
    pub version: i64,
    /// The entry's [`ContentHash`].
    pub hash: Vec<u8>,
    /// When that content was first seen (RFC 3339).
    pub hash_seen: String,
    /// When a run last saw the entry (Unix seconds).
    pub last_seen: i64,
}

/// What [`date_entries`](#method.date_entries) leaves for
/// [`store_seen`](#method.store_seen) to write: per entry id, its dates and content hash.
#[derive(Debug, Default)]
pub struct SeenUpdates(Vec<(String, Seen, ContentHash)>);

impl dyn StoreRun + '_ {
    /// Completes the dates of a feed's entries from what the store remembers, each entry
    /// paired with its [`ContentHash`], writing dates in `zone`. Reads what is known of the
    /// feed's entries in one query. Returns the ids of the entries that are new or changed,
    /// and what [`store_seen`](#method.store_seen) must record (so that a build can write it
    /// while it does other work).
    pub fn date_entries<H: AsRef<ContentHash>>(
        &self,
        feed: &str,
        entries: &mut [(Entry, H)],
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<(HashSet<String>, SeenUpdates), StateError> {
        let known = self.seen_rows(feed)?;
        let mut changed = HashSet::new();
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
            if fresh {
                changed.insert(entry.id.clone());
            }
            apply(entry, &seen, zone);
        }
        Ok((changed, SeenUpdates(updates)))
    }

    /// Records what [`date_entries`](#method.date_entries) found.
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

    /// [`date_entries`](#method.date_entries) and [`store_seen`](#method.store_seen) at once.
    pub fn resolve_dates_all(
        &self,
        feed: &str,
        entries: &mut [(Entry, ContentHash)],
        now: DateTime<Utc>,
        zone: Tz,
    ) -> Result<HashSet<String>, StateError> {
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
        let row = self.seen_row(feed, &entry.id)?;
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
    ) -> Result<DateTime<FixedOffset>, StateError> {
        Ok(self.observe(feed, entry, now)?.first_seen)
    }

    /// Completes one entry's dates, as [`date_entries`](#method.date_entries) does, and
    /// records it as seen.
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

    fn corrupt(&self, source: Unreadable) -> StateError {
        StateError::Corrupt {
            store: self.describe(),
            source,
        }
    }
}

/// Whether `entry` is known with this very content, was marked seen recently, and needs
/// no date from the store: then there is nothing to read back or write.
fn settled(row: &SeenRow, entry: &Entry, hash: &ContentHash, now: DateTime<Utc>) -> bool {
    row.version == HASH_VERSION
        && row.hash.as_slice() == hash.0.as_slice()
        && row.last_seen >= now.timestamp() - REFRESH_SECS
        && entry.published.is_some()
        && (entry.updated.is_some() || row.hash_seen == row.first_seen)
}

/// Whether the row must be written again: the entry is new or changed, its hash is of an
/// older version, or it was not marked seen for a day.
fn stale(row: Option<&SeenRow>, fresh: bool, now: DateTime<Utc>) -> bool {
    row.is_none_or(|r| {
        fresh || r.version != HASH_VERSION || r.last_seen < now.timestamp() - REFRESH_SECS
    })
}

/// The dates of an entry with content `hash` seen at `now`, given what was stored; the flag
/// is true when the entry is new or its content changed.
fn seen_from(
    row: Option<&SeenRow>,
    hash: &ContentHash,
    now: DateTime<Utc>,
) -> Result<(Seen, bool), Unreadable> {
    let now = now.fixed_offset();
    let Some(row) = row else {
        let seen = Seen {
            first_seen: now,
            content_since: now,
        };
        return Ok((seen, true));
    };
    let first_seen = parse_date(&row.first_seen)?;
    let same = row.hash.as_slice() == hash.0.as_slice();
    let (content_since, fresh) = if same || row.version != HASH_VERSION {
        (parse_date(&row.hash_seen)?, false)
    } else {
        (now, true)
    };
    let seen = Seen {
        first_seen,
        content_since,
    };
    Ok((seen, fresh))
}

/// Fills `entry`'s missing dates from `seen`, written in `zone`: `published` becomes the
/// date the entry was first seen; `updated` the date its content last changed, when that
/// is after it was first seen. Dates the entry has are left as they are.
fn apply(entry: &mut Entry, seen: &Seen, zone: Tz) {
    let local = |date: DateTime<FixedOffset>| date.with_timezone(&zone).fixed_offset();
    if entry.published.is_none() {
        entry.published = Some(local(seen.first_seen));
    }
    if entry.updated.is_none() && seen.content_since > seen.first_seen {
        entry.updated = Some(local(seen.content_since));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_seen_dates_are_written_in_the_feed_zone() {
        let seen = Seen {
            first_seen: DateTime::parse_from_rfc3339("2026-01-01T03:00:00-05:00").expect("date"),
            content_since: DateTime::parse_from_rfc3339("2026-01-02T00:00:00Z").expect("date"),
        };
        let mut entry = Entry::default();
        apply(&mut entry, &seen, chrono_tz::Asia::Shanghai);
        let text = |d: Option<DateTime<FixedOffset>>| d.map(|d| d.to_rfc3339());
        assert_eq!(
            text(entry.published).as_deref(),
            Some("2026-01-01T16:00:00+08:00")
        );
        assert_eq!(
            text(entry.updated).as_deref(),
            Some("2026-01-02T08:00:00+08:00")
        );
    }
}
