//! HTML inside feeds: the validator's `HTMLValidator` (unsafe elements and
//! attributes, invalid markup), `checkStyle`, relative references in escaped
//! HTML and the "contains HTML" heuristics of plain-text elements.

mod entities;
mod lists;
mod tokenizer;
mod tree;

use crate::classes::ids::*;
use crate::log::Log;
use crate::py_regex;
use crate::types::uri::{is_uri_char, py_repr_char};

pub use entities::HTML4;
pub use lists::{ACCEPTABLE, HTMLTAGS, MATHML_ATTRS, MATHML_ELEMENTS, SVG_ATTRS, SVG_ELEMENTS};
use lists::{CSS_KEYWORDS, CSS_PROPS};

crate::str_set!(HTMLTAG_SET, HTMLTAGS);
crate::str_set!(ACCEPTABLE_SET, ACCEPTABLE);

/// Whether `tag` (lower case) is an HTML tag the validator knows.
pub fn is_html_tag(tag: &str) -> bool {
    HTMLTAG_SET.has(tag)
}

/// Whether `tag` (lower case) is considered safe.
pub fn is_acceptable(tag: &str) -> bool {
    ACCEPTABLE_SET.has(tag)
}

/// `checkStyle`: the unsafe parts of a `style` attribute.
pub fn check_style(style: &str) -> Vec<String> {
    py_regex!(
        SHAPE,
        r#"([:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$"#
    );
    py_regex!(DECLS, r"(\s*[-\w]+\s*:\s*[^:;]*(;|$))*$");
    static PROP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"([-\w]+)\s*:\s*([^:;]*)").unwrap_or_else(|e| panic!("{e}"))
    });
    py_regex!(
        VALUE,
        r"(#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d?\.?\d?\d(cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$"
    );
    if !SHAPE.is_match(style) || !DECLS.is_match(style) {
        return vec![style.to_string()];
    }
    let mut unsafe_parts: Vec<String> = Vec::new();
    let lower = style.to_lowercase();
    for c in PROP.captures_iter(&lower) {
        let (prop, value) = (&c[1], &c[2]);
        if !CSS_PROPS.contains(&prop) {
            if !unsafe_parts.iter().any(|u| u == prop) {
                unsafe_parts.push(prop.to_string());
            }
        } else if matches!(
            prop.split('-').next(),
            Some("background" | "border" | "margin" | "padding")
        ) {
            for kw in value.split_whitespace() {
                if !CSS_KEYWORDS.contains(&kw)
                    && !VALUE.is_match(kw)
                    && !unsafe_parts.iter().any(|u| u == kw)
                {
                    unsafe_parts.push(kw.to_string());
                }
            }
        }
    }
    unsafe_parts
}

/// `HTMLValidator(value, element)`: parse escaped HTML and report unsafe or invalid markup.
pub fn validate(log: &mut dyn Log, value: &str) {
    if value.match_indices("<?").any(|(i, _)| {
        value.as_bytes()[i + 2..]
            .get(..7)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"import "))
    }) {
        log.log(SecurityRisk, &[("tag", "?import")]);
    }
    match tree::parse(value) {
        Err(msg) => log.log(NotHtml, &[("message", "Invalid HTML"), ("value", &msg)]),
        Ok(elements) => {
            if log.wants(ValidHtml) {
                log.log(ValidHtml, &[]);
            }
            for (tag, attrs, _) in elements {
                let lower = tag.to_lowercase();
                if !is_html_tag(&lower) {
                    log.log(NotHtml, &[("value", &tag), ("message", "Non-html tag")]);
                } else if !is_acceptable(&lower) {
                    log.log(SecurityRisk, &[("tag", &tag)]);
                } else {
                    for (name, v) in &attrs {
                        let n = name.to_lowercase();
                        if n == "style" {
                            for evil in check_style(v) {
                                log.log(DangerousStyleAttr, &[("attr", "style"), ("value", &evil)]);
                            }
                        } else if n.starts_with("on") {
                            log.log(SecurityRiskAttr, &[("attr", name)]);
                        }
                    }
                }
            }
        }
    }
}

/// `decodehtml`: decode numeric and HTML 4 named references.
fn decode_html(data: &str) -> String {
    static REF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"&#?(\w+);").unwrap_or_else(|e| panic!("{e}"))
    });
    REF.replace_all(data, |c: &regex::Captures| {
        let name = &c[1];
        if crate::types::is_digits(name) {
            name.parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        } else if let Some(c) = [("amp", "&"), ("lt", "<"), ("gt", ">"), ("quot", "\"")]
            .iter()
            .find(|(n, _)| *n == name)
        {
            c.1.into()
        } else if HTML4.binary_search(&name).is_ok() {
            "\u{fffd}".into()
        } else {
            format!("&{name};")
        }
    })
    .into_owned()
}

