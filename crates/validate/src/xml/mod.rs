//! Streaming XML reading with quick-xml: namespaces, well-formedness checks
//! in the manner of expat, and events with positions fed to the dispatcher.
//! DTD entities are never expanded.

mod doctype;
pub mod text;

use crate::classes::ids::*;
use crate::engine::base::XML_NS;
use crate::engine::{Attr, Attrs, Engine};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::rc::Rc;
use text::{bad_char, char_ref, is_qname, predefined};

const NETSCAPE_PUBLIC: &str = "-//Netscape Communications//DTD RSS 0.91//EN";

struct State<'t> {
    text: &'t str,
    scopes: Vec<Vec<(String, String)>>,
    depth: usize,
    roots: usize,
    doctype: doctype::Doctype,
    external_dtd: bool,
    abort: bool,
}

/// Parse `text` and feed the dispatcher; logs `SAXError` and stops at the
/// first well-formedness error.
pub fn run(text: &str, eng: &mut Engine) {
    let mut reader = Reader::from_str(text);
    {
        let c = reader.config_mut();
        c.expand_empty_elements = true;
        c.check_end_names = true;
        c.check_comments = true;
        c.trim_text_start = false;
        c.trim_text_end = false;
    }
    let mut st = State {
        text,
        scopes: Vec::new(),
        depth: 0,
        roots: 0,
        doctype: Default::default(),
        external_dtd: false,
        abort: false,
    };
    let mut first = true;
    loop {
        let start = reader.buffer_position() as usize;
        let ev = reader.read_event();
        eng.loc = start;
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => {
                let at = reader.error_position() as usize;
                fail(eng, &mut st, at, &e.to_string());
                return;
            }
        };
        let was_first = first;
        first = false;
        match ev {
            Event::Eof => {
                if st.depth > 0 || st.roots == 0 {
                    fail(eng, &mut st, text.len(), "no element found");
                }
                return;
            }
            Event::Decl(_) => {
                if !was_first || start != 0 {
                    fail(
                        eng,
                        &mut st,
                        start,
                        "XML or text declaration not at start of entity",
                    );
                }
            }
            Event::DocType(d) => {
                let content = d.into_inner();
                st.doctype = doctype::parse(&content);
                if st.depth > 0 || st.roots > 0 {
                    fail(eng, &mut st, start, "syntax error");
                } else {
                    let end = reader.buffer_position() as usize;
                    eng.loc = end;
                    resolve_doctype(eng, &mut st);
                }
            }
            Event::PI(p) => {
                if p.target().eq_ignore_ascii_case("xml") {
                    fail(
                        eng,
                        &mut st,
                        start,
                        "XML or text declaration not at start of entity",
                    );
                }
            }
            Event::Comment(_) => {}
            Event::Start(e) => {
                if st.depth == 0 && st.roots > 0 {
                    fail(eng, &mut st, start, "junk after document element");
                } else {
                    start_tag(eng, &mut st, &e, start);
                }
            }
            Event::End(e) => {
                let qn = e.name();
                let qn: &str = qn.as_ref();
                let local = qn.rsplit(':').next().unwrap_or(qn).to_string();
                eng.end_element(&local);
                st.scopes.pop();
                st.depth = st.depth.saturating_sub(1);
            }
            Event::Text(t) => {
                let raw = t.into_inner();
                chars(eng, &mut st, &raw, start);
            }
            Event::CData(c) => {
                let raw = c.into_inner();
                if st.depth == 0 {
                    fail(eng, &mut st, start, "syntax error");
                } else if let Some(i) = bad_char(&raw) {
                    fail(
                        eng,
                        &mut st,
                        start + 9 + i,
                        "not well-formed (invalid token)",
                    );
                } else {
                    eng.characters(&raw);
                }
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                reference(eng, &mut st, &name, start);
            }
            Event::Empty(_) => {}
        }
        if st.abort {
            return;
        }
    }
}

