//! Charset detection, shared by every reader of bytes from outside (article files, fetched
//! feeds and pages): byte order marks, then a declared encoding, then UTF-8 if the bytes are
//! valid UTF-8, then a statistical guess (chardetng) for legacy encodings such as
//! GB18030/GBK, Big5 and Shift_JIS.

use encoding_rs::{Encoding, UTF_8};
/// Decodes `bytes`: a BOM wins, then `declared`, then valid UTF-8, then a detected legacy
/// encoding. Returns the text (without BOM) and the encoding used.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> (String, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), encoding);
    }
    let encoding = match declared {
        Some(e) => e,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => return (text.to_owned(), UTF_8),
            Err(_) => detect(bytes),
        },
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding)
}

/// Guesses the legacy encoding of bytes that are not UTF-8.
pub fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHINESE: &str =
        "中俄元首间“电话外交”已达4次。在新冠肺炎疫情阴影笼罩全球的背景下,中俄元首互动频繁。";

    #[test]
    fn reads_utf8_with_and_without_bom() {
        let (plain, enc) = decode(CHINESE.as_bytes(), None);
        assert_eq!((plain.as_str(), enc), (CHINESE, UTF_8));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(CHINESE.as_bytes());
        assert_eq!(decode(&bom, None).0, CHINESE);
    }

    #[test]
    fn reads_utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(CHINESE.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le, None).0, CHINESE);
        let mut be = vec![0xFE, 0xFF];
        be.extend(CHINESE.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be, None).0, CHINESE);
    }

    #[test]
    fn detects_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode(CHINESE);
        let (text, enc) = decode(&bytes, None);
        assert_eq!(text, CHINESE);
        assert!(
            enc == encoding_rs::GBK || enc == encoding_rs::GB18030,
            "{}",
            enc.name()
        );
    }
}
