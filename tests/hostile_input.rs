//! Inputs made to break a reader or an emitter: dates no feed format can carry, pages nested
//! tens of thousands of elements deep, folders that link back to themselves. Each is a
//! warning naming the file (or nothing at all), never a crash, and never costs another
//! article or feed its place.

use std::path::Path;
use std::process::{Command, Output};

fn feedloom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

/// A page whose article holds `depth` nested `<b>` elements around one word.
fn nested_page(depth: usize) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Nested</title>\
         <meta property=\"article:published_time\" content=\"2024-05-01T08:00:00+08:00\">\
         </head><body><article><p>A page nested {depth} deep.</p>{}deep{}</article></body></html>",
        "<b>".repeat(depth),
        "</b>".repeat(depth)
    )
}

fn converted(args: &[&str]) -> (Output, feed_rs::model::Feed) {
    let out = feedloom(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let feed = feed_rs::parser::parse(out.stdout.as_slice()).expect("a readable feed");
    (out, feed)
}

#[test]
fn a_date_no_format_can_carry_leaves_the_entry_undated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let post = dir.path().join("post.md");
    write(
        &post,
        "---\ntitle: Year zero\ndate: 0000-01-01T00:00:00+00:15\n---\nBody.\n",
    );
    for format in ["rss", "atom", "json"] {
        let (out, feed) = converted(&["convert", "--format", format, post.to_str().unwrap()]);
        let err = stderr(&out);
        assert!(
            err.contains("post.md:3: the publication date 0000-01-01T00:00:00+00:15 is outside"),
            "{format}: {err}"
        );
        assert_eq!(feed.entries.len(), 1, "{format}");
        assert_eq!(feed.entries[0].published, None, "{format}");
    }
}

#[test]
fn merged_items_with_dates_no_format_can_carry_are_left_undated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rss = dir.path().join("feed.xml");
    write(
        &rss,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
         <link>https://e.example/</link><description>d</description>\
         <item><title>Zero</title><link>https://e.example/0</link>\
         <pubDate>Sat, 01 Jan 0000 00:00:00 +0015</pubDate></item>\
         <item><title>Fine</title><link>https://e.example/1</link>\
         <pubDate>Fri, 10 Jul 2020 09:52:00 +0800</pubDate></item></channel></rss>",
    );
    let atom = dir.path().join("feed.atom");
    write(
        &atom,
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\
         <id>urn:x</id><updated>2020-01-01T00:00:00Z</updated>\
         <entry><title>Late</title><id>urn:late</id>\
         <updated>9999-12-31T23:59:59-12:00</updated></entry></feed>",
    );
    let json = dir.path().join("feed.json");
    write(
        &json,
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[
            {"id":"https://e.example/z","title":"Zero","content_html":"x",
             "date_published":"0000-01-01T00:00:00+00:15"}]}"#,
    );
    for (file, title) in [(&rss, "Zero"), (&atom, "Late"), (&json, "Zero")] {
        for format in ["rss", "atom", "json"] {
            let (out, feed) = converted(&["convert", "--format", format, file.to_str().unwrap()]);
            let err = stderr(&out);
            assert!(
                err.contains(&format!("item \"{title}\": the ")) && err.contains("is outside"),
                "{}: {err}",
                file.display()
            );
            let entry = (feed.entries.iter())
                .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
                .expect("the item is kept");
            assert_eq!(entry.published, None, "{}", file.display());
        }
    }
}

#[test]
fn a_deeply_nested_page_never_stops_a_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let sample = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cnmn-2020-07-10-xi-putin-calls.txt"),
    )
    .expect("sample");
    write(&root.join("nested/deep-6000.html"), nested_page(6_000));
    write(&root.join("nested/deep-50000.html"), nested_page(50_000));
    write(&root.join("nested/news.txt"), &sample);
    write(&root.join("plain/news.txt"), &sample);
    for name in ["nested", "plain"] {
        write(
            &root.join(format!("feeds/{name}.toml")),
            format!(
                "title = \"{name}\"\n[[source]]\npath = \"{name}\"\n[output]\nrss = \"public/{name}.xml\"\n"
            ),
        );
    }
    let feeds = root.join("feeds");
    let out = feedloom(&["build", "--feeds", feeds.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |name: &str| {
        let bytes = std::fs::read(root.join(format!("public/{name}.xml"))).expect("written");
        feed_rs::parser::parse(bytes.as_slice()).expect("readable")
    };
    assert_eq!(read("plain").entries.len(), 1);
    let nested = read("nested");
    assert_eq!(nested.entries.len(), 3);
    let deep = (nested.entries.iter())
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == "Nested"))
        .and_then(|e| e.content.as_ref()?.body.clone())
        .expect("a nested page's content");
    assert!(deep.contains("deep"), "{deep}");
}

#[cfg(unix)]
#[test]
fn a_folder_linking_back_to_itself_gives_each_article_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles = dir.path().join("articles");
    write(
        &articles.join("one.txt"),
        "一篇文章\n2021-01-01 10:00\n\n正文。\n",
    );
    std::os::unix::fs::symlink("..", articles.join("loop")).expect("symlink");
    let (_, feed) = converted(&["convert", articles.to_str().unwrap()]);
    assert_eq!(feed.entries.len(), 1);
}

/// Inputs whose shape once made a reader take quadratic time or gigabytes, made small
/// enough for a test: each must still give its warning and a sane result. (The full-size
/// inputs, timed, are in `examples/hostile_inputs.rs`.)
mod capped {
    use std::path::Path;

