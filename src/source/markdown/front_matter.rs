//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a Markdown file, split
//! from the body and read into article fields.
//!
//! Keys are matched case-insensitively. Recognised keys and the field each gives:
//! `title`; `date` / `publishDate` / `published` → published; `lastmod` / `updated` /
//! `modified` → updated; `categories` / `category`; `tags` / `keywords`; `author` /
//! `authors` (text, a list, or `{ name = … }` tables); `summary` / `description`; `slug`;
//! `draft`; `url` / `link` / `permalink`; `lang` / `language`. Static site generators keep
//! some of these elsewhere, and they are read there too: Zola's `[taxonomies]` (`tags` as
//! tags, every other taxonomy as categories) and `extra.author` / `extra.authors`, Hugo's
//! `params.author`, Jekyll's author objects (`author: { name: … }`). Every other key is left
//! alone.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::error::SourceError;
use crate::source::{Field, FieldKey, Located, Role};

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
}

impl Format {
    fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// A Markdown file cut into its front matter (if any) and body.
#[derive(Debug)]
pub(super) struct Split<'a> {
    /// The front matter block, without its fences.
    pub front: Option<Front<'a>>,
    /// The Markdown after the closing fence (the whole text without front matter).
    pub body: &'a str,
    /// 1-based line on which `body` starts.
    pub body_line: usize,
}

/// The text of a front matter block and where it sits.
#[derive(Debug)]
pub(super) struct Front<'a> {
    /// YAML or TOML.
    pub format: Format,
    /// The lines between the fences.
    pub text: &'a str,
    /// 1-based line of the first line of `text`.
    pub first_line: usize,
}

/// What the front matter said.
#[derive(Debug, Default)]
pub(super) struct Meta {
    /// The `title` key.
    pub title: Option<Located<String>>,
    /// Every other recognised key, as fields.
    pub fields: Vec<Field>,
    /// Keys that were present but unusable.
    pub warnings: Vec<Diagnostic>,
}

/// Cuts `text` into front matter and body. A block opened by `---` or `+++` on the first
/// non-blank line must be closed by the same fence.
pub(super) fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, SourceError> {
    let mut offset = 0;
    let mut line_no = 0;
    let mut opened: Option<(Format, usize, usize)> = None;
    for line in text.split_inclusive('\n') {
        line_no += 1;
        let next = offset + line.len();
        match opened {
            None if line.trim().is_empty() => {}
            None => {
                let format = match line.trim_end() {
                    "---" => Format::Yaml,
                    "+++" => Format::Toml,
                    _ => break,
                };
                opened = Some((format, next, line_no));
            }
            Some((format, start, open_line)) => {
                if line.trim_end() == format.fence() {
                    return Ok(Split {
                        front: Some(Front {
                            format,
                            text: &text[start..offset],
                            first_line: open_line + 1,
                        }),
                        body: &text[next..],
                        body_line: line_no + 1,
                    });
                }
            }
        }
        offset = next;
    }
    match opened {
        Some((format, _, open_line)) => Err(SourceError::invalid(
            path,
            Some(open_line),
            format!(
                "front matter opened with `{fence}` on line {open_line} is never closed: \
                 end it with a line holding only `{fence}`",
                fence = format.fence()
            ),
        )),
        None => Ok(Split {
            front: None,
            body: text,
            body_line: 1,
        }),
    }
}

