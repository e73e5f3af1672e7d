//! WebSub publishing against a minimal hub on 127.0.0.1 (tiny_http, started by each test)
//! that records every publish notice: the hub links in each format, one notice per changed
//! output with its form fields, none when nothing changed or with `--no-ping`, retries with
//! backoff, a dead hub that is only a warning, and the `Link` headers of `serve`.

mod serve_common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use feedloom::pipeline::serve::{ServeOptions, Server};
use feedloom::pipeline::websub::PingSettings;
use feedloom::pipeline::{BuildOptions, build};
use serve_common::{Project, get, header};

/// One request the hub received.
#[derive(Debug, Clone)]
struct Notice {
    method: String,
    path: String,
    content_type: String,
    form: Vec<(String, String)>,
}

impl Notice {
    fn field(&self, name: &str) -> Option<&str> {
        (self.form.iter().find(|(k, _)| k == name)).map(|(_, v)| v.as_str())
    }
}

/// A hub on a free loopback port that records what it is sent and answers `500` to the
/// first `failures` notices of each topic, `204` after.
struct Hub {
    url: String,
    seen: Arc<Mutex<Vec<Notice>>>,
}

impl Hub {
    fn start(failures: usize) -> Hub {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("hub binds");
        let port = server.server_addr().to_ip().expect("ip").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut tries: HashMap<String, usize> = HashMap::new();
            for mut request in server.incoming_requests() {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let content_type = (request.headers().iter())
                    .find(|h| h.field.equiv("Content-Type"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                let form: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let notice = Notice {
                    method: request.method().to_string(),
                    path: request.url().to_string(),
                    content_type,
                    form,
                };
                let topic = notice.field("hub.topic").unwrap_or_default().to_string();
                log.lock().expect("log").push(notice);
                let count = tries.entry(topic).or_default();
                *count += 1;
                let status = if *count <= failures { 500 } else { 204 };
                let _ = request.respond(tiny_http::Response::empty(status));
            }
        });
        Hub {
            url: format!("http://127.0.0.1:{port}/hub"),
            seen,
        }
    }

    fn take(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.seen.lock().expect("log"))
    }
}

fn feedloom(project: &Project, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(["build", "--feeds"])
        .arg(project.feeds())
        .args(args)
        .output()
        .expect("feedloom runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("WebSub"), "{stderr}");
}

fn topics(notices: &[Notice]) -> Vec<String> {
    let mut topics: Vec<String> = (notices.iter())
        .filter_map(|n| n.field("hub.topic").map(str::to_owned))
        .collect();
    topics.sort();
    topics
}

const TOPICS: [&str; 3] = [
    "https://www.example.com/feeds/news.atom",
    "https://www.example.com/feeds/news.json",
    "https://www.example.com/feeds/news.xml",
];

#[test]
fn a_build_that_changes_outputs_notifies_the_hub_of_each() {
    let hub = Hub::start(0);
    let project = Project::news(&format!("hubs = [\"{}\"]", hub.url)).allow_loopback();
    feedloom(&project, &[]);
    let notices = hub.take();
    assert_eq!(
        topics(&notices),
        TOPICS,
        "one notice per feed output, none for the page"
    );
    for notice in &notices {
        assert_eq!(
            (notice.method.as_str(), notice.path.as_str()),
            ("POST", "/hub")
        );
        assert_eq!(notice.content_type, "application/x-www-form-urlencoded");
        assert_eq!(notice.field("hub.mode"), Some("publish"));
        assert_eq!(notice.field("hub.url"), notice.field("hub.topic"));
    }

    let rss = std::fs::read_to_string(project.path("public/news.xml")).expect("rss");
    let hub_link = format!("<atom:link href=\"{}\" rel=\"hub\"/>", hub.url);
    assert!(rss.contains(&hub_link), "{rss:.2000}");
    assert_eq!(rss.matches("rel=\"self\"").count(), 1);
    let atom = std::fs::read_to_string(project.path("public/news.atom")).expect("atom");
    assert!(atom.contains(&format!("<link href=\"{}\" rel=\"hub\"/>", hub.url)));
    assert_eq!(atom.matches("rel=\"self\"").count(), 1);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(project.path("public/news.json")).expect("json"))
            .expect("JSON");
    assert_eq!(
        json["hubs"],
        serde_json::json!([{ "type": "WebSub", "url": hub.url }])
    );

    feedloom(&project, &[]);
    assert!(hub.take().is_empty(), "nothing changed, no notice");
    project.retitle_sample("四个月内四次通话");
    feedloom(&project, &["--no-ping"]);
    assert!(hub.take().is_empty(), "--no-ping");
}

