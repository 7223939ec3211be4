//! Writes units in the background, so the `fsync` of each record (milliseconds on a shared
//! disk) never holds up a trial.

use super::{Store, UnitRecord};
use crate::error::Error;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A pool of writer threads fed by a queue. Trials submit records from any thread; the first
/// write that fails stops the pool and is returned by [`Writer::finish`] (and reported by
/// [`Writer::failure`] as soon as it happens, so a run can stop early).
pub struct Writer {
    queue: Option<Sender<UnitRecord>>,
    threads: Vec<JoinHandle<()>>,
    failure: Arc<Mutex<Option<Error>>>,
    written: Arc<AtomicU64>,
}

impl Writer {
    /// Starts `threads` (at least one) writers on `store`.
    pub fn spawn(store: Arc<Store>, threads: usize) -> Writer {
        let (queue, receiver) = channel::<UnitRecord>();
        let receiver: Arc<Mutex<Receiver<UnitRecord>>> = Arc::new(Mutex::new(receiver));
        let failure = Arc::new(Mutex::new(None));
        let written = Arc::new(AtomicU64::new(0));
        let threads = (0..threads.max(1))
            .map(|_| {
                let (store, receiver, failure, written) =
                    (store.clone(), receiver.clone(), failure.clone(), written.clone());
                std::thread::spawn(move || loop {
                    let next = receiver.lock().map(|r| r.recv());
                    let Ok(Ok(record)) = next else { break };
                    if failure.lock().is_ok_and(|f| f.is_some()) {
                        continue; // drain the queue without writing after a failure
                    }
                    match store.put(&record) {
                        Ok(()) => {
                            written.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                })
            })
            .collect();
        Writer { queue: Some(queue), threads, failure, written }
    }

    /// Queues a record for writing.
    pub fn submit(&self, record: UnitRecord) {
        if let Some(q) = &self.queue {
            let _ = q.send(record);
        }
    }

    /// The first write error, once one happened (a full disk, a directory made read-only).
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().ok().and_then(|f| f.as_ref().map(ToString::to_string))
    }

    /// Waits until every queued record is written.
    ///
    /// # Errors
    /// The first write error.
    pub fn finish(mut self) -> Result<u64, Error> {
        self.queue = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        let failure = self.failure.lock().ok().and_then(|mut f| f.take());
        match failure {
            Some(e) => Err(e),
            None => Ok(self.written.load(Ordering::Relaxed)),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.queue = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