/// Parses a front matter block and maps its keys onto article fields.
pub(super) fn read(path: &Path, front: &Front<'_>) -> Result<Meta, SourceError> {
    let table = parse_table(path, front)?;
    // Lower-cased key → (key as written, value); a BTreeMap keeps the order total.
    let keys: BTreeMap<String, (&str, &Value)> = table
        .iter()
        .map(|(k, v)| (k.to_lowercase(), (k.as_str(), v)))
        .collect();
    let mut meta = Meta::default();
    let mut reader = KeyReader {
        path,
        front,
        keys: &keys,
        meta: &mut meta,
    };
    if let Some((line, value)) = reader.single(&["title"]) {
        reader.meta.title = Some(Located { value, line });
    }
    reader.first(
        FieldKey::Published,
        &["date", "publishdate", "published", "pubdate"],
    );
    reader.first(FieldKey::Updated, &["lastmod", "updated", "modified"]);
    reader.all(FieldKey::Category, &["categories", "category"]);
    reader.all(FieldKey::Tag, &["tags", "keywords"]);
    if !reader.all(FieldKey::Person(Role::Author), &["authors", "author"]) {
        // Zola keeps authors under `[extra]`, Hugo under `params`.
        let _ = reader.nested(
            FieldKey::Person(Role::Author),
            "extra",
            &["authors", "author"],
        ) || reader.nested(
            FieldKey::Person(Role::Author),
            "params",
            &["authors", "author"],
        );
    }
    reader.taxonomies();
    reader.first(FieldKey::Summary, &["summary", "description"]);
    reader.first(FieldKey::Slug, &["slug"]);
    reader.first(FieldKey::Link, &["url", "link", "permalink"]);
    reader.first(FieldKey::Language, &["lang", "language"]);
    reader.draft();
    Ok(meta)
}

fn parse_table(
    path: &Path,
    front: &Front<'_>,
) -> Result<serde_json::Map<String, Value>, SourceError> {
    let fail = |line: Option<usize>, what: String| {
        let format = match front.format {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
        };
        SourceError::invalid(
            path,
            line,
            format!("front matter is not valid {format}: {what}"),
        )
    };
    if front.text.trim().is_empty() {
        return Ok(serde_json::Map::new());
    }
    let value = match front.format {
        Format::Yaml => serde_saphyr::from_str_with_options::<Value>(front.text, yaml_options())
            .map_err(|e| {
                let line = e
                    .location()
                    .and_then(|l| usize::try_from(l.line()).ok())
                    .filter(|&l| l > 0)
                    .map(|l| l + front.first_line - 1);
                fail(line, first_line_of(&e.to_string()))
            })?,
        Format::Toml => {
            let table = toml::from_str::<toml::Table>(front.text).map_err(|e| {
                let line = e.span().map(|s| {
                    front.first_line + count_lines(&front.text[..s.start.min(front.text.len())])
                });
                fail(line, e.message().to_string())
            })?;
            toml_to_json(toml::Value::Table(table))
        }
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(serde_json::Map::new()),
        _ => Err(fail(
            Some(front.first_line),
            "it must be a list of `key: value` pairs".to_string(),
        )),
    }
}

/// YAML 1.2 core schema: `yes`, `no`, `y` and `on` stay text, so a tag named `y` is a tag.
fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.with_snippet = false;
    // Front matter is a few dozen keys; a block that expands aliases this far is hostile.
    options.alias_limits.max_total_replayed_events = 10_000;
    options
}

/// The first line of a parser message, without its own position (which counts from the
/// block, not the file).
fn first_line_of(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("syntax error");
    let line = line.find(" at line ").map_or(line, |at| &line[..at]);
    line.to_string()
}

fn count_lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

/// TOML values as JSON values; dates and times become their RFC 3339 text.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

struct KeyReader<'r, 'a> {
    path: &'r Path,
    front: &'r Front<'a>,
    keys: &'r BTreeMap<String, (&'r str, &'r Value)>,
    meta: &'r mut Meta,
}

impl KeyReader<'_, '_> {
    /// The first of `names` present, with its line and text values (warning when unusable).
    fn text_values(&mut self, what: &str, names: &[&str]) -> Option<(Option<usize>, Vec<String>)> {
        let (written, value) = names.iter().find_map(|n| self.keys.get(*n))?;
        let line = key_line(self.front, written);
        match texts(value) {
            Some(values) => Some((line, values)),
            None => {
                self.meta.warnings.push(Diagnostic::warning(
                    self.path.display(),
                    line,
                    format!("front matter key `{written}` should be text or a list of text for the {what}; ignored"),
                ));
                None
            }
        }
    }

