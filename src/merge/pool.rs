//! Running fetch jobs on a few threads with two limits: jobs at once overall, and jobs at
//! once per host. Results come back in job order.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

struct Queue<T> {
    pending: Vec<Option<(String, T)>>,
    next: usize,
    running: HashMap<String, usize>,
}

/// Runs `work` on every job (`(host, input)`) and returns the results in job order.
pub(crate) fn run<T, R, F>(
    jobs: Vec<(String, T)>,
    concurrency: usize,
    per_host: usize,
    work: F,
) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let count = jobs.len();
    let threads = concurrency.max(1).min(count);
    let per_host = per_host.max(1);
    let queue = Mutex::new(Queue {
        pending: jobs.into_iter().map(Some).collect(),
        next: 0,
        running: HashMap::new(),
    });
    let changed = Condvar::new();
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some((at, host, input)) = take(&queue, &changed, per_host) {
                    let result = work(input);
                    if let Ok(mut r) = results.lock() {
                        r[at] = Some(result);
                    }
                    if let Ok(mut q) = queue.lock()
                        && let Some(n) = q.running.get_mut(&host)
                    {
                        *n = n.saturating_sub(1);
                    }
                    changed.notify_all();
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// The next job whose host has room, waiting while every remaining job's host is busy;
/// `None` when no job is left.
fn take<T>(
    queue: &Mutex<Queue<T>>,
    changed: &Condvar,
    per_host: usize,
) -> Option<(usize, String, T)> {
    let mut q = queue.lock().ok()?;
    loop {
        while q.next < q.pending.len() && q.pending[q.next].is_none() {
            q.next += 1;
        }
        if q.next >= q.pending.len() {
            return None;
        }
        let start = q.next;
        let free = (start..q.pending.len()).find(|&i| {
            q.pending[i]
                .as_ref()
                .is_some_and(|(host, _)| q.running.get(host).copied().unwrap_or(0) < per_host)
        });
        if let Some(i) = free
            && let Some((host, input)) = q.pending[i].take()
        {
            *q.running.entry(host.clone()).or_insert(0) += 1;
            return Some((i, host, input));
        }
        q = changed.wait(q).ok()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn respects_both_limits_and_keeps_order() {
        let overall = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let host_a = AtomicUsize::new(0);
        let peak_a = AtomicUsize::new(0);
        let jobs: Vec<_> = (0..12)
            .map(|i| (if i % 2 == 0 { "a" } else { "b" }.to_string(), i))
            .collect();
        let out = run(jobs, 3, 1, |i| {
            let n = overall.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(n, Ordering::SeqCst);
            if i % 2 == 0 {
                let m = host_a.fetch_add(1, Ordering::SeqCst) + 1;
                peak_a.fetch_max(m, Ordering::SeqCst);
            }
            std::thread::sleep(Duration::from_millis(5));
            if i % 2 == 0 {
                host_a.fetch_sub(1, Ordering::SeqCst);
            }
            overall.fetch_sub(1, Ordering::SeqCst);
            i * 10
        });
        assert_eq!(out, (0..12).map(|i| i * 10).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 2, "two hosts, one each");
        assert_eq!(peak_a.load(Ordering::SeqCst), 1);
    }
}
