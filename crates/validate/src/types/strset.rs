//! Fast membership tests for the fixed word lists of the rules.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// FxHash: a quick hash for short keys.
#[derive(Default)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of words, built on first use.
pub struct StrSet(LazyLock<HashSet<&'static str, BuildHasherDefault<Fx>>>);

impl StrSet {
    /// A set over a static list (given as a function returning it).
    pub const fn new(f: fn() -> HashSet<&'static str, BuildHasherDefault<Fx>>) -> Self {
        StrSet(LazyLock::new(f))
    }
    /// Whether `s` is in the set.
    pub fn has(&self, s: &str) -> bool {
        self.0.contains(s)
    }
}

/// Declare `static NAME: StrSet` over a `&[&str]` list.
#[macro_export]
macro_rules! str_set {
    ($name:ident, $list:expr) => {
        static $name: $crate::types::strset::StrSet =
            $crate::types::strset::StrSet::new(|| $list.iter().copied().collect());
    };
}
