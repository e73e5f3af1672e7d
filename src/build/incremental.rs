//! The incremental build of one feed against the state store.
//!
//! A feed is skipped whole when its fingerprint (definition, feedloom version, flags, every
//! source file's path, size and modification time, the external entries, and every output's
//! size and modification time) equals the one stored by the last build. Otherwise unchanged
//! article files come from the article cache, changed ones are read again, dates are
//! completed from the store, and each output is prepared (flushed to a temporary file) but
//! not yet installed: the caller commits the state first, then installs the outputs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use super::reuse::{self, Local};
use super::{Found, SourceSpec, assemble, assemble_tagged, discover, read_bytes, unique_ids};
use crate::config::{FeedDef, OutputDef};
use crate::diagnostic::{Diagnostic, Severity};
use crate::emit::parts::{Earlier, FeedParts, PartIndex, Written};
use crate::mapper::MapOptions;
use crate::merge;
use crate::model::{Entry, Feed};
use crate::output::{self, Prepared};
use crate::state::{CachedArticle, ContentHash, FileStamp, PreparedArticle, Run, StateError};

/// A file modified this close to the start of a run may change again within the same
/// timestamp tick (or, on coarse file systems, the same two seconds) without its stamp
/// changing: its stamp is not trusted by the next run, which hashes the file instead.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

/// A fingerprint is rechecked at least this often, so entries still present are marked seen
/// (see [`Run::forget_unseen`]) even in a feed whose inputs never change.
const FINGERPRINT_LIFETIME_SECS: i64 = 86_400;

/// What a build run needs besides the definitions.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Include draft articles.
    pub drafts: bool,
    /// Work out what would change, write nothing and keep no state.
    pub dry_run: bool,
    /// The run's time, used for first-seen dates and history.
    pub now: DateTime<FixedOffset>,
    /// The run's start on the file system's clock (see [`RACY_WINDOW`]).
    pub started: SystemTime,
}

impl BuildOptions {
    /// Options for a run starting now.
    pub fn now(drafts: bool, dry_run: bool) -> BuildOptions {
        BuildOptions {
            drafts,
            dry_run,
            now: chrono::Local::now().fixed_offset(),
            started: SystemTime::now(),
        }
    }

    fn racy(&self, stamp: Option<FileStamp>) -> bool {
        let Some(stamp) = stamp else { return true };
        let started = FileStamp::nanos(self.started - RACY_WINDOW);
        stamp.mtime_ns >= started
    }
}

/// Supplies the entries of one feed that do not come from article files (merged external
/// feeds), inside the run's transaction so it can use the fetch cache. These entries are
/// dated by the store and kept in the feed's history for its keep window.
pub type Externals<'a> =
    dyn FnMut(&Run<'_>, &FeedDef) -> Result<(Vec<Entry>, Vec<Diagnostic>), StateError> + 'a;

/// An [`Externals`] for builds without external feeds.
pub fn no_externals(_: &Run<'_>, _: &FeedDef) -> Result<(Vec<Entry>, Vec<Diagnostic>), StateError> {
    Ok((Vec::new(), Vec::new()))
}

/// What a build did, or would do, to one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputChange {
    /// Its bytes stay as they are; the file is not touched.
    Unchanged,
    /// New bytes are (or would be) written.
    Written,
}

/// What happened to one feed.
#[derive(Debug, Clone, Default)]
pub struct FeedReport {
    /// The feed's name (its definition file's name without `.toml`).
    pub name: String,
    /// Nothing changed since the last build: nothing was read, emitted or written.
    pub skipped: bool,
    /// Article files found.
    pub articles: usize,
    /// Article files read and parsed this run (new or changed).
    pub parsed: usize,
    /// Entries published.
    pub entries: usize,
    /// Entries new or changed since the last run.
    pub changed_entries: usize,
    /// Each output and what happened to it.
    pub outputs: Vec<(PathBuf, OutputChange)>,
    /// Warnings and errors met on the way.
    pub diagnostics: Vec<Diagnostic>,
}

/// A feed built but not yet published: its outputs wait in temporary files.
#[derive(Debug)]
pub struct FeedBuild {
    /// What happened.
    pub report: FeedReport,
    /// The prepared outputs.
    pub outputs: Vec<Prepared>,
    /// The feed as built; `None` when it was skipped as unchanged. In a feed that merges
    /// nothing, an entry whose text was copied from the earlier outputs holds only its id,
    /// title, dates and authors (see the `build::reuse` module).
    pub feed: Option<Feed>,
}

