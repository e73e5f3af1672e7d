//! Cleaning HTML before it reaches a feed reader: ammonia's allow-list, with relative links
//! and image sources made absolute against the entry's URL; and flattening HTML nested too
//! deep for an HTML parser to read in linear time.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use url::Url;

thread_local! {
    /// The base URL of the [`clean_html`] call running on this thread.
    static BASE: RefCell<Option<Url>> = const { RefCell::new(None) };
}

/// Sanitises `html` for republishing: no scripts, styles, event handlers, iframes, forms or
/// `javascript:` URLs; links get `rel="noopener noreferrer"`. Relative URLs are resolved
/// against `base`; without a base they are left as they are. Elements nested deeper than
/// [`MAX_HTML_DEPTH`] are flattened first (see [`flatten_deep`]).
pub fn clean_html(html: &str, base: Option<&Url>) -> String {
    // One builder serves every call (making one builds its allow-lists); the base URL it
    // resolves against is this call's, set for this thread.
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let builder = BUILDER.get_or_init(|| {
        let mut b = base_builder();
        b.url_relative(ammonia::UrlRelative::Custom(Box::new(resolve_relative)));
        b
    });
    let (html, _) = flatten_deep(html, MAX_HTML_DEPTH);
    BASE.with(|b| *b.borrow_mut() = base.cloned());
    let clean = builder.clean(&html).to_string();
    BASE.with(|b| *b.borrow_mut() = None);
    clean
}

/// Resolves a relative URL against this thread's base (see [`clean_html`]).
fn resolve_relative(url: &str) -> Option<Cow<'_, str>> {
    BASE.with(|base| match &*base.borrow() {
        Some(base) => base.join(url).ok().map(|u| Cow::Owned(u.into())),
        None => Some(Cow::Borrowed(url)),
    })
}

fn base_builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "figure",
        "figcaption",
        "picture",
        "source",
        "video",
        "audio",
    ])
    .add_tag_attributes("img", ["src", "srcset", "alt", "title", "width", "height"])
    .add_tag_attributes("source", ["src", "srcset", "type", "media"])
    .add_tag_attributes("video", ["src", "poster", "controls"])
    .add_tag_attributes("audio", ["src", "controls"])
    .add_tag_attributes("td", ["colspan", "rowspan", "align"])
    .add_tag_attributes("th", ["colspan", "rowspan", "align"])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_tags(["input"])
    .url_schemes(["http", "https", "mailto"].into_iter().collect())
    .link_rel(Some("noopener noreferrer"));
    b
}

/// How deep elements may nest in HTML from outside before [`flatten_deep`] flattens them.
/// An HTML parser's tree builder spends time in proportion to the depth on every tag (it
/// searches the open elements for scopes), and so do walks up the parsed tree: a page of
/// 100,000 nested `<div>`s takes a minute to read. Browsers flatten too (Blink at 512).
pub const MAX_HTML_DEPTH: usize = 512;

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose text is not markup: their content runs to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// Elements that a start tag of the same name closes (`<p>a<p>b`, `<li>a<li>b`).
const CLOSED_BY_SAME: &[&str] = &[
    "a", "button", "caption", "colgroup", "dd", "dt", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "nobr", "optgroup", "option", "p", "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th",
    "thead", "tr",
];

/// How many formatting elements (`<b>`, `<font>`, `<a>`…) may be left open at once before
/// [`flatten_deep`] leaves out further ones. A parser reopens every formatting element left
/// open in each block that follows (`<p><b1>…<b400></p>` then 20,000 paragraphs makes eight
/// million elements); it keeps no more than three alike, but any number that differ.
pub const MAX_OPEN_FORMATTING: usize = 16;

/// Formatting elements: those a parser reopens after the block that held them ends.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements whose end closes the formatting elements opened inside them for good.
const FORMATTING_SCOPE: &[&str] = &[
    "applet", "caption", "marquee", "object", "td", "template", "th",
];

