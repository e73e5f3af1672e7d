//! Small RSS elements: image, textInput, skipHours/skipDays, guid (`image.py`,
//! `textInput.py`, `skip*.py`, `item.py`).

use super::rss::chan;
use super::values::{check_self, one};
use super::{E, K, St, V, ext};
use crate::classes::ids::*;
use crate::engine::base::RDF_NS;
use crate::engine::{Attrs, Engine, Handler};
use crate::kids;
use crate::types::date::Iso;
use crate::types::{py_int, py_strip};

const ITEM_D: K = K::NoDup(DuplicateElement);

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

/// Link and title of the channel above an image.
fn parent_chan(eng: &Engine, h: &Handler) -> (Option<String>, Option<String>) {
    let gp = h.parent.and_then(|p| eng.h(p).parent);
    match gp.map(|g| &eng.h(g).st) {
        Some(St::Chan(c)) => (c.link.clone(), c.title.clone()),
        _ => (None, None),
    }
}

/// `validate` of the small RSS elements.
pub fn validate_small(h: &mut Handler, eng: &mut Engine, e: E, attrs: &Attrs) {
    let n = h.name.clone();
    let pn = h.parent_name.clone();
    let value = h.value.clone();
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
        E::Image => validate_image(h, eng, attrs),
        E::Rss10Image | E::TextInput => validate_required(h, eng, e),
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
        E::ImageTitle => validate_image_title(h, eng),
        E::Width | E::Height => validate_size(h, eng, e),
        E::SkipHours | E::SkipDays => validate_skip(h, eng, e),
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

/// `validate_image`, one case of `validate_small`.
fn validate_image(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    let n = h.name.clone();
    let pn = h.parent_name.clone();
    let value = h.value.clone();
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

/// `validate_required`, one case of `validate_small`.
fn validate_required(h: &mut Handler, eng: &mut Engine, e: E) {
    let n = h.name.clone();
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

/// `validate_image_title`, one case of `validate_small`.
fn validate_image_title(h: &mut Handler, eng: &mut Engine) {
    let n = h.name.clone();
    let pn = h.parent_name.clone();
    let value = h.value.clone();
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

/// `validate_size`, one case of `validate_small`.
fn validate_size(h: &mut Handler, eng: &mut Engine, e: E) {
    let n = h.name.clone();
    let pn = h.parent_name.clone();
    let value = h.value.clone();
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

/// `validate_skip`, one case of `validate_small`.
fn validate_skip(h: &mut Handler, eng: &mut Engine, e: E) {
    let n = h.name.clone();
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
