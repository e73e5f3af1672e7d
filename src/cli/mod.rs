//! The commands of the binary, one module each, and what they share: the diagnostics
//! reporter, exit statuses carried by errors, and writing a result to a file or stdout.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use feedloom::diagnostic::{Diagnostic, Severity};
use feedloom::exit::ExitStatus;

pub(crate) mod build;
pub(crate) mod convert;
pub(crate) mod extras;
pub(crate) mod fetch;
mod fetch_status;
pub(crate) mod init;
pub(crate) mod merge;
pub(crate) mod opml;
pub(crate) mod serve;
pub(crate) mod validate;

/// An error that carries the exit status it should end the run with, and its message.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    /// The exit status.
    pub(crate) status: ExitStatus,
    /// What went wrong (its own sentence: the exit code is the process's, not the text's).
    message: String,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Status {}

impl Status {
    /// An exit status alone: the run has printed what it had to say.
    pub(crate) fn silent(status: ExitStatus) -> Status {
        Status {
            status,
            message: String::new(),
        }
    }
}

/// `message` as an error that ends the run with `status`.
pub(crate) fn fail_with(status: ExitStatus, message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Status {
        status,
        message: message.to_string(),
    })
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

/// Where one feed goes and in which format: the flags `convert` and `merge` share.
#[derive(Debug, clap::Args)]
pub(crate) struct FeedOutput {
    /// Output format.
    #[arg(long, default_value = "rss")]
    pub(crate) format: feedloom::emit::Format,
    /// Write to this file (atomically, only when its bytes change) instead of stdout.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
}

/// Prints `bytes` on stdout, unless they went to a file.
pub(crate) fn print_document(output: &FeedOutput, bytes: &[u8]) -> anyhow::Result<()> {
    if output.output.is_none() {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes).context("cannot write to stdout")?;
    }
    Ok(())
}

/// The run's time, read once here at the edge and passed to the library: the clock, or
/// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) when set.
pub(crate) fn now() -> anyhow::Result<DateTime<Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => (text.trim().parse::<i64>().ok())
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .ok_or_else(|| {
                fail_with(
                    ExitStatus::Usage,
                    format!("SOURCE_DATE_EPOCH={text:?} is not a number of seconds"),
                )
            }),
        Err(_) => Ok(Utc::now()),
    }
}
