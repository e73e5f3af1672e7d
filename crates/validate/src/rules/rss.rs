//! The document root and RSS 0.9x / 2.0 elements (`root.py`, `rss.py`,
//! `channel.py`, `item.py`, `image.py`, `textInput.py`, `skip*.py`).

use super::values::{optional_attr, required_attr};
use super::{E, K, St, V, ext};
use crate::classes::ids::*;
use crate::engine::base::RDF_NS;
use crate::engine::{Attrs, Engine, FeedType, Handler};
use crate::types::py_int;

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

pub(super) fn metadata(h: &mut Handler, eng: &mut Engine) {
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

pub(super) fn dup_sem(h: &mut Handler, eng: &mut Engine, item: bool, core: &str, ext: &str) {
    let c = if item {
        DuplicateItemSemantics
    } else {
        DuplicateSemantics
    };
    eng.log(h, c, &[("core", core), ("ext", ext)]);
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
