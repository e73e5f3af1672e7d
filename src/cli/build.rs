//! The `build` command of the binary: lock, state, the run, and what it prints.
//!
//! What is printed where:
//!
//! - stderr: errors always; warnings unless `--quiet`; logs when `RUST_LOG` asks; a progress
//!   bar when stderr is a terminal and the run takes more than a second (not with `--quiet`).
//! - stdout: one line per feed with `--verbose` or `--dry-run`; otherwise one total line when
//!   stdout is a terminal, and nothing at all when it is not (cron) or with `--quiet`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use feedloom::diagnostic::sanitize_terminal;
use feedloom::exit::ExitStatus;
use feedloom::pipeline::websub::PingSettings;
use feedloom::pipeline::{
    self, BuildError, BuildOptions, BuildReport, FeedReport, OutputChange, StateLocation,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Reporter, fail_with};
use crate::Cli;

/// Examples shown at the end of `feedloom build --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom build                           build every feed of feeds/*.toml (quiet unless something is wrong)
  feedloom build -v --dry-run              say what would change, change nothing
  cd /srv/site && feedloom build --lock-timeout 30 || [ $? -eq 3 ]    from cron
  feedloom build --state postgres://feedloom@db/feeds     merge what the fetch workers stored";

/// The flags of `feedloom build`.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The folder of feed definitions (*.toml); paths in them are relative to its parent.
    #[arg(long, default_value = "feeds")]
    feeds: PathBuf,
    /// Include draft articles.
    #[arg(long)]
    drafts: bool,
    /// The state: an SQLite file, or a shared PostgreSQL database (postgres://…)
    /// [default: the definitions' `state` key, else .feedloom.sqlite in the definitions
    /// folder].
    #[arg(
        long,
        value_name = "PATH|URL",
        env = "FEEDLOOM_STATE",
        hide_env_values = true
    )]
    state: Option<StateLocation>,
    /// How long to wait for another run to finish before giving up (exit code 3).
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    lock_timeout: f64,
    /// Print what would change, but write no output and keep no state.
    #[arg(long)]
    dry_run: bool,
    /// Check every output against the W3C Feed Validation Service's rules before installing
    /// it; one with an error is not installed (the last good one stays).
    #[arg(long)]
    validate: bool,
    /// Fetch every merged feed now, even one that asked to wait, is backing off after
    /// failures, or is still fresh by its own cache headers.
    #[arg(long)]
    force: bool,
    /// Do not tell the feeds' WebSub hubs (their `hubs` key) about changed outputs.
    #[arg(long)]
    no_ping: bool,
    /// Fetch the merged feeds in this build, with a PostgreSQL state too (by default a
    /// build with one merges what the `feedloom fetch` workers stored).
    #[arg(long)]
    fetch: bool,
}

/// A progress bar appears only once a run has lasted this long.
const PROGRESS_DELAY: Duration = Duration::from_secs(1);

/// Runs `feedloom build`.
pub(crate) fn run(args: &BuildArgs, cli: &Cli, report: &mut Reporter) -> anyhow::Result<()> {
    let started = Instant::now();
    let options = BuildOptions {
        feeds: args.feeds.clone(),
        state: args.state.clone(),
        lock_timeout: Duration::try_from_secs_f64(args.lock_timeout.max(0.0))
            .unwrap_or(Duration::MAX),
        drafts: args.drafts,
        dry_run: args.dry_run,
        validate: args.validate,
        ping: (!args.no_ping).then(PingSettings::default),
        now: super::now()?,
        force: args.force,
        fetch: args.fetch.then_some(true),
    };
    let bar = progress_bar(cli.quiet);
    let mut progress = |name: &str| {
        bar.set_message(name.to_owned());
        bar.inc(1);
    };
    let built = pipeline::build(&options, &mut progress);
    bar.finish_and_clear();
    let built = built.map_err(|e| {
        let status = match &e {
            BuildError::Config(_) => ExitStatus::Usage,
            BuildError::Lock(lock) => ExitStatus::from_lock_error(lock),
            _ => ExitStatus::Failure,
        };
        fail_with(status, e)
    })?;
    report.report(built.diagnostics());
    print_summary(&built, cli, args.dry_run, started.elapsed())
}

/// A bar over the feeds, on stderr, drawn only if stderr is a terminal and the run is still
/// going after [`PROGRESS_DELAY`].
fn progress_bar(quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if quiet || !std::io::stderr().is_terminal() {
        return bar;
    }
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}] {msg} ({elapsed})") {
        bar.set_style(style);
    }
    let delayed = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(PROGRESS_DELAY);
        if !delayed.is_finished() {
            delayed.set_draw_target(ProgressDrawTarget::stderr());
            delayed.enable_steady_tick(Duration::from_millis(100));
        }
    });
    bar
}

fn print_summary(
    run: &BuildReport,
    cli: &Cli,
    dry_run: bool,
    took: Duration,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let result = if cli.verbose || dry_run {
        run.feeds.iter().try_for_each(|f| {
            writeln!(out, "{}", sanitize_terminal(&feed_line(f, dry_run)))?;
            (f.pages.iter()).try_for_each(|p| {
                writeln!(out, "{}: {}", f.name, sanitize_terminal(&p.to_string()))
            })
        })
    } else if !cli.quiet && std::io::stdout().is_terminal() {
        writeln!(out, "{}", total_line(run, took))
    } else {
        Ok(())
    };
    result.context("cannot write to stdout")
}

/// One feed's summary, e.g. `news: 12 entries (1 new or changed); 1 of 12 articles read;
/// written: public/news.xml; unchanged: public/news.json`.
pub(crate) fn feed_line(f: &FeedReport, dry_run: bool) -> String {
    if f.skipped {
        return format!(
            "{}: unchanged ({} articles); nothing read or written",
            f.name, f.articles
        );
    }
    let list = |want: OutputChange| {
        let names: Vec<String> = (f.outputs.iter())
            .filter(|(_, c)| *c == want)
            .map(|(p, _)| p.display().to_string())
            .collect();
        names.join(", ")
    };
    let (written, unchanged) = (list(OutputChange::Written), list(OutputChange::Unchanged));
    let mut line = format!(
        "{}: {} entries ({} new or changed); {} of {} articles read",
        f.name, f.entries, f.changed_entries, f.parsed, f.articles
    );
    if !written.is_empty() {
        let verb = if dry_run { "would write" } else { "written" };
        line.push_str(&format!("; {verb}: {written}"));
    }
    if !unchanged.is_empty() {
        line.push_str(&format!("; unchanged: {unchanged}"));
    }
    line
}

fn total_line(run: &BuildReport, took: Duration) -> String {
    let skipped = run.feeds.iter().filter(|f| f.skipped).count();
    let written: usize = (run.feeds.iter())
        .map(|f| {
            f.outputs
                .iter()
                .filter(|(_, c)| *c == OutputChange::Written)
                .count()
        })
        .sum();
    format!(
        "{} feeds ({} unchanged), {} outputs written, in {:.2} s",
        run.feeds.len(),
        skipped,
        written,
        took.as_secs_f64()
    )
}
