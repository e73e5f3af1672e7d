//! A feed's fingerprint: a hash of everything its build reads (the definition, the feedloom
//! version, `--drafts`, every article file's path, size and modification time, the external
//! entries of this run) and of every output's size and modification time. When it equals the
//! one stored by the last build, the feed is skipped whole.

use std::time::SystemTime;

use chrono::{DateTime, Utc};

use super::articles::racy;
use super::feed::FeedContext;
use super::{BuildOptions, FeedReport};
use crate::config::FeedDef;
use crate::diagnostic::Severity;
use crate::model::{ContentHash, Entry};
use crate::output::{FileStamp, Prepared};
use crate::pipeline::discover::Found;
use crate::state::StateError;

/// A fingerprint is checked by a full build at least this often, so entries still present
/// are marked seen (see [`crate::state::StoreRun::forget_unseen`]) even in a feed whose inputs
/// never change.
const LIFETIME_SECS: i64 = 86_400;

/// The fingerprint of one feed's build.
pub(super) struct Fingerprint {
    /// Everything the build reads, outputs aside.
    inputs: blake3::Hash,
    /// With the outputs as they are on disk now.
    current: Vec<u8>,
}

impl Fingerprint {
    /// The fingerprint of `def`'s build from `found` articles and `extra` external entries.
    pub fn of(
        def: &FeedDef,
        found: &[(usize, Found)],
        extra: &[Entry],
        options: &BuildOptions,
    ) -> Fingerprint {
        let inputs = inputs(def, found, extra, options);
        let current = with_outputs(&inputs, &output_stamps(def));
        Fingerprint { inputs, current }
    }

    /// The fingerprint of the feed as it is now, to compare with the stored one.
    pub fn current(&self) -> &[u8] {
        &self.current
    }

    /// Stores the fingerprint with the stamps the `outputs` will have once installed, or
    /// forgets it when it cannot be trusted: an input modified just now, an error (a failing
    /// feed is retried on every run), or an output that could not be prepared.
    pub fn store(
        &self,
        ctx: &FeedContext<'_>,
        found: &[(usize, Found)],
        outputs: &[Prepared],
        report: &FeedReport,
    ) -> Result<(), StateError> {
        let now = SystemTime::from(ctx.options.now);
        let racy = found.iter().any(|(_, f)| racy(f.stamp, now));
        let failed = (report.diagnostics.iter()).any(|d| d.severity == Severity::Error);
        let stamps: Vec<Option<FileStamp>> = outputs.iter().map(Prepared::stamp).collect();
        let trusted = !racy && !failed && stamps.len() == ctx.def.files().count();
        let fingerprint = trusted.then(|| with_outputs(&self.inputs, &stamps));
        let valid_until = expiry(ctx)?;
        (ctx.run).set_fingerprint(&ctx.def.name, fingerprint.as_deref(), Some(valid_until))
    }
}

/// Hashes everything a feed's build reads, outputs aside.
fn inputs(
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
        crate::model::hash_date(&mut h, e.published);
        crate::model::hash_date(&mut h, e.updated);
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
    (def.files())
        .map(|(path, _)| (std::fs::metadata(path).ok()).and_then(|m| FileStamp::from_metadata(&m)))
        .collect()
}

fn with_outputs(inputs: &blake3::Hash, outputs: &[Option<FileStamp>]) -> Vec<u8> {
    let mut h = blake3::Hasher::new();
    h.update(inputs.as_bytes());
    for stamp in outputs {
        stamp_bytes(&mut h, *stamp);
    }
    h.finalize().as_bytes().to_vec()
}

/// When the fingerprint must be checked by a full build again: within a day, and before the
/// oldest history entry leaves the keep window.
fn expiry(ctx: &FeedContext<'_>) -> Result<DateTime<Utc>, StateError> {
    let now = ctx.options.now.timestamp();
    let mut until = now + LIFETIME_SECS;
    if let (Some(oldest), Some(days)) = (ctx.run.oldest_history(&ctx.def.name)?, ctx.def.keep.days)
    {
        until = until.min(oldest.saturating_add(i64::from(days) * 86_400));
    }
    Ok(ctx.options.now + chrono::Duration::seconds(until - now))
}
