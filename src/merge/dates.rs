//! Dates in JSON Feeds and OPML files: RFC 3339 first (as the specs say), then RFC 2822, then
//! a few common near-misses. Anything else is `None`; the caller decides what that means.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// Parses a date written by a feed; dates without an offset are taken as UTC.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(text, format) {
            return n.and_local_timezone(utc).single();
        }
    }
    if let Ok(d) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z") {
        return Some(d);
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    date.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single()
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
