//! Text as every format writes it: stripped of what XML forbids, trimmed, tested for markup,
//! and escaped by the one escaping function of the emitters, [`escape`].

use std::borrow::Cow;
use std::sync::OnceLock;

use memchr::memmem::Finder;

/// Removes what XML 1.0 forbids or discourages in text: C0 control characters other than tab
/// and line feed, DEL and C1 controls, and the non-characters U+FFFE and U+FFFF. A carriage
/// return becomes a line feed (an XML parser would turn it into one anyway). Used on all text
/// of every format, so the three formats carry the same strings. Clean text is borrowed.
pub fn clean_text(text: &str) -> Cow<'_, str> {
    if is_clean(text) {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Cow::Owned(text.chars().filter(|&c| is_allowed_char(c)).collect())
}

/// Whether `text` has nothing [`clean_text`] would change, checked on bytes: no C0 control
/// but tab and newline (so no carriage return) and no DEL, screened 32 bytes at a time
/// without branches (the loop vectorises); no C1 control (`C2 80`–`C2 9F`) and no U+FFFE or
/// U+FFFF (`EF BF BE`, `EF BF BF`), found with `memchr`'s vectorised searches.
fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0x7f);
    let chunks = bytes.chunks_exact(32);
    let rest = chunks.remainder();
    for chunk in chunks {
        if chunk.iter().fold(false, |acc, &b| acc | control(b)) {
            return false;
        }
    }
    if rest.iter().any(|&b| control(b)) {
        return false;
    }
    let c1 =
        memchr::memchr_iter(0xc2, bytes).any(|i| matches!(bytes.get(i + 1), Some(0x80..=0x9f)));
    static SPECIALS: OnceLock<Finder<'static>> = OnceLock::new();
    let specials = SPECIALS.get_or_init(|| Finder::new(b"\xef\xbf"));
    let nonchar =
        (specials.find_iter(bytes)).any(|i| matches!(bytes.get(i + 2), Some(0xbe | 0xbf)));
    !c1 && !nonchar
}

fn is_allowed_char(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    }
}

/// [`clean_text`], then trimmed; `None` when nothing is left. Optional elements with no text
/// are left out rather than written empty.
pub fn non_empty(text: Option<&str>) -> Option<Cow<'_, str>> {
    match clean_text(text?) {
        Cow::Borrowed(t) => Some(t.trim()).filter(|t| !t.is_empty()).map(Cow::Borrowed),
        Cow::Owned(t) => (Some(t.trim()).filter(|t| !t.is_empty())).map(|t| Cow::Owned(t.into())),
    }
}

/// Whether [`non_empty`] would give `None` for `text`: it holds only white space and
/// characters that [`clean_text`] removes. Checked without allocating.
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || !is_allowed_char(c))
}

/// Whether plain text holds something that validators and readers take for HTML: an end tag
/// (`</b>`) or a character reference (`&amp;`, `&#38;`). Plain `<` and `&` (`a < b`, `AT&T`)
/// are not.
pub fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'<' => bytes.get(i + 1) == Some(&b'/') && ends_tag(&bytes[i + 2..]),
        b'&' => is_reference(&bytes[i + 1..]),
        _ => false,
    })
}

/// `rest` starts with a tag name and `>`.
fn ends_tag(rest: &[u8]) -> bool {
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&b'>')
}

/// `rest` starts with `#` or with an entity name followed by `;`.
fn is_reference(rest: &[u8]) -> bool {
    if rest.first() == Some(&b'#') {
        return true;
    }
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&b';')
}

/// Where escaped text goes, which decides how [`escape`] writes the characters it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refs {
    /// XML text: `&`, `<`, `>` and `"` become the hexadecimal
    /// references `&#x26;`, `&#x3C;`, `&#x3E;` and `&#x22;`, the form the RSS Best Practices
    /// Profile recommends for plain text. Validators then take a title such as `a<b` for
    /// text, not markup.
    Xml,
    /// XML attribute values: as [`Refs::Xml`], and tabs and line feeds become `&#x9;` and
    /// `&#xA;`, which an XML reader keeps (it turns literal ones into spaces).
    Attribute,
    /// Plain text that is to stand where HTML is expected (an RSS description, an Atom
    /// `type="html"` text): `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`, the HTML
    /// readers are given.
    Html,
}

