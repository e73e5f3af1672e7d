//! Definition parsing, table by table, from literals.

use super::*;

const GOOD: &str = r#"
title = "中国有色网"
link = "https://www.example.com/"
timezone = "Asia/Shanghai"
base_url = "https://www.example.com/feeds"
[[source]]
path = "samples/*.txt"
link_template = "https://www.example.com/news/{slug}.html"
[output]
rss = "public/a.xml"
atom = "public/a.atom"
"#;

#[test]
fn reads_a_good_definition() {
    let def = parse(GOOD, Path::new("feeds/a.toml"), Path::new(".")).unwrap();
    assert_eq!(def.timezone, chrono_tz::Asia::Shanghai);
    assert_eq!(def.sources[0].pattern, Path::new("./samples/*.txt"));
    assert_eq!(def.outputs.len(), 2);
    assert_eq!(
        def.outputs[0].url.as_ref().unwrap().as_str(),
        "https://www.example.com/feeds/a.xml"
    );
}

#[test]
fn keep_defaults_per_key() {
    let def = parse(GOOD, Path::new("feeds/a.toml"), Path::new(".")).unwrap();
    assert_eq!(def.keep, Keep::default());
    assert_eq!(def.name, "a");
    let text = format!("keep = {{ count = 5 }}\n{GOOD}");
    let def = parse(&text, Path::new("feeds/a.toml"), Path::new(".")).unwrap();
    assert_eq!((def.keep.days, def.keep.count), (Some(30), Some(5)));
    let err = parse(
        &format!("keep = {{ dayz = 5 }}\n{GOOD}"),
        Path::new("feeds/a.toml"),
        Path::new("."),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("dayz") && err.contains("feeds/a.toml"),
        "{err}"
    );
}

