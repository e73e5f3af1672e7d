//! Character encodings (`xmlEncoding.py`): byte order marks, the XML
//! declaration, decoding, and the messages about them.

use crate::classes::{C, ids::*};
use std::borrow::Cow;

/// An encoding message with its position, if known.
pub type EncEvent = (C, Vec<(&'static str, String)>, Option<(u32, u32)>);

/// Encoding found and the decoded text.
pub struct Decoded<'a> {
    /// Name of the encoding used.
    pub encoding: String,
    /// The document as text (without a byte order mark).
    pub text: Cow<'a, str>,
    /// Messages about the encoding.
    pub events: Vec<EncEvent>,
}

fn position(text: &str, idx: usize) -> (u32, u32) {
    let head = &text[..idx.min(text.len())];
    let row = head.matches('\n').count() as u32 + 1;
    let ln = head.rfind('\n').map_or(0, |i| i + 1);
    let mut col = 0u32;
    for c in head[ln..].chars() {
        col = if c == '\t' {
            (col / 8 + 1) * 8
        } else {
            col + 1
        };
    }
    (row, col + 1)
}

/// The encoding named in an XML declaration at the start of `s`, with the position of its value.
fn from_decl(s: &str) -> Option<(String, (u32, u32))> {
    crate::py_regex!(
        ENC,
        r#"<\?xml\s+version\s*=\s*(?:"[-a-zA-Z0-9_.:]+"|'[-a-zA-Z0-9_.:]+')\s+(encoding\s*=\s*(?:"([-A-Za-z0-9._]+)"|'([-A-Za-z0-9._]+)'))"#
    );
    let c = ENC.re().captures(s)?;
    let m = c.get(2).or_else(|| c.get(3))?;
    Some((m.as_str().to_string(), position(s, m.start())))
}

fn latin1(b: &[u8]) -> String {
    b.iter().take(1024).map(|&x| x as char).collect()
}

fn utf16(b: &[u8], le: bool) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .take(512)
        .map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

fn is_common(e: &str) -> bool {
    let u = e.to_uppercase();
    matches!(
        u.as_str(),
        "UTF-8"
            | "UTF-16"
            | "US-ASCII"
            | "ISO-8859-1"
            | "EUC-JP"
            | "ISO-8859-2"
            | "ISO-8859-15"
            | "ISO-8859-7"
            | "KOI8-R"
            | "SHIFT_JIS"
            | "WINDOWS-1250"
            | "WINDOWS-1251"
            | "WINDOWS-1252"
            | "WINDOWS-1254"
            | "WINDOWS-1255"
            | "WINDOWS-1256"
            | "GB18030"
    )
}

#[derive(Clone, Copy)]
enum Codec {
    Utf8,
    Ascii,
    Latin1,
    Utf16(bool),
    Other(&'static encoding_rs::Encoding),
}

fn codec(name: &str) -> Option<Codec> {
    let l = name.to_lowercase().replace('_', "-");
    Some(match l.as_str() {
        "utf-8" | "utf8" | "u8" => Codec::Utf8,
        "us-ascii" | "ascii" | "646" => Codec::Ascii,
        "iso-8859-1" | "latin-1" | "latin1" | "iso8859-1" | "l1" => Codec::Latin1,
        "utf-16" | "utf16" | "utf-16le" => Codec::Utf16(true),
        "utf-16be" => Codec::Utf16(false),
        _ => Codec::Other(encoding_rs::Encoding::for_label(l.as_bytes())?),
    })
}

/// Decode `bytes` as the validator does; `fallback` when nothing is declared.
pub fn decode<'a>(bytes: &'a [u8], fallback: &str) -> Decoded<'a> {
    let mut events: Vec<EncEvent> = Vec::new();
    let sig = &bytes[..bytes.len().min(4)];
    let mut skip = 0;
    let mut bom_utf16: Option<bool> = None;
    let eo: Option<(String, Option<(u32, u32)>)> = if sig.starts_with(&[0xef, 0xbb, 0xbf]) {
        skip = 3;
        match from_decl(&latin1(&bytes[3..])) {
            Some((e, pos)) if e.to_uppercase() != "UTF-8" => {
                let msg = format!(
                    "Document starts with UTF-8 BOM marker but has incompatible declaration of {e}"
                );
                skip = 0;
                events.push((UnicodeError, vec![("exception", msg)], Some(pos)));
                None
            }
            Some((e, pos)) => Some((e, Some(pos))),
            None => Some(("UTF-8".into(), None)),
        }
    } else if sig.starts_with(&[0xff, 0xfe]) || sig.starts_with(&[0xfe, 0xff]) {
        let le = sig[0] == 0xff;
        skip = 2;
        bom_utf16 = Some(le);
        match from_decl(&utf16(&bytes[2..], le)) {
            Some((e, pos))
                if !["UTF-16", "ISO-10646-UCS-2", "CSUNICODE", "UCS-2"]
                    .contains(&e.to_uppercase().as_str()) =>
            {
                let msg = format!(
                    "Document starts with UTF-16 BOM marker but has incompatible declaration of {e}"
                );
                events.push((UnicodeError, vec![("exception", msg)], Some(pos)));
                None
            }
            Some((e, pos)) => Some((e, Some(pos))),
            None => Some(("UTF-16".into(), None)),
        }
    } else if sig == [0x00, 0x3c, 0x00, 0x3f] || sig == [0x3c, 0x00, 0x3f, 0x00] {
        let le = sig[0] == 0x3c;
        bom_utf16 = Some(le);
        from_decl(&utf16(bytes, le)).map(|(e, p)| (e, Some(p)))
    } else if sig == b"<?xm" {
        from_decl(&latin1(bytes)).map(|(e, p)| (e, Some(p)))
    } else {
        None
    };
    let mut encoding = eo.as_ref().map(|(e, _)| e.clone());
    if let Some((e, Some(pos))) = &eo
        && codec(e).is_some()
    {
        if !is_common(e) {
            events.push((ObscureEncoding, vec![("encoding", e.clone())], Some(*pos)));
        } else if !matches!(e.to_uppercase().as_str(), "UTF-8" | "UTF-16") {
            events.push((NonstdEncoding, vec![("encoding", e.clone())], Some(*pos)));
        }
    }
    let pos = eo.as_ref().and_then(|(_, p)| *p);
    let c = match encoding.as_deref() {
        None => {
            events.push((MissingEncoding, vec![], None));
            encoding = Some(fallback.to_string());
            codec(fallback).unwrap_or(Codec::Utf8)
        }
        Some(e) => match codec(e) {
            Some(c) => c,
            None => {
                events.push((UnknownEncoding, vec![("encoding", e.to_string())], pos));
                encoding = Some(fallback.to_string());
                codec(fallback).unwrap_or(Codec::Utf8)
            }
        },
    };
    let c = match (c, bom_utf16) {
        (Codec::Utf16(_), Some(le)) => Codec::Utf16(le),
        (c, _) => c,
    };
    let body = &bytes[skip..];
    let (text, bad): (Cow<'a, str>, Option<usize>) = match c {
        Codec::Utf8 => match std::str::from_utf8(body) {
            Ok(s) => (Cow::Borrowed(s), None),
            Err(e) => (String::from_utf8_lossy(body), Some(e.valid_up_to())),
        },
        Codec::Ascii => match body.iter().position(|b| *b >= 0x80) {
            None => (
                Cow::Borrowed(std::str::from_utf8(body).unwrap_or_default()),
                None,
            ),
            Some(i) => (
                Cow::Owned(
                    body.iter()
                        .map(|&b| if b < 0x80 { b as char } else { '\u{fffd}' })
                        .collect(),
                ),
                Some(i),
            ),
        },
        Codec::Latin1 => (Cow::Owned(body.iter().map(|&b| b as char).collect()), None),
        Codec::Utf16(le) => {
            let enc = if le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let (t, had_errors) = enc.decode_without_bom_handling(body);
            (Cow::Owned(t.into_owned()), had_errors.then_some(0))
        }
        Codec::Other(enc) => {
            let (t, had_errors) = enc.decode_without_bom_handling(body);
            (Cow::Owned(t.into_owned()), had_errors.then_some(0))
        }
    };
    if let Some(at) = bad {
        let msg = format!(
            "'{}' codec can't decode byte at position {at}",
            encoding.as_deref().unwrap_or("")
        );
        let p = position(&text, at);
        events.push((UnicodeError, vec![("exception", msg)], Some(p)));
    }
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Cow::Owned(s) => match s.strip_prefix('\u{feff}') {
            Some(r) => Cow::Owned(r.to_string()),
            None => Cow::Owned(s),
        },
    };
    Decoded {
        encoding: encoding.unwrap_or_else(|| fallback.to_string()),
        text,
        events,
    }
}
