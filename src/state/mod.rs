//! The state store: the facts that carry from one run to the next, behind one interface.
//!
//! It keeps, per feed, the date each entry was first seen and a hash of its content (so the
//! pipeline can date undated entries and move `updated` only on real change), a history of
//! merged entries (so an item that scrolls out of a source feed stays in ours for the feed's
//! [`Keep`] window), HTTP validators, last good bodies and schedules of fetched URLs (a run
//! is a [`crate::merge::FetchCache`]), the full text read from the pages merged items link
//! to (a run is a [`crate::merge::PageCache`]), the parse result of each article file (so
//! unchanged files are not parsed again) and a fingerprint per feed (so unchanged feeds are
//! skipped). It keeps facts only: never an emitter's bytes or offsets.
//!
//! [`StateStore`] opens runs; a [`StoreRun`] is one run's transaction: every write until
//! [`StoreRun::commit`] happens in it, and a run dropped without commit rolls everything back.
//! The store implements the primitive reads and writes; the rules that turn them into dates
//! ([`dating`]) are written once, for every store, as methods of `dyn StoreRun`.
//!
//! [`State`] is the embedded store, one SQLite file (see [`sqlite`]); [`PgState`] is the
//! shared one, a PostgreSQL database that several hosts use at once, which also hands out
//! the fetching of external feeds as leased work (see [`postgres`]). [`StateLocation`] says
//! which one a run uses. Time is always passed in as `now`; nothing here reads the clock.
//!
//! # One run
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use feedloom::lock::StateLock;
//! use feedloom::model::Entry;
//! use feedloom::state::{Keep, State, StateStore};
//!
//! # let dir = tempfile::tempdir()?;
//! # let feeds_dir = dir.path();
//! let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")?.to_utc();
//! let zone = chrono_tz::Asia::Shanghai;
//! let path = State::default_path(feeds_dir);
//! let _lock = StateLock::acquire(&path, Duration::from_secs(60))?; // 1. serialise runs
//! let mut state = State::open(&path)?; // 2. create or migrate
//! let run = state.begin()?; // 3. one transaction for every feed
//!
//! // 4. per feed: date what the sources gave this run (an undated entry gets the date it
//! //    was first seen, written in the feed's zone)…
//! let mut fresh = vec![Entry { id: "tag:example.com,2000:a".into(), ..Entry::default() }];
//! for entry in &mut fresh {
//!     run.resolve_dates("news", entry, now, zone)?;
//! }
//! assert_eq!(fresh[0].published.map(|d| d.to_rfc3339()).as_deref(), Some("2026-01-01T08:00:00+08:00"));
//! // …merge in the history (fresh entries win on equal ids), filter, sort…
//! let keep = Keep::default();
//! let mut merged = fresh.clone();
//! for old in run.history("news", keep, now)? {
//!     if !fresh.iter().any(|f| f.id == old.id) {
//!         merged.push(old);
//!     }
//! }
//! // …and remember the merged entries for the next runs.
//! run.remember_history("news", &merged, keep, now)?;
//!
//! // 5. once per run: forget long-gone entries, then save everything at once. Commit
//! //    before installing outputs, so no published date is one the store did not keep.
//! run.forget_unseen(now - chrono::Duration::days(365))?;
//! run.commit()?;
//! // 6. install the outputs (crate::output); the lock is released on drop.
//! # Ok(())
//! # }
//! ```

mod cache_rows;
pub mod dating;
mod error;
mod location;
pub mod postgres;
mod records;
pub mod sqlite;
mod stored;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use foldhash::fast::RandomState;

pub use cache_rows::{FetchRows, PageRows};
pub use dating::{Seen, SeenRow, SeenUpdates};
pub use error::StateError;
pub use location::{BadAddress, PgAddress, StateLocation, hide_password, is_postgres_url};
pub use postgres::{PgRun, PgState};
pub use records::{CachedArticle, Keep, PreparedArticle};
pub use sqlite::{DEFAULT_FILE_NAME, Run, SCHEMA_VERSION, State};
pub use stored::Unreadable;

use crate::merge::{FetchCache, PageCache};
use crate::model::{ContentHash, Entry};
use crate::output::FileStamp;

