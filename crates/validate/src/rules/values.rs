//! Value checks of `validators.py`: what an element's text (or an
//! attribute's value) must look like.

use super::{K, V};
use crate::classes::{C, ids::*};
use crate::engine::base::RDF_NS;
use crate::engine::{Attrs, Cx, Engine, FeedType, Handler};
use crate::log::Log;
use crate::py_regex;
use crate::types::date::{self, Iso, IsoResult, Rfc822};
use crate::types::{email, idna, is_iso639, is_mime, py_float, py_int, py_strip, uri, urljoin};

pub use super::enums::En;

/// `rfc3987.validate`: IRI, checked after IDNA encoding.
pub fn rfc3987(log: &mut dyn Log, value: &str) -> bool {
    rfc3987_with(log, value, &[])
}

fn rfc3987_with(log: &mut dyn Log, value: &str, extra: &[(&'static str, &str)]) -> bool {
    let v = if value.is_empty() {
        value.to_string()
    } else {
        idna::encode(value).unwrap_or_else(|| value.to_string())
    };
    uri::rfc2396(log, &v, false, InvalidIRI, ValidURI, extra)
}

/// `iso639_validate(log, value, element, parent)` on behalf of `h`.
pub fn iso639_log(eng: &mut Engine, h: &mut Handler, value: &str, element: &str, parent: &str) {
    if is_iso639(value) {
        if eng.wants(ValidLanguage) {
            eng.log(
                h,
                ValidLanguage,
                &[("parent", parent), ("element", element)],
            );
        } else {
            h.valid = false;
        }
    } else {
        eng.log(
            h,
            InvalidLanguage,
            &[("parent", parent), ("element", element), ("value", value)],
        );
    }
}

/// Run value check `v` on `value`, reporting as element `el` of `h` (`validate_attribute`).
pub fn check_as(h: &mut Handler, eng: &mut Engine, v: V, el: &str, value: &str) -> bool {
    let name = h.name.clone();
    check_with_parent(h, eng, v, el, &name, value)
}

/// Run value check `v` on `value` as `h` itself does (parent reported: `h`'s parent).
pub fn check_self(h: &mut Handler, eng: &mut Engine, v: V, el: &str, value: &str) -> bool {
    let pn = h.parent_name.clone();
    check_with_parent(h, eng, v, el, &pn, value)
}

fn check_with_parent(
    h: &mut Handler,
    eng: &mut Engine,
    v: V,
    el: &str,
    parent: &str,
    value: &str,
) -> bool {
    let pos = h.at;
    let mut cx = Cx {
        eng,
        el,
        parent,
        pos,
        logged: false,
    };
    let ok = check(&mut cx, v, value, h.at, &h.base);
    h.valid &= !cx.logged;
    ok
}

/// `validate_required_attribute(name, rule)`.
pub fn required_attr(
    h: &mut Handler,
    eng: &mut Engine,
    attrs: &Attrs,
    ns: &str,
    local: &str,
    v: V,
) {
    match attrs.get(ns, local) {
        Some(val) => {
            let el = simplename(ns, local);
            check_as(h, eng, v, &el, val);
        }
        None => {
            let el = simplename(ns, local);
            eng.log(h, MissingAttribute, &[("attr", &el)]);
        }
    }
}

/// `validate_optional_attribute(name, rule)`.
pub fn optional_attr(
    h: &mut Handler,
    eng: &mut Engine,
    attrs: &Attrs,
    ns: &str,
    local: &str,
    v: V,
) {
    if let Some(val) = attrs.get(ns, local) {
        let el = simplename(ns, local);
        check_as(h, eng, v, &el, val);
    }
}

/// `simplename`: `prefix:name` for known namespaces.
pub fn simplename(ns: &str, local: &str) -> String {
    if ns.is_empty() {
        return local.to_string();
    }
    let p = crate::engine::names::prefix_of(ns).unwrap_or(ns);
    format!("{p}:{local}")
}

/// Validate the text of an element handled by value check `v`.
pub fn validate_element(h: &mut Handler, eng: &mut Engine, v: V, attrs: &Attrs) {
    match v {
        V::Unique(list, msg) => return unique(h, eng, list, msg),
        V::RdfResourceUri => {
            if let Some(r) = attrs.get(RDF_NS, "resource") {
                let r = r.to_string();
                check_self(h, eng, V::Rfc2396, &h.name.clone(), &r);
            } else if eng.feed_type == FeedType::Rss1 {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(
                    h,
                    MissingAttribute,
                    &[("parent", &pn), ("element", &n), ("attr", "rdf:resource")],
                );
            }
            return;
        }
        _ => {}
    }
    let value = std::mem::take(&mut h.value);
    let el = h.name.clone();
    check_self(h, eng, v, &el, &value);
    h.value = value;
}

fn unique(h: &mut Handler, eng: &mut Engine, list: &'static str, msg: C) {
    if h.value.is_empty() {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, NotBlank, &[("parent", &pn), ("element", &n)]);
        return;
    }
    let Some(scope) = h.parent.and_then(|p| eng.h(p).parent) else {
        return;
    };
    let v = h.value.clone();
    let s = eng.hm(scope);
    let idx = match s.uniq.iter().position(|(n, _)| *n == list) {
        Some(i) => i,
        None => {
            s.uniq.push((list, Default::default()));
            s.uniq.len() - 1
        }
    };
    if !s.uniq[idx].1.insert(v.clone()) {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, msg, &[("parent", &pn), ("element", &n), ("value", &v)]);
    }
}

