//! Fetching the web pages merged items link to, for their full text, through the one
//! fetcher feeds go through: the same address guard, User-Agent, timeouts, size cap,
//! redirects and conditional requests, and the same limits on fetches at once, overall and
//! per host, so one site's fifty new items are fetched a few at a time.
//!
//! A host that answers `429 Too Many Requests` (or `503` with `Retry-After`) is asked for
//! nothing more in this run: its remaining pages come back as [`PageFetch::HostWaits`].
//! What to do with each answer (read the article, keep what to remember) is the caller's
//! `read`, run on the fetching thread so that pages are read in parallel too.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use url::Url;

use super::cache::CachedResponse;
use super::config::FetchSettings;
use super::error::MergeError;
use super::fetch::{Fetcher, Limits};
use super::poll::BACKOFF_BASE;
use super::pool;

/// One page to fetch, with the validators of the last answer read, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The page: an item's link.
    pub url: Url,
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// A page as fetched.
#[derive(Debug, Clone)]
pub struct Page {
    /// The body, content-decoded (gzip, brotli) but not charset-decoded.
    pub body: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The URL after redirects: the base for the page's relative links.
    pub final_url: Url,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The `Last-Modified` header, if any.
    pub last_modified: Option<String>,
}

/// What asking for one page gave.
#[derive(Debug)]
pub enum PageFetch {
    /// The page.
    Fetched(Page),
    /// `304 Not Modified`: the page is as it was when the validators were given.
    NotModified,
    /// The fetch failed (the reason names the page's URL); a 429 or 503 may say when to
    /// come back ([`MergeError::retry_after`]).
    Failed(MergeError),
    /// Not asked: earlier in this run its host asked to be left alone until then.
    HostWaits(DateTime<Utc>),
}

/// Fetches every page of `requests` with `settings`' limits, hands each answer to `read` on
/// the thread that fetched it, with the request and what came with it, and returns what
/// `read` made of them, in request order. Fails only when the HTTP client cannot be made.
pub fn fetch_pages<T, R, F>(
    requests: Vec<(PageRequest, T)>,
    settings: &FetchSettings,
    now: DateTime<Utc>,
    read: F,
) -> Result<Vec<R>, MergeError>
where
    T: Send,
    R: Send,
    F: Fn(&PageRequest, T, PageFetch) -> R + Sync,
{
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let fetcher = Fetcher::new(settings)?;
    let limits = Limits {
        timeout: settings.timeout(),
        max_bytes: settings.max_bytes,
    };
    let waiting: Mutex<HashMap<String, DateTime<Utc>>> = Mutex::new(HashMap::new());
    let jobs: Vec<(String, (PageRequest, T))> = (requests.into_iter())
        .map(|r| (r.0.url.host_str().unwrap_or("").to_owned(), r))
        .collect();
    let results = pool::run(
        jobs,
        settings.concurrency,
        settings.per_host,
        |(request, with)| {
            let host = request.url.host_str().unwrap_or("").to_owned();
            let held = waiting.lock().ok().and_then(|w| w.get(&host).copied());
            let fetched = match held {
                Some(until) => PageFetch::HostWaits(until),
                None => fetch_one(&fetcher, &request, limits, now),
            };
            if let Some(until) = asks_to_wait(&fetched, now)
                && let Ok(mut w) = waiting.lock()
            {
                w.insert(host, until);
            }
            read(&request, with, fetched)
        },
    );
    Ok(results)
}

/// Asks for one page, sending its validators.
fn fetch_one(
    fetcher: &Fetcher,
    request: &PageRequest,
    limits: Limits,
    now: DateTime<Utc>,
) -> PageFetch {
    let validators =
        (request.etag.is_some() || request.last_modified.is_some()).then(|| CachedResponse {
            etag: request.etag.clone(),
            last_modified: request.last_modified.clone(),
            fetched_at: now.fixed_offset(),
            body: Vec::new(),
        });
    match fetcher.fetch(&request.url, validators.as_ref(), limits) {
        Ok(f) if f.not_modified => PageFetch::NotModified,
        Ok(f) => PageFetch::Fetched(Page {
            body: f.body,
            content_type: f.content_type,
            final_url: f.final_url,
            etag: f.etag,
            last_modified: f.last_modified,
        }),
        Err(e) => PageFetch::Failed(e),
    }
}

/// Until when a host that answered `fetched` is to be left alone: a 429 (its
/// `Retry-After`, else the first backoff), or a 503 with a `Retry-After`.
fn asks_to_wait(fetched: &PageFetch, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let PageFetch::Failed(MergeError::Status {
        status,
        retry_after,
        ..
    }) = fetched
    else {
        return None;
    };
    match (status, retry_after) {
        (429 | 503, Some(r)) => Some(r.until(now)).filter(|t| *t > now),
        (429, None) => Some(now + BACKOFF_BASE),
        _ => None,
    }
}