/// `html` with the tags of every element nested more than `max_depth` deep removed (their
/// text and their children stay, one level up), and those of formatting elements past
/// [`MAX_OPEN_FORMATTING`] left open; with the number of tags removed. The input itself
/// when nothing nests that deep.
///
/// The nesting is estimated in one linear pass over the tags, before any parser sees them:
/// void elements, comments and the text of `<script>`, `<style>` and kin count for nothing;
/// a `<p>`, `<li>`, `<td>`… closes an open element of its name, as parsers do; an end tag
/// closes the innermost open element of its name, and one that closes nothing is ignored.
/// Formatting elements stay open until their own end tag (or that of the table cell or
/// object around them), as parsers keep them.
pub fn flatten_deep(html: &str, max_depth: usize) -> (Cow<'_, str>, usize) {
    let cuts = deep_tags(html.as_bytes(), max_depth);
    if cuts.is_empty() {
        return (Cow::Borrowed(html), 0);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for cut in &cuts {
        // Every cut starts at `<` and ends after `>`: both are char boundaries.
        out.push_str(html.get(from..cut.start).unwrap_or_default());
        from = cut.end;
    }
    out.push_str(html.get(from..).unwrap_or_default());
    (Cow::Owned(out), cuts.len())
}

/// The open elements met by [`deep_tags`], and the tags it left out.
#[derive(Default)]
struct Nesting {
    /// How deep elements may nest.
    max_depth: usize,
    /// Open elements kept, outermost first; never more than the maximum depth.
    open: Vec<String>,
    /// How many of the open `<svg>` and `<math>` elements, where `/>` closes a tag.
    foreign: usize,
    /// Elements left out (nested too deep) whose end tag has not come yet, by name.
    dropped: HashMap<String, usize>,
    /// The formatting elements left open (name and start tag), one list per table cell or
    /// object around them, outermost first; the first list is the document's.
    formatting: Vec<Vec<(String, Vec<u8>)>>,
    /// Formatting elements left out (too many open) whose end tag has not come yet.
    dropped_formatting: HashMap<String, usize>,
    /// The byte ranges of the tags left out.
    cuts: Vec<Range<usize>>,
}

impl Nesting {
    /// Closes the open elements from position `at` on.
    fn close_from(&mut self, at: usize) {
        for name in self.open.drain(at..) {
            if name == "svg" || name == "math" {
                self.foreign -= 1;
            }
            if FORMATTING_SCOPE.contains(&name.as_str()) && self.formatting.len() > 1 {
                self.formatting.pop();
            }
        }
        if self.open.len() < self.max_depth {
            // Whatever was left out lay inside the elements just closed.
            self.dropped.clear();
        }
    }

    /// Opens the element whose start tag `start_tag` (ending in `/>` when `self_closing`)
    /// lies at `tag`.
    fn start(&mut self, name: String, tag: Range<usize>, start_tag: &[u8], self_closing: bool) {
        if VOID.contains(&name.as_str()) || (self_closing && self.foreign > 0) {
            return;
        }
        let closes_same = CLOSED_BY_SAME.contains(&name.as_str());
        if closes_same && self.dropped.get(&name).is_some_and(|&n| n > 0) {
            // Replaces an element left out at the same depth: left out as well.
            self.cuts.push(tag);
            return;
        }
        if closes_same && let Some(at) = self.open.iter().rposition(|n| *n == name) {
            self.close_from(at);
        }
        if self.open.len() >= self.max_depth {
            self.cuts.push(tag);
            *self.dropped.entry(name).or_default() += 1;
            return;
        }
        if FORMATTING.contains(&name.as_str()) && !self.open_formatting(&name, start_tag) {
            self.cuts.push(tag);
            *self.dropped_formatting.entry(name).or_default() += 1;
            return;
        }
        if FORMATTING_SCOPE.contains(&name.as_str()) {
            self.formatting.push(Vec::new());
        }
        if name == "svg" || name == "math" {
            self.foreign += 1;
        }
        self.open.push(name);
    }

    /// Notes a formatting element opened by `start_tag`; `false` when too many are open.
    fn open_formatting(&mut self, name: &str, start_tag: &[u8]) -> bool {
        if self.formatting.is_empty() {
            self.formatting.push(Vec::new());
        }
        let Some(open) = self.formatting.last_mut() else {
            return false;
        };
        if name == "a"
            && let Some(at) = open.iter().rposition(|(n, _)| n == "a")
        {
            // A link closes the link still open.
            open.remove(at);
        }
        // Of formatting elements alike, a parser keeps the last three.
        let alike: Vec<usize> = (open.iter().enumerate())
            .filter(|(_, (_, tag))| tag.as_slice() == start_tag)
            .map(|(i, _)| i)
            .collect();
        if let [first, _, _, ..] = alike[..] {
            open.remove(first);
        }
        if open.len() >= MAX_OPEN_FORMATTING {
            return false;
        }
        open.push((name.to_string(), start_tag.to_vec()));
        true
    }

    /// Closes what the end tag of `name` at `tag` closes.
    fn end(&mut self, name: &str, tag: Range<usize>) {
        if let Some(n) = self.dropped.get_mut(name).filter(|n| **n > 0) {
            *n -= 1;
            self.cuts.push(tag);
            return;
        }
        if let Some(n) = self.dropped_formatting.get_mut(name).filter(|n| **n > 0) {
            *n -= 1;
            self.cuts.push(tag);
            return;
        }
        if let Some(open) = self.formatting.last_mut()
            && let Some(at) = open.iter().rposition(|(n, _)| n == name)
        {
            open.remove(at);
        }
        if let Some(at) = self.open.iter().rposition(|n| n == name) {
            self.close_from(at);
        }
    }
}

/// The byte ranges of the tags that [`flatten_deep`] removes.
fn deep_tags(b: &[u8], max_depth: usize) -> Vec<Range<usize>> {
    let mut nesting = Nesting {
        max_depth,
        ..Nesting::default()
    };
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', b.get(at..).unwrap_or_default()).map(|i| at + i) {
        let next = b.get(lt + 1).copied();
        let closing = next == Some(b'/');
        let name_at = lt + 1 + usize::from(closing);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            at = match next {
                Some(b'!') if b[lt..].starts_with(b"<!--") => {
                    let body = lt + 4;
                    memchr::memmem::find(&b[body..], b"-->").map_or(b.len(), |i| body + i + 3)
                }
                Some(b'!' | b'?' | b'/') => past(b, lt, b'>'),
                _ => lt + 1,
            };
            continue;
        }
        let name_len = b[name_at..]
            .iter()
            .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            .unwrap_or(b.len() - name_at);
        let name = String::from_utf8_lossy(&b[name_at..name_at + name_len]).to_ascii_lowercase();
        // A tag cut short by the end of the text is no tag: nothing after it can nest.
        let Some((end, self_closing)) = tag_end(b, name_at + name_len) else {
            break;
        };
        at = end;
        if closing {
            nesting.end(&name, lt..end);
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            at = raw_text_end(b, end, &name);
        } else if name == "plaintext" {
            at = b.len();
        }
        nesting.start(name, lt..end, &b[lt..end], self_closing);
    }
    nesting.cuts
}

