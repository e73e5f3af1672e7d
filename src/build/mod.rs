//! The pipeline: find article files, read and map them in parallel, assemble the feed,
//! and write each output.

use std::path::PathBuf;

use rayon::prelude::*;
use url::Url;

use crate::config::{FeedDef, OutputDef};
use crate::diagnostic::Diagnostic;
use crate::emit;
use crate::error::WriteError;
use crate::mapper::{self, ArticleKey, MapOptions};
use crate::model::{Entry, Feed, newest_first_order, take_in_order};
use crate::source::{self, FieldKey, ReadOptions, SourceKind};

mod discover;
mod external;
mod feed_file;
mod incremental;
mod reuse;
mod run;

pub use discover::{Found, discover};
pub use external::fetch_merged;
pub use feed_file::read_feed_file;
pub use incremental::{
    BuildOptions, Externals, FeedBuild, FeedReport, OutputChange, RACY_WINDOW, build_feed,
    no_externals,
};
pub use run::{RunReport, build_all};

/// One set of article files and how to read them.
#[derive(Debug, Clone, Default)]
pub struct SourceSpec {
    /// A file, a folder (read recursively) or a glob pattern.
    pub pattern: PathBuf,
    /// The kind of the files, when forced.
    pub kind: Option<SourceKind>,
    /// Reader options (boilerplate markers…).
    pub read: ReadOptions,
    /// Entry link pattern with `{slug}`.
    pub link_template: Option<String>,
}

/// Feed-level facts that do not come from articles.
#[derive(Debug, Clone, Default)]
pub struct FeedSettings {
    /// The feed's title.
    pub title: String,
    /// The site the feed belongs to.
    pub link: Option<Url>,
    /// Description.
    pub description: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// Zone for dates without an offset.
    pub timezone: Option<chrono_tz::Tz>,
    /// Maximum number of entries.
    pub limit: Option<usize>,
    /// Whether draft articles are included.
    pub drafts: bool,
}

impl FeedSettings {
    /// The mapper options these settings imply for one source.
    pub fn map_options(&self, link_template: Option<String>) -> MapOptions {
        MapOptions {
            timezone: self.timezone.unwrap_or(crate::dates::DEFAULT_TIMEZONE),
            link_template,
            id_authority: self
                .link
                .as_ref()
                .and_then(|l| l.host_str())
                .unwrap_or(mapper::FALLBACK_AUTHORITY)
                .to_owned(),
            site: self.link.clone(),
            language: self.language.clone(),
            ..MapOptions::default()
        }
    }
}

/// A feed built in memory, with every problem met on the way.
#[derive(Debug, Clone)]
pub struct Built {
    /// The feed, entries sorted newest first.
    pub feed: Feed,
    /// Warnings and errors, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and maps every article of `sources`. A bad article becomes a diagnostic; the others
/// are still read.
pub fn read_sources(
    sources: &[SourceSpec],
    settings: &FeedSettings,
) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    for spec in sources {
        let files = match discover(&spec.pattern) {
            Ok(files) => files,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let options = settings.map_options(spec.link_template.clone());
        let results: Vec<(Option<Entry>, Vec<Diagnostic>)> = files
            .par_iter()
            .map(|f| read_one(f, spec, &options, settings.drafts))
            .collect();
        for (entry, diags) in results {
            entries.extend(entry);
            diagnostics.extend(diags);
        }
    }
    (entries, diagnostics)
}

fn read_one(
    found: &Found,
    spec: &SourceSpec,
    options: &MapOptions,
    drafts: bool,
) -> (Option<Entry>, Vec<Diagnostic>) {
    match std::fs::read(&found.path) {
        Ok(bytes) => read_bytes(found, &bytes, spec, options, drafts),
        Err(e) => (
            None,
            vec![Diagnostic::warning(
                found.path.display(),
                None,
                format!("cannot read: {e}"),
            )],
        ),
    }
}

/// Reads and maps one article from its bytes: `None` for a draft left out or an article
/// that could not be read (with a warning saying why).
fn read_bytes(
    found: &Found,
    bytes: &[u8],
    spec: &SourceSpec,
    options: &MapOptions,
    drafts: bool,
) -> (Option<Entry>, Vec<Diagnostic>) {
    match source::read_bytes(&found.path, bytes, spec.kind, &spec.read) {
        Ok(article) => {
            let is_draft = article
                .field(FieldKey::Draft)
                .is_some_and(|f| f.value.eq_ignore_ascii_case("true"));
            if is_draft && !drafts {
                return (None, article.warnings);
            }
            let key = ArticleKey::new(&found.root, &found.path);
            let (entry, diags) = mapper::map(&article, &key, options);
            (Some(entry), diags)
        }
        Err(e) => (
            None,
            vec![Diagnostic::warning(
                e.path().display(),
                e.line(),
                e.reason(),
            )],
        ),
    }
}

/// Drops entries whose id an earlier entry already has, with a warning for each.
pub(crate) fn unique_ids(entries: Vec<Entry>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let tagged = entries.into_iter().map(|e| (e, ())).collect();
    (unique_tagged(tagged, diagnostics).into_iter())
        .map(|(e, ())| e)
        .collect()
}

/// [`unique_ids`] for entries that carry something of the caller's.
fn unique_tagged<T>(
    entries: Vec<(Entry, T)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Entry, T)> {
    let first = first_of_each_id(entries.iter().map(|(e, _)| e), diagnostics);
    let mut first = first.into_iter();
    let mut unique = entries;
    unique.retain(|_| first.next().unwrap_or(false));
    unique
}

/// For each entry, whether no earlier entry has its id; a warning for each that does.
fn first_of_each_id<'a>(
    entries: impl Iterator<Item = &'a Entry>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let mut seen = foldhash::HashSet::default();
    entries
        .map(|e| {
            let first = seen.insert(e.id.as_str());
            if !first {
                diagnostics.push(Diagnostic::warning(
                    &e.id,
                    None,
                    format!("two entries share this id; {:?} is left out", e.title),
                ));
            }
            first
        })
        .collect()
}

