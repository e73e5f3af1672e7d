//! Atom 1.0 and Atom Publishing Protocol elements (`feed.py`, `entry.py`,
//! `link.py`, `author.py`, `category.py`, `generator.py`, `service.py`).

use super::rss::item;
use super::values::{check_self, one, optional_attr, required_attr};
use super::{E, K, St, V, content, ext};
use crate::classes::ids::*;
use crate::engine::{Attrs, Engine, HRef, Handler};
use crate::kids;
use crate::types::date::Iso;

/// What a feed or entry needs to know of an `atom:link`.
#[derive(Debug, Default, Clone)]
pub struct LinkInfo {
    /// Relation (default `alternate`).
    pub rel: String,
    /// `href`.
    pub href: String,
    /// `type`.
    pub ty: String,
    /// `hreflang`.
    pub hreflang: String,
}

/// State of a feed or source.
#[derive(Debug, Default)]
pub struct FeedSt {
    /// `atom:link` children.
    pub links: Vec<LinkInfo>,
}

pub const RFC5005: &[&str] = &[
    "current",
    "first",
    "last",
    "next",
    "next-archive",
    "prev-archive",
    "previous",
];
pub const RELS: &[&str] = &[
    "alternate",
    "current",
    "describedby",
    "edit",
    "edit-media",
    "enclosure",
    "first",
    "hub",
    "last",
    "license",
    "next",
    "next-archive",
    "payment",
    "prev-archive",
    "previous",
    "related",
    "replies",
    "search",
    "self",
    "service",
    "up",
    "via",
];

pub fn links(h: &mut Handler) -> &mut Vec<LinkInfo> {
    match h.k {
        K::E(E::Feed | E::AtomSource) => {
            if !matches!(h.st, St::Feed(_)) {
                h.st = St::Feed(Box::default());
            }
            match &mut h.st {
                St::Feed(f) => &mut f.links,
                _ => unreachable!("just set"),
            }
        }
        K::E(E::Rss20Channel | E::Rss10Channel | E::Channel) => &mut super::rss::chan(h).links,
        _ => &mut item(h).links,
    }
}

/// `prevalidate` of Atom kinds (and forwarding to extensions).
pub fn prevalidate(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    match e {
        E::Feed | E::AtomSource => optional_attr(
            h,
            eng,
            attrs,
            "urn:atom-extension:indexing",
            "index",
            V::YesNo,
        ),
        E::TextConstruct | E::Content => content::text_construct_prevalidate(h, eng, e, attrs),
        E::AtomCategory => {
            h.children.push(eng.empty.clone());
            required_attr(h, eng, attrs, "", "term", V::NonBlank);
            optional_attr(h, eng, attrs, "", "scheme", V::Rfc3987Full);
            optional_attr(h, eng, attrs, "", "label", V::NonHtml);
        }
        E::Generator => {
            if let Some(u) = attrs.plain("url") {
                let (u, n) = (u.to_string(), h.name.clone());
                let mut cx = eng.cx(h, &n);
                crate::types::uri::rfc2396(
                    &mut cx,
                    &u,
                    false,
                    InvalidLink,
                    ValidURI,
                    &[("attr", "url")],
                );
                h.valid &= !cx.logged;
            }
            if let Some(u) = attrs.plain("uri") {
                let (u, n) = (u.to_string(), h.name.clone());
                let mut cx = eng.cx(h, &n);
                crate::types::uri::rfc2396(
                    &mut cx,
                    &u,
                    false,
                    InvalidURIAttribute,
                    ValidURI,
                    &[("attr", "uri")],
                );
                h.valid &= !cx.logged;
            }
        }
        E::Collection => required_attr(h, eng, attrs, "", "href", V::Rfc3987),
        E::Categories => {
            optional_attr(h, eng, attrs, "", "fixed", V::YesNo);
            if attrs.plain("href").is_some() {
                for a in ["fixed", "scheme"] {
                    if attrs.plain(a).is_some() {
                        eng.log(h, ConflictingCatAttr, &[("attr", a)]);
                    }
                }
            }
        }
        E::X(x) => ext::x_prevalidate(h, eng, x, attrs),
        _ => {}
    }
}

