//! The Markdown reader end to end: sample files through `feedloom::source::read_file`.

mod markup_common;

use std::path::{Path, PathBuf};

use feedloom::source::{
    Article, Body, FieldKey, ReadOptions, Role, SourceKind, read_bytes, read_file,
};

const AUTHOR: FieldKey = FieldKey::Person(Role::Author);

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> Article {
    read_file(&root(rel), None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn fields(a: &Article) -> Vec<(FieldKey, &str, Option<usize>)> {
    a.fields
        .iter()
        .map(|f| (f.key, f.value.as_str(), f.line))
        .collect()
}

fn html(a: &Article) -> &str {
    match &a.body {
        Body::Html(h) | Body::RenderedHtml(h) => h,
        Body::Blocks(_) => panic!("{}: expected an HTML body", a.path.display()),
    }
}

struct Sample {
    file: &'static str,
    title: (&'static str, usize),
    fields: Vec<(FieldKey, &'static str, Option<usize>)>,
    body_has: &'static [&'static str],
    body_lacks: &'static [&'static str],
}

fn samples() -> Vec<Sample> {
    use FieldKey::*;
    vec![
        Sample {
            file: "samples/rust-feeds-yaml.md",
            title: ("Building feeds that readers trust", 2),
            fields: vec![
                (Published, "2024-03-18T09:30:00+08:00", Some(3)),
                (Updated, "2024-03-20", Some(4)),
                (Category, "Engineering", Some(5)),
                (Tag, "rss", Some(6)),
                (Tag, "atom", Some(6)),
                (Tag, "json-feed", Some(6)),
                (AUTHOR, "Lin Wei", Some(10)),
                (AUTHOR, "Maria Rossi", Some(10)),
                (Slug, "feeds-readers-trust", Some(13)),
                (
                    Link,
                    "https://blog.example.org/2024/feeds-readers-trust/",
                    Some(14),
                ),
                (
                    Summary,
                    "Feed readers are patient, but they are not forgiving. A feed that changes \
                     its ids rewrites every subscriber's history.",
                    None,
                ),
            ],
            body_has: &[
                "<th>Id element</th>",
                "<del>random</del>",
                r#"<input disabled="" type="checkbox" checked=""/>"#,
                r##"<a href="#ids">1</a>"##,
                "A hash of the link and title is stable only while neither changes.",
            ],
            body_lacks: &["more", "toc", "cover"],
        },
        Sample {
            file: "samples/copper-market-toml.md",
            title: ("Copper output rises for the third month", 2),
            fields: vec![
                (Published, "2024-04-02T08:00:00+08:00", Some(3)),
                (Updated, "2024-04-03T10:15:00+08:00", Some(4)),
                (Category, "Markets", Some(5)),
                (Category, "Metals", Some(5)),
                (Tag, "copper", Some(6)),
                (Tag, "smelting", Some(6)),
                (AUTHOR, "Zhang Min", Some(11)),
                (AUTHOR, "Tom Baker", Some(11)),
                (
                    Summary,
                    "Refined copper output rose 4.1% year on year in March.",
                    Some(7),
                ),
                (
                    Link,
                    "https://news.example.com/markets/copper-output-march.html",
                    Some(9),
                ),
            ],
            body_has: &[
                "<p>Refined copper output rose 4.1% year on year in March",
                "<blockquote>",
            ],
            body_lacks: &["48213", "zhang@example.com"],
        },
        Sample {
            file: "samples/2024-05-01-smelter-visit.md",
            title: ("A visit to the Jinchuan smelter", 1),
            fields: vec![
                (Published, "2024-05-01", None),
                (Slug, "smelter-visit", None),
                (
                    Summary,
                    "The furnaces run day and night, and the night shift is the busiest. \
                     Workers change over at six.",
                    None,
                ),
            ],
            body_has: &["<h2>Safety first</h2>", "screens show every ladle"],
            body_lacks: &["<h1>", "Jinchuan"],
        },
        Sample {
            file: "samples/draft-quarterly-outlook.md",
            title: ("Quarterly outlook (unfinished)", 2),
            fields: vec![
                (Published, "2024-06-30", Some(3)),
                (Tag, "outlook", Some(5)),
                (Draft, "true", Some(4)),
                (
                    Summary,
                    "Notes for the second-quarter outlook. Not ready yet.",
                    None,
                ),
            ],
            body_has: &["<p>Notes for the second-quarter outlook."],
            body_lacks: &[],
        },
    ]
}

#[test]
fn samples_give_their_fields_and_bodies() {
    for s in samples() {
        let a = read(s.file);
        let title = a.title.as_ref().expect("a title");
        assert_eq!(
            (title.value.as_str(), title.line),
            (s.title.0, Some(s.title.1)),
            "{}",
            s.file
        );
        assert_eq!(fields(&a), s.fields, "{}", s.file);
        markup_common::assert_body(s.file, html(&a), s.body_has, s.body_lacks);
        assert!(a.warnings.is_empty(), "{}: {:?}", s.file, a.warnings);
    }
}

#[test]
fn only_the_draft_is_a_draft() {
    for s in samples() {
        assert_eq!(
            read(s.file).is_draft(),
            s.file.contains("draft"),
            "{}",
            s.file
        );
    }
}

#[test]
fn unusable_files_are_errors_naming_line_and_fix() {
    let rows = [
        (
            "unclosed-front-matter.md",
            Some(1),
            "opened with `---` on line 1 is never closed",
        ),
        (
            "broken-yaml-front-matter.md",
            Some(5),
            "front matter is not valid YAML",
        ),
        (
            "broken-toml-front-matter.md",
            Some(2),
            "front matter is not valid TOML",
        ),
        ("no-title.md", None, "add `title` to the front matter"),
    ];
    for (file, line, reason) in rows {
        let path = root(&format!("tests/fixtures/markup/{file}"));
        let err = read_file(&path, None, &ReadOptions::default()).expect_err(file);
        assert_eq!(err.path(), path, "{file}");
        assert_eq!(err.line(), line, "{file}: {err}");
        assert!(err.reason().contains(reason), "{file}: {err}");
    }
}

#[test]
fn wrong_key_types_are_warnings_with_lines() {
    let a = read("tests/fixtures/markup/wrong-key-types.md");
    assert_eq!(
        a.title.as_ref().map(|t| t.value.as_str()),
        Some("Heading title")
    );
    let warnings: Vec<_> = a
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, Some(2));
    assert!(warnings[0].1.contains("`title`"), "{warnings:?}");
    assert_eq!(warnings[1].0, Some(3));
    assert!(warnings[1].1.contains("`draft`"), "{warnings:?}");
    assert!(!a.is_draft());
}

#[test]
fn front_matter_is_sniffed_without_an_extension() {
    let a = read_bytes(
        Path::new("inbox/post"),
        b"+++\ntitle = 'Sniffed'\n+++\nBody text.\n",
        None,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(a.title.unwrap().value, "Sniffed");
    let a = read_bytes(
        Path::new("x.txt"),
        b"# Forced\n\nBody.\n",
        Some(SourceKind::Markdown),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(a.title.unwrap().value, "Forced");
}

#[test]
fn windows_line_endings_and_a_bom_read_the_same() {
    let original = std::fs::read_to_string(root("samples/copper-market-toml.md")).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(original.replace('\n', "\r\n").into_bytes());
    let a = read_bytes(
        Path::new("copper-market-toml.md"),
        &bytes,
        None,
        &ReadOptions::default(),
    )
    .unwrap();
    let b = read("samples/copper-market-toml.md");
    assert_eq!(a.title, b.title);
    assert_eq!(fields(&a), fields(&b));
}

/// A small deterministic generator, so the byte soup is the same on every run.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn never_panics_on_truncated_or_random_input() {
    let opts = ReadOptions::default();
    for s in samples() {
        let bytes = std::fs::read(root(s.file)).unwrap();
        for cut in (0..bytes.len()).step_by(3) {
            let _ = read_bytes(Path::new("cut.md"), &bytes[..cut], None, &opts);
        }
    }
    for seed in 1..200u64 {
        let mut bytes = noise(seed, (seed as usize * 37) % 700);
        if seed % 2 == 0 {
            bytes.splice(0..0, b"---\ntitle: x\n".iter().copied());
        }
        let _ = read_bytes(Path::new("noise.md"), &bytes, None, &opts);
    }
}

#[test]
fn site_generators_keep_taxonomies_and_authors_in_their_own_tables() {
    type Row = (&'static str, &'static str, Vec<(FieldKey, &'static str)>);
    let rows: [Row; 4] = [
        (
            "zola.md",
            "+++\ntitle = \"Nickel weekly\"\ndate = 2024-05-01\n[taxonomies]\ncategories = [\"Weekly\"]\ntags = [\"nickel\"]\nmarkets = [\"LME\"]\n[extra]\nauthor = \"Sam Lee\"\n+++\nBody.\n",
            vec![
                (FieldKey::Category, "Weekly"),
                (FieldKey::Category, "LME"),
                (FieldKey::Tag, "nickel"),
                (AUTHOR, "Sam Lee"),
            ],
        ),
        (
            "zola-authors.md",
            "+++\ntitle = \"Two\"\n[extra]\nauthors = [\"Ann\", \"Bob\"]\n+++\nBody.\n",
            vec![(AUTHOR, "Ann"), (AUTHOR, "Bob")],
        ),
        (
            "hugo.md",
            "---\ntitle: Copper\nparams:\n  author: Li Wei\n---\nBody.\n",
            vec![(AUTHOR, "Li Wei")],
        ),
        (
            "jekyll.md",
            "---\ntitle: Tin\nauthor:\n  name: Jane Doe\n  email: jane@example.com\n---\nBody.\n",
            vec![(AUTHOR, "Jane Doe")],
        ),
    ];
    for (name, text, want) in rows {
        let article = read_bytes(
            Path::new(name),
            text.as_bytes(),
            Some(SourceKind::Markdown),
            &ReadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(FieldKey, &str)> = (article.fields.iter())
            .filter(|f| matches!(f.key, FieldKey::Category | FieldKey::Tag | AUTHOR))
            .map(|f| (f.key, f.value.as_str()))
            .collect();
        for w in &want {
            assert!(got.contains(w), "{name}: {w:?} missing from {got:?}");
        }
        assert_eq!(got.len(), want.len(), "{name}: {got:?}");
    }
}
