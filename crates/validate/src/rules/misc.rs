//! Smaller extensions: geo / GeoRSS / GML, Google Base, FeedSync (`sse.py`),
//! iTunes containers, OpenSearch, Common Feed (`cf.py`), FeedBurner, link,
//! threading and access (`extension.py`, `itunes.py`, `opensearch.py`).

use super::ext::X;
use super::values::{En, check_as, check_self, one, optional_attr, required_attr};
use super::{E, K, St, V};
use crate::classes::ids::*;
use crate::engine::{Attrs, Cx, Engine, Handler};
use crate::kids;
use crate::log::Log;
use crate::py_regex;
use crate::types::date::Iso;
use crate::types::py_int;

include!("misc_lists.rs");

fn x(x: X) -> K {
    K::E(E::X(x))
}

const D: K = K::NoDup(DuplicateElement);

/// Google Base elements of items.
pub fn gbase(key: &str) -> Option<Vec<K>> {
    let t = |v: V| kids![K::V(v), D];
    match &key[2..] {
        "actor"
        | "agent"
        | "area"
        | "apparel_type"
        | "artist"
        | "author"
        | "brand"
        | "color"
        | "condition"
        | "course"
        | "course_number"
        | "course_times"
        | "cuisine"
        | "delivery_notes"
        | "education"
        | "employer"
        | "ethnicity"
        | "format"
        | "id"
        | "immigration_status"
        | "interested_in"
        | "isbn"
        | "job_function"
        | "job_industry"
        | "job_type"
        | "main_ingredient"
        | "make"
        | "manufacturer"
        | "manufacturer_id"
        | "meal_type"
        | "model"
        | "model_number"
        | "name_of_item_being_reviewed"
        | "news_source"
        | "occupation"
        | "payment_notes"
        | "product_type"
        | "property_type"
        | "publication_name"
        | "publication_volume"
        | "review_type"
        | "school_district"
        | "service_type"
        | "sexual_orientation"
        | "size"
        | "subject"
        | "subject_area"
        | "tax_region"
        | "university"
        | "upc"
        | "vehicle_type"
        | "vin" => t(V::NonHtml),
        "calories" | "cholesterol" | "cooking_time" | "fiber" | "hoa_dues" | "salary"
        | "saturated_fat" | "servings" | "sodium" | "total_carbs" | "total_fat" => t(V::GFloat),
        "delivery_radius" | "megapixels" | "memory" | "preparation_time" | "price"
        | "processor_speed" | "protein" | "weight" => t(V::FloatUnit),
        "course_date_range" | "event_date_range" | "travel_date_range" => {
            kids![x(X::GDateTimeRange), D]
        }
        "currency" => t(V::Enum(En::Currency)),
        "expiration_date" | "publish_date" => t(V::Date(Iso::Iso8601Date)),
        "from_location" | "to_location" => t(V::GLocation),
        "gender" => t(V::Enum(En::Gender)),
        "label" => kids![K::V(V::GLabel), K::MaxTen],
        "listing_type" | "pickup" => t(V::TrueFalse),
        "location" => t(V::GFullLocation),
        "marital_status" => t(V::Enum(En::Marital)),
        "mileage" => t(V::GIntUnit),
        "pages" => kids![K::V(V::PosInt(0)), K::V(V::NonBlank), D],
        "payment_accepted" => one(K::V(V::Enum(En::Payment))),
        "price_type" => t(V::Enum(En::PriceType)),
        "quantity" => kids![K::V(V::NonNegInt), K::V(V::NonBlank), D],
        "rating" => t(V::Enum(En::Rating)),
        "reviewer_type" => t(V::Enum(En::Reviewer)),
        "salary_type" => t(V::Enum(En::Salary)),
        "shipping" => kids![x(X::GShipping), D],
        "tax_percent" => t(V::Percent),
        "year" => t(V::GYear),
        _ => None,
    }
}

