//! What a feed is built from besides its articles: its feed-level settings, and per source
//! where the files are and how to read them. Made from a feed definition, or from the flags
//! of `feedloom convert`.

use std::path::PathBuf;

use url::Url;

use crate::config::FeedDef;
use crate::mapper::{self, MapOptions};
use crate::source::{ReadOptions, SourceKind};

/// One set of article files and how to read them.
#[derive(Debug, Clone, Default)]
pub struct SourceSpec {
    /// A file, a folder (read recursively) or a glob pattern.
    pub pattern: PathBuf,
    /// The kind of the files, when forced.
    pub kind: Option<SourceKind>,
    /// Reader options (boilerplate markers, selectors).
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
    /// Zone for dates without an offset, and for the dates the store gives.
    pub timezone: Option<chrono_tz::Tz>,
    /// Maximum number of entries.
    pub limit: Option<usize>,
    /// Whether draft articles are included.
    pub drafts: bool,
}

impl FeedSettings {
    /// The feed's zone: [`FeedSettings::timezone`], else UTC.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.timezone.unwrap_or(crate::dates::DEFAULT_TIMEZONE)
    }

    /// The mapper options these settings imply for one source.
    pub fn map_options(&self, link_template: Option<String>) -> MapOptions {
        MapOptions {
            timezone: self.zone(),
            link_template,
            id_authority: (self.link.as_ref())
                .and_then(|l| l.host_str())
                .unwrap_or(mapper::FALLBACK_AUTHORITY)
                .to_owned(),
            site: self.link.clone(),
            language: self.language.clone(),
            ..MapOptions::default()
        }
    }
}

impl FeedDef {
    /// The sources of this definition as pipeline specs.
    pub fn source_specs(&self) -> Vec<SourceSpec> {
        (self.sources.iter())
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
