//! The companion page of a feed: one HTML document for people who open the feed in a
//! browser, since browsers show feeds as plain text and are dropping the XSLT that once
//! dressed them up.
//!
//! The page holds the feed's title and description; a subscribe block with, per format, the
//! feed's address in a read-only field (selectable by hand; a small script adds a Copy
//! button where it can reach the clipboard), a `feed://` link for feed readers and a link to
//! the document itself; then the newest entries with their titles, links, dates in the
//! feed's time zone, authors and summaries. Its `<head>` carries a `<link rel="alternate">`
//! for every format, so browsers and readers discover the feeds from the page.
//!
//! It is rendered with maud, whose templates escape every value they splice in; the only
//! unescaped text is the page's own style sheet and script, which are constants. Text from
//! the feed is cleaned of control characters first, and an entry link is a link only when it
//! is an `http(s)` address. Plain HTML and CSS: the page reads the same without its script,
//! and fits a phone's screen. Like every emitter it is deterministic: the same feed gives the
//! same bytes.
//!
//! Unlike the feed writers, the page is not written as a head, entries and a tail: a
//! template needs its elements balanced, and a page shows a few dozen entries at most.

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use url::Url;

use super::Format;
use super::text::non_empty;
use super::values::{date, entry_title, feed_title, named_people, rfc3339};
use crate::model::{Entry, Feed, is_web_address};

/// How many entries a page shows when the caller does not say.
pub const PAGE_ENTRIES: usize = 20;

/// One format a page offers to subscribe to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The format of the document.
    pub format: Format,
    /// Where it is published, when known (the feed's `base_url` is set).
    pub url: Option<Url>,
    /// Its file name, the link used when no URL is known: the page sits beside the feeds.
    pub file_name: String,
}

impl Subscription {
    /// The address the page links to: the URL, else the file name (relative to the page).
    pub fn href(&self) -> &str {
        self.url.as_ref().map_or(&self.file_name, Url::as_str)
    }
}

/// What a page is made from.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The feed, entries newest first.
    pub feed: &'a Feed,
    /// The feed's time zone: entry dates are shown in it.
    pub timezone: Tz,
    /// The formats to subscribe to, in the order shown.
    pub subscriptions: &'a [Subscription],
    /// Show at most this many entries (the newest).
    pub entries: usize,
}

/// The page's style sheet: system fonts, one readable column, light and dark.
const STYLE: &str = "\
:root{--muted:#5c6370;--line:#d9dce1;--accent:#0b5cad}\
@media (prefers-color-scheme:dark){:root{--muted:#a3a9b4;--line:#3a3f47;--accent:#7fb4ff}\
body{background:#15181d;color:#e4e6ea}}\
*{box-sizing:border-box}\
body{margin:0 auto;max-width:46rem;padding:1rem;font:1rem/1.6 system-ui,-apple-system,\"Segoe UI\",\"Noto Sans\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}\
a{color:var(--accent)}\
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}\
h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}\
h3{font-size:1.05rem;line-height:1.4;margin:0}\
.kind,.meta,.note,footer{color:var(--muted);font-size:.9rem}\
.feeds{list-style:none;padding:0;margin:0}\
.feeds li{margin:0 0 1rem}\
.feeds label{display:block;font-weight:600}\
.copy{display:flex;gap:.5rem}\
.copy input{flex:1;min-width:0;font:inherit;font-size:.9rem;padding:.35rem .5rem;border:1px solid var(--line);border-radius:4px;background:transparent;color:inherit}\
.copy button{font:inherit;font-size:.9rem;padding:.35rem .8rem;cursor:pointer}\
.entries{list-style:none;padding:0;margin:0}\
.entries li{padding:.8rem 0;border-bottom:1px solid var(--line)}\
.entries p{margin:.3rem 0;overflow-wrap:anywhere}\
footer{margin:2rem 0 1rem}";

/// Shows each Copy button where the clipboard can be written, and copies its field's
/// address on a click. Without it the fields stay selectable by hand.
const SCRIPT: &str = "\
document.querySelectorAll(\"button[data-copy]\").forEach(function (b) {\
var f = document.getElementById(b.getAttribute(\"data-copy\"));\
if (!f || !navigator.clipboard) { return; }\
b.hidden = false;\
b.addEventListener(\"click\", function () {\
navigator.clipboard.writeText(f.value).then(function () { b.textContent = \"Copied\"; });\
});\
});";

/// Writes the page: a complete HTML document, UTF-8.
pub fn write_page(page: &Page<'_>) -> Vec<u8> {
    render(page).into_string().into_bytes()
}

/// The name a format goes by on the page.
fn label(format: Format) -> &'static str {
    match format {
        Format::Rss => "RSS 2.0",
        Format::Atom => "Atom 1.0",
        Format::Json => "JSON Feed 1.1",
    }
}