/// Value checks not covered in `values.rs`.
pub fn check_more(cx: &mut Cx, v: V, value: &str, attr: &str) {
    py_regex!(GFLOAT, r"\d+\.?\d*\s*\w*");
    py_regex!(FLOATUNIT, r"\d+\.?\d*\s*\w*$");
    py_regex!(DECIMAL, r"[-+]?\d+\.?\d*\s*$");
    py_regex!(POS, r"[-+]?\d+\.?\d*[ ,][-+]?\d+\.?\d*$");
    py_regex!(NUM, r"[-+]?\d+\.?\d*$");
    py_regex!(POSLIST, r"[-+.0-9]+[, ][-+.0-9]( [-+.0-9]+[, ][-+.0-9])+$");
    py_regex!(
        NSS,
        r"([0-9a-zA-Z()+,\-\.:=@;$_!*'/?#]|%[0-9a-fA-F][0-9a-fA-F])+$"
    );
    let p = [("attr", attr), ("value", value)];
    match v {
        V::GFloat if !GFLOAT.is_match(value) => cx.log(InvalidFloat, &p),
        V::FloatUnit if !FLOATUNIT.is_match(value) => cx.log(InvalidFloatUnit, &p),
        V::Decimal if !DECIMAL.is_match(value) => cx.log(InvalidFloatUnit, &p),
        V::GYear => {
            let now = 1970 + crate::types::date::now() / 31_556_952;
            if !py_int(value).is_some_and(|y| (1900..=(now + 4) as i128).contains(&y)) {
                cx.log(InvalidYear, &p);
            }
        }
        V::GIntUnit => {
            let first = value.split(' ').next().unwrap_or("").replace(',', "");
            if py_int(&first).is_none_or(|v| v < 0) {
                cx.log(InvalidIntUnit, &p);
            }
        }
        V::GLabel if value.contains(',') => cx.log(InvalidLabel, &p),
        V::GLocation if !matches!(value.split(',').count(), 2 | 3) => cx.log(InvalidLocation, &p),
        V::GFullLocation => {
            let f: Vec<&str> = value.split(',').collect();
            if f.len() != 5 || f.iter().any(|x| crate::types::py_strip(x).is_empty()) {
                cx.log(InvalidFullLocation, &p);
            }
        }
        V::GmlPos => {
            if !POS.is_match(value) {
                cx.log(InvalidCoord, &[("value", value)]);
            } else if value.contains(',') {
                cx.log(CoordComma, &[("value", value)]);
            }
        }
        V::GmlPosList => {
            let mut v2 = value.to_string();
            if value.contains(',') {
                if !POSLIST.is_match(value.trim()) {
                    return cx.log(InvalidCoordList, &[("value", value)]);
                }
                cx.log(CoordComma, &[("value", value)]);
                v2 = value.replace(',', " ");
            }
            let vals: Vec<&str> = v2.split_whitespace().collect();
            if vals.len() < 3 || vals.len() % 2 == 1 {
                return cx.log(InvalidCoordList, &[("value", value)]);
            }
            if let Some(bad) = vals.iter().find(|x| !NUM.is_match(x)) {
                cx.log(InvalidCoordList, &[("value", bad)]);
            }
        }
        V::Nss if !NSS.is_match(value) => cx.log(InvalidNSS, &[]),
        V::UpdatePeriod => {
            if ["hourly", "daily", "weekly", "monthly", "yearly"].contains(&value) {
                if cx.wants(ValidUpdatePeriod) {
                    cx.log(ValidUpdatePeriod, &[("value", value)]);
                }
            } else {
                cx.log(InvalidUpdatePeriod, &[("value", value)]);
            }
        }
        _ => {}
    }
}

