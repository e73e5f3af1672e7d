//! Two runs contending for the state lock.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use feedloom::lock::{LockError, StateLock, lock_path};

#[test]
fn a_second_run_times_out_busy_while_the_first_holds_the_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let held = StateLock::acquire(&state, Duration::ZERO).expect("first lock");
    assert_eq!(held.path(), lock_path(&state));

    let start = Instant::now();
    let err = StateLock::acquire(&state, Duration::from_millis(300)).expect_err("busy");
    assert!(start.elapsed() >= Duration::from_millis(300));
    match &err {
        LockError::Busy { path, waited } => {
            assert_eq!(path, &lock_path(&state));
            assert!(*waited >= Duration::from_millis(300));
        }
        other => panic!("expected Busy, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("state.sqlite.lock"), "{message}");
    assert!(message.contains("another feedloom run"), "{message}");
}

#[test]
fn a_waiting_run_gets_the_lock_once_the_first_releases_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let held = StateLock::acquire(&state, Duration::ZERO).expect("first lock");
    let (started, waiting) = mpsc::channel();
    let second = {
        let state = state.clone();
        thread::spawn(move || {
            started.send(()).expect("signal");
            StateLock::acquire(&state, Duration::from_secs(10)).map(|_| Instant::now())
        })
    };
    waiting.recv().expect("second started");
    thread::sleep(Duration::from_millis(200));
    let released = Instant::now();
    drop(held);
    let got = second.join().expect("thread").expect("second lock");
    assert!(got >= released);
    // Released again when the second holder dropped it.
    StateLock::acquire(&state, Duration::ZERO).expect("free again");
}

const CHILD_ENV: &str = "FEEDLOOM_TEST_LOCK_STATE";

/// In the child: take the lock, say so, and hold it until killed (or a minute passed, so a
/// failed test leaves no process behind).
fn hold_lock_until_killed(state: &std::path::Path) -> ! {
    let _lock = StateLock::acquire(state, Duration::from_secs(10)).expect("child lock");
    println!("locked");
    thread::sleep(Duration::from_secs(60));
    std::process::exit(1)
}

/// Kills the child process when the test ends, passing or failing.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn another_process_holding_the_lock_blocks_until_it_dies() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    if let Some(state) = std::env::var_os(CHILD_ENV) {
        hold_lock_until_killed(std::path::Path::new(&state));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let state = dir.path().join("state.sqlite");
    let child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "another_process_holding_the_lock_blocks_until_it_dies",
            "--nocapture",
        ])
        .env(CHILD_ENV, &state)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child");
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().expect("child stdout");
    let locked = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("locked"));
    assert!(locked, "child never took the lock");

    let busy = StateLock::acquire(&state, Duration::from_millis(200));
    assert!(matches!(busy, Err(LockError::Busy { .. })), "{busy:?}");
    // A holder killed outright leaves no stale lock behind.
    child.0.kill().expect("kill child");
    child.0.wait().expect("reap child");
    StateLock::acquire(&state, Duration::from_secs(10)).expect("lock after the holder died");
}
