//! Every date form feedloom accepts, in one place.
//!
//! Forms with an offset (RFC 3339 / ISO 8601, RFC 2822) keep it. Forms without one
//! (`2020年07月10日 9:52`, `2020-07-10 09:52:00`, `2020/7/10`, `2020.07.10`) are read in the
//! feed's time zone; a date without a time means midnight there.

use std::sync::OnceLock;

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike,
};
use chrono_tz::Tz;
use regex::Regex;

/// The time zone used when neither the feed definition nor the command line names one.
pub const DEFAULT_TIMEZONE: Tz = chrono_tz::UTC;

/// A date as written, before a time zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrittenDate {
    /// The text carried its own offset.
    Fixed(DateTime<FixedOffset>),
    /// A wall-clock date and time with no offset.
    Local(NaiveDateTime),
    /// A calendar date alone.
    Day(NaiveDate),
}

impl WrittenDate {
    /// Resolves the date in `tz` (dates without an offset are wall-clock time there; a day
    /// alone is midnight). A wall-clock time that does not exist (a daylight-saving gap) moves
    /// forward by the gap; an ambiguous one takes the earlier instant.
    pub fn resolve(self, tz: Tz) -> DateTime<FixedOffset> {
        let naive = match self {
            WrittenDate::Fixed(dt) => return dt,
            WrittenDate::Local(naive) => naive,
            WrittenDate::Day(day) => day.and_time(NaiveTime::MIN),
        };
        local_to_fixed(tz, naive)
    }
}

fn local_to_fixed(tz: Tz, naive: NaiveDateTime) -> DateTime<FixedOffset> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => dt.fixed_offset(),
        LocalResult::Ambiguous(early, _) => early.fixed_offset(),
        LocalResult::None => {
            // Inside a gap: step forward minute by minute (gaps are at most a few hours).
            let mut probe = naive;
            for _ in 0..(24 * 60) {
                probe += chrono::Duration::minutes(1);
                if let Some(dt) = tz.from_local_datetime(&probe).earliest() {
                    return dt.fixed_offset();
                }
            }
            chrono::Utc.from_utc_datetime(&naive).fixed_offset()
        }
    }
}

/// The first year every output format can carry: RFC 5322 dates (RSS `pubDate`) must not be
/// earlier than 1900.
pub const FIRST_YEAR: i32 = 1900;

/// The last year every output format can carry: RFC 3339 (Atom, JSON Feed) and RFC 5322
/// years have four digits.
pub const LAST_YEAR: i32 = 9999;

/// Why a text gave no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is in no form feedloom reads.
    #[error("not a date feedloom can read")]
    Unreadable,
    /// The text is a date, but one no feed format can carry (see [`representable`]).
    #[error(
        "{} is outside the years {FIRST_YEAR}-{LAST_YEAR} that RSS, Atom and JSON Feed can carry",
        .0.to_rfc3339()
    )]
    OutOfRange(DateTime<FixedOffset>),
}

/// Whether every output format can carry `date`: its year is between [`FIRST_YEAR`] and
/// [`LAST_YEAR`] both in its own offset and in UTC (RSS writes some offsets as UTC).
pub fn representable(date: DateTime<FixedOffset>) -> bool {
    let years = FIRST_YEAR..=LAST_YEAR;
    years.contains(&date.year()) && years.contains(&date.naive_utc().year())
}

/// `date` when every output format can carry it, else [`DateError::OutOfRange`].
pub fn in_range(date: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, DateError> {
    match representable(date) {
        true => Ok(date),
        false => Err(DateError::OutOfRange(date)),
    }
}

/// Parses a date in any accepted form and resolves it in `tz`. A date no output format can
/// carry (year 0, year 10000) is refused, so that no entry is ever given one.
pub fn parse(text: &str, tz: Tz) -> Result<DateTime<FixedOffset>, DateError> {
    let written = parse_written(text).ok_or(DateError::Unreadable)?;
    in_range(written.resolve(tz))
}

/// Parses a date in any accepted form, keeping whether it carried an offset.
pub fn parse_written(text: &str) -> Option<WrittenDate> {
    let text = text.trim().trim_matches('\u{a0}').trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(WrittenDate::Fixed(dt));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some(WrittenDate::Fixed(dt));
    }
    if let Some(dt) = parse_iso_variants(text) {
        return Some(dt);
    }
    let found = find(text)?;
    // The whole text must be the date (trailing weekday or zone words aside).
    (found.start == 0).then_some(found.date)
}