/// Builds one feed inside `run`: skips it when its fingerprint is unchanged, else reads
/// what changed, dates the entries, merges `extra` entries (from external feeds) with the
/// history, and prepares every output. Nothing is installed; see [`FeedBuild`].
pub fn build_feed(
    run: &Run<'_>,
    def: &FeedDef,
    extra: Vec<Entry>,
    options: &BuildOptions,
) -> Result<FeedBuild, StateError> {
    let mut report = FeedReport {
        name: def.name.clone(),
        ..FeedReport::default()
    };
    let settings = def.settings(options.drafts);
    let specs: Vec<(SourceSpec, MapOptions)> = (def.source_specs().into_iter())
        .map(|s| {
            let map = settings.map_options(s.link_template.clone());
            (s, map)
        })
        .collect();
    let found = discover_all(&specs, &mut report);
    let inputs = inputs_fingerprint(def, &found, &extra, options);
    let current = output_stamps(def);
    let fingerprint = full_fingerprint(&inputs, &current);
    if run.fingerprint(&def.name, options.now)?.as_deref() == Some(fingerprint.as_slice()) {
        report.skipped = true;
        report.outputs = (def.outputs.iter())
            .map(|o| (o.path.clone(), OutputChange::Unchanged))
            .collect();
        return Ok(FeedBuild {
            report,
            outputs: Vec::new(),
            feed: None,
        });
    }
    let context = cache_context(def, options);
    let merging =
        !def.merge.is_empty() || !extra.is_empty() || run.oldest_history(&def.name)?.is_some();
    let earlier = match options.dry_run {
        true => (def.outputs.iter()).map(|_| None).collect(),
        false => reuse::earlier_outputs(run, def, &current)?,
    };
    // Entries can stay hollow only if every output can give their text back.
    let hollow_ok = !merging && !earlier.is_empty() && earlier.iter().all(Option::is_some);
    let cache = CacheUse {
        context: &context,
        root: &def.root,
        keep_bodies: merging,
        hollow_ok,
    };
    let (mut entries, pending) = read_articles(run, &specs, &found, options, cache, &mut report)?;
    tracing::debug!(
        articles = entries.len(),
        parsed = report.parsed,
        "articles read"
    );
    let (changed, seen) = run.date_entries(&def.name, &mut entries, options.now)?;
    report.changed_entries = changed;
    let reread = reuse::rereader(&specs, &found, &def.root, options.drafts);
    // A feed of local entries only keeps each entry's hash beside it; a merge may drop or
    // replace entries, so a merged feed's entries are hashed afresh.
    let (feed, locals) = if merging {
        let entries: Vec<Entry> = entries.into_iter().map(|(e, _)| e).collect();
        let entries = merge_externals(run, def, extra, options, entries, &mut report)?;
        (assemble(&settings, entries, &mut report.diagnostics), None)
    } else {
        let (feed, locals) = assemble_tagged(&settings, entries, &mut report.diagnostics);
        (feed, Some(locals))
    };
    report.entries = feed.entries.len();
    tracing::debug!(entries = feed.entries.len(), "feed assembled");
    let parts = reuse::feed_parts(&feed, locals, def, &earlier, &reread);
    let parts = match parts {
        Ok(parts) => parts,
        Err(d) => {
            // The feed fails this run, its outputs untouched; the next run builds it.
            report.diagnostics.push(d);
            run.set_fingerprint(&def.name, None, None)?;
            return Ok(FeedBuild {
                report,
                outputs: Vec::new(),
                feed: None,
            });
        }
    };
    // Emitting (CPU) and caching the new articles (SQLite, this thread) overlap.
    let (emitted, stored) = std::thread::scope(|scope| {
        let emitting = scope.spawn(|| {
            let mut emitted = FeedReport::default();
            let outputs = prepare_outputs(&parts, def, earlier, options, &mut emitted);
            (outputs, emitted)
        });
        let stored = (run.store_seen(&def.name, seen, options.now))
            .and_then(|()| store_pending(run, &context, pending));
        tracing::debug!("new articles cached");
        let emitted = emitting
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (emitted, stored)
    });
    stored?;
    let (emitted_outputs, emitted) = emitted;
    report.outputs.extend(emitted.outputs);
    report.diagnostics.extend(emitted.diagnostics);
    let mut outputs = Vec::with_capacity(emitted_outputs.len());
    for (path, prepared, index) in emitted_outputs {
        if !options.dry_run {
            let written = prepared.stamp().zip(index.as_ref());
            run.set_output_parts(&state_key(&def.root, &path), written)?;
        }
        outputs.push(prepared);
    }
    store_fingerprint(run, def, &inputs, &found, &outputs, options, &report)?;
    Ok(FeedBuild {
        report,
        outputs,
        feed: Some(feed),
    })
}

