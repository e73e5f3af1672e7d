//! `feedloom convert` through the real binary, read back with independent parsers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn feedloom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

const SAMPLE_LINK: &str = "https://www.example.com/news/cnmn-2020-07-10-xi-putin-calls.html";

fn convert(format: &str) -> Vec<u8> {
    let samples = samples();
    let out = feedloom(&[
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
        "https://www.example.com/feed",
        "--link-template",
        "https://www.example.com/news/{slug}.html",
        samples
            .join("cnmn-2020-07-10-xi-putin-calls.txt")
            .to_str()
            .unwrap(),
        samples
            .join("mining-weekly-2023-01-09-lithium.txt")
            .to_str()
            .unwrap(),
        samples
            .join("gbk-2020-05-20-zinc-smelter.txt")
            .to_str()
            .unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn rss_and_atom_read_back_with_feed_rs() {
    for format in ["rss", "atom", "json"] {
        let bytes = convert(format);
        let feed =
            feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(
            feed.title.map(|t| t.content).as_deref(),
            Some("样例"),
            "{format}"
        );
        let titles: Vec<String> = feed
            .entries
            .iter()
            .map(|e| e.title.clone().unwrap().content)
            .collect();
        assert_eq!(
            titles,
            [
                "Lithium prices cool as new supply comes online",
                "4个月内4次通话,习近平再同普京强调“相互支持”",
                "锌冶炼企业加工费下调",
            ],
            "{format}: newest first"
        );
        let real = &feed.entries[1];
        assert_eq!(real.links[0].href, SAMPLE_LINK, "{format}");
        let published = real
            .published
            .unwrap_or_else(|| panic!("{format}: no date"));
        assert_eq!(
            published.to_rfc3339(),
            "2020-07-10T01:52:00+00:00",
            "{format}"
        );
        let html = real
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            html.contains("<h2>守望相助 共同抗击疫情</h2>"),
            "{format}: {html:.200}"
        );
        if format != "json" {
            let authors: Vec<&str> = real
                .authors
                .iter()
                .filter_map(|p| p.name.as_deref())
                .collect();
            assert_eq!(authors, ["孙奕"], "{format}");
        }
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    for format in ["rss", "atom", "json"] {
        assert_eq!(convert(format), convert(format), "{format}");
    }
}

#[test]
fn output_file_is_left_untouched_when_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out/feed.xml");
    let samples = samples();
    let args = [
        "convert",
        "-o",
        target.to_str().unwrap(),
        samples.to_str().unwrap(),
    ];
    assert!(feedloom(&args).status.success());
    let first = std::fs::metadata(&target).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(feedloom(&args).status.success());
    assert_eq!(
        std::fs::metadata(&target).unwrap().modified().unwrap(),
        first
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
}

#[test]
fn a_bad_article_is_reported_and_the_rest_converted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        samples().join("cnmn-2020-07-10-xi-putin-calls.txt"),
        dir.path().join("good.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = feedloom(&["convert", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("empty.txt: the file is empty"), "{stderr}");
    let feed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
    let quiet = feedloom(&["--quiet", "convert", dir.path().to_str().unwrap()]);
    assert!(quiet.stderr.is_empty(), "--quiet prints no warnings");
}

#[test]
fn usage_errors_exit_with_code_2() {
    let out = feedloom(&["convert", "--format", "yaml", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let out = feedloom(&["convert", "--timezone", "Mars/Olympus", "x"]);
    assert_eq!(out.status.code(), Some(2));
}
