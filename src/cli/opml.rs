//! The `opml` command: the feeds of a definitions folder as an OPML 2.0 subscription list
//! that feed readers import.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use feedloom::exit::ExitStatus;
use feedloom::pipeline::{self, OpmlError, OpmlOptions};

use super::{Reporter, fail_with};

/// Examples shown at the end of `feedloom opml --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom opml > subscriptions.opml          import it in a feed reader
  feedloom opml --feeds /srv/site/feeds --title \"Metals\" -o public/feeds.opml";

/// The flags of `feedloom opml`.
#[derive(Debug, Args)]
pub(crate) struct OpmlArgs {
    /// The folder of feed definitions (*.toml).
    #[arg(long, default_value = "feeds")]
    feeds: PathBuf,
    /// The list's title.
    #[arg(long, default_value = "feedloom feeds")]
    title: String,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Runs `feedloom opml`.
pub(crate) fn run(args: &OpmlArgs, report: &mut Reporter) -> anyhow::Result<()> {
    let listed = pipeline::opml(&OpmlOptions {
        feeds: args.feeds.clone(),
        title: args.title.clone(),
        output: args.output.clone(),
    })
    .map_err(|e| match e {
        OpmlError::Config(_) => fail_with(ExitStatus::Usage, e),
        e => e.into(),
    })?;
    report.report(&listed.diagnostics);
    if args.output.is_none() {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&listed.bytes)
            .context("cannot write to stdout")?;
    }
    Ok(())
}
