//! Text and HTML of external entries: plain text from HTML (titles, summaries) and content
//! made safe to republish (sanitised, tracking pixels removed, links made absolute).

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use crate::sanitize::clean_html;

// A tag ends at the first `>` outside a quoted attribute value (`a="x>y"`); a quote that
// does not follow `=` is a stray character, not the start of a value.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<!--.*?-->|<[a-zA-Z/!?](?:=\s*"[^"]*"|=\s*'[^']*'|[^>])*>"#)
        .expect("static regex")
});
// Elements whose text is code or styling, never prose.
static NON_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(script|style|noscript|template)\b[^>]*>.*?</(?:script|style|noscript|template)\s*>")
        .expect("static regex")
});
static IMG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<img\b[^>]*>").expect("static regex"));
static DIMENSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(width|height)\s*[=:]\s*["']?\s*([01])(?:px)?\b"#).expect("static regex")
});

static ANY_DIMENSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(width|height)\s*[=:]").expect("static regex"));

/// Plain text from an HTML fragment: scripts and styles dropped with their text, tags
/// dropped, entities decoded, white space collapsed.
pub fn html_to_text(html: &str) -> String {
    let prose = NON_TEXT.replace_all(html, " ");
    let without_tags = TAG.replace_all(&prose, " ");
    let decoded = decode_entities(&without_tags);
    collapse_space(&decoded)
}

/// Collapses runs of white space into one space and trims.
pub fn collapse_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|i| i + 1);
        if let Some(end) = end.filter(|&e| rest[e..].starts_with(';')) {
            let name = &rest[1..end];
            let decoded = match name.strip_prefix('#') {
                Some(num) => match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                }
                .and_then(char::from_u32)
                .map(String::from),
                None => quick_xml::escape::resolve_html5_entity(name).map(str::to_string),
            };
            if let Some(d) = decoded {
                out.push_str(&d);
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

/// Escapes plain text for HTML and wraps paragraphs (blank-line separated) in `<p>`.
pub fn text_to_html(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", quick_xml::escape::partial_escape(p)))
        .collect()
}

/// Sanitises external HTML for republishing: tracking pixels (images 0 or 1 pixel wide or
/// high) removed, then [`clean_html`] (no scripts, handlers, iframes, `javascript:` URLs;
/// relative URLs resolved against `base`).
pub fn clean_external_html(html: &str, base: Option<&Url>) -> String {
    let without_pixels = IMG.replace_all(html, |caps: &regex::Captures<'_>| {
        let tag = &caps[0];
        if is_pixel(tag) {
            String::new()
        } else {
            tag.to_string()
        }
    });
    clean_html(&without_pixels, base).trim().to_string()
}

fn is_pixel(tag: &str) -> bool {
    // Every width / height given is 0 or 1 pixel, and at least one is given.
    let tiny = DIMENSION.captures_iter(tag).count();
    tiny > 0 && tiny == ANY_DIMENSION.find_iter(tag).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_table() {
        let cases = [
            ("<b>Hi</b> &amp; <i>bye</i>", "Hi & bye"),
            ("a &lt;b&gt; &eacute;&#233;&#xe9;", "a <b> ééé"),
            ("  many \n spaces ", "many spaces"),
            ("AT&T", "AT&T"),
            (r#"<img alt="cat<br />dog" src="x">"#, ""),
            (r#"<a href=http://e.com/">example</a>"#, "example"),
            ("Copper <script>alert(1)</script>rallies", "Copper rallies"),
            ("<STYLE type=\"text/css\">p{}</STYLE>a", "a"),
        ];
        for (input, want) in cases {
            assert_eq!(html_to_text(input), want, "{input}");
        }
    }

    #[test]
    fn removes_tracking_pixels_and_active_content() {
        let base = Url::parse("https://ex.com/a/").unwrap();
        let html = r#"<p onmouseover="x()">Hi<img src="p.gif" width="1" height="1"><img src="big.png" width="600" height="10"><img src="tall.png" width="1" height="600"><img src="t.gif" style="width:1px;height:1px"><script>x</script><iframe src="https://e"></iframe><a href="javascript:x()">j</a></p>"#;
        let clean = clean_external_html(html, Some(&base));
        assert!(
            !clean.contains("p.gif") && !clean.contains("t.gif"),
            "{clean}"
        );
        assert!(clean.contains("https://ex.com/a/big.png"), "{clean}");
        assert!(clean.contains("https://ex.com/a/tall.png"), "{clean}");
        for bad in ["script", "iframe", "javascript", "onmouseover"] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
    }
}
