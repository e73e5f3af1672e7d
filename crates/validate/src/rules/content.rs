//! Elements that swallow or hold markup: `eater`, `htmlEater`, `diveater`,
//! `text` children, and Atom text constructs (`content.py`).

use super::{E, K, St};
use crate::classes::ids::*;
use crate::engine::base::{Push, XHTML_NS};
use crate::engine::{Attrs, Engine, FeedType, Handler, Name};
use crate::html::{
    ACCEPTABLE, HTMLTAGS, MATHML_ATTRS, MATHML_ELEMENTS, SVG_ATTRS, SVG_ELEMENTS, check_style,
};
use std::rc::Rc;

fn name(eng: &mut Engine, local: &str) -> Name {
    eng.name(local)
}

/// `eater.startElementNS` checks; returns whether to push.
pub fn eater_start(
    h: &mut Handler,
    eng: &mut Engine,
    local: &str,
    ns: &str,
    attrs: &Attrs,
) -> bool {
    let n = h.name.clone();
    if ns.is_empty() && eng.feed_type == FeedType::Rss2 && n.contains('_') {
        eng.log(
            h,
            NotInANamespace,
            &[("parent", &n), ("element", local), ("namespace", "\"\"")],
        );
    }
    if local.contains(':') {
        eng.log(h, MissingNamespace, &[("parent", &n), ("element", local)]);
    }
    for a in &attrs.0 {
        if super::bad_chars(&a.value)
            && a.value
                .chars()
                .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{fffd}')
        {
            eng.log(
                h,
                BadCharacters,
                &[("parent", local), ("element", &a.local)],
            );
        }
    }
    true
}

fn attr_risks(h: &mut Handler, eng: &mut Engine, attrs: &Attrs, with_names: bool) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    for a in attrs.0.iter().filter(|a| a.ns.is_empty()) {
        let lower = a.local.to_lowercase();
        if (with_names && lower == "style") || (!with_names && a.local == "style") {
            for v in check_style(&a.value) {
                if with_names {
                    eng.log(
                        h,
                        DangerousStyleAttr,
                        &[
                            ("parent", &pn),
                            ("element", &n),
                            ("attr", &a.local),
                            ("value", &v),
                        ],
                    );
                } else {
                    eng.log(h, DangerousStyleAttr, &[("attr", &a.local), ("value", &v)]);
                }
            }
        } else if (with_names && lower.starts_with("on"))
            || (!with_names && a.local.starts_with("on"))
        {
            if with_names {
                eng.log(
                    h,
                    SecurityRiskAttr,
                    &[("parent", &pn), ("element", &n), ("attr", &a.local)],
                );
            } else {
                eng.log(h, SecurityRiskAttr, &[("attr", &a.local)]);
            }
        }
    }
}

/// `htmlEater.startElementNS`.
pub fn html_eater_start(
    h: &mut Handler,
    eng: &mut Engine,
    local: &str,
    attrs: &Attrs,
) -> Option<Push> {
    attr_risks(h, eng, attrs, true);
    if !ACCEPTABLE.contains(&local.to_lowercase().as_str()) {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(
            h,
            SecurityRisk,
            &[("parent", &pn), ("element", &n), ("tag", local)],
        );
    }
    Some(Push {
        kinds: vec![K::HtmlEater],
        name: h.name.clone(),
        append: None,
    })
}

/// `diveater.startElementNS`.
pub fn div_eater_start(
    h: &mut Handler,
    eng: &mut Engine,
    local: &str,
    ns: &str,
    attrs: &Attrs,
) -> Option<Push> {
    if ns.is_empty() {
        eng.log(
            h,
            MissingNamespace,
            &[("parent", "xhtml:div"), ("element", local)],
        );
    } else if ns == XHTML_NS {
        if !HTMLTAGS.contains(&local) {
            eng.log(
                h,
                NotHtml,
                &[("message", "Non-XHTML element"), ("value", local)],
            );
        } else if !ACCEPTABLE.contains(&local) {
            eng.log(h, SecurityRisk, &[("tag", local)]);
        }
        attr_risks(h, eng, attrs, false);
    } else if ns == "http://www.w3.org/2000/svg" || ns == "http://www.w3.org/1998/Math/MathML" {
        let (els, ats) = if ns.ends_with("svg") {
            (SVG_ELEMENTS, SVG_ATTRS)
        } else {
            (MATHML_ELEMENTS, MATHML_ATTRS)
        };
        if !els.contains(&local) {
            eng.log(h, SecurityRisk, &[("tag", local)]);
        }
        for a in attrs.0.iter().filter(|a| a.ns.is_empty()) {
            if !ats.contains(&a.local.as_str()) {
                eng.log(h, SecurityRiskAttr, &[("attr", &a.local)]);
            }
        }
    } else if let Some(p) = crate::engine::names::prefix_of(ns) {
        if &*h.name != "metadata" {
            let n = h.name.clone();
            eng.log(
                h,
                UndefinedElement,
                &[("parent", &n), ("element", &format!("{p}:{local}"))],
            );
        }
        return Some(Push {
            kinds: vec![K::Eater],
            name: name(eng, local),
            append: None,
        });
    }
    h.st = St::N(vec![1]);
    eater_start(h, eng, local, ns, attrs);
    Some(Push {
        kinds: vec![K::DivEater],
        name: name(eng, local),
        append: None,
    })
}

