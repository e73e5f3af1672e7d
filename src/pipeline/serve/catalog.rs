//! What the server serves: every output of every feed definition, read into memory with
//! its gzip and Brotli forms made once, its entity tags and its modification date, under
//! each path it is reachable at (its file name under the root, and under the path of the
//! feed's `base_url`).
//!
//! A catalog is made anew after each build and swapped in whole; bodies whose bytes did not
//! change are taken over from the previous catalog rather than compressed again. An output
//! that cannot be read keeps the body the previous catalog had for it.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::http::HeaderValue;
use percent_encoding::percent_decode_str;
use url::Url;

use super::negotiate::Coding;
use crate::config::FeedDef;
use crate::emit::Format;

/// Bodies this large or larger are compressed with a faster Brotli setting.
const LARGE_BODY: usize = 1 << 20;

/// One body in one coding, with its entity tag.
#[derive(Debug)]
pub(super) struct Variant {
    /// The coding.
    pub coding: Coding,
    /// The bytes as sent.
    pub bytes: Bytes,
    /// Its strong entity tag: the content's hash, with the coding's suffix.
    pub etag: HeaderValue,
}

/// One file's content in every coding kept.
#[derive(Debug)]
pub(super) struct Body {
    /// Its `Content-Type`.
    pub content_type: HeaderValue,
    /// The BLAKE3 hash of the file's bytes.
    hash: blake3::Hash,
    /// The bytes as written.
    identity: Variant,
    /// The compressed forms that are smaller than the bytes as written.
    compressed: Vec<Variant>,
    /// When the file was last written.
    pub modified: SystemTime,
    /// [`Body::modified`] as an HTTP date.
    pub last_modified: HeaderValue,
}

impl Body {
    /// The variant in `coding`, else the identity one.
    pub fn variant(&self, coding: Coding) -> &Variant {
        (self.compressed.iter().find(|v| v.coding == coding)).unwrap_or(&self.identity)
    }

    /// The codings kept besides identity.
    pub fn codings(&self) -> Vec<Coding> {
        self.compressed.iter().map(|v| v.coding).collect()
    }
}

/// What one path serves.
#[derive(Debug)]
pub(super) struct Route {
    /// The file's body.
    pub body: Arc<Body>,
    /// For a feed with a companion page: the page, served to browsers and on `?view=page`.
    pub page: Option<Arc<Body>>,
    /// `Cache-Control` of the feed's outputs.
    pub cache_control: HeaderValue,
    /// For a feed: its `Link` header (self, hubs), when it has a public URL.
    pub link: Option<HeaderValue>,
}

/// Every path the server answers, and what it serves there.
#[derive(Debug, Default)]
pub(super) struct Catalog {
    routes: HashMap<String, Arc<Route>>,
    /// The body of each file read, by its path on disk.
    files: HashMap<PathBuf, Arc<Body>>,
}

impl Catalog {
    /// The route at a request path (percent-encoded as sent).
    pub fn route(&self, path: &str) -> Option<&Arc<Route>> {
        let decoded = percent_decode_str(path).decode_utf8().ok()?;
        self.routes.get(decoded.as_ref())
    }

    /// Every path served, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.routes.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// The catalog of `defs` as their outputs are on disk now, reusing the bodies of
    /// `previous` whose bytes are unchanged (and keeping those whose file cannot be read).
    pub fn load(defs: &[FeedDef], previous: &Catalog) -> Catalog {
        let mut known: HashMap<blake3::Hash, Arc<Body>> = (previous.files.values())
            .map(|body| (body.hash, Arc::clone(body)))
            .collect();
        let mut files = HashMap::new();
        let mut read = |path: &Path, content_type: &'static str| {
            let body = body(path, content_type, &mut known)
                .or_else(|| previous.files.get(path).cloned())?;
            files.insert(path.to_path_buf(), Arc::clone(&body));
            Some(body)
        };
        let mut routes = Vec::new();
        for def in defs {
            let cache_control = cache_control(def.max_age);
            let page = (def.page.as_ref()).and_then(|p| read(&p.path, "text/html; charset=utf-8"));
            for out in &def.outputs {
                let Some(body) = read(&out.path, feed_type(out.format)) else {
                    continue;
                };
                let route = Route {
                    body,
                    page: page.clone(),
                    cache_control: cache_control.clone(),
                    link: out.url.as_ref().and_then(|u| link_header(u, &def.hubs)),
                };
                routes.push((&out.path, out.url.as_ref(), route));
            }
            if let (Some(def_page), Some(page)) = (&def.page, page) {
                let route = Route {
                    body: page,
                    page: None,
                    cache_control,
                    link: None,
                };
                routes.push((&def_page.path, def_page.url.as_ref(), route));
            }
        }
        let mut catalog = Catalog {
            routes: HashMap::new(),
            files,
        };
        for (path, url, route) in routes {
            catalog.add(path, url, route);
        }
        catalog
    }

    /// Adds `route` at `/NAME` and, with a public URL, at its path. The first feed to claim a
    /// path keeps it.
    fn add(&mut self, path: &Path, url: Option<&Url>, route: Route) {
        let Some(name) = file_name(path) else { return };
        let route = Arc::new(route);
        let mut paths = vec![format!("/{name}")];
        if let Some(url) = url
            && let Ok(decoded) = percent_decode_str(url.path()).decode_utf8()
        {
            paths.push(decoded.into_owned());
        }
        for key in paths {
            if self.routes.contains_key(&key) {
                tracing::warn!(path = %key, "two outputs share this path; the first is served");
                continue;
            }
            self.routes.insert(key, Arc::clone(&route));
        }
    }
}

