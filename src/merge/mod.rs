//! Merging external feeds: fetch each `[[merge]]` source, read it whatever its
//! format, era or encoding, turn its items into [`Entry`] values, filter them per source, and
//! drop duplicates across sources.
//!
//! ```text
//! MergeSource ─► fetch (HTTP / file, conditional GET, FetchCache) ─► parse (decode, then the
//!   streaming XML reader or JSON) ─► Entry ─► per-source filter, prefix, limit ─► dedupe ─► sort
//! ```
//!
//! A failing source never fails the build: each failure is a [`Diagnostic`] warning naming
//! the source and the reason, and the source's last good cached copy is used instead.

mod cache;
mod close;
mod config;
mod content;
mod date_forms;
#[cfg(test)]
mod date_tests;
mod dates;
mod decode;
mod dedupe;
mod entry;
mod error;
mod fetch;
mod filter;
mod json;
mod names;
pub mod opml;
mod parse;
mod pool;
mod reader;
mod roles;
mod text;
mod xml;

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use url::Url;

pub use cache::{CachedResponse, DirCache, FetchCache, NoCache};
pub use config::{FetchSettings, MAX_REDIRECTS, MergeSource, USER_AGENT};
pub use content::{clean_external_html, html_to_text};
pub use dedupe::{dedupe, normalize_link};
pub use error::{MergeError, ParseError};
pub use filter::{BadRegex, Matcher, RuleTable, Rules, sort_newest_first};
pub use parse::{ParsedFeed, hashed_id, looks_like_feed, markup_root, parse_feed, scope_ids};
pub use reader::MAX_ENTRIES;

use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Origin};
use config::CompiledRules;
use fetch::{Fetcher, Limits};

/// Fetches and reads every source and returns their entries (filtered, prefixed and limited
/// per source, each credited with its `origin`) and the problems met. Relative paths (and
/// `opml` files) are resolved against `base_dir`: for a feed definition, the project root
/// (the folder holding `feeds/`), like every other path in it; on the command line, the
/// working folder. `now` is the run's time: entries dated more than a day after it lose
/// their date.
///
/// The entries are not deduplicated: add the feed's own entries, then call [`dedupe`] and
/// [`finish`].
pub fn collect(
    sources: &[MergeSource],
    base_dir: &Path,
    settings: &FetchSettings,
    cache: &dyn FetchCache,
    now: DateTime<FixedOffset>,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut jobs = Vec::new();
    for source in sources {
        match plan(source, base_dir) {
            Ok(planned) => jobs.extend(planned),
            Err(e) => diagnostics.push(Diagnostic::warning(origin_of(&e), None, e.reason())),
        }
    }
    let fetcher = match Fetcher::new(settings) {
        Ok(f) => f,
        Err(e) => {
            diagnostics.push(Diagnostic::error("merge", None, e.to_string()));
            return (Vec::new(), diagnostics);
        }
    };
    // The cache is read before the fetches start and written after they end, on this
    // thread, so that a store that is not thread-safe (one SQLite transaction) can serve.
    let work: Vec<(String, Job<'_>)> = jobs
        .into_iter()
        .map(|mut job| {
            job.cached = cache.get(&job.url);
            (job.url.host_str().unwrap_or("").to_string(), job)
        })
        .collect();
    let results = pool::run(work, settings.concurrency, settings.per_host, |job| {
        let guarded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_job(&fetcher, settings, &job, now)
        }));
        let outcome = guarded.unwrap_or_else(|_| {
            let reason = "fetching or reading this feed crashed; skipped";
            Outcome {
                feed: None,
                warnings: vec![Diagnostic::warning(job.url.as_str(), None, reason)],
                store: None,
            }
        });
        (job, outcome)
    });
    let mut entries = Vec::new();
    for (job, outcome) in results {
        diagnostics.extend(outcome.warnings);
        if let Some(copy) = outcome.store {
            cache.put(&job.url, copy);
        }
        let Some(mut feed) = outcome.feed else {
            continue;
        };
        scope_ids(&mut feed, &job.url);
        entries.extend(credited(&job, feed));
    }
    (entries, diagnostics)
}

