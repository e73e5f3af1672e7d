//! `feedloom-validate`: a native port of the rules of the
//! [W3C Feed Validation Service](https://validator.w3.org/feed/) for RSS 0.9x,
//! RSS 1.0 (RDF), RSS 2.0 and Atom 1.0, plus the JSON Feed 1.1 rules of
//! feedloom's offline `feedvalidate` tool.
//!
//! The rules are ported from the validator's Python source (`feedvalidator/*.py`,
//! © 2002–2006 Sam Ruby, Mark Pilgrim, Joseph Walton and Phil Ringnalda, MIT-style
//! licence, kept in `LICENSE-feedvalidator`). Messages keep the validator's class
//! names (`MissingDescription`, `InvalidRFC2822Date`, ...). As on the web service,
//! only errors and warnings are reported unless [`Options::notices`] is set.
//!
//! ```
//! let feed = br#"<rss version="2.0"><channel><title>t</title><link>https://example.com/</link></channel></rss>"#;
//! let report = feedloom_validate::validate(feed, &Default::default());
//! assert_eq!(report.format, feedloom_validate::Format::Rss20);
//! assert!(report.errors().any(|p| p.class == "MissingDescription"));
//! ```
//!
//! XML is read with quick-xml as a stream; DTD entities are never expanded.

#![deny(missing_docs)]

mod classes;
mod encoding;
mod engine;
mod help;
mod html;
mod json;
mod log;
mod report;
mod rules;
mod selflink;
mod types;
mod xml;

pub use report::{Format, Level, Problem, Report};

/// Whether `tag` is a language the validator accepts in `<language>`, `xml:lang` and
/// `dc:language`: its primary subtag (before any `-`) is an ISO 639 code it knows.
///
/// ```
/// assert!(feedloom_validate::is_language_code("zh-CN"));
/// assert!(!feedloom_validate::is_language_code("english please"));
/// ```
pub fn is_language_code(tag: &str) -> bool {
    types::is_iso639(tag)
}

use classes::Kind;
use engine::{Engine, FeedType};

/// Settings of a validation.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// URL the feed is published at. When `None`, the feed's own `rel="self"`
    /// link is used, as by `feedvalidate`; a self link that differs from it
    /// gets `SelfDoesntMatchLocation`.
    pub base: Option<String>,
    /// Also report the validator's informational notices and success events
    /// (as [`Level::Notice`]); the web service hides them.
    pub notices: bool,
    /// Encoding assumed for an XML document that declares none (no byte order
    /// mark, no `encoding` in its declaration); `None` means UTF-8.
    pub encoding: Option<String>,
}

impl Options {
    /// Options with the feed's published URL.
    pub fn with_base(mut self, base: impl Into<String>) -> Self {
        self.base = Some(base.into());
        self
    }

    /// Options assuming `encoding` for documents that declare none.
    pub fn with_encoding(mut self, encoding: impl Into<String>) -> Self {
        self.encoding = Some(encoding.into());
        self
    }

    /// Options that also report notices.
    pub fn with_notices(mut self, notices: bool) -> Self {
        self.notices = notices;
        self
    }
}

/// Validate a feed document (RSS, RDF, Atom or JSON Feed, found from its content).
pub fn validate(bytes: &[u8], options: &Options) -> Report {
    let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = start.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        return json::validate(bytes, options);
    }
    validate_xml(bytes, options)
}

