//! One test suite for both stores: a [`TestStore`] is an SQLite file in a temporary folder or
//! a fresh PostgreSQL database (see `pg_common`), opened as a `dyn StateStore`, and
//! [`both_stores!`] runs each test function once per store.

#![allow(dead_code)]

use std::path::PathBuf;

use feedloom::state::{PgState, State, StateLocation, StateStore, StoreRun};

#[path = "../pg_common/mod.rs"]
pub mod pg_common;

/// A store for one test.
pub struct TestStore {
    /// The state as `--state` names it: a file path or a `postgres://` URL.
    pub location: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestStore {
    /// An SQLite file (not created yet) in a new temporary folder.
    pub fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let path: PathBuf = dir.path().join("feeds").join(".feedloom.sqlite");
        TestStore {
            location: path.to_string_lossy().into_owned(),
            _dir: Some(dir),
        }
    }

    /// A new database on the shared test server; `None` without PostgreSQL.
    pub fn postgres() -> Option<TestStore> {
        pg_common::database().map(|url| TestStore {
            location: url,
            _dir: None,
        })
    }

    /// Whether this is the PostgreSQL store.
    pub fn is_postgres(&self) -> bool {
        self.location.starts_with("postgres://")
    }

    /// Opens (creating or migrating) the store.
    pub fn open(&self) -> Box<dyn StateStore> {
        open_location(&self.location)
    }

    /// Opens the store, runs `f` in one committed run, and closes the store again.
    pub fn with_run<T>(&self, f: impl FnOnce(&dyn StoreRun) -> T) -> T {
        let mut state = self.open();
        let run = state.begin().expect("begin run");
        let out = f(run.as_ref());
        run.commit().expect("commit");
        out
    }

    /// Runs `sql` on the store directly, outside feedloom.
    pub fn raw(&self, sql: &str) {
        if self.is_postgres() {
            let mut client =
                postgres::Client::connect(&self.location, postgres::NoTls).expect("connect");
            client.batch_execute(sql).expect("raw SQL");
        } else {
            let conn = rusqlite::Connection::open(&self.location).expect("raw open");
            conn.execute_batch(sql).expect("raw SQL");
        }
    }

    /// The one integer `sql` gives, read directly.
    pub fn raw_i64(&self, sql: &str) -> i64 {
        if self.is_postgres() {
            let mut client =
                postgres::Client::connect(&self.location, postgres::NoTls).expect("connect");
            client.query_one(sql, &[]).expect("raw query").get(0)
        } else {
            let conn = rusqlite::Connection::open(&self.location).expect("raw open");
            conn.query_row(sql, [], |r| r.get(0)).expect("raw query")
        }
    }
}

/// Opens the store `location` names.
pub fn open_location(location: &str) -> Box<dyn StateStore> {
    match StateLocation::parse(location).expect("a state location") {
        StateLocation::File(path) => Box::new(State::open(&path).expect("open the SQLite state")),
        StateLocation::Postgres(address) => {
            Box::new(PgState::open(&address).expect("open the PostgreSQL state"))
        }
    }
}

/// Runs each named function (taking `&TestStore`) as a test against SQLite and, when it is
/// installed, PostgreSQL: `both_stores!(a, b)` makes `sqlite::a`, `postgres::a`, ….
#[macro_export]
macro_rules! both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name(&super::store_common::TestStore::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(store) = super::store_common::TestStore::postgres() {
                        super::$name(&store);
                    }
                }
            )*
        }
    };
}
