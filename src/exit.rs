//! The command line's exit codes, so cron jobs and scripts can tell outcomes apart.
//!
//! | code | meaning |
//! |-----:|---------|
//! | 0 | every feed was built (warnings, if any, were printed) |
//! | 1 | some feed failed: a missing source, an unwritable output, or the state; every other feed was still built and written (`merge`: no source gave any entry) |
//! | 2 | usage or configuration error: bad flags (clap's own code) or a bad feed definition; nothing was built |
//! | 3 | another run holds the state lock; nothing was done (safe to ignore from cron) |
//! | 4 | `--strict` only: every feed was built, but there were warnings |
//!
//! An external feed that cannot be fetched or read is a warning, not a failure: the feed is
//! built from its last good copy (when one is stored) and the other sources.

use std::process::ExitCode;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lock::LockError;

/// How a run ended, as an exit code. See the module docs for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ExitStatus {
    /// 0: everything was built.
    Success = 0,
    /// 1: some part failed; the rest was built.
    Failure = 1,
    /// 2: bad flags or feed definitions; nothing was built.
    Usage = 2,
    /// 3: another run holds the lock; nothing was done.
    Busy = 3,
    /// 4: built, but with warnings, and `--strict` was given.
    Warnings = 4,
}

impl ExitStatus {
    /// The status of a run that got as far as building, from the diagnostics it reported:
    /// any error gives [`ExitStatus::Failure`]; warnings give [`ExitStatus::Warnings`] when
    /// `strict`, else [`ExitStatus::Success`].
    pub fn from_diagnostics<'a>(
        diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
        strict: bool,
    ) -> ExitStatus {
        let worst = diagnostics.into_iter().map(|d| d.severity).max();
        match worst {
            Some(Severity::Error) => ExitStatus::Failure,
            Some(Severity::Warning) if strict => ExitStatus::Warnings,
            _ => ExitStatus::Success,
        }
    }

    /// The status of a run that could not take the state lock: [`ExitStatus::Busy`] when
    /// another run holds it, [`ExitStatus::Failure`] when locking itself failed.
    pub fn from_lock_error(error: &LockError) -> ExitStatus {
        match error {
            LockError::Busy { .. } | LockError::FeedBusy { .. } => ExitStatus::Busy,
            _ => ExitStatus::Failure,
        }
    }

    /// The numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_map_to_the_documented_codes() {
        let warn = Diagnostic::warning("a.txt", Some(1), "odd date");
        let err = Diagnostic::error("b.txt", None, "unreadable");
        let table: [(&[Diagnostic], bool, u8); 6] = [
            (&[], false, 0),
            (&[], true, 0),
            (std::slice::from_ref(&warn), false, 0),
            (std::slice::from_ref(&warn), true, 4),
            (&[warn.clone(), err.clone()], false, 1),
            (&[warn.clone(), err.clone()], true, 1),
        ];
        for (diagnostics, strict, code) in table {
            assert_eq!(
                ExitStatus::from_diagnostics(diagnostics, strict).code(),
                code,
                "{diagnostics:?} strict={strict}"
            );
        }
    }
}
