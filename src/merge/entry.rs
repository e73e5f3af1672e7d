//! One entry as the reader collects it ([`RawEntry`]: texts with their types, links as
//! written, dates as read), and how it becomes a model [`Entry`]: titles and summaries as
//! plain text, content sanitised, links absolute, authors, categories and enclosures.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, Utc};
use regex::Regex;
use url::Url;

use super::content::{clean_external_html, collapse_space, html_to_text, text_to_html};
use super::text::TextValue;
use crate::model::{Category, Enclosure, Entry, Person};

/// A date element's value: `None` when its text was no date (it still replaces an earlier
/// one, as in feedparser).
pub type ReadDate = Option<DateTime<FixedOffset>>;

/// A person as written: the parts of an Atom person, or RSS's `jane@example.com (Jane)`.
#[derive(Debug, Clone, Default)]
pub struct RawPerson {
    /// `<name>`, or the element's own text.
    pub name: Option<String>,
    /// `<email>`.
    pub email: Option<String>,
    /// `<uri>`, `<url>` or `<homepage>`, resolved.
    pub uri: Option<Url>,
}

/// A media file: an RSS `<enclosure>`, an Atom `rel="enclosure"` link, `<media:content>`.
#[derive(Debug, Clone)]
pub struct RawEnclosure {
    /// Its URL, resolved.
    pub url: Url,
    /// Its media type, if given.
    pub mime: Option<String>,
    /// Its size in bytes, if given.
    pub length: Option<u64>,
}

/// An entry being read. Each field follows feedparser's rule for it.
#[derive(Debug, Default)]
pub struct RawEntry {
    /// `<guid>`, `<id>` or `rdf:about`.
    pub id: Option<String>,
    /// The title and the depth it was read at (a deeper one does not replace it).
    pub title: Option<(TextValue, usize)>,
    /// The entry's page, resolved against the base in scope where it was written.
    pub link: Option<Url>,
    /// `<pubDate>`, `<published>`, `<issued>`, `<dcterms:issued>`: the last one read.
    pub published: Option<ReadDate>,
    /// `<updated>`, `<modified>`, `<dc:date>`, `<dcterms:modified>`: the last one read.
    pub updated: Option<ReadDate>,
    /// `<created>`, `<dcterms:created>`.
    pub created: Option<ReadDate>,
    /// The summary and its depth.
    pub summary: Option<(TextValue, usize)>,
    /// Whether feedparser would see a summary (content of a text type counts).
    pub has_summary: bool,
    /// The content (the last one read).
    pub content: Option<TextValue>,
    /// Whether a content element was read.
    pub has_content: bool,
    /// Authors.
    pub authors: Vec<RawPerson>,
    /// Contributors.
    pub contributors: Vec<RawPerson>,
    /// Categories, in order, without repeats.
    pub categories: Vec<Category>,
    /// Enclosures.
    pub enclosures: Vec<RawEnclosure>,
    /// The language in scope at the entry.
    pub language: Option<String>,
    /// The base URL in scope at the entry, for relative URLs in its HTML.
    pub base: Option<Url>,
}

impl RawEntry {
    /// Adds a category unless it is empty or already there.
    pub fn add_category(&mut self, term: &str, scheme: Option<&str>, label: Option<&str>) {
        let term = collapse_space(term);
        if term.is_empty() {
            return;
        }
        let category = Category {
            term,
            scheme: scheme.map(str::to_string).filter(|s| !s.is_empty()),
            label: label.map(collapse_space).filter(|l| !l.is_empty()),
        };
        if !self.categories.contains(&category) {
            self.categories.push(category);
        }
    }

