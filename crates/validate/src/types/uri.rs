//! URI checks of the validator (`rfc2396`, `rfc3987`, ...) and the URI
//! canonical form of `uri.py`.

use crate::classes::{C, ids::*};
use crate::log::Log;
use crate::py_regex;
use crate::types::{idna, is_alpha};

py_regex!(
    RFC2396,
    r"([a-zA-Z][0-9a-zA-Z+\-\.]*:)?/{0,2}(\[[0-9A-Fa-f:]+\])?[0-9a-zA-Z;/?:@&=+$\.\-_!~*'()%,#]*$"
);
py_regex!(
    RFC2396_FULL,
    r"[a-zA-Z][0-9a-zA-Z+\-\.]*:(//)?[0-9a-zA-Z;/?:@&=+$\.\-_!~*'()%,#]+$"
);
py_regex!(
    URN,
    r"[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:([a-zA-Z0-9()+,\.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+$"
);
py_regex!(
    UUID,
    r"[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$"
);
py_regex!(
    TAG,
    r"tag:([a-z0-9\-\._]+?@)?[a-z0-9\.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*(#[0-9a-zA-Z;/\?:@&=+$\.\-_!~*'\(\)%,]*)?$"
);

/// Python `rfc2396.urichars_re` for one character.
pub fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c)
}

/// Matches the full-URI pattern (`rfc2396_full.rfc2396_re`).
pub fn is_full_uri(s: &str) -> bool {
    RFC2396_FULL.is_match(s)
}

const IANA: &[&str] = &[
    "ftp",
    "http",
    "gopher",
    "mailto",
    "news",
    "nntp",
    "telnet",
    "wais",
    "file",
    "prospero",
    "z39.50s",
    "z39.50r",
    "cid",
    "mid",
    "vemmi",
    "service",
    "imap",
    "nfs",
    "acap",
    "rtsp",
    "tip",
    "pop",
    "data",
    "dav",
    "opaquelocktoken",
    "sip",
    "sips",
    "tel",
    "fax",
    "modem",
    "ldap",
    "https",
    "soap.beep",
    "soap.beeps",
    "xmlrpc.beep",
    "xmlrpc.beeps",
    "urn",
    "go",
    "h323",
    "ipp",
    "tftp",
    "mupdate",
    "pres",
    "im",
    "mtqp",
    "iris.beep",
    "dict",
    "snmp",
    "crid",
    "tag",
    "dns",
    "info",
    "aaa",
    "aaas",
    "cap",
    "iax",
    "icap",
    "iris",
    "iris.xpc",
    "iris.xpcs",
    "iris.lwz",
    "msrp",
    "msrps",
    "shttp",
    "thismessage",
    "tv",
    "xmpp",
];

