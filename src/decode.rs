//! Charset detection, shared by every reader of bytes from outside (article files, fetched
//! feeds and pages): byte order marks, then a declared encoding, then UTF-8 if the bytes are
//! valid UTF-8, then a statistical guess (chardetng) for legacy encodings such as
//! GB18030/GBK, Big5 and Shift_JIS.

use encoding_rs::{Encoding, UTF_8};

/// Text decoded from bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte order mark.
    pub text: String,
    /// The encoding it was read in.
    pub encoding: &'static Encoding,
    /// Whether some bytes were not valid in that encoding (each became U+FFFD): an unpaired
    /// surrogate or an odd last byte in UTF-16, a broken sequence elsewhere.
    pub malformed: bool,
}

/// Decodes `bytes`: a BOM wins, then `declared`, then valid UTF-8, then a detected legacy
/// encoding.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Decoded {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None => match (declared, std::str::from_utf8(bytes)) {
            (Some(e), _) => (e, bytes),
            (None, Ok(text)) => {
                return Decoded {
                    text: text.to_owned(),
                    encoding: UTF_8,
                    malformed: false,
                };
            }
            (None, Err(_)) => (detect(bytes), bytes),
        },
    };
    let (text, malformed) = encoding.decode_without_bom_handling(body);
    Decoded {
        text: text.into_owned(),
        encoding,
        malformed,
    }
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
        let plain = decode(CHINESE.as_bytes(), None);
        assert_eq!((plain.text.as_str(), plain.encoding), (CHINESE, UTF_8));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(CHINESE.as_bytes());
        assert_eq!(decode(&bom, None).text, CHINESE);
    }

    #[test]
    fn reads_utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(CHINESE.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le, None).text, CHINESE);
        let mut be = vec![0xFE, 0xFF];
        be.extend(CHINESE.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be, None).text, CHINESE);
    }

    #[test]
    fn detects_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode(CHINESE);
        let Decoded {
            text,
            encoding: enc,
            malformed,
        } = decode(&bytes, None);
        assert_eq!((text.as_str(), malformed), (CHINESE, false));
        assert!(
            enc == encoding_rs::GBK || enc == encoding_rs::GB18030,
            "{}",
            enc.name()
        );
    }

    #[test]
    fn tells_malformed_bytes() {
        // A UTF-16 byte order mark, then an odd number of bytes.
        let odd = decode(
            b"\xff\xfe\x00\x67\x61\x72\x62\x61\x67\x65\x00\x01\x02",
            None,
        );
        assert!(odd.malformed, "{odd:?}");
        // An unpaired surrogate.
        let lone = decode(b"\xff\xfea\x00\x00\xd8b\x00", None);
        assert!(lone.malformed, "{lone:?}");
        assert!(!decode("ok 中文".as_bytes(), None).malformed);
    }
}
