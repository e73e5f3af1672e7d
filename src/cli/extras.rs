//! The commands that describe the command line itself: shell completions and the manual
//! page, both generated from the same clap definitions the binary parses with.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Examples shown at the end of `feedloom completions --help`.
pub(crate) const COMPLETION_EXAMPLES: &str = "Examples:
  feedloom completions bash > ~/.local/share/bash-completion/completions/feedloom
  feedloom completions zsh > ~/.zfunc/_feedloom        (with fpath+=~/.zfunc in ~/.zshrc)
  feedloom completions fish > ~/.config/fish/completions/feedloom.fish";

/// Examples shown at the end of `feedloom man --help`.
pub(crate) const MAN_EXAMPLES: &str = "Examples:
  feedloom man | man -l -                              read it now
  feedloom man --dir ~/.local/share/man/man1           install every page (man feedloom-build)";

/// The flags of `feedloom completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to write completions for.
    shell: Shell,
}

/// Prints the completion script of `args.shell` for the command line `C`.
pub(crate) fn completions<C: CommandFactory>(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut command = C::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "feedloom", &mut out);
    std::io::stdout()
        .lock()
        .write_all(&out)
        .context("cannot write to stdout")
}

/// The flags of `feedloom man`.
#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write one page per command (`feedloom.1`, `feedloom-build.1`, …) into this folder
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the manual page of the command line `C`, or writes every page into a folder.
pub(crate) fn man<C: CommandFactory>(args: &ManArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create", dir.display()))?;
        return clap_mangen::generate_to(C::command(), dir)
            .with_context(|| format!("{}: cannot write the manual pages", dir.display()));
    }
    let mut out = Vec::new();
    (clap_mangen::Man::new(C::command()).render(&mut out))
        .context("cannot render the manual page")?;
    std::io::stdout()
        .lock()
        .write_all(&out)
        .context("cannot write to stdout")
}
