//! Emitting a feed's outputs, each with its own self link, into temporary files beside them
//! (or, in a dry run, only comparing them with the files). An output whose bytes would not
//! change is left untouched. Each output is written to disk while the next is emitted.

use std::path::PathBuf;
use std::thread::ScopedJoinHandle;

use super::OutputChange;
use crate::config::{FeedDef, OutputDef};
use crate::diagnostic::Diagnostic;
use crate::emit;
use crate::error::WriteError;
use crate::model::Feed;
use crate::output::{self, Prepared};
use crate::pipeline::pause;

/// What emitting a feed's outputs gave.
pub(super) struct Emitted {
    /// The outputs prepared (none in a dry run).
    pub prepared: Vec<Prepared>,
    /// Each output and whether it changes.
    pub changes: Vec<(PathBuf, OutputChange)>,
    /// Outputs that could not be emitted or written, as errors of the feed.
    pub diagnostics: Vec<Diagnostic>,
}

/// What became of one output: whether it changes, and the prepared file unless a dry run.
type Settled = Result<(OutputChange, Option<Prepared>), OutputError>;

/// Why one output could not be prepared.
#[derive(Debug, thiserror::Error)]
enum OutputError {
    /// The feed could not be serialised.
    #[error("{}: {source}", path.display())]
    Emit {
        /// The output.
        path: PathBuf,
        /// The emitter's reason.
        source: emit::EmitError,
    },
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Emits every output of `def` from `feed` and prepares it.
pub(super) fn prepare_all(feed: &Feed, def: &FeedDef, dry_run: bool) -> Emitted {
    let settled: Vec<Settled> = std::thread::scope(|scope| {
        let join = |h: ScopedJoinHandle<'_, Settled>| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let mut settled = Vec::with_capacity(def.outputs.len());
        let mut writing = None;
        for out in &def.outputs {
            let bytes = emit::write_at(feed, out.format, out.url.as_ref());
            settled.extend(writing.take().map(join));
            writing = Some(scope.spawn(move || settle(out, bytes, dry_run)));
        }
        settled.extend(writing.map(join));
        settled
    });
    let mut emitted = Emitted {
        prepared: Vec::new(),
        changes: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (out, outcome) in def.outputs.iter().zip(settled) {
        match outcome {
            Ok((change, prepared)) => {
                emitted.prepared.extend(prepared);
                emitted.changes.push((out.path.clone(), change));
            }
            Err(e) => {
                let d = Diagnostic::error(def.file.display(), None, e.to_string());
                emitted.diagnostics.push(d);
            }
        }
    }
    pause::point("outputs-prepared");
    emitted
}

/// Prepares one emitted output (or, in a dry run, compares it with the file).
fn settle(out: &OutputDef, bytes: Result<Vec<u8>, emit::EmitError>, dry_run: bool) -> Settled {
    let bytes = bytes.map_err(|source| OutputError::Emit {
        path: out.path.clone(),
        source,
    })?;
    if dry_run {
        let same = std::fs::read(&out.path).is_ok_and(|old| old == bytes);
        let change = if same {
            OutputChange::Unchanged
        } else {
            OutputChange::Written
        };
        return Ok((change, None));
    }
    let prepared = output::prepare(&out.path, &bytes)?;
    let change = match prepared {
        Prepared::Unchanged(_) => OutputChange::Unchanged,
        Prepared::Pending(_) => OutputChange::Written,
    };
    Ok((change, Some(prepared)))
}
