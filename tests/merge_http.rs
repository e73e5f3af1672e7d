//! `collect` against a real HTTP server on 127.0.0.1 (tiny_http, started by each test):
//! conditional GET, statuses, timeouts, redirects, compression, size caps, content types,
//! charsets, the cache fallback and the concurrency limits. Nothing leaves the machine.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::DateTime;
use feedloom::diagnostic::{Diagnostic, Severity};
use feedloom::merge::{
    DirCache, FetchCache, FetchSettings, MergeSource, NoCache, USER_AGENT, collect,
};
use feedloom::model::Entry;
use tiny_http::{Header, Response, Server};

fn rss(title: &str, items: &[&str]) -> String {
    let items: String = items
        .iter()
        .map(|t| format!("<item><title>{t}</title><link>http://site.example/{t}</link><pubDate>Fri, 10 Jul 2020 09:52:00 +0800</pubDate></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>"
    )
}

#[derive(Default)]
struct Log {
    requests: Vec<(String, HashMap<String, String>)>,
}

struct TestServer {
    base: String,
    log: Arc<Mutex<Log>>,
    peak: Arc<AtomicUsize>,
    flaky_fails: Arc<Mutex<bool>>,
}

impl TestServer {
    fn start() -> TestServer {
        let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let log = Arc::new(Mutex::new(Log::default()));
        let peak = Arc::new(AtomicUsize::new(0));
        let running = Arc::new(AtomicUsize::new(0));
        let flaky_fails = Arc::new(Mutex::new(false));
        let (l, p, f) = (log.clone(), peak.clone(), flaky_fails.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (log, peak, running, flaky) =
                    (l.clone(), p.clone(), running.clone(), f.clone());
                std::thread::spawn(move || {
                    let n = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(n, Ordering::SeqCst);
                    let headers: HashMap<String, String> = request
                        .headers()
                        .iter()
                        .map(|h| {
                            (
                                h.field.as_str().as_str().to_ascii_lowercase(),
                                h.value.as_str().to_string(),
                            )
                        })
                        .collect();
                    let url = request.url().to_string();
                    log.lock()
                        .unwrap()
                        .requests
                        .push((url.clone(), headers.clone()));
                    let fails = *flaky.lock().unwrap();
                    let response = respond(&url, &headers, port, fails);
                    running.fetch_sub(1, Ordering::SeqCst);
                    let _ = request.respond(response);
                });
            }
        });
        TestServer {
            base: format!("http://127.0.0.1:{port}"),
            log,
            peak,
            flaky_fails,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests_to(&self, path: &str) -> Vec<HashMap<String, String>> {
        let log = self.log.lock().unwrap();
        log.requests
            .iter()
            .filter(|(u, _)| u == path)
            .map(|(_, h)| h.clone())
            .collect()
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap()
}

fn respond(
    url: &str,
    headers: &HashMap<String, String>,
    port: u16,
    flaky_fails: bool,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let xml = |body: String| {
        Response::from_data(body.into_bytes())
            .with_header(header("Content-Type", "application/rss+xml"))
    };
    match url {
        "/ok.xml" => {
            if headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
                return Response::from_data(Vec::new())
                    .with_status_code(304)
                    .with_header(header("ETag", "\"v1\""));
            }
            xml(rss("OK", &["a", "b"]))
                .with_header(header("ETag", "\"v1\""))
                .with_header(header("Last-Modified", "Fri, 10 Jul 2020 01:52:00 GMT"))
        }
        "/flaky.xml" if flaky_fails => Response::from_data(b"oops".to_vec()).with_status_code(500),
        "/flaky.xml" => xml(rss("Flaky", &["kept"])),
        "/missing.xml" => Response::from_data(b"no".to_vec()).with_status_code(404),
        "/error.xml" => Response::from_data(b"no".to_vec()).with_status_code(500),
        "/slow.xml" => {
            std::thread::sleep(Duration::from_secs(3));
            xml(rss("Slow", &["late"]))
        }
        "/gzip.xml" => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(rss("Gzipped", &["z"]).as_bytes()).unwrap();
            Response::from_data(gz.finish().unwrap())
                .with_header(header("Content-Type", "application/rss+xml"))
                .with_header(header("Content-Encoding", "gzip"))
        }
        "/deflate.xml" => {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(rss("Deflated", &["d"]).as_bytes()).unwrap();
            Response::from_data(z.finish().unwrap())
                .with_header(header("Content-Type", "application/rss+xml"))
                .with_header(header("Content-Encoding", "deflate"))
        }
        "/big.xml" => xml(rss("Big", &vec!["padding-padding-padding"; 2000])),
        "/html" => Response::from_data(b"<!DOCTYPE html><html><body>hi</body></html>".to_vec())
            .with_header(header("Content-Type", "text/html")),
        "/text-plain.xml" => Response::from_data(rss("Plain typed", &["p"]).into_bytes())
            .with_header(header("Content-Type", "text/plain")),
        "/gbk" => {
            let body = encoding_rs::GBK
                .encode(&rss("中国有色网", &["铜价"]))
                .0
                .into_owned();
            Response::from_data(body)
                .with_header(header("Content-Type", "application/xml; charset=GBK"))
        }
        "/gbk-etag" => {
            if headers.get("if-none-match").map(String::as_str) == Some("\"g1\"") {
                return Response::from_data(Vec::new()).with_status_code(304);
            }
            let body = encoding_rs::GBK
                .encode(&rss("中国有色网", &["铜价"]))
                .0
                .into_owned();
            Response::from_data(body)
                .with_header(header("Content-Type", "application/xml; charset=GBK"))
                .with_header(header("ETag", "\"g1\""))
        }
        "/loop/a" => redirect(&format!("http://127.0.0.1:{port}/loop/b")),
        "/loop/b" => redirect("/loop/a"),
        path if path.starts_with("/hop/") => {
            let n: u32 = path[5..].parse().unwrap_or(0);
            if n == 0 {
                xml(rss("After hops", &["h"]))
            } else {
                redirect(&format!("/hop/{}", n - 1))
            }
        }
        path if path.starts_with("/paced/") => {
            std::thread::sleep(Duration::from_millis(150));
            xml(rss(path, &[&path[7..]]))
        }
        _ => Response::from_data(b"?".to_vec()).with_status_code(404),
    }
}

