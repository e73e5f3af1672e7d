//! Times the readers on inputs shaped to make them slow or large: deep nesting, unmatched end
//! tags, a million items, entity expansion, broken UTF-16. Each input is generated here, read
//! through the library's entry points (an external feed: `merge::parse_feed`; an article:
//! `source::read_bytes`, then `mapper::map`), written as RSS, Atom and JSON Feed, and reported
//! with its wall time, CPU time (user and system: steadier than wall time on a busy machine)
//! and peak memory (`VmHWM` of a child process that runs only that case).
//!
//! `cargo run --release --example hostile_inputs [-- CASE...] [--timeout SECS]`
//!
//! A regression shows as a case that takes seconds instead of milliseconds, or hundreds of
//! megabytes instead of tens. These figures are a benchmark, not a test: timings depend on the
//! machine, so no test asserts them.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use feedloom::emit::{self, Format};
use feedloom::mapper::{self, ArticleKey, MapOptions};
use feedloom::model::Feed;
use feedloom::source::{ReadOptions, SourceKind};

/// Which entry point reads an input.
#[derive(Clone, Copy)]
enum Reader {
    Feed,
    Article(SourceKind),
}

/// One hostile input: its name, the reader, and how to make it.
struct Case {
    name: &'static str,
    reader: Reader,
    make: fn() -> Vec<u8>,
}

const CASES: &[Case] = &[
    Case {
        name: "xml-unmatched-end-tags",
        reader: Reader::Feed,
        make: || unmatched_end_tags_under(100_000),
    },
    Case {
        name: "xml-unmatched-end-tags-60k",
        reader: Reader::Feed,
        make: || unmatched_end_tags_under(60_000),
    },
    Case {
        name: "html-nested-divs",
        reader: Reader::Article(SourceKind::Html),
        make: || nested_divs(100_000, true),
    },
    Case {
        name: "html-unclosed-divs",
        reader: Reader::Article(SourceKind::Html),
        make: || nested_divs(100_000, false),
    },
    Case {
        name: "html-formatting-reopened",
        reader: Reader::Article(SourceKind::Html),
        make: formatting_reopened,
    },
    Case {
        name: "html-deep-then-paragraphs",
        reader: Reader::Article(SourceKind::Html),
        make: deep_then_paragraphs,
    },
    Case {
        name: "rss-nested-escaped-html",
        reader: Reader::Feed,
        make: nested_escaped_html,
    },
    Case {
        name: "rss-million-items",
        reader: Reader::Feed,
        make: million_items,
    },
    Case {
        name: "json-million-items",
        reader: Reader::Feed,
        make: million_json_items,
    },
    Case {
        name: "markdown-nested-html",
        reader: Reader::Article(SourceKind::Markdown),
        make: markdown_nested_html,
    },
    Case {
        name: "markdown-nested-quotes",
        reader: Reader::Article(SourceKind::Markdown),
        make: markdown_nested_quotes,
    },
    Case {
        name: "billion-laughs",
        reader: Reader::Feed,
        make: billion_laughs,
    },
    Case {
        name: "quadratic-entity",
        reader: Reader::Feed,
        make: quadratic_entity,
    },
    Case {
        name: "utf16-odd-length",
        reader: Reader::Feed,
        make: utf16_odd_length,
    },
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--case") {
        let name = args.get(at + 1).map(String::as_str).unwrap_or_default();
        std::process::exit(run_case(name));
    }
    let mut timeout = Duration::from_secs(300);
    let mut wanted = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--timeout" => {
                let secs = it.next().and_then(|s| s.parse().ok()).unwrap_or(300);
                timeout = Duration::from_secs(secs);
            }
            name => wanted.push(name.to_string()),
        }
    }
    println!(
        "{:<30} {:>8} {:>9} {:>9} {:>9}  result",
        "case", "input", "time", "CPU", "peak RSS"
    );
    for case in CASES {
        if wanted.is_empty() || wanted.iter().any(|w| w == case.name) {
            run_child(case.name, timeout);
        }
    }
}

/// Runs one case in a child process, so that its peak memory is its own.
fn run_child(name: &str, timeout: Duration) {
    let Ok(exe) = std::env::current_exe() else {
        eprintln!("cannot find this program");
        return;
    };
    let child = Command::new(exe)
        .args(["--case", name])
        .stdout(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{name}: cannot start: {e}");
            return;
        }
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if !status.success() => {
                println!("{name:<30} failed: {status}");
                return;
            }
            Ok(Some(_)) => return,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                println!(
                    "{name:<26} {:>10} {:>9.0}s  (killed)",
                    "",
                    timeout.as_secs_f64()
                );
                return;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                println!("{name:<30} cannot wait: {e}");
                return;
            }
        }
    }
}

