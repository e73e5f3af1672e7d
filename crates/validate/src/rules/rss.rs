//! The document root and RSS 0.9x / 2.0 elements (`root.py`, `rss.py`,
//! `channel.py`, `item.py`, `image.py`, `textInput.py`, `skip*.py`).

use super::values::{check_self, one, optional_attr, required_attr};
use super::{E, Expect, K, St, V, ext};
use crate::classes::ids::*;
use crate::engine::base::{ATOM_NS, Push, RDF_NS, default_start_child};
use crate::engine::{Attrs, Engine, FeedType, HRef, Handler};
use crate::kids;
use crate::types::date::Iso;
use crate::types::{py_int, py_strip};

const PIE: &str = "http://purl.org/atom/ns#";
const RSS11: &str = "http://purl.org/net/rss1.1#";
const ITEM_D: K = K::NoDup(DuplicateElement);

/// State of a channel.
#[derive(Debug, Default)]
pub struct ChanSt {
    /// Text of `link`.
    pub link: Option<String>,
    /// Text of `title`.
    pub title: Option<String>,
    /// Text of `docs`.
    pub docs: String,
    /// `atom:link` children.
    pub links: Vec<super::atom::LinkInfo>,
    /// Positions of items not yet followed by metadata.
    pub itemlocs: Vec<usize>,
}

/// State of an item or entry.
#[derive(Debug, Default)]
pub struct ItemSt {
    /// Enclosure URLs.
    pub enclosures: Vec<String>,
    /// `link` / `atom:link` children.
    pub links: Vec<super::atom::LinkInfo>,
    /// `content`: has `src`, type.
    pub content: Option<(bool, String)>,
}

/// The channel state of `h`, created on demand.
pub fn chan(h: &mut Handler) -> &mut ChanSt {
    if !matches!(h.st, St::Chan(_)) {
        h.st = St::Chan(Box::default());
    }
    match &mut h.st {
        St::Chan(c) => c,
        _ => unreachable!("just set"),
    }
}

/// The item state of `h`, created on demand.
pub fn item(h: &mut Handler) -> &mut ItemSt {
    if !matches!(h.st, St::Item(_)) {
        h.st = St::Item(Box::default());
    }
    match &mut h.st {
        St::Item(c) => c,
        _ => unreachable!("just set"),
    }
}

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

/// `prevalidate` of element kinds.
pub fn prevalidate(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    match e {
        E::Rss => {
            eng.feed_type = FeedType::Rss2;
            eng.rss_version = Some("2.0".into());
            match attrs.plain("version") {
                None => {
                    let pn = h.parent_name.clone();
                    eng.log(
                        h,
                        MissingAttribute,
                        &[("parent", &pn), ("element", "rss"), ("attr", "version")],
                    );
                }
                Some(v) => {
                    eng.rss_version = Some(v.to_string());
                    if eng.valid_doctype {
                        if v != "0.91" {
                            eng.log(h, InvalidDoctype, &[("attr", "version")]);
                        }
                    } else if !matches!(v, "0.91" | "0.92" | "2.0") {
                        eng.log(h, InvalidRSSVersion, &[("value", v)]);
                    }
                }
            }
        }
        E::Rss20Channel | E::Channel => optional_attr(
            h,
            eng,
            attrs,
            "urn:atom-extension:indexing",
            "index",
            V::YesNo,
        ),
        E::Rss10Channel => {
            if let Some(a) = attrs.get(RDF_NS, "about") {
                eng.abouts.insert(a.to_string());
            }
        }
        E::Rss10Item => {
            if let Some(a) = attrs.get(RDF_NS, "about")
                && !eng.abouts.insert(a.to_string())
            {
                let n = h.name.clone();
                eng.log(
                    h,
                    DuplicateValue,
                    &[("parent", &n), ("element", "rdf:about"), ("value", a)],
                );
            }
        }
        E::Source => required_attr(h, eng, attrs, "", "url", V::Rfc2396Full),
        E::Rdf => eng.feed_type = FeedType::Rss1,
        E::Enclosure => enclosure(h, eng, attrs),
        E::Cloud => cloud(h, eng, attrs),
        E::Category | E::ChanTitle | E::ImageTitle => h.children.push(eng.empty.clone()),
        _ => super::atom::prevalidate(h, eng, e, attrs),
    }
}

