//! The incremental build of one feed against the state store, in named stages:
//! find the article files; skip the feed when its fingerprint is unchanged; read the
//! articles (unchanged files from the cache); date the entries; merge external entries and
//! history; assemble; emit every output into a temporary file while the store records what
//! was seen; store the fingerprint. Nothing is installed here: see [`super::run`].

use std::time::Duration;

use super::{BuildOptions, FeedReport, OutputChange, articles, external, fingerprint, outputs};
use crate::config::FeedDef;
use crate::diagnostic::Severity;
use crate::model::{Entry, Feed};
use crate::output::Prepared;
use crate::pipeline::assemble::assemble;
use crate::state::{StateError, StoreRun};

/// A file modified this close to the start of a run may change again within the same
/// timestamp tick (or, on coarse file systems, the same two seconds) without its stamp
/// changing: its stamp is not trusted by the next run, which hashes the file instead.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

/// A feed built but not yet published: its outputs wait in temporary files.
#[derive(Debug)]
pub struct FeedBuild {
    /// What happened.
    pub report: FeedReport,
    /// The prepared outputs.
    pub outputs: Vec<Prepared>,
    /// The feed as built; `None` when it was skipped as unchanged.
    pub feed: Option<Feed>,
}

/// What every stage of one feed's build reads.
pub(super) struct FeedContext<'a> {
    /// The run's transaction.
    pub run: &'a dyn StoreRun,
    /// The feed's definition.
    pub def: &'a FeedDef,
    /// The run's options.
    pub options: &'a BuildOptions,
}

/// Builds one feed inside `run`: skips it when its fingerprint is unchanged, else reads
/// what changed, dates the entries, merges `extra` entries (from external feeds) with the
/// history, and prepares every output. Nothing is installed; see [`FeedBuild`].
pub fn build_feed(
    run: &dyn StoreRun,
    def: &FeedDef,
    extra: Vec<Entry>,
    options: &BuildOptions,
) -> Result<FeedBuild, StateError> {
    let ctx = FeedContext { run, def, options };
    let mut report = FeedReport {
        name: def.name.clone(),
        ..FeedReport::default()
    };
    let sources = articles::Sources::of(def, options.drafts);
    let found = sources.discover(&mut report);
    tracing::debug!(files = found.len(), "articles found");
    if report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        // A source folder that is gone (a mount down, a deploy half done) must not publish
        // a feed without its articles: the last good outputs and the state stay as they are.
        return Ok(unbuilt(report));
    }
    let print = fingerprint::Fingerprint::of(def, &found, &extra, options);
    if run.fingerprint(&def.name, options.now)?.as_deref() == Some(print.current()) {
        return Ok(skipped(def, report));
    }
    let (mut entries, pending) = articles::read(&ctx, &sources, &found, &mut report)?;
    tracing::debug!(
        articles = found.len(),
        parsed = report.parsed,
        "articles read"
    );
    let (mut changed, seen) =
        run.date_entries(&def.name, &mut entries, options.now, def.timezone)?;
    tracing::debug!(changed = changed.len(), "entries dated");
    let local = entries.into_iter().map(|(e, _)| e).collect();
    let entries = external::merge_history(&ctx, extra, local, &mut changed, &mut report)?;
    let mut feed = assemble(
        &def.settings(options.drafts),
        entries,
        &mut report.diagnostics,
    );
    feed.page_url = def.page.as_ref().and_then(|p| p.url.clone());
    feed.hubs = def.hubs.clone();
    report.entries = feed.entries.len();
    // Counted among the entries published: a copy dropped as a duplicate is not one.
    report.changed_entries = (feed.entries.iter())
        .filter(|e| changed.contains(&e.id))
        .count();
    tracing::debug!(
        entries = report.entries,
        parsed = report.parsed,
        "feed assembled"
    );
    // Emitting (CPU, its own thread) and recording what was seen (SQLite, this thread)
    // overlap.
    let (emitted, stored) = std::thread::scope(|scope| {
        let how = outputs::Preparing {
            dry_run: options.dry_run,
            validate: options.validate,
        };
        let feed = &feed;
        let emitting = scope.spawn(move || outputs::prepare_all(feed, def, how));
        let stored = (run.store_seen(&def.name, seen, options.now))
            .and_then(|()| articles::store(&ctx, pending));
        let emitted = (emitting.join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (emitted, stored)
    });
    stored?;
    tracing::debug!("outputs prepared, articles and dates stored");
    report.outputs = emitted.changes;
    report.diagnostics.extend(emitted.diagnostics);
    print.store(&ctx, &found, &emitted.prepared, &report)?;
    Ok(FeedBuild {
        report,
        outputs: emitted.prepared,
        feed: Some(feed),
    })
}

/// The build of a feed one of whose sources could not be listed: nothing read, emitted,
/// written or recorded, so its last good outputs stay.
fn unbuilt(report: FeedReport) -> FeedBuild {
    FeedBuild {
        report,
        outputs: Vec::new(),
        feed: None,
    }
}

/// The build of a feed whose fingerprint is unchanged: nothing read, emitted or written.
fn skipped(def: &FeedDef, mut report: FeedReport) -> FeedBuild {
    report.skipped = true;
    report.outputs = (def.files())
        .map(|(path, _)| (path.clone(), OutputChange::Unchanged))
        .collect();
    FeedBuild {
        report,
        outputs: Vec::new(),
        feed: None,
    }
}
