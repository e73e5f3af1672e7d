//! JSON Feed 1.1: the rules `feedvalidate` applies (version, unique ids,
//! content, RFC 3339 dates, absolute URLs, recommended and deprecated keys,
//! duplicate keys) and the schema's required keys and types.

use crate::Options;

mod items;
mod parse;

use crate::report::{Format, Level, Problem, Report};
use crate::types::urljoin::urlsplit;
use parse::{J, Node, Parser};

const VERSION: &str = "https://jsonfeed.org/version/1.1";

pub(super) struct Out {
    pub(super) problems: Vec<Problem>,
}

impl Out {
    fn add(
        &mut self,
        level: Level,
        class: &'static str,
        line: usize,
        col: usize,
        element: &str,
        message: String,
    ) {
        self.problems.push(Problem {
            line,
            column: col,
            level,
            class,
            element: element.to_string(),
            parent: String::new(),
            message,
            help: help(class),
            params: vec![("element", element.to_string())],
        });
    }
}

fn help(class: &str) -> &'static str {
    match class {
        "JsonFeedVersion" => "Set \"version\" to \"https://jsonfeed.org/version/1.1\".",
        "JsonFeedDuplicateId" | "JsonFeedEmptyId" => {
            "Give every item its own non-empty, unchanging id."
        }
        "JsonFeedNoContent" => "Give every item content_html or content_text.",
        "JsonFeedDate" => "Write dates as RFC 3339 with a zone, e.g. 2020-07-10T09:52:00Z.",
        "JsonFeedUrl" => "Use absolute URLs (scheme and host), with no spaces.",
        "JsonFeedRecommended" => "Add home_page_url and feed_url.",
        "JsonFeedDeprecated" => "Replace \"author\" with an \"authors\" array.",
        "JsonDuplicateKey" => "Remove the repeated key; only its last value counts.",
        "JsonFeedUnknownKey" => "Remove the key or rename it as an extension starting with \"_\".",
        "JsonFeedSelfMismatch" => "Make feed_url the URL the feed is published at.",
        _ => "Follow the JSON Feed 1.1 specification (https://jsonfeed.org/version/1.1).",
    }
}

/// `is_rfc3339` of feedvalidate.
pub(super) fn is_rfc3339(v: &str) -> bool {
    crate::py_regex!(
        R,
        r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$"
    );
    let Some(c) = R.re().captures(v) else {
        return false;
    };
    let n = |i: usize| {
        c.get(i)
            .map_or(0, |m| m.as_str().parse::<i64>().unwrap_or(99))
    };
    crate::types::date::check_date(n(1), n(2), n(3)).is_ok()
        && n(4) <= 23
        && n(5) <= 59
        && n(6) <= 60
        && (c.get(9).is_none() || (n(10) <= 23 && n(11) <= 59))
}

fn url_problem(v: &str) -> Option<&'static str> {
    if v.chars().any(char::is_whitespace) {
        return Some("contains white space");
    }
    let s = urlsplit(v, "");
    if s.scheme.is_empty() {
        return Some("is not an absolute URL");
    }
    if (s.scheme == "http" || s.scheme == "https") && s.netloc.is_empty() {
        return Some("has no host");
    }
    None
}

pub(super) fn get<'n>(obj: &'n [(String, Node)], k: &str) -> Option<&'n Node> {
    obj.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v)
}

const KEYS_FEED: &[&str] = &[
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "author",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
];
pub(super) const KEYS_ITEM: &[&str] = &[
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "author",
    "authors",
    "tags",
    "language",
    "attachments",
];

/// An extension key: `_` then a letter, without a dot.
fn is_extension_key(k: &str) -> bool {
    k.starts_with('_') && k[1..].starts_with(|c: char| c.is_ascii_alphabetic()) && !k.contains('.')
}

