//! The text article reader (in progress).

use std::path::Path;

use super::{Article, ReadOptions};
use crate::error::SourceError;

/// Parses the text of one article.
pub fn parse(path: &Path, _text: &str, _options: &ReadOptions) -> Result<Article, SourceError> {
    Err(SourceError::invalid(path, None, "not implemented"))
}
