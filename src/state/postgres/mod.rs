//! The shared store: a PostgreSQL database that carries the facts of [`crate::state`] for
//! every host that points at it, and hands out the fetching of external feeds as leased work.
//!
//! [`PgState`] connects (creating and migrating the schema, see [`schema`]) and opens runs:
//! a [`PgRun`] is one transaction, as an SQLite [`crate::state::Run`] is ([`run`]). Beside
//! the [`crate::state::StateStore`] it offers the work queue of the fetch workers
//! ([`queue`]: register sources, claim due ones with `FOR UPDATE SKIP LOCKED`, renew and
//! release leases, store results) and per-feed build locks ([`lock`]).
//!
//! Connections are plain TCP or Unix sockets (no TLS): keep the database on a private
//! network, or reach it through a tunnel. A password missing from the address is taken from
//! `PGPASSWORD`. Time is always passed in as `now`; nothing here reads the clock.

pub mod lock;
mod pages;
pub mod queue;
mod run;
pub mod schema;
mod status;

use std::collections::HashMap;
use std::time::Duration;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement};

pub use lock::FeedLocks;
pub use queue::{Claimed, Completion, Registered, SourcePlan};
pub use run::PgRun;
pub use status::{SourceStatus, StatusRow};

use super::{PgAddress, StateError, StateStore, StoreRun};

/// How long a connection attempt may take when the address does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Query parameters, as the driver takes them.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A connection and the statements prepared on it.
pub(crate) struct Conn {
    client: Client,
    statements: HashMap<&'static str, Statement>,
    store: String,
}

impl Conn {
    /// Connects to `address`.
    pub(crate) fn connect(address: &PgAddress) -> Result<Conn, StateError> {
        let store = address.to_string();
        let mut config = address.config().clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_password().is_none()
            && let Some(password) = std::env::var_os("PGPASSWORD")
        {
            config.password(password.as_encoded_bytes());
        }
        if config.get_application_name().is_none() {
            config.application_name("feedloom");
        }
        let client = config.connect(NoTls).map_err(StateError::pg(&store))?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
            store,
        })
    }

    /// The database, as errors name it.
    pub(crate) fn store(&self) -> &str {
        &self.store
    }
}

/// The statement for `sql`, prepared once per connection.
pub(crate) fn prepared(
    client: &mut impl GenericClient,
    cache: &mut HashMap<&'static str, Statement>,
    sql: &'static str,
) -> Result<Statement, postgres::Error> {
    if let Some(statement) = cache.get(sql) {
        return Ok(statement.clone());
    }
    let statement = client.prepare(sql)?;
    cache.insert(sql, statement.clone());
    Ok(statement)
}

/// Every row `sql` gives, prepared once per connection.
pub(crate) fn query(
    client: &mut impl GenericClient,
    cache: &mut HashMap<&'static str, Statement>,
    sql: &'static str,
    params: Params<'_>,
) -> Result<Vec<Row>, postgres::Error> {
    let statement = prepared(client, cache, sql)?;
    client.query(&statement, params)
}

/// Runs `sql`, prepared once per connection; returns the rows it changed.
pub(crate) fn execute(
    client: &mut impl GenericClient,
    cache: &mut HashMap<&'static str, Statement>,
    sql: &'static str,
    params: Params<'_>,
) -> Result<u64, postgres::Error> {
    let statement = prepared(client, cache, sql)?;
    client.execute(&statement, params)
}

/// An open PostgreSQL store.
pub struct PgState {
    conn: Conn,
}

impl std::fmt::Debug for PgState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgState({})", self.conn.store)
    }
}

impl PgState {
    /// Connects to the database at `address` and brings its schema to the current version
    /// (every host may do so at once: migrations take a lock of their own).
    pub fn open(address: &PgAddress) -> Result<PgState, StateError> {
        let mut conn = Conn::connect(address)?;
        schema::migrate(&mut conn.client, &conn.store)?;
        Ok(PgState { conn })
    }

    /// The database, as errors name it (its password hidden).
    pub fn describe(&self) -> &str {
        &self.conn.store
    }

    /// The schema version of the database.
    pub fn schema_version(&mut self) -> Result<i64, StateError> {
        schema::version(&mut self.conn.client).map_err(StateError::pg(&self.conn.store))
    }

    /// Starts a run: every write until [`PgRun::commit`] happens in one transaction, and
    /// dropping the [`PgRun`] without committing rolls all of them back.
    pub fn begin_run(&mut self) -> Result<PgRun<'_>, StateError> {
        let Conn {
            client,
            statements,
            store,
        } = &mut self.conn;
        let tx = client.transaction().map_err(StateError::pg(store))?;
        Ok(PgRun::new(tx, statements, store))
    }
}

impl StateStore for PgState {
    fn begin(&mut self) -> Result<Box<dyn StoreRun + '_>, StateError> {
        Ok(Box::new(self.begin_run()?))
    }
}
