//! Polite fetching end to end, against servers on 127.0.0.1 started by each test and
//! counting their hits: a `Retry-After` is honoured on later runs (in the state of `build`
//! and in `merge --cache DIR`), failures back off and a success resets the backoff, a copy
//! fresh by its `max-age` is used without a request, `--force` fetches anyway, and the
//! User-Agent names a contact. The clock is `SOURCE_DATE_EPOCH`, moved forward by the tests.

mod loopback_common;
#[path = "pg_common/mod.rs"]
mod pg_common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use loopback_common::{Answer, Loopback, describe, feedloom, rss};

/// 2024-01-01T00:00:00Z.
const EPOCH: i64 = 1_704_067_200;

fn user_agent(contact: &str) -> String {
    format!(
        "feedloom/{} (+{contact}; feed merger)",
        env!("CARGO_PKG_VERSION")
    )
}

/// A project whose one feed merges `url` from 127.0.0.1, with `extra` lines at the end of
/// its definition.
fn project(url: &str, link: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let feeds = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).expect("mkdir");
    let definition = format!(
        "title = \"M\"\nlink = \"{link}\"\n[[merge]]\nurl = \"{url}\"\n[output]\nrss = \"public/m.xml\"\n\
         [fetch]\nallow = [\"127.0.0.1\"]\n{extra}"
    );
    std::fs::write(feeds.join("m.toml"), definition).expect("write");
    dir
}

/// Where a test keeps its state: the file beside the definitions, or a database that the
/// builds fetch into themselves (`--fetch`).
#[derive(Clone, Copy)]
enum Store<'a> {
    File,
    Database(&'a str),
}

fn build(dir: &Path, epoch: i64, flags: &[&str]) -> String {
    build_in(Store::File, dir, epoch, flags)
}

