//! Character-level XML checks: names, characters, references, positions.

/// An XML 1.0 character.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || c == ':'
        || matches!(c, '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{2ff}' | '\u{370}'..='\u{37d}'
            | '\u{37f}'..='\u{1fff}' | '\u{200c}'..='\u{200d}' | '\u{2070}'..='\u{218f}' | '\u{2c00}'..='\u{2fef}'
            | '\u{3001}'..='\u{d7ff}' | '\u{f900}'..='\u{fdcf}' | '\u{fdf0}'..='\u{fffd}' | '\u{10000}'..='\u{effff}')
}

/// An XML name.
pub fn is_name(s: &str) -> bool {
    let mut it = s.chars();
    match it.next() {
        Some(c) if is_name_start(c) => {}
        _ => return false,
    }
    it.all(|c| {
        is_name_start(c)
            || c.is_ascii_digit()
            || c == '-'
            || c == '.'
            || c == '\u{b7}'
            || matches!(c, '\u{300}'..='\u{36f}' | '\u{203f}'..='\u{2040}')
    })
}

/// A namespace-well-formed qualified name (at most one colon, not at an end).
pub fn is_qname(s: &str) -> bool {
    is_name(s) && s.matches(':').count() <= 1 && !s.starts_with(':') && !s.ends_with(':')
}

/// The offset of the first character that is not an XML character.
pub fn bad_char(s: &str) -> Option<usize> {
    s.char_indices()
        .find(|(_, c)| !is_xml_char(*c))
        .map(|(i, _)| i)
}

/// Resolve a character reference body (`#123` or `#x1F`).
pub fn char_ref(body: &str) -> Option<char> {
    let n = if let Some(h) = body.strip_prefix("#x") {
        u32::from_str_radix(h, 16).ok()?
    } else {
        body.strip_prefix('#')?.parse::<u32>().ok()?
    };
    char::from_u32(n).filter(|c| is_xml_char(*c))
}

/// The predefined entities.
pub fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}
