//! Atomic, change-only output writing.

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, SystemTime};

use feedloom::output::write_if_changed;

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::File::options().write(true).open(path).expect("open");
    file.set_modified(time).expect("set mtime");
}

#[test]
fn creates_parent_folders_and_leaves_unchanged_files_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("public").join("nested").join("feed.xml");
    assert!(write_if_changed(&target, b"<rss>1</rss>").expect("first write"));
    assert_eq!(fs::read(&target).expect("read"), b"<rss>1</rss>");

    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    set_mtime(&target, old);
    assert!(!write_if_changed(&target, b"<rss>1</rss>").expect("same bytes"));
    assert_eq!(
        fs::metadata(&target)
            .expect("meta")
            .modified()
            .expect("mtime"),
        old
    );

    assert!(write_if_changed(&target, b"<rss>2</rss>").expect("new bytes"));
    assert_eq!(fs::read(&target).expect("read"), b"<rss>2</rss>");
    assert_ne!(
        fs::metadata(&target)
            .expect("meta")
            .modified()
            .expect("mtime"),
        old
    );
    assert_eq!(names(target.parent().expect("parent")), ["feed.xml"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_permissions_and_a_new_one_is_readable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("feed.json");
    write_if_changed(&target, b"{}").expect("write");
    let mode = fs::metadata(&target).expect("meta").permissions().mode();
    assert_ne!(mode & 0o044, 0, "new outputs must not be private: {mode:o}");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).expect("chmod");
    write_if_changed(&target, b"{\"a\":1}").expect("rewrite");
    let mode = fs::metadata(&target).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn a_failed_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The target is a non-empty folder: the rename over it must fail.
    let target = dir.path().join("feed.xml");
    fs::create_dir(&target).expect("mkdir");
    fs::write(target.join("keep"), "x").expect("write");
    let err = write_if_changed(&target, b"<rss/>").expect_err("cannot replace a folder");
    assert!(err.to_string().contains("feed.xml"), "{err}");
    assert_eq!(names(dir.path()), ["feed.xml"]);
}

#[test]
fn readers_see_the_old_or_the_new_file_never_a_half() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("feed.atom");
    let a = vec![b'a'; 1 << 20];
    let b = vec![b'b'; 1 << 20];
    write_if_changed(&target, &a).expect("first write");
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (target, done, a, b) = (target.clone(), done.clone(), a.clone(), b.clone());
        thread::spawn(move || {
            let mut reads = 0;
            while !done.load(Ordering::Relaxed) {
                let seen = fs::read(&target).expect("target always exists");
                assert!(seen == a || seen == b, "torn read of {} bytes", seen.len());
                reads += 1;
            }
            reads
        })
    };
    for i in 0..40 {
        let bytes = if i % 2 == 0 { &b } else { &a };
        assert!(write_if_changed(&target, bytes).expect("write"));
    }
    done.store(true, Ordering::Relaxed);
    assert!(reader.join().expect("reader") > 0);
    assert_eq!(names(dir.path()), ["feed.atom"]);
}
