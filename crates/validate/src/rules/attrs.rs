//! Attributes each kind of element expects (`getExpectedAttrNames`).

use super::{E, Expect, K, ext};
use crate::engine::base::RDF_NS;

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
