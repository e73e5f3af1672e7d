//! The database's schema and its ordered migrations.
//!
//! `feedloom_schema` lists the migrations applied, one row each. Every host runs the
//! migrations on start, under a transaction-level advisory lock, so that two workers
//! starting at once apply each migration once; a migration and its row commit together.
//! Never edit a released migration: append a new one.
//!
//! Text keys use the `C` collation, so that ids sort as in the SQLite store (by bytes), and
//! dates are kept in the same forms (RFC 3339 text where an offset matters, Unix seconds
//! for windows); the work queue's times are `timestamptz`.

use postgres::{Client, GenericClient};

use super::StateError;

/// The advisory lock migrations hold ("FdLm" and 1).
const MIGRATION_LOCK: i64 = 0x4664_4c6d_0000_0001;

/// The migrations, in order; migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: what the SQLite file keeps (first-seen dates, history, article cache,
    // fingerprints), and the work queue of fetched feeds: one row per external source with
    // its schedule, lease and validators, its last good body beside it, and one row per
    // host with the number of fetches it may take at once.
    r#"
    CREATE TABLE entry_seen (
        feed          TEXT COLLATE "C" NOT NULL,
        entry_id      TEXT COLLATE "C" NOT NULL,
        first_seen    TEXT   NOT NULL,
        hash_version  BIGINT NOT NULL,
        content_hash  BYTEA  NOT NULL,
        hash_seen     TEXT   NOT NULL,
        last_seen     BIGINT NOT NULL,
        PRIMARY KEY (feed, entry_id)
    );
    CREATE INDEX entry_seen_last_seen ON entry_seen (last_seen);

    CREATE TABLE history (
        feed       TEXT COLLATE "C" NOT NULL,
        entry_id   TEXT COLLATE "C" NOT NULL,
        sort_date  BIGINT,
        last_seen  BIGINT NOT NULL,
        entry      TEXT   NOT NULL,
        PRIMARY KEY (feed, entry_id)
    );
    CREATE INDEX history_by_date ON history (feed, sort_date DESC NULLS LAST, entry_id);

    CREATE TABLE article_cache (
        path          TEXT COLLATE "C" NOT NULL,
        context       TEXT COLLATE "C" NOT NULL,
        size          BIGINT NOT NULL,
        mtime_ns      BIGINT NOT NULL,
        content_hash  BYTEA  NOT NULL,
        entry         BYTEA  NOT NULL,
        entry_hash    BYTEA,
        PRIMARY KEY (path, context)
    );
    CREATE INDEX article_cache_context ON article_cache (context);

    CREATE TABLE feed_fingerprint (
        feed         TEXT COLLATE "C" PRIMARY KEY,
        fingerprint  BYTEA NOT NULL,
        valid_until  BIGINT
    );

    CREATE TABLE fetch_host (
        host      TEXT COLLATE "C" PRIMARY KEY,
        per_host  INTEGER NOT NULL CHECK (per_host > 0)
    );

    CREATE TABLE fetch_source (
        url            TEXT COLLATE "C" PRIMARY KEY,
        host           TEXT COLLATE "C" NOT NULL,
        wanted         BOOLEAN NOT NULL DEFAULT false,
        every_secs     BIGINT  NOT NULL DEFAULT 3600,
        next_fetch_at  TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
        spread         INTEGER NOT NULL DEFAULT (random() * 2147483647)::integer,
        lease_owner    TEXT,
        lease_until    TIMESTAMPTZ,
        checked_at     TIMESTAMPTZ,
        failures       INTEGER NOT NULL DEFAULT 0,
        retry_after    TIMESTAMPTZ,
        backoff_until  TIMESTAMPTZ,
        fresh_until    TIMESTAMPTZ,
        etag           TEXT,
        last_modified  TEXT,
        fetched_at     TEXT,
        last_error     TEXT,
        fetches        BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX fetch_source_due ON fetch_source (next_fetch_at, spread) WHERE wanted;
    CREATE INDEX fetch_source_leased ON fetch_source (host) WHERE lease_until IS NOT NULL;

    CREATE TABLE fetch_body (
        url   TEXT COLLATE "C" PRIMARY KEY REFERENCES fetch_source ON DELETE CASCADE,
        body  BYTEA NOT NULL
    );
    "#,
    // 2: the full text of merged items (crate::merge::PageCache), as in the SQLite store:
    // per feed, item id and link, the record crate::merge::PageRecord::to_json gives.
    r#"
    CREATE TABLE page_text (
        feed      TEXT COLLATE "C" NOT NULL,
        entry_id  TEXT COLLATE "C" NOT NULL,
        link      TEXT COLLATE "C" NOT NULL,
        record    TEXT NOT NULL,
        PRIMARY KEY (feed, entry_id, link)
    );
    "#,
];

/// The schema version this build writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

/// The database's schema version: the migrations applied (0 for a new database).
pub(super) fn version(client: &mut impl GenericClient) -> Result<i64, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('feedloom_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client.query_one("SELECT COALESCE(max(version), 0) FROM feedloom_schema", &[])?;
    Ok(row.get(0))
}

/// Brings the database to [`CURRENT`], refusing one written by a newer feedloom.
pub(super) fn migrate(client: &mut Client, store: &str) -> Result<(), StateError> {
    migrate_with(client, store, MIGRATIONS)
}

/// Applies the `migrations` the database has not seen yet, in one transaction.
fn migrate_with(client: &mut Client, store: &str, migrations: &[&str]) -> Result<(), StateError> {
    let pg = StateError::pg(store);
    let latest = migrations.len() as i64;
    let mut tx = client.transaction().map_err(&pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(&pg)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS feedloom_schema (
             version     BIGINT PRIMARY KEY,
             applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .map_err(&pg)?;
    let found = version(&mut tx).map_err(&pg)?;
    if found > latest {
        return Err(StateError::SchemaTooNew {
            store: store.to_owned(),
            found,
            supported: latest,
        });
    }
    let applied = usize::try_from(found).unwrap_or(0);
    for (done, migration) in migrations.iter().enumerate().skip(applied) {
        tx.batch_execute(migration).map_err(&pg)?;
        let version = done as i64 + 1;
        tx.execute(
            "INSERT INTO feedloom_schema (version) VALUES ($1)",
            &[&version],
        )
        .map_err(&pg)?;
    }
    tx.commit().map_err(&pg)
}
