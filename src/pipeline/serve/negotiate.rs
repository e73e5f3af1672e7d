//! What a request asks for, read from its headers: the page or the feed (`?view=page`,
//! `Accept`), which content coding (`Accept-Encoding`), and whether the client's copy is
//! still good (`If-None-Match`, `If-Modified-Since`). Pure functions over header values.

use std::time::SystemTime;

/// A content coding the server keeps a body in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Coding {
    /// The bytes as written.
    Identity,
    /// gzip (RFC 1952).
    Gzip,
    /// Brotli (RFC 7932).
    Brotli,
}

impl Coding {
    /// The `Content-Encoding` token; `None` for identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }
}

/// The items of a header list (`a;q=0.5, b`), each as its lowercase name and its quality
/// (1 when absent, 0 when unreadable).
fn weighted(value: &str) -> impl Iterator<Item = (String, f32)> + '_ {
    value.split(',').filter_map(|item| {
        let mut parts = item.split(';');
        let name = parts.next()?.trim().to_ascii_lowercase();
        if name.is_empty() {
            return None;
        }
        let q = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, v)| v.trim().parse::<f32>().unwrap_or(0.0));
        Some((name, q.clamp(0.0, 1.0)))
    })
}

/// Whether an `Accept` header prefers HTML: its most wanted media type (the first of those
/// with the highest quality) is `text/html` or `application/xhtml+xml`. Browsers ask so;
/// feed readers put their feed types first or send `*/*`.
pub fn prefers_html(accept: &str) -> bool {
    let mut best: Option<(String, f32)> = None;
    for (name, q) in weighted(accept) {
        if q > 0.0 && best.as_ref().is_none_or(|(_, b)| q > *b) {
            best = Some((name, q));
        }
    }
    best.is_some_and(|(name, _)| name == "text/html" || name == "application/xhtml+xml")
}

/// Whether a query string asks for the companion page: `view=page`.
pub fn asks_for_page(query: &str) -> bool {
    url::form_urlencoded::parse(query.as_bytes()).any(|(k, v)| k == "view" && v == "page")
}

/// The coding to send, among those `available` (identity always is), from an
/// `Accept-Encoding` header: the one with the highest quality, Brotli before gzip before
/// identity on a tie. `*` stands for every coding the header does not name.
pub fn coding(accept_encoding: Option<&str>, available: &[Coding]) -> Coding {
    let Some(header) = accept_encoding else {
        return Coding::Identity;
    };
    let items: Vec<(String, f32)> = weighted(header).collect();
    let quality = |coding: Coding| -> f32 {
        let names: &[&str] = match coding {
            Coding::Identity => &["identity"],
            Coding::Gzip => &["gzip", "x-gzip"],
            Coding::Brotli => &["br"],
        };
        let named = items.iter().find(|(n, _)| names.contains(&n.as_str()));
        let star = items.iter().find(|(n, _)| n == "*");
        match (named, star) {
            (Some((_, q)), _) | (None, Some((_, q))) => *q,
            // Identity is acceptable unless refused by name or by `*`.
            (None, None) if coding == Coding::Identity => 1.0,
            (None, None) => 0.0,
        }
    };
    let (mut best, mut best_q) = (Coding::Identity, 0.0);
    for coding in [Coding::Brotli, Coding::Gzip, Coding::Identity] {
        let q = quality(coding);
        let offered = coding == Coding::Identity || available.contains(&coding);
        // Strictly better only: on a tie the coding tried first stays.
        if offered && q > best_q {
            (best, best_q) = (coding, q);
        }
    }
    best
}

/// Whether an `If-None-Match` header matches `etag` (`"…"`): `*`, or the same tag,
/// compared weakly (a `W/` prefix is ignored), as RFC 9110 asks for this header.
pub fn none_match(if_none_match: &str, etag: &str) -> bool {
    let want = etag.strip_prefix("W/").unwrap_or(etag);
    if_none_match.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*" || tag == want
    })
}

/// Whether a resource last modified at `modified` is unchanged since an
/// `If-Modified-Since` date; an unreadable date asks for the full response.
pub fn not_modified_since(if_modified_since: &str, modified: SystemTime) -> bool {
    match httpdate::parse_http_date(if_modified_since.trim()) {
        Ok(since) => whole_seconds(modified) <= whole_seconds(since),
        Err(_) => false,
    }
}

/// A time to the second, as HTTP dates carry it.
pub fn whole_seconds(time: SystemTime) -> u64 {
    (time.duration_since(SystemTime::UNIX_EPOCH)).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn browsers_prefer_html_and_feed_readers_do_not() {
        let rows = [
            (
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                true,
            ),
            ("application/xhtml+xml, text/html;q=0.9", true),
            (
                "application/rss+xml, application/atom+xml, text/html;q=0.5",
                false,
            ),
            ("application/atom+xml;q=0.9, text/html;q=0.1", false),
            ("text/html;q=0.2, application/feed+json;q=0.8", false),
            ("*/*", false),
            ("", false),
            ("text/html;q=0", false),
            ("application/rss+xml;q=0.5, text/html;q=0.5", false),
            ("TEXT/HTML", true),
        ];
        for (accept, html) in rows {
            assert_eq!(prefers_html(accept), html, "{accept:?}");
        }
    }

    #[test]
    fn the_page_is_asked_for_by_query() {
        assert!(asks_for_page("view=page"));
        assert!(asks_for_page("a=1&view=page"));
        assert!(!asks_for_page("view=feed"));
        assert!(!asks_for_page(""));
    }

    #[test]
    fn codings_are_chosen_by_quality_then_brotli_first() {
        use Coding::*;
        let all = [Identity, Gzip, Brotli];
        let rows: [(Option<&str>, &[Coding], Coding); 11] = [
            (None, &all, Identity),
            (Some("gzip, deflate, br"), &all, Brotli),
            (Some("gzip, deflate, br"), &[Identity, Gzip], Gzip),
            (Some("gzip"), &all, Gzip),
            (Some("br;q=0.5, gzip"), &all, Gzip),
            (Some("br;q=0, gzip;q=0"), &all, Identity),
            (Some("*"), &all, Brotli),
            (Some("identity"), &all, Identity),
            (Some("x-gzip"), &all, Gzip),
            (Some("br"), &[Identity], Identity),
            (Some("gzip;q=0.5, identity;q=1"), &all, Identity),
        ];
        for (header, available, want) in rows {
            assert_eq!(coding(header, available), want, "{header:?} {available:?}");
        }
    }

    #[test]
    fn entity_tags_match_weakly_and_by_star() {
        assert!(none_match("\"abc\"", "\"abc\""));
        assert!(none_match("W/\"abc\"", "\"abc\""));
        assert!(none_match("\"x\", \"abc-gz\"", "\"abc-gz\""));
        assert!(none_match("*", "\"abc\""));
        assert!(!none_match("\"abc\"", "\"abc-gz\""));
        assert!(!none_match("", "\"abc\""));
    }

    #[test]
    fn modification_dates_compare_to_the_second() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_594_345_920_500);
        assert!(not_modified_since("Fri, 10 Jul 2020 01:52:00 GMT", at));
        assert!(not_modified_since("Fri, 10 Jul 2020 02:00:00 GMT", at));
        assert!(!not_modified_since("Fri, 10 Jul 2020 01:51:59 GMT", at));
        assert!(!not_modified_since("yesterday", at));
    }
}
