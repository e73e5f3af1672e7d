//! The caches a store keeps for the fetcher, as fallible row operations: [`FetchRows`]
//! (fetched feeds: last good copies, validators, schedules) and [`PageRows`] (what the
//! pages of merged items gave). Every store that has them is a [`FetchCache`] and a
//! [`PageCache`], its errors logged as warnings: a cache that fails costs a fetch, never the
//! run.

use url::Url;

use super::StateError;
use crate::merge::{CachedResponse, FetchCache, FetchSchedule, PageCache, PageRecord};

/// What a store keeps of fetched feeds, by URL.
pub trait FetchRows {
    /// The last good response for `url`, if any.
    fn cached_response(&self, url: &Url) -> Result<Option<CachedResponse>, StateError>;
    /// Replaces what is kept for `url`.
    fn store_response(&self, url: &Url, response: &CachedResponse) -> Result<(), StateError>;
    /// When `url` may be fetched again, if it was ever tried.
    fn fetch_schedule(&self, url: &Url) -> Result<Option<FetchSchedule>, StateError>;
    /// Replaces the schedule kept for `url`.
    fn store_schedule(&self, url: &Url, schedule: &FetchSchedule) -> Result<(), StateError>;
}

/// What a store keeps of the pages merged items link to, by feed, item id and link.
pub trait PageRows {
    /// The record of the page of item `id` (linking to `link`) in `feed`, if any.
    fn page_record(
        &self,
        feed: &str,
        id: &str,
        link: &Url,
    ) -> Result<Option<PageRecord>, StateError>;
    /// Replaces the record of the page of item `id` (linking to `link`) in `feed`.
    fn store_page_record(
        &self,
        feed: &str,
        id: &str,
        link: &Url,
        record: &PageRecord,
    ) -> Result<(), StateError>;
    /// Forgets the records of `feed` whose item id is not one of `ids`.
    fn forget_page_records(&self, feed: &str, ids: &[&str]) -> Result<(), StateError>;
}

impl<T: FetchRows> FetchCache for T {
    fn get(&self, url: &Url) -> Option<CachedResponse> {
        (self.cached_response(url))
            .inspect_err(|e| tracing::warn!("{e}; fetching {url} in full"))
            .ok()
            .flatten()
    }

    fn put(&self, url: &Url, response: CachedResponse) {
        if let Err(e) = self.store_response(url, &response) {
            tracing::warn!("{e}; {url} will be fetched in full next time");
        }
    }

    fn schedule(&self, url: &Url) -> Option<FetchSchedule> {
        (self.fetch_schedule(url))
            .inspect_err(|e| tracing::warn!("{e}; {url} is due now"))
            .ok()
            .flatten()
    }

    fn set_schedule(&self, url: &Url, schedule: &FetchSchedule) {
        if let Err(e) = self.store_schedule(url, schedule) {
            tracing::warn!("{e}; when to fetch {url} again is forgotten");
        }
    }
}

impl<T: PageRows> PageCache for T {
    fn page(&self, feed: &str, id: &str, link: &Url) -> Option<PageRecord> {
        (self.page_record(feed, id, link))
            .inspect_err(|e| tracing::warn!("{e}; the page {link} counts as never fetched"))
            .ok()
            .flatten()
    }

    fn put_page(&self, feed: &str, id: &str, link: &Url, record: &PageRecord) {
        if let Err(e) = self.store_page_record(feed, id, link, record) {
            tracing::warn!("{e}; what was read from {link} is forgotten");
        }
    }

    fn forget_pages_except(&self, feed: &str, ids: &[&str]) {
        if let Err(e) = self.forget_page_records(feed, ids) {
            tracing::warn!("{e}; pages of items gone from {feed} are kept");
        }
    }
}
