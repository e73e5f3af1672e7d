//! feedloom turns article sources (news pages saved as text, Markdown, HTML) into RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 feeds, and merges external feeds into them.
//!
//! The pipeline: [`source`] readers → [`source::Article`] → [`mapper`] → [`model::Entry`] →
//! [`model::Feed`] → [`emit`] → bytes. External feeds join as entries: [`merge`] fetches and
//! reads them, and [`build`] deduplicates them with the feed's own entries and its history
//! in the [`state`] store.

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