fn fail(eng: &mut Engine, st: &mut State, at: usize, msg: &str) {
    let at = at.min(st.text.len());
    let l = eng.line_of(at);
    let line_start = st.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let c = st.text[line_start..at].chars().count() as u32 + 1;
    eng.loc = at;
    eng.log_here(
        SAXError,
        &[("exception", &format!("<unknown>:{l}:{}: {msg}", c - 1))],
    );
    st.abort = true;
}

fn resolve_doctype(eng: &mut Engine, st: &mut State) {
    let (public, system) = (st.doctype.public.clone(), st.doctype.system.clone());
    if system.is_none() {
        return;
    }
    st.external_dtd = true;
    match (public.as_deref(), system.as_deref()) {
        (Some(NETSCAPE_PUBLIC), Some("http://my.netscape.com/publish/formats/rss-0.91.dtd")) => {
            eng.log_here(ValidDoctype, &[]);
            eng.log_here(DeprecatedDTD, &[]);
        }
        (Some(NETSCAPE_PUBLIC), Some("http://www.rssboard.org/rss-0.91.dtd")) => {
            eng.log_here(ValidDoctype, &[])
        }
        _ => eng.log_here(ContainsSystemEntity, &[]),
    }
}

fn chars(eng: &mut Engine, st: &mut State, raw: &str, start: usize) {
    if let Some(i) = bad_char(raw) {
        return fail(eng, st, start + i, "not well-formed (invalid token)");
    }
    if st.depth == 0 {
        if !raw.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
            let msg = if st.roots > 0 {
                "junk after document element"
            } else {
                "syntax error"
            };
            fail(eng, st, start, msg);
        }
        return;
    }
    if let Some(i) = memchr::memchr(b']', raw.as_bytes()).and_then(|_| raw.find("]]>")) {
        return fail(eng, st, start + i, "not well-formed (invalid token)");
    }
    if raw.contains('\r') {
        let t = raw.replace("\r\n", "\n").replace('\r', "\n");
        eng.characters(&t);
    } else {
        eng.characters(raw);
    }
}

fn reference(eng: &mut Engine, st: &mut State, name: &str, start: usize) {
    if st.depth == 0 {
        return fail(eng, st, start, "syntax error");
    }
    if name.starts_with('#') {
        match char_ref(name) {
            Some(c) => eng.characters(c.encode_utf8(&mut [0; 4])),
            None => fail(eng, st, start, "reference to invalid character number"),
        }
        return;
    }
    if let Some(c) = predefined(name) {
        eng.characters(c.encode_utf8(&mut [0; 4]));
        return;
    }
    if !text::is_name(name) {
        return fail(eng, st, start, "not well-formed (invalid token)");
    }
    if st.doctype.internal.iter().any(|n| n == name) {
        return;
    }
    if st.doctype.external.iter().any(|n| n == name) {
        eng.log_here(ContainsSystemEntity, &[]);
        return;
    }
    if st.external_dtd {
        if eng.valid_doctype && crate::html::HTML4.binary_search(&name).is_ok() {
            return;
        }
        eng.log_here(UndefinedNamedEntity, &[("value", name)]);
        return;
    }
    fail(eng, st, start, "undefined entity");
}

