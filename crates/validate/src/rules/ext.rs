//! Extension elements valid in channels, items, feeds and entries
//! (`extension.py`): Dublin Core, DC terms, geo, GeoRSS, Google Base, Media
//! RSS, iTunes, Atom threading, slash, sy, admin, FeedBurner, FeedSync, ...

use super::values::{En, one};
use super::{E, K, V};
use crate::classes::ids::*;
use crate::engine::{Attrs, Engine, Handler};
use crate::kids;
use crate::types::date::Iso;

/// Extension element handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum X {
    Base,
    AccessRestriction,
    FeedFlare,
    FeedInfo,
    XhtmlMeta,
    InReplyTo,
    LLink,
    LPermalink,
    GShipping,
    GDateTimeRange,
    CfListinfo,
    CfSort,
    CfGroup,
    TreatAs,
    OsQuery,
    SxSharing,
    SxSync,
    SxRelated,
    SxHistory,
    SxConflicts,
    GeoPoint,
    GeorssWhere,
    GmlPoint,
    GmlLine,
    GmlPolygon,
    GmlExterior,
    GmlLinearRing,
    GmlEnvelope,
    MediaCategory,
    MediaCopyright,
    MediaCredit,
    MediaHash,
    MediaRating,
    MediaRestriction,
    MediaPlayer,
    MediaText,
    MediaTitle,
    MediaThumbnail,
    MediaContent,
    MediaGroup,
    ItunesOwner,
    ItunesCategory,
    ItunesSubcategory,
    ItunesImage,
}

impl X {
    /// Whether the kind derives from `text`.
    pub fn is_text(self) -> bool {
        use X::*;
        matches!(
            self,
            AccessRestriction
                | FeedFlare
                | InReplyTo
                | LLink
                | LPermalink
                | TreatAs
                | MediaCategory
                | MediaCopyright
                | MediaCredit
                | MediaHash
                | MediaRating
                | MediaRestriction
                | MediaText
                | MediaTitle
                | MediaThumbnail
        )
    }
}

fn x(x: X) -> K {
    K::E(E::X(x))
}

const D: K = K::NoDup(DuplicateElement);

