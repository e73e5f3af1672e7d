//! RSS 2.0 output: the channel's head, one `<item>`, the tail, written with quick-xml (see
//! the `xml` module).
//!
//! The channel always declares the `atom`, `dc` and `content` namespaces. Mapping choices
//! that the model's field docs leave open:
//! - `<link>`: the home page URL, else the feed URL; left out when neither is known (RSS
//!   wants one, but the only other candidate, the feed's id, is no web address).
//! - `<description>` (required): the feed description, else the title.
//! - `<lastBuildDate>`: [`Feed::updated`], else the newest entry date; left out for an
//!   undated feed. Never the clock.
//! - `<atom:link rel="self">`: the URL the feed is published at, when known.
//! - `<atom:link rel="hub">`: one per WebSub hub, after the self link, only when there is
//!   one. The companion page is not written: `<link>` stays the site.
//! - item `<title>`: see [`entry_title`]; `<guid>`: see [`entry_id`], a permalink
//!   (`isPermaLink` left to its default, true) only when it is the item's link.
//! - item `<pubDate>`: `published`, else `updated` (RFC 2822, see [`rfc2822`]); left out for
//!   an undated entry.
//! - item `<description>`: the plain text summary, HTML-escaped, because readers treat RSS
//!   descriptions as HTML; without a summary, the content HTML (validators want a
//!   description before `<content:encoded>`, and readers without the content module show it).
//! - item `<enclosure>`: the first enclosure only (RSS allows one); an unknown length is
//!   written `0`, an unknown type `application/octet-stream`.
//! - item `<source url>`: only when the origin's feed URL is known (the attribute is
//!   required).
//! - authors and contributors: one `<dc:creator>` / `<dc:contributor>` per named person.
//! - HTML (item `<description>`, `<content:encoded>`) is written as CDATA; plain text with
//!   hexadecimal references (see [`super::text::Refs::Xml`]).

use std::io::{self, Write};

use url::Url;

use super::atom::ATOM_NAMESPACE;
use super::text::{Refs, escape, non_empty};
use super::values::{
    date, entry_id, entry_title, feed_title, feed_updated, named_people, rfc2822, unique_categories,
};
use super::xml::Xml;
use super::{EmitError, Emitter, GENERATOR};
use crate::model::{Entry, Feed};

/// The Dublin Core elements namespace, for `<dc:creator>` and `<dc:contributor>`.
pub const DC_NAMESPACE: &str = "http://purl.org/dc/elements/1.1/";
/// The RSS 1.0 content module namespace, for `<content:encoded>`.
pub const CONTENT_NAMESPACE: &str = "http://purl.org/rss/1.0/modules/content/";

/// How deep an `<item>` stands: in `<rss>`, in `<channel>`.
const ITEM_LEVEL: usize = 2;

/// The RSS 2.0 writer for one feed, published at `self_url`.
pub(super) struct Rss<'a> {
    feed: &'a Feed,
    self_url: Option<&'a Url>,
}

impl<'a> Rss<'a> {
    /// The writer for `feed`, published at `self_url`.
    pub(super) fn new(feed: &'a Feed, self_url: Option<&'a Url>) -> Self {
        Rss { feed, self_url }
    }
}

