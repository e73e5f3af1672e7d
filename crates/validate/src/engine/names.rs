//! Namespaces the validator knows, with their customary prefixes (`base.py`).

/// (namespace URI, prefix), in the order of `base.py`.
pub static NAMESPACES: &[(&str, &str)] = &[
    ("http://www.bloglines.com/about/specs/fac-1.0", "access"),
    ("http://webns.net/mvcb/", "admin"),
    ("http://purl.org/rss/1.0/modules/aggregation/", "ag"),
    ("http://purl.org/rss/1.0/modules/annotate/", "annotate"),
    ("http://www.w3.org/2007/app", "app"),
    ("http://media.tangent.org/rss/1.0/", "audio"),
    (
        "http://backend.userland.com/blogChannelModule",
        "blogChannel",
    ),
    ("http://web.resource.org/cc/", "cc"),
    ("http://www.microsoft.com/schemas/rss/core/2005", "cf"),
    (
        "http://backend.userland.com/creativeCommonsRssModule",
        "creativeCommons",
    ),
    ("http://purl.org/rss/1.0/modules/company", "company"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    (
        "http://conversationsnetwork.org/rssNamespace-1.0/",
        "conversationsNetwork",
    ),
    ("http://my.theinfo.org/changed/1.0/rss/", "cp"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/dc/terms/", "dcterms"),
    ("http://purl.org/rss/1.0/modules/email/", "email"),
    ("http://purl.org/rss/1.0/modules/event/", "ev"),
    ("http://purl.org/syndication/history/1.0", "fh"),
    ("http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"),
    ("http://geourl.org/rss/module/", "geourl"),
    ("http://www.georss.org/georss", "georss"),
    ("http://www.opengis.net/gml", "gml"),
    ("http://postneo.com/icbm", "icbm"),
    ("http://purl.org/rss/1.0/modules/image/", "image"),
    ("urn:atom-extension:indexing", "indexing"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://rssnamespace.org/feedburner/ext/1.0", "feedburner"),
    ("http://xmlns.com/foaf/0.1/", "foaf"),
    ("http://purl.org/rss/1.0/modules/link/", "l"),
    ("http://search.yahoo.com/mrss/", "media"),
    ("http://www.w3.org/1998/Math/MathML", "mathml"),
    ("http://a9.com/-/spec/opensearchrss/1.0/", "opensearch10"),
    ("http://a9.com/-/spec/opensearch/1.1/", "opensearch"),
    ("http://www.opml.org/spec2", "opml"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://www.w3.org/2000/01/rdf-schema#", "rdfs"),
    ("http://purl.org/rss/1.0/modules/reference/", "ref"),
    ("http://purl.org/rss/1.0/modules/richequiv/", "reqv"),
    ("http://purl.org/rss/1.0/modules/rss091#", "rss091"),
    ("http://purl.org/rss/1.0/modules/search/", "search"),
    ("http://purl.org/rss/1.0/modules/slash/", "slash"),
    ("http://purl.org/rss/1.0/modules/servicestatus/", "ss"),
    ("http://hacks.benhammersley.com/rss/streaming/", "str"),
    ("http://purl.org/rss/1.0/modules/subscription/", "sub"),
    ("http://feedsync.org/2007/feedsync", "sx"),
    ("http://www.w3.org/2000/svg", "svg"),
    ("http://purl.org/rss/1.0/modules/syndication/", "sy"),
    ("http://purl.org/rss/1.0/modules/taxonomy/", "taxo"),
    ("http://purl.org/rss/1.0/modules/threading/", "thr"),
    ("http://purl.org/syndication/thread/1.0", "thr"),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "trackback",
    ),
    ("http://wellformedweb.org/CommentAPI/", "wfw"),
    ("http://purl.org/rss/1.0/modules/wiki/", "wiki"),
    ("http://www.usemod.com/cgi-bin/mb.pl?ModWiki", "wiki"),
    ("http://schemas.xmlsoap.org/soap/envelope/", "soap"),
    ("http://www.w3.org/2005/Atom", "atom"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://my.netscape.com/rdf/simple/0.9/", "rss090"),
    ("http://purl.org/rss/1.0/", "rss1"),
    ("http://purl.org/net/rss1.1#", "rss11"),
    ("http://base.google.com/ns/1.0", "g"),
    ("http://www.w3.org/XML/1998/namespace", "xml"),
    ("http://openid.net/xmlns/1.0", "openid"),
    ("http://earth.google.com/kml/2.0", "kml20"),
    ("http://earth.google.com/kml/2.1", "kml21"),
    ("http://www.opengis.net/kml/2.2", "kml22"),
    ("http://www.w3.org/1999/xlink", "xlink"),
    ("xri://$xrd*($v*2.0)", "xrd"),
    ("xri://$xrds", "xrds"),
];

/// Namespaces the validator does not check: (URI, name, specification).
pub static UNSUPPORTED: &[(&str, &str, &str)] = &[
    (
        "http://schemas.google.com/g/2005",
        "Google Data",
        "https://developers.google.com/gdata/docs/1.0/elements",
    ),
    (
        "http://www.rawvoice.com/rawvoiceRssModule/",
        "RawVoice",
        "http://www.rawvoice.com/services/tools-and-resources/rawvoice-rss-2-0-module-xmlns-namespace-rss2/",
    ),
    ("https://schema.org/", "Schema.org", "https://schema.org/"),
    ("http://schema.org/", "Schema.org", "https://schema.org/"),
    (
        "https://podcastindex.org/namespace/1.0",
        "Podcasting 2.0",
        "https://podcastindex.org/",
    ),
    (
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
        "Podcasting 2.0",
        "https://github.com/Podcastindex-org/podcast-namespace/",
    ),
];

/// `near_miss(ns)`: lower-cased, without trailing non-word characters.
pub fn near_miss(ns: &str) -> String {
    let end = ns
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric() || *c == '_')
        .map(|(i, c)| i + c.len_utf8())
        .next_back();
    match end {
        Some(e) => ns[..e].to_lowercase(),
        None => ns.to_string(),
    }
}

/// The prefix of a namespace URI, matched loosely (`nearly_namespaces`).
pub fn nearly(ns: &str) -> Option<&'static str> {
    use std::sync::LazyLock;
    static MAP: LazyLock<std::collections::HashMap<String, &'static str>> = LazyLock::new(|| {
        let mut m = std::collections::HashMap::new();
        for (u, p) in NAMESPACES {
            m.insert(near_miss(u), *p);
        }
        m
    });
    if ns.is_empty() {
        return None;
    }
    MAP.get(&near_miss(ns)).copied()
}

/// The prefix of a namespace URI, matched exactly (`namespaces[uri]`; last entry wins).
pub fn prefix_of(ns: &str) -> Option<&'static str> {
    NAMESPACES
        .iter()
        .rev()
        .find(|(u, _)| *u == ns)
        .map(|(_, p)| *p)
}

/// Whether `prefix` is one of the customary prefixes.
pub fn is_known_prefix(prefix: &str) -> bool {
    NAMESPACES.iter().any(|(_, p)| *p == prefix)
}

/// The first namespace URI customarily bound to `prefix`.
pub fn preferred_uri(prefix: &str) -> &'static str {
    NAMESPACES
        .iter()
        .find(|(_, p)| *p == prefix)
        .map_or("", |(u, _)| u)
}
