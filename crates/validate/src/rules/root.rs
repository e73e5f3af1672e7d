//! The document root (`root.py`): which vocabulary the first element opens.

use super::{E, K};
use crate::classes::ids::*;
use crate::engine::base::{ATOM_NS, Push, default_start_child};
use crate::engine::{Attrs, Engine, FeedType, HRef, Handler};
use crate::kids;

const PIE: &str = "http://purl.org/atom/ns#";
const RSS11: &str = "http://purl.org/net/rss1.1#";

/// `root.startElementNS`.
pub fn root_start(
    h: &mut Handler,
    eng: &mut Engine,
    me: HRef,
    local: &str,
    ns: &str,
    attrs: &Attrs,
) -> Option<Push> {
    if local == "rss" && !ns.is_empty() {
        eng.log(
            h,
            InvalidNamespace,
            &[("parent", "root"), ("element", local), ("namespace", ns)],
        );
        eng.default_ns.push(ns.to_string());
    }
    if local == "feed" || local == "entry" {
        for p in ["atom", "xhtml"] {
            if h.ns.iter().any(|(x, _)| x == p) {
                eng.log(h, AvoidNamespacePrefix, &[("prefix", p)]);
            }
        }
        if ns == PIE {
            eng.log(h, ObsoleteNamespace, &[("element", "feed")]);
            eng.default_ns.push(PIE.into());
            eng.feed_type = FeedType::Atom;
        } else if ns.is_empty() {
            eng.log(
                h,
                MissingNamespace,
                &[("parent", "root"), ("element", local)],
            );
        } else {
            eng.feed_type = if local == "feed" {
                FeedType::Atom
            } else {
                FeedType::AtomEntry
            };
            eng.default_ns.push(ATOM_NS.into());
            if ns != ATOM_NS {
                eng.log(
                    h,
                    InvalidNamespace,
                    &[("parent", "root"), ("element", local), ("namespace", ns)],
                );
                eng.default_ns.push(ns.to_string());
            }
        }
    }
    if local == "Channel" {
        if ns.is_empty() {
            eng.log(
                h,
                MissingNamespace,
                &[("parent", "root"), ("element", local)],
            );
        } else if ns != RSS11 {
            eng.log(
                h,
                InvalidNamespace,
                &[("parent", "root"), ("element", local), ("namespace", ns)],
            );
        } else {
            eng.default_ns.push(ns.to_string());
            eng.feed_type = FeedType::Rss1;
        }
    }
    if matches!(local, "kml" | "XRDS" | "OpenSearchDescription" | "opml") {
        eng.feed_type = FeedType::Other;
        eng.default_ns.push(ns.to_string());
    }
    default_start_child(h, eng, me, local, ns, attrs)
}

/// `root.unknown_starttag` (its logging).
pub fn root_unknown(h: &mut Handler, eng: &mut Engine, local: &str, qname: &str) {
    if qname == "http://example.com/newformat#" || qname == PIE {
        eng.log(
            h,
            ObsoleteNamespace,
            &[("element", local), ("namespace", qname)],
        );
    } else if local == "feed" {
        eng.log(
            h,
            InvalidNamespace,
            &[("element", local), ("namespace", qname)],
        );
    } else {
        eng.log(
            h,
            UndefinedElement,
            &[("parent", "root"), ("element", local)],
        );
    }
}

/// `do_*` of `root`.
pub fn root_child(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    match key {
        "rss" => kids![K::E(E::Rss)],
        "feed" if eng.default_ns.iter().any(|d| d == PIE) => kids![K::Eater],
        "feed" => kids![K::E(E::Feed)],
        "entry" => kids![K::E(E::Entry)],
        "app_categories" => {
            eng.feed_type = FeedType::AppCategories;
            kids![K::E(E::Categories)]
        }
        "app_service" => {
            eng.feed_type = FeedType::AppService;
            kids![K::E(E::Service)]
        }
        "kml" | "opml" | "opensearch_OpenSearchDescription" | "xrds_XRDS" => kids![K::Eater],
        "outlineDocument" => {
            eng.log(h, ObsoleteVersion, &[("element", "outlineDocument")]);
            kids![K::Eater]
        }
        "rdf_RDF" => {
            eng.default_ns.push("http://purl.org/rss/1.0/".into());
            kids![K::E(E::Rdf)]
        }
        "Channel" => kids![K::E(E::Rss10Channel)],
        "soap_Envelope" | "request" => kids![K::Root],
        "soap_Body" => {
            eng.default_ns
                .push("http://feeds.archive.org/validator/".into());
            kids![K::Root]
        }
        "xhtml_html" => {
            eng.log(
                h,
                UndefinedElement,
                &[("parent", "root"), ("element", "xhtml:html")],
            );
            kids![K::Eater]
        }
        _ => None,
    }
}
