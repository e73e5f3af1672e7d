//! The external entries of a feed: its `[[merge]]` sources fetched with the state store as
//! the fetch cache (conditional requests, last good copies and when each source is due
//! carry over between runs), the new items of `full_text` sources given the article of
//! their page (kept in the store too), then merged with the feed's own entries and its
//! history.

use std::collections::HashSet;

use super::feed::FeedContext;
use super::{BuildOptions, FeedReport};
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::merge;
use crate::model::{ContentHash, Entry};
use crate::pipeline::assemble::unique_ids;
use crate::pipeline::full_text::{self, FullText, PageCounts, Scope};
use crate::state::{StateError, StoreRun};

/// The external entries of one feed's run, what the full-text step did, and the problems
/// met.
#[derive(Debug, Default)]
pub struct Fetched {
    /// The entries of every source, filtered per source but not deduplicated.
    pub entries: Vec<Entry>,
    /// One count per `full_text` source.
    pub pages: Vec<PageCounts>,
    /// Failing sources and pages.
    pub diagnostics: Vec<Diagnostic>,
}

/// Fetches and reads every `[[merge]]` source of `def` (relative paths resolve against the
/// project root), using `run` as the [`merge::FetchCache`]. A failing source is a warning
/// naming it, and its last good copy is used when the store has one; so is the copy of a
/// source that is not due yet (it asked to wait, is backing off after failures, or is fresh
/// by its own headers), unless `options.force`. With `options.fetch` at `Some(false)`,
/// nothing is fetched over HTTP: every such source gives the copy the fetch workers stored.
/// The new items of `full_text` sources get the article of their page ([`full_text`]),
/// kept in `run` as the [`merge::PageCache`]. The entries are filtered per source but not
/// deduplicated: [`merge_history`] does that.
pub fn fetch_merged(
    run: &dyn StoreRun,
    def: &FeedDef,
    options: &BuildOptions,
) -> Result<Fetched, StateError> {
    if def.merge.is_empty() {
        return Ok(Fetched::default());
    }
    let _span = tracing::info_span!("merge", sources = def.merge.len()).entered();
    let settings = merge::FetchSettings {
        force: options.force,
        stored_only: options.fetch == Some(false),
        ..def.fetch.clone()
    };
    let (mut by_source, mut diagnostics) = merge::collect_by_source(
        &def.merge,
        &def.root,
        &settings,
        run,
        options.now.fixed_offset(),
    );
    let mut pages = Vec::new();
    if def.merge.iter().any(|m| m.full_text) {
        let ctx = FullText {
            cache: run,
            scope: Scope::Feed(&def.name),
            settings: &settings,
            now: options.now,
            zone: def.timezone,
        };
        let mut is_new = |_: &str, e: &Entry| Ok(run.seen_row(&def.name, &e.id)?.is_none());
        let filled = full_text::fill(&mut by_source, &def.merge, &ctx, &mut is_new)?;
        pages = filled.counts;
        diagnostics.extend(filled.diagnostics);
    }
    Ok(Fetched {
        entries: by_source.into_iter().flatten().collect(),
        pages,
        diagnostics,
    })
}

/// Dates the external entries, remembers them in the history, and merges them and the
/// history entries no longer in their source into `local`: a history entry gives way to the
/// fresh copy of the same id, then [`merge::dedupe`] drops the copies of one story (same id,
/// normalised link, or title and date), keeping the one with more content. The ids of
/// external entries that are new or changed are added to `changed`.
pub fn merge_history(
    ctx: &FeedContext<'_>,
    extra: Vec<Entry>,
    local: Vec<Entry>,
    changed: &mut HashSet<String>,
    report: &mut FeedReport,
) -> Result<Vec<Entry>, StateError> {
    let (run, def, now) = (ctx.run, ctx.def, ctx.options.now);
    if extra.is_empty() && run.oldest_history(&def.name)?.is_none() {
        return Ok(local);
    }
    let mut extra: Vec<(Entry, ContentHash)> = (extra.into_iter())
        .map(|e| {
            let hash = ContentHash::of(&e);
            (e, hash)
        })
        .collect();
    changed.extend(run.resolve_dates_all(&def.name, &mut extra, now, def.timezone)?);
    let extra: Vec<Entry> = extra.into_iter().map(|(e, _)| e).collect();
    run.remember_history(&def.name, &extra, def.keep, now)?;
    let fresh: HashSet<&str> = extra.iter().map(|e| e.id.as_str()).collect();
    let gone: Vec<Entry> = (run.history(&def.name, def.keep, now)?.into_iter())
        .filter(|e| !fresh.contains(e.id.as_str()))
        .collect();
    if def.merge.iter().any(|m| m.full_text) {
        // The pages of items still in a source or in the history stay known.
        let live: Vec<&str> = (fresh.iter().copied())
            .chain(gone.iter().map(|e| e.id.as_str()))
            .collect();
        run.forget_pages_except(&def.name, &live);
    }
    // Repeated ids among the feed's own articles are reported; copies across sources are
    // the point of deduplication and are not.
    let mut all = unique_ids(local, &mut report.diagnostics);
    all.extend(extra);
    all.extend(gone);
    Ok(merge::dedupe(all))
}