fn enclosure(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    match attrs.plain("length").map(py_int) {
        None => eng.log(
            h,
            MissingAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "length")],
        ),
        Some(None) => eng.log(
            h,
            InvalidIntegerAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "length")],
        ),
        Some(Some(-1)) => eng.log(
            h,
            UseZeroForUnknown,
            &[("parent", &n), ("element", "length")],
        ),
        Some(Some(l)) if l < 0 => eng.log(
            h,
            InvalidNonNegativeInteger,
            &[("parent", &n), ("element", "length")],
        ),
        Some(Some(_)) => eng.log(
            h,
            ValidIntegerAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "length")],
        ),
    }
    match attrs.plain("type") {
        None => eng.log(
            h,
            MissingAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "type")],
        ),
        Some(t) if !crate::types::is_mime(t) => eng.log(
            h,
            InvalidMIMEAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "type")],
        ),
        Some(_) => eng.log(
            h,
            ValidMIMEAttribute,
            &[("parent", &pn), ("element", &n), ("attr", "type")],
        ),
    }
    required_attr(h, eng, attrs, "", "url", V::HttpUrl);
    if let (Some(url), Some(p)) = (attrs.plain("url"), h.parent) {
        let url = url.to_string();
        eng.with(p, |ph, eng| set_enclosure(ph, eng, &url));
    }
}

/// `setEnclosure(url)` of items.
pub fn set_enclosure(h: &mut Handler, eng: &mut Engine, url: &str) {
    if !matches!(h.k, K::E(E::Rss20Item | E::Rss10Item | E::Item | E::Entry)) {
        return;
    }
    if h.itunes {
        let ext = url.rsplit('.').next().unwrap_or("");
        if !["m4a", "mp3", "mov", "mp4", "m4v", "pdf", "epub"].contains(&ext) {
            let pn = h.parent_name.clone();
            eng.log(
                h,
                UnsupportedItunesFormat,
                &[("parent", &pn), ("extension", ext)],
            );
        }
    }
    item(h).enclosures.push(url.to_string());
}

/// Re-check saved enclosures once iTunes elements are seen.
pub fn recheck_enclosures(h: &mut Handler, eng: &mut Engine) {
    let saved = std::mem::take(&mut item(h).enclosures);
    for e in saved {
        set_enclosure(h, eng, &e);
    }
}

fn cloud(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    let p = [("parent", pn.as_ref()), ("element", n.as_ref())];
    let present = |eng: &mut Engine, h: &mut Handler, a: &str| {
        if attrs.plain(a).is_none() {
            eng.log(h, MissingAttribute, &[p[0], p[1], ("attr", a)]);
        } else {
            eng.log(h, ValidCloud, &[p[0], p[1], ("attr", a)]);
        }
    };
    present(eng, h, "domain");
    match attrs.plain("port").map(py_int) {
        None => eng.log(h, MissingAttribute, &[p[0], p[1], ("attr", "port")]),
        Some(Some(v)) if v > 0 => eng.log(h, ValidCloud, &[p[0], p[1], ("attr", "port")]),
        Some(_) => eng.log(h, InvalidIntegerAttribute, &[p[0], p[1], ("attr", "port")]),
    }
    for a in ["path", "registerProcedure", "protocol"] {
        present(eng, h, a);
    }
}

fn metadata(h: &mut Handler, eng: &mut Engine) {
    if h.k != K::E(E::Rss20Channel) {
        return;
    }
    let locs = std::mem::take(&mut chan(h).itemlocs);
    let n = h.name.clone();
    for at in locs {
        eng.emit(
            MisplacedItem,
            &[("parent", &n), ("element", "item")],
            "",
            "",
            at,
        );
        h.valid = false;
    }
}

fn dup_sem(h: &mut Handler, eng: &mut Engine, item: bool, core: &str, ext: &str) {
    let c = if item {
        DuplicateItemSemantics
    } else {
        DuplicateSemantics
    };
    eng.log(h, c, &[("core", core), ("ext", ext)]);
}

/// `do_*` of rss, channels and items.
pub fn child(h: &mut Handler, eng: &mut Engine, me: HRef, e: E, key: &str) -> Option<Vec<K>> {
    match e {
        E::Rss => match key {
            "channel" => kids![K::E(E::Rss20Channel), ITEM_D],
            "access_restriction" => kids![K::E(E::X(ext::X::AccessRestriction)), ITEM_D],
            _ => None,
        },
        E::Rss20Channel | E::Rss10Channel | E::Channel => channel_child(h, eng, e, key)
            .or_else(|| ext::channel(h, eng, key))
            .or_else(|| ext::itunes_channel(h, eng, key)),
        _ => item_child(h, eng, me, e, key)
            .or_else(|| match e {
                E::Rss20Item => ext::rss20_item(key).or_else(|| ext::item(h, eng, key)),
                E::Rss10Item => ext::rss10_item(key).or_else(|| ext::item(h, eng, key)),
                _ => ext::item(h, eng, key),
            })
            .or_else(|| ext::itunes_item(key)),
    }
}