    /// The one text value of the first of `names` present (warning when it holds several).
    fn single(&mut self, names: &[&str]) -> Option<(Option<usize>, String)> {
        let (line, mut values) = self.text_values(names[0], names)?;
        if values.len() > 1 {
            let written = names
                .iter()
                .find_map(|n| self.keys.get(*n))
                .map_or(names[0], |(w, _)| *w);
            self.meta.warnings.push(Diagnostic::warning(
                self.path.display(),
                line,
                format!("front matter key `{written}` holds a list but takes one text; ignored"),
            ));
            return None;
        }
        values.pop().map(|v| (line, v))
    }

    fn first(&mut self, key: FieldKey, names: &[&str]) {
        if let Some((line, value)) = self.single(names) {
            self.meta.fields.push(Field { key, value, line });
        }
    }

    /// Adds a `key` field for every text value of the first of `names` present; whether it
    /// found any.
    fn all(&mut self, key: FieldKey, names: &[&str]) -> bool {
        let Some((line, values)) = self.text_values(names[0], names) else {
            return false;
        };
        let found = !values.is_empty();
        let fields = values.into_iter().map(|value| Field { key, value, line });
        self.meta.fields.extend(fields);
        found
    }

    /// [`KeyReader::all`] for the first of `names` inside the table `table` (such as Zola's
    /// `[extra]`), matched without regard to case.
    fn nested(&mut self, key: FieldKey, table: &str, names: &[&str]) -> bool {
        let Some((written, Value::Object(inner))) = self.keys.get(table) else {
            return false;
        };
        let line = key_line(self.front, written);
        let value = names
            .iter()
            .find_map(|n| (inner.iter()).find_map(|(k, v)| k.eq_ignore_ascii_case(n).then_some(v)));
        let values = value.and_then(texts).unwrap_or_default();
        let found = !values.is_empty();
        let fields = values.into_iter().map(|value| Field { key, value, line });
        self.meta.fields.extend(fields);
        found
    }

    /// Zola's `[taxonomies]`: `tags` as tags, every other taxonomy as categories.
    fn taxonomies(&mut self) {
        let Some((written, Value::Object(taxonomies))) = self.keys.get("taxonomies") else {
            return;
        };
        let line = key_line(self.front, written);
        for (name, value) in taxonomies {
            let key = match name.eq_ignore_ascii_case("tags") {
                true => FieldKey::Tag,
                false => FieldKey::Category,
            };
            let values = texts(value).unwrap_or_default();
            let fields = values.into_iter().map(|value| Field { key, value, line });
            self.meta.fields.extend(fields);
        }
    }

    fn draft(&mut self) {
        let Some((written, value)) = self.keys.get("draft") else {
            return;
        };
        let line = key_line(self.front, written);
        let draft = match value {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => Some(true),
                "false" | "no" | "" => Some(false),
                _ => None,
            },
            Value::Null => Some(false),
            _ => None,
        };
        match draft {
            Some(true) => self.meta.fields.push(Field {
                key: FieldKey::Draft,
                value: "true".to_string(),
                line,
            }),
            Some(false) => {}
            None => self.meta.warnings.push(Diagnostic::warning(
                self.path.display(),
                line,
                format!("front matter key `{written}` should be true or false; read as false"),
            )),
        }
    }
}

/// The non-empty texts in a scalar, a list, or `{ name = … }` tables; `None` when the value
/// has another shape.
fn texts(value: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string()),
            _ => None,
        }
    };
    let values = match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().map(one).collect::<Option<Vec<_>>>()?,
        other => vec![one(other)?],
    };
    Some(values.into_iter().filter(|s| !s.is_empty()).collect())
}

