//! `feedloom merge`, `convert` of feed files, `opml` and `build` with `[[merge]]`, through
//! the real binary against a loopback HTTP server (tiny_http); outputs are read back with
//! feed-rs, the rss crate and the OPML reader. Nothing leaves the machine.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use tiny_http::{Header, Response, Server};

/// One item served by the test server.
#[derive(Clone)]
struct Item {
    id: &'static str,
    title: &'static str,
    link: &'static str,
    date: &'static str,
    html: &'static str,
}

const ALPHA: [Item; 3] = [
    Item {
        id: "https://alpha.example/1",
        title: "Copper rallies",
        link: "https://alpha.example/1",
        date: "Fri, 03 May 2024 09:00:00 +0000",
        html: "<p onclick=\"steal()\">Copper <script>alert(1)</script>rallies.</p><iframe src=\"https://evil.example/\"></iframe>",
    },
    Item {
        id: "https://alpha.example/2",
        title: "Zinc slips",
        link: "https://alpha.example/2",
        date: "Wed, 01 May 2024 09:00:00 +0000",
        html: "<p>Zinc slips.</p>",
    },
    Item {
        id: "alpha-shared",
        title: "Shared story",
        link: "https://shared.example/story",
        date: "Thu, 02 May 2024 09:00:00 +0000",
        html: "<p>Short.</p>",
    },
];

const UNDATED: Item = Item {
    id: "https://alpha.example/undated",
    title: "Undated note",
    link: "https://alpha.example/undated",
    date: "",
    html: "<p>No date.</p>",
};

/// What the server knows and what it was asked.
#[derive(Default)]
struct Site {
    /// The items of `/alpha.xml`.
    alpha: Vec<Item>,
    /// Answer `/alpha.xml` with a 500.
    alpha_fails: bool,
    /// Every request: path, lower-cased headers, and the status answered.
    log: Vec<(String, HashMap<String, String>, u16)>,
}

struct TestServer {
    base: String,
    site: Arc<Mutex<Site>>,
}

impl TestServer {
    fn start() -> TestServer {
        let server = Server::http("127.0.0.1:0").expect("bind loopback");
        let port = server.server_addr().to_ip().expect("ip").port();
        let site = Arc::new(Mutex::new(Site {
            alpha: ALPHA.to_vec(),
            ..Site::default()
        }));
        let shared = site.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let headers: HashMap<String, String> = (request.headers().iter())
                    .map(|h| {
                        let name = h.field.as_str().as_str().to_ascii_lowercase();
                        (name, h.value.as_str().to_string())
                    })
                    .collect();
                let path = request.url().to_string();
                let mut site = shared.lock().expect("site");
                let (status, body, etag) = answer(&site, &path, &headers);
                site.log.push((path, headers, status));
                drop(site);
                let mut response = Response::from_data(body).with_status_code(status);
                for (name, value) in [
                    ("ETag", etag.as_str()),
                    ("Last-Modified", "Fri, 17 May 2024 09:00:00 GMT"),
                ] {
                    response.add_header(Header::from_bytes(name, value).expect("header"));
                }
                let _ = request.respond(response);
            }
        });
        TestServer {
            base: format!("http://127.0.0.1:{port}"),
            site,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests_to(&self, path: &str) -> Vec<(HashMap<String, String>, u16)> {
        let site = self.site.lock().expect("site");
        (site.log.iter())
            .filter(|(p, _, _)| p == path)
            .map(|(_, h, s)| (h.clone(), *s))
            .collect()
    }
}

