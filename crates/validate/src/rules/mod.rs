//! Element handlers: the kinds of `validatorBase` subclasses of the Python
//! validator, and how events reach each kind.

pub mod atom;
pub mod attrs;
pub mod content;
pub mod enums;
pub mod ext;
pub mod kinds;
pub mod link;
pub mod media;
pub mod misc;
pub mod rdf;
pub mod root;
pub mod rss;
pub mod rss_children;
pub mod rss_small;
pub mod values;

use crate::classes::ids::*;
use crate::engine::base::{Push, default_start_child};
use crate::engine::{Attrs, Engine, FeedType, HRef, Handler, Name};
use crate::types::date::Iso;
pub use kinds::{E, Expect, K, St, V};
use std::rc::Rc;

/// `Some(vec![K::..])`.
#[macro_export]
macro_rules! kids {
    ($($k:expr),* $(,)?) => { Some(vec![$($k),*]) };
}

/// Whether the handler accepts text without `UnexpectedText`.
fn text_ok(h: &Handler) -> bool {
    h.k.is_text()
        || matches!(
            h.k,
            K::HtmlEater | K::RdfExtension(..) | K::DivEater | K::MaxTen | K::V(V::RdfResourceUri)
        )
        || (matches!(h.k, K::E(E::TextConstruct | E::Content)) && h.children.is_empty())
}