fn channel_child(h: &mut Handler, eng: &mut Engine, e: E, key: &str) -> Option<Vec<K>> {
    let r20 = e == E::Rss20Channel;
    let d = ITEM_D;
    if r20 {
        let k = match key {
            "item" => {
                let loc = eng.loc;
                chan(h).itemlocs.push(loc);
                return kids![K::E(E::Rss20Item)];
            }
            "textInput" => {
                eng.log(h, AvoidTextInput, &[]);
                None
            }
            "category" => kids![K::E(E::Category)],
            "cloud" => kids![K::E(E::Cloud), d.clone()],
            "rating" => kids![K::V(V::Text)],
            "ttl" => kids![K::V(V::PosInt(0)), K::V(V::NonBlank), d.clone()],
            "docs" => kids![K::E(E::Docs), d.clone()],
            "generator" => {
                if h.has("admin_generatorAgent") {
                    dup_sem(h, eng, false, "generator", "admin:generatorAgent");
                }
                kids![K::V(V::Text), d.clone()]
            }
            "pubDate" | "lastBuildDate" => {
                let (other, core, ext) = if key == "pubDate" {
                    ("dc_date", "pubDate", "dc:date")
                } else {
                    ("dcterms_modified", "lastBuildDate", "dcterms:modified")
                };
                if h.has(other) {
                    dup_sem(h, eng, false, core, ext);
                }
                kids![K::V(V::Rfc822), d.clone()]
            }
            "managingEditor" | "webMaster" => {
                let (other, ext) = if key == "managingEditor" {
                    ("dc_creator", "dc:creator")
                } else {
                    ("dc_publisher", "dc:publisher")
                };
                if h.has(other) {
                    dup_sem(h, eng, false, key, ext);
                }
                kids![K::V(V::EmailWithName), d.clone()]
            }
            "language" => {
                if h.has("dc_language") {
                    dup_sem(h, eng, false, "language", "dc:language");
                }
                kids![K::V(V::Iso639), d.clone()]
            }
            "copyright" => {
                if h.has("dc_rights") {
                    dup_sem(h, eng, false, "copyright", "dc:rights");
                }
                kids![K::V(V::NonHtml), d.clone()]
            }
            "skipHours" => kids![K::E(E::SkipHours)],
            "skipDays" => kids![K::E(E::SkipDays)],
            _ => None,
        };
        if k.is_some() {
            metadata(h, eng);
            return k;
        }
    }
    if e == E::Rss10Channel {
        match key {
            "items" => {
                if !eng.stack[eng.stack.len() - 1].attrs.has(RDF_NS, "about") {
                    let n = h.name.clone();
                    eng.log(
                        h,
                        MissingAttribute,
                        &[("parent", &n), ("element", &n), ("attr", "rdf:about")],
                    );
                }
                return kids![K::E(E::Items), d];
            }
            "rdfs_label" | "rdfs_comment" => return kids![K::V(V::Text)],
            _ => {}
        }
    }
    let meta = matches!(
        key,
        "image" | "textInput" | "textinput" | "link" | "title" | "description" | "atom_link"
    );
    if meta {
        metadata(h, eng);
    }
    match key {
        "image" => kids![K::E(E::Image), d],
        "textInput" => kids![K::E(E::TextInput), d],
        "textinput" => {
            let attrs = eng.stack[eng.stack.len() - 1].attrs.clone();
            if !attrs.has(RDF_NS, "about") {
                let n = h.name.clone();
                eng.log(
                    h,
                    UndefinedElement,
                    &[("parent", &n), ("element", "textinput")],
                );
            }
            kids![K::Eater, d]
        }
        "link" => kids![K::E(E::ChanLink), d],
        "title" => kids![K::E(E::ChanTitle), d, K::V(V::NonBlank)],
        "description" => kids![K::V(V::NonHtml), d],
        "blink" => kids![K::E(E::Blink), d],
        "atom_author" | "atom_contributor" => kids![K::E(E::Author)],
        "atom_category" => kids![K::E(E::AtomCategory)],
        "atom_generator" => kids![K::E(E::Generator), K::V(V::NonBlank), d],
        "atom_id" => kids![K::V(V::Rfc2396Full), d],
        "atom_icon" | "atom_logo" => kids![K::V(V::NonBlank), K::V(V::Rfc2396), d],
        "atom_link" => kids![K::E(E::Link)],
        "atom_title" | "atom_subtitle" | "atom_rights" => kids![K::E(E::TextConstruct), d],
        "atom_updated" => kids![K::V(V::Date(Iso::Rfc3339)), d],
        "dc_creator" | "dc_subject" => {
            let (core, ext) = if key == "dc_creator" {
                ("managingEditor", "dc:creator")
            } else {
                ("category", "dc:subject")
            };
            if h.has(core) {
                dup_sem(h, eng, false, core, ext);
            }
            kids![K::V(V::Text)]
        }
        "dc_date" => {
            if h.has("pubDate") {
                dup_sem(h, eng, false, "pubDate", "dc:date");
            }
            kids![K::V(V::Date(Iso::W3cdtf)), d]
        }
        "cc_license" | "creativeCommons_license" => {
            let other = if key == "cc_license" {
                "creativeCommons_license"
            } else {
                "cc_license"
            };
            if h.has(other) {
                dup_sem(h, eng, false, "creativeCommons:license", "cc:license");
            }
            if key == "cc_license" {
                kids![K::Eater]
            } else {
                kids![K::V(V::Rfc2396Full)]
            }
        }
        _ => None,
    }
}

