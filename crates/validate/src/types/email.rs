//! E-mail address checks (`addr_spec`, `email`, `email_with_name`).

use crate::py_regex;

const DOMAIN: &str =
    r"(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9\-]+\.)+))([A-Z0-9][-A-Z0-9]*)";
const LOCAL: &str = r"([A-Z0-9_\-\+\.'!#$%&\*/=\?\^_`\{\|\}~]+)";

/// `addr_spec.email_re` (case-insensitive, anchored).
pub fn is_addr_spec(v: &str) -> bool {
    py_regex!(EMAIL, &format!("(?i){LOCAL}@{DOMAIN}$"));
    EMAIL.is_match(v)
}

/// `addr_spec.simple_email_re`.
pub fn is_simple_email(v: &str) -> bool {
    py_regex!(SIMPLE, r"[\w._%+-]+@[A-Za-z][\w.-]+$");
    SIMPLE.is_match(v)
}

/// `nonemail.email_re`: an address in angle brackets anywhere in `v`.
pub fn contains_bracketed_email(v: &str) -> bool {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!("(?i)<{LOCAL}@{DOMAIN}>")).unwrap_or_else(|e| panic!("{e}"))
    });
    RE.is_match(v)
}

/// `httpURL.http_re`: `http(s)://` followed by a host name.
pub fn is_http_host_url(v: &str) -> bool {
    py_regex!(HTTP, &format!(r"(?i)(http|https)://{DOMAIN}(?::\d+)?(/|$)"));
    HTTP.is_match(v)
}

/// The address part of `email.utils.getaddresses([value])` when it finds
/// exactly one address, else `value` itself.
pub fn single_address(value: &str) -> String {
    let mut parts = Vec::new();
    let (mut depth_paren, mut in_quote, mut in_angle) = (0i32, false, false);
    let mut start = 0;
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' if depth_paren == 0 => in_quote = !in_quote,
            b'(' if !in_quote => depth_paren += 1,
            b')' if !in_quote && depth_paren > 0 => depth_paren -= 1,
            b'<' if !in_quote && depth_paren == 0 => in_angle = true,
            b'>' if !in_quote && depth_paren == 0 => in_angle = false,
            b',' if !in_quote && depth_paren == 0 && !in_angle => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    let parts: Vec<&str> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
    if parts.len() != 1 {
        return value.to_string();
    }
    let p = parts[0];
    if let (Some(a), Some(b)) = (p.find('<'), p.rfind('>'))
        && a < b
    {
        return p[a + 1..b].trim().to_string();
    }
    let mut out = String::new();
    let mut depth = 0;
    for c in p.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let cases = [
            ("me@example.com", true),
            ("me@example", false),
            ("me.you+x@sub.example.co.uk", true),
            ("not an address", false),
        ];
        for (v, ok) in cases {
            assert_eq!(is_addr_spec(v), ok, "{v}");
        }
        assert_eq!(single_address("me@example.com (Me)"), "me@example.com");
        assert_eq!(single_address("Me <me@example.com>"), "me@example.com");
    }
}
