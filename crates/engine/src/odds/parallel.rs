//! Runs a batch's work units on a thread pool (native only; the browser farms the same units
//! out to Web Workers). Results come back in index order, so they are the same whatever the
//! number of threads: each unit is a pure function of its index.

use core::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

/// A pool of worker threads.
#[derive(Debug)]
pub struct Pool {
    pool: rayon::ThreadPool,
}

impl Pool {
    /// A pool of `jobs` threads (0: one per core).
    ///
    /// # Errors
    /// The operating system refused the threads.
    pub fn new(jobs: usize) -> Result<Self, String> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(|e| e.to_string())?;
        Ok(Self { pool })
    }

    /// Threads in the pool.
    #[must_use]
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// `work(i)` for every `i` in `0..count`, in index order, calling `progress(done)` after
    /// each unit (from the worker that finished it).
    pub fn map<T: Send>(
        &self,
        count: usize,
        work: &(dyn Fn(usize) -> T + Sync),
        progress: &(dyn Fn(usize) + Sync),
    ) -> Vec<T> {
        let done = AtomicUsize::new(0);
        self.pool.install(|| {
            (0..count)
                .into_par_iter()
                .map(|i| {
                    let result = work(i);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    result
                })
                .collect()
        })
    }
}
