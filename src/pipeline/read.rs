//! Reading and mapping articles: each file through its source reader into an
//! [`crate::source::Article`], then through the mapper into an [`Entry`]. A bad article
//! becomes a diagnostic; the others are still read. Files are read in parallel.

use rayon::prelude::*;

use super::discover::{Found, discover};
use super::settings::{FeedSettings, SourceSpec};
use crate::diagnostic::Diagnostic;
use crate::mapper::{self, ArticleKey, MapOptions};
use crate::model::Entry;
use crate::source::{self, FieldKey};

/// What reading one article gave: its entry (`None` for a draft left out or an article that
/// could not be read) and what was wrong with it.
pub type ReadArticle = (Option<Entry>, Vec<Diagnostic>);

/// Reads and maps every article of `sources`.
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
        let results: Vec<ReadArticle> = (files.par_iter())
            .map(|f| read_file(f, spec, &options, settings.drafts))
            .collect();
        for (entry, diags) in results {
            entries.extend(entry);
            diagnostics.extend(diags);
        }
    }
    (entries, diagnostics)
}

/// Reads and maps the article file `found`.
fn read_file(found: &Found, spec: &SourceSpec, options: &MapOptions, drafts: bool) -> ReadArticle {
    match std::fs::read(&found.path) {
        Ok(bytes) => read_bytes(found, &bytes, spec, options, drafts),
        Err(e) => {
            let reason = format!("cannot read: {e}");
            (
                None,
                vec![Diagnostic::warning(found.path.display(), None, reason)],
            )
        }
    }
}

/// Reads and maps one article from its bytes.
pub fn read_bytes(
    found: &Found,
    bytes: &[u8],
    spec: &SourceSpec,
    options: &MapOptions,
    drafts: bool,
) -> ReadArticle {
    match source::read_bytes(&found.path, bytes, spec.kind, &spec.read) {
        Ok(article) => {
            let is_draft = (article.field(FieldKey::Draft))
                .is_some_and(|f| f.value.eq_ignore_ascii_case("true"));
            if is_draft && !drafts {
                return (None, article.warnings);
            }
            let key = ArticleKey::new(&found.root, &found.path);
            let (entry, diags) = mapper::map(&article, &key, options);
            (Some(entry), diags)
        }
        Err(e) => {
            let d = Diagnostic::warning(e.path().display(), e.line(), e.reason());
            (None, vec![d])
        }
    }
}
