//! One feed's turn in a run: whether it is due (its [`FetchSchedule`]), the fetch and the
//! parse, the fall back to its last good copy, and what to keep for the next runs (the copy
//! and the schedule).
//!
//! Only `http(s)` sources have a schedule: a local file is read on every run.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use url::Url;

use super::cache::CachedResponse;
use super::config::{CompiledRules, FetchSettings, MergeSource};
use super::decode;
use super::error::MergeError;
use super::fetch::{Fetched, Fetcher, Limits};
use super::parse::{ParsedFeed, parse_feed};
use super::poll::{FetchSchedule, Wait, stamp};
use crate::diagnostic::Diagnostic;

/// One feed to fetch, with the source table it came from, its cached copy and its schedule.
pub(super) struct Job<'a> {
    pub url: Url,
    /// Which of the run's sources the feed belongs to.
    pub index: usize,
    pub source: &'a MergeSource,
    pub rules: CompiledRules,
    pub cached: Option<CachedResponse>,
    pub schedule: Option<FetchSchedule>,
}

impl Job<'_> {
    /// Whether the feed is fetched over HTTP, and so has a schedule.
    pub fn polled(&self) -> bool {
        matches!(self.url.scheme(), "http" | "https")
    }

    /// Whether the feed was tried less than its interval (`every`) before `now`.
    fn within_interval(&self, settings: &FetchSettings, now: DateTime<Utc>) -> bool {
        let every = self.source.every.or(settings.every);
        match (every, &self.schedule) {
            (Some(every), Some(s)) => s.checked_at + every.duration() > now,
            _ => false,
        }
    }
}

/// What one job gave: the feed (fresh or cached), its warnings, and what to keep.
pub(super) struct Outcome {
    pub feed: Option<ParsedFeed>,
    pub warnings: Vec<Diagnostic>,
    /// A new copy to cache.
    pub store: Option<CachedResponse>,
    /// A new schedule to keep.
    pub schedule: Option<FetchSchedule>,
}

/// Whether a job's feed is fetched this run.
enum Due {
    Now,
    /// Not fetched by builds at all: the fetch workers store its copy.
    Stored,
    /// Fresh by its own headers: its copy is used, without a word.
    Fresh,
    /// It asked to wait, or is backing off after failures: its copy is used, with a warning.
    Later(Wait),
}

fn due(job: &Job<'_>, settings: &FetchSettings, now: DateTime<Utc>) -> Due {
    if settings.force || !job.polled() {
        return Due::Now;
    }
    if settings.stored_only {
        return Due::Stored;
    }
    match job.schedule.as_ref().and_then(|s| s.wait(now)) {
        None if job.cached.is_some() && job.within_interval(settings, now) => Due::Fresh,
        None => Due::Now,
        Some(Wait::Fresh { .. }) if job.cached.is_some() => Due::Fresh,
        Some(Wait::Fresh { .. }) => Due::Now,
        Some(wait) => Due::Later(wait),
    }
}

/// Fetches and parses one feed when it is due, else (and on any failure) uses its cached
/// copy.
pub(super) fn run_job(
    fetcher: &Fetcher,
    settings: &FetchSettings,
    job: &Job<'_>,
    now: DateTime<FixedOffset>,
) -> Outcome {
    let key = job.url.as_str();
    let mut outcome = match due(job, settings, now.to_utc()) {
        Due::Now => fetch_now(fetcher, settings, job, now),
        Due::Fresh => match Outcome::from_copy(job, None) {
            // A copy that no longer reads is no reason to wait.
            Outcome { feed: None, .. } => fetch_now(fetcher, settings, job, now),
            fresh => fresh,
        },
        Due::Later(wait) => Outcome::from_copy(job, Some(wait.to_string())),
        Due::Stored => Outcome::from_copy(job, stored_warning(job, now.to_utc())),
    };
    if let Some(feed) = &mut outcome.feed {
        for w in feed.warnings.drain(..) {
            outcome.warnings.push(Diagnostic::warning(key, None, w));
        }
        drop_future_dates(feed, now, key, &mut outcome.warnings);
    }
    outcome
}

