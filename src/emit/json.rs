//! JSON Feed 1.1 output, written with `serde_json`.
//!
//! Absent values are left out (never `null`), and the document is pretty-printed with two
//! spaces and ends in a newline. Mapping choices that the model's field docs leave open:
//! - every item needs `content_html` or `content_text`: an entry without content gets its
//!   summary, else its title, as `content_text`.
//! - dates are RFC 3339 to the second (see [`super::rfc3339`]).
//! - an author's `url` is their home page, else a `mailto:` URL of their e-mail address.
//! - an attachment with no MIME type gets `application/octet-stream` (the key is required).

use serde::Serialize;

use super::{
    EmitError, entry_id, entry_title, feed_title, named_people, non_empty, rfc3339,
    unique_categories,
};
use rayon::prelude::*;

use url::Url;

use crate::model::{Entry, Feed, Person};

/// The `version` of every feed written.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

/// Writes `feed` as a JSON Feed 1.1 document (UTF-8, ending in a newline).
pub fn to_json(feed: &Feed, self_url: Option<&Url>) -> Result<Vec<u8>, EmitError> {
    let mut out = document(&JsonFeed::new(feed, self_url))?;
    out.push(b'\n');
    Ok(out)
}

/// Writes `feed` as [`to_json`] does, without the final newline.
pub(super) fn document(feed: &JsonFeed) -> Result<Vec<u8>, EmitError> {
    Ok(serde_json::to_vec_pretty(feed)?)
}

/// Writes `item` alone in an object's `items` array, the way [`to_json`] writes it in a
/// feed (the same indentation); [`super::parts`] cuts it out.
/// `room` is the number of bytes to reserve.
pub(super) fn item_document(item: &JsonItem, room: usize) -> Result<Vec<u8>, EmitError> {
    #[derive(Serialize)]
    struct Items<'a> {
        items: [&'a JsonItem; 1],
    }
    let mut out = Vec::with_capacity(room);
    serde_json::to_writer_pretty(&mut out, &Items { items: [item] })?;
    Ok(out)
}

/// The top-level JSON Feed object, fields in the order the specification lists them.
#[derive(Debug, Serialize)]
pub(super) struct JsonFeed {
    version: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    pub(super) items: Vec<JsonItem>,
}

/// One item of a JSON Feed.
#[derive(Debug, Serialize)]
pub(super) struct JsonItem {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<JsonAttachment>,
}

#[derive(Debug, Serialize)]
struct JsonAuthor {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Debug, Serialize)]
struct JsonAttachment {
    url: String,
    mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

impl JsonFeed {
    /// The feed object for `feed` with `items` in place of its entries.
    pub(super) fn with_items(feed: &Feed, self_url: Option<&Url>, items: Vec<JsonItem>) -> Self {
        JsonFeed {
            items,
            ..JsonFeed::shell(feed, self_url)
        }
    }

    fn new(feed: &Feed, self_url: Option<&Url>) -> Self {
        JsonFeed {
            items: feed.entries.par_iter().map(JsonItem::new).collect(),
            ..JsonFeed::shell(feed, self_url)
        }
    }

    /// The feed object for `feed` without its items.
    fn shell(feed: &Feed, self_url: Option<&Url>) -> Self {
        JsonFeed {
            version: VERSION,
            title: feed_title(feed, self_url),
            home_page_url: feed.home_page_url.as_ref().map(|u| u.to_string()),
            feed_url: self_url.map(|u| u.to_string()),
            description: non_empty(feed.description.as_deref()),
            authors: authors(&feed.authors),
            language: non_empty(feed.language.as_deref()),
            items: Vec::new(),
        }
    }
}

impl JsonItem {
    /// The item for `entry`.
    pub(super) fn new(entry: &Entry) -> Self {
        let title = non_empty(Some(&entry.title));
        let summary = non_empty(entry.summary.as_deref());
        let content_html = non_empty(entry.content_html.as_deref());
        let content_text = match content_html {
            Some(_) => None,
            None => Some(summary.clone().unwrap_or_else(|| entry_title(entry))),
        };
        JsonItem {
            id: entry_id(entry),
            url: entry.link.as_ref().map(|u| u.to_string()),
            title,
            content_html,
            content_text,
            summary,
            date_published: entry.published.map(rfc3339),
            date_modified: entry.updated.map(rfc3339),
            authors: authors(&entry.authors),
            tags: unique_tags(entry),
            language: non_empty(entry.language.as_deref()),
            attachments: entry
                .enclosures
                .iter()
                .map(|e| JsonAttachment {
                    url: e.url.to_string(),
                    mime_type: non_empty(Some(&e.mime_type))
                        .unwrap_or_else(|| "application/octet-stream".to_string()),
                    size_in_bytes: e.length,
                })
                .collect(),
        }
    }
}

/// Tags are bare terms: categories that differ only by scheme become one tag.
fn unique_tags(entry: &Entry) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for category in unique_categories(&entry.categories) {
        if !tags.contains(&category.term) {
            tags.push(category.term);
        }
    }
    tags
}

fn authors(people: &[Person]) -> Vec<JsonAuthor> {
    named_people(people)
        .into_iter()
        .map(|p| JsonAuthor {
            url: p
                .uri
                .map(|u| u.to_string())
                .or_else(|| p.email.map(|e| format!("mailto:{e}"))),
            name: p.name,
        })
        .collect()
}
