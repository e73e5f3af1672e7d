//! Timing full text for merged items.
//!
//! `cargo run --release --example full_text_bench [ITEMS] [LATENCY_MS]`
//!
//! A loopback HTTP server (a few lines of std, below) serves one summary-only RSS feed of
//! `ITEMS` (500) new items, all linking to article pages on the same host (about 45 KB each:
//! inline styles and scripts, navigation, share buttons, comments and a footer around a
//! 6 KB article). `feedloom
//! merge --full-text` is run through the library with `per_host = 4`, a cache folder, and
//! then again on the same folder (every article reused). Each page answer waits
//! `LATENCY_MS` (0) first, to stand for a distant server. Prints wall time, pages per
//! second and the most requests the server saw at once.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::DateTime;
use feedloom::emit::Format;
use feedloom::merge::FetchSettings;
use feedloom::pipeline::{MergeOptions, merge};

const PARAGRAPH: &str = "Copper rose to its highest price in two years as grid operators across \
Asia placed large orders for cable ahead of the spring building season, traders said. ";

fn feed(port: u16, items: usize) -> String {
    let base = format!("http://127.0.0.1:{port}");
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench</title><link>{base}/</link>"
    );
    for i in 0..items {
        xml.push_str(&format!(
            "<item><title>Story {i}</title><link>{base}/story/{i}.html</link><guid>{base}/story/{i}.html</guid><pubDate>Mon, 01 Jan 2024 06:00:00 +0800</pubDate><description>Summary of story {i}.</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

/// What pages carry besides the article: inline styles and scripts (about 40 KB).
fn head_weight() -> String {
    let style = ".nav a{color:#333;margin:0 4px}.share{display:flex}".repeat(300);
    let script = "window.ads=window.ads||[];ads.push({slot:'top',size:[728,90]});".repeat(400);
    format!("<style>{style}</style><script>{script}</script>")
}

fn page(i: usize) -> String {
    let body: String = (0..12)
        .map(|p| {
            format!(
                "<p>{p}. {}</p><p><img src=\"img/{i}-{p}.jpg\"></p>",
                PARAGRAPH.repeat(3)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Story {i} | Bench</title>{}</head><body>\
         <div class=\"cookie-banner\">We use cookies.</div><nav><a href=\"/\">Home</a> <a href=\"/m\">Markets</a></nav>\
         <article><h1>Story {i}</h1><div class=\"share\">Share on Twitter</div>{body}\
         <div class=\"related\"><a href=\"/x\">Related story</a></div></article>\
         <section class=\"comments\"><p>A comment on the story, long enough to be read.</p></section>\
         <footer>© Bench</footer></body></html>",
        head_weight()
    )
}

/// The server: one thread per connection, keep-alive, each answer written in one piece.
struct Server {
    port: u16,
    busy: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

fn serve(items: usize, latency: Duration) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let feed = Arc::new(feed(port, items));
    let (busy, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (b, p) = (busy.clone(), peak.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (feed, busy, peak) = (feed.clone(), b.clone(), p.clone());
            std::thread::spawn(move || answer(stream, &feed, latency, &busy, &peak));
        }
    });
    Server { port, busy, peak }
}

fn answer(
    mut stream: TcpStream,
    feed: &str,
    latency: Duration,
    busy: &AtomicUsize,
    peak: &AtomicUsize,
) {
    let _ = stream.set_nodelay(true);
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
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
        let (body, content_type) = match path.strip_prefix("/story/") {
            Some(rest) => {
                let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(latency);
                let i: usize = rest.trim_end_matches(".html").parse().unwrap_or(0);
                busy.fetch_sub(1, Ordering::SeqCst);
                (page(i), "text/html; charset=utf-8")
            }
            None => (feed.to_owned(), "application/rss+xml"),
        };
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body.as_bytes());
        if stream.write_all(&response).is_err() {
            return;
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let items: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let latency = Duration::from_millis(args.next().and_then(|a| a.parse().ok()).unwrap_or(0));
    let server = serve(items, latency);
    let cache = tempfile::tempdir().expect("temp dir");
    let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").expect("date");
    let url = format!("http://127.0.0.1:{}/feed.xml", server.port);
    let mut options = MergeOptions::new(vec![url], now.to_utc());
    options.format = Format::Json;
    options.full_text = true;
    options.cache = Some(cache.path().to_path_buf());
    options.fetch = FetchSettings {
        allow_private: true,
        per_host: 4,
        ..FetchSettings::for_command_line()
    };
    println!(
        "{items} new items on one host, per_host = 4, {} ms per page answer; {} bytes a page",
        latency.as_millis(),
        page(0).len()
    );
    for run in [
        "first run (every page fetched)",
        "second run (every article reused)",
    ] {
        let started = Instant::now();
        let merged = merge(&options).expect("merge");
        let secs = started.elapsed().as_secs_f64();
        let counts = merged.pages.first().cloned().unwrap_or_default();
        println!(
            "{run}: {:.2} s wall, {} fetched ({:.0} pages/s), {} reused, {} failed, {} warnings; at most {} page requests at once",
            secs,
            counts.fetched,
            counts.fetched as f64 / secs,
            counts.reused,
            counts.failed,
            merged.diagnostics.len(),
            server.peak.load(Ordering::SeqCst),
        );
    }
    debug_assert_eq!(server.busy.load(Ordering::SeqCst), 0);
}