/// Status, body and ETag for a request: conditional requests that match get a 304.
fn answer(site: &Site, path: &str, headers: &HashMap<String, String>) -> (u16, Vec<u8>, String) {
    let body = match path {
        "/alpha.xml" if site.alpha_fails => return (500, b"down".to_vec(), String::new()),
        "/alpha.xml" => alpha_rss(&site.alpha),
        "/beta.atom" => BETA_ATOM.to_string(),
        _ => return (404, Vec::new(), String::new()),
    };
    let etag = format!(
        "\"{}\"",
        blake3::hash(body.as_bytes())
            .to_hex()
            .get(..16)
            .unwrap_or("")
    );
    if headers.get("if-none-match") == Some(&etag) {
        return (304, Vec::new(), etag);
    }
    (200, body.into_bytes(), etag)
}

fn alpha_rss(items: &[Item]) -> String {
    let items: String = (items.iter())
        .map(|i| {
            let date = match i.date {
                "" => String::new(),
                date => format!("<pubDate>{date}</pubDate>"),
            };
            format!(
                "<item><title>{}</title><link>{}</link><guid>{}</guid>{date}\
                 <description><![CDATA[{}]]></description></item>",
                i.title, i.link, i.id, i.html
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Alpha Wire</title>\
         <link>https://alpha.example/</link><description>a</description>{items}</channel></rss>"
    )
}

const BETA_ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Beta News</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <link href="https://beta.example/"/>
  <updated>2024-05-04T09:00:00Z</updated>
  <entry>
    <title>Nickel news</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <link href="https://beta.example/nickel"/>
    <updated>2024-05-04T09:00:00Z</updated>
    <content type="html">&lt;p&gt;Nickel.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Shared story</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-bbbb-80da344efa6a</id>
    <link href="https://www.shared.example/story/?utm_source=beta"/>
    <updated>2024-05-02T09:00:00Z</updated>
    <content type="html">&lt;p&gt;The long version of the shared story, with much more to say.&lt;/p&gt;</content>
  </entry>
</feed>
"#;

fn feedloom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedloom"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    (feed.entries.iter())
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn parse(bytes: &[u8]) -> feed_rs::model::Feed {
    feed_rs::parser::parse(bytes).expect("feedloom's output parses")
}

#[test]
fn merge_dedupes_orders_sanitises_and_credits_sources() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let (alpha, beta) = (server.url("/alpha.xml"), server.url("/beta.atom"));
    let out = feedloom(dir.path(), &["merge", "--allow-private", &alpha, &beta]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(out.stderr.is_empty(), "{}", describe(&out));
    let feed = parse(&out.stdout);
    assert_eq!(
        titles(&feed),
        [
            "Nickel news",
            "Copper rallies",
            "Shared story",
            "Zinc slips"
        ],
        "newest first, the shared story once"
    );
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Alpha Wire · Beta News")
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for unsafe_bit in [
        "<script",
        "alert(1)",
        "onclick",
        "steal()",
        "<iframe",
        "evil.example",
    ] {
        assert!(!text.contains(unsafe_bit), "{unsafe_bit} survived:\n{text}");
    }
    let channel = rss::Channel::read_from(&out.stdout[..]).expect("RSS");
    let credit = |title: &str| {
        let item = channel
            .items()
            .iter()
            .find(|i| i.title() == Some(title))
            .expect(title);
        let source = item.source().expect("a <source> credit");
        (source.title().map(str::to_owned), source.url().to_owned())
    };
    assert_eq!(
        credit("Copper rallies"),
        (Some("Alpha Wire".into()), alpha.clone())
    );
    let shared = credit("Shared story");
    assert_eq!(
        shared,
        (Some("Beta News".into()), beta.clone()),
        "the richer copy wins"
    );
}

#[test]
fn a_failing_source_is_a_warning_naming_it_and_the_others_still_count() {
    let server = TestServer::start();
    server.site.lock().expect("site").alpha_fails = true;
    let dir = tempfile::tempdir().expect("temp dir");
    let (alpha, beta) = (server.url("/alpha.xml"), server.url("/beta.atom"));
    let file = dir.path().join("saved.xml");
    std::fs::write(&file, alpha_rss(&ALPHA[1..2])).expect("write feed file");
    let args = [
        "merge",
        "--allow-private",
        "--format",
        "atom",
        "-o",
        "out.atom",
        &alpha,
        &beta,
        "saved.xml",
    ];
    let out = feedloom(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning") && stderr.contains(&alpha),
        "{stderr}"
    );
    assert!(stderr.contains("500"), "{stderr}");
    let feed = parse(&std::fs::read(dir.path().join("out.atom")).expect("output written"));
    assert_eq!(titles(&feed), ["Nickel news", "Shared story", "Zinc slips"]);
    // --strict turns the warning into exit code 4; the feed is still written.
    let mut strict = vec!["--strict"];
    strict.extend_from_slice(&args);
    assert_eq!(feedloom(dir.path(), &strict).status.code(), Some(4));
    // When nothing at all could be read, nothing is written and the exit code is 1.
    let out = feedloom(
        dir.path(),
        &[
            "merge",
            "--allow-private",
            "-o",
            "none.xml",
            &alpha,
            "missing.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(!dir.path().join("none.xml").exists());
}

#[test]
fn convert_turns_an_rss_file_into_atom() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("feed.xml"), alpha_rss(&ALPHA)).expect("write");
    let out = feedloom(dir.path(), &["convert", "--format", "atom", "feed.xml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let feed = parse(&out.stdout);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Alpha Wire")
    );
    assert_eq!(
        titles(&feed),
        ["Copper rallies", "Shared story", "Zinc slips"]
    );
    let links: Vec<&str> = (feed.entries.iter())
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert_eq!(links[0], "https://alpha.example/1");
    // An opaque guid becomes a URI, as an Atom id must be.
    let shared = &feed.entries[1].id;
    assert!(shared.starts_with("tag:feedloom,2024:merged:"), "{shared}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("<script"));
}

#[test]
fn opml_lists_the_defined_feeds_with_public_urls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let feeds = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).expect("mkdir");
    let a = "title = \"Copper & Co\"\nlink = \"https://www.example.com/\"\n\
             base_url = \"https://www.example.com/feeds\"\n[[source]]\npath = \"a\"\n\
             [output]\natom = \"public/a.atom\"\njson = \"public/a.json\"\n";
    let b = "title = \"Private\"\n[[source]]\npath = \"b\"\n[output]\nrss = \"public/b.xml\"\n";
    std::fs::write(feeds.join("a.toml"), a).expect("write");
    std::fs::write(feeds.join("b.toml"), b).expect("write");
    let out = feedloom(dir.path(), &["opml", "-o", "feeds.opml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("b.toml"),
        "{}",
        describe(&out)
    );
    let bytes = std::fs::read(dir.path().join("feeds.opml")).expect("written");
    let list = feedloom::merge::opml::read(&bytes).expect("valid OPML");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title, "Copper & Co");
    assert_eq!(list[0].xml_url, "https://www.example.com/feeds/a.atom");
    assert_eq!(
        list[0].html_url.as_deref(),
        Some("https://www.example.com/")
    );
}

#[test]
fn build_fetches_conditionally_and_keeps_history() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let feeds = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).expect("mkdir");
    let alpha = server.url("/alpha.xml");
    let definition = format!(
        "title = \"Merged\"\nlink = \"https://www.example.com/\"\n\
         [[merge]]\nurl = \"{alpha}\"\n[fetch]\nallow = [\"127.0.0.1\"]\n\
         [output]\nrss = \"public/m.xml\"\n"
    );
    std::fs::write(feeds.join("m.toml"), definition).expect("write");
    let build = || {
        let out = feedloom(dir.path(), &["build", "-v"]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let feed = parse(&std::fs::read(dir.path().join("public/m.xml")).expect("output"));
        let undated = (feed.entries.iter())
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == UNDATED.title))
            .and_then(|e| e.published);
        let summary = String::from_utf8_lossy(&out.stdout).into_owned();
        (summary, out, titles(&feed), undated)
    };
    // An item without a date gets the date it was first seen, and keeps it.
    server.site.lock().expect("site").alpha.push(UNDATED);
    let all = [
        UNDATED.title,
        "Copper rallies",
        "Shared story",
        "Zinc slips",
    ];

    let (_, _, first, first_seen) = build();
    assert_eq!(first, all);
    let first_seen = first_seen.expect("the undated item is dated");
    let age = chrono::Utc::now() - first_seen;
    assert!(
        age.num_seconds().abs() < 600,
        "first seen now, not {first_seen}"
    );
    let (summary, _, second, _) = build();
    let asked = server.requests_to("/alpha.xml");
    assert_eq!(asked.len(), 2);
    let (headers, status) = &asked[1];
    assert!(headers.contains_key("if-none-match"), "{headers:?}");
    assert_eq!(
        headers.get("if-modified-since").map(String::as_str),
        Some("Fri, 17 May 2024 09:00:00 GMT")
    );
    assert_eq!(*status, 304);
    assert_eq!(second, all, "a 304 reuses the stored copy");
    assert!(
        summary.contains("m: unchanged"),
        "nothing changed: {summary}"
    );

    // The source drops an item: it stays in the feed (history), and the feed is rebuilt.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    server.site.lock().expect("site").alpha.pop();
    let (summary, _, third, dated) = build();
    assert_eq!(server.requests_to("/alpha.xml")[2].1, 200);
    assert!(
        !summary.contains("m: unchanged"),
        "the source changed: {summary}"
    );
    assert_eq!(third, all, "the dropped item is kept from history");
    assert_eq!(dated, Some(first_seen), "with the date it was first seen");

    // The source fails: a warning naming it, and the last good copy still counts.
    server.site.lock().expect("site").alpha_fails = true;
    let (_, out, fourth, _) = build();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&alpha) && stderr.contains("last good copy"),
        "{stderr}"
    );
    assert_eq!(fourth, all);
}

