//! The work queue of the fetch workers: one `fetch_source` row per external feed, with when
//! it is next due, who holds it (`lease_owner`, `lease_until`), its schedule and validators,
//! and one `fetch_host` row per host with the fetches it may take at once.
//!
//! A worker [`claim`](PgState::claim)s due sources in a short transaction: it reads the
//! oldest due sources, locks the rows of their hosts `FOR UPDATE SKIP LOCKED` (so two
//! workers never count a host's leases at once, and neither waits for the other), counts
//! each locked host's live leases again, locks the chosen sources `FOR UPDATE SKIP LOCKED`
//! and leases them until `now + lease`. It [`renew`](PgState::renew)s its leases while it
//! fetches and [`complete`](PgState::complete)s each source with its result and next due
//! time, which releases it. A worker that dies loses its leases when they expire; the
//! sources are then due again for every other worker.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use postgres::{Row, Statement, Transaction};

use super::run::{SET_NEXT_DUE, schedule_from};
use super::{Conn, Params, PgState, execute, query};
use crate::merge::{CachedResponse, FetchSchedule};
use crate::state::StateError;
use crate::state::stored::{date_text, parse_date};

/// Due sources read per claim, at least: the window the claim picks from.
const CLAIM_WINDOW: i64 = 256;

/// One external source as the feed definitions want it fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePlan {
    /// The feed's URL (http or https).
    pub url: String,
    /// Its host, as per-host limits count it.
    pub host: String,
    /// How often it is due, in seconds.
    pub every_secs: i64,
    /// Fetches at once against its host, over every worker.
    pub per_host: i32,
}

/// What [`PgState::register`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Registered {
    /// Sources new to the database, or wanted again.
    pub added: usize,
    /// Sources whose interval or host changed.
    pub changed: usize,
    /// Sources no definition names any more: no longer fetched (their copies stay).
    pub retired: usize,
}

/// A source a worker holds: what it needs to fetch it.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The feed's URL.
    pub url: String,
    /// Its last good copy and validators, if any.
    pub cached: Option<CachedResponse>,
    /// Its schedule as the last fetch left it, if it was ever tried.
    pub schedule: Option<FetchSchedule>,
}

/// What a worker found for a source it held.
#[derive(Debug, Clone)]
pub struct Completion {
    /// The feed's URL.
    pub url: String,
    /// The schedule after this fetch.
    pub schedule: FetchSchedule,
    /// A new copy to keep (a new body, or new validators for the old one).
    pub copy: Option<CachedResponse>,
    /// Why the fetch failed, if it did.
    pub error: Option<String>,
}