/// `prevalidate()` of the handler's kind.
pub fn prevalidate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    match h.k.clone() {
        K::NoDup(c) => {
            if let Some(p) = h.parent
                && eng.h(p).has(&h.name)
            {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, c, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::MaxTen => {
            if let Some(p) = h.parent
                && eng.h(p).count(&h.name) == 10
            {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, TooMany, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::V(V::NonHtml | V::SafeHtml | V::LengthLimited(_) | V::Email | V::EmailWithName) => {
            h.children.push(eng.empty.clone())
        }
        K::RdfExtension(q, lit) => {
            let mut l = lit;
            rdf::ext_prevalidate(h, eng, &q, &mut l, attrs);
            h.k = K::RdfExtension(q, l);
        }
        K::E(e) => rss::prevalidate(h, eng, e, attrs),
        _ => {}
    }
}

/// `startElementNS` of the handler's kind; returns what to push.
pub fn start_child(
    h: &mut Handler,
    eng: &mut Engine,
    me: HRef,
    local: &str,
    ns: &str,
    attrs: &Rc<Attrs>,
) -> Option<Push> {
    let name: Name = eng.name(local);
    match h.k.clone() {
        K::Root => root::root_start(h, eng, me, local, ns, attrs),
        K::NoDup(_) | K::RdfAbout | K::Placeholder => None,
        K::Eater => content::eater_start(h, eng, local, ns, attrs).then(|| Push {
            kinds: vec![K::Eater],
            name,
            append: None,
        }),
        K::HtmlEater => content::html_eater_start(h, eng, local, attrs),
        K::DivEater => content::div_eater_start(h, eng, local, ns, attrs),
        K::RdfExtension(_, literal) => {
            rdf::ext_start(h, eng, local, attrs);
            h.children
                .push(Rc::from(format!("{{{ns}}}{local}").as_str()));
            Some(Push {
                kinds: vec![K::RdfExtension(Rc::from(ns), literal)],
                name,
                append: None,
            })
        }
        K::E(E::TextConstruct | E::Content) => {
            content::text_construct_start(h, eng, local, ns, attrs)
        }
        K::E(E::Link) => Some(Push {
            kinds: vec![K::Eater],
            name,
            append: None,
        }),
        k if k.is_text() => content::text_start(h, eng, local, ns, attrs),
        _ => default_start_child(h, eng, me, local, ns, attrs),
    }
}

/// Child handlers for `key` (the `do_*` methods), with their side effects.
pub fn child(h: &mut Handler, eng: &mut Engine, me: HRef, key: &str) -> Option<Vec<K>> {
    match h.k.clone() {
        K::Root => root::root_child(h, eng, key),
        K::E(e) => match e {
            E::Rss
            | E::Rss20Channel
            | E::Rss10Channel
            | E::Channel
            | E::Rss20Item
            | E::Rss10Item
            | E::Item => rss_children::child(h, eng, me, e, key),
            E::Items
            | E::RdfSeq
            | E::ContentItems
            | E::ContentBag
            | E::ContentLi
            | E::ContentItem
            | E::Rdf => rdf::child(h, eng, e, key),
            E::Image
            | E::Rss10Image
            | E::TextInput
            | E::SkipHours
            | E::SkipDays
            | E::Cloud
            | E::Enclosure => rss_small::child_small(e, key),
            E::X(x) => ext::x_child(h, eng, x, key),
            _ => atom::child(h, eng, me, e, key),
        },
        _ => None,
    }
}

/// `any()`: the handler for an element in an unknown namespace.
pub fn unknown_child(h: &mut Handler, eng: &mut Engine, local: &str, qname: &str) -> Vec<K> {
    if h.k == K::Root {
        root::root_unknown(h, eng, local, qname);
    }
    if eng.feed_type == FeedType::Rss1 {
        vec![K::RdfExtension(Rc::from(qname), false)]
    } else {
        vec![K::Eater]
    }
}

/// `Questionable`: extension elements allowed anywhere, with a warning.
pub fn questionable(key: &str) -> Option<Vec<K>> {
    use E::*;
    match key {
        "atom_author" | "atom_contributor" => kids![K::E(Author)],
        "atom_category" => kids![K::E(AtomCategory)],
        "atom_content" => kids![K::E(Content)],
        "atom_generator" => kids![K::E(Generator)],
        "atom_icon" | "atom_logo" => kids![K::V(V::Rfc2396), K::NoDup(DuplicateElement)],
        "atom_id" => kids![K::V(V::CanonicalUri), K::NoDup(DuplicateElement)],
        "atom_link" => kids![K::E(Link)],
        "atom_published" | "atom_updated" => {
            kids![K::V(V::Date(Iso::Rfc3339)), K::NoDup(DuplicateElement)]
        }
        "atom_rights" | "atom_subtitle" | "atom_summary" | "atom_title" => {
            kids![K::E(TextConstruct), K::NoDup(DuplicateElement)]
        }
        "app_workspace" => kids![K::E(Workspace)],
        "app_collection" => kids![K::E(Collection)],
        "app_categories" => kids![K::E(Categories)],
        _ => ext::everywhere_pure(key),
    }
}

/// `characters` of the handler's kind.
pub fn characters(h: &mut Handler, eng: &mut Engine, text: &str) {
    match &h.k {
        K::NoDup(_) | K::RdfAbout | K::Placeholder => {}
        K::Eater => {
            if bad_chars(text) {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, BadCharacters, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::RdfExtension(_, true) => {}
        K::E(E::Link) => {
            if !crate::types::py_strip(text).is_empty() {
                let pn = h.parent_name.clone();
                let n = h.name.clone();
                eng.log(h, AtomLinkNotEmpty, &[("parent", &pn), ("element", &n)]);
            }
        }
        K::E(E::TextConstruct | E::Content) => content::text_construct_chars(h, eng, text),
        _ => {
            base_characters(h, eng, text);
            if h.k == K::V(V::Nows)
                && h.st.is_none_flag()
                && h.value != crate::types::py_strip(&h.value)
            {
                let (pn, n) = (h.parent_name.clone(), h.name.clone());
                eng.log(h, UnexpectedWhitespace, &[("parent", &pn), ("element", &n)]);
                h.st = St::N(vec![1]);
            }
        }
    }
}

impl St {
    fn is_none_flag(&self) -> bool {
        matches!(self, St::None)
    }
}

/// What `characters` amounts to for plain (`plain`: no suspicious characters;
/// `ws`: white space only) text: `Some(true)` append it, `Some(false)`
/// ignore it, `None` run the full handler.
pub fn fast_text(h: &Handler, plain: bool, ws: bool) -> Option<bool> {
    match &h.k {
        K::NoDup(_) | K::RdfAbout | K::Placeholder | K::RdfExtension(_, true) => {
            return Some(false);
        }
        K::Eater if plain => return Some(false),
        K::E(E::Link) if ws => return Some(false),
        K::Eater | K::E(E::Link) | K::V(V::Nows) => return None,
        _ => {}
    }
    if !plain {
        return None;
    }
    let text_like = match &h.k {
        K::E(E::TextConstruct | E::Content) => {
            h.children.is_empty() && content::ctype(h) != "xhtml"
        }
        k => text_ok(h) || k.is_text(),
    };
    (ws || text_like).then_some(true)
}

/// Characters from the C1 range, U+FFFD, or UTF-8 read as Latin-1.
pub fn bad_chars(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_ascii() {
        return false;
    }
    if !b.contains(&0xc2) && !b.contains(&0xc3) && !text.contains('\u{fffd}') {
        return false;
    }
    text.chars()
        .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{fffd}')
        || double_encoded(text)
}

fn double_encoded(text: &str) -> bool {
    let mut prev = ' ';
    for c in text.chars() {
        if ('\u{80}'..='\u{bf}').contains(&c) && ('\u{c2}'..='\u{c3}').contains(&prev) {
            if text.chars().all(|c| (c as u32) < 256) {
                let bytes: Vec<u8> = text.chars().map(|c| c as u8).collect();
                if std::str::from_utf8(&bytes).is_ok() {
                    return true;
                }
            }
            return false;
        }
        prev = c;
    }
    false
}

/// `validatorBase.characters`.
pub fn base_characters(h: &mut Handler, eng: &mut Engine, text: &str) {
    if !text_ok(h) && !crate::types::py_strip(text).is_empty() {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, UnexpectedText, &[("element", &n), ("parent", &pn)]);
    }
    if bad_chars(text) {
        let (pn, n) = (h.parent_name.clone(), h.name.clone());
        eng.log(h, BadCharacters, &[("parent", &pn), ("element", &n)]);
    }
    h.value.push_str(text);
}

/// `endElementNS` of the handler's kind: normalise, validate, log success.
pub fn end_element(h: &mut Handler, eng: &mut Engine, local: &str, attrs: &Attrs) {
    if h.k == K::HtmlEater {
        return;
    }
    let keep_ws = matches!(
        h.k,
        K::E(E::TextConstruct | E::Content)
            | K::V(V::YesNo | V::TrueFalse | V::TrueFalseStrict | V::YesNoClean)
    );
    if !keep_ws {
        let t = crate::types::py_strip(&h.value);
        if t.len() != h.value.len() {
            h.value = t.to_string();
        }
    }
    validate(h, eng, attrs);
    if h.valid && !h.name.is_empty() && eng.notices {
        let pn = h.parent_name.clone();
        eng.log(h, ValidElement, &[("parent", &pn), ("element", local)]);
    }
}

fn validate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    match h.k.clone() {
        K::V(v) => values::validate_element(h, eng, v, attrs),
        K::E(e) => match e {
            E::Rss
            | E::Rss20Channel
            | E::Rss10Channel
            | E::Channel
            | E::Rss20Item
            | E::Rss10Item
            | E::Item => rss::validate(h, eng, e, attrs),
            E::Rdf => rdf::validate_rdf(h, eng),
            E::X(x) => ext::x_validate(h, eng, x, attrs),
            _ if rss_small::is_small(e) => rss_small::validate_small(h, eng, e, attrs),
            _ => atom::validate(h, eng, e, attrs),
        },
        K::DivEater => content::div_eater_validate(h, eng),
        K::RdfExtension(_, literal)
            if !literal
                && !crate::types::py_strip(&h.value).is_empty()
                && !h.children.is_empty() =>
        {
            eng.log(h, InvalidRDF, &[("message", "mixed content")]);
        }
        K::RdfAbout => rdf::about_validate(h, eng, attrs),
        _ => {}
    }
}

/// `setItunes(True)` of channels, feeds, items and entries.
pub fn set_itunes(h: &mut Handler, eng: &mut Engine, me: HRef) {
    match h.k {
        K::E(E::Rss20Channel | E::Rss10Channel | E::Channel | E::Feed) => {
            if !h.itunes {
                if !matches!(eng.encoding.to_lowercase().as_str(), "utf-8" | "utf8") {
                    let pn = h.parent_name.clone();
                    eng.log(h, NotUTF8, &[("parent", &pn)]);
                }
                if eng.feed_type == FeedType::Atom && h.has("entry") && h.k == K::E(E::Feed) {
                    let attrs = eng.stack[me.f].attrs.clone();
                    validate(h, eng, &attrs);
                }
            }
            h.itunes = true;
        }
        K::E(E::Rss20Item | E::Rss10Item | E::Item | E::Entry) if !h.itunes => {
            if let Some(p) = h.parent {
                eng.with(p, |ph, eng| set_itunes(ph, eng, p));
            }
            h.itunes = true;
            rss::recheck_enclosures(h, eng);
        }
        _ => {}
    }
}
