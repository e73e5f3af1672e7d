//! Attributes each kind of element expects (`getExpectedAttrNames`).

use super::V;
use super::ext::X;
use super::{E, Expect, K};
use crate::engine::base::RDF_NS;
use crate::engine::{Attrs, Engine, FeedType, Handler};

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
        E::X(x) => expected_x(x, rss1),
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

/// `getExpectedAttrNames` of the handler's kind.
pub fn expected_attrs(h: &Handler, eng: &Engine, attrs: &Attrs) -> Expect {
    let rss1 = eng.feed_type == FeedType::Rss1;
    match &h.k {
        K::Eater | K::DivEater => Expect::All,
        K::HtmlEater => {
            if attrs.0.is_empty() {
                Expect::Nothing
            } else {
                Expect::All
            }
        }
        K::RdfExtension(_, literal) => {
            if *literal || attrs.0.is_empty() {
                Expect::All
            } else {
                Expect::AllBut("http://purl.org/net/rss1.1#")
            }
        }
        K::V(V::RdfResourceUri) => Expect::List(&[
            (RDF_NS, "resource"),
            ("http://purl.org/dc/elements/1.1/", "title"),
        ]),
        K::RdfAbout => Expect::List(&[(RDF_NS, "about")]),
        K::E(e) => expected(*e, rss1),
        k if k.is_text() => {
            if rss1 {
                Expect::List(&[
                    (RDF_NS, "parseType"),
                    (RDF_NS, "datatype"),
                    (RDF_NS, "resource"),
                ])
            } else {
                Expect::List(&[])
            }
        }
        _ => Expect::Nothing,
    }
}

/// `getExpectedAttrNames` of extension kinds.
pub fn expected_x(xk: X, rss1: bool) -> Expect {
    let l = |v: &'static [(&'static str, &'static str)]| Expect::List(v);
    match xk {
        X::AccessRestriction => l(&[("", "relationship")]),
        X::FeedFlare => l(&[("", "href"), ("", "src")]),
        X::FeedInfo => l(&[("", "uri")]),
        X::XhtmlMeta => l(&[("", "name"), ("", "content")]),
        X::InReplyTo => l(&[("", "href"), ("", "ref"), ("", "source"), ("", "type")]),
        X::LLink => l(&[
            (RDF_NS, "resource"),
            ("http://purl.org/dc/elements/1.1/", "title"),
            ("http://purl.org/rss/1.0/modules/link/", "lang"),
            ("http://purl.org/rss/1.0/modules/link/", "rel"),
            ("http://purl.org/rss/1.0/modules/link/", "type"),
            ("http://purl.org/rss/1.0/modules/link/", "title"),
        ]),
        X::LPermalink => l(&[
            (RDF_NS, "resource"),
            ("http://purl.org/dc/elements/1.1/", "title"),
            ("http://purl.org/rss/1.0/modules/link/", "type"),
        ]),
        X::GShipping | X::GDateTimeRange => {
            if rss1 {
                l(&[(RDF_NS, "parseType")])
            } else {
                l(&[])
            }
        }
        X::CfSort => l(&[
            ("", "data-type"),
            ("", "default"),
            ("", "element"),
            ("", "label"),
            ("", "ns"),
        ]),
        X::CfGroup => l(&[("", "element"), ("", "label"), ("", "ns")]),
        X::OsQuery => l(&[
            ("", "role"),
            ("", "title"),
            ("", "totalResults"),
            ("", "searchTerms"),
            ("", "count"),
            ("", "startIndex"),
            ("", "startPage"),
            ("", "language"),
            ("", "inputEncoding"),
            ("", "outputEncoding"),
            ("", "parameter"),
        ]),
        X::SxSharing => l(&[("", "expires"), ("", "since"), ("", "until")]),
        X::SxSync => l(&[
            ("", "deleted"),
            ("", "noconflicts"),
            ("", "id"),
            ("", "updates"),
        ]),
        X::SxRelated => l(&[("", "link"), ("", "title"), ("", "type")]),
        X::SxHistory => l(&[("", "by"), ("", "sequence"), ("", "when")]),
        X::GmlPoint | X::GmlLine | X::GmlPolygon | X::GmlLinearRing | X::GmlEnvelope => {
            l(&[("", "srsName")])
        }
        X::MediaCategory => l(&[("", "label"), ("", "scheme")]),
        X::MediaCopyright => l(&[("", "url")]),
        X::MediaCredit => l(&[("", "role"), ("", "scheme")]),
        X::MediaHash => l(&[("", "algo")]),
        X::MediaRating => l(&[("", "scheme")]),
        X::MediaRestriction => l(&[("", "relationship"), ("", "type")]),
        X::MediaPlayer => l(&[("", "height"), ("", "url"), ("", "width")]),
        X::MediaText => l(&[("", "end"), ("", "lang"), ("", "start"), ("", "type")]),
        X::MediaTitle => l(&[("", "type")]),
        X::MediaThumbnail => l(&[("", "height"), ("", "time"), ("", "url"), ("", "width")]),
        X::MediaContent => l(&[
            ("", "bitrate"),
            ("", "channels"),
            ("", "duration"),
            ("", "expression"),
            ("", "fileSize"),
            ("", "framerate"),
            ("", "height"),
            ("", "isDefault"),
            ("", "lang"),
            ("", "medium"),
            ("", "samplingrate"),
            ("", "type"),
            ("", "url"),
            ("", "width"),
        ]),
        X::ItunesCategory | X::ItunesSubcategory => l(&[("", "text")]),
        X::ItunesImage => l(&[("", "href")]),
        X::TreatAs => {
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
