//! A feed's article files against the article cache: a file whose stamp (size, modification
//! time) is the recorded one is not read at all; one whose stamp changed is read and hashed,
//! and parsed again only if its bytes changed. Freshly parsed entries are serialised for the
//! cache in the worker threads, and written to it after the feed's outputs are emitted.

use std::path::PathBuf;
use std::time::SystemTime;

use rayon::prelude::*;

use super::feed::FeedContext;
use super::{FeedReport, RACY_WINDOW, cache_context, state_key};
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::mapper::MapOptions;
use crate::model::{ContentHash, Entry};
use crate::output::FileStamp;
use crate::pipeline::discover::{Found, discover};
use crate::pipeline::read::read_bytes;
use crate::pipeline::settings::SourceSpec;
use crate::state::{CachedArticle, PreparedArticle, StateError};

/// A feed's sources, each with the mapper options it implies.
pub(super) struct Sources {
    specs: Vec<(SourceSpec, MapOptions)>,
    drafts: bool,
}

/// An entry with its content hash, as the store dates it.
pub(super) type Hashed = (Entry, ContentHash);

/// A freshly parsed article waiting to be cached, by its path relative to the project.
pub(super) type Pending = (PathBuf, PreparedArticle);

impl Sources {
    /// The sources of `def`.
    pub fn of(def: &FeedDef, drafts: bool) -> Sources {
        let settings = def.settings(drafts);
        let specs = (def.source_specs().into_iter())
            .map(|s| {
                let map = settings.map_options(s.link_template.clone());
                (s, map)
            })
            .collect();
        Sources { specs, drafts }
    }

    /// Every article file of every source, with the index of its source; a source that
    /// finds nothing is a diagnostic.
    pub fn discover(&self, report: &mut FeedReport) -> Vec<(usize, Found)> {
        let mut found = Vec::new();
        for (i, (spec, _)) in self.specs.iter().enumerate() {
            match discover(&spec.pattern) {
                Ok(files) => found.extend(files.into_iter().map(|f| (i, f))),
                Err(d) => report.diagnostics.push(d),
            }
        }
        report.articles = found.len();
        found
    }
}

/// Whether a file's stamp cannot be trusted by the next run: it was modified within
/// [`RACY_WINDOW`] of `now` (or has no stamp at all).
pub(super) fn racy(stamp: Option<FileStamp>, now: SystemTime) -> bool {
    let Some(stamp) = stamp else { return true };
    let start = now
        .checked_sub(RACY_WINDOW)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    stamp.mtime_ns >= FileStamp::nanos(start)
}

/// What became of one article file.
enum Outcome {
    /// From the cache: the entry, its hash, and the file's new stamp to record when its
    /// bytes matched but its stamp did not.
    Cached(Entry, ContentHash, Option<FileStamp>),
    /// Parsed: the entry (`None` for a draft left out or an unreadable article) with its
    /// cache row, and what was wrong.
    Parsed(Option<(Entry, PreparedArticle)>, Vec<Diagnostic>),
    /// The file could not be read.
    Failed(Diagnostic),
}

/// The entries of the feed's article files, each with its content hash: cached ones for
/// unchanged files, freshly parsed ones for the others (returned to be cached).
pub(super) fn read(
    ctx: &FeedContext<'_>,
    sources: &Sources,
    found: &[(usize, Found)],
    report: &mut FeedReport,
) -> Result<(Vec<Hashed>, Vec<Pending>), StateError> {
    let context = cache_context(ctx.def, ctx.options);
    let mut rows = ctx.run.cached_articles(&context)?;
    tracing::debug!(rows = rows.len(), "cached articles loaded");
    let keys: Vec<PathBuf> = (found.iter())
        .map(|(_, f)| state_key(&ctx.def.root, &f.path))
        .collect();
    let cached: Vec<Option<CachedArticle>> = (keys.iter())
        .map(|key| rows.remove(key.to_string_lossy().as_ref()))
        .collect();
    for gone in rows.keys() {
        ctx.run
            .forget_article(std::path::Path::new(gone), &context)?;
    }
    let now = SystemTime::from(ctx.options.now);
    // Each worker owns its cached row, so rows are decoded and freed in parallel.
    let outcomes: Vec<Outcome> = (found.par_iter())
        .zip(cached.into_par_iter())
        .map(|((i, f), cached)| read_one(f, &sources.specs[*i], sources.drafts, cached, now))
        .collect();
    let mut entries = Vec::with_capacity(found.len());
    let mut pending = Vec::new();
    for (key, outcome) in keys.into_iter().zip(outcomes) {
        match outcome {
            Outcome::Cached(entry, hash, restamp) => {
                if let Some(stamp) = restamp {
                    ctx.run.restamp_article(&key, &context, stamp)?;
                }
                entries.push((entry, hash));
            }
            Outcome::Parsed(parsed, diagnostics) => {
                report.parsed += 1;
                report.diagnostics.extend(diagnostics);
                if let Some((entry, prepared)) = parsed {
                    entries.push((entry, prepared.entry_hash));
                    pending.push((key, prepared));
                }
            }
            Outcome::Failed(d) => report.diagnostics.push(d),
        }
    }
    Ok((entries, pending))
}

/// One article file: from the cache when its stamp (else its bytes) is the recorded one,
/// else read and parsed.
fn read_one(
    found: &Found,
    (spec, map): &(SourceSpec, MapOptions),
    drafts: bool,
    cached: Option<CachedArticle>,
    now: SystemTime,
) -> Outcome {
    // The stamp recorded for a file modified just now is one no file has, so that the next
    // run hashes it.
    let stamp = (found.stamp)
        .filter(|s| !racy(Some(*s), now))
        .unwrap_or(FileStamp::UNTRUSTED);
    let decoded = |c: &CachedArticle| c.entry().ok().map(|e| (e, c.entry_hash));
    if let Some(c) = &cached
        && found.stamp == Some(c.stamp)
        && let Some((entry, hash)) = decoded(c)
    {
        return Outcome::Cached(entry, hash, (stamp != c.stamp).then_some(stamp));
    }
    let bytes = match std::fs::read(&found.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let reason = format!("cannot read: {e}");
            return Outcome::Failed(Diagnostic::warning(found.path.display(), None, reason));
        }
    };
    let file_hash = ContentHash::of_bytes(&bytes);
    if let Some(c) = &cached
        && c.file_hash == file_hash
        && let Some((entry, hash)) = decoded(c)
    {
        return Outcome::Cached(entry, hash, Some(stamp));
    }
    let (entry, diagnostics) = read_bytes(found, &bytes, spec, map, drafts);
    let parsed = entry.map(|e| {
        let prepared = PreparedArticle::new(&e, stamp, file_hash);
        (e, prepared)
    });
    Outcome::Parsed(parsed, diagnostics)
}

/// Caches freshly parsed articles in the state.
pub(super) fn store(ctx: &FeedContext<'_>, pending: Vec<Pending>) -> Result<(), StateError> {
    let context = cache_context(ctx.def, ctx.options);
    for (path, article) in pending {
        ctx.run.store_article(&path, &context, &article)?;
    }
    Ok(())
}
