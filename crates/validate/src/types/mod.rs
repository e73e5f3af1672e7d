//! Data types checked by the validator: dates, URIs, e-mail addresses,
//! language codes, MIME types and small helpers shared by the rules.

pub mod date;
pub mod email;
pub mod idna;
pub mod iso639;
pub mod strset;
pub mod uri;
pub mod urljoin;

use regex::Regex;
use std::sync::LazyLock;

/// Compile a pattern with Python `re.match` semantics: anchored at the start,
/// and a trailing `$` in `pat` also matches before a final newline.
pub fn py_re(pat: &str) -> Regex {
    let pat = match pat.strip_suffix('$') {
        Some(p) => format!(r"^(?:{p})\n?\z"),
        None => format!("^(?:{pat})"),
    };
    Regex::new(&pat).unwrap_or_else(|e| panic!("bad built-in pattern {pat}: {e}"))
}

/// A lazily compiled Python-style pattern (see [`py_re`]).
pub struct PyRe(LazyLock<Regex>);

impl PyRe {
    /// Wrap a lazy regex.
    pub const fn new(f: fn() -> Regex) -> PyRe {
        PyRe(LazyLock::new(f))
    }
    /// Python `re.match(...)` is not None.
    pub fn is_match(&self, s: &str) -> bool {
        self.0.is_match(s)
    }
    /// The compiled regex.
    pub fn re(&self) -> &Regex {
        &self.0
    }
}

/// Declare a `static NAME: PyRe` compiled from a Python pattern.
#[macro_export]
macro_rules! py_regex {
    ($name:ident, $pat:expr) => {
        static $name: $crate::types::PyRe = $crate::types::PyRe::new(|| $crate::types::py_re($pat));
    };
}

/// Declare a `static NAME: LazyLock<Regex>` for searching (`re.search`, `re.findall`).
#[macro_export]
macro_rules! search_regex {
    ($name:ident, $pat:expr) => {
        static $name: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new($pat).unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
        });
    };
}

/// Python `int(s)`: optional surrounding white space, sign, digits and underscores between digits.
pub fn py_int(s: &str) -> Option<i128> {
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut v: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(10)? as i128;
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(if neg { -v } else { v })
}

/// Python `float(s)` for the plain decimal forms the validator meets.
pub fn py_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.trim_start_matches(['+', '-']),
        "inf" | "infinity" | "nan"
    ) {
        return t.parse::<f64>().ok().or(Some(f64::NAN));
    }
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Python `str.isdigit()` for the ASCII digits that matter here.
pub fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_numeric())
}

/// Python `str.isalpha()`.
pub fn is_alpha(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_alphabetic)
}

/// Valid MIME type (`mime_re` of validators.py).
pub fn is_mime(s: &str) -> bool {
    py_regex!(
        MIME,
        r#"[^\s()<>,;:"/\[\]?=]+/[^\s()<>,;:"/\[\]?=]+(\s*;\s*[^\s()<>,;:"/\[\]?=]+=("("|[^"])*"|[^\s()<>,;:"/\[\]?=]+))*$"#
    );
    MIME.is_match(s)
}

/// Whether `code` (a language tag) has a known ISO 639 primary subtag.
pub fn is_iso639(value: &str) -> bool {
    let lang = value.split('-').next().unwrap_or("").to_lowercase();
    iso639::CODES.binary_search(&lang.as_str()).is_ok()
}

/// Python `str.strip()` (white space as Python sees it).
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
}
