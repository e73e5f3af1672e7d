//! `feedloom serve` end to end: the real binary serving a copy of the sample project on a
//! free loopback port, asked by a real HTTP client. Content types at both paths, the page
//! by query and by `Accept`, conditional requests, gzip and Brotli, `HEAD`, rebuilds on
//! the schedule and on `SIGHUP`, a broken build that keeps the last good files, and a clean
//! stop on `SIGTERM`.

mod serve_common;

use std::io::Read;
use std::time::Duration;

use serve_common::{Project, SAMPLE_TITLE, Serving, eventually, get, header, read};

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[test]
fn each_output_is_served_at_its_name_and_under_base_url_with_its_type() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    let rows = [
        ("news.xml", "application/rss+xml; charset=utf-8"),
        ("news.atom", "application/atom+xml; charset=utf-8"),
        ("news.json", "application/feed+json; charset=utf-8"),
        ("news.html", "text/html; charset=utf-8"),
    ];
    for (name, content_type) in rows {
        let file = read(&project.path(&format!("public/{name}")));
        for path in [format!("/{name}"), format!("/feeds/{name}")] {
            let (status, headers, body) = get(&server.url(&path), &[]);
            assert_eq!(status, 200, "{path}");
            assert_eq!(header(&headers, "content-type"), content_type, "{path}");
            assert_eq!(header(&headers, "cache-control"), "public, max-age=300");
            assert!(header(&headers, "etag").starts_with('"'), "a strong tag");
            assert!(!header(&headers, "last-modified").is_empty());
            assert_eq!(body, file, "{path}");
        }
    }
    let (status, _, _) = get(&server.url("/missing.xml"), &[]);
    assert_eq!(status, 404);
    let (status, headers, _) = get(&server.url("/news.xml"), &[]);
    assert_eq!(
        (status, header(&headers, "vary")),
        (200, "Accept, Accept-Encoding")
    );
    assert_eq!(
        header(&headers, "link"),
        "<https://www.example.com/feeds/news.xml>; rel=\"self\""
    );
}

#[test]
fn browsers_and_view_page_get_the_companion_page() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    let page = read(&project.path("public/news.html"));
    let rss = read(&project.path("public/news.xml"));
    let (_, headers, body) = get(&server.url("/news.xml?view=page"), &[]);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert_eq!(body, page);
    assert!(String::from_utf8_lossy(&body).contains(SAMPLE_TITLE));
    let (_, headers, body) = get(&server.url("/feeds/news.atom"), &[("accept", BROWSER)]);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert_eq!(body, page);
    assert_eq!(header(&headers, "link"), "", "the page is no WebSub topic");
    let reader = "application/rss+xml, application/atom+xml;q=0.9, text/html;q=0.1";
    let (_, headers, body) = get(&server.url("/news.xml"), &[("accept", reader)]);
    assert_eq!(
        header(&headers, "content-type"),
        "application/rss+xml; charset=utf-8"
    );
    assert_eq!(body, rss);
    let (_, _, body) = get(&server.url("/news.xml"), &[("accept", "*/*")]);
    assert_eq!(body, rss);
}

#[test]
fn conditional_requests_get_304_for_the_same_representation() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    let url = server.url("/news.atom");
    let (_, first, _) = get(&url, &[]);
    let etag = header(&first, "etag").to_string();
    let modified = header(&first, "last-modified").to_string();

    let (status, headers, body) = get(&url, &[("if-none-match", &etag)]);
    assert_eq!((status, body.len()), (304, 0));
    assert_eq!(header(&headers, "etag"), etag);
    assert_eq!(header(&headers, "cache-control"), "public, max-age=300");
    let (status, _, _) = get(&url, &[("if-none-match", &format!("\"other\", W/{etag}"))]);
    assert_eq!(status, 304, "weak comparison, any tag of the list");
    let (status, _, _) = get(&url, &[("if-modified-since", &modified)]);
    assert_eq!(status, 304);
    let old = "Sat, 01 Jan 2000 00:00:00 GMT";
    let (status, _, _) = get(&url, &[("if-modified-since", old)]);
    assert_eq!(status, 200);
    // If-None-Match wins over If-Modified-Since.
    let (status, _, _) = get(
        &url,
        &[
            ("if-none-match", "\"other\""),
            ("if-modified-since", &modified),
        ],
    );
    assert_eq!(status, 200);

    let (_, gz, _) = get(&url, &[("accept-encoding", "gzip")]);
    let gz_tag = header(&gz, "etag").to_string();
    assert_ne!(gz_tag, etag, "a compressed body has its own tag");
    let (status, _, _) = get(
        &url,
        &[("accept-encoding", "gzip"), ("if-none-match", &gz_tag)],
    );
    assert_eq!(status, 304, "the gzip tag revalidates the gzip body");
    let (status, _, _) = get(&url, &[("if-none-match", &gz_tag)]);
    assert_eq!(status, 200, "but not the identity body");

    let (_, page, _) = get(&url, &[("accept", BROWSER)]);
    let page_tag = header(&page, "etag").to_string();
    assert_ne!(page_tag, etag);
    let (status, _, _) = get(&url, &[("accept", BROWSER), ("if-none-match", &page_tag)]);
    assert_eq!(status, 304);
}

