//! A lenient XML tokenizer over quick-xml: tags, attributes and text of a document in order,
//! read as far as they go. Entity references are resolved here (XML's five, numeric ones,
//! HTML's named ones); anything else, a stray `&` or `&lol9;`, stays literal text, so no
//! entity declared in a DOCTYPE is ever expanded. A `<` that starts no tag is text, and so
//! is `<!x`; a document cut short ends where it stops. Every repair is a warning with its
//! line. Nothing is copied but the text that needed unescaping.

use std::borrow::Cow;

use quick_xml::errors::{Error, SyntaxError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, escape::resolve_html5_entity};

/// One piece of the document.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    /// A start tag (`empty` for `<a/>`), its name as written and its attributes (values
    /// unescaped), and its byte offset.
    Start {
        /// The name as written, prefix included.
        name: &'a str,
        /// Attribute names as written, and values.
        attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
        /// Whether the tag closes itself.
        empty: bool,
        /// Byte offset of the `<`.
        at: usize,
    },
    /// An end tag, its name as written and its byte offset.
    End {
        /// The name as written.
        name: &'a str,
        /// Byte offset of the `<`.
        at: usize,
    },
    /// Character data, references resolved (CDATA sections included).
    Text(Cow<'a, str>),
}

/// Reads `text` into [`Token`]s; see the module doc.
pub struct Lexer<'a> {
    text: &'a str,
    /// Where `reader` starts in `text`.
    base: usize,
    reader: Reader<&'a [u8]>,
    lines: Lines<'a>,
    /// Problems met.
    pub problems: Problems,
    done: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer over a whole document (already UTF-8, XML declaration removed).
    pub fn new(text: &'a str) -> Self {
        let base = bom_len(text);
        Lexer {
            text,
            base,
            reader: reader_at(&text[base..]),
            lines: Lines::new(text),
            problems: Problems::default(),
            done: false,
        }
    }

    /// The 1-based line of byte offset `at`.
    pub fn line(&mut self, at: usize) -> usize {
        self.lines.line(at)
    }

    /// Notes a problem at the line of byte offset `at`.
    pub fn warn(&mut self, at: usize, what: impl std::fmt::Display) {
        let what = what.to_string();
        // Only a new kind of problem needs its line (counting lines back is not free).
        if !self.problems.count_again(&what) {
            let line = self.line(at);
            self.problems.add(line, what);
        }
    }

    /// Starts reading afresh at byte offset `at` (an ASCII character's position).
    fn restart(&mut self, at: usize) {
        self.base = at + bom_len(&self.text[at..]);
        self.reader = reader_at(&self.text[self.base..]);
    }

    /// The next token, or `None` at the end of the document.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        while !self.done {
            let at = self.base + self.reader.buffer_position() as usize;
            let event = self.reader.read_event();
            if let Some(token) = self.token(event, at) {
                return Some(token);
            }
        }
        None
    }

    fn token(&mut self, event: Result<Event<'a>, Error>, at: usize) -> Option<Token<'a>> {
        match event {
            Ok(Event::Start(tag)) => self.start(&tag, false, at),
            Ok(Event::Empty(tag)) => self.start(&tag, true, at),
            Ok(Event::End(end)) => {
                let len = end.name().into_inner().len();
                match self.text.get(at + 2..at + 2 + len).filter(|n| is_name(n)) {
                    Some(name) => Some(Token::End { name, at }),
                    None => self.stray_lt(at),
                }
            }
            Ok(Event::Text(t)) => Some(Token::Text(clean(t.into_inner()))),
            Ok(Event::CData(t)) => Some(Token::Text(clean(t.into_inner()))),
            Ok(Event::GeneralRef(r)) => Some(Token::Text(reference(&r.into_inner()))),
            Ok(Event::Decl(_)) => {
                self.warn(at, "text before the XML declaration, which must come first");
                None
            }
            Ok(Event::Comment(_) | Event::PI(_) | Event::DocType(_)) => None,
            Ok(Event::Eof) => {
                self.done = true;
                None
            }
            Err(Error::Syntax(e)) => self.syntax_error(e, at),
            Err(e) => {
                // Ill-formed but readable on: the reader has moved past it.
                self.warn(at, format_args!("{e}; read on"));
                let now = self.base + self.reader.buffer_position() as usize;
                if now <= at {
                    self.restart(at + 1);
                }
                None
            }
        }
    }

    fn start(&mut self, tag: &BytesStart<'_>, empty: bool, at: usize) -> Option<Token<'a>> {
        let len = tag.name().into_inner().len();
        let Some(name) = self.text.get(at + 1..at + 1 + len).filter(|n| is_name(n)) else {
            return self.stray_lt(at);
        };
        let mut attrs = Vec::new();
        for attr in tag.html_attributes().with_checks(false) {
            let Ok(attr) = attr else {
                self.warn(
                    at,
                    format_args!("a malformed attribute in <{name}>; the rest ignored"),
                );
                break;
            };
            let key = Cow::Owned(attr.key.into_inner().to_string());
            attrs.push((key, Cow::Owned(unescape(attr.value).into_owned())));
        }
        Some(Token::Start {
            name,
            attrs,
            empty,
            at,
        })
    }

    /// A `<` that starts no tag: it is text, and reading goes on just after it.
    fn stray_lt(&mut self, at: usize) -> Option<Token<'a>> {
        self.warn(at, "a `<` that starts no tag, read as text");
        self.restart(at + 1);
        Some(Token::Text(Cow::Borrowed("<")))
    }

    fn syntax_error(&mut self, e: SyntaxError, at: usize) -> Option<Token<'a>> {
        let rest = &self.text[at..];
        match e {
            SyntaxError::InvalidBangMarkup => self.stray_lt(at),
            SyntaxError::UnclosedTag
                if !(rest.strip_prefix('<').unwrap_or(rest))
                    .trim_start_matches('/')
                    .starts_with(is_name_start) =>
            {
                self.stray_lt(at)
            }
            SyntaxError::UnclosedCData => {
                self.warn(at, "the document ends inside a CDATA section");
                self.done = true;
                let body = rest.strip_prefix("<![CDATA[").unwrap_or(rest);
                Some(Token::Text(clean(Cow::Borrowed(body))))
            }
            e => {
                self.warn(at, format_args!("the document is cut short ({e})"));
                self.done = true;
                None
            }
        }
    }
}

