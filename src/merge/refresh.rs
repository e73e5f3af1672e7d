//! Fetching one source on its own, outside a build, for the fetch workers: the same fetch,
//! guard, limits, parse check and schedule as a build's ([`super::job`]), but what it gives
//! is what to keep (the new copy, the schedule, the failure) rather than entries. A copy is
//! kept only once it reads as a feed, as in a build.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::cache::CachedResponse;
use super::config::{CompiledRules, FetchSettings, MergeSource};
use super::error::MergeError;
use super::fetch::Fetcher;
use super::job::{Job, fetch_now};
use super::poll::FetchSchedule;

/// Fetches sources one at a time under one set of [`FetchSettings`] (a definition's
/// `[fetch]` table): one HTTP client and address guard for all of them. It may be shared
/// by several threads.
pub struct Refresher {
    fetcher: Fetcher,
    settings: FetchSettings,
}

impl std::fmt::Debug for Refresher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Refresher")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// What one fetch of a source leaves to keep.
#[derive(Debug, Clone)]
pub struct Refreshed {
    /// A new copy (a new body, or new validators for the old one); `None` when nothing
    /// changed or the fetch failed.
    pub copy: Option<CachedResponse>,
    /// The schedule after this fetch: when it may be fetched again, by the server's word,
    /// the backoff and the freshness.
    pub schedule: FetchSchedule,
    /// Why the fetch failed, if it did.
    pub error: Option<String>,
    /// Entries in the feed, when it was fetched and read.
    pub entries: Option<usize>,
}

impl Refresher {
    /// A refresher fetching under `settings`.
    pub fn new(settings: &FetchSettings) -> Result<Refresher, MergeError> {
        Ok(Refresher {
            fetcher: Fetcher::new(settings)?,
            settings: FetchSettings {
                force: true,
                stored_only: false,
                ..settings.clone()
            },
        })
    }

    /// Fetches `url` (one feed of `source`) now, sending `cached`'s validators, and says
    /// what to keep; `schedule` is how earlier fetches left it (failures in a row count on).
    pub fn refresh(
        &self,
        url: &Url,
        source: &MergeSource,
        cached: Option<CachedResponse>,
        schedule: Option<FetchSchedule>,
        now: DateTime<FixedOffset>,
    ) -> Refreshed {
        let job = Job {
            index: 0,
            url: url.clone(),
            source,
            rules: CompiledRules {
                include: None,
                exclude: None,
            },
            cached,
            schedule,
        };
        let outcome = fetch_now(&self.fetcher, &self.settings, &job, now);
        let failed = outcome.schedule.as_ref().is_none_or(|s| s.failures > 0);
        let error = failed.then(|| {
            let message = (outcome.warnings.first()).map_or("fetch failed", |w| &w.message);
            // The reason alone: what a build does about it is the build's to say.
            let cut = ["; using the last good copy", "; no cached copy"]
                .iter()
                .filter_map(|tail| message.find(tail))
                .min()
                .unwrap_or(message.len());
            message[..cut].to_string()
        });
        let schedule = (outcome.schedule)
            .unwrap_or_else(|| FetchSchedule::failed(job.schedule.as_ref(), now.to_utc(), None));
        Refreshed {
            copy: outcome.store,
            schedule,
            error,
            entries: (!failed)
                .then(|| outcome.feed.map(|f| f.entries.len()))
                .flatten(),
        }
    }
}

/// The feeds `source` stands for (its URL, or every feed of its OPML file), relative paths
/// resolved against `base_dir`: what the fetch workers plan from a definition.
pub fn plan_urls(source: &MergeSource, base_dir: &Path) -> Result<Vec<Url>, MergeError> {
    Ok(super::plan(0, source, base_dir)?
        .into_iter()
        .map(|job| job.url)
        .collect())
}
