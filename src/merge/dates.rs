//! Dates as feeds write them (in RSS, Atom, RDF, CDF, JSON Feed and OPML), read the way
//! Python feedparser reads them: its handlers in its
//! order (W3C-DTF, RFC 822, ISO 8601, asctime, Perforce, Hungarian, Greek, Korean), with
//! what feedparser misreads or refuses read right (12-hour clocks, `GMT+8`, `Month D,
//! YYYY`). Two changes of order: the Korean forms and the article forms of
//! [`crate::dates::parse_written`] (`2020年7月10日 9:52`, `2020/7/10`) come before ISO 8601,
//! whose prefix match would read them as another day. Dates without an offset are UTC, as in
//! feedparser. Every form is a row of the table in `date_tests.rs`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use super::date_forms::{asctime, greek, hungarian, iso8601, korean, month_day_year, perforce};

/// One way of writing dates: the instant, when the text is written that way.
type Handler = fn(&str) -> Option<DateTime<FixedOffset>>;

/// Parses a date written in a feed. `None` when no handler reads it. A date no output format
/// can carry is returned as read: [`super::parse_feed`] refuses it, with a warning, for
/// dates of every format alike.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let handlers: [Handler; 10] = [
        w3dtf,
        rfc822,
        korean,
        |t| crate::dates::parse_written(t).map(|w| w.resolve(chrono_tz::UTC)),
        iso8601,
        asctime,
        perforce,
        hungarian,
        greek,
        month_day_year,
    ];
    handlers.iter().find_map(|h| h(text))
}

/// Zone names and their offsets in hours, feedparser's table (RFC 822's and a few more).
/// A name not in it is UTC, as feedparser reads it.
const ZONES: [(&str, i32); 25] = [
    ("ut", 0),
    ("gmt", 0),
    ("z", 0),
    ("utc", 0),
    ("adt", -3),
    ("ast", -4),
    ("at", -4),
    ("edt", -4),
    ("est", -5),
    ("et", -5),
    ("cdt", -5),
    ("cst", -6),
    ("ct", -6),
    ("mdt", -6),
    ("mst", -7),
    ("mt", -7),
    ("pdt", -7),
    ("pst", -8),
    ("pt", -8),
    ("a", -1),
    ("n", 1),
    ("m", -12),
    ("y", 12),
    ("met", 1),
    ("mest", 2),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The month numbered by the first three letters of `word` (`Jan`, `january`, `JUL.`).
pub(super) fn month(word: &str) -> Option<u32> {
    let head = word.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == head).map(|i| i as u32 + 1)
}

/// A zone name's offset in seconds; unknown names are UTC (feedparser's reading).
pub(super) fn zone_name(name: &str) -> i32 {
    let name = name.to_ascii_lowercase();
    ZONES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, h)| h * 3600)
}

/// Python's `int()` on a string: surrounding white space and a sign allowed, digits only.
pub(super) fn py_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    Some(if s.starts_with('-') { -n } else { n })
}

/// Python's `int(float())`: digits with an optional fraction, truncated.
fn py_int_of_float(s: &str) -> Option<i64> {
    let s = s.trim();
    match s.split_once('.') {
        Some((whole, frac)) if frac.bytes().all(|b| b.is_ascii_digit()) => {
            if whole.is_empty() {
                (!frac.is_empty()).then_some(0)
            } else {
                py_int(whole)
            }
        }
        Some(_) => None,
        None => py_int(s),
    }
}

/// A date and time read in a zone `offset` seconds east of UTC.
pub(super) fn at(
    ymd: (i64, i64, i64),
    hms: (i64, i64, i64),
    offset: i32,
) -> Option<DateTime<FixedOffset>> {
    let small = |n: i64| u32::try_from(n).ok();
    let day = NaiveDate::from_ymd_opt(i32::try_from(ymd.0).ok()?, small(ymd.1)?, small(ymd.2)?)?;
    let time = NaiveTime::from_hms_opt(small(hms.0)?, small(hms.1)?, small(hms.2)?)?;
    let offset = FixedOffset::east_opt(offset)?;
    offset
        .from_local_datetime(&NaiveDateTime::new(day, time))
        .single()
}