#[test]
fn merge_with_a_cache_sends_validators_and_falls_back_to_the_last_good_copy() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let alpha = server.url("/alpha.xml");
    let args = ["merge", "--allow-private", "--cache", "cache", &alpha];
    let first = feedloom(dir.path(), &args);
    assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
    let second = feedloom(dir.path(), &args);
    assert_eq!(second.stdout, first.stdout, "a 304 gives the same feed");
    let asked = server.requests_to("/alpha.xml");
    assert_eq!((asked[0].1, asked[1].1), (200, 304));
    server.site.lock().expect("site").alpha_fails = true;
    let third = feedloom(dir.path(), &args);
    assert_eq!(third.status.code(), Some(0), "{}", describe(&third));
    assert!(String::from_utf8_lossy(&third.stderr).contains("last good copy"));
    assert_eq!(titles(&parse(&third.stdout)).len(), ALPHA.len());
    // Without the cache, nothing is remembered: the failing source gives nothing.
    let out = feedloom(dir.path(), &["merge", "--allow-private", &alpha]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
}

#[test]
fn merge_filters_and_limits_every_source() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let (alpha, beta) = (server.url("/alpha.xml"), server.url("/beta.atom"));
    let rows: &[(&[&str], &[&str])] = &[
        (
            &["--exclude", "ZINC", "--exclude", "nickel"],
            &["Copper rallies", "Shared story"],
        ),
        (
            &["--include", "copper", "--include", "long version"],
            &["Copper rallies", "Shared story"],
        ),
        (&["--limit", "2"], &["Nickel news", "Copper rallies"]),
    ];
    for (flags, want) in rows {
        let mut args = vec!["merge", "--allow-private", "--format", "json"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[&alpha, &beta]);
        let out = feedloom(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert_eq!(titles(&parse(&out.stdout)), *want, "{flags:?}");
    }
    let out = feedloom(
        dir.path(),
        &["merge", "--allow-private", "--limit", "0", &alpha],
    );
    assert_eq!(out.status.code(), Some(2), "a limit of 0 is a usage error");
}

