//! A private serde mirror of [`crate::model::Entry`], so the model stays free of storage
//! concerns: JSON in the history, postcard in the article cache. Dates are RFC 3339 text and URLs plain strings; reading back re-parses them.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::model::{Category, Enclosure, Entry, Origin, Person};

/// An [`Entry`] as stored. Field order is part of the content hash: append, never reorder.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredEntry {
    pub id: String,
    pub title: String,
    pub link: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub summary: Option<String>,
    pub content_html: Option<String>,
    pub authors: Vec<StoredPerson>,
    pub contributors: Vec<StoredPerson>,
    pub categories: Vec<StoredCategory>,
    pub enclosures: Vec<StoredEnclosure>,
    pub language: Option<String>,
    pub origin: Option<StoredOrigin>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredPerson {
    name: String,
    email: Option<String>,
    uri: Option<String>,
    role: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredCategory {
    term: String,
    scheme: Option<String>,
    label: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredEnclosure {
    url: String,
    mime_type: String,
    length: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredOrigin {
    title: String,
    feed_url: Option<String>,
    home_page_url: Option<String>,
}

/// Formats a date the way the store keeps it.
pub(super) fn date_text(date: &DateTime<FixedOffset>) -> String {
    date.to_rfc3339()
}

/// Reads a stored date back.
pub(super) fn parse_date(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text).map_err(|e| format!("bad date {text:?}: {e}"))
}

fn url_text(url: &Option<Url>) -> Option<String> {
    url.as_ref().map(Url::to_string)
}

fn parse_url(text: Option<String>) -> Result<Option<Url>, String> {
    text.map(|t| Url::parse(&t).map_err(|e| format!("bad URL {t:?}: {e}")))
        .transpose()
}

fn parse_opt_date(text: Option<String>) -> Result<Option<DateTime<FixedOffset>>, String> {
    text.as_deref().map(parse_date).transpose()
}

impl From<&Entry> for StoredEntry {
    fn from(e: &Entry) -> Self {
        StoredEntry {
            summary: e.summary.clone(),
            content_html: e.content_html.clone(),
            ..StoredEntry::head(e)
        }
    }
}

impl StoredEntry {
    /// What a build that copies `e`'s text from its earlier outputs needs of it: its id,
    /// title, dates and authors (the Atom feed's author depends on them).
    fn thin(e: &Entry) -> Self {
        StoredEntry {
            id: e.id.clone(),
            title: e.title.clone(),
            link: None,
            published: e.published.as_ref().map(date_text),
            updated: e.updated.as_ref().map(date_text),
            summary: None,
            content_html: None,
            authors: e.authors.iter().map(StoredPerson::from).collect(),
            contributors: Vec::new(),
            categories: Vec::new(),
            enclosures: Vec::new(),
            language: None,
            origin: None,
        }
    }

    /// `e` without its summary and content (see [`body_bytes`]).
    fn head(e: &Entry) -> Self {
        StoredEntry {
            id: e.id.clone(),
            title: e.title.clone(),
            link: url_text(&e.link),
            published: e.published.as_ref().map(date_text),
            updated: e.updated.as_ref().map(date_text),
            summary: None,
            content_html: None,
            authors: e.authors.iter().map(StoredPerson::from).collect(),
            contributors: e.contributors.iter().map(StoredPerson::from).collect(),
            categories: e.categories.iter().map(StoredCategory::from).collect(),
            enclosures: e.enclosures.iter().map(StoredEnclosure::from).collect(),
            language: e.language.clone(),
            origin: e.origin.as_ref().map(StoredOrigin::from),
        }
    }
}

impl From<&Person> for StoredPerson {
    fn from(p: &Person) -> Self {
        StoredPerson {
            name: p.name.clone(),
            email: p.email.clone(),
            uri: url_text(&p.uri),
            role: p.role.clone(),
        }
    }
}

impl From<&Category> for StoredCategory {
    fn from(c: &Category) -> Self {
        StoredCategory {
            term: c.term.clone(),
            scheme: c.scheme.clone(),
            label: c.label.clone(),
        }
    }
}

impl From<&Enclosure> for StoredEnclosure {
    fn from(e: &Enclosure) -> Self {
        StoredEnclosure {
            url: e.url.to_string(),
            mime_type: e.mime_type.clone(),
            length: e.length,
        }
    }
}

impl From<&Origin> for StoredOrigin {
    fn from(o: &Origin) -> Self {
        StoredOrigin {
            title: o.title.clone(),
            feed_url: url_text(&o.feed_url),
            home_page_url: url_text(&o.home_page_url),
        }
    }
}

impl StoredEntry {
    /// Turns the stored form back into an [`Entry`]; the error says which value was bad.
    pub fn into_entry(self) -> Result<Entry, String> {
        Ok(Entry {
            id: self.id,
            title: self.title,
            link: parse_url(self.link)?,
            published: parse_opt_date(self.published)?,
            updated: parse_opt_date(self.updated)?,
            summary: self.summary,
            content_html: self.content_html,
            authors: people(self.authors)?,
            contributors: people(self.contributors)?,
            categories: self
                .categories
                .into_iter()
                .map(|c| Category {
                    term: c.term,
                    scheme: c.scheme,
                    label: c.label,
                })
                .collect(),
            enclosures: self
                .enclosures
                .into_iter()
                .map(|e| {
                    Ok(Enclosure {
                        url: Url::parse(&e.url)
                            .map_err(|err| format!("bad URL {:?}: {err}", e.url))?,
                        mime_type: e.mime_type,
                        length: e.length,
                    })
                })
                .collect::<Result<_, String>>()?,
            language: self.language,
            origin: self
                .origin
                .map(|o| {
                    Ok::<_, String>(Origin {
                        title: o.title,
                        feed_url: parse_url(o.feed_url)?,
                        home_page_url: parse_url(o.home_page_url)?,
                    })
                })
                .transpose()?,
        })
    }
}

fn people(stored: Vec<StoredPerson>) -> Result<Vec<Person>, String> {
    stored
        .into_iter()
        .map(|p| {
            Ok(Person {
                name: p.name,
                email: p.email,
                uri: parse_url(p.uri)?,
                role: p.role,
            })
        })
        .collect()
}

/// Serialises an entry to the JSON the store keeps.
pub(super) fn entry_json(entry: &Entry) -> String {
    // Serialising plain strings, options and vectors cannot fail.
    serde_json::to_string(&StoredEntry::from(entry)).unwrap_or_default()
}

/// An entry's summary and content, kept apart from the rest in the article cache: a build
/// that copies an unchanged entry's text from its earlier outputs never reads them.
#[derive(Debug, Serialize, Deserialize)]
struct StoredBody<'a> {
    #[serde(borrow)]
    summary: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    content_html: Option<std::borrow::Cow<'a, str>>,
}

/// Serialises an entry without its summary and content to the compact binary form the
/// article cache keeps (postcard: the fields in order, lengths as varints).
pub(super) fn head_bytes(entry: &Entry) -> Vec<u8> {
    // Serialising plain strings, options and vectors cannot fail.
    postcard::to_stdvec(&StoredEntry::head(entry)).unwrap_or_default()
}

/// Serialises what [`StoredEntry::thin`] keeps of an entry, in the form of [`head_bytes`].
pub(super) fn thin_bytes(entry: &Entry) -> Vec<u8> {
    postcard::to_stdvec(&StoredEntry::thin(entry)).unwrap_or_default()
}

/// Serialises an entry's summary and content (see [`head_bytes`]).
pub(super) fn body_bytes(entry: &Entry) -> Vec<u8> {
    let body = StoredBody {
        summary: entry.summary.as_deref().map(Into::into),
        content_html: entry.content_html.as_deref().map(Into::into),
    };
    postcard::to_stdvec(&body).unwrap_or_default()
}

/// Reads an entry back from [`head_bytes`], without its summary and content.
pub(super) fn entry_from_head(head: &[u8]) -> Result<Entry, String> {
    let stored: StoredEntry =
        postcard::from_bytes(head).map_err(|e| format!("bad cached entry: {e}"))?;
    stored.into_entry()
}

/// Puts the summary and content of [`body_bytes`] into `entry`.
pub(super) fn fill_body(entry: &mut Entry, body: &[u8]) -> Result<(), String> {
    let stored: StoredBody<'_> =
        postcard::from_bytes(body).map_err(|e| format!("bad cached entry body: {e}"))?;
    entry.summary = stored.summary.map(Into::into);
    entry.content_html = stored.content_html.map(Into::into);
    Ok(())
}

/// Reads an entry back from stored JSON.
pub(super) fn entry_from_json(json: &str) -> Result<Entry, String> {
    let stored: StoredEntry =
        serde_json::from_str(json).map_err(|e| format!("bad stored entry: {e}"))?;
    stored.into_entry()
}
