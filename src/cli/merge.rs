//! The `merge` command: external feeds (URLs, `file://` URLs or paths) into one feed,
//! without state.
//!
//! Nothing is cached unless `--cache DIR` is given: every source is fetched in full, a
//! failing source is skipped with a warning, and undated items stay undated (the state that
//! would date them belongs to `feedloom build`). With `--cache`, a [`DirCache`] in `DIR`
//! keeps validators and last good copies, so repeated runs send conditional requests and a
//! failing source contributes its last good entries.

use std::path::{Path, PathBuf};

use clap::Args;
use feedloom::diagnostic::Diagnostic;
use feedloom::merge::{self, DirCache, FetchCache, FetchSettings, MergeSource, NoCache, Rules};
use feedloom::model::{Entry, Feed};
use url::Url;

use super::{FeedOutput, Reporter};

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
    /// Keep validators and last good copies of the sources in this folder between runs.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Total time allowed for each source's fetch.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Feeds to merge: http(s):// or file:// URLs, or paths.
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<String>,
}

/// Runs `feedloom merge`. A failing source is a warning (exit 0, or 4 with `--strict`);
/// when no source gives a single entry and some failed, nothing is written (exit 1).
pub(crate) fn run(args: &MergeArgs, report: &mut Reporter) -> anyhow::Result<()> {
    let sources = sources(args);
    let settings = FetchSettings {
        timeout_secs: args.timeout,
        ..FetchSettings::default()
    };
    let cache: Box<dyn FetchCache> = match &args.cache {
        Some(dir) => Box::new(DirCache::new(dir)),
        None => Box::new(NoCache),
    };
    // The clock is read here, at the edge; the merge layer is given the time.
    let now = chrono::Utc::now().fixed_offset();
    let (entries, mut diagnostics) =
        merge::collect(&sources, Path::new("."), &settings, cache.as_ref(), now);
    if entries.is_empty() && !diagnostics.is_empty() {
        let reason = "no source gave any entry; nothing written";
        diagnostics.push(Diagnostic::error("merge", None, reason));
        report.report(&diagnostics);
        return Ok(());
    }
    report.report(&diagnostics);
    let title = (args.title.clone()).unwrap_or_else(|| default_title(&entries));
    let home_page_url = (args.link.clone()).or_else(|| common_home_page(&entries));
    let limit = args.limit.and_then(|n| usize::try_from(n).ok());
    let mut feed = Feed {
        title,
        home_page_url,
        feed_url: args.feed_url.clone(),
        entries: merge::finish(merge::dedupe(entries), limit),
        ..Feed::default()
    };
    feed.derive_updated();
    args.out.write(&feed)
}

/// One [`MergeSource`] per argument, each with the command's filters.
fn sources(args: &MergeArgs) -> Vec<MergeSource> {
    let rules = |words: &[String]| (!words.is_empty()).then(|| Rules::Keywords(words.to_vec()));
    (args.sources.iter())
        .map(|s| MergeSource {
            include: rules(&args.include),
            exclude: rules(&args.exclude),
            ..MergeSource::url(s)
        })
        .collect()
}

/// The titles of the feeds that gave entries, in the order given, joined with ` · `.
fn default_title(entries: &[Entry]) -> String {
    let mut titles: Vec<&str> = Vec::new();
    for title in entries
        .iter()
        .filter_map(|e| e.origin.as_ref())
        .map(|o| o.title.as_str())
    {
        if !title.is_empty() && !titles.contains(&title) {
            titles.push(title);
        }
    }
    if titles.is_empty() {
        "Merged feed".to_owned()
    } else {
        titles.join(" · ")
    }
}

/// The home page every source that gave entries shares, if they share one.
fn common_home_page(entries: &[Entry]) -> Option<Url> {
    let mut pages = entries
        .iter()
        .filter_map(|e| e.origin.as_ref()?.home_page_url.as_ref());
    let first = pages.next()?;
    pages.all(|p| p == first).then(|| first.clone())
}
