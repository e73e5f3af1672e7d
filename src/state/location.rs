//! Where the state lives: an SQLite file (the embedded default) or a PostgreSQL database,
//! as `--state`, `FEEDLOOM_STATE` and the `state` key of feed definitions name it. A
//! database address is never shown with its password: [`PgAddress`] prints it hidden.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where the state lives.
#[derive(Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// One SQLite file (see [`crate::state::State`]).
    File(PathBuf),
    /// A PostgreSQL database (see [`crate::state::PgState`]).
    Postgres(PgAddress),
}

/// Why a `postgres://` address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{shown}: not a PostgreSQL address feedloom can use: {reason}")]
pub struct BadAddress {
    /// The address, its password hidden.
    pub shown: String,
    /// What is wrong with it.
    pub reason: String,
}

impl StateLocation {
    /// Reads `text`: a `postgres://` or `postgresql://` URL is a database, anything else
    /// the path of an SQLite file (relative paths are the caller's to resolve).
    pub fn parse(text: &str) -> Result<StateLocation, BadAddress> {
        let trimmed = text.trim();
        if is_postgres_url(trimmed) {
            return PgAddress::parse(trimmed).map(StateLocation::Postgres);
        }
        Ok(StateLocation::File(PathBuf::from(text)))
    }

    /// The same location with a relative file path taken from `base`.
    pub fn relative_to(self, base: &Path) -> StateLocation {
        match self {
            StateLocation::File(path) if path.is_relative() => StateLocation::File(base.join(path)),
            other => other,
        }
    }

    /// Whether the state is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self, StateLocation::Postgres(_))
    }
}

impl fmt::Display for StateLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateLocation::File(path) => write!(f, "{}", path.display()),
            StateLocation::Postgres(address) => address.fmt(f),
        }
    }
}

impl fmt::Debug for StateLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateLocation::File(path) => f.debug_tuple("File").field(path).finish(),
            StateLocation::Postgres(address) => f.debug_tuple("Postgres").field(address).finish(),
        }
    }
}

impl FromStr for StateLocation {
    type Err = BadAddress;

    fn from_str(text: &str) -> Result<StateLocation, BadAddress> {
        StateLocation::parse(text)
    }
}

/// Whether `text` is a PostgreSQL connection URL.
pub fn is_postgres_url(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A PostgreSQL connection URL, checked. It prints (and debugs) with its password hidden.
#[derive(Clone)]
pub struct PgAddress {
    url: String,
    config: Box<postgres::Config>,
}

impl PgAddress {
    /// Checks `url` as the `postgres` crate reads it (`postgres://user@host:port/db?…`).
    pub fn parse(url: &str) -> Result<PgAddress, BadAddress> {
        let config = postgres::Config::from_str(url).map_err(|e| BadAddress {
            shown: hide_password(url),
            reason: e.to_string(),
        })?;
        Ok(PgAddress {
            url: url.to_owned(),
            config: Box::new(config),
        })
    }

    /// The connection settings.
    pub fn config(&self) -> &postgres::Config {
        &self.config
    }

    /// The URL as given, password included: for passing on to a child process, never
    /// for printing.
    pub fn secret_url(&self) -> &str {
        &self.url
    }
}

impl PartialEq for PgAddress {
    fn eq(&self, other: &PgAddress) -> bool {
        self.url == other.url
    }
}

impl Eq for PgAddress {}

impl fmt::Display for PgAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hide_password(&self.url))
    }
}

impl fmt::Debug for PgAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgAddress({self})")
    }
}

/// `url` with the password of its user info, and any `password=` parameter, replaced by
/// `***`.
pub fn hide_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut shown = url[..scheme_end].to_owned();
    match authority.rfind('@') {
        Some(at) => {
            let user_info = &authority[..at];
            match user_info.split_once(':') {
                Some((user, _)) => shown.push_str(&format!("{user}:***")),
                None => shown.push_str(user_info),
            }
            shown.push_str(&authority[at..]);
        }
        None => shown.push_str(authority),
    }
    let tail = &rest[authority_end..];
    match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = (query.split('&'))
                .map(|p| match p.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => p.to_owned(),
                })
                .collect();
            shown.push_str(&format!("{path}?{}", params.join("&")));
        }
        None => shown.push_str(tail),
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_print_without_their_password() {
        let table = [
            (
                "postgres://u:secret@db:5432/feeds",
                "postgres://u:***@db:5432/feeds",
            ),
            ("postgres://u@db/feeds", "postgres://u@db/feeds"),
            (
                "postgresql://db/feeds?password=x&sslmode=disable",
                "postgresql://db/feeds?password=***&sslmode=disable",
            ),
            ("postgres://u:p@a,b/feeds", "postgres://u:***@a,b/feeds"),
        ];
        for (url, shown) in table {
            assert_eq!(hide_password(url), shown, "{url}");
        }
    }

    #[test]
    fn urls_are_databases_and_everything_else_a_file() {
        let db = StateLocation::parse("postgres://u:p@127.0.0.1:5/f").expect("url");
        assert!(db.is_postgres());
        assert_eq!(db.to_string(), "postgres://u:***@127.0.0.1:5/f");
        assert!(!format!("{db:?}").contains(":p@"));
        let file = StateLocation::parse("state/x.sqlite").expect("path");
        assert_eq!(
            file.relative_to(Path::new("/srv")),
            StateLocation::File(PathBuf::from("/srv/state/x.sqlite"))
        );
        assert!(StateLocation::parse("postgres://u@h:notaport/f").is_err());
    }
}