fn render(page: &Page<'_>) -> Markup {
    let feed = page.feed;
    let title = feed_title(feed, None);
    let lang = non_empty(feed.language.as_deref());
    let lang = lang.as_deref();
    let description = non_empty(feed.description.as_deref());
    let site = feed.home_page_url.as_ref().filter(|u| is_web_address(u));
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title lang=[lang] { (title) }
                @if let Some(description) = &description {
                    meta name="description" content=(description);
                }
                meta name="generator" content=(super::GENERATOR);
                @for s in page.subscriptions {
                    link rel="alternate" type=(s.format.media_type())
                        title={ (title) " (" (label(s.format)) ")" } href=(s.href());
                }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    p.kind { "Web feed" }
                    h1 lang=[lang] { (title) }
                    @if let Some(description) = &description {
                        p lang=[lang] { (description) }
                    }
                    p.note {
                        "This page shows a feed: subscribe by copying one of its addresses \
                         below into a feed reader."
                        @if let Some(site) = site {
                            " The site: " a href=(site.as_str()) { (site.as_str()) } "."
                        }
                    }
                }
                main {
                    (subscribe(page.subscriptions))
                    (latest(page))
                }
                footer { "Written by " (super::GENERATOR) "." }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// The subscribe block: per format a read-only field with the address, a hidden Copy
/// button the script reveals, a `feed://` link (when the address is absolute) and a link to
/// the document.
fn subscribe(subscriptions: &[Subscription]) -> Markup {
    html! {
        section aria-labelledby="subscribe" {
            h2 #subscribe { "Subscribe" }
            ul.feeds {
                @for s in subscriptions {
                    @let id = format!("feed-{}", s.format.name());
                    li {
                        label for=(id) { (label(s.format)) }
                        div.copy {
                            input #(id) type="text" readonly value=(s.href())
                                aria-describedby="copy-note";
                            button type="button" data-copy=(id) hidden { "Copy" }
                        }
                        p.meta {
                            @if let Some(feed) = s.url.as_ref().and_then(feed_link) {
                                a href=(feed) { "Open in a feed reader" }
                                " · "
                            }
                            a href=(s.href()) type=(s.format.media_type()) { "View the document" }
                        }
                    }
                }
            }
            p.note #copy-note { "Select an address and copy it into your feed reader." }
        }
    }
}

/// The newest entries, each with its title (a link when it has a web address), date,
/// authors and summary.
fn latest(page: &Page<'_>) -> Markup {
    let feed = page.feed;
    let shown = &feed.entries[..feed.entries.len().min(page.entries)];
    html! {
        section aria-labelledby="latest" {
            h2 #latest { "Latest entries" }
            @if shown.is_empty() {
                p.note { "No entries yet." }
            } @else {
                p.note { "Times are in " (page.timezone.name()) " time." }
                ol.entries {
                    @for entry in shown {
                        li { (entry_item(entry, page.timezone, feed.language.as_deref())) }
                    }
                }
            }
        }
    }
}

fn entry_item(entry: &Entry, zone: Tz, feed_language: Option<&str>) -> Markup {
    let title = entry_title(entry);
    let lang = non_empty(entry.language.as_deref().or(feed_language));
    let lang = lang.as_deref();
    let link = entry.link.as_ref().filter(|u| is_web_address(u));
    let when = date(entry.published.or(entry.updated));
    let authors: Vec<String> = (named_people(&entry.authors).into_iter())
        .map(|p| p.name.into_owned())
        .collect();
    let origin = (entry.origin.as_ref()).and_then(|o| non_empty(Some(&o.title)));
    let summary = non_empty(entry.summary.as_deref());
    html! {
        article lang=[lang] {
            h3 {
                @if let Some(link) = link {
                    a href=(link.as_str()) { (title) }
                } @else {
                    (title)
                }
            }
            @if when.is_some() || !authors.is_empty() || origin.is_some() {
                p.meta {
                    @if let Some(when) = when {
                        (time(when, zone))
                    }
                    @if !authors.is_empty() {
                        @if when.is_some() { " · " }
                        (authors.join(", "))
                    }
                    @if let Some(origin) = &origin {
                        @if when.is_some() || !authors.is_empty() { " · " }
                        "from " (origin)
                    }
                }
            }
            @if let Some(summary) = &summary {
                p { (summary) }
            }
        }
    }
}

/// A `<time>` element: the date in `zone`, to the minute, with its RFC 3339 form.
fn time(when: DateTime<FixedOffset>, zone: Tz) -> Markup {
    let local = when.with_timezone(&zone).fixed_offset();
    html! {
        time datetime=(rfc3339(local)) { (local.format("%Y-%m-%d %H:%M")) }
    }
}

