//! Element and attribute names as feedparser sees them: a namespace is known by its URI, not
//! by the prefix a feed happens to write, so `<rss:title>`, `<atom:link>` in RSS and Atom
//! 1.0's default namespace all read as the core elements, and `<dcterms:modified>` is
//! `dcterms:modified` whatever its prefix. Names are lowercased. A prefix no declaration
//! binds is taken as written (with a warning), as feedparser's lenient parser does.

use std::collections::HashMap;

/// The namespaces feedparser knows, by URI (lowercase), and the prefix it reads them under;
/// `""` for the core feed formats (RSS 0.90–2.0, RSS 1.0, Atom 0.3 and 1.0).
const KNOWN: &[(&str, &str)] = &[
    ("http://backend.userland.com/rss", ""),
    ("http://blogs.law.harvard.edu/tech/rss", ""),
    ("http://purl.org/rss/1.0/", ""),
    ("http://my.netscape.com/rdf/simple/0.9/", ""),
    ("http://example.com/newformat#", ""),
    ("http://example.com/necho", ""),
    ("http://purl.org/echo/", ""),
    ("uri/of/echo/namespace#", ""),
    ("http://purl.org/pie/", ""),
    ("http://purl.org/atom/ns#", ""),
    ("http://www.w3.org/2005/atom", ""),
    ("http://purl.org/rss/1.0/modules/rss091#", ""),
    ("http://webns.net/mvcb/", "admin"),
    ("http://purl.org/rss/1.0/modules/aggregation/", "ag"),
    ("http://purl.org/rss/1.0/modules/annotate/", "annotate"),
    ("http://media.tangent.org/rss/1.0/", "audio"),
    (
        "http://backend.userland.com/blogchannelmodule",
        "blogchannel",
    ),
    ("http://creativecommons.org/ns#license", "cc"),
    ("http://web.resource.org/cc/", "cc"),
    (
        "http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html",
        "creativecommons",
    ),
    (
        "http://backend.userland.com/creativecommonsrssmodule",
        "creativecommons",
    ),
    ("http://purl.org/rss/1.0/modules/company", "co"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://my.theinfo.org/changed/1.0/rss/", "cp"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/dc/terms/", "dcterms"),
    ("http://purl.org/rss/1.0/modules/email/", "email"),
    ("http://purl.org/rss/1.0/modules/event/", "ev"),
    ("http://rssnamespace.org/feedburner/ext/1.0", "feedburner"),
    ("http://freshmeat.net/rss/fm/", "fm"),
    ("http://xmlns.com/foaf/0.1/", "foaf"),
    ("http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"),
    ("http://www.georss.org/georss", "georss"),
    ("http://www.opengis.net/gml", "gml"),
    ("http://postneo.com/icbm/", "icbm"),
    ("http://purl.org/rss/1.0/modules/image/", "image"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://example.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://purl.org/rss/1.0/modules/link/", "l"),
    ("http://search.yahoo.com/mrss", "media"),
    ("http://search.yahoo.com/mrss/", "media"),
    (
        "http://madskills.com/public/xml/rss/module/pingback/",
        "pingback",
    ),
    ("http://prismstandard.org/namespaces/1.2/basic/", "prism"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://www.w3.org/2000/01/rdf-schema#", "rdfs"),
    ("http://purl.org/rss/1.0/modules/reference/", "ref"),
    ("http://purl.org/rss/1.0/modules/richequiv/", "reqv"),
    ("http://purl.org/rss/1.0/modules/search/", "search"),
    ("http://purl.org/rss/1.0/modules/slash/", "slash"),
    ("http://schemas.xmlsoap.org/soap/envelope/", "soap"),
    ("http://purl.org/rss/1.0/modules/servicestatus/", "ss"),
    ("http://hacks.benhammersley.com/rss/streaming/", "str"),
    ("http://purl.org/rss/1.0/modules/subscription/", "sub"),
    ("http://purl.org/rss/1.0/modules/syndication/", "sy"),
    ("http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"),
    ("http://purl.org/rss/1.0/modules/taxonomy/", "taxo"),
    ("http://purl.org/rss/1.0/modules/threading/", "thr"),
    ("http://purl.org/rss/1.0/modules/textinput/", "ti"),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "trackback",
    ),
    ("http://wellformedweb.org/commentapi/", "wfw"),
    ("http://purl.org/rss/1.0/modules/wiki/", "wiki"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/1999/xlink", "xlink"),
    ("http://www.w3.org/xml/1998/namespace", "xml"),
    ("http://podlove.org/simple-chapters", "psc"),
];

/// The prefix feedparser reads the namespace `uri` under, if it knows it.
pub fn standard_prefix(uri: &str) -> Option<&'static str> {
    let uri = uri.trim().to_lowercase();
    if uri.contains("backend.userland.com/rss") {
        return Some("");
    }
    KNOWN.iter().find(|(u, _)| *u == uri).map(|(_, p)| *p)
}

/// The namespace declarations in scope, innermost last for each prefix.
#[derive(Default)]
pub struct Namespaces {
    /// Prefix as written (`""` for the default namespace) → what it reads as, innermost last.
    scopes: HashMap<Box<str>, Vec<Box<str>>>,
    /// The prefixes each open element declared, in order, to undo at its end.
    declared: Vec<Vec<Box<str>>>,
    /// Prefixes used but never declared, each warned about once.
    pub undeclared: Vec<String>,
}

impl Namespaces {
    /// Opens an element with these attributes (its `xmlns` declarations come into scope).
    pub fn open<'a>(&mut self, attrs: impl Iterator<Item = (&'a str, &'a str)>) {
        let mut here = Vec::new();
        for (key, uri) in attrs {
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(p) if p.starts_with(':') => &p[1..],
                _ => continue,
            };
            let reads_as = match standard_prefix(uri) {
                Some(p) => p.to_string(),
                // An unknown default namespace reads as no namespace; an unknown prefix as
                // written.
                None => prefix.to_lowercase(),
            };
            (self.scopes.entry(prefix.into()).or_default()).push(reads_as.into());
            here.push(prefix.into());
        }
        self.declared.push(here);
    }

    /// Closes the innermost open element, its declarations going out of scope.
    pub fn close(&mut self) {
        for prefix in self.declared.pop().unwrap_or_default() {
            if let Some(stack) = self.scopes.get_mut(&prefix) {
                stack.pop();
            }
        }
    }

    /// What `prefix` reads as here: its namespace's standard prefix, or itself.
    fn reads_as(&mut self, prefix: &str) -> String {
        if let Some(p) = self.scopes.get(prefix).and_then(|s| s.last()) {
            return p.to_string();
        }
        let lower = prefix.to_lowercase();
        if !prefix.is_empty()
            && lower != "xml"
            && lower != "xmlns"
            && !self.undeclared.contains(&lower)
        {
            self.undeclared.push(lower.clone());
        }
        lower
    }

    /// An element's name as feedparser matches it: `title`, `dc:date`, `media:title`.
    pub fn element(&mut self, written: &str) -> String {
        let (prefix, local) = written.split_once(':').unwrap_or(("", written));
        let reads_as = self.reads_as(prefix);
        join(&reads_as, local)
    }

    /// An attribute's name: unprefixed names as they are, prefixed ones as for elements.
    pub fn attribute(&mut self, written: &str) -> String {
        match written.split_once(':') {
            Some(("xmlns", _)) | None => written.to_lowercase(),
            Some((prefix, local)) => {
                let reads_as = self.reads_as(prefix);
                join(&reads_as, local)
            }
        }
    }
}