fn redirect(to: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(Vec::new())
        .with_status_code(302)
        .with_header(header("Location", to))
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap()
}

fn run(sources: &[MergeSource], cache: &dyn FetchCache) -> (Vec<Entry>, Vec<Diagnostic>) {
    let settings = FetchSettings {
        timeout_secs: 5,
        allow_private: true,
        ..FetchSettings::default()
    };
    collect(sources, Path::new("."), &settings, cache, now())
}

fn one(server: &TestServer, path: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    run(&[MergeSource::url(server.url(path))], &NoCache)
}

fn titles(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.title.as_str()).collect()
}

fn single_warning(diags: &[Diagnostic], origin: &str, reason: &str) {
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].origin, origin);
    assert!(
        diags[0].message.contains(reason),
        "{:?} lacks {reason:?}",
        diags[0].message
    );
}

#[test]
fn ok_then_304_reuses_the_cached_copy() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = DirCache::new(dir.path());
    let source = [MergeSource::url(server.url("/ok.xml"))];
    let (first, diags) = run(&source, &cache);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&first), ["a", "b"]);
    let origin = first[0].origin.as_ref().unwrap();
    assert_eq!(origin.title, "OK");
    assert_eq!(
        origin.feed_url.as_ref().map(|u| u.to_string()),
        Some(server.url("/ok.xml"))
    );

    let (second, diags) = run(&source, &cache);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(second, first);
    let requests = server.requests_to("/ok.xml");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].get("if-none-match"), None);
    assert_eq!(
        requests[1].get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        requests[1].get("if-modified-since").map(String::as_str),
        Some("Fri, 10 Jul 2020 01:52:00 GMT")
    );
    assert_eq!(
        requests[0].get("user-agent").map(String::as_str),
        Some(USER_AGENT)
    );
    assert!(USER_AGENT.starts_with(concat!("feedloom/", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn http_errors_are_warnings_naming_source_and_reason() {
    let server = TestServer::start();
    let (entries, diags) = one(&server, "/missing.xml");
    assert!(entries.is_empty());
    single_warning(
        &diags,
        &server.url("/missing.xml"),
        "HTTP 404 Not Found; no cached copy",
    );
    let (_, diags) = one(&server, "/error.xml");
    single_warning(&diags, &server.url("/error.xml"), "HTTP 500");
    let (_, diags) = one(&server, "/html");
    single_warning(
        &diags,
        &server.url("/html"),
        "not a feed: it is an HTML page",
    );
}

#[test]
fn refused_connections_are_warnings() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/feed.xml");
    let (_, diags) = run(&[MergeSource::url(&url)], &NoCache);
    single_warning(&diags, &url, "cannot connect");
}

#[test]
fn a_failing_source_falls_back_to_its_last_good_copy() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = DirCache::new(dir.path());
    let sources = [
        MergeSource::url(server.url("/flaky.xml")),
        MergeSource::url(server.url("/ok.xml")),
    ];
    let (first, _) = run(&sources, &cache);
    *server.flaky_fails.lock().unwrap() = true;
    let (second, diags) = run(&sources, &cache);
    assert_eq!(titles(&second), titles(&first));
    single_warning(
        &diags,
        &server.url("/flaky.xml"),
        "HTTP 500 Internal Server Error; using the last good copy, fetched 2024-01-01T00:00:00+00:00 (1 entries)",
    );
}

#[test]
fn slow_responses_time_out_without_holding_up_the_rest() {
    let server = TestServer::start();
    let slow = MergeSource {
        timeout_secs: Some(1),
        ..MergeSource::url(server.url("/slow.xml"))
    };
    let started = Instant::now();
    let (entries, diags) = run(&[slow, MergeSource::url(server.url("/ok.xml"))], &NoCache);
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(titles(&entries), ["a", "b"]);
    single_warning(&diags, &server.url("/slow.xml"), "timed out after 1s");
}

#[test]
fn redirect_chains_are_followed_up_to_five_and_loops_stop() {
    let server = TestServer::start();
    let (entries, diags) = one(&server, "/hop/5");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&entries), ["h"]);
    let (_, diags) = one(&server, "/hop/6");
    single_warning(&diags, &server.url("/hop/6"), "more than 5 redirects");
    let (_, diags) = one(&server, "/loop/a");
    single_warning(&diags, &server.url("/loop/a"), "redirect loop");
}

