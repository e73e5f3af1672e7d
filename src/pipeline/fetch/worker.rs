//! The fetch worker's loop: claim due sources, fetch them on a few threads, renew the
//! leases meanwhile, store each result with its next due time, and release; re-read the
//! definitions now and then; on a stop request, claim nothing more, finish and store what
//! is in flight, and leave.
//!
//! The loop reads the clock (the `clock` it is given) at its top and passes `now` down;
//! each fetch thread reads it once, as its fetch starts.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::plan::{FetchPlan, Planned, plan};
use super::{FetchError, FetchOptions, WorkerReport};
use crate::config;
use crate::merge::{FetchSchedule, Refreshed};
use crate::state::postgres::{Claimed, Completion};
use crate::state::{PgAddress, PgState};

/// How often the definitions are read again for new, changed or removed sources.
const RESYNC: Duration = Duration::from_secs(30);

/// The least wait before trying the database again after it failed.
const RETRY_WAIT: Duration = Duration::from_secs(1);

/// Tries to store what is in flight once stopping, when the database keeps failing.
const RETRIES_WHEN_STOPPING: u32 = 3;

/// The clock the worker reads.
pub type Clock<'a> = &'a (dyn Fn() -> DateTime<Utc> + Sync);

/// One fetch handed to a thread.
struct Job {
    claimed: Claimed,
    planned: Arc<Planned>,
}

/// What a thread sends back.
struct Done {
    url: String,
    refreshed: Refreshed,
}

/// The loop's own state.
struct Worker<'a> {
    options: &'a FetchOptions,
    address: PgAddress,
    state: PgState,
    plan: FetchPlan,
    clock: Clock<'a>,
    /// The URLs of the sources held.
    held: HashSet<String>,
    report: WorkerReport,
    /// When the leases were last renewed, and the definitions last read.
    last_renew: DateTime<Utc>,
    last_sync: DateTime<Utc>,
}

/// Runs a worker until `stop` is set (or, with `options.until_idle`, until nothing is due
/// and nothing is in flight).
pub(super) fn run(
    options: &FetchOptions,
    address: PgAddress,
    state: PgState,
    fetch_plan: FetchPlan,
    clock: Clock<'_>,
    stop: &AtomicBool,
) -> Result<WorkerReport, FetchError> {
    let _span = tracing::info_span!("worker", id = %options.worker_id).entered();
    let threads = options.concurrency.max(1);
    let (job_tx, job_rx) = channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = channel::<Done>();
    let mut worker = Worker {
        options,
        address,
        state,
        plan: fetch_plan,
        clock,
        held: HashSet::new(),
        report: WorkerReport::default(),
        last_renew: clock(),
        last_sync: clock(),
    };
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (jobs, done) = (&job_rx, done_tx.clone());
            let id = options.worker_id.as_str();
            scope.spawn(move || fetch_thread(jobs, done, clock, id));
        }
        drop(done_tx);
        let outcome = worker.run_loop(&job_tx, &done_rx, stop);
        drop(job_tx);
        // Whatever is still held (an error stopped the loop): give it back.
        let urls: Vec<String> = worker.held.iter().cloned().collect();
        if !urls.is_empty()
            && let Err(e) = worker.state.release(&options.worker_id, &urls)
        {
            tracing::warn!(
                "{e}; the leases of {} sources run out by themselves",
                urls.len()
            );
        }
        outcome
    })?;
    tracing::info!(
        fetched = worker.report.fetched,
        failed = worker.report.failed,
        "worker stopped"
    );
    Ok(worker.report)
}

/// A fetch thread: takes jobs until the channel closes.
fn fetch_thread(jobs: &Mutex<Receiver<Job>>, done: Sender<Done>, clock: Clock<'_>, id: &str) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let Job { claimed, planned } = job;
        let span = tracing::info_span!("fetch", worker = %id, url = %claimed.url);
        let _entered = span.enter();
        let now = clock();
        tracing::debug!("fetching");
        let previous = claimed.schedule.clone();
        let fetched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            planned.refresher.refresh(
                &planned.url,
                &planned.source,
                claimed.cached,
                claimed.schedule,
                now.fixed_offset(),
            )
        }));
        // A fetch that crashed counts as a failure of its source, not of the worker.
        let refreshed = fetched.unwrap_or_else(|_| Refreshed {
            copy: None,
            schedule: FetchSchedule::failed(previous.as_ref(), now, None),
            error: Some("fetching or reading this feed crashed".into()),
            entries: None,
        });
        match &refreshed.error {
            None => tracing::info!(entries = refreshed.entries, "fetched"),
            Some(error) => tracing::warn!(failures = refreshed.schedule.failures, "{error}"),
        }
        if done
            .send(Done {
                url: claimed.url,
                refreshed,
            })
            .is_err()
        {
            return;
        }
    }
}