    /// The model entry. `atom` says whether the document is Atom (outside Atom a lone
    /// date is both the publication and the update date); `feed_authors` stand in for missing authors;
    /// `base` resolves what `self.base` does not.
    pub fn finish(
        self,
        atom: bool,
        feed_authors: &[Person],
        base: &Url,
        lang: Option<&str>,
    ) -> Entry {
        let base = self.base.unwrap_or_else(|| base.clone());
        let link = self
            .link
            .filter(|u| matches!(u.scheme(), "http" | "https" | "ftp" | "file"));
        let html_base = link.as_ref().unwrap_or(&base);
        let summary = self.summary.map(|(s, _)| s);
        let content_html = self
            .content
            .map(|c| as_html(c, html_base))
            .or_else(|| {
                let s = summary.as_ref().filter(|s| s.html)?;
                Some(clean_external_html(&s.value, Some(html_base)))
            })
            .filter(|h| !h.is_empty());
        let mut authors = people(self.authors);
        if authors.is_empty() {
            authors = feed_authors.to_vec();
        }
        // Dates are kept in UTC, as merged entries always were.
        let utc = |d: ReadDate| d.map(|d| d.with_timezone(&Utc).fixed_offset());
        let mut updated = utc(self.updated.flatten());
        let mut published = utc(self.published.flatten().or(self.created.flatten()));
        if !atom {
            // Outside Atom one date stands for both: a lone `dc:date` is the publication
            // date, and an item never changed since its `pubDate` was updated then.
            (published, updated) = (published.or(updated), updated.or(published));
        }
        Entry {
            id: self.id.map(|i| i.trim().to_string()).unwrap_or_default(),
            title: self.title.map(|(t, _)| plain(&t)).unwrap_or_default(),
            link,
            published,
            updated,
            summary: summary.as_ref().map(plain).filter(|s| !s.is_empty()),
            content_html,
            authors,
            contributors: people(self.contributors),
            categories: self.categories,
            enclosures: enclosures(self.enclosures),
            language: self.language.or(lang.map(str::to_string)),
            origin: None,
        }
    }
}

fn as_html(content: TextValue, base: &Url) -> String {
    if content.html {
        clean_external_html(&content.value, Some(base))
    } else {
        text_to_html(&content.value)
    }
}

/// A text construct as plain text.
pub fn plain(t: &TextValue) -> String {
    if t.html {
        html_to_text(&t.value)
    } else {
        collapse_space(&t.value)
    }
}

/// The people read, each with a name (or an e-mail address standing in for one).
pub fn people(raw: Vec<RawPerson>) -> Vec<Person> {
    raw.into_iter()
        .filter_map(|p| {
            let (name, email) = split_email(p.name.as_deref(), p.email.as_deref());
            let name = name.or_else(|| email.clone())?;
            Some(Person {
                name,
                email,
                uri: p.uri,
                role: None,
            })
        })
        .collect()
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([a-zA-Z0-9_\-.+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?)(\?subject=\S+)?")
        .expect("a valid pattern")
});

/// A person written as one text, RSS-style (`jane@example.com (Jane Doe)`, `Jane Doe
/// <jane@example.com>`): the address found in it, and the rest as the name, as feedparser
/// splits them. A separate `email` stays as it is.
pub fn split_email(name: Option<&str>, email: Option<&str>) -> (Option<String>, Option<String>) {
    let clean = |s: &str| Some(collapse_space(s)).filter(|s| !s.is_empty());
    let name = name.and_then(clean);
    let email = email.and_then(clean);
    let (Some(text), None) = (&name, &email) else {
        return (name, email);
    };
    let Some(found) = EMAIL.find(text) else {
        return (name, email);
    };
    let address = found.as_str().to_string();
    let rest = text
        .replace(&address, "")
        .replace("()", "")
        .replace("<>", "");
    let rest = rest.trim();
    let rest = rest.strip_prefix('(').unwrap_or(rest);
    let rest = rest.strip_suffix(')').unwrap_or(rest);
    (clean(rest), Some(address))
}

fn enclosures(raw: Vec<RawEnclosure>) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    for e in raw {
        if out.iter().any(|o| o.url == e.url) {
            continue;
        }
        out.push(Enclosure {
            url: e.url,
            mime_type: (e.mime.filter(|m| !m.trim().is_empty()))
                .unwrap_or_else(|| "application/octet-stream".into()),
            length: e.length,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_rss_author_addresses() {
        let rows = [
            (
                "jane@example.com (Jane Doe)",
                Some("Jane Doe"),
                Some("jane@example.com"),
            ),
            ("Jane Doe (editor)", Some("Jane Doe (editor)"), None),
            (
                "Jane Doe (jane@example.com)",
                Some("Jane Doe"),
                Some("jane@example.com"),
            ),
            (
                "Jane Doe <jane@example.com>",
                Some("Jane Doe"),
                Some("jane@example.com"),
            ),
            ("jane@example.com", None, Some("jane@example.com")),
        ];
        for (text, name, email) in rows {
            let (n, e) = split_email(Some(text), None);
            assert_eq!((n.as_deref(), e.as_deref()), (name, email), "{text}");
        }
    }
}
