//! Everything a run does to the SQLite file: [`StoreRun`] for [`Run`], one short method per
//! operation over the tables of [`super::schema`].

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use foldhash::fast::RandomState;
use rusqlite::{OptionalExtension, Params, Row, params};
use url::Url;

use super::Run;
use crate::merge::{CachedResponse, FetchSchedule};
use crate::model::{ContentHash, Entry};
use crate::output::FileStamp;
use crate::state::dating::HASH_VERSION;
use crate::state::stored::{date_text, entry_from_json, entry_json, parse_date};
use crate::state::{
    CachedArticle, CachedArticles, FetchRows, Keep, PreparedArticle, Seen, SeenRow, StateError,
    StoreRun,
};

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

fn hash_from(bytes: Vec<u8>) -> ContentHash {
    ContentHash(<[u8; 32]>::try_from(bytes).unwrap_or([0; 32]))
}

/// An `entry_seen` row from `first_seen, hash_version, content_hash, hash_seen, last_seen`
/// starting at column `at`.
fn seen_row(r: &Row<'_>, at: usize) -> rusqlite::Result<SeenRow> {
    Ok(SeenRow {
        first_seen: r.get(at)?,
        version: r.get(at + 1)?,
        hash: r.get(at + 2)?,
        hash_seen: r.get(at + 3)?,
        last_seen: r.get(at + 4)?,
    })
}

/// A `fetch_cache` row: ETag, Last-Modified, fetched at (RFC 3339), body.
type FetchRow = (Option<String>, Option<String>, String, Vec<u8>);

/// A `fetch_schedule` row from `checked_at, failures, retry_after, backoff_until,
/// fresh_until`; `None` when a time is out of range.
fn schedule_row(r: &Row<'_>) -> rusqlite::Result<Option<FetchSchedule>> {
    let time = |secs: i64| DateTime::from_timestamp(secs, 0);
    let optional = |secs: Option<i64>| match secs {
        Some(secs) => time(secs).map(Some),
        None => Some(None),
    };
    let (checked, failures): (i64, i64) = (r.get(0)?, r.get(1)?);
    let (retry, backoff, fresh) = (r.get(2)?, r.get(3)?, r.get(4)?);
    Ok((|| {
        Some(FetchSchedule {
            checked_at: time(checked)?,
            failures: u32::try_from(failures).unwrap_or(u32::MAX),
            retry_after: optional(retry)?,
            backoff_until: optional(backoff)?,
            fresh_until: optional(fresh)?,
        })
    })())
}

impl Run<'_> {
    /// Runs one statement (prepared once per connection).
    pub(super) fn execute(&self, sql: &str, params: impl Params) -> Result<usize, StateError> {
        (self.tx.prepare_cached(sql))
            .and_then(|mut statement| statement.execute(params))
            .map_err(self.sql_err())
    }

    /// Every row a query gives, each read by `read`.
    fn rows<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StateError> {
        let err = self.sql_err();
        let mut statement = self.tx.prepare_cached(sql).map_err(&err)?;
        let rows = statement.query_map(params, read).map_err(&err)?;
        rows.map(|row| row.map_err(&err)).collect()
    }

    /// The one row a query gives, if any.
    pub(super) fn row<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StateError> {
        (self.tx.prepare_cached(sql))
            .and_then(|mut statement| statement.query_row(params, read).optional())
            .map_err(self.sql_err())
    }
}

