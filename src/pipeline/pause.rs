//! Named points where a build can be held still, so tests can kill it at a chosen moment
//! (between writing the outputs and committing the state, say) instead of after a guessed
//! delay. Only debug builds have them: with `FEEDLOOM_PAUSE_AT=NAME` in the environment, the
//! run prints `feedloom: paused at NAME` on stderr when it reaches that point and waits there
//! until it is killed. Release builds compile them to nothing.

/// Holds the run at the point `name` when `FEEDLOOM_PAUSE_AT` names it (debug builds only).
#[cfg(debug_assertions)]
pub fn point(name: &str) {
    if std::env::var_os("FEEDLOOM_PAUSE_AT").is_some_and(|at| at == name) {
        eprintln!("feedloom: paused at {name}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// Holds the run at the point `name` when `FEEDLOOM_PAUSE_AT` names it (debug builds only).
#[cfg(not(debug_assertions))]
pub fn point(_name: &str) {}