/// `diveater.validate`: unmixed text counts as the parent's text.
pub fn div_eater_validate(h: &mut Handler, eng: &mut Engine) {
    if matches!(h.st, St::N(_)) {
        return;
    }
    if let Some(p) = h.parent {
        let v = h.value.clone();
        eng.hm(p).value.push_str(&v);
    }
}

/// `text.startElementNS`.
pub fn text_start(
    h: &mut Handler,
    eng: &mut Engine,
    local: &str,
    ns: &str,
    _attrs: &Attrs,
) -> Option<Push> {
    if eng.feed_type == FeedType::Rss1 {
        let own = eng.stack[eng.stack.len() - 1].attrs.clone();
        if (!crate::types::py_strip(&h.value).is_empty() || !h.children.is_empty())
            && own.get(crate::engine::base::RDF_NS, "parseType") != Some("Literal")
        {
            eng.log(h, InvalidRDF, &[("message", "mixed content")]);
        }
        let k = if local == "div" && ns == XHTML_NS {
            K::DivEater
        } else {
            K::RdfExtension(Rc::from(ns), false)
        };
        return Some(Push {
            kinds: vec![k],
            name: name(eng, local),
            append: None,
        });
    }
    let n = h.name.clone();
    if local.contains(':') {
        eng.log(h, MissingNamespace, &[("parent", &n), ("element", local)]);
    } else {
        eng.log(h, UndefinedElement, &[("parent", &n), ("element", local)]);
    }
    Some(Push {
        kinds: vec![K::Eater],
        name: name(eng, local),
        append: None,
    })
}

/// Content type of a text construct.
pub fn ctype(h: &Handler) -> &str {
    match &h.st {
        St::S(Some(t)) => t,
        _ => "",
    }
}

fn is_xml_type(t: &str) -> bool {
    t.ends_with("+xml") || t.ends_with("/xml")
}

/// `textConstruct.startElementNS`.
pub fn text_construct_start(
    h: &mut Handler,
    eng: &mut Engine,
    local: &str,
    ns: &str,
    _attrs: &Attrs,
) -> Option<Push> {
    let t = ctype(h).to_string();
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    if t != "xhtml" && !is_xml_type(&t) {
        eng.log(h, UndefinedElement, &[("parent", &n), ("element", local)]);
    }
    let is_div = ns == XHTML_NS && local == "div";
    if t == "xhtml" {
        if !is_div && crate::types::py_strip(&h.value).is_empty() {
            eng.log(h, MissingXhtmlDiv, &[("parent", &pn), ("element", &n)]);
            if local == "div" {
                eng.log(
                    h,
                    NotHtml,
                    &[
                        ("parent", &pn),
                        ("element", &n),
                        ("message", "unexpected namespace"),
                        ("value", ns),
                    ],
                );
            }
        } else if ns != XHTML_NS {
            eng.log(
                h,
                NotHtml,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("message", "unexpected namespace"),
                    ("value", ns),
                ],
            );
        }
    }
    if t == "application/xhtml+xml" {
        if local != "html" {
            let v = h.value.clone();
            eng.log(
                h,
                HtmlFragment,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("value", &v),
                    ("type", &t),
                ],
            );
        } else if ns != XHTML_NS {
            eng.log(
                h,
                NotHtml,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("message", "unexpected namespace"),
                    ("value", ns),
                ],
            );
        }
    }
    if eng.stack[eng.stack.len() - 1].attrs.plain("mode") == Some("escaped") {
        eng.log(h, NotEscaped, &[("parent", &pn), ("element", &n)]);
    }
    h.children.push(eng.empty.clone());
    let k = if is_div { K::DivEater } else { K::Eater };
    Some(Push {
        kinds: vec![k],
        name: name(eng, local),
        append: None,
    })
}

/// `textConstruct.characters`.
pub fn text_construct_chars(h: &mut Handler, eng: &mut Engine, text: &str) {
    if text
        .chars()
        .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{fffd}')
    {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, BadCharacters, &[("parent", &pn), ("element", &n)]);
    }
    if ctype(h) == "xhtml"
        && !crate::types::py_strip(text).is_empty()
        && crate::types::py_strip(&h.value).is_empty()
    {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, MissingXhtmlDiv, &[("parent", &pn), ("element", &n)]);
    }
    super::base_characters(h, eng, text);
}

