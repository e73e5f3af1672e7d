//! The `[[merge]]` table of a feed definition ([`MergeSource`]) and the fetch settings shared
//! by every source ([`FetchSettings`]). Both are plain serde structs that refuse unknown keys;
//! [`MergeSource::check`] compiles the filters once so that a bad regex is reported before any
//! fetch starts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use url::Url;

use super::error::MergeError;
use super::every::Every;
use super::filter::{Matcher, Rules};
use super::guard::{AllowRule, Guard, Permit};

/// One external feed (or one OPML list of feeds) to merge into a feed definition.
///
/// ```toml
/// [[merge]]
/// url = "https://other.example.org/feed.xml"   # or file://…, or a path from the project root
/// include = ["铜", "copper"]                     # short form: keywords
/// exclude = { regex = ["(?i)sponsored"], categories = ["ads"] }
/// limit = 20
/// title_prefix = "[Other] "
/// full_text = true                               # the article of each new item's page
///
/// [merge.selectors]                              # for those pages
/// content = "div.story"
/// remove = [".share", ".related"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeSource {
    /// The feed: an `http(s)://` or `file://` URL, or a path relative to the project root (the
    /// folder holding the definitions folder), like the other paths of a definition.
    pub url: Option<String>,
    /// An OPML file (path relative to the project root) whose every feed is merged with the
    /// settings of this table. Exactly one of `url` and `opml` must be given.
    pub opml: Option<PathBuf>,
    /// Overrides the source feed's own title in each entry's `origin` credit.
    pub title: Option<String>,
    /// Where the feed is published, when `url` is a local copy of it: credited as the
    /// entries' source feed (RSS `<source url>`, Atom `<source>`), since a file's path is
    /// never published. An absolute `http(s)://` URL.
    pub public_url: Option<String>,
    /// Keep at most this many entries of this source (the newest).
    pub limit: Option<usize>,
    /// When given, keep only entries matching at least one of these rules.
    #[serde(default)]
    pub include: Option<Rules>,
    /// Drop entries matching any of these rules.
    #[serde(default)]
    pub exclude: Option<Rules>,
    /// Text put in front of every entry title of this source.
    pub title_prefix: Option<String>,
    /// Total time allowed for this source's fetch, overriding [`FetchSettings::timeout_secs`].
    pub timeout_secs: Option<u64>,
    /// Largest body accepted for this source, overriding [`FetchSettings::max_bytes`].
    pub max_bytes: Option<u64>,
    /// Fetch the page each new item links to and, when its article holds more than the
    /// item's own content, publish the article as the content (see `pipeline::full_text`).
    #[serde(default)]
    pub full_text: bool,
    /// CSS selectors for those pages (`[merge.selectors]`).
    #[serde(default)]
    pub selectors: PageSelectors,
    /// How often this source is due, overriding [`FetchSettings::every`].
    pub every: Option<Every>,
}

/// CSS selectors for the pages of a `full_text` source, as written: the HTML reader
/// compiles them (the definition's loader checks them first, naming the key at fault). Each
/// one given replaces the reader's own detection of that part.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageSelectors {
    /// The element holding the article (its inner HTML becomes the content).
    pub content: Option<String>,
    /// Elements to leave out of the content (share bars, related links, ads…).
    pub remove: Vec<String>,
    /// The element holding the date, for items the feed gives none.
    pub date: Option<String>,
    /// The elements naming the authors, for items the feed names none.
    pub author: Option<String>,
}

impl MergeSource {
    /// A source for one URL or path with every other setting left at its default.
    pub fn url(url: impl Into<String>) -> Self {
        MergeSource {
            url: Some(url.into()),
            ..MergeSource::default()
        }
    }

    /// Checks the table: exactly one of `url` / `opml`, a positive limit, valid regexes.
    /// `definition` names the feed definition file in errors.
    pub fn check(&self, definition: &Path) -> Result<(), MergeError> {
        self.compile(definition).map(|_| ())
    }

