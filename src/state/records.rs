//! The records a store keeps and gives back, whatever the store: cached articles, and the
//! keep window of merged entries.

use chrono::{DateTime, Duration, Utc};

use super::Unreadable;
use super::stored::{entry_bytes, entry_from_bytes};
use crate::model::{ContentHash, Entry};
use crate::output::FileStamp;

/// One row of the article cache, its entry not yet decoded.
#[derive(Debug, Clone)]
pub struct CachedArticle {
    /// The file's stamp when it was parsed.
    pub stamp: FileStamp,
    /// The hash of the file's bytes when it was parsed.
    pub file_hash: ContentHash,
    /// The content hash of the parsed entry.
    pub entry_hash: ContentHash,
    /// The entry as stored.
    pub entry: Vec<u8>,
}

impl CachedArticle {
    /// Decodes the cached entry. A row of another form is an error: that file is parsed
    /// again.
    pub fn entry(&self) -> Result<Entry, Unreadable> {
        entry_from_bytes(&self.entry)
    }
}

/// An entry serialised and hashed for the article cache (which callers can do in
/// parallel, outside the transaction).
#[derive(Debug, Clone)]
pub struct PreparedArticle {
    /// The file's stamp.
    pub stamp: FileStamp,
    /// The hash of the file's bytes.
    pub file_hash: ContentHash,
    /// The entry's [`ContentHash`].
    pub entry_hash: ContentHash,
    /// The entry as stored.
    pub entry: Vec<u8>,
}

impl PreparedArticle {
    /// Serialises and hashes `entry`, parsed from a file with this `stamp` and `file_hash`.
    pub fn new(entry: &Entry, stamp: FileStamp, file_hash: ContentHash) -> PreparedArticle {
        PreparedArticle {
            stamp,
            file_hash,
            entry_hash: ContentHash::of(entry),
            entry: entry_bytes(entry),
        }
    }
}

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
    pub(crate) fn cutoff(&self, now: &DateTime<Utc>) -> i64 {
        match self.days {
            // A window reaching past the calendar's start keeps everything.
            Some(days) => (now.checked_sub_signed(Duration::days(i64::from(days))))
                .map_or(i64::MIN, |cutoff| cutoff.timestamp()),
            None => i64::MIN,
        }
    }

    pub(crate) fn limit(&self) -> i64 {
        // SQL `LIMIT -1` is no limit.
        self.count.map_or(-1, i64::from)
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