impl PgState {
    /// Makes the sources of `plans` the ones the workers fetch: new sources are due at once,
    /// a changed interval moves the next due time, and sources no plan names are retired
    /// (their copies stay for builds). Rows that did not change are not written.
    pub fn register(&mut self, plans: &[SourcePlan]) -> Result<Registered, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let mut tx = client.transaction().map_err(StateError::pg(store))?;
        let mut q = Queries {
            tx: &mut tx,
            statements,
            store,
        };
        q.register_hosts(plans)?;
        let sql = "SELECT url, host, every_secs, wanted FROM fetch_source";
        let known: HashMap<String, (String, i64, bool)> = (q.rows(sql, &[])?.iter())
            .map(|r| Ok((r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))))
            .collect::<Result<_, postgres::Error>>()
            .map_err(StateError::pg(store))?;
        let mut report = Registered::default();
        let (mut urls, mut hosts, mut every) = (Vec::new(), Vec::new(), Vec::new());
        for plan in plans {
            match known.get(&plan.url) {
                Some((host, secs, true)) if *host == plan.host && *secs == plan.every_secs => {
                    continue;
                }
                Some((_, _, true)) => report.changed += 1,
                _ => report.added += 1,
            }
            urls.push(plan.url.as_str());
            hosts.push(plan.host.as_str());
            every.push(plan.every_secs);
        }
        let sql = "INSERT INTO fetch_source (url, host, every_secs, wanted)
                   SELECT u, h, e, true FROM unnest($1::text[], $2::text[], $3::int8[]) AS t(u, h, e)
                   ON CONFLICT (url) DO UPDATE SET host = EXCLUDED.host,
                       every_secs = EXCLUDED.every_secs, wanted = true";
        q.rows(sql, &[&urls, &hosts, &every])?;
        let sql = "UPDATE fetch_source SET next_fetch_at = COALESCE(GREATEST(
                       checked_at + every_secs * interval '1 second',
                       retry_after, backoff_until, fresh_until), 'epoch')
                   WHERE url = ANY($1)";
        q.rows(sql, &[&urls])?;
        let wanted: HashSet<&str> = plans.iter().map(|p| p.url.as_str()).collect();
        let retired: Vec<&str> = (known.iter())
            .filter(|(url, (_, _, on))| *on && !wanted.contains(url.as_str()))
            .map(|(url, _)| url.as_str())
            .collect();
        report.retired = retired.len();
        q.rows(
            "UPDATE fetch_source SET wanted = false WHERE url = ANY($1)",
            &[&retired],
        )?;
        tx.commit().map_err(StateError::pg(store))?;
        Ok(report)
    }

    /// Leases up to `limit` due sources to `worker` until `until`, oldest due first, never
    /// more at once per host (over every worker) than the host's limit. Returns nothing
    /// when nothing is due, or when every due host is full or being claimed from by another
    /// worker right now.
    pub fn claim(
        &mut self,
        worker: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Claimed>, StateError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let pg = StateError::pg(store);
        let mut tx = client.transaction().map_err(&pg)?;
        let mut q = Queries {
            tx: &mut tx,
            statements,
            store,
        };
        let window = CLAIM_WINDOW.max(i64::try_from(limit).unwrap_or(i64::MAX).saturating_mul(8));
        let sql = "SELECT url, host FROM fetch_source
                   WHERE wanted AND next_fetch_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                     AND host <> ALL($3)
                   ORDER BY next_fetch_at, spread LIMIT $2";
        let mut due: Vec<(String, String)> =
            q.pairs(sql, &[&now, &window, &Vec::<String>::new()])?;
        let mut rooms = q.rooms(now, &distinct(due.iter().map(|(_, h)| h.as_str())))?;
        // Hosts at their limit can crowd the window: then look once more, past them, so
        // that a host with a long backlog does not hold the others up.
        let full: Vec<String> = (rooms.iter().filter(|(_, room)| **room <= 0))
            .map(|(host, _)| host.clone())
            .collect();
        if !full.is_empty() && pick(&due, &rooms, limit).len() < limit {
            due = q.pairs(sql, &[&now, &window, &full])?;
            rooms = q.rooms(now, &distinct(due.iter().map(|(_, h)| h.as_str())))?;
        }
        if due.is_empty() {
            return Ok(Vec::new());
        }
        // A first pick from the rooms as they are, to lock only hosts with room.
        let guess = pick(&due, &rooms, limit);
        let wanted = distinct(guess.iter().map(|(_, h)| *h));
        let sql = "SELECT host FROM fetch_host WHERE host = ANY($1) ORDER BY host
                   FOR UPDATE SKIP LOCKED";
        let locked = q.strings(sql, &[&wanted])?;
        let locked: Vec<&str> = locked.iter().map(String::as_str).collect();
        // Counted again now that no other worker can lease on these hosts.
        let exact = q.rooms(now, &locked)?;
        let chosen: Vec<&str> = pick(&due, &exact, limit)
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        let sql = "SELECT url FROM fetch_source
                   WHERE url = ANY($1) AND wanted AND next_fetch_at <= $2
                     AND (lease_until IS NULL OR lease_until <= $2)
                   FOR UPDATE SKIP LOCKED";
        let held = q.strings(sql, &[&chosen, &now])?;
        let sql = "UPDATE fetch_source s SET lease_owner = $2, lease_until = $3
                   WHERE s.url = ANY($1)
                   RETURNING s.url, s.checked_at, s.failures, s.retry_after, s.backoff_until,
                       s.fresh_until, s.etag, s.last_modified, s.fetched_at,
                       (SELECT b.body FROM fetch_body b WHERE b.url = s.url)";
        let rows = q.rows(sql, &[&held, &worker, &until])?;
        let claimed = (rows.iter())
            .map(|r| claimed(r, store))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit().map_err(&pg)?;
        Ok(claimed)
    }

    /// Extends `worker`'s leases on `urls` until `until`; returns the URLs it still holds
    /// (a lease that ran out and went to another worker is lost).
    pub fn renew(
        &mut self,
        worker: &str,
        urls: &[String],
        until: DateTime<Utc>,
    ) -> Result<Vec<String>, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let sql = "UPDATE fetch_source SET lease_until = $3
                   WHERE url = ANY($1) AND lease_owner = $2 RETURNING url";
        let rows = query(client, statements, sql, &[&urls, &worker, &until])
            .map_err(StateError::pg(store))?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(StateError::pg(store)))
            .collect()
    }

    /// Stores what `worker` found for sources it held, and releases them; returns, per
    /// completion, whether it was stored (a result for a lease lost meanwhile is dropped).
    pub fn complete(&mut self, worker: &str, done: &[Completion]) -> Result<Vec<bool>, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let pg = StateError::pg(store);
        let mut tx = client.transaction().map_err(&pg)?;
        let mut stored = Vec::with_capacity(done.len());
        for c in done {
            let s = &c.schedule;
            let failures = i32::try_from(s.failures).unwrap_or(i32::MAX);
            let sql = "UPDATE fetch_source SET lease_owner = NULL, lease_until = NULL,
                           checked_at = $3, failures = $4, retry_after = $5, backoff_until = $6,
                           fresh_until = $7, last_error = $8, fetches = fetches + 1
                       WHERE url = $1 AND lease_owner = $2";
            let values: super::Params<'_> = &[
                &c.url,
                &worker,
                &s.checked_at,
                &failures,
                &s.retry_after,
                &s.backoff_until,
                &s.fresh_until,
                &c.error,
            ];
            let held = execute(&mut tx, statements, sql, values).map_err(&pg)? == 1;
            stored.push(held);
            if !held {
                continue;
            }
            execute(&mut tx, statements, SET_NEXT_DUE, &[&c.url]).map_err(&pg)?;
            if let Some(copy) = &c.copy {
                let sql = "UPDATE fetch_source SET etag = $2, last_modified = $3, fetched_at = $4
                           WHERE url = $1";
                let fetched_at = date_text(&copy.fetched_at);
                let values: super::Params<'_> =
                    &[&c.url, &copy.etag, &copy.last_modified, &fetched_at];
                execute(&mut tx, statements, sql, values).map_err(&pg)?;
                let sql = "INSERT INTO fetch_body (url, body) VALUES ($1, $2)
                           ON CONFLICT (url) DO UPDATE SET body = EXCLUDED.body";
                execute(&mut tx, statements, sql, &[&c.url, &copy.body]).map_err(&pg)?;
            }
        }
        tx.commit().map_err(&pg)?;
        Ok(stored)
    }

    /// Gives back every lease of `worker` but those on `keep`: leases it does not know it
    /// holds (a claim whose commit it never heard of, before the connection broke; or a
    /// worker of the same name that ended before). Returns how many.
    pub fn release_others(&mut self, worker: &str, keep: &[String]) -> Result<u64, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let sql = "UPDATE fetch_source SET lease_owner = NULL, lease_until = NULL
                   WHERE lease_owner = $1 AND url <> ALL($2)";
        execute(client, statements, sql, &[&worker, &keep]).map_err(StateError::pg(store))
    }

    /// Gives `worker`'s leases on `urls` back without a result: the sources stay due.
    pub fn release(&mut self, worker: &str, urls: &[String]) -> Result<u64, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let sql = "UPDATE fetch_source SET lease_owner = NULL, lease_until = NULL
                   WHERE url = ANY($1) AND lease_owner = $2";
        execute(client, statements, sql, &[&urls, &worker]).map_err(StateError::pg(store))
    }
}

