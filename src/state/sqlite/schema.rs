//! The state file's schema and its ordered migrations.
//!
//! `PRAGMA user_version` holds the number of migrations applied. Each migration runs once, in
//! order, inside one transaction with the version bump, so a crash mid-upgrade leaves the
//! file at the old version. Never edit a released migration: append a new one.

use std::path::Path;

use rusqlite::Connection;

use super::StateError;

/// `PRAGMA application_id` of feedloom state files ("FdLm").
const APPLICATION_ID: i64 = 0x4664_4c6d;

/// The migrations, in order; migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: first-seen dates and content hashes, history, fetch cache, article cache.
    "
    CREATE TABLE entry_seen (
        feed          TEXT    NOT NULL,
        entry_id      TEXT    NOT NULL,
        first_seen    TEXT    NOT NULL,  -- RFC 3339, as given by the run that saw it
        hash_version  INTEGER NOT NULL,
        content_hash  BLOB    NOT NULL,
        hash_seen     TEXT    NOT NULL,  -- RFC 3339: when content_hash was first seen
        last_seen     INTEGER NOT NULL,  -- Unix seconds
        PRIMARY KEY (feed, entry_id)
    ) WITHOUT ROWID;

    CREATE TABLE history (
        feed       TEXT    NOT NULL,
        entry_id   TEXT    NOT NULL,
        sort_date  INTEGER,              -- Unix seconds of published, else updated
        last_seen  INTEGER NOT NULL,     -- Unix seconds of the last run that merged it
        entry      TEXT    NOT NULL,     -- the whole Entry as JSON
        PRIMARY KEY (feed, entry_id)
    ) WITHOUT ROWID;
    CREATE INDEX history_by_date ON history (feed, sort_date DESC, entry_id);

    CREATE TABLE fetch_cache (
        url            TEXT PRIMARY KEY,
        etag           TEXT,
        last_modified  TEXT,
        fetched_at     TEXT NOT NULL,    -- RFC 3339
        body           BLOB NOT NULL
    );

    CREATE TABLE article_cache (
        path          TEXT    NOT NULL,
        context       TEXT    NOT NULL,  -- what else shaped the entry: settings, version
        size          INTEGER NOT NULL,
        mtime_ns      INTEGER NOT NULL,
        content_hash  BLOB    NOT NULL,
        entry         TEXT    NOT NULL,  -- the parsed Entry as JSON
        PRIMARY KEY (path, context)
    ) WITHOUT ROWID;
    ",
    // 2: the article cache becomes a rowid table (a WITHOUT ROWID row over ~1 KB spills
    // into an overflow page, and cached entries are about that size), with the parsed
    // entry's content hash beside each entry; and per-feed fingerprints of everything a
    // build read, so an unchanged feed is skipped whole.
    "
    CREATE TABLE article_cache_2 (
        path          TEXT    NOT NULL,
        context       TEXT    NOT NULL,
        size          INTEGER NOT NULL,
        mtime_ns      INTEGER NOT NULL,
        content_hash  BLOB    NOT NULL,
        entry         TEXT    NOT NULL,
        entry_hash    BLOB,              -- ContentHash of the entry; NULL in migrated rows
        PRIMARY KEY (path, context)
    );
    INSERT INTO article_cache_2 (path, context, size, mtime_ns, content_hash, entry)
        SELECT path, context, size, mtime_ns, content_hash, entry FROM article_cache;
    DROP TABLE article_cache;
    ALTER TABLE article_cache_2 RENAME TO article_cache;

    CREATE TABLE feed_fingerprint (
        feed         TEXT    PRIMARY KEY,
        fingerprint  BLOB    NOT NULL,
        valid_until  INTEGER             -- Unix seconds; NULL: until the inputs change
    ) WITHOUT ROWID;
    ",
    // 3: cached entries become postcard blobs instead of JSON text, their summary and
    // content kept apart in `article_body` (a build that copies an unchanged entry's text
    // from its earlier outputs reads only the small rows); the old rows are dropped, and the
    // next build parses those files once more. And per output file, where each entry's text
    // lies in it (crate::emit::parts).
    "
    DELETE FROM article_cache;

    CREATE TABLE article_body (
        path     TEXT NOT NULL,
        context  TEXT NOT NULL,
        body     BLOB NOT NULL,          -- the entry's summary and content
        PRIMARY KEY (path, context)
    );
    CREATE TRIGGER article_body_follows AFTER DELETE ON article_cache BEGIN
        DELETE FROM article_body WHERE path = old.path AND context = old.context;
    END;

    CREATE TABLE output_parts (
        path      TEXT    PRIMARY KEY,
        size      INTEGER NOT NULL,     -- the file's stamp once installed
        mtime_ns  INTEGER NOT NULL,
        parts     BLOB    NOT NULL      -- PartIndex::to_bytes
    );
    ",
    // 4: outputs are no longer put together from pieces of the last build's files, so the
    // index of those pieces goes, and cached entries are kept whole again (summary and
    // content in the one row); the old rows are dropped, and the next build parses those
    // files once more.
    "
    DROP TABLE output_parts;
    DROP TRIGGER article_body_follows;
    DROP TABLE article_body;
    DELETE FROM article_cache;
    ",
    // 5: when each fetched URL may be fetched again (crate::merge::poll): the last try, the
    // failures in a row since the last success, the server's Retry-After, the backoff, and
    // the freshness the response's own headers gave. With the validators of `fetch_cache`,
    // this is what a scheduler needs; `next_fetch` is the latest of the times, kept for it.
    "
    CREATE TABLE fetch_schedule (
        url            TEXT    PRIMARY KEY,
        checked_at     INTEGER NOT NULL,  -- Unix seconds of the last try
        failures       INTEGER NOT NULL,  -- failed tries in a row; 0 after a success
        retry_after    INTEGER,           -- Unix seconds; the server asked to wait until then
        backoff_until  INTEGER,           -- Unix seconds; the backoff after failures ends
        fresh_until    INTEGER,           -- Unix seconds; fresh by its own headers until then
        next_fetch     INTEGER NOT NULL   -- Unix seconds; the latest of the four above
    ) WITHOUT ROWID;
    CREATE INDEX fetch_schedule_due ON fetch_schedule (next_fetch);
    ",
    // 6: the full text of merged items (crate::merge::PageCache): per feed, item id and
    // link, the article read from the item's page, or, while the page fails, when to try it
    // again; the record is crate::merge::PageRecord::to_json. A rowid table: records hold
    // whole articles, tens of kilobytes.
    "
    CREATE TABLE page_text (
        feed      TEXT NOT NULL,
        entry_id  TEXT NOT NULL,
        link      TEXT NOT NULL,
        record    TEXT NOT NULL,
        PRIMARY KEY (feed, entry_id, link)
    );
    ",
];

