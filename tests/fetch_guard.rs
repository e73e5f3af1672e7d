//! The address guard end to end, against servers on loopback addresses started by each
//! test: every loopback form of URL is refused by default without a request reaching the
//! server, and fetched once the allow list or `--allow-private` permits it; a redirect to a
//! refused address is refused at the hop; proxies named in the environment are not used.

mod loopback_common;

use std::collections::HashMap;
use std::path::Path;

use chrono::DateTime;
use feedloom::diagnostic::Diagnostic;
use feedloom::merge::{FetchSettings, MergeSource, NoCache, collect};
use feedloom::model::Entry;
use loopback_common::{Answer, Loopback, describe, feedloom, rss};

/// 2024-01-01T00:00:00Z.
const EPOCH: i64 = 1_704_067_200;

fn feed_server() -> Loopback {
    Loopback::start(|path, _| match path {
        "/feed.xml" => Answer::feed(rss("Local", &["one"])),
        _ => Answer::status(404),
    })
}

fn feed_server_v6() -> Option<Loopback> {
    Loopback::start_on(
        "[::1]:0",
        Box::new(|_: &str, _: &HashMap<String, String>| Answer::feed(rss("Six", &["six"]))),
    )
}

fn run(url: &str, settings: &FetchSettings) -> (Vec<Entry>, Vec<Diagnostic>) {
    let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").expect("date");
    collect(
        &[MergeSource::url(url)],
        Path::new("."),
        settings,
        &NoCache,
        now,
    )
}

fn allow(rules: &[&str]) -> FetchSettings {
    FetchSettings {
        allow: rules.iter().map(|r| r.parse().expect("rule")).collect(),
        ..FetchSettings::default()
    }
}

/// Each loopback form of the server's URL, what a refusal says of it, and an allow list that
/// permits it.
fn forms(v4: &Loopback, v6: Option<&Loopback>) -> Vec<(String, &'static str, Vec<&'static str>)> {
    let port = v4.port;
    let mut rows = vec![
        (
            format!("http://127.0.0.1:{port}/feed.xml"),
            "127.0.0.1 is loopback",
            vec!["127.0.0.1"],
        ),
        (
            format!("http://127.1:{port}/feed.xml"),
            "127.0.0.1 is loopback",
            vec!["127.0.0.0/8"],
        ),
        (
            format!("http://2130706433:{port}/feed.xml"),
            "127.0.0.1 is loopback",
            vec!["127.0.0.1"],
        ),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/feed.xml"),
            "::ffff:127.0.0.1 is loopback (IPv4-mapped 127.0.0.1)",
            vec!["127.0.0.1"],
        ),
        (
            format!("http://localhost:{port}/feed.xml"),
            "localhost resolves to",
            vec!["localhost"],
        ),
    ];
    match v6 {
        Some(six) => rows.push((six.url("/feed.xml"), "::1 is loopback", vec!["::1"])),
        None => eprintln!("no IPv6 loopback here: the [::1] row is skipped"),
    }
    rows
}

#[test]
fn every_loopback_form_is_refused_by_default_and_fetched_when_allowed() {
    let (v4, v6) = (feed_server(), feed_server_v6());
    let hits = || v4.total_hits() + v6.as_ref().map_or(0, Loopback::total_hits);
    for (url, says, rules) in forms(&v4, v6.as_ref()) {
        let before = hits();
        let (entries, diags) = run(&url, &FetchSettings::default());
        assert!(entries.is_empty(), "{url}");
        assert_eq!(diags.len(), 1, "{url}: {diags:?}");
        let message = &diags[0].message;
        assert!(message.starts_with("refused: "), "{url}: {message}");
        assert!(message.contains(says), "{url}: {message}");
        assert!(
            message.contains("add it to [fetch] allow to permit"),
            "{message}"
        );
        let parsed = url::Url::parse(&url).expect("URL");
        assert_eq!(diags[0].origin, parsed.as_str(), "named as parsed");
        assert_eq!(hits(), before, "{url} was requested");

        let (entries, diags) = run(&url, &allow(&rules));
        assert!(diags.is_empty(), "{url} with allow = {rules:?}: {diags:?}");
        assert_eq!(entries.len(), 1, "{url}");
        assert_eq!(hits(), before + 1);
        let flag = FetchSettings {
            allow_private: true,
            ..FetchSettings::default()
        };
        let (entries, diags) = run(&url, &flag);
        assert!(diags.is_empty(), "{url} with the flag: {diags:?}");
        assert_eq!(entries.len(), 1, "{url}");
    }
}

