//! The feed reader: one pass over the [`Lexer`]'s tokens, keeping only the open elements and
//! the entry being read, mapping elements onto entries the way feedparser's mixin does
//! (`_start_*` / `_end_*`, its context flags and precedence rules; see [`super::roles`]).
//! An element left open is closed by the end tag of an element around it, and an end tag
//! that closes nothing is dropped, each with a warning; every step is constant time but for
//! the elements it closes. At most [`MAX_ENTRIES`] entries are kept.

use std::borrow::Cow;
use std::collections::HashMap;

use url::Url;

use super::entry::{RawEntry, RawPerson};
use super::names::Namespaces;
use super::roles::Role;
use super::text::{Params, TextValue};
use super::xml::{Lexer, Token};
use crate::model::Entry;

/// The most entries read from one document; the rest are dropped with a warning.
pub const MAX_ENTRIES: usize = 50_000;

/// What a document held.
#[derive(Debug, Default)]
pub struct Read {
    /// The feed's title.
    pub title: Option<TextValue>,
    /// The feed's home page.
    pub home_page_url: Option<Url>,
    /// The entries, in document order.
    pub entries: Vec<Entry>,
    /// Problems met, each `line N: what`.
    pub warnings: Vec<String>,
    /// The first element's name as written (`rss`, `feed`, `html`…).
    pub root: String,
    /// Whether any feed, channel or entry element was seen.
    pub is_feed: bool,
}

/// An open element.
pub(super) struct Frame {
    /// Its name as written, lowercased, to match its end tag.
    key: Box<str>,
    /// Its local name, to write it back inside content.
    pub local: Box<str>,
    /// What it is.
    pub role: Role,
    /// The capture its text goes to, if any.
    pub sink: Option<usize>,
    /// Whether that capture is its own (and ends with it).
    owns: bool,
    /// The base URL and language before it, when it changed them.
    restore_base: Option<Option<Url>>,
    restore_lang: Option<Option<String>>,
    /// Where it starts.
    at: usize,
}

/// The text of an element being read.
pub(super) struct Capture {
    /// Its text so far.
    pub text: String,
    /// Its type, for text constructs.
    pub params: Option<Params>,
}

/// The reader's state: feedparser's flags, the open elements and the entry being read.
pub(super) struct Reader<'a> {
    pub lexer: Lexer<'a>,
    names: Namespaces,
    pub frames: Vec<Frame>,
    open: HashMap<Box<str>, u32>,
    pub captures: Vec<Capture>,
    pub depth: usize,
    pub base: Option<Url>,
    pub lang: Option<String>,
    /// The document's own URL; for a `file:` document, links resolve against the home page.
    pub url: &'a Url,
    pub atom: bool,
    pub in_feed: bool,
    pub in_source: bool,
    pub in_image: bool,
    pub feed_has_image: bool,
    pub in_textinput: bool,
    pub person: Option<super::roles::PersonKind>,
    pub in_content: usize,
    pub title_depth: Option<usize>,
    pub guid_is_link: bool,
    pub entry: Option<RawEntry>,
    pub entries: Vec<Entry>,
    pub dropped: usize,
    pub feed_title: Option<(TextValue, usize)>,
    pub feed_link: Option<Url>,
    pub feed_authors: Vec<RawPerson>,
    pub feed_language: Option<String>,
    pub bad_dates: (usize, Option<(usize, String)>),
    pub read: Read,
}

