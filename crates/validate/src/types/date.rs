//! Date checks: RFC 822 (RSS), ISO 8601 / W3C-DTF / RFC 3339 (Atom, Dublin Core).

use crate::py_regex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Python `datetime.date(y, m, d)`: `Err` carries Python's message.
pub fn check_date(y: i64, m: i64, d: i64) -> Result<(), &'static str> {
    if !(1..=9999).contains(&y) {
        return Err("year is out of range");
    }
    if !(1..=12).contains(&m) {
        return Err("month must be in 1..12");
    }
    let dim = [
        31,
        if is_leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d < 1 || d > dim[(m - 1) as usize] {
        return Err("day is out of range for month");
    }
    Ok(())
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Outcome of the RFC 822 check of `rfc822.validate`.
#[derive(Debug, PartialEq, Eq)]
pub enum Rfc822 {
    /// Valid and plausible.
    Valid,
    /// Valid but in the future or before 1990.
    Implausible,
    /// The day of week does not match the date (carries the first three characters).
    IncorrectDow(String),
    /// Not a date; carries the value to report.
    Invalid(String),
    /// Accepted only by the loose RFC 822 grammar.
    Problematical,
}

/// Check an RFC 822 date-time as the validator does.
pub fn rfc822(value: &str) -> Rfc822 {
    py_regex!(
        RFC822,
        r"(((mon)|(tue)|(wed)|(thu)|(fri)|(sat)|(sun))\s*,\s*)?\d\d?\s+((jan)|(feb)|(mar)|(apr)|(may)|(jun)|(jul)|(aug)|(sep)|(oct)|(nov)|(dec))\s+\d\d(\d\d)?\s+\d\d:\d\d(:\d\d)?\s+(([+-]\d\d\d\d)|(ut)|(gmt)|(est)|(edt)|(cst)|(cdt)|(mst)|(mdt)|(pst)|(pdt)|[a-ik-z])?$"
    );
    if let Some(f) = strict_2822(value) {
        return judge_2822(value, f);
    }
    let mut v = strip_backslash_pairs(value);
    loop {
        let next = strip_comments_once(&v);
        if next == v {
            break;
        }
        v = next;
    }
    if RFC822.is_match(crate::types::py_strip(&v).to_lowercase().as_str()) {
        Rfc822::Problematical
    } else {
        Rfc822::Invalid(value.to_string())
    }
}

/// Fields of a date matching `rfc2822_re`: day, month, year, h, m, s, zone.
type Fields<'a> = (i64, i64, i64, i64, i64, i64, &'a str);

/// Match `rfc2822_re` (strict RFC 2822 form) by hand.
fn strict_2822(v: &str) -> Option<Fields<'_>> {
    let v = v.strip_suffix('\n').unwrap_or(v);
    let mut s = v;
    if s.len() >= 5
        && s.is_char_boundary(5)
        && ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(&&s[..3])
        && &s[3..5] == ", "
    {
        s = &s[5..];
    }
    let num = |s: &str, n: usize| -> Option<i64> {
        (s.len() >= n && s.as_bytes()[..n].iter().all(u8::is_ascii_digit))
            .then(|| s[..n].parse().ok())
            .flatten()
    };
    let dl = if s.as_bytes().get(1).is_some_and(u8::is_ascii_digit) {
        2
    } else {
        1
    };
    let day = num(s, dl)?;
    s = s[dl..].strip_prefix(' ')?;
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mon = MON.iter().position(|m| s.starts_with(m))? as i64 + 1;
    s = s[3..].strip_prefix(' ')?;
    let year = num(s, 4)?;
    s = s[4..].strip_prefix(' ')?;
    let h = num(s, 2)?;
    s = s[2..].strip_prefix(':')?;
    let m = num(s, 2)?;
    s = &s[2..];
    let mut sec = 0;
    if let Some(r) = s.strip_prefix(':') {
        sec = num(r, 2)?;
        s = &r[2..];
    }
    let zone = s.strip_prefix(' ')?;
    let ok = matches!(
        zone,
        "UT" | "GMT" | "EST" | "EDT" | "CST" | "CDT" | "MST" | "MDT" | "PST" | "PDT" | "Z"
    ) || {
        let d = zone.strip_prefix(['+', '-']).unwrap_or(zone);
        d.len() == 4
            && d.bytes().all(|b| b.is_ascii_digit())
            && matches!(d.as_bytes()[2], b'0' | b'3')
            && d.as_bytes()[3] == b'0'
    };
    ok.then_some((day, mon, year, h, m, sec, zone))
}