impl FetchRows for Run<'_> {
    fn cached_response(&self, url: &Url) -> Result<Option<CachedResponse>, StateError> {
        let sql = "SELECT etag, last_modified, fetched_at, body FROM fetch_cache WHERE url = ?1";
        let row: Option<FetchRow> = self.row(sql, params![url.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        row.map(|(etag, last_modified, fetched_at, body)| {
            Ok(CachedResponse {
                etag,
                last_modified,
                fetched_at: parse_date(&fetched_at).map_err(|e| self.corrupt(e))?,
                body,
            })
        })
        .transpose()
    }

    /// Replaces what is kept for `url`.
    fn store_response(&self, url: &Url, response: &CachedResponse) -> Result<(), StateError> {
        let sql = "INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, fetched_at, body)
                   VALUES (?1, ?2, ?3, ?4, ?5)";
        let fetched_at = date_text(&response.fetched_at);
        let (etag, modified) = (&response.etag, &response.last_modified);
        self.execute(
            sql,
            params![url.as_str(), etag, modified, fetched_at, response.body],
        )
        .map(drop)
    }

    /// When `url` may be fetched again, if it was ever tried.
    fn fetch_schedule(&self, url: &Url) -> Result<Option<FetchSchedule>, StateError> {
        let sql = "SELECT checked_at, failures, retry_after, backoff_until, fresh_until
                   FROM fetch_schedule WHERE url = ?1";
        Ok(self
            .row(sql, params![url.as_str()], schedule_row)?
            .flatten())
    }

    /// Replaces the schedule kept for `url`.
    fn store_schedule(&self, url: &Url, s: &FetchSchedule) -> Result<(), StateError> {
        let sql = "INSERT OR REPLACE INTO fetch_schedule
                       (url, checked_at, failures, retry_after, backoff_until, fresh_until,
                        next_fetch)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
        let secs = |t: &DateTime<Utc>| t.timestamp();
        let values = params![
            url.as_str(),
            secs(&s.checked_at),
            s.failures,
            s.retry_after.as_ref().map(secs),
            s.backoff_until.as_ref().map(secs),
            s.fresh_until.as_ref().map(secs),
            secs(&s.next_fetch()),
        ];
        self.execute(sql, values).map(drop)
    }
}

impl StoreRun for Run<'_> {
    fn commit(self: Box<Self>) -> Result<(), StateError> {
        (*self).commit()
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn fingerprint(&self, feed: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>, StateError> {
        let sql = "SELECT fingerprint FROM feed_fingerprint
                   WHERE feed = ?1 AND (valid_until IS NULL OR valid_until > ?2)";
        self.row(sql, params![feed, now.timestamp()], |r| r.get(0))
    }

    fn set_fingerprint(
        &self,
        feed: &str,
        fingerprint: Option<&[u8]>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Result<(), StateError> {
        let until = valid_until.map(|t| t.timestamp());
        match fingerprint {
            Some(fp) => self.execute(
                "INSERT OR REPLACE INTO feed_fingerprint (feed, fingerprint, valid_until)
                 VALUES (?1, ?2, ?3)",
                params![feed, fp, until],
            ),
            None => self.execute(
                "DELETE FROM feed_fingerprint WHERE feed = ?1",
                params![feed],
            ),
        }
        .map(drop)
    }

    fn cached_articles(&self, context: &str) -> Result<CachedArticles, StateError> {
        let sql = "SELECT path, size, mtime_ns, content_hash, entry_hash, entry
                   FROM article_cache WHERE context = ?1";
        let rows = self.rows(sql, params![full_context(context)], |r| {
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
        })?;
        Ok(rows.into_iter().collect())
    }

    fn store_article(
        &self,
        path: &Path,
        context: &str,
        article: &PreparedArticle,
    ) -> Result<(), StateError> {
        let sql = "INSERT OR REPLACE INTO article_cache
                       (path, context, size, mtime_ns, content_hash, entry, entry_hash)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
        let (file_hash, entry_hash) = (article.file_hash.0, article.entry_hash.0);
        self.execute(
            sql,
            params![
                path.to_string_lossy(),
                full_context(context),
                stored_size(article.stamp.size),
                article.stamp.mtime_ns,
                file_hash.as_slice(),
                article.entry,
                entry_hash.as_slice(),
            ],
        )
        .map(drop)
    }

    fn restamp_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
    ) -> Result<(), StateError> {
        let sql = "UPDATE article_cache SET size = ?3, mtime_ns = ?4
                   WHERE path = ?1 AND context = ?2";
        let (size, mtime) = (stored_size(stamp.size), stamp.mtime_ns);
        let path = path.to_string_lossy();
        self.execute(sql, params![path, full_context(context), size, mtime])
            .map(drop)
    }

    fn forget_article(&self, path: &Path, context: &str) -> Result<(), StateError> {
        let sql = "DELETE FROM article_cache WHERE path = ?1 AND context = ?2";
        self.execute(sql, params![path.to_string_lossy(), full_context(context)])
            .map(drop)
    }

    fn forget_article_contexts_except(&self, contexts: &[&str]) -> Result<usize, StateError> {
        let keep: Vec<String> = contexts.iter().map(|c| full_context(c)).collect();
        let json = serde_json::to_string(&keep).unwrap_or_default();
        let sql =
            "DELETE FROM article_cache WHERE context NOT IN (SELECT value FROM json_each(?1))";
        self.execute(sql, params![json])
    }

    fn seen_rows(&self, feed: &str) -> Result<HashMap<String, SeenRow, RandomState>, StateError> {
        let sql = "SELECT entry_id, first_seen, hash_version, content_hash, hash_seen, last_seen
                   FROM entry_seen WHERE feed = ?1";
        let rows = self.rows(sql, params![feed], |r| Ok((r.get(0)?, seen_row(r, 1)?)))?;
        Ok(rows.into_iter().collect())
    }

    fn seen_row(&self, feed: &str, id: &str) -> Result<Option<SeenRow>, StateError> {
        let sql = "SELECT first_seen, hash_version, content_hash, hash_seen, last_seen
                   FROM entry_seen WHERE feed = ?1 AND entry_id = ?2";
        self.row(sql, params![feed, id], |r| seen_row(r, 0))
    }

    fn upsert_seen(
        &self,
        feed: &str,
        id: &str,
        seen: &Seen,
        hash: &ContentHash,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let sql = "INSERT INTO entry_seen
                       (feed, entry_id, first_seen, hash_version, content_hash, hash_seen, last_seen)
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                   ON CONFLICT (feed, entry_id) DO UPDATE SET
                       hash_version = excluded.hash_version,
                       content_hash = excluded.content_hash,
                       hash_seen = excluded.hash_seen,
                       last_seen = excluded.last_seen";
        let (first, since) = (date_text(&seen.first_seen), date_text(&seen.content_since));
        let values = params![
            feed,
            id,
            first,
            HASH_VERSION,
            hash.0.as_slice(),
            since,
            now.timestamp()
        ];
        self.execute(sql, values).map(drop)
    }

    fn forget_unseen(&self, before: DateTime<Utc>) -> Result<usize, StateError> {
        let sql = "DELETE FROM entry_seen WHERE last_seen < ?1";
        self.execute(sql, params![before.timestamp()])
    }

    fn remember_history(
        &self,
        feed: &str,
        entries: &[Entry],
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let upsert = "INSERT INTO history (feed, entry_id, sort_date, last_seen, entry)
                      VALUES (?1, ?2, ?3, ?4, ?5)
                      ON CONFLICT (feed, entry_id) DO UPDATE SET
                          sort_date = excluded.sort_date,
                          last_seen = excluded.last_seen,
                          entry = excluded.entry";
        for entry in entries {
            let sort = entry.sort_date().map(|d| d.timestamp());
            let json = entry_json(entry);
            self.execute(upsert, params![feed, entry.id, sort, now.timestamp(), json])?;
        }
        let prune = "DELETE FROM history WHERE feed = ?1 AND (last_seen < ?2 OR entry_id NOT IN (
                         SELECT entry_id FROM history WHERE feed = ?1 AND last_seen >= ?2
                         ORDER BY sort_date DESC NULLS LAST, entry_id LIMIT ?3))";
        (self.execute(prune, params![feed, keep.cutoff(&now), keep.limit()])).map(drop)
    }

    fn history(
        &self,
        feed: &str,
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<Vec<Entry>, StateError> {
        let sql = "SELECT entry FROM history WHERE feed = ?1 AND last_seen >= ?2
                   ORDER BY sort_date DESC NULLS LAST, entry_id LIMIT ?3";
        let window = params![feed, keep.cutoff(&now), keep.limit()];
        let rows: Vec<String> = self.rows(sql, window, |r| r.get(0))?;
        (rows.iter())
            .map(|json| entry_from_json(json).map_err(|e| self.corrupt(e)))
            .collect()
    }

    fn oldest_history(&self, feed: &str) -> Result<Option<i64>, StateError> {
        let sql = "SELECT MIN(last_seen) FROM history WHERE feed = ?1";
        Ok(self.row(sql, params![feed], |r| r.get(0))?.flatten())
    }
}
