//! The table of every date form feeds write, with the instant [`super::dates::parse_date`]
//! reads.
//! A comment on a row says where feedparser reads it otherwise, and why feedloom does not.

use super::dates::parse_date as parse;

#[test]
fn every_feed_date_form() {
    let rows: &[(&str, Option<&str>)] = &[
        // W3C-DTF and RFC 3339.
        ("2003-12-31T10:14:55Z", Some("2003-12-31T10:14:55+00:00")),
        (
            "2003-12-31T10:14:55.123-08:00",
            Some("2003-12-31T10:14:55-08:00"),
        ),
        (
            "2003-12-31t10:14:55+0800",
            Some("2003-12-31T10:14:55+08:00"),
        ),
        ("2003-12-31T10:14Z", Some("2003-12-31T10:14:00+00:00")),
        ("2003-12-31T10:14:55", Some("2003-12-31T10:14:55+00:00")),
        ("2003-12-31", Some("2003-12-31T00:00:00+00:00")),
        ("2003-12", Some("2003-12-01T00:00:00+00:00")),
        ("2003", Some("2003-01-01T00:00:00+00:00")),
        ("2003-12-31 10:14:55", Some("2003-12-31T10:14:55+00:00")),
        (
            "2003-12-31 10:14:55 -08:00",
            Some("2003-12-31T10:14:55-08:00"),
        ),
        // feedparser splits at the `t` of `EST`, then reads the day alone.
        ("2003-12-31 10:14:55 EST", Some("2003-12-31T10:14:55-05:00")),
        // feedparser drops the minutes of `-0830` (it reads `-08:00`).
        (
            "2003-12-31T10:14:55-0830",
            Some("2003-12-31T10:14:55-08:30"),
        ),
        // RFC 822 and its near misses.
        (
            "Fri, 10 Jul 2020 09:52:00 +0800",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        (
            "Fri 10 Jul 2020 09:52:00 +0800",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        (
            "10 Jul 2020 09:52:00 GMT",
            Some("2020-07-10T09:52:00+00:00"),
        ),
        (
            "Fri, 10 July 2020 09:52:00 EDT",
            Some("2020-07-10T09:52:00-04:00"),
        ),
        (
            "Fri, Jul 10 2020 09:52:00 PST",
            Some("2020-07-10T09:52:00-08:00"),
        ),
        (
            "Fri, 10 Jul 2020 09:52 +08:00",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        (
            "Fri, 10 Jul 2020 09:52:00 GMT+08:00",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        (
            "Fri, 10 Jul 2020 09:52:00 Etc/GMT",
            Some("2020-07-10T09:52:00+00:00"),
        ),
        (
            "Thu, 01 Jan 04 19:48:21 GMT",
            Some("2004-01-01T19:48:21+00:00"),
        ),
        (
            "Thu, 01 Jan 99 19:48:21 GMT",
            Some("1999-01-01T19:48:21+00:00"),
        ),
        ("10 Jul 2020", Some("2020-07-10T00:00:00+00:00")),
        // feedparser refuses a weekday with a time and no zone.
        ("Wed, 08 May 2024 21:15", Some("2024-05-08T21:15:00+00:00")),
        ("Fri, 10 Jul 2020", Some("2020-07-10T00:00:00+00:00")),
        ("Jul 10 2020", Some("2020-07-10T00:00:00+00:00")),
        ("10 Jul 2020 9:52 MEST", Some("2020-07-10T09:52:00+02:00")),
        // A zone name feedparser does not know is UTC, as feedparser reads it.
        (
            "Fri, 10 Jul 2020 09:52:00 CEST",
            Some("2020-07-10T09:52:00+00:00"),
        ),
        // feedparser reads `PM` as an unknown zone name (UTC) and keeps 09:52.
        (
            "Fri, 10 Jul 2020 09:52:00 PM +0800",
            Some("2020-07-10T21:52:00+08:00"),
        ),
        // Here feedparser keeps 12:05 and reads `am` as a zone.
        (
            "10 Jul 2020 12:05 am EST",
            Some("2020-07-10T00:05:00-05:00"),
        ),
        // feedparser refuses `GMT+8` and reads `+800` as eighty hours.
        (
            "Fri, 10 Jul 2020 09:52:00 GMT+8",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        (
            "Fri, 10 Jul 2020 09:52:00 +800",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        // ISO 8601's compact and ordinal forms.
        ("20040105", Some("2004-01-05T00:00:00+00:00")),
        ("20040105T10:11:12Z", Some("2004-01-05T10:11:12+00:00")),
        ("2004-005", Some("2004-05-01T00:00:00+00:00")),
        ("040105", Some("2004-01-05T00:00:00+00:00")),
        // asctime, Perforce, Hungarian, Greek, Korean.
        (
            "Sun Jan  4 16:29:06 PST 2004",
            Some("2004-01-04T16:29:06-08:00"),
        ),
        (
            "Sun Jan  4 16:29:06 2004",
            Some("2004-01-04T16:29:06+00:00"),
        ),
        (
            "Fri, 2006/09/15 08:19:53 EDT",
            Some("2006-09-15T08:19:53-04:00"),
        ),
        // feedparser reads the Hungarian form as another day (ISO 8601 comes first there).
        (
            "2004-július-13T9:15-05:00",
            Some("2004-07-13T09:15:00-05:00"),
        ),
        (
            "Κυρ, 11 Ιούλ 2004 12:00:00 EST",
            Some("2004-07-11T12:00:00-05:00"),
        ),
        // feedparser reads both Korean forms as another day (ISO 8601 comes first there).
        (
            "2004년 05월 28일 01:31:15",
            Some("2004-05-28T01:31:15+09:00"),
        ),
        (
            "2004-05-25 오후 11:23:17",
            Some("2004-05-25T23:23:17+09:00"),
        ),
        // What feedparser refuses or completes from today's date.
        ("July 10, 2020", Some("2020-07-10T00:00:00+00:00")),
        (
            "Friday, July 10, 2020 9:52 PM EST",
            Some("2020-07-10T21:52:00-05:00"),
        ),
        (
            "Jul 10th, 2020 at 09:52 +0800",
            Some("2020-07-10T09:52:00+08:00"),
        ),
        ("2020年07月10日 9:52", Some("2020-07-10T09:52:00+00:00")),
        ("2020/07/10", Some("2020-07-10T00:00:00+00:00")),
        ("2004 garbage", None),
        ("200401", Some("2020-04-01T00:00:00+00:00")),
        // Not dates.
        ("", None),
        ("yesterday", None),
        ("31 Foo 2020", None),
        ("Fri, 32 Jul 2020 09:52:00 GMT", None),
        // feedparser carries the thirteenth month into the next year.
        ("2003-13-31", None),
        // feedparser carries the 25th hour into the next day; the article forms keep the day.
        ("2003-12-31T25:00:00Z", Some("2003-12-31T00:00:00+00:00")),
        ("\u{1F600}\u{1F600}\u{1F600}", None),
    ];
    for (text, want) in rows {
        let got = parse(text).map(|d| d.to_rfc3339());
        assert_eq!(got.as_deref(), *want, "input {text:?}");
    }
}

#[test]
fn never_panics_on_odd_text() {
    for text in [
        "-",
        "+",
        "t",
        "T",
        "::",
        "2003-",
        "2003--",
        "Fri,",
        "1 2 3 4 5",
        "a:b:c:d",
        "2004-ö-13T9:15-05:00",
        "Κυρ, 11 Ιούλ",
        "99999999999999999999",
        "-9999-01-01",
        "Fri, 10 Jul 99999 09:52:00 GMT",
        "10 Jul 2020 99:99:99 +9999",
    ] {
        let _ = parse(text);
    }
}

#[test]
fn json_and_opml_dates() {
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
            parse(input).map(|d| d.to_rfc3339()),
            want.map(str::to_string),
            "{input}"
        );
    }
}