    use feedloom::merge::{MAX_ENTRIES, parse_feed};
    use feedloom::sanitize::MAX_HTML_DEPTH;
    use feedloom::source::{ReadOptions, SourceKind, read_bytes};
    use url::Url;

    fn url() -> Url {
        Url::parse("https://hostile.example/feed.xml").expect("static URL")
    }

    const HEAD: &str = "<rss version=\"2.0\"><channel><title>T</title>\
        <link>https://hostile.example/</link><description>d</description>";

    #[test]
    fn a_page_nested_too_deep_is_flattened_with_a_warning() {
        let depth = MAX_HTML_DEPTH * 4;
        let page = format!(
            "<html><head><title>Deep</title></head><body><article>{}<p>{}</p>{}</article></body></html>",
            "<div>".repeat(depth),
            "A paragraph at the bottom of a very deep page, long enough to be content.",
            "</div>".repeat(depth)
        );
        let path = Path::new("pages/deep.html");
        let read = read_bytes(
            path,
            page.as_bytes(),
            Some(SourceKind::Html),
            &ReadOptions::default(),
        );
        let article = read.expect("read");
        let warning = (article.warnings.iter())
            .map(|w| w.to_string())
            .find(|w| w.contains("nested more than 512 deep"))
            .expect("a warning");
        assert!(warning.contains("pages/deep.html"), "{warning}");
        let feedloom::source::Body::Html(body) = &article.body else {
            panic!("an HTML body");
        };
        assert!(body.contains("at the bottom of a very deep page"), "{body}");
        assert!(
            body.matches("<div").count() <= MAX_HTML_DEPTH,
            "{}",
            body.len()
        );
    }

    #[test]
    fn formatting_left_open_is_capped_with_a_warning() {
        let bold: String = (0..40).map(|i| format!("<b class=c{i}>")).collect();
        let prose = "<p>A paragraph of prose, long enough to count as content.</p>".repeat(50);
        let page = format!(
            "<html><head><title>Bold</title></head><body><article><p>{bold}</p>{prose}</article></body></html>"
        );
        let path = Path::new("pages/bold.html");
        let read = read_bytes(
            path,
            page.as_bytes(),
            Some(SourceKind::Html),
            &ReadOptions::default(),
        );
        let article = read.expect("read");
        let warnings: Vec<String> = article.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            warnings.iter().any(|w| w.contains("pages/bold.html")
                && w.contains("more than 16 formatting elements left open: 24 of their tags")),
            "{warnings:?}"
        );
        let feedloom::source::Body::Html(body) = &article.body else {
            panic!("an HTML body");
        };
        assert_eq!(body.matches("A paragraph of prose").count(), 50);
    }

    #[test]
    fn a_feed_of_too_many_items_keeps_the_first_with_a_warning() {
        let items: String = (0..MAX_ENTRIES + 5)
            .map(|i| format!("<item><guid>https://hostile.example/{i}</guid></item>"))
            .collect();
        let feed = parse_feed(
            format!("{HEAD}{items}</channel></rss>").as_bytes(),
            None,
            &url(),
        )
        .expect("a feed");
        assert_eq!(feed.entries.len(), MAX_ENTRIES);
        assert_eq!(
            feed.entries.last().map(|e| e.id.as_str()),
            Some("https://hostile.example/49999")
        );
        let said = |feed: &feedloom::merge::ParsedFeed, dropped: usize| {
            let expected = format!("the first 50000 are read, {dropped} dropped");
            assert!(
                feed.warnings.iter().any(|w| w.contains(&expected)),
                "{:?}",
                feed.warnings
            );
        };
        said(&feed, 5);
        let items: Vec<String> = (0..MAX_ENTRIES + 1)
            .map(|i| format!(r#"{{"id":"{i}","content_text":"x"}}"#))
            .collect();
        let json = format!(
            r#"{{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{}]}}"#,
            items.join(",")
        );
        let feed = parse_feed(json.as_bytes(), None, &url()).expect("a feed");
        assert_eq!(feed.entries.len(), MAX_ENTRIES);
        said(&feed, 1);
    }

    #[test]
    fn unmatched_end_tags_in_deep_nesting_leave_the_item_readable() {
        let xml = format!(
            "{HEAD}<item><title>Unmatched</title><link>https://hostile.example/1</link>\
             <description>{}{}</description></item></channel></rss>",
            "<a>".repeat(2_000),
            "</b>".repeat(20_000)
        );
        let feed = parse_feed(xml.as_bytes(), None, &url()).expect("a feed");
        assert_eq!(feed.entries.len(), 1);
        assert_eq!(feed.entries[0].title, "Unmatched");
    }

    #[test]
    fn escaped_html_nested_too_deep_is_flattened() {
        let depth = MAX_HTML_DEPTH * 4;
        let xml = format!(
            "{HEAD}<item><title>Escaped</title><link>https://hostile.example/1</link>\
             <description>{}deep{}</description></item></channel></rss>",
            "&lt;div&gt;".repeat(depth),
            "&lt;/div&gt;".repeat(depth)
        );
        let feed = parse_feed(xml.as_bytes(), None, &url()).expect("a feed");
        let html = feed.entries[0].content_html.as_deref().unwrap_or_default();
        assert!(html.contains("deep"), "{html}");
        assert!(html.matches("<div").count() <= MAX_HTML_DEPTH);
        assert_eq!(feed.entries[0].summary.as_deref(), Some("deep"));
    }
}
