//! WebSub publishing: after a build installed new bytes of a feed, each of the feed's hubs
//! is told so (a `hub.mode=publish` POST naming the feed's self URL), and fetches the feed
//! to push it to its subscribers.
//!
//! A hub that cannot be reached is asked again after a pause that doubles each time, up to
//! [`PingSettings::attempts`] tries; one that still fails is a warning of its feed, never a
//! failure of the build: the feed is built and installed either way, and readers that poll
//! still see it.

use std::path::Path;
use std::time::Duration;

use url::Url;

use super::build::{BuildReport, OutputChange};
use crate::config::FeedDef;
use crate::diagnostic::Diagnostic;
use crate::merge::{self, FetchSettings, MergeError};

/// How publish notices are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PingSettings {
    /// Tries per hub and feed, the first included (at least 1).
    pub attempts: u32,
    /// The pause after the first failed try; it doubles after each one.
    pub first_delay: Duration,
    /// The longest a hub may take to connect and answer one try.
    pub timeout: Duration,
}

impl Default for PingSettings {
    /// Three tries, 2 s then 4 s apart, 10 s each at most.
    fn default() -> Self {
        PingSettings {
            attempts: 3,
            first_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
        }
    }
}

/// One publish notice to send: the feed it belongs to (its place in the report), the hub and
/// the topic (the self URL of an output whose bytes changed), and how to reach the hub.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The feed's place in [`BuildReport::feeds`] (and in the definitions).
    pub feed: usize,
    /// The feed's fetch settings: the hub is reached through the same guard as its
    /// `[[merge]]` sources (its `[fetch] allow` list, its contact).
    pub fetch: FetchSettings,
    /// The hub's URL.
    pub hub: Url,
    /// The changed output's self URL.
    pub topic: Url,
}

/// Why a hub did not take a notice.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PingError {
    /// The request was refused by the address guard, or failed: no connection, a time-out,
    /// a broken answer.
    #[error("{}", .0.reason())]
    Request(#[from] MergeError),
    /// The hub answered with a status other than 2xx.
    #[error("the hub answered {0}")]
    Status(u16),
}

/// The notices a build calls for: one per hub of each feed and per output of that feed
/// whose bytes were written this run (the companion page is no topic). `defs` are the
/// definitions the build ran on, in the order of `report.feeds`.
pub fn notices(defs: &[FeedDef], report: &BuildReport) -> Vec<Notice> {
    let mut notices = Vec::new();
    for (feed, (def, built)) in defs.iter().zip(&report.feeds).enumerate() {
        let written = |path: &Path| {
            (built.outputs.iter()).any(|(p, c)| p == path && *c == OutputChange::Written)
        };
        for out in def.outputs.iter().filter(|o| written(&o.path)) {
            let Some(topic) = &out.url else { continue };
            for hub in &def.hubs {
                notices.push(Notice {
                    feed,
                    fetch: def.fetch.clone(),
                    hub: hub.clone(),
                    topic: topic.clone(),
                });
            }
        }
    }
    notices
}

/// Sends every notice (all at once, each retried as `settings` say) and returns a warning
/// for each one that no try delivered, with the feed it belongs to.
pub fn publish(notices: &[Notice], settings: &PingSettings) -> Vec<(usize, Diagnostic)> {
    std::thread::scope(|scope| {
        let sending: Vec<_> = (notices.iter())
            .map(|notice| scope.spawn(move || deliver(notice, settings)))
            .collect();
        (sending.into_iter())
            .filter_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Sends one notice until a try succeeds or the tries run out: `None`, or its warning. A
/// hub the address guard refuses is not asked again.
fn deliver(notice: &Notice, settings: &PingSettings) -> Option<(usize, Diagnostic)> {
    let attempts = settings.attempts.max(1);
    let mut delay = settings.first_delay;
    for attempt in 1..=attempts {
        match post_publish(notice, settings.timeout) {
            Ok(()) => {
                tracing::debug!(hub = %notice.hub, topic = %notice.topic, attempt, "hub notified");
                return None;
            }
            Err(e @ PingError::Request(MergeError::Refused { .. })) => {
                return Some((notice.feed, warning(notice, attempt, &e)));
            }
            Err(e) if attempt == attempts => {
                return Some((notice.feed, warning(notice, attempts, &e)));
            }
            Err(e) => {
                tracing::debug!(hub = %notice.hub, attempt, error = %e, "hub notice failed; retrying");
                std::thread::sleep(delay);
                delay = delay.saturating_mul(2);
            }
        }
    }
    None
}

/// Posts one WebSub publish notice: `hub.mode=publish`, with the topic as both `hub.url`
/// (what hubs have long read) and `hub.topic`, through the guarded client of
/// [`crate::merge`], like every request feedloom makes.
fn post_publish(notice: &Notice, timeout: std::time::Duration) -> Result<(), PingError> {
    let topic = notice.topic.as_str();
    let form = [
        ("hub.mode", "publish"),
        ("hub.url", topic),
        ("hub.topic", topic),
    ];
    let mut fetch = notice.fetch.clone();
    fetch.timeout_secs = timeout.as_secs().max(1);
    fetch.connect_timeout_secs = fetch.timeout_secs;
    match merge::post_form(&notice.hub, &form, &fetch)? {
        200..=299 => Ok(()),
        status => Err(PingError::Status(status)),
    }
}

fn warning(notice: &Notice, attempts: u32, error: &dyn std::fmt::Display) -> Diagnostic {
    let tries = match attempts {
        0 => "no try".to_string(),
        1 => "1 try".to_string(),
        n => format!("{n} tries"),
    };
    Diagnostic::warning(
        &notice.hub,
        None,
        format!(
            "WebSub hub not notified of {} after {tries}: {error}; the feed was built and installed",
            notice.topic
        ),
    )
}
