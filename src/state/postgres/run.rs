//! Everything a run does to the database: [`StoreRun`] and [`FetchCache`] for [`PgRun`], one
//! short method per operation, the same operations the SQLite store runs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use foldhash::fast::RandomState;
use postgres::{Row, Statement, Transaction};
use url::Url;

use super::{Params, execute, query};
use crate::merge::{CachedResponse, FetchSchedule};
use crate::model::{ContentHash, Entry};
use crate::output::FileStamp;
use crate::state::dating::HASH_VERSION;
use crate::state::stored::{date_text, entry_from_json, entry_json, parse_date};
use crate::state::{
    CachedArticle, CachedArticles, FetchRows, Keep, PreparedArticle, Seen, SeenRow, StateError,
    StoreRun, Unreadable,
};

/// One run's transaction on the database.
pub struct PgRun<'a> {
    tx: RefCell<Transaction<'a>>,
    statements: RefCell<&'a mut HashMap<&'static str, Statement>>,
    store: &'a str,
}

impl std::fmt::Debug for PgRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgRun({})", self.store)
    }
}

/// The settings that shaped a parse, plus this build's version (as in the SQLite store).
fn full_context(context: &str) -> String {
    format!("feedloom {}\n{context}", env!("CARGO_PKG_VERSION"))
}

fn hash_from(bytes: Vec<u8>) -> ContentHash {
    ContentHash(<[u8; 32]>::try_from(bytes).unwrap_or([0; 32]))
}

/// An `entry_seen` row from `first_seen, hash_version, content_hash, hash_seen, last_seen`
/// starting at column `at`.
fn seen_row(r: &Row, at: usize) -> Result<SeenRow, postgres::Error> {
    Ok(SeenRow {
        first_seen: r.try_get(at)?,
        version: r.try_get(at + 1)?,
        hash: r.try_get(at + 2)?,
        hash_seen: r.try_get(at + 3)?,
        last_seen: r.try_get(at + 4)?,
    })
}

impl<'a> PgRun<'a> {
    pub(super) fn new(
        tx: Transaction<'a>,
        statements: &'a mut HashMap<&'static str, Statement>,
        store: &'a str,
    ) -> PgRun<'a> {
        PgRun {
            tx: RefCell::new(tx),
            statements: RefCell::new(statements),
            store,
        }
    }

    /// Makes every write of this run durable.
    pub fn commit(self) -> Result<(), StateError> {
        let store = self.store;
        self.tx.into_inner().commit().map_err(StateError::pg(store))
    }

    pub(super) fn rows(
        &self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<Row>, StateError> {
        let (mut tx, mut statements) = (self.tx.borrow_mut(), self.statements.borrow_mut());
        query(&mut *tx, *statements, sql, params).map_err(StateError::pg(self.store))
    }

    pub(super) fn execute(&self, sql: &'static str, params: Params<'_>) -> Result<u64, StateError> {
        let (mut tx, mut statements) = (self.tx.borrow_mut(), self.statements.borrow_mut());
        execute(&mut *tx, *statements, sql, params).map_err(StateError::pg(self.store))
    }

    pub(super) fn corrupt(&self, source: Unreadable) -> StateError {
        StateError::Corrupt {
            store: self.store.to_owned(),
            source,
        }
    }

    pub(super) fn read<T>(&self, value: Result<T, postgres::Error>) -> Result<T, StateError> {
        value.map_err(StateError::pg(self.store))
    }
}