/// The `feed:` link to a feed that feed readers open: `feed://HOST/PATH`, the form the W3C
/// HTML checker accepts (it refuses `feed:https://…`); readers fetch it over HTTPS when the
/// site redirects there. `None` for an address that is not a web address.
fn feed_link(url: &Url) -> Option<String> {
    let rest = url.as_str().split_once("://").map(|(_, rest)| rest)?;
    is_web_address(url).then(|| format!("feed://{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Person};

    fn feed() -> Feed {
        let url = |s: &str| Url::parse(s).ok();
        Feed {
            title: "学习 <进行时> & \"more\"".into(),
            description: Some("Articles <script>alert(1)</script>".into()),
            language: Some("zh-CN".into()),
            home_page_url: url("https://www.example.com/"),
            entries: vec![
                Entry {
                    id: "https://www.example.com/a".into(),
                    title: "4个月内4次通话 <b>".into(),
                    link: url("https://www.example.com/a?x=1&y=\"2\""),
                    published: DateTime::parse_from_rfc3339("2020-07-10T01:52:00Z").ok(),
                    summary: Some("A summary\u{1} with </p> in it".into()),
                    authors: vec![Person::named("孙奕")],
                    ..Entry::default()
                },
                Entry {
                    id: "tag:x,2000:b".into(),
                    title: "Scripted".into(),
                    link: url("javascript:alert(1)"),
                    origin: Some(Origin {
                        title: "Elsewhere".into(),
                        feed_url: None,
                        home_page_url: None,
                    }),
                    ..Entry::default()
                },
            ],
            ..Feed::default()
        }
    }

    fn subscriptions() -> Vec<Subscription> {
        vec![
            Subscription {
                format: Format::Rss,
                url: Url::parse("https://www.example.com/feeds/news.xml?a=1&b=2").ok(),
                file_name: "news.xml".into(),
            },
            Subscription {
                format: Format::Json,
                url: None,
                file_name: "news.json".into(),
            },
        ]
    }

    fn written(feed: &Feed, entries: usize) -> String {
        let subscriptions = subscriptions();
        let page = Page {
            feed,
            timezone: chrono_tz::Asia::Shanghai,
            subscriptions: &subscriptions,
            entries,
        };
        String::from_utf8(write_page(&page)).expect("UTF-8")
    }

    #[test]
    fn every_value_is_escaped() {
        let page = written(&feed(), PAGE_ENTRIES);
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{page}"
        );
        assert!(
            page.contains("学习 &lt;进行时&gt; &amp; &quot;more&quot;"),
            "{page}"
        );
        assert!(page.contains("Articles &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("4个月内4次通话 &lt;b&gt;"));
        assert!(page.contains("href=\"https://www.example.com/a?x=1&amp;y=%222%22\""));
        assert!(page.contains("A summary with &lt;/p&gt; in it"), "{page}");
        assert_eq!(
            page.matches("<script>").count(),
            1,
            "only the page's own script"
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        let page = written(&feed(), PAGE_ENTRIES);
        assert!(!page.contains("javascript:"), "{page}");
        assert!(page.contains("<h3>Scripted</h3>"), "{page}");
        assert!(page.contains("from Elsewhere"));
    }

    #[test]
    fn dates_are_shown_in_the_feed_zone() {
        let page = written(&feed(), PAGE_ENTRIES);
        assert!(
            page.contains("<time datetime=\"2020-07-10T09:52:00+08:00\">2020-07-10 09:52</time>"),
            "{page}"
        );
        assert!(page.contains("Times are in Asia/Shanghai time."));
    }

    #[test]
    fn every_format_is_discoverable_and_copyable() {
        let page = written(&feed(), PAGE_ENTRIES);
        let rss = "https://www.example.com/feeds/news.xml?a=1&amp;b=2";
        assert!(page.contains(&format!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"学习 &lt;进行时&gt; &amp; &quot;more&quot; (RSS 2.0)\" href=\"{rss}\">"
        )), "{page}");
        assert!(page.contains(
            "<link rel=\"alternate\" type=\"application/feed+json\" title=\"学习 &lt;进行时&gt; &amp; &quot;more&quot; (JSON Feed 1.1)\" href=\"news.json\">"
        ));
        assert!(page.contains(&format!(
            "<input id=\"feed-rss\" type=\"text\" readonly value=\"{rss}\""
        )));
        let feed = "feed://www.example.com/feeds/news.xml?a=1&amp;b=2";
        assert!(page.contains(&format!("href=\"{feed}\"")), "{page}");
        assert_eq!(
            page.matches("href=\"feed:").count(),
            1,
            "no feed: link without a URL"
        );
    }

    #[test]
    fn the_newest_entries_are_shown_and_the_rest_left_out() {
        let page = written(&feed(), 1);
        assert!(page.contains("4个月内4次通话"));
        assert!(!page.contains("Scripted"));
        let empty = written(&Feed::default(), PAGE_ENTRIES);
        assert!(empty.contains("No entries yet."));
        assert!(empty.contains("<title>Untitled feed</title>"), "{empty}");
    }
}
