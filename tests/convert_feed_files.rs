//! `feedloom convert` on feed files through the real binary: every feed format the reader
//! knows converts, a broken feed converts with its warnings on standard error, and an XML
//! file that is no feed is an error naming it, never read as an article.

use std::path::Path;
use std::process::{Command, Output};

fn convert(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .arg("convert")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Converts the file at `path` to JSON Feed, which must succeed: the feed read back, and
/// what was said on standard error.
fn to_json_feed(path: &Path) -> (serde_json::Value, String) {
    let out = convert(&["--format", "json", path.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
    let feed = serde_json::from_slice(&out.stdout).expect("JSON");
    (feed, stderr(&out))
}

/// The titles of a JSON Feed's items, in order.
fn titles(feed: &serde_json::Value) -> Vec<&str> {
    (feed["items"].as_array().expect("items").iter())
        .filter_map(|i| i["title"].as_str())
        .collect()
}

#[test]
fn xml_that_is_no_feed_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sitemap.xml");
    std::fs::write(
        &path,
        "<?xml version=\"1.0\"?>\n<!-- generated -->\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <url><loc>https://a.example/</loc></url></urlset>\n",
    )
    .expect("write");
    let out = convert(&["--format", "json", path.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = stderr(&out);
    assert!(err.contains("sitemap.xml"), "{err}");
    assert!(err.contains("<urlset>") && err.contains("no feed"), "{err}");
    assert!(!err.contains("<!--"), "{err}");
}

#[test]
fn every_feed_format_converts() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/merge");
    for (name, title) in [
        ("atom-entry-document.xml", "Shipping small releases"),
        ("cdf-channel.cdf", "Markets close higher"),
        ("rss090-items.rdf", "New Status Updates"),
    ] {
        let (feed, _) = to_json_feed(&fixtures.join(name));
        let titles = titles(&feed);
        assert!(titles.contains(&title), "{name}: {titles:?}");
    }
}

#[test]
fn a_broken_feed_converts_with_its_warning() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/merge/rss-itunes-unclosed-category.xml");
    let (feed, err) = to_json_feed(&path);
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(2));
    assert!(err.contains("rss-itunes-unclosed-category.xml"), "{err}");
    assert!(
        err.contains("line 9") && err.contains("<itunes:category>"),
        "{err}"
    );
}

/// A feed behind a server's warning (PHP prints it before the XML declaration) is read as
/// the feed, as `merge` reads it, not as an article titled by the warning; an XML file that
/// is no feed behind the same warning is still an error naming its root.
#[test]
fn a_feed_after_text_before_its_declaration_converts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/merge/rss-text-before-declaration.xml");
    let (feed, err) = to_json_feed(&path);
    assert_eq!(titles(&feed), ["Sourdough is back", "Closed on Monday"]);
    assert!(err.contains("text before the XML declaration"), "{err}");

    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain-warning.xml");
    std::fs::write(
        &plain,
        "Warning: something on line 3\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bakery</title><link>http://bakery.example.com/</link><description>d</description>\
         <item><title>Sourdough</title><link>http://bakery.example.com/1</link></item>\
         </channel></rss>\n",
    )
    .expect("write");
    let (feed, _) = to_json_feed(&plain);
    assert_eq!(feed["items"][0]["title"], "Sourdough", "{feed}");

    let sitemap = dir.path().join("sitemap.xml");
    std::fs::write(
        &sitemap,
        "\n<b>Warning</b>: something on line 3<br />\n<?xml version=\"1.0\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>\n",
    )
    .expect("write");
    let out = convert(&["--format", "json", sitemap.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("sitemap.xml") && err.contains("<urlset>"),
        "{err}"
    );
}