fn metadata(h: &mut Handler, eng: &mut Engine) {
    if h.k == K::E(E::Feed) && h.has("entry") {
        let (n, c) = (h.name.clone(), h.child.clone());
        eng.log(h, MisplacedMetadata, &[("parent", &n), ("element", &c)]);
    }
}

/// `do_*` of Atom kinds.
pub fn child(h: &mut Handler, eng: &mut Engine, me: HRef, e: E, key: &str) -> Option<Vec<K>> {
    let d = K::NoDup(DuplicateElement);
    match e {
        E::Feed | E::AtomSource => feed_child(h, eng, me, e, key)
            .or_else(|| ext::feed(h, eng, key))
            .or_else(|| ext::itunes_channel(h, eng, key)),
        E::Entry => entry_child(h, key)
            .or_else(|| ext::entry(h, eng, key))
            .or_else(|| ext::itunes_item(key)),
        E::AppControl if key == "app_draft" => kids![K::V(V::YesNo), d],
        E::Author => match key {
            "name" | "atom_name" => {
                kids![K::V(V::NonHtml), K::V(V::NonEmail), K::V(V::NonBlank), d]
            }
            "email" | "atom_email" => kids![K::V(V::AddrSpec), d],
            "uri" | "atom_uri" => kids![K::V(V::NonBlank), K::V(V::Rfc3987), K::V(V::Nows), d],
            "foaf_workplaceHomepage" | "foaf_homepage" | "foaf_weblog" => {
                one(K::V(V::RdfResourceUri))
            }
            "foaf_plan" | "foaf_firstName" => one(K::V(V::Text)),
            "xhtml_div" => one(K::DivEater),
            _ => None,
        },
        E::Service | E::Workspace | E::Collection => match (e, key) {
            (E::Service, "app_workspace") => one(K::E(E::Workspace)),
            (E::Workspace, "app_collection") => one(K::E(E::Collection)),
            (E::Workspace | E::Collection, "atom_title") => kids![K::E(E::TextConstruct), d],
            (E::Collection, "title") => {
                h.child = std::rc::Rc::from("atom_title");
                kids![K::E(E::TextConstruct), d]
            }
            (E::Collection, "app_categories") => one(K::E(E::Categories)),
            (E::Collection, "app_accept") => one(K::V(V::MediaRange)),
            _ => ext::everywhere(h, eng, key),
        },
        E::Categories if key == "atom_category" => one(K::E(E::AtomCategory)),
        _ => None,
    }
}

fn feed_child(h: &mut Handler, eng: &mut Engine, me: HRef, e: E, key: &str) -> Option<Vec<K>> {
    let d = K::NoDup(DuplicateElement);
    if e == E::AtomSource {
        if key == "author"
            && let Some(p) = h.parent
            && !eng.h(p).has("author")
        {
            let a = std::rc::Rc::from("author");
            eng.hm(p).add_child(a);
        }
        if key == "entry" {
            let n = h.name.clone();
            eng.log(h, UndefinedElement, &[("parent", &n), ("element", "entry")]);
            return kids![K::Eater];
        }
    }
    if key == "entry" {
        if !h.has("entry") {
            let attrs = eng.stack[me.f].attrs.clone();
            validate_metadata(h, eng, &attrs);
        }
        return kids![K::E(E::Entry)];
    }
    if key == "app_collection" {
        return kids![K::E(E::Collection), d];
    }
    let k = match key {
        "author" | "contributor" => kids![K::E(E::Author)],
        "category" => kids![K::E(E::AtomCategory)],
        "generator" => kids![K::E(E::Generator), K::V(V::NonBlank), d],
        "id" => kids![K::V(V::CanonicalUri), K::V(V::Nows), d],
        "icon" | "logo" => kids![K::V(V::NonBlank), K::V(V::Nows), K::V(V::Rfc2396), d],
        "link" => kids![K::E(E::Link)],
        "title" | "subtitle" | "rights" => kids![K::E(E::TextConstruct), d],
        "updated" => kids![K::V(V::Date(Iso::Rfc3339)), K::V(V::Nows), d],
        _ => None,
    };
    if k.is_some() {
        metadata(h, eng);
    }
    k
}