fn item_child(h: &mut Handler, eng: &mut Engine, me: HRef, e: E, key: &str) -> Option<Vec<K>> {
    let d = ITEM_D;
    let dotless = !h.child.contains('.');
    if e == E::Rss20Item {
        match key {
            "comments" => return kids![K::V(V::Rfc2396Full), d],
            "enclosure" => return kids![K::E(E::Enclosure), K::NoDup(DuplicateEnclosure)],
            "pubDate" => {
                for (o, ext) in [("dc_date", "dc:date"), ("atom_published", "atom:published")] {
                    if h.has(o) {
                        dup_sem(h, eng, true, "pubDate", ext);
                    }
                }
                return kids![K::V(V::Rfc822), d];
            }
            "author" | "category" | "guid" | "source" => {
                let (o, core, ext) = match key {
                    "author" => ("dc_creator", "author", "dc:creator"),
                    "category" => ("dc_subject", "category", "dc:subject"),
                    "guid" => ("atom_id", "guid", "atom:id"),
                    _ => ("dc_source", "source", "dc:source"),
                };
                if h.has(o) {
                    dup_sem(h, eng, true, core, ext);
                }
                return match key {
                    "author" => kids![K::V(V::EmailWithName), d],
                    "category" => kids![K::E(E::Category), K::V(V::NonBlank)],
                    "guid" => kids![K::E(E::Guid), d, K::V(V::Unique("guid", DuplicateValue))],
                    _ => kids![K::E(E::Source), d],
                };
            }
            _ => {}
        }
    }
    if e == E::Rss10Item && matches!(key, "rdfs_label" | "rdfs_comment") {
        return kids![K::V(V::Text)];
    }
    match key {
        "link" => kids![K::V(V::Rfc2396Full), d],
        "title" => kids![K::V(V::NonHtml), K::V(V::NonBlank), d],
        "description" => {
            if eng.feed_type == FeedType::Rss2 && eng.rss_version.as_deref() == Some("0.91") {
                return kids![K::V(V::NonHtml), d];
            }
            kids![K::V(V::SafeHtml), d]
        }
        "content_encoded" => {
            if eng.feed_type == FeedType::Rss2 && !h.has("description") {
                eng.log(h, NeedDescriptionBeforeContent, &[]);
            }
            kids![K::V(V::SafeHtml), d]
        }
        "content_items" => kids![K::E(E::ContentItems), d],
        "xhtml_body" => {
            if eng.feed_type == FeedType::Rss2 {
                eng.log(
                    h,
                    DuplicateDescriptionSemantics,
                    &[("element", "xhtml:body")],
                );
            }
            kids![K::HtmlEater]
        }
        "atom_id" => {
            if h.has("guid") {
                dup_sem(h, eng, true, "guid", "atom:id");
            }
            kids![
                K::V(V::Rfc2396Full),
                d,
                K::V(V::Unique("atom_id", DuplicateValue))
            ]
        }
        "atom_link" => kids![K::E(E::Link)],
        "atom_title" => kids![K::E(E::Content), d],
        "atom_summary" => kids![K::E(E::TextConstruct), d],
        "atom_author" => kids![K::E(E::Author), d],
        "atom_contributor" => kids![K::E(E::Author)],
        "atom_content" => kids![K::E(E::Content)],
        "atom_published" => {
            if h.has("published") {
                dup_sem(h, eng, true, "pubDate", "atom:published");
            }
            kids![K::V(V::Date(Iso::Rfc3339)), d]
        }
        "atom_updated" => kids![K::V(V::Date(Iso::Rfc3339)), d],
        "dc_creator" | "dc_subject" | "dc_date" => {
            let (core, ext) = match key {
                "dc_creator" => ("author", "dc:creator"),
                "dc_subject" => ("category", "dc:subject"),
                _ => ("pubDate", "dc:date"),
            };
            if dotless && h.has(core) {
                dup_sem(h, eng, true, core, ext);
            }
            if key == "dc_date" {
                kids![K::V(V::Date(Iso::W3cdtf))]
            } else {
                kids![K::V(V::Text)]
            }
        }
        "cc_license" | "creativeCommons_license" => {
            let other = if key == "cc_license" {
                "creativeCommons_license"
            } else {
                "cc_license"
            };
            if h.has(other) {
                dup_sem(h, eng, true, "creativeCommons:license", "cc:license");
            }
            if key == "cc_license" {
                kids![K::Eater]
            } else {
                kids![K::V(V::Rfc2396Full)]
            }
        }
        _ => {
            let _ = me;
            None
        }
    }
}

