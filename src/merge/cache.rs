//! The fetch cache: the last good copy of each external feed with its HTTP validators, so a
//! conditional GET can send `If-None-Match` / `If-Modified-Since`, a `304 Not Modified` can
//! reuse the copy, and a failing feed can still contribute its last good entries.
//!
//! [`FetchCache`] is the whole contract; [`DirCache`] keeps one pair of files per URL in a
//! folder. Other stores (an SQLite state file, say) implement the same trait.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The last good copy of one feed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CachedFeed {
    /// The `ETag` response header, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` response header, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// The `Content-Type` response header (its charset decides the decoding).
    pub content_type: Option<String>,
    /// The body as received (after content decoding, before charset decoding).
    pub body: Vec<u8>,
}

/// Where fetched feeds are kept between runs. Implementations must be usable from several
/// fetch threads at once.
pub trait FetchCache: Send + Sync {
    /// The last good copy of the feed at `url`, if any. A store that cannot read its copy
    /// should answer `None` (the feed is then fetched unconditionally).
    fn get(&self, url: &str) -> Option<CachedFeed>;

    /// Replaces the copy of the feed at `url`; called only after the body parsed as a feed.
    fn put(&self, url: &str, feed: &CachedFeed) -> io::Result<()>;
}

/// A cache that keeps nothing: every fetch is unconditional and a failing feed contributes
/// no entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCache;

impl FetchCache for NoCache {
    fn get(&self, _url: &str) -> Option<CachedFeed> {
        None
    }

    fn put(&self, _url: &str, _feed: &CachedFeed) -> io::Result<()> {
        Ok(())
    }
}

/// A cache in a folder: for each URL, `<sha256>.json` (URL and validators) and
/// `<sha256>.body`, each written to a temporary file and renamed.
#[derive(Debug, Clone)]
pub struct DirCache {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Meta {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
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

    fn stem(url: &str) -> String {
        let digest = Sha256::digest(url.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl FetchCache for DirCache {
    fn get(&self, url: &str) -> Option<CachedFeed> {
        let stem = Self::stem(url);
        let meta = fs::read(self.dir.join(format!("{stem}.json"))).ok()?;
        let meta: Meta = serde_json::from_slice(&meta).ok()?;
        if meta.url != url {
            return None;
        }
        let body = fs::read(self.dir.join(format!("{stem}.body"))).ok()?;
        Some(CachedFeed {
            etag: meta.etag,
            last_modified: meta.last_modified,
            content_type: meta.content_type,
            body,
        })
    }

    fn put(&self, url: &str, feed: &CachedFeed) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let stem = Self::stem(url);
        let meta = Meta {
            url: url.to_string(),
            etag: feed.etag.clone(),
            last_modified: feed.last_modified.clone(),
            content_type: feed.content_type.clone(),
        };
        let meta = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        // Body first: a reader that sees the new validators must find the new body.
        write_atomically(&self.dir, &format!("{stem}.body"), &feed.body)?;
        write_atomically(&self.dir, &format!("{stem}.json"), &meta)
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
        assert_eq!(cache.get("http://a/"), None);
        let feed = CachedFeed {
            etag: Some("\"v1\"".into()),
            last_modified: None,
            content_type: Some("application/rss+xml; charset=gbk".into()),
            body: b"<rss/>".to_vec(),
        };
        cache.put("http://a/", &feed).unwrap();
        assert_eq!(cache.get("http://a/"), Some(feed));
        assert_eq!(cache.get("http://b/"), None);
    }
}
