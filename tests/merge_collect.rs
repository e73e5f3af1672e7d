//! `collect` over local files and OPML lists, the `[[merge]]` table's parsing and checks,
//! per-source filters, and dedupe + sort + limit across sources.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use feedloom::merge::{FetchSettings, MergeSource, NoCache, Rules, collect, dedupe, finish};
use feedloom::model::Entry;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/merge")
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap()
}

fn run(sources: &[MergeSource]) -> (Vec<Entry>, Vec<feedloom::diagnostic::Diagnostic>) {
    collect(
        sources,
        &fixtures(),
        &FetchSettings::default(),
        &NoCache,
        now(),
    )
}

#[derive(serde::Deserialize)]
struct Definition {
    merge: Vec<MergeSource>,
}

fn parse(toml_text: &str) -> Result<Vec<MergeSource>, toml::de::Error> {
    toml::from_str::<Definition>(toml_text).map(|d| d.merge)
}

#[test]
fn merge_tables_parse_in_short_and_full_forms_and_refuse_unknown_keys() {
    let sources = parse(
        r#"
        [[merge]]
        url = "https://other.example.org/feed.xml"
        include = ["铜", "copper"]
        limit = 5
        title_prefix = "[Other] "
        timeout_secs = 10

        [[merge]]
        opml = "subscriptions.opml"
        exclude = { regex = ["(?i)sponsored"], categories = ["ads"], authors = ["Spam Bot"] }
        "#,
    )
    .unwrap();
    assert_eq!(
        sources[0].include,
        Some(Rules::Keywords(vec!["铜".into(), "copper".into()]))
    );
    assert_eq!(
        sources[1].opml.as_deref(),
        Some(Path::new("subscriptions.opml"))
    );
    for s in &sources {
        s.check(Path::new("feeds/a.toml")).unwrap();
    }
    let err = parse("[[merge]]\nurl = \"x\"\nlimt = 3\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("limt"), "{err}");
    let settings: FetchSettings = toml::from_str("concurrency = 4\nper_host = 1").unwrap();
    assert_eq!(
        (
            settings.concurrency,
            settings.per_host,
            settings.timeout_secs
        ),
        (4, 1, 30)
    );
    assert!(toml::from_str::<FetchSettings>("threads = 4").is_err());
}

#[test]
fn checks_name_the_file_and_key() {
    let both = MergeSource {
        opml: Some("a.opml".into()),
        ..MergeSource::url("x.xml")
    };
    let err = both
        .check(Path::new("feeds/a.toml"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "feeds/a.toml: `merge.url`: give either `url` or `opml`, not both"
    );
    let bad = parse("[[merge]]\nurl = \"x\"\nexclude = { regex = [\"(\"] }").unwrap();
    let err = bad[0]
        .check(Path::new("feeds/a.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("feeds/a.toml: `merge.exclude.regex`: invalid regex `(`"),
        "{err}"
    );
    let none = MergeSource::default();
    assert!(
        none.check(Path::new("f.toml"))
            .unwrap_err()
            .to_string()
            .contains("missing")
    );
}

#[test]
fn local_paths_file_urls_and_opml_lists_are_read() {
    let file_url = url::Url::from_file_path(fixtures().join("rss10-rdf.xml")).unwrap();
    let sources = [
        MergeSource::url("rss-no-version.xml"),
        MergeSource::url(file_url.as_str()),
        MergeSource {
            opml: Some("subscriptions.opml".into()),
            ..MergeSource::default()
        },
        MergeSource::url("does-not-exist.xml"),
    ];
    let (entries, diags) = run(&sources);
    let origins: Vec<_> = entries
        .iter()
        .map(|e| e.origin.as_ref().unwrap().title.as_str())
        .collect();
    assert_eq!(
        origins,
        [
            "No version",
            "RDF site",
            "RDF site",
            "Example Podcast",
            "Example Podcast",
            "Base test"
        ]
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].origin.ends_with("does-not-exist.xml"),
        "{}",
        diags[0]
    );
    assert!(diags[0].message.contains("cannot read"), "{}", diags[0]);
}

#[test]
fn per_source_filters_prefix_and_limit() {
    let sources = parse(
        r#"
        [[merge]]
        url = "rss2-podcast.xml"
        include = { categories = ["metals"] }
        title_prefix = "[Pod] "

        [[merge]]
        url = "bad-dates.xml"
        exclude = ["garbage"]
        limit = 1
        "#,
    )
    .unwrap();
    let (entries, diags) = run(&sources);
    // The one problem: the garbage date, which leaves its item undated.
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("no date feedloom can read"),
        "{diags:?}"
    );
    let titles: Vec<_> = entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["[Pod] Episode 2: Copper", "Good date"]);
}

#[test]
fn dedupe_across_sources_then_sort_and_limit() {
    // The same feed twice: every entry is a duplicate of one in the other copy.
    let sources = [
        MergeSource::url("rss2-podcast.xml"),
        MergeSource::url("rss10-rdf.xml"),
        MergeSource::url("rss2-podcast.xml"),
    ];
    let (entries, _) = run(&sources);
    assert_eq!(entries.len(), 6);
    let merged = finish(dedupe(entries), Some(3));
    let titles: Vec<_> = merged.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["With link", "Episode 2: Copper", "Episode 1"]);
}

#[test]
fn future_dates_are_ignored_with_a_warning() {
    let early = DateTime::parse_from_rfc3339("2020-07-01T00:00:00Z").unwrap();
    let (entries, diags) = collect(
        &[MergeSource::url("bad-dates.xml")],
        &fixtures(),
        &FetchSettings::default(),
        &NoCache,
        early,
    );
    assert!(entries.iter().all(|e| e.published.is_none()));
    // The garbage date, then the one in the future.
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(
        diags[1].message.contains("dated in the future"),
        "{}",
        diags[1]
    );
}

#[test]
fn a_feed_file_is_credited_without_its_path_unless_a_public_url_is_given() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let now = || DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap();
    let source = MergeSource::url("samples/feeds/metals-weekly.xml");
    let (entries, warnings) = collect(
        std::slice::from_ref(&source),
        root,
        &FetchSettings::default(),
        &NoCache,
        now(),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let origin = entries[0].origin.as_ref().unwrap();
    assert_eq!(origin.title, "Metals Weekly");
    assert_eq!(origin.feed_url, None, "a file path is never published");
    assert_eq!(
        origin.home_page_url.as_ref().map(|u| u.as_str()),
        Some("https://metals-weekly.example.org/")
    );
    let public = MergeSource {
        public_url: Some("https://metals-weekly.example.org/feed.xml".into()),
        ..source
    };
    let (entries, _) = collect(&[public], root, &FetchSettings::default(), &NoCache, now());
    let origin = entries[0].origin.as_ref().unwrap();
    assert_eq!(
        origin.feed_url.as_ref().map(|u| u.as_str()),
        Some("https://metals-weekly.example.org/feed.xml")
    );
    let bad = MergeSource {
        public_url: Some("feed.xml".into()),
        ..MergeSource::url("a.xml")
    };
    let err = bad
        .check(Path::new("feeds/x.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("public_url"), "{err}");
}
