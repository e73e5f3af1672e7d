//! One fetched page → its article, or why there is none: the answer must be an HTML page;
//! its text is decoded (the HTTP `charset`, a BOM, `<meta charset>`, UTF-8, a guess); the
//! HTML reader finds the article (JSON-LD `articleBody`, `<article>`, the densest block, or
//! the source's selectors) without the page's furniture; the result is sanitised, its
//! relative links and images made absolute against the page's final URL.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use url::Url;

use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::error::SourceError;
use crate::merge::poll::{FetchSchedule, stamp};
use crate::merge::{self, MergeError, Page, PageFetch, PageRecord, PageText};
use crate::source::html::{FetchedPage, read_fetched};
use crate::source::{Body, FieldKey, ReadOptions, SourceKind, sniff_kind};

/// What one page gave.
#[derive(Debug)]
pub(super) enum Read {
    /// Its article, and what the reader said about the source's selectors.
    Text(PageText, Validators, Vec<Diagnostic>),
    /// No article; the item keeps its own content.
    Failed(Failure),
}

/// The `ETag` and `Last-Modified` of an answer read.
#[derive(Debug, Clone, Default)]
pub(super) struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Why a page gave no article, and when to try it again.
#[derive(Debug)]
pub(super) struct Failure {
    /// Why, without the page's URL.
    pub reason: String,
    /// How the failure counts.
    pub kind: FailureKind,
    /// The validators of an answer that was read but held no article: sent back next
    /// time, so an unchanged page costs a `304` rather than a download.
    pub validators: Validators,
}

/// How a failure counts towards the page's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FailureKind {
    /// A failure: the next try waits longer after each one (or until the server's
    /// `Retry-After`, when it gave one).
    Failed(Option<DateTime<Utc>>),
    /// The address guard refused the page: this side's rule, not the server's failure, so
    /// the next run tries again.
    Refused,
    /// Not asked: its host asked, earlier in this run, to be left alone until then.
    HostWaits(DateTime<Utc>),
}

impl Failure {
    /// Reading the page failed in a way the reader did not foresee (a bug).
    pub fn crashed() -> Failure {
        Failure::new("reading the page crashed", FailureKind::Failed(None))
    }

    fn new(reason: impl Into<String>, kind: FailureKind) -> Failure {
        Failure {
            reason: reason.into(),
            kind,
            validators: Validators::default(),
        }
    }

    /// The record to keep after this failure, following `previous`'s schedule; the
    /// validators are those of the last answer read (`previous`'s, when this try read none).
    pub fn record(&self, previous: Option<&PageRecord>, now: DateTime<Utc>) -> PageRecord {
        let before = previous.map(|p| &p.schedule);
        let schedule = match self.kind {
            FailureKind::Failed(asked) => FetchSchedule::failed(before, now, asked),
            FailureKind::Refused | FailureKind::HostWaits(_) => FetchSchedule {
                checked_at: now,
                failures: before.map_or(0, |s| s.failures),
                retry_after: match self.kind {
                    FailureKind::HostWaits(until) => Some(until),
                    _ => None,
                },
                backoff_until: None,
                fresh_until: None,
            },
        };
        let read = self.validators.etag.is_some() || self.validators.last_modified.is_some();
        let (etag, last_modified) = match (read, previous) {
            (false, Some(p)) => (p.etag.clone(), p.last_modified.clone()),
            _ => (
                self.validators.etag.clone(),
                self.validators.last_modified.clone(),
            ),
        };
        PageRecord {
            text: None,
            schedule,
            etag,
            last_modified,
        }
    }
}

/// Reads what fetching one page gave, with `options` (the source's selectors); dates
/// without an offset are in `zone`.
pub(super) fn read(
    fetched: PageFetch,
    options: &ReadOptions,
    zone: Tz,
    now: DateTime<Utc>,
) -> Read {
    match fetched {
        PageFetch::Fetched(page) => {
            let validators = Validators {
                etag: page.etag.clone(),
                last_modified: page.last_modified.clone(),
            };
            match article(&page, options, zone) {
                Ok((text, warnings)) => Read::Text(text, validators, warnings),
                Err(reason) => Read::Failed(Failure {
                    validators,
                    ..Failure::new(reason, FailureKind::Failed(None))
                }),
            }
        }
        PageFetch::NotModified => Read::Failed(Failure::new(
            "unchanged since the last try, which found no article in it",
            FailureKind::Failed(None),
        )),
        PageFetch::Failed(e) => Read::Failed(fetch_failure(&e, now)),
        PageFetch::HostWaits(until) => Read::Failed(Failure::new(
            format!(
                "not fetched: its host asked to wait until {}",
                stamp(&until)
            ),
            FailureKind::HostWaits(until),
        )),
    }
}

/// A failed fetch: refused by the guard, or failed (with the server's `Retry-After`).
fn fetch_failure(e: &MergeError, now: DateTime<Utc>) -> Failure {
    let asked = (e.retry_after()).map(|r| r.until(now)).filter(|t| *t > now);
    let mut reason = e.reason();
    if let Some(until) = asked {
        reason.push_str(&format!(
            "; the server asks to wait until {}",
            stamp(&until)
        ));
    }
    let kind = match e {
        MergeError::Refused { .. } => FailureKind::Refused,
        _ => FailureKind::Failed(asked),
    };
    Failure::new(reason, kind)
}