/// The queries of one claim, on its transaction.
struct Queries<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    statements: &'a mut HashMap<&'static str, Statement>,
    store: &'a str,
}

impl Queries<'_, '_> {
    fn rows(&mut self, sql: &'static str, params: Params<'_>) -> Result<Vec<Row>, StateError> {
        query(self.tx, self.statements, sql, params).map_err(StateError::pg(self.store))
    }

    /// The first column of every row, as text.
    fn strings(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<String>, StateError> {
        let rows = self.rows(sql, params)?;
        (rows.iter())
            .map(|r| r.try_get(0).map_err(StateError::pg(self.store)))
            .collect()
    }

    /// The first two columns of every row.
    fn pairs<A, B>(
        &mut self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<(A, B)>, StateError>
    where
        A: for<'r> postgres::types::FromSql<'r>,
        B: for<'r> postgres::types::FromSql<'r>,
    {
        let rows = self.rows(sql, params)?;
        (rows.iter())
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, postgres::Error>>()
            .map_err(StateError::pg(self.store))
    }

    /// Writes the limit of each host of `plans` (the smallest any plan gives), for the hosts
    /// new or with a new limit only: the others' rows stay unlocked for the claims.
    fn register_hosts(&mut self, plans: &[SourcePlan]) -> Result<(), StateError> {
        let mut per_host: HashMap<&str, i32> = HashMap::new();
        for plan in plans {
            let limit = per_host.entry(plan.host.as_str()).or_insert(plan.per_host);
            *limit = (*limit).min(plan.per_host).max(1);
        }
        let known: HashMap<String, i32> = (self
            .pairs("SELECT host, per_host FROM fetch_host", &[])?
            .into_iter())
        .collect();
        let mut hosts: Vec<&str> = (per_host.iter())
            .filter(|(host, limit)| known.get(**host) != Some(*limit))
            .map(|(host, _)| *host)
            .collect();
        hosts.sort_unstable();
        let limits: Vec<i32> = hosts.iter().map(|h| per_host[h]).collect();
        let sql =
            "INSERT INTO fetch_host (host, per_host) SELECT * FROM unnest($1::text[], $2::int4[])
                   ON CONFLICT (host) DO UPDATE SET per_host = EXCLUDED.per_host";
        self.rows(sql, &[&hosts, &limits]).map(drop)
    }

    /// How many more fetches each of `hosts` may take at `now`: its limit less its live
    /// leases.
    fn rooms(
        &mut self,
        now: DateTime<Utc>,
        hosts: &[&str],
    ) -> Result<HashMap<String, i64>, StateError> {
        let sql = "SELECT h.host, h.per_host - (SELECT count(*) FROM fetch_source s
                       WHERE s.host = h.host AND s.lease_until IS NOT NULL AND s.lease_until > $1)
                   FROM fetch_host h WHERE h.host = ANY($2)";
        Ok(self.pairs(sql, &[&now, &hosts])?.into_iter().collect())
    }
}

/// The URLs of `due` to lease, in order: at most `rooms[host]` per host (hosts missing
/// from `rooms` get none), at most `limit` in all.
fn pick<'a>(
    due: &'a [(String, String)],
    rooms: &HashMap<String, i64>,
    limit: usize,
) -> Vec<(&'a str, &'a str)> {
    let mut left = rooms.clone();
    let mut chosen = Vec::new();
    for (url, host) in due {
        if chosen.len() >= limit {
            break;
        }
        if let Some(room) = left.get_mut(host.as_str())
            && *room > 0
        {
            *room -= 1;
            chosen.push((url.as_str(), host.as_str()));
        }
    }
    chosen
}

/// The distinct items of `items`, in their first order.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    items.filter(|i| seen.insert(*i)).collect()
}

/// A claimed row: url, the schedule's five columns, etag, last_modified, fetched_at, body.
fn claimed(r: &Row, store: &str) -> Result<Claimed, StateError> {
    let pg = StateError::pg(store);
    let checked: Option<DateTime<Utc>> = r.try_get(1).map_err(&pg)?;
    let schedule = match checked {
        Some(_) => Some(schedule_from(r, 1).map_err(&pg)?),
        None => None,
    };
    let fetched_at: Option<String> = r.try_get(8).map_err(&pg)?;
    let body: Option<Vec<u8>> = r.try_get(9).map_err(&pg)?;
    let cached = match (fetched_at, body) {
        (Some(at), Some(body)) => Some(CachedResponse {
            etag: r.try_get(6).map_err(&pg)?,
            last_modified: r.try_get(7).map_err(&pg)?,
            fetched_at: parse_date(&at).map_err(|source| StateError::Corrupt {
                store: store.to_owned(),
                source,
            })?,
            body,
        }),
        _ => None,
    };
    Ok(Claimed {
        url: r.try_get(0).map_err(&pg)?,
        cached,
        schedule,
    })
}