/// The schema version this build writes.
pub(super) const CURRENT: i64 = MIGRATIONS.len() as i64;

/// The file's schema version.
pub(super) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the file at `path` to [`CURRENT`], refusing files that are not ours or too new.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StateError> {
    migrate_with(conn, path, MIGRATIONS)
}

/// Applies the `migrations` the file has not seen yet, all in one transaction.
fn migrate_with(conn: &mut Connection, path: &Path, migrations: &[&str]) -> Result<(), StateError> {
    let latest = migrations.len() as i64;
    let sql = StateError::sql(path);
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(&sql)?;
    let found = version(&tx).map_err(&sql)?;
    let app_id: i64 = tx
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(&sql)?;
    if app_id != APPLICATION_ID && (app_id != 0 || found != 0 || has_tables(&tx).map_err(&sql)?) {
        return Err(StateError::NotOurs {
            path: path.to_path_buf(),
            found: app_id,
        });
    }
    if found > latest {
        return Err(StateError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: latest,
        });
    }
    if found == latest {
        return tx.commit().map_err(&sql);
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(&sql)?;
    let applied = usize::try_from(found).map_err(|_| StateError::BadVersion {
        path: path.to_path_buf(),
        found,
    })?;
    for (done, migration) in migrations.iter().enumerate().skip(applied) {
        tx.execute_batch(migration).map_err(&sql)?;
        tx.pragma_update(None, "user_version", done as i64 + 1)
            .map_err(&sql)?;
    }
    tx.commit().map_err(&sql)
}

fn has_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table')",
        [],
        |row| row.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEXT: &str = "ALTER TABLE history ADD COLUMN note TEXT";

    fn open(dir: &tempfile::TempDir) -> (Connection, std::path::PathBuf) {
        let path = dir.path().join("state.sqlite");
        (Connection::open(&path).expect("open"), path)
    }

    #[test]
    fn later_migrations_run_once_in_order_and_keep_the_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut conn, path) = open(&dir);
        migrate(&mut conn, &path).expect("first migration");
        conn.execute(
            "INSERT INTO history (feed, entry_id, last_seen, entry) VALUES ('f', 'a', 0, '{}')",
            [],
        )
        .expect("insert");
        let mut next: Vec<&str> = MIGRATIONS.to_vec();
        next.push(NEXT);
        migrate_with(&mut conn, &path, &next).expect("upgrade");
        migrate_with(&mut conn, &path, &next).expect("already current");
        assert_eq!(version(&conn).expect("version"), CURRENT + 1);
        let note: Option<String> = conn
            .query_row("SELECT note FROM history WHERE entry_id = 'a'", [], |r| {
                r.get(0)
            })
            .expect("row kept, column added");
        assert_eq!(note, None);
    }

    #[test]
    fn a_failing_migration_leaves_the_file_at_its_old_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut conn, path) = open(&dir);
        migrate(&mut conn, &path).expect("first migration");
        let mut next: Vec<&str> = MIGRATIONS.to_vec();
        next.push("CREATE TABLE extra (x); THIS IS NOT SQL");
        assert!(migrate_with(&mut conn, &path, &next).is_err());
        assert_eq!(version(&conn).expect("version"), CURRENT);
        let extra: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'extra')",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert!(!extra, "a half-applied migration was kept");
    }
}
