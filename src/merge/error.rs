//! Errors of the merge layer. Each names the URL or file it is about; the fetch and parse
//! errors become warnings in [`collect`](super::collect), never a failed build.

use std::path::PathBuf;

use super::guard::Refusal;
use super::poll::RetryAfter;

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
    /// The server answered with an error status. A 429 or 503 may say when to come back.
    #[error("{url}: HTTP {}", status_text(*status))]
    Status {
        /// The feed's URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The `Retry-After` of a 429 or 503, if it had a readable one.
        retry_after: Option<RetryAfter>,
    },
    /// The address guard refused the feed's URL or one of its redirects: nothing was
    /// requested from that address.
    #[error("{url}: {refusal}")]
    Refused {
        /// The feed's URL.
        url: String,
        /// What was refused, and how to permit it.
        refusal: Refusal,
    },
    /// The feed was fetched but is not a feed we can read.
    #[error("{url}: not a feed: {source}")]
    Parse {
        /// The feed's URL.
        url: String,
        /// What went wrong.
        source: ParseError,
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
    pub fn parse(url: impl Into<String>, source: ParseError) -> Self {
        MergeError::Parse {
            url: url.into(),
            source,
        }
    }

    /// The reason alone, without the URL or file.
    pub fn reason(&self) -> String {
        match self {
            MergeError::Config { key, reason, .. } => format!("`{key}`: {reason}"),
            MergeError::Fetch { reason, .. } | MergeError::Opml { reason, .. } => reason.clone(),
            MergeError::Parse { source, .. } => format!("not a feed: {source}"),
            MergeError::Refused { refusal, .. } => refusal.to_string(),
            MergeError::Status { status, .. } => format!("HTTP {}", status_text(*status)),
        }
    }

    /// When a server that answered 429 or 503 asked to be fetched again, if it said.
    pub fn retry_after(&self) -> Option<RetryAfter> {
        match self {
            MergeError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The feed's URL, or the file the error is about.
    pub fn origin(&self) -> String {
        match self {
            MergeError::Config { path, .. } | MergeError::Opml { path, .. } => {
                path.display().to_string()
            }
            MergeError::Fetch { url, .. }
            | MergeError::Parse { url, .. }
            | MergeError::Refused { url, .. }
            | MergeError::Status { url, .. } => url.clone(),
        }
    }
}

/// `404 Not Found`: the code and its reason phrase, when it has one.
fn status_text(code: u16) -> String {
    match reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

/// Why bytes could not be read as a feed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// There is nothing but white space.
    #[error("the body is empty")]
    Empty,
    /// The body starts with neither `<` nor `{`.
    #[error("it is neither XML nor JSON")]
    NeitherXmlNorJson,
    /// The document is a web page.
    #[error("it is an HTML page")]
    Html,
    /// The body is not JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is not a JSON Feed.
    #[error("JSON without a jsonfeed.org `version`")]
    NotJsonFeed,
    /// The XML is broken before its root element even starts.
    #[error("{reason} at byte {position}")]
    Xml {
        /// quick-xml's reason.
        reason: String,
        /// Where, in bytes from the start.
        position: u64,
    },
    /// The XML reads, but as no feed format the reader knows.
    #[error("{0}")]
    NoFeed(String),
    /// The reader itself failed (a bug): the message of its panic.
    #[error("the feed parser crashed: {0}")]
    Crashed(String),
}
