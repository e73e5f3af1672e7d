//! Fetching one feed: HTTP(S) through a shared `reqwest` client (rustls, gzip / brotli /
//! deflate, connect and total timeouts, a size cap, conditional GET), or a local file read
//! with the same size cap.
//!
//! This is the one way out to the network, and the [`Guard`] watches it: every URL is
//! checked before it is requested (its scheme, and the address of an IP-literal host); host
//! names are resolved by [`GuardedResolver`], which hands the client only the addresses the
//! guard permitted, so the address checked is the address connected to; redirects are
//! followed here, hop by hop, each hop checked the same way (at most [`MAX_REDIRECTS`], a
//! loop stopped at once); and proxies named in the environment are ignored.

use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{
    AGE, CACHE_CONTROL, CONTENT_TYPE, DATE, ETAG, EXPIRES, HeaderMap, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED, LOCATION, RETRY_AFTER,
};
use reqwest::redirect;
use url::Url;

use super::cache::CachedResponse;
use super::config::{FetchSettings, MAX_REDIRECTS};
use super::error::MergeError;
use super::guard::{Guard, Refusal};
use super::poll::{CacheHeaders, RetryAfter};

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
    /// The headers that say how long the response stays fresh.
    pub freshness: CacheHeaders,
}

/// Limits of one fetch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub timeout: Duration,
    pub max_bytes: u64,
}

/// A shared HTTP client, the guard it fetches under, and the file reader.
pub(crate) struct Fetcher {
    client: Client,
    guard: Arc<Guard>,
}

