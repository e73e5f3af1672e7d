//! The pipeline: one library call per command, each taking typed options and returning
//! typed results with their diagnostics. The command line only turns flags into these
//! options and results into files, messages and exit codes.
//!
//! | call | command | what it does |
//! |---|---|---|
//! | [`build()`] | `feedloom build` | every feed of a definitions folder, incrementally, with the state store |
//! | [`convert()`] | `feedloom convert` | article files, folders and feed files into one feed |
//! | [`merge()`] | `feedloom merge` | external feeds into one feed |
//! | [`opml()`] | `feedloom opml` | the feeds of a definitions folder as an OPML list |
//! | [`fetch()`] | `feedloom fetch` | the fetch workers of a shared PostgreSQL state |
//! | [`init()`] | `feedloom init` | a new project: one feed definition and one article |
//! | [`validate()`] | `feedloom validate` | the W3C Feed Validation Service's rules on feeds |
//! | [`Server::start`] | `feedloom serve` | the built outputs over HTTP, rebuilt on a schedule |
//!
//! The stages they share: [`discover`] finds article files; [`read`] reads and maps them
//! (in parallel); [`assemble`] puts a feed together; [`build`](mod@build) adds the store
//! (cache, dates, history, fingerprints) and atomic installs; [`websub`] tells hubs what a
//! build changed.

pub mod assemble;
pub mod build;
mod convert;
pub mod discover;
mod feed_file;
pub mod fetch;
pub mod full_text;
mod init;
mod merge;
mod opml;
pub(crate) mod pause;
pub mod read;
pub mod serve;
mod settings;
pub mod validate;
pub mod websub;
mod write;

/// The longest fetch timeout a flag or a definition may set, in seconds.
pub use crate::merge::MAX_TIMEOUT_SECS;
pub use assemble::assemble;
pub use build::{BuildError, BuildOptions, BuildReport, FeedReport, OutputChange, build};
pub use convert::{ConvertOptions, Converted, convert};
pub use feed_file::read_feed_file;
pub use fetch::{FetchError, FetchOptions, WorkerReport, fetch, fetch_status};
pub use init::{InitError, init};
pub use merge::{MergeOptions, Merged, merge};
pub use opml::{Listed, OpmlError, OpmlOptions, opml};
pub use read::read_sources;
pub use serve::{ServeError, ServeOptions, Server};
pub use settings::{FeedSettings, SourceSpec};
pub use validate::{ValidateOptions, Validated, validate};
pub use write::{Document, DocumentError};

/// Where the state lives, as `--state` and `FEEDLOOM_STATE` name it.
pub use crate::state::StateLocation;
