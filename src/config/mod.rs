//! Feed definitions: the `feeds/*.toml` format, read with serde and checked once, with
//! errors that name the file, the line and the key.
//!
//! Relative paths in a definition (sources, outputs, merged feed files and OPML lists) are
//! resolved against the project root: the folder that holds the definitions folder
//! (`feeds/..`).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use regex::Regex;
use serde::Deserialize;
use url::Url;

use crate::error::ConfigError;
use crate::merge::{FetchSettings, MAX_TIMEOUT_SECS, MergeError, MergeSource, PageSelectors};
use crate::source::html::BadSelector;
use crate::source::{CssSelector, HtmlSelectors, SourceKind};
use crate::state::{Keep, StateLocation};

/// A feed definition as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeedDef {
    /// The feed's title.
    pub title: String,
    /// The site the feed belongs to (absolute URL).
    pub link: Option<String>,
    /// A sentence describing the feed.
    pub description: Option<String>,
    /// BCP 47 language tag, e.g. `zh-CN`.
    pub language: Option<String>,
    /// IANA zone for dates written without an offset, e.g. `Asia/Shanghai`.
    pub timezone: Option<String>,
    /// Keep at most this many entries (newest first).
    pub limit: Option<usize>,
    /// The URL of the folder the outputs are published in; each output's self link is this
    /// URL joined with the output's file name.
    pub base_url: Option<String>,
    /// WebSub hubs (absolute http(s) URLs) that announce the feed's changes; needs
    /// `base_url`, since a hub knows a feed by its self link.
    #[serde(default)]
    pub hubs: Vec<String>,
    /// How long, in seconds, readers and caches may keep a served output before asking
    /// again (`Cache-Control: max-age`, sent by `feedloom serve`).
    pub max_age_secs: Option<u32>,
    /// Extra boilerplate markers (regular expressions) for every source.
    #[serde(default)]
    pub strip: Vec<String>,
    /// Article sources.
    #[serde(default, rename = "source")]
    pub sources: Vec<RawSource>,
    /// External feeds merged into this one (`[[merge]]` tables).
    #[serde(default)]
    pub merge: Vec<MergeSource>,
    /// How external feeds are fetched (the `[fetch]` table).
    pub fetch: Option<FetchSettings>,
    /// Where to write the feed.
    pub output: RawOutput,
    /// How long entries merged from external feeds stay after leaving their source.
    pub keep: Option<RawKeep>,
    /// Where the state of every feed of the folder lives: a `postgres://` URL, or a file
    /// path relative to the project root. Every definition that sets it names the same.
    pub state: Option<String>,
}

/// The `keep = { days = 30, count = 200 }` table.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeep {
    /// Days since the entry was last seen in its source.
    pub days: Option<u32>,
    /// The most entries kept from history.
    pub count: Option<u32>,
}

/// One `[[source]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// A file, a folder (read recursively) or a glob pattern.
    pub path: String,
    /// The kind of the files; detected from extension and content when absent.
    pub kind: Option<SourceKind>,
    /// Entry link pattern with `{slug}`.
    pub link_template: Option<String>,
    /// Extra boilerplate markers for this source.
    #[serde(default)]
    pub strip: Vec<String>,
    /// CSS selectors for HTML pages (the `[source.selectors]` table).
    #[serde(default)]
    pub selectors: HtmlSelectors,
}

/// The `[output]` table: one path per format, at least one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    /// RSS 2.0 output path.
    pub rss: Option<String>,
    /// Atom 1.0 output path.
    pub atom: Option<String>,
    /// JSON Feed 1.1 output path.
    pub json: Option<String>,
    /// The companion HTML page's path.
    pub html: Option<String>,
}

