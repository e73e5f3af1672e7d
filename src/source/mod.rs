//! Source readers: one module per kind of article source.
//!
//! Each reader turns one file into an [`Article`]: the raw facts it found (title, meta fields,
//! body, credits) with the line each came from. No feed concepts live here; the mapper turns an
//! [`Article`] into a feed entry.

pub mod decode;
pub mod html;
pub mod markdown;
pub mod meta;
pub mod text;

pub use html::{CssSelector, HtmlSelectors};

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::error::SourceError;

/// The kinds of article source feedloom reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A news page saved as plain text (see the README for the layout).
    Text,
    /// Markdown with YAML or TOML front matter.
    Markdown,
    /// An HTML page.
    Html,
}

impl SourceKind {
    /// Guesses the kind from a file name's extension; `None` when the extension says nothing.
    pub fn from_extension(path: &Path) -> Option<SourceKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(SourceKind::Text),
            "md" | "markdown" | "mdown" | "mkd" => Some(SourceKind::Markdown),
            "html" | "htm" | "xhtml" | "shtml" => Some(SourceKind::Html),
            _ => None,
        }
    }
}

/// What a reader found in one article source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// The file the article was read from.
    pub path: PathBuf,
    /// The title and the line it stood on.
    pub title: Option<Located<String>>,
    /// Meta facts (date, source, category, tags, people, links…) in the order found.
    pub fields: Vec<Field>,
    /// The article body.
    pub body: Body,
    /// Problems that did not stop the article from being read (an unparseable date, say).
    pub warnings: Vec<Diagnostic>,
}

impl Article {
    /// The first value given for `key`, if any.
    pub fn field(&self, key: FieldKey) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Whether the source marks the article as a draft (a [`FieldKey::Draft`] field). Readers
    /// return drafts like any article; the build leaves them out unless drafts are asked for.
    pub fn is_draft(&self) -> bool {
        self.field(FieldKey::Draft).is_some()
    }

    /// Every value given for `key`, in order.
    pub fn fields_of(&self, key: FieldKey) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| f.key == key)
    }
}

/// A value with the 1-based line it came from (`None` when the source has no lines to speak of).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line number in the source file.
    pub line: Option<usize>,
}

/// One meta fact of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// What the fact is.
    pub key: FieldKey,
    /// Its text, trimmed, never empty.
    pub value: String,
    /// 1-based line number in the source file.
    pub line: Option<usize>,
}

/// The meta facts readers recognise, whatever the key was called in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    /// First publication date, as written (`发布时间`, `日期`, `date`…).
    Published,
    /// Last modification date, as written (`lastmod`, `updated`…).
    Updated,
    /// The outlet the article was taken from (`来源`, `出处`, `Source`).
    Source,
    /// Category or column (`分类`, `栏目`, `频道`, `Category`).
    Category,
    /// A tag or keyword (`标签`, `关键词`, `Tags`); one field per tag.
    Tag,
    /// View count (`浏览`, `阅读`, `点击`, `Views`).
    Views,
    /// The article's own URL (`原文链接`, `URL`, canonical link).
    Link,
    /// A summary given by the source (front matter `summary`, `description`).
    Summary,
    /// The slug given by the source, overriding the file name.
    Slug,
    /// The article's language.
    Language,
    /// A draft marker (`draft: true`).
    Draft,
    /// A person and what they did; one field per person.
    Person(Role),
}

/// What a credited person did for an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `作者`, `Author`, `By`.
    Author,
    /// `记者`.
    Reporter,
    /// `通讯员`.
    Correspondent,
    /// `摄影`.
    Photographer,
    /// `策划`.
    Planner,
    /// `编辑`.
    Editor,
    /// `责任编辑`.
    ChiefEditor,
}

impl Role {
    /// Whether people in this role are the article's authors (the rest are contributors).
    pub fn is_author(self) -> bool {
        matches!(self, Role::Author | Role::Reporter | Role::Correspondent)
    }

    /// The role's name as shown in feeds.
    pub fn label(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Reporter => "reporter",
            Role::Correspondent => "correspondent",
            Role::Photographer => "photographer",
            Role::Planner => "planner",
            Role::Editor => "editor",
            Role::ChiefEditor => "chief editor",
        }
    }
}

/// An article body: structured blocks (text sources) or HTML (Markdown and HTML sources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Blocks read from a text layout.
    Blocks(Vec<Block>),
    /// HTML as the source gave or rendered it, not yet sanitised.
    Html(String),
    /// HTML rendered from a source that brought no markup and no URL of its own (Markdown
    /// of plain text, emphasis, lists, tables and such): every tag in it is one the renderer
    /// chose and every text is escaped, so it needs no sanitising.
    RenderedHtml(String),
}

impl Default for Body {
    fn default() -> Self {
        Body::Blocks(Vec::new())
    }
}

/// One block of a text article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// 1-based line where it starts.
    pub line: usize,
}

/// The kinds of body block the text reader recognises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of running text.
    Paragraph(String),
    /// A section heading; level 2 or 3.
    Heading {
        /// 2 for a section, 3 for a subsection.
        level: u8,
        /// The heading text.
        text: String,
    },
    /// A picture marker with its caption. `number` is the marker line (`1`, `2`…).
    Figure {
        /// The number on the marker line.
        number: String,
        /// The caption under it.
        caption: String,
    },
    /// Consecutive list items (lines starting with `——`), without the dash.
    List(Vec<String>),
}

/// Options every reader honours.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Extra boilerplate markers: a line matching one of these, and everything after it, is
    /// dropped (on top of the default markers).
    pub strip: Vec<regex::Regex>,
    /// CSS selectors that override the HTML reader's detection of title, date and content.
    pub selectors: HtmlSelectors,
}

/// Reads one article file of the given kind (detected from extension and content when
/// `None`).
pub fn read_file(
    path: &Path,
    kind: Option<SourceKind>,
    options: &ReadOptions,
) -> Result<Article, SourceError> {
    let bytes = std::fs::read(path).map_err(|e| SourceError::io(path, e))?;
    read_bytes(path, &bytes, kind, options)
}

/// Reads one article from bytes already in memory; `path` names it in messages.
pub fn read_bytes(
    path: &Path,
    bytes: &[u8],
    kind: Option<SourceKind>,
    options: &ReadOptions,
) -> Result<Article, SourceError> {
    let kind = kind
        .or_else(|| SourceKind::from_extension(path))
        .unwrap_or_else(|| sniff_kind(bytes));
    match kind {
        SourceKind::Text => {
            let text = decode::decode_text(path, bytes)?;
            text::parse(path, &text, options)
        }
        SourceKind::Markdown => markdown::read(path, bytes, options),
        SourceKind::Html => html::read(path, bytes, options),
    }
}

/// Tells the kind of an article from its first bytes: HTML markup, front matter, else text.
pub fn sniff_kind(bytes: &[u8]) -> SourceKind {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let lower = head.to_ascii_lowercase();
    let opens_page = lower.starts_with("<!doctype html") || lower.starts_with("<html");
    // Saved pages may open with a comment (`<!-- saved from url=… -->`) or an XML declaration.
    let saved_page = ["<head", "<!--", "<?xml"]
        .iter()
        .any(|m| lower.starts_with(m))
        && lower.contains("<html");
    if opens_page || saved_page {
        SourceKind::Html
    } else if head.starts_with("---") || head.starts_with("+++") {
        SourceKind::Markdown
    } else {
        SourceKind::Text
    }
}
