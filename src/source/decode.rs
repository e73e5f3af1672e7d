//! Turning the bytes of an article file into text ([`crate::decode`]), refusing what is
//! not text at all: empty files and binary files.

use std::path::Path;

use crate::decode::decode;
use crate::error::SourceError;

/// Decodes a text source and refuses what is not text: an empty file, bytes not valid in
/// their encoding (an odd number of UTF-16 bytes, an unpaired surrogate, a broken
/// sequence), or text that looks binary (NUL bytes or many control characters).
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, SourceError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SourceError::invalid(path, None, "the file is empty"));
    }
    let decoded = decode(bytes, None);
    if decoded.malformed {
        let reason = format!(
            "the file is binary, not text (bytes not valid in {})",
            decoded.encoding.name()
        );
        return Err(SourceError::invalid(path, None, reason));
    }
    let text = decoded.text;
    if looks_binary(&text) {
        return Err(SourceError::invalid(
            path,
            None,
            "the file is binary, not text (NUL or control bytes)",
        ));
    }
    Ok(text)
}

/// Whether the first 4,096 characters hold a NUL, or more than one control character in
/// twenty (line breaks, tabs and form feeds aside).
fn looks_binary(text: &str) -> bool {
    let (mut seen, mut controls) = (0usize, 0usize);
    for c in text.chars().take(4096) {
        if c == '\0' {
            return true;
        }
        seen += 1;
        controls += usize::from(c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    }
    controls * 20 > seen.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_and_binary_files() {
        let path = Path::new("x.txt");
        assert!(
            decode_text(path, b"  \n")
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        let binary = [0x7fu8, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0, 0];
        assert!(
            decode_text(path, &binary)
                .unwrap_err()
                .to_string()
                .contains("binary")
        );
    }
}
