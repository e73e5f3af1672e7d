//! A fleet of feeds on loopback for the fetch-worker tests and the simulation: one HTTP
//! server per loopback address (127.0.0.1, 127.0.0.2, …), each answering `/f/N.xml` with a
//! small RSS feed on several threads (one request per connection), recording when each path was asked for and how many
//! requests each host had in flight at most; and projects whose definition merges them all
//! through an OPML list.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

/// What every server of a fleet records.
#[derive(Default)]
pub struct Tally {
    /// When each URL was asked for, since the fleet started.
    pub hits: Mutex<HashMap<String, Vec<Duration>>>,
    /// Requests in flight, and the most ever, per host.
    pub in_flight: Mutex<HashMap<String, (usize, usize)>>,
    /// Requests in all.
    pub total: AtomicUsize,
}

/// Servers on some loopback addresses.
pub struct Fleet {
    /// The base URL of each server, `http://127.0.0.N:PORT`.
    pub bases: Vec<String>,
    /// What they recorded.
    pub tally: Arc<Tally>,
    /// When the fleet started.
    pub started: Instant,
}

impl Fleet {
    /// One server on each of `hosts` loopback addresses (127.0.0.1 up), each on `threads`
    /// threads, answering after `delay`.
    pub fn start(hosts: usize, threads: usize, delay: Duration) -> Fleet {
        let tally = Arc::new(Tally::default());
        let started = Instant::now();
        let mut bases = Vec::new();
        for h in 1..=hosts {
            let ip = format!("127.0.0.{h}");
            let listener = TcpListener::bind(format!("{ip}:0")).expect("bind a loopback address");
            let port = listener.local_addr().expect("an address").port();
            let base = format!("http://{ip}:{port}");
            for _ in 0..threads {
                let listener = listener.try_clone().expect("share the listener");
                let (tally, base) = (tally.clone(), base.clone());
                std::thread::spawn(move || serve(&listener, &tally, &base, started, delay));
            }
            bases.push(base);
        }
        Fleet {
            bases,
            tally,
            started,
        }
    }

    /// The URL of feed `n`: spread over the hosts in turn.
    pub fn url(&self, n: usize) -> String {
        format!("{}/f/{n}.xml", self.bases[n % self.bases.len()])
    }

    /// When each URL was asked for.
    pub fn hits(&self) -> HashMap<String, Vec<Duration>> {
        self.tally.hits.lock().expect("hits").clone()
    }

    /// Requests in all.
    pub fn total(&self) -> usize {
        self.tally.total.load(Ordering::SeqCst)
    }

    /// The most requests each host had in flight at once.
    pub fn peaks(&self) -> HashMap<String, usize> {
        (self.tally.in_flight.lock().expect("in flight").iter())
            .map(|(host, (_, peak))| (host.clone(), *peak))
            .collect()
    }

    /// Writes `feeds/fleet.toml` merging feeds `0..count` through `feeds/fleet.opml`, with
    /// `fetch` lines added to its `[fetch]` table, and `extra` lines at the top.
    pub fn project(&self, dir: &Path, count: usize, fetch: &str, extra: &str) {
        let feeds = dir.join("feeds");
        std::fs::create_dir_all(&feeds).expect("mkdir feeds");
        let outlines: String = (0..count)
            .map(|n| {
                format!(
                    "<outline type=\"rss\" text=\"f{n}\" xmlUrl=\"{}\"/>\n",
                    self.url(n)
                )
            })
            .collect();
        let opml = format!(
            "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>fleet</title></head><body>\n{outlines}</body></opml>\n"
        );
        std::fs::write(feeds.join("fleet.opml"), opml).expect("write the OPML list");
        let definition = format!(
            "{extra}title = \"Fleet\"\nlink = \"https://fleet.example/\"\nlimit = 50\n\
             [[merge]]\nopml = \"feeds/fleet.opml\"\n[output]\nrss = \"public/fleet.xml\"\n\
             [fetch]\nallow = [\"127.0.0.0/8\"]\n{fetch}\n"
        );
        std::fs::write(feeds.join("fleet.toml"), definition).expect("write the definition");
    }
}

/// One server thread: accepts a connection, reads one request, answers, closes. (Each
/// thread accepts on its own, so no connection waits behind another.)
fn serve(listener: &TcpListener, tally: &Tally, base: &str, started: Instant, delay: Duration) {
    let host = base.trim_start_matches("http://").to_string();
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let Some(path) = read_request(&mut stream) else {
            continue;
        };
        let url = format!("{base}{path}");
        {
            let mut flights = tally.in_flight.lock().expect("in flight");
            let (now, peak) = flights.entry(host.clone()).or_insert((0, 0));
            *now += 1;
            *peak = (*peak).max(*now);
        }
        tally
            .hits
            .lock()
            .expect("hits")
            .entry(url.clone())
            .or_default()
            .push(started.elapsed());
        tally.total.fetch_add(1, Ordering::SeqCst);
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let n = url
            .rsplit('/')
            .next()
            .unwrap_or("0")
            .trim_end_matches(".xml")
            .to_string();
        let body = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {n}</title>\
             <link>https://f{n}.example/</link><item><title>Story {n}</title>\
             <link>https://f{n}.example/story</link><pubDate>Fri, 10 Jul 2020 09:52:00 +0800</pubDate>\
             </item></channel></rss>"
        );
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()));
        let _ = stream.flush();
        if let Some((now, _)) = tally.in_flight.lock().expect("in flight").get_mut(&host) {
            *now -= 1;
        }
    }
}

/// The path of the request on `stream`, once its head is read.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    first.split_whitespace().nth(1).map(str::to_owned)
}

/// Starts `feedloom` with `args` in `dir`, its output piped.
pub fn spawn(binary: &Path, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(binary);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("FEEDLOOM_STATE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("the binary starts")
}

/// Starts `feedloom` with `args` in `dir`, its standard error written to `log` (a pipe
/// that nobody reads would stall a worker that logs much).
pub fn spawn_logged(
    binary: &Path,
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    log: &Path,
) -> Child {
    let file = std::fs::File::create(log).expect("create the log");
    let mut command = Command::new(binary);
    command
        .args(args)
        .current_dir(dir)
        .env_remove("FEEDLOOM_STATE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(file);
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("the binary starts")
}

/// Sends SIGTERM (graceful) or SIGKILL to `child`.
pub fn signal(child: &Child, kill: bool) {
    let pid = i32::try_from(child.id()).expect("a pid");
    let signal = if kill { libc::SIGKILL } else { libc::SIGTERM };
    // SAFETY: sending a signal to a child of ours.
    unsafe {
        libc::kill(pid, signal);
    }
}

/// Waits until `done` holds, checking every 50 ms, for at most `limit`.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}