    pub(crate) fn compile(&self, definition: &Path) -> Result<CompiledRules, MergeError> {
        let invalid = |key: &str, reason: String| MergeError::Config {
            path: definition.to_path_buf(),
            key: format!("merge.{key}"),
            reason,
        };
        match (&self.url, &self.opml) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "url",
                    "give either `url` or `opml`, not both".into(),
                ));
            }
            (None, None) => {
                return Err(invalid(
                    "url",
                    "missing: give `url = \"https://…\"` or `opml = \"subscriptions.opml\"`".into(),
                ));
            }
            _ => {}
        }
        if let Some(public) = &self.public_url
            && !url::Url::parse(public).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
        {
            return Err(invalid(
                "public_url",
                format!("{public:?} is not an absolute http(s) URL"),
            ));
        }
        if self.limit == Some(0) {
            return Err(invalid("limit", "must be at least 1".into()));
        }
        if let Some(secs) = self.timeout_secs
            && !(1..=MAX_TIMEOUT_SECS).contains(&secs)
        {
            let reason = format!("must be 1 to {MAX_TIMEOUT_SECS} seconds");
            return Err(invalid("timeout_secs", reason));
        }
        let include = match &self.include {
            Some(rules) => {
                Some(Matcher::new(rules).map_err(|e| invalid("include.regex", e.to_string()))?)
            }
            None => None,
        };
        let exclude = match &self.exclude {
            Some(rules) => {
                Some(Matcher::new(rules).map_err(|e| invalid("exclude.regex", e.to_string()))?)
            }
            None => None,
        };
        Ok(CompiledRules { include, exclude })
    }
}

/// The compiled include / exclude filters of one source.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRules {
    pub include: Option<Matcher>,
    pub exclude: Option<Matcher>,
}

/// How external feeds are fetched: limits shared by every `[[merge]]` source of a run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchSettings {
    /// Fetches running at once, over all hosts.
    pub concurrency: usize,
    /// Fetches running at once against one host.
    pub per_host: usize,
    /// Time allowed to open a connection (DNS, TCP and TLS).
    pub connect_timeout_secs: u64,
    /// Total time allowed for one fetch, body included.
    pub timeout_secs: u64,
    /// Largest body accepted (after decompression); larger feeds are refused.
    pub max_bytes: u64,
    /// Host names, addresses and CIDR ranges fetched although the address guard refuses
    /// them by default (loopback, private, link-local…): `allow = ["127.0.0.1",
    /// "intranet.example", "10.0.0.0/8"]`.
    #[serde(deserialize_with = "allow_list")]
    pub allow: Vec<AllowRule>,
    /// Where the people whose servers are fetched can learn who fetches them: an absolute
    /// http(s) URL, sent in the User-Agent (see [`user_agent`]). A feed definition's
    /// default is its `link`.
    #[serde(deserialize_with = "contact_url")]
    pub contact: Option<Url>,
    /// Fetch from every address, private ones included (`--allow-private`); not a key of
    /// feed definitions, which list what they allow.
    #[serde(skip)]
    pub allow_private: bool,
    /// How a refusal tells the user to permit an address: `[fetch] allow` for a feed
    /// definition (the default), `--allow-private` on the command line.
    #[serde(skip)]
    pub permit: Permit,
    /// Fetch every source now, even one that asked to wait, is backing off after failures
    /// or is fresh by its own headers (`--force`); not a key of feed definitions.
    #[serde(skip)]
    pub force: bool,
    /// How often each source is due: one fetched less than this long ago is not fetched
    /// again (its copy is used). `None`: whenever a build runs (and, for the fetch workers,
    /// [`super::DEFAULT_EVERY`]).
    pub every: Option<Every>,
    /// Fetch nothing over HTTP: use the copies the fetch workers stored (a build with a
    /// PostgreSQL state); not a key of feed definitions. Local files are still read.
    #[serde(skip)]
    pub stored_only: bool,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            concurrency: 8,
            per_host: 2,
            connect_timeout_secs: 10,
            timeout_secs: 30,
            max_bytes: 10 * 1024 * 1024,
            allow: Vec::new(),
            contact: None,
            allow_private: false,
            permit: Permit::AllowList,
            force: false,
            every: None,
            stored_only: false,
        }
    }
}