/// Extensions valid everywhere, without side effects (`Questionable` too).
pub fn everywhere_pure(key: &str) -> Option<Vec<K>> {
    let t = K::V(V::Text);
    Some(match key {
        "dc_title"
        | "dc_description"
        | "dc_type"
        | "dc_format"
        | "dc_source"
        | "dcterms_abstract"
        | "dcterms_dateAccepted"
        | "dcterms_dateCopyrighted"
        | "dcterms_dateSubmitted"
        | "dcterms_mediator" => vec![t, D],
        "dc_publisher"
        | "dc_contributor"
        | "dc_identifier"
        | "dc_relation"
        | "dc_coverage"
        | "dcterms_alternative"
        | "dcterms_audience"
        | "geo_alt"
        | "georss_featureTypeTag"
        | "georss_relationshipTag"
        | "georss_featureName" => {
            if key == "geo_alt" {
                vec![K::V(V::Decimal)]
            } else {
                vec![t]
            }
        }
        "dc_language" => vec![K::V(V::Iso639), D],
        "dc_rights" => vec![K::V(V::NonHtml), D],
        "dcterms_tableOfContents" => vec![K::V(V::RdfResourceUri), D],
        "dcterms_created" | "dcterms_issued" | "dcterms_modified" => {
            vec![K::V(V::Date(Iso::W3cdtf)), D]
        }
        "dcterms_extent" => vec![K::V(V::PosInt(0)), K::V(V::NonBlank), D],
        "dcterms_isVersionOf"
        | "dcterms_hasVersion"
        | "dcterms_isReplacedBy"
        | "dcterms_replaces"
        | "dcterms_isRequiredBy"
        | "dcterms_requires"
        | "dcterms_isPartOf"
        | "dcterms_hasPart"
        | "dcterms_isReferencedBy"
        | "dcterms_references"
        | "dcterms_isFormatOf"
        | "dcterms_hasFormat"
        | "dcterms_conformsTo"
        | "rdfs_seeAlso" => vec![K::V(V::RdfResourceUri)],
        "dcterms_valid"
        | "dcterms_available"
        | "dcterms_spatial"
        | "dcterms_temporal"
        | "dcterms_accessRights"
        | "dcterms_accrualMethod"
        | "dcterms_accrualPeriodicity"
        | "dcterms_accrualPolicy"
        | "dcterms_bibliographicCitation"
        | "dcterms_educationLevel"
        | "dcterms_instructionalMethod"
        | "dcterms_license"
        | "dcterms_provenance"
        | "dcterms_rightsHolder"
        | "rdf_RDF"
        | "rdf_type"
        | "rdf_Description" => vec![K::Eater],
        "geo_Point" => vec![x(X::GeoPoint)],
        "geo_lat" | "geourl_latitude" | "icbm_latitude" => vec![K::V(V::Lat)],
        "geo_long" | "geourl_longitude" | "icbm_longitude" => vec![K::V(V::Lon)],
        "georss_where" => vec![x(X::GeorssWhere)],
        "georss_point" => vec![K::V(V::GmlPos)],
        "georss_line" | "georss_polygon" => vec![K::V(V::GmlPosList)],
        "georss_elev" => vec![K::V(V::Decimal)],
        "georss_floor" => vec![K::V(V::Integer)],
        "georss_radius" => vec![K::V(V::Float)],
        "opml_dateCreated" | "opml_dateModified" => vec![K::V(V::Rfc822), D],
        "opml_ownerName" => vec![K::V(V::SafeHtml), D],
        "opml_ownerEmail" => vec![K::V(V::Email), D],
        "opml_ownerId" => vec![K::V(V::HttpUrl), D],
        _ => return None,
    })
}

/// `extension_everywhere`, with its duplicate-semantics warnings.
pub fn everywhere(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    let warn = |h: &mut Handler, eng: &mut Engine, other: &str, c, core: &str, ext: &str| {
        if h.has(other) {
            eng.log(h, c, &[("core", core), ("ext", ext)]);
        }
    };
    match key {
        "dc_publisher" => warn(
            h,
            eng,
            "webMaster",
            DuplicateSemantics,
            "webMaster",
            "dc:publisher",
        ),
        "dc_source" => warn(
            h,
            eng,
            "source",
            DuplicateItemSemantics,
            "source",
            "dc:source",
        ),
        "dc_language" => warn(
            h,
            eng,
            "language",
            DuplicateSemantics,
            "language",
            "dc:language",
        ),
        "dc_rights" => warn(
            h,
            eng,
            "copyright",
            DuplicateSemantics,
            "copyright",
            "dc:rights",
        ),
        "dcterms_modified" => warn(
            h,
            eng,
            "lastBuildDate",
            DuplicateSemantics,
            "lastBuildDate",
            "dcterms:modified",
        ),
        _ => {}
    }
    everywhere_pure(key)
}

/// `media_elements`.
pub fn media_elements(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    match key {
        "media_adult" => {
            let n = h.name.clone();
            eng.log(
                h,
                DeprecatedMediaAdult,
                &[("parent", &n), ("element", "media:adult")],
            );
            kids![K::V(V::TrueFalse), D]
        }
        "media_category" => one(x(X::MediaCategory)),
        "media_copyright" => kids![x(X::MediaCopyright), D],
        "media_credit" => one(x(X::MediaCredit)),
        "media_description" | "media_title" => kids![x(X::MediaTitle), D],
        "media_keywords" => one(K::V(V::Text)),
        "media_hash" => one(x(X::MediaHash)),
        "media_player" => one(x(X::MediaPlayer)),
        "media_rating" => one(x(X::MediaRating)),
        "media_restriction" => one(x(X::MediaRestriction)),
        "media_text" => one(x(X::MediaText)),
        "media_thumbnail" => one(x(X::MediaThumbnail)),
        _ => None,
    }
}

