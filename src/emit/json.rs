//! JSON Feed 1.1 output: the feed object's head, one item, the tail, written with
//! `serde_json`, through a formatter that starts its pretty layout at any depth.
//!
//! Absent values are left out (never `null`), and the document is pretty-printed with two
//! spaces and ends in a newline. Mapping choices that the model's field docs leave open:
//! - every item needs `content_html` or `content_text`: an entry without content gets its
//!   summary, else its title (see [`entry_title`]), as `content_text`.
//! - `title` is the entry's own title only: JSON Feed items may go without one.
//! - dates are RFC 3339 to the second (see [`rfc3339`]), left out when out of range.
//! - an author's `url` is their home page, else a `mailto:` URL of their e-mail address.
//! - `tags` are bare terms: categories that differ only by scheme become one tag.
//! - an attachment with no MIME type gets `application/octet-stream` (the key is required).
//! - `hubs`: one `WebSub` hub per [`Feed::hubs`], only beside a `feed_url`.
//! - contributors and origins have no JSON Feed field and are left out.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Serializer;
use serde_json::ser::Formatter;
use url::Url;

use super::text::non_empty;
use super::values::{
    date, entry_id, entry_title, feed_title, named_people, rfc3339, unique_categories,
};
use super::{EmitError, Emitter};
use crate::model::{Entry, Feed, Person};

/// The `version` of every feed written.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

/// How deep an item stands: in the feed object, in its `items` array.
const ITEM_LEVEL: usize = 2;

/// The JSON Feed writer for one feed, published at `self_url`.
pub(super) struct Json<'a> {
    feed: &'a Feed,
    self_url: Option<&'a Url>,
}

impl<'a> Json<'a> {
    /// The writer for `feed`, published at `self_url`.
    pub(super) fn new(feed: &'a Feed, self_url: Option<&'a Url>) -> Self {
        Json { feed, self_url }
    }
}

impl Emitter for Json<'_> {
    fn room(&self, entry: &Entry) -> usize {
        let len = |text: &Option<String>| text.as_ref().map_or(0, String::len);
        let link = entry.link.as_ref().map_or(0, |u| u.as_str().len());
        let small = entry.categories.len() + entry.authors.len() + entry.enclosures.len();
        // Quotes and line breaks in the texts are escaped.
        256 + (entry.title.len() + len(&entry.summary) + len(&entry.content_html)) * 9 / 8
            + entry.id.len()
            + link
            + 64 * small
    }

    fn head(&self, out: &mut impl Write) -> Result<(), EmitError> {
        let head = Head::new(self.feed, self.self_url);
        head.serialize(&mut Serializer::with_formatter(&mut *out, Pretty::head()))?;
        // `"items": [` follows the head's fields in the feed object, still open.
        let mut f = Pretty::after_head();
        f.begin_object_key(out, false)?;
        f.begin_string(out)?;
        f.write_string_fragment(out, "items")?;
        f.end_string(out)?;
        f.end_object_key(out)?;
        f.begin_object_value(out)?;
        Ok(f.begin_array(out)?)
    }

    fn entry(&self, index: usize, entry: &Entry, out: &mut Vec<u8>) -> Result<(), EmitError> {
        let mut f = Pretty::at(ITEM_LEVEL);
        // The line break before the item, after a comma for all but the first.
        f.begin_array_value(out, index == 0)?;
        Ok(Item::new(entry).serialize(&mut Serializer::with_formatter(out, f))?)
    }

    fn tail(&self, out: &mut impl Write) -> Result<(), EmitError> {
        let mut f = Pretty {
            has_value: !self.feed.entries.is_empty(),
            ..Pretty::at(ITEM_LEVEL)
        };
        f.end_array(out)?;
        f.end_object_value(out)?;
        f.end_object(out)?;
        Ok(out.write_all(b"\n")?)
    }
}

/// The feed object's fields before `items`, in the order the specification lists them.
#[derive(Debug, Serialize)]
struct Head<'a> {
    version: &'static str,
    title: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
}

/// A WebSub hub of the feed.
#[derive(Debug, Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

impl<'a> Head<'a> {
    fn new(feed: &'a Feed, self_url: Option<&'a Url>) -> Self {
        Head {
            version: VERSION,
            title: feed_title(feed, self_url),
            home_page_url: feed.home_page_url.as_ref().map(Url::as_str),
            feed_url: self_url.map(Url::as_str),
            description: non_empty(feed.description.as_deref()),
            authors: authors(&feed.authors),
            language: non_empty(feed.language.as_deref()),
            hubs: match self_url {
                Some(_) => (feed.hubs.iter())
                    .map(|hub| Hub {
                        kind: "WebSub",
                        url: hub.as_str(),
                    })
                    .collect(),
                None => Vec::new(),
            },
        }
    }
}