impl FetchRows for PgRun<'_> {
    fn cached_response(&self, url: &Url) -> Result<Option<CachedResponse>, StateError> {
        let sql = "SELECT s.etag, s.last_modified, s.fetched_at, b.body
                   FROM fetch_source s JOIN fetch_body b USING (url)
                   WHERE s.url = $1 AND s.fetched_at IS NOT NULL";
        let rows = self.rows(sql, &[&url.as_str()])?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let fetched_at: String = self.read(r.try_get(2))?;
        Ok(Some(CachedResponse {
            etag: self.read(r.try_get(0))?,
            last_modified: self.read(r.try_get(1))?,
            fetched_at: parse_date(&fetched_at).map_err(|e| self.corrupt(e))?,
            body: self.read(r.try_get(3))?,
        }))
    }

    /// Replaces what is kept for `url`.
    fn store_response(&self, url: &Url, response: &CachedResponse) -> Result<(), StateError> {
        let sql = "INSERT INTO fetch_source (url, host, etag, last_modified, fetched_at)
                   VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag,
                       last_modified = EXCLUDED.last_modified, fetched_at = EXCLUDED.fetched_at";
        let host = url.host_str().unwrap_or("");
        let fetched_at = date_text(&response.fetched_at);
        let (etag, modified) = (&response.etag, &response.last_modified);
        self.execute(sql, &[&url.as_str(), &host, etag, modified, &fetched_at])?;
        let sql = "INSERT INTO fetch_body (url, body) VALUES ($1, $2)
                   ON CONFLICT (url) DO UPDATE SET body = EXCLUDED.body";
        self.execute(sql, &[&url.as_str(), &response.body])
            .map(drop)
    }

    /// When `url` may be fetched again, if it was ever tried.
    fn fetch_schedule(&self, url: &Url) -> Result<Option<FetchSchedule>, StateError> {
        let sql = "SELECT checked_at, failures, retry_after, backoff_until, fresh_until
                   FROM fetch_source WHERE url = $1 AND checked_at IS NOT NULL";
        let rows = self.rows(sql, &[&url.as_str()])?;
        rows.first()
            .map(|r| self.read(schedule_from(r, 0)))
            .transpose()
    }

    /// Replaces the schedule kept for `url`; when it is next due follows from it and the
    /// source's interval.
    fn store_schedule(&self, url: &Url, s: &FetchSchedule) -> Result<(), StateError> {
        let sql = "INSERT INTO fetch_source
                       (url, host, checked_at, failures, retry_after, backoff_until, fresh_until)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (url) DO UPDATE SET checked_at = EXCLUDED.checked_at,
                       failures = EXCLUDED.failures, retry_after = EXCLUDED.retry_after,
                       backoff_until = EXCLUDED.backoff_until,
                       fresh_until = EXCLUDED.fresh_until";
        let failures = i32::try_from(s.failures).unwrap_or(i32::MAX);
        let host = url.host_str().unwrap_or("");
        let values: Params<'_> = &[
            &url.as_str(),
            &host,
            &s.checked_at,
            &failures,
            &s.retry_after,
            &s.backoff_until,
            &s.fresh_until,
        ];
        self.execute(sql, values)?;
        self.execute(SET_NEXT_DUE, &[&url.as_str()]).map(drop)
    }
}

/// Sets when the source `$1` is next due: the latest of the last try plus its interval,
/// the server's Retry-After, the backoff and the freshness (`epoch`: never tried, due).
pub(super) const SET_NEXT_DUE: &str = "UPDATE fetch_source SET next_fetch_at = COALESCE(GREATEST(
        checked_at + every_secs * interval '1 second', retry_after, backoff_until, fresh_until),
        'epoch')
    WHERE url = $1";

/// A [`FetchSchedule`] from `checked_at, failures, retry_after, backoff_until, fresh_until`
/// starting at column `at`.
pub(super) fn schedule_from(r: &Row, at: usize) -> Result<FetchSchedule, postgres::Error> {
    let failures: i32 = r.try_get(at + 1)?;
    Ok(FetchSchedule {
        checked_at: r.try_get(at)?,
        failures: u32::try_from(failures).unwrap_or(0),
        retry_after: r.try_get(at + 2)?,
        backoff_until: r.try_get(at + 3)?,
        fresh_until: r.try_get(at + 4)?,
    })
}