/// Every article file of every source, with the index of its source.
fn discover_all(
    specs: &[(SourceSpec, MapOptions)],
    report: &mut FeedReport,
) -> Vec<(usize, Found)> {
    let mut found = Vec::new();
    for (i, (spec, _)) in specs.iter().enumerate() {
        match discover(&spec.pattern) {
            Ok(files) => found.extend(files.into_iter().map(|f| (i, f))),
            Err(d) => report.diagnostics.push(d),
        }
    }
    report.articles = found.len();
    found
}

/// Stores the feed's fingerprint with the stamps its outputs will have once installed, or
/// forgets it when it cannot be trusted: an input modified just now, an error (a failing
/// feed is retried on every run), or an output that could not be prepared.
fn store_fingerprint(
    run: &Run<'_>,
    def: &FeedDef,
    inputs: &blake3::Hash,
    found: &[(usize, Found)],
    outputs: &[Prepared],
    options: &BuildOptions,
    report: &FeedReport,
) -> Result<(), StateError> {
    let racy = found.iter().any(|(_, f)| options.racy(f.stamp));
    let failed = (report.diagnostics.iter()).any(|d| d.severity == Severity::Error);
    let stamps: Vec<Option<FileStamp>> = outputs.iter().map(Prepared::stamp).collect();
    let store = !racy && !failed && stamps.len() == def.outputs.len();
    let fingerprint = store.then(|| full_fingerprint(inputs, &stamps));
    let valid_until = fingerprint_expiry(run, def, options)?;
    run.set_fingerprint(&def.name, fingerprint.as_deref(), Some(valid_until))
}

/// The article cache context of a feed: its name, its definition and the flags that shape
/// a parse, so a changed definition re-reads every article once.
pub(super) fn cache_context(def: &FeedDef, options: &BuildOptions) -> String {
    let digest: String = def.digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}\n{digest}\ndrafts={}", def.name, options.drafts)
}

enum Outcome {
    /// A cached entry, its hash, the stamp it was cached with (`None`: the file's bytes
    /// matched), and whether it was loaded without its summary and content.
    Cached(Entry, ContentHash, Option<FileStamp>, bool),
    /// A parsed entry with its cache row prepared (serialised and hashed in the worker).
    Parsed(
        Option<(Entry, PreparedArticle)>,
        Vec<Diagnostic>,
        ContentHash,
    ),
    Failed(Diagnostic),
}

/// The entries of the feed's article files, each with its content hash: cached ones for
/// unchanged files, freshly parsed ones for the others (then cached).
fn read_articles(
    run: &Run<'_>,
    specs: &[(SourceSpec, MapOptions)],
    found: &[(usize, Found)],
    options: &BuildOptions,
    cache: CacheUse<'_>,
    report: &mut FeedReport,
) -> Result<ReadArticles, StateError> {
    let (context, root) = (cache.context, cache.root);
    let mut rows = run.cached_articles(context, cache.keep_bodies)?;
    let keys: Vec<PathBuf> = found
        .iter()
        .map(|(_, f)| state_key(root, &f.path))
        .collect();
    let cached: Vec<Option<CachedArticle>> = (keys.iter())
        .map(|key| rows.remove(key.to_string_lossy().as_ref()))
        .collect();
    for gone in rows.keys() {
        run.forget_article(std::path::Path::new(gone), context)?;
    }
    drop(rows);
    // Each worker owns its cached row, so the rows are decoded and freed in parallel.
    let outcomes: Vec<Outcome> = (found.par_iter())
        .zip(cached.into_par_iter())
        .map(|((i, f), cached)| {
            let (spec, map) = &specs[*i];
            read_article(f, spec, map, options.drafts, cache, cached)
        })
        .collect();
    let mut entries = Vec::with_capacity(found.len());
    let mut pending = Vec::new();
    for (((_, f), key), outcome) in found.iter().zip(keys).zip(outcomes) {
        let stamp = f
            .stamp
            .filter(|s| !options.racy(Some(*s)))
            .unwrap_or(FileStamp::UNTRUSTED);
        match outcome {
            Outcome::Cached(entry, hash, old, is_hollow) => {
                if old != Some(stamp) {
                    run.restamp_article(&key, context, stamp)?;
                }
                let hollow = is_hollow.then(|| key.to_string_lossy().into_owned());
                entries.push((entry, Local { hash, hollow }));
            }
            Outcome::Parsed(entry, diags, file_hash) => {
                report.parsed += 1;
                report.diagnostics.extend(diags);
                if let Some((entry, prepared)) = entry {
                    let hash = prepared.entry_hash;
                    entries.push((entry, Local { hash, hollow: None }));
                    pending.push(PendingArticle {
                        path: key,
                        stamp,
                        file_hash,
                        prepared,
                    });
                }
            }
            Outcome::Failed(d) => report.diagnostics.push(d),
        }
    }
    Ok((entries, pending))
}

