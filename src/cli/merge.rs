//! The `merge` command: external feeds (URLs, `file://` URLs or paths) into one feed,
//! without state.
//!
//! Nothing is cached unless `--cache DIR` is given: every source is fetched in full, a
//! failing source is skipped with a warning, and undated items stay undated (the state that
//! would date them belongs to `feedloom build`). With `--cache`, a [`DirCache`] in `DIR`
//! keeps validators, last good copies and when each source is due, so repeated runs send
//! conditional requests, a failing source contributes its last good entries, and a source
//! that asked to wait, keeps failing or is still fresh is not asked again too soon.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use feedloom::diagnostic::sanitize_terminal;
use feedloom::pipeline::{self, MAX_TIMEOUT_SECS, MergeOptions};
use url::Url;

use super::{FeedOutput, Reporter, print_document};
use crate::Cli;

/// Examples shown at the end of `feedloom merge --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom merge https://a.example/feed.xml https://b.example/atom.xml > merged.xml
  feedloom merge --include copper --limit 50 --cache .cache -o copper.xml URL...";

/// The flags of `feedloom merge`.
#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    #[command(flatten)]
    out: FeedOutput,
    /// Feed title [default: the sources' titles].
    #[arg(long)]
    title: Option<String>,
    /// The site the merged feed belongs to.
    #[arg(long)]
    link: Option<Url>,
    /// Where the merged feed will be published (its self link).
    #[arg(long)]
    feed_url: Option<Url>,
    /// Keep at most this many entries (the newest).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
    /// Keep only entries whose title, summary or content contains WORD (any of them when
    /// repeated; case-insensitive).
    #[arg(long, value_name = "WORD")]
    include: Vec<String>,
    /// Drop entries whose title, summary or content contains WORD (case-insensitive).
    #[arg(long, value_name = "WORD")]
    exclude: Vec<String>,
    /// Keep validators, last good copies and when each source is due in this folder
    /// between runs.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Total time allowed for each source's fetch.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS))]
    timeout: u64,
    /// Fetch from private, loopback and link-local addresses too (refused by default).
    #[arg(long)]
    allow_private: bool,
    /// Fetch every source now, even one that asked to wait, is backing off after failures,
    /// or is still fresh by its own cache headers (as remembered in --cache DIR).
    #[arg(long)]
    force: bool,
    /// Replace each item's summary-only content with the article of the page it links to
    /// (kept in --cache DIR, so each page is fetched once).
    #[arg(long)]
    full_text: bool,
    /// Feeds to merge: http(s):// or file:// URLs, or paths.
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<String>,
}

/// Runs `feedloom merge`. A failing source is a warning (exit 0, or 4 with `--strict`);
/// when no source gives a single entry and some failed, nothing is written (exit 1). With
/// `--verbose`, what became of each source's pages is told on stderr (stdout may be the
/// feed).
pub(crate) fn run(args: &MergeArgs, cli: &Cli, report: &mut Reporter) -> anyhow::Result<()> {
    let mut options = MergeOptions::new(args.sources.clone(), super::now()?);
    options.format = args.out.format;
    options.output = args.out.output.clone();
    options.title = args.title.clone();
    options.link = args.link.clone();
    options.feed_url = args.feed_url.clone();
    options.limit = args.limit.and_then(|n| usize::try_from(n).ok());
    options.include = args.include.clone();
    options.exclude = args.exclude.clone();
    options.cache = args.cache.clone();
    options.fetch.timeout_secs = args.timeout;
    options.fetch.allow_private = args.allow_private;
    options.fetch.force = args.force;
    options.full_text = args.full_text;
    let merged = pipeline::merge(&options)?;
    report.report(&merged.diagnostics);
    if cli.verbose {
        let mut stderr = std::io::stderr().lock();
        for counts in &merged.pages {
            let _ = writeln!(stderr, "{}", sanitize_terminal(&counts.to_string()));
        }
    }
    match &merged.document {
        Some(document) => print_document(&args.out, &document.bytes),
        None => Ok(()),
    }
}
