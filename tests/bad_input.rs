//! Bad article input: each gets a warning naming the file (and line) and the reason, and
//! never stops the other articles from being converted.

use std::fs;
use std::path::Path;

use feedloom::diagnostic::Diagnostic;
use feedloom::model::Feed;
use feedloom::pipeline::{self, FeedSettings, SourceSpec};
use feedloom::source::{self, ReadOptions};

/// Reads and assembles the articles of `sources`, with every problem met.
fn build(sources: &[SourceSpec], settings: &FeedSettings) -> (Feed, Vec<Diagnostic>) {
    let (entries, mut diagnostics) = pipeline::read_sources(sources, settings);
    let feed = pipeline::assemble(settings, entries, &mut diagnostics);
    (feed, diagnostics)
}

fn build_dir(dir: &Path) -> (Feed, Vec<Diagnostic>) {
    let spec = SourceSpec {
        pattern: dir.to_path_buf(),
        ..SourceSpec::default()
    };
    build(
        &[spec],
        &FeedSettings {
            title: "t".into(),
            ..FeedSettings::default()
        },
    )
}

fn warning_for<'a>(diags: &'a [Diagnostic], file: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.origin.ends_with(file))
        .unwrap_or_else(|| panic!("no diagnostic for {file}: {diags:?}"))
}

#[test]
fn bad_articles_are_reported_and_the_good_one_still_converts() {
    let dir = tempfile::tempdir().unwrap();
    let good = "好文章\n2021-01-01 10:00 来源:新华社\n\n正文。\n";
    fs::write(dir.path().join("good.txt"), good).unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    fs::write(
        dir.path().join("binary.txt"),
        [0x7f, b'E', b'L', b'F', 0, 0, 0, 1, 2, 0, 0, 0, 9, 0],
    )
    .unwrap();
    fs::write(
        dir.path().join("no-title.txt"),
        "\n\n2020年07月10日 9:52 来源:新华社\n\n正文。\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("no-date.txt"),
        "没有日期的文章\n\n正文第一段。\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("bad-date.txt"),
        "日期写错了\n发布时间:昨天下午\n\n正文。\n",
    )
    .unwrap();

    let built = build_dir(dir.path());
    let titles: Vec<&str> = built.0.entries.iter().map(|e| e.title.as_str()).collect();
    assert!(titles.contains(&"好文章"), "{titles:?}");
    assert!(
        titles.contains(&"没有日期的文章"),
        "an undated article is kept, undated: {titles:?}"
    );
    assert_eq!(built.0.entries.len(), 3, "{titles:?}");

    let d = &built.1;
    assert!(warning_for(d, "empty.txt").message.contains("empty"));
    assert!(warning_for(d, "binary.txt").message.contains("binary"));
    let no_title = warning_for(d, "no-title.txt");
    assert!(no_title.message.contains("no title"));
    assert_eq!(no_title.line, Some(3));
    assert!(warning_for(d, "no-date.txt").message.contains("no date"));
    let bad_date = warning_for(d, "bad-date.txt");
    assert!(bad_date.message.contains("昨天下午"), "{bad_date}");
    assert_eq!(bad_date.line, Some(2));
    assert!(!d.iter().any(|x| x.origin.ends_with("good.txt")), "{d:?}");
}

#[test]
fn a_missing_path_is_reported() {
    let spec = SourceSpec {
        pattern: "/nonexistent/feedloom/articles".into(),
        ..SourceSpec::default()
    };
    let built = build(&[spec], &FeedSettings::default());
    assert_eq!(built.0.entries.len(), 0);
    assert!(
        built.1[0]
            .to_string()
            .contains("/nonexistent/feedloom/articles: no such file")
    );
}

#[test]
fn an_unreadable_file_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where a file is expected cannot be read as one, even by root.
    let path = dir.path().join("folder.txt");
    fs::create_dir(&path).unwrap();
    let err = source::read_file(&path, None, &ReadOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: cannot read", path.display())),
        "{err}"
    );
}

/// Deterministic pseudo-random bytes (xorshift), so a failure can be replayed.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn no_input_makes_the_reader_or_mapper_panic() {
    let sample = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cnmn-2020-07-10-xi-putin-calls.txt"),
    )
    .unwrap();
    let options = feedloom::mapper::MapOptions::default();
    let path = Path::new("fuzz.txt");
    let key = feedloom::mapper::ArticleKey::new(path, path);
    let mut inputs: Vec<Vec<u8>> = (0..300)
        .map(|i| noise(i, (i as usize * 37) % 2000))
        .collect();
    // Truncations of the real sample at every 97th byte, cutting UTF-8 sequences too.
    inputs.extend((0..sample.len()).step_by(97).map(|n| sample[..n].to_vec()));
    // Shapes that stress the layout rules.
    for text in [
        "1",
        "标题\n1",
        "——",
        "标题\n\n——\n",
        "标题\n记者:",
        "\u{feff}",
        "标题\n\n(责任编辑:)",
        "a\n2020年13月45日 99:99",
    ] {
        inputs.push(text.as_bytes().to_vec());
    }
    for bytes in inputs {
        if let Ok(article) = source::read_bytes(path, &bytes, None, &ReadOptions::default()) {
            let _ = feedloom::mapper::map(&article, &key, &options);
        }
    }
}