/// `validate` of rss, channels and items.
pub fn validate(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    let n = h.name.clone();
    match e {
        E::Rss => {
            if !h.has("channel") {
                eng.log(h, MissingElement, &[("parent", &n), ("element", "channel")]);
            }
        }
        E::Rss20Channel | E::Rss10Channel | E::Channel => channel_validate(h, eng, attrs),
        E::Rss10Item => {
            for el in ["link", "title"] {
                if !h.has(el) {
                    eng.log(h, MissingElement, &[("parent", &n), ("element", el)]);
                }
            }
        }
        _ => {
            if !h.has("title") && !h.has("description") {
                eng.log(h, ItemMustContainTitleOrDescription, &[]);
            }
            if !h.has("guid")
                && eng.feed_type == FeedType::Rss2
                && eng
                    .rss_version
                    .as_deref()
                    .is_some_and(|v| v.starts_with("2."))
            {
                eng.log(h, MissingGuid, &[("parent", &n), ("element", "guid")]);
            }
            if h.has("slash_comments")
                && eng.feed_type == FeedType::Rss2
                && let Some(p) = h.parent
                && !eng.h(p).has("lastBuildDate")
            {
                eng.log(h, SlashDate, &[]);
            }
        }
    }
}

fn channel_validate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let n = h.name.clone();
    for (el, c) in [
        ("description", MissingDescription),
        ("link", MissingLink),
        ("title", MissingTitle),
    ] {
        if !h.has(el) {
            eng.log(h, c, &[("parent", &n), ("element", el)]);
        }
    }
    if !h.has("dc_language") && !h.has("language") && h.lang.is_none() {
        eng.log(
            h,
            MissingDCLanguage,
            &[("parent", &n), ("element", "language")],
        );
    }
    for el in ["image", "textInput", "skipHours", "skipDays"] {
        if h.count(el) > 1 {
            eng.log(h, DuplicateElement, &[("parent", &n), ("element", el)]);
        }
    }
    if let Some(about) = attrs.get(RDF_NS, "about") {
        let about = about.to_string();
        let mut cx = eng.cx(h, &n);
        crate::types::uri::rfc2396(
            &mut cx,
            &about,
            false,
            InvalidLink,
            ValidURI,
            &[("attr", "rdf:about")],
        );
        let logged = cx.logged;
        h.valid &= !logged;
        if !h.has("items") {
            eng.log(h, MissingElement, &[("parent", &n), ("element", "items")]);
        }
    }
    if &*h.parent_name == "rss"
        && eng.rss_version.as_deref() == Some("2.0")
        && !chan(h).links.iter().any(|l| l.rel == "self")
    {
        eng.log(h, MissingAtomSelfLink, &[]);
    }
    if h.itunes {
        ext::itunes_channel_validate(h, eng);
    }
    if chan(h).docs == "http://www.rssboard.org/rss-specification" {
        eng.events.retain(|e| e.class != UseOfExtensionAttr);
    }
}