fn entry_child(h: &mut Handler, key: &str) -> Option<Vec<K>> {
    let d = K::NoDup(DuplicateElement);
    let _ = h;
    match key {
        "author" | "contributor" => kids![K::E(E::Author)],
        "category" => kids![K::E(E::AtomCategory)],
        "content" => kids![K::E(E::Content), d],
        "id" => kids![
            K::V(V::CanonicalUri),
            K::V(V::Nows),
            d,
            K::V(V::Unique("id", DuplicateEntries))
        ],
        "link" => kids![K::E(E::Link)],
        "published" | "app_edited" => kids![K::V(V::Date(Iso::Rfc3339)), K::V(V::Nows), d],
        "source" => kids![K::E(E::AtomSource), d],
        "rights" | "summary" | "title" => kids![K::E(E::TextConstruct), d],
        "updated" => kids![
            K::V(V::Date(Iso::Rfc3339)),
            K::V(V::Nows),
            d,
            K::V(V::Unique("updated", DuplicateUpdated))
        ],
        "app_control" => kids![K::E(E::AppControl), d],
        _ => None,
    }
}

fn validate_metadata(h: &mut Handler, eng: &mut Engine, _attrs: &Attrs) {
    let n = h.name.clone();
    let missing = if h.k == K::E(E::AtomSource) {
        MissingSourceElement
    } else {
        MissingElement
    };
    for el in ["title", "id", "updated"] {
        if !h.has(el) {
            eng.log(h, missing, &[("parent", &n), ("element", el)]);
        }
    }
    let ls = links(h).clone();
    if h.has("fh_complete") {
        for l in ls.iter().filter(|l| RFC5005.contains(&l.rel.as_str())) {
            if l.rel == "current" {
                if !eng.self_uris.contains(&l.href) {
                    eng.log(h, CurrentNotSelfInCompleteFeed, &[("rel", &l.rel)]);
                }
            } else {
                eng.log(h, FeedRelInCompleteFeed, &[("rel", &l.rel)]);
            }
        }
    }
    if &*n != "source" && !ls.iter().any(|l| l.rel == "self") {
        let pn = h.parent_name.clone();
        eng.log(h, MissingSelf, &[("parent", &pn), ("element", &n)]);
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for l in &ls {
        for (first, prev) in [("first", "previous"), ("last", "next")] {
            if l.rel == first && eng.self_uris.contains(&l.href) {
                for _ in ls.iter().filter(|l2| l2.rel == prev) {
                    eng.log(h, LinkPastEnd, &[("self", first), ("rel", prev)]);
                }
            }
        }
        if l.rel != "alternate" {
            continue;
        }
        let key = (l.ty.clone(), l.hreflang.clone());
        if seen.contains(&key) {
            eng.log(
                h,
                DuplicateAtomLink,
                &[
                    ("parent", &n),
                    ("element", "link"),
                    ("type", &l.ty),
                    ("hreflang", &l.hreflang),
                ],
            );
        } else {
            seen.push(key);
        }
    }
    if h.has("fh_archive") && !h.has("fh_complete") {
        if !ls
            .iter()
            .any(|l| l.rel == "prev-archive" || l.rel == "next-archive")
        {
            eng.log(h, ArchiveIncomplete, &[]);
        }
        if !ls.iter().any(|l| l.rel == "current") {
            eng.log(h, MissingCurrentInArchive, &[]);
        }
    }
    if h.itunes {
        ext::itunes_channel_validate(h, eng);
    }
}

/// `validate` of Atom kinds.
pub fn validate(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    match e {
        E::Feed => {
            let entries = h.count("entry");
            let dups = eng
                .events
                .iter()
                .filter(|e| e.class == DuplicateEntries)
                .count();
            if entries > 9 && entries == dups + 1 {
                eng.log(h, DuplicateIds, &[]);
                eng.events.retain(|e| e.class != DuplicateEntries);
            }
            if !h.has("entry") {
                validate_metadata(h, eng, attrs);
            }
        }
        E::AtomSource => validate_metadata(h, eng, attrs),
        E::Entry => entry_validate(h, eng),
        E::Link => super::link::link_validate(h, eng, attrs),
        E::Author => {
            if !h.has("name") && !h.has("atom_name") {
                eng.log(h, MissingElement, &[("parent", &n), ("element", "name")]);
            }
        }
        E::Generator => {
            let v = h.value.clone();
            check_self(h, eng, V::NonHtml, &n, &v);
        }
        E::TextConstruct | E::Content => {
            content::text_construct_validate(h, eng, attrs);
            if e == E::Content
                && let Some(p) = h.parent
            {
                let t = content::ctype(h).to_string();
                let ph = eng.hm(p);
                if matches!(ph.k, K::E(E::Entry)) {
                    item(ph).content = Some((attrs.plain("src").is_some(), t));
                }
            }
        }
        E::Service | E::Workspace | E::Collection => {
            let (need, el) = if e == E::Service {
                ("app_workspace", "app:workspace")
            } else {
                ("atom_title", "atom:title")
            };
            if !h.has(need) {
                eng.log(h, MissingElement, &[("parent", &n), ("element", el)]);
            }
        }
        E::Categories => {
            if attrs.plain("href").is_some() && !h.children.is_empty() {
                eng.log(h, ConflictingCatChildren, &[]);
            }
        }
        _ => {
            let _ = pn;
        }
    }
}

fn entry_validate(h: &mut Handler, eng: &mut Engine) {
    let (n, pn) = (h.name.clone(), h.parent_name.clone());
    for el in ["title", "author", "id", "updated"] {
        let parent_has = el == "author" && h.parent.is_some_and(|p| eng.h(p).has("author"));
        if !h.has(el) && !parent_has {
            eng.log(h, MissingElement, &[("parent", &n), ("element", el)]);
        }
    }
    let st = item(h);
    let content = st.content.clone();
    let ls = st.links.clone();
    match content {
        Some((src, t)) => {
            if !h.has("summary") {
                if src {
                    eng.log(h, MissingSummary, &[("parent", &pn), ("element", &n)]);
                }
                if t.contains('/')
                    && !(t.ends_with("+xml") || t.ends_with("/xml") || t.starts_with("text/"))
                {
                    eng.log(h, MissingSummary, &[("parent", &pn), ("element", &n)]);
                }
            }
        }
        None => {
            if !h.has("summary") {
                eng.log(
                    h,
                    MissingTextualContent,
                    &[("parent", &pn), ("element", &n)],
                );
            }
            if !ls.iter().any(|l| l.rel == "alternate") {
                eng.log(
                    h,
                    MissingContentOrAlternate,
                    &[("parent", &pn), ("element", &n)],
                );
            }
        }
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for l in ls.iter().filter(|l| l.rel == "alternate") {
        let key = (l.ty.clone(), l.hreflang.clone());
        if seen.contains(&key) {
            eng.log(
                h,
                DuplicateAtomLink,
                &[
                    ("parent", &n),
                    ("element", "link"),
                    ("type", &l.ty),
                    ("hreflang", &l.hreflang),
                ],
            );
        } else {
            seen.push(key);
        }
    }
}
