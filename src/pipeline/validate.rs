//! `feedloom validate`: the W3C Feed Validation Service's rules ([`feedloom_validate`]) on
//! feed files and URLs. URLs are fetched through the same fetcher as merged feeds, with its
//! limits and its address guard.

use std::path::Path;

use url::Url;

use crate::merge::{self, FetchSettings};

pub use feedloom_validate::{Format as FeedFormat, Level, Problem, Report};

/// What `feedloom validate` is asked to do.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Feed files (paths or `file://` URLs) or `http(s)://` URLs.
    pub inputs: Vec<String>,
    /// The URL the feeds are published at, when not the URL they are fetched from (or their
    /// own self link, for files).
    pub base: Option<String>,
    /// Fetch limits and the address guard's allow list for URLs (`fetch.allow_private` for
    /// `--allow-private`).
    pub fetch: FetchSettings,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            inputs: Vec::new(),
            base: None,
            fetch: FetchSettings::for_command_line(),
        }
    }
}

/// One input and what the rules found in it.
#[derive(Debug)]
pub struct Validated {
    /// The input as given.
    pub input: String,
    /// The problems found, or why the input could not be read at all.
    pub outcome: Result<Report, String>,
}

/// Validates every input, in order. An input that cannot be read or fetched gives its
/// reason instead of a report; the others are still validated.
pub fn validate(options: &ValidateOptions) -> Vec<Validated> {
    (options.inputs.iter())
        .map(|input| Validated {
            input: input.clone(),
            outcome: validate_one(input, options),
        })
        .collect()
}

/// Validates the bytes of a feed written by feedloom or anyone, as published at `base`.
pub fn validate_bytes(bytes: &[u8], base: Option<&str>) -> Report {
    let mut options = feedloom_validate::Options::default();
    options.base = base.map(str::to_owned);
    feedloom_validate::validate(bytes, &options)
}

fn validate_one(input: &str, options: &ValidateOptions) -> Result<Report, String> {
    let url = Url::parse(input)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let (bytes, fetched_from) = match url {
        Some(url) => {
            let download = merge::download(&url, &options.fetch).map_err(|e| e.reason())?;
            (download.body, Some(download.final_url.to_string()))
        }
        None => {
            let path = match Url::parse(input) {
                Ok(u) if u.scheme() == "file" => {
                    u.to_file_path().map_err(|()| "not a file path")?
                }
                _ => Path::new(input).to_path_buf(),
            };
            (
                std::fs::read(&path).map_err(|e| format!("cannot read: {e}"))?,
                None,
            )
        }
    };
    let base = options.base.clone().or(fetched_from);
    Ok(validate_bytes(&bytes, base.as_deref()))
}
