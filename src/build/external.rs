//! The external entries of a feed: its `[[merge]]` sources fetched with the state store as
//! the fetch cache, so conditional requests and last good copies carry over between runs.

use chrono::{DateTime, FixedOffset};

use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::merge;
use crate::model::Entry;
use crate::state::{Run, StateError};

/// Fetches and reads every `[[merge]]` source of `def` (relative paths resolve against the
/// project root), using `run` as the [`merge::FetchCache`]. A failing source is a warning
/// naming it, and its last good copy is used when the store has one. The entries are
/// filtered per source but not deduplicated: [`build_feed`](super::build_feed) does that
/// with the feed's own entries and its history.
///
/// This is the [`Externals`](super::Externals) of a real build:
///
/// ```no_run
/// # use feedloom::build::{self, BuildOptions};
/// # use feedloom::config::FeedDef;
/// # use feedloom::state::{Run, State};
/// # fn f(state: &mut State, defs: &[FeedDef]) {
/// let options = BuildOptions::now(false, false);
/// let now = options.now;
/// let mut externals = |run: &Run<'_>, def: &FeedDef| build::fetch_merged(run, def, now);
/// build::build_all(state, defs, &mut externals, &options, &mut |_| {});
/// # }
/// ```
pub fn fetch_merged(
    run: &Run<'_>,
    def: &FeedDef,
    now: DateTime<FixedOffset>,
) -> Result<(Vec<Entry>, Vec<Diagnostic>), StateError> {
    if def.merge.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let _span = tracing::info_span!("merge", sources = def.merge.len()).entered();
    Ok(merge::collect(&def.merge, &def.root, &def.fetch, run, now))
}