fn log_v(cx: &mut Cx, c: C, value: &str) {
    if cx.wants(c) {
        cx.log(c, &[("value", value)]);
    } else {
        cx.logged = true;
    }
}

fn int_check(cx: &mut Cx, value: &str, ok: impl Fn(i128) -> bool, bad: C) -> Option<i128> {
    match py_int(value) {
        Some(t) if ok(t) => {
            log_v(cx, ValidInteger, value);
            Some(t)
        }
        _ => {
            cx.log(bad, &[("value", value)]);
            None
        }
    }
}

/// The check `v` on `value` (element/parent/position come from `cx`).
pub fn check(cx: &mut Cx, v: V, value: &str, line: usize, base: &str) -> bool {
    let attr_name = cx.el.replacen('_', ":", 1);
    match v {
        V::Text | V::Nows | V::Unique(..) | V::RdfResourceUri => true,
        V::NonHtml
        | V::SafeHtml
        | V::NonEmail
        | V::NonBlank
        | V::AddrSpec
        | V::Email
        | V::EmailWithName => check_text(cx, v, value, line, base, &attr_name),
        V::Iso639 | V::Charset | V::MimeType | V::MediaRange | V::Date(_) | V::Rfc822 => {
            check_format(cx, v, value, line, base, &attr_name)
        }
        V::Rfc2396
        | V::Rfc3987
        | V::Rfc2396Full
        | V::Rfc3987Full
        | V::XmlBase
        | V::CanonicalUri
        | V::HttpUrl
        | V::HeisenUri => check_uri(cx, v, value, line, base, &attr_name),
        V::NonNegInt | V::PosInt(_) | V::Integer | V::Float | V::Percent | V::Lat | V::Lon => {
            check_number(cx, v, value, line, base, &attr_name)
        }
        V::YesNo
        | V::TrueFalse
        | V::TrueFalseStrict
        | V::YesNoClean
        | V::Duration
        | V::LengthLimited(_)
        | V::Keywords
        | V::CommaInts
        | V::FormName
        | V::Enum(_) => check_word(cx, v, value, line, base, &attr_name),
        _ => {
            super::misc::check_more(cx, v, value, &attr_name);
            true
        }
    }
}

