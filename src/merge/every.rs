//! How often a source is due: `every = "30m"` in `[fetch]` or in one `[[merge]]` table,
//! written as a number and a unit (`90s`, `30m`, `2h`, `1d`, or several, such as `1h 30m`).

use std::fmt;
use std::str::FromStr;

use chrono::Duration;
use serde::{Deserialize, Deserializer};

/// The shortest interval accepted: a second.
pub const EVERY_MIN_SECS: u64 = 1;

/// The interval of the fetch workers for a source whose definition gives none.
pub const DEFAULT_EVERY: Every = Every { secs: 3600 };

/// How often a source is due, in whole seconds (at least one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Every {
    secs: u64,
}

/// Why an interval does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{text:?} is not an interval: {why}; write a number and a unit, such as \"30m\", \"2h\" or \"90s\""
)]
pub struct BadEvery {
    /// The text as written.
    pub text: String,
    /// What is wrong with it.
    pub why: String,
}

impl Every {
    /// An interval of `secs` seconds, at least [`EVERY_MIN_SECS`].
    pub fn from_secs(secs: u64) -> Every {
        Every {
            secs: secs.max(EVERY_MIN_SECS),
        }
    }

    /// The interval in seconds.
    pub fn secs(&self) -> u64 {
        self.secs
    }

    /// The interval as a [`Duration`].
    pub fn duration(&self) -> Duration {
        Duration::seconds(i64::try_from(self.secs).unwrap_or(i64::MAX / 1000))
    }
}

impl FromStr for Every {
    type Err = BadEvery;

    fn from_str(text: &str) -> Result<Every, BadEvery> {
        let bad = |why: String| BadEvery {
            text: text.to_owned(),
            why,
        };
        let parsed = humantime::parse_duration(text.trim()).map_err(|e| bad(e.to_string()))?;
        if parsed.subsec_nanos() != 0 || parsed.as_secs() < EVERY_MIN_SECS {
            return Err(bad("give whole seconds, one at least".into()));
        }
        if parsed.as_secs() > 366 * 86_400 {
            return Err(bad("a year at most".into()));
        }
        Ok(Every {
            secs: parsed.as_secs(),
        })
    }
}

impl fmt::Display for Every {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.secs;
        match s {
            _ if s.is_multiple_of(86_400) => write!(f, "{}d", s / 86_400),
            _ if s.is_multiple_of(3600) => write!(f, "{}h", s / 3600),
            _ if s.is_multiple_of(60) => write!(f, "{}m", s / 60),
            _ => write!(f, "{s}s"),
        }
    }
}

impl<'de> Deserialize<'de> for Every {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Every, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_numbers_and_units() {
        let table = [
            ("30m", Some(1800)),
            ("2h", Some(7200)),
            ("90s", Some(90)),
            ("1d", Some(86_400)),
            ("1h 30m", Some(5400)),
            ("1s", Some(1)),
            ("0s", None),
            ("500ms", None),
            ("30", None),
            ("soon", None),
            ("400d", None),
        ];
        for (text, secs) in table {
            assert_eq!(text.parse::<Every>().ok().map(|e| e.secs()), secs, "{text}");
        }
        assert_eq!(Every::from_secs(5400).to_string(), "90m");
        assert_eq!(DEFAULT_EVERY.to_string(), "1h");
    }
}
