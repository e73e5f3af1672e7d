//! Generate 10,000-item RSS 2.0 and Atom feeds, validate each, and print
//! throughput, wall time and peak resident memory (VmHWM).

use feedloom_validate::{Options, validate};
use std::time::Instant;

mod feeds;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// CPU time of this process (user + system), in seconds (from `/proc/self/stat`).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    for (name, feed) in [("RSS 2.0", feeds::rss(n)), ("Atom 1.0", feeds::atom(n))] {
        let before = peak_rss_kib();
        let runs = 10;
        let mut best = f64::MAX;
        let mut report = None;
        let cpu0 = cpu_seconds();
        for _ in 0..runs {
            let t = Instant::now();
            let r = validate(&feed, &Options::default());
            best = best.min(t.elapsed().as_secs_f64());
            report = Some(r);
        }
        let cpu = (cpu_seconds() - cpu0) / runs as f64;
        let r = report.unwrap_or_else(|| validate(&feed, &Options::default()));
        let mb = feed.len() as f64 / 1e6;
        println!(
            "{name}: {n} items, {mb:.2} MB, best of {runs}: {:.1} ms wall ({:.1} MB/s), mean CPU time {:.1} ms, {} errors, {} warnings, peak RSS {} MiB (before: {} MiB)",
            best * 1e3,
            mb / best,
            cpu * 1e3,
            r.errors().count(),
            r.warnings().count(),
            peak_rss_kib() / 1024,
            before / 1024
        );
        for p in r.problems.iter().take(3) {
            println!(
                "  {}:{} {:?} {} {}",
                p.line, p.column, p.level, p.class, p.message
            );
        }
    }
}
