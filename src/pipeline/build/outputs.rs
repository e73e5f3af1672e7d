//! Emitting a feed's outputs, each with its own self link, into temporary files beside them
//! (or, in a dry run, only comparing them with the files), and the companion page after
//! them. An output whose bytes would not
//! change is left untouched. Each output is written to disk while the next is emitted.

use std::path::{Path, PathBuf};
use std::thread::ScopedJoinHandle;

use super::OutputChange;
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::emit;
use crate::emit::html::{PAGE_ENTRIES, Page, Subscription, write_page};
use crate::error::WriteError;
use crate::model::Feed;
use crate::output::{self, Prepared};
use crate::pipeline::pause;
use crate::pipeline::validate::{Problem, validate_bytes};
use url::Url;

/// What emitting a feed's outputs gave.
pub(super) struct Emitted {
    /// The outputs prepared (none in a dry run).
    pub prepared: Vec<Prepared>,
    /// Each output and whether it changes.
    pub changes: Vec<(PathBuf, OutputChange)>,
    /// Outputs that could not be emitted or written, as errors of the feed.
    pub diagnostics: Vec<Diagnostic>,
}

/// What became of one output: whether it changes, the prepared file unless a dry run, and
/// the warnings the validator had about it.
type Settled = Result<(OutputChange, Option<Prepared>, Vec<String>), OutputError>;

/// How outputs are prepared.
#[derive(Debug, Clone, Copy)]
pub(super) struct Preparing {
    /// Compare only: write nothing.
    pub dry_run: bool,
    /// Check each output against the W3C rules first; one with an error is not installed.
    pub validate: bool,
}

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
    /// The document breaks the W3C rules: it is not installed, the last good one stays.
    #[error("{}: not installed, it breaks the feed rules: {}", path.display(), problems.join("; "))]
    Invalid {
        /// The output.
        path: PathBuf,
        /// Each error, with its line.
        problems: Vec<String>,
    },
}

/// Emits every output of `def` from `feed` and prepares it, the companion page last.
pub(super) fn prepare_all(feed: &Feed, def: &FeedDef, how: Preparing) -> Emitted {
    let settled: Vec<Settled> = std::thread::scope(|scope| {
        let join = |h: ScopedJoinHandle<'_, Settled>| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let mut settled = Vec::with_capacity(def.outputs.len() + 1);
        let mut writing = None;
        for out in &def.outputs {
            let bytes = emit::write_at(feed, out.format, out.url.as_ref());
            settled.extend(writing.take().map(join));
            writing = Some(scope.spawn(move || settle(&out.path, out.url.as_ref(), bytes, how)));
        }
        if let Some(page) = &def.page {
            let bytes = page_bytes(feed, def);
            let how = Preparing {
                validate: false,
                ..how
            };
            settled.extend(writing.take().map(join));
            settled.push(settle(&page.path, page.url.as_ref(), Ok(bytes), how));
        }
        settled.extend(writing.map(join));
        settled
    });
    let mut emitted = Emitted {
        prepared: Vec::new(),
        changes: Vec::new(),
        diagnostics: Vec::new(),
    };
    for ((path, _), outcome) in def.files().zip(settled) {
        match outcome {
            Ok((change, prepared, warnings)) => {
                emitted.prepared.extend(prepared);
                emitted.changes.push((path.clone(), change));
                let warn = |w| Diagnostic::warning(path.display(), None, w);
                emitted.diagnostics.extend(warnings.into_iter().map(warn));
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

/// The companion page of `feed`: its newest entries, and a subscription per output.
fn page_bytes(feed: &Feed, def: &FeedDef) -> Vec<u8> {
    let subscriptions: Vec<Subscription> = (def.outputs.iter())
        .map(|o| Subscription {
            format: o.format,
            url: o.url.clone(),
            file_name: (o.path.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
        .collect();
    write_page(&Page {
        feed,
        timezone: def.timezone,
        subscriptions: &subscriptions,
        entries: PAGE_ENTRIES,
    })
}

/// Prepares one emitted output at `path` (or, in a dry run, compares it with the file),
/// after checking it against the W3C rules as published at `url` when asked to.
fn settle(
    path: &Path,
    url: Option<&Url>,
    bytes: Result<Vec<u8>, emit::EmitError>,
    how: Preparing,
) -> Settled {
    let bytes = bytes.map_err(|source| OutputError::Emit {
        path: path.to_path_buf(),
        source,
    })?;
    let warnings = match how.validate {
        true => check(path, url, &bytes)?,
        false => Vec::new(),
    };
    if how.dry_run {
        let same = std::fs::read(path).is_ok_and(|old| old == bytes);
        let change = if same {
            OutputChange::Unchanged
        } else {
            OutputChange::Written
        };
        return Ok((change, None, warnings));
    }
    let prepared = output::prepare(path, &bytes)?;
    let change = match prepared {
        Prepared::Unchanged(_) => OutputChange::Unchanged,
        Prepared::Pending(_) => OutputChange::Written,
    };
    Ok((change, Some(prepared), warnings))
}

/// The W3C rules on an output: its warnings, or an error listing its errors.
fn check(path: &Path, url: Option<&Url>, bytes: &[u8]) -> Result<Vec<String>, OutputError> {
    let report = validate_bytes(bytes, url.map(Url::as_str));
    let line = |p: &Problem| format!("line {}: {} [{}]", p.line, p.message, p.class);
    let problems: Vec<String> = report.errors().map(line).collect();
    if !problems.is_empty() {
        let path = path.to_path_buf();
        return Err(OutputError::Invalid { path, problems });
    }
    Ok(report.warnings().map(line).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;

    #[test]
    fn an_output_that_breaks_the_rules_is_not_installed_and_the_last_good_one_stays() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "title = \"T\"\nlink = \"https://e.example/\"\nbase_url = \"https://e.example/\"\n\
                    [[source]]\npath = \"a\"\n[output]\nrss = \"public/t.xml\"\n";
        let def = crate::config::parse(text, std::path::Path::new("feeds/t.toml"), dir.path())
            .expect("definition");
        let path = dir.path().join("public/t.xml");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "the last good feed").expect("write");
        let mut feed = Feed {
            title: "T".into(),
            home_page_url: def.link.clone(),
            entries: vec![Entry {
                id: "https://e.example/1".into(),
                title: "One".into(),
                ..Entry::default()
            }],
            ..Feed::default()
        };
        let how = Preparing {
            dry_run: false,
            validate: true,
        };
        let good = prepare_all(&feed, &def, how);
        assert!(good.diagnostics.is_empty(), "{:?}", good.diagnostics);
        assert_eq!(good.prepared.len(), 1);
        drop(good);
        // Only a library caller can get here: definitions refuse such a language.
        feed.language = Some("english please".into());
        let bad = prepare_all(&feed, &def, how);
        assert!(bad.prepared.is_empty());
        let message = bad.diagnostics[0].to_string();
        assert!(message.starts_with("error: feeds/t.toml: "), "{message}");
        assert!(
            message.contains("not installed") && message.contains("[InvalidLanguage]"),
            "{message}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "the last good feed"
        );
    }
}
