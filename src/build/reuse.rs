//! Carrying unchanged entries over from the outputs the last build wrote.
//!
//! Each output's entry texts are indexed in the state (see [`crate::emit::parts`]). A feed
//! that merges nothing (no external feed, no history) caches of its articles only their id,
//! title, dates and authors, and when every output is still as the last build left it, its
//! cached entries stay hollow: dated, sorted and keyed like any other, their texts copied
//! from the earlier outputs. Only a hollow entry whose text some output lacks (its dates
//! moved, say) is read from its file again, and checked against its cached content hash.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use super::incremental::state_key;
use super::{Found, SourceSpec, read_bytes};
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::emit::parts::{Earlier, FeedParts};
use crate::mapper::MapOptions;
use crate::model::{Entry, Feed};
use crate::state::{ContentHash, FileStamp, Run, StateError};

/// What the build knows of one local entry beyond the entry itself.
#[derive(Debug, Clone)]
pub(super) struct Local {
    /// The entry's content hash.
    pub hash: ContentHash,
    /// The article cache key of an entry loaded hollow.
    pub hollow: Option<String>,
}

impl AsRef<ContentHash> for Local {
    fn as_ref(&self) -> &ContentHash {
        &self.hash
    }
}

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
            let key = state_key(&def.root, &out.path);
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

/// A [`Reread`] over a feed's article files (`found`, read by `specs`); cache keys are
/// relative to `root` (see [`state_key`]).
pub(super) fn rereader<'a>(
    specs: &'a [(SourceSpec, MapOptions)],
    found: &'a [(usize, Found)],
    root: &'a Path,
    drafts: bool,
) -> impl Fn(&str) -> Result<Entry, String> + 'a {
    let index: OnceLock<HashMap<String, usize>> = OnceLock::new();
    move |key: &str| {
        let index = index.get_or_init(|| {
            (found.iter().enumerate())
                .map(|(i, (_, f))| (state_key(root, &f.path).to_string_lossy().into_owned(), i))
                .collect()
        });
        let (source, f) = (index.get(key).map(|&i| &found[i]))
            .ok_or("the file is no longer among the feed's sources")?;
        let (spec, map) = &specs[*source];
        let bytes = std::fs::read(&f.path).map_err(|e| format!("cannot read: {e}"))?;
        let (entry, _) = read_bytes(f, &bytes, spec, map, drafts);
        entry.ok_or_else(|| "the file no longer reads as an article".to_string())
    }
}

/// Makes `entry` (hollow: only its id, title, dates and authors, with content hash `hash`)
/// whole again from its file, read again, provided the file still gives the same content.
/// The dates stay the entry's own: they may have come from the state.
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
    if ContentHash::of(&whole) != *hash || whole.id != entry.id {
        return Err(changed("the file changed while it was being read".into()));
    }
    *entry = Entry {
        published: entry.published,
        updated: entry.updated,
        ..whole
    };
    Ok(())
}

/// `feed` ready to be written, with its entries' digests: from `locals` (one per entry,
/// for a feed of local entries only), else hashed afresh. Every hollow entry whose text one
/// of the `earlier` outputs lacks is filled from its file first.
pub(super) fn feed_parts<'a>(
    feed: &'a Feed,
    locals: Option<Vec<Local>>,
    def: &FeedDef,
    earlier: &[Option<Earlier>],
    reread: &Reread<'_>,
) -> Result<FeedParts<'a>, Diagnostic> {
    let Some(locals) = locals else {
        return Ok(FeedParts::new(feed));
    };
    let digests = locals.iter().map(|l| l.hash.0).collect();
    let flags = locals.iter().map(|l| l.hollow.is_some()).collect();
    let mut parts = FeedParts::with_digests(feed, digests, flags);
    let mut needed = vec![false; feed.entries.len()];
    for (out, earlier) in def.outputs.iter().zip(earlier) {
        for (i, key) in parts.keys(out.format).iter().enumerate() {
            needed[i] |= parts.is_hollow(i) && !earlier.as_ref().is_some_and(|e| e.has(key));
        }
    }
    let mut reread_files = 0;
    for (i, local) in locals.iter().enumerate() {
        if let Some(key) = &local.hollow
            && needed[i]
        {
            let mut whole = feed.entries[i].clone();
            refill(&mut whole, key, &local.hash, reread)?;
            parts.fill(i, whole);
            reread_files += 1;
        }
    }
    tracing::debug!(
        reread_files,
        "unchanged files read again for texts an output lacks"
    );
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole() -> Entry {
        Entry {
            id: "tag:example.com,2000:a".into(),
            title: "A".into(),
            summary: Some("Lede.".into()),
            content_html: Some("<p>Body.</p>".into()),
            categories: vec![crate::model::Category::term("铜")],
            ..Entry::default()
        }
    }

    /// What the cache keeps of `whole()`, dated by the state.
    fn hollow() -> Entry {
        Entry {
            id: whole().id,
            title: whole().title,
            published: chrono::DateTime::parse_from_rfc3339("2026-01-01T08:00:00+08:00").ok(),
            ..Entry::default()
        }
    }

    #[test]
    fn a_hollow_entry_is_filled_from_its_file_and_keeps_its_dates() {
        let hash = ContentHash::of(&whole());
        let mut entry = hollow();
        refill(&mut entry, "a.txt", &hash, &|_| Ok(whole())).expect("filled");
        assert_eq!(entry.content_html, whole().content_html);
        assert_eq!(entry.categories, whole().categories);
        assert_eq!(entry.published, hollow().published);
        assert_eq!(ContentHash::of(&entry), hash);
    }

    #[test]
    fn a_file_that_no_longer_gives_the_cached_content_fails_the_feed() {
        let hash = ContentHash::of(&whole());
        let edited = || {
            Ok(Entry {
                content_html: Some("<p>Edited.</p>".into()),
                ..whole()
            })
        };
        let err = refill(&mut hollow(), "a.txt", &hash, &|_| edited()).expect_err("changed");
        assert!(
            err.to_string().contains("changed while it was being read"),
            "{err}"
        );
        let gone = refill(
            &mut hollow(),
            "a.txt",
            &hash,
            &|_| Err("cannot read".into()),
        );
        assert!(gone.expect_err("gone").to_string().contains("cannot read"));
    }
}