#[test]
fn errors_name_file_line_and_key() {
    let rows: &[(&str, &str)] = &[
        ("titel = \"x\"", "titel"),
        (
            "title = \"x\"\ntimezone = \"Mars/Base\"\n[[source]]\npath=\"a\"\n[output]\nrss=\"a\"",
            "timezone",
        ),
        (
            "title = \"x\"\nlink = \"www.example.com\"\n[[source]]\npath=\"a\"\n[output]\nrss=\"a\"",
            "link",
        ),
        (
            "title = \"x\"\n[[source]]\npath=\"a\"\nlink_template=\"https://e.com/x\"\n[output]\nrss=\"a\"",
            "{slug}",
        ),
        (
            "title = \"x\"\n[[source]]\npath=\"a\"\n[output]\n",
            "[output]",
        ),
        ("title = \"x\"\n[output]\nrss=\"a\"", "[[source]]"),
        (
            "title = \"x\"\nstrip=[\"(\"]\n[[source]]\npath=\"a\"\n[output]\nrss=\"a\"",
            "strip",
        ),
        (
            "title = \"x\"\nlanguage = \"Chinese\"\n[[source]]\npath=\"a\"\n[output]\nrss=\"a\"",
            "key `language`",
        ),
    ];
    for (text, needle) in rows {
        let err = parse(text, Path::new("feeds/bad.toml"), Path::new("."))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("feeds/bad.toml: "), "{err}");
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
    let err = parse("titel = \"x\"", Path::new("f.toml"), Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 1"), "{err}");
}

const MERGING: &str = r##"
title = "Mixed"
[[source]]
path = "samples/*.html"
[source.selectors]
content = "#story"
remove = [".promo"]
[[merge]]
url = "samples/feeds/a.xml"
include = ["copper"]
[[merge]]
url = "https://other.example.org/feed.xml"
limit = 5
[fetch]
timeout_secs = 5
[output]
rss = "public/m.xml"
"##;

#[test]
fn reads_merge_fetch_and_selectors() {
    let def = parse(MERGING, Path::new("feeds/m.toml"), Path::new("/p")).unwrap();
    assert_eq!(def.root, Path::new("/p"));
    assert_eq!(def.merge.len(), 2);
    assert_eq!(def.merge[0].url.as_deref(), Some("samples/feeds/a.xml"));
    assert_eq!(def.merge[1].limit, Some(5));
    assert_eq!(def.fetch.timeout_secs, 5);
    assert_eq!(
        def.fetch.concurrency, 8,
        "unset fetch keys keep their defaults"
    );
    let selectors = &def.sources[0].selectors;
    assert_eq!(selectors.content.as_ref().unwrap().as_str(), "#story");
    assert_eq!(selectors.remove.len(), 1);
    let specs = def.source_specs();
    assert_eq!(specs[0].read.selectors, *selectors);
}

#[test]
fn a_feed_may_merge_without_article_sources() {
    let text = "title = \"x\"\n[[merge]]\nurl = \"https://e.org/f.xml\"\n[output]\nrss = \"a\"";
    let def = parse(text, Path::new("feeds/x.toml"), Path::new(".")).unwrap();
    assert!(def.sources.is_empty());
    assert_eq!(def.fetch, crate::merge::FetchSettings::default());
}

#[test]
fn merge_fetch_and_selector_errors_name_file_and_key() {
    let head = "title = \"x\"\n[output]\nrss = \"a\"\n";
    let rows: &[(&str, &str)] = &[
        ("[[merge]]\nurl = \"a.xml\"\nincldue = [\"x\"]", "incldue"),
        ("[[merge]]\nlimit = 3", "merge[0].url"),
        (
            "[[merge]]\nurl = \"a.xml\"\n[[merge]]\nurl = \"b.xml\"\nopml = \"c.opml\"",
            "merge[1].url",
        ),
        ("[[merge]]\nurl = \"a.xml\"\nlimit = 0", "merge[0].limit"),
        (
            "[[merge]]\nurl = \"a.xml\"\nexclude = { regex = [\"(\"] }",
            "merge[0].exclude.regex",
        ),
        ("[[merge]]\nurl = \"ftp://e.org/f.xml\"", "merge[0].url"),
        (
            "[[merge]]\nurl = \"a.xml\"\n[fetch]\nper_host = 0",
            "fetch.per_host",
        ),
        (
            "[[merge]]\nurl = \"a.xml\"\n[fetch]\nretries = 2",
            "retries",
        ),
        // A timeout past an hour once overflowed the fetch deadline and panicked.
        (
            "[[merge]]\nurl = \"a.xml\"\n[fetch]\ntimeout_secs = 9223372036854775807",
            "fetch.timeout_secs`: must be at most 3600",
        ),
        (
            "[[merge]]\nurl = \"a.xml\"\n[fetch]\nconnect_timeout_secs = 3601",
            "fetch.connect_timeout_secs",
        ),
        (
            "[[merge]]\nurl = \"a.xml\"\ntimeout_secs = 86400",
            "merge[0].timeout_secs",
        ),
        (
            "[[source]]\npath = \"a\"\n[source.selectors]\ncontnet = \"#x\"",
            "contnet",
        ),
        (
            "[[source]]\npath = \"a\"\n[source.selectors]\ntitle = \"h1[[\"",
            "invalid CSS selector",
        ),
    ];
    for (tail, needle) in rows {
        let text = format!("{head}{tail}");
        let err = parse(&text, Path::new("feeds/bad.toml"), Path::new("."))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("feeds/bad.toml: "), "{err}");
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
}

#[test]
fn fetch_allow_lists_hosts_addresses_and_ranges() {
    use crate::merge::AllowRule;
    let head =
        "title = \"x\"\n[output]\nrss = \"a\"\n[[merge]]\nurl = \"http://127.0.0.1:8080/f.xml\"\n";
    let text = format!(
        "{head}[fetch]\nallow = [\"127.0.0.1\", \"Intranet.Example\", \"10.0.0.0/8\", \"::1\"]\n"
    );
    let def = parse(&text, Path::new("feeds/x.toml"), Path::new(".")).unwrap();
    let want: Vec<AllowRule> = ["127.0.0.1", "intranet.example", "10.0.0.0/8", "::1"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(def.fetch.allow, want);
    assert!(
        !def.fetch.allow_private,
        "a definition lists what it allows"
    );
    for bad in ["10.0.0.0/33", "https://intranet.example/", ""] {
        let text = format!("{head}[fetch]\nallow = [\"127.0.0.1\", \"{bad}\"]\n");
        let err = parse(&text, Path::new("feeds/bad.toml"), Path::new("."))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("feeds/bad.toml: "), "{err}");
        assert!(
            err.contains("key `fetch.allow[1]`") && err.contains("line 7"),
            "{err}"
        );
        assert!(
            err.contains(&format!("{bad:?} is not a host name")),
            "{err}"
        );
    }
    let text = format!("{head}[fetch]\nallow_private = true\n");
    let err = parse(&text, Path::new("feeds/bad.toml"), Path::new("."));
    assert!(err.is_err(), "--allow-private is not a key of definitions");
}

#[test]
fn fetch_contact_defaults_to_the_feed_link() {
    let tail = "[output]\nrss = \"a\"\n[[merge]]\nurl = \"https://e.org/f.xml\"\n";
    let linked = format!("title = \"x\"\nlink = \"https://www.example.com/\"\n{tail}");
    let def = parse(&linked, Path::new("feeds/x.toml"), Path::new(".")).unwrap();
    assert_eq!(
        def.fetch.user_agent(),
        concat!(
            "feedloom/",
            env!("CARGO_PKG_VERSION"),
            " (+https://www.example.com/; feed merger)"
        )
    );
    let own = format!("{linked}[fetch]\ncontact = \"https://ops.example.com/bots\"\n");
    let def = parse(&own, Path::new("feeds/x.toml"), Path::new(".")).unwrap();
    assert_eq!(
        def.fetch.contact.map(String::from).as_deref(),
        Some("https://ops.example.com/bots")
    );
    let bare = format!("title = \"x\"\n{tail}");
    let def = parse(&bare, Path::new("feeds/x.toml"), Path::new(".")).unwrap();
    assert_eq!(def.fetch.user_agent(), crate::merge::USER_AGENT);
    let bad = format!("{bare}[fetch]\ncontact = \"www.example.com\"\n");
    let err = parse(&bad, Path::new("feeds/bad.toml"), Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("feeds/bad.toml: "), "{err}");
    assert!(err.contains("key `fetch.contact`"), "{err}");
}

#[test]
fn the_page_hubs_and_max_age_are_read_and_checked() {
    let file = Path::new("feeds/a.toml");
    let def = parse(GOOD, file, Path::new(".")).unwrap();
    assert!(def.page.is_none() && def.hubs.is_empty());
    assert_eq!(def.max_age, DEFAULT_MAX_AGE);

    let text = format!(
        "hubs = [\"https://hub.example.org/\"]\nmax_age_secs = 60\n{GOOD}html = \"public/a.html\"\n"
    );
    let def = parse(&text, file, Path::new(".")).unwrap();
    let page = def.page.as_ref().unwrap();
    assert_eq!(page.path, Path::new("./public/a.html"));
    assert_eq!(
        page.url.as_ref().unwrap().as_str(),
        "https://www.example.com/feeds/a.html"
    );
    assert_eq!(def.hubs[0].as_str(), "https://hub.example.org/");
    assert_eq!(def.max_age, Duration::from_secs(60));
    assert_eq!(def.files().count(), 3);

    let no_base = GOOD.replace("base_url = \"https://www.example.com/feeds\"\n", "");
    let err = parse(
        &format!("hubs = [\"https://hub.example.org/\"]\n{no_base}"),
        file,
        Path::new("."),
    );
    assert!(err.unwrap_err().to_string().contains("key `hubs`"));
    let err = parse(
        &format!("hubs = [\"hub.example.org\"]\n{GOOD}"),
        file,
        Path::new("."),
    );
    assert!(err.unwrap_err().to_string().contains("key `hubs[0]`"));
}

#[test]
fn definitions_that_name_a_state_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).unwrap();
    // Each definition writes outputs of its own, named after it.
    let own = |name: &str| GOOD.replace("public/a.", &format!("public/{name}."));
    let with = |state: &str, name: &str| format!("state = \"{state}\"\n{}", own(name));
    std::fs::write(feeds.join("a.toml"), with("postgres://feeds@db/one", "a")).unwrap();
    std::fs::write(feeds.join("b.toml"), own("b")).unwrap();
    let defs = load_dir(&feeds).unwrap();
    assert_eq!(
        named_state(&defs).map(ToString::to_string).as_deref(),
        Some("postgres://feeds@db/one")
    );
    std::fs::write(
        feeds.join("c.toml"),
        with("postgres://feeds:secret@db/two", "c"),
    )
    .unwrap();
    let err = load_dir(&feeds).unwrap_err().to_string();
    assert!(
        err.contains("c.toml") && err.contains("key `state`"),
        "{err}"
    );
    assert!(
        err.contains("postgres://feeds:***@db/two differs from postgres://feeds@db/one"),
        "{err}"
    );
    std::fs::write(feeds.join("c.toml"), with("postgres://db:port/x", "c")).unwrap();
    let err = load_dir(&feeds).unwrap_err().to_string();
    assert!(
        err.contains("c.toml") && err.contains("key `state`"),
        "{err}"
    );
    // A file path is relative to the project root.
    let def = parse(
        &with("state/feeds.sqlite", "a"),
        Path::new("feeds/a.toml"),
        Path::new("/srv"),
    )
    .unwrap();
    assert_eq!(
        def.state,
        Some(StateLocation::File("/srv/state/feeds.sqlite".into()))
    );
}

#[test]
fn intervals_of_fetch_and_of_one_source() {
    let text = format!(
        "{GOOD}[[merge]]\nurl = \"https://a.example/feed.xml\"\nevery = \"10m\"\n[fetch]\nevery = \"2h\"\n"
    );
    let def = parse(&text, Path::new("feeds/a.toml"), Path::new(".")).unwrap();
    assert_eq!(def.fetch.every.map(|e| e.secs()), Some(7200));
    assert_eq!(def.merge[0].every.map(|e| e.secs()), Some(600));
    let bad = text.replace("\"2h\"", "\"often\"");
    let err = parse(&bad, Path::new("feeds/a.toml"), Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("feeds/a.toml") && err.contains("\"often\" is not an interval"),
        "{err}"
    );
}
