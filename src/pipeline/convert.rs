//! `feedloom convert`: article files, folders and feed files into one feed, without state.
//! A file whose content is an RSS, Atom or JSON Feed document is read as the entries it
//! holds, so `convert --format atom feed.xml` converts RSS to Atom.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use url::Url;

use super::assemble::assemble;
use super::feed_file::read_feed_file;
use super::read::read_sources;
use super::settings::{FeedSettings, SourceSpec};
use super::write::{Document, DocumentError, document};
use crate::diagnostic::{Diagnostic, Severity};
use crate::emit::Format;
use crate::merge::ParsedFeed;

/// What `feedloom convert` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// Article files or folders (read recursively), or RSS / Atom / JSON Feed files.
    pub inputs: Vec<PathBuf>,
    /// The output format.
    pub format: Format,
    /// Zone for dates written without an offset; `None`: UTC.
    pub timezone: Option<Tz>,
    /// The feed's title; `None`: the title of the feed file when it is the only input, else
    /// the name of the first input's folder.
    pub title: Option<String>,
    /// The site the feed belongs to; `None`: the feed file's site when it is the only input.
    pub link: Option<Url>,
    /// Where the feed will be published (its self link).
    pub feed_url: Option<Url>,
    /// Entry link pattern, `{slug}` being the file name without extension.
    pub link_template: Option<String>,
    /// The feed's language (BCP 47).
    pub language: Option<String>,
    /// Include draft articles.
    pub drafts: bool,
    /// Write the feed to this file (atomically, only when its bytes change).
    pub output: Option<PathBuf>,
}

/// What a conversion gave.
#[derive(Debug)]
pub struct Converted {
    /// The feed and its document; `None` when an error left nothing to convert (a missing
    /// input, say): then nothing is written.
    pub document: Option<Document>,
    /// Every problem met, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts the inputs into one feed. A bad article or feed file is a diagnostic and the
/// others are still converted.
///
/// ```
/// use feedloom::emit::Format;
/// use feedloom::pipeline::{ConvertOptions, convert};
///
/// let converted = convert(&ConvertOptions {
///     inputs: vec!["samples/cnmn-2020-07-10-xi-putin-calls.txt".into()],
///     format: Format::Atom,
///     timezone: Some(chrono_tz::Asia::Shanghai),
///     ..ConvertOptions::default()
/// })?;
/// let document = converted.document.expect("an article to convert");
/// let entry = &document.feed.entries[0];
/// assert_eq!(entry.published.unwrap().to_rfc3339(), "2020-07-10T09:52:00+08:00");
/// assert!(document.bytes.starts_with(b"<?xml"));
/// # Ok::<(), feedloom::pipeline::DocumentError>(())
/// ```
pub fn convert(options: &ConvertOptions) -> Result<Converted, DocumentError> {
    let mut diagnostics = Vec::new();
    let mut feeds: Vec<ParsedFeed> = Vec::new();
    let mut sources = Vec::new();
    for path in &options.inputs {
        match read_feed_file(path) {
            Some(Ok(feed)) => {
                let warnings = feed.warnings.iter();
                diagnostics.extend(warnings.map(|w| Diagnostic::warning(path.display(), None, w)));
                feeds.push(feed);
            }
            Some(Err(d)) => diagnostics.push(d),
            None => sources.push(SourceSpec {
                pattern: path.clone(),
                link_template: options.link_template.clone(),
                ..SourceSpec::default()
            }),
        }
    }
    let settings = settings(options, &sources, &feeds);
    let (mut entries, read) = read_sources(&sources, &settings);
    diagnostics.extend(read);
    entries.extend(feeds.into_iter().flat_map(|f| f.entries));
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if entries.is_empty() && failed {
        return Ok(Converted {
            document: None,
            diagnostics,
        });
    }
    let mut feed = assemble(&settings, entries, &mut diagnostics);
    feed.feed_url = options.feed_url.clone();
    let url = options.feed_url.as_ref();
    let document = document(feed, options.format, url, options.output.as_deref())?;
    Ok(Converted {
        document: Some(document),
        diagnostics,
    })
}

/// The feed's settings: the options, and a lone feed file's title and site.
fn settings(
    options: &ConvertOptions,
    sources: &[SourceSpec],
    feeds: &[ParsedFeed],
) -> FeedSettings {
    let only_feed = (sources.is_empty() && feeds.len() == 1).then(|| &feeds[0]);
    FeedSettings {
        title: (options.title.clone())
            .or_else(|| only_feed.map(|f| f.title.clone()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| default_title(&options.inputs)),
        link: (options.link.clone()).or_else(|| only_feed.and_then(|f| f.home_page_url.clone())),
        language: options.language.clone(),
        timezone: options.timezone,
        drafts: options.drafts,
        ..FeedSettings::default()
    }
}

/// The name of the first input's folder (the input itself when it is one).
fn default_title(inputs: &[PathBuf]) -> String {
    (inputs.first())
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| match p.is_dir() {
            true => Some(p),
            false => p.parent().map(Path::to_path_buf),
        })
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "feedloom".to_owned())
}
