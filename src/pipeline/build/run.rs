//! One build run over every feed definition, in one state transaction, outputs installed
//! after the commit. The caller holds the [`crate::lock::StateLock`].

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use super::feed::{FeedBuild, build_feed};
use super::{BuildOptions, BuildReport, cache_context, external};
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::output;
use crate::pipeline::pause;
use crate::state::{StateError, StateStore};

/// First-seen dates of entries gone this long are forgotten.
const FORGET_AFTER_DAYS: i64 = 365;

/// Temporary output files left by a killed run are removed once this old.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// Builds every feed of `defs` in one transaction of `state`, fetching each feed's
/// `[[merge]]` sources with the store as their cache (or, with `options.fetch` at
/// `Some(false)`, merging the copies the store holds); `progress` is told each feed's name
/// as it starts. Unless `options.dry_run`, the state is committed and then every changed
/// output is installed.
pub fn build_all(
    state: &mut dyn StateStore,
    defs: &[FeedDef],
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildReport, StateError> {
    if !options.dry_run {
        remove_stale_temps(defs);
    }
    let run = state.begin()?;
    let mut builds: Vec<FeedBuild> = Vec::with_capacity(defs.len());
    for def in defs {
        progress(&def.name);
        let _span = tracing::info_span!("feed", name = %def.name).entered();
        let fetched = external::fetch_merged(run.as_ref(), def, options)?;
        let mut build = build_feed(run.as_ref(), def, fetched.entries, options)?;
        build.feed = None;
        build.report.diagnostics.splice(0..0, fetched.diagnostics);
        build.report.pages = fetched.pages;
        builds.push(build);
    }
    if options.dry_run {
        return Ok(BuildReport {
            feeds: builds.into_iter().map(|b| b.report).collect(),
        });
    }
    if builds.iter().any(|b| !b.report.skipped) {
        let contexts: Vec<String> = defs.iter().map(|d| cache_context(d, options)).collect();
        let contexts: Vec<&str> = contexts.iter().map(String::as_str).collect();
        run.forget_article_contexts_except(&contexts)?;
        run.forget_unseen(options.now - chrono::Duration::days(FORGET_AFTER_DAYS))?;
    }
    pause::point("before-commit");
    run.commit()?;
    tracing::debug!("state committed");
    pause::point("after-commit");
    Ok(install(builds))
}

/// Installs every prepared output of `builds`; a failure is an error of its feed.
fn install(builds: Vec<FeedBuild>) -> BuildReport {
    let mut report = BuildReport::default();
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
            let d = Diagnostic::error(e.path.display(), None, e.to_string());
            report.feeds[i].diagnostics.push(d);
        }
    }
    report
}

fn remove_stale_temps(defs: &[FeedDef]) {
    let dirs: HashSet<&Path> = (defs.iter())
        .flat_map(|d| d.files())
        .filter_map(|(path, _)| path.parent())
        .collect();
    for dir in dirs {
        let dir = match dir.as_os_str().is_empty() {
            true => Path::new("."),
            false => dir,
        };
        let removed = output::remove_stale_temps(dir, STALE_TEMP_AGE);
        if removed > 0 {
            tracing::info!(dir = %dir.display(), removed, "removed temporary files of an interrupted run");
        }
    }
}