/// `textConstruct.prevalidate`.
pub fn text_construct_prevalidate(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    let src = attrs.plain("src");
    let mut t = if src.is_some() {
        String::new()
    } else {
        "text".to_string()
    };
    if src.is_none() && eng.feed_type == FeedType::Rss2 && &*n != "atom_summary" {
        eng.log(h, DuplicateDescriptionSemantics, &[("element", &n)]);
    }
    if let Some(ty) = attrs.plain("type") {
        t = ty.to_string();
        if t.is_empty() {
            eng.log(
                h,
                AttrNotBlank,
                &[("parent", &pn), ("element", &n), ("attr", "type")],
            );
        }
    }
    if e == E::Content {
        if t == "multipart/alternative" {
            eng.log(
                h,
                InvalidMIMEType,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("attr", "type"),
                    ("value", &t),
                ],
            );
        }
    } else if t.contains('/') {
        eng.log(
            h,
            InvalidTextType,
            &[
                ("parent", &pn),
                ("element", &n),
                ("attr", "type"),
                ("value", &t),
            ],
        );
    }
    if let Some(src) = src {
        h.children.push(eng.empty.clone());
        let src = src.to_string();
        let mut cx = eng.cx(h, &n);
        crate::types::uri::rfc2396(
            &mut cx,
            &src,
            false,
            InvalidURIAttribute,
            ValidURI,
            &[("attr", "src")],
        );
        let logged = cx.logged;
        h.valid &= !logged;
        if attrs.plain("type").is_none() {
            eng.log(
                h,
                MissingTypeAttr,
                &[("parent", &pn), ("element", &n), ("attr", "type")],
            );
        }
    }
    if matches!(t.as_str(), "text" | "html" | "xhtml") && src.is_none() {
    } else if !t.is_empty() && !crate::types::is_mime(&t) {
        eng.log(
            h,
            InvalidMIMEType,
            &[
                ("parent", &pn),
                ("element", &n),
                ("attr", "type"),
                ("value", &t),
            ],
        );
    } else {
        eng.log(
            h,
            ValidMIMEAttribute,
            &[
                ("parent", &pn),
                ("element", &n),
                ("attr", "type"),
                ("value", &t),
            ],
        );
    }
    if h.lang.is_none() {
        eng.log(
            h,
            MissingDCLanguage,
            &[("parent", &n), ("element", "xml:lang")],
        );
    }
    h.st = St::S(Some(t));
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    if !s.is_ascii() {
        return None;
    }
    let mut vals = Vec::new();
    let mut pad = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            _ => continue,
        };
        if pad > 0 {
            return None;
        }
        vals.push(v);
    }
    let rem = vals.len() % 4;
    if rem == 1 || (rem != 0 && pad < 4 - rem) {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for c in vals.chunks(4) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | ((*v as u32) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..c.len() - 1]);
    }
    Some(out)
}

/// `textConstruct.validate`.
pub fn text_construct_validate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    let mut t = ctype(h).to_string();
    let mut value = h.value.clone();
    let has_src = attrs.plain("src").is_some();
    let line = h.at;
    if t == "text" || t == "xhtml" {
        let msg = if t == "xhtml" {
            NotInline
        } else {
            ContainsUndeclaredHTML
        };
        let mut cx = eng.cx(h, &n);
        super::values::nonhtml(&mut cx, &value, msg, line);
        let logged = cx.logged;
        h.valid &= !logged;
    } else {
        if t.contains('/') && !is_xml_type(&t) && !t.starts_with("text/") {
            match base64_decode(&value) {
                Some(bytes) => {
                    if t.ends_with("/html") {
                        t = "html".into();
                        h.st = St::S(Some(t.clone()));
                        value = String::from_utf8_lossy(&bytes).into_owned();
                    } else {
                        value = if bytes.is_empty() {
                            String::new()
                        } else {
                            "x".into()
                        };
                    }
                }
                None => eng.log(
                    h,
                    NotBase64,
                    &[("parent", &pn), ("element", &n), ("value", &value)],
                ),
            }
        }
        let mut cx = eng.cx(h, &n);
        if t == "html" || t.ends_with("/html") {
            crate::html::validate(&mut cx, &value);
        } else {
            super::values::nonhtml(&mut cx, &value, ContainsUndeclaredHTML, line);
        }
        let logged = cx.logged;
        h.valid &= !logged;
        if t.ends_with("/html") && !value.contains("<html") && !has_src {
            eng.log(
                h,
                HtmlFragment,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("value", &value),
                    ("type", &t),
                ],
            );
        }
    }
    if value.is_empty() && h.children.is_empty() && !has_src {
        eng.log(h, NotBlank, &[("parent", &pn), ("element", &n)]);
    }
}
