//! JSON Feed 1.0 and 1.1, read leniently: every field optional, ids given as numbers
//! accepted, 1.0's `author` and 1.1's `authors` both read, bad dates dropped.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::Value;
use url::Url;

use super::content::{clean_external_html, collapse_space, html_to_text, text_to_html};
use super::dates::parse_date;
use super::error::ParseError;
use super::parse::ParsedFeed;
use super::reader::MAX_ENTRIES;
use crate::model::{Category, Enclosure, Entry, Person};

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonFeed {
    version: Option<String>,
    title: Option<String>,
    home_page_url: Option<String>,
    author: Option<JsonAuthor>,
    authors: Vec<JsonAuthor>,
    language: Option<String>,
    items: Items,
}

/// The items of a feed: the first [`MAX_ENTRIES`] kept, the rest read (so the document is
/// still checked) but only counted, so that a feed of a million tiny items stays small.
#[derive(Default)]
struct Items {
    kept: Vec<JsonItem>,
    dropped: usize,
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Capped;
        impl<'de> Visitor<'de> for Capped {
            type Value = Items;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of items")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
                let mut items = Items::default();
                while items.kept.len() < MAX_ENTRIES {
                    match seq.next_element()? {
                        Some(item) => items.kept.push(item),
                        None => return Ok(items),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    items.dropped += 1;
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(Capped)
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct JsonAuthor {
    name: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonItem {
    id: Option<Value>,
    url: Option<String>,
    external_url: Option<String>,
    title: Option<String>,
    content_html: Option<String>,
    content_text: Option<String>,
    summary: Option<String>,
    date_published: Option<String>,
    date_modified: Option<String>,
    author: Option<JsonAuthor>,
    authors: Vec<JsonAuthor>,
    tags: Vec<Value>,
    language: Option<String>,
    attachments: Vec<JsonAttachment>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonAttachment {
    url: Option<String>,
    mime_type: Option<String>,
    size_in_bytes: Option<u64>,
}

/// Parses a JSON Feed; `base` resolves relative URLs.
pub fn parse(text: &str, base: &Url) -> Result<ParsedFeed, ParseError> {
    let feed: JsonFeed = serde_json::from_str(text)?;
    if !feed
        .version
        .as_deref()
        .is_some_and(|v| v.contains("jsonfeed.org"))
    {
        return Err(ParseError::NotJsonFeed);
    }
    let home = feed
        .home_page_url
        .as_deref()
        .and_then(|u| base.join(u).ok());
    let feed_authors = people(feed.author.as_ref(), &feed.authors, base);
    let mut warnings = Vec::new();
    let dropped = feed.items.dropped;
    if dropped > 0 {
        warnings.push(format!(
            "more than {MAX_ENTRIES} entries: the first {MAX_ENTRIES} are read, {dropped} dropped"
        ));
    }
    let entries = (feed.items.kept.into_iter())
        .map(|item| entry(item, base, &feed_authors, feed.language.as_deref()))
        .collect();
    Ok(ParsedFeed {
        title: collapse_space(feed.title.as_deref().unwrap_or("")),
        home_page_url: home,
        entries,
        warnings,
    })
}

fn entry(item: JsonItem, base: &Url, feed_authors: &[Person], feed_lang: Option<&str>) -> Entry {
    let link = item
        .url
        .as_deref()
        .or(item.external_url.as_deref())
        .and_then(|u| base.join(u.trim()).ok());
    let id = match item.id {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let html_base = link.as_ref().unwrap_or(base);
    let content_html = match (&item.content_html, &item.content_text) {
        (Some(h), _) => Some(clean_external_html(h, Some(html_base))),
        (None, Some(t)) => Some(text_to_html(t)),
        (None, None) => None,
    }
    .filter(|h| !h.is_empty());
    let mut authors = people(item.author.as_ref(), &item.authors, base);
    if authors.is_empty() {
        authors = feed_authors.to_vec();
    }
    let categories = item
        .tags
        .iter()
        .filter_map(|t| t.as_str())
        .map(|t| Category::term(t.trim()))
        .filter(|c| !c.term.is_empty())
        .collect();
    let enclosures = item
        .attachments
        .iter()
        .filter_map(|a| {
            Some(Enclosure {
                url: base.join(a.url.as_deref()?.trim()).ok()?,
                mime_type: a
                    .mime_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
                length: a.size_in_bytes,
            })
        })
        .collect();
    Entry {
        id,
        title: html_to_text(item.title.as_deref().unwrap_or("")),
        link,
        published: item.date_published.as_deref().and_then(parse_date),
        updated: item.date_modified.as_deref().and_then(parse_date),
        summary: item
            .summary
            .as_deref()
            .map(collapse_space)
            .filter(|s| !s.is_empty()),
        content_html,
        authors,
        contributors: Vec::new(),
        categories,
        enclosures,
        language: item.language.or(feed_lang.map(str::to_string)),
        origin: None,
    }
}

fn people(one: Option<&JsonAuthor>, many: &[JsonAuthor], base: &Url) -> Vec<Person> {
    many.iter()
        .chain(one)
        .filter_map(|a| {
            let name = a.name.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
            Some(Person {
                name: name.to_string(),
                uri: a.url.as_deref().and_then(|u| base.join(u).ok()),
                ..Person::default()
            })
        })
        .collect()
}
