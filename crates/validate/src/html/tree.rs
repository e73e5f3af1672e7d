//! A reduced HTML tree builder for fragments (context `div`), raising at the
//! first parse error as html5lib does in strict mode. It covers the body,
//! table, select and foreign-content rules that feed content exercises.

use super::tokenizer::{Attrs, Mode, Token, Tokenizer};
use std::borrow::Cow;

/// An element of the parsed fragment: tag, attributes, and whether it is SVG/MathML.
pub type Element<'a> = (Cow<'a, str>, Attrs<'a>, bool);

#[rustfmt::skip]
const VOID_L: &[&str] = &[
    "area", "br", "embed", "img", "keygen", "wbr", "input", "param", "source", "track", "hr",
    "meta", "link", "base", "basefont", "bgsound", "command", "col", "frame", "image",
    "isindex",
];
#[rustfmt::skip]
const FORMATTING_L: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u",
];
#[rustfmt::skip]
const CLOSE_P_L: &[&str] = &[
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu",
    "nav", "ol", "p", "section", "summary", "ul", "pre", "listing", "form", "plaintext",
    "table", "hr", "xmp", "h1", "h2", "h3", "h4", "h5", "h6",
];
#[rustfmt::skip]
const HEADINGS_L: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6",
];
#[rustfmt::skip]
const IMPLIED_END_L: &[&str] = &[
    "dd", "dt", "li", "option", "optgroup", "p", "rb", "rp", "rt", "rtc",
];
#[rustfmt::skip]
const SCOPE_L: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];
#[rustfmt::skip]
const SPECIAL_L: &[&str] = &[
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound",
    "blockquote", "body", "br", "button", "caption", "center", "col", "colgroup", "dd",
    "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer",
    "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "hr", "html", "iframe", "img", "input", "li", "link", "listing", "main", "marquee", "menu",
    "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext",
    "pre", "script", "section", "select", "source", "style", "summary", "table", "tbody", "td",
    "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp",
];
#[rustfmt::skip]
const EOF_OK_L: &[&str] = &[
    "dd", "dt", "li", "p", "tbody", "td", "tfoot", "th", "thead", "tr", "body", "html",
];
#[rustfmt::skip]
const BREAKOUT_L: &[&str] = &[
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
    "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing",
    "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike",
    "sub", "sup", "table", "tt", "u", "ul", "var",
];
#[rustfmt::skip]
const TABLE_PARTS_L: &[&str] = &[
    "caption", "col", "colgroup", "frame", "head", "tbody", "td", "tfoot", "th", "thead", "tr",
];

crate::str_set!(VOID, VOID_L);
crate::str_set!(FORMATTING, FORMATTING_L);
crate::str_set!(CLOSE_P, CLOSE_P_L);
crate::str_set!(HEADINGS, HEADINGS_L);
crate::str_set!(IMPLIED_END, IMPLIED_END_L);
crate::str_set!(SCOPE, SCOPE_L);
crate::str_set!(SPECIAL, SPECIAL_L);
crate::str_set!(EOF_OK, EOF_OK_L);
crate::str_set!(BREAKOUT, BREAKOUT_L);
crate::str_set!(TABLE_PARTS, TABLE_PARTS_L);

type R<T> = Result<T, String>;

struct Builder<'a> {
    open: Vec<(Cow<'a, str>, bool)>,
    formatting: Vec<Cow<'a, str>>,
    out: Vec<Element<'a>>,
    form: bool,
}

fn unexpected_start(n: &str) -> String {
    format!("Unexpected start tag ({n}).")
}

fn unexpected_end(n: &str) -> String {
    format!("Unexpected end tag ({n}). Ignored.")
}

impl<'a> Builder<'a> {
    fn cur(&self) -> &str {
        self.open.last().map_or("html", |(n, _)| n.as_ref())
    }

    fn in_foreign(&self) -> bool {
        self.open.last().is_some_and(|(_, f)| *f)
    }

