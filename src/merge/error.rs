//! Errors of the merge layer. Each names the URL or file it is about; the fetch and parse
//! errors become warnings in [`collect`](super::collect), never a failed build.

use std::path::PathBuf;

/// Why an external feed, an OPML file or a `[[merge]]` table could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// A `[[merge]]` table is wrong: the definition file, the key and what to do.
    #[error("{}: `{key}`: {reason}", path.display())]
    Config {
        /// The feed definition file.
        path: PathBuf,
        /// The key at fault, such as `merge.include.regex`.
        key: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The feed could not be fetched (DNS, refused, timeout, HTTP status, redirects, size).
    #[error("{url}: {reason}")]
    Fetch {
        /// The feed's URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The feed was fetched but is not a feed we can read.
    #[error("{url}: not a feed: {reason}")]
    Parse {
        /// The feed's URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// An OPML file could not be read or parsed.
    #[error("{}: {reason}", path.display())]
    Opml {
        /// The OPML file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

impl MergeError {
    /// A fetch failure on `url`.
    pub fn fetch(url: impl Into<String>, reason: impl Into<String>) -> Self {
        MergeError::Fetch {
            url: url.into(),
            reason: reason.into(),
        }
    }

    /// A parse failure on `url`.
    pub fn parse(url: impl Into<String>, reason: impl Into<String>) -> Self {
        MergeError::Parse {
            url: url.into(),
            reason: reason.into(),
        }
    }

    /// The reason alone, without the URL or file.
    pub fn reason(&self) -> String {
        match self {
            MergeError::Config { key, reason, .. } => format!("`{key}`: {reason}"),
            MergeError::Fetch { reason, .. } | MergeError::Opml { reason, .. } => reason.clone(),
            MergeError::Parse { reason, .. } => format!("not a feed: {reason}"),
        }
    }
}
