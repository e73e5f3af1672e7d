//! One build run over every feed definition: lock-free by itself (the caller holds the
//! [`crate::lock::StateLock`]), one state transaction, outputs installed after the commit.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use super::incremental::{BuildOptions, Externals, FeedBuild, FeedReport, build_feed};
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::output;
use crate::state::{State, StateError};

/// First-seen dates of entries gone this long are forgotten.
const FORGET_AFTER_DAYS: i64 = 365;

/// Temporary output files left by a killed run are removed once this old.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// What a whole run did.
#[derive(Debug, Default)]
pub struct RunReport {
    /// One report per feed, in definition order.
    pub feeds: Vec<FeedReport>,
}

impl RunReport {
    /// Every diagnostic of every feed.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.feeds.iter().flat_map(|f| &f.diagnostics)
    }
}

/// Builds every feed of `defs` in one transaction of `state`: `progress` is told of each
/// feed as it starts; `externals` supplies each feed's external entries. Unless
/// `options.dry_run`, the state is committed and then every changed output is renamed into
/// place; a run killed before the commit leaves state and outputs as they were, one killed
/// after it leaves outputs the next run rewrites.
pub fn build_all(
    state: &mut State,
    defs: &[FeedDef],
    externals: &mut Externals<'_>,
    options: &BuildOptions,
    progress: &mut dyn FnMut(&FeedDef),
) -> Result<RunReport, StateError> {
    if !options.dry_run {
        remove_stale_temps(defs);
    }
    let run = state.begin_run()?;
    let mut builds: Vec<FeedBuild> = Vec::with_capacity(defs.len());
    for def in defs {
        progress(def);
        let span = tracing::info_span!("feed", name = %def.name);
        let _enter = span.enter();
        let (extra, diagnostics) = externals(&run, def)?;
        let mut build = build_feed(&run, def, extra, options)?;
        build.feed = None;
        build.report.diagnostics.splice(0..0, diagnostics);
        tracing::debug!(
            skipped = build.report.skipped,
            parsed = build.report.parsed,
            entries = build.report.entries,
            "feed built"
        );
        builds.push(build);
    }
    if options.dry_run {
        drop(run);
        return Ok(RunReport {
            feeds: builds.into_iter().map(|b| b.report).collect(),
        });
    }
    if builds.iter().any(|b| !b.report.skipped) {
        let contexts: Vec<String> = (defs.iter())
            .map(|d| super::incremental::cache_context(d, options))
            .collect();
        let contexts: Vec<&str> = contexts.iter().map(String::as_str).collect();
        run.forget_article_contexts_except(&contexts)?;
        run.forget_unseen(options.now - chrono::Duration::days(FORGET_AFTER_DAYS))?;
    }
    run.commit()?;
    tracing::debug!("state committed");
    let mut report = RunReport::default();
    let mut pending = Vec::new();
    let mut owner = Vec::new();
    for (i, build) in builds.into_iter().enumerate() {
        for prepared in build.outputs {
            if let output::Prepared::Pending(p) = prepared {
                pending.push(p);
                owner.push(i);
            }
        }
        report.feeds.push(build.report);
    }
    for (result, i) in output::install_all(pending).into_iter().zip(owner) {
        if let Err(e) = result {
            report.feeds[i].diagnostics.push(Diagnostic::error(
                e.path.display(),
                None,
                e.to_string(),
            ));
        }
    }
    Ok(report)
}

fn remove_stale_temps(defs: &[FeedDef]) {
    let dirs: HashSet<&Path> = (defs.iter())
        .flat_map(|d| &d.outputs)
        .filter_map(|o| o.path.parent())
        .collect();
    for dir in dirs {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let removed = output::remove_stale_temps(dir, STALE_TEMP_AGE);
        if removed > 0 {
            tracing::info!(dir = %dir.display(), removed, "removed temporary files of an interrupted run");
        }
    }
}