fn channel_item(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    match key {
        "taxo_topics" => kids![K::Eater],
        "l_link" => one(x(X::LLink)),
        _ => everywhere(h, eng, key).or_else(|| media_elements(h, eng, key)),
    }
}

/// `extension_item`.
pub fn item(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    let t = |v: V| kids![K::V(v), D];
    let r = match key {
        "annotate_reference" => kids![K::V(V::RdfResourceUri), D],
        "ag_source" | "ev_type" => t(V::Text),
        "ag_sourceURL"
        | "feedburner_awareness"
        | "feedburner_origEnclosureLink"
        | "feedburner_origLink"
        | "wfw_comment"
        | "wfw_commentRss"
        | "g_image_link"
        | "g_url_of_item_being_reviewed" => {
            if key == "g_image_link" {
                kids![K::V(V::Rfc2396Full), K::MaxTen]
            } else {
                t(V::Rfc2396Full)
            }
        }
        "wfw_commentRSS" => {
            let pn = h.parent_name.clone();
            eng.log(h, CommentRSS, &[("parent", &pn)]);
            t(V::Rfc2396Full)
        }
        "ag_timestamp" | "conversationsNetwork_ratingTimestamp" | "g_expiration_date_time" => {
            t(V::Date(Iso::Iso8601))
        }
        "ev_startdate" | "ev_enddate" => t(V::Date(Iso::Unbounded)),
        "ev_location" | "ev_organizer" | "foaf_maker" | "foaf_primaryTopic" => kids![K::Eater],
        "slash_comments"
        | "thr_total"
        | "conversationsNetwork_introMilliseconds"
        | "conversationsNetwork_ratingCount"
        | "g_age"
        | "g_bathrooms"
        | "g_bedrooms" => t(V::NonNegInt),
        "slash_section" | "slash_department" | "wiki_diff" | "wiki_history" | "wiki_importance"
        | "wiki_status" | "wiki_version" => one(K::V(V::Text)),
        "slash_hit_parade" => t(V::CommaInts),
        "thr_children" => {
            if eng.feed_type != crate::engine::FeedType::Rss1 {
                let n = h.name.clone();
                eng.log(
                    h,
                    UndefinedElement,
                    &[("parent", &n), ("element", "thr:children")],
                );
            }
            kids![K::Eater]
        }
        "thr_in_reply_to" => one(x(X::InReplyTo)),
        "conversationsNetwork_image" => t(V::HttpUrl),
        "conversationsNetwork_ratingAverage" => t(V::Float),
        "conversationsNetwork_ratingIndividual" => t(V::PosInt(0)),
        "media_group" => one(x(X::MediaGroup)),
        "media_content" => one(x(X::MediaContent)),
        "sx_sync" => one(x(X::SxSync)),
        _ if key.starts_with("g_") => super::misc::gbase(key),
        _ => None,
    };
    r.or_else(|| channel_item(h, eng, key))
}

/// `extension_rss20_item` additions.
pub fn rss20_item(key: &str) -> Option<Vec<K>> {
    match key {
        "trackback_ping" => kids![K::V(V::Rfc2396Full), D],
        "trackback_about" => one(K::V(V::Rfc2396Full)),
        "dcterms_accessRights"
        | "dcterms_accrualMethod"
        | "dcterms_accrualPeriodicity"
        | "dcterms_accrualPolicy"
        | "dcterms_bibliographicCitation"
        | "dcterms_educationLevel"
        | "dcterms_instructionalMethod"
        | "dcterms_license"
        | "dcterms_provenance"
        | "dcterms_rightsHolder" => kids![K::Eater],
        _ => None,
    }
}

