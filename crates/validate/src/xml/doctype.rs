//! What the validator learns from a DOCTYPE: its external identifiers and
//! the entities of the internal subset (never expanded).

/// A parsed DOCTYPE.
#[derive(Debug, Default)]
pub struct Doctype {
    /// Public identifier.
    pub public: Option<String>,
    /// System identifier.
    pub system: Option<String>,
    /// Internal general entities.
    pub internal: Vec<String>,
    /// External general entities.
    pub external: Vec<String>,
}

fn quoted(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = s[1..].find(q)? + 1;
    Some((s[1..end].to_string(), &s[end + 1..]))
}

fn external_id(s: &str) -> (Option<String>, Option<String>, &str) {
    let t = s.trim_start();
    if let Some(r) = t.strip_prefix("PUBLIC") {
        if let Some((p, r)) = quoted(r) {
            if let Some((sy, r)) = quoted(r) {
                return (Some(p), Some(sy), r);
            }
            return (Some(p), None, r);
        }
    } else if let Some(r) = t.strip_prefix("SYSTEM")
        && let Some((sy, r)) = quoted(r)
    {
        return (None, Some(sy), r);
    }
    (None, None, t)
}

/// Parse the content of `<!DOCTYPE ...>` as quick-xml gives it.
pub fn parse(content: &str) -> Doctype {
    let mut d = Doctype::default();
    let rest = content.trim_start();
    let name_end = rest
        .find(|c: char| c.is_whitespace() || c == '[')
        .unwrap_or(rest.len());
    let (public, system, after) = external_id(&rest[name_end..]);
    d.public = public;
    d.system = system;
    if let Some(open) = after.find('[') {
        let subset = &after[open + 1..];
        let mut s = subset;
        while let Some(i) = s.find("<!ENTITY") {
            s = &s[i + 8..];
            let t = s.trim_start();
            if t.starts_with('%') {
                continue;
            }
            let name_end = t.find(char::is_whitespace).unwrap_or(t.len());
            let name = t[..name_end].to_string();
            let body = t[name_end..].trim_start();
            if body.starts_with("SYSTEM") || body.starts_with("PUBLIC") {
                d.external.push(name);
            } else {
                d.internal.push(name);
            }
        }
    }
    d
}
