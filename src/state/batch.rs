//! Whole-feed operations for the build: one query loads what a feed needs (its cached
//! articles, what is known of its entries), and only what changed is written back. A feed of
//! ten thousand articles thus costs a few queries, not tens of thousands of round trips.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::articles::{FileStamp, full_context, stored_size};
use super::entries::{ContentHash, HASH_VERSION, Seen};
use super::stored::{date_text, entry_from_head, fill_body, parse_date};
use super::{Run, StateError};
use crate::model::Entry;

/// How often an entry that is still present but unchanged gets its `last_seen` refreshed,
/// in seconds: daily is plenty for a forget horizon of months.
const REFRESH_SECS: i64 = 86_400;

/// One row of the article cache, its entry not yet decoded.
#[derive(Debug, Clone)]
pub struct CachedArticle {
    /// The file's stamp when it was parsed.
    pub stamp: FileStamp,
    /// The hash of the file's bytes when it was parsed.
    pub file_hash: ContentHash,
    /// The content hash of the parsed entry (absent in rows cached before schema 2).
    pub entry_hash: Option<ContentHash>,
    head: Vec<u8>,
    body: Option<Vec<u8>>,
}

impl CachedArticle {
    /// Decodes the cached entry; the error says what was wrong with it. An entry loaded
    /// without its body (see [`Run::cached_articles`]) lacks its summary and content.
    pub fn entry(&self) -> Result<Entry, String> {
        let mut entry = entry_from_head(&self.head)?;
        if let Some(body) = &self.body {
            fill_body(&mut entry, body)?;
        }
        Ok(entry)
    }

    /// Whether the entry was loaded without its summary and content.
    pub fn is_hollow(&self) -> bool {
        self.body.is_none()
    }
}

fn hash_from(bytes: Option<Vec<u8>>) -> Option<ContentHash> {
    bytes
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(ContentHash)
}

