//! A throwaway project for running the real `feedloom build`: a copy of `samples/`, one
//! feed definition, and helpers to run the binary in it.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

/// The definition every test starts from.
pub const DEFINITION: &str = r#"
title = "News"
link = "https://www.example.com/"
timezone = "Asia/Shanghai"
[[source]]
path = "samples"
[output]
rss = "public/news.xml"
json = "public/news.json"
"#;

/// A project folder with `samples/`, `feeds/news.toml` and (after a build) `public/`.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// A fresh project whose article files look an hour old, so their stamps are trusted.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let samples = dir.path().join("samples");
        fs::create_dir_all(&samples).expect("samples dir");
        for entry in fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).expect("samples")
        {
            let entry = entry.expect("entry");
            // The text samples only: counts in the tests below are of those ten files.
            if entry.path().extension().is_some_and(|e| e == "txt") {
                fs::copy(entry.path(), samples.join(entry.file_name())).expect("copy");
            }
        }
        let site = Site { dir };
        site.write("feeds/news.toml", DEFINITION);
        site.age_articles();
        site
    }

    /// An absolute path inside the project.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// Sets every article's modification time (in `samples/` and its folders) an hour back.
    pub fn age_articles(&self) {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let mut folders = vec![self.path("samples")];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(folder).expect("samples") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let file = fs::File::options().write(true).open(path).expect("open");
                file.set_modified(hour_ago).expect("set mtime");
            }
        }
    }

    /// A `feedloom` command run in the project.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_feedloom"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("RUST_LOG");
        cmd
    }

    /// Runs `feedloom` with `args` and waits for it.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run feedloom")
    }

    /// Runs `feedloom build` with `args` and asserts the exit code.
    pub fn build(&self, args: &[&str], code: i32) -> Output {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert_eq!(out.status.code(), Some(code), "{}", describe(&out));
        out
    }

    /// The output files that exist, with their modification times.
    pub fn outputs(&self) -> Vec<(PathBuf, SystemTime, Vec<u8>)> {
        let mut found = Vec::new();
        for name in ["public/news.xml", "public/news.json"] {
            let path = self.path(name);
            if let Ok(meta) = fs::metadata(&path) {
                let bytes = fs::read(&path).expect("read output");
                found.push((path, meta.modified().expect("mtime"), bytes));
            }
        }
        found
    }
}

/// Exit code, stdout and stderr, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `path` exists.
pub fn exists(path: &Path) -> bool {
    path.exists()
}
