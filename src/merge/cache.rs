//! The fetch cache: the last good copy of each external feed with its HTTP validators, so a
//! conditional GET can send `If-None-Match` / `If-Modified-Since`, a `304 Not Modified` can
//! reuse the copy, and a failing feed can still contribute its last good entries; and each
//! feed's [`FetchSchedule`], so a source that asked to wait, keeps failing or is fresh by its
//! own headers is not fetched again too soon.
//!
//! [`FetchCache`] is the whole contract, and the only one: the state store's [`Run`]
//! implements it for `feedloom build`. It is infallible (a cache that cannot be read is a
//! miss; one that cannot be written costs a full download next time) and used from one
//! thread only ([`collect`](super::collect) reads every copy before the fetches start and
//! writes after they end). [`DirCache`] keeps a few files per URL in a folder; [`NoCache`]
//! keeps nothing.
//!
//! [`Run`]: crate::state::Run

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::poll::FetchSchedule;

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

/// Where the fetcher keeps validators, last good bodies and schedules between runs.
pub trait FetchCache {
    /// The last good response for `url`, if any.
    fn get(&self, url: &Url) -> Option<CachedResponse>;
    /// Replaces what is kept for `url`.
    fn put(&self, url: &Url, response: CachedResponse);
    /// When `url` may be fetched again, as its last fetches left it, if it was ever tried.
    fn schedule(&self, url: &Url) -> Option<FetchSchedule>;
    /// Replaces the schedule kept for `url`.
    fn set_schedule(&self, url: &Url, schedule: &FetchSchedule);
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

    fn schedule(&self, _url: &Url) -> Option<FetchSchedule> {
        None
    }

    fn set_schedule(&self, _url: &Url, _schedule: &FetchSchedule) {}
}

/// A cache in a folder: for each URL, `<blake3>.json` (URL, validators, date),
/// `<blake3>.body` and `<blake3>.schedule.json` (URL, [`FetchSchedule`]), each written to a
/// temporary file and renamed.
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

/// A [`FetchSchedule`] as `<blake3>.schedule.json` holds it: times in RFC 3339, and
/// `next_fetch` for whoever reads the file.
#[derive(Serialize, Deserialize)]
struct ScheduleFile {
    url: String,
    checked_at: String,
    failures: u32,
    retry_after: Option<String>,
    backoff_until: Option<String>,
    fresh_until: Option<String>,
    next_fetch: String,
}

impl ScheduleFile {
    fn new(url: &Url, s: &FetchSchedule) -> ScheduleFile {
        let text = |t: &DateTime<Utc>| t.to_rfc3339();
        ScheduleFile {
            url: url.to_string(),
            checked_at: text(&s.checked_at),
            failures: s.failures,
            retry_after: s.retry_after.as_ref().map(text),
            backoff_until: s.backoff_until.as_ref().map(text),
            fresh_until: s.fresh_until.as_ref().map(text),
            next_fetch: text(&s.next_fetch()),
        }
    }

    /// The schedule, or `None` when a time does not read.
    fn schedule(&self) -> Option<FetchSchedule> {
        let time = |t: &str| DateTime::parse_from_rfc3339(t).ok().map(|t| t.to_utc());
        let optional = |t: &Option<String>| match t {
            Some(t) => time(t).map(Some),
            None => Some(None),
        };
        Some(FetchSchedule {
            checked_at: time(&self.checked_at)?,
            failures: self.failures,
            retry_after: optional(&self.retry_after)?,
            backoff_until: optional(&self.backoff_until)?,
            fresh_until: optional(&self.fresh_until)?,
        })
    }
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

    fn schedule(&self, url: &Url) -> Option<FetchSchedule> {
        let name = format!("{}.schedule.json", Self::stem(url));
        let bytes = fs::read(self.dir.join(name)).ok()?;
        let file: ScheduleFile = serde_json::from_slice(&bytes).ok()?;
        (file.url == url.as_str()).then(|| file.schedule())?
    }

    fn set_schedule(&self, url: &Url, schedule: &FetchSchedule) {
        let name = format!("{}.schedule.json", Self::stem(url));
        let written = serde_json::to_vec_pretty(&ScheduleFile::new(url, schedule))
            .map_err(io::Error::other)
            .and_then(|json| {
                fs::create_dir_all(&self.dir)?;
                write_atomically(&self.dir, &name, &json)
            });
        if let Err(e) = written {
            tracing::warn!(
                "{}: cannot keep when to fetch {url}: {e}",
                self.dir.display()
            );
        }
    }
}

/// Writes `bytes` to `dir/name` through a temporary file renamed over it.
pub(super) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
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

    #[test]
    fn dir_cache_keeps_schedules_apart_from_copies() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DirCache::new(dir.path().join("cache"));
        let a = Url::parse("http://a/").unwrap();
        assert_eq!(cache.schedule(&a), None);
        let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let retry = now + chrono::Duration::minutes(2);
        let schedule = FetchSchedule::failed(None, now, Some(retry));
        cache.set_schedule(&a, &schedule);
        assert_eq!(cache.schedule(&a), Some(schedule.clone()));
        assert_eq!(cache.get(&a), None, "a schedule is no copy");
        let fresh = FetchSchedule::succeeded(now, Some(retry));
        cache.set_schedule(&a, &fresh);
        assert_eq!(cache.schedule(&a), Some(fresh));
        assert_eq!(cache.schedule(&Url::parse("http://b/").unwrap()), None);
    }
}
