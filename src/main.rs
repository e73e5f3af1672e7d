//! The `feedloom` command line: parses arguments, calls the library, prints diagnostics and
//! maps the outcome to an exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use feedloom::build::{self, FeedSettings, SourceSpec};
use feedloom::diagnostic::{Diagnostic, Severity};
use feedloom::emit::{self, Format};
use feedloom::exit::ExitStatus;
use feedloom::output;

mod cli;
use url::Url;

/// Turn article sources into RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds.
#[derive(Debug, Parser)]
#[command(name = "feedloom", version, about)]
struct Cli {
    /// Print nothing but errors: no warnings, no summary.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print a one-line summary per feed on stdout, even when it is not a terminal.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Exit with code 4 when there is any warning.
    #[arg(long, global = true)]
    strict: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert article files or folders into one feed, written to stdout or a file.
    Convert(Box<ConvertArgs>),
    /// Build every feed defined in the definitions folder.
    Build(BuildArgs),
}

#[derive(Debug, Args)]
struct ConvertArgs {
    /// Output format.
    #[arg(long, default_value = "rss")]
    format: Format,
    /// IANA time zone for dates written without an offset [default: UTC].
    #[arg(long)]
    timezone: Option<chrono_tz::Tz>,
    /// Feed title [default: the title of the newest article's folder].
    #[arg(long)]
    title: Option<String>,
    /// The site the feed belongs to.
    #[arg(long)]
    link: Option<Url>,
    /// Where the feed will be published (its self link).
    #[arg(long)]
    feed_url: Option<Url>,
    /// Entry link pattern, `{slug}` being the file name without extension.
    #[arg(long)]
    link_template: Option<String>,
    /// Feed language (BCP 47), e.g. zh-CN.
    #[arg(long)]
    language: Option<String>,
    /// Include draft articles.
    #[arg(long)]
    drafts: bool,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Article files or folders (folders are read recursively).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// The folder of feed definitions (*.toml); paths in them are relative to its parent.
    #[arg(long, default_value = "feeds")]
    feeds: PathBuf,
    /// Include draft articles.
    #[arg(long)]
    drafts: bool,
    /// The state file [default: .feedloom.sqlite in the definitions folder].
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// How long to wait for another run to finish before giving up (exit code 3).
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    lock_timeout: f64,
    /// Print what would change, but write no output and keep no state.
    #[arg(long)]
    dry_run: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let mut report = Reporter {
        quiet: cli.quiet,
        warnings: 0,
        errors: 0,
    };
    let outcome = match &cli.command {
        Command::Convert(args) => convert(args, &mut report),
        Command::Build(args) => cli::build(args, &cli, &mut report),
    };
    let status = match outcome {
        Ok(()) if report.errors > 0 => ExitStatus::Failure,
        Ok(()) if cli.strict && report.warnings > 0 => ExitStatus::Warnings,
        Ok(()) => ExitStatus::Success,
        Err(e) => {
            eprintln!(
                "error: {}",
                feedloom::diagnostic::sanitize_terminal(&format!("{e:#}"))
            );
            (e.downcast_ref::<Status>().map(|s| s.0)).unwrap_or(ExitStatus::Failure)
        }
    };
    status.into()
}

/// Structured logs on stderr, off unless `RUST_LOG` asks for them (e.g. `RUST_LOG=debug`).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// An error that carries the exit status it should end the run with.
#[derive(Debug, Clone, Copy)]
struct Status(ExitStatus);

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit code {}", self.0.code())
    }
}

impl std::error::Error for Status {}

pub(crate) struct Reporter {
    quiet: bool,
    warnings: usize,
    errors: usize,
}

impl Reporter {
    pub(crate) fn report<'a>(&mut self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
        let mut stderr = std::io::stderr().lock();
        for d in diagnostics {
            match d.severity {
                Severity::Warning => self.warnings += 1,
                Severity::Error => self.errors += 1,
            }
            if !self.quiet || d.severity == Severity::Error {
                let _ = writeln!(stderr, "{d}");
            }
        }
    }
}

fn convert(args: &ConvertArgs, report: &mut Reporter) -> anyhow::Result<()> {
    let sources: Vec<SourceSpec> = args
        .inputs
        .iter()
        .map(|p| SourceSpec {
            pattern: p.clone(),
            link_template: args.link_template.clone(),
            ..SourceSpec::default()
        })
        .collect();
    let settings = FeedSettings {
        title: args
            .title
            .clone()
            .unwrap_or_else(|| default_title(&args.inputs)),
        link: args.link.clone(),
        language: args.language.clone(),
        timezone: args.timezone,
        drafts: args.drafts,
        ..FeedSettings::default()
    };
    let mut built = build::build(&sources, &settings);
    report.report(&built.diagnostics);
    built.feed.feed_url = args.feed_url.clone();
    let bytes = emit::write(&built.feed, args.format)?;
    match &args.output {
        Some(path) => {
            output::write_if_changed(path, &bytes)?;
        }
        None => std::io::stdout()
            .lock()
            .write_all(&bytes)
            .context("cannot write to stdout")?,
    }
    Ok(())
}

fn default_title(inputs: &[PathBuf]) -> String {
    inputs
        .first()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| {
            if p.is_dir() {
                Some(p)
            } else {
                p.parent().map(PathBuf::from)
            }
        })
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "feedloom".to_owned())
}
