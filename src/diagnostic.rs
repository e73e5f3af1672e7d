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

/// Makes untrusted text safe to print on a terminal: control characters (escape sequences
/// included) and the characters that reorder text on screen (bidirectional embeddings,
/// overrides and isolates, U+202A–U+202E and U+2066–U+2069) are removed; line breaks and
/// tabs stay, and each line after the first is indented by two spaces, so that a message
/// of several lines (a TOML error with its excerpt) reads as one block. Trailing white space
/// goes.
pub fn sanitize_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim_end().chars() {
        match c {
            '\n' => out.push_str("\n  "),
            '\t' => out.push(c),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_reason_without_control_characters() {
        let d = Diagnostic::warning("samples/a.txt", Some(3), "bad date \u{1b}[31mred");
        assert_eq!(d.to_string(), "warning: samples/a.txt:3: bad date [31mred");
        let d = Diagnostic::error("b.txt", None, "empty file");
        assert_eq!(d.to_string(), "error: b.txt: empty file");
    }

    #[test]
    fn keeps_line_breaks_and_tabs_and_drops_what_drives_the_terminal() {
        let rows = [
            (
                "column 1\n  |\n2 | limt = 5",
                "column 1\n    |\n  2 | limt = 5",
            ),
            ("a\tb", "a\tb"),
            ("\u{1b}[2Jcleared\r", "[2Jcleared"),
            ("admin\u{202e}txt.exe", "admintxt.exe"),
            ("\u{2066}isolated\u{2069}", "isolated"),
            ("中文 \u{7f}\u{85}ok", "中文 ok"),
        ];
        for (text, want) in rows {
            assert_eq!(sanitize_terminal(text), want, "{text:?}");
        }
    }
}
