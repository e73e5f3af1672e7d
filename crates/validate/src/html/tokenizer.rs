//! An HTML tokenizer that, like html5lib in strict mode, stops at the first
//! parse error. It yields tags with attributes; text only as a flag.

use super::entities::NAMES;
use std::borrow::Cow;

/// Attributes of a start tag.
pub type Attrs<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// `s` in lower case, borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// One token.
#[derive(Debug)]
pub enum Token<'a> {
    /// Start tag: lower-case name, attributes, self-closing flag.
    Start(Cow<'a, str>, Attrs<'a>, bool),
    /// End tag with lower-case name.
    End(Cow<'a, str>),
    /// Character data; `true` when it is not all white space.
    Text(bool),
    /// A comment.
    Comment,
    /// A DOCTYPE.
    Doctype,
}

/// Tokenizer content models switched by the tree builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Normal data.
    Data,
    /// RCDATA (`textarea`, `title`): character references, no tags.
    Rcdata,
    /// Raw text (`script`, `style`, `xmp`, `iframe`, ...).
    Rawtext,
    /// Everything to the end is text.
    Plaintext,
}

/// The tokenizer over one fragment.
pub struct Tokenizer<'a> {
    s: &'a str,
    pos: usize,
    /// Content model for the next token.
    pub mode: Mode,
    /// Name of the element whose raw text is being read.
    pub last_start: String,
    /// Whether CDATA sections are allowed (foreign content).
    pub cdata_ok: bool,
}

type R<T> = Result<T, String>;

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r')
}

