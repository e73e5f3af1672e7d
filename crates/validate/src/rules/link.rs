//! `atom:link` (`link.py`): relations, types, languages, `href` and the
//! feed's self link, and the threading attributes.

use super::V;
use super::atom::{LinkInfo, RELS, RFC5005, links};
use super::values::check_self;
use crate::classes::ids::*;
use crate::engine::{Attrs, Engine, Handler};
use crate::types::date::Iso;
use crate::types::urljoin::{urljoin, urlsplit};

/// `link.validate`.
pub fn link_validate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    let mut info = LinkInfo {
        rel: "alternate".into(),
        ..Default::default()
    };
    let p3 = |attr: &'static str| {
        [
            ("parent", pn.to_string()),
            ("element", n.to_string()),
            ("attr", attr.to_string()),
        ]
    };
    let lg = |eng: &mut Engine, h: &mut Handler, c, p: &[(&'static str, String)]| {
        let refs: Vec<(&'static str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        eng.log(h, c, &refs);
    };
    if let Some(rel) = attrs.plain("rel") {
        info.rel = rel
            .strip_prefix("http://www.iana.org/assignments/relation/")
            .unwrap_or(rel)
            .to_string();
        let mut p = p3("rel").to_vec();
        p.push(("value", info.rel.clone()));
        let registered = RELS.contains(&info.rel.as_str())
            || crate::types::idna::encode(&info.rel)
                .is_some_and(|r| crate::types::uri::is_full_uri(&r));
        lg(
            eng,
            h,
            if registered {
                ValidAtomLinkRel
            } else {
                UnregisteredAtomLinkRel
            },
            &p,
        );
        if rel.is_empty() {
            lg(eng, h, AttrNotBlank, &p3("rel"));
        }
        if RFC5005.contains(&info.rel.as_str()) && &*pn == "entry" {
            eng.log(h, FeedHistoryRelInEntry, &[("rel", &info.rel)]);
        }
    }
    if let Some(t) = attrs.plain("type") {
        info.ty = t.to_string();
        let mut p = p3("type").to_vec();
        p.push(("value", t.to_string()));
        let base_t = t.split(';').next().unwrap_or("");
        let c = if !crate::types::is_mime(t) {
            InvalidMIMEType
        } else if info.rel == "self"
            && ![
                "application/atom+xml",
                "application/rss+xml",
                "application/rdf+xml",
            ]
            .contains(&base_t)
        {
            SelfNotAtom
        } else {
            ValidMIMEAttribute
        };
        lg(eng, h, c, &p);
    }
    if let Some(t) = attrs.plain("title") {
        lg(eng, h, ValidTitle, &p3("title"));
        if t.is_empty() {
            lg(eng, h, AttrNotBlank, &p3("title"));
        }
        let t = t.to_string();
        check_self(h, eng, V::NonHtml, &n, &t);
    }
    if let Some(l) = attrs.plain("length") {
        let l = l.to_string();
        check_self(h, eng, V::NonNegInt, "length", &l);
        if l.is_empty() {
            eng.log(h, NotBlank, &[("element", "length")]);
        }
    }
    if let Some(l) = attrs.plain("hreflang") {
        info.hreflang = l.to_string();
        let l = l.to_string();
        super::values::iso639_log(eng, h, &l, "hreflang", &pn);
    }
    match attrs.plain("href") {
        Some(href) => {
            info.href = href.to_string();
            let (href, base) = (href.to_string(), h.base.clone());
            let mut cx = eng.cx(h, "href");
            super::values::xmlbase(&mut cx, &href, &base, &[("attr", "href")]);
            h.valid &= !cx.logged;
            if info.rel == "self" && matches!(&*pn, "feed" | "channel") {
                self_link(h, eng, &href, attrs);
            }
        }
        None => lg(eng, h, MissingHref, &p3("href")),
    }
    const THR: &str = "http://purl.org/syndication/thread/1.0";
    if let Some(c) = attrs.get(THR, "count") {
        if info.rel != "replies" {
            eng.log(
                h,
                UnexpectedAttribute,
                &[("parent", &pn), ("element", &n), ("attribute", "thr:count")],
            );
        }
        let c = c.to_string();
        check_self(h, eng, V::NonNegInt, "thr:count", &c);
    }
    if attrs.get(THR, "when").is_some() {
        eng.log(
            h,
            NoThrWhen,
            &[("parent", &pn), ("element", &n), ("attribute", "thr:when")],
        );
    }
    if let Some(u) = attrs.get(THR, "updated") {
        if info.rel != "replies" {
            eng.log(
                h,
                UnexpectedAttribute,
                &[
                    ("parent", &pn),
                    ("element", &n),
                    ("attribute", "thr:updated"),
                ],
            );
        }
        let u = u.to_string();
        check_self(h, eng, V::Date(Iso::Rfc3339), "thr:updated", &u);
    }
    if let Some(p) = h.parent {
        links(eng.hm(p)).push(info);
    }
}

fn self_link(h: &mut Handler, eng: &mut Engine, href: &str, own: &Attrs) {
    let mut absolute = !urlsplit(href, "").netloc.is_empty();
    if !absolute {
        let mut cur = Some(h.parent);
        if let Some(a) = own.get(crate::engine::base::XML_NS, "base") {
            absolute = !urlsplit(a, "").netloc.is_empty();
        }
        while !absolute {
            let Some(Some(r)) = cur else { break };
            if let Some(b) = eng.stack[r.f]
                .attrs
                .get(crate::engine::base::XML_NS, "base")
            {
                absolute = !urlsplit(b, "").netloc.is_empty();
            }
            cur = Some(eng.h(r).parent);
        }
    }
    if !absolute {
        eng.log(h, RelativeSelf, &[("value", href)]);
    }
    let joined = urljoin(&h.base, href);
    if eng.self_uris.contains(&joined) || joined.split('#').next() == h.base.split('#').next() {
        return;
    }
    let mut v = href.to_string();
    if v.starts_with("http://feeds.feedburner.com/") && v.ends_with("?format=xml") {
        v = v.split('?').next().unwrap_or("").to_string();
    }
    let canon = crate::types::uri::canonical(&v);
    let matches = eng.self_uris.iter().any(|d| {
        crate::types::uri::canonical(d) == canon
            || (d.starts_with("http://feeds.feedburner.com/")
                && d.ends_with("?format=xml")
                && crate::types::uri::canonical(d.split('?').next().unwrap_or("")) == canon)
    });
    if !matches {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(
            h,
            SelfDoesntMatchLocation,
            &[("parent", &pn), ("element", &n)],
        );
        eng.self_uris.push(joined);
    }
}
