//! Text constructs (titles, summaries, content) as feedparser types them: the `type`
//! attribute mapped onto a media type (`text` → `text/plain`, `html` → `text/html`,
//! `xhtml` → `application/xhtml+xml`), base64 decoded where Atom says so, and plain text
//! outside Atom taken as HTML when it looks like HTML.

use std::sync::LazyLock;

use regex::Regex;

/// How a text construct is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// The media type, lowercase.
    pub mime: String,
    /// Whether the text is base64 (Atom 0.3 `mode="base64"`, or a type neither text nor XML).
    pub base64: bool,
}

impl Params {
    /// The params of an element with `type` and `mode` attributes, `default` its type when
    /// it has none.
    pub fn new(type_attr: Option<&str>, mode: Option<&str>, default: &str) -> Self {
        let mime = map_type(type_attr.unwrap_or(default));
        let base64 = mode == Some("base64")
            || !(mime.starts_with("text/") || mime.ends_with("+xml") || mime.ends_with("/xml"));
        Params { mime, base64 }
    }

    /// Whether the type ends with `xml` (markup inside is kept as markup).
    pub fn is_xml(&self) -> bool {
        self.mime.ends_with("xml")
    }

    /// Whether the value is HTML (`text/html` or XHTML).
    pub fn is_html(&self) -> bool {
        matches!(self.mime.as_str(), "text/html" | "application/xhtml+xml")
    }

    /// Inline markup in a type that is not XML: it is XHTML after all.
    pub fn make_xhtml(&mut self) {
        self.mime = "application/xhtml+xml".into();
    }
}

/// A text construct's value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextValue {
    /// The text, trimmed, base64 decoded.
    pub value: String,
    /// Whether it is HTML rather than plain text.
    pub html: bool,
}

fn map_type(t: &str) -> String {
    match t.trim().to_lowercase().as_str() {
        "text" | "plain" => "text/plain".into(),
        "html" => "text/html".into(),
        "xhtml" => "application/xhtml+xml".into(),
        other => other.to_string(),
    }
}

/// Finishes a captured text: trims it, decodes base64, and outside Atom (`atom` false)
/// takes plain text that looks like HTML as HTML.
pub fn finish(mut raw: String, params: &Params, atom: bool) -> TextValue {
    trim_in_place(&mut raw);
    if params.base64
        && let Some(decoded) = decode_base64(&raw)
    {
        raw = decoded;
    }
    let html = params.is_html() || (!atom && params.mime == "text/plain" && looks_like_html(&raw));
    TextValue { value: raw, html }
}

fn trim_in_place(s: &mut String) {
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    if start > 0 {
        s.drain(..start);
    }
}

fn decode_base64(text: &str) -> Option<String> {
    use base64::Engine;
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// The elements feedparser's sanitizer accepts: text whose tags are all among them may be
/// HTML.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datagrid",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "event",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "m",
    "map",
    "menu",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "noscript",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "pre",
    "progress",
    "q",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "sound",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
];

static CLOSE_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</\w+>").expect("regex"));
static ANY_ENTITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"&#?\w+;").expect("regex"));
static TAG_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?(\w+)").expect("regex"));
static NAMED_ENTITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"&(\w+);").expect("regex"));

/// feedparser's guess that nominally plain text is HTML: it has a close tag or an entity,
/// every tag is an HTML element and every entity an HTML entity.
pub fn looks_like_html(s: &str) -> bool {
    if !(CLOSE_TAG.is_match(s) || ANY_ENTITY.is_match(s)) {
        return false;
    }
    let tags_ok = TAG_NAME
        .captures_iter(s)
        .all(|c| HTML_ELEMENTS.contains(&c[1].to_lowercase().as_str()));
    let entities_ok = NAMED_ENTITY
        .captures_iter(s)
        .all(|c| quick_xml::escape::resolve_html5_entity(&c[1]).is_some());
    tags_ok && entities_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_table() {
        let rows = [
            (None, None, "text/plain", "text/plain", false),
            (Some("html"), None, "text/plain", "text/html", false),
            (
                Some("XHTML"),
                None,
                "text/plain",
                "application/xhtml+xml",
                false,
            ),
            (
                Some("text"),
                Some("base64"),
                "text/plain",
                "text/plain",
                true,
            ),
            (
                Some("application/octet-stream"),
                None,
                "text/plain",
                "application/octet-stream",
                true,
            ),
            (
                Some("application/xml"),
                None,
                "text/plain",
                "application/xml",
                false,
            ),
            (None, None, "text/html", "text/html", false),
        ];
        for (ty, mode, default, mime, base64) in rows {
            let p = Params::new(ty, mode, default);
            assert_eq!(
                (p.mime.as_str(), p.base64),
                (mime, base64),
                "{ty:?} {mode:?}"
            );
        }
    }

    #[test]
    fn finish_table() {
        let plain = Params::new(None, None, "text/plain");
        let b64 = Params::new(Some("application/octet-stream"), None, "text/plain");
        let rows = [
            (" a <b>b</b> ", &plain, false, "a <b>b</b>", true),
            ("a <b>b</b>", &plain, true, "a <b>b</b>", false),
            (
                "History of the <blink> tag",
                &plain,
                false,
                "History of the <blink> tag",
                false,
            ),
            ("A &amp; B", &plain, false, "A &amp; B", true),
            ("A & B", &plain, false, "A & B", false),
            ("a &bogus; b", &plain, false, "a &bogus; b", false),
            (
                " RXhhbXBsZSA8Yj5BdG9tPC9iPg==\n",
                &b64,
                true,
                "Example <b>Atom</b>",
                false,
            ),
            ("not base64!", &b64, true, "not base64!", false),
        ];
        for (raw, params, atom, value, html) in rows {
            let got = finish(raw.to_string(), params, atom);
            assert_eq!((got.value.as_str(), got.html), (value, html), "{raw}");
        }
    }
}
