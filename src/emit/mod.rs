//! The emitters: a [`Feed`] becomes the bytes of an RSS 2.0, Atom 1.0 or JSON Feed 1.1
//! document.
//!
//! Each format has one writer module in three steps: the feed's head (everything before the
//! first entry), one entry, and the tail (everything after the last). [`write_to`] renders
//! the entries in parallel, each into its own buffer sized up front, and writes head,
//! entries and tail one after the other: an entry's text begins with whatever separates it
//! from what comes before (a line break and its indentation; in JSON Feed a comma for all
//! but the first), so nothing is searched for or rewritten afterwards.
//!
//! - [`rss`]: RSS 2.0, with quick-xml (through the private `xml` module, shared with Atom).
//! - [`atom`]: Atom 1.0, with quick-xml.
//! - [`json`]: JSON Feed 1.1, with serde_json.
//! - [`html`]: the feed's companion page for browsers, with maud (one template, not three
//!   steps).
//! - [`values`]: what every format derives the same way (ids, titles, dates, people).
//! - [`text`]: cleaning, markup detection, and the one escaping function.
//!
//! Every emitter is deterministic: the same feed gives byte-identical output (no clock, no
//! hash-map order), and entries keep the order they are given in (the caller sorts them).
//! Feeds are valid by construction: XML-illegal characters are stripped from all text, empty
//! optional values are left out, dates no format can carry are left out, and every element
//! a format requires gets a documented fallback when the model has no value for it.

pub mod atom;
pub mod html;
pub mod json;
pub mod rss;
pub mod text;
pub mod values;
mod xml;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use rayon::prelude::*;
use url::Url;

use crate::model::{Entry, Feed};

/// The name written as the generator of every feed.
pub const GENERATOR: &str = "feedloom";

/// One of the three output formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// RSS 2.0, the default.
    #[default]
    Rss,
    /// Atom 1.0 (RFC 4287).
    Atom,
    /// JSON Feed 1.1.
    Json,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    /// The usual file extension, without the dot: `xml`, `atom` or `json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "xml",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }

    /// The media type to serve the format with.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    /// The lowercase name, as accepted by [`Format::from_str`].
    pub fn name(self) -> &'static str {
        match self {
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text given to [`Format::from_str`] names no format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown feed format {0:?}: expected \"rss\", \"atom\" or \"json\"")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Reads `rss`, `atom` or `json`, ignoring ASCII case and surrounding spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rss" => Ok(Format::Rss),
            "atom" => Ok(Format::Atom),
            "json" => Ok(Format::Json),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// Why a feed could not be written. Writing into memory fails only on internal errors, but
/// the crates used report them, so they are passed on, not hidden.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The output refused the bytes (see [`write_to`]).
    #[error("cannot write the feed: {0}")]
    Io(#[from] io::Error),
    /// `serde_json` failed to serialise part of a JSON Feed.
    #[error("cannot write JSON Feed: {0}")]
    Json(serde_json::Error),
}

impl From<serde_json::Error> for EmitError {
    /// An output that refused the bytes is [`EmitError::Io`], whichever writer met it.
    fn from(error: serde_json::Error) -> Self {
        match error.is_io() {
            true => EmitError::Io(error.into()),
            false => EmitError::Json(error),
        }
    }
}

/// Writes `feed` in `format`, published at [`Feed::feed_url`]. The same feed always gives
/// the same bytes.
pub fn write(feed: &Feed, format: Format) -> Result<Vec<u8>, EmitError> {
    write_at(feed, format, feed.feed_url.as_ref())
}

/// Writes `feed` in `format` as published at `self_url` (in place of [`Feed::feed_url`]), so
/// that one feed can be written in several formats at once, each with its own self link.
pub fn write_at(feed: &Feed, format: Format, self_url: Option<&Url>) -> Result<Vec<u8>, EmitError> {
    match format {
        Format::Rss => in_memory(&rss::Rss::new(feed, self_url), &feed.entries),
        Format::Atom => in_memory(&atom::Atom::new(feed, self_url), &feed.entries),
        Format::Json => in_memory(&json::Json::new(feed, self_url), &feed.entries),
    }
}

/// Writes `feed` in `format` as published at `self_url` into `out`: the head, the entries
/// (rendered in parallel, a batch at a time) and the tail.
pub fn write_to(
    feed: &Feed,
    format: Format,
    self_url: Option<&Url>,
    out: &mut impl Write,
) -> Result<(), EmitError> {
    match format {
        Format::Rss => join(&rss::Rss::new(feed, self_url), &feed.entries, out),
        Format::Atom => join(&atom::Atom::new(feed, self_url), &feed.entries, out),
        Format::Json => join(&json::Json::new(feed, self_url), &feed.entries, out),
    }
}

/// One format's writer for one feed.
trait Emitter: Sync {
    /// About how many bytes `entry`'s text takes, to reserve before writing it.
    fn room(&self, entry: &Entry) -> usize;

    /// Writes everything before the first entry.
    fn head(&self, out: &mut impl Write) -> Result<(), EmitError>;

    /// Writes the text of `entry`, the feed's entry number `index`: everything from the end
    /// of the previous entry (or of the head) to the end of this one.
    fn entry(&self, index: usize, entry: &Entry, out: &mut Vec<u8>) -> Result<(), EmitError>;

    /// Writes everything after the last entry.
    fn tail(&self, out: &mut impl Write) -> Result<(), EmitError>;
}

/// How many entries are rendered at once before they are written out: enough to keep
/// every core busy, few enough that a large feed is never held twice in memory.
const BATCH: usize = 1024;

/// Bytes reserved for a feed's head and tail.
const FRAME_ROOM: usize = 4096;

/// [`join`] into memory, with room reserved for the whole document up front (pages the
/// document does not reach are never touched), so that it is not copied as it grows.
fn in_memory(emitter: &impl Emitter, entries: &[Entry]) -> Result<Vec<u8>, EmitError> {
    let room = FRAME_ROOM + entries.iter().map(|e| emitter.room(e)).sum::<usize>();
    let mut out = Vec::with_capacity(room);
    join(emitter, entries, &mut out)?;
    Ok(out)
}

/// Writes head, entries and tail into `out`, rendering each batch of entries in parallel.
fn join(emitter: &impl Emitter, entries: &[Entry], out: &mut impl Write) -> Result<(), EmitError> {
    emitter.head(out)?;
    for (batch, chunk) in entries.chunks(BATCH).enumerate() {
        let texts = (chunk.par_iter().enumerate())
            .map(|(i, entry)| {
                let mut text = Vec::with_capacity(emitter.room(entry));
                emitter.entry(batch * BATCH + i, entry, &mut text)?;
                Ok(text)
            })
            .collect::<Result<Vec<Vec<u8>>, EmitError>>()?;
        for text in texts {
            out.write_all(&text)?;
        }
    }
    emitter.tail(out)
}

#[cfg(test)]
mod tests;
