//! What the `serve` tests share: a copy of the sample project in a temporary folder, the
//! real binary serving it on a free loopback port (its stderr collected), signals, and an
//! HTTP client that leaves bodies as sent.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The real sample article, and its title.
pub const SAMPLE: &str = "cnmn-2020-07-10-xi-putin-calls.txt";
pub const SAMPLE_TITLE: &str = "4个月内4次通话,习近平再同普京强调“相互支持”";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project in a temporary folder: `feeds/news.toml` and the text samples.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// The sample project's news feed, with `extra` lines added at the top of its definition.
    pub fn news(extra: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let feeds = dir.path().join("feeds");
        let samples = dir.path().join("samples");
        std::fs::create_dir_all(&feeds).expect("mkdir feeds");
        std::fs::create_dir_all(&samples).expect("mkdir samples");
        let def = std::fs::read_to_string(root().join("feeds/news.toml")).expect("news.toml");
        std::fs::write(feeds.join("news.toml"), format!("{extra}\n{def}")).expect("write def");
        for entry in std::fs::read_dir(root().join("samples")).expect("samples/") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                let name = path.file_name().expect("name");
                std::fs::copy(&path, samples.join(name)).expect("copy");
            }
        }
        Project { dir }
    }

    /// Lets the feed reach loopback addresses (the test's own servers): `[fetch] allow`.
    pub fn allow_loopback(self) -> Project {
        let def = self.path("feeds/news.toml");
        let text = std::fs::read_to_string(&def).expect("definition");
        std::fs::write(&def, format!("{text}\n[fetch]\nallow = [\"127.0.0.1\"]\n")).expect("write");
        self
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn feeds(&self) -> PathBuf {
        self.path("feeds")
    }

    /// Rewrites the sample article's title line, and moves its modification time on so the
    /// build sees the change whatever the file system's clock grain.
    pub fn retitle_sample(&self, title: &str) {
        let path = self.path(&format!("samples/{SAMPLE}"));
        let text = std::fs::read_to_string(&path).expect("sample");
        let text = text.replacen(SAMPLE_TITLE, title, 1);
        std::fs::write(&path, text).expect("write sample");
        let later = std::time::SystemTime::now() + Duration::from_secs(5);
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_modified(later).expect("set mtime");
    }
}

/// `feedloom serve` running on a free loopback port; killed when dropped.
pub struct Serving {
    pub child: Child,
    /// `http://127.0.0.1:PORT`, without a final slash.
    pub base: String,
    /// What it printed on stderr so far.
    pub stderr: Arc<Mutex<String>>,
}

impl Serving {
    /// Starts `feedloom serve` for `project` with `args`, and waits until it serves.
    pub fn start(project: &Project, args: &[&str]) -> Serving {
        let feeds = project.feeds();
        let mut child = Command::new(env!("CARGO_BIN_EXE_feedloom"))
            .args(["serve", "--addr", "127.0.0.1:0", "--no-ping", "--feeds"])
            .arg(&feeds)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("feedloom serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut text = sink.lock().expect("stderr lock");
                text.push_str(&line);
                text.push('\n');
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        out.read_line(&mut first).expect("first line");
        // Keep reading, so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let base = first
            .trim()
            .strip_prefix("serving ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {first:?}: {}",
                    stderr.lock().expect("lock")
                )
            })
            .trim_end_matches('/')
            .to_string();
        Serving {
            child,
            base,
            stderr,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `signal` to the server.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid");
        // SAFETY: kill only sends a signal to the child this test started.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(sent, 0, "kill");
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr lock").clone()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that neither decompresses nor asks for compression by itself.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// GET `url` with `headers`: the status, the headers and the body as sent.
pub fn get(url: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = client().get(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().expect("body").to_vec();
    (status, headers, body)
}

/// The value of header `name`, or "".
pub fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Polls `check` every 100 ms until it holds, for up to `limit`.
pub fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    check()
}

/// Whether a tool the test needs is there; without it the test says so and passes, unless
/// `FEEDLOOM_REQUIRE_TOOLS` is set (as `.ci/run` does).
pub fn tool_available(ok: bool, what: &str, install: &str) -> bool {
    if !ok && std::env::var_os("FEEDLOOM_REQUIRE_TOOLS").is_some() {
        panic!("{what} is required ({install})");
    }
    if !ok {
        eprintln!("skipped: {what} is not installed ({install})");
    }
    ok
}

/// Reads a file of the project.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
