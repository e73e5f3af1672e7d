//! How `feedloom fetch --status` prints the work queue: the counts, the leases per worker,
//! then a few sources of each kind, one line each.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use feedloom::diagnostic::sanitize_terminal;
use feedloom::pipeline::fetch::SourceStatus;

/// Prints `status` as of `now` on stdout.
pub(crate) fn print(status: &SourceStatus, now: DateTime<Utc>) -> anyhow::Result<()> {
    let mut lines = vec![
        format!("sources: {}", status.sources),
        format!("due: {}", status.due),
        format!("leased: {}", status.leased),
        format!("expired leases: {} (due again)", status.expired),
        format!("failing: {}", status.failing),
        format!("backed off: {}", status.backed_off),
        format!("never fetched: {}", status.never_fetched),
    ];
    for (worker, leases) in &status.workers {
        lines.push(format!("worker {worker}: {leases} leased"));
    }
    for row in &status.rows {
        let at = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
        let mut line = format!("{:<10} {}", row.kind, row.url);
        match row.kind {
            "leased" => {
                if let Some((owner, until)) = &row.lease {
                    line.push_str(&format!(" by {owner} until {}", at(until)));
                }
            }
            "due" => {
                let late = (now - row.next_fetch_at).num_seconds().max(0);
                line.push_str(&format!(" (due {late} s ago)"));
            }
            _ => line.push_str(&format!(
                " ({} failures in a row; next try {})",
                row.failures,
                at(&row.next_fetch_at)
            )),
        }
        if let Some(error) = &row.last_error {
            line.push_str(&format!(": {error}"));
        }
        lines.push(line);
    }
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{}", sanitize_terminal(&line)).context("cannot write to stdout")?;
    }
    Ok(())
}
