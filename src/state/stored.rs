//! A private serde mirror of [`crate::model::Entry`], so the model stays free of storage
//! concerns: JSON in the history, postcard in the article cache. Dates are RFC 3339 text and
//! URLs plain strings; reading back parses them again.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::model::{Category, Enclosure, Entry, Origin, Person};

/// Why a stored value could not be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Unreadable {
    /// An article cache row is not postcard of the current form.
    #[error("bad cached entry: {0}")]
    Postcard(#[from] postcard::Error),
    /// A history row is not JSON of the current form.
    #[error("bad stored entry: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored date is not RFC 3339.
    #[error("bad date {text:?}: {source}")]
    Date {
        /// The stored text.
        text: String,
        /// Why chrono refused it.
        source: chrono::ParseError,
    },
    /// A page record (crate::merge::PageRecord) does not read back.
    #[error(transparent)]
    Page(#[from] crate::merge::BadPageRecord),
    /// A stored URL does not parse.
    #[error("bad URL {text:?}: {source}")]
    Url {
        /// The stored text.
        text: String,
        /// Why the url crate refused it.
        source: url::ParseError,
    },
}

/// An [`Entry`] as stored. Field order is part of the stored form: append, never reorder.
#[derive(Debug, Serialize, Deserialize)]
struct StoredEntry {
    id: String,
    title: String,
    link: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    summary: Option<String>,
    content_html: Option<String>,
    authors: Vec<StoredPerson>,
    contributors: Vec<StoredPerson>,
    categories: Vec<StoredCategory>,
    enclosures: Vec<StoredEnclosure>,
    language: Option<String>,
    origin: Option<StoredOrigin>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredPerson {
    name: String,
    email: Option<String>,
    uri: Option<String>,
    role: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredCategory {
    term: String,
    scheme: Option<String>,
    label: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredEnclosure {
    url: String,
    mime_type: String,
    length: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredOrigin {
    title: String,
    feed_url: Option<String>,
    home_page_url: Option<String>,
}

/// Formats a date the way the store keeps it.
pub(super) fn date_text(date: &DateTime<FixedOffset>) -> String {
    date.to_rfc3339()
}

/// Reads a stored date back.
pub(super) fn parse_date(text: &str) -> Result<DateTime<FixedOffset>, Unreadable> {
    DateTime::parse_from_rfc3339(text).map_err(|source| Unreadable::Date {
        text: text.to_owned(),
        source,
    })
}

fn url_text(url: &Option<Url>) -> Option<String> {
    url.as_ref().map(Url::to_string)
}

fn parse_url(text: Option<String>) -> Result<Option<Url>, Unreadable> {
    text.map(|text| Url::parse(&text).map_err(|source| Unreadable::Url { text, source }))
        .transpose()
}

fn parse_opt_date(text: Option<String>) -> Result<Option<DateTime<FixedOffset>>, Unreadable> {
    text.as_deref().map(parse_date).transpose()
}

impl From<&Entry> for StoredEntry {
    fn from(e: &Entry) -> Self {
        StoredEntry {
            id: e.id.clone(),
            title: e.title.clone(),
            link: url_text(&e.link),
            published: e.published.as_ref().map(date_text),
            updated: e.updated.as_ref().map(date_text),
            summary: e.summary.clone(),
            content_html: e.content_html.clone(),
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
    fn into_entry(self) -> Result<Entry, Unreadable> {
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
            categories: (self.categories.into_iter())
                .map(|c| Category {
                    term: c.term,
                    scheme: c.scheme,
                    label: c.label,
                })
                .collect(),
            enclosures: (self.enclosures.into_iter())
                .map(|e| {
                    Ok(Enclosure {
                        url: Url::parse(&e.url).map_err(|source| Unreadable::Url {
                            text: e.url.clone(),
                            source,
                        })?,
                        mime_type: e.mime_type,
                        length: e.length,
                    })
                })
                .collect::<Result<_, Unreadable>>()?,
            language: self.language,
            origin: (self.origin)
                .map(|o| {
                    Ok::<_, Unreadable>(Origin {
                        title: o.title,
                        feed_url: parse_url(o.feed_url)?,
                        home_page_url: parse_url(o.home_page_url)?,
                    })
                })
                .transpose()?,
        })
    }
}

fn people(stored: Vec<StoredPerson>) -> Result<Vec<Person>, Unreadable> {
    (stored.into_iter())
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

/// Serialises an entry to the JSON the history keeps.
pub(super) fn entry_json(entry: &Entry) -> String {
    // Serialising plain strings, options and vectors cannot fail.
    serde_json::to_string(&StoredEntry::from(entry)).unwrap_or_default()
}

/// Reads an entry back from [`entry_json`].
pub(super) fn entry_from_json(json: &str) -> Result<Entry, Unreadable> {
    serde_json::from_str::<StoredEntry>(json)?.into_entry()
}

/// Serialises an entry to the compact binary form the article cache keeps (postcard: the
/// fields in order, lengths as varints).
pub(super) fn entry_bytes(entry: &Entry) -> Vec<u8> {
    // Serialising plain strings, options and vectors cannot fail.
    postcard::to_stdvec(&StoredEntry::from(entry)).unwrap_or_default()
}

/// Reads an entry back from [`entry_bytes`].
pub(super) fn entry_from_bytes(bytes: &[u8]) -> Result<Entry, Unreadable> {
    postcard::from_bytes::<StoredEntry>(bytes)?.into_entry()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_as_written() {
        let date = DateTime::parse_from_rfc3339("2020-07-10T09:52:00+08:00").ok();
        let url = |s: &str| Url::parse(s).ok();
        let entry = Entry {
            id: "https://example.com/a".into(),
            title: "铜价".into(),
            link: url("https://example.com/a"),
            published: date,
            summary: Some("s".into()),
            content_html: Some("<p>c</p>".into()),
            authors: vec![Person::named("记者")],
            categories: vec![Category::term("铜")],
            enclosures: vec![Enclosure {
                url: url("https://example.com/a.mp3").expect("url"),
                mime_type: "audio/mpeg".into(),
                length: Some(3),
            }],
            origin: Some(Origin {
                title: "o".into(),
                feed_url: url("https://o.example/feed"),
                home_page_url: None,
            }),
            ..Entry::default()
        };
        assert_eq!(
            entry_from_bytes(&entry_bytes(&entry)).expect("postcard"),
            entry
        );
        assert_eq!(entry_from_json(&entry_json(&entry)).expect("json"), entry);
        assert!(matches!(
            entry_from_bytes(b"\xff"),
            Err(Unreadable::Postcard(_))
        ));
        assert!(matches!(parse_date("x"), Err(Unreadable::Date { .. })));
    }
}