/// Whether `e` is one of the small RSS elements handled here.
pub fn is_small(e: E) -> bool {
    matches!(
        e,
        E::ChanLink
            | E::ChanTitle
            | E::Docs
            | E::Blink
            | E::Category
            | E::Cloud
            | E::Source
            | E::Enclosure
            | E::Guid
            | E::Image
            | E::ImageLink
            | E::ImageUrl
            | E::ImageTitle
            | E::Width
            | E::Height
            | E::Rss10Image
            | E::TextInput
            | E::SkipHours
            | E::SkipDays
            | E::Hour
            | E::Day
            | E::Items
            | E::RdfSeq
            | E::RdfLi
            | E::ContentItems
            | E::ContentBag
            | E::ContentLi
            | E::ContentItem
    )
}

/// `do_*` of the small RSS containers.
pub fn child_small(e: E, key: &str) -> Option<Vec<K>> {
    let d = ITEM_D;
    match (e, key) {
        (E::Image, "title") | (E::Rss10Image, "title") => kids![K::E(E::ImageTitle), d],
        (E::Image, "link") => kids![K::E(E::ImageLink), d],
        (E::Image, "url") => kids![K::E(E::ImageUrl), d],
        (E::Rss10Image, "link" | "url") => kids![K::V(V::Rfc2396Full), d],
        (E::Image, "width") => kids![K::E(E::Width), d],
        (E::Image, "height") => kids![K::E(E::Height), d],
        (E::Image, "description") => kids![K::V(V::NonHtml), d],
        (E::Image | E::Rss10Image | E::TextInput, "dc_creator" | "dc_subject") => {
            kids![K::V(V::Text)]
        }
        (E::Image | E::Rss10Image | E::TextInput, "dc_date") => {
            kids![K::V(V::Date(Iso::W3cdtf)), d]
        }
        (E::Image | E::Rss10Image, "cc_license") => kids![K::Eater],
        (E::TextInput, "title") => kids![K::V(V::NonHtml), d],
        (E::TextInput, "description") => kids![K::V(V::Text), d],
        (E::TextInput, "name") => kids![K::V(V::FormName), d],
        (E::TextInput, "link") => kids![K::V(V::Rfc2396Full), d],
        (E::SkipHours, "hour") => one(K::E(E::Hour)),
        (E::SkipDays, "day") => one(K::E(E::Day)),
        (E::Image | E::Rss10Image | E::TextInput, _) => ext::everywhere_pure(key),
        _ => None,
    }
}