pub(super) fn check_keys(
    out: &mut Out,
    obj: &[(String, Node)],
    path: &str,
    known: &[&str],
    line: usize,
    col: usize,
) {
    let extra: Vec<&str> = obj
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !(known.contains(k) || is_extension_key(k)))
        .collect();
    if let Some(first) = extra.first() {
        let (l, c) = get(obj, first).map_or((line, col), |n| (n.line, n.col));
        let where_ = if path.is_empty() {
            "at top level".to_string()
        } else {
            format!("in {path}")
        };
        out.add(Level::Error, "JsonFeedUnknownKey", l, c, first, format!("unknown key{} {} {where_} (not defined by JSON Feed 1.1; extension keys must start with \"_\")", if extra.len() > 1 { "s" } else { "" }, extra.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ")));
    }
}

pub(super) fn check_urls(out: &mut Out, obj: &[(String, Node)], path: &str, keys: &[&str]) {
    for k in keys {
        if let Some(Node {
            v: J::Str(s),
            line,
            col,
        }) = get(obj, k)
            && let Some(why) = url_problem(s)
        {
            let p = if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            };
            out.add(
                Level::Error,
                "JsonFeedUrl",
                *line,
                *col,
                k,
                format!("{p} \"{s}\" {why}"),
            );
        }
    }
}

pub(super) fn check_authors(out: &mut Out, obj: &[(String, Node)], path: &str) {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    if let Some(a) = get(obj, "author") {
        out.add(
            Level::Warning,
            "JsonFeedDeprecated",
            a.line,
            a.col,
            "author",
            format!(
                "{} is deprecated in JSON Feed 1.1: use \"authors\" (an array)",
                at("author")
            ),
        );
        if let J::Obj(o) = &a.v {
            check_keys(
                out,
                o,
                &at("author"),
                &["name", "url", "avatar"],
                a.line,
                a.col,
            );
            check_urls(out, o, &at("author"), &["url", "avatar"]);
        }
    }
    if let Some(Node {
        v: J::Arr(list), ..
    }) = get(obj, "authors")
    {
        for (i, a) in list.iter().enumerate() {
            if let J::Obj(o) = &a.v {
                let p = format!("{}[{i}]", at("authors"));
                check_keys(out, o, &p, &["name", "url", "avatar"], a.line, a.col);
                check_urls(out, o, &p, &["url", "avatar"]);
            }
        }
    }
}

/// Validate a JSON Feed document.
pub fn validate(bytes: &[u8], options: &Options) -> Report {
    let mut out = Out {
        problems: Vec::new(),
    };
    let mut body = bytes;
    if let Some(r) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        out.add(
            Level::Warning,
            "JsonBOM",
            1,
            1,
            "",
            "file starts with a UTF-8 byte order mark (JSON must not have one)".into(),
        );
        body = r;
    }
    if let Err(e) = std::str::from_utf8(body) {
        let line = body[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        out.add(
            Level::Error,
            "JsonEncoding",
            line,
            1,
            "",
            "not valid UTF-8 (JSON Feed must be UTF-8)".into(),
        );
        return Report {
            format: Format::Unknown,
            problems: out.problems,
        };
    }
    let mut p = Parser {
        b: body,
        i: 0,
        line: 1,
        line_start: 0,
        dups: Vec::new(),
    };
    let doc = p.value(0, "").and_then(|d| {
        p.ws();
        if p.i < p.b.len() {
            p.err("Extra data")
        } else {
            Ok(d)
        }
    });
    let doc = match doc {
        Ok(d) => d,
        Err((msg, line, col)) => {
            out.add(
                Level::Error,
                "JsonSyntax",
                line,
                col,
                "",
                format!("invalid JSON: {msg}"),
            );
            return Report {
                format: Format::Unknown,
                problems: out.problems,
            };
        }
    };
    for (k, path, line, col) in std::mem::take(&mut p.dups) {
        out.add(
            Level::Warning,
            "JsonDuplicateKey",
            line,
            col,
            &k,
            format!("duplicate key \"{k}\" in {path} (only the last one counts)"),
        );
    }
    let J::Obj(top) = &doc.v else {
        out.add(
            Level::Error,
            "JsonFeedNotObject",
            doc.line,
            doc.col,
            "",
            "a JSON Feed must be a JSON object".into(),
        );
        return finish(out, Format::Unknown);
    };
    let format = match get(top, "version") {
        Some(Node { v: J::Str(v), .. }) if v.starts_with("https://jsonfeed.org/version/") => {
            Format::JsonFeed11
        }
        _ => Format::Unknown,
    };
    rules(&mut out, top, options);
    finish(out, format)
}