/// The position just past the first `byte` after `from`, or the end of the text.
fn past(b: &[u8], from: usize, byte: u8) -> usize {
    memchr::memchr(byte, &b[from..]).map_or(b.len(), |i| from + i + 1)
}

/// Where the tag whose attributes start at `from` ends (just past its `>`), and whether it
/// ends in `/>`; `None` when the text ends first. A `>` inside a quoted value ends nothing.
fn tag_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let space = |c: u8| c.is_ascii_whitespace();
    loop {
        while i < b.len() && (space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((i + 1, b[i - 1] == b'/')),
            _ => i += 1,
        }
        while i < b.len() && !(space(b[i]) || matches!(b[i], b'/' | b'>' | b'=')) {
            i += 1;
        }
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        match b.get(i) {
            Some(&quote @ (b'"' | b'\'')) => i = i + 2 + memchr::memchr(quote, &b[i + 1..])?,
            _ => {
                while i < b.len() && !(space(b[i]) || b[i] == b'>') {
                    i += 1;
                }
            }
        }
    }
}

/// Where the text of a `<script>` (or kin) element that starts at `from` ends: at its end
/// tag, or the end of the text.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&b[at..], b"</") {
        let tag = at + i;
        let after = tag + 2 + name.len();
        let named = b
            .get(tag + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if named
            && b.get(after)
                .is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        {
            return tag;
        }
        at = tag + 2;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_javascript_urls() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">a</a><iframe src="https://e.com"></iframe></p>"#;
        let clean = clean_html(dirty, None);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(!clean.contains("iframe"), "{clean}");
        assert!(clean.contains("<p>Hi"), "{clean}");
    }

    #[test]
    fn flattens_only_what_nests_too_deep() {
        let deep = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let rows: &[(&str, usize, &str)] = &[
            ("<b><i>x</i></b>", 2, "<b><i>x</i></b>"),
            ("<b><i><u>x</u></i></b>", 2, "<b><i>x</i></b>"),
            // Paragraphs and list items close their own kind; void elements never open.
            (
                "<p>a<p>b<p>c<br><img src=x>",
                1,
                "<p>a<p>b<p>c<br><img src=x>",
            ),
            (
                "<ul><li>a<li>b</ul><ul><li>c</ul>",
                2,
                "<ul><li>a<li>b</ul><ul><li>c</ul>",
            ),
            // Tags in comments, scripts and quoted attribute values are no tags.
            (
                "<b><!-- <i><i> --><script>'<i><i>'</script><i title='>'>x</i></b>",
                2,
                "<b><!-- <i><i> --><script>'<i><i>'</script><i title='>'>x</i></b>",
            ),
            ("<b><i><u>x</i>y</b>", 2, "<b><i>x</i>y</b>"),
            ("<b><u>x", 1, "<b>x"),
            ("<svg><path/><path/></svg>", 1, "<svg><path/><path/></svg>"),
            ("<b><i", 1, "<b><i"),
        ];
        for (html, depth, want) in rows {
            assert_eq!(flatten_deep(html, *depth).0, *want, "{html}");
        }
        let bold: String = (0..20).map(|i| format!("<b id={i}>")).collect();
        let html = format!("<p>{bold}</p><p>x</b></p>");
        let want = format!(
            "<p>{}</p><p>x</p>",
            &bold[..bold.find("<b id=16>").unwrap_or(0)]
        );
        assert_eq!(flatten_deep(&html, MAX_HTML_DEPTH), (Cow::Owned(want), 5));
        let alike = format!("<p>{}</p>", "<b>".repeat(40));
        assert!(matches!(
            flatten_deep(&alike, MAX_HTML_DEPTH).0,
            Cow::Borrowed(_)
        ));
        let cells = "<table><tr><td><b id=1><b id=2><b id=3><b id=4></td></tr></table>".repeat(9);
        assert!(matches!(
            flatten_deep(&cells, MAX_HTML_DEPTH).0,
            Cow::Borrowed(_)
        ));
        let page = deep(600);
        let (flat, cut) = flatten_deep(&page, MAX_HTML_DEPTH);
        assert_eq!((flat.to_string(), cut), (deep(MAX_HTML_DEPTH), 2 * 88));
        assert!(matches!(
            flatten_deep(&deep(500), MAX_HTML_DEPTH).0,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn makes_relative_links_absolute() {
        let base = Url::parse("https://example.com/news/a.html").unwrap();
        let clean = clean_html(
            r#"<a href="../b.html">b</a><img src="img/1.png">"#,
            Some(&base),
        );
        assert!(
            clean.contains(r#"href="https://example.com/b.html""#),
            "{clean}"
        );
        assert!(
            clean.contains(r#"src="https://example.com/news/img/1.png""#),
            "{clean}"
        );
    }
}
