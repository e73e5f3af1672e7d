//! What a new user meets first, through the real binary: binary files among articles,
//! copies of one story in two feeds, error messages of several lines, conversions that
//! have nothing to convert, a build run outside any project.

use std::path::Path;
use std::process::{Command, Output};

fn feedloom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_binary_file_behind_a_utf16_byte_order_mark_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = b"\xff\xfe\x00\x67\x61\x72\x62\x61\x67\x65\x00\x01\x02";
    write(&dir.path().join("articles/garbage.txt"), garbage);
    write(
        &dir.path().join("articles/good.txt"),
        "好文章\n2021-01-01 10:00\n\n正文。\n",
    );
    let out = feedloom(dir.path(), &["convert", "articles"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("garbage.txt: the file is binary, not text"),
        "{err}"
    );
    let feed = feed_rs::parser::parse(out.stdout.as_slice()).expect("a feed");
    let titles: Vec<_> = (feed.entries.iter())
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert_eq!(titles, ["好文章"]);
}

#[test]
fn of_two_copies_of_a_story_the_one_with_more_text_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        &dir.path().join("a.xml"),
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>A</title>
        <link>https://a.example/</link><description>a</description><item><title>Story</title>
        <link>https://story.example/1</link><pubDate>Fri, 03 May 2024 09:00:00 +0000</pubDate>
        <description>&lt;p&gt;First&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src="/pix.gif" onload="x()"&gt;&lt;/p&gt;</description>
        </item></channel></rss>"#,
    );
    write(
        &dir.path().join("b.atom"),
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B</title>
        <id>urn:b</id><updated>2024-05-03T09:00:00Z</updated><entry><title>Story</title>
        <id>urn:b:1</id><link href="https://story.example/1"/><updated>2024-05-03T09:00:00Z</updated>
        <content type="html">&lt;p&gt;First, copied with more words than the original had&lt;/p&gt;</content>
        </entry></feed>"#,
    );
    let out = feedloom(
        dir.path(),
        &["merge", "--format", "atom", "a.xml", "b.atom"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = feed_rs::parser::parse(out.stdout.as_slice()).expect("a feed");
    assert_eq!(feed.entries.len(), 1);
    let body = (feed.entries[0].content.as_ref())
        .and_then(|c| c.body.clone())
        .expect("content");
    assert!(body.contains("copied with more words"), "{body}");
}

#[test]
fn a_toml_error_keeps_its_lines_and_ends_with_its_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        &dir.path().join("feeds/news.toml"),
        "title = \"News\"\nlimt = 5\n[[source]]\npath = \"a\"\n[output]\nrss = \"o.xml\"\n",
    );
    let out = feedloom(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\u{fffd}'), "{err}");
    assert!(err.contains("\n    |\n  2 | limt = 5\n"), "{err}");
    assert!(err.contains("unknown field `limt`"), "{err}");
    assert!(!err.contains("exit code"), "{err}");
}

#[test]
fn converting_nothing_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = feedloom(dir.path(), &["convert", "/nonexistent/articles"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr(&out).contains("/nonexistent/articles"),
        "{}",
        stderr(&out)
    );
    let written = dir.path().join("out.xml");
    let out = feedloom(
        dir.path(),
        &["convert", "-o", "out.xml", "/nonexistent/articles"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!written.exists());
}

#[test]
fn a_feed_without_a_site_has_no_channel_link_but_a_web_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        &dir.path().join("articles/a.txt"),
        "一篇文章\n2021-01-01 10:00\n\n正文。\n",
    );
    let out = feedloom(dir.path(), &["convert", "articles"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("<link>tag:"), "{text}");
    assert!(!text.contains(",2026:"), "{text}");
}

#[test]
fn build_outside_a_project_says_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = feedloom(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no `feeds` folder here"), "{err}");
    assert!(
        err.contains("--feeds DIR") && err.contains("feedloom init"),
        "{err}"
    );
}

#[test]
fn init_starts_a_project_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = feedloom(dir.path(), &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("feeds/example.toml").is_file());
    let out = feedloom(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read(dir.path().join("public/example.xml")).expect("built");
    let feed = feed_rs::parser::parse(written.as_slice()).expect("a feed");
    assert_eq!(feed.entries.len(), 1);
    let again = feedloom(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn every_command_has_examples_completions_and_a_manual_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in [
        "build",
        "convert",
        "merge",
        "opml",
        "init",
        "completions",
        "man",
    ] {
        let out = feedloom(dir.path(), &[command, "--help"]);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("\nExamples:\n  feedloom "),
            "{command}: {help}"
        );
    }
    for (shell, marker) in [
        ("bash", "_feedloom()"),
        ("zsh", "#compdef feedloom"),
        ("fish", "complete -c feedloom"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = feedloom(dir.path(), &["completions", shell]);
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && script.contains(marker),
            "{shell}: {script}"
        );
        assert!(
            script.contains("convert") && script.contains("lock-timeout"),
            "{shell}"
        );
    }
    let out = feedloom(dir.path(), &["man"]);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        page.contains(".TH feedloom 1") && page.contains("convert"),
        "{page}"
    );
    let pages = dir.path().join("man");
    let out = feedloom(dir.path(), &["man", "--dir", "man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let build =
        std::fs::read_to_string(pages.join("feedloom-build.1")).expect("a page per command");
    assert!(build.contains("lock\\-timeout"), "{build}");
}

#[test]
fn an_article_language_is_written_as_a_tag_readers_know_or_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        &dir.path().join("posts/a.md"),
        "---\ntitle: A\ndate: 2024-01-01\nlang: en_GB\n---\nBody.\n",
    );
    write(
        &dir.path().join("posts/b.md"),
        "---\ntitle: B\ndate: 2024-01-02\nlang: Klingonese\n---\nBody.\n",
    );
    let out = feedloom(
        dir.path(),
        &[
            "convert",
            "--format",
            "json",
            "--language",
            "zh-CN",
            "posts",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let feed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let language = |title: &str| {
        (feed["items"].as_array().expect("items").iter())
            .find(|i| i["title"] == title)
            .map(|i| i["language"].clone())
            .expect("item")
    };
    assert_eq!(language("A"), "en-GB");
    assert!(language("B").is_null());
    assert!(
        stderr(&out).contains("b.md:4: the language \"Klingonese\""),
        "{}",
        stderr(&out)
    );
    let out = feedloom(dir.path(), &["convert", "--language", "Chinese", "posts"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A timeout past an hour is a usage error: one near `u64::MAX` once overflowed the fetch
/// deadline and panicked (exit 101) before anything was fetched.
#[test]
fn a_timeout_past_an_hour_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in ["validate", "merge"] {
        for timeout in ["18446744073709551615", "3601"] {
            let out = feedloom(
                dir.path(),
                &[command, "--timeout", timeout, "http://127.0.0.1:9/feed.xml"],
            );
            assert_eq!(out.status.code(), Some(2), "{command} --timeout {timeout}");
            assert!(stderr(&out).contains("1..=3600"), "{}", stderr(&out));
        }
    }
}

/// A URL of a scheme feedloom does not fetch is said to be one, not read as a file path.
#[test]
fn merging_an_ftp_url_says_which_urls_can_be_merged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = feedloom(dir.path(), &["merge", "ftp://127.0.0.1/feed.xml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("ftp: URLs cannot be merged"), "{err}");
    assert!(!err.contains("file://"), "{err}");
}