impl Fetcher {
    /// Builds the HTTP client from `settings`: the guard's resolver, no proxy, no automatic
    /// redirects.
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, MergeError> {
        let guard = Arc::new(settings.guard());
        let resolver = Arc::new(GuardedResolver {
            guard: guard.clone(),
        });
        let client = Client::builder()
            .user_agent(settings.user_agent())
            .connect_timeout(settings.connect_timeout())
            .timeout(settings.timeout())
            .redirect(redirect::Policy::none())
            .no_proxy()
            .dns_resolver(resolver)
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()
            .map_err(|e| MergeError::fetch("(client)", chain(&e)))?;
        Ok(Fetcher { client, guard })
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

    /// Requests `url`, then each redirect target in turn, every one checked by the guard.
    fn fetch_http(
        &self,
        url: &Url,
        cached: Option<&CachedResponse>,
        limits: Limits,
    ) -> Result<Fetched, MergeError> {
        let fail = |reason: String| MergeError::fetch(url.as_str(), reason);
        let deadline = Instant::now() + limits.timeout;
        let mut visited = vec![url.clone()];
        let mut current = url.clone();
        loop {
            let hop = (visited.len() > 1).then_some(&current);
            let refused = |refusal: Refusal| MergeError::Refused {
                url: url.to_string(),
                refusal: match hop {
                    Some(target) => refusal.at_redirect(target),
                    None => refusal,
                },
            };
            self.guard.check_url(&current).map_err(refused)?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let response =
                self.send(&current, cached, remaining)
                    .map_err(|e| match find_refusal(&e) {
                        Some(refusal) => refused(refusal),
                        None => fail(describe(&e, limits.timeout)),
                    })?;
            let Some(next) = redirect_target(&response, &current).map_err(fail)? else {
                return read_response(response, url, cached, limits);
            };
            if visited.contains(&next) {
                return Err(fail(format!("redirects failed: redirect loop at {next}")));
            }
            if visited.len() > MAX_REDIRECTS {
                return Err(fail(format!(
                    "redirects failed: more than {MAX_REDIRECTS} redirects"
                )));
            }
            visited.push(next.clone());
            current = next;
        }
    }

    /// POSTs `form` (as `application/x-www-form-urlencoded`) to `url`, checked by the guard
    /// like every fetch; a redirect is not followed (its status is returned). Returns the
    /// response's status.
    pub fn post_form(
        &self,
        url: &Url,
        form: &[(&str, &str)],
        timeout: Duration,
    ) -> Result<StatusCode, MergeError> {
        let refused = |refusal| MergeError::Refused {
            url: url.to_string(),
            refusal,
        };
        self.guard.check_url(url).map_err(refused)?;
        let sent = self
            .client
            .post(url.clone())
            .form(form)
            .timeout(timeout)
            .send();
        let response = sent.map_err(|e| match find_refusal(&e) {
            Some(refusal) => refused(refusal),
            None => MergeError::fetch(url.as_str(), describe(&e, timeout)),
        })?;
        Ok(response.status())
    }

    /// One GET of `url`, with `cached`'s validators and what is left of the time allowed.
    fn send(
        &self,
        url: &Url,
        cached: Option<&CachedResponse>,
        timeout: Duration,
    ) -> Result<Response, reqwest::Error> {
        let mut request = self.client.get(url.clone()).timeout(timeout);
        if let Some(c) = cached {
            if let Some(etag) = &c.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &c.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
        }
        request.send()
    }
}

/// Where a redirect response points, resolved against `current`; `None` when `response` is
/// not a redirect (or names no target, and is then read as it is).
fn redirect_target(response: &Response, current: &Url) -> Result<Option<Url>, String> {
    let redirects = [
        StatusCode::MOVED_PERMANENTLY,
        StatusCode::FOUND,
        StatusCode::SEE_OTHER,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ];
    if !redirects.contains(&response.status()) {
        return Ok(None);
    }
    let Some(location) = header(response.headers(), LOCATION) else {
        return Ok(None);
    };
    current
        .join(&location)
        .map(Some)
        .map_err(|e| format!("redirects failed: bad Location {location:?}: {e}"))
}

/// The answer to the last request of a fetch: a 304 (the cached copy), an error status, or
/// the body, read up to the size cap.
fn read_response(
    response: Response,
    url: &Url,
    cached: Option<&CachedResponse>,
    limits: Limits,
) -> Result<Fetched, MergeError> {
    let fail = |reason: String| MergeError::fetch(url.as_str(), reason);
    let status = response.status();
    let final_url = response.url().clone();
    let headers = response.headers().clone();
    if status == StatusCode::NOT_MODIFIED {
        let cached =
            cached.ok_or_else(|| fail("304 Not Modified, but no copy is cached".into()))?;
        return Ok(Fetched {
            body: cached.body.clone(),
            content_type: None,
            final_url,
            etag: header(&headers, ETAG).or_else(|| cached.etag.clone()),
            last_modified: header(&headers, LAST_MODIFIED).or_else(|| cached.last_modified.clone()),
            not_modified: true,
            freshness: freshness(&headers),
        });
    }
    if !status.is_success() {
        let asks_to_wait = [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
        ];
        let retry_after = (asks_to_wait.contains(&status))
            .then(|| header(&headers, RETRY_AFTER))
            .flatten()
            .and_then(|value| RetryAfter::parse(&value));
        return Err(MergeError::Status {
            url: url.to_string(),
            status: status.as_u16(),
            retry_after,
        });
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
        freshness: freshness(&headers),
    })
}

fn freshness(headers: &HeaderMap) -> CacheHeaders {
    CacheHeaders {
        cache_control: header(headers, CACHE_CONTROL),
        expires: header(headers, EXPIRES),
        date: header(headers, DATE),
        age: header(headers, AGE),
    }
}

/// The client's resolver: the system's, then the guard, so the client connects only to
/// addresses the guard permitted. A host with none is refused with the guard's reason,
/// which [`find_refusal`] gets back out of the client's error.
struct GuardedResolver {
    guard: Arc<Guard>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup = host.clone();
            let found = tokio::task::spawn_blocking(move || {
                (lookup.as_str(), 0)
                    .to_socket_addrs()
                    .map(|addrs| addrs.map(|a| a.ip()).collect::<Vec<IpAddr>>())
            })
            .await??;
            let permitted = guard.permitted(&host, &found)?;
            let addrs: Addrs = Box::new(permitted.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The guard's refusal somewhere in `e`'s sources, if that is why the request failed.
fn find_refusal(e: &reqwest::Error) -> Option<Refusal> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = current {
        if let Some(refusal) = error.downcast_ref::<Refusal>() {
            return Some(refusal.clone());
        }
        current = error.source();
    }
    None
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
        freshness: CacheHeaders::default(),
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
    format!("the body is larger than the {max_bytes}-byte limit (`max_bytes`)")
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