/// The length of the byte-order mark `text` starts with, if any. quick-xml drops one at the
/// start of its input without counting it in its positions, so the lexer steps over it
/// itself wherever a reader starts (a U+FEFF right after a stray `<` once made every later
/// offset point one character early).
fn bom_len(text: &str) -> usize {
    match text.starts_with('\u{feff}') {
        true => '\u{feff}'.len_utf8(),
        false => 0,
    }
}

fn reader_at(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    config.trim_text(false);
    reader
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

/// Whether `name` can be an element name (a letter, `_` or `:` first).
fn is_name(name: &str) -> bool {
    name.chars().next().is_some_and(is_name_start)
}

/// Text as read, without the characters XML forbids (controls, U+FFFE, U+FFFF).
fn clean(text: Cow<'_, str>) -> Cow<'_, str> {
    let suspect = |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0xEF;
    if !text.as_bytes().iter().any(suspect) || text.chars().all(allowed) {
        return text;
    }
    Cow::Owned(text.chars().filter(|c| allowed(*c)).collect())
}

/// Whether XML 1.0 allows `c` in a document.
pub fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The text an entity or character reference (`amp`, `#233`, `eacute`) stands for; an
/// unknown one stays as written, a character XML forbids is dropped.
fn reference(name: &str) -> Cow<'static, str> {
    match resolve(name) {
        Some(text) => text,
        None => Cow::Owned(format!("&{name};")),
    }
}

fn resolve(name: &str) -> Option<Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        let c = value.and_then(char::from_u32);
        return Some(match c.filter(|c| allowed(*c)) {
            Some(c) => Cow::Owned(c.to_string()),
            None => Cow::Borrowed(""),
        });
    }
    let fixed = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => return resolve_html5_entity(other).map(Cow::Borrowed),
    };
    Some(Cow::Borrowed(fixed))
}

/// Resolves the references in an attribute value as [`Token::Text`] does.
pub fn unescape(raw: Cow<'_, str>) -> Cow<'_, str> {
    if !raw.contains('&') {
        return clean(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest: &str = &raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let body = &rest[1..];
        let end = body
            .char_indices()
            .take(40)
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '#' | '_' | '-' | '.')));
        if let Some((len, ';')) = end
            && let Some(text) = resolve(&body[..len])
        {
            out.push_str(&text);
            rest = &body[len + 1..];
            continue;
        }
        out.push('&');
        rest = body;
    }
    out.push_str(rest);
    Cow::Owned(clean(Cow::Owned(out)).into_owned())
}

/// The problems of one document: each kind once, at its first line, with how often it
/// happened; at most [`Problems::KINDS`] kinds.
#[derive(Debug, Default)]
pub struct Problems {
    kinds: Vec<(usize, String, usize)>,
    seen: std::collections::HashMap<String, usize>,
    more: usize,
}

impl Problems {
    /// How many kinds of problem are told apart; more are only counted.
    pub const KINDS: usize = 50;

