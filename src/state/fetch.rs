//! The fetch cache: per external URL, the HTTP validators and the last good body, so the
//! fetcher can send conditional requests and fall back to the last good copy when a source
//! is down. A [`Run`] is the merge layer's [`FetchCache`] during a build; failures to read or
//! write the table are logged and count as a miss (see the trait's contract).

use rusqlite::{OptionalExtension, params};
use url::Url;

use super::stored::{date_text, parse_date};
use super::{Run, StateError};
use crate::merge::{CachedResponse, FetchCache};

/// A `fetch_cache` row: ETag, Last-Modified, fetched at (RFC 3339), body.
type FetchRow = (Option<String>, Option<String>, String, Vec<u8>);

impl Run<'_> {
    /// The last good response for `url`, if any.
    pub fn cached_response(&self, url: &Url) -> Result<Option<CachedResponse>, StateError> {
        let sql = self.sql_err();
        let row: Option<FetchRow> = self
            .tx
            .query_row(
                "SELECT etag, last_modified, fetched_at, body FROM fetch_cache WHERE url = ?1",
                params![url.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(&sql)?;
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
    pub fn store_response(&self, url: &Url, response: &CachedResponse) -> Result<(), StateError> {
        self.tx
            .execute(
                "INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, fetched_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    url.as_str(),
                    response.etag,
                    response.last_modified,
                    date_text(&response.fetched_at),
                    response.body,
                ],
            )
            .map(drop)
            .map_err(self.sql_err())
    }
}

impl FetchCache for Run<'_> {
    fn get(&self, url: &Url) -> Option<CachedResponse> {
        self.cached_response(url)
            .inspect_err(|e| tracing::warn!("{e}; fetching {url} in full"))
            .ok()
            .flatten()
    }

    fn put(&self, url: &Url, response: CachedResponse) {
        if let Err(e) = self.store_response(url, &response) {
            tracing::warn!("{e}; {url} will be fetched in full next time");
        }
    }
}
