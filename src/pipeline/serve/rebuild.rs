//! The server's builder: one thread that builds the project on a schedule and on request,
//! and swaps a new catalog into service after each build; and the signal handlers that ask
//! it to (`SIGHUP`) or stop the server (`SIGTERM`, `SIGINT`).
//!
//! A build that does not run at all (broken definitions, the lock held too long) keeps the
//! catalog in service; one that fails for some feeds installs nothing for them, so reading
//! the files again serves their last good outputs.

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::catalog::Catalog;
use super::{BuildListener, Clock, Shared};
use crate::config::{self, FeedDef};
use crate::pipeline::build::{BuildError, BuildOptions, build};

/// What the builder thread is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    /// Build now.
    Rebuild,
    /// Finish and return.
    Stop,
}

/// The state of the builder thread.
pub(super) struct Builder {
    /// How each build runs (its `now` is set from `clock`).
    pub options: BuildOptions,
    /// Where each build's time comes from.
    pub clock: Clock,
    /// Told each build's outcome.
    pub on_build: BuildListener,
    /// The definitions of the last build that could read them.
    pub defs: Vec<FeedDef>,
    /// The catalog in service.
    pub shared: Shared,
}

impl Builder {
    /// Builds the project once and puts the outputs in service.
    pub fn build(&mut self) {
        let mut options = self.options.clone();
        options.now = (self.clock)();
        let built = build(&options, &mut |_| {});
        (self.on_build)(built.as_ref());
        match &built {
            Err(BuildError::Config(_)) => return,
            Err(e) => tracing::warn!(error = %e, "build did not run; serving the files there are"),
            Ok(_) => {}
        }
        match config::load_dir(&self.options.feeds) {
            Ok(defs) => self.defs = defs,
            Err(e) => tracing::warn!(error = %e, "definitions changed under the build"),
        }
        let previous = match self.shared.read() {
            Ok(catalog) => Arc::clone(&catalog),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        let catalog = Arc::new(Catalog::load(&self.defs, &previous));
        match self.shared.write() {
            Ok(mut current) => *current = catalog,
            Err(poisoned) => *poisoned.into_inner() = catalog,
        }
    }

    /// Builds every `every` (when set) and on each [`Command::Rebuild`], until
    /// [`Command::Stop`] or until every sender is gone. Requests that pile up during a build
    /// make one build.
    pub fn run(mut self, commands: &mpsc::Receiver<Command>, every: Option<Duration>) {
        let mut due = every.map(|every| Instant::now() + every);
        loop {
            let next = match due {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    commands.recv_timeout(wait)
                }
                None => (commands.recv()).map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            };
            match next {
                Ok(Command::Rebuild) | Err(mpsc::RecvTimeoutError::Timeout) => {
                    let pending: Vec<Command> = commands.try_iter().collect();
                    if pending.contains(&Command::Stop) {
                        return;
                    }
                    self.build();
                    due = every.map(|every| Instant::now() + every);
                }
                Ok(Command::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// Rebuilds on `SIGHUP` and stops the server on `SIGTERM` or `SIGINT`. Must be called
/// within the server's runtime.
#[cfg(unix)]
pub(super) fn watch_signals(
    stop: watch::Sender<bool>,
    commands: mpsc::Sender<Command>,
) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = hangup.recv() => {
                    tracing::info!("SIGHUP: rebuilding");
                    let _ = commands.send(Command::Rebuild);
                }
                _ = terminate.recv() => break,
                _ = interrupt.recv() => break,
            }
        }
        tracing::info!("stopping");
        let _ = stop.send(true);
    });
    Ok(())
}

/// Stops the server on Ctrl-C (there is no `SIGHUP` here).
#[cfg(not(unix))]
pub(super) fn watch_signals(
    stop: watch::Sender<bool>,
    _commands: mpsc::Sender<Command>,
) -> std::io::Result<()> {
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
    });
    Ok(())
}
