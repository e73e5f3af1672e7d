//! The polling rules as tables: freshness headers, `Retry-After` forms, backoff, and the
//! schedule through successes and failures.

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test date")
        .to_utc()
}

const NOW: &str = "2024-01-01T00:00:00Z";

#[test]
fn freshness_comes_from_max_age_then_expires_and_is_capped() {
    let headers =
        |cc: Option<&str>, expires: Option<&str>, date: Option<&str>, age: Option<&str>| {
            CacheHeaders {
                cache_control: cc.map(str::to_owned),
                expires: expires.map(str::to_owned),
                date: date.map(str::to_owned),
                age: age.map(str::to_owned),
            }
        };
    let rows: &[(CacheHeaders, Option<&str>)] = &[
        (
            headers(Some("max-age=600"), None, None, None),
            Some("2024-01-01T00:10:00Z"),
        ),
        (
            headers(Some("public, MAX-AGE=\"600\""), None, None, None),
            Some("2024-01-01T00:10:00Z"),
        ),
        (
            headers(Some("max-age=600"), None, None, Some("100")),
            Some("2024-01-01T00:08:20Z"),
        ),
        (headers(Some("max-age=600"), None, None, Some("900")), None),
        (
            headers(Some("max-age=31536000"), None, None, None),
            Some("2024-01-01T06:00:00Z"),
        ),
        (headers(Some("max-age=0"), None, None, None), None),
        (headers(Some("max-age=soon"), None, None, None), None),
        (
            headers(Some("no-cache, max-age=600"), None, None, None),
            None,
        ),
        (
            headers(Some("max-age=600, no-store"), None, None, None),
            None,
        ),
        (
            headers(
                Some("max-age=60"),
                Some("Mon, 01 Jan 2024 01:00:00 GMT"),
                None,
                None,
            ),
            Some("2024-01-01T00:01:00Z"),
        ),
        (
            headers(
                None,
                Some("Mon, 01 Jan 2024 01:00:00 GMT"),
                Some("Mon, 01 Jan 2024 00:30:00 GMT"),
                None,
            ),
            Some("2024-01-01T00:30:00Z"),
        ),
        (
            headers(None, Some("Mon, 01 Jan 2024 00:20:00 GMT"), None, None),
            Some("2024-01-01T00:20:00Z"),
        ),
        (
            headers(None, Some("Monday, 01-Jan-24 00:20:00 GMT"), None, None),
            Some("2024-01-01T00:20:00Z"),
        ),
        (headers(None, Some("0"), None, None), None),
        (
            headers(None, Some("Sun, 31 Dec 2023 23:00:00 GMT"), None, None),
            None,
        ),
        (headers(Some("private"), None, None, None), None),
        (headers(None, None, None, None), None),
    ];
    for (headers, want) in rows {
        assert_eq!(headers.fresh_until(at(NOW)), want.map(at), "{headers:?}");
    }
}

#[test]
fn retry_after_is_seconds_or_an_http_date_and_is_capped() {
    let rows: &[(&str, Option<&str>)] = &[
        ("120", Some("2024-01-01T00:02:00Z")),
        (" 0 ", Some(NOW)),
        (
            "Mon, 01 Jan 2024 02:00:00 GMT",
            Some("2024-01-01T02:00:00Z"),
        ),
        (
            "Sun, 31 Dec 2023 22:00:00 GMT",
            Some("2023-12-31T22:00:00Z"),
        ),
        ("99999999999999999999", None),
        ("86400000", Some("2024-01-08T00:00:00Z")),
        (
            "Mon, 01 Jan 2035 00:00:00 GMT",
            Some("2024-01-08T00:00:00Z"),
        ),
        ("-5", None),
        ("soon", None),
    ];
    for (text, want) in rows {
        let got = RetryAfter::parse(text).map(|r| r.until(at(NOW)));
        assert_eq!(got, want.map(at), "{text:?}");
    }
}

#[test]
fn backoff_doubles_from_five_minutes_up_to_a_day() {
    let minutes: Vec<i64> = (1..=11).map(|n| backoff(n).num_minutes()).collect();
    assert_eq!(
        minutes,
        [5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440]
    );
    assert_eq!(backoff(u32::MAX), BACKOFF_CAP);
}

#[test]
fn the_schedule_follows_failures_waits_and_successes() {
    let now = at(NOW);
    let first = FetchSchedule::failed(None, now, None);
    assert_eq!(first.failures, 1);
    assert_eq!(first.next_fetch(), at("2024-01-01T00:05:00Z"));
    assert_eq!(
        first
            .wait(at("2024-01-01T00:04:59Z"))
            .map(|w| w.to_string())
            .as_deref(),
        Some("not fetched: 1 failed fetches in a row; next try after 2024-01-01T00:05:00Z")
    );
    assert_eq!(first.wait(at("2024-01-01T00:05:00Z")), None);

    let later = at("2024-01-01T00:06:00Z");
    let second = FetchSchedule::failed(Some(&first), later, None);
    assert_eq!(
        (second.failures, second.next_fetch()),
        (2, at("2024-01-01T00:16:00Z"))
    );

    let asked = FetchSchedule::failed(Some(&second), later, Some(at("2024-01-01T02:00:00Z")));
    assert_eq!(
        asked.wait(later),
        Some(Wait::Asked {
            until: at("2024-01-01T02:00:00Z")
        })
    );
    let short = FetchSchedule::failed(None, now, Some(at("2024-01-01T00:02:00Z")));
    assert_eq!(
        short.wait(at("2024-01-01T00:01:00Z")),
        Some(Wait::Asked {
            until: at("2024-01-01T00:02:00Z")
        }),
        "the server's word stands instead of the backoff"
    );
    assert_eq!(short.wait(at("2024-01-01T00:02:00Z")), None);
    assert_eq!(short.failures, 1);
    let past = FetchSchedule::failed(None, now, Some(at("2023-12-31T00:00:00Z")));
    assert_eq!(
        past.next_fetch(),
        at("2024-01-01T00:05:00Z"),
        "a past date is no word"
    );

    let fresh = FetchSchedule::succeeded(later, Some(at("2024-01-01T00:16:00Z")));
    assert_eq!(fresh.failures, 0, "a success resets the failures");
    assert_eq!(
        fresh.wait(at("2024-01-01T00:10:00Z")),
        Some(Wait::Fresh {
            until: at("2024-01-01T00:16:00Z")
        })
    );
    let failed_again = FetchSchedule::failed(Some(&fresh), at("2024-01-01T00:10:00Z"), None);
    assert_eq!(
        failed_again.fresh_until, None,
        "a failure ends the freshness"
    );
    assert_eq!(failed_again.failures, 1, "counted from the last success");
    assert_eq!(FetchSchedule::succeeded(later, None).wait(later), None);
}
