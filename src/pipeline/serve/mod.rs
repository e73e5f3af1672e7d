//! `feedloom serve`: the built outputs of a project over HTTP, rebuilt on a schedule and on
//! request.
//!
//! [`Server::start`] reads the definitions, builds once, loads every output into a
//! [`catalog`] (each body kept as written, gzip and Brotli, with its entity tags) and
//! listens. Requests are answered from memory by [`respond`] (axum on tokio), with content
//! negotiation ([`negotiate`]) and conditional requests. A builder thread ([`rebuild`])
//! builds again every [`ServeOptions::every`], on [`Server::rebuild`] and on `SIGHUP`, and
//! swaps in a new catalog after each build; a build that fails keeps the last good files
//! in service. [`Server::stop`] (and `SIGTERM` or `SIGINT`) stops taking connections, lets
//! the requests under way finish, and waits for a build under way.
//!
//! The server reads the clock only to schedule builds and to stamp responses (`Date`);
//! each build's time comes from [`ServeOptions::clock`].

mod catalog;
mod negotiate;
mod rebuild;
mod respond;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use catalog::Catalog;
use rebuild::{Builder, Command};

use super::build::{BuildError, BuildOptions, BuildReport};
use crate::error::ConfigError;

/// How long requests under way may take to finish once the server is stopping.
const GRACE: Duration = Duration::from_secs(10);

/// What is told after each build: its report, or why it did not run.
pub type BuildListener = Box<dyn FnMut(Result<&BuildReport, &BuildError>) + Send>;

/// The clock each build's time is read from.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What `feedloom serve` is asked to do.
pub struct ServeOptions {
    /// The address to listen on; port 0 picks a free port (see [`Server::local_addr`]).
    pub addr: SocketAddr,
    /// How every build runs: the definitions folder, the state, drafts, WebSub pings. Its
    /// `now` is replaced by [`ServeOptions::clock`] at each build; `dry_run` must be off.
    pub build: BuildOptions,
    /// Build again this often; `None`: only on request and `SIGHUP`.
    pub every: Option<Duration>,
    /// Rebuild on `SIGHUP`, stop on `SIGTERM` and `SIGINT` (the binary's choice; a library
    /// caller may keep the process's signals to itself).
    pub signals: bool,
    /// Where each build's time comes from.
    pub clock: Clock,
    /// Told the outcome of every build, the first included.
    pub on_build: BuildListener,
    /// Worker threads for the connections; `None`: one per core.
    pub workers: Option<usize>,
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (f.debug_struct("ServeOptions"))
            .field("addr", &self.addr)
            .field("build", &self.build)
            .field("every", &self.every)
            .field("signals", &self.signals)
            .field("workers", &self.workers)
            .finish_non_exhaustive()
    }
}

impl ServeOptions {
    /// Options to serve the project whose definitions are in `feeds` on `addr`, with the
    /// system clock, every build setting at its default, no schedule and no signals.
    pub fn new(feeds: impl Into<PathBuf>, addr: SocketAddr) -> ServeOptions {
        let clock: Clock = Arc::new(Utc::now);
        ServeOptions {
            addr,
            build: BuildOptions::new(feeds, clock()),
            every: None,
            signals: false,
            clock,
            on_build: Box::new(|_| {}),
            workers: None,
        }
    }
}

/// Why the server could not start or stopped badly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The feed definitions could not be read: there is nothing to serve.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The address could not be bound, or the connections failed.
    #[error("cannot serve on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// The reason.
        source: std::io::Error,
    },
    /// The runtime or a signal handler could not be set up.
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// What the request handlers share: the catalog in service.
type Shared = Arc<RwLock<Arc<Catalog>>>;

/// A running server. Dropping it does not stop it: call [`Server::stop`] or
/// [`Server::wait`].
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    paths: Vec<String>,
    stop: watch::Sender<bool>,
    commands: mpsc::Sender<Command>,
    serving: JoinHandle<Result<(), ServeError>>,
    building: JoinHandle<()>,
}

