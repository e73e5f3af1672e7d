//! Why the state store could not be used. Each error names the store (the file's path, or
//! the database's address) and, where it helps, what to do.

use std::path::{Path, PathBuf};

use super::Unreadable;

/// Why the state store could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The folder that should hold the state file could not be created.
    #[error("{}: cannot create the state folder: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// SQLite refused an operation on the state file.
    #[error("{}: state database error: {source}", path.display())]
    Sql {
        /// The state file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The state file was written by a newer feedloom whose schema this one does not know.
    #[error(
        "{}: state schema version {found} is newer than this feedloom supports ({supported}); \
         upgrade feedloom or point --state at another file",
        path.display()
    )]
    TooNew {
        /// The state file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// The file is an SQLite database, but not a feedloom state file.
    #[error("{}: not a feedloom state file (application id {found:#x}); refusing to touch it", path.display())]
    NotOurs {
        /// The file.
        path: PathBuf,
        /// The application id found in it.
        found: i64,
    },
    /// A stored value could not be read back.
    #[error("{store}: corrupt state ({source}); delete the state to start afresh")]
    Corrupt {
        /// The store: the state file's path, or the database's address.
        store: String,
        /// What could not be read.
        source: Unreadable,
    },
    /// The schema version stored in the file is negative.
    #[error("{}: corrupt state (schema version {found}); delete the file to start afresh", path.display())]
    BadVersion {
        /// The state file.
        path: PathBuf,
        /// The version found.
        found: i64,
    },
    /// PostgreSQL refused an operation, or the database could not be reached.
    #[error("{store}: PostgreSQL error: {}", pg_reason(.source))]
    Postgres {
        /// The database's address, its password hidden.
        store: String,
        /// The driver's reason.
        source: postgres::Error,
    },
    /// The database's schema was written by a newer feedloom.
    #[error(
        "{store}: state schema version {found} is newer than this feedloom supports \
         ({supported}); upgrade feedloom on every host that shares this database"
    )]
    SchemaTooNew {
        /// The database's address, its password hidden.
        store: String,
        /// The schema version found.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// The `postgres://` address cannot be used.
    #[error(transparent)]
    Address(#[from] super::BadAddress),
    /// The operation needs the other kind of store.
    #[error("{store}: {what}")]
    Unsupported {
        /// The store.
        store: String,
        /// What cannot be done, and what to do instead.
        what: String,
    },
}

/// The driver's error with the server's message, detail and hint when there is one.
fn pg_reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; {hint}"));
            }
            text
        }
        None => e.to_string(),
    }
}

impl StateError {
    /// Turns the driver's errors on the database at `store` into [`StateError::Postgres`].
    pub(crate) fn pg(store: &str) -> impl Fn(postgres::Error) -> StateError + '_ {
        move |source| StateError::Postgres {
            store: store.to_owned(),
            source,
        }
    }

    /// Turns SQLite's errors on the file at `path` into [`StateError::Sql`].
    pub(crate) fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> StateError + '_ {
        move |source| StateError::Sql {
            path: path.to_path_buf(),
            source,
        }
    }
}
