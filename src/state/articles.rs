//! The article cache: per article file, its size, modification time, content hash and the
//! entry it was parsed into, so an unchanged file is not read and parsed again. The entry is
//! kept whole (postcard); a build reads every cached entry of a feed in one query.

use std::collections::HashMap;
use std::path::Path;

use foldhash::fast::RandomState;
use rusqlite::params;

use super::stored::{entry_bytes, entry_from_bytes};
use super::{Run, StateError};
use crate::model::{ContentHash, Entry};
use crate::output::FileStamp;

/// The settings that shaped a parse, plus this build's version: a cached entry is reused only
/// under the same context, so a change of time zone, link template or feedloom release
/// parses every file again.
fn full_context(context: &str) -> String {
    format!("feedloom {}\n{context}", env!("CARGO_PKG_VERSION"))
}

/// Sizes are stored as SQLite integers (signed 64-bit); no real file is larger.
fn stored_size(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

/// One row of the article cache, its entry not yet decoded.
#[derive(Debug, Clone)]
pub struct CachedArticle {
    /// The file's stamp when it was parsed.
    pub stamp: FileStamp,
    /// The hash of the file's bytes when it was parsed.
    pub file_hash: ContentHash,
    /// The content hash of the parsed entry.
    pub entry_hash: ContentHash,
    entry: Vec<u8>,
}

impl CachedArticle {
    /// Decodes the cached entry. A row of another form is an error: that file is parsed
    /// again.
    pub fn entry(&self) -> Result<Entry, super::Unreadable> {
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
    entry: Vec<u8>,
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

fn hash_from(bytes: Vec<u8>) -> ContentHash {
    ContentHash(<[u8; 32]>::try_from(bytes).unwrap_or([0; 32]))
}

impl Run<'_> {
    /// Every article cached under `context` (a fingerprint of the settings that shape a
    /// parse, chosen by the caller), by path as stored, in one query.
    pub fn cached_articles(
        &self,
        context: &str,
    ) -> Result<HashMap<String, CachedArticle, RandomState>, StateError> {
        let sql = self.sql_err();
        let mut query = self
            .tx
            .prepare_cached(
                "SELECT path, size, mtime_ns, content_hash, entry_hash, entry
                 FROM article_cache WHERE context = ?1",
            )
            .map_err(&sql)?;
        let rows = query
            .query_map(params![full_context(context)], |r| {
                let size: i64 = r.get(1)?;
                let article = CachedArticle {
                    stamp: FileStamp {
                        size: u64::try_from(size).unwrap_or(0),
                        mtime_ns: r.get(2)?,
                    },
                    file_hash: hash_from(r.get(3)?),
                    entry_hash: hash_from(r.get(4)?),
                    entry: r.get(5)?,
                };
                Ok((r.get::<_, String>(0)?, article))
            })
            .map_err(&sql)?;
        rows.map(|row| row.map_err(&sql)).collect()
    }

    /// Caches the parse of the article at `path` under `context`.
    pub fn store_article(
        &self,
        path: &Path,
        context: &str,
        article: &PreparedArticle,
    ) -> Result<(), StateError> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO article_cache
                     (path, context, size, mtime_ns, content_hash, entry, entry_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    path.to_string_lossy(),
                    full_context(context),
                    stored_size(article.stamp.size),
                    article.stamp.mtime_ns,
                    article.file_hash.0.as_slice(),
                    article.entry,
                    article.entry_hash.0.as_slice(),
                ])
            })
            .map(drop)
            .map_err(self.sql_err())
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
}