fn join(prefix: &str, local: &str) -> String {
    let local = local.to_lowercase();
    if prefix.is_empty() {
        local
    } else {
        format!("{prefix}:{local}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_table() {
        let mut ns = Namespaces::default();
        ns.open(
            [
                ("xmlns", "http://www.w3.org/2005/Atom"),
                ("xmlns:d", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:rss", "http://purl.org/rss/1.0/"),
                ("xmlns:foo", "http://example.org/unknown"),
                ("xmlns:m", "http://search.yahoo.com/mrss/"),
            ]
            .into_iter(),
        );
        let rows = [
            ("title", "title"),
            ("Title", "title"),
            ("d:date", "dc:date"),
            ("rss:item", "item"),
            ("foo:title", "foo:title"),
            ("m:Title", "media:title"),
            ("dc:date", "dc:date"),
        ];
        for (written, want) in rows {
            assert_eq!(ns.element(written), want, "{written}");
        }
        assert_eq!(ns.undeclared, ["dc"]);
        assert_eq!(ns.attribute("xml:base"), "xml:base");
        assert_eq!(ns.attribute("HREF"), "href");
        ns.open([("xmlns", "http://search.yahoo.com/mrss/")].into_iter());
        assert_eq!(ns.element("group"), "media:group");
        ns.close();
        assert_eq!(ns.element("group"), "group");
    }
}
