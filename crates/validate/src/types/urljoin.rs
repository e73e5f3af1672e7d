//! Python's `urllib.parse.urlsplit` / `urljoin`, which decide how the
//! validator resolves `xml:base` and compares self links.

const USES_RELATIVE: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
    "prospero", "rtsp", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
];
const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
    "git+ssh", "ws", "wss",
];

/// The five parts of `urlsplit`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Split {
    /// Lower-case scheme, or the default.
    pub scheme: String,
    /// Authority, without `//`.
    pub netloc: String,
    /// Path.
    pub path: String,
    /// Query, without `?`.
    pub query: Option<String>,
    /// Fragment, without `#`.
    pub fragment: Option<String>,
}

/// `urlsplit(url, scheme)`.
pub fn urlsplit(url: &str, default_scheme: &str) -> Split {
    let url = url
        .trim_start_matches(|c: char| c <= ' ')
        .replace(['\t', '\r', '\n'], "");
    let mut rest: &str = &url;
    let mut scheme = default_scheme.to_string();
    if let Some(i) = rest.find(':') {
        let cand = &rest[..i];
        if i > 0
            && cand.as_bytes()[0].is_ascii_alphabetic()
            && cand
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            scheme = cand.to_ascii_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut netloc = String::new();
    if let Some(r) = rest.strip_prefix("//") {
        let end = r.find(['/', '?', '#']).unwrap_or(r.len());
        netloc = r[..end].to_string();
        rest = &r[end..];
    }
    let mut fragment = None;
    if let Some(i) = rest.find('#') {
        fragment = Some(rest[i + 1..].to_string());
        rest = &rest[..i];
    }
    let mut query = None;
    if let Some(i) = rest.find('?') {
        query = Some(rest[i + 1..].to_string());
        rest = &rest[..i];
    }
    Split {
        scheme,
        netloc,
        path: rest.to_string(),
        query,
        fragment,
    }
}

/// `urlunsplit`.
pub fn urlunsplit(s: &Split) -> String {
    let mut url = s.path.clone();
    if !s.netloc.is_empty()
        || (!s.scheme.is_empty()
            && USES_NETLOC.contains(&s.scheme.as_str())
            && !url.starts_with("//"))
    {
        if !url.is_empty() && !url.starts_with('/') {
            url.insert(0, '/');
        }
        url = format!("//{}{}", s.netloc, url);
    }
    if !s.scheme.is_empty() {
        url = format!("{}:{}", s.scheme, url);
    }
    if let Some(q) = s.query.as_deref().filter(|q| !q.is_empty()) {
        url.push('?');
        url.push_str(q);
    }
    if let Some(f) = s.fragment.as_deref().filter(|f| !f.is_empty()) {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// `urljoin(base, url)`.
pub fn urljoin(base: &str, url: &str) -> String {
    if base.is_empty() {
        return url.to_string();
    }
    if url.is_empty() {
        return base.to_string();
    }
    let b = urlsplit(base, "");
    let mut u = urlsplit(url, &b.scheme);
    if u.scheme != b.scheme || !USES_RELATIVE.contains(&u.scheme.as_str()) {
        return url.to_string();
    }
    if USES_NETLOC.contains(&u.scheme.as_str()) {
        if !u.netloc.is_empty() {
            return urlunsplit(&u);
        }
        u.netloc = b.netloc.clone();
    }
    if u.path.is_empty() {
        u.path = b.path.clone();
        if u.query.as_deref().is_none_or(str::is_empty) {
            u.query = b.query.clone();
        }
        return urlunsplit(&u);
    }
    let mut base_parts: Vec<&str> = b.path.split('/').collect();
    if base_parts.last().is_some_and(|l| !l.is_empty()) {
        base_parts.pop();
    }
    let segments: Vec<&str> = if u.path.starts_with('/') {
        u.path.split('/').collect()
    } else {
        let mut s: Vec<&str> = base_parts;
        s.extend(u.path.split('/'));
        if s.len() > 2 {
            let last = s.len() - 1;
            let mid: Vec<&str> = s[1..last]
                .iter()
                .copied()
                .filter(|x| !x.is_empty())
                .collect();
            let (first, tail) = (s[0], s[last]);
            s = std::iter::once(first)
                .chain(mid)
                .chain(std::iter::once(tail))
                .collect();
        }
        s
    };
    let mut resolved: Vec<&str> = Vec::new();
    for seg in &segments {
        match *seg {
            ".." => {
                resolved.pop();
            }
            "." => {}
            s => resolved.push(s),
        }
    }
    if matches!(segments.last(), Some(&".") | Some(&"..")) {
        resolved.push("");
    }
    let path = resolved.join("/");
    u.path = if path.is_empty() { "/".into() } else { path };
    urlunsplit(&u)
}

#[cfg(test)]
mod tests {
    use super::urljoin;

    #[test]
    fn python_examples() {
        let cases = [
            ("http://a/b/c/d;p?q", "../g", "http://a/b/g"),
            ("http://a/b/c/d;p?q", "//g", "http://g"),
            ("http://a/b/", "g?y#s", "http://a/b/g?y#s"),
            ("", "foo", "foo"),
            ("http://a/b", "mailto:x", "mailto:x"),
            ("tag:x,2004:", "foo", "foo"),
            ("http://a/b/c", ".", "http://a/b/"),
            ("http://a/b/c", "../../../g", "http://a/g"),
            ("http://a", "b", "http://a/b"),
        ];
        for (b, u, want) in cases {
            assert_eq!(urljoin(b, u), want, "{b} + {u}");
        }
    }
}