/// `check` for the text checks.
fn check_text(cx: &mut Cx, v: V, value: &str, line: usize, base: &str, attr_name: &str) -> bool {
    let _ = (line, base, attr_name);
    match v {
        V::NonHtml => nonhtml(cx, value, ContainsHTML, line),
        V::SafeHtml => {
            crate::html::validate(cx, value);
            crate::html::check_abs_urls(cx, value);
        }
        V::NonEmail if email::contains_bracketed_email(value) => {
            cx.log(ContainsEmail, &[]);
        }
        V::NonBlank if value.is_empty() => {
            cx.log(NotBlank, &[]);
        }
        V::AddrSpec => addr_spec(cx, value, value, InvalidAddrSpec),
        V::Email => {
            let addr = email::single_address(value);
            nonhtml(cx, value, ContainsHTML, line);
            addr_spec(cx, &addr, value, InvalidContact);
        }
        V::EmailWithName => {
            let v = match value.strip_prefix("mailto:") {
                Some(r) => percent_decode(r),
                None => value.to_string(),
            };
            if v.find('@').is_some_and(|i| i > 0) && !v.ends_with(')') {
                if v.find(' ').is_some_and(|i| i > 0) {
                    cx.log(EmailFormat, &[]);
                } else {
                    cx.log(MissingRealName, &[]);
                }
            } else {
                return check(cx, V::Email, &v, line, base);
            }
        }
        _ => {}
    }
    true
}

/// `check` for the format checks.
fn check_format(cx: &mut Cx, v: V, value: &str, line: usize, base: &str, attr_name: &str) -> bool {
    let _ = (line, base, attr_name);
    match v {
        V::Iso639 => {
            if is_iso639(value) {
                log_v(cx, ValidLanguage, value);
            } else {
                cx.log(InvalidLanguage, &[("value", value)]);
            }
        }
        V::Charset if encoding_rs::Encoding::for_label(value.trim().as_bytes()).is_none() => {
            cx.log(InvalidEncoding, &[("value", value)]);
        }
        V::MimeType if !is_mime(value) => {
            cx.log(InvalidMIMEType, &[("attr", "type")]);
        }
        V::MediaRange if !py_strip(value).is_empty() => {
            for part in value.split(',') {
                if part.contains(";q=") {
                    cx.log(UndefinedParam, &[("param", "q")]);
                }
                if !is_mime(part.trim()) {
                    cx.log(InvalidMIMEType, &[("attr", "type")]);
                }
            }
        }
        V::Date(kind) => return iso_date(cx, kind, value),
        V::Rfc822 => match date::rfc822(value) {
            Rfc822::Valid => log_v(cx, ValidRFC2822Date, value),
            Rfc822::Implausible => cx.log(ImplausibleDate, &[("value", value)]),
            Rfc822::IncorrectDow(d) => cx.log(IncorrectDOW, &[("value", &d)]),
            Rfc822::Invalid(v) => cx.log(InvalidRFC2822Date, &[("value", &v)]),
            Rfc822::Problematical => cx.log(ProblematicalRFC822Date, &[("value", value)]),
        },
        _ => {}
    }
    true
}

/// `check` for the uri checks.
fn check_uri(cx: &mut Cx, v: V, value: &str, line: usize, base: &str, attr_name: &str) -> bool {
    let _ = (line, base, attr_name);
    match v {
        V::Rfc2396 => return uri::rfc2396(cx, value, false, InvalidLink, ValidURI, &[]),
        V::Rfc3987 => return rfc3987(cx, value),
        V::Rfc2396Full | V::Rfc3987Full => {
            return uri::rfc2396(cx, value, true, InvalidFullLink, ValidURI, &[]);
        }
        V::XmlBase => return xmlbase(cx, value, base, &[]),
        V::CanonicalUri => {
            let stripped = py_strip(value);
            if uri::rfc2396(cx, stripped, true, InvalidFullLink, ValidURI, &[]) {
                let c = uri::canonical(stripped);
                if c.as_deref() != Some(value) {
                    let curi = c.unwrap_or_else(|| "N/A".into());
                    cx.log(NonCanonicalURI, &[("uri", value), ("curi", &curi)]);
                }
                return true;
            }
            return false;
        }
        V::HttpUrl => {
            if email::is_http_host_url(value) && uri::is_full_uri(value) {
                log_v(cx, ValidURLAttribute, value);
            } else {
                cx.log(InvalidURLAttribute, &[("value", value)]);
            }
        }
        V::HeisenUri => {
            if cx.eng.feed_type == FeedType::Atom {
                return rfc3987(cx, value);
            } else if !uri::is_full_uri(value) {
                cx.log(ContainsRelRef, &[]);
            }
        }
        _ => {}
    }
    true
}

