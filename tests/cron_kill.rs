//! A build killed with SIGKILL at any moment leaves every output either as it was or fully
//! new, and the next run succeeds.

#![cfg(unix)]

mod cron_common;

use std::time::{Duration, Instant};

use cron_common::{Site, describe};

/// Articles in the large input: enough for a debug build to take a few hundred ms.
const ARTICLES: usize = 1500;

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

/// Every output is a complete feed (it parses to the end) with one of the `allowed` entry
/// counts.
fn check_outputs(site: &Site, allowed: &[usize]) {
    for (path, _, bytes) in site.outputs() {
        let count = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| v["items"].as_array().map(Vec::len)),
            _ => feed_rs::parser::parse(bytes.as_slice())
                .ok()
                .filter(|_| bytes.ends_with(b"</rss>\n"))
                .map(|f| f.entries.len()),
        };
        assert!(
            count.is_some_and(|n| allowed.contains(&n)),
            "{} is neither the old nor the new feed ({count:?} entries, {} bytes)",
            path.display(),
            bytes.len()
        );
    }
}

#[test]
fn a_killed_build_leaves_old_or_new_outputs_and_the_next_run_succeeds() {
    let site = Site::new();
    write_bulk(&site, ARTICLES, 0);
    let start = Instant::now();
    site.build(&[], 0);
    let full = start.elapsed();
    let mut counts = vec![10 + ARTICLES];
    for (round, fraction) in [0.05, 0.2, 0.4, 0.6, 0.8, 0.95].into_iter().enumerate() {
        let count = ARTICLES - 100 * (round + 1);
        write_bulk(&site, count, round + 1);
        counts.push(10 + count);
        let mut child = site.command(&["build"]).spawn().expect("spawn");
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL; the run may already have finished
        let _ = child.wait();
        check_outputs(&site, &counts[counts.len() - 2..]);
        let leftover = std::fs::read_dir(site.path("public"))
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name() != "news.xml" && e.file_name() != "news.json")
                    .count()
            })
            .unwrap_or(0);
        assert!(leftover <= 2, "temporary files pile up");
        site.build(&[], 0);
        check_outputs(&site, &counts[counts.len() - 1..]);
    }
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    let out = site.build(&["-v"], 0);
    check_outputs(&site, &counts[counts.len() - 1..]);
    assert!(out.stderr.is_empty(), "{}", describe(&out));
}