fn judge_2822(value: &str, (day, mon, year, h, m, sec, zone): Fields) -> Rfc822 {
    if year > 1900 {
        if let Err(e) = check_date(year, mon, day) {
            return Rfc822::Invalid(e.to_string());
        }
        let dow = DAYS[days_from_civil(year, mon, day).rem_euclid(7) as usize];
        if value.find(',').is_some_and(|i| i > 0)
            && !value.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(dow))
        {
            return Rfc822::IncorrectDow(value.chars().take(3).collect());
        }
    }
    let offset = match zone {
        "UT" | "GMT" | "Z" => 0,
        "EST" | "CDT" => -5 * 3600,
        "EDT" => -4 * 3600,
        "CST" | "MDT" => -6 * 3600,
        "MST" | "PDT" => -7 * 3600,
        "PST" => -8 * 3600,
        z => {
            let (neg, d) = match z.as_bytes().first() {
                Some(b'-') => (true, &z[1..]),
                Some(b'+') => (false, &z[1..]),
                _ => (false, z),
            };
            let n: i64 = d.parse().unwrap_or(0);
            let secs = (n / 100) * 3600 + (n % 100) * 60;
            if neg { -secs } else { secs }
        }
    };
    let stamp = days_from_civil(year, mon, day) * 86400 + h * 3600 + m * 60 + sec - offset;
    if stamp > now() + 600 || year < 1990 {
        Rfc822::Implausible
    } else {
        Rfc822::Valid
    }
}

/// `re.sub(r'[\\](.)', '', v)`.
fn strip_backslash_pairs(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('\n') | None => out.push(c),
                Some(_) => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `re.sub(r'\([^(]*?\)', ' ', v)`.
fn strip_comments_once(v: &str) -> String {
    crate::search_regex!(COMMENT, r"\([^(]*?\)");
    COMMENT.replace_all(v, " ").into_owned()
}

/// Flavours of ISO 8601 checked by the validator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Iso {
    /// `unbounded_iso8601`: no plausibility check.
    Unbounded,
    /// `iso8601`.
    Iso8601,
    /// `w3cdtf`: a time needs a zone.
    W3cdtf,
    /// `rfc3339`: full date-time with zone.
    Rfc3339,
    /// `iso8601_date`: a date only.
    Iso8601Date,
}

/// Outcome of an ISO 8601 family check.
#[derive(Debug, PartialEq, Eq)]
pub enum IsoResult {
    /// Valid (and plausible, when checked).
    Valid,
    /// Does not match; carries the value to report.
    Invalid(String),
    /// Valid but before 1990 or in the future.
    Implausible,
    /// `iso8601_date` got a date-time.
    NotDateOnly,
}