/// `check` for the number checks.
fn check_number(cx: &mut Cx, v: V, value: &str, line: usize, base: &str, attr_name: &str) -> bool {
    let _ = (line, base, attr_name);
    match v {
        V::NonNegInt => {
            return int_check(cx, value, |t| t >= 0, InvalidNonNegativeInteger).is_some();
        }
        V::PosInt(max) => match py_int(value) {
            Some(t) if t > 0 && max > 0 && t > max as i128 => {
                cx.log(IntegerOverflow, &[("value", value)])
            }
            Some(t) if t > 0 => log_v(cx, ValidInteger, value),
            _ => cx.log(InvalidPositiveInteger, &[("value", value)]),
        },
        V::Integer if !value.is_empty() => {
            return int_check(cx, value, |_| true, InvalidInteger).is_some();
        }
        V::Float => {
            py_regex!(F, r"\d+\.?\d*$");
            if !F.is_match(value) {
                cx.log(InvalidFloat, &[("attr", attr_name), ("value", value)]);
            }
        }
        V::Percent => match py_float(value) {
            Some(t) if (0.0..=100.0).contains(&t) => log_v(cx, ValidPercentage, value),
            _ => cx.log(InvalidPercentage, &[("value", value)]),
        },
        V::Lat | V::Lon => {
            let lim = if v == V::Lat { 90.0 } else { 180.0 };
            let (ok, bad) = if v == V::Lat {
                (ValidLatitude, InvalidLatitude)
            } else {
                (ValidLongitude, InvalidLongitude)
            };
            match py_float(value) {
                Some(t) if (-lim..=lim).contains(&t) => log_v(cx, ok, value),
                _ => cx.log(bad, &[("value", value)]),
            }
        }
        _ => {}
    }
    true
}

/// `check` for the word checks.
fn check_word(cx: &mut Cx, v: V, value: &str, line: usize, base: &str, attr_name: &str) -> bool {
    let _ = (line, base, attr_name);
    match v {
        V::YesNo if value != "yes" && value != "no" => {
            cx.log(InvalidYesNo, &[("value", value)]);
        }
        V::TrueFalse | V::TrueFalseStrict => {
            let v2 = if v == V::TrueFalse {
                value.to_lowercase()
            } else {
                value.to_string()
            };
            if v2 != "true" && v2 != "false" {
                cx.log(InvalidTrueFalse, &[("value", value)]);
            }
        }
        V::YesNoClean if !matches!(value.to_lowercase().as_str(), "yes" | "no" | "clean") => {
            cx.log(InvalidYesNoClean, &[("value", value)]);
        }
        V::Duration => {
            py_regex!(D, r"\d+(:[0-5][0-9](:[0-5][0-9])?)?$");
            if !D.is_match(value) {
                cx.log(InvalidDuration, &[("value", value)]);
            }
        }
        V::LengthLimited(max) => {
            let n = value.chars().count();
            if n > max {
                cx.log(
                    TooLong,
                    &[("len", &n.to_string()), ("max", &max.to_string())],
                );
            }
            nonhtml(cx, value, ContainsHTML, line);
        }
        V::Keywords if value.contains(' ') && !value.contains(',') => {
            cx.log(InvalidKeywords, &[]);
        }
        V::CommaInts => {
            py_regex!(R, r"\d+(,\s*\d+)*$");
            if !R.is_match(value) {
                cx.log(InvalidCommaSeparatedIntegers, &[]);
            }
        }
        V::FormName => {
            py_regex!(R, r"[a-zA-z][a-zA-z0-9:._]*");
            if !R.is_match(value) {
                cx.log(InvalidFormComponentName, &[("value", value)]);
            }
        }
        V::Enum(en) => {
            let (list, err, ci) = en.spec();
            let v2 = if ci {
                value.to_lowercase()
            } else {
                value.to_string()
            };
            if en == En::QueryRole && v2.contains(':') {
                return true;
            }
            if !list.contains(&v2.as_str()) {
                cx.log(err, &[("attr", attr_name), ("value", &v2)]);
            }
        }
        _ => {}
    }
    true
}