/// `do_*` of the smaller extension containers.
pub fn child(h: &mut Handler, eng: &mut Engine, xk: X, key: &str) -> Option<Vec<K>> {
    match (xk, key) {
        (X::GeoPoint, "geo_lat") => one(K::V(V::Lat)),
        (X::GeoPoint, "geo_long") => one(K::V(V::Lon)),
        (X::GeorssWhere, "gml_Point") => one(x(X::GmlPoint)),
        (X::GeorssWhere, "gml_LineString") => one(x(X::GmlLine)),
        (X::GeorssWhere, "gml_Polygon") => one(x(X::GmlPolygon)),
        (X::GeorssWhere, "gml_Envelope") => one(x(X::GmlEnvelope)),
        (X::GmlPoint, "gml_pos") | (X::GmlEnvelope, "gml_lowerCorner" | "gml_upperCorner") => {
            one(K::V(V::GmlPos))
        }
        (X::GmlLine | X::GmlLinearRing, "gml_posList") => one(K::V(V::GmlPosList)),
        (X::GmlPolygon, "gml_exterior") => one(x(X::GmlExterior)),
        (X::GmlExterior, "gml_LinearRing") => one(x(X::GmlLinearRing)),
        (X::GShipping, "g_service") => kids![K::V(V::Enum(En::Service)), D],
        (X::GShipping, "g_country") => kids![K::V(V::Enum(En::Country)), D],
        (X::GShipping, "g_price") => kids![K::V(V::FloatUnit), D],
        (X::GDateTimeRange, "g_start" | "g_end") => kids![K::V(V::Date(Iso::Iso8601)), D],
        (X::CfListinfo, "cf_sort") => one(x(X::CfSort)),
        (X::CfListinfo, "cf_group") => one(x(X::CfGroup)),
        (X::SxSharing, "sx_related") => one(x(X::SxRelated)),
        (X::SxSync, "sx_history") => one(x(X::SxHistory)),
        (X::SxSync, "sx_conflicts") => one(x(X::SxConflicts)),
        (X::SxConflicts, "entry") => one(K::E(E::Entry)),
        (X::SxConflicts, "item") => one(K::E(E::Item)),
        (X::ItunesOwner, "itunes_email") => kids![K::V(V::Email), D],
        (X::ItunesOwner, "itunes_name") => kids![K::V(V::LengthLimited(255)), D],
        (X::ItunesCategory, "itunes_category") => match &h.st {
            St::S(Some(t)) => {
                let t = t.clone();
                h.st = St::S(Some(t));
                one(x(X::ItunesSubcategory))
            }
            _ => one(K::Eater),
        },
        _ => {
            let _ = eng;
            None
        }
    }
}

fn categories(parent: Option<&str>) -> (Vec<&'static str>, Vec<&'static str>) {
    match parent {
        None => (
            ITUNES.iter().map(|c| c.0).collect(),
            ITUNES_OLD.iter().map(|c| c.0).collect(),
        ),
        Some(p) => (
            ITUNES
                .iter()
                .find(|c| c.0 == p)
                .map(|c| c.1.to_vec())
                .unwrap_or_default(),
            ITUNES_OLD
                .iter()
                .find(|c| c.0 == p)
                .map(|c| c.1.to_vec())
                .unwrap_or_default(),
        ),
    }
}