#[test]
fn gzip_content_types_and_charsets() {
    let server = TestServer::start();
    let (entries, diags) = one(&server, "/gzip.xml");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&entries), ["z"]);
    let gz = &server.requests_to("/gzip.xml")[0];
    assert!(
        gz.get("accept-encoding")
            .is_some_and(|v| v.contains("gzip") && v.contains("br")),
        "{gz:?}"
    );
    let (entries, diags) = one(&server, "/deflate.xml");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&entries), ["d"]);
    let (entries, diags) = one(&server, "/text-plain.xml");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&entries), ["p"]);
    let (entries, diags) = one(&server, "/gbk");
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&entries), ["铜价"]);
    assert_eq!(entries[0].origin.as_ref().unwrap().title, "中国有色网");
}

#[test]
fn oversize_bodies_are_refused() {
    let server = TestServer::start();
    let source = MergeSource {
        max_bytes: Some(10_000),
        ..MergeSource::url(server.url("/big.xml"))
    };
    let (entries, diags) = run(&[source], &NoCache);
    assert!(entries.is_empty());
    single_warning(
        &diags,
        &server.url("/big.xml"),
        "larger than the 10000-byte limit",
    );
}

#[test]
fn per_host_limit_caps_concurrent_requests() {
    let server = TestServer::start();
    let sources: Vec<_> = (0..6)
        .map(|i| MergeSource::url(server.url(&format!("/paced/{i}"))))
        .collect();
    let settings = FetchSettings {
        concurrency: 8,
        per_host: 2,
        allow_private: true,
        ..FetchSettings::default()
    };
    let (entries, diags) = collect(&sources, Path::new("."), &settings, &NoCache, now());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(entries.len(), 6);
    assert_eq!(server.peak.load(Ordering::SeqCst), 2);
}

#[test]
fn a_304_reuses_a_copy_whose_charset_came_from_the_header() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().unwrap();
    let cache = DirCache::new(dir.path());
    let source = [MergeSource::url(server.url("/gbk-etag"))];
    let (first, diags) = run(&source, &cache);
    assert!(diags.is_empty(), "{diags:?}");
    let (second, diags) = run(&source, &cache);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(titles(&second), ["铜价"]);
    assert_eq!(second, first);
    assert_eq!(server.requests_to("/gbk-etag").len(), 2);
}
