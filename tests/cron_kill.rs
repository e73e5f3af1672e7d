//! A build killed with SIGKILL at each moment that matters leaves every output either as it
//! was or fully new, never half written, and the next run builds the new feed.
//!
//! The build is held at a named point (`FEEDLOOM_PAUSE_AT`, see `pipeline::pause`; debug
//! builds only) and killed there, so each test lands exactly where it says.

#![cfg(unix)]

mod cron_common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use cron_common::{Site, describe};

/// Writes `count` generated articles (replacing the previous set) under `samples/bulk`.
fn write_bulk(site: &Site, count: usize, generation: usize) {
    let _ = std::fs::remove_dir_all(site.path("samples/bulk"));
    for i in 0..count {
        let text = format!(
            "第{generation}版 文章{i}\n\n2024年01月{:02}日 10:{:02}\n\n{}\n",
            1 + i % 28,
            i % 60,
            "铜价上涨,库存下降。".repeat(20)
        );
        site.write(&format!("samples/bulk/a{i:05}.txt"), &text);
    }
}

/// How many entries each output holds, or `None` for an output that is not a complete feed.
fn entry_counts(site: &Site) -> Vec<Option<usize>> {
    (site.outputs().into_iter())
        .map(
            |(path, _, bytes)| match path.extension().and_then(|e| e.to_str()) {
                Some("json") => serde_json::from_slice::<serde_json::Value>(&bytes)
                    .ok()
                    .and_then(|v| v["items"].as_array().map(Vec::len)),
                _ => (feed_rs::parser::parse(bytes.as_slice()).ok())
                    .filter(|_| bytes.ends_with(b"</rss>\n"))
                    .map(|f| f.entries.len()),
            },
        )
        .collect()
}

/// Runs `feedloom build` held at `point`, and kills it there with SIGKILL.
fn kill_at(site: &Site, point: &str) {
    let mut child = (site.command(&["build"]))
        .env("FEEDLOOM_PAUSE_AT", point)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let paused = format!("feedloom: paused at {point}");
    let reached = lines.any(|l| l.is_ok_and(|l| l == paused));
    let _ = child.kill(); // SIGKILL
    let status = child.wait().expect("wait");
    assert!(reached, "the build never reached {point} ({status})");
}

/// Makes the temporary files a killed run left look older than a minute, as they are by the
/// next cron run.
fn age_leftovers(site: &Site) -> usize {
    let old = SystemTime::now() - Duration::from_secs(120);
    let leftovers: Vec<_> = (std::fs::read_dir(site.path("public")).expect("public"))
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    for entry in &leftovers {
        let file = std::fs::File::options().write(true).open(entry.path());
        file.and_then(|f| f.set_modified(old)).expect("age");
    }
    leftovers.len()
}

fn killed_at(point: &str, outputs_before_next_run: &[Option<usize>]) {
    let site = Site::new();
    write_bulk(&site, 30, 0);
    site.age_articles();
    site.build(&[], 0);
    let old = entry_counts(&site);
    assert_eq!(old, [Some(40), Some(40)]);
    write_bulk(&site, 20, 1);
    site.age_articles();
    kill_at(&site, point);
    assert_eq!(
        entry_counts(&site),
        outputs_before_next_run,
        "killed at {point}"
    );
    let leftovers = age_leftovers(&site);
    assert!(
        leftovers > 0,
        "the new outputs were not waiting in temporary files"
    );
    let out = site.build(&["-v"], 0);
    assert_eq!(
        entry_counts(&site),
        [Some(30), Some(30)],
        "{}",
        describe(&out)
    );
    assert!(out.stderr.is_empty(), "{}", describe(&out));
    assert_eq!(
        age_leftovers(&site),
        0,
        "{leftovers} temporary files left behind"
    );
}

#[test]
fn killed_while_outputs_wait_in_temporary_files_the_old_feeds_stay() {
    killed_at("outputs-prepared", &[Some(40), Some(40)]);
}

#[test]
fn killed_just_before_the_state_commit_the_old_feeds_stay() {
    killed_at("before-commit", &[Some(40), Some(40)]);
}

#[test]
fn killed_after_the_commit_but_before_the_renames_the_next_run_installs_the_new_feeds() {
    killed_at("after-commit", &[Some(40), Some(40)]);
}