/// The entries of a feed's article files, each with its content hash and (when loaded
/// hollow) its cache key, and the freshly parsed articles still to be cached.
type ReadArticles = (Vec<(Entry, Local)>, Vec<PendingArticle>);

/// A freshly parsed article waiting to be cached.
struct PendingArticle {
    path: std::path::PathBuf,
    stamp: FileStamp,
    file_hash: ContentHash,
    prepared: PreparedArticle,
}

/// Caches freshly parsed articles in the state.
fn store_pending(
    run: &Run<'_>,
    context: &str,
    pending: Vec<PendingArticle>,
) -> Result<(), StateError> {
    for p in pending {
        run.store_prepared_article(&p.path, context, p.stamp, &p.file_hash, &p.prepared)?;
    }
    Ok(())
}

/// How the state names a file of a feed: by its path relative to the project `root`, so
/// that the same project reached another way (a relative or an absolute `--feeds`) finds
/// what it cached.
pub(super) fn state_key(root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// How one build treats the article cache.
#[derive(Debug, Clone, Copy)]
struct CacheUse<'a> {
    /// The cache context (see [`cache_context`]).
    context: &'a str,
    /// The project root, which cache keys are relative to (see [`state_key`]).
    root: &'a Path,
    /// Whether new rows keep the entries' summary and content (feeds that merge need
    /// whole entries on every run; the others reread a file in the rare case they do).
    keep_bodies: bool,
    /// Whether cached entries may stay without their summary and content.
    hollow_ok: bool,
}

fn read_article(
    found: &Found,
    spec: &SourceSpec,
    map: &MapOptions,
    drafts: bool,
    cache: CacheUse<'_>,
    cached: Option<CachedArticle>,
) -> Outcome {
    let cached = cached.as_ref();
    let decode = |c: &CachedArticle| {
        // A hollow row serves only where hollow entries do, and only with its stored hash.
        if c.is_hollow() && (!cache.hollow_ok || c.entry_hash.is_none()) {
            return None;
        }
        let entry = c.entry().ok()?;
        let hash = c.entry_hash.unwrap_or_else(|| ContentHash::of(&entry));
        Some(Outcome::Cached(entry, hash, Some(c.stamp), c.is_hollow()))
    };
    if let Some(c) = cached
        && found.stamp == Some(c.stamp)
        && let Some(outcome) = decode(c)
    {
        return outcome;
    }
    let bytes = match std::fs::read(&found.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let reason = format!("cannot read: {e}");
            return Outcome::Failed(Diagnostic::warning(found.path.display(), None, reason));
        }
    };
    let file_hash = ContentHash::of_bytes(&bytes);
    if let Some(c) = cached
        && c.file_hash == file_hash
        && let Some(Outcome::Cached(entry, hash, _, hollow)) = decode(c)
    {
        return Outcome::Cached(entry, hash, None, hollow);
    }
    let (entry, diags) = read_bytes(found, &bytes, spec, map, drafts);
    let entry = entry.map(|e| {
        let prepared = match cache.keep_bodies {
            true => PreparedArticle::of(&e),
            false => PreparedArticle::hollow(&e),
        };
        (e, prepared)
    });
    Outcome::Parsed(entry, diags, file_hash)
}