fn finish(mut out: Out, format: Format) -> Report {
    out.problems.sort_by_key(|p| (p.line, p.column));
    Report {
        format,
        problems: out.problems,
    }
}

fn rules(out: &mut Out, top: &[(String, Node)], options: &Options) {
    check_keys(out, top, "", KEYS_FEED, 1, 1);
    match get(top, "version") {
        None => out.add(
            Level::Error,
            "JsonFeedVersion",
            1,
            1,
            "version",
            format!("missing required \"version\" (must be \"{VERSION}\")"),
        ),
        Some(Node { v: J::Str(v), .. }) if v == VERSION => {}
        Some(n) => out.add(
            Level::Error,
            "JsonFeedVersion",
            n.line,
            n.col,
            "version",
            format!("version must be exactly \"{VERSION}\""),
        ),
    }
    match get(top, "title") {
        None => out.add(
            Level::Error,
            "JsonFeedRequired",
            1,
            1,
            "title",
            "missing required \"title\"".into(),
        ),
        Some(Node { v: J::Str(_), .. }) => {}
        Some(n) => out.add(
            Level::Error,
            "JsonFeedType",
            n.line,
            n.col,
            "title",
            "title must be a string".into(),
        ),
    }
    for k in [
        "home_page_url",
        "feed_url",
        "description",
        "user_comment",
        "next_url",
        "icon",
        "favicon",
        "language",
    ] {
        if let Some(n) = get(top, k).filter(|n| !matches!(n.v, J::Str(_))) {
            out.add(
                Level::Error,
                "JsonFeedType",
                n.line,
                n.col,
                k,
                format!("{k} must be a string"),
            );
        }
    }
    for k in ["home_page_url", "feed_url"] {
        if get(top, k).is_none() {
            out.add(
                Level::Warning,
                "JsonFeedRecommended",
                1,
                1,
                k,
                format!("\"{k}\" is missing (strongly recommended by the spec)"),
            );
        }
    }
    if let (
        Some(base),
        Some(Node {
            v: J::Str(f),
            line,
            col,
        }),
    ) = (&options.base, get(top, "feed_url"))
        && f != base
    {
        out.add(
            Level::Warning,
            "JsonFeedSelfMismatch",
            *line,
            *col,
            "feed_url",
            format!("feed_url \"{f}\" does not match --base \"{base}\""),
        );
    }
    check_urls(
        out,
        top,
        "",
        &["home_page_url", "feed_url", "next_url", "icon", "favicon"],
    );
    check_authors(out, top, "");
    if let Some(Node {
        v: J::Arr(hubs), ..
    }) = get(top, "hubs")
    {
        for (i, hub) in hubs.iter().enumerate() {
            if let J::Obj(o) = &hub.v {
                let p = format!("hubs[{i}]");
                check_keys(out, o, &p, &["type", "url"], hub.line, hub.col);
                check_urls(out, o, &p, &["url"]);
                for k in ["type", "url"] {
                    if get(o, k).is_none() {
                        out.add(
                            Level::Error,
                            "JsonFeedRequired",
                            hub.line,
                            hub.col,
                            k,
                            format!("{p} has no \"{k}\" (required)"),
                        );
                    }
                }
            }
        }
    }
    match get(top, "items") {
        None => out.add(
            Level::Error,
            "JsonFeedRequired",
            1,
            1,
            "items",
            "missing required \"items\"".into(),
        ),
        Some(Node {
            v: J::Arr(items), ..
        }) => items::check_items(out, items),
        Some(n) => out.add(
            Level::Error,
            "JsonFeedType",
            n.line,
            n.col,
            "items",
            "items must be an array".into(),
        ),
    }
}
