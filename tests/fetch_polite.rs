//! Polite fetching end to end, against servers on 127.0.0.1 started by each test and
//! counting their hits: the User-Agent names a contact.

mod loopback_common;

use std::path::Path;

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

fn build(dir: &Path, epoch: i64, flags: &[&str]) -> String {
    let mut args = vec!["build"];
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
