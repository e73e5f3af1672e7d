//! Removing the same story published by several sources (or twice by one): entries are the
//! same when they share an id, else a normalised link, else a title and date. Of two copies
//! the one with more content wins; ties keep the first seen.

use std::collections::HashMap;

use url::Url;

use super::content::{clean_external_html, html_to_text};
use crate::model::Entry;

/// Drops duplicate entries, keeping the richer copy, in first-seen order.
pub fn dedupe(entries: Vec<Entry>) -> Vec<Entry> {
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(entries.len() * 3);
    for entry in entries {
        let keys = keys(&entry);
        match keys.iter().find_map(|k| index.get(k).copied()) {
            Some(at) => {
                if richness(&entry) > richness(&kept[at]) {
                    for k in self::keys(&kept[at]) {
                        index.entry(k).or_insert(at);
                    }
                    kept[at] = entry;
                }
                for k in keys {
                    index.entry(k).or_insert(at);
                }
            }
            None => {
                let at = kept.len();
                for k in keys {
                    index.entry(k).or_insert(at);
                }
                kept.push(entry);
            }
        }
    }
    kept
}

fn keys(e: &Entry) -> Vec<String> {
    let mut keys = Vec::with_capacity(3);
    if !e.id.is_empty() {
        keys.push(format!("id\u{0}{}", e.id));
    }
    if let Some(link) = &e.link {
        keys.push(format!("link\u{0}{}", normalize_link(link)));
    }
    if let Some(date) = e.sort_date() {
        let title = e.title.trim().to_lowercase();
        if !title.is_empty() {
            keys.push(format!("title\u{0}{title}\u{0}{}", date.timestamp()));
        }
    }
    keys
}

/// How much a reader gets of the entry: the characters of text in its content (as
/// sanitised, markup aside: an image or a removed script adds nothing) and its summary.
fn richness(e: &Entry) -> usize {
    let text = |html: &str| {
        html_to_text(&clean_external_html(html, None))
            .chars()
            .count()
    };
    e.content_html.as_deref().map_or(0, text)
        + e.summary.as_deref().map_or(0, |s| s.chars().count())
}

/// A link with what does not change the page removed: the scheme (http = https), a leading
/// `www.`, a trailing slash, the fragment and `utm_*` parameters.
pub fn normalize_link(url: &Url) -> String {
    let host = url.host_str().unwrap_or("").to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if query.is_empty() {
        format!("{host}{port}{path}")
    } else {
        format!("{host}{port}{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn entry(id: &str, link: Option<&str>, title: &str, content: &str) -> Entry {
        Entry {
            id: id.into(),
            link: link.map(|l| Url::parse(l).unwrap()),
            title: title.into(),
            content_html: Some(content.into()),
            published: DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z").ok(),
            ..Entry::default()
        }
    }

    #[test]
    fn normalises_links() {
        let a = Url::parse("https://www.Example.com/a/?utm_source=x&id=2#top").unwrap();
        let b = Url::parse("http://example.com/a?id=2").unwrap();
        assert_eq!(normalize_link(&a), normalize_link(&b));
        let c = Url::parse("http://example.com/a?id=3").unwrap();
        assert_ne!(normalize_link(&a), normalize_link(&c));
    }

    #[test]
    fn dedupes_by_id_link_then_title_and_date_keeping_the_richer() {
        let out = dedupe(vec![
            entry("1", None, "A", "short"),
            entry("1", None, "A again", "much longer content"),
            entry("2", Some("https://www.e.com/x/"), "B", "b"),
            entry("3", Some("http://e.com/x?utm_medium=rss"), "B'", "b"),
            entry("4", None, "Same Title", "c"),
            entry("5", None, "same title", "cc"),
            entry("6", None, "Other", "d"),
        ]);
        let ids: Vec<_> = out.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "5", "6"]);
        assert_eq!(out[0].title, "A again");
    }

    #[test]
    fn the_copy_with_more_text_wins_whatever_its_markup() {
        let link = Some("https://e.example/story");
        let raw = r#"<p>First<script>alert(1)</script><img src="/pix.gif" onload="x()"></p>"#;
        let worded = "<p>First, copied with more words than the original had</p>";
        let out = dedupe(vec![
            entry("rss", link, "Story", raw),
            entry("atom", link, "Story", worded),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].id, "atom");
    }
}
