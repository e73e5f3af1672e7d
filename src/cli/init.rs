//! The `init` command: a new project to start from.

use std::path::PathBuf;

use clap::Args;
use feedloom::exit::ExitStatus;
use feedloom::pipeline::{self, InitError};

use super::fail_with;
use crate::Cli;

/// Examples shown at the end of `feedloom init --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom init && feedloom build      start a project here and build its feed into public/
  feedloom init --dir ~/site           start one in ~/site";

/// The flags of `feedloom init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The project folder to start (created if missing).
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

/// Runs `feedloom init`: writes the files, and says what to do next unless `--quiet`.
pub(crate) fn run(args: &InitArgs, cli: &Cli) -> anyhow::Result<()> {
    let written = pipeline::init(&args.dir).map_err(|e| match e {
        InitError::Exists { .. } => fail_with(ExitStatus::Usage, e),
        e => e.into(),
    })?;
    if !cli.quiet {
        for path in &written {
            println!("wrote {}", path.display());
        }
        println!(
            "next: edit feeds/example.toml, put articles in samples/, then run `feedloom build`"
        );
    }
    Ok(())
}