#[test]
fn gzip_and_brotli_bodies_decode_to_the_file() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    for name in ["news.xml", "news.atom", "news.json", "news.html"] {
        let file = read(&project.path(&format!("public/{name}")));
        let url = server.url(&format!("/{name}"));
        let (_, headers, body) = get(&url, &[("accept-encoding", "gzip, deflate, br")]);
        assert_eq!(header(&headers, "content-encoding"), "br", "{name}");
        assert!(body.len() < file.len());
        let mut decoded = Vec::new();
        brotli::Decompressor::new(body.as_slice(), 4096)
            .read_to_end(&mut decoded)
            .expect("brotli");
        assert_eq!(decoded, file, "{name} (br)");

        let (_, headers, body) = get(&url, &[("accept-encoding", "gzip")]);
        assert_eq!(header(&headers, "content-encoding"), "gzip", "{name}");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(body.as_slice())
            .read_to_end(&mut decoded)
            .expect("gzip");
        assert_eq!(decoded, file, "{name} (gzip)");

        let (_, headers, body) = get(&url, &[("accept-encoding", "identity")]);
        assert_eq!(header(&headers, "content-encoding"), "");
        assert_eq!(body, file);
    }
}

#[test]
fn head_gives_the_headers_of_get_without_the_body() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    let client = serve_common::client();
    for encoding in ["identity", "br"] {
        let url = server.url("/news.json");
        let (_, got, body) = get(&url, &[("accept-encoding", encoding)]);
        let head = (client.head(&url))
            .header("accept-encoding", encoding)
            .send()
            .expect("HEAD");
        assert_eq!(head.status(), 200);
        for name in [
            "content-type",
            "etag",
            "last-modified",
            "content-encoding",
            "vary",
        ] {
            assert_eq!(header(head.headers(), name), header(&got, name), "{name}");
        }
        assert_eq!(
            header(head.headers(), "content-length"),
            body.len().to_string()
        );
        assert!(head.bytes().expect("body").is_empty());
    }
    let post = client.post(server.url("/news.json")).send().expect("POST");
    assert_eq!(post.status(), 405);
    assert_eq!(header(post.headers(), "allow"), "GET, HEAD");
}

#[test]
fn a_changed_article_is_served_after_the_next_scheduled_build() {
    let project = Project::news("");
    let server = Serving::start(&project, &["--every", "1s"]);
    let url = server.url("/news.xml");
    let (_, first, _) = get(&url, &[]);
    project.retitle_sample("四个月内四次通话");
    let changed = eventually(Duration::from_secs(30), || {
        let (_, _, body) = get(&url, &[]);
        String::from_utf8_lossy(&body).contains("四个月内四次通话")
    });
    assert!(changed, "no rebuild seen; stderr: {}", server.stderr());
    let (_, now, _) = get(&url, &[]);
    assert_ne!(header(&now, "etag"), header(&first, "etag"));
    let (status, _, _) = get(&url, &[("if-none-match", header(&first, "etag"))]);
    assert_eq!(status, 200, "the old tag no longer matches");
}

#[test]
fn sighup_rebuilds_now() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    let url = server.url("/news.html");
    project.retitle_sample("四个月内四次通话");
    std::thread::sleep(Duration::from_millis(300));
    let (_, _, body) = get(&url, &[]);
    assert!(
        !String::from_utf8_lossy(&body).contains("四个月内四次通话"),
        "no schedule"
    );
    server.signal(libc::SIGHUP);
    let changed = eventually(Duration::from_secs(30), || {
        let (_, _, body) = get(&url, &[]);
        String::from_utf8_lossy(&body).contains("四个月内四次通话")
    });
    assert!(
        changed,
        "SIGHUP did not rebuild; stderr: {}",
        server.stderr()
    );
}

#[test]
fn a_failed_build_keeps_the_last_good_files_in_service() {
    let project = Project::news("");
    let server = Serving::start(&project, &[]);
    let url = server.url("/feeds/news.xml");
    let (_, _, good) = get(&url, &[]);
    // A definition that no longer reads: the build does not run.
    std::fs::write(project.path("feeds/news.toml"), "title = \n").expect("break the definition");
    server.signal(libc::SIGHUP);
    let reported = eventually(Duration::from_secs(30), || {
        server.stderr().contains("error:")
    });
    assert!(reported, "stderr: {}", server.stderr());
    assert!(
        server
            .stderr()
            .contains("still serving the last good files")
    );
    let (status, _, body) = get(&url, &[]);
    assert_eq!((status, &body), (200, &good));
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let project = Project::news("");
    let mut server = Serving::start(&project, &["--every", "1h"]);
    let (status, _, _) = get(&server.url("/news.xml"), &[]);
    assert_eq!(status, 200);
    server.signal(libc::SIGTERM);
    let mut exited = None;
    let stopped = eventually(Duration::from_secs(15), || {
        exited = server.child.try_wait().expect("wait");
        exited.is_some()
    });
    assert!(stopped, "still running after SIGTERM");
    assert_eq!(
        exited.and_then(|s| s.code()),
        Some(0),
        "{}",
        server.stderr()
    );
    assert!(
        serve_common::client()
            .get(server.url("/news.xml"))
            .send()
            .is_err()
    );
}
