//! Error types of the library. Each names the file, line or URL it is about.

use std::path::{Path, PathBuf};

/// Why one article source could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The file could not be read at all.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file was read but is not a usable article.
    #[error("{}{}: {reason}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line, when the problem sits on one.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
}

impl SourceError {
    /// An I/O failure on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        SourceError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A content problem in `path`.
    pub fn invalid(path: &Path, line: Option<usize>, reason: impl Into<String>) -> Self {
        SourceError::Invalid {
            path: path.to_path_buf(),
            line,
            reason: reason.into(),
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            SourceError::Io { path, .. } | SourceError::Invalid { path, .. } => path,
        }
    }

    /// The line the error is about, if any.
    pub fn line(&self) -> Option<usize> {
        match self {
            SourceError::Io { .. } => None,
            SourceError::Invalid { line, .. } => *line,
        }
    }

    /// The reason alone, without the path.
    pub fn reason(&self) -> String {
        match self {
            SourceError::Io { source, .. } => format!("cannot read: {source}"),
            SourceError::Invalid { reason, .. } => reason.clone(),
        }
    }
}

/// Why a feed definition could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The definitions folder does not exist: this is not a project.
    #[error(
        "no `{}` folder here: run feedloom inside a project (the folder that holds it), \
         pass `--feeds DIR`, or start one with `feedloom init`",
        dir.display()
    )]
    NoProject {
        /// The definitions folder looked for.
        dir: PathBuf,
    },
    /// The definition file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The definition file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The definition is not valid TOML or has wrong, missing or unknown keys.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The definition file.
        path: PathBuf,
        /// What is wrong, with line and key where known.
        message: String,
    },
}

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write: {source}", path.display())]
pub struct WriteError {
    /// The output path.
    pub path: PathBuf,
    /// The operating system's reason.
    pub source: std::io::Error,
}
