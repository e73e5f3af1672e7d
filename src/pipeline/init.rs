//! `feedloom init`: a new project to start from, with one commented feed definition
//! (`feeds/example.toml`) and one article (`samples/example.txt`) that it builds into
//! `public/`. Nothing that exists is ever overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The files a new project starts with, relative to its folder.
const FILES: [(&str, &str); 2] = [
    ("feeds/example.toml", include_str!("templates/example.toml")),
    ("samples/example.txt", include_str!("templates/example.txt")),
];

/// Why a project could not be started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InitError {
    /// One of the files to write is already there: nothing was written.
    #[error("{}: already exists; feedloom init never overwrites a file (nothing was written)", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A file could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// Writes a new project into `dir`: `feeds/example.toml` and `samples/example.txt`.
/// Returns the files written. When any of them exists, nothing is written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let paths: Vec<PathBuf> = FILES.iter().map(|(rel, _)| dir.join(rel)).collect();
    if let Some(path) = paths.iter().find(|p| p.exists()) {
        return Err(InitError::Exists { path: path.clone() });
    }
    for (path, (_, text)) in paths.iter().zip(FILES) {
        let write = |path: &Path| -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // `create_new` refuses a file that appeared meanwhile.
            let mut file = std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(path)?;
            file.write_all(text.as_bytes())
        };
        write(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => InitError::Exists { path: path.clone() },
            _ => InitError::Write {
                path: path.clone(),
                source,
            },
        })?;
    }
    Ok(paths)
}