/// Hashes everything a feed's build reads, outputs aside.
fn inputs_fingerprint(
    def: &FeedDef,
    found: &[(usize, Found)],
    extra: &[Entry],
    options: &BuildOptions,
) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(concat!("feedloom ", env!("CARGO_PKG_VERSION"), "\n").as_bytes());
    h.update(&def.digest);
    h.update(def.file.as_os_str().as_encoded_bytes());
    h.update(&[u8::from(options.drafts)]);
    for (i, f) in found {
        h.update(&(*i as u64).to_le_bytes());
        h.update(f.path.as_os_str().as_encoded_bytes());
        h.update(&[0]);
        stamp_bytes(&mut h, f.stamp);
    }
    h.update(b"\nexternal\n");
    for e in extra {
        h.update(e.id.as_bytes());
        h.update(&[0]);
        h.update(&ContentHash::of(e).0);
        let dates = format!("{:?} {:?}", e.published, e.updated);
        h.update(dates.as_bytes());
    }
    h.finalize()
}

fn stamp_bytes(h: &mut blake3::Hasher, stamp: Option<FileStamp>) {
    match stamp {
        Some(s) => {
            h.update(&[1]);
            h.update(&s.size.to_le_bytes());
            h.update(&s.mtime_ns.to_le_bytes());
        }
        None => {
            h.update(&[0]);
        }
    }
}

/// The outputs' stamps as they are on disk now (`None` for a missing file).
fn output_stamps(def: &FeedDef) -> Vec<Option<FileStamp>> {
    (def.outputs.iter())
        .map(|o| {
            std::fs::metadata(&o.path)
                .ok()
                .and_then(|m| FileStamp::from_metadata(&m))
        })
        .collect()
}

fn full_fingerprint(inputs: &blake3::Hash, outputs: &[Option<FileStamp>]) -> Vec<u8> {
    let mut h = blake3::Hasher::new();
    h.update(inputs.as_bytes());
    for stamp in outputs {
        stamp_bytes(&mut h, *stamp);
    }
    h.finalize().as_bytes().to_vec()
}

/// When the fingerprint must be checked by a full build again: within a day, and before the
/// oldest history entry leaves the keep window.
fn fingerprint_expiry(
    run: &Run<'_>,
    def: &FeedDef,
    options: &BuildOptions,
) -> Result<DateTime<FixedOffset>, StateError> {
    let mut until = options.now.timestamp() + FINGERPRINT_LIFETIME_SECS;
    if let (Some(oldest), Some(days)) = (run.oldest_history(&def.name)?, def.keep.days) {
        until = until.min(oldest + i64::from(days) * 86_400);
    }
    let delta = chrono::Duration::seconds(until - options.now.timestamp());
    Ok(options.now + delta)
}

/// Dates the external entries, remembers them in the history, and merges them and the
/// history entries no longer in their source into `local`: a history entry gives way to the
/// fresh copy of the same id, then [`merge::dedupe`] drops the copies of one story (same id,
/// normalised link, or title and date), keeping the one with more content.
fn merge_externals(
    run: &Run<'_>,
    def: &FeedDef,
    extra: Vec<Entry>,
    options: &BuildOptions,
    local: Vec<Entry>,
    report: &mut FeedReport,
) -> Result<Vec<Entry>, StateError> {
    if extra.is_empty() && run.oldest_history(&def.name)?.is_none() {
        return Ok(local);
    }
    let mut extra: Vec<(Entry, ContentHash)> = (extra.into_iter())
        .map(|e| {
            let hash = ContentHash::of(&e);
            (e, hash)
        })
        .collect();
    report.changed_entries += run.resolve_dates_all(&def.name, &mut extra, options.now)?;
    let extra: Vec<Entry> = extra.into_iter().map(|(e, _)| e).collect();
    run.remember_history(&def.name, &extra, def.keep, options.now)?;
    let fresh: HashSet<String> = extra.iter().map(|e| e.id.clone()).collect();
    let gone = (run.history(&def.name, def.keep, options.now)?.into_iter())
        .filter(|e| !fresh.contains(&e.id));
    // Repeated ids among the feed's own articles are reported; copies across sources are
    // the point of deduplication and are not.
    let mut all = unique_ids(local, &mut report.diagnostics);
    all.extend(extra);
    all.extend(gone);
    Ok(merge::dedupe(all))
}

