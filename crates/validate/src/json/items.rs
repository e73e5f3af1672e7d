//! Rules for the items of a JSON Feed: ids, content, dates, URLs, authors,
//! attachments.

use super::parse::{J, Node};
use super::{KEYS_ITEM, Out, check_authors, check_keys, check_urls, get, is_rfc3339};
use crate::report::Level;

/// Check every item.
pub(super) fn check_items(out: &mut Out, items: &[Node]) {
    let mut first_seen: std::collections::HashMap<String, usize> = Default::default();
    for (i, item) in items.iter().enumerate() {
        let path = format!("items[{i}]");
        let J::Obj(o) = &item.v else {
            out.add(
                Level::Error,
                "JsonFeedType",
                item.line,
                item.col,
                "",
                format!("{path} must be an object"),
            );
            continue;
        };
        check_keys(out, o, &path, KEYS_ITEM, item.line, item.col);
        match get(o, "id") {
            None => out.add(
                Level::Error,
                "JsonFeedRequired",
                item.line,
                item.col,
                "id",
                format!("{path} has no \"id\" (required)"),
            ),
            Some(n) => {
                let key = match &n.v {
                    J::Str(s) => Some(s.clone()),
                    J::Num(s) => {
                        out.add(
                            Level::Error,
                            "JsonFeedType",
                            n.line,
                            n.col,
                            "id",
                            format!("{path}.id must be a string, found {s}"),
                        );
                        Some(s.clone())
                    }
                    _ => {
                        out.add(
                            Level::Error,
                            "JsonFeedType",
                            n.line,
                            n.col,
                            "id",
                            format!("{path}.id must be a string"),
                        );
                        None
                    }
                };
                if let Some(k) = key {
                    if k.trim().is_empty() {
                        out.add(
                            Level::Warning,
                            "JsonFeedEmptyId",
                            n.line,
                            n.col,
                            "id",
                            format!("{path}.id is empty"),
                        );
                    } else if let Some(first) = first_seen.get(&k) {
                        out.add(
                            Level::Error,
                            "JsonFeedDuplicateId",
                            n.line,
                            n.col,
                            "id",
                            format!("duplicate item id \"{k}\" (first used by items[{first}])"),
                        );
                    } else {
                        first_seen.insert(k, i);
                    }
                }
            }
        }
        if get(o, "content_html").is_none() && get(o, "content_text").is_none() {
            out.add(
                Level::Error,
                "JsonFeedNoContent",
                item.line,
                item.col,
                "",
                format!("{path} has neither \"content_html\" nor \"content_text\""),
            );
        }
        for k in ["date_published", "date_modified"] {
            match get(o, k) {
                Some(Node { v: J::Str(s), line, col }) if !is_rfc3339(s) => out.add(Level::Error, "JsonFeedDate", *line, *col, k, format!("{path}.{k} \"{s}\" is not a valid RFC 3339 date-time with a time zone offset (e.g. 2020-07-10T09:52:00Z or 2020-07-10T09:52:00+02:00)")),
                Some(n) if !matches!(n.v, J::Str(_)) => out.add(Level::Error, "JsonFeedType", n.line, n.col, k, format!("{path}.{k} must be a string")),
                _ => {}
            }
        }
        for k in [
            "url",
            "external_url",
            "title",
            "content_html",
            "content_text",
            "summary",
            "image",
            "banner_image",
            "language",
        ] {
            if let Some(n) = get(o, k).filter(|n| !matches!(n.v, J::Str(_))) {
                out.add(
                    Level::Error,
                    "JsonFeedType",
                    n.line,
                    n.col,
                    k,
                    format!("{path}.{k} must be a string"),
                );
            }
        }
        check_urls(
            out,
            o,
            &path,
            &["url", "external_url", "image", "banner_image"],
        );
        check_authors(out, o, &path);
        if let Some(Node {
            v: J::Arr(atts), ..
        }) = get(o, "attachments")
        {
            for (j, a) in atts.iter().enumerate() {
                if let J::Obj(ao) = &a.v {
                    let p = format!("{path}.attachments[{j}]");
                    check_keys(
                        out,
                        ao,
                        &p,
                        &[
                            "url",
                            "mime_type",
                            "title",
                            "size_in_bytes",
                            "duration_in_seconds",
                        ],
                        a.line,
                        a.col,
                    );
                    check_urls(out, ao, &p, &["url"]);
                    for k in ["url", "mime_type"] {
                        if get(ao, k).is_none() {
                            out.add(
                                Level::Error,
                                "JsonFeedRequired",
                                a.line,
                                a.col,
                                k,
                                format!("{p} has no \"{k}\" (required)"),
                            );
                        }
                    }
                }
            }
        }
    }
}