fn validate_xml(bytes: &[u8], options: &Options) -> Report {
    let dec = encoding::decode(bytes, options.encoding.as_deref().unwrap_or("utf-8"));
    let mut text: std::borrow::Cow<str> = dec.text;
    let mut pre: Vec<engine::Event> = Vec::new();
    crate::py_regex!(LEADING_WS_DECL, r"\s+<\?xml");
    crate::search_regex!(WP, r"<generator.*wordpress.*</generator>");
    if LEADING_WS_DECL.is_match(&text) && WP.is_match(&text) {
        pre.push(engine::Event {
            class: classes::ids::WPBlankLine,
            params: vec![],
            at: 0,
            lc: Some((1, 1)),
        });
        let lt = text.find('<').unwrap_or(0);
        let gt = text.find('>').unwrap_or(0);
        if lt > 0 && gt > lt {
            text = std::borrow::Cow::Owned(format!(
                "{}{}{}",
                &text[lt..=gt],
                &text[..lt],
                &text[gt + 1..]
            ));
        }
    }
    let base = match &options.base {
        Some(b) => b.clone(),
        None => selflink::find(&text).unwrap_or_default(),
    };
    let mut eng = Engine::new(&base, vec![base.clone()], &dec.encoding, options.notices);
    eng.events = pre;
    for (c, params, pos) in dec.events {
        let refs: Vec<(&'static str, &str)> =
            params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        eng.emit(c, &refs, "", "", 0);
        if let Some(e) = eng.events.last_mut().filter(|e| e.class == c) {
            e.lc = Some(pos.unwrap_or((1, 1)));
        }
    }
    crate::py_regex!(
        XMLVER,
        r#"<\?\s*xml\s+version\s*=\s*['"]([-a-zA-Z0-9_.:]*)['"]"#
    );
    if let Some(v) = XMLVER.re().captures(&text).and_then(|c| c.get(1))
        && v.as_str() != "1.0"
    {
        let v = v.as_str().to_string();
        eng.log_here(classes::ids::BadXmlVersion, &[("version", &v)]);
    }
    eng.hex_ref_lines = hex_ref_lines(&text);
    eng.newlines = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    xml::run(&text, &mut eng);
    let format = format_of(&eng);
    let positions = Positions {
        text: &text,
        newlines: &eng.newlines,
    };
    report(eng.events, format, &positions)
}

fn hex_ref_lines(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut last = 0;
    for i in memchr::memmem::find_iter(text.as_bytes(), b"&#x") {
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[last..i]).count() as u32;
        last = i;
        if out.last() != Some(&line) {
            out.push(line);
        }
    }
    out
}

fn format_of(eng: &Engine) -> Format {
    match eng.feed_type {
        FeedType::Rss2 => match eng.rss_version.as_deref() {
            Some("0.91") => Format::Rss091,
            Some(v) if v.starts_with("0.9") => Format::Rss092,
            _ => Format::Rss20,
        },
        FeedType::Rss1
            if eng
                .default_ns
                .iter()
                .any(|n| n == "http://my.netscape.com/rdf/simple/0.9/") =>
        {
            Format::Rss090
        }
        FeedType::Rss1 => Format::Rss10,
        FeedType::Atom | FeedType::AtomEntry => Format::Atom10,
        _ => Format::Unknown,
    }
}

/// Format a `%(name)s` template with the event's parameters.
fn message(template: &str, params: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find("%(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(close) = after.find(')') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let key = &after[..close];
        match params.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => out.push_str(v),
            None => return template.replace("%(", "(").to_string(),
        }
        rest = after[close + 1..].get(1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Turns byte offsets into 1-based line and column (in characters).
struct Positions<'a> {
    text: &'a str,
    newlines: &'a [usize],
}

impl Positions<'_> {
    fn at(&self, at: usize) -> (u32, u32) {
        let at = at.min(self.text.len());
        let line = self.newlines.partition_point(|n| *n < at);
        let start = if line == 0 {
            0
        } else {
            self.newlines[line - 1] + 1
        };
        let seg = self.text.as_bytes().get(start..at).unwrap_or(&[]);
        let col = if seg.is_ascii() {
            seg.len()
        } else {
            seg.iter().filter(|b| (**b & 0xc0) != 0x80).count()
        };
        (line as u32 + 1, col as u32 + 1)
    }
}

fn report(events: Vec<engine::Event>, format: Format, pos: &Positions) -> Report {
    let mut problems: Vec<Problem> = Vec::with_capacity(events.len());
    let mut seen = std::collections::HashSet::new();
    for e in events {
        let level = match e.class.kind() {
            Kind::Error => Level::Error,
            Kind::Warning => Level::Warning,
            _ => Level::Notice,
        };
        let info = e.class.info();
        let mut msg = message(info.template, &e.params);
        if let Some(v) = e.param("value").filter(|v| !v.is_empty())
            && !info.template.contains("%(value)")
        {
            let v: String = v.split_whitespace().collect::<Vec<_>>().join(" ");
            let v = if v.chars().count() > 80 {
                format!("{}...", v.chars().take(77).collect::<String>())
            } else {
                v
            };
            msg = format!("{msg}: \"{v}\"");
        }
        let element = e.param("element").unwrap_or("").to_string();
        let parent = e.param("parent").unwrap_or("").replacen('_', ":", 1);
        let (line, col) = e.lc.unwrap_or_else(|| pos.at(e.at));
        let key = (line, col, info.name, msg.clone(), e.params.clone());
        if !seen.insert(key) {
            continue;
        }
        problems.push(Problem {
            line: line as usize,
            column: col as usize,
            level,
            class: info.name,
            element,
            parent,
            message: msg,
            help: help::help(info.name),
            params: e.params,
        });
    }
    problems.sort_by_key(|p| (p.line, p.column));
    Report { format, problems }
}
