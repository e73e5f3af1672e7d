//! The `serve` command of the binary: flags into [`ServeOptions`], the addresses served on
//! stdout, each build's problems on stderr, and the server run until `SIGTERM` or `SIGINT`.
//!
//! What is printed where:
//!
//! - stdout: `serving http://ADDR/` once the server takes connections, then one line per
//!   path served (not with `--quiet`).
//! - stderr: the errors of every build, its warnings unless `--quiet`; with `--verbose`,
//!   one summary line per feed after each build that wrote something.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use clap::Args;
use feedloom::diagnostic::{Severity, sanitize_terminal};
use feedloom::exit::ExitStatus;
use feedloom::pipeline::StateLocation;
use feedloom::pipeline::build::{BuildError, BuildReport, OutputChange};
use feedloom::pipeline::serve::{Clock, ServeError, ServeOptions, Server};
use feedloom::pipeline::websub::PingSettings;

use super::fail_with;
use crate::Cli;

/// Examples shown at the end of `feedloom serve --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom serve                              http://127.0.0.1:8080/news.xml, built once
  feedloom serve --every 15m                  and rebuilt every quarter of an hour
  kill -HUP $(pidof feedloom)                 rebuild now
  feedloom serve --addr 0.0.0.0:8080          listen on every interface (default: loopback)";

/// The flags of `feedloom serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The folder of feed definitions (*.toml); paths in them are relative to its parent.
    #[arg(long, default_value = "feeds")]
    feeds: PathBuf,
    /// Rebuild this often (e.g. 30s, 15m, 1h); without it, only at start and on SIGHUP.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    every: Option<Duration>,
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
    /// Include draft articles.
    #[arg(long)]
    drafts: bool,
    /// Do not tell the feeds' WebSub hubs about changed outputs.
    #[arg(long)]
    no_ping: bool,
}

/// Runs `feedloom serve` until a signal stops it.
pub(crate) fn run(args: &ServeArgs, cli: &Cli) -> anyhow::Result<()> {
    let clock = clock()?;
    let mut options = ServeOptions::new(&args.feeds, args.addr);
    options.build.state = args.state.clone();
    options.build.drafts = args.drafts;
    options.build.ping = (!args.no_ping).then(PingSettings::default);
    options.build.now = clock();
    options.clock = clock;
    options.every = args.every.filter(|every| !every.is_zero());
    options.signals = true;
    let (quiet, verbose) = (cli.quiet, cli.verbose);
    options.on_build = Box::new(move |built| print_build(built, quiet, verbose));
    let server = Server::start(options).map_err(|e| match e {
        ServeError::Config(_) => fail_with(ExitStatus::Usage, e),
        _ => fail_with(ExitStatus::Failure, e),
    })?;
    // The addresses are for whoever watches; a closed stdout must not stop the server.
    let _ = print_paths(&server, cli.quiet);
    server.wait().map_err(|e| fail_with(ExitStatus::Failure, e))
}

/// The clock of every build: `SOURCE_DATE_EPOCH` when set (checked once, here), else the
/// system clock.
fn clock() -> anyhow::Result<Clock> {
    Ok(match std::env::var_os("SOURCE_DATE_EPOCH") {
        Some(_) => {
            let fixed = super::now()?;
            Arc::new(move || fixed)
        }
        None => Arc::new(Utc::now),
    })
}

fn print_paths(server: &Server, quiet: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let addr = server.local_addr();
    writeln!(out, "serving http://{addr}/")?;
    if !quiet {
        for path in server.paths() {
            writeln!(out, "  http://{addr}{}", sanitize_terminal(path))?;
        }
    }
    out.flush()
}

/// Prints what a build met on stderr: errors always, warnings unless quiet, and with
/// `verbose` a line per feed that wrote something.
fn print_build(built: Result<&BuildReport, &BuildError>, quiet: bool, verbose: bool) {
    let mut err = std::io::stderr().lock();
    let report = match built {
        Ok(report) => report,
        Err(e) => {
            let message = sanitize_terminal(&e.to_string());
            let _ = writeln!(err, "error: {message}; still serving the last good files");
            return;
        }
    };
    for d in report.diagnostics() {
        if !quiet || d.severity == Severity::Error {
            let _ = writeln!(err, "{d}");
        }
    }
    if verbose {
        let wrote = |f: &&feedloom::pipeline::FeedReport| {
            (f.outputs.iter()).any(|(_, c)| *c == OutputChange::Written)
        };
        for feed in report.feeds.iter().filter(wrote) {
            let line = super::build::feed_line(feed, false);
            let _ = writeln!(err, "{}", sanitize_terminal(&line));
        }
    }
}
