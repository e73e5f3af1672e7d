//! Polite polling: when an external feed may be fetched again. A server that answers 429 or
//! 503 with `Retry-After` is left alone until then; a failing source is tried less and less
//! often (exponential backoff, reset by a success); a copy fresh by its own `Cache-Control:
//! max-age` or `Expires` is used without asking again. Each is capped, so a server cannot
//! silence a source for long by mistake.
//!
//! [`FetchSchedule`] is what is kept per URL between runs (beside the validators of its
//! [`CachedResponse`](super::CachedResponse)): enough for a scheduler to tell when each
//! source is next due ([`FetchSchedule::next_fetch`]). Time is always passed in as `now`.

use std::fmt;

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// The first failure's wait; each further failure in a row doubles it.
pub const BACKOFF_BASE: Duration = Duration::minutes(5);
/// The longest backoff after failures.
pub const BACKOFF_CAP: Duration = Duration::hours(24);
/// The longest a copy counts as fresh by its own headers.
pub const FRESH_CAP: Duration = Duration::hours(6);
/// The longest wait a `Retry-After` can ask for.
pub const RETRY_AFTER_CAP: Duration = Duration::days(7);

/// When a URL may be fetched again, as its last fetches left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSchedule {
    /// When the last fetch was tried (the run's `now`).
    pub checked_at: DateTime<Utc>,
    /// Fetches failed in a row; 0 after a success.
    pub failures: u32,
    /// The server asked not to be fetched before this (`Retry-After` on a 429 or 503).
    pub retry_after: Option<DateTime<Utc>>,
    /// The backoff after `failures` failures ends then.
    pub backoff_until: Option<DateTime<Utc>>,
    /// The copy is fresh until then by its own `Cache-Control: max-age` or `Expires`.
    pub fresh_until: Option<DateTime<Utc>>,
}

impl FetchSchedule {
    /// The schedule after a successful fetch at `now` (a 200 or a 304), its copy fresh
    /// until `fresh_until` if its headers said so.
    pub fn succeeded(now: DateTime<Utc>, fresh_until: Option<DateTime<Utc>>) -> FetchSchedule {
        FetchSchedule {
            checked_at: now,
            failures: 0,
            retry_after: None,
            backoff_until: None,
            fresh_until,
        }
    }

    /// The schedule after a failed fetch at `now`, following `previous`; `retry_after` is
    /// when the server asked to be fetched again, if it did. The server's word, when it
    /// gives one, stands instead of the backoff; the failure counts all the same.
    pub fn failed(
        previous: Option<&FetchSchedule>,
        now: DateTime<Utc>,
        retry_after: Option<DateTime<Utc>>,
    ) -> FetchSchedule {
        let failures = previous.map_or(0, |p| p.failures).saturating_add(1);
        let retry_after = retry_after.filter(|t| *t > now);
        FetchSchedule {
            checked_at: now,
            failures,
            retry_after,
            backoff_until: retry_after.is_none().then(|| now + backoff(failures)),
            fresh_until: None,
        }
    }

    /// When the URL is next due: the latest of the last try, the server's `Retry-After`,
    /// the backoff and the freshness.
    pub fn next_fetch(&self) -> DateTime<Utc> {
        [self.retry_after, self.backoff_until, self.fresh_until]
            .into_iter()
            .flatten()
            .fold(self.checked_at, DateTime::max)
    }

    /// Why the URL is not due at `now`, or `None` when it is.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<Wait> {
        let until = self.next_fetch();
        if until <= now {
            return None;
        }
        let pending = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t > now);
        Some(if pending(self.retry_after) {
            Wait::Asked { until }
        } else if pending(self.backoff_until) {
            Wait::Backoff {
                until,
                failures: self.failures,
            }
        } else {
            Wait::Fresh { until }
        })
    }
}

/// Why a URL is not fetched this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The server asked, with `Retry-After`, not to be fetched before `until`.
    Asked {
        /// When the URL is due again.
        until: DateTime<Utc>,
    },
    /// It failed `failures` times in a row, and the backoff lasts until `until`.
    Backoff {
        /// When the URL is due again.
        until: DateTime<Utc>,
        /// Failures in a row.
        failures: u32,
    },
    /// Its copy is fresh by its own headers until `until`.
    Fresh {
        /// When the copy goes stale.
        until: DateTime<Utc>,
    },
}

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wait::Asked { until } => write!(
                f,
                "not fetched: the server asked to wait until {} (Retry-After)",
                stamp(until)
            ),
            Wait::Backoff { until, failures } => write!(
                f,
                "not fetched: {failures} failed fetches in a row; next try after {}",
                stamp(until)
            ),
            Wait::Fresh { until } => write!(f, "fresh by its headers until {}", stamp(until)),
        }
    }
}