/// The article of an HTML page and the warnings about the selectors, or why there is none.
fn article(
    page: &Page,
    options: &ReadOptions,
    zone: Tz,
) -> Result<(PageText, Vec<Diagnostic>), String> {
    check_html(page)?;
    let charset = page.content_type.as_deref().and_then(merge::charset_param);
    let fetched = FetchedPage {
        url: &page.final_url,
        bytes: &page.body,
        charset: charset.as_deref(),
    };
    let article = read_fetched(fetched, options).map_err(|e| match e {
        SourceError::Invalid { reason, .. } => reason,
        other => other.to_string(),
    })?;
    let Body::Html(raw) = &article.body else {
        return Err("no article found in the page".into());
    };
    let content_html = merge::clean_external_html(raw, Some(&page.final_url));
    if merge::html_to_text(&content_html).is_empty() {
        return Err("no article text found in the page".into());
    }
    let published =
        (article.field(FieldKey::Published)).and_then(|f| dates::parse(&f.value, zone).ok());
    let authors = (article.fields.iter())
        .filter(|f| matches!(f.key, FieldKey::Person(role) if role.is_author()))
        .map(|f| f.value.clone())
        .collect();
    let text = PageText {
        content_html,
        published,
        authors,
    };
    Ok((text, selector_warnings(article.warnings)))
}

/// An HTML page by its `Content-Type`, or (without one) by its first bytes.
fn check_html(page: &Page) -> Result<(), String> {
    match page.content_type.as_deref() {
        Some(ct) => {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            match mime.as_str() {
                "text/html" | "application/xhtml+xml" => Ok(()),
                _ => Err(format!("not an HTML page (Content-Type: {mime})")),
            }
        }
        None if sniff_kind(&page.body) == SourceKind::Html => Ok(()),
        None => Err("not an HTML page (no Content-Type, and it does not read as one)".into()),
    }
}

/// The warnings of a page worth passing on: those about the source's selectors (a page's
/// broken JSON-LD or missing end tags are the site's business).
fn selector_warnings(warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    (warnings.into_iter())
        .filter(|w| w.message.contains(" selector `"))
        .collect()
}

/// Whether `date` is no more than a day after `now` (a later one is no publication date).
pub(super) fn not_future(date: &DateTime<FixedOffset>, now: DateTime<Utc>) -> bool {
    date.to_utc() <= now + chrono::Duration::days(1)
}

/// An item's link, when it is a page that can be fetched.
pub(super) fn fetchable(link: Option<&Url>) -> Option<&Url> {
    link.filter(|l| matches!(l.scheme(), "http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(content_type: Option<&str>, body: &str) -> Page {
        Page {
            body: body.as_bytes().to_vec(),
            content_type: content_type.map(str::to_owned),
            final_url: Url::parse("https://x.example/a").expect("url"),
            etag: Some("\"e\"".into()),
            last_modified: None,
        }
    }

    #[test]
    fn only_html_pages_are_read() {
        let rows = [
            (Some("text/html; charset=utf-8"), "<p>x</p>", true),
            (Some("APPLICATION/XHTML+XML"), "<p>x</p>", true),
            (Some("application/pdf"), "%PDF", false),
            (Some("application/rss+xml"), "<rss/>", false),
            (None, "<!DOCTYPE html><html><p>x</p></html>", true),
            (None, "plain text", false),
        ];
        for (content_type, body, html) in rows {
            assert_eq!(
                check_html(&page(content_type, body)).is_ok(),
                html,
                "{content_type:?}"
            );
        }
    }

    #[test]
    fn failures_count_as_their_kind_and_keep_the_validators_of_what_was_read() {
        let now = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .expect("date")
            .to_utc();
        let zone = chrono_tz::UTC;
        let options = ReadOptions::default();
        let read_pdf = read(
            PageFetch::Fetched(page(Some("application/pdf"), "%PDF")),
            &options,
            zone,
            now,
        );
        let Read::Failed(failure) = read_pdf else {
            panic!("a PDF is no article");
        };
        let record = failure.record(None, now);
        assert_eq!(
            (record.schedule.failures, record.etag.as_deref()),
            (1, Some("\"e\""))
        );
        assert_eq!(
            record.schedule.backoff_until,
            Some(now + chrono::Duration::minutes(5))
        );
        let failed = MergeError::fetch("https://x.example/a", "timed out after 30s");
        let Read::Failed(failure) = read(PageFetch::Failed(failed), &options, zone, now) else {
            panic!("a failure");
        };
        assert_eq!(failure.kind, FailureKind::Failed(None));
        let until = now + chrono::Duration::minutes(2);
        let Read::Failed(waits) = read(PageFetch::HostWaits(until), &options, zone, now) else {
            panic!("a failure");
        };
        let record = waits.record(Some(&record), now);
        assert_eq!(
            (record.schedule.failures, record.schedule.retry_after),
            (1, Some(until))
        );
        let Read::Failed(unchanged) = read(PageFetch::NotModified, &options, zone, now) else {
            panic!("a 304 of a page without an article is a failure");
        };
        let record = unchanged.record(Some(&record), now);
        let kept = (record.schedule.failures, record.etag.as_deref());
        assert_eq!(
            kept,
            (2, Some("\"e\"")),
            "the validators of the last answer read"
        );
    }
}