    /// Counts `what` once more if it was met before; returns whether it was.
    pub fn count_again(&mut self, what: &str) -> bool {
        match self.seen.get(what) {
            Some(&i) => {
                self.kinds[i].2 += 1;
                true
            }
            None if self.kinds.len() >= Self::KINDS => {
                self.more += 1;
                true
            }
            None => false,
        }
    }

    /// Notes `what` at `line`.
    pub fn add(&mut self, line: usize, what: String) {
        if let Some(&i) = self.seen.get(&what) {
            self.kinds[i].2 += 1;
        } else if self.kinds.len() < Self::KINDS {
            self.seen.insert(what.clone(), self.kinds.len());
            self.kinds.push((line, what, 1));
        } else {
            self.more += 1;
        }
    }

    /// Each kind as `line N: what`, with `(N times)` when it happened more than once.
    pub fn into_warnings(self) -> Vec<String> {
        let mut out: Vec<String> = (self.kinds.into_iter())
            .map(|(line, what, n)| match n {
                1 => format!("line {line}: {what}"),
                n => format!("line {line}: {what} ({n} times; the first is on this line)"),
            })
            .collect();
        if self.more > 0 {
            out.push(format!("{} more problems of other kinds", self.more));
        }
        out
    }
}

/// Line numbers of byte offsets, counted forward from the last one asked for.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn line(&mut self, at: usize) -> usize {
        let at = at.min(self.text.len());
        if at < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let span = &self.text.as_bytes()[self.offset..at];
        self.line += memchr::memchr_iter(b'\n', span).count();
        self.offset = at;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(doc: &str) -> (Vec<String>, Vec<String>) {
        let mut lexer = Lexer::new(doc);
        let mut out = Vec::new();
        while let Some(t) = lexer.next_token() {
            out.push(match t {
                Token::Start {
                    name, attrs, empty, ..
                } => {
                    let attrs: String = attrs.iter().map(|(k, v)| format!(" {k}={v}")).collect();
                    format!("<{name}{attrs}{}>", if empty { "/" } else { "" })
                }
                Token::End { name, .. } => format!("</{name}>"),
                Token::Text(t) => t.into_owned(),
            });
        }
        (out, lexer.problems.into_warnings())
    }

    #[test]
    fn tokens_table() {
        let rows: &[(&str, &str, usize)] = &[
            ("<a>x</a>", "<a>|x|</a>", 0),
            (
                "<a>AT&T &amp; &eacute;&#233;&#1;</a>",
                "<a>|AT|&T |&| |é|é||</a>",
                0,
            ),
            ("<a>&lol9; &bogus;</a>", "<a>|&lol9;| |&bogus;|</a>", 0),
            ("<a>x < y</a>", "<a>|x |<| y|</a>", 1),
            ("<a>1 <2</a>", "<a>|1 |<|2|</a>", 1),
            ("<a href=x?a=1&b=2 t='&lt;'/>", "<a href=x?a=1&b=2 t=</>", 0),
            (
                "<a><![CDATA[<b>&amp;</b>]]></a>",
                "<a>|<b>&amp;</b>|</a>",
                0,
            ),
            ("<a><![CDATA[cut", "<a>|cut", 1),
            ("<a>t</a", "<a>|t", 1),
            ("<a>t<!-- cut", "<a>|t", 1),
            ("<!x><a/>", "<|!x>|<a/>", 1),
            ("junk<?xml version='1.0'?><a/>", "junk|<a/>", 1),
            (
                "<!DOCTYPE a [<!ENTITY e \"x>y\">]><a>&e;</a>",
                "<a>|&e;|</a>",
                0,
            ),
            ("<a>\u{1}b\u{fffe}</a>", "<a>|b|</a>", 0),
            // A byte-order mark where reading starts again, as in a fuzzed OPML file.
            ("<\u{feff}<a>x</a>", "<|<a>|x|</a>", 1),
            ("<\u{feff}<\u{7676}", "<", 2),
            ("\u{feff}<a/>", "<a/>", 0),
        ];
        for (doc, want, warnings) in rows {
            let (got, warned) = tokens(doc);
            assert_eq!(got.join("|"), *want, "{doc}");
            assert_eq!(warned.len(), *warnings, "{doc}: {warned:?}");
        }
    }

    #[test]
    fn warnings_name_their_line() {
        let (_, warnings) = tokens("<a>\n\n<b>1 < 2</b>\n</a");
        let cut = format!(
            "line 4: the document is cut short ({})",
            SyntaxError::UnclosedTag
        );
        assert_eq!(
            warnings,
            [
                "line 3: a `<` that starts no tag, read as text",
                cut.as_str()
            ]
        );
    }
}
