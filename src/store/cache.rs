//! The store as the harness's [`UnitCache`]: a unit's key from its claim run, lookups that
//! report (and then ignore) invalid records, and writes handed to a background [`Writer`].

use super::{Lookup, Store, UnitId, UnitRecord, Writer};
use crate::check::{to_hex, ClaimRun, Unit, UnitCache};
use crate::error::Error;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The key of `unit` of `run`: everything that determines its bits ([`UnitId`]). A twin
/// (`trials_of`) reads its original's streams and parameters, so it has its original's keys
/// and shares its units.
pub fn unit_key(run: &ClaimRun<'_>, unit: Unit) -> String {
    unit_key_with(run, unit, super::build_identity(), &super::platform())
}

fn unit_key_with(run: &ClaimRun<'_>, unit: Unit, build: &str, platform: &str) -> String {
    let card = run.card();
    let claim = run.claim();
    let card_sha256 = to_hex(&Sha256::digest(card.source.text.as_bytes()));
    // serde_json's maps are sorted by key: the text is canonical.
    let params = claim.params.to_string();
    UnitId {
        build,
        platform,
        card_sha256: &card_sha256,
        theorem: &card.id,
        claim: claim.trials_owner(),
        params: &params,
        profile: run.profile().name(),
        master_seed: run.streams().seed(),
        size: run.sizes()[unit.size_index],
        trial: u64::from(unit.trial),
    }
    .key()
}

/// A store opened for one command: lookups, background writes, and counts of what it did.
pub struct StoreCache {
    store: Arc<Store>,
    writer: Writer,
    build: &'static str,
    platform: String,
    hits: AtomicU64,
    /// Invalid records met (each is recomputed and rewritten), with why, for stderr.
    invalid: Mutex<Vec<String>>,
}

impl StoreCache {
    /// Opens the store at `root` (creating it, and checking that it takes a file) with
    /// `writers` background writer threads.
    ///
    /// # Errors
    /// [`Error::Io`] naming the directory.
    pub fn open(root: &std::path::Path, writers: usize) -> Result<StoreCache, Error> {
        let store = Arc::new(Store::open(root)?);
        let writer = Writer::spawn(store.clone(), writers);
        Ok(StoreCache {
            store,
            writer,
            build: super::build_identity(),
            platform: super::platform(),
            hits: AtomicU64::new(0),
            invalid: Mutex::new(Vec::new()),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The key of a unit, as this store files it.
    pub fn key(&self, run: &ClaimRun<'_>, unit: Unit) -> String {
        unit_key_with(run, unit, self.build, &self.platform)
    }

    /// Units served from the store so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// The invalid records met so far (each was recomputed), and forgets them.
    pub fn take_invalid(&self) -> Vec<String> {
        self.invalid.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default()
    }

    /// The first write error, as soon as one happened.
    pub fn failure(&self) -> Option<String> {
        self.writer.failure()
    }

    /// Waits for every queued write; the number of units written.
    ///
    /// # Errors
    /// The first write error (a full disk, a directory made read-only), naming the file.
    pub fn finish(self) -> Result<u64, Error> {
        self.writer.finish()
    }
}

impl UnitCache for StoreCache {
    fn get(&self, run: &ClaimRun<'_>, unit: Unit) -> Option<crate::check::UnitRecord> {
        match self.store.get(&self.key(run, unit)) {
            Lookup::Found(r) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(crate::check::UnitRecord {
                    observation: r.observation,
                    auxiliary: r.auxiliary,
                })
            }
            Lookup::Missing => None,
            Lookup::Invalid(why) => {
                if let Ok(mut v) = self.invalid.lock() {
                    v.push(why);
                }
                None
            }
        }
    }

    fn put(&self, run: &ClaimRun<'_>, unit: Unit, record: &crate::check::UnitRecord) {
        self.writer.submit(UnitRecord {
            key: self.key(run, unit),
            theorem: run.card().id.clone(),
            claim: run.claim().trials_owner().to_string(),
            profile: run.profile().name().to_string(),
            seed: run.streams().seed(),
            size: run.sizes()[unit.size_index],
            trial: u64::from(unit.trial),
            observation: record.observation.clone(),
            auxiliary: record.auxiliary.clone(),
        });
    }
}