impl Worker<'_> {
    fn run_loop(
        &mut self,
        jobs: &Sender<Job>,
        done: &Receiver<Done>,
        stop: &AtomicBool,
    ) -> Result<(), FetchError> {
        let mut results = Vec::new();
        let mut failures = 0;
        loop {
            let stopping = stop.load(Ordering::SeqCst);
            let wait = match self.round(&mut results, jobs, stopping) {
                Ok(None) => return Ok(()),
                Ok(Some(wait)) => {
                    failures = 0;
                    wait
                }
                // The database went away, or refused: keep what is not stored yet, wait,
                // connect again, go on. Sources held meanwhile may expire and go to others.
                Err(FetchError::State(e)) if !stopping || failures < RETRIES_WHEN_STOPPING => {
                    failures += 1;
                    tracing::error!("{e}; retrying");
                    std::thread::sleep(self.options.poll.max(RETRY_WAIT));
                    if let Err(e) = self.reconnect() {
                        tracing::error!("{e}; retrying");
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            match done.recv_timeout(wait) {
                Ok(first) => {
                    results.push(first);
                    results.extend(done.try_iter());
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }

    /// Connects to the database again, and gives back the leases this worker does not know
    /// it holds: a claim that committed just as the connection broke.
    fn reconnect(&mut self) -> Result<(), FetchError> {
        self.state = PgState::open(&self.address)?;
        let held: Vec<String> = self.held.iter().cloned().collect();
        let released = self.state.release_others(&self.options.worker_id, &held)?;
        tracing::info!(released, "connected again");
        Ok(())
    }

    /// One round: store the results, renew, read the definitions again when due, claim
    /// what the free threads can take. Returns how long to wait for results, or `None` when
    /// the worker is done.
    fn round(
        &mut self,
        results: &mut Vec<Done>,
        jobs: &Sender<Job>,
        stopping: bool,
    ) -> Result<Option<Duration>, FetchError> {
        let threads = self.options.concurrency.max(1);
        // Claim in batches: once a quarter of the threads are free, or all of them.
        let batch = threads.div_ceil(4);
        let now = (self.clock)();
        self.store(results)?;
        if stopping && self.held.is_empty() {
            return Ok(None);
        }
        self.renew(now)?;
        if !stopping {
            self.resync(now)?;
        }
        let free = threads.saturating_sub(self.held.len());
        let mut claimed = 0;
        if !stopping && (free >= batch || self.held.is_empty()) {
            claimed = self.claim(now, free, jobs)?;
        }
        if self.options.until_idle && claimed == 0 && self.held.is_empty() {
            return Ok(None);
        }
        Ok(Some(match claimed > 0 && claimed == free {
            true => Duration::from_millis(10),
            false => self.options.poll,
        }))
    }

    /// Claims up to `free` sources and hands them to the threads; returns how many.
    fn claim(
        &mut self,
        now: DateTime<Utc>,
        free: usize,
        jobs: &Sender<Job>,
    ) -> Result<usize, FetchError> {
        let until = now + lease_duration(self.options.lease);
        let claimed = self
            .state
            .claim(&self.options.worker_id, now, until, free)?;
        let count = claimed.len();
        if count > 0 {
            let urls: Vec<&str> = claimed.iter().map(|c| c.url.as_str()).collect();
            tracing::debug!(?urls, "claimed");
        }
        let mut unknown = Vec::new();
        for c in claimed {
            let Some(planned) = self.plan.by_url.get(&c.url).cloned() else {
                tracing::warn!(url = %c.url, "not in this worker's definitions; released");
                unknown.push(c.url);
                continue;
            };
            self.held.insert(c.url.clone());
            if jobs
                .send(Job {
                    claimed: c,
                    planned,
                })
                .is_err()
            {
                return Ok(count);
            }
        }
        if !unknown.is_empty() {
            self.state.release(&self.options.worker_id, &unknown)?;
        }
        Ok(count)
    }

    /// Stores the results, which releases their sources; on failure they stay in
    /// `results`, for the next try.
    fn store(&mut self, results: &mut Vec<Done>) -> Result<(), FetchError> {
        if results.is_empty() {
            return Ok(());
        }
        let completions: Vec<Completion> = (results.iter())
            .map(|d| Completion {
                url: d.url.clone(),
                schedule: d.refreshed.schedule.clone(),
                copy: d.refreshed.copy.clone(),
                error: d.refreshed.error.clone(),
            })
            .collect();
        let stored = self.state.complete(&self.options.worker_id, &completions)?;
        results.clear();
        for (c, kept) in completions.iter().zip(stored) {
            self.held.remove(&c.url);
            match (kept, &c.error) {
                (false, _) => {
                    self.report.lost += 1;
                    tracing::warn!(url = %c.url, "lease lost while fetching; result dropped");
                }
                (true, None) => self.report.fetched += 1,
                (true, Some(_)) => self.report.failed += 1,
            }
        }
        Ok(())
    }

    /// Extends the leases held, a third of the way through them.
    fn renew(&mut self, now: DateTime<Utc>) -> Result<(), FetchError> {
        if self.held.is_empty() || now - self.last_renew < lease_duration(self.options.lease / 3) {
            return Ok(());
        }
        self.last_renew = now;
        let urls: Vec<String> = self.held.iter().cloned().collect();
        let until = now + lease_duration(self.options.lease);
        let kept = self.state.renew(&self.options.worker_id, &urls, until)?;
        if kept.len() < urls.len() {
            tracing::warn!(
                lost = urls.len() - kept.len(),
                "leases ran out and went to another worker"
            );
        }
        Ok(())
    }

    /// Reads the definitions again every [`RESYNC`], and registers what changed.
    fn resync(&mut self, now: DateTime<Utc>) -> Result<(), FetchError> {
        if now - self.last_sync < lease_duration(RESYNC) {
            return Ok(());
        }
        self.last_sync = now;
        let defs = match config::load_dir(&self.options.feeds) {
            Ok(defs) => defs,
            Err(e) => {
                tracing::warn!("{e}; keeping the sources planned before");
                return Ok(());
            }
        };
        let (fresh, problems) = plan(&defs);
        for p in &problems {
            tracing::warn!("{p}");
        }
        let registered = self.state.register(&fresh.rows)?;
        if registered != Default::default() {
            tracing::info!(?registered, "definitions changed");
        }
        self.plan = fresh;
        Ok(())
    }
}

/// A lease as a time span.
fn lease_duration(lease: Duration) -> chrono::Duration {
    chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60))
}