/// A date found inside a longer text, with the byte range it covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The date.
    pub date: WrittenDate,
    /// Byte offset where the date starts.
    pub start: usize,
    /// Byte offset just past the date (and its time, if any).
    pub end: usize,
}

/// Finds the first numeric date (`2020年07月10日 9:52`, `2020-07-10 09:52:00`,
/// `2020/7/10`, `2020.07.10`) in a line of text.
pub fn find(text: &str) -> Option<Found> {
    for caps in numeric_date_re().captures_iter(text) {
        let whole = caps.get(0)?;
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let year = caps.name("y").and_then(|m| m.as_str().parse::<i32>().ok());
        let month = num("m").or_else(|| num("m2"));
        let day_of_month = num("d").or_else(|| num("d2"));
        let (Some(y), Some(m), Some(d)) = (year, month, day_of_month) else {
            continue;
        };
        let Some(day) = NaiveDate::from_ymd_opt(y, m, d) else {
            continue;
        };
        let date = match (num("hh"), num("mm")) {
            (Some(hh), Some(mm)) => {
                let ss = num("ss").unwrap_or(0);
                let offset = caps.name("off").and_then(|m| parse_offset(m.as_str()));
                match (NaiveTime::from_hms_opt(hh, mm, ss), offset) {
                    (Some(t), Some(off)) => match off.from_local_datetime(&day.and_time(t)) {
                        LocalResult::Single(dt) => WrittenDate::Fixed(dt),
                        _ => WrittenDate::Local(day.and_time(t)),
                    },
                    (Some(t), None) => WrittenDate::Local(day.and_time(t)),
                    (None, _) => WrittenDate::Day(day),
                }
            }
            _ => WrittenDate::Day(day),
        };
        let end = match date {
            WrittenDate::Day(_) => caps.name("d").or(caps.name("d2")).map_or(whole.end(), |m| {
                // Include a trailing 日 in the covered range.
                let rest = &text[m.end()..];
                m.end() + rest.strip_prefix('日').map_or(0, |_| '日'.len_utf8())
            }),
            _ => whole.end(),
        };
        return Some(Found {
            date,
            start: whole.start(),
            end,
        });
    }
    None
}

/// Reads `Z`, `+08:00` or `+0800` as an offset.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    if text == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

fn numeric_date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?P<y>(?:19|20)\d{2})
            (?:
                年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?
              | [-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})
            )
            (?:
                (?:T|\s*)
                (?P<hh>\d{1,2})\s*[:：时]\s*(?P<mm>\d{2})
                (?:\s*[:：分]\s*(?P<ss>\d{2}))?
                (?:\s*秒)?
                (?:\.\d+)?
                (?P<off>Z|\s?[+-]\d{2}:?\d{2})?
            )?",
        )
        .expect("the date pattern is valid")
    })
}

