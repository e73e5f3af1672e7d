//! What feedparser reads in every feed feedloom writes from the samples, compared field for
//! field with stored readings (`tests/fixtures/readings/`): each article of `samples/`
//! converted alone in every format, and the feeds the sample project builds.
//!
//! The layout of a document may change (white space, empty elements); what a reader sees may
//! not. After a deliberate change of what readers see, write the readings anew with
//! `FEEDLOOM_BLESS=1 cargo test --test feed_readings` and say in the commit why they moved.
//!
//! Needs `python3` with feedparser (`pip install -r scripts/requirements.txt`). Without it the
//! test says so and passes, unless `FEEDLOOM_REQUIRE_TOOLS=1` (set by `.ci/run`).

mod sample_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use sample_common::copy_sample_project;

const FORMATS: [(&str, &str); 3] = [("rss", "xml"), ("atom", "atom"), ("json", "json")];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn feedloom(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "feedloom {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn feedparser_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import feedparser"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("FEEDLOOM_REQUIRE_TOOLS").is_some() {
        panic!("python3 with feedparser is required (pip install -r scripts/requirements.txt)");
    }
    if !ok {
        eprintln!("skipped: python3 with feedparser is not installed");
    }
    ok
}

/// The sample articles, by file name.
fn articles() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .expect("samples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Converts each sample article alone, in every format, into `dir`.
fn convert_each(dir: &Path) -> Vec<PathBuf> {
    let mut outputs = Vec::new();
    for article in articles() {
        let stem = article.file_name().and_then(|n| n.to_str()).expect("name");
        for (format, ext) in FORMATS {
            let out = dir.join(format!("{stem}.{ext}"));
            feedloom(&[
                "convert",
                "--format",
                format,
                "--timezone",
                "Asia/Shanghai",
                "--title",
                "样例",
                "--link",
                "https://www.example.com/",
                "--feed-url",
                &format!("https://www.example.com/feeds/{stem}.{ext}"),
                "--link-template",
                "https://www.example.com/news/{slug}.html",
                "--drafts",
                "-o",
                out.to_str().expect("path"),
                article.to_str().expect("path"),
            ]);
            outputs.push(out);
        }
    }
    outputs
}

/// Builds the sample project (a copy of `feeds/` and `samples/`) in `dir`.
fn build_project(dir: &Path) -> Vec<PathBuf> {
    copy_sample_project(dir);
    let _ = std::fs::remove_file(dir.join("feeds/.feedloom.sqlite"));
    let feeds = dir.join("feeds");
    feedloom(&["build", "--feeds", feeds.to_str().expect("path")]);
    let mut outputs: Vec<PathBuf> = std::fs::read_dir(dir.join("public"))
        .expect("public/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e != "html"))
        .collect();
    outputs.sort();
    outputs
}

fn read(files: &[PathBuf]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(root().join("scripts/readings.py"))
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("readings are JSON")
}

fn compare(name: &str, got: serde_json::Value) {
    let stored = root().join("tests/fixtures/readings").join(name);
    if std::env::var_os("FEEDLOOM_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&got).expect("json");
        std::fs::write(&stored, text + "\n").expect("write the readings");
        return;
    }
    let want: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&stored).unwrap_or_else(|e| panic!("{}: {e}", stored.display())),
    )
    .expect("stored readings are JSON");
    let (got, want) = (
        got.as_object().expect("map"),
        want.as_object().expect("map"),
    );
    let names = |m: &serde_json::Map<_, _>| m.keys().cloned().collect::<Vec<String>>();
    assert_eq!(names(got), names(want), "{name}: the files read");
    for (file, reading) in want {
        assert_eq!(
            got.get(file),
            Some(reading),
            "{name}: feedparser reads {file} differently from the stored reading"
        );
    }
}

#[test]
fn every_sample_article_reads_as_stored() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = convert_each(dir.path());
    compare("articles.json", read(&outputs));
}

#[test]
fn the_sample_project_reads_as_stored() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs = build_project(dir.path());
    assert_eq!(outputs.len(), 6, "{outputs:?}");
    compare("project.json", read(&outputs));
}
