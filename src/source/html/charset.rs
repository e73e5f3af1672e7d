//! Decoding an HTML page: a BOM, then the HTTP `charset` of a fetched page, then a `<meta
//! charset>` or `http-equiv` declaration in the first 2 KiB, then UTF-8, then a guess from
//! the bytes.

use std::path::Path;

use encoding_rs::{Encoding, UTF_8};

use crate::decode;
use crate::diagnostic::Diagnostic;

/// How far into the page a declaration is looked for.
const PRESCAN: usize = 2048;

/// Decodes a page's bytes, with warnings for unknown or wrong declarations. `http` is the
/// `charset` label of the HTTP `Content-Type`, for a fetched page: it comes before the
/// page's own `<meta>`.
pub(super) fn decode_page(
    path: &Path,
    bytes: &[u8],
    http: Option<&str>,
) -> (String, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let from_http = http
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| e.is_ascii_compatible())
        .map(|e| match e != UTF_8 && is_utf8_beyond_ascii(bytes) {
            // A page labelled as a legacy encoding but written in UTF-8 is common.
            true => UTF_8,
            false => e,
        });
    let declared = from_http.or_else(|| declared_encoding(path, bytes, &mut warnings));
    let decode::Decoded { text, encoding, .. } = decode::decode(bytes, declared);
    let replaced = text.chars().filter(|&c| c == '\u{fffd}').count();
    if replaced > 0 {
        warnings.push(Diagnostic::warning(
            path.display(),
            None,
            format!(
                "{replaced} byte sequences are not valid {} and were replaced",
                encoding.name()
            ),
        ));
    }
    (text, warnings)
}

/// The encoding the page's `<meta>` declares, if it names one this reader knows; warnings
/// for an unknown one, and for a legacy one over bytes that are UTF-8.
fn declared_encoding(
    path: &Path,
    bytes: &[u8],
    warnings: &mut Vec<Diagnostic>,
) -> Option<&'static Encoding> {
    let (label, line) = declared_label(bytes)?;
    match Encoding::for_label(label.as_bytes()) {
        // A page that declares UTF-16 but has no BOM is read as UTF-8, as browsers do.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => Some(UTF_8),
        Some(e) if e != UTF_8 && is_utf8_beyond_ascii(bytes) => {
            warnings.push(Diagnostic::warning(
                path.display(),
                Some(line),
                format!("the page declares `{label}` but its bytes are UTF-8; read as UTF-8"),
            ));
            Some(UTF_8)
        }
        Some(e) => Some(e),
        None => {
            warnings.push(Diagnostic::warning(
                path.display(),
                Some(line),
                format!("unknown encoding `{label}` declared; guessed the encoding from the bytes"),
            ));
            None
        }
    }
}

fn is_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// The charset label declared by a `<meta>` tag near the top, with its 1-based line.
fn declared_label(bytes: &[u8]) -> Option<(String, usize)> {
    let head = bytes[..bytes.len().min(PRESCAN)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(start) = find(&head[from..], b"<meta").map(|i| i + from) {
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |i| start + i);
        let tag = &head[start..end];
        if let Some(label) = charset_in(tag) {
            let line = 1 + head[..start].iter().filter(|&&b| b == b'\n').count();
            return Some((label, line));
        }
        from = end;
    }
    None
}

/// The value after `charset=` in one tag's bytes (covers both `charset="gbk"` and
/// `content="text/html; charset=gbk"`).
fn charset_in(tag: &[u8]) -> Option<String> {
    let at = find(tag, b"charset")? + b"charset".len();
    let rest = &tag[at..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let label = String::from_utf8_lossy(&rest[..len]).into_owned();
    (!label.is_empty()).then_some(label)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_declarations() {
        type Row<'a> = (&'a [u8], Option<(&'a str, usize)>);
        let rows: [Row<'_>; 6] = [
            (b"<html><head><meta charset=\"gbk\">", Some(("gbk", 1))),
            (
                b"<head>\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Big5\">",
                Some(("big5", 2)),
            ),
            (b"<meta charset=utf-8/>", Some(("utf-8", 1))),
            (
                b"<meta name=\"x\" content=\"y\"><meta charset='gb2312'>",
                Some(("gb2312", 1)),
            ),
            (b"<meta charset=>", None),
            (b"<p>charset=gbk</p>", None),
        ];
        for (bytes, want) in rows {
            let got = declared_label(bytes);
            assert_eq!(got.as_ref().map(|(l, n)| (l.as_str(), *n)), want);
        }
    }

    #[test]
    fn decodes_gbk_and_warns_on_unknown_labels() {
        let page = "<meta charset=\"gbk\"><p>新华社</p>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let (text, warnings) = decode_page(Path::new("a.html"), &bytes, None);
        assert_eq!((text.as_str(), warnings.len()), (page, 0));
        let (_, warnings) = decode_page(
            Path::new("a.html"),
            b"<meta charset=\"klingon\"><p>x</p>",
            None,
        );
        assert!(warnings[0].message.contains("unknown encoding `klingon`"));
        let (text, warnings) = decode_page(
            Path::new("a.html"),
            "<meta charset=gbk>新华社".as_bytes(),
            None,
        );
        assert_eq!((text.contains("新华社"), warnings.len()), (true, 1));
    }
}