/// One item of a JSON Feed.
#[derive(Debug, Serialize)]
struct Item<'a> {
    id: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Debug, Serialize)]
struct Author<'a> {
    name: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<Cow<'a, str>>,
}

#[derive(Debug, Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

impl<'a> Item<'a> {
    fn new(entry: &'a Entry) -> Self {
        let summary = non_empty(entry.summary.as_deref());
        let content_html = non_empty(entry.content_html.as_deref());
        let content_text = match content_html {
            Some(_) => None,
            None => Some(summary.clone().unwrap_or_else(|| entry_title(entry))),
        };
        let attachments = (entry.enclosures.iter())
            .map(|e| Attachment {
                url: e.url.as_str(),
                mime_type: non_empty(Some(&e.mime_type))
                    .unwrap_or(Cow::Borrowed("application/octet-stream")),
                size_in_bytes: e.length,
            })
            .collect();
        Item {
            id: entry_id(entry),
            url: entry.link.as_ref().map(Url::as_str),
            title: non_empty(Some(&entry.title)),
            content_html,
            content_text,
            summary,
            date_published: date(entry.published).map(rfc3339),
            date_modified: date(entry.updated).map(rfc3339),
            authors: authors(&entry.authors),
            tags: unique_tags(entry),
            language: non_empty(entry.language.as_deref()),
            attachments,
        }
    }
}

/// Tags are bare terms: categories that differ only by scheme become one tag.
fn unique_tags(entry: &Entry) -> Vec<Cow<'_, str>> {
    let mut tags: Vec<Cow<'_, str>> = Vec::new();
    for category in unique_categories(&entry.categories) {
        if !tags.contains(&category.term) {
            tags.push(category.term);
        }
    }
    tags
}

fn authors(people: &[Person]) -> Vec<Author<'_>> {
    (named_people(people).into_iter())
        .map(|p| Author {
            url: (p.uri.map(|u| Cow::Borrowed(u.as_str())))
                .or_else(|| p.email.map(|e| Cow::Owned(format!("mailto:{e}")))),
            name: p.name,
        })
        .collect()
}

/// `serde_json`'s pretty layout (two spaces a level, `": "` after keys), started `level`
/// levels deep: an item written alone lines up inside the feed's `items` array.
struct Pretty {
    level: usize,
    has_value: bool,
    /// Leave the outermost object open (its closing brace unwritten), so that the feed's
    /// `items` can follow the head's fields.
    open: bool,
}

impl Pretty {
    /// The layout for a value that stands `level` levels deep.
    fn at(level: usize) -> Self {
        Pretty {
            level,
            has_value: false,
            open: false,
        }
    }

    /// The layout for the feed object's head: the object is left open.
    fn head() -> Self {
        Pretty {
            open: true,
            ..Pretty::at(0)
        }
    }

    /// The layout inside the feed object, after the head's fields.
    fn after_head() -> Self {
        Pretty {
            has_value: true,
            ..Pretty::at(1)
        }
    }

    /// A line break and the current level's indentation.
    fn line<W: ?Sized + Write>(&self, out: &mut W, comma: bool) -> io::Result<()> {
        out.write_all(if comma { b",\n" } else { b"\n" })?;
        (0..self.level).try_for_each(|_| out.write_all(b"  "))
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(out, false)?;
        }
        out.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        if self.open && self.level == 1 {
            return Ok(());
        }
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(out, false)?;
        }
        out.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value` as `serde_json::to_vec_pretty` writes it, and through [`Pretty`].
    fn both(value: &serde_json::Value) -> (String, String) {
        let mut out = Vec::new();
        let pretty = &mut Serializer::with_formatter(&mut out, Pretty::at(0));
        value.serialize(pretty).expect("serialised");
        let ours = String::from_utf8(out).expect("UTF-8");
        let theirs = serde_json::to_string_pretty(value).expect("serialised");
        (ours, theirs)
    }

    #[test]
    fn the_layout_is_serde_jsons_pretty_one() {
        let value = serde_json::json!({
            "a": [], "b": {}, "c": [1, {"d": [true, null, "x\"y"]}], "e": {"f": {"g": 1.5}}
        });
        let (ours, theirs) = both(&value);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_value_started_deeper_is_indented_deeper() {
        let mut out = Vec::new();
        let value = serde_json::json!({"id": "a", "tags": ["x"]});
        value
            .serialize(&mut Serializer::with_formatter(&mut out, Pretty::at(2)))
            .expect("serialised");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "{\n      \"id\": \"a\",\n      \"tags\": [\n        \"x\"\n      ]\n    }"
        );
    }
}
