//! The logging interface shared by the rules: a check reports a message
//! class with its parameters; the receiver adds element, parent and position.

use crate::classes::C;

/// Receiver of validator messages.
pub trait Log {
    /// Whether a message of class `c` would be kept (errors and warnings
    /// always; notices only on request). Checks may skip work otherwise.
    fn wants(&self, c: C) -> bool;
    /// Report `c` with its parameters (`element`/`parent` default to the
    /// receiver's element and its parent).
    fn log(&mut self, c: C, params: &[(&'static str, &str)]);
}
