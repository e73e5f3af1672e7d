//! feedloom turns article sources (news pages saved as text, Markdown, HTML) into RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 feeds, and merges external feeds into them.
//!
//! Each command of the binary is one call of [`pipeline`]: [`pipeline::build()`],
//! [`pipeline::fetch()`], [`pipeline::convert()`], [`pipeline::merge()`] and
//! [`pipeline::opml()`], each taking typed options and returning typed results with their
//! diagnostics.
//!
//! # The layers
//!
//! Data flows one way, source → `Article` → `Entry` → `Feed` → bytes, and imports only look
//! down this picture: a module uses what is below it, never what is above.
//!
//! ```text
//!   cli (the binary: flags in; files, messages and exit codes out)
//!    │
//!   pipeline ── config            one call per command; discover, read, assemble, build
//!    │
//!    ├── state        first-seen dates, content hashes, history, caches (SQLite, or a
//!    │                shared PostgreSQL that also queues the fetch workers' work)
//!    ├── emit         Feed → RSS 2.0 / Atom 1.0 / JSON Feed 1.1 bytes
//!    ├── merge        external feeds: fetch, parse, filter, dedupe; the pages their items
//!    │                link to (owns the cache traits)
//!    ├── mapper       Article → Entry: dates, ids, links, summary, content
//!    │    │
//!    │   source       article files → Article (text, Markdown, HTML)
//!    │
//!   decode, dates, diagnostic, output, sanitize, error, lock, exit   (shared helpers)
//!    │
//!   model             Feed, Entry, Person, Category, Enclosure, Origin: imports nothing of ours
//! ```
//!
//! # Where a change goes
//!
//! | change | module |
//! |---|---|
//! | a new article layout, meta key or date form | [`source`] (and [`dates`]) |
//! | how an article becomes an entry (ids, links, summaries) | [`mapper`] |
//! | how a format is written | [`emit`] (one writer per format: head, entry, tail) |
//! | reading, filtering or deduplicating external feeds | [`merge`] |
//! | the full text of merged items (which pages, how they are read and kept) | [`pipeline::full_text`] |
//! | what is remembered between runs | [`state`] |
//! | a key of the feed definitions | [`config`] |
//! | a stage of a command, or a new command | [`pipeline`], then the binary's `cli/` |

#![warn(missing_docs)]

pub mod config;
pub mod dates;
pub mod decode;
pub mod diagnostic;
pub mod emit;
pub mod error;
pub mod exit;
pub mod lock;
pub mod mapper;
pub mod merge;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod sanitize;
pub mod source;
pub mod state;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
