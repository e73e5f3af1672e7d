//! The article cache: per article file, its size, modification time, content hash and the
//! entry it was parsed into, so an unchanged file is not read and parsed again.

use std::fs::Metadata;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{OptionalExtension, params};

use super::entries::ContentHash;
use super::stored::{body_bytes, entry_from_head, fill_body, head_bytes, thin_bytes};
use super::{Run, StateError};
use crate::model::Entry;

/// A file's size and modification time: cheap to read, and a change in either means the
/// file may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i64,
}

impl FileStamp {
    /// A stamp no file has: stored for a file modified too close to the run to trust its
    /// stamp, so the next run compares its hash instead.
    pub const UNTRUSTED: FileStamp = FileStamp {
        size: u64::MAX,
        mtime_ns: i64::MIN,
    };

    /// `time` in the unit of [`FileStamp::mtime_ns`]: nanoseconds since the Unix epoch.
    pub fn nanos(time: SystemTime) -> i64 {
        nanos_since_epoch(time)
    }

    /// The stamp of a file from its metadata; `None` when the platform gives no mtime.
    pub fn from_metadata(meta: &Metadata) -> Option<FileStamp> {
        Some(FileStamp {
            size: meta.len(),
            mtime_ns: nanos_since_epoch(meta.modified().ok()?),
        })
    }
}

pub(super) fn nanos_since_epoch(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// The settings that shaped a parse, plus this build's version: a cached entry is reused only
/// under the same context, so a change of time zone, link template or feedloom release
/// re-parses every file.
pub(super) fn full_context(context: &str) -> String {
    format!("feedloom {}\n{context}", env!("CARGO_PKG_VERSION"))
}

/// An `article_cache` row with its body: size, mtime, file hash, entry head, entry body.
type ArticleRow = (i64, i64, Vec<u8>, Vec<u8>, Option<Vec<u8>>);

/// An entry serialised and hashed for the article cache.
#[derive(Debug, Clone)]
pub struct PreparedArticle {
    /// The entry as stored, without its summary and content.
    pub head: Vec<u8>,
    /// Its summary and content as stored, when kept (see [`PreparedArticle::hollow`]).
    pub body: Option<Vec<u8>>,
    /// Its [`ContentHash`].
    pub entry_hash: ContentHash,
}

impl PreparedArticle {
    /// Serialises and hashes `entry`.
    pub fn of(entry: &Entry) -> PreparedArticle {
        PreparedArticle {
            head: head_bytes(entry),
            body: Some(body_bytes(entry)),
            entry_hash: ContentHash::of(entry),
        }
    }

    /// Serialises and hashes `entry` keeping only what a build that copies its text from
    /// its earlier outputs needs (id, title, dates, authors): such a build reads the file
    /// again in the rare case it needs the rest.
    pub fn hollow(entry: &Entry) -> PreparedArticle {
        PreparedArticle {
            head: thin_bytes(entry),
            body: None,
            entry_hash: ContentHash::of(entry),
        }
    }
}

impl Run<'_> {
    /// The entry cached for the article at `path` under `context` (a fingerprint of the
    /// settings that shape its parse, chosen by the caller).
    ///
    /// Reused when `stamp` matches the stored one. Otherwise, when the caller passes the
    /// file's `hash` and it matches, the entry is reused and the stored stamp updated (the
    /// file was touched but not changed). `None` means: parse the file and call
    /// [`Run::store_article`].
    pub fn cached_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
        hash: Option<&ContentHash>,
    ) -> Result<Option<Entry>, StateError> {
        let sql = self.sql_err();
        let key = path.to_string_lossy();
        let context = full_context(context);
        let row: Option<ArticleRow> = self
            .tx
            .query_row(
                "SELECT c.size, c.mtime_ns, c.content_hash, c.entry, b.body
                 FROM article_cache c LEFT JOIN article_body b USING (path, context)
                 WHERE c.path = ?1 AND c.context = ?2",
                params![key, context],
                |r| {
                    let head = r.get_ref(3)?.as_bytes()?.to_vec();
                    let body = r.get_ref(4)?.as_bytes_or_null()?.map(<[u8]>::to_vec);
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, head, body))
                },
            )
            .optional()
            .map_err(&sql)?;
        let Some((size, mtime_ns, stored_hash, head, Some(body))) = row else {
            return Ok(None);
        };
        let same_stamp = size == stored_size(stamp.size) && mtime_ns == stamp.mtime_ns;
        if !same_stamp {
            match hash {
                Some(h) if h.0.as_slice() == stored_hash.as_slice() => {
                    self.tx
                        .execute(
                            "UPDATE article_cache SET size = ?3, mtime_ns = ?4
                             WHERE path = ?1 AND context = ?2",
                            params![key, context, stored_size(stamp.size), stamp.mtime_ns],
                        )
                        .map_err(&sql)?;
                }
                _ => return Ok(None),
            }
        }
        let mut entry =
            entry_from_head(&head).map_err(|reason| StateError::corrupt(self.path, reason))?;
        fill_body(&mut entry, &body).map_err(|reason| StateError::corrupt(self.path, reason))?;
        Ok(Some(entry))
    }

    /// Caches `entry` as the parse of the article at `path` under `context`, with the
    /// file's `stamp` and content `hash`.
    pub fn store_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
        hash: &ContentHash,
        entry: &Entry,
    ) -> Result<(), StateError> {
        self.store_prepared_article(path, context, stamp, hash, &PreparedArticle::of(entry))
    }

    /// [`Run::store_article`] with the entry already serialised and hashed (which callers
    /// can do in parallel, outside the transaction).
    pub fn store_prepared_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
        hash: &ContentHash,
        prepared: &PreparedArticle,
    ) -> Result<(), StateError> {
        let sql = self.sql_err();
        let key = path.to_string_lossy();
        let context = full_context(context);
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO article_cache
                     (path, context, size, mtime_ns, content_hash, entry, entry_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    key,
                    context,
                    stored_size(stamp.size),
                    stamp.mtime_ns,
                    hash.0.as_slice(),
                    prepared.head,
                    prepared.entry_hash.0.as_slice(),
                ])
            })
            .map_err(&sql)?;
        let body = match &prepared.body {
            Some(body) => self
                .tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO article_body (path, context, body)
                     VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut insert| insert.execute(params![key, context, body])),
            None => self
                .tx
                .prepare_cached("DELETE FROM article_body WHERE path = ?1 AND context = ?2")
                .and_then(|mut delete| delete.execute(params![key, context])),
        };
        body.map(drop).map_err(&sql)
    }

    /// Forgets cached articles whose file is not among `present` (deleted or moved files),
    /// so the cache does not grow forever. Returns how many were forgotten.
    pub fn forget_articles_except(&self, present: &[&Path]) -> Result<usize, StateError> {
        let sql = self.sql_err();
        self.tx
            .execute_batch("CREATE TEMP TABLE IF NOT EXISTS present_articles (path TEXT PRIMARY KEY); DELETE FROM present_articles;")
            .map_err(&sql)?;
        let mut insert = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO present_articles (path) VALUES (?1)")
            .map_err(&sql)?;
        for path in present {
            insert
                .execute(params![path.to_string_lossy()])
                .map_err(&sql)?;
        }
        self.tx
            .execute(
                "DELETE FROM article_cache WHERE path NOT IN (SELECT path FROM present_articles)",
                [],
            )
            .map_err(&sql)
    }
}

/// Sizes are stored as SQLite integers (signed 64-bit); no real file is larger.
pub(super) fn stored_size(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}
