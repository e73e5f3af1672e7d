//! The feed's own `rel="self"` URL, found as `feedvalidate` finds it: in the
//! start tags before the first item or entry, outside comments and CDATA.

use crate::search_regex;
use crate::types::urljoin::{urljoin, urlsplit};

fn unescape(v: &str) -> String {
    v.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn attrs(s: &str) -> Vec<(String, String)> {
    search_regex!(ATTR, r#"([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')"#);
    ATTR.captures_iter(s)
        .map(|c| {
            (
                c[1].to_string(),
                unescape(c.get(2).or_else(|| c.get(3)).map_or("", |m| m.as_str())),
            )
        })
        .collect()
}

/// The text before the first item/entry, without comments and CDATA.
fn head(text: &str) -> String {
    search_regex!(ENTRY, r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]");
    let mut out = String::new();
    let mut rest = text;
    loop {
        let entry = ENTRY.find(rest).map(|m| m.start());
        let limit = entry.map_or(rest.len(), |e| e + 1);
        let comment = rest[..limit].find("<!--");
        let cdata = rest[..limit].find("<![CDATA[");
        let skip = [comment.map(|c| (c, "-->")), cdata.map(|c| (c, "]]>"))]
            .into_iter()
            .flatten()
            .min_by_key(|(c, _)| *c);
        match (entry, skip) {
            (Some(e), Some((s, _))) if e < s => return out + &rest[..e],
            (_, Some((s, end))) => {
                out.push_str(&rest[..s]);
                match rest[s..].find(end) {
                    Some(i) => rest = &rest[s + i + end.len()..],
                    None => return out,
                }
            }
            (Some(e), None) => return out + &rest[..e],
            (None, None) => return out + rest,
        }
    }
}

fn is_absolute(url: &str) -> bool {
    let s = urlsplit(url, "");
    !s.scheme.is_empty() && (!s.netloc.is_empty() || !matches!(s.scheme.as_str(), "http" | "https"))
}

/// Absolute URL of the feed-level self link, if any.
pub fn find(text: &str) -> Option<String> {
    search_regex!(START, r"<([A-Za-z_][\w.:-]*)\b([^>]*)>");
    search_regex!(LINK, r"<(?:[A-Za-z_][\w.-]*:)?link\b([^>]*)>");
    let head = head(text);
    let mut base = String::new();
    for (i, c) in START.captures_iter(&head).enumerate() {
        if i == 0 || c[1].rsplit(':').next() == Some("channel") {
            let b = attrs(&c[2])
                .into_iter()
                .find(|(k, _)| k == "xml:base")
                .map(|(_, v)| v)
                .unwrap_or_default();
            base = urljoin(&base, b.trim());
        }
    }
    for c in LINK.captures_iter(&head) {
        let a = attrs(&c[1]);
        let get = |k: &str| {
            a.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_string())
        };
        if get("rel").as_deref() == Some("self")
            && let Some(h) = get("href").filter(|h| !h.is_empty())
        {
            let url = urljoin(&base, &h);
            return is_absolute(&url).then_some(url);
        }
    }
    None
}