fn ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The value matched by `(?:"(.*?)"|'(.*?)'|([\w-]+))[\s>]` at the start of `s`.
fn quoted_ref(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    match b.first()? {
        q @ (b'"' | b'\'') => {
            let mut i = 1;
            while i < b.len() && b[i] != b'\n' {
                if b[i] == *q && b.get(i + 1).is_some_and(|c| ws(*c) || *c == b'>') {
                    return Some(&s[1..i]);
                }
                i += 1;
            }
            None
        }
        _ => {
            let end = s
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(s.len());
            (end > 0 && b.get(end).is_some_and(|c| ws(*c) || *c == b'>')).then(|| &s[..end])
        }
    }
}

fn starts_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

/// The references `img_re` and `anchor_re` of `absUrlMixin` find, images first.
fn refs(value: &str) -> Vec<&str> {
    let (mut imgs, mut anchors) = (Vec::new(), Vec::new());
    for (i, _) in value.match_indices('<') {
        let rest = &value[i + 1..];
        if starts_ci(rest, "img") && rest.as_bytes().get(3).is_some_and(|c| ws(*c)) {
            let body = &rest[3..];
            let tag = &body[..body.find('>').unwrap_or(body.len())];
            let found = tag
                .char_indices()
                .rev()
                .filter(|(j, _)| *j > 0 && starts_ci(&tag[*j..], "src="))
                .find_map(|(j, _)| quoted_ref(&body[j + 4..]));
            imgs.extend(found);
        } else if starts_ci(rest, "a") && rest.as_bytes().get(1).is_some_and(|c| ws(*c)) {
            let t = rest[1..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            if starts_ci(t, "href=") {
                anchors.extend(quoted_ref(&t[5..]));
            }
        }
    }
    imgs.extend(anchors);
    imgs
}

/// `absUrlMixin.validateAbsUrl`: relative `href`/`src` in escaped HTML.
pub fn check_abs_urls(log: &mut dyn Log, value: &str) {
    py_regex!(ABS, r"\w+:");
    if !value.contains('<') {
        return;
    }
    for r in refs(value) {
        let r = decode_html(r);
        let r = crate::types::py_strip(&r);
        if ABS.is_match(r) {
            continue;
        }
        if let Some(ch) = r.chars().find(|c| c.is_ascii() && !is_uri_char(*c)) {
            log.log(InvalidUriChar, &[("value", r), ("char", &py_repr_char(ch))]);
        } else {
            log.log(ContainsRelRef, &[("value", r)]);
        }
    }
}

/// `htmlEndTag_re` of `nonhtml`: the first `</tag>` naming an HTML tag.
pub fn first_html_end_tag(value: &str) -> Option<String> {
    static END: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"</(\w+)>").unwrap_or_else(|e| panic!("{e}"))
    });
    if !value.contains("</") {
        return None;
    }
    END.captures_iter(value)
        .map(|c| c[1].to_string())
        .find(|t| is_html_tag(&t.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_as_html5lib() {
        let cases = [
            ("<a href=\"x?a=1&b=2\">x</a>", false),
            ("<p>foo", true),
            ("<b>foo", false),
            ("a &copy2020 b", false),
            ("a & b", true),
            ("<p>a</p><p>b", true),
            ("<div><b></div>", false),
            ("<img src=x>", true),
            ("<br/>", true),
            ("<div/>", false),
            ("</p>", false),
            ("<table><tr><td>x</td></tr></table>", true),
            ("x<!-- c -->", true),
            ("<ul><li>a<li>b</ul>", true),
            ("<p>a<div>b</div>", true),
            ("a &foo; b", false),
            ("<a><a>", false),
            ("<span>x", false),
            ("<script>if (a < b) x();</script>", true),
        ];
        for (html, ok) in cases {
            assert_eq!(
                tree::parse(html).is_ok(),
                ok,
                "{html}: {:?}",
                tree::parse(html)
            );
        }
    }

    #[test]
    fn style_checks() {
        assert!(check_style("color: red; font-weight: bold").is_empty());
        assert_eq!(
            check_style("background: url(javascript:alert(1))"),
            vec!["background: url(javascript:alert(1))"]
        );
        assert_eq!(check_style("position: absolute"), vec!["position"]);
    }
}