/// `extension_rss10_item` additions.
pub fn rss10_item(key: &str) -> Option<Vec<K>> {
    match key {
        "trackback_ping" => kids![K::V(V::RdfResourceUri), D],
        "trackback_about" => one(K::V(V::RdfResourceUri)),
        "l_permalink" => one(x(X::LPermalink)),
        _ => None,
    }
}

/// `extension_entry`.
pub fn entry(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    match key {
        "dc_creator" | "dc_subject" => one(K::V(V::Text)),
        "dc_date" => kids![K::V(V::Date(Iso::W3cdtf)), D],
        "creativeCommons_license" | "trackback_about" => one(K::V(V::Rfc2396Full)),
        "trackback_ping" => kids![K::V(V::Rfc2396Full), D],
        _ => item(h, eng, key),
    }
}

/// `extension_channel`.
pub fn channel(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    let t = |v: V| kids![K::V(v), D];
    let r = match key {
        "admin_generatorAgent" => {
            if h.has("generator") {
                eng.log(
                    h,
                    DuplicateSemantics,
                    &[("core", "generator"), ("ext", "admin:generatorAgent")],
                );
            }
            t(V::RdfResourceUri)
        }
        "admin_errorReportsTo" => t(V::RdfResourceUri),
        "blogChannel_blogRoll"
        | "blogChannel_mySubscriptions"
        | "blogChannel_blink"
        | "blogChannel_changes"
        | "feedburner_awareness"
        | "feedburner_feedburnerHostname" => t(V::Rfc2396Full),
        "sy_updatePeriod" => t(V::UpdatePeriod),
        "sy_updateFrequency" => kids![K::V(V::PosInt(0)), K::V(V::NonBlank), D],
        "sy_updateBase" => t(V::Date(Iso::W3cdtf)),
        "foaf_maker" | "xhtml_div" => kids![K::Eater],
        "cp_server" => one(K::V(V::RdfResourceUri)),
        "wiki_interwiki" => one(K::V(V::Text)),
        "thr_in_reply_to" => one(x(X::InReplyTo)),
        "cf_listinfo" => one(x(X::CfListinfo)),
        "cf_treatAs" => one(x(X::TreatAs)),
        "feedburner_browserFriendly" => t(V::NonHtml),
        "feedburner_emailServiceId" => kids![D],
        "feedburner_feedFlare" => one(x(X::FeedFlare)),
        "feedburner_info" => one(x(X::FeedInfo)),
        "opensearch_totalResults"
        | "opensearch10_totalResults"
        | "opensearch_itemsPerPage"
        | "opensearch10_itemsPerPage" => t(V::NonNegInt),
        "opensearch_startIndex" | "opensearch10_startIndex" => t(V::Integer),
        "opensearch_Query" => one(x(X::OsQuery)),
        "xhtml_meta" => one(x(X::XhtmlMeta)),
        "sx_sharing" => one(x(X::SxSharing)),
        "fh_archive" | "fh_complete" => one(x(X::Base)),
        _ => None,
    };
    r.or_else(|| channel_item(h, eng, key))
}

/// `extension_feed`.
pub fn feed(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    match key {
        "dc_creator" | "dc_subject" => one(K::V(V::Text)),
        "dc_date" => kids![K::V(V::Date(Iso::W3cdtf)), D],
        "creativeCommons_license" => one(K::V(V::Rfc2396Full)),
        "access_restriction" => one(x(X::AccessRestriction)),
        _ => channel(h, eng, key),
    }
}

fn itunes(key: &str) -> Option<Vec<K>> {
    match key {
        "itunes_author" | "itunes_subtitle" => kids![K::V(V::LengthLimited(255)), D],
        "itunes_block" => kids![K::V(V::YesNoClean), D],
        "itunes_explicit" => kids![K::V(V::TrueFalse), D],
        "itunes_keywords" => kids![K::V(V::LengthLimited(255)), K::V(V::Keywords), D],
        "itunes_summary" => kids![K::V(V::LengthLimited(4000)), D],
        "itunes_image" => kids![x(X::ItunesImage), D],
        _ => None,
    }
}