/// Check `value` as the validator's ISO 8601 family does.
pub fn iso8601(kind: Iso, value: &str) -> IsoResult {
    py_regex!(
        ISO,
        r"\d\d\d\d(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d*)?)?(Z|([+-]\d\d:\d\d))?)?)?)?$"
    );
    py_regex!(
        W3C,
        r"\d\d\d\d(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d*)?)?(Z|([+-]\d\d:\d\d)))?)?)?$"
    );
    py_regex!(
        R3339,
        r"\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*)?(Z|([+-]\d\d:\d\d))$"
    );
    py_regex!(DATE, r"\d\d\d\d-\d\d-\d\d$");
    let re = match kind {
        Iso::Unbounded | Iso::Iso8601 | Iso::Iso8601Date => &ISO,
        Iso::W3cdtf => &W3C,
        Iso::Rfc3339 => &R3339,
    };
    if !re.is_match(value) {
        return IsoResult::Invalid(value.to_string());
    }
    let mut work = value.split('T');
    let date = work.next().unwrap_or("");
    let parts: Vec<i64> = date
        .split('-')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect();
    if parts.len() > 2
        && let Err(e) = check_date(parts[0], parts[1], parts[2])
    {
        let e = if parts[0] == 0 {
            "year 0 is out of range"
        } else {
            e
        };
        return IsoResult::Invalid(e.to_string());
    }
    if let Some(t) = work.next() {
        let t = t.split('Z').next().unwrap_or("");
        let t = t.split('+').next().unwrap_or("");
        let t = t.split('-').next().unwrap_or("");
        let f: Vec<&str> = t.split(':').collect();
        let bad = f[0].parse::<i64>().unwrap_or(0) > 23
            || f.get(1).is_some_and(|m| m.parse::<i64>().unwrap_or(0) > 60)
            || f.get(2)
                .is_some_and(|s| s.trim_end_matches('\n').parse::<f64>().unwrap_or(0.0) > 60.0);
        if bad {
            return IsoResult::Invalid(value.to_string());
        }
    }
    if kind == Iso::Unbounded {
        return IsoResult::Valid;
    }
    if implausible_8601(value) {
        return IsoResult::Implausible;
    }
    if kind == Iso::Iso8601Date && !DATE.is_match(value) {
        return IsoResult::NotDateOnly;
    }
    IsoResult::Valid
}

/// `implausible_8601`: string comparison with 1990 and with tomorrow.
fn implausible_8601(value: &str) -> bool {
    if value < "1990-01-01" {
        return true;
    }
    let t = now() + 86400;
    let (y, m, d) = civil_from_days(t.div_euclid(86400));
    let s = t.rem_euclid(86400);
    let tomorrow = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    value > tomorrow.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_table() {
        let cases: &[(&str, Rfc822)] = &[
            ("Mon, 06 Jul 2020 09:52:00 GMT", Rfc822::Valid),
            (
                "Tue, 06 Jul 2020 09:52:00 GMT",
                Rfc822::IncorrectDow("Tue".into()),
            ),
            ("6 Jul 2020 09:52 +0200", Rfc822::Valid),
            (
                "Mon, 31 Feb 2020 09:52:00 GMT",
                Rfc822::Invalid("day is out of range for month".into()),
            ),
            ("2020-07-10 9:52", Rfc822::Invalid("2020-07-10 9:52".into())),
            ("Mon, 6 Jul 20 09:52:00 GMT", Rfc822::Problematical),
            ("Sun, 06 Jul 1980 09:52:00 GMT", Rfc822::Implausible),
            ("Sat, 06 Jul 2999 09:52:00 GMT", Rfc822::Implausible),
        ];
        for (v, want) in cases {
            assert_eq!(&rfc822(v), want, "{v}");
        }
    }

    #[test]
    fn iso_table() {
        let cases: &[(Iso, &str, bool)] = &[
            (Iso::Rfc3339, "2020-07-10T09:52:00Z", true),
            (Iso::Rfc3339, "2020-07-10T09:52Z", false),
            (Iso::Rfc3339, "2020-02-30T09:52:00Z", false),
            (Iso::W3cdtf, "2020-07", true),
            (Iso::W3cdtf, "2020-07-10T09:52", false),
            (Iso::Iso8601, "2020-07-10T24:52", false),
        ];
        for (k, v, ok) in cases {
            assert_eq!(iso8601(*k, v) == IsoResult::Valid, *ok, "{v}");
        }
    }
}

#[cfg(test)]
mod more_tests {
    #[test]
    fn comments_in_dates() {
        let v = "Thu (oh how I hate thursdays), 16(th) Feb(ruary) 2006 01:39 +0000 (GMT r0x0rz)";
        assert_eq!(super::rfc822(v), super::Rfc822::Problematical);
    }
}