/// The longest timeout a definition or a flag may set, in seconds: an hour. A fetch that
/// needs longer is stuck, and a bound keeps the deadline arithmetic in range.
pub const MAX_TIMEOUT_SECS: u64 = 3600;

/// A timeout of `secs` seconds, kept within 1 to [`MAX_TIMEOUT_SECS`] whoever set it.
pub fn timeout_of(secs: u64) -> Duration {
    Duration::from_secs(secs.clamp(1, MAX_TIMEOUT_SECS))
}

impl FetchSettings {
    /// The connect timeout as a [`Duration`].
    pub fn connect_timeout(&self) -> Duration {
        timeout_of(self.connect_timeout_secs)
    }

    /// The total timeout as a [`Duration`].
    pub fn timeout(&self) -> Duration {
        timeout_of(self.timeout_secs)
    }

    /// The default settings for a fetch asked for on the command line, not by a feed
    /// definition: a refusal says to pass `--allow-private`.
    pub fn for_command_line() -> Self {
        FetchSettings {
            permit: Permit::Flag,
            ..FetchSettings::default()
        }
    }

    /// The User-Agent these settings send: [`user_agent`] of the contact.
    pub fn user_agent(&self) -> String {
        user_agent(self.contact.as_ref())
    }

    /// The address guard these settings fetch under.
    pub fn guard(&self) -> Guard {
        Guard::new(self.allow.clone(), self.allow_private, self.permit)
    }
}

/// Reads `[fetch] allow`, naming the entry at fault.
fn allow_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<AllowRule>, D::Error> {
    let texts = Vec::<String>::deserialize(deserializer)?;
    (texts.iter().enumerate())
        .map(|(i, text)| {
            text.parse()
                .map_err(|e| serde::de::Error::custom(format_args!("key `fetch.allow[{i}]`: {e}")))
        })
        .collect()
}

/// Reads `[fetch] contact`: an absolute http(s) URL.
fn contact_url<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Url>, D::Error> {
    let text = String::deserialize(deserializer)?;
    match Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(Some(url)),
        _ => Err(serde::de::Error::custom(format_args!(
            "key `fetch.contact`: {text:?} is not an absolute http(s) URL; give a page saying who runs this feed, such as \"https://www.example.com/\""
        ))),
    }
}

/// Redirects followed before a fetch gives up.
pub const MAX_REDIRECTS: usize = 5;

/// The User-Agent sent when no contact is given: feedloom's version and home page.
pub const USER_AGENT: &str = concat!(
    "feedloom/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    "; feed merger)"
);

/// The User-Agent sent with every request: feedloom, its version, and the URL where the
/// servers' owners learn who fetches them, e.g. `feedloom/0.1.0 (+https://www.example.com/;
/// feed merger)`; [`USER_AGENT`] without a contact.
pub fn user_agent(contact: Option<&Url>) -> String {
    match contact {
        Some(url) => format!(
            "feedloom/{} (+{url}; feed merger)",
            env!("CARGO_PKG_VERSION")
        ),
        None => USER_AGENT.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_agent_names_feedloom_its_version_and_a_contact() {
        let contact = Url::parse("https://www.example.com/").ok();
        assert_eq!(
            user_agent(contact.as_ref()),
            format!(
                "feedloom/{} (+https://www.example.com/; feed merger)",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert_eq!(
            USER_AGENT,
            format!(
                "feedloom/{} (+https://github.com/feedloom/feedloom; feed merger)",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