/// Why a build that only reads stored copies warns about `job`'s: the workers are waiting
/// for a server or backing off after failures, or never stored a copy; `None` otherwise.
fn stored_warning(job: &Job<'_>, now: DateTime<Utc>) -> Option<String> {
    let waiting = job.schedule.as_ref().and_then(|s| s.wait(now));
    match waiting {
        Some(wait @ (Wait::Asked { .. } | Wait::Backoff { .. })) => {
            Some(format!("the fetch workers: {wait}"))
        }
        _ if job.cached.is_none() => {
            Some("no fetch worker has stored a copy yet (see `feedloom fetch --status`)".into())
        }
        _ => None,
    }
}

/// Fetches and parses the feed now, and schedules the next fetch from how it went.
pub(super) fn fetch_now(
    fetcher: &Fetcher,
    settings: &FetchSettings,
    job: &Job<'_>,
    now: DateTime<FixedOffset>,
) -> Outcome {
    let (key, at) = (job.url.as_str(), now.to_utc());
    let limits = Limits {
        timeout: (job.source.timeout_secs).map_or(settings.timeout(), super::config::timeout_of),
        max_bytes: job.source.max_bytes.unwrap_or(settings.max_bytes),
    };
    let fresh = fetcher
        .fetch(&job.url, job.cached.as_ref(), limits)
        .and_then(|f| {
            parse_feed(&f.body, f.content_type.as_deref(), &f.final_url)
                .map(|p| (f, p))
                .map_err(|reason| MergeError::parse(key, reason))
        });
    match fresh {
        Ok((fetched, parsed)) => {
            let fresh_until = fetched.freshness.fresh_until(at);
            Outcome {
                store: copy_to_store(job.cached.as_ref(), fetched, now),
                feed: Some(parsed),
                warnings: Vec::new(),
                schedule: job
                    .polled()
                    .then(|| FetchSchedule::succeeded(at, fresh_until)),
            }
        }
        Err(e) => {
            let asked = (e.retry_after()).map(|r| r.until(at)).filter(|t| *t > at);
            let mut reason = e.reason();
            if let Some(until) = asked {
                reason.push_str(&format!(
                    "; the server asks to wait until {}",
                    stamp(&until)
                ));
            }
            // A refusal is this side's rule, not the server's failure: once the address is
            // allowed, the next run fetches it.
            let failed = job.polled() && !matches!(e, MergeError::Refused { .. });
            Outcome {
                schedule: failed.then(|| FetchSchedule::failed(job.schedule.as_ref(), at, asked)),
                ..Outcome::from_copy(job, Some(reason))
            }
        }
    }
}

/// The copy to cache after a successful fetch: a new body, or new validators for the old
/// one; `None` when nothing changed.
fn copy_to_store(
    cached: Option<&CachedResponse>,
    fetched: Fetched,
    now: DateTime<FixedOffset>,
) -> Option<CachedResponse> {
    let changed = !fetched.not_modified || cached.is_some_and(|c| c.etag != fetched.etag);
    changed.then(|| CachedResponse {
        body: cacheable_body(fetched.body, fetched.content_type.as_deref()),
        etag: fetched.etag,
        last_modified: fetched.last_modified,
        fetched_at: now,
    })
}

impl Outcome {
    /// The job's last good copy, if any; with a warning when `why` says why the copy is used
    /// (and that there is none, when there is none).
    fn from_copy(job: &Job<'_>, why: Option<String>) -> Outcome {
        let copy = job.cached.as_ref().and_then(|c| {
            let parsed = parse_feed(&c.body, None, &job.url).ok()?;
            Some((parsed, c.fetched_at))
        });
        let warnings = match why {
            None => Vec::new(),
            Some(why) => {
                let what = match &copy {
                    Some((p, at)) => format!(
                        "; using the last good copy, fetched {} ({} entries)",
                        at.to_rfc3339(),
                        p.entries.len()
                    ),
                    None => "; no cached copy, skipped".to_string(),
                };
                vec![Diagnostic::warning(
                    job.url.as_str(),
                    None,
                    format!("{why}{what}"),
                )]
            }
        };
        Outcome {
            feed: copy.map(|(p, _)| p),
            warnings,
            store: None,
            schedule: None,
        }
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
