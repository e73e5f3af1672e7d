//! Textual repairs made before XML parsing: the document type declaration is dropped (so no
//! entity, internal or external, is ever declared, let alone expanded), HTML named entities
//! become characters, unknown entities and stray `&` become literal text, and characters
//! XML forbids are removed. CDATA sections, comments and processing instructions are kept as
//! they are.

use quick_xml::escape::resolve_html5_entity;

/// Repairs `text` as described in the module doc.
pub fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    let mut rest = text;
    while let Some(at) = rest.find(['<', '&']) {
        push_clean(&mut out, &rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            rest = entity(&mut out, rest);
            continue;
        }
        let keep = |end: &str| rest.find(end).map_or(rest.len(), |i| i + end.len());
        let n = if rest.starts_with("<![CDATA[") {
            keep("]]>")
        } else if rest.starts_with("<!--") {
            keep("-->")
        } else if rest.starts_with("<?") {
            keep("?>")
        } else if starts_with_ignore_case(rest, "<!DOCTYPE") {
            rest = &rest[doctype_len(rest)..];
            continue;
        } else {
            1
        };
        push_clean(&mut out, &rest[..n]);
        rest = &rest[n..];
    }
    push_clean(&mut out, rest);
    out
}

/// Handles the `&` at the start of `rest`; returns what follows the reference.
fn entity<'a>(out: &mut String, rest: &'a str) -> &'a str {
    let body = &rest[1..];
    let end = body
        .char_indices()
        .take(40)
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '#' || *c == '_' || *c == '-' || *c == '.'));
    if let Some((len, ';')) = end {
        let name = &body[..len];
        let after = &body[len + 1..];
        if let Some(num) = name.strip_prefix('#') {
            let value = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            // A reference to a character XML forbids is dropped.
            if value.and_then(char::from_u32).is_some_and(allowed) {
                out.push_str(&rest[..len + 2]);
            }
            return after;
        }
        if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
            out.push_str(&rest[..len + 2]);
            return after;
        }
        if let Some(chars) = resolve_html5_entity(name) {
            for c in chars.chars() {
                push_escaped(out, c);
            }
            return after;
        }
    }
    out.push_str("&amp;");
    body
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        c => out.push(c),
    }
}

fn push_clean(out: &mut String, s: &str) {
    // Every character XML forbids is an ASCII control or starts with byte 0xEF (U+FFFE/F).
    let suspect = |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0xEF;
    if !s.as_bytes().iter().any(suspect) || s.chars().all(allowed) {
        out.push_str(s);
    } else {
        out.extend(s.chars().filter(|c| allowed(*c)));
    }
}

/// Whether XML 1.0 allows `c` in a document.
fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The length of a `<!DOCTYPE …>` declaration, internal subset included.
fn doctype_len(s: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return i + 1,
            _ => {}
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_entities_and_ampersands() {
        let cases = [
            ("a & b", "a &amp; b"),
            ("AT&T;", "AT&amp;T;"),
            ("&amp;&lt;&#233;&#xE9;", "&amp;&lt;&#233;&#xE9;"),
            ("&eacute;&nbsp;&hellip;", "é\u{a0}…"),
            ("&bogus; x", "&amp;bogus; x"),
            ("q?a=1&b=2", "q?a=1&amp;b=2"),
            ("<![CDATA[a & b]]>", "<![CDATA[a & b]]>"),
            ("<!-- & -->", "<!-- & -->"),
            ("a\u{1}b&#1;", "ab"),
            ("&lt;&LT;", "&lt;&lt;"),
        ];
        for (input, want) in cases {
            assert_eq!(repair(input), want, "{input}");
        }
    }

    #[test]
    fn drops_doctype_with_internal_subset() {
        let doc = r#"<!DOCTYPE rss [<!ENTITY a "x>y"> <!ENTITY b SYSTEM "file:///etc/passwd">]><rss>&a;&b;</rss>"#;
        assert_eq!(repair(doc), "<rss>&amp;a;&amp;b;</rss>");
    }
}
