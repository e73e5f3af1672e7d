//! Turning a fetched body into UTF-8 text: a byte order mark, then UTF-16/32 recognised from
//! the first bytes, then the HTTP `charset`, then the XML declaration's `encoding`, then valid
//! UTF-8, then a statistical guess. The XML declaration is removed, since it may name an
//! encoding the text no longer has. A body that is UTF-8 already is borrowed, not copied.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::decode::detect;

/// Decodes `bytes` given the `Content-Type` header (if any). Returns the text without BOM or
/// XML declaration, and the encoding used.
pub fn to_utf8<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding) {
    let encoding = choose(bytes, content_type);
    let (text, _) = match Encoding::for_bom(bytes) {
        Some((_, bom_len)) => encoding.decode_without_bom_handling(&bytes[bom_len..]),
        None => encoding.decode_without_bom_handling(bytes),
    };
    let text = match text {
        Cow::Borrowed(t) => Cow::Borrowed(strip_declaration(t)),
        Cow::Owned(t) => match strip_declaration(&t).len() {
            n if n == t.len() => Cow::Owned(t),
            n => Cow::Owned(t[t.len() - n..].to_string()),
        },
    };
    (text, encoding)
}

fn choose(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    // `<?` in UTF-16 without a byte order mark.
    match bytes {
        [0, b'<', 0, b'?', ..] => return UTF_16BE,
        [b'<', 0, b'?', 0, ..] => return UTF_16LE,
        _ => {}
    }
    let ascii_compatible = |e: &&'static Encoding| e.is_ascii_compatible();
    let named = content_type
        .and_then(charset_param)
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .filter(ascii_compatible)
        .or_else(|| {
            declared(bytes)
                .and_then(|c| Encoding::for_label(c.as_bytes()))
                .filter(ascii_compatible)
        });
    if let Some(e) = named {
        // A feed labelled as a legacy encoding but written in UTF-8 is common; valid UTF-8
        // with non-ASCII bytes is very unlikely to be anything else.
        if e != UTF_8 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
            return UTF_8;
        }
        return e;
    }
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        detect(bytes)
    }
}

/// The `charset` parameter of a `Content-Type` header.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
    })
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of `bytes`.
fn declared(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start();
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

fn strip_declaration(text: &str) -> &str {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with("<?xml")
        && trimmed[5..].starts_with(|c: char| c.is_ascii_whitespace() || c == '?')
        && let Some(end) = trimmed.find("?>")
    {
        return &trimmed[end + 2..];
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_order_bom_header_declaration_detector() {
        let gbk = encoding_rs::GBK
            .encode("<?xml version=\"1.0\" encoding=\"gbk\"?><a>铜价</a>")
            .0;
        assert_eq!(to_utf8(&gbk, None).0, "<a>铜价</a>");
        assert_eq!(
            to_utf8(&gbk, Some("text/xml; charset=\"GB2312\"")).0,
            "<a>铜价</a>"
        );
        let undeclared = encoding_rs::GBK
            .encode("<a>中俄元首间“电话外交”已达4次。在新冠肺炎疫情阴影笼罩全球的背景下</a>")
            .0;
        assert!(to_utf8(&undeclared, None).0.contains("电话外交"));
        let utf8_declared_latin1 = "<?xml version='1.0' encoding='iso-8859-1'?><a>é</a>";
        assert_eq!(to_utf8(utf8_declared_latin1.as_bytes(), None).0, "<a>é</a>");
        let latin1 = b"<?xml version='1.0' encoding='windows-1252'?><a>\x93q\x94</a>";
        assert_eq!(to_utf8(latin1, None).0, "<a>\u{201c}q\u{201d}</a>");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é</a>";
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(to_utf8(&be, None).0, "<a>é</a>");
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(to_utf8(&le, None).0, "<a>é</a>");
    }
}
