//! Finding the article files of a source: a folder, a glob pattern or a single file, each
//! with the stamp (size, modification time) the incremental build compares.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::output::FileStamp;
use crate::source::SourceKind;

/// A file found by a source, with the root its key is relative to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The source root (the folder given, the fixed part of a glob, or the file itself).
    pub root: PathBuf,
    /// The article file.
    pub path: PathBuf,
    /// Its size and modification time when it was found, if the platform gives them.
    pub stamp: Option<FileStamp>,
}

/// Lists the article files of a source pattern, sorted. A folder is read recursively (files
/// with a known article extension, hidden files and folders skipped); a glob lists what it
/// matches; a plain file is itself. A folder, file or glob folder that does not exist is an
/// error; a glob that matches nothing in its folder is a warning.
pub fn discover(pattern: &Path) -> Result<Vec<Found>, Diagnostic> {
    let text = pattern.to_string_lossy();
    let mut found = Vec::new();
    if text.contains(['*', '?', '[']) {
        let root = glob_root(pattern);
        let paths = glob::glob(&text)
            .map_err(|e| Diagnostic::error(&text, None, format!("bad pattern: {e}")))?;
        let paths = paths
            .collect::<Result<Vec<PathBuf>, _>>()
            .map_err(|e| Diagnostic::error(e.path().display(), None, e.error().to_string()))?;
        // Stat in parallel: on a large folder this is most of a no-change run.
        let metas: Vec<_> = paths.par_iter().map(std::fs::metadata).collect();
        for (p, meta) in paths.into_iter().zip(metas) {
            match meta {
                Ok(meta) if meta.is_dir() => walk(&p, &p, &mut found),
                meta => found.push(Found {
                    root: root.clone(),
                    stamp: meta.ok().and_then(|m| FileStamp::from_metadata(&m)),
                    path: p,
                }),
            }
        }
        if found.is_empty() && !root.as_os_str().is_empty() && !root.is_dir() {
            let reason = format!("no such folder: {}", root.display());
            return Err(Diagnostic::error(&text, None, reason));
        }
        if found.is_empty() {
            return Err(Diagnostic::warning(
                &text,
                None,
                "the pattern matches no file",
            ));
        }
    } else if pattern.is_dir() {
        walk(pattern, pattern, &mut found);
    } else if let Ok(meta) = std::fs::metadata(pattern) {
        found.push(Found {
            root: pattern.to_path_buf(),
            path: pattern.to_path_buf(),
            stamp: FileStamp::from_metadata(&meta),
        });
    } else {
        return Err(Diagnostic::error(&text, None, "no such file or folder"));
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    Ok(found)
}

fn glob_root(pattern: &Path) -> PathBuf {
    let mut root = PathBuf::new();
    for c in pattern.components() {
        if c.as_os_str().to_string_lossy().contains(['*', '?', '[']) {
            break;
        }
        root.push(c);
    }
    root
}

/// Lists the article files below `dir`, following symbolic links but never around a loop
/// (a link back to a folder above it is left out: each file is found once), and skipping
/// hidden files and folders.
fn walk(root: &Path, dir: &Path, out: &mut Vec<Found>) {
    let hidden = |e: &walkdir::DirEntry| {
        e.depth() > 0 && e.file_name().as_encoded_bytes().first() == Some(&b'.')
    };
    let walker = walkdir::WalkDir::new(dir).follow_links(true).into_iter();
    for entry in walker.filter_entry(|e| !hidden(e)).flatten() {
        if entry.file_type().is_dir() || SourceKind::from_extension(entry.path()).is_none() {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        out.push(Found {
            root: root.to_path_buf(),
            stamp: FileStamp::from_metadata(&meta),
            path: entry.into_path(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_roots_stop_at_the_first_wildcard() {
        assert_eq!(
            glob_root(Path::new("./samples/*.txt")),
            Path::new("./samples")
        );
        assert_eq!(glob_root(Path::new("/a/b/**/c*.md")), Path::new("/a/b"));
    }
}
