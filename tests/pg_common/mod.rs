//! A real PostgreSQL for the tests: one server per test binary, started on first use with
//! `initdb` and `pg_ctl` in a temporary folder (as the `postgres` user when the tests run as
//! root), listening on 127.0.0.1 and a free port, and stopped when the binary exits. Each
//! test gets a database of its own from [`database`].
//!
//! Without `pg_ctl` (on `PATH` or under `/usr/lib/postgresql/*/bin`) the tests that need it
//! say so and pass, unless `FEEDLOOM_REQUIRE_TOOLS` is set (as `.ci/run` sets it).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running server.
pub struct PgServer {
    /// The folder holding the data folder, the socket and the log.
    pub dir: PathBuf,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    bin: PathBuf,
    next: AtomicUsize,
    /// The server's options, as `pg_ctl -o` takes them.
    opts: String,
}

static SERVER: OnceLock<Option<PgServer>> = OnceLock::new();

/// The folder of `pg_ctl` and `initdb`, if PostgreSQL is installed.
pub fn bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|dir| dir.join("pg_ctl").is_file() && dir.join("initdb").is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// The shared server, started on first use; `None` (after saying why) when PostgreSQL is
/// not installed and `FEEDLOOM_REQUIRE_TOOLS` is not set.
pub fn server() -> Option<&'static PgServer> {
    SERVER
        .get_or_init(|| match bin_dir() {
            Some(bin) => Some(PgServer::start(&bin, &[])),
            None => {
                if std::env::var_os("FEEDLOOM_REQUIRE_TOOLS").is_some() {
                    panic!(
                        "pg_ctl not found, and FEEDLOOM_REQUIRE_TOOLS is set: install postgresql"
                    );
                }
                eprintln!(
                    "skipped: pg_ctl not found (install postgresql to run the PostgreSQL tests)"
                );
                None
            }
        })
        .as_ref()
}

/// The URL of a new, empty database on the shared server; `None` without PostgreSQL.
pub fn database() -> Option<String> {
    server().map(PgServer::new_database)
}

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// `program` with `args`, run as the `postgres` user when this process is root.
fn as_owner(program: &Path, args: &[&str]) -> Command {
    if running_as_root() {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(program)
            .args(args);
        command
    } else {
        let mut command = Command::new(program);
        command.args(args);
        command
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

extern "C" fn stop_at_exit() {
    if let Some(Some(server)) = SERVER.get() {
        server.stop();
    }
}

impl PgServer {
    /// Creates a cluster in a new temporary folder and starts it with `options` (server
    /// settings such as `shared_preload_libraries=pg_stat_statements`) on top of settings
    /// that make a throwaway server fast. It is stopped when the process exits.
    pub fn start(bin: &Path, options: &[&str]) -> PgServer {
        let dir = tempfile::Builder::new()
            .prefix("feedloom-pg-")
            .tempdir()
            .expect("temp dir")
            .keep();
        if running_as_root() {
            let status = Command::new("chown").arg("postgres:").arg(&dir).status();
            assert!(
                status.is_ok_and(|s| s.success()),
                "chown {} to postgres",
                dir.display()
            );
        }
        let data = dir.join("data");
        let data_arg = data.to_string_lossy().into_owned();
        let out = as_owner(
            &bin.join("initdb"),
            &[
                "-D",
                &data_arg,
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        )
        .stdout(Stdio::null())
        .output()
        .expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut settings = vec![
            "listen_addresses=127.0.0.1".to_string(),
            format!("unix_socket_directories={}", dir.display()),
            "fsync=off".into(),
            "synchronous_commit=off".into(),
            "full_page_writes=off".into(),
            "max_connections=200".into(),
        ];
        settings.extend(options.iter().map(|o| o.to_string()));
        let log = dir.join("log").to_string_lossy().into_owned();
        for attempt in 0..5 {
            let port = free_port();
            let mut opts = format!("-p {port}");
            for s in &settings {
                opts.push_str(&format!(" -c {s}"));
            }
            let status = as_owner(
                &bin.join("pg_ctl"),
                &[
                    "-D", &data_arg, "-l", &log, "-o", &opts, "-w", "-t", "30", "start",
                ],
            )
            .stdout(Stdio::null())
            .status()
            .expect("pg_ctl runs");
            if status.success() {
                let server = PgServer {
                    dir: dir.clone(),
                    port,
                    bin: bin.to_path_buf(),
                    next: AtomicUsize::new(0),
                    opts,
                };
                // SAFETY: registering a plain function to run at exit.
                unsafe {
                    libc::atexit(stop_at_exit);
                }
                return server;
            }
            eprintln!("pg_ctl start failed on port {port} (attempt {attempt}); trying another");
        }
        panic!("PostgreSQL did not start; see {log}");
    }

    /// The URL of the `postgres` database, for setting things up.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Creates a new database and returns its URL.
    pub fn new_database(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let name = format!("t{}_{n}", std::process::id());
        let mut admin = postgres::Client::connect(&self.admin_url(), postgres::NoTls)
            .expect("connect to the test server");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a database");
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the server (as a crash would: `immediate`), or starts it again on its port.
    pub fn set_running(&self, running: bool) {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let log = self.dir.join("log").to_string_lossy().into_owned();
        let args: Vec<&str> = match running {
            true => vec![
                "-D", &data, "-l", &log, "-o", &self.opts, "-w", "-t", "30", "start",
            ],
            false => vec!["-D", &data, "-m", "immediate", "-w", "stop"],
        };
        let status = as_owner(&self.bin.join("pg_ctl"), &args)
            .stdout(Stdio::null())
            .status()
            .expect("pg_ctl runs");
        assert!(status.success(), "pg_ctl {}", args.last().unwrap_or(&""));
    }

    /// Stops the server at once and removes its folder.
    pub fn stop(&self) {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let _ = as_owner(
            &self.bin.join("pg_ctl"),
            &["-D", &data, "-m", "immediate", "-w", "stop"],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