/// `validate` of the small RSS elements.
pub fn validate_small(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    let value = h.value.clone();
    let parent_chan = |eng: &Engine, h: &Handler| -> (Option<String>, Option<String>) {
        let gp = h.parent.and_then(|p| eng.h(p).parent);
        match gp.map(|g| &eng.h(g).st) {
            Some(St::Chan(c)) => (c.link.clone(), c.title.clone()),
            _ => (None, None),
        }
    };
    match e {
        E::ChanLink | E::Docs => {
            if let Some(p) = h.parent {
                let c = chan(eng.hm(p));
                if e == E::ChanLink {
                    c.link = Some(value.clone())
                } else {
                    c.docs = value.clone()
                }
            }
            check_self(h, eng, V::Rfc2396Full, &n, &value);
        }
        E::ChanTitle => {
            if let Some(p) = h.parent {
                chan(eng.hm(p)).title = Some(value.clone());
            }
            check_self(h, eng, V::NonHtml, &n, &value);
        }
        E::Blink => eng.log(h, NoBlink, &[]),
        E::Category | E::Source => {
            check_self(h, eng, V::NonHtml, &n, &value);
        }
        E::Guid => guid(h, eng, attrs, &value),
        E::Image => {
            if !py_strip(&value).is_empty() {
                eng.log(h, UnexpectedText, &[("parent", &pn), ("element", "image")]);
            }
            if attrs.has(RDF_NS, "resource") {
                return;
            }
            if !h.has("title") {
                eng.log(h, MissingTitle, &[("parent", &n), ("element", "title")]);
            }
            if !h.has("url") {
                eng.log(h, MissingElement, &[("parent", &n), ("element", "url")]);
            }
            if attrs.has(RDF_NS, "parseType") {
                return;
            }
            if !h.has("link") {
                eng.log(h, MissingLink, &[("parent", &n), ("element", "link")]);
            }
        }
        E::Rss10Image | E::TextInput => {
            let mut req = vec![("title", MissingTitle), ("link", MissingLink)];
            if e == E::Rss10Image {
                req.push(("url", MissingElement));
            } else {
                req.push(("description", MissingDescription));
                req.push(("name", MissingElement));
            }
            for (el, c) in req {
                if !h.has(el) {
                    eng.log(h, c, &[("parent", &n), ("element", el)]);
                }
            }
        }
        E::ImageLink => {
            check_self(h, eng, V::Rfc2396Full, &n, &value);
            if let (Some(l), _) = parent_chan(eng, h)
                && !l.is_empty()
                && l != value
            {
                eng.log(h, ImageLinkDoesntMatch, &[("parent", &pn), ("element", &n)]);
            }
        }
        E::ImageUrl => {
            check_self(h, eng, V::Rfc2396Full, &n, &value);
            let ext = value.rsplit('.').next().unwrap_or("").to_lowercase();
            if !ext.is_empty()
                && ext.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !["jpg", "jpeg", "gif", "png"].contains(&ext.as_str())
            {
                eng.log(h, ImageUrlFormat, &[("parent", &pn), ("element", &n)]);
            }
        }
        E::ImageTitle => {
            if py_strip(&value).is_empty() {
                eng.log(h, NotBlank, &[("parent", &pn), ("element", &n)]);
            } else {
                eng.log(h, ValidTitle, &[("parent", &pn), ("element", &n)]);
                check_self(h, eng, V::NonHtml, &n, &value);
            }
            if let (_, Some(t)) = parent_chan(eng, h)
                && !t.is_empty()
                && t != value
            {
                eng.log(
                    h,
                    ImageTitleDoesntMatch,
                    &[("parent", &pn), ("element", &n)],
                );
            }
        }
        E::Width | E::Height => {
            let (max, bad, ok) = if e == E::Width {
                (144, InvalidWidth, ValidWidth)
            } else {
                (400, InvalidHeight, ValidHeight)
            };
            match py_int(&value) {
                Some(w) if w > 0 && w <= max => eng.log(h, ok, &[("parent", &pn), ("element", &n)]),
                _ => eng.log(
                    h,
                    bad,
                    &[("parent", &pn), ("element", &n), ("value", &value)],
                ),
            }
        }
        E::SkipHours | E::SkipDays => {
            let (el, max, c) = if e == E::SkipHours {
                ("hour", 24, NotEnoughHoursInTheDay)
            } else {
                ("day", 7, EightDaysAWeek)
            };
            if !h.has(el) {
                eng.log(h, MissingElement, &[("parent", &n), ("element", el)]);
            }
            if h.children.len() > max {
                eng.log(h, c, &[]);
            }
        }
        E::Hour => hour(h, eng, &value),
        E::Day => day(h, eng, &value),
        _ => {}
    }
}

fn guid(h: &mut Handler, eng: &mut Engine, attrs: &Attrs, value: &str) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    let mut permalink = true;
    if let Some(s) = attrs.plain("isPermaLink") {
        if s != "true" && s != "false" {
            eng.log(
                h,
                InvalidBooleanAttribute,
                &[("parent", &pn), ("element", &n), ("attr", "isPermaLink")],
            );
        } else {
            eng.log(
                h,
                ValidBooleanAttribute,
                &[("parent", &pn), ("element", &n), ("attr", "isPermaLink")],
            );
        }
        permalink = s == "true";
    }
    if permalink {
        let mut cx = eng.cx(h, &n);
        let ok =
            crate::types::uri::rfc2396(&mut cx, value, true, InvalidHttpGUID, ValidHttpGUID, &[]);
        let logged = cx.logged;
        h.valid &= !logged;
        let lu = value.to_lowercase();
        if ok && (lu.starts_with("tag:") || lu.starts_with("urn:uuid:")) {
            eng.log(h, InvalidPermalink, &[("parent", &pn), ("element", &n)]);
        }
    } else if value.chars().count() < 9 && crate::types::is_digits(value) {
        eng.log(
            h,
            NotSufficientlyUnique,
            &[("parent", &pn), ("element", &n), ("value", value)],
        );
    } else {
        eng.log(h, ValidHttpGUID, &[("parent", &pn), ("element", &n)]);
    }
}