/// The 1-based line where top-level `key` is written in the block, if it can be found.
fn key_line(front: &Front<'_>, key: &str) -> Option<usize> {
    front.text.lines().enumerate().find_map(|(i, line)| {
        if front.format == Format::Toml {
            let header = line.trim_end();
            if header == format!("[[{key}]]") || header == format!("[{key}]") {
                return Some(front.first_line + i);
            }
        }
        let rest = line
            .strip_prefix(key)
            .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| line.strip_prefix(&format!("'{key}'")))?;
        let rest = rest.trim_start();
        let sep = match front.format {
            Format::Yaml => ':',
            Format::Toml => '=',
        };
        rest.starts_with(sep).then_some(front.first_line + i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(text: &str) -> Result<Meta, SourceError> {
        let path = Path::new("t.md");
        let split = split(path, text)?;
        read(path, split.front.as_ref().expect("front matter"))
    }

    #[test]
    fn splits_yaml_and_toml_blocks() {
        let s = split(Path::new("a.md"), "---\ntitle: A\n---\nBody\n").unwrap();
        let front = s.front.unwrap();
        assert_eq!(
            (front.format, front.text, front.first_line),
            (Format::Yaml, "title: A\n", 2)
        );
        assert_eq!((s.body, s.body_line), ("Body\n", 4));
        let s = split(Path::new("a.md"), "\n+++\ntitle = 'A'\n+++\n").unwrap();
        assert_eq!(s.front.unwrap().first_line, 3);
        let s = split(Path::new("a.md"), "# Hi\n---\n").unwrap();
        assert!(s.front.is_none());
    }

    #[test]
    fn unclosed_block_names_line_and_fix() {
        let err = split(Path::new("a.md"), "---\ntitle: A\nBody\n").unwrap_err();
        assert_eq!(err.line(), Some(1));
        assert!(err.reason().contains("never closed"), "{err}");
    }

    #[test]
    fn broken_yaml_and_toml_name_a_line() {
        let err = meta_of("---\ntitle: A\ntags: [a, b\n---\n").unwrap_err();
        assert!(err.reason().contains("not valid YAML"), "{err}");
        assert!(err.line().is_some_and(|l| (2..=5).contains(&l)), "{err}");
        let err = meta_of("+++\ntitle = 'A'\ndate = \n+++\n").unwrap_err();
        assert!(err.reason().contains("not valid TOML"), "{err}");
        assert_eq!(err.line(), Some(3), "{err}");
    }

    #[test]
    fn maps_keys_with_lines() {
        let meta = meta_of(
            "---\nTitle: Hello\ndate: 2024-05-01\nauthors:\n  - name: Ann\n  - Bob\ntags: [x, y]\ndraft: true\nextra:\n  foo: 1\n---\n",
        )
        .unwrap();
        assert_eq!(
            meta.title,
            Some(Located {
                value: "Hello".into(),
                line: Some(2)
            })
        );
        let got: Vec<_> = meta
            .fields
            .iter()
            .map(|f| (f.key, f.value.as_str(), f.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (FieldKey::Published, "2024-05-01", Some(3)),
                (FieldKey::Tag, "x", Some(7)),
                (FieldKey::Tag, "y", Some(7)),
                (FieldKey::Person(Role::Author), "Ann", Some(4)),
                (FieldKey::Person(Role::Author), "Bob", Some(4)),
                (FieldKey::Draft, "true", Some(8)),
            ]
        );
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut yaml = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let (prev, name) = (pair[0], pair[1]);
            let refs = vec![format!("*{prev}"); 10].join(", ");
            yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        yaml.push_str("title: boom\n---\n");
        let start = std::time::Instant::now();
        let result = meta_of(&yaml);
        assert!(start.elapsed().as_secs() < 1, "{:?}", start.elapsed());
        assert!(result.is_err(), "a billion laughs must not be expanded");
    }

    #[test]
    fn wrong_shapes_warn() {
        let meta = meta_of("+++\ntitle = { a = 1 }\ndraft = 3\n+++\n").unwrap();
        assert!(meta.title.is_none());
        assert_eq!(meta.warnings.len(), 2, "{:?}", meta.warnings);
        assert_eq!(meta.warnings[0].line, Some(2));
    }
}
