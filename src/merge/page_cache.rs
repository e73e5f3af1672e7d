//! The page cache: what is kept, between runs, of the web pages merged items link to, for
//! their full text. One [`PageRecord`] per item of a feed, keyed by the item's id and link:
//! the article extracted from its page (so a page is fetched once, not on every run), or,
//! while its fetches fail, when it may be tried again ([`FetchSchedule`]: backoff and
//! `Retry-After`), with the validators of the last answer read.
//!
//! [`PageCache`] is the contract, beside [`FetchCache`](super::FetchCache): the state
//! store's runs implement it for `feedloom build` (storing [`PageRecord::to_json`]),
//! [`DirCache`] keeps one file per item in its folder for `feedloom merge --cache`, and
//! [`NoCache`] keeps nothing. Like the fetch cache it is infallible (a record that cannot be
//! read is a miss) and used from one thread.

use std::fs;
use std::io;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::cache::{DirCache, NoCache, write_atomically};
use super::poll::FetchSchedule;

/// The article read from an item's page, sanitised and with absolute links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    /// The article as HTML, safe to publish.
    pub content_html: String,
    /// The page's publication date, for an item the feed gives none.
    pub published: Option<DateTime<FixedOffset>>,
    /// The page's authors, for an item the feed names none.
    pub authors: Vec<String>,
}

/// What is kept of one item's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecord {
    /// The article, once a fetch gave one; `None` while the page fails.
    pub text: Option<PageText>,
    /// When the page was last tried, the failures in a row since, and when it may be tried
    /// again.
    pub schedule: FetchSchedule,
    /// The `ETag` of the last answer read, sent back when the page is asked for again.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last answer read, sent back likewise.
    pub last_modified: Option<String>,
}

/// Where the full text of merged items is kept between runs. Records belong to a `feed`:
/// the name of the feed definition whose items they are, or what else keeps items apart
/// (`feedloom merge` gives each source's URL).
pub trait PageCache {
    /// The record of the page of item `id` (linking to `link`) in `feed`, if any.
    fn page(&self, feed: &str, id: &str, link: &Url) -> Option<PageRecord>;
    /// Replaces the record of the page of item `id` (linking to `link`) in `feed`.
    fn put_page(&self, feed: &str, id: &str, link: &Url, record: &PageRecord);
    /// Forgets the records of `feed` whose item id is not one of `ids` (the items still in
    /// the feed or its history).
    fn forget_pages_except(&self, feed: &str, ids: &[&str]);
}

/// A stored record that does not read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BadPageRecord {
    /// The text is not JSON of the record's form.
    #[error("bad page record: {0}")]
    Json(#[from] serde_json::Error),
    /// A date in it is not RFC 3339.
    #[error("bad page record: bad date {0:?}")]
    Date(String),
}

/// A [`PageRecord`] as stored: dates as RFC 3339 text.
#[derive(Serialize, Deserialize)]
struct StoredRecord {
    checked_at: String,
    failures: u32,
    retry_after: Option<String>,
    backoff_until: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    text: Option<StoredText>,
}

#[derive(Serialize, Deserialize)]
struct StoredText {
    content_html: String,
    published: Option<String>,
    authors: Vec<String>,
}

impl PageRecord {
    /// The record as one JSON text, the form every store keeps.
    pub fn to_json(&self) -> String {
        let utc = |t: &DateTime<Utc>| t.to_rfc3339();
        let stored = StoredRecord {
            checked_at: utc(&self.schedule.checked_at),
            failures: self.schedule.failures,
            retry_after: self.schedule.retry_after.as_ref().map(utc),
            backoff_until: self.schedule.backoff_until.as_ref().map(utc),
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
            text: self.text.as_ref().map(|t| StoredText {
                content_html: t.content_html.clone(),
                published: t.published.map(|d| d.to_rfc3339()),
                authors: t.authors.clone(),
            }),
        };
        // Serialising strings, numbers and options cannot fail.
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a record back from [`PageRecord::to_json`].
    pub fn from_json(json: &str) -> Result<PageRecord, BadPageRecord> {
        let stored: StoredRecord = serde_json::from_str(json)?;
        let date = |t: &str| {
            DateTime::parse_from_rfc3339(t).map_err(|_| BadPageRecord::Date(t.to_owned()))
        };
        let utc = |t: Option<String>| t.map(|t| date(&t).map(|d| d.to_utc())).transpose();
        let text = match stored.text {
            Some(t) => Some(PageText {
                published: t.published.as_deref().map(date).transpose()?,
                content_html: t.content_html,
                authors: t.authors,
            }),
            None => None,
        };
        Ok(PageRecord {
            text,
            schedule: FetchSchedule {
                checked_at: date(&stored.checked_at)?.to_utc(),
                failures: stored.failures,
                retry_after: utc(stored.retry_after)?,
                backoff_until: utc(stored.backoff_until)?,
                fresh_until: None,
            },
            etag: stored.etag,
            last_modified: stored.last_modified,
        })
    }
}

impl PageCache for NoCache {
    fn page(&self, _feed: &str, _id: &str, _link: &Url) -> Option<PageRecord> {
        None
    }