/// Article cache rows by path (as stored: `to_string_lossy` of the project-relative path).
pub type CachedArticles = HashMap<String, CachedArticle, RandomState>;

/// Where the state lives: something that opens runs.
pub trait StateStore {
    /// Starts a run: one transaction for everything it writes.
    fn begin(&mut self) -> Result<Box<dyn StoreRun + '_>, StateError>;
}

/// One run's view of the state: reads see the run's own writes; nothing is kept until
/// [`StoreRun::commit`]. These are the primitive operations every store implements; the
/// dating rules built on them are methods of `dyn StoreRun` (see [`dating`]). A run is also
/// the cache of fetched feeds ([`FetchCache`]) and of the pages merged items link to
/// ([`PageCache`]).
pub trait StoreRun: FetchCache + PageCache {
    /// Makes every write of this run durable.
    fn commit(self: Box<Self>) -> Result<(), StateError>;

    /// The store, as errors name it: the state file's path, or the database's address.
    fn describe(&self) -> String;

    /// The fingerprint stored for `feed`, unless it expired before `now`.
    fn fingerprint(&self, feed: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>, StateError>;

    /// Stores `feed`'s fingerprint (`None` forgets it), valid until `valid_until` if given.
    fn set_fingerprint(
        &self,
        feed: &str,
        fingerprint: Option<&[u8]>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Result<(), StateError>;

    /// Every article cached under `context` (a fingerprint of the settings that shape a
    /// parse, chosen by the caller), in one query.
    fn cached_articles(&self, context: &str) -> Result<CachedArticles, StateError>;

    /// Caches the parse of the article at `path` under `context`.
    fn store_article(
        &self,
        path: &Path,
        context: &str,
        article: &PreparedArticle,
    ) -> Result<(), StateError>;

    /// Records a new stamp for a cached article whose bytes did not change.
    fn restamp_article(
        &self,
        path: &Path,
        context: &str,
        stamp: FileStamp,
    ) -> Result<(), StateError>;

    /// Forgets the cached article at `path` under `context` (its file is gone).
    fn forget_article(&self, path: &Path, context: &str) -> Result<(), StateError>;

    /// Forgets cached articles of every context but `contexts` (feeds renamed or removed,
    /// settings changed). Returns how many rows went.
    fn forget_article_contexts_except(&self, contexts: &[&str]) -> Result<usize, StateError>;

    /// What is known of every entry of `feed`, by entry id.
    fn seen_rows(&self, feed: &str) -> Result<HashMap<String, SeenRow, RandomState>, StateError>;

    /// What is known of one entry of `feed`.
    fn seen_row(&self, feed: &str, id: &str) -> Result<Option<SeenRow>, StateError>;

    /// Records an entry's dates and content hash as seen at `now`.
    fn upsert_seen(
        &self,
        feed: &str,
        id: &str,
        seen: &Seen,
        hash: &ContentHash,
        now: DateTime<Utc>,
    ) -> Result<(), StateError>;

    /// Forgets the first-seen dates and content hashes of entries, in every feed, that no
    /// run has observed since `before`, so the store does not grow forever. Pick `before`
    /// well beyond every feed's keep window (a year, say): an entry that comes back after
    /// being forgotten is dated as new.
    fn forget_unseen(&self, before: DateTime<Utc>) -> Result<usize, StateError>;

    /// Stores `entries` (the feed's merged entries of this run) in `feed`'s history as last
    /// merged at `now`, then forgets the entries that fell out of the `keep` window.
    fn remember_history(
        &self,
        feed: &str,
        entries: &[Entry],
        keep: Keep,
        now: DateTime<Utc>,
    ) -> Result<(), StateError>;

    /// The entries of `feed`'s history still inside the `keep` window at `now`, newest
    /// first (undated last, then by id).
    fn history(&self, feed: &str, keep: Keep, now: DateTime<Utc>)
    -> Result<Vec<Entry>, StateError>;

    /// When the oldest entry in `feed`'s history was last merged (Unix seconds), if it has
    /// any.
    fn oldest_history(&self, feed: &str) -> Result<Option<i64>, StateError>;
}
