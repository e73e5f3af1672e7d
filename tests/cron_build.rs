//! `feedloom build` as cron runs it: incremental runs, quiet output, dry runs and every
//! documented exit code, through the real binary.

mod cron_common;
mod sample_common;

use std::time::Duration;

use cron_common::{Site, describe, stdout};
use feedloom::lock::StateLock;

#[test]
fn a_second_run_with_no_change_touches_nothing() {
    let site = Site::new();
    let first = site.build(&["-v"], 0);
    assert!(
        stdout(&first).contains("10 of 10 articles read"),
        "{}",
        describe(&first)
    );
    let before = site.outputs();
    assert_eq!(before.len(), 2);
    std::thread::sleep(Duration::from_millis(50));
    let second = site.build(&["-v"], 0);
    assert!(
        stdout(&second).contains("news: unchanged (10 articles)"),
        "{}",
        describe(&second)
    );
    assert_eq!(site.outputs(), before, "an output changed bytes or mtime");
}

#[test]
fn touching_one_article_rereads_only_it() {
    let site = Site::new();
    site.build(&[], 0);
    let path = site.path("samples/cnmn-2020-07-10-xi-putin-calls.txt");
    let text = std::fs::read_to_string(&path).expect("read");
    let changed = text.replacen("普京", "普京总统", 1);
    assert_ne!(text, changed, "the sample changed shape");
    std::fs::write(&path, changed).expect("write");
    let out = site.build(&["-v"], 0);
    assert!(
        stdout(&out).contains("(1 new or changed); 1 of 10 articles read"),
        "{}",
        describe(&out)
    );
    // Touched but not changed: hashed, not parsed, nothing new.
    std::fs::File::options()
        .write(true)
        .open(site.path("samples/gold-2025-02-14-date-only.txt"))
        .expect("open")
        .set_modified(std::time::SystemTime::now())
        .expect("touch");
    let out = site.build(&["-v"], 0);
    assert!(
        stdout(&out).contains("(0 new or changed); 0 of 10 articles read"),
        "{}",
        describe(&out)
    );
}

#[test]
fn quiet_when_stdout_is_not_a_terminal() {
    let site = Site::new();
    let out = site.build(&[], 0);
    assert!(out.stdout.is_empty(), "{}", describe(&out));
    let out = site.build(&["--quiet"], 0);
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_dry_run_writes_nothing() {
    let site = Site::new();
    let out = site.build(&["--dry-run"], 0);
    assert!(stdout(&out).contains("would write"), "{}", describe(&out));
    assert!(!site.path("public").exists(), "an output was written");
    assert!(
        !site.path("feeds/.feedloom.sqlite").exists(),
        "state was created"
    );

    site.build(&[], 0);
    let before = site.outputs();
    let state = std::fs::read(site.path("feeds/.feedloom.sqlite")).expect("state");
    site.write(
        "samples/new-article.txt",
        "新文章\n\n2024年01月02日 10:00\n\n正文。\n",
    );
    let out = site.build(&["--dry-run"], 0);
    assert!(
        stdout(&out).contains("1 of 11 articles read; would write"),
        "{}",
        describe(&out)
    );
    assert_eq!(site.outputs(), before, "a dry run changed an output");
    let after = std::fs::read(site.path("feeds/.feedloom.sqlite")).expect("state");
    assert!(state == after, "a dry run changed the state");
}

#[test]
fn exit_0_success_and_4_warnings_under_strict() {
    let site = Site::new();
    site.build(&[], 0);
    site.write("samples/undated.txt", "没有日期的文章\n\n正文第一段。\n");
    let out = site.build(&["--strict"], 4);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no date found"),
        "{}",
        describe(&out)
    );
}

#[test]
fn exit_1_when_a_feed_fails() {
    let site = Site::new();
    site.write(
        "feeds/broken.toml",
        &cron_common::DEFINITION
            .replace("path = \"samples\"", "path = \"missing\"")
            .replace("public/news", "public/broken"),
    );
    let out = site.build(&[], 1);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no such file or folder"),
        "{}",
        describe(&out)
    );
    assert_eq!(site.outputs().len(), 2, "the good feed was not built");
    site.build(&[], 1); // a failing feed fails again: it is never skipped as unchanged
}

/// A source folder that goes away (a mount down, a deploy half done) fails the feed and
/// leaves its published outputs alone, whether the source names the folder or a glob in it;
/// when the folder is back, the next run builds as before.
#[test]
fn a_source_folder_that_is_gone_keeps_the_last_good_outputs() {
    let site = Site::new();
    site.build(&[], 0);
    let published = site.outputs();
    assert_eq!(published.len(), 2);
    std::fs::rename(site.path("samples"), site.path("samples.away")).expect("move away");
    for path in ["samples", "samples/*.txt"] {
        let definition = cron_common::DEFINITION.replace("\"samples\"", &format!("\"{path}\""));
        site.write("feeds/news.toml", &definition);
        let out = site.build(&[], 1);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no such"),
            "{path}: {}",
            describe(&out)
        );
        assert!(site.outputs() == published, "{path}: an output changed");
    }
    std::fs::rename(site.path("samples.away"), site.path("samples")).expect("move back");
    site.write("feeds/news.toml", cron_common::DEFINITION);
    site.build(&[], 0);
    let same = (published.iter().zip(site.outputs())).all(|(a, b)| a.2 == b.2);
    assert!(same, "the same articles and definition give other bytes");
}