/// A checked feed definition, with paths resolved and values parsed.
#[derive(Debug, Clone)]
pub struct FeedDef {
    /// The definition file it came from.
    pub file: PathBuf,
    /// The project root its relative paths resolve against.
    pub root: PathBuf,
    /// The feed's name in the state store: the definition file's name without `.toml`.
    pub name: String,
    /// A BLAKE3 hash of the definition's text, so a changed definition rebuilds its feed.
    pub digest: [u8; 32],
    /// The feed's title.
    pub title: String,
    /// The site the feed belongs to.
    pub link: Option<Url>,
    /// Description.
    pub description: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// Zone for dates without an offset.
    pub timezone: Tz,
    /// Maximum number of entries.
    pub limit: Option<usize>,
    /// Article sources.
    pub sources: Vec<SourceDef>,
    /// External feeds merged in, checked (relative paths in them resolve against `root`).
    pub merge: Vec<MergeSource>,
    /// How the external feeds are fetched.
    pub fetch: FetchSettings,
    /// Outputs: format, path on disk, and public URL when `base_url` is set.
    pub outputs: Vec<OutputDef>,
    /// The companion HTML page, when `[output]` names one.
    pub page: Option<PageDef>,
    /// WebSub hubs announcing the feed's changes (only with `base_url`).
    pub hubs: Vec<Url>,
    /// `Cache-Control: max-age` of the served outputs.
    pub max_age: Duration,
    /// The history window for merged entries.
    pub keep: Keep,
    /// The state this definition names, if it names one (file paths resolved).
    pub state: Option<StateLocation>,
}

/// A checked `[[source]]`.
#[derive(Debug, Clone)]
pub struct SourceDef {
    /// Absolute or root-relative pattern, resolved against the project root.
    pub pattern: PathBuf,
    /// The kind, when forced.
    pub kind: Option<SourceKind>,
    /// Entry link pattern with `{slug}`.
    pub link_template: Option<String>,
    /// Boilerplate markers (feed-wide ones included).
    pub strip: Vec<Regex>,
    /// CSS selectors overriding the HTML reader's detection.
    pub selectors: HtmlSelectors,
}

/// One output file of a feed.
#[derive(Debug, Clone)]
pub struct OutputDef {
    /// Which format.
    pub format: crate::emit::Format,
    /// Where it is written.
    pub path: PathBuf,
    /// Where it is published, if known.
    pub url: Option<Url>,
}

/// The companion HTML page of a feed.
#[derive(Debug, Clone)]
pub struct PageDef {
    /// Where it is written.
    pub path: PathBuf,
    /// Where it is published, if known.
    pub url: Option<Url>,
}

/// How long readers may keep a served output when the definition sets no `max_age_secs`.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(300);

impl FeedDef {
    /// Every file the feed writes: its feed outputs, then its page.
    pub fn files(&self) -> impl Iterator<Item = (&PathBuf, Option<&Url>)> {
        let feeds = self.outputs.iter().map(|o| (&o.path, o.url.as_ref()));
        feeds.chain(self.page.iter().map(|p| (&p.path, p.url.as_ref())))
    }

    /// The feed as an OPML outline for readers to subscribe to: its title, the public URL
    /// of its first output (RSS, then Atom, then JSON Feed) and its site. `None` when no
    /// output has a public URL (the definition sets no `base_url`).
    pub fn subscription(&self) -> Option<crate::merge::opml::OpmlFeed> {
        let url = self.outputs.iter().find_map(|o| o.url.as_ref())?;
        Some(crate::merge::opml::OpmlFeed {
            title: self.title.clone(),
            xml_url: url.to_string(),
            html_url: self.link.as_ref().map(Url::to_string),
        })
    }
}

/// Reads and checks every `*.toml` definition in `dir`, sorted by file name. Relative paths
/// resolve against `dir`'s parent.
pub fn load_dir(dir: &Path) -> Result<Vec<FeedDef>, ConfigError> {
    let entries = std::fs::read_dir(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => ConfigError::NoProject {
            dir: dir.to_path_buf(),
        },
        _ => ConfigError::Io {
            path: dir.to_path_buf(),
            source,
        },
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(invalid(dir, "no feed definitions (*.toml) in this folder"));
    }
    let root = project_root(dir);
    let defs: Vec<FeedDef> = files
        .iter()
        .map(|f| load_file(f, &root))
        .collect::<Result<_, _>>()?;
    check_state_agrees(&defs)?;
    check_outputs_apart(&defs)?;
    Ok(defs)
}