impl Server {
    /// Reads the definitions, builds once, loads the outputs and starts listening on
    /// `options.addr`; returns once connections are taken. Only unreadable definitions, an
    /// address that cannot be bound or a runtime that cannot start are errors: a build that
    /// fails is reported to [`ServeOptions::on_build`] and the files already there are
    /// served.
    pub fn start(mut options: ServeOptions) -> Result<Server, ServeError> {
        let defs = crate::config::load_dir(&options.build.feeds)?;
        let mut builder = Builder {
            options: options.build.clone(),
            clock: Arc::clone(&options.clock),
            on_build: std::mem::replace(&mut options.on_build, Box::new(|_| {})),
            defs,
            shared: Shared::default(),
        };
        builder.build();
        let shared = Arc::clone(&builder.shared);
        let paths = (shared
            .read()
            .map(|c| c.paths().iter().map(|p| p.to_string()).collect()))
        .unwrap_or_default();

        let runtime = runtime(options.workers)?;
        let listener = (runtime.block_on(tokio::net::TcpListener::bind(options.addr)))
            .map_err(|source| listen_error(options.addr, source))?;
        let addr = (listener.local_addr()).map_err(|source| listen_error(options.addr, source))?;
        let (stop, stopped) = watch::channel(false);
        let (commands, received) = mpsc::channel();
        if options.signals {
            let _entered = runtime.enter();
            rebuild::watch_signals(stop.clone(), commands.clone()).map_err(ServeError::Runtime)?;
        }
        let building = std::thread::Builder::new()
            .name("feedloom-build".into())
            .spawn(move || builder.run(&received, options.every))
            .map_err(ServeError::Runtime)?;
        let app = Router::new().fallback(handle).with_state(shared);
        let done = commands.clone();
        let serving = std::thread::Builder::new()
            .name("feedloom-serve".into())
            .spawn(move || {
                let served = runtime.block_on(serve(listener, app, stopped));
                let _ = done.send(Command::Stop);
                served.map_err(|source| listen_error(addr, source))
            })
            .map_err(ServeError::Runtime)?;
        Ok(Server {
            addr,
            paths,
            stop,
            commands,
            serving,
            building,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The paths served after the first build, sorted.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Asks for a build now, as `SIGHUP` does; it runs after any build under way.
    pub fn rebuild(&self) {
        let _ = self.commands.send(Command::Rebuild);
    }

    /// Stops taking connections, lets requests under way finish (for up to 10 s), waits for
    /// a build under way, and returns.
    pub fn stop(self) -> Result<(), ServeError> {
        let _ = self.stop.send(true);
        self.wait()
    }

    /// Waits until the server stops (after [`Server::stop`] elsewhere, or a signal).
    pub fn wait(self) -> Result<(), ServeError> {
        let served = (self.serving.join()).unwrap_or_else(|p| std::panic::resume_unwind(p));
        let _ = self.commands.send(Command::Stop);
        (self.building.join()).unwrap_or_else(|p| std::panic::resume_unwind(p));
        served
    }
}

fn listen_error(addr: SocketAddr, source: std::io::Error) -> ServeError {
    ServeError::Listen { addr, source }
}

/// A multi-threaded tokio runtime with `workers` threads (one per core by default).
fn runtime(workers: Option<usize>) -> Result<tokio::runtime::Runtime, ServeError> {
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = workers {
        runtime.worker_threads(workers.max(1));
    }
    (runtime.enable_all().thread_name("feedloom-http").build()).map_err(ServeError::Runtime)
}

/// Serves `app` on `listener` until `stopped` turns true, then lets requests under way
/// finish for up to [`GRACE`].
async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let mut grace = stopped.clone();
    let shutdown = async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    };
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown);
    let deadline = async move {
        let _ = grace.wait_for(|stop| *stop).await;
        tokio::time::sleep(GRACE).await;
    };
    tokio::select! {
        served = served => served,
        () = deadline => {
            tracing::warn!("requests still under way after the grace period; stopping anyway");
            Ok(())
        }
    }
}

/// The one handler: every path is looked up in the catalog in service.
async fn handle(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let catalog = match shared.read() {
        Ok(catalog) => Arc::clone(&catalog),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    };
    respond::respond(&catalog, &method, &uri, &headers)
}