fn addr_spec(cx: &mut Cx, value: &str, shown: &str, bad: C) {
    if email::is_addr_spec(value) {
        log_v(cx, ValidContact, shown);
    } else if email::is_simple_email(value) {
        cx.log(UnknownHost, &[("value", shown)]);
    } else {
        cx.log(bad, &[("value", shown)]);
    }
}

fn iso_date(cx: &mut Cx, kind: Iso, value: &str) -> bool {
    let bad = match kind {
        Iso::W3cdtf => InvalidW3CDTFDate,
        Iso::Rfc3339 => InvalidRFC3339Date,
        _ => InvalidISO8601DateTime,
    };
    match date::iso8601(kind, value) {
        IsoResult::Invalid(v) => {
            cx.log(bad, &[("value", &v)]);
            false
        }
        IsoResult::Valid => {
            log_v(cx, ValidW3CDTFDate, value);
            true
        }
        IsoResult::Implausible => {
            log_v(cx, ValidW3CDTFDate, value);
            cx.log(ImplausibleDate, &[("value", value)]);
            true
        }
        IsoResult::NotDateOnly => {
            log_v(cx, ValidW3CDTFDate, value);
            cx.log(InvalidISO8601Date, &[("value", value)]);
            true
        }
    }
}

/// `xmlbase.validate`: an IRI, and not a reference to the same document.
pub fn xmlbase(cx: &mut Cx, value: &str, elem_base: &str, extra: &[(&'static str, &str)]) -> bool {
    if !rfc3987_with(cx, value, extra) {
        return false;
    }
    let doc = cx.eng.xml_base.clone();
    if !doc.is_empty() && &*doc != elem_base {
        let strip = |s: Option<String>| {
            s.unwrap_or_default()
                .split('#')
                .next()
                .unwrap_or("")
                .to_string()
        };
        let docbase = strip(uri::canonical(&doc));
        let elembase = strip(uri::canonical(elem_base));
        let v = strip(uri::canonical(&urljoin::urljoin(&elembase, value)));
        if v == elembase && elembase != docbase {
            cx.log(SameDocumentReference, &[("value", value)]);
        }
    }
    true
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `nonhtml.validate(message)`: HTML tags or entities in plain text.
pub fn nonhtml(cx: &mut Cx, value: &str, message: C, line: usize) {
    if let Some(tag) = crate::html::first_html_end_tag(value) {
        cx.log(message, &[("value", &tag)]);
        return;
    }
    crate::search_regex!(ENT, r"&(#?\w+)");
    if value.contains('&') && ENT.is_match(value) {
        for c in ENT.captures_iter(value) {
            let v = &c[1];
            if (crate::html::HTML4.binary_search(&v).is_ok()
                || v == "apos"
                || !crate::types::is_alpha(v))
                && !cx.eng.hex_ref_on(line)
            {
                cx.log(message, &[("value", &format!("&{v};"))]);
            }
        }
        return;
    }
    if cx.eng.feed_type == FeedType::Rss2 && (value.contains('&') || value.contains('<')) {
        crate::search_regex!(CD, r"&#[x0-9]|<[/a-zA-Z]");
        if CD.is_match(value)
            && !cx.eng.hex_ref_on(line)
            && cx
                .eng
                .rss_version
                .as_deref()
                .is_some_and(|v| v.starts_with("2."))
        {
            cx.log(CharacterData, &[]);
        }
    }
}

/// A handler for a child that holds `k` only.
pub fn one(k: K) -> Option<Vec<K>> {
    Some(vec![k])
}
