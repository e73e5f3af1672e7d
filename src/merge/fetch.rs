//! Fetching one feed: HTTP(S) through a shared `reqwest` client (rustls, gzip / brotli /
//! deflate, at most [`MAX_REDIRECTS`] redirects, connect and total timeouts, a size cap,
//! conditional GET), or a local file read with the same size cap.

use std::io::Read;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::header::{
    CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use reqwest::redirect;
use url::Url;

use super::cache::CachedResponse;
use super::config::{FetchSettings, MAX_REDIRECTS, USER_AGENT};
use super::error::MergeError;

/// What one fetch gave.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// The body (content-decoded, not charset-decoded).
    pub body: Vec<u8>,
    /// The `Content-Type` header, if any (`None` for a 304: the cached body reads alone).
    pub content_type: Option<String>,
    /// The URL after redirects: the base for relative links.
    pub final_url: Url,
    /// New validators to store.
    pub etag: Option<String>,
    /// New validators to store.
    pub last_modified: Option<String>,
    /// The server answered 304 and `body` is the cached copy.
    pub not_modified: bool,
}

/// Limits of one fetch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub timeout: Duration,
    pub max_bytes: u64,
}

/// A shared HTTP client plus the file reader.
pub(crate) struct Fetcher {
    client: Client,
}

impl Fetcher {
    /// Builds the HTTP client from `settings`.
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, MergeError> {
        let policy = redirect::Policy::custom(|attempt| {
            let looped = attempt.previous().iter().any(|u| u == attempt.url());
            if looped {
                let at = attempt.url().to_string();
                attempt.error(format!("redirect loop at {at}"))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else {
                attempt.follow()
            }
        });
        let client = Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(settings.connect_timeout())
            .timeout(settings.timeout())
            .redirect(policy)
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()
            .map_err(|e| MergeError::fetch("(client)", chain(&e)))?;
        Ok(Fetcher { client })
    }

    /// Fetches `url` (http, https or file), sending `cached`'s validators.
    pub fn fetch(
        &self,
        url: &Url,
        cached: Option<&CachedResponse>,
        limits: Limits,
    ) -> Result<Fetched, MergeError> {
        match url.scheme() {
            "http" | "https" => self.fetch_http(url, cached, limits),
            "file" => fetch_file(url, limits.max_bytes),
            other => Err(MergeError::fetch(
                url.as_str(),
                format!("unsupported URL scheme `{other}` (use http, https or file)"),
            )),
        }
    }

    fn fetch_http(
        &self,
        url: &Url,
        cached: Option<&CachedResponse>,
        limits: Limits,
    ) -> Result<Fetched, MergeError> {
        let fail = |reason: String| MergeError::fetch(url.as_str(), reason);
        let mut request = self.client.get(url.clone()).timeout(limits.timeout);
        if let Some(c) = cached {
            if let Some(etag) = &c.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &c.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let response = request
            .send()
            .map_err(|e| fail(describe(&e, limits.timeout)))?;
        let status = response.status();
        let final_url = response.url().clone();
        let headers = response.headers().clone();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            let cached =
                cached.ok_or_else(|| fail("304 Not Modified, but no copy is cached".into()))?;
            return Ok(Fetched {
                body: cached.body.clone(),
                content_type: None,
                final_url,
                etag: header(&headers, ETAG).or_else(|| cached.etag.clone()),
                last_modified: header(&headers, LAST_MODIFIED)
                    .or_else(|| cached.last_modified.clone()),
                not_modified: true,
            });
        }
        if !status.is_success() {
            return Err(fail(format!("HTTP {status}")));
        }
        if let Some(len) = response.content_length()
            && len > limits.max_bytes
        {
            return Err(fail(too_big(limits.max_bytes)));
        }
        let body = read_capped(response, limits.max_bytes).map_err(|e| match e {
            CapError::TooBig => fail(too_big(limits.max_bytes)),
            CapError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                fail(format!("timed out after {}s", limits.timeout.as_secs()))
            }
            CapError::Io(e) => fail(format!("reading the body failed: {}", chain(&e))),
        })?;
        Ok(Fetched {
            body,
            content_type: header(&headers, CONTENT_TYPE),
            final_url,
            etag: header(&headers, ETAG),
            last_modified: header(&headers, LAST_MODIFIED),
            not_modified: false,
        })
    }
}

fn fetch_file(url: &Url, max_bytes: u64) -> Result<Fetched, MergeError> {
    let fail = |reason: String| MergeError::fetch(url.as_str(), reason);
    let path = url
        .to_file_path()
        .map_err(|()| fail("not a local file path".into()))?;
    let file = std::fs::File::open(&path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let body = read_capped(file, max_bytes).map_err(|e| match e {
        CapError::TooBig => fail(too_big(max_bytes)),
        CapError::Io(e) => fail(format!("cannot read: {e}")),
    })?;
    Ok(Fetched {
        body,
        content_type: None,
        final_url: url.clone(),
        etag: None,
        last_modified: None,
        not_modified: false,
    })
}

enum CapError {
    TooBig,
    Io(std::io::Error),
}

fn read_capped(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, CapError> {
    let mut body = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(CapError::Io)?;
    if body.len() as u64 > max_bytes {
        return Err(CapError::TooBig);
    }
    Ok(body)
}

fn too_big(max_bytes: u64) -> String {
    format!("the feed is larger than the {max_bytes}-byte limit (`max_bytes`)")
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A one-line reason for a failed request: the kind of failure and its root cause.
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        format!("timed out after {}s", timeout.as_secs())
    } else if e.is_redirect() {
        format!("redirects failed: {}", chain(e))
    } else if e.is_connect() {
        format!("cannot connect: {}", chain(e))
    } else {
        chain(e)
    }
}

/// The error and its sources, most specific last, without the URL reqwest repeats.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut current = e.source();
    while let Some(s) = current {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}