/// The entries of one source's feed, each credited with its `origin`, then filtered,
/// prefixed and limited as the source says.
fn credited(job: &Job<'_>, feed: ParsedFeed) -> Vec<Entry> {
    let origin = Origin {
        title: (job.source.title.clone()).unwrap_or_else(|| feed.title.clone()),
        // A local file's path means nothing to readers (and tells them about this machine):
        // such a feed is credited by its public URL when the source gives one, else by its
        // title and home page only.
        feed_url: (job.source.public_url.as_deref())
            .and_then(|u| Url::parse(u).ok())
            .or_else(|| Some(job.url.clone()).filter(|u| u.scheme() != "file")),
        home_page_url: feed.home_page_url.clone(),
    };
    let mut list = feed.entries;
    for e in &mut list {
        e.origin = Some(origin.clone());
    }
    filter::apply(
        list,
        job.rules.include.as_ref(),
        job.rules.exclude.as_ref(),
        job.source.title_prefix.as_deref(),
        job.source.limit,
    )
}

/// A document fetched on its own (to validate it, say), through the same fetcher, limits
/// and guards as merged feeds, without a cache.
#[derive(Debug, Clone)]
pub struct Download {
    /// The body, content-decoded (gzip, brotli) but not charset-decoded.
    pub body: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The URL after redirects.
    pub final_url: Url,
}

/// Fetches `url` (`http`, `https` or `file`) once, with `settings`' limits.
pub fn download(url: &Url, settings: &FetchSettings) -> Result<Download, MergeError> {
    let fetcher = Fetcher::new(settings)?;
    let limits = Limits {
        timeout: settings.timeout(),
        max_bytes: settings.max_bytes,
    };
    let fetched = fetcher.fetch(url, None, limits)?;
    Ok(Download {
        body: fetched.body,
        content_type: fetched.content_type,
        final_url: fetched.final_url,
    })
}

/// Sorts newest first (undated last, then by id) and keeps at most `limit` entries.
pub fn finish(mut entries: Vec<Entry>, limit: Option<usize>) -> Vec<Entry> {
    sort_newest_first(&mut entries);
    if let Some(limit) = limit {
        entries.truncate(limit);
    }
    entries
}

/// One feed to fetch, with the source table it came from and its cached copy.
struct Job<'a> {
    url: Url,
    source: &'a MergeSource,
    rules: CompiledRules,
    cached: Option<CachedResponse>,
}

fn origin_of(e: &MergeError) -> String {
    match e {
        MergeError::Config { path, .. } | MergeError::Opml { path, .. } => {
            path.display().to_string()
        }
        MergeError::Fetch { url, .. } | MergeError::Parse { url, .. } => url.clone(),
    }
}

/// The feeds one source stands for: its URL, or every feed of its OPML file.
fn plan<'a>(source: &'a MergeSource, base_dir: &Path) -> Result<Vec<Job<'a>>, MergeError> {
    let rules = source.compile(base_dir)?;
    let urls = match (&source.url, &source.opml) {
        (Some(url), _) => vec![resolve(url, base_dir)?],
        (None, Some(opml)) => {
            let path = base_dir.join(opml);
            opml::read_file(&path)?
                .iter()
                .map(|f| resolve(&f.xml_url, path.parent().unwrap_or(base_dir)))
                .collect::<Result<_, _>>()?
        }
        (None, None) => Vec::new(),
    };
    Ok(urls
        .into_iter()
        .map(|url| Job {
            url,
            source,
            rules: rules.clone(),
            cached: None,
        })
        .collect())
}