/// `itunes_channel` elements.
pub fn itunes_channel(h: &mut Handler, eng: &mut Engine, key: &str) -> Option<Vec<K>> {
    match key {
        "itunes_owner" => kids![x(X::ItunesOwner), D],
        "itunes_category" => one(x(X::ItunesCategory)),
        "itunes_pubDate" => kids![K::V(V::Rfc822), D],
        "itunes_new_feed_url" => {
            if &*h.child != "itunes_new-feed-url" {
                let (n, c) = (h.name.replacen('_', ":", 1), h.child.clone());
                eng.log(h, UndefinedElement, &[("parent", &n), ("element", &c)]);
            }
            kids![K::V(V::Rfc2396Full), D]
        }
        "itunes_type" => kids![K::V(V::Enum(En::ChannelType)), D],
        _ => itunes(key),
    }
}

/// `itunes_item` elements.
pub fn itunes_item(key: &str) -> Option<Vec<K>> {
    match key {
        "itunes_duration" => kids![K::V(V::Duration), D],
        "itunes_title" => kids![K::V(V::Text), D],
        "itunes_episode" | "itunes_season" => kids![K::V(V::PosInt(0)), D],
        "itunes_episodeType" => kids![K::V(V::Enum(En::EpisodeType)), D],
        _ => itunes(key),
    }
}

/// `itunes_channel.validate`.
pub fn itunes_channel_validate(h: &mut Handler, eng: &mut Engine) {
    let n = h.name.clone();
    if !h.has("language") && h.lang.is_none() {
        eng.log(
            h,
            MissingItunesElement,
            &[("parent", &n), ("element", "language")],
        );
    }
    for (el, shown) in [
        ("itunes_category", "itunes:category"),
        ("itunes_explicit", "itunes:explicit"),
    ] {
        if !h.has(el) {
            eng.log(
                h,
                MissingItunesElement,
                &[("parent", &n), ("element", shown)],
            );
        }
    }
    if !h.has("itunes_owner") {
        eng.log(
            h,
            MissingItunesEmail,
            &[("parent", &n), ("element", "itunes:email")],
        );
    }
}

/// `do_*` of extension containers.
pub fn x_child(h: &mut Handler, eng: &mut Engine, xk: X, key: &str) -> Option<Vec<K>> {
    match xk {
        X::MediaContent => media_elements(h, eng, key).or_else(|| everywhere(h, eng, key)),
        X::MediaGroup => match key {
            "media_content" => one(x(X::MediaContent)),
            _ => media_elements(h, eng, key),
        },
        _ => super::misc::child(h, eng, xk, key),
    }
}

/// `prevalidate` of extension kinds.
pub fn x_prevalidate(h: &mut Handler, eng: &mut Engine, xk: X, attrs: &Attrs) {
    if matches!(
        xk,
        X::MediaCategory
            | X::MediaCopyright
            | X::MediaCredit
            | X::MediaHash
            | X::MediaText
            | X::MediaTitle
    ) {
        super::media::prevalidate(h, eng, xk, attrs);
    } else {
        super::misc::prevalidate(h, eng, xk, attrs);
    }
}

/// `validate` of extension kinds.
pub fn x_validate(h: &mut Handler, eng: &mut Engine, xk: X, attrs: &Attrs) {
    if matches!(
        xk,
        X::MediaHash
            | X::MediaRating
            | X::MediaRestriction
            | X::MediaPlayer
            | X::MediaText
            | X::MediaTitle
            | X::MediaThumbnail
            | X::MediaContent
            | X::MediaGroup
    ) {
        super::media::validate(h, eng, xk, attrs);
    } else {
        super::misc::validate(h, eng, xk, attrs);
    }
}
