//! Putting a feed together from entries: repeated ids dropped (the first kept, with a
//! warning), newest first, the limit applied, the feed's `updated` derived.

use super::settings::FeedSettings;
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Feed};

/// Drops entries whose id an earlier entry already has, with a warning for each.
pub fn unique_ids(entries: Vec<Entry>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let mut seen = foldhash::HashSet::default();
    let mut unique = Vec::with_capacity(entries.len());
    for entry in entries {
        if seen.insert(entry.id.clone()) {
            unique.push(entry);
        } else {
            let reason = format!("two entries share this id; {:?} is left out", entry.title);
            diagnostics.push(Diagnostic::warning(&entry.id, None, reason));
        }
    }
    unique
}

/// Assembles a feed from entries: drops repeated ids, sorts newest first, applies the
/// limit and derives the feed's `updated` date.
pub fn assemble(
    settings: &FeedSettings,
    entries: Vec<Entry>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Feed {
    let mut feed = Feed {
        title: settings.title.clone(),
        home_page_url: settings.link.clone(),
        description: settings.description.clone(),
        language: settings.language.clone(),
        entries: unique_ids(entries, diagnostics),
        ..Feed::default()
    };
    feed.sort_entries();
    if let Some(limit) = settings.limit {
        feed.entries.truncate(limit);
    }
    feed.derive_updated();
    feed
}