fn build_in(store: Store<'_>, dir: &Path, epoch: i64, flags: &[&str]) -> String {
    let mut args = vec!["build"];
    if let Store::Database(url) = store {
        args.extend_from_slice(&["--state", url, "--fetch"]);
    }
    args.extend_from_slice(flags);
    let out = feedloom(dir, &args, epoch, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_user_agent_names_the_contact() {
    let server = Loopback::start(|_, _| Answer::feed(rss("F", &["a"])));
    let url = server.url("/feed.xml");
    let site = "https://www.example.com/";
    let dir = project(&url, site, "");
    build(dir.path(), EPOCH, &[]);
    let dir = project(&url, site, "contact = \"https://ops.example.com/bots\"\n");
    build(dir.path(), EPOCH, &[]);
    let out = feedloom(
        dir.path(),
        &[
            "merge",
            "--allow-private",
            "--link",
            "https://merged.example/",
            &url,
        ],
        EPOCH,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let agents: Vec<String> = (server.requests_to("/feed.xml").iter())
        .map(|h| h.get("user-agent").cloned().unwrap_or_default())
        .collect();
    assert_eq!(
        agents,
        [
            user_agent(site),
            user_agent("https://ops.example.com/bots"),
            user_agent("https://merged.example/"),
        ]
    );
}

/// What the scripted feed answers, switched by the tests.
#[derive(Clone)]
enum Mode {
    Ok,
    OkFor(&'static str),
    Status(u16, Option<String>),
}

/// A server whose `/feed.xml` answers as the shared mode says.
fn scripted(mode: Mode) -> (Loopback, Arc<Mutex<Mode>>) {
    let shared = Arc::new(Mutex::new(mode));
    let current = shared.clone();
    let server = Loopback::start(move |path, _| {
        if path != "/feed.xml" {
            return Answer::status(404);
        }
        match current.lock().expect("mode").clone() {
            Mode::Ok => Answer::feed(rss("F", &["a", "b"])),
            Mode::OkFor(cache_control) => {
                Answer::feed(rss("F", &["a", "b"])).with("Cache-Control", cache_control)
            }
            Mode::Status(status, retry_after) => match retry_after {
                Some(value) => Answer::status(status).with("Retry-After", &value),
                None => Answer::status(status),
            },
        }
    });
    (server, shared)
}

/// `EPOCH` plus `secs`, as the warnings print it.
fn stamp(secs: i64) -> String {
    chrono::DateTime::from_timestamp(EPOCH + secs, 0)
        .expect("time")
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn a_429_retry_after_holds_in_this_run_and_the_next_ones_of_build() {
    a_429_retry_after_holds_in_this_run_and_the_next_ones_of_build_in(Store::File);
}

#[test]
fn a_429_retry_after_holds_in_this_run_and_the_next_ones_of_build_with_postgres() {
    if let Some(url) = pg_common::database() {
        a_429_retry_after_holds_in_this_run_and_the_next_ones_of_build_in(Store::Database(&url));
    }
}

fn a_429_retry_after_holds_in_this_run_and_the_next_ones_of_build_in(store: Store<'_>) {
    let build = |dir: &Path, epoch: i64, flags: &[&str]| build_in(store, dir, epoch, flags);
    let (server, mode) = scripted(Mode::Ok);
    let url = server.url("/feed.xml");
    let dir = project(&url, "https://www.example.com/", "");
    // A second feed merging the same source, built after the first in the same run.
    let second = std::fs::read_to_string(dir.path().join("feeds/m.toml")).expect("read");
    let second = second.replace("public/m.xml", "public/n.xml");
    std::fs::write(dir.path().join("feeds/n.toml"), second).expect("write");
    build(dir.path(), EPOCH, &[]);
    assert_eq!(
        server.hits("/feed.xml"),
        2,
        "one fetch per feed while it is not throttled"
    );

    *mode.lock().expect("mode") = Mode::Status(429, Some("120".into()));
    let stderr = build(dir.path(), EPOCH + 10, &[]);
    assert_eq!(
        server.hits("/feed.xml"),
        3,
        "the second feed did not ask again: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "HTTP 429 Too Many Requests; the server asks to wait until {}; using the last good copy",
            stamp(130)
        )),
        "{stderr}"
    );
    let waiting = format!(
        "not fetched: the server asked to wait until {} (Retry-After); using the last good copy",
        stamp(130)
    );
    assert!(stderr.contains(&waiting), "{stderr}");

    let stderr = build(dir.path(), EPOCH + 70, &[]);
    assert_eq!(server.hits("/feed.xml"), 3, "the next run waits too");
    assert!(stderr.contains(&waiting), "{stderr}");
    let feed = std::fs::read_to_string(dir.path().join("public/m.xml")).expect("output");
    assert!(
        feed.contains("<title>a</title>"),
        "the last good copy still counts"
    );

    build(dir.path(), EPOCH + 70, &["--force"]);
    assert_eq!(server.hits("/feed.xml"), 5, "--force asks anyway");
    *mode.lock().expect("mode") = Mode::Ok;
    build(dir.path(), EPOCH + 70 + 121, &[]);
    assert_eq!(
        server.hits("/feed.xml"),
        7,
        "due again once the wait is over"
    );
}

#[test]
fn merge_with_a_cache_keeps_a_retry_after_in_seconds_or_as_a_date() {
    let (server, mode) = scripted(Mode::Ok);
    let url = server.url("/feed.xml");
    let dir = tempfile::tempdir().expect("temp dir");
    let merge = |epoch: i64, force: bool| {
        let mut args = vec!["merge", "--allow-private", "--cache", "cache"];
        if force {
            args.push("--force");
        }
        args.push(&url);
        let out = feedloom(dir.path(), &args, epoch, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    merge(EPOCH, false);
    *mode.lock().expect("mode") = Mode::Status(429, Some("120".into()));
    merge(EPOCH + 10, false);
    assert_eq!(server.hits("/feed.xml"), 2);
    let stderr = merge(EPOCH + 100, false);
    assert_eq!(
        server.hits("/feed.xml"),
        2,
        "not asked again before the wait is over"
    );
    assert!(
        stderr.contains(&format!("wait until {}", stamp(130))),
        "{stderr}"
    );

    // 503 with an HTTP date two hours on.
    let date = "Mon, 01 Jan 2024 02:00:00 GMT";
    *mode.lock().expect("mode") = Mode::Status(503, Some(date.into()));
    merge(EPOCH + 200, false);
    assert_eq!(server.hits("/feed.xml"), 3);
    let stderr = merge(EPOCH + 3600, false);
    assert_eq!(
        server.hits("/feed.xml"),
        3,
        "an hour on, the date is still ahead"
    );
    assert!(
        stderr.contains(&format!("wait until {}", stamp(7200))),
        "{stderr}"
    );
    merge(EPOCH + 3600, true);
    assert_eq!(server.hits("/feed.xml"), 4, "--force asks anyway");
    merge(EPOCH + 7200, false);
    assert_eq!(server.hits("/feed.xml"), 5, "due once the date has come");
}

#[test]
fn failures_back_off_longer_each_time_and_a_success_resets_the_backoff() {
    failures_back_off_longer_each_time_and_a_success_resets_the_backoff_in(Store::File);
}

#[test]
fn failures_back_off_longer_each_time_and_a_success_resets_the_backoff_with_postgres() {
    if let Some(url) = pg_common::database() {
        failures_back_off_longer_each_time_and_a_success_resets_the_backoff_in(Store::Database(
            &url,
        ));
    }
}

fn failures_back_off_longer_each_time_and_a_success_resets_the_backoff_in(store: Store<'_>) {
    let build = |dir: &Path, epoch: i64, flags: &[&str]| build_in(store, dir, epoch, flags);
    let (server, mode) = scripted(Mode::Status(503, None));
    let url = server.url("/feed.xml");
    let dir = project(&url, "https://www.example.com/", "");
    let minute = 60;
    let hits = || server.hits("/feed.xml");
    build(dir.path(), EPOCH, &[]);
    assert_eq!(hits(), 1);
    let stderr = build(dir.path(), EPOCH + 4 * minute, &[]);
    assert_eq!(hits(), 1, "five minutes after one failure");
    assert!(
        stderr.contains(&format!(
            "not fetched: 1 failed fetches in a row; next try after {}; no cached copy, skipped",
            stamp(5 * minute)
        )),
        "{stderr}"
    );
    build(dir.path(), EPOCH + 5 * minute, &[]);
    assert_eq!(hits(), 2);
    let stderr = build(dir.path(), EPOCH + 14 * minute, &[]);
    assert_eq!(hits(), 2, "ten minutes after two failures");
    assert!(
        stderr.contains(&format!(
            "2 failed fetches in a row; next try after {}",
            stamp(15 * minute)
        )),
        "{stderr}"
    );
    *mode.lock().expect("mode") = Mode::Ok;
    build(dir.path(), EPOCH + 15 * minute, &[]);
    assert_eq!(hits(), 3);
    let stderr = build(dir.path(), EPOCH + 16 * minute, &[]);
    assert_eq!(hits(), 4, "a success resets the backoff");
    assert!(stderr.is_empty(), "{stderr}");
    *mode.lock().expect("mode") = Mode::Status(503, None);
    build(dir.path(), EPOCH + 17 * minute, &[]);
    build(dir.path(), EPOCH + 21 * minute, &[]);
    assert_eq!(hits(), 5, "counted from one again: five minutes");
}

#[test]
fn a_copy_fresh_by_max_age_is_used_without_a_request_until_it_expires() {
    let (server, _mode) = scripted(Mode::OkFor("public, max-age=600"));
    let url = server.url("/feed.xml");
    let dir = project(&url, "https://www.example.com/", "");
    let hits = || server.hits("/feed.xml");
    build(dir.path(), EPOCH, &[]);
    let stderr = build(dir.path(), EPOCH + 300, &[]);
    assert_eq!(hits(), 1, "fresh for ten minutes");
    assert!(
        stderr.is_empty(),
        "a fresh copy is used without a warning: {stderr}"
    );
    build(dir.path(), EPOCH + 300, &["--force"]);
    assert_eq!(hits(), 2, "--force asks anyway");
    build(dir.path(), EPOCH + 899, &[]);
    assert_eq!(hits(), 2, "fresh for ten minutes from the forced fetch");
    build(dir.path(), EPOCH + 900, &[]);
    assert_eq!(hits(), 3);

    let cached = tempfile::tempdir().expect("temp dir");
    let merge = |epoch: i64| {
        let args = ["merge", "--allow-private", "--cache", "cache", &url];
        let out = feedloom(cached.path(), &args, epoch, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        assert!(out.stderr.is_empty(), "{}", describe(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("<title>a</title>"));
    };
    merge(EPOCH);
    merge(EPOCH + 60);
    assert_eq!(hits(), 4, "merge --cache keeps the freshness too");
}
