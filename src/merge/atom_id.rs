//! Which ids an Atom `<id>` may carry as they are: the URI rules of the W3C Feed Validation
//! Service (`feedloom-validate`'s `types/uri.rs`), whose errors a merged feed must not have.
//! A `tag:` URI must be well formed, a `urn:uuid:` must hold a hyphenated UUID, any other
//! `urn:` needs a namespace id of 2–32 letters, digits or hyphens, and every other URI is
//! an absolute RFC 2396 URI (ASCII only: no space, no `<`, no raw non-ASCII letter), with
//! a host after `http://` and `ftp://`.

use std::sync::LazyLock;

use regex::Regex;

/// A pattern that must match the whole text.
fn whole(pattern: &str) -> Regex {
    Regex::new(&format!("^(?:{pattern})$"))
        .unwrap_or_else(|e| panic!("bad built-in pattern {pattern}: {e}"))
}

/// An absolute URI of RFC 2396 (the validator's `rfc2396_full`).
static FULL_URI: LazyLock<Regex> =
    LazyLock::new(|| whole(r"[a-zA-Z][0-9a-zA-Z+\-\.]*:(//)?[0-9a-zA-Z;/?:@&=+$\.\-_!~*'()%,#]+"));

/// A URN of RFC 2141.
static URN: LazyLock<Regex> = LazyLock::new(|| {
    whole(
        r"[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:([a-zA-Z0-9()+,\.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+",
    )
});

/// A `urn:uuid:` URN of RFC 4122, hyphenated.
static UUID_URN: LazyLock<Regex> = LazyLock::new(|| {
    whole(
        r"[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}",
    )
});

/// A `tag:` URI of RFC 4151.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    whole(
        r"tag:([a-z0-9\-\._]+?@)?[a-z0-9\.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*(#[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*)?",
    )
});

/// Whether a web address is written as the `url` crate writes it: scheme and host in lower
/// case, no default port, `/` for an empty path. The validator warns about other forms
/// (`NonCanonicalURI`); this is stricter than it in places, never looser.
fn canonical(id: &str) -> bool {
    url::Url::parse(id).is_ok_and(|u| u.as_str() == id)
}

/// An `http:` or `ftp:` URI with a host (the validator's check for those two schemes).
static WITH_HOST: LazyLock<Regex> = LazyLock::new(|| whole(r"\w+://[^/].*"));

/// Whether `id` is a URI the validator accepts as an Atom `<id>` without an error or a
/// warning. Only `http`, `https`, `ftp`, `mailto`, `tag` and `urn` ids are: the validator
/// warns about schemes IANA does not list (`item:42`), and feedloom's outputs carry no
/// warning, so an id of any other scheme is replaced as well.
pub fn is_valid_id(id: &str) -> bool {
    let written = id.split(':').next().unwrap_or_default();
    let scheme = written.to_ascii_lowercase();
    if written != scheme {
        // `URN:…`, `HTTP://…`: the validator warns that the URI is not in canonical form.
        return false;
    }
    match scheme.as_str() {
        "tag" => TAG.is_match(id),
        "urn"
            if id
                .get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("urn:uuid:")) =>
        {
            UUID_URN.is_match(id)
        }
        "urn" => URN.is_match(id),
        "http" | "https" | "ftp" => {
            FULL_URI.is_match(id) && WITH_HOST.is_match(id) && canonical(id)
        }
        "mailto" => FULL_URI.is_match(id),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per form: the id, and whether the validator accepts it.
    const ROWS: &[(&str, bool)] = &[
        ("https://x.example.org/1", true),
        ("http://x.example.org/a%20b#c", true),
        ("http://x.example.org/a b", false),
        ("http:/x.example.org/a", false),
        ("ftp://files.example.org/a", true),
        ("https:relative", false),
        ("HTTP://x.example.org/1", false),
        ("http://X.example.org/1", false),
        ("http://x.example.org:80/1", false),
        ("http://x.example.org", false),
        ("https://例え.jp/記事", false),
        ("post-123", false),
        ("123:456", false),
        ("item:42", false),
        ("mailto:a@example.org", true),
        ("urn:x:1", false),
        ("urn:isbn:0451450523", true),
        ("URN:ISBN:0451450523", false),
        ("urn:odd", false),
        ("urn:odd:1", true),
        ("urn:uuid:not-a-uuid", false),
        ("urn:uuid:0f0e", false),
        ("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", true),
        ("urn:uuid:1225C695-CFB8-4EBB-AAAA-80DA344EFA6A", true),
        (
            "tag:feedloom,2024:merged:6f9e70bcdb4be2600ed76ae5adbee7ca",
            true,
        ),
        ("tag:blogger.com,1999:blog-1.post-2", true),
        ("tag:a@example.org,2001-02-03:x#y", true),
        ("tag:Example.org,2001:x", false),
        ("tag:example.org:x", false),
        ("TAG:example.org,2001:x", false),
        ("", false),
    ];

    #[test]
    fn accepts_what_the_validator_accepts() {
        for (id, valid) in ROWS {
            assert_eq!(is_valid_id(id), *valid, "{id}");
        }
    }

    /// No id the predicate accepts, as the id of an Atom entry, draws an error or a warning
    /// from the validator.
    #[test]
    fn agrees_with_the_validator() {
        for (id, _) in ROWS.iter().filter(|(id, _)| !id.is_empty()) {
            let atom = format!(
                r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://a.example/</id>
<updated>2024-01-01T00:00:00Z</updated><author><name>A</name></author>
<link rel="self" href="https://a.example/feed.atom"/>
<entry><title>E</title><id>{id}</id><updated>2024-01-01T00:00:00Z</updated>
<link href="https://a.example/1"/><summary>s</summary></entry></feed>"#
            );
            let report = feedloom_validate::validate(atom.as_bytes(), &Default::default());
            let problems: Vec<_> = (report.problems.iter())
                .map(|p| p.class.to_string())
                .collect();
            assert!(
                !is_valid_id(id) || problems.is_empty(),
                "{id}: {problems:?}"
            );
        }
    }
}
