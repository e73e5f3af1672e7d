//! RSS 2.0 output, written with the `rss` crate.
//!
//! The channel always declares the `atom`, `dc` and `content` namespaces. Mapping choices
//! that the model's field docs leave open:
//! - `<link>` (required): the home page URL, else the feed URL, else the feed id.
//! - `<description>` (required): the feed description, else the title.
//! - `<lastBuildDate>`: [`Feed::updated`], else the newest entry date; left out for an
//!   undated feed. Never the clock.
//! - item `<pubDate>`: `published`, else `updated` (RFC 2822, see [`super::rfc2822`]); left
//!   out for an undated entry.
//! - item `<description>`: the plain text summary, HTML-escaped, because readers treat RSS
//!   descriptions as HTML; without a summary, the content HTML (validators want a
//!   description before `<content:encoded>`, and readers without the content module show it).
//! - item `<source url>`: only when the origin's feed URL is known (the attribute is
//!   required).

use std::collections::BTreeMap;

use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Channel, Guid, Item};

use super::{
    EmitError, GENERATOR, entry_id, entry_title, escape_html, feed_id, feed_title, feed_updated,
    named_people, non_empty, rfc2822, unique_categories,
};
use crate::dates::representable;
use rayon::prelude::*;

use url::Url;

use crate::model::{Entry, Feed};

/// The Atom namespace, for `<atom:link rel="self">`.
pub const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";
/// The Dublin Core elements namespace, for `<dc:creator>` and `<dc:contributor>`.
pub const DC_NAMESPACE: &str = "http://purl.org/dc/elements/1.1/";
/// The RSS 1.0 content module namespace, for `<content:encoded>`.
pub const CONTENT_NAMESPACE: &str = "http://purl.org/rss/1.0/modules/content/";

/// Writes `feed` as an RSS 2.0 document (UTF-8, ending in a newline).
pub fn to_rss(feed: &Feed, self_url: Option<&Url>) -> Result<Vec<u8>, EmitError> {
    let mut out = document(&channel(feed, self_url))?;
    out.push(b'\n');
    Ok(out)
}

/// Writes `channel` as [`to_rss`] does, without the final newline.
pub(super) fn document(channel: &Channel) -> Result<Vec<u8>, EmitError> {
    document_in(channel, Vec::new())
}

/// [`document`], written into `buffer` (which may come with room reserved).
fn document_in(channel: &Channel, buffer: Vec<u8>) -> Result<Vec<u8>, EmitError> {
    Ok(hex_char_refs(channel.pretty_write_to(buffer, b' ', 2)?))
}

/// Rewrites the escapes `&amp;`, `&lt;` and `&gt;` outside CDATA sections as the hexadecimal
/// character references `&#x26;`, `&#x3C;` and `&#x3E;`: the same XML, in the form the RSS
/// Best Practices Profile recommends for plain text, which tells validators that a title such
/// as `a<b` is text, not markup. CDATA sections (HTML) are copied unchanged.
pub fn hex_char_refs(xml: Vec<u8>) -> Vec<u8> {
    const OPEN: &[u8] = b"<![CDATA[";
    const CLOSE: &[u8] = b"]]>";
    let open = memchr::memmem::Finder::new(OPEN);
    let close = memchr::memmem::Finder::new(CLOSE);
    if !has_escape_outside_cdata(&xml, &open, &close) {
        return xml;
    }
    let xml = xml.as_slice();
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 16);
    let mut rest = xml;
    while let Some(start) = open.find(rest) {
        replace_escapes(&rest[..start], &mut out);
        let cdata = &rest[start..];
        let end = close.find(cdata).map_or(cdata.len(), |i| i + CLOSE.len());
        out.extend_from_slice(&cdata[..end]);
        rest = &cdata[end..];
    }
    replace_escapes(rest, &mut out);
    out
}

/// Whether any `&` stands outside CDATA sections (most feeds have none: no copy needed).
fn has_escape_outside_cdata(
    xml: &[u8],
    open: &memchr::memmem::Finder<'_>,
    close: &memchr::memmem::Finder<'_>,
) -> bool {
    let mut rest = xml;
    loop {
        let markup_end = open.find(rest).unwrap_or(rest.len());
        if memchr::memchr(b'&', &rest[..markup_end]).is_some() {
            return true;
        }
        if markup_end == rest.len() {
            return false;
        }
        let cdata = &rest[markup_end..];
        let end = close.find(cdata).map_or(cdata.len(), |i| i + 3);
        rest = &cdata[end..];
    }
}

/// Copies `markup` to `out` with `&amp;`, `&lt;` and `&gt;` written as hexadecimal references.
fn replace_escapes(markup: &[u8], out: &mut Vec<u8>) {
    let mut rest = markup;
    while let Some(i) = memchr::memchr(b'&', rest) {
        out.extend_from_slice(&rest[..i]);
        let tail = &rest[i..];
        let (replacement, skip): (&[u8], usize) = if tail.starts_with(b"&amp;") {
            (b"&#x26;", 5)
        } else if tail.starts_with(b"&lt;") {
            (b"&#x3C;", 4)
        } else if tail.starts_with(b"&gt;") {
            (b"&#x3E;", 4)
        } else {
            (b"&", 1)
        };
        out.extend_from_slice(replacement);
        rest = &tail[skip..];
    }
    out.extend_from_slice(rest);
}

