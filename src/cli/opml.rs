//! The `opml` command: the feeds of a definitions folder as an OPML 2.0 subscription list
//! that feed readers import.

use std::path::PathBuf;

use clap::Args;
use feedloom::config;
use feedloom::diagnostic::Diagnostic;
use feedloom::exit::ExitStatus;
use feedloom::merge::opml;

use super::{Reporter, fail_with, write_result};

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

/// Runs `feedloom opml`: one outline per definition with a public URL (`base_url`); a
/// definition without one is left out with a warning.
pub(crate) fn run(args: &OpmlArgs, report: &mut Reporter) -> anyhow::Result<()> {
    let defs = config::load_dir(&args.feeds).map_err(|e| fail_with(ExitStatus::Usage, e))?;
    let mut feeds = Vec::new();
    let mut diagnostics = Vec::new();
    for def in &defs {
        match def.subscription() {
            Some(feed) => feeds.push(feed),
            None => diagnostics.push(Diagnostic::warning(
                def.file.display(),
                None,
                "no `base_url`, so the feed has no public URL; left out of the list",
            )),
        }
    }
    report.report(&diagnostics);
    let text = opml::write(&args.title, &feeds) + "\n";
    write_result(args.output.as_deref(), text.as_bytes())
}