    fn in_scope(&self, name: &str, extra: &[&str]) -> bool {
        for (n, f) in self.open.iter().rev() {
            if n == name && !f {
                return true;
            }
            if *f
                && (n == "foreignObject"
                    || n == "desc"
                    || n == "title"
                    || n == "mi"
                    || n == "annotation-xml")
            {
                return false;
            }
            if !f && (SCOPE.has(n.as_ref()) || extra.contains(&n.as_ref())) {
                return false;
            }
        }
        false
    }

    fn in_table_mode(&self) -> bool {
        matches!(self.cur(), "table" | "tbody" | "thead" | "tfoot" | "tr")
    }

    fn insert(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>, foreign: bool) {
        self.open.push((name.clone(), foreign));
        self.out.push((name, attrs, foreign));
    }

    fn close_p(&mut self) -> R<()> {
        if self.in_scope("p", &["button"]) {
            self.end_block("p")?;
        }
        Ok(())
    }

    fn implied_end(&mut self, except: &str) {
        while IMPLIED_END.has(self.cur()) && self.cur() != except {
            self.open.pop();
        }
    }

    fn end_block(&mut self, name: &str) -> R<()> {
        self.implied_end(name);
        if self.cur() != name {
            return Err(format!(
                "End tag ({name}) seen too early. Expected other end tag."
            ));
        }
        self.open.pop();
        self.formatting
            .retain(|f| self.open.iter().any(|(o, _)| o == f));
        Ok(())
    }