/// `prevalidate` of the smaller extension kinds.
pub fn prevalidate(h: &mut Handler, eng: &mut Engine, xk: X, attrs: &Attrs) {
    let (pn, n) = (h.parent_name.clone(), h.name.clone());
    match xk {
        X::AccessRestriction => {
            h.children.push(eng.empty.clone());
            match attrs.plain("relationship") {
                None => eng.log(
                    h,
                    MissingAttribute,
                    &[("parent", &pn), ("element", &n), ("attr", "relationship")],
                ),
                Some(r) => h.value = r.to_string(),
            }
        }
        X::FeedFlare => {
            required_attr(h, eng, attrs, "", "href", V::HeisenUri);
            required_attr(h, eng, attrs, "", "src", V::HeisenUri);
        }
        X::FeedInfo => required_attr(h, eng, attrs, "", "uri", V::Rfc3987),
        X::XhtmlMeta => {
            required_attr(h, eng, attrs, "", "name", V::Enum(En::MetaName));
            required_attr(h, eng, attrs, "", "content", V::Enum(En::Robots));
        }
        X::LLink => {
            const L: &str = "http://purl.org/rss/1.0/modules/link/";
            optional_attr(h, eng, attrs, L, "lang", V::Iso639);
            required_attr(h, eng, attrs, L, "rel", V::Rfc2396Full);
            optional_attr(h, eng, attrs, L, "title", V::NonHtml);
            if let Some(t) = attrs.get(L, "type") {
                let v = if t.contains(':') {
                    V::Rfc2396Full
                } else {
                    V::MimeType
                };
                optional_attr(h, eng, attrs, L, "type", v);
            }
        }
        X::SxSharing => {
            for (a, other) in [("since", "until"), ("until", "since")] {
                if attrs.plain(other).is_some() {
                    required_attr(h, eng, attrs, "", a, V::Date(Iso::Rfc3339));
                } else {
                    optional_attr(h, eng, attrs, "", a, V::Date(Iso::Rfc3339));
                }
            }
            optional_attr(h, eng, attrs, "", "expires", V::Date(Iso::Rfc3339));
            if let (Some(s), Some(u)) = (attrs.plain("since"), attrs.plain("until"))
                && s > u
            {
                eng.log(h, SinceAfterUntil, &[]);
            }
        }
        X::SxSync => sync_prevalidate(h, eng, attrs),
        X::SxRelated => {
            required_attr(h, eng, attrs, "", "link", V::Rfc2396Full);
            optional_attr(h, eng, attrs, "", "title", V::NonHtml);
            optional_attr(h, eng, attrs, "", "title", V::NonBlank);
            required_attr(h, eng, attrs, "", "type", V::Enum(En::SseType));
        }
        X::SxHistory => {
            optional_attr(h, eng, attrs, "", "by", V::NonHtml);
            optional_attr(h, eng, attrs, "", "by", V::NonBlank);
            optional_attr(h, eng, attrs, "", "by", V::Nss);
            required_attr(h, eng, attrs, "", "sequence", V::PosInt(2147483647));
            optional_attr(h, eng, attrs, "", "when", V::Date(Iso::Rfc3339));
            match (attrs.plain("when").is_some(), attrs.plain("by").is_some()) {
                (true, false) => eng.log(h, MissingRecommendedAttribute, &[("attr", "by")]),
                (false, true) => eng.log(h, MissingRecommendedAttribute, &[("attr", "when")]),
                (false, false) => eng.log(h, MissingByAndWhenAttrs, &[]),
                _ => {}
            }
        }
        X::OsQuery => {
            required_attr(h, eng, attrs, "", "role", V::Enum(En::QueryRole));
            optional_attr(h, eng, attrs, "", "title", V::LengthLimited(256));
            optional_attr(h, eng, attrs, "", "title", V::NonHtml);
            optional_attr(h, eng, attrs, "", "totalResults", V::NonNegInt);
            optional_attr(h, eng, attrs, "", "count", V::NonNegInt);
            optional_attr(h, eng, attrs, "", "startIndex", V::Integer);
            optional_attr(h, eng, attrs, "", "startPage", V::Integer);
            optional_attr(h, eng, attrs, "", "language", V::Iso639);
            optional_attr(h, eng, attrs, "", "inputEncoding", V::Charset);
            optional_attr(h, eng, attrs, "", "outputEncoding", V::Charset);
        }
        X::ItunesImage => required_attr(h, eng, attrs, "", "href", V::HttpUrl),
        X::ItunesCategory | X::ItunesSubcategory => {
            let parent_text = if xk == X::ItunesSubcategory {
                h.parent.and_then(|p| match &eng.h(p).st {
                    St::S(s) => s.clone(),
                    _ => None,
                })
            } else {
                None
            };
            let (newl, oldl) = categories(if xk == X::ItunesSubcategory {
                Some(parent_text.as_deref().unwrap_or(""))
            } else {
                None
            });
            let (p, e) = (pn.replacen('_', ":", 1), n.replacen('_', ":", 1));
            match attrs.plain("text") {
                None => eng.log(
                    h,
                    MissingAttribute,
                    &[("parent", &p), ("element", &e), ("attr", "text")],
                ),
                Some(t) => {
                    if !newl.contains(&t) {
                        let c = if oldl.contains(&t) {
                            ObsoleteItunesCategory
                        } else {
                            InvalidItunesCategory
                        };
                        eng.log(h, c, &[("parent", &p), ("element", &e), ("text", t)]);
                    }
                    h.st = St::S(Some(t.to_string()));
                }
            }
        }
        _ => {}
    }
}