/// An output prepared, with the index of its entries' texts (see [`crate::emit::parts`]).
type PreparedOutput = (PathBuf, Prepared, Option<PartIndex>);

/// What became of one output: what changed, and the prepared file unless a dry run.
type OutputOutcome = Result<(OutputChange, Option<PreparedOutput>), String>;

/// Emits each output and prepares it (or, in a dry run, only compares it with the file).
/// `earlier` holds, per output, the document the last build wrote, if still on disk as it
/// left it: unchanged entries' texts are copied from it. When every output has one, little
/// is written anew and the outputs are prepared side by side; otherwise one at a time, so
/// that only one new document is held in memory.
fn prepare_outputs(
    parts: &FeedParts<'_>,
    def: &FeedDef,
    earlier: Vec<Option<Earlier>>,
    options: &BuildOptions,
    report: &mut FeedReport,
) -> Vec<PreparedOutput> {
    let side_by_side = !earlier.is_empty() && earlier.iter().all(Option::is_some);
    let jobs = def.outputs.iter().zip(earlier);
    let outcomes: Vec<OutputOutcome> = if side_by_side {
        std::thread::scope(|scope| {
            let handles: Vec<_> = jobs
                .map(|(out, earlier)| {
                    scope.spawn(move || prepare_output(parts, out, earlier.as_ref(), options))
                })
                .collect();
            (handles.into_iter())
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    } else {
        // Each output is flushed to disk while the next one is being written in memory.
        std::thread::scope(|scope| {
            let join = |h: std::thread::ScopedJoinHandle<'_, OutputOutcome>| {
                h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
            };
            let mut outcomes = Vec::new();
            let mut flushing = None;
            for (out, earlier) in jobs {
                let written = render_output(parts, out, earlier.as_ref());
                outcomes.extend(flushing.take().map(join));
                flushing = Some(scope.spawn(move || {
                    written.and_then(|w| settle_output(out, w, earlier.as_ref(), options))
                }));
            }
            outcomes.extend(flushing.map(join));
            outcomes
        })
    };
    let mut prepared = Vec::new();
    for (out, outcome) in def.outputs.iter().zip(outcomes) {
        match outcome {
            Ok((change, p)) => {
                prepared.extend(p);
                report.outputs.push((out.path.clone(), change));
            }
            Err(message) => {
                let d = Diagnostic::error(def.file.display(), None, message);
                report.diagnostics.push(d);
            }
        }
    }
    prepared
}

/// Emits one output and prepares it (see [`prepare_outputs`]).
fn prepare_output(
    parts: &FeedParts<'_>,
    out: &OutputDef,
    earlier: Option<&Earlier>,
    options: &BuildOptions,
) -> OutputOutcome {
    let written = render_output(parts, out, earlier)?;
    settle_output(out, written, earlier, options)
}

/// Emits one output in memory.
fn render_output(
    parts: &FeedParts<'_>,
    out: &OutputDef,
    earlier: Option<&Earlier>,
) -> Result<Written, String> {
    let written = (parts.write(out.format, out.url.as_ref(), earlier))
        .map_err(|e| format!("{}: {e}", out.path.display()))?;
    tracing::debug!(
        output = %out.path.display(),
        entries = written.index.len(),
        reused = written.reused,
        "emitted"
    );
    Ok(written)
}

/// Prepares an emitted output (or, in a dry run, compares it with the file).
fn settle_output(
    out: &OutputDef,
    written: Written,
    earlier: Option<&Earlier>,
    options: &BuildOptions,
) -> OutputOutcome {
    if options.dry_run {
        let same = (std::fs::read(&out.path).ok())
            .is_some_and(|old| written.document.to_bytes(None).is_ok_and(|new| new == old));
        let change = match same {
            true => OutputChange::Unchanged,
            false => OutputChange::Written,
        };
        return Ok((change, None));
    }
    let prepared = output::prepare_document(&out.path, &written.document, earlier)
        .map_err(|e| e.to_string())?;
    let change = match prepared {
        Prepared::Unchanged(_) => OutputChange::Unchanged,
        Prepared::Pending(_) => OutputChange::Written,
    };
    Ok((
        change,
        Some((out.path.clone(), prepared, Some(written.index))),
    ))
}
