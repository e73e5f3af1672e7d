//! Children of RSS channels and items (`do_*` of `channel.py`, `item.py`).

use super::rss::{chan, dup_sem, metadata};
use super::{E, K, V, ext};
use crate::classes::ids::*;
use crate::engine::base::RDF_NS;
use crate::engine::{Engine, FeedType, HRef, Handler};
use crate::kids;
use crate::types::date::Iso;

const ITEM_D: K = K::NoDup(DuplicateElement);

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
