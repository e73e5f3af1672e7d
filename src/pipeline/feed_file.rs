//! Feed files among article inputs: `feedloom convert feed.xml` reads an RSS, Atom or JSON
//! Feed file as the entries it holds, so converting a feed is converting its entries.

use std::path::Path;

use url::Url;

use crate::diagnostic::Diagnostic;
use crate::merge::{self, ParsedFeed};

/// Reads `path` as a feed when its content says it is one ([`merge::looks_like_feed`]):
/// `None` when it is not a feed (or cannot be read: the article reader will say why), else
/// the feed, or an error naming the file when it cannot be read as a feed after all.
/// Relative links resolve against the feed's home page and ids are made URIs
/// ([`merge::scope_ids`]), as for a merged feed file.
pub fn read_feed_file(path: &Path) -> Option<Result<ParsedFeed, Diagnostic>> {
    if !path.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if !merge::looks_like_feed(&bytes) {
        return None;
    }
    let url = std::path::absolute(path)
        .ok()
        .and_then(|p| Url::from_file_path(p).ok());
    let Some(url) = url else {
        let reason = "cannot turn the path into a file URL";
        return Some(Err(Diagnostic::error(path.display(), None, reason)));
    };
    let feed = merge::parse_feed(&bytes, None, &url).map(|mut feed| {
        merge::scope_ids(&mut feed, &url);
        feed
    });
    Some(
        feed.map_err(|reason| {
            Diagnostic::error(path.display(), None, format!("not a feed: {reason}"))
        }),
    )
}
