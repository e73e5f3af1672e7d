//! Merging external feeds: fetch each `[[merge]]` source, read it whatever its
//! format, era or encoding, turn its items into [`Entry`] values, filter them per source, and
//! drop duplicates across sources.
//!
//! ```text
//! MergeSource ─► fetch (HTTP / file, conditional GET, FetchCache) ─► parse (decode, then the
//!   streaming XML reader or JSON) ─► Entry ─► per-source filter, prefix, limit ─► dedupe ─► sort
//! ```
//!
//! Every request to the network, [`collect`]'s, [`fetch_pages`]' (the pages merged items
//! link to, for their full text) and [`download`]'s, goes through the one fetcher and its
//! address [`guard`]: http and https only, no private, loopback or link-local address
//! unless the settings allow it, every redirect checked. What is kept between runs is
//! behind two traits: [`FetchCache`] (feeds) and [`PageCache`] (what pages gave).
//!
//! A failing source never fails the build: each failure is a [`Diagnostic`] warning naming
//! the source and the reason, and the source's last good cached copy is used instead.

mod atom_id;
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
mod every;
mod fetch;
mod filter;
pub mod guard;
mod job;
mod json;
mod names;
pub mod opml;
mod page_cache;
mod pages;
mod parse;
pub mod poll;
mod pool;
mod reader;
mod refresh;
mod roles;
mod text;
mod xml;

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use url::Url;

pub use cache::{CachedResponse, DirCache, FetchCache, NoCache};
pub use config::{
    FetchSettings, MAX_REDIRECTS, MAX_TIMEOUT_SECS, MergeSource, PageSelectors, USER_AGENT,
    user_agent,
};
pub use content::{clean_external_html, html_to_text};
pub use decode::charset_param;
pub use dedupe::{dedupe, normalize_link};
pub use error::{MergeError, ParseError};
pub use every::{BadEvery, DEFAULT_EVERY, Every};
pub use filter::{BadRegex, Matcher, RuleTable, Rules, sort_newest_first};
pub use guard::{AllowRule, Permit, Refusal};
pub use page_cache::{BadPageRecord, PageCache, PageRecord, PageText};
pub use pages::{Page, PageFetch, PageRequest, fetch_pages};
pub use parse::{ParsedFeed, hashed_id, looks_like_feed, markup_root, parse_feed, scope_ids};
pub use poll::FetchSchedule;
pub use reader::MAX_ENTRIES;
pub use refresh::{Refreshed, Refresher, plan_urls};

use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Origin};
use fetch::{Fetcher, Limits};
use job::{Job, Outcome, run_job};

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
    let (by_source, diagnostics) = collect_by_source(sources, base_dir, settings, cache, now);
    (by_source.into_iter().flatten().collect(), diagnostics)
}

/// As [`collect`], with the entries of each source apart: one list per source, in the
/// order of `sources` (empty for a source that gave nothing).
pub fn collect_by_source(
    sources: &[MergeSource],
    base_dir: &Path,
    settings: &FetchSettings,
    cache: &dyn FetchCache,
    now: DateTime<FixedOffset>,
) -> (Vec<Vec<Entry>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut jobs = Vec::new();
    let mut entries: Vec<Vec<Entry>> = sources.iter().map(|_| Vec::new()).collect();
    for (index, source) in sources.iter().enumerate() {
        match plan(index, source, base_dir) {
            Ok(planned) => jobs.extend(planned),
            Err(e) => diagnostics.push(Diagnostic::warning(e.origin(), None, e.reason())),
        }
    }
    let fetcher = match Fetcher::new(settings) {
        Ok(f) => f,
        Err(e) => {
            diagnostics.push(Diagnostic::error("merge", None, e.to_string()));
            return (entries, diagnostics);
        }
    };
    // The cache is read before the fetches start and written after they end, on this
    // thread, so that a store that is not thread-safe (one SQLite transaction) can serve.
    let work: Vec<(String, Job<'_>)> = jobs
        .into_iter()
        .map(|mut job| {
            job.cached = cache.get(&job.url);
            job.schedule = job.polled().then(|| cache.schedule(&job.url)).flatten();
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
                schedule: None,
            }
        });
        (job, outcome)
    });
    for (job, outcome) in results {
        diagnostics.extend(outcome.warnings);
        if let Some(copy) = outcome.store {
            cache.put(&job.url, copy);
        }
        if let Some(schedule) = &outcome.schedule {
            cache.set_schedule(&job.url, schedule);
        }
        let Some(mut feed) = outcome.feed else {
            continue;
        };
        scope_ids(&mut feed, &job.url);
        entries[job.index].extend(credited(&job, feed));
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

/// POSTs `form` to `url` through the same guarded client as every fetch (`settings` give
/// its allow list, contact and time-outs), and returns the HTTP status. Redirects are not
/// followed. For notices to other services, such as WebSub hubs.
pub fn post_form(
    url: &Url,
    form: &[(&str, &str)],
    settings: &FetchSettings,
) -> Result<u16, MergeError> {
    let fetcher = Fetcher::new(settings)?;
    Ok(fetcher.post_form(url, form, settings.timeout())?.as_u16())
}

/// Sorts newest first (undated last, then by id) and keeps at most `limit` entries.
pub fn finish(mut entries: Vec<Entry>, limit: Option<usize>) -> Vec<Entry> {
    sort_newest_first(&mut entries);
    if let Some(limit) = limit {
        entries.truncate(limit);
    }
    entries
}

/// The feeds one source stands for: its URL, or every feed of its OPML file.
fn plan<'a>(
    index: usize,
    source: &'a MergeSource,
    base_dir: &Path,
) -> Result<Vec<Job<'a>>, MergeError> {
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
            index,
            source,
            rules: rules.clone(),
            cached: None,
            schedule: None,
        })
        .collect())
}

/// An `http(s)://` or `file://` URL as it is, or a path relative to `base_dir` as a file URL.
pub fn resolve(url: &str, base_dir: &Path) -> Result<Url, MergeError> {
    let url = url.trim();
    if let Ok(parsed) = Url::parse(url) {
        match parsed.scheme() {
            "http" | "https" | "file" => return Ok(parsed),
            // A one-letter scheme is a Windows drive (`C:\feeds\a.xml`): a path.
            scheme if scheme.len() > 1 => {
                let reason = format!(
                    "{scheme}: URLs cannot be merged, only http, https and file URLs or paths"
                );
                return Err(MergeError::fetch(url, reason));
            }
            _ => {}
        }
    }
    let path = std::path::absolute(base_dir.join(url))
        .map_err(|e| MergeError::fetch(url, format!("cannot resolve the path: {e}")))?;
    Url::from_file_path(&path)
        .map_err(|()| MergeError::fetch(url, "neither a URL (http, https, file) nor a path"))
}