impl StoreRun for PgRun<'_> {
    fn commit(self: Box<Self>) -> Result<(), StateError> {
        (*self).commit()
    }

    fn describe(&self) -> String {
        self.store.to_owned()
    }

    fn fingerprint(&self, feed: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>, StateError> {
        let sql = "SELECT fingerprint FROM feed_fingerprint
                   WHERE feed = $1 AND (valid_until IS NULL OR valid_until > $2)";
        let rows = self.rows(sql, &[&feed, &now.timestamp()])?;
        rows.first().map(|r| self.read(r.try_get(0))).transpose()
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
                "INSERT INTO feed_fingerprint (feed, fingerprint, valid_until) VALUES ($1, $2, $3)
                 ON CONFLICT (feed) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
                     valid_until = EXCLUDED.valid_until",
                &[&feed, &fp, &until],
            ),
            None => self.execute("DELETE FROM feed_fingerprint WHERE feed = $1", &[&feed]),
        }
        .map(drop)
    }

    fn cached_articles(&self, context: &str) -> Result<CachedArticles, StateError> {
        let sql = "SELECT path, size, mtime_ns, content_hash, entry_hash, entry
                   FROM article_cache WHERE context = $1";
        let rows = self.rows(sql, &[&full_context(context)])?;
        let read = |r: &Row| -> Result<(String, CachedArticle), postgres::Error> {
            let size: i64 = r.try_get(1)?;
            let entry_hash: Option<Vec<u8>> = r.try_get(4)?;
            let article = CachedArticle {
                stamp: FileStamp {
                    size: u64::try_from(size).unwrap_or(0),
                    mtime_ns: r.try_get(2)?,
                },
                file_hash: hash_from(r.try_get(3)?),
                entry_hash: hash_from(entry_hash.unwrap_or_default()),
                entry: r.try_get(5)?,
            };
            Ok((r.try_get(0)?, article))
        };
        (rows.iter()).map(|r| self.read(read(r))).collect()
    }

    fn store_article(
        &self,
        path: &Path,
        context: &str,
        article: &PreparedArticle,
    ) -> Result<(), StateError> {
        let sql = "INSERT INTO article_cache
                       (path, context, size, mtime_ns, content_hash, entry, entry_hash)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (path, context) DO UPDATE SET size = EXCLUDED.size,
                       mtime_ns = EXCLUDED.mtime_ns, content_hash = EXCLUDED.content_hash,
                       entry = EXCLUDED.entry, entry_hash = EXCLUDED.entry_hash";
        let size = i64::try_from(article.stamp.size).unwrap_or(i64::MAX);
        let (file_hash, entry_hash) = (
            article.file_hash.0.as_slice(),
            article.entry_hash.0.as_slice(),
        );
        let path = path.to_string_lossy();
        let values: Params<'_> = &[
            &path.as_ref(),
            &full_context(context),
            &size,
            &article.stamp.mtime_ns,
            &file_hash,
            &article.entry,
            &entry_hash,
        ];
        self.execute(sql, values).map(drop)
    }

    fn restamp_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
    ) -> Result<(), StateError> {
        let sql = "UPDATE article_cache SET size = $3, mtime_ns = $4
                   WHERE path = $1 AND context = $2";
        let size = i64::try_from(stamp.size).unwrap_or(i64::MAX);
        let path = path.to_string_lossy();
        let values: Params<'_> = &[
            &path.as_ref(),
            &full_context(context),
            &size,
            &stamp.mtime_ns,
        ];
        self.execute(sql, values).map(drop)
    }

    fn forget_article(&self, path: &Path, context: &str) -> Result<(), StateError> {
        let sql = "DELETE FROM article_cache WHERE path = $1 AND context = $2";
        let path = path.to_string_lossy();
        self.execute(sql, &[&path.as_ref(), &full_context(context)])
            .map(drop)
    }

    fn forget_article_contexts_except(&self, contexts: &[&str]) -> Result<usize, StateError> {
        let keep: Vec<String> = contexts.iter().map(|c| full_context(c)).collect();
        let sql = "DELETE FROM article_cache WHERE context <> ALL($1)";
        let gone = self.execute(sql, &[&keep])?;
        Ok(usize::try_from(gone).unwrap_or(usize::MAX))
    }

    fn seen_rows(&self, feed: &str) -> Result<HashMap<String, SeenRow, RandomState>, StateError> {
        let sql = "SELECT entry_id, first_seen, hash_version, content_hash, hash_seen, last_seen
                   FROM entry_seen WHERE feed = $1";
        let rows = self.rows(sql, &[&feed])?;
        (rows.iter())
            .map(|r| self.read(r.try_get(0).and_then(|id| Ok((id, seen_row(r, 1)?)))))
            .collect()
    }

    fn seen_row(&self, feed: &str, id: &str) -> Result<Option<SeenRow>, StateError> {
        let sql = "SELECT first_seen, hash_version, content_hash, hash_seen, last_seen
                   FROM entry_seen WHERE feed = $1 AND entry_id = $2";
        let rows = self.rows(sql, &[&feed, &id])?;
        rows.first().map(|r| self.read(seen_row(r, 0))).transpose()
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
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (feed, entry_id) DO UPDATE SET
                       hash_version = EXCLUDED.hash_version,
                       content_hash = EXCLUDED.content_hash,
                       hash_seen = EXCLUDED.hash_seen,
                       last_seen = EXCLUDED.last_seen";
        let (first, since) = (date_text(&seen.first_seen), date_text(&seen.content_since));
        let values: Params<'_> = &[
            &feed,
            &id,
            &first,
            &HASH_VERSION,
            &hash.0.as_slice(),
            &since,
            &now.timestamp(),
        ];
        self.execute(sql, values).map(drop)
    }

    fn forget_unseen(&self, before: DateTime<Utc>) -> Result<usize, StateError> {
        let sql = "DELETE FROM entry_seen WHERE last_seen < $1";
        let gone = self.execute(sql, &[&before.timestamp()])?;
        Ok(usize::try_from(gone).unwrap_or(usize::MAX))
    }

    fn remember_history(
        &self,
        feed: &str,
        entries: &[Entry],
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let upsert = "INSERT INTO history (feed, entry_id, sort_date, last_seen, entry)
                      VALUES ($1, $2, $3, $4, $5)
                      ON CONFLICT (feed, entry_id) DO UPDATE SET
                          sort_date = EXCLUDED.sort_date,
                          last_seen = EXCLUDED.last_seen,
                          entry = EXCLUDED.entry";
        for entry in entries {
            let sort = entry.sort_date().map(|d| d.timestamp());
            let json = entry_json(entry);
            self.execute(upsert, &[&feed, &entry.id, &sort, &now.timestamp(), &json])?;
        }
        let prune = "DELETE FROM history WHERE feed = $1 AND (last_seen < $2 OR entry_id NOT IN (
                         SELECT entry_id FROM history WHERE feed = $1 AND last_seen >= $2
                         ORDER BY sort_date DESC NULLS LAST, entry_id LIMIT $3))";
        let limit = keep.count.map(i64::from);
        (self.execute(prune, &[&feed, &keep.cutoff(&now), &limit])).map(drop)
    }

    fn history(
        &self,
        feed: &str,
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<Vec<Entry>, StateError> {
        let sql = "SELECT entry FROM history WHERE feed = $1 AND last_seen >= $2
                   ORDER BY sort_date DESC NULLS LAST, entry_id LIMIT $3";
        let limit = keep.count.map(i64::from);
        let rows = self.rows(sql, &[&feed, &keep.cutoff(&now), &limit])?;
        (rows.iter())
            .map(|r| {
                let json: String = self.read(r.try_get(0))?;
                entry_from_json(&json).map_err(|e| self.corrupt(e))
            })
            .collect()
    }

    fn oldest_history(&self, feed: &str) -> Result<Option<i64>, StateError> {
        let sql = "SELECT MIN(last_seen) FROM history WHERE feed = $1";
        let rows = self.rows(sql, &[&feed])?;
        Ok(rows
            .first()
            .map(|r| self.read(r.try_get(0)))
            .transpose()?
            .flatten())
    }
}
