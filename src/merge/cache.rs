//! The fetch cache: the last good copy of each external feed with its HTTP validators, so a
//! conditional GET can send `If-None-Match` / `If-Modified-Since`, a `304 Not Modified` can
//! reuse the copy, and a failing feed can still contribute its last good entries.
//!
//! [`FetchCache`] is the whole contract, and the only one: the state store's [`Run`]
//! implements it for `feedloom build`. It is infallible (a cache that cannot be read is a
//! miss; one that cannot be written costs a full download next time) and used from one
//! thread only ([`collect`](super::collect) reads every copy before the fetches start and
//! writes after they end). [`DirCache`] keeps one pair of files per URL in a folder;
//! [`NoCache`] keeps nothing.
//!
//! [`Run`]: crate::state::Run

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use url::Url;

/// A response worth keeping: the body of the last successful fetch and its validators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedResponse {
    /// The `ETag` header, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When the body was fetched (the run's `now`).
    pub fetched_at: DateTime<FixedOffset>,
    /// The body (after content decoding). When the HTTP header named the charset, the body
    /// is kept as UTF-8 with a byte order mark, so it reads the same without the header.
    pub body: Vec<u8>,
}

/// Where the fetcher keeps validators and last good bodies between runs.
pub trait FetchCache {
    /// The last good response for `url`, if any.
    fn get(&self, url: &Url) -> Option<CachedResponse>;
    /// Replaces what is kept for `url`.
    fn put(&self, url: &Url, response: CachedResponse);
}

/// A cache that keeps nothing: every fetch is unconditional and a failing feed contributes
/// no entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCache;

impl FetchCache for NoCache {
    fn get(&self, _url: &Url) -> Option<CachedResponse> {
        None
    }

    fn put(&self, _url: &Url, _response: CachedResponse) {}
}

/// A cache in a folder: for each URL, `<blake3>.json` (URL, validators, date) and
/// `<blake3>.body`, each written to a temporary file and renamed.
#[derive(Debug, Clone)]
pub struct DirCache {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Meta {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    fetched_at: String,
}

impl DirCache {
    /// A cache in `dir`, created on the first write.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirCache { dir: dir.into() }
    }

    /// The folder the cache lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn stem(url: &Url) -> String {
        blake3::hash(url.as_str().as_bytes()).to_hex().to_string()
    }

    fn write(&self, url: &Url, response: &CachedResponse) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let stem = Self::stem(url);
        let meta = Meta {
            url: url.to_string(),
            etag: response.etag.clone(),
            last_modified: response.last_modified.clone(),
            fetched_at: response.fetched_at.to_rfc3339(),
        };
        let meta = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        // Body first: a reader that sees the new validators must find the new body.
        write_atomically(&self.dir, &format!("{stem}.body"), &response.body)?;
        write_atomically(&self.dir, &format!("{stem}.json"), &meta)
    }
}

impl FetchCache for DirCache {
    fn get(&self, url: &Url) -> Option<CachedResponse> {
        let stem = Self::stem(url);
        let meta = fs::read(self.dir.join(format!("{stem}.json"))).ok()?;
        let meta: Meta = serde_json::from_slice(&meta).ok()?;
        if meta.url != url.as_str() {
            return None;
        }
        let body = fs::read(self.dir.join(format!("{stem}.body"))).ok()?;
        Some(CachedResponse {
            etag: meta.etag,
            last_modified: meta.last_modified,
            fetched_at: DateTime::parse_from_rfc3339(&meta.fetched_at).ok()?,
            body,
        })
    }

    fn put(&self, url: &Url, response: CachedResponse) {
        if let Err(e) = self.write(url, &response) {
            tracing::warn!("{}: cannot cache {url}: {e}", self.dir.display());
        }
    }
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_cache_round_trips_and_keys_by_url() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DirCache::new(dir.path().join("cache"));
        let a = Url::parse("http://a/").unwrap();
        assert_eq!(cache.get(&a), None);
        let response = CachedResponse {
            etag: Some("\"v1\"".into()),
            last_modified: None,
            fetched_at: DateTime::parse_from_rfc3339("2024-01-01T08:00:00+08:00").unwrap(),
            body: b"<rss/>".to_vec(),
        };
        cache.put(&a, response.clone());
        assert_eq!(cache.get(&a), Some(response));
        assert_eq!(cache.get(&Url::parse("http://b/").unwrap()), None);
    }
}