/// A time as warnings print it: RFC 3339 in UTC, to the second.
pub fn stamp(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The wait after `failures` failures in a row: [`BACKOFF_BASE`], doubled for each failure
/// after the first, at most [`BACKOFF_CAP`].
pub fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(30);
    let factor = 1i32 << doublings;
    (BACKOFF_BASE.checked_mul(factor))
        .unwrap_or(BACKOFF_CAP)
        .min(BACKOFF_CAP)
}

/// A `Retry-After` header: a number of seconds or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 120`.
    Seconds(u64),
    /// `Retry-After: Fri, 31 Dec 1999 23:59:59 GMT`.
    At(DateTime<Utc>),
}

impl RetryAfter {
    /// The header's value, or `None` when it is neither form.
    pub fn parse(text: &str) -> Option<RetryAfter> {
        let text = text.trim();
        if let Ok(secs) = text.parse::<u64>() {
            return Some(RetryAfter::Seconds(secs));
        }
        http_date(text).map(RetryAfter::At)
    }

    /// When the wait asked for at `now` ends, at most [`RETRY_AFTER_CAP`] after `now`.
    pub fn until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let latest = now + RETRY_AFTER_CAP;
        match self {
            RetryAfter::Seconds(secs) => {
                let secs = i64::try_from(*secs).unwrap_or(i64::MAX);
                (Duration::try_seconds(secs))
                    .and_then(|d| now.checked_add_signed(d))
                    .map_or(latest, |t| t.min(latest))
            }
            RetryAfter::At(at) => (*at).min(latest),
        }
    }
}

/// The headers that say how long a response stays fresh.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheHeaders {
    /// `Cache-Control`.
    pub cache_control: Option<String>,
    /// `Expires`.
    pub expires: Option<String>,
    /// `Date`: the server's time, which `Expires` counts from.
    pub date: Option<String>,
    /// `Age`: seconds the response already spent in caches on the way.
    pub age: Option<String>,
}

impl CacheHeaders {
    /// Until when a response received at `now` is fresh, at most [`FRESH_CAP`] after it:
    /// `max-age` (less `Age`) wins over `Expires` (counted from `Date`); `no-cache` or
    /// `no-store` mean never; `None` when nothing says it is fresh.
    pub fn fresh_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut max_age = None;
        for directive in self.cache_control.as_deref().unwrap_or("").split(',') {
            let (name, value) = match directive.split_once('=') {
                Some((name, value)) => (name.trim(), Some(value.trim().trim_matches('"'))),
                None => (directive.trim(), None),
            };
            if name.eq_ignore_ascii_case("no-cache") || name.eq_ignore_ascii_case("no-store") {
                return None;
            }
            if name.eq_ignore_ascii_case("max-age") {
                // A max-age that is not a number makes the response stale (RFC 9111 4.2.1).
                max_age = Some(value.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
            }
        }
        let lifetime = match max_age {
            Some(secs) => secs,
            None => {
                // An Expires that is not a date is in the past (RFC 9111 5.3).
                let expires = http_date(self.expires.as_deref()?)?;
                let date = (self.date.as_deref()).and_then(http_date).unwrap_or(now);
                (expires - date).num_seconds()
            }
        };
        let age = (self.age.as_deref()).and_then(|a| a.trim().parse::<i64>().ok());
        let left = lifetime.saturating_sub(age.unwrap_or(0).max(0));
        if left <= 0 {
            return None;
        }
        let left = Duration::try_seconds(left)
            .unwrap_or(FRESH_CAP)
            .min(FRESH_CAP);
        Some(now + left)
    }
}

/// An HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms).
fn http_date(text: &str) -> Option<DateTime<Utc>> {
    httpdate::parse_http_date(text.trim())
        .ok()
        .map(DateTime::<Utc>::from)
}

#[cfg(test)]
mod tests;
