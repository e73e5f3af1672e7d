//! Incremental builds read only what changed (the other articles come from the cache) and
//! must write byte for byte what a build that writes every output anew gives from the same
//! state.

#[path = "cron_common/mod.rs"]
mod cron_common;

use std::fs;

use cron_common::{Site, describe, stdout};

/// The common definition, with an Atom output too (its `<updated>` values depend on the
/// neighbouring entries).
const DEFINITION: &str = r#"
title = "News"
link = "https://www.example.com/"
timezone = "Asia/Shanghai"
base_url = "https://www.example.com/feeds/"
[[source]]
path = "samples"
[output]
rss = "public/news.xml"
atom = "public/news.atom"
json = "public/news.json"
"#;

const OUTPUTS: [&str; 3] = ["public/news.xml", "public/news.atom", "public/news.json"];

fn site() -> Site {
    let site = Site::new();
    site.write("feeds/news.toml", DEFINITION);
    site
}

fn outputs(site: &Site) -> Vec<String> {
    (OUTPUTS.iter())
        .map(|o| fs::read_to_string(site.path(o)).expect("output"))
        .collect()
}

/// The outputs as a build with nothing to compare writes them: with the outputs gone, every
/// output is written anew (the state, and so every date, stays as it is).
fn rewritten(site: &Site) -> Vec<String> {
    fs::remove_dir_all(site.path("public")).expect("remove outputs");
    site.build(&[], 0);
    outputs(site)
}

#[test]
fn a_build_that_reads_one_changed_article_writes_what_a_full_build_gives() {
    let site = site();
    site.build(&[], 0);
    let path = site.path("samples/cnmn-2020-07-10-xi-putin-calls.txt");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replacen("普京", "普京总统", 1)).expect("write");
    let out = site.build(&["-v"], 0);
    assert!(
        stdout(&out).contains("(1 new or changed); 1 of 10 articles read"),
        "{}",
        describe(&out)
    );
    let incremental = outputs(&site);
    assert!(
        incremental[0].contains("普京总统"),
        "the change is in the RSS"
    );
    assert!(
        incremental[1].contains("普京总统"),
        "the change is in the Atom"
    );
    assert_eq!(incremental, rewritten(&site));
}

#[test]
fn a_new_entry_moves_the_atom_date_of_an_unchanged_one_sharing_its_minute() {
    let site = site();
    site.build(&[], 0);
    let before = outputs(&site);
    // A new article at the very minute of the real sample, whose id sorts first: Atom gives
    // the sample's entry a distinct `<updated>` one second earlier, though its file did not
    // change.
    let sample = fs::read_to_string(site.path("samples/cnmn-2020-07-10-xi-putin-calls.txt"))
        .expect("sample");
    let meta = sample.lines().nth(2).expect("meta line");
    assert!(meta.starts_with("2020年07月10日 9:52"), "{meta}");
    site.write(
        "samples/aaa-same-minute.txt",
        &format!("同一分钟的另一篇\n\n{meta}\n\n正文一段。\n"),
    );
    site.age_articles();
    let out = site.build(&["-v"], 0);
    assert!(
        stdout(&out).contains("(1 new or changed); 1 of 11 articles read"),
        "{}",
        describe(&out)
    );
    let incremental = outputs(&site);
    assert!(!before[1].contains("2020-07-10T09:51:59+08:00"));
    assert!(
        incremental[1].contains("2020-07-10T09:51:59+08:00"),
        "moved back"
    );
    assert_eq!(incremental, rewritten(&site));
}

#[test]
fn an_output_edited_by_hand_is_written_again() {
    let site = site();
    site.build(&[], 0);
    let clean = outputs(&site);
    let path = site.path(OUTPUTS[0]);
    fs::write(&path, clean[0].replace("普京", "XXXX")).expect("edit");
    let path = site.path("samples/gold-2025-02-14-date-only.txt");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, format!("{text}\n补一段正文。\n")).expect("write");
    site.age_articles();
    site.build(&[], 0);
    let after = outputs(&site);
    assert!(!after[0].contains("XXXX"), "the edit is undone");
    assert_eq!(after, rewritten(&site));
}

#[test]
fn the_same_project_reached_by_another_path_keeps_its_cache() {
    let site = site();
    site.build(&[], 0);
    let path = site.path("samples/gold-2025-02-14-date-only.txt");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replacen('金', "黄金", 1)).expect("write");
    site.age_articles();
    let feeds = site.path("feeds");
    let out = site.build(&["-v", "--feeds", feeds.to_str().expect("utf-8 path")], 0);
    assert!(
        stdout(&out).contains("1 of 10 articles read"),
        "{}",
        describe(&out)
    );
    assert_eq!(outputs(&site), rewritten(&site));
}
