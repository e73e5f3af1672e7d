//! The commands of the binary, one module each, and what they share: the diagnostics
//! reporter, exit statuses carried by errors, and writing a result to a file or stdout.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use feedloom::diagnostic::{Diagnostic, Severity};
use feedloom::exit::ExitStatus;

pub(crate) mod build;
pub(crate) mod convert;
pub(crate) mod merge;
pub(crate) mod opml;

/// An error that carries the exit status it should end the run with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Status(pub(crate) ExitStatus);

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit code {}", self.0.code())
    }
}

impl std::error::Error for Status {}

/// `message` as an error that ends the run with `status`.
pub(crate) fn fail_with(status: ExitStatus, message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Status(status)).context(message.to_string())
}

/// Prints diagnostics on stderr (warnings unless quiet) and counts them for the exit code.
pub(crate) struct Reporter {
    quiet: bool,
    warnings: usize,
    errors: usize,
}

impl Reporter {
    pub(crate) fn new(quiet: bool) -> Reporter {
        Reporter {
            quiet,
            warnings: 0,
            errors: 0,
        }
    }

    pub(crate) fn report<'a>(&mut self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
        let mut stderr = std::io::stderr().lock();
        for d in diagnostics {
            match d.severity {
                Severity::Warning => self.warnings += 1,
                Severity::Error => self.errors += 1,
            }
            if !self.quiet || d.severity == Severity::Error {
                let _ = writeln!(stderr, "{d}");
            }
        }
    }

    /// The exit status of a command that ran to its end, from what was reported.
    pub(crate) fn status(&self, strict: bool) -> ExitStatus {
        if self.errors > 0 {
            ExitStatus::Failure
        } else if strict && self.warnings > 0 {
            ExitStatus::Warnings
        } else {
            ExitStatus::Success
        }
    }
}

/// Writes `bytes` to `output` (atomically, and only if they changed) or to stdout.
/// Where one feed goes and in which format: the flags `convert` and `merge` share.
#[derive(Debug, clap::Args)]
pub(crate) struct FeedOutput {
    /// Output format.
    #[arg(long, default_value = "rss")]
    format: feedloom::emit::Format,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<std::path::PathBuf>,
}

impl FeedOutput {
    /// Emits `feed` in the chosen format and writes it to the chosen place.
    pub(crate) fn write(&self, feed: &feedloom::model::Feed) -> anyhow::Result<()> {
        let bytes = feedloom::emit::write(feed, self.format)?;
        write_result(self.output.as_deref(), &bytes)
    }
}

pub(crate) fn write_result(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            feedloom::output::write_if_changed(path, bytes)?;
        }
        None => std::io::stdout()
            .lock()
            .write_all(bytes)
            .context("cannot write to stdout")?,
    }
    Ok(())
}
