//! The rarer date forms of [`super::dates`]: feedparser's ISO 8601, asctime, Perforce,
//! Hungarian, Greek and Korean handlers, and `Month D, YYYY` (which feedparser refuses).
//! ISO 8601 forms that feedparser completes from today's date (`2004`, `--05-28`) are
//! refused: a date read from a feed never depends on the clock.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use regex::{Captures, Regex};

use super::dates::{at, month, numeric_offset, py_int, rfc822, twelve_hour, w3dtf, zone_offset};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid date pattern")
}

static ISO8601: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let time = r"(?:T?(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?(?P<tz>[+-](?P<tzhour>\d{2})(?::?(?P<tzmin>\d{2}))?|Z)?)?";
    [
        r"(?P<year>\d{4})-?(?P<month>[01]\d)-?(?P<day>[0123]\d)",
        r"(?P<year>\d{4})-(?P<month>[01]\d)",
        r"(?P<year>\d{4})-?(?P<ordinal>[0123]\d\d)",
        r"(?P<year>\d\d)-?(?P<month>[01]\d)-?(?P<day>[0123]\d)",
        r"(?P<year>\d\d)-?(?P<ordinal>[0123]\d\d)",
    ]
    .iter()
    .map(|date| re(&format!("^{date}{time}")))
    .collect()
});

/// ISO 8601's compact and ordinal forms: `20040105`, `2004-005`, `040105T10:00Z`; a
/// two-digit year is in the 2000s.
pub(super) fn iso8601(text: &str) -> Option<DateTime<FixedOffset>> {
    let caps = ISO8601.iter().find_map(|r| r.captures(text))?;
    let num = |name: &str| caps.name(name).and_then(|m| py_int(m.as_str()));
    let year = num("year")?;
    let year = if caps["year"].len() == 2 {
        2000 + year
    } else {
        year
    };
    let (month, day) = match num("ordinal") {
        Some(ordinal) => {
            let date = chrono::NaiveDate::from_yo_opt(i32::try_from(year).ok()?, ordinal as u32)?;
            (
                i64::from(chrono::Datelike::month(&date)),
                i64::from(chrono::Datelike::day(&date)),
            )
        }
        None => (num("month")?, num("day").unwrap_or(1)),
    };
    let hms = (
        num("hour").unwrap_or(0),
        num("minute").unwrap_or(0),
        num("second").unwrap_or(0),
    );
    let offset = match caps.name("tz").map(|m| m.as_str()) {
        None | Some("Z") => 0,
        Some(tz) => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            let minutes = num("tzhour").unwrap_or(0) * 60 + num("tzmin").unwrap_or(0);
            sign * i32::try_from(minutes * 60).ok()?
        }
    };
    at((year, month, day), hms, offset)
}

/// asctime: `Sun Jan  4 16:29:06 PST 2004`, or without the zone (UTC).
pub(super) fn asctime(text: &str) -> Option<DateTime<FixedOffset>> {
    let mut parts: Vec<&str> = text.split_whitespace().collect();
    if parts.len() == 5 {
        parts.insert(4, "+0000");
    }
    if parts.len() != 6 {
        return None;
    }
    let [weekday, month, day, time, zone, year] = parts[..] else {
        return None;
    };
    rfc822(&format!("{weekday} {day} {month} {year} {time} {zone}"))
}

static PERFORCE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(\w{0,3}), (\d{0,4})/(\d{0,2})/(\d{2}) (\d{0,2}):(\d{2}):(\d{2}) (\w{0,3})")
});

/// Perforce: `Fri, 2006/09/15 08:19:53 EDT`.
pub(super) fn perforce(text: &str) -> Option<DateTime<FixedOffset>> {
    let c = PERFORCE.captures(text)?;
    let n = |i: usize| py_int(&c[i]);
    let offset = zone_offset(&c[8].to_ascii_lowercase())?;
    at((n(2)?, n(3)?, n(4)?), (n(5)?, n(6)?, n(7)?), offset)
}

const HUNGARIAN_MONTHS: [&str; 12] = [
    "január",
    "februári",
    "március",
    "április",
    "máujus",
    "június",
    "július",
    "augusztus",
    "szeptember",
    "október",
    "november",
    "december",
];

static HUNGARIAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{4})-([^-]+)-(\d{0,2})T(\d{0,2}):(\d{2})([+-](\d{0,2}:\d{2}))"));

