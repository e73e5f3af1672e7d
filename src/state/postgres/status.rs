//! What the work queue looks like at one time, for `feedloom fetch --status`: how many
//! sources are due, leased, failing or backed off, the leases each worker holds, and a few
//! sources of each kind.

use chrono::{DateTime, Utc};
use postgres::Row;

use super::{Conn, PgState, query};
use crate::state::StateError;

/// The sources at a glance, at one time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStatus {
    /// Sources the definitions name.
    pub sources: i64,
    /// Due and not held by any worker.
    pub due: i64,
    /// Held by a worker whose lease runs.
    pub leased: i64,
    /// Held by a worker whose lease ran out (it died, or hangs): due again.
    pub expired: i64,
    /// Whose last fetch failed.
    pub failing: i64,
    /// Waiting for a backoff or a server's Retry-After to end.
    pub backed_off: i64,
    /// Never fetched yet.
    pub never_fetched: i64,
    /// Live leases per worker.
    pub workers: Vec<(String, i64)>,
    /// The sources worth a look: due, leased, failing or backed off (a few of each).
    pub rows: Vec<StatusRow>,
}

/// One source in [`SourceStatus::rows`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// Why it is listed: `due`, `leased`, `failing` or `backed-off`.
    pub kind: &'static str,
    /// The feed's URL.
    pub url: String,
    /// When it is next due.
    pub next_fetch_at: DateTime<Utc>,
    /// The worker holding it, and until when.
    pub lease: Option<(String, DateTime<Utc>)>,
    /// Failed fetches in a row.
    pub failures: i32,
    /// The last failure's reason.
    pub last_error: Option<String>,
}

/// The counts, each over the sources the definitions name (but leases, over all).
const COUNTS: &str = "SELECT
        count(*) FILTER (WHERE wanted),
        count(*) FILTER (WHERE wanted AND next_fetch_at <= $1
                         AND (lease_until IS NULL OR lease_until <= $1)),
        count(*) FILTER (WHERE lease_until > $1),
        count(*) FILTER (WHERE lease_owner IS NOT NULL AND lease_until <= $1),
        count(*) FILTER (WHERE wanted AND failures > 0),
        count(*) FILTER (WHERE wanted AND (backoff_until > $1 OR retry_after > $1)),
        count(*) FILTER (WHERE wanted AND checked_at IS NULL)
    FROM fetch_source";

/// A few sources of each kind, most telling first.
const ROWS: &str = "(SELECT 'leased', url, next_fetch_at, lease_owner, lease_until, failures,
            last_error FROM fetch_source WHERE lease_until > $1 ORDER BY lease_until, url LIMIT $2)
    UNION ALL
    (SELECT 'due', url, next_fetch_at, lease_owner, lease_until, failures, last_error
        FROM fetch_source WHERE wanted AND next_fetch_at <= $1
            AND (lease_until IS NULL OR lease_until <= $1)
        ORDER BY next_fetch_at, url LIMIT $2)
    UNION ALL
    (SELECT 'backed-off', url, next_fetch_at, lease_owner, lease_until, failures, last_error
        FROM fetch_source WHERE wanted AND (backoff_until > $1 OR retry_after > $1)
        ORDER BY next_fetch_at DESC, url LIMIT $2)
    UNION ALL
    (SELECT 'failing', url, next_fetch_at, lease_owner, lease_until, failures, last_error
        FROM fetch_source WHERE wanted AND failures > 0
            AND NOT (backoff_until > $1 OR retry_after > $1) IS TRUE
        ORDER BY failures DESC, url LIMIT $2)";

impl PgState {
    /// The work queue at `now`, with up to `rows` sources of each kind.
    pub fn status(&mut self, now: DateTime<Utc>, rows: i64) -> Result<SourceStatus, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let pg = StateError::pg(store);
        let counts = query(client, statements, COUNTS, &[&now]).map_err(&pg)?;
        let count = |i: usize| -> Result<i64, StateError> {
            (counts.first())
                .map_or(Ok(0), |r| r.try_get(i))
                .map_err(&pg)
        };
        let mut status = SourceStatus {
            sources: count(0)?,
            due: count(1)?,
            leased: count(2)?,
            expired: count(3)?,
            failing: count(4)?,
            backed_off: count(5)?,
            never_fetched: count(6)?,
            ..SourceStatus::default()
        };
        let sql = "SELECT lease_owner, count(*) FROM fetch_source WHERE lease_until > $1
                   GROUP BY lease_owner ORDER BY lease_owner";
        for r in query(client, statements, sql, &[&now]).map_err(&pg)? {
            status
                .workers
                .push((r.try_get(0).map_err(&pg)?, r.try_get(1).map_err(&pg)?));
        }
        for r in query(client, statements, ROWS, &[&now, &rows]).map_err(&pg)? {
            status.rows.push(status_row(&r).map_err(&pg)?);
        }
        Ok(status)
    }
}

fn status_row(r: &Row) -> Result<StatusRow, postgres::Error> {
    let kind: String = r.try_get(0)?;
    let owner: Option<String> = r.try_get(3)?;
    let until: Option<DateTime<Utc>> = r.try_get(4)?;
    Ok(StatusRow {
        kind: match kind.as_str() {
            "leased" => "leased",
            "due" => "due",
            "backed-off" => "backed-off",
            _ => "failing",
        },
        url: r.try_get(1)?,
        next_fetch_at: r.try_get(2)?,
        lease: owner.zip(until),
        failures: r.try_get(5)?,
        last_error: r.try_get(6)?,
    })
}