/// Builds the `rss` crate's channel for `feed`, before it is written.
pub fn channel(feed: &Feed, self_url: Option<&Url>) -> Channel {
    Channel {
        items: feed.entries.par_iter().map(item).collect(),
        ..channel_shell(feed, self_url)
    }
}

/// The channel for `feed` without its items.
pub(super) fn channel_shell(feed: &Feed, self_url: Option<&Url>) -> Channel {
    let title = feed_title(feed, self_url);
    let link = feed
        .home_page_url
        .as_ref()
        .or(self_url)
        .map(|u| u.to_string())
        .unwrap_or_else(|| feed_id(feed, self_url));
    let description = non_empty(feed.description.as_deref()).unwrap_or_else(|| title.clone());

    Channel {
        title,
        link,
        description,
        language: non_empty(feed.language.as_deref()),
        last_build_date: feed_updated(feed)
            .filter(|d| representable(*d))
            .map(rfc2822),
        generator: Some(GENERATOR.to_string()),
        extensions: self_link(self_url),
        namespaces: namespaces(),
        ..Channel::default()
    }
}

/// The namespaces every channel declares.
fn namespaces() -> BTreeMap<String, String> {
    [
        ("atom", ATOM_NAMESPACE),
        ("content", CONTENT_NAMESPACE),
        ("dc", DC_NAMESPACE),
    ]
    .into_iter()
    .map(|(prefix, uri)| (prefix.to_string(), uri.to_string()))
    .collect()
}

/// Writes `item` alone in an otherwise empty channel, the way [`to_rss`] writes it in a
/// feed (the same indentation and escapes); [`super::parts`] cuts it out.
/// `room` is the number of bytes to reserve.
pub(super) fn item_document(item: Item, room: usize) -> Result<Vec<u8>, EmitError> {
    let channel = Channel {
        items: vec![item],
        namespaces: namespaces(),
        ..Channel::default()
    };
    document_in(&channel, Vec::with_capacity(room))
}

/// `<atom:link href="…" rel="self" type="application/rss+xml"/>` when the feed URL is known.
fn self_link(self_url: Option<&Url>) -> ExtensionMap {
    let mut map = ExtensionMap::new();
    if let Some(url) = self_url {
        let attrs = [
            ("href", url.as_str()),
            ("rel", "self"),
            ("type", "application/rss+xml"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let link = Extension {
            name: "atom:link".to_string(),
            attrs,
            ..Extension::default()
        };
        map.entry("atom".to_string())
            .or_default()
            .insert("link".to_string(), vec![link]);
    }
    map
}

/// One `<item>`.
pub(super) fn item(entry: &Entry) -> Item {
    let link = entry.link.as_ref().map(|u| u.to_string());
    let id = entry_id(entry);
    let guid = Some(Guid {
        permalink: link.as_deref() == Some(id.as_str()),
        value: id,
    });
    let categories = unique_categories(&entry.categories)
        .into_iter()
        .map(|c| rss::Category {
            name: c.term,
            domain: c.scheme,
        })
        .collect();
    let enclosure = entry.enclosures.first().map(|e| rss::Enclosure {
        url: e.url.to_string(),
        length: e.length.unwrap_or(0).to_string(),
        mime_type: non_empty(Some(&e.mime_type))
            .unwrap_or_else(|| "application/octet-stream".to_string()),
    });
    let source = entry.origin.as_ref().and_then(|origin| {
        Some(rss::Source {
            url: origin.feed_url.as_ref()?.to_string(),
            title: non_empty(Some(&origin.title)),
        })
    });
    let creators: Vec<String> = named_people(&entry.authors)
        .into_iter()
        .map(|p| p.name)
        .collect();
    let contributors: Vec<String> = named_people(&entry.contributors)
        .into_iter()
        .map(|p| p.name)
        .collect();
    let dublin_core_ext =
        (!creators.is_empty() || !contributors.is_empty()).then(|| DublinCoreExtension {
            creators,
            contributors,
            ..DublinCoreExtension::default()
        });

    let content = non_empty(entry.content_html.as_deref());
    Item {
        title: Some(entry_title(entry)),
        link,
        description: non_empty(entry.summary.as_deref())
            .map(|s| escape_html(&s))
            .or_else(|| content.clone()),
        categories,
        enclosure,
        guid,
        pub_date: entry.sort_date().filter(|d| representable(*d)).map(rfc2822),
        source,
        content,
        dublin_core_ext,
        ..Item::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_char_refs_copy_nothing_without_escapes() {
        let xml = b"<t>plain</t><d><![CDATA[&amp; <p>]]></d>".to_vec();
        assert_eq!(hex_char_refs(xml.clone()), xml);
    }

    #[test]
    fn hex_char_refs_leave_cdata_alone() {
        let xml = "<t>a &amp; &lt;b&gt;</t><d><![CDATA[&amp; <p>]]></d><u x=\"1&amp;2\"/>";
        assert_eq!(
            String::from_utf8(hex_char_refs(xml.as_bytes().to_vec())).unwrap(),
            "<t>a &#x26; &#x3C;b&#x3E;</t><d><![CDATA[&amp; <p>]]></d><u x=\"1&#x26;2\"/>"
        );
    }
}
