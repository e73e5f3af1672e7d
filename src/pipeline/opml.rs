//! `feedloom opml`: the feeds of a definitions folder as an OPML 2.0 subscription list that
//! feed readers import.

use std::path::PathBuf;

use crate::config;
use crate::diagnostic::Diagnostic;
use crate::error::{ConfigError, WriteError};
use crate::merge::opml;
use crate::output;

/// What `feedloom opml` is asked to do.
#[derive(Debug, Clone)]
pub struct OpmlOptions {
    /// The folder of feed definitions.
    pub feeds: PathBuf,
    /// The list's title.
    pub title: String,
    /// Write the list to this file (atomically, only when its bytes change).
    pub output: Option<PathBuf>,
}

/// The list written.
#[derive(Debug)]
pub struct Listed {
    /// The OPML document.
    pub bytes: Vec<u8>,
    /// Definitions left out of the list, with why.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why no list was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpmlError {
    /// The definitions could not be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The output file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One outline per definition with a public URL (`base_url`); a definition without one is
/// left out with a warning.
pub fn opml(options: &OpmlOptions) -> Result<Listed, OpmlError> {
    let defs = config::load_dir(&options.feeds)?;
    let mut feeds = Vec::new();
    let mut diagnostics = Vec::new();
    for def in &defs {
        match def.subscription() {
            Some(feed) => feeds.push(feed),
            None => diagnostics.push(Diagnostic::warning(
                def.file.display(),
                None,
                "no `base_url`, so the feed has no public URL; left out of the list",
            )),
        }
    }
    let bytes = (opml::write(&options.title, &feeds) + "\n").into_bytes();
    if let Some(path) = &options.output {
        output::write_if_changed(path, &bytes)?;
    }
    Ok(Listed { bytes, diagnostics })
}