    fn put_page(&self, _feed: &str, _id: &str, _link: &Url, _record: &PageRecord) {}

    fn forget_pages_except(&self, _feed: &str, _ids: &[&str]) {}
}

/// A record as a [`DirCache`] file holds it: the key beside the record.
#[derive(Serialize, Deserialize)]
struct PageFile {
    feed: String,
    id: String,
    link: String,
    record: String,
}

/// The start of the names of `feed`'s page files: `page-<hash of feed>-`.
fn prefix(feed: &str) -> String {
    let hash = blake3::hash(feed.as_bytes()).to_hex();
    format!("page-{}-", &hash.as_str()[..16])
}

/// `page-<hash of feed>-<hash of feed, id and link>.json`.
fn file_name(feed: &str, id: &str, link: &Url) -> String {
    let key = format!("{feed}\0{id}\0{link}");
    format!(
        "{}{}.json",
        prefix(feed),
        blake3::hash(key.as_bytes()).to_hex()
    )
}

impl PageCache for DirCache {
    fn page(&self, feed: &str, id: &str, link: &Url) -> Option<PageRecord> {
        let bytes = fs::read(self.dir().join(file_name(feed, id, link))).ok()?;
        let file: PageFile = serde_json::from_slice(&bytes).ok()?;
        let ours = file.feed == feed && file.id == id && file.link == link.as_str();
        ours.then(|| PageRecord::from_json(&file.record).ok())?
    }

    fn put_page(&self, feed: &str, id: &str, link: &Url, record: &PageRecord) {
        let file = PageFile {
            feed: feed.to_owned(),
            id: id.to_owned(),
            link: link.to_string(),
            record: record.to_json(),
        };
        let written = serde_json::to_vec(&file)
            .map_err(io::Error::other)
            .and_then(|json| {
                fs::create_dir_all(self.dir())?;
                write_atomically(self.dir(), &file_name(feed, id, link), &json)
            });
        if let Err(e) = written {
            tracing::warn!("{}: cannot keep the page {link}: {e}", self.dir().display());
        }
    }

    fn forget_pages_except(&self, feed: &str, ids: &[&str]) {
        let prefix = prefix(feed);
        let Ok(listing) = fs::read_dir(self.dir()) else {
            return;
        };
        for item in listing.flatten() {
            let name = item.file_name();
            if !name.to_string_lossy().starts_with(&prefix) {
                continue;
            }
            let path = item.path();
            let kept = (fs::read(&path).ok())
                .and_then(|bytes| serde_json::from_slice::<PageFile>(&bytes).ok())
                .is_some_and(|file| file.feed != feed || ids.contains(&file.id.as_str()));
            if !kept && let Err(e) = fs::remove_file(&path) {
                tracing::warn!("{}: cannot forget a page: {e}", path.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: Option<&str>) -> PageRecord {
        let at = DateTime::parse_from_rfc3339("2024-01-01T08:00:00+08:00").expect("date");
        PageRecord {
            text: text.map(|html| PageText {
                content_html: html.to_owned(),
                published: Some(at),
                authors: vec!["Ann".into()],
            }),
            schedule: FetchSchedule::failed(None, at.to_utc(), None),
            etag: Some("\"v1\"".into()),
            last_modified: None,
        }
    }

    #[test]
    fn records_read_back_as_written() {
        for r in [record(Some("<p>a</p>")), record(None)] {
            assert_eq!(PageRecord::from_json(&r.to_json()).expect("reads"), r);
        }
        assert!(PageRecord::from_json("{").is_err());
    }

    #[test]
    fn a_dir_cache_keeps_pages_by_feed_id_and_link_and_forgets_the_gone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = DirCache::new(dir.path().join("cache"));
        let (a, b) = (
            Url::parse("https://x.example/a").expect("url"),
            Url::parse("https://x.example/b").expect("url"),
        );
        cache.put_page("f", "1", &a, &record(Some("<p>a</p>")));
        cache.put_page("f", "2", &b, &record(None));
        cache.put_page("g", "1", &a, &record(None));
        assert_eq!(cache.page("f", "1", &a), Some(record(Some("<p>a</p>"))));
        assert_eq!(cache.page("f", "1", &b), None, "another link");
        cache.forget_pages_except("f", &["2"]);
        assert_eq!(cache.page("f", "1", &a), None);
        assert_eq!(cache.page("f", "2", &b), Some(record(None)));
        assert_eq!(cache.page("g", "1", &a), Some(record(None)), "another feed");
    }
}
