//! Diagnostics: problems that do not stop a build, reported with where they came from.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was skipped or guessed; the output is still complete otherwise.
    Warning,
    /// Something could not be produced at all (an article, a feed).
    Error,
}

/// A problem tied to a file or URL, and a line when one applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file path or URL the problem is in.
    pub origin: String,
    /// 1-based line, when the problem sits on one.
    pub line: Option<usize>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Diagnostic {
    /// A warning about `origin`.
    pub fn warning(
        origin: impl fmt::Display,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            origin: origin.to_string(),
            line,
            message: message.into(),
        }
    }

    /// An error about `origin`.
    pub fn error(
        origin: impl fmt::Display,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..Diagnostic::warning(origin, line, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        let origin = sanitize_terminal(&self.origin);
        let message = sanitize_terminal(&self.message);
        match self.line {
            Some(line) => write!(f, "{level}: {origin}:{line}: {message}"),
            None => write!(f, "{level}: {origin}: {message}"),
        }
    }
}

/// Replaces control characters (escape sequences included) so that untrusted text cannot
/// drive the terminal it is printed on.
pub fn sanitize_terminal(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_reason_without_control_characters() {
        let d = Diagnostic::warning("samples/a.txt", Some(3), "bad date \u{1b}[31mred");
        assert_eq!(
            d.to_string(),
            "warning: samples/a.txt:3: bad date \u{fffd}[31mred"
        );
        let d = Diagnostic::error("b.txt", None, "empty file");
        assert_eq!(d.to_string(), "error: b.txt: empty file");
    }
}