/// A feed whose ids are not all URIs a validator accepts: `urn:x:1` (a namespace id of one
/// letter), `urn:uuid:` with no UUID, a URL with a space; and two valid ids that must stay.
const ODD_IDS_ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>X</title><id>https://x.example.org/</id><updated>2024-01-01T00:00:00Z</updated><link href="https://x.example.org/"/>
<entry><title>One</title><id>urn:x:1</id><link href="https://x.example.org/1"/><updated>2024-01-01T00:00:00Z</updated><summary>s</summary></entry>
<entry><title>Two</title><id>urn:uuid:not-a-uuid</id><link href="https://x.example.org/2"/><updated>2024-01-02T00:00:00Z</updated><summary>s</summary></entry>
<entry><title>Three</title><id>http://x.example.org/a b</id><link href="https://x.example.org/3"/><updated>2024-01-03T00:00:00Z</updated><summary>s</summary></entry>
<entry><title>Four</title><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id><link href="https://x.example.org/4"/><updated>2024-01-04T00:00:00Z</updated><summary>s</summary></entry>
<entry><title>Five</title><id>tag:x.example.org,2024:5</id><link href="https://x.example.org/5"/><updated>2024-01-05T00:00:00Z</updated><summary>s</summary></entry>
</feed>
"#;

/// The errors and warnings `feedloom_validate` finds in `bytes`, as `Class: message`, but
/// for a JSON Feed without `home_page_url`: a source with no home page, merged without
/// `--link`, has none to give (the spec recommends one, and the validator warns).
fn validation_errors(bytes: &[u8]) -> Vec<String> {
    let report = feedloom_validate::validate(bytes, &Default::default());
    (report.problems.iter())
        .filter(|p| !p.message.contains("\"home_page_url\" is missing"))
        .map(|p| format!("{}: {}", p.class, p.message))
        .collect()
}

