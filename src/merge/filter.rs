//! Per-source filters: `include` / `exclude` rules (keywords, regexes, categories, authors),
//! `title_prefix` and `limit`.

use regex::Regex;
use serde::Deserialize;

use crate::model::Entry;

/// Match rules of an `include` or `exclude` key.
///
/// The short form is a list of keywords (`include = ["copper", "铜"]`); the full form is a
/// table (`exclude = { keywords = [..], regex = [..], categories = [..], authors = [..] }`).
/// An entry matches when any one rule matches.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Rules {
    /// Keywords, searched case-insensitively in the title, summary and content.
    Keywords(Vec<String>),
    /// Every kind of rule.
    Full(RuleTable),
}

/// The full form of [`Rules`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RuleTable {
    /// Case-insensitive substrings of the title, summary or content.
    pub keywords: Vec<String>,
    /// Regular expressions (Rust `regex` syntax) over the title, summary and content.
    pub regex: Vec<String>,
    /// Category terms or labels, compared case-insensitively.
    pub categories: Vec<String>,
    /// Author names, compared case-insensitively.
    pub authors: Vec<String>,
}

/// Compiled [`Rules`].
#[derive(Debug, Clone)]
pub struct Matcher {
    keywords: Vec<String>,
    regexes: Vec<Regex>,
    categories: Vec<String>,
    authors: Vec<String>,
}

/// A filter regex that does not compile.
#[derive(Debug, thiserror::Error)]
#[error("invalid regex `{pattern}`: {source}")]
pub struct BadRegex {
    /// The regex as written.
    pub pattern: String,
    /// Why it does not compile.
    pub source: regex::Error,
}

impl Matcher {
    /// Compiles `rules`; the error names the regex that does not compile.
    pub fn new(rules: &Rules) -> Result<Matcher, BadRegex> {
        let table = match rules {
            Rules::Keywords(k) => RuleTable {
                keywords: k.clone(),
                ..RuleTable::default()
            },
            Rules::Full(t) => t.clone(),
        };
        let regexes = table
            .regex
            .iter()
            .map(|r| {
                Regex::new(r).map_err(|source| BadRegex {
                    pattern: r.clone(),
                    source,
                })
            })
            .collect::<Result<_, _>>()?;
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect();
        Ok(Matcher {
            keywords: lower(&table.keywords),
            regexes,
            categories: lower(&table.categories),
            authors: lower(&table.authors),
        })
    }

    /// Whether `entry` matches any rule.
    pub fn matches(&self, entry: &Entry) -> bool {
        let texts = [
            Some(entry.title.as_str()),
            entry.summary.as_deref(),
            entry.content_html.as_deref(),
        ];
        let texts: Vec<&str> = texts.into_iter().flatten().collect();
        if !self.keywords.is_empty() {
            let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
            if self
                .keywords
                .iter()
                .any(|k| lower.iter().any(|t| t.contains(k.as_str())))
            {
                return true;
            }
        }
        if self
            .regexes
            .iter()
            .any(|r| texts.iter().any(|t| r.is_match(t)))
        {
            return true;
        }
        let category = |c: &crate::model::Category| {
            let term = c.term.to_lowercase();
            let label = c.label.as_deref().map(str::to_lowercase);
            self.categories
                .iter()
                .any(|w| *w == term || label.as_deref() == Some(w.as_str()))
        };
        if entry.categories.iter().any(category) {
            return true;
        }
        entry
            .authors
            .iter()
            .any(|a| self.authors.contains(&a.name.to_lowercase()))
    }
}

/// Applies one source's filters, prefix and limit. Entries are first ordered newest first
/// so that `limit` keeps the newest.
pub(crate) fn apply(
    mut entries: Vec<Entry>,
    include: Option<&Matcher>,
    exclude: Option<&Matcher>,
    title_prefix: Option<&str>,
    limit: Option<usize>,
) -> Vec<Entry> {
    entries.retain(|e| include.is_none_or(|m| m.matches(e)));
    entries.retain(|e| !exclude.is_some_and(|m| m.matches(e)));
    if let Some(prefix) = title_prefix {
        for e in &mut entries {
            e.title = format!("{prefix}{}", e.title);
        }
    }
    sort_newest_first(&mut entries);
    if let Some(limit) = limit {
        entries.truncate(limit);
    }
    entries
}

/// Sorts newest first with a total order: date (undated last), then id.
pub fn sort_newest_first(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        b.sort_date()
            .cmp(&a.sort_date())
            .then_with(|| a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Person};

    fn entry(title: &str) -> Entry {
        Entry {
            id: title.into(),
            title: title.into(),
            ..Entry::default()
        }
    }

    #[test]
    fn short_and_full_forms_match() {
        let rules: Rules = toml::from_str::<toml::Table>("r = [\"Copper\"]")
            .unwrap()
            .get("r")
            .unwrap()
            .clone()
            .try_into()
            .unwrap();
        let m = Matcher::new(&rules).unwrap();
        assert!(m.matches(&entry("copper prices")));
        assert!(!m.matches(&entry("zinc")));

        let m = Matcher::new(&Rules::Full(RuleTable {
            regex: vec!["^\\d+ 铜".into()],
            categories: vec!["metals".into()],
            authors: vec!["ann".into()],
            ..RuleTable::default()
        }))
        .unwrap();
        assert!(m.matches(&entry("2 铜价")));
        let mut e = entry("x");
        e.categories.push(Category::term("Metals"));
        assert!(m.matches(&e));
        let mut e = entry("y");
        e.authors.push(Person::named("Ann"));
        assert!(m.matches(&e));
        assert!(!m.matches(&entry("z")));
    }

    #[test]
    fn bad_regex_is_named() {
        let err = Matcher::new(&Rules::Full(RuleTable {
            regex: vec!["(".into()],
            ..RuleTable::default()
        }))
        .unwrap_err();
        assert!(err.to_string().contains("`(`"), "{err}");
    }

    #[test]
    fn apply_filters_prefixes_and_limits() {
        let include = Matcher::new(&Rules::Keywords(vec!["keep".into()])).unwrap();
        let exclude = Matcher::new(&Rules::Keywords(vec!["not".into()])).unwrap();
        let out = apply(
            vec![
                entry("keep a"),
                entry("keep not"),
                entry("drop"),
                entry("keep b"),
            ],
            Some(&include),
            Some(&exclude),
            Some("[x] "),
            Some(1),
        );
        let titles: Vec<_> = out.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["[x] keep a"]);
    }
}