fn quick_pings() -> PingSettings {
    PingSettings {
        attempts: 3,
        first_delay: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
    }
}

#[test]
fn a_failing_hub_is_asked_again_with_backoff() {
    let hub = Hub::start(2);
    let project = Project::news(&format!("hubs = [\"{}\"]", hub.url)).allow_loopback();
    let mut options = BuildOptions::new(project.feeds(), chrono::Utc::now());
    options.ping = Some(quick_pings());
    let report = build(&options, &mut |_| {}).expect("build");
    let warnings: Vec<String> = report.diagnostics().map(|d| d.to_string()).collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    let notices = hub.take();
    assert_eq!(notices.len(), 9, "three tries for each of three topics");
    let mut expected: Vec<String> = TOPICS
        .iter()
        .flat_map(|t| [*t; 3])
        .map(String::from)
        .collect();
    expected.sort();
    assert_eq!(topics(&notices), expected);
}

#[test]
fn an_unreachable_hub_is_a_warning_and_the_feeds_are_still_installed() {
    // A port that was just free: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let project = Project::news(&format!("hubs = [\"http://127.0.0.1:{port}/\"]")).allow_loopback();
    let mut options = BuildOptions::new(project.feeds(), chrono::Utc::now());
    options.ping = Some(quick_pings());
    let report = build(&options, &mut |_| {}).expect("the build does not fail");
    let warnings: Vec<String> = report.diagnostics().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for warning in &warnings {
        assert!(warning.starts_with("warning: "), "{warning}");
        assert!(warning.contains("WebSub hub not notified of https://www.example.com/feeds/news."));
        assert!(warning.contains("after 3 tries"), "{warning}");
    }
    assert!(project.path("public/news.xml").is_file());
}

#[test]
fn serve_sends_self_and_hub_link_headers() {
    let project = Project::news("hubs = [\"https://hub.example.org/\"]");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let mut options = ServeOptions::new(project.feeds(), addr);
    options.build.ping = None;
    options.workers = Some(1);
    let server = Server::start(options).expect("serves");
    let base = format!("http://{}", server.local_addr());
    let (status, headers, _) = get(&format!("{base}/feeds/news.atom"), &[]);
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "link"),
        "<https://www.example.com/feeds/news.atom>; rel=\"self\", <https://hub.example.org/>; rel=\"hub\""
    );
    let (_, headers, _) = get(&format!("{base}/news.html"), &[]);
    assert_eq!(header(&headers, "link"), "");
    server.stop().expect("stops");
    assert!(
        serve_common::client()
            .get(format!("{base}/news.atom"))
            .send()
            .is_err()
    );
}

#[test]
fn a_hub_on_a_private_address_is_refused_by_the_guard_unless_allowed() {
    let hub = Hub::start(0);
    let project = Project::news(&format!("hubs = [\"{}\"]", hub.url));
    let out = Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(["build", "--feeds"])
        .arg(project.feeds())
        .output()
        .expect("feedloom runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("WebSub hub not notified") && stderr.contains("127.0.0.1 is loopback"),
        "{stderr}"
    );
    assert!(
        project.path("public/news.xml").is_file(),
        "the feeds are installed"
    );
    assert!(hub.take().is_empty(), "no request reached the hub");
}