fn file_name(path: &Path) -> Option<&str> {
    path.file_name().and_then(|n| n.to_str())
}

/// The `Content-Type` of a feed format.
fn feed_type(format: Format) -> &'static str {
    match format {
        Format::Rss => "application/rss+xml; charset=utf-8",
        Format::Atom => "application/atom+xml; charset=utf-8",
        Format::Json => "application/feed+json; charset=utf-8",
    }
}

/// `public, max-age=N`.
fn cache_control(max_age: Duration) -> HeaderValue {
    HeaderValue::from_str(&format!("public, max-age={}", max_age.as_secs()))
        .unwrap_or(HeaderValue::from_static("public, max-age=300"))
}

/// `Link: <self>; rel="self", <hub>; rel="hub"`, as WebSub asks publishers to send. URLs
/// need no escaping here: a parsed URL holds no `>` or control characters.
fn link_header(self_url: &Url, hubs: &[Url]) -> Option<HeaderValue> {
    let mut links = vec![format!("<{self_url}>; rel=\"self\"")];
    links.extend(hubs.iter().map(|hub| format!("<{hub}>; rel=\"hub\"")));
    HeaderValue::from_str(&links.join(", ")).ok()
}

/// The body of the file at `path`, from `known` when its bytes were seen before, else read
/// and compressed now; `None` when it cannot be read (not built yet).
fn body(
    path: &Path,
    content_type: &'static str,
    known: &mut HashMap<blake3::Hash, Arc<Body>>,
) -> Option<Arc<Body>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::debug!(path = %path.display(), error = %e, "output not readable");
            return None;
        }
    };
    let modified =
        (std::fs::metadata(path).and_then(|m| m.modified())).unwrap_or(SystemTime::UNIX_EPOCH);
    let hash = blake3::hash(&bytes);
    if let Some(body) = known.get(&hash)
        && body.modified == modified
        && body.content_type == content_type
    {
        return Some(Arc::clone(body));
    }
    let body = Arc::new(compressed(bytes, hash, content_type, modified));
    known.insert(hash, Arc::clone(&body));
    Some(body)
}

/// A body in identity, gzip and Brotli codings (each compressed one only when smaller).
fn compressed(
    bytes: Vec<u8>,
    hash: blake3::Hash,
    content_type: &'static str,
    modified: SystemTime,
) -> Body {
    let tag = hash.to_hex();
    let tag = tag.get(..32).unwrap_or(tag.as_str());
    let etag = |suffix: &str| {
        HeaderValue::from_str(&format!("\"{tag}{suffix}\""))
            .unwrap_or(HeaderValue::from_static("\"\""))
    };
    let mut compressed = Vec::with_capacity(2);
    for (coding, suffix) in [(Coding::Brotli, "-br"), (Coding::Gzip, "-gz")] {
        let packed = match coding {
            Coding::Brotli => brotli(&bytes),
            _ => gzip(&bytes),
        };
        if let Some(packed) = packed.filter(|p| p.len() < bytes.len()) {
            compressed.push(Variant {
                coding,
                bytes: Bytes::from(packed),
                etag: etag(suffix),
            });
        }
    }
    let identity = Variant {
        coding: Coding::Identity,
        bytes: Bytes::from(bytes),
        etag: etag(""),
    };
    let last_modified = HeaderValue::from_str(&httpdate::fmt_http_date(modified))
        .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"));
    Body {
        content_type: HeaderValue::from_static(content_type),
        hash,
        identity,
        compressed,
        modified,
        last_modified,
    }
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    out.write_all(bytes).ok()?;
    out.finish().ok()
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let quality = if bytes.len() < LARGE_BODY { 11 } else { 6 };
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        writer.write_all(bytes).ok()?;
        writer.flush().ok()?;
    }
    Some(out)
}