/// ISO 8601 forms RFC 3339 parsing refuses: a space instead of `T`, no seconds, `+0800`
/// offsets, or no offset at all.
fn parse_iso_variants(text: &str) -> Option<WrittenDate> {
    const WITH_OFFSET: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M%z",
    ];
    let spaced = text.replace(" +", "+").replace(" -", "-");
    let normalised = spaced
        .strip_suffix('Z')
        .map_or(spaced.clone(), |s| s.to_owned() + "+0000");
    for form in WITH_OFFSET {
        if let Ok(dt) = DateTime::parse_from_str(&normalised, form) {
            return Some(WrittenDate::Fixed(dt));
        }
    }
    const LOCAL: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"];
    for form in LOCAL {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, form) {
            return Some(WrittenDate::Local(dt.with_nanosecond(0).unwrap_or(dt)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn every_accepted_form() {
        let rows: &[(&str, &str)] = &[
            ("2020年07月10日 9:52", "2020-07-10T09:52:00+08:00"),
            ("2020年7月10日", "2020-07-10T00:00:00+08:00"),
            ("2020年07月10日09:52", "2020-07-10T09:52:00+08:00"),
            ("2020年7月10日 09时52分", "2020-07-10T09:52:00+08:00"),
            ("2020-07-10 09:52:00", "2020-07-10T09:52:00+08:00"),
            ("2020-07-10 09:52", "2020-07-10T09:52:00+08:00"),
            ("2020/7/10", "2020-07-10T00:00:00+08:00"),
            ("2020/07/10 21:05", "2020-07-10T21:05:00+08:00"),
            ("2020.07.10", "2020-07-10T00:00:00+08:00"),
            ("2020-07-10", "2020-07-10T00:00:00+08:00"),
            ("2020-07-10T09:52:00+02:00", "2020-07-10T09:52:00+02:00"),
            ("2020-07-10T01:52:00Z", "2020-07-10T01:52:00+00:00"),
            ("2020-07-10T09:52:00", "2020-07-10T09:52:00+08:00"),
            ("2020-07-10 09:52:00 +0800", "2020-07-10T09:52:00+08:00"),
            ("2020-07-10T09:52+08:00", "2020-07-10T09:52:00+08:00"),
            (
                "Fri, 10 Jul 2020 09:52:00 +0800",
                "2020-07-10T09:52:00+08:00",
            ),
            ("Fri, 10 Jul 2020 01:52:00 GMT", "2020-07-10T01:52:00+00:00"),
        ];
        for (text, want) in rows {
            let got = parse(text, SHANGHAI).map(|d| d.to_rfc3339());
            assert_eq!(got.as_deref(), Ok(*want), "input {text:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "",
            "yesterday",
            "2020年13月40日",
            "1357次浏览",
            "07/10/2020x",
        ] {
            assert_eq!(
                parse(text, SHANGHAI),
                Err(DateError::Unreadable),
                "input {text:?}"
            );
        }
    }

    #[test]
    fn refuses_dates_no_format_can_carry() {
        let rows = [
            ("0000-01-01T00:00:00+00:15", false),
            ("0001-01-01T00:00:00Z", false),
            ("1899-12-31T23:59:59Z", false),
            // In its own offset 1900, in UTC still 1899: RSS may write it in UTC.
            ("1900-01-01T00:00:00+00:15", false),
            ("1900-01-01T00:00:00Z", true),
            ("9999-12-31T23:59:59Z", true),
            // In UTC already the year 10000.
            ("9999-12-31T23:59:59-12:00", false),
        ];
        for (text, ok) in rows {
            let got = parse(text, SHANGHAI);
            assert_eq!(got.is_ok(), ok, "input {text:?}: {got:?}");
            if !ok {
                assert!(matches!(got, Err(DateError::OutOfRange(_))), "{text}");
            }
        }
        let late = parse("9999-12-31T23:00:00", chrono_tz::America::New_York);
        assert!(matches!(late, Err(DateError::OutOfRange(_))), "{late:?}");
    }

    #[test]
    fn finds_a_date_inside_a_meta_line() {
        let line = "2020年07月10日 9:52 1357次浏览 来源:   分类: 学习进行时";
        let found = find(line).unwrap();
        assert_eq!(found.start, 0);
        assert_eq!(&line[found.end..], " 1357次浏览 来源:   分类: 学习进行时");
        let with_offset = "Published: 2023-01-09T08:00:00+08:00 | By: Jane";
        let found = find(with_offset).unwrap();
        assert_eq!(&with_offset[found.end..], " | By: Jane");
        assert_eq!(
            found.date.resolve(chrono_tz::UTC).to_rfc3339(),
            "2023-01-09T08:00:00+08:00"
        );
        let date_only = "发布时间:2021年3月5日 来源:新华社";
        let found = find(date_only).unwrap();
        assert_eq!(&date_only[found.end..], " 来源:新华社");
    }

    #[test]
    fn daylight_saving_gap_and_overlap() {
        let ny = chrono_tz::America::New_York;
        // 02:30 on 2021-03-14 does not exist in New York: it becomes 03:00 EDT.
        let gap = parse("2021-03-14 02:30", ny).unwrap();
        assert_eq!(gap.to_rfc3339(), "2021-03-14T03:00:00-04:00");
        // 01:30 on 2021-11-07 happens twice: the earlier (EDT) instant is taken.
        let overlap = parse("2021-11-07 01:30", ny).unwrap();
        assert_eq!(overlap.to_rfc3339(), "2021-11-07T01:30:00-04:00");
    }
}
