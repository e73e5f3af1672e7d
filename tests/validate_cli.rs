//! `feedloom validate` and `build --validate` through the real binary: the W3C Feed
//! Validation Service's rules on files and on a loopback URL, each problem named with its
//! file, line, column and class; exit codes 0, 1 and 4.

use std::path::Path;
use std::process::{Command, Output};

fn feedloom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An RSS feed with two errors (no description, a bad date) and a warning (no guid).
const BAD_RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>T</title>
    <link>https://e.example/</link>
    <item>
      <title>One</title>
      <pubDate>2020-07-10 9:52</pubDate>
    </item>
  </channel>
</rss>
"#;

/// An RSS feed whose only problem is a warning: no self link.
const WARNED_RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>T</title>
    <link>https://e.example/</link>
    <description>d</description>
  </channel>
</rss>
"#;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("bad.xml"), BAD_RSS).expect("write");
    std::fs::write(dir.path().join("warned.xml"), WARNED_RSS).expect("write");
    dir
}

#[test]
fn each_problem_names_file_line_column_and_class() {
    let dir = project();
    let out = feedloom(dir.path(), &["validate", "bad.xml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "error: bad.xml:3:3: Missing channel element: description [MissingDescription]"
        ),
        "{err}"
    );
    assert!(
        err.contains("error: bad.xml:8:7: ") && err.contains("[InvalidRFC2822Date]"),
        "{err}"
    );
    assert!(
        err.contains("\n  element: pubDate, in item\n  help: "),
        "{err}"
    );
    assert!(
        err.contains("warning: bad.xml:6:5: ") && err.contains("[MissingGuid]"),
        "{err}"
    );
}

#[test]
fn json_gives_one_object_per_problem() {
    let dir = project();
    let out = feedloom(dir.path(), &["validate", "--json", "bad.xml"]);
    assert_eq!(out.status.code(), Some(1));
    let problems: Vec<serde_json::Value> = (text(&out.stdout).lines())
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    let date = (problems.iter())
        .find(|p| p["class"] == "InvalidRFC2822Date")
        .expect("the bad date");
    for key in [
        "file", "line", "column", "level", "class", "element", "parent", "message",
    ] {
        assert!(!date[key].is_null(), "{key} in {date}");
    }
    assert_eq!(
        (date["line"].as_u64(), date["level"].as_str()),
        (Some(8), Some("error"))
    );
    assert_eq!(date["parent"], "item");
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = project();
    let out = feedloom(dir.path(), &["validate", "warned.xml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("[MissingAtomSelfLink]"));
    let out = feedloom(dir.path(), &["--strict", "validate", "warned.xml"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let out = feedloom(dir.path(), &["validate", "missing.xml", "warned.xml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error: missing.xml: cannot read"));
}

#[test]
fn a_url_is_fetched_and_validated() {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("loopback server");
    let port = server.server_addr().to_ip().expect("ip").port();
    let serving = std::thread::spawn(move || {
        let request = server.recv().expect("a request");
        let response = tiny_http::Response::from_string(BAD_RSS);
        request.respond(response).expect("respond");
    });
    let dir = project();
    let url = format!("http://127.0.0.1:{port}/feed.xml");
    let out = feedloom(dir.path(), &["validate", "--allow-private", &url]);
    serving.join().expect("served");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("error: {url}:8:7: ")), "{err}");
}

#[test]
fn the_sample_project_builds_with_validation_and_its_feeds_pass() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["feeds", "samples", "samples/feeds"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(root.join(folder)).expect("read") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && !name.starts_with('.') {
                std::fs::copy(&path, dir.path().join(folder).join(name)).expect("copy");
            }
        }
    }
    let out = feedloom(dir.path(), &["--strict", "build", "--validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut outputs: Vec<String> = (std::fs::read_dir(dir.path().join("public")).expect("public"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e != "html"))
        .map(|p| p.display().to_string())
        .collect();
    outputs.sort();
    assert_eq!(outputs.len(), 6);
    let mut args = vec!["--strict", "validate"];
    args.extend(outputs.iter().map(String::as_str));
    let out = feedloom(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// The help under a missing self link names the link of the feed's own format.
#[test]
fn the_missing_self_link_help_fits_the_format() {
    let dir = project();
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>T</title>
  <id>https://e.example/</id>
  <updated>2024-01-01T00:00:00Z</updated>
  <link href="https://e.example/"/>
  <author><name>A</name></author>
</feed>
"#;
    std::fs::write(dir.path().join("a.atom"), atom).expect("write");
    std::fs::write(dir.path().join("w.xml"), WARNED_RSS).expect("write");
    let out = text(&feedloom(dir.path(), &["validate", "a.atom", "w.xml"]).stderr);
    let help = |class: &str| {
        let at = out
            .find(class)
            .unwrap_or_else(|| panic!("no {class} in {out}"));
        out[at..]
            .lines()
            .find(|l| l.contains("help:"))
            .unwrap_or("")
            .to_string()
    };
    assert!(
        help("[MissingSelf]").contains("application/atom+xml"),
        "{out}"
    );
    assert!(
        help("[MissingAtomSelfLink]").contains("application/rss+xml"),
        "{out}"
    );
}