/// An `http(s)://` or `file://` URL as it is, or a path relative to `base_dir` as a file URL.
pub fn resolve(url: &str, base_dir: &Path) -> Result<Url, MergeError> {
    let url = url.trim();
    if let Ok(parsed) = Url::parse(url)
        && matches!(parsed.scheme(), "http" | "https" | "file")
    {
        return Ok(parsed);
    }
    let path = std::path::absolute(base_dir.join(url))
        .map_err(|e| MergeError::fetch(url, format!("cannot resolve the path: {e}")))?;
    Url::from_file_path(&path)
        .map_err(|()| MergeError::fetch(url, "neither a URL (http, https, file) nor a path"))
}

/// What one job gave: the feed (fresh or cached), its warnings, and a copy to cache.
struct Outcome {
    feed: Option<ParsedFeed>,
    warnings: Vec<Diagnostic>,
    store: Option<CachedResponse>,
}

/// Fetches and parses one feed, falling back to its cached copy on any failure.
fn run_job(
    fetcher: &Fetcher,
    settings: &FetchSettings,
    job: &Job<'_>,
    now: DateTime<FixedOffset>,
) -> Outcome {
    let key = job.url.as_str();
    let cached = job.cached.as_ref();
    let limits = Limits {
        timeout: job
            .source
            .timeout_secs
            .map_or(settings.timeout(), std::time::Duration::from_secs),
        max_bytes: job.source.max_bytes.unwrap_or(settings.max_bytes),
    };
    let mut warnings = Vec::new();
    let mut store = None;
    let fresh = fetcher.fetch(&job.url, cached, limits).and_then(|f| {
        parse_feed(&f.body, f.content_type.as_deref(), &f.final_url)
            .map(|p| (f, p))
            .map_err(|reason| MergeError::parse(key, reason))
    });
    let feed = match fresh {
        Ok((fetched, parsed)) => {
            if !fetched.not_modified || cached.is_some_and(|c| c.etag != fetched.etag) {
                store = Some(CachedResponse {
                    body: cacheable_body(fetched.body, fetched.content_type.as_deref()),
                    etag: fetched.etag,
                    last_modified: fetched.last_modified,
                    fetched_at: now,
                });
            }
            Some(parsed)
        }
        Err(e) => {
            let fallback = cached.and_then(|c| {
                let parsed = parse_feed(&c.body, None, &job.url).ok()?;
                Some((parsed, c.fetched_at))
            });
            let what = match &fallback {
                Some((p, at)) => format!(
                    "; using the last good copy, fetched {} ({} entries)",
                    at.to_rfc3339(),
                    p.entries.len()
                ),
                None => "; no cached copy, skipped".to_string(),
            };
            warnings.push(Diagnostic::warning(
                key,
                None,
                format!("{}{what}", e.reason()),
            ));
            fallback.map(|(p, _)| p)
        }
    };
    let feed = feed.map(|mut feed| {
        for w in feed.warnings.drain(..) {
            warnings.push(Diagnostic::warning(key, None, w));
        }
        drop_future_dates(&mut feed, now, key, &mut warnings);
        feed
    });
    Outcome {
        feed,
        warnings,
        store,
    }
}

/// The body to cache: as received, unless the HTTP header named its charset; then as UTF-8
/// with a byte order mark, so the copy reads the same without the header.
fn cacheable_body(body: Vec<u8>, content_type: Option<&str>) -> Vec<u8> {
    if content_type.and_then(decode::charset_param).is_none() {
        return body;
    }
    let (text, _) = decode::to_utf8(&body, content_type);
    let mut utf8 = Vec::with_capacity(text.len() + 3);
    utf8.extend_from_slice(b"\xEF\xBB\xBF");
    utf8.extend_from_slice(text.as_bytes());
    utf8
}

fn drop_future_dates(
    feed: &mut ParsedFeed,
    now: DateTime<FixedOffset>,
    key: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let horizon = now + Duration::days(1);
    for e in &mut feed.entries {
        if e.published.is_some_and(|d| d > horizon) {
            warnings.push(Diagnostic::warning(
                key,
                None,
                format!("entry `{}` is dated in the future; date ignored", e.id),
            ));
            e.published = None;
        }
        if e.updated.is_some_and(|d| d > horizon) {
            e.updated = None;
        }
    }
}