#[test]
fn merged_ids_and_home_pages_pass_the_validator() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("x.atom"), ODD_IDS_ATOM).expect("write");
    let odd = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/merge/atom-unknown-content-type.xml");
    let odd = odd.to_str().expect("utf-8 path");
    for (input, format) in [
        ("x.atom", "atom"),
        ("x.atom", "json"),
        (odd, "atom"),
        (odd, "json"),
    ] {
        let args = ["merge", "--format", format, "--feed-url"];
        let url = format!("https://www.example.com/m.{format}");
        let out = feedloom(dir.path(), &[&args[..], &[&url, input, "-o", "m"]].concat());
        assert_eq!(out.status.code(), Some(0), "{input}: {}", describe(&out));
        let bytes = std::fs::read(dir.path().join("m")).expect("output");
        let errors = validation_errors(&bytes);
        assert!(errors.is_empty(), "{input} as {format}: {errors:?}");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("urn:odd\""),
            "no home page from a URN: {text}"
        );
        let validate = feedloom(dir.path(), &["validate", "m"]);
        assert_eq!(validate.status.code(), Some(0), "{}", describe(&validate));
    }

    let out = feedloom(dir.path(), &["merge", "--format", "atom", "x.atom"]);
    let feed = parse(&out.stdout);
    let ids: Vec<(&str, &str)> = (feed.entries.iter())
        .map(|e| {
            (
                e.title.as_ref().map_or("", |t| t.content.as_str()),
                e.id.as_str(),
            )
        })
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    for (title, id) in &ids {
        match *title {
            "Four" => assert_eq!(*id, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"),
            "Five" => assert_eq!(*id, "tag:x.example.org,2024:5"),
            "Three" => assert_eq!(*id, "http://x.example.org/a%20b"),
            _ => assert!(id.starts_with("tag:feedloom,2024:merged:"), "{ids:?}"),
        }
    }
}
