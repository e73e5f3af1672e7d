//! The `validate` command: the W3C Feed Validation Service's rules on feed files and URLs,
//! each problem on its own line with where it is, what it is, and what to do.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use feedloom::diagnostic::sanitize_terminal;
use feedloom::exit::ExitStatus;
use feedloom::pipeline::validate::{Level, Problem};
use feedloom::pipeline::{self, MAX_TIMEOUT_SECS, ValidateOptions};

use super::Status;
use crate::Cli;

/// Examples shown at the end of `feedloom validate --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom validate public/news.xml public/news.atom public/news.json
  feedloom validate --strict https://www.example.com/feeds/news.xml     warnings fail too (4)
  feedloom validate --json feed.xml | jq -r .class                          one JSON object a line";

/// The flags of `feedloom validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Print one JSON object per problem (file, line, column, level, class, element, parent,
    /// message, help) instead of text.
    #[arg(long)]
    json: bool,
    /// The URL the feeds are published at [default: the URL fetched, or a file's own self
    /// link].
    #[arg(long, value_name = "URL")]
    base: Option<String>,
    /// Total time allowed for fetching each URL.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    timeout: u64,
    /// Fetch from private, loopback and link-local addresses too (refused by default).
    #[arg(long)]
    allow_private: bool,
    /// Feed files (RSS 0.9x/1.0/2.0, Atom 1.0, JSON Feed 1.1) or http(s) URLs.
    #[arg(required = true, value_name = "FEED")]
    inputs: Vec<String>,
}

/// Runs `feedloom validate`: exit 0 without errors, 1 with any, 4 with warnings under
/// `--strict`.
pub(crate) fn run(args: &ValidateArgs, cli: &Cli) -> anyhow::Result<()> {
    let mut options = ValidateOptions {
        inputs: args.inputs.clone(),
        base: args.base.clone(),
        ..ValidateOptions::default()
    };
    options.fetch.timeout_secs = args.timeout;
    options.fetch.allow_private = args.allow_private;
    let (mut errors, mut warnings) = (0, 0);
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for validated in pipeline::validate(&options) {
        let report = match validated.outcome {
            Ok(report) => report,
            Err(reason) => {
                errors += 1;
                let line = format!("error: {}: {reason}", validated.input);
                writeln!(err, "{}", sanitize_terminal(&line)).context("cannot write to stderr")?;
                continue;
            }
        };
        for problem in &report.problems {
            match problem.level {
                Level::Error => errors += 1,
                Level::Warning => warnings += 1,
                _ => continue,
            }
            if cli.quiet && problem.level != Level::Error {
                continue;
            }
            match args.json {
                true => writeln!(out, "{}", json_line(&validated.input, problem)),
                false => writeln!(err, "{}", text(&validated.input, problem)),
            }
            .context("cannot write the problems")?;
        }
    }
    let status = match (errors, warnings) {
        (0, 0) => ExitStatus::Success,
        (0, _) if cli.strict => ExitStatus::Warnings,
        (0, _) => ExitStatus::Success,
        _ => ExitStatus::Failure,
    };
    match status {
        ExitStatus::Success => Ok(()),
        status => Err(anyhow::Error::new(Status::silent(status))),
    }
}

/// `error: FILE:LINE:COLUMN: message [Class]`, then where it applies and what to do.
fn text(input: &str, p: &Problem) -> String {
    let level = match p.level {
        Level::Error => "error",
        _ => "warning",
    };
    let mut text = format!(
        "{level}: {input}:{}:{}: {} [{}]",
        p.line, p.column, p.message, p.class
    );
    if !p.element.is_empty() {
        text.push_str(&format!("\nelement: {}", p.element));
        if !p.parent.is_empty() {
            text.push_str(&format!(", in {}", p.parent));
        }
    }
    if !p.help.is_empty() {
        text.push_str(&format!("\nhelp: {}", p.help));
    }
    sanitize_terminal(&text)
}

/// One problem as a JSON object, with the file it is in.
fn json_line(input: &str, p: &Problem) -> String {
    let mut value = serde_json::to_value(p).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("file".into(), input.into());
    }
    value.to_string()
}