fn sync_prevalidate(h: &mut Handler, eng: &mut Engine, attrs: &Attrs) {
    optional_attr(h, eng, attrs, "", "deleted", V::TrueFalseStrict);
    optional_attr(h, eng, attrs, "", "noconflicts", V::TrueFalseStrict);
    match attrs.plain("id") {
        None => eng.log(h, MissingAttribute, &[("attr", "id")]),
        Some(id) => {
            let id = id.to_string();
            if id.is_empty() {
                let n = h.name.clone();
                eng.log(h, NotBlank, &[("parent", &n), ("element", "id")]);
            } else if let Some(scope) = h.parent.and_then(|p| eng.h(p).parent) {
                let s = eng.hm(scope);
                let idx = match s.uniq.iter().position(|(n, _)| *n == "id") {
                    Some(i) => i,
                    None => {
                        s.uniq.push(("id", Default::default()));
                        s.uniq.len() - 1
                    }
                };
                if !s.uniq[idx].1.insert(id.clone()) {
                    let n = h.name.clone();
                    eng.log(
                        h,
                        DuplicateValue,
                        &[("parent", &n), ("element", "id"), ("value", &id)],
                    );
                }
            }
            check_as(h, eng, V::Nss, "id", &id);
        }
    }
    required_attr(h, eng, attrs, "", "updates", V::PosInt(2147483647));
}

/// `validate` of the smaller extension kinds.
pub fn validate(h: &mut Handler, eng: &mut Engine, xk: X, attrs: &Attrs) {
    let n = h.name.clone();
    match xk {
        X::GeoPoint => {
            let p = n.replace('_', ":");
            for (el, shown) in [("geo_lat", "geo:lat"), ("geo_long", "geo:long")] {
                if !h.has(el) {
                    eng.log(h, MissingElement, &[("parent", &p), ("element", shown)]);
                }
            }
        }
        X::AccessRestriction => {
            let v = h.value.clone();
            check_self(h, eng, V::Enum(En::Access), &n, &v);
        }
        X::FeedFlare | X::MediaCategory | X::MediaCopyright => {
            let v = h.value.clone();
            check_self(h, eng, V::NonHtml, &n, &v);
        }
        X::InReplyTo => {
            for (a, v) in [
                ("href", V::XmlBase),
                ("ref", V::CanonicalUri),
                ("source", V::XmlBase),
            ] {
                if let Some(val) = attrs.plain(a) {
                    let val = val.to_string();
                    check_self(h, eng, v, a, &val);
                }
            }
            if let Some(t) = attrs.plain("type") {
                let pn = h.parent_name.clone();
                let c = if crate::types::is_mime(t) {
                    ValidMIMEAttribute
                } else {
                    InvalidMIMEType
                };
                eng.log(
                    h,
                    c,
                    &[
                        ("parent", &pn),
                        ("element", &n),
                        ("attr", "type"),
                        ("value", t),
                    ],
                );
            }
        }
        X::LPermalink | X::LLink => {
            const L: &str = "http://purl.org/rss/1.0/modules/link/";
            if xk == X::LPermalink
                && let Some(t) = attrs.get(L, "type")
            {
                let t = t.to_string();
                check_self(h, eng, V::MimeType, &n, &t);
            }
            super::values::validate_element(h, eng, V::RdfResourceUri, attrs);
        }
        X::SxSync if !h.has("sx_history") => {
            eng.log(
                h,
                MissingElement,
                &[("parent", &n), ("element", "sx:history")],
            );
        }
        X::ItunesOwner if !h.has("itunes_email") => {
            let p = n.replace('_', ":");
            eng.log(
                h,
                MissingElement,
                &[("parent", &p), ("element", "itunes:email")],
            );
        }
        _ => {}
    }
}
