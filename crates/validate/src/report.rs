//! The result of a validation: the feed format and the problems found.

use serde::Serialize;

/// Severity of a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Level {
    /// The feed breaks a rule of its format.
    Error,
    /// The feed is valid, but something is likely to cause trouble.
    Warning,
    /// An informational notice or success event of the W3C validator;
    /// only reported when [`crate::Options::notices`] is set.
    Notice,
}

/// The kind of feed found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Format {
    /// RSS 0.90 (RDF, Netscape namespace).
    Rss090,
    /// RSS 0.91.
    Rss091,
    /// RSS 0.92 (and other 0.9x versions).
    Rss092,
    /// RSS 1.0 (RDF).
    Rss10,
    /// RSS 2.0.
    Rss20,
    /// Atom 1.0 feed or entry document.
    Atom10,
    /// JSON Feed 1.1.
    JsonFeed11,
    /// Not recognised as a feed.
    Unknown,
}

impl Format {
    /// A display name such as `RSS 2.0` or `Atom 1.0`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Rss090 => "RSS 0.90 (RDF)",
            Format::Rss091 => "RSS 0.91",
            Format::Rss092 => "RSS 0.92",
            Format::Rss10 => "RSS 1.0 (RDF)",
            Format::Rss20 => "RSS 2.0",
            Format::Atom10 => "Atom 1.0",
            Format::JsonFeed11 => "JSON Feed 1.1",
            Format::Unknown => "unknown",
        }
    }
}

/// One problem found in a feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Problem {
    /// 1-based line of the element the problem is about (or of the error itself).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Error or warning.
    pub level: Level,
    /// The W3C validator's message class, e.g. `MissingDescription`
    /// (`Json*` names for JSON Feed rules).
    pub class: &'static str,
    /// Element concerned, as `prefix:name` (empty when none applies).
    pub element: String,
    /// Its parent element, as `prefix:name` (empty when none applies).
    pub parent: String,
    /// English message.
    pub message: String,
    /// One line on what to do about it.
    pub help: &'static str,
    #[serde(skip)]
    pub(crate) params: Vec<(&'static str, String)>,
}

impl Problem {
    /// Whether the problem's class is `class` or one of its subclasses in the
    /// W3C validator's hierarchy (e.g. `InvalidRFC2822Date` is an `InvalidValue`,
    /// which is an `Error`; every error and warning is a `Message`).
    pub fn is_a(&self, class: &str) -> bool {
        match crate::classes::C::by_name(self.class) {
            Some(c) => crate::classes::C::by_name(class).is_some_and(|o| c.is_a(o)),
            None => {
                self.class == class
                    || (class == "Message" && self.level != Level::Notice)
                    || (class == "Error" && self.level == Level::Error)
                    || (class == "Warning" && self.level == Level::Warning)
            }
        }
    }

    /// A parameter of the W3C message as the validator names it (`element`,
    /// `parent`, `attr`, `value`, `tag`, ...), in the validator's own form.
    pub fn param(&self, key: &str) -> Option<&str> {
        match key {
            "line" | "column" => None,
            _ => self
                .params
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.as_str()),
        }
    }
}

/// The outcome of [`crate::validate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The format found.
    pub format: Format,
    /// Problems, in document order.
    pub problems: Vec<Problem>,
}

impl Report {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.level == Level::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.level == Level::Warning)
    }
}