/// Reads a document fetched from `url` (the base of its relative links).
pub fn read(text: &str, url: &Url) -> Read {
    let mut r = Reader::new(text, url);
    while let Some(token) = r.lexer.next_token() {
        match token {
            Token::Start {
                name,
                attrs,
                empty,
                at,
            } => {
                if r.start(name, &attrs, at) && empty {
                    r.end_innermost(at);
                }
            }
            Token::End { name, at } => r.end(name, at),
            Token::Text(text) => r.text(&text),
        }
    }
    r.finish()
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, url: &'a Url) -> Self {
        Reader {
            lexer: Lexer::new(text),
            names: Namespaces::default(),
            frames: Vec::new(),
            open: HashMap::new(),
            captures: Vec::new(),
            depth: 0,
            base: (url.scheme() != "file").then(|| url.clone()),
            lang: None,
            url,
            atom: false,
            in_feed: false,
            in_source: false,
            in_image: false,
            feed_has_image: false,
            in_textinput: false,
            person: None,
            in_content: 0,
            title_depth: None,
            guid_is_link: false,
            entry: None,
            entries: Vec::new(),
            dropped: 0,
            feed_title: None,
            feed_link: None,
            feed_authors: Vec::new(),
            feed_language: None,
            bad_dates: (0, None),
            read: Read::default(),
        }
    }

    /// The URL relative references resolve against here.
    pub fn base_url(&self) -> &Url {
        match (&self.base, &self.feed_link) {
            (Some(base), _) => base,
            (None, Some(home)) if matches!(home.scheme(), "http" | "https") => home,
            _ => self.url,
        }
    }

    /// `reference` resolved against the base in scope.
    pub fn resolve(&self, reference: &str) -> Option<Url> {
        self.base_url().join(reference.trim()).ok()
    }

    /// Handles a start tag; returns whether an element was opened (and must be closed).
    fn start(&mut self, written: &str, attrs: &[(Cow<'_, str>, Cow<'_, str>)], at: usize) -> bool {
        if self.read.root.is_empty() {
            self.read.root = written.to_string();
        }
        self.depth += 1;
        self.names
            .open(attrs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
        let undeclared = self.names.undeclared.len();
        let name = self.names.element(written);
        let attrs: Vec<(String, String)> = attrs
            .iter()
            .map(|(k, v)| {
                let key = self.names.attribute(k);
                let value = match key.as_str() {
                    "rel" | "type" => v.to_lowercase(),
                    _ => v.to_string(),
                };
                (key, value)
            })
            .collect();
        for prefix in &self.names.undeclared[undeclared..] {
            self.lexer.warn(
                at,
                format_args!("the namespace prefix `{prefix}` is never declared; read as usual"),
            );
        }
        let restore_base = self.scope_base(&attrs);
        let restore_lang = self.scope_lang(&attrs, &name);
        let local = name.rsplit(':').next().unwrap_or(&name).into();
        let key: Box<str> = written.to_lowercase().into();
        *self.open.entry(key.clone()).or_default() += 1;
        let frame = Frame {
            key,
            local,
            role: Role::Ignore,
            sink: None,
            owns: false,
            restore_base,
            restore_lang,
            at,
        };
        self.frames.push(frame);
        let captures = self.captures.len();
        let (role, sink) = self.begin(&name, &attrs, at);
        let owns = self.captures.len() > captures;
        if let Some(frame) = self.frames.last_mut() {
            frame.role = role;
            frame.sink = sink;
            frame.owns = owns;
        }
        true
    }

    /// Applies `xml:base`; returns the base to restore at the element's end.
    fn scope_base(&mut self, attrs: &[(String, String)]) -> Option<Option<Url>> {
        let (_, value) = attrs.iter().find(|(k, _)| k == "xml:base" || k == "base")?;
        let joined = self.base_url().join(value.trim()).ok()?;
        if !super::roles::safe_scheme(joined.scheme()) {
            return None;
        }
        Some(self.base.replace(joined))
    }

    /// Applies `xml:lang`; returns the language to restore at the element's end.
    fn scope_lang(&mut self, attrs: &[(String, String)], name: &str) -> Option<Option<String>> {
        let (_, value) = attrs.iter().find(|(k, _)| k == "xml:lang" || k == "lang")?;
        let lang = Some(value.trim().replace('_', "-")).filter(|l| !l.is_empty());
        if matches!(name, "feed" | "rss" | "rdf:rdf") && lang.is_some() {
            self.feed_language.clone_from(&lang);
        }
        Some(std::mem::replace(&mut self.lang, lang))
    }

    /// Handles an end tag: closes the innermost open element of that name, and those still
    /// open inside it.
    fn end(&mut self, written: &str, at: usize) {
        let key = written.to_lowercase();
        if self.open.get(key.as_str()).is_none_or(|n| *n == 0) {
            self.lexer.warn(
                at,
                format_args!("`</{written}>` closes no open element; ignored"),
            );
            return;
        }
        while let Some(frame) = self.frames.last() {
            let matched = *frame.key == *key;
            if !matched {
                let (inner, opened) = (frame.key.to_string(), frame.at);
                let line = self.lexer.line(at);
                self.lexer.warn(
                    opened,
                    format_args!(
                        "`<{inner}>` is never closed; `</{written}>` on line {line} closes it"
                    ),
                );
            }
            self.end_innermost(at);
            if matched {
                break;
            }
        }
    }

    /// Closes the innermost open element.
    fn end_innermost(&mut self, at: usize) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if let Some(n) = self.open.get_mut(&frame.key) {
            *n = n.saturating_sub(1);
        }
        self.finish_element(frame, at);
        self.names.close();
        self.depth = self.depth.saturating_sub(1);
    }

    fn finish_element(&mut self, frame: Frame, at: usize) {
        let Frame {
            local,
            role,
            sink,
            owns,
            restore_base,
            restore_lang,
            ..
        } = frame;
        let capture = if owns { self.captures.pop() } else { None };
        if matches!(role, Role::Markup) {
            self.append_markup(sink, &format!("</{local}>"));
        }
        self.close(role, capture, at);
        if let Some(base) = restore_base {
            self.base = base;
        }
        if let Some(lang) = restore_lang {
            self.lang = lang;
        }
    }

    /// Character data: appended to the capture of the innermost element, if it keeps text.
    fn text(&mut self, text: &str) {
        let Some(sink) = self.frames.last().and_then(|f| f.sink) else {
            return;
        };
        let Some(capture) = self.captures.get_mut(sink) else {
            return;
        };
        let xhtml = (capture.params.as_ref()).is_some_and(|p| p.mime == "application/xhtml+xml");
        if xhtml {
            capture.text.push_str(&quick_xml::escape::escape(text));
        } else {
            capture.text.push_str(text);
        }
    }

    /// Appends markup to the capture `sink`.
    pub fn append_markup(&mut self, sink: Option<usize>, markup: &str) {
        if let Some(capture) = sink.and_then(|s| self.captures.get_mut(s)) {
            capture.text.push_str(markup);
        }
    }

    /// Starts capturing the current element's text; returns the capture's index.
    pub fn capture(&mut self, params: Option<Params>) -> Option<usize> {
        self.captures.push(Capture {
            text: String::new(),
            params,
        });
        Some(self.captures.len() - 1)
    }

    /// The capture text of the element around the current one goes to.
    pub fn parent_sink(&self) -> Option<usize> {
        let n = self.frames.len();
        n.checked_sub(2).and_then(|i| self.frames[i].sink)
    }

    fn finish(mut self) -> Read {
        if let Some(last) = self.frames.last() {
            let (inner, at, around) = (last.key.to_string(), last.at, self.frames.len() - 1);
            let line = self.lexer.line(at);
            let end = self.lexer.line(usize::MAX);
            self.lexer.problems.add(
                end,
                format!(
                    "the document ends inside `<{inner}>` (line {line}) and {around} elements \
                     around it: it looks cut short"
                ),
            );
        }
        while !self.frames.is_empty() {
            self.end_innermost(usize::MAX);
        }
        self.finish_document()
    }

    fn finish_document(mut self) -> Read {
        if self.dropped > 0 {
            let end = self.lexer.line(usize::MAX);
            self.lexer.problems.add(
                end,
                format!(
                    "more than {MAX_ENTRIES} entries: the first {MAX_ENTRIES} are read, {} dropped",
                    self.dropped
                ),
            );
        }
        if let (n, Some((line, text))) = std::mem::take(&mut self.bad_dates) {
            let what = match n {
                1 => format!("the date {text:?} is no date feedloom can read; ignored"),
                n => format!("{n} dates are none feedloom can read (the first: {text:?}); ignored"),
            };
            self.lexer.problems.add(line, what);
        }
        let mut read = std::mem::take(&mut self.read);
        read.title = self.feed_title.take().map(|(t, _)| t);
        read.home_page_url = self.feed_link.take();
        read.entries = std::mem::take(&mut self.entries);
        read.warnings = std::mem::take(&mut self.lexer.problems).into_warnings();
        read
    }
}