/// Hungarian month names: `2004-július-13T9:15-05:00`.
pub(super) fn hungarian(text: &str) -> Option<DateTime<FixedOffset>> {
    let c = HUNGARIAN.captures(text)?;
    let month = HUNGARIAN_MONTHS.iter().position(|m| *m == &c[2])? + 1;
    w3dtf(&format!(
        "{}-{month:02}-{:0>2}T{:0>2}:{}{}",
        &c[1], &c[3], &c[4], &c[5], &c[6]
    ))
}

const GREEK_MONTHS: [(&str, &str); 19] = [
    ("Ιαν", "Jan"),
    ("Φεβ", "Feb"),
    ("Μάώ", "Mar"),
    ("Μαώ", "Mar"),
    ("Απρ", "Apr"),
    ("Μάι", "May"),
    ("Μαϊ", "May"),
    ("Μαι", "May"),
    ("Ιούν", "Jun"),
    ("Ιον", "Jun"),
    ("Ιούλ", "Jul"),
    ("Ιολ", "Jul"),
    ("Αύγ", "Aug"),
    ("Αυγ", "Aug"),
    ("Σεπ", "Sep"),
    ("Οκτ", "Oct"),
    ("Νοέ", "Nov"),
    ("Νοε", "Nov"),
    ("Δεκ", "Dec"),
];

const GREEK_WEEKDAYS: [&str; 7] = ["Κυρ", "Δευ", "Τρι", "Τετ", "Πεμ", "Παρ", "Σαβ"];

static GREEK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^([^,]+),\s+(\d{2})\s+(\S+)\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+(\S+)")
});

/// Greek names of days and months: `Κυρ, 11 Ιούλ 2004 12:00:00 EST`.
pub(super) fn greek(text: &str) -> Option<DateTime<FixedOffset>> {
    let c = GREEK.captures(text)?;
    GREEK_WEEKDAYS.contains(&&c[1]).then_some(())?;
    let month = GREEK_MONTHS.iter().find(|(g, _)| *g == &c[3])?.1;
    rfc822(&format!(
        "{} {month} {} {}:{}:{} {}",
        &c[2], &c[4], &c[5], &c[6], &c[7], &c[8]
    ))
}

static ONBLOG: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{4})년\s+(\d{2})월\s+(\d{2})일\s+(\d{2}):(\d{2}):(\d{2})"));
static NATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d{4})-(\d{2})-(\d{2})\s+(오전|오후)\s+(\d{0,2}):(\d{0,2}):(\d{0,2})"));

/// The two Korean forms, in Korea's time (+09:00): `2004년 05월 28일 01:31:15` and
/// `2004-05-25 오후 11:23:17` (오후: afternoon).
pub(super) fn korean(text: &str) -> Option<DateTime<FixedOffset>> {
    let korea = 9 * 3600;
    if let Some(c) = ONBLOG.captures(text) {
        let n = |i: usize| py_int(&c[i]);
        return at((n(1)?, n(2)?, n(3)?), (n(4)?, n(5)?, n(6)?), korea);
    }
    let c = NATE.captures(text)?;
    let n = |i: usize| py_int(&c[i]);
    let hour = twelve_hour(n(5)?, &c[4] == "오후")?;
    at((n(1)?, n(2)?, n(3)?), (hour, n(6)?, n(7)?), korea)
}

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)^
        (?:[a-z]+\.?,?\s+)??                  # a weekday
        (?P<month>[a-z]{3,})\.?\s+
        (?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+
        (?P<year>\d{4})
        (?:,?\s+(?:at\s+)?
           (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
           (?:\s*(?P<half>[ap])\.?m\.?)?
        )?
        (?:\s+(?P<zone>[a-z]+|[+-]\d{2}:?\d{2}|(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?))?
        \s*$")
});

/// `July 10, 2020`, `Fri, Jul 10, 2020 9:52 PM EST`, `July 10th, 2020 at 09:52`.
pub(super) fn month_day_year(text: &str) -> Option<DateTime<FixedOffset>> {
    let c: Captures<'_> = MONTH_DAY_YEAR.captures(text)?;
    let num = |name: &str| c.name(name).and_then(|m| py_int(m.as_str()));
    let month = month(&c["month"])?;
    let mut hour = num("hour").unwrap_or(0);
    if let Some(half) = c.name("half") {
        hour = twelve_hour(hour, half.as_str().eq_ignore_ascii_case("p"))?;
    }
    let offset = match c.name("zone").map(|z| z.as_str().to_ascii_lowercase()) {
        Some(zone) if zone.starts_with(['+', '-']) => numeric_offset(&zone)?,
        Some(zone) => zone_offset(&zone)?,
        None => 0,
    };
    at(
        (num("year")?, i64::from(month), num("day")?),
        (hour, num("minute").unwrap_or(0), num("second").unwrap_or(0)),
        offset,
    )
}
