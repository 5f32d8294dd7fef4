//! Reads of the embedded database off the actix workers, in batches: one blocking-pool trip for
//! the reads that a worker's requests asked for in the same turn of its event loop.
//!
//! A trip to the blocking pool costs a thread wake-up and two context switches, and its answer a
//! wake-up back; on SQLite, where a point read takes a few microseconds, that cost more than the
//! read (a third of the server's time in `bench/profile.sh`). So a worker queues its requests'
//! reads, and one task hands the queue to the blocking pool when the worker has finished its
//! turn: with eight requests in flight the hand-off is paid once, not eight times. The jobs of a
//! trip run one after another on its thread (at most [`JOBS_PER_TRIP`]; a longer queue becomes
//! several trips, which the pool runs side by side), and their answers come back together.
//!
//! PostgreSQL reads wait on the network, so they keep one trip each (`AppState`), as do writes.

use crate::error::ApiError;
use actix_web::web;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use tokio::sync::oneshot;

/// At most this many jobs share a trip (the reader pool's default size).
pub const JOBS_PER_TRIP: usize = 8;

/// Hands a job's answer to the request waiting for it; called on the worker.
type Deliver = Box<dyn FnOnce() + Send>;
/// A request's database work, run on the blocking pool.
type Job = Box<dyn FnOnce() -> Deliver + Send>;

thread_local! {
    /// The jobs this worker queued since its batch task was spawned.
    static QUEUED: RefCell<Vec<Job>> = const { RefCell::new(Vec::new()) };
    /// Trips this worker has made (tests and the bench read it).
    static TRIPS: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` on the blocking pool, in this worker's next batch. Call it on an actix worker (or an
/// actix test's runtime): the batch is a task of the worker.
pub async fn run<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move || {
        // A job that panics fails its own request (its answer is never sent), not its batch.
        let out = catch_unwind(AssertUnwindSafe(f));
        Box::new(move || {
            if let Ok(out) = out {
                // The request may have gone (client hung up): nobody to answer then.
                let _ = tx.send(out);
            }
        })
    });
    let first = QUEUED.with(|queued| {
        let mut queued = queued.borrow_mut();
        queued.push(job);
        queued.len() == 1
    });
    if first {
        actix_web::rt::spawn(batch());
    }
    rx.await
        .map_err(|_| ApiError::internal("a read on the blocking pool panicked"))
}

/// Trips this worker (thread) has made so far.
pub fn trips_made() -> u64 {
    TRIPS.with(Cell::get)
}

/// Lets the worker finish its turn (the requests it is reading queue their work meanwhile), then
/// sends the queue in trips of at most [`JOBS_PER_TRIP`] and hands out the answers of each.
async fn batch() {
    tokio::task::yield_now().await;
    let mut jobs = QUEUED.with(|queued| std::mem::take(&mut *queued.borrow_mut()));
    let mut trips = Vec::with_capacity(jobs.len().div_ceil(JOBS_PER_TRIP));
    while !jobs.is_empty() {
        let rest = jobs.split_off(jobs.len().min(JOBS_PER_TRIP));
        let trip = std::mem::replace(&mut jobs, rest);
        TRIPS.with(|n| n.set(n.get() + 1));
        trips.push(web::block(move || {
            trip.into_iter().map(|job| job()).collect::<Vec<_>>()
        }));
    }
    for trip in trips {
        // Err only if the blocking pool is gone (shutdown): the senders are dropped with it and
        // every waiting request answers 500.
        if let Ok(answers) = trip.await {
            answers.into_iter().for_each(|deliver| deliver());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn every_request_gets_its_own_answer() {
        let answers = futures_util::future::join_all((0..20).map(|i| run(move || i * 3))).await;
        let answers: Vec<i32> = answers.into_iter().map(|a| a.expect("answered")).collect();
        assert_eq!(answers, (0..20).map(|i| i * 3).collect::<Vec<_>>());
    }

    #[actix_web::test]
    async fn the_reads_of_one_turn_share_trips() {
        let before = trips_made();
        let answers = futures_util::future::join_all((0..8).map(|i| run(move || i))).await;
        assert_eq!(answers.len(), 8);
        assert_eq!(
            trips_made() - before,
            1,
            "eight reads queued in one turn: one trip"
        );

        let before = trips_made();
        let answers = futures_util::future::join_all((0..20).map(|i| run(move || i))).await;
        assert!(answers.into_iter().all(|a| a.is_ok()));
        assert_eq!(
            trips_made() - before,
            3,
            "twenty reads: trips of at most eight"
        );

        let before = trips_made();
        assert_eq!(run(|| 1).await.expect("answered"), 1);
        assert_eq!(run(|| 2).await.expect("answered"), 2);
        assert_eq!(
            trips_made() - before,
            2,
            "a read queued after the last trip answered makes a new one"
        );
    }

    #[actix_web::test]
    async fn the_jobs_of_a_trip_run_one_after_another_on_one_thread() {
        let jobs = (0..8).map(|_| run(|| std::thread::current().id()));
        let threads: Vec<_> = futures_util::future::join_all(jobs)
            .await
            .into_iter()
            .map(|t| t.expect("answered"))
            .collect();
        assert!(
            threads.iter().all(|t| *t == threads[0]),
            "one trip, one thread"
        );
        assert_ne!(threads[0], std::thread::current().id(), "not on the worker");
    }

    #[actix_web::test]
    async fn a_job_that_panics_fails_alone() {
        let jobs = (0..3).map(|i| {
            run(move || {
                assert_ne!(i, 1, "a read went wrong");
                i
            })
        });
        let mut answers = futures_util::future::join_all(jobs).await.into_iter();
        assert_eq!(answers.next().map(|a| a.ok()), Some(Some(0)));
        let failed = answers
            .next()
            .and_then(|a| a.err())
            .expect("its own request fails");
        assert_eq!(actix_web::ResponseError::status_code(&failed).as_u16(), 500);
        assert_eq!(answers.next().map(|a| a.ok()), Some(Some(2)));
    }
}