/// Runs the case `name` in this process and prints its line; the exit code is 0 when it ran.
fn run_case(name: &str) -> i32 {
    let Some(case) = CASES.iter().find(|c| c.name == name) else {
        eprintln!("no case {name:?}");
        return 2;
    };
    let input = (case.make)();
    reset_peak();
    let (start, cpu) = (Instant::now(), cpu_seconds());
    let result = match case.reader {
        Reader::Feed => read_feed(&input),
        Reader::Article(kind) => read_article(&input, kind),
    };
    let elapsed = start.elapsed();
    let cpu = cpu_seconds().zip(cpu).map(|(end, start)| end - start);
    println!(
        "{:<30} {:>6.1}MB {:>8.2}s {:>8}s {:>7}MB  {result}",
        case.name,
        input.len() as f64 / 1e6,
        elapsed.as_secs_f64(),
        cpu.map_or("?".into(), |s| format!("{s:.2}")),
        peak_rss_kb().map_or("?".into(), |kb| format!("{:.0}", kb as f64 / 1024.0)),
    );
    0
}

fn read_feed(input: &[u8]) -> String {
    let url = url::Url::parse("https://hostile.example/feed.xml").expect("static URL");
    match feedloom::merge::parse_feed(input, None, &url) {
        Ok(parsed) => {
            let summary = format!(
                "{} entries, {} warnings{}",
                parsed.entries.len(),
                parsed.warnings.len(),
                first_warning(parsed.warnings.first())
            );
            let feed = Feed {
                title: parsed.title,
                entries: parsed.entries,
                ..Feed::default()
            };
            format!("{summary}; {}", written(&feed))
        }
        Err(e) => format!("refused: {}", shorten(&e.to_string())),
    }
}

fn read_article(input: &[u8], kind: SourceKind) -> String {
    let path = Path::new("hostile/article");
    let article =
        match feedloom::source::read_bytes(path, input, Some(kind), &ReadOptions::default()) {
            Ok(a) => a,
            Err(e) => return format!("refused: {}", shorten(&e.to_string())),
        };
    let key = ArticleKey::new(Path::new("hostile"), path);
    let (entry, warnings) = mapper::map(&article, &key, &MapOptions::default());
    let summary = format!(
        "{} warnings{}",
        warnings.len(),
        first_warning(warnings.first().map(|w| w.to_string()).as_ref())
    );
    let feed = Feed {
        title: "hostile".into(),
        entries: vec![entry],
        ..Feed::default()
    };
    format!("{summary}; {}", written(&feed))
}

