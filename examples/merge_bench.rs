//! Timing the merge layer.
//!
//! `cargo run --release --example merge_bench [collect|parse]`
//!
//! - `collect`: a loopback HTTP server (a few lines of std, below) serves 200 RSS feeds of 50 items each; `collect`
//!   fetches and reads them all, then `dedupe` and `finish` merge them. Prints wall time.
//! - `parse`: generates a 39 MB RSS file with 20,000 items and times `parse_feed` on it
//!   (MB/s). Run under `/usr/bin/time -v` for the peak memory.

use std::path::Path;
use std::time::Instant;

use chrono::DateTime;
use feedloom::merge::{FetchSettings, MergeSource, NoCache, collect, dedupe, finish, parse_feed};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

const FEEDS: usize = 200;
const ITEMS: usize = 50;

fn feed(n: usize, items: usize, body_len: usize) -> String {
    let body =
        "Copper prices rose again as demand from grid projects grew. ".repeat(body_len / 60 + 1);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Feed {n}</title><link>https://site{n}.example.com/</link><description>Bench feed</description>\n"
    );
    for i in 0..items {
        let day = 1 + (i % 28);
        xml.push_str(&format!(
            "<item><title>Feed {n} item {i} &amp; more</title><link>https://site{n}.example.com/posts/{i}?utm_source=rss</link><guid>https://site{n}.example.com/posts/{i}</guid><pubDate>Mon, {day:02} Jun 2020 {h:02}:00:00 +0800</pubDate><category>metals</category><description>Summary of item {i}</description><content:encoded><![CDATA[<p>{body}</p><p><a href=\"/rel/{i}\">more</a><img src=\"x.png\"></p>]]></content:encoded></item>\n",
            h = i % 24
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// A minimal HTTP/1.1 server: each response is written in one piece (headers and body
/// together), so the timing measures the client, not a server's small writes.
fn serve(bodies: Vec<String>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let bodies = Arc::new(bodies);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let bodies = bodies.clone();
            std::thread::spawn(move || answer(stream, &bodies));
        }
    });
    port
}

fn answer(mut stream: TcpStream, bodies: &[String]) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
            line.clear();
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or("/");
        let n: usize = path.trim_start_matches("/feed/").parse().unwrap_or(0);
        let body = bodies[n % bodies.len()].as_bytes();
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        if stream.write_all(&response).is_err() {
            return;
        }
    }
}

fn bench_collect() {
    let bodies: Vec<String> = (0..FEEDS).map(|n| feed(n, ITEMS, 600)).collect();
    let port = serve(bodies);
    let sources: Vec<MergeSource> = (0..FEEDS)
        .map(|n| MergeSource::url(format!("http://127.0.0.1:{port}/feed/{n}")))
        .collect();
    let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").expect("fixed date");
    // The server is on this machine: the address guard must be told to let it through.
    let loopback = FetchSettings {
        allow_private: true,
        ..FetchSettings::default()
    };
    for (label, settings) in [
        ("defaults (8 at once, 2 per host)", loopback.clone()),
        (
            "8 at once, 8 per host",
            FetchSettings {
                per_host: 8,
                ..loopback
            },
        ),
    ] {
        let started = Instant::now();
        let (entries, diagnostics) = collect(&sources, Path::new("."), &settings, &NoCache, now);
        let fetched = started.elapsed();
        let count = entries.len();
        let merged = finish(dedupe(entries), Some(50));
        let total = started.elapsed();
        println!(
            "collect {FEEDS} feeds x {ITEMS} items, {label}: {count} entries, {} warnings, fetch+parse {:.0} ms, +dedupe+sort {:.0} ms wall (kept {})",
            diagnostics.len(),
            fetched.as_secs_f64() * 1000.0,
            total.as_secs_f64() * 1000.0,
            merged.len()
        );
    }
}

fn bench_parse() {
    let xml = feed(0, 20_000, 1_500);
    let mb = xml.len() as f64 / 1_000_000.0;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.xml");
    std::fs::write(&path, &xml).expect("write big feed");
    drop(xml);
    let bytes = std::fs::read(&path).expect("read big feed");
    let url = url::Url::from_file_path(&path).expect("file URL");
    let started = Instant::now();
    let parsed = parse_feed(&bytes, None, &url);
    let secs = started.elapsed().as_secs_f64();
    match parsed {
        Ok(feed) => println!(
            "parse {mb:.1} MB, {} items: {:.2} s, {:.1} MB/s",
            feed.entries.len(),
            secs,
            mb / secs
        ),
        Err(e) => println!("parse failed: {e}"),
    }
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("collect") => bench_collect(),
        Some("parse") => bench_parse(),
        _ => {
            bench_collect();
            bench_parse();
        }
    }
}