/// No two outputs (feeds and companion pages, of one definition or of two) share a path:
/// each run would write the file twice, and it would flip between them from run to run.
fn check_outputs_apart(defs: &[FeedDef]) -> Result<(), ConfigError> {
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    for def in defs {
        for (path, _) in def.files() {
            let key: PathBuf = (path.components())
                .filter(|c| !matches!(c, Component::CurDir))
                .collect();
            if let Some(first) = seen.insert(key, &def.file) {
                let by = match first == def.file {
                    true => "another output of this definition".to_string(),
                    false => first.display().to_string(),
                };
                return Err(invalid(
                    &def.file,
                    format!(
                        "output {} is also written by {by}; every output needs a path of \
                         its own",
                        path.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Every definition that names a state names the same one: one run keeps every feed of a
/// folder in one store.
fn check_state_agrees(defs: &[FeedDef]) -> Result<(), ConfigError> {
    let mut named = defs.iter().filter_map(|d| d.state.as_ref().map(|s| (d, s)));
    let Some((first, state)) = named.next() else {
        return Ok(());
    };
    match named.find(|(_, other)| *other != state) {
        Some((def, other)) => Err(invalid(
            &def.file,
            format!(
                "key `state`: {other} differs from {state} in {}; every definition of a \
                 folder that sets `state` must name the same store",
                first.file.display()
            ),
        )),
        None => Ok(()),
    }
}

/// The state the definitions of a folder name, if any names one.
pub fn named_state(defs: &[FeedDef]) -> Option<&StateLocation> {
    defs.iter().find_map(|d| d.state.as_ref())
}

/// The project root for a definitions folder: its parent (or `.` for a bare name).
pub fn project_root(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Reads and checks one definition file.
pub fn load_file(file: &Path, root: &Path) -> Result<FeedDef, ConfigError> {
    let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    parse(&text, file, root)
}

/// Parses and checks definition text; `file` names it in errors.
pub fn parse(text: &str, file: &Path, root: &Path) -> Result<FeedDef, ConfigError> {
    let raw: RawFeedDef = toml::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
    let mut def = check(raw, file, root)?;
    def.digest = *blake3::hash(text.as_bytes()).as_bytes();
    Ok(def)
}

fn check(raw: RawFeedDef, file: &Path, root: &Path) -> Result<FeedDef, ConfigError> {
    let timezone = match &raw.timezone {
        Some(name) => name.parse::<Tz>().map_err(|_| {
            invalid(file, format!("key `timezone`: unknown time zone {name:?} (use an IANA name such as \"Asia/Shanghai\")"))
        })?,
        None => crate::dates::DEFAULT_TIMEZONE,
    };
    let link = raw
        .link
        .as_deref()
        .map(|l| absolute_url(file, "link", l))
        .transpose()?;
    let base_url = raw
        .base_url
        .as_deref()
        .map(|l| absolute_url(file, "base_url", &format!("{}/", l.trim_end_matches('/'))))
        .transpose()?;
    if let Some(language) = &raw.language
        && !feedloom_validate::is_language_code(language)
    {
        return Err(invalid(
            file,
            format!(
                "key `language`: {language:?} is not a language tag feed readers know; use a BCP 47 tag such as \"zh-CN\" or \"en\""
            ),
        ));
    }
    let feed_strip = regexes(file, "strip", &raw.strip)?;
    if raw.sources.is_empty() && raw.merge.is_empty() {
        return Err(invalid(
            file,
            "no `[[source]]` or `[[merge]]` table: add one with `path = \"samples/*.txt\"` \
             or `url = \"https://example.org/feed.xml\"`",
        ));
    }
    let sources = (raw.sources.iter().enumerate())
        .map(|(i, s)| check_source(s, i, &feed_strip, file, root))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, m) in raw.merge.iter().enumerate() {
        check_merge(m, i, file)?;
    }
    let mut fetch = raw.fetch.clone().unwrap_or_default();
    check_fetch(&fetch, file)?;
    // The people whose servers are fetched learn who fetches them from the feed's site.
    fetch.contact = fetch.contact.or_else(|| link.clone());
    let outputs = outputs(&raw.output, file, root, base_url.as_ref())?;
    let page = (raw.output.html.as_deref())
        .map(|path| page(path, file, root, base_url.as_ref()))
        .transpose()?;
    let hubs = hubs(&raw.hubs, file, base_url.is_some())?;
    let state = state_location(raw.state.as_deref(), file, root)?;
    let defaults = Keep::default();
    let keep = raw.keep.unwrap_or_default();
    Ok(FeedDef {
        file: file.to_path_buf(),
        root: root.to_path_buf(),
        name: file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        digest: [0; 32],
        title: raw.title,
        link,
        description: raw.description,
        language: raw.language,
        timezone,
        limit: raw.limit,
        sources,
        merge: raw.merge,
        fetch,
        outputs,
        page,
        hubs,
        max_age: (raw.max_age_secs)
            .map_or(DEFAULT_MAX_AGE, |secs| Duration::from_secs(secs.into())),
        keep: Keep {
            days: keep.days.or(defaults.days),
            count: keep.count.or(defaults.count),
        },
        state,
    })
}

/// The public URL of an output file: `base` joined with the file's name.
fn published(path: &str, file: &Path, base: Option<&Url>) -> Result<Option<Url>, ConfigError> {
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match base {
        Some(base) => Ok(Some(base.join(name).map_err(|e| {
            invalid(file, format!("key `base_url`: cannot add {name:?}: {e}"))
        })?)),
        None => Ok(None),
    }
}

/// Checks `output.html`: a file name that no feed output of the definition uses.
fn page(path: &str, file: &Path, root: &Path, base: Option<&Url>) -> Result<PageDef, ConfigError> {
    if Path::new(path).file_name().is_none() {
        return Err(invalid(
            file,
            format!("key `output.html`: {path:?} names no file; use e.g. \"public/news.html\""),
        ));
    }
    Ok(PageDef {
        path: root.join(path),
        url: published(path, file, base)?,
    })
}

/// Checks `hubs`: absolute http(s) URLs, and a `base_url` to give them a topic.
fn hubs(raw: &[String], file: &Path, has_base: bool) -> Result<Vec<Url>, ConfigError> {
    if !raw.is_empty() && !has_base {
        return Err(invalid(
            file,
            "key `hubs`: a hub knows a feed by its public URL: set `base_url` too",
        ));
    }
    (raw.iter().enumerate())
        .map(|(i, hub)| absolute_url(file, &format!("hubs[{i}]"), hub))
        .collect()
}

/// The `state` key: a `postgres://` URL, or a path relative to the project root.
fn state_location(
    text: Option<&str>,
    file: &Path,
    root: &Path,
) -> Result<Option<StateLocation>, ConfigError> {
    text.map(|text| {
        StateLocation::parse(text)
            .map(|s| s.relative_to(root))
            .map_err(|e| invalid(file, format!("key `state`: {e}")))
    })
    .transpose()
}

fn outputs(
    raw: &RawOutput,
    file: &Path,
    root: &Path,
    base: Option<&Url>,
) -> Result<Vec<OutputDef>, ConfigError> {
    use crate::emit::Format;
    let mut out = Vec::new();
    for (format, path) in [
        (Format::Rss, &raw.rss),
        (Format::Atom, &raw.atom),
        (Format::Json, &raw.json),
    ] {
        let Some(path) = path else { continue };
        out.push(OutputDef {
            format,
            path: root.join(path),
            url: published(path, file, base)?,
        });
    }
    if out.is_empty() {
        return Err(invalid(
            file,
            "`[output]` names no file: add `rss = \"public/feed.xml\"`, `atom = …` or `json = …`",
        ));
    }
    Ok(out)
}

/// Checks one `[[source]]` table; errors name it as `source[i].key`.
fn check_source(
    s: &RawSource,
    i: usize,
    feed_strip: &[Regex],
    file: &Path,
    root: &Path,
) -> Result<SourceDef, ConfigError> {
    let key = format!("source[{i}]");
    if let Some(t) = &s.link_template {
        let probe = t.replace("{slug}", "slug");
        absolute_url(file, &format!("{key}.link_template"), &probe)?;
        if !t.contains("{slug}") {
            return Err(invalid(
                file,
                format!(
                    "key `{key}.link_template`: {t:?} has no `{{slug}}`, so every entry would get the same link"
                ),
            ));
        }
    }
    glob::Pattern::new(&s.path).map_err(|e| {
        let reason = format!("key `{key}.path`: bad pattern {:?}: {e}", s.path);
        invalid(file, reason)
    })?;
    let mut strip = feed_strip.to_vec();
    strip.extend(regexes(file, &format!("{key}.strip"), &s.strip)?);
    Ok(SourceDef {
        pattern: root.join(&s.path),
        kind: s.kind,
        link_template: s.link_template.clone(),
        strip,
        selectors: s.selectors.clone(),
    })
}

/// Checks one `[[merge]]` table; errors name it as `merge[i].key`.
fn check_merge(source: &MergeSource, i: usize, file: &Path) -> Result<(), ConfigError> {
    source.check(file).map_err(|e| match e {
        MergeError::Config { key, reason, .. } => {
            let key = key.strip_prefix("merge.").unwrap_or(&key);
            invalid(file, format!("key `merge[{i}].{key}`: {reason}"))
        }
        other => invalid(file, format!("key `merge[{i}]`: {}", other.reason())),
    })?;
    page_selectors(&source.selectors).map_err(|e| {
        invalid(
            file,
            format!("key `merge[{i}].selectors.{}`: {}", e.key, e.source),
        )
    })?;
    if let Some(url) = &source.url
        && let Ok(parsed) = Url::parse(url.trim())
        && parsed.scheme().len() > 1
        && !matches!(parsed.scheme(), "http" | "https" | "file")
    {
        return Err(invalid(
            file,
            format!(
                "key `merge[{i}].url`: {url:?}: only http, https and file URLs (or paths) can be fetched"
            ),
        ));
    }
    Ok(())
}

/// A selector of a `[merge.selectors]` table that does not parse.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`selectors.{key}`: {source}")]
pub struct BadPageSelector {
    /// The key: `content`, `remove`, `date` or `author`.
    pub key: &'static str,
    /// What is wrong with it.
    pub source: BadSelector,
}

/// The selectors of a `[merge.selectors]` table, compiled for the HTML reader.
pub fn page_selectors(s: &PageSelectors) -> Result<HtmlSelectors, BadPageSelector> {
    let one = |key: &'static str, text: &Option<String>| {
        (text.as_deref())
            .map(|t| CssSelector::parse(t).map_err(|source| BadPageSelector { key, source }))
            .transpose()
    };
    let remove = (s.remove.iter())
        .map(|t| CssSelector::parse(t))
        .collect::<Result<_, _>>()
        .map_err(|source| BadPageSelector {
            key: "remove",
            source,
        })?;
    Ok(HtmlSelectors {
        content: one("content", &s.content)?,
        title: None,
        date: one("date", &s.date)?,
        author: one("author", &s.author)?,
        remove,
    })
}

/// Checks the `[fetch]` table: every limit at least 1.
fn check_fetch(fetch: &FetchSettings, file: &Path) -> Result<(), ConfigError> {
    let limits = [
        ("concurrency", fetch.concurrency as u64),
        ("per_host", fetch.per_host as u64),
        ("connect_timeout_secs", fetch.connect_timeout_secs),
        ("timeout_secs", fetch.timeout_secs),
        ("max_bytes", fetch.max_bytes),
    ];
    if let Some((key, _)) = limits.iter().find(|(_, v)| *v == 0) {
        return Err(invalid(
            file,
            format!("key `fetch.{key}`: must be at least 1"),
        ));
    }
    let timeouts = [
        ("connect_timeout_secs", fetch.connect_timeout_secs),
        ("timeout_secs", fetch.timeout_secs),
    ];
    match timeouts.iter().find(|(_, v)| *v > MAX_TIMEOUT_SECS) {
        Some((key, _)) => Err(invalid(
            file,
            format!("key `fetch.{key}`: must be at most {MAX_TIMEOUT_SECS} seconds"),
        )),
        None => Ok(()),
    }
}

fn absolute_url(file: &Path, key: &str, value: &str) -> Result<Url, ConfigError> {
    match Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
        _ => Err(invalid(
            file,
            format!("key `{key}`: {value:?} is not an absolute http(s) URL"),
        )),
    }
}

fn regexes(file: &Path, key: &str, patterns: &[String]) -> Result<Vec<Regex>, ConfigError> {
    patterns
        .iter()
        .map(|p| {
            Regex::new(p).map_err(|e| {
                invalid(
                    file,
                    format!("key `{key}`: bad regular expression {p:?}: {e}"),
                )
            })
        })
        .collect()
}

fn invalid(file: &Path, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        path: file.to_path_buf(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