#[test]
fn an_allow_list_permits_what_it_lists_only() {
    let server = feed_server();
    let port = server.port;
    let only_localhost = allow(&["localhost"]);
    let (_, diags) = run(
        &format!("http://127.0.0.1:{port}/feed.xml"),
        &only_localhost,
    );
    assert!(
        diags[0].message.contains("127.0.0.1 is loopback"),
        "{diags:?}"
    );
    let other_range = allow(&["10.0.0.0/8", "intranet.example"]);
    let (_, diags) = run(&format!("http://localhost:{port}/feed.xml"), &other_range);
    assert!(
        diags[0].message.contains("refused: localhost resolves to"),
        "{diags:?}"
    );
    assert_eq!(server.total_hits(), 0);
}

#[test]
fn a_redirect_to_a_refused_address_is_refused_at_the_hop() {
    let six = feed_server_v6();
    let six_url = six.as_ref().map(|s| s.url("/feed.xml"));
    let server = Loopback::start(move |path, _| match (path, &six_url) {
        ("/to-127.0.0.2", _) => Answer::redirect("http://127.0.0.2/feed.xml"),
        ("/to-file", _) => Answer::redirect("file:///etc/passwd"),
        ("/to-v6", Some(url)) => Answer::redirect(url),
        ("/to-self", _) => Answer::redirect("/feed.xml"),
        ("/feed.xml", _) => Answer::feed(rss("Local", &["one"])),
        _ => Answer::status(404),
    });
    let settings = allow(&["127.0.0.1"]);
    let (entries, diags) = run(&server.url("/to-self"), &settings);
    assert!(diags.is_empty(), "an allowed hop is followed: {diags:?}");
    assert_eq!(entries.len(), 1);
    let mut rows = vec![
        (
            "/to-127.0.0.2",
            "redirected to http://127.0.0.2/feed.xml: 127.0.0.2 is loopback",
        ),
        (
            "/to-file",
            "redirected to file:///etc/passwd: only http and https URLs are fetched",
        ),
    ];
    if six.is_some() {
        rows.push(("/to-v6", "::1 is loopback"));
    }
    for (path, says) in rows {
        let (entries, diags) = run(&server.url(path), &settings);
        assert!(entries.is_empty(), "{path}");
        assert_eq!(diags.len(), 1, "{path}: {diags:?}");
        assert!(
            diags[0].message.starts_with("refused: "),
            "{path}: {diags:?}"
        );
        assert!(diags[0].message.contains(says), "{path}: {diags:?}");
        assert_eq!(server.hits(path), 1);
    }
    assert_eq!(
        six.map_or(0, |s| s.total_hits()),
        0,
        "the refused hop was not requested"
    );
}

#[test]
fn merge_and_validate_refuse_loopback_unless_allow_private() {
    let server = feed_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = server.url("/feed.xml");
    let out = feedloom(dir.path(), &["merge", &url], EPOCH, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "warning: {url}: refused: 127.0.0.1 is loopback; pass --allow-private to permit"
        )),
        "{stderr}"
    );
    let out = feedloom(dir.path(), &["validate", &url], EPOCH, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused: 127.0.0.1 is loopback"));
    assert_eq!(server.total_hits(), 0);

    let out = feedloom(dir.path(), &["merge", "--allow-private", &url], EPOCH, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(server.hits("/feed.xml"), 1);
    let out = feedloom(
        dir.path(),
        &["convert", "--allow-private", "--help"],
        EPOCH,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "convert accepts the flag");
}

#[test]
fn build_refuses_loopback_unless_the_definition_allows_it() {
    let server = feed_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let feeds = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).expect("mkdir");
    let url = server.url("/feed.xml");
    let definition = |fetch: &str| {
        format!(
            "title = \"M\"\n[[merge]]\nurl = \"{url}\"\n{fetch}[output]\nrss = \"public/m.xml\"\n"
        )
    };
    std::fs::write(feeds.join("m.toml"), definition("")).expect("write");
    let out = feedloom(dir.path(), &["build"], EPOCH, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refused: 127.0.0.1 is loopback; add it to [fetch] allow to permit"),
        "{stderr}"
    );
    assert_eq!(server.total_hits(), 0);
    std::fs::write(
        feeds.join("m.toml"),
        definition("[fetch]\nallow = [\"127.0.0.1\"]\n"),
    )
    .expect("write");
    let out = feedloom(dir.path(), &["build"], EPOCH, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(out.stderr.is_empty(), "{}", describe(&out));
    assert_eq!(server.hits("/feed.xml"), 1);
}

#[test]
fn proxies_from_the_environment_are_not_used() {
    let proxy = Loopback::start(|_, _| Answer::feed(rss("Proxy", &["intercepted"])));
    let server = feed_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let env = [
        ("http_proxy", proxy.base.as_str()),
        ("HTTP_PROXY", proxy.base.as_str()),
        ("all_proxy", proxy.base.as_str()),
        ("no_proxy", ""),
    ];
    let url = server.url("/feed.xml");
    let out = feedloom(dir.path(), &["merge", "--allow-private", &url], EPOCH, &env);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(proxy.total_hits(), 0, "the proxy was asked");
    assert_eq!(server.hits("/feed.xml"), 1);
}
