//! The `convert` command: article files, folders and feed files into one feed, without
//! state. A file given by name whose content is an RSS, Atom or JSON Feed document is read
//! as the entries it holds, so `feedloom convert --format atom feed.xml` converts RSS to
//! Atom.

use std::path::PathBuf;

use clap::Args;
use feedloom::pipeline::{self, ConvertOptions};
use url::Url;

use super::{FeedOutput, Reporter, print_document};

/// Examples shown at the end of `feedloom convert --help`.
pub(crate) const EXAMPLES: &str = "Examples:
  feedloom convert article.txt                            one article as RSS on stdout
  feedloom convert --format atom --timezone Asia/Shanghai -o news.atom samples/
  feedloom convert --format json feed.xml                 an RSS or Atom feed as JSON Feed";

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
    #[arg(long, value_parser = language_tag)]
    language: Option<String>,
    /// Include draft articles.
    #[arg(long)]
    drafts: bool,
    /// Accepted like `merge` and `validate` do, so scripts can pass it to every command:
    /// convert reads local files only, and fetches nothing for it to permit.
    #[arg(long)]
    allow_private: bool,
    /// Article files or folders (folders are read recursively), or RSS / Atom / JSON Feed files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

/// Runs `feedloom convert`.
pub(crate) fn run(args: &ConvertArgs, report: &mut Reporter) -> anyhow::Result<()> {
    if args.allow_private {
        tracing::debug!("--allow-private: convert fetches nothing, so it permits nothing");
    }
    let converted = pipeline::convert(&ConvertOptions {
        inputs: args.inputs.clone(),
        format: args.out.format,
        timezone: args.timezone,
        title: args.title.clone(),
        link: args.link.clone(),
        feed_url: args.feed_url.clone(),
        link_template: args.link_template.clone(),
        language: args.language.clone(),
        drafts: args.drafts,
        output: args.out.output.clone(),
    })?;
    report.report(&converted.diagnostics);
    match &converted.document {
        Some(document) => print_document(&args.out, &document.bytes),
        None => Ok(()),
    }
}

/// A `--language` that feed readers know (see [`feedloom_validate::is_language_code`]).
fn language_tag(text: &str) -> Result<String, String> {
    match feedloom_validate::is_language_code(text) {
        true => Ok(text.to_owned()),
        false => Err(format!(
            "{text:?} is not a language tag feed readers know; use a BCP 47 tag such as zh-CN or en"
        )),
    }
}
