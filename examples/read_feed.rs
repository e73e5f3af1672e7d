//! Prints what the external feed reader finds in feed files, as one JSON object per file
//! (title, link, warnings, and each entry's id, title, link and dates in document order),
//! for `scripts/compare_feedparser.py`.
//!
//! `cargo run --example read_feed -- [--base URL] [--content-type TYPE] FILE...`
//!
//! With `--base`, each FILE is read as if fetched from the base joined with the path as
//! given (so relative links resolve as they would on a web server); without it, from the
//! file's own `file:` URL. `--content-type` is the HTTP header to pretend it came with.

use std::path::Path;

use feedloom::merge::parse_feed;
use serde_json::{Value, json};
use url::Url;

fn main() {
    let mut base: Option<Url> = None;
    let mut content_type: Option<String> = None;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base" => base = args.next().and_then(|b| Url::parse(&b).ok()),
            "--content-type" => content_type = args.next(),
            _ => files.push(arg),
        }
    }
    for file in files {
        println!("{}", read(&file, base.as_ref(), content_type.as_deref()));
    }
}

fn read(file: &str, base: Option<&Url>, content_type: Option<&str>) -> Value {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return json!({"file": file, "error": e.to_string()}),
    };
    let url = match base {
        Some(b) => b.join(file).ok(),
        None => std::path::absolute(Path::new(file))
            .ok()
            .and_then(|p| Url::from_file_path(p).ok()),
    };
    let Some(url) = url else {
        return json!({"file": file, "error": "no URL for this path"});
    };
    match parse_feed(&bytes, content_type, &url) {
        Err(e) => json!({"file": file, "error": e.to_string()}),
        Ok(feed) => json!({
            "file": file,
            "title": feed.title,
            "link": feed.home_page_url.map(String::from),
            "warnings": feed.warnings,
            "entries": feed.entries.iter().map(|e| json!({
                "id": e.id,
                "title": e.title,
                "link": e.link.as_ref().map(Url::as_str),
                "published": e.published.map(|d| d.to_rfc3339()),
                "updated": e.updated.map(|d| d.to_rfc3339()),
            })).collect::<Vec<_>>(),
        }),
    }
}