impl Run<'_> {
    /// Every article cached under `context`, by path (as stored: `to_string_lossy`), in one
    /// query; with `bodies` false, without the entries' summaries and contents, which are
    /// kept only for articles cached with them (see [`super::PreparedArticle::hollow`]).
    pub fn cached_articles(
        &self,
        context: &str,
        bodies: bool,
    ) -> Result<HashMap<String, CachedArticle, RandomState>, StateError> {
        let sql = self.sql_err();
        let mut query = self
            .tx
            .prepare_cached(if bodies {
                "SELECT c.path, c.size, c.mtime_ns, c.content_hash, c.entry_hash, c.entry, b.body
                 FROM article_cache c LEFT JOIN article_body b USING (path, context)
                 WHERE c.context = ?1"
            } else {
                "SELECT path, size, mtime_ns, content_hash, entry_hash, entry, NULL
                 FROM article_cache WHERE context = ?1"
            })
            .map_err(&sql)?;
        let rows = query
            .query_map(params![full_context(context)], |r| {
                let path: String = r.get(0)?;
                let size: i64 = r.get(1)?;
                Ok((
                    path,
                    CachedArticle {
                        stamp: FileStamp {
                            size: u64::try_from(size).unwrap_or(0),
                            mtime_ns: r.get(2)?,
                        },
                        file_hash: hash_from(r.get(3)?).unwrap_or(ContentHash([0; 32])),
                        entry_hash: hash_from(r.get(4)?),
                        // A row of another form decodes as an error: that file is parsed again.
                        head: r.get_ref(5)?.as_bytes()?.to_vec(),
                        body: match bodies {
                            true => r.get_ref(6)?.as_bytes_or_null()?.map(<[u8]>::to_vec),
                            false => None,
                        },
                    },
                ))
            })
            .map_err(&sql)?;
        rows.map(|row| row.map_err(&sql)).collect()
    }

    /// Records a new stamp for a cached article whose bytes did not change.
    pub fn restamp_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
    ) -> Result<(), StateError> {
        self.tx
            .prepare_cached(
                "UPDATE article_cache SET size = ?3, mtime_ns = ?4
                 WHERE path = ?1 AND context = ?2",
            )
            .and_then(|mut update| {
                update.execute(params![
                    path.to_string_lossy(),
                    full_context(context),
                    stored_size(stamp.size),
                    stamp.mtime_ns
                ])
            })
            .map(drop)
            .map_err(self.sql_err())
    }

    /// Forgets the cached article at `path` under `context` (its file is gone).
    pub fn forget_article(&self, path: &Path, context: &str) -> Result<(), StateError> {
        self.tx
            .prepare_cached("DELETE FROM article_cache WHERE path = ?1 AND context = ?2")
            .and_then(|mut delete| {
                delete.execute(params![path.to_string_lossy(), full_context(context)])
            })
            .map(drop)
            .map_err(self.sql_err())
    }

    /// Forgets cached articles of every context but `contexts` (feeds renamed or removed,
    /// settings changed). Returns how many rows went.
    pub fn forget_article_contexts_except(&self, contexts: &[&str]) -> Result<usize, StateError> {
        let keep: Vec<String> = contexts.iter().map(|c| full_context(c)).collect();
        let json = serde_json::to_string(&keep).unwrap_or_default();
        self.tx
            .execute(
                "DELETE FROM article_cache WHERE context NOT IN (SELECT value FROM json_each(?1))",
                params![json],
            )
            .map_err(self.sql_err())
    }

    /// The fingerprint stored for `feed`, unless it expired before `now`.
    pub fn fingerprint(
        &self,
        feed: &str,
        now: DateTime<FixedOffset>,
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
        valid_until: Option<DateTime<FixedOffset>>,
    ) -> Result<(), StateError> {
        let sql = self.sql_err();
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
        .map_err(&sql)
    }

    /// When the oldest entry in `feed`'s history was last merged, if it has any.
    pub fn oldest_history(&self, feed: &str) -> Result<Option<i64>, StateError> {
        self.tx
            .query_row(
                "SELECT MIN(last_seen) FROM history WHERE feed = ?1",
                params![feed],
                |r| r.get(0),
            )
            .map_err(self.sql_err())
    }

    /// [`Run::resolve_dates`] for a whole feed at once: `entries` pairs each entry with its
    /// [`ContentHash`]. Reads what is known of the feed's entries in one query and writes
    /// only the entries that are new, changed, or not refreshed for a day. Returns how many
    /// entries are new or changed.
    pub fn resolve_dates_all(
        &self,
        feed: &str,
        entries: &mut [(Entry, ContentHash)],
        now: DateTime<FixedOffset>,
    ) -> Result<usize, StateError> {
        let (changed, seen) = self.date_entries(feed, entries, now)?;
        self.store_seen(feed, seen, now)?;
        Ok(changed)
    }

    /// [`Run::resolve_dates_all`] without its writes: dates the entries and returns how many
    /// are new or changed, and what [`Run::store_seen`] must record, so that a build can
    /// write it while it does other work.
    pub fn date_entries<H: AsRef<ContentHash>>(
        &self,
        feed: &str,
        entries: &mut [(Entry, H)],
        now: DateTime<FixedOffset>,
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
            let (seen, fresh) =
                seen_from(row, hash, now).map_err(|r| StateError::corrupt(self.path, r))?;
            let stale = row.is_none_or(|r| {
                fresh || r.version != HASH_VERSION || r.last_seen < now.timestamp() - REFRESH_SECS
            });
            if stale {
                updates.push((entry.id.clone(), seen, *hash));
            }
            changed += usize::from(fresh);
            apply(entry, &seen);
        }
        Ok((changed, SeenUpdates(updates)))
    }

    /// Records what [`Run::date_entries`] found.
    pub fn store_seen(
        &self,
        feed: &str,
        updates: SeenUpdates,
        now: DateTime<FixedOffset>,
    ) -> Result<(), StateError> {
        for (id, seen, hash) in updates.0 {
            self.upsert_seen(feed, &id, &seen, &hash, now)?;
        }
        Ok(())
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

    pub(super) fn upsert_seen(
        &self,
        feed: &str,
        id: &str,
        seen: &Seen,
        hash: &ContentHash,
        now: DateTime<FixedOffset>,
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

/// What [`Run::date_entries`] leaves for [`Run::store_seen`] to write: per entry id, its
/// dates and content hash.
#[derive(Debug, Default)]
pub struct SeenUpdates(Vec<(String, Seen, ContentHash)>);

/// Whether `entry` is known with this very content, was marked seen recently, and needs
/// no date from the store: then there is nothing to read back or write.
fn settled(row: &SeenRow, entry: &Entry, hash: &ContentHash, now: DateTime<FixedOffset>) -> bool {
    row.version == HASH_VERSION
        && row.hash.as_slice() == hash.0.as_slice()
        && row.last_seen >= now.timestamp() - REFRESH_SECS
        && entry.published.is_some()
        && (entry.updated.is_some() || row.hash_seen == row.first_seen)
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

/// The dates of an entry with content `hash` seen at `now`, given what was stored; the flag
/// is true when the entry is new or its content changed.
pub(super) fn seen_from(
    row: Option<&SeenRow>,
    hash: &ContentHash,
    now: DateTime<FixedOffset>,
) -> Result<(Seen, bool), String> {
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

/// Fills `entry`'s missing dates from `seen`, as [`Run::resolve_dates`] documents.
pub(super) fn apply(entry: &mut Entry, seen: &Seen) {
    if entry.published.is_none() {
        entry.published = Some(seen.first_seen);
    }
    if entry.updated.is_none() && seen.content_since > seen.first_seen {
        entry.updated = Some(seen.content_since);
    }
}