/// The sizes of the feed written in each format.
fn written(feed: &Feed) -> String {
    Format::ALL
        .iter()
        .map(|&f| match emit::write(feed, f) {
            Ok(bytes) => format!("{f} {:.1} KB", bytes.len() as f64 / 1024.0),
            Err(e) => format!("{f} failed: {e}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn first_warning(w: Option<&String>) -> String {
    w.map(|w| format!(" (\"{}\")", shorten(w)))
        .unwrap_or_default()
}

fn shorten(text: &str) -> String {
    let short: String = text.chars().take(90).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Resets this process's peak resident set size (Linux), so that making the input is not
/// counted.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The CPU time this process has used (user and system), from `/proc/self/stat` (Linux,
/// in clock ticks of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) start past its `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

/// The peak resident set size in KiB (`VmHWM`), on Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const RSS_HEAD: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Hostile</title>\
    <link>https://hostile.example/</link><description>d</description>";

/// `open` open elements inside an item, then 700 KB of end tags that close none of them.
/// quick-xml refuses to nest deeper than 65,535 elements: 100,000 make the feed unreadable
/// (refused at once), 60,000 leave it readable.
fn unmatched_end_tags_under(open: usize) -> Vec<u8> {
    let mut xml = String::from(RSS_HEAD);
    xml.push_str("<item><title>Unmatched</title><description>");
    xml.push_str(&"<a>".repeat(open));
    xml.push_str(&"</b>".repeat(175_000));
    xml.push_str("</description></item></channel></rss>");
    xml.into_bytes()
}

/// A page whose article is `depth` nested `<div>`s around one paragraph, closed or not.
fn nested_divs(depth: usize, closed: bool) -> Vec<u8> {
    let mut html =
        String::from("<!DOCTYPE html><html><head><title>Nested divs</title></head><body><article>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>A paragraph nested very deep in a page of divs.</p>");
    if closed {
        html.push_str(&"</div>".repeat(depth));
        html.push_str("</article></body></html>");
    }
    html.into_bytes()
}

/// A page whose first paragraph leaves 400 distinct `<b>` elements open, then 20,000
/// paragraphs: a parser reopens every formatting element left open in each of them.
fn formatting_reopened() -> Vec<u8> {
    let mut html = String::from("<html><head><title>Bold</title></head><body><article><p>");
    for i in 0..400 {
        html.push_str(&format!("<b class=c{i}>"));
    }
    html.push_str("</p>");
    html.push_str(&"<p>A short paragraph of prose.</p>".repeat(20_000));
    html.push_str("</article></body></html>");
    html.into_bytes()
}

/// A page nested just under the depth the reader flattens at, then 30,000 paragraphs there.
fn deep_then_paragraphs() -> Vec<u8> {
    let depth = feedloom::sanitize::MAX_HTML_DEPTH - 4;
    let mut html = String::from("<html><head><title>Deep</title></head><body><article>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str(&"<p>A short paragraph of prose, deep in the page.</p>".repeat(30_000));
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</article></body></html>");
    html.into_bytes()
}

/// An item whose description is 100,000 nested `<div>`s written as escaped HTML (2.3 MB).
fn nested_escaped_html() -> Vec<u8> {
    let depth = 100_000;
    let mut xml = String::from(RSS_HEAD);
    xml.push_str("<item><title>Escaped</title><link>https://hostile.example/1</link><description>");
    xml.push_str(&"&lt;div&gt;".repeat(depth));
    xml.push_str("deep");
    xml.push_str(&"&lt;/div&gt;".repeat(depth));
    xml.push_str("</description></item></channel></rss>");
    xml.into_bytes()
}

/// A 34 MB RSS feed of a million tiny items.
fn million_items() -> Vec<u8> {
    let mut xml = String::from(RSS_HEAD);
    for i in 0..1_000_000 {
        xml.push_str(&format!("<item><guid>{i}</guid></item>"));
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

/// A JSON Feed of a million tiny items.
fn million_json_items() -> Vec<u8> {
    let mut json =
        String::from(r#"{"version":"https://jsonfeed.org/version/1.1","title":"H","items":["#);
    for i in 0..1_000_000 {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(r#"{{"id":"{i}","content_text":"x"}}"#));
    }
    json.push_str("]}");
    json.into_bytes()
}

/// Markdown whose body is 100,000 nested raw `<div>`s.
fn markdown_nested_html() -> Vec<u8> {
    let depth = 100_000;
    format!(
        "---\ntitle: Nested\ndate: 2024-05-01\n---\n\n{}deep{}\n",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
    .into_bytes()
}

/// Markdown of 50,000 nested block quotes.
fn markdown_nested_quotes() -> Vec<u8> {
    format!(
        "---\ntitle: Quotes\ndate: 2024-05-01\n---\n\n{} deep\n",
        ">".repeat(50_000)
    )
    .into_bytes()
}

/// Ten levels of entities each ten times the last: 3 GB if expanded.
fn billion_laughs() -> Vec<u8> {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let prev = if level == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", level - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title>");
    xml.push_str("<item><title>Laughs &lol9;</title><link>https://hostile.example/1</link>");
    xml.push_str("</item></channel></rss>");
    xml.into_bytes()
}

/// One 50 KB entity referenced 50,000 times: 2.5 GB if expanded.
fn quadratic_entity() -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"{}\">]>\n",
        "a".repeat(50_000)
    );
    xml.push_str(RSS_HEAD.trim_start_matches("<?xml version=\"1.0\"?>"));
    xml.push_str("<item><title>Blow-up</title><description>");
    xml.push_str(&"&a;".repeat(50_000));
    xml.push_str("</description></item></channel></rss>");
    xml.into_bytes()
}

/// A UTF-16LE feed with a byte order mark and an odd number of bytes (1 MB).
fn utf16_odd_length() -> Vec<u8> {
    let mut text = String::from(RSS_HEAD);
    for i in 0..10_000 {
        text.push_str(&format!("<item><title>铜 {i}</title></item>"));
    }
    text.push_str("</channel></rss>");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.push(b'<');
    bytes
}
