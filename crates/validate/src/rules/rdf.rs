//! RSS 1.0 / 0.90 (RDF) elements (`rdf.py`, parts of `item.py`).

use super::{E, K, V, ext};
use crate::classes::ids::*;
use crate::engine::base::RDF_NS;
use crate::engine::{Attrs, Engine, FeedType, Handler};
use crate::kids;

const NETSCAPE: &str = "http://my.netscape.com/rdf/simple/0.9/";

/// `do_*` of the RDF containers.
pub fn child(_h: &mut Handler, eng: &mut Engine, e: E, key: &str) -> Option<Vec<K>> {
    let d = K::NoDup(DuplicateElement);
    let is090 = eng.default_ns.iter().any(|n| n == NETSCAPE);
    let with_about = |k: K| {
        if is090 {
            kids![k]
        } else {
            kids![k, K::RdfAbout]
        }
    };
    match (e, key) {
        (E::Rdf, "rss090_channel") => {
            eng.default_ns.push(NETSCAPE.into());
            kids![K::E(E::Channel), d]
        }
        (E::Rdf, "channel") => kids![K::RdfAbout, K::E(E::Rss10Channel), d],
        (E::Rdf, "item") => with_about(K::E(E::Rss10Item)),
        (E::Rdf, "textinput") => with_about(K::E(E::TextInput)),
        (E::Rdf, "image") => with_about(K::E(E::Rss10Image)),
        (E::Rdf, "cc_License" | "taxo_topic" | "rdf_Description") => kids![K::Eater],
        (E::Items, "item") => {
            if !eng
                .default_ns
                .iter()
                .any(|n| n == "http://purl.org/net/rss1.1#")
            {
                eng.log_here(
                    UndefinedElement,
                    &[("element", "item"), ("parent", "items")],
                );
            }
            kids![K::E(E::Rss10Item)]
        }
        (E::Items, "rdf_Seq") => {
            if eng
                .default_ns
                .iter()
                .any(|n| n == "http://purl.org/net/rss1.1#")
            {
                eng.log_here(
                    UndefinedElement,
                    &[("element", "rdf:Seq"), ("parent", "items")],
                );
            }
            kids![K::E(E::RdfSeq)]
        }
        (E::RdfSeq, "rdf_li") => kids![K::E(E::RdfLi)],
        (E::ContentItems, "rdf_Bag") => kids![K::E(E::ContentBag), d],
        (E::ContentBag, "rdf_li") => kids![K::E(E::ContentLi)],
        (E::ContentLi, "content_item") => kids![K::E(E::ContentItem)],
        (E::ContentItem, "content_format" | "content_encoding") => {
            kids![K::V(V::RdfResourceUri), d]
        }
        (E::ContentItem, "rdf_value") => kids![K::V(V::Text), d],
        (E::Rdf, _) => None,
        _ => {
            let _ = ext::X::Base;
            None
        }
    }
}

/// `rdf.validate`.
pub fn validate_rdf(h: &mut Handler, eng: &mut Engine) {
    if !h.has("channel") && !h.has("rss090_channel") {
        let n = h.name.replacen('_', ":", 1);
        eng.log(h, MissingElement, &[("parent", &n), ("element", "channel")]);
    }
}

/// `rdfAbout.validate`.
pub fn about_validate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    match attrs.get(RDF_NS, "about") {
        None => {
            let (pn, n) = (h.parent_name.clone(), h.name.clone());
            eng.log(
                h,
                MissingAttribute,
                &[("parent", &pn), ("element", &n), ("attr", "rdf:about")],
            );
        }
        Some(a) => {
            let (a, n) = (a.to_string(), h.name.clone());
            let mut cx = eng.cx_rule(h, &n);
            crate::types::uri::rfc2396(&mut cx, &a, false, InvalidLink, ValidURI, &[]);
            let logged = cx.logged;
            h.valid &= !logged;
        }
    }
}

/// `rdfExtension.setElement` and `startElementNS` checks.
pub fn ext_start(h: &mut Handler, eng: &mut Engine, local: &str, attrs: &Attrs) {
    if local.contains(':') {
        let n = h.name.clone();
        eng.log(h, MissingNamespace, &[("parent", &n), ("element", local)]);
    }
    let _ = attrs;
}

/// `rdfExtension.setElement`: checks made when the handler is created.
pub fn ext_prevalidate(
    h: &mut Handler,
    eng: &mut Engine,
    qname: &str,
    literal: &mut bool,
    attrs: &Attrs,
) {
    if attrs.get(RDF_NS, "parseType") == Some("Literal") {
        *literal = true;
    }
    if *literal {
        return;
    }
    if qname == "http://purl.org/net/rss1.1#" {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, UndefinedElement, &[("parent", &pn), ("element", &n)]);
    }
    if let Some(about) = attrs.get(RDF_NS, "about")
        && !eng.abouts.insert(about.to_string())
    {
        let pn = h.parent_name.clone();
        eng.log(
            h,
            DuplicateValue,
            &[("parent", &pn), ("element", "rdf:about"), ("value", about)],
        );
    }
    let _ = FeedType::Rss1;
}