    fn start(
        &mut self,
        tk: &mut Tokenizer,
        name: Cow<'a, str>,
        attrs: Attrs<'a>,
        sc: bool,
    ) -> R<()> {
        if self.in_foreign() {
            if BREAKOUT.has(name.as_ref())
                || (name == "font"
                    && attrs
                        .iter()
                        .any(|(a, _)| matches!(a.as_ref(), "color" | "face" | "size")))
            {
                return Err(format!(
                    "Unexpected HTML start tag ({name}) in foreign content."
                ));
            }
            self.out.push((name.clone(), attrs, true));
            if !sc {
                self.open.push((name, true));
            }
            return Ok(());
        }
        let n = name.as_ref();
        if self.in_table_mode() {
            return self.start_in_table(tk, name, attrs, sc);
        }
        if (self.cur() == "select" || self.cur() == "option" || self.cur() == "optgroup")
            && self.open.iter().any(|(o, _)| o == "select")
            && !matches!(n, "option" | "optgroup")
        {
            return Err(unexpected_start(n));
        }
        if sc && !VOID.has(n) && n != "svg" && n != "math" {
            return Err(format!("Trailing solidus not allowed on element {n}"));
        }
        match n {
            "html" | "body" | "frameset" | "head" => return Err(unexpected_start(n)),
            "image" | "isindex" => {
                return Err(format!("Unexpected start tag ({n}). Treated as img."));
            }
            _ if TABLE_PARTS.has(n) => {
                return Err(format!("Unexpected start tag ({n}). Ignored."));
            }
            "math" | "svg" => {
                self.out.push((name.clone(), attrs, true));
                if !sc {
                    self.open.push((name, true));
                    tk.cdata_ok = true;
                }
                return Ok(());
            }
            _ => {}
        }
        if CLOSE_P.has(n) {
            self.close_p()?;
        }
        if HEADINGS.has(n) && HEADINGS.has(self.cur()) {
            return Err(unexpected_start(n));
        }
        match n {
            "form" if self.form => return Err(unexpected_start(n)),
            "form" => self.form = true,
            "a" if self.formatting.iter().any(|f| f == "a") => {
                return Err("Unexpected start tag (a) implies end tag (a).".into());
            }
            "nobr" | "button" if self.in_scope(n, &[]) => {
                return Err(format!("Unexpected start tag ({n}) implies end tag ({n})."));
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if n == "li" { &["li"] } else { &["dd", "dt"] };
                for i in (0..self.open.len()).rev() {
                    let o = self.open[i].0.clone();
                    if closes.contains(&o.as_ref()) {
                        self.implied_end(&o);
                        if self.cur() != o {
                            return Err(format!(
                                "End tag ({o}) seen too early. Expected other end tag."
                            ));
                        }
                        self.open.truncate(i);
                        break;
                    }
                    if SPECIAL.has(o.as_ref()) && !matches!(o.as_ref(), "address" | "div" | "p") {
                        break;
                    }
                }
                self.close_p()?;
            }
            "option" | "optgroup" if self.cur() == "option" => {
                self.open.pop();
            }
            "rp" | "rt" if self.in_scope("ruby", &[]) => {
                self.implied_end("");
                if self.cur() != "ruby" {
                    return Err(unexpected_start(n));
                }
            }
            _ => {}
        }
        match n {
            "textarea" | "title" => (tk.mode, tk.last_start) = (Mode::Rcdata, name.to_string()),
            "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                (tk.mode, tk.last_start) = (Mode::Rawtext, name.to_string())
            }
            "plaintext" => tk.mode = Mode::Plaintext,
            _ => {}
        }
        let void = VOID.has(n);
        if FORMATTING.has(n) {
            self.formatting.push(name.clone());
        }
        self.insert(name.clone(), attrs, false);
        if void {
            self.open.pop();
        }
        Ok(())
    }

    fn start_in_table(
        &mut self,
        tk: &mut Tokenizer,
        name: Cow<'a, str>,
        attrs: Attrs<'a>,
        sc: bool,
    ) -> R<()> {
        let n = name.as_ref();
        let cur = self.cur().to_string();
        match n {
            "caption" | "colgroup" if cur == "table" => self.insert(name.clone(), attrs, false),
            "col" if cur == "table" => {
                self.out.push(("colgroup".into(), vec![], false));
                self.out.push((name, attrs, false));
            }
            "tbody" | "thead" | "tfoot" if cur == "table" => {
                self.insert(name.clone(), attrs, false)
            }
            "tbody" | "thead" | "tfoot" => {
                self.open.pop();
                if cur == "tr" {
                    self.open.pop();
                }
                self.insert(name.clone(), attrs, false);
            }
            "tr" => {
                if cur == "table" {
                    self.insert(Cow::Borrowed("tbody"), vec![], false);
                } else if cur == "tr" {
                    self.open.pop();
                }
                self.insert(name.clone(), attrs, false);
            }
            "td" | "th" if cur == "tr" => self.insert(name.clone(), attrs, false),
            "td" | "th" => {
                return Err("Unexpected table cell start tag (td) in the table body phase.".into());
            }
            "style" | "script" | "template" => {
                (tk.mode, tk.last_start) = (Mode::Rawtext, name.to_string());
                self.insert(name.clone(), attrs, false);
            }
            "input"
                if attrs
                    .iter()
                    .any(|(a, v)| a == "type" && v.eq_ignore_ascii_case("hidden")) =>
            {
                self.out.push((name, attrs, false));
            }
            _ => {
                return Err(format!(
                    "Unexpected start tag ({n}) in table context caused voodoo mode."
                ));
            }
        }
        let _ = sc;
        Ok(())
    }

    fn end(&mut self, tk: &mut Tokenizer, name: Cow<'a, str>) -> R<()> {
        let n = name.as_ref();
        if self.in_foreign() {
            for i in (0..self.open.len()).rev() {
                if self.open[i].0.eq_ignore_ascii_case(n) {
                    if i + 1 != self.open.len() {
                        return Err(format!("Unexpected end tag ({n})."));
                    }
                    self.open.truncate(i);
                    tk.cdata_ok = self.in_foreign();
                    return Ok(());
                }
                if !self.open[i].1 {
                    break;
                }
            }
            return Err(unexpected_end(n));
        }
        if self.in_table_mode()
            || (matches!(
                n,
                "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table"
            ) && self.open.iter().any(|(o, _)| o == "table"))
        {
            return self.end_in_table(n);
        }
        match n {
            "br" => Err("Unexpected end tag (br). Treated as br element.".into()),
            "body" | "html" => Err(unexpected_end(n)),
            "p" => {
                if !self.in_scope("p", &["button"]) {
                    return Err(unexpected_end(n));
                }
                self.end_block("p")
            }
            "li" | "dd" | "dt" => {
                let extra: &[&str] = if n == "li" { &["ol", "ul"] } else { &[] };
                if !self.in_scope(n, extra) {
                    return Err(unexpected_end(n));
                }
                self.end_block(n)
            }
            "form" => {
                self.form = false;
                if !self.in_scope(n, &[]) {
                    return Err(unexpected_end(n));
                }
                self.end_block(n)
            }
            _ if HEADINGS.has(n) => {
                if !HEADINGS_L.iter().any(|h| self.in_scope(h, &[])) {
                    return Err(unexpected_end(n));
                }
                self.implied_end("");
                if self.cur() != n {
                    return Err(format!(
                        "End tag ({n}) seen too early. Expected other end tag."
                    ));
                }
                self.open.pop();
                Ok(())
            }
            _ if FORMATTING.has(n) => {
                if !self.formatting.iter().any(|f| f == n) {
                    return self.any_other_end(n);
                }
                if self.cur() != n {
                    return Err(format!(
                        "End tag ({n}) violates step 1, paragraph 3 of the adoption agency algorithm."
                    ));
                }
                self.open.pop();
                if let Some(i) = self.formatting.iter().rposition(|f| f == n) {
                    self.formatting.remove(i);
                }
                Ok(())
            }
            _ if CLOSE_P.has(n)
                || matches!(n, "button" | "applet" | "marquee" | "object" | "select") =>
            {
                if !self.in_scope(n, &[]) {
                    return Err(unexpected_end(n));
                }
                self.end_block(n)
            }
            _ => self.any_other_end(n),
        }
    }

    fn any_other_end(&mut self, n: &str) -> R<()> {
        for i in (0..self.open.len()).rev() {
            let o = self.open[i].0.clone();
            if o == n {
                self.implied_end(n);
                if self.cur() != n {
                    return Err(format!("Unexpected end tag ({n})."));
                }
                self.open.truncate(i);
                return Ok(());
            }
            if SPECIAL.has(o.as_ref()) {
                return Err(unexpected_end(n));
            }
        }
        Err(unexpected_end(n))
    }

    fn end_in_table(&mut self, n: &str) -> R<()> {
        let cur = self.cur().to_string();
        match n {
            "td" | "th" | "caption" | "colgroup" if cur == n => {
                self.open.pop();
                Ok(())
            }
            "tr" | "tbody" | "thead" | "tfoot" | "table" => {
                let Some(i) = self.open.iter().rposition(|(o, _)| o == n) else {
                    return Err(unexpected_end(n));
                };
                if self.open[i + 1..].iter().any(|(o, _)| {
                    !matches!(o.as_ref(), "tr" | "tbody" | "thead" | "tfoot" | "td" | "th")
                }) {
                    return Err(format!(
                        "End tag ({n}) seen too early. Expected other end tag."
                    ));
                }
                self.open.truncate(i);
                Ok(())
            }
            _ => Err(unexpected_end(n)),
        }
    }
}

/// Parse `html` as a fragment; the elements in document order, or the first error.
pub fn parse(html: &str) -> R<Vec<Element<'_>>> {
    let mut tk = Tokenizer::new(html);
    let mut b = Builder {
        open: Vec::new(),
        formatting: Vec::new(),
        out: Vec::new(),
        form: false,
    };
    while let Some(t) = tk.next_token()? {
        match t {
            Token::Start(n, a, sc) => b.start(&mut tk, n, a, sc)?,
            Token::End(n) => b.end(&mut tk, n)?,
            Token::Text(true) if b.in_table_mode() => {
                return Err(
                    "Unexpected non-space characters in table context caused voodoo mode.".into(),
                );
            }
            Token::Doctype => return Err("Unexpected DOCTYPE. Ignored.".into()),
            Token::Text(_) | Token::Comment => {}
        }
    }
    if b.open.iter().any(|(o, f)| *f || !EOF_OK.has(o.as_ref())) {
        return Err("Expected closing tag. Unexpected end of file.".into());
    }
    Ok(b.out)
}