/// Two outputs with one path (a definition copied without changing its outputs, or one
/// format's path given to another) are a definition error: the file would flip between
/// the two on every run.
#[test]
fn two_outputs_with_one_path_are_a_definition_error() {
    let site = Site::new();
    site.write("feeds/copy.toml", cron_common::DEFINITION);
    let out = site.build(&[], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("public/news.xml is also written by"), "{err}");
    assert!(err.contains("news.toml"), "{err}");
    assert!(site.outputs().is_empty(), "something was written");
    std::fs::remove_file(site.path("feeds/copy.toml")).expect("remove the copy");
    let twice = cron_common::DEFINITION.replace("public/news.json", "public/news.xml");
    site.write("feeds/news.toml", &twice);
    let out = site.build(&[], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("another output of this definition"), "{err}");
}

/// The new-or-changed count is of the entries published: in the sample project's mixed
/// feed, copies of one story in two sources are dropped and were once counted too.
#[test]
fn new_or_changed_counts_only_published_entries() {
    let dir = tempfile::tempdir().expect("temp dir");
    sample_common::copy_sample_project(dir.path());
    let verbose = |code: i32| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_feedloom"))
            .args(["build", "-v"])
            .current_dir(dir.path())
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(code), "{}", describe(&out));
        let text = stdout(&out);
        let line = (text.lines().find(|l| l.starts_with("mixed: ")))
            .unwrap_or_else(|| panic!("no mixed line in {text}"))
            .to_string();
        let number = |after: &str| -> Option<usize> {
            let rest = &line[line.find(after)? + after.len()..];
            let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
            digits.parse().ok()
        };
        (number("mixed: "), number("entries ("), line)
    };
    let (entries, changed, line) = verbose(0);
    assert_eq!((entries, changed), (Some(19), Some(19)), "{line}");
    // Files copied just now are hashed again by the next run, which builds the feed anew
    // (unless the copy is already too old to be doubted: then the feed is unchanged).
    let (entries, changed, line) = verbose(0);
    assert!(
        line.contains("unchanged") || (entries, changed) == (Some(19), Some(0)),
        "{line}"
    );
}

#[test]
fn exit_2_on_a_bad_definition() {
    let site = Site::new();
    site.write("feeds/bad.toml", "titel = \"x\"\n");
    let out = site.build(&[], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("titel"), "{err}");
    assert!(!site.path("public").exists());
    site.write(
        "feeds/bad.toml",
        &format!("keep = {{ days = \"x\" }}\n{}", cron_common::DEFINITION),
    );
    let out = site.build(&[], 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("keep"),
        "{}",
        describe(&out)
    );
}

#[test]
fn exit_3_while_another_run_holds_the_lock() {
    let site = Site::new();
    let state = site.path("feeds/.feedloom.sqlite");
    let lock = StateLock::acquire(&state, Duration::ZERO).expect("lock");
    let out = site.build(&["--lock-timeout", "0.2"], 3);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another feedloom run holds the lock"),
        "{}",
        describe(&out)
    );
    assert!(!site.path("public").exists());
    drop(lock);
    site.build(&["--lock-timeout", "0.2"], 0);
}

#[test]
fn two_builds_at_once_both_finish_one_after_the_other() {
    let site = Site::new();
    for i in 0..200 {
        let text = format!(
            "文章{i}\n\n2024年01月{:02}日 10:00\n\n正文{i}。\n",
            1 + i % 28
        );
        site.write(&format!("samples/bulk/a{i:03}.txt"), &text);
    }
    let a = site.command(&["build"]).spawn().expect("spawn a");
    let b = site.command(&["build"]).spawn().expect("spawn b");
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    }
    let out = site.build(&["-v"], 0);
    assert!(
        stdout(&out).contains("210 entries") || stdout(&out).contains("unchanged"),
        "{}",
        describe(&out)
    );
}

#[test]
fn state_flag_moves_the_state_file() {
    let site = Site::new();
    site.build(&["--state", "var/state.sqlite"], 0);
    assert!(site.path("var/state.sqlite").exists());
    assert!(!site.path("feeds/.feedloom.sqlite").exists());
}

#[test]
fn convert_keeps_its_exit_codes() {
    let site = Site::new();
    let out = site.run(&["convert", "samples/gold-2025-02-14-date-only.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let out = site.run(&["convert", "--bogus"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}
