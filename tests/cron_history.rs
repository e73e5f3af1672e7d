//! Dates and history across runs, through the library's build with the state: undated
//! entries keep their first-seen date, `updated` moves only on real change, and entries
//! from external feeds stay for the keep window after their source dropped them.

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use feedloom::config::{self, FeedDef};
use feedloom::model::{Entry, Feed};
use feedloom::pipeline::BuildOptions;
use feedloom::pipeline::build::build_feed;
use feedloom::state::{State, StateStore};

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("date")
}

struct Project {
    dir: tempfile::TempDir,
    def: FeedDef,
}

impl Project {
    fn new(extra_toml: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("articles")).expect("mkdir");
        let text = format!(
            "{extra_toml}\ntitle = \"T\"\nlink = \"https://example.com/\"\n[[source]]\npath = \"articles\"\n[output]\njson = \"public/t.json\"\n"
        );
        let def = config::parse(&text, Path::new("feeds/t.toml"), dir.path()).expect("definition");
        Project { dir, def }
    }

    fn article(&self, name: &str, text: &str) {
        std::fs::write(self.dir.path().join("articles").join(name), text).expect("write");
    }

    /// One committed run at `now` with `extra` external entries; returns the feed built.
    fn run(&self, now: DateTime<FixedOffset>, extra: Vec<Entry>) -> Feed {
        let mut state = State::open(&self.dir.path().join("state.sqlite")).expect("state");
        let run = state.begin().expect("run");
        // The runs' times lie before the files' modification times, so every file counts as
        // just written: stamps are never trusted, hashes decide.
        let options = BuildOptions::new(self.dir.path().join("feeds"), now.to_utc());
        let build = build_feed(run.as_ref(), &self.def, extra, &options).expect("build");
        run.commit().expect("commit");
        build.feed.expect("built, not skipped")
    }
}

fn entry<'a>(feed: &'a Feed, title: &str) -> &'a Entry {
    (feed.entries.iter())
        .find(|e| e.title == title)
        .unwrap_or_else(|| panic!("no entry {title:?} in {:?}", feed.entries))
}

#[test]
fn undated_entries_keep_their_first_seen_date_and_updated_moves_only_on_change() {
    let p = Project::new("");
    p.article("a.txt", "无日期\n\n第一段。\n");
    let first = at("2026-01-01T08:00:00+08:00");
    let feed = p.run(first, Vec::new());
    assert_eq!(entry(&feed, "无日期").published, Some(first));
    assert_eq!(entry(&feed, "无日期").updated, None);

    let feed = p.run(first + Duration::days(3), Vec::new());
    assert_eq!(entry(&feed, "无日期").published, Some(first), "redated");
    assert_eq!(
        entry(&feed, "无日期").updated,
        None,
        "updated moved without change"
    );

    p.article("a.txt", "无日期\n\n第一段,改过。\n");
    let changed = first + Duration::days(5);
    let feed = p.run(changed, Vec::new());
    assert_eq!(entry(&feed, "无日期").published, Some(first));
    assert_eq!(entry(&feed, "无日期").updated, Some(changed));

    let feed = p.run(changed + Duration::days(1), Vec::new());
    assert_eq!(entry(&feed, "无日期").updated, Some(changed));
}

fn external(id: &str, title: &str) -> Entry {
    Entry {
        id: id.into(),
        title: title.into(),
        ..Entry::default()
    }
}

#[test]
fn history_keeps_an_external_item_after_its_source_dropped_it() {
    let p = Project::new("keep = { days = 30 }");
    p.article("own.txt", "自己的\n\n2025年12月01日 10:00\n\n正文。\n");
    let t0 = at("2026-01-01T08:00:00+08:00");
    let feed = p.run(t0, vec![external("x:a", "A"), external("x:b", "B")]);
    assert_eq!(feed.entries.len(), 3);

    // The source dropped A: it stays, with the date it was first seen.
    let feed = p.run(t0 + Duration::days(1), vec![external("x:b", "B")]);
    assert_eq!(entry(&feed, "A").published, Some(t0));
    assert_eq!(feed.entries.len(), 3);

    // Past the keep window (30 days after A was last merged) it is gone; B stays.
    let feed = p.run(t0 + Duration::days(31), vec![external("x:b", "B")]);
    assert!(
        feed.entries.iter().all(|e| e.title != "A"),
        "{:?}",
        feed.entries
    );
    assert_eq!(entry(&feed, "B").published, Some(t0));
}

#[test]
fn keep_count_limits_the_history() {
    let p = Project::new("keep = { count = 1 }");
    let t0 = at("2026-01-01T08:00:00+08:00");
    p.run(t0, vec![external("x:a", "A")]);
    p.run(t0 + Duration::hours(1), vec![external("x:b", "B")]);
    let feed = p.run(t0 + Duration::hours(2), Vec::new());
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["B"]);
}