fn bad_codepoint(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x01..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f..=0x9f | 0xfdd0..=0xfdef)
        || (u & 0xfffe) == 0xfffe
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `s`.
    pub fn new(s: &'a str) -> Self {
        Tokenizer {
            s,
            pos: 0,
            mode: Mode::Data,
            last_start: String::new(),
            cdata_ok: false,
        }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    /// The next token, `Ok(None)` at the end, `Err` at the first parse error.
    pub fn next_token(&mut self) -> R<Option<Token<'a>>> {
        if self.pos >= self.s.len() {
            return Ok(None);
        }
        match self.mode {
            Mode::Plaintext => {
                let t = self.text_until(|_| false, false)?;
                Ok(Some(Token::Text(t)))
            }
            Mode::Rawtext | Mode::Rcdata => self.raw(),
            Mode::Data => match self.peek() {
                Some('<') => self.tag_open(),
                _ => {
                    let t = self.text_until(|c| c == '<', true)?;
                    Ok(Some(Token::Text(t)))
                }
            },
        }
    }

    fn text_until(&mut self, stop: impl Fn(char) -> bool, refs: bool) -> R<bool> {
        let mut nonws = false;
        while let Some(c) = self.peek() {
            if stop(c) {
                break;
            }
            if c == '\0' || bad_codepoint(c) {
                return Err("Invalid codepoint in stream.".into());
            }
            self.bump();
            if refs && c == '&' {
                self.char_ref(None)?;
                nonws = true;
                continue;
            }
            nonws |= !is_ws(c);
        }
        Ok(nonws)
    }

    fn raw(&mut self) -> R<Option<Token<'a>>> {
        let name = self.last_start.clone();
        let rest = self.rest();
        let mut end = rest.len();
        let mut search = 0;
        while let Some(i) = rest[search..].find("</") {
            let at = search + i;
            let after = &rest[at + 2..];
            let n = name.len();
            if after.len() >= n
                && after.is_char_boundary(n)
                && after[..n].eq_ignore_ascii_case(&name)
                && after[n..]
                    .chars()
                    .next()
                    .is_none_or(|c| is_ws(c) || c == '/' || c == '>')
            {
                end = at;
                break;
            }
            search = at + 2;
        }
        let text = &rest[..end];
        let mut sub = Tokenizer::new(text);
        let nonws = sub.text_until(|_| false, self.mode == Mode::Rcdata)?;
        self.pos += end;
        self.mode = Mode::Data;
        if end == 0 {
            return self.next_token();
        }
        Ok(Some(Token::Text(nonws)))
    }

    fn tag_open(&mut self) -> R<Option<Token<'a>>> {
        self.bump();
        match self.peek() {
            Some('!') => {
                self.bump();
                self.markup_decl()
            }
            Some('/') => {
                self.bump();
                match self.peek() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let (name, _, _) = self.tag_body()?;
                        Ok(Some(Token::End(name)))
                    }
                    Some('>') => Err("Expected closing tag. Got '>' instead. Ignoring '</>'.".into()),
                    None => Err("Expected closing tag. Unexpected end of file.".into()),
                    Some(_) => Err("Expected closing tag. Unexpected character found.".into()),
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, attrs, sc) = self.tag_body()?;
                Ok(Some(Token::Start(name, attrs, sc)))
            }
            Some('?') => Err("Expected tag name. Got '?' instead. (HTML doesn't support processing instructions.)".into()),
            _ => Err("Expected tag name. Got something else instead".into()),
        }
    }

    fn markup_decl(&mut self) -> R<Option<Token<'a>>> {
        let rest = self.rest();
        if let Some(r) = rest.strip_prefix("--") {
            if r.starts_with('>') || r.starts_with("->") {
                return Err("Incorrect comment.".into());
            }
            let Some(end) = r.find("--") else {
                return Err("Unexpected end of file in comment.".into());
            };
            if !r[end..].starts_with("-->") {
                return Err("Unexpected character in comment found.".into());
            }
            if r[..end].chars().any(|c| c == '\0' || bad_codepoint(c)) {
                return Err("Invalid codepoint in stream.".into());
            }
            self.pos += 2 + end + 3;
            return Ok(Some(Token::Comment));
        }
        if rest.len() >= 7 && rest.is_char_boundary(7) && rest[..7].eq_ignore_ascii_case("doctype")
        {
            let end = rest.find('>').ok_or("Unexpected end of file in DOCTYPE.")?;
            self.pos += end + 1;
            return Ok(Some(Token::Doctype));
        }
        if self.cdata_ok && rest.starts_with("[CDATA[") {
            let end = rest.find("]]>").map_or(rest.len(), |e| e + 3);
            self.pos += end;
            return Ok(Some(Token::Text(true)));
        }
        Err("Expected '--' or 'DOCTYPE'. Not found.".into())
    }

    fn tag_body(&mut self) -> R<(Cow<'a, str>, Attrs<'a>, bool)> {
        let eof = || "Unexpected end of file in the tag name.".to_string();
        let rest = self.rest();
        let end = rest
            .find(|c: char| is_ws(c) || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let raw = &rest[..end];
        if raw.chars().any(|c| c == '\0' || bad_codepoint(c)) {
            return Err("Invalid codepoint in stream.".into());
        }
        self.pos += end;
        let name = lower(raw);
        let mut attrs: Attrs<'a> = Vec::new();
        loop {
            while self.peek().is_some_and(is_ws) {
                self.bump();
            }
            match self.peek() {
                None => return Err(eof()),
                Some('>') => {
                    self.bump();
                    return Ok((name, attrs, false));
                }
                Some('/') => {
                    self.bump();
                    match self.peek() {
                        Some('>') => {
                            self.bump();
                            return Ok((name, attrs, true));
                        }
                        None => return Err(eof()),
                        _ => return Err("Unexpected character after / in tag. Expected >".into()),
                    }
                }
                Some(c) => {
                    if matches!(c, '"' | '\'' | '<' | '=') {
                        return Err("Invalid character in attribute name".into());
                    }
                    let rest = self.rest();
                    let first = c.len_utf8();
                    let end = rest[first..]
                        .find(|c: char| is_ws(c) || matches!(c, '/' | '>' | '=' | '"' | '\'' | '<'))
                        .map_or(rest.len(), |e| e + first);
                    if matches!(rest[end..].chars().next(), Some('"' | '\'' | '<')) {
                        return Err("Invalid character in attribute name".into());
                    }
                    let an = lower(&rest[..end]);
                    self.pos += end;
                    while self.peek().is_some_and(is_ws) {
                        self.bump();
                    }
                    let mut val = Cow::Borrowed("");
                    if self.peek() == Some('=') {
                        self.bump();
                        val = self.attr_value()?;
                    }
                    if attrs.iter().any(|(n, _)| *n == an) {
                        return Err("Dropped duplicate attribute on tag.".into());
                    }
                    attrs.push((an, val));
                }
            }
        }
    }

    fn attr_value(&mut self) -> R<Cow<'a, str>> {
        while self.peek().is_some_and(is_ws) {
            self.bump();
        }
        let mut val = String::new();
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.bump();
                let rest = self.rest();
                if let Some(end) = rest.find(q) {
                    let body = &rest[..end];
                    if !body.contains('&') && !body.chars().any(|c| c == '\0' || bad_codepoint(c)) {
                        self.pos += end + 1;
                        return match self.peek() {
                            Some(c) if is_ws(c) || c == '/' || c == '>' => Ok(Cow::Borrowed(body)),
                            None => Err("Unexpected end of file in attribute value.".into()),
                            _ => Err("Unexpected character after attribute value.".into()),
                        };
                    }
                }
                loop {
                    match self.bump() {
                        None => {
                            return Err("Unexpected end of file in attribute value (\").".into());
                        }
                        Some(c) if c == q => break,
                        Some('&') => val.push_str(&self.char_ref(Some(q))?),
                        Some(c) if c == '\0' || bad_codepoint(c) => {
                            return Err("Invalid codepoint in stream.".into());
                        }
                        Some(c) => val.push(c),
                    }
                }
                match self.peek() {
                    Some(c) if is_ws(c) || c == '/' || c == '>' => Ok(Cow::Owned(val)),
                    None => Err("Unexpected end of file in attribute value.".into()),
                    _ => Err("Unexpected character after attribute value.".into()),
                }
            }
            Some('>') => Err("Attribute value was expected but '>' found".into()),
            None => Err("Unexpected end of file. Expected attribute value.".into()),
            _ => {
                while let Some(c) = self.peek() {
                    if is_ws(c) || c == '>' {
                        break;
                    }
                    if matches!(c, '"' | '\'' | '=' | '<' | '`') {
                        return Err("Unexpected character in unquoted attribute".into());
                    }
                    self.bump();
                    if c == '&' {
                        val.push_str(&self.char_ref(Some('>'))?);
                    } else {
                        val.push(c);
                    }
                }
                Ok(Cow::Owned(val))
            }
        }
    }

    /// After `&`: check a character reference; returns its text (approximate).
    fn char_ref(&mut self, allowed: Option<char>) -> R<String> {
        match self.peek() {
            None => return Ok("&".into()),
            Some(c) if is_ws(c) || c == '<' || c == '&' || Some(c) == allowed => {
                return Ok("&".into());
            }
            Some('#') => {
                self.bump();
                let hex = matches!(self.peek(), Some('x' | 'X'));
                if hex {
                    self.bump();
                }
                let start = self.pos;
                while self.peek().is_some_and(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                }) {
                    self.bump();
                }
                let digits = &self.s[start..self.pos];
                if digits.is_empty() {
                    return Err("Numeric entity expected. Got end of file instead.".into());
                }
                let v = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
                let ch = char::from_u32(v);
                if v == 0 || ch.is_none() || ch.is_some_and(|c| bad_codepoint(c) || c == '\x0b') {
                    return Err(format!(
                        "Numeric entity couldn't be converted to character (codepoint U+{v:08X})."
                    ));
                }
                if self.peek() != Some(';') {
                    return Err("Numeric entity didn't end with ';'.".into());
                }
                self.bump();
                return Ok(ch.map(String::from).unwrap_or_default());
            }
            _ => {}
        }
        let start = self.pos;
        let mut end = start;
        let rest = self.rest();
        for (i, c) in rest.char_indices() {
            let cand = &rest[..i + c.len_utf8()];
            let idx = NAMES.partition_point(|n| *n < cand);
            if NAMES.get(idx).is_some_and(|n| n.starts_with(cand)) {
                end = start + i + c.len_utf8();
            } else {
                break;
            }
        }
        let consumed = &self.s[start..end];
        let longest = (1..=consumed.len()).rev().find(|&l| {
            consumed.is_char_boundary(l) && NAMES.binary_search(&&consumed[..l]).is_ok()
        });
        let Some(l) = longest else {
            return Err("Named entity expected. Got none.".into());
        };
        if !consumed[..l].ends_with(';') {
            return Err("Named entity didn't end with ';'.".into());
        }
        self.pos = start + l;
        Ok(String::new())
    }
}