/// Assembles a feed from entries: drops repeated ids (keeping the first, with a warning),
/// sorts newest first, applies the limit and derives the feed's `updated` date.
pub fn assemble(
    settings: &FeedSettings,
    entries: Vec<Entry>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Feed {
    let tagged = entries.into_iter().map(|e| (e, ())).collect();
    assemble_tagged(settings, tagged, diagnostics).0
}

/// [`assemble`] for entries that carry something of the caller's: it comes back beside
/// the feed, one per entry kept, in the feed's order.
pub fn assemble_tagged<T>(
    settings: &FeedSettings,
    entries: Vec<(Entry, T)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Feed, Vec<T>) {
    let kept = unique_tagged(entries, diagnostics);
    let mut order = newest_first_order(&kept);
    if let Some(limit) = settings.limit {
        order.truncate(limit);
    }
    let (entries, tags) = take_in_order(kept, order).unzip();
    let mut feed = Feed {
        title: settings.title.clone(),
        home_page_url: settings.link.clone(),
        description: settings.description.clone(),
        language: settings.language.clone(),
        entries,
        ..Feed::default()
    };
    feed.derive_updated();
    (feed, tags)
}

/// Builds a feed from article sources.
pub fn build(sources: &[SourceSpec], settings: &FeedSettings) -> Built {
    let (entries, mut diagnostics) = read_sources(sources, settings);
    let feed = assemble(settings, entries, &mut diagnostics);
    Built { feed, diagnostics }
}

impl FeedDef {
    /// The sources of this definition as pipeline specs.
    pub fn source_specs(&self) -> Vec<SourceSpec> {
        self.sources
            .iter()
            .map(|s| SourceSpec {
                pattern: s.pattern.clone(),
                kind: s.kind,
                read: ReadOptions {
                    strip: s.strip.clone(),
                    selectors: s.selectors.clone(),
                },
                link_template: s.link_template.clone(),
            })
            .collect()
    }

    /// The feed-level settings of this definition.
    pub fn settings(&self, drafts: bool) -> FeedSettings {
        FeedSettings {
            title: self.title.clone(),
            link: self.link.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            timezone: Some(self.timezone),
            limit: self.limit,
            drafts,
        }
    }
}

/// What happened to one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The output path.
    pub path: PathBuf,
    /// Whether its bytes changed (false: the file was left untouched).
    pub changed: bool,
}

/// Why an output could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The feed could not be serialised.
    #[error("{}: {source}", path.display())]
    Emit {
        /// The output path.
        path: PathBuf,
        /// The emitter's reason.
        source: emit::EmitError,
    },
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Writes `feed` to each output, each with its own self link. Files whose bytes would not
/// change are left untouched.
pub fn write_outputs(feed: &mut Feed, outputs: &[OutputDef]) -> Result<Vec<Written>, OutputError> {
    let mut written = Vec::new();
    for out in outputs {
        feed.feed_url = out.url.clone();
        let bytes = emit::write(feed, out.format).map_err(|source| OutputError::Emit {
            path: out.path.clone(),
            source,
        })?;
        let changed = crate::output::write_if_changed(&out.path, &bytes)?;
        written.push(Written {
            path: out.path.clone(),
            changed,
        });
    }
    feed.feed_url = None;
    Ok(written)
}