fn hour(h: &mut Handler, eng: &mut Engine, value: &str) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    let p = [
        ("parent", pn.as_ref()),
        ("element", n.as_ref()),
        ("value", value),
    ];
    match py_int(value) {
        Some(v) => {
            let hours = match h.parent.map(|p| &eng.h(p).st) {
                Some(St::N(v)) => v.clone(),
                _ => vec![],
            };
            if hours.contains(&(v as i64))
                || ((v == 0 || v == 24) && hours.contains(&(24 - v as i64)))
            {
                eng.log(h, DuplicateValue, &p);
            }
            if (0..=23).contains(&v) {
                if let Some(par) = h.parent {
                    let ph = eng.hm(par);
                    if let St::N(list) = &mut ph.st {
                        list.push(v as i64)
                    } else {
                        ph.st = St::N(vec![v as i64])
                    }
                }
                eng.log(h, ValidHour, &p);
            } else if value == "24" {
                eng.log(h, UseZeroForMidnight, &p);
            } else {
                eng.log(h, InvalidHour, &p);
            }
        }
        None if value == "24" => eng.log(h, UseZeroForMidnight, &p),
        None => eng.log(h, InvalidHour, &p),
    }
}

fn day(h: &mut Handler, eng: &mut Engine, value: &str) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    let p = [
        ("parent", pn.as_ref()),
        ("element", n.as_ref()),
        ("value", value),
    ];
    if ![
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .contains(&value)
    {
        eng.log(h, InvalidDay, &p);
        return;
    }
    let Some(par) = h.parent else { return };
    let ph = eng.hm(par);
    if !matches!(ph.st, St::L(_)) {
        ph.st = St::L(vec![]);
    }
    let St::L(days) = &mut ph.st else { return };
    if days.iter().any(|d| d == value) {
        eng.log(h, DuplicateValue, &p);
    } else {
        days.push(value.to_string());
        eng.log(h, ValidDay, &p);
    }
}

/// `getExpectedAttrNames` of element kinds.
pub fn expected(e: E, rss1: bool) -> Expect {
    let l = |v: &'static [(&'static str, &'static str)]| Expect::List(v);
    const IDX: (&str, &str) = ("urn:atom-extension:indexing", "index");
    match e {
        E::Rss => l(&[("", "version")]),
        E::Rss20Channel | E::Channel => l(&[IDX]),
        E::Rss10Channel => l(&[(RDF_NS, "about")]),
        E::Rss10Item | E::TextInput => l(&[(RDF_NS, "about")]),
        E::Items => l(&[(RDF_NS, "parseType")]),
        E::RdfLi => l(&[("", "resource"), (RDF_NS, "resource")]),
        E::Category => l(&[("", "domain")]),
        E::Source => l(&[("", "url")]),
        E::Enclosure => l(&[("", "url"), ("", "length"), ("", "type")]),
        E::Guid => l(&[("", "isPermaLink")]),
        E::Cloud => l(&[
            ("", "domain"),
            ("", "path"),
            ("", "registerProcedure"),
            ("", "protocol"),
            ("", "port"),
        ]),
        E::Image => l(&[
            (RDF_NS, "resource"),
            (RDF_NS, "about"),
            (RDF_NS, "parseType"),
        ]),
        E::Entry | E::Author => l(&[(RDF_NS, "parseType")]),
        E::Feed | E::AtomSource => l(&[IDX]),
        E::TextConstruct | E::Content => l(&[("", "type"), ("", "src")]),
        E::Link => l(&[
            ("", "type"),
            ("", "title"),
            ("", "rel"),
            ("", "href"),
            ("", "length"),
            ("", "hreflang"),
            (RDF_NS, "type"),
            (RDF_NS, "resource"),
            ("http://purl.org/syndication/thread/1.0", "count"),
            ("http://purl.org/syndication/thread/1.0", "when"),
            ("http://purl.org/syndication/thread/1.0", "updated"),
        ]),
        E::AtomCategory => l(&[("", "term"), ("", "scheme"), ("", "label")]),
        E::Generator => l(&[("", "uri"), ("", "version")]),
        E::Collection => l(&[("", "href")]),
        E::Categories => l(&[("", "scheme"), ("", "fixed"), ("", "href")]),
        E::X(x) => ext::expected(x, rss1),
        _ if e.is_text_like() => {
            if rss1 {
                l(&[
                    (RDF_NS, "parseType"),
                    (RDF_NS, "datatype"),
                    (RDF_NS, "resource"),
                ])
            } else {
                l(&[])
            }
        }
        _ => Expect::Nothing,
    }
}

impl E {
    fn is_text_like(self) -> bool {
        K::E(self).is_text()
    }
}
