//! The `convert` command: article files, folders and feed files into one feed, without
//! state. A file given by name whose content is an RSS, Atom or JSON Feed document is read
//! as the entries it holds, so `feedloom convert --format atom feed.xml` converts RSS to
//! Atom.

use std::path::PathBuf;

use clap::Args;
use feedloom::build::{self, FeedSettings, SourceSpec};
use feedloom::diagnostic::Diagnostic;
use feedloom::merge::ParsedFeed;
use url::Url;

use super::{FeedOutput, Reporter};

/// The flags of `feedloom convert`.
#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    #[command(flatten)]
    out: FeedOutput,
    /// IANA time zone for dates written without an offset [default: UTC].
    #[arg(long)]
    timezone: Option<chrono_tz::Tz>,
    /// Feed title [default: the title of the feed file when it is the only input, else the
    /// name of the newest article's folder].
    #[arg(long)]
    title: Option<String>,
    /// The site the feed belongs to [default: the feed file's site when it is the only input].
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
    /// Article files or folders (folders are read recursively), or RSS / Atom / JSON Feed files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

/// Runs `feedloom convert`.
pub(crate) fn run(args: &ConvertArgs, report: &mut Reporter) -> anyhow::Result<()> {
    let mut diagnostics = Vec::new();
    let mut feeds: Vec<ParsedFeed> = Vec::new();
    let mut sources = Vec::new();
    for path in &args.inputs {
        match build::read_feed_file(path) {
            Some(Ok(feed)) => {
                let warnings = feed.warnings.iter();
                diagnostics.extend(warnings.map(|w| Diagnostic::warning(path.display(), None, w)));
                feeds.push(feed);
            }
            Some(Err(d)) => diagnostics.push(d),
            None => sources.push(SourceSpec {
                pattern: path.clone(),
                link_template: args.link_template.clone(),
                ..SourceSpec::default()
            }),
        }
    }
    // A lone feed file lends the result its title and site, as a conversion should.
    let only_feed = (sources.is_empty() && feeds.len() == 1).then(|| &feeds[0]);
    let settings = FeedSettings {
        title: (args.title.clone())
            .or_else(|| only_feed.map(|f| f.title.clone()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| default_title(&args.inputs)),
        link: (args.link.clone()).or_else(|| only_feed.and_then(|f| f.home_page_url.clone())),
        language: args.language.clone(),
        timezone: args.timezone,
        drafts: args.drafts,
        ..FeedSettings::default()
    };
    let (mut entries, read) = build::read_sources(&sources, &settings);
    diagnostics.extend(read);
    entries.extend(feeds.into_iter().flat_map(|f| f.entries));
    let mut feed = build::assemble(&settings, entries, &mut diagnostics);
    report.report(&diagnostics);
    feed.feed_url = args.feed_url.clone();
    args.out.write(&feed)
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
