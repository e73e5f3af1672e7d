//! A scripted HTTP server on a loopback address (tiny_http, started by each test) that
//! counts its hits and records the request headers, and the binary run against it. The
//! tests that use it contact loopback addresses only.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use tiny_http::{Header, Response, Server};

/// One answer: status, headers and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// A 200 with `body` as an RSS feed.
    pub fn feed(body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status: 200,
            headers: vec![("Content-Type".into(), "application/rss+xml".into())],
            body: body.into(),
        }
    }

    /// An empty answer with `status`.
    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Answer {
        Answer::status(302).with("Location", location)
    }

    /// The same answer with one more header.
    pub fn with(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What the script is given: the path asked for and the request headers (lower-case names).
pub type Script = dyn Fn(&str, &HashMap<String, String>) -> Answer + Send + Sync;

/// Every request a server had: the path and the headers.
type Log = Arc<Mutex<Vec<(String, HashMap<String, String>)>>>;

/// A running server and what it was asked.
pub struct Loopback {
    /// `http://127.0.0.1:PORT` (or `http://[::1]:PORT`).
    pub base: String,
    /// The port.
    pub port: u16,
    log: Log,
}

impl Loopback {
    /// A server on `127.0.0.1` answering with `script`.
    pub fn start(
        script: impl Fn(&str, &HashMap<String, String>) -> Answer + Send + Sync + 'static,
    ) -> Loopback {
        Loopback::start_on("127.0.0.1:0", Box::new(script)).expect("bind 127.0.0.1")
    }

    /// A server on `address` (`127.0.0.1:0`, `[::1]:0`), or `None` when it cannot listen
    /// there (no IPv6 on this machine, say).
    pub fn start_on(address: &str, script: Box<Script>) -> Option<Loopback> {
        let server = Server::http(address).ok()?;
        let port = server.server_addr().to_ip()?.port();
        let log: Log = Arc::new(Mutex::new(Vec::new()));
        let seen = log.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let headers: HashMap<String, String> = (request.headers().iter())
                    .map(|h| {
                        let name = h.field.as_str().as_str().to_ascii_lowercase();
                        (name, h.value.as_str().to_string())
                    })
                    .collect();
                let path = request.url().to_string();
                let answer = script(&path, &headers);
                seen.lock().expect("log").push((path, headers));
                let mut response = Response::from_data(answer.body).with_status_code(answer.status);
                for (name, value) in &answer.headers {
                    response.add_header(
                        Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header"),
                    );
                }
                let _ = request.respond(response);
            }
        });
        let host = if address.starts_with('[') {
            "[::1]"
        } else {
            "127.0.0.1"
        };
        Some(Loopback {
            base: format!("http://{host}:{port}"),
            port,
            log,
        })
    }

    /// `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// How many requests asked for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    }

    /// How many requests the server has had.
    pub fn total_hits(&self) -> usize {
        self.log.lock().expect("log").len()
    }

    /// The headers of every request for `path`, in order.
    pub fn requests_to(&self, path: &str) -> Vec<HashMap<String, String>> {
        (self.log.lock().expect("log").iter())
            .filter(|(p, _)| p == path)
            .map(|(_, h)| h.clone())
            .collect()
    }
}

/// A small RSS feed with one item per title.
pub fn rss(title: &str, items: &[&str]) -> String {
    let items: String = (items.iter())
        .map(|t| format!("<item><title>{t}</title><link>https://site.example/{t}</link><pubDate>Fri, 10 Jul 2020 09:52:00 +0800</pubDate></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://site.example/</link>{items}</channel></rss>"
    )
}

/// Runs the binary in `dir` with `args`, the clock fixed at `epoch` seconds (as
/// `SOURCE_DATE_EPOCH`), and `env` set.
pub fn feedloom(dir: &Path, args: &[&str], epoch: i64, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_feedloom"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("SOURCE_DATE_EPOCH", epoch.to_string());
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

/// Exit code and standard error, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    )
}