impl Emitter for Rss<'_> {
    fn room(&self, entry: &Entry) -> usize {
        let len = |text: &Option<String>| text.as_ref().map_or(0, String::len);
        let content = len(&entry.content_html);
        // Without a summary, the content is written twice.
        let description = match &entry.summary {
            Some(summary) => summary.len() * 5 / 4,
            None => content,
        };
        let link = entry.link.as_ref().map_or(0, |u| u.as_str().len());
        let small = entry.categories.len() + entry.authors.len() + entry.contributors.len();
        320 + 2 * entry.title.len() + entry.id.len() + 2 * link + description + content + 64 * small
    }

    fn head(&self, out: &mut impl Write) -> Result<(), EmitError> {
        let (feed, self_url) = (self.feed, self.self_url);
        let title = feed_title(feed, self_url);
        // A web address or nothing: the feed's id may be a `tag:` URI, which is no page.
        let link = (feed.home_page_url.as_ref().or(self_url))
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let description = non_empty(feed.description.as_deref()).unwrap_or_else(|| title.clone());

        let mut x = Xml::new(out, 0);
        x.declaration()?;
        x.open(
            "rss",
            &[
                ("version", Some("2.0")),
                ("xmlns:atom", Some(ATOM_NAMESPACE)),
                ("xmlns:content", Some(CONTENT_NAMESPACE)),
                ("xmlns:dc", Some(DC_NAMESPACE)),
            ],
        )?;
        x.open("channel", &[])?;
        x.text("title", &[], &title)?;
        if let Some(link) = link {
            x.text("link", &[], link.as_str())?;
        }
        x.text("description", &[], &description)?;
        if let Some(language) = non_empty(feed.language.as_deref()) {
            x.text("language", &[], &language)?;
        }
        if let Some(updated) = feed_updated(feed) {
            x.text("lastBuildDate", &[], &rfc2822(updated))?;
        }
        x.text("generator", &[], GENERATOR)?;
        if let Some(url) = self_url {
            let attrs = [
                ("href", Some(url.as_str())),
                ("rel", Some("self")),
                ("type", Some("application/rss+xml")),
            ];
            x.empty("atom:link", &attrs)?;
            for hub in &feed.hubs {
                let attrs = [("href", Some(hub.as_str())), ("rel", Some("hub"))];
                x.empty("atom:link", &attrs)?;
            }
        }
        Ok(())
    }

    fn entry(&self, _index: usize, entry: &Entry, out: &mut Vec<u8>) -> Result<(), EmitError> {
        Ok(item(entry, &mut Xml::new(out, ITEM_LEVEL))?)
    }

    fn tail(&self, out: &mut impl Write) -> Result<(), EmitError> {
        let mut x = Xml::new(out, ITEM_LEVEL);
        x.close("channel")?;
        x.close("rss")?;
        Ok(x.end()?)
    }
}

/// One `<item>`.
fn item(entry: &Entry, x: &mut Xml<impl Write>) -> io::Result<()> {
    let link = entry.link.as_ref().map(Url::as_str);
    let id = entry_id(entry);
    let content = non_empty(entry.content_html.as_deref());
    let description = match non_empty(entry.summary.as_deref()) {
        Some(summary) => Some(escape(summary, Refs::Html)),
        None => content.clone(),
    };

    x.open("item", &[])?;
    x.text("title", &[], &entry_title(entry))?;
    if let Some(link) = link {
        x.text("link", &[], link)?;
    }
    if let Some(description) = &description {
        x.html("description", &[], description)?;
    }
    for category in unique_categories(&entry.categories) {
        let domain = category.scheme.as_deref();
        x.text("category", &[("domain", domain)], &category.term)?;
    }
    if let Some(enclosure) = entry.enclosures.first() {
        let length = enclosure.length.unwrap_or(0).to_string();
        let mime_type = non_empty(Some(&enclosure.mime_type));
        let attrs = [
            ("url", Some(enclosure.url.as_str())),
            ("length", Some(length.as_str())),
            (
                "type",
                Some(mime_type.as_deref().unwrap_or("application/octet-stream")),
            ),
        ];
        x.empty("enclosure", &attrs)?;
    }
    let permalink = link == Some(id.as_ref());
    x.text(
        "guid",
        &[("isPermaLink", (!permalink).then_some("false"))],
        &id,
    )?;
    if let Some(published) = date(entry.published).or(date(entry.updated)) {
        x.text("pubDate", &[], &rfc2822(published))?;
    }
    if let Some(origin) = &entry.origin
        && let Some(url) = &origin.feed_url
    {
        let attrs = [("url", Some(url.as_str()))];
        match non_empty(Some(&origin.title)) {
            Some(title) => x.text("source", &attrs, &title)?,
            None => x.empty("source", &attrs)?,
        }
    }
    if let Some(content) = &content {
        x.html("content:encoded", &[], content)?;
    }
    for person in named_people(&entry.contributors) {
        x.text("dc:contributor", &[], &person.name)?;
    }
    for person in named_people(&entry.authors) {
        x.text("dc:creator", &[], &person.name)?;
    }
    x.close("item")
}
