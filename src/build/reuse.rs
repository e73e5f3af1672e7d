//! Carrying unchanged entries over from the outputs the last build wrote.
//!
//! Each output's entry texts are indexed in the state (see [`crate::emit::parts`]). A feed
//! that merges nothing (no external feed, no history) caches its articles without their
//! summary and content, and when every output is still as the last build left it, its
//! cached entries stay hollow: dated, sorted and keyed like any other, their texts copied
//! from the earlier outputs. Only a hollow entry whose text some output lacks (its dates
//! moved, say) is read from its file again, and checked against its cached content hash.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::emit::parts::{Earlier, FeedParts, digest};
use crate::model::{Entry, Feed};
use crate::state::{ContentHash, FileStamp, Run, StateError};

/// What the build knows of one local entry beyond the entry itself.
#[derive(Debug)]
pub(super) struct Local {
    hash: ContentHash,
    /// The article cache key of an entry loaded without its summary and content.
    hollow: Option<String>,
}

/// The local entries by id, with their content hashes.
pub(super) type Locals = HashMap<String, Local, RandomState>;

/// Per output, the document the last build wrote with the index of its entries' texts,
/// when the file is still as that build left it (`current` holds the files' stamps now).
pub(super) fn earlier_outputs(
    run: &Run<'_>,
    def: &FeedDef,
    current: &[Option<FileStamp>],
) -> Result<Vec<Option<Earlier>>, StateError> {
    (def.outputs.iter().zip(current))
        .map(|(out, stamp)| {
            let Some(stamp) = stamp else { return Ok(None) };
            let key = super::incremental::state_key(&def.root, &out.path);
            let Some(index) = run.output_parts(&key, *stamp)? else {
                return Ok(None);
            };
            // A file that cannot be opened, or is no longer as stamped, gives nothing.
            let file = std::fs::File::open(&out.path).ok().filter(|f| {
                (f.metadata().ok())
                    .and_then(|m| FileStamp::from_metadata(&m))
                    .is_some_and(|now| now == *stamp)
            });
            Ok(file.map(|f| Earlier::new(f, stamp.size, &index)))
        })
        .collect()
}

/// Reads the article file with the given cache key again: the whole entry, or why not.
pub(super) type Reread<'a> = dyn Fn(&str) -> Result<Entry, String> + 'a;

/// Gives `entry` (hollow, with content hash `hash`) its summary and content back from its
/// file, read again, provided the file still gives the same content.
fn refill(
    entry: &mut Entry,
    key: &str,
    hash: &ContentHash,
    reread: &Reread<'_>,
) -> Result<(), Diagnostic> {
    let changed = |reason: String| {
        Diagnostic::error(
            key,
            None,
            format!("{reason}; the feed is built on the next run"),
        )
    };
    let whole = reread(key).map_err(changed)?;
    if ContentHash::of(&whole) != *hash {
        return Err(changed("the file changed while it was being read".into()));
    }
    entry.summary = whole.summary;
    entry.content_html = whole.content_html;
    Ok(())
}

/// The local entries by id. When two share an id (the feed keeps only the first, see
/// [`super::unique_ids`]) no id can be trusted to name one entry: the hollow entries are
/// filled from their files, and `None` says to hash every entry afresh.
pub(super) fn locals(
    entries: &mut [(Entry, ContentHash)],
    hollow: Vec<Option<String>>,
    reread: &Reread<'_>,
) -> Result<Option<Locals>, Diagnostic> {
    let mut locals = Locals::with_capacity_and_hasher(entries.len(), RandomState::default());
    let mut repeated = false;
    for ((entry, hash), hollow) in entries.iter().zip(&hollow) {
        let local = Local {
            hash: *hash,
            hollow: hollow.clone(),
        };
        repeated |= locals.insert(entry.id.clone(), local).is_some();
    }
    if !repeated {
        return Ok(Some(locals));
    }
    for ((entry, hash), hollow) in entries.iter_mut().zip(hollow) {
        if let Some(key) = hollow {
            refill(entry, &key, hash, reread)?;
        }
    }
    Ok(None)
}

/// `feed` ready to be written, with its entries' digests. Every hollow entry whose text
/// one of the `earlier` outputs lacks is filled from its file first.
pub(super) fn feed_parts<'a>(
    feed: &'a Feed,
    locals: Option<Locals>,
    def: &FeedDef,
    earlier: &[Option<Earlier>],
    reread: &Reread<'_>,
) -> Result<FeedParts<'a>, Diagnostic> {
    let Some(locals) = locals else {
        return Ok(FeedParts::new(feed));
    };
    let mut digests = Vec::with_capacity(feed.entries.len());
    let mut hollow = Vec::with_capacity(feed.entries.len());
    for entry in &feed.entries {
        match locals.get(&entry.id) {
            Some(local) => {
                digests.push(local.hash.0);
                hollow.push(local.hollow.as_deref().map(|key| (key, &local.hash)));
            }
            None => {
                digests.push(digest(entry));
                hollow.push(None);
            }
        }
    }
    let flags = hollow.iter().map(Option::is_some).collect();
    let mut parts = FeedParts::with_digests(feed, digests, flags);
    let mut needed = vec![false; feed.entries.len()];
    for (out, earlier) in def.outputs.iter().zip(earlier) {
        for (i, key) in parts.keys(out.format).iter().enumerate() {
            needed[i] |= parts.is_hollow(i) && !earlier.as_ref().is_some_and(|e| e.has(key));
        }
    }
    for (i, hollow) in hollow.into_iter().enumerate() {
        if let Some((key, hash)) = hollow
            && needed[i]
        {
            let mut whole = feed.entries[i].clone();
            refill(&mut whole, key, hash, reread)?;
            tracing::debug!(file = key, "read again: an output lacks its entry's text");
            parts.fill(i, whole);
        }
    }
    Ok(parts)
}
