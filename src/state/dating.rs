//! How the store dates entries, as pure functions over what it remembers of them: an entry
//! without a date of its own gets the date it was first seen; an entry whose content changed
//! after it was first seen gets that change's date as its `updated`. The SQL that reads and
//! writes these facts is in [`super::entries`].

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;

use super::stored::{Unreadable, parse_date};
use crate::model::{ContentHash, Entry};

/// Bumped whenever [`ContentHash::of`] changes what it hashes; a stored hash of another
/// version is replaced without counting as a content change.
pub(super) const HASH_VERSION: i64 = 2;

/// How often an entry that is still present but unchanged gets its `last_seen` refreshed,
/// in seconds: daily is plenty for a forget horizon of months.
pub(super) const REFRESH_SECS: i64 = 86_400;

/// What the store knows about one entry of one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// When the entry was first seen in this feed.
    pub first_seen: DateTime<FixedOffset>,
    /// When the entry's current content was first seen; later than `first_seen` only if
    /// the content changed since.
    pub content_since: DateTime<FixedOffset>,
}

/// What `entry_seen` holds for one entry.
#[derive(Debug, Clone)]
pub(super) struct SeenRow {
    pub first_seen: String,
    pub version: i64,
    pub hash: Vec<u8>,
    pub hash_seen: String,
    pub last_seen: i64,
}

/// Whether `entry` is known with this very content, was marked seen recently, and needs
/// no date from the store: then there is nothing to read back or write.
pub(super) fn settled(
    row: &SeenRow,
    entry: &Entry,
    hash: &ContentHash,
    now: DateTime<Utc>,
) -> bool {
    row.version == HASH_VERSION
        && row.hash.as_slice() == hash.0.as_slice()
        && row.last_seen >= now.timestamp() - REFRESH_SECS
        && entry.published.is_some()
        && (entry.updated.is_some() || row.hash_seen == row.first_seen)
}

/// Whether the row must be written again: the entry is new or changed, its hash is of an
/// older version, or it was not marked seen for a day.
pub(super) fn stale(row: Option<&SeenRow>, fresh: bool, now: DateTime<Utc>) -> bool {
    row.is_none_or(|r| {
        fresh || r.version != HASH_VERSION || r.last_seen < now.timestamp() - REFRESH_SECS
    })
}

/// The dates of an entry with content `hash` seen at `now`, given what was stored; the flag
/// is true when the entry is new or its content changed.
pub(super) fn seen_from(
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
pub(super) fn apply(entry: &mut Entry, seen: &Seen, zone: Tz) {
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