/// An offset written `+hh:mm`, `+hhmm` or `+hh`, in seconds.
pub(super) fn numeric_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = text[1..].replace(':', "");
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        _ => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
    };
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// W3C-DTF and its neighbours: `2003-12-31T10:14:55Z`, `2003-12-31`, `2003-12`, `2003`,
/// fractions of seconds, and the MSSQL form `2003-12-31 10:14:55 -08:00`.
pub(super) fn w3dtf(text: &str) -> Option<DateTime<FixedOffset>> {
    let lower = text.to_lowercase();
    // feedparser splits at every `t`, so that a zone name such as `est` spoils the date;
    // only a `t` between digits separates the date from the time here.
    let bytes = lower.as_bytes();
    let separator = (1..bytes.len().saturating_sub(1)).find(|&i| {
        bytes[i] == b't' && bytes[i - 1].is_ascii_digit() && bytes[i + 1].is_ascii_digit()
    });
    let mut parts: Vec<String> = match separator {
        Some(i) => vec![lower[..i].to_string(), lower[i + 1..].to_string()],
        None => lower.split_whitespace().map(str::to_string).collect(),
    };
    if parts.len() == 1 {
        parts.push("00:00:00z".into());
    }
    let mut date: Vec<&str> = parts.first()?.splitn(3, '-').collect();
    if date.first()?.len() != 4 {
        return None;
    }
    date.resize(3, "1");
    let ymd = (py_int(date[0])?, py_int(date[1])?, py_int(date[2])?);
    let mut clock = parts.get(1)?.clone();
    let mut zone = String::new();
    if let Some(bare) = clock.strip_suffix('z') {
        clock = bare.to_string();
        zone = "z".into();
    }
    if let Some(at) = clock.find(['-', '+']) {
        zone = clock[at..].to_string();
        clock.truncate(at);
    }
    // A zone written apart (`10:14:55 -08:00`) is the third part.
    if let Some(apart) = parts.get(2) {
        zone = apart.clone();
    }
    let mut time: Vec<&str> = clock.splitn(3, ':').collect();
    time.resize(3, "0");
    let offset = match zone.as_bytes().first() {
        Some(b'+' | b'-') => numeric_offset(&zone)?,
        _ => zone_name(&zone),
    };
    let hms = (
        py_int_of_float(time[0])?,
        py_int_of_float(time[1])?,
        py_int_of_float(time[2])?,
    );
    at(ymd, hms, offset)
}

/// RFC 822 as feeds write it: the weekday optional, day and month in either order, two-digit
/// years (below 90: 20xx), time and zone optional, the zone a name, `±hhmm`, `±hh:mm`,
/// `GMT±hh:mm` or `Etc/GMT`; a 12-hour clock (`9:52:00 PM`) is read as such.
pub(super) fn rfc822(text: &str) -> Option<DateTime<FixedOffset>> {
    let lower = text.to_lowercase();
    let mut parts: Vec<&str> = lower.split_whitespace().collect();
    if parts.len() < 5 {
        parts.extend(["00:00:00", "0000"]);
    }
    if parts
        .first()
        .is_some_and(|p| p.get(..3).is_some_and(is_weekday))
    {
        parts.remove(0);
    }
    // feedparser gives up on `Wed, 08 May 2024 21:15`: the zone is missing, so UTC.
    if parts.len() == 4 && parts[3].contains(':') {
        parts.push("0000");
    }
    if parts.len() < 5 {
        return None;
    }
    let (day, month_number) = match py_int(parts[0]) {
        Some(day) => (day, month(parts[1])?),
        None => (py_int(parts[1])?, month(parts[0])?),
    };
    let year = py_int(parts[2])?;
    let year = match parts[2].len() {
        0..=2 => year + if year < 90 { 2000 } else { 1900 },
        _ => year,
    };
    let mut time: Vec<&str> = parts[3].split(':').collect();
    if time.len() > 3 {
        return None;
    }
    time.resize(3, "0");
    let (mut hour, minute, second) = (py_int(time[0])?, py_int(time[1])?, py_int(time[2])?);
    let mut zone = parts[4];
    if let Some(half) = ["am", "pm", "a.m.", "p.m."].iter().position(|m| *m == zone) {
        hour = twelve_hour(hour, half % 2 == 1)?;
        zone = parts.get(5).copied().unwrap_or("0000");
    }
    at(
        (year, i64::from(month_number), day),
        (hour, minute, second),
        zone_offset(zone)?,
    )
}

/// A 12-hour clock's hour on the 24-hour clock.
pub(super) fn twelve_hour(hour: i64, pm: bool) -> Option<i64> {
    match (hour, pm) {
        (1..=11, false) => Some(hour),
        (12, false) => Some(0),
        (1..=11, true) => Some(hour + 12),
        (12, true) => Some(12),
        _ => None,
    }
}

/// RFC 822's zone: `Etc/` dropped, `GMT±hh:mm` and `UTC±hh` as offsets, names from
/// [`ZONES`] (others UTC), `±hhmm` and `±hh:mm`.
pub(super) fn zone_offset(zone: &str) -> Option<i32> {
    let zone = zone.strip_prefix("etc/").unwrap_or(zone);
    let zone = ["gmt", "utc", "ut"]
        .iter()
        .find_map(|p| zone.strip_prefix(p).filter(|r| r.starts_with(['+', '-'])))
        .unwrap_or(zone);
    match zone.as_bytes().first() {
        Some(b'+' | b'-') => numeric_offset(zone),
        _ => Some(zone_name(zone)),
    }
}

fn is_weekday(word: &str) -> bool {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(&word)
}
