//! A feed written by a one-off command (`convert`, `merge`): its document in the chosen
//! format, put in a file (atomically, only when its bytes change) when one is named.

use std::path::Path;

use url::Url;

use crate::emit::{self, EmitError, Format};
use crate::error::WriteError;
use crate::model::Feed;
use crate::output;

/// A feed and its document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The feed, entries newest first.
    pub feed: Feed,
    /// The feed written in the chosen format.
    pub bytes: Vec<u8>,
    /// Whether the output file's bytes changed: `Some(false)` when it already held them,
    /// `None` when no file was named.
    pub written: Option<bool>,
}

/// Why a one-off command could not write its feed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The feed could not be serialised.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// The output file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Writes `feed` in `format` as published at `self_url`, and into `output` if given.
pub fn document(
    feed: Feed,
    format: Format,
    self_url: Option<&Url>,
    output: Option<&Path>,
) -> Result<Document, DocumentError> {
    let bytes = emit::write_at(&feed, format, self_url)?;
    let written = match output {
        Some(path) => Some(output::write_if_changed(path, &bytes)?),
        None => None,
    };
    Ok(Document {
        feed,
        bytes,
        written,
    })
}
