//! How fast, and in how much memory, external feeds are read.
//!
//! `cargo run --release --example parse_throughput [ITEMS]`
//!
//! Generates an RSS 2.0 file and an Atom 1.0 file of ITEMS entries (20,000 by default: about
//! 40 MB each, every entry with an HTML body), reads each through `parse_feed`, and prints
//! the size, the time, MB/s, and the peak resident memory while reading (VmHWM from
//! `/proc/self/status`, reset before each read) against the budget of twice the file plus
//! 50 MiB. A measurement, not a test: run it on a quiet machine.

use std::time::Instant;

use feedloom::merge::parse_feed;
use url::Url;

const MIB: f64 = 1024.0 * 1024.0;

fn body(i: usize) -> String {
    let paragraph = "Copper prices rose again as demand from grid projects grew, while \
                     smelters in the south reported steady output and traders watched stocks. ";
    format!(
        "<p>{}</p><p>See <a href=\"/related/{i}\">the related story</a> and \
         <img src=\"chart-{i}.png\" alt=\"chart\"> for the figures.</p>",
        paragraph.repeat(10)
    )
}

fn rss(items: usize) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Big feed</title>\
         <link>https://big.example.com/</link><description>Throughput</description>\n",
    );
    for i in 0..items {
        xml.push_str(&format!(
            "<item><title>Item {i} &amp; more</title><link>https://big.example.com/posts/{i}</link>\
             <guid isPermaLink=\"false\">big-{i}</guid><pubDate>Mon, {:02} Jun 2020 {:02}:00:00 +0800</pubDate>\
             <dc:creator>Writer {}</dc:creator><category>metals</category>\
             <description>Summary of item {i}</description>\
             <content:encoded><![CDATA[{}]]></content:encoded></item>\n",
            1 + i % 28,
            i % 24,
            i % 17,
            body(i)
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml.into_bytes()
}

fn atom(items: usize) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Big feed</title><link href=\"https://big.example.com/\"/><id>urn:big</id>\
         <updated>2020-06-28T00:00:00Z</updated>\n",
    );
    for i in 0..items {
        let escaped = quick_xml::escape::escape(body(i)).into_owned();
        xml.push_str(&format!(
            "<entry><title type=\"html\">Item {i} &amp;amp; more</title>\
             <link rel=\"alternate\" href=\"https://big.example.com/posts/{i}\"/><id>urn:big:{i}</id>\
             <published>2020-06-{:02}T{:02}:00:00+08:00</published><updated>2020-06-{:02}T{:02}:30:00Z</updated>\
             <author><name>Writer {}</name></author><category term=\"metals\"/>\
             <summary>Summary of item {i}</summary><content type=\"html\">{escaped}</content></entry>\n",
            1 + i % 28,
            i % 24,
            1 + i % 28,
            i % 24,
            i % 17
        ));
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// The process's peak resident memory in bytes (`VmHWM`), if the system tells.
fn peak_rss() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}

/// Resets the peak to the current resident memory (Linux 4.0 and later).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn measure(name: &str, bytes: &[u8]) {
    let url = Url::parse("https://big.example.com/feed").expect("a valid URL");
    reset_peak();
    let started = Instant::now();
    let feed = parse_feed(bytes, None, &url);
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss();
    let entries = feed.as_ref().map(|f| f.entries.len()).unwrap_or(0);
    let size = bytes.len() as f64;
    let budget = 2.0 * size + 50.0 * MIB;
    println!(
        "{name}: {:.1} MB, {entries} entries, {seconds:.2} s, {:.1} MB/s, peak RSS {}, budget {:.0} MiB",
        size / 1e6,
        size / 1e6 / seconds,
        peak.map_or("unknown".into(), |p| format!(
            "{:.0} MiB ({:.2}x the file)",
            p / MIB,
            p / size
        )),
        budget / MIB,
    );
    drop(feed);
}

fn main() {
    let items = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let bytes = rss(items);
    measure("RSS 2.0", &bytes);
    drop(bytes);
    let bytes = atom(items);
    measure("Atom 1.0", &bytes);
}