/// Decode an attribute value: references and white-space normalisation.
fn attr_value(st: &State, raw: &str) -> Result<String, &'static str> {
    if raw.contains('<') {
        return Err("not well-formed (invalid token)");
    }
    if bad_char(raw).is_some() {
        return Err("not well-formed (invalid token)");
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        if c != b'&' {
            if c == b'\r' && rest.as_bytes().get(i + 1) == Some(&b'\n') {
                rest = &rest[i + 1..];
                continue;
            }
            out.push(' ');
            rest = &rest[i + 1..];
            continue;
        }
        let end = rest[i..]
            .find(';')
            .ok_or("not well-formed (invalid token)")?
            + i;
        let name = &rest[i + 1..end];
        if name.starts_with('#') {
            out.push(char_ref(name).ok_or("reference to invalid character number")?);
        } else if let Some(c) = predefined(name) {
            out.push(c);
        } else if !text::is_name(name) {
            return Err("not well-formed (invalid token)");
        } else if st.doctype.external.iter().any(|n| n == name) {
            return Err("reference to external entity in attribute");
        } else if !st.doctype.internal.iter().any(|n| n == name) && !st.external_dtd {
            return Err("undefined entity");
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn resolve(st: &State, prefix: &str) -> Option<String> {
    if prefix == "xml" {
        return Some(XML_NS.to_string());
    }
    for scope in st.scopes.iter().rev() {
        if let Some((_, u)) = scope.iter().rev().find(|(p, _)| p == prefix) {
            return Some(u.clone());
        }
    }
    if prefix.is_empty() {
        Some(String::new())
    } else {
        None
    }
}

fn split(qn: &str) -> (&str, &str) {
    match qn.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", qn),
    }
}

fn start_tag(eng: &mut Engine, st: &mut State, e: &quick_xml::events::BytesStart, start: usize) {
    let qn = e.name();
    let qn: &str = qn.as_ref();
    if !is_qname(qn) {
        return fail(eng, st, start + 1, "not well-formed (invalid token)");
    }
    let mut decls: Vec<(String, String)> = Vec::new();
    let mut raw_attrs: Vec<(String, String)> = Vec::new();
    for a in e.attributes() {
        let a = match a {
            Ok(a) => a,
            Err(err) => {
                let msg = if err.to_string().contains("uplicate") {
                    "duplicate attribute"
                } else {
                    "not well-formed (invalid token)"
                };
                return fail(eng, st, start, msg);
            }
        };
        let key: &str = a.key.as_ref();
        if !is_qname(key) {
            return fail(eng, st, start, "not well-formed (invalid token)");
        }
        let value = match attr_value(st, &a.value) {
            Ok(v) => v,
            Err(m) => return fail(eng, st, start, m),
        };
        if key == "xmlns" {
            decls.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            if value.is_empty() {
                return fail(eng, st, start, "cannot undeclare a prefix");
            }
            if p == "xmlns" || (p == "xml") != (value == XML_NS) {
                return fail(
                    eng,
                    st,
                    start,
                    "reserved prefix (xml) must not be undeclared or bound to another namespace name",
                );
            }
            decls.push((p.to_string(), value));
        } else {
            raw_attrs.push((key.to_string(), value));
        }
    }
    st.scopes.push(decls.clone());
    for (p, u) in &decls {
        let p = if p.is_empty() { None } else { Some(p.as_str()) };
        if eng.start_prefix_mapping(p, u).is_err() {
            st.abort = true;
            return;
        }
    }
    let (prefix, local) = split(qn);
    let Some(ns) = resolve(st, prefix) else {
        return fail(eng, st, start + 1, "unbound prefix");
    };
    let mut attrs = Vec::with_capacity(raw_attrs.len());
    for (k, v) in raw_attrs {
        let (p, l) = split(&k);
        let ans = if p.is_empty() {
            String::new()
        } else {
            match resolve(st, p) {
                Some(u) => u,
                None => return fail(eng, st, start, "unbound prefix"),
            }
        };
        if attrs.iter().any(|a: &Attr| *a.ns == *ans && a.local == l) {
            return fail(eng, st, start, "duplicate attribute");
        }
        attrs.push(Attr {
            ns: Rc::from(ans.as_str()),
            local: l.to_string(),
            value: v,
        });
    }
    if st.depth == 0 {
        st.roots += 1;
    }
    st.depth += 1;
    let attrs = if attrs.is_empty() {
        eng.no_attrs.clone()
    } else {
        Rc::new(Attrs(attrs))
    };
    eng.start_element(&ns, local, attrs);
}