/// Escapes `text` for `refs`; text with nothing to escape is borrowed. The only escaping
/// function of the emitters: HTML goes into XML as CDATA sections, and JSON strings are
/// escaped by `serde_json`.
pub fn escape<'a>(text: impl Into<Cow<'a, str>>, refs: Refs) -> Cow<'a, str> {
    let text = text.into();
    let special = |b: u8| match refs {
        Refs::Xml => matches!(b, b'&' | b'<' | b'>' | b'"'),
        Refs::Attribute => matches!(b, b'&' | b'<' | b'>' | b'"' | b'\t' | b'\n'),
        Refs::Html => matches!(b, b'&' | b'<' | b'>'),
    };
    let bytes = text.as_bytes();
    let Some(first) = bytes.iter().position(|&b| special(b)) else {
        return text;
    };
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
    let mut done = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let reference = match (b, refs) {
            (b'&', Refs::Xml | Refs::Attribute) => "&#x26;",
            (b'<', Refs::Xml | Refs::Attribute) => "&#x3C;",
            (b'>', Refs::Xml | Refs::Attribute) => "&#x3E;",
            (b'"', Refs::Xml | Refs::Attribute) => "&#x22;",
            (b'\t', Refs::Attribute) => "&#x9;",
            (b'\n', Refs::Attribute) => "&#xA;",
            (b'&', Refs::Html) => "&amp;",
            (b'<', Refs::Html) => "&lt;",
            (b'>', Refs::Html) => "&gt;",
            _ => continue,
        };
        // Only ASCII bytes are replaced, so `i` is on a character boundary.
        out.push_str(&text[done..i]);
        out.push_str(reference);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_finds_illegal_characters_at_block_edges() {
        for at in [0, 1, 62, 63, 64, 65, 127, 128] {
            for bad in ['\u{1}', '\r', '\u{7f}', '\u{85}', '\u{fffe}', '\u{ffff}'] {
                let mut text: String = "a".repeat(at);
                text.push(bad);
                text.push_str(&"。".repeat(30));
                assert!(!is_clean(&text), "{bad:?} at {at}");
                assert!(!clean_text(&text).contains(bad), "{bad:?} at {at}");
            }
            let fine: String = "a".repeat(at) + "中文,标点,\t\n\u{fffd}\u{ff0c}";
            assert!(is_clean(&fine), "clean text at {at}");
            assert!(matches!(clean_text(&fine), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn clean_text_strips_xml_illegal_characters() {
        assert_eq!(
            clean_text("a\u{0}b\u{8}c\u{1b}d\u{7f}e\u{85}f\u{fffe}g\u{ffff}h"),
            "abcdefgh"
        );
        assert_eq!(clean_text("l1\r\nl2\rl3\tx"), "l1\nl2\nl3\tx");
        assert_eq!(clean_text("中文 ]]> 𝄞"), "中文 ]]> 𝄞");
    }

    #[test]
    fn non_empty_drops_blank_text() {
        assert_eq!(non_empty(Some(" \u{1} \n")), None);
        assert_eq!(non_empty(None), None);
        assert_eq!(non_empty(Some(" x ")).as_deref(), Some("x"));
        assert_eq!(non_empty(Some(" x\u{1} ")).as_deref(), Some("x"));
        assert!(is_blank(" \u{1} \n") && !is_blank(" x "));
    }

    #[test]
    fn markup_is_told_from_plain_comparisons() {
        for plain in ["a < b & c", "AT&T", "x<y", "<3", "R&D", "a &; b", "</ b>"] {
            assert!(!looks_like_markup(plain), "{plain}");
        }
        for markup in ["<b>x</b>", "a &amp; b", "&#38;", "&nbsp;", "x</p>"] {
            assert!(looks_like_markup(markup), "{markup}");
        }
    }

    #[test]
    fn escape_writes_hex_references_in_xml_and_entities_in_html() {
        let text = "中 a<b & \"c\" > d";
        assert_eq!(
            escape(text, Refs::Xml),
            "中 a&#x3C;b &#x26; &#x22;c&#x22; &#x3E; d"
        );
        assert_eq!(escape(text, Refs::Html), "中 a&lt;b &amp; \"c\" &gt; d");
        assert!(matches!(escape("纯文本 'x'", Refs::Xml), Cow::Borrowed(_)));
        assert_eq!(escape("&", Refs::Xml), "&#x26;");
        assert_eq!(escape("", Refs::Html), "");
    }
}
