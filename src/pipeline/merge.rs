//! `feedloom merge`: external feeds (URLs, `file://` URLs or paths) into one feed, without
//! state.
//!
//! Nothing is cached unless a cache folder is given: every source is fetched in full, a
//! failing source is skipped with a warning, and undated items stay undated (the state that
//! would date them belongs to `feedloom build`). With a cache folder, a [`DirCache`] there
//! keeps validators, last good copies and when each source is due, so repeated runs send
//! conditional requests, a failing source contributes its last good entries, and a source
//! that asked to wait, keeps failing or is still fresh is not asked again too soon.
//!
//! With `full_text`, every item gets the article of the page it links to
//! ([`full_text`](super::full_text)); with a cache folder, what was read is kept there by
//! source, item id and link, so each page is fetched once.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use url::Url;

use super::write::{Document, DocumentError, document};
use crate::diagnostic::Diagnostic;
use crate::emit::Format;
use crate::merge::{
    self, DirCache, FetchCache, FetchSettings, MergeSource, NoCache, PageCache, Rules,
};
use crate::model::{Entry, Feed};
use crate::pipeline::full_text::{self, FullText, PageCounts, Scope};

/// What `feedloom merge` is asked to do.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Feeds to merge: `http(s)://` or `file://` URLs, or paths (relative to `base_dir`).
    pub sources: Vec<String>,
    /// The folder relative paths start from.
    pub base_dir: PathBuf,
    /// The output format.
    pub format: Format,
    /// The feed's title; `None`: the sources' titles.
    pub title: Option<String>,
    /// The site the merged feed belongs to; `None`: the site every source shares, if any.
    /// It is also the contact the User-Agent names, unless `fetch.contact` gives one.
    pub link: Option<Url>,
    /// Where the merged feed will be published (its self link).
    pub feed_url: Option<Url>,
    /// Keep at most this many entries (the newest).
    pub limit: Option<usize>,
    /// Keep only entries whose title, summary or content contains one of these words.
    pub include: Vec<String>,
    /// Drop entries whose title, summary or content contains one of these words.
    pub exclude: Vec<String>,
    /// Keep validators, last good copies and when each source is due in this folder
    /// between runs.
    pub cache: Option<PathBuf>,
    /// Fetch limits and the address guard's allow list (`fetch.allow_private` for
    /// `--allow-private`).
    pub fetch: FetchSettings,
    /// The run's time: entries dated more than a day after it lose their date.
    pub now: DateTime<Utc>,
    /// Write the feed to this file (atomically, only when its bytes change).
    pub output: Option<PathBuf>,
    /// Give every item the article of the page it links to (fetched once, when a cache
    /// folder keeps what was read).
    pub full_text: bool,
}

impl MergeOptions {
    /// Options merging `sources` at `now`, every other setting at its default.
    pub fn new(sources: Vec<String>, now: DateTime<Utc>) -> MergeOptions {
        MergeOptions {
            sources,
            base_dir: PathBuf::from("."),
            format: Format::default(),
            title: None,
            link: None,
            feed_url: None,
            limit: None,
            include: Vec::new(),
            exclude: Vec::new(),
            cache: None,
            fetch: FetchSettings::for_command_line(),
            now,
            output: None,
            full_text: false,
        }
    }
}

/// What a merge gave.
#[derive(Debug)]
pub struct Merged {
    /// The merged feed and its document; `None` when no source gave a single entry and some
    /// failed: then nothing is written.
    pub document: Option<Document>,
    /// Every problem met (a failing source or page is a warning).
    pub diagnostics: Vec<Diagnostic>,
    /// With `full_text`: what became of each source's pages.
    pub pages: Vec<PageCounts>,
}

/// Fetches every source, drops duplicates across them, sorts newest first and writes one
/// feed.
pub fn merge(options: &MergeOptions) -> Result<Merged, DocumentError> {
    let dir = options.cache.as_ref().map(DirCache::new);
    let (cache, pages): (&dyn FetchCache, &dyn PageCache) = match &dir {
        Some(dir) => (dir, dir),
        None => (&NoCache, &NoCache),
    };
    let now = options.now.fixed_offset();
    let mut settings = options.fetch.clone();
    settings.contact = settings.contact.or_else(|| options.link.clone());
    let sources = sources(options);
    let (mut by_source, mut diagnostics) =
        merge::collect_by_source(&sources, &options.base_dir, &settings, cache, now);
    let mut counts = Vec::new();
    if options.full_text {
        let ctx = FullText {
            cache: pages,
            scope: Scope::EachSource,
            settings: &settings,
            now: options.now,
            zone: crate::dates::DEFAULT_TIMEZONE,
        };
        // Without a history, an item is new when nothing is kept of its page. Only the
        // state can fail the step, and no state is read here.
        let filled = full_text::fill(&mut by_source, &sources, &ctx, &mut |_, _| Ok(true))
            .unwrap_or_default();
        full_text::forget_gone(pages, &sources, &by_source);
        counts = filled.counts;
        diagnostics.extend(filled.diagnostics);
    }
    let entries: Vec<Entry> = by_source.into_iter().flatten().collect();
    if entries.is_empty() && !diagnostics.is_empty() {
        let reason = "no source gave any entry; nothing written";
        diagnostics.push(Diagnostic::error("merge", None, reason));
        return Ok(Merged {
            document: None,
            diagnostics,
            pages: counts,
        });
    }
    let title = (options.title.clone()).unwrap_or_else(|| default_title(&entries));
    let home_page_url = (options.link.clone()).or_else(|| common_home_page(&entries));
    let mut feed = Feed {
        title,
        home_page_url,
        feed_url: options.feed_url.clone(),
        entries: merge::finish(merge::dedupe(entries), options.limit),
        ..Feed::default()
    };
    feed.derive_updated();
    let url = options.feed_url.clone();
    let document = document(
        feed,
        options.format,
        url.as_ref(),
        options.output.as_deref(),
    )?;
    Ok(Merged {
        document: Some(document),
        diagnostics,
        pages: counts,
    })
}

/// One [`MergeSource`] per source, each with the command's filters.
fn sources(options: &MergeOptions) -> Vec<MergeSource> {
    let rules = |words: &[String]| (!words.is_empty()).then(|| Rules::Keywords(words.to_vec()));
    (options.sources.iter())
        .map(|s| MergeSource {
            include: rules(&options.include),
            exclude: rules(&options.exclude),
            full_text: options.full_text,
            ..MergeSource::url(s)
        })
        .collect()
}

/// The titles of the feeds that gave entries, in the order given, joined with ` · `.
fn default_title(entries: &[Entry]) -> String {
    let mut titles: Vec<&str> = Vec::new();
    for origin in entries.iter().filter_map(|e| e.origin.as_ref()) {
        let title = origin.title.as_str();
        if !title.is_empty() && !titles.contains(&title) {
            titles.push(title);
        }
    }
    match titles.is_empty() {
        true => "Merged feed".to_owned(),
        false => titles.join(" · "),
    }
}

/// The home page every source that gave entries shares, if they share one.
fn common_home_page(entries: &[Entry]) -> Option<Url> {
    let mut pages = (entries.iter()).filter_map(|e| e.origin.as_ref()?.home_page_url.as_ref());
    let first = pages.next()?;
    pages.all(|p| p == first).then(|| first.clone())
}