/// Python `repr(c)` of a one-character string.
pub fn py_repr_char(c: char) -> String {
    match c {
        '\'' => "\"'\"".into(),
        '\\' => "'\\\\'".into(),
        '\n' => "'\\n'".into(),
        '\t' => "'\\t'".into(),
        '\r' => "'\\r'".into(),
        c if (c as u32) < 0x20 || c == '\x7f' => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

/// `rfc2396.validate`: `full` selects the full-URI pattern. Returns success.
pub fn rfc2396(
    log: &mut dyn Log,
    value: &str,
    full: bool,
    err: C,
    ok: C,
    extra: &[(&'static str, &str)],
) -> bool {
    let re = if full { &RFC2396_FULL } else { &RFC2396 };
    let with = |p: &mut Vec<(&'static str, String)>| {
        for (k, v) in extra {
            p.push((k, v.to_string()));
        }
    };
    let emit = |log: &mut dyn Log, c: C, value: &str, more: &[(&'static str, String)]| {
        if !log.wants(c) {
            log.log(c, &[]);
            return;
        }
        let mut p: Vec<(&'static str, String)> = vec![("value", value.to_string())];
        with(&mut p);
        p.extend(more.iter().cloned());
        let refs: Vec<(&'static str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        log.log(c, &refs);
    };
    let scheme = value.split(':').next().unwrap_or("").to_lowercase();
    let mut success = false;
    if scheme == "tag" {
        if TAG.is_match(value) {
            success = true;
            emit(log, ValidTAG, value, &[]);
        } else {
            emit(log, InvalidTAG, value, &[]);
        }
    } else if scheme == "urn" {
        if value.to_lowercase().starts_with("urn:uuid:") && !UUID.is_match(value) {
            emit(log, InvalidUUID, value, &[]);
        } else if URN.is_match(value) {
            success = true;
            emit(log, ValidURN, value, &[]);
        } else {
            emit(log, InvalidURN, value, &[]);
        }
    } else if !re.is_match(value) {
        if let Some(c) = value.chars().find(|c| c.is_ascii() && !is_uri_char(*c)) {
            emit(log, InvalidUriChar, value, &[("char", py_repr_char(c))]);
        } else {
            let mut cls = err;
            if idna::encode(value).is_some_and(|v| re.is_match(&v)) {
                cls = UriNotIri;
            }
            emit(log, cls, value, &[]);
        }
    } else if scheme == "http" || scheme == "ftp" {
        py_regex!(HIER, r"\w+://[^/].*");
        if HIER.is_match(value) {
            success = true;
        } else {
            emit(log, err, value, &[]);
        }
    } else if value.contains(':') && is_alpha(&scheme) && !IANA.contains(&scheme.as_str()) {
        log.log(SchemeNotIANARegistered, &[("value", &scheme)]);
    } else {
        success = true;
    }
    if success {
        emit(log, ok, value, &[]);
    }
    success
}

const SUBDELIMS: &str = "!$&'()*+,;=";
const GENDELIMS: &str = ":/?#[]@";

fn pchar() -> String {
    format!("-._~{SUBDELIMS}:@")
}

/// Python `quote(s, safe)` on bytes.
fn quote(bytes: &[u8], safe: &str) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        let c = b as char;
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) || (b.is_ascii() && safe.contains(c)) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn unquote_bytes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() && i + 2 < s.len() {
            let h = std::str::from_utf8(&s[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = h {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

fn flush(buf: &mut Vec<u8>, safe: &str) -> Option<String> {
    let text = std::str::from_utf8(buf).ok()?;
    let again = unquote_bytes(text.as_bytes());
    std::str::from_utf8(&again).ok()?;
    buf.clear();
    Some(quote(&again, safe))
}

/// `_qnu`: normalise percent-encoding, keeping reserved `safe` characters.
fn qnu(s: &str, safe: &str) -> Option<String> {
    let reserved = format!("{GENDELIMS}{SUBDELIMS}");
    let mut res = String::new();
    let mut buf: Vec<u8> = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let (ch, byte, len) = if b[i] == b'%' {
            let h = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|x| x.is_ascii_hexdigit()))?;
            (None, u8::from_str_radix(h, 16).ok()?, 3)
        } else {
            let c = s[i..].chars().next()?;
            if !c.is_ascii() {
                return None;
            }
            (Some(c), c as u8, 1)
        };
        let x = byte as char;
        if reserved.contains(x) && safe.contains(x) {
            res.push_str(&flush(&mut buf, safe)?);
            match ch {
                Some(c) => res.push(c),
                None => res.push_str(&s[i..i + 3].to_uppercase()),
            }
        } else {
            buf.push(byte);
        }
        i += len;
    }
    res.push_str(&flush(&mut buf, safe)?);
    Some(res)
}

fn norm_port(netloc: &str, def: Option<u32>) -> Option<String> {
    let mut nl = netloc.to_lowercase();
    let mut p = def;
    if let Some(i) = nl.rfind(':') {
        let digits = &nl[i + 1..];
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            if !digits.is_empty() {
                p = digits.parse().ok();
            }
            nl.truncate(i);
        }
    }
    if nl.ends_with('.') && nl.len() >= 2 && nl[..nl.len() - 2].contains('.') {
        nl.pop();
    }
    if nl.starts_with('[') != nl.ends_with(']') {
        return None;
    }
    if p != def {
        nl = format!("{nl}:{}", p.map(|p| p.to_string()).unwrap_or_default());
    }
    Some(nl)
}

fn norm_auth(auth: &str, port: Option<u32>) -> Option<String> {
    match auth.rfind('@') {
        Some(i) => {
            let c = if &auth[..i] == ":" { "" } else { &auth[..i] };
            let h = norm_port(&auth[i + 1..], port)?;
            Some(if c.is_empty() { h } else { format!("{c}@{h}") })
        }
        None => norm_port(auth, port),
    }
}

fn norm_path(p: &str) -> Option<String> {
    let mut l: Vec<String> = p.split('/').map(str::to_string).collect();
    let mut i = if !l.is_empty() && !l[0].is_empty() {
        l.len()
    } else {
        0
    };
    while i < l.len() {
        let c = l[i].clone();
        if c == "." || c == ".." {
            if i < l.len() - 1 {
                l.remove(i);
            } else {
                l[i] = String::new();
            }
            if c == ".." && (i > 1 || (i > 0 && !l[0].is_empty())) {
                i -= 1;
                l.remove(i);
            }
        } else {
            i += 1;
        }
    }
    if l.len() == 1 && l[0].is_empty() {
        l = vec![String::new(), String::new()];
    }
    let parts: Option<Vec<String>> = l.iter().map(|c| qnu(c, &pchar())).collect();
    Some(parts?.join("/"))
}

/// Whether `s` is an `http(s)` URI already in canonical form (the common
/// case, checked without rebuilding it).
fn plainly_canonical(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("http://")
        .or_else(|| s.strip_prefix("https://"))
    else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    let host_ok = !host.is_empty()
        && !host.ends_with('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let path = &tail[..path_end];
    let path_ok = path.starts_with('/')
        && !path.contains("/./")
        && !path.contains("/../")
        && !path.ends_with("/.")
        && !path.ends_with("/..");
    let chars_ok = tail
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b))
        && tail.matches('#').count() == 0;
    host_ok && path_ok && chars_ok
}

/// `canonicalForm(u)`: the canonical form of a URI, `None` if it has none.
pub fn canonical(s: &str) -> Option<String> {
    if plainly_canonical(s) {
        return Some(s.to_string());
    }
    let (scheme, rest) = match s.find(':') {
        Some(i) if i > 0 && !s[..i].contains(['/', '?', '#']) => {
            (Some(s[..i].to_lowercase()), &s[i + 1..])
        }
        _ => (None, s),
    };
    let (before_frag, frag) = match rest.find('#') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (hier, query) = match before_frag.find('?') {
        Some(i) => (&before_frag[..i], Some(&before_frag[i + 1..])),
        None => (before_frag, None),
    };
    let (authority, p) = match hier.strip_prefix("//") {
        Some(r) => {
            let end = r.find('/').unwrap_or(r.len());
            (Some(&r[..end]), &r[end..])
        }
        None => (None, hier),
    };
    let default_port = |s: &str| match s {
        "ftp" => Some(21),
        "telnet" => Some(23),
        "http" => Some(80),
        "gopher" => Some(70),
        "news" | "nntp" => Some(119),
        "prospero" => Some(191),
        "https" => Some(443),
        "snews" | "snntp" => Some(563),
        _ => None,
    };
    let (auth, path) = match authority {
        None => {
            if scheme.is_none() && !p.starts_with('/') {
                return None;
            }
            let path = if scheme.as_deref() == Some("mailto") {
                match p.find('@').filter(|i| *i > 0) {
                    Some(i) => {
                        let j = p.find('?').unwrap_or(p.len()).max(i + 1);
                        format!(
                            "{}@{}{}",
                            qnu(&p[..i], "")?,
                            qnu(&p[i + 1..j].to_lowercase(), "")?,
                            qnu(&p[j..], "")?
                        )
                    }
                    None => p.to_string(),
                }
            } else if scheme.is_none() || p.starts_with('/') {
                norm_path(p)?
            } else {
                qnu(p, &format!("{}/", pchar()))?
            };
            (None, path)
        }
        Some(a) => (
            Some(norm_auth(a, scheme.as_deref().and_then(default_port))?),
            norm_path(p)?,
        ),
    };
    let safe = format!("{}/?", pchar());
    let mut out = String::new();
    if let Some(sc) = &scheme {
        out.push_str(sc);
        out.push(':');
    }
    if let Some(a) = auth {
        out.push_str("//");
        out.push_str(&a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(&qnu(q, &safe)?);
    }
    if let Some(f) = frag {
        out.push('#');
        out.push_str(&qnu(f, &safe)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_examples() {
        let cases = [
            ("http://example.com/", Some("http://example.com/")),
            (
                "HTTP://Example.COM:80/a/./b/../c",
                Some("http://example.com/a/c"),
            ),
            ("http://example.com", Some("http://example.com/")),
            (
                "http://example.com/%7euser",
                Some("http://example.com/~user"),
            ),
            ("tag:example.com,2004:x", Some("tag:example.com,2004:x")),
            ("foo", None),
        ];
        for (i, want) in cases {
            assert_eq!(canonical(i).as_deref(), want, "{i}");
        }
    }
}
