//! Dates in JSON Feeds and OPML files, read by the crate's one date parser
//! ([`crate::dates`]): RFC 3339, RFC 2822 and the usual near-misses. Anything else is
//! `None`; the caller decides what that means.

use chrono::{DateTime, FixedOffset};

use crate::dates::DateError;

/// Parses a date written by a feed; dates without an offset are taken as UTC. A date no
/// output format can carry is returned as read: [`super::parse_feed`] refuses it, with a
/// warning, for dates of every format alike.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    match crate::dates::parse(text, chrono_tz::UTC) {
        Ok(date) | Err(DateError::OutOfRange(date)) => Some(date),
        Err(DateError::Unreadable) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_table() {
        let cases = [
            (
                "2020-07-10T09:52:00+08:00",
                Some("2020-07-10T09:52:00+08:00"),
            ),
            (
                "Fri, 10 Jul 2020 09:52:00 +0800",
                Some("2020-07-10T09:52:00+08:00"),
            ),
            (
                "Fri, 10 Jul 2020 01:52:00 GMT",
                Some("2020-07-10T01:52:00+00:00"),
            ),
            ("2020-07-10 09:52:00", Some("2020-07-10T09:52:00+00:00")),
            ("2020-07-10", Some("2020-07-10T00:00:00+00:00")),
            ("yesterday", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_date(input).map(|d| d.to_rfc3339()),
                want.map(str::to_string),
                "{input}"
            );
        }
    }
}
