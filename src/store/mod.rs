//! The trial store: every unit of work (one trial of one claim at one size) is written to disk
//! as soon as it finishes, so a killed run resumes where it stopped and a run split over a
//! cluster can be merged.
//!
//! Layout: `<root>/units/<first two hex digits of the key>/<key>.unit`, one [`UnitRecord`]
//! per file. A unit's key ([`UnitId::key`]) hashes everything that determines its bits,
//! so a stored unit is reused only by a run that would compute the very same bits.
//!
//! Writes are atomic: the record goes to a temporary file in the same directory, which is
//! flushed to disk (`fsync`) and then renamed over the final name. A reader therefore sees a
//! whole record or none, and two processes sharing one store at the same time can only ever
//! write the same bytes under one name. Every record carries a checksum: a truncated,
//! damaged or foreign record is reported and recomputed, never used ([`Lookup::Invalid`]).
//!
//! **Architecture Invariant:** the store never decides what a unit is or how it is computed;
//! `check` hands it keys and records. Nothing here prints: problems are returned.

mod cache;
mod key;
mod record;
mod writer;

pub use cache::{unit_key, StoreCache};
pub use key::{build_identity, platform, UnitId, KEY_DERIVATION};
pub use record::{UnitRecord, RECORD_FORMAT};
pub use writer::Writer;

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The default store, relative to the current directory.
pub const DEFAULT_STORE: &str = ".thm/store";

/// Extension of a unit's file.
const UNIT_EXTENSION: &str = "unit";

/// An on-disk store of units.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// Distinguishes the temporary files of concurrent writes within one process.
    counter: AtomicU64,
}

/// What a lookup found.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// A valid record for the key.
    Found(UnitRecord),
    /// No record.
    Missing,
    /// A file that is not a valid record of this key; the reason says why (it is recomputed).
    Invalid(String),
}

/// One file of the store, as `thm store ls` and `verify` see it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredFile {
    /// The file.
    pub path: PathBuf,
    /// The key its name states.
    pub key: String,
    /// The record, or why it is not valid.
    pub record: Result<UnitRecord, String>,
}

impl Store {
    /// Opens (creating if needed) the store at `root` and checks that a file can be written in
    /// it, so a store that cannot take units fails before any simulation runs.
    ///
    /// # Errors
    /// [`Error::Io`] naming the directory when it cannot be created or written.
    pub fn open(root: &Path) -> Result<Store, Error> {
        let units = root.join("units");
        let io = |source| Error::Io { path: root.to_path_buf(), source };
        std::fs::create_dir_all(&units).map_err(io)?;
        let probe = units.join(format!(".write-probe-{}", std::process::id()));
        std::fs::File::create(&probe)
            .and_then(|mut f| f.write_all(b"probe").and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|source| {
                let _ = std::fs::remove_file(&probe);
                io(source)
            })?;
        Ok(Store { root: root.to_path_buf(), counter: AtomicU64::new(0) })
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file of a key.
    pub fn path_of(&self, key: &str) -> PathBuf {
        let shard = key.get(..2).unwrap_or("00");
        self.root.join("units").join(shard).join(format!("{key}.{UNIT_EXTENSION}"))
    }

    /// The record stored under `key`, checked against the key.
    pub fn get(&self, key: &str) -> Lookup {
        let path = self.path_of(key);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Lookup::Missing,
            Err(e) => return Lookup::Invalid(format!("{}: unreadable: {e}", path.display())),
        };
        match UnitRecord::parse(&text) {
            Ok(r) if r.key == key => Lookup::Found(r),
            Ok(r) => Lookup::Invalid(format!(
                "{}: a record of another unit (key {}…)",
                path.display(),
                r.key.get(..12).unwrap_or(&r.key)
            )),
            Err(why) => Lookup::Invalid(format!("{}: {why}", path.display())),
        }
    }

    /// Writes a record atomically: temporary file, `fsync`, rename.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file; the temporary file is removed.
    pub fn put(&self, record: &UnitRecord) -> Result<(), Error> {
        let path = self.path_of(&record.key);
        let io = |source| Error::Io { path: path.clone(), source };
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&dir).map_err(io)?;
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{}.tmp-{}-{n}", record.key, std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(record.to_text().as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(io)
    }

    /// Every unit file of the store, in path order, each parsed and checked against the key its
    /// name states. Temporary files left by a killed writer are not units and are skipped.
    ///
    /// # Errors
    /// [`Error::Io`] when a directory cannot be read.
    pub fn files(&self) -> Result<Vec<StoredFile>, Error> {
        let mut out = Vec::new();
        for dir in sorted_entries(&self.root.join("units"))? {
            if !dir.is_dir() {
                continue;
            }
            for path in sorted_entries(&dir)? {
                let is_unit = path.extension().is_some_and(|e| e == UNIT_EXTENSION)
                    && !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
                if !is_unit {
                    continue;
                }
                let key =
                    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let record = std::fs::read_to_string(&path)
                    .map_err(|e| format!("unreadable: {e}"))
                    .and_then(|t| UnitRecord::parse(&t))
                    .and_then(|r| {
                        if r.key == key {
                            Ok(r)
                        } else {
                            Err("a record of another unit".to_string())
                        }
                    });
                out.push(StoredFile { path, key, record });
            }
        }
        Ok(out)
    }

    /// Temporary files left behind by interrupted writes.
    ///
    /// # Errors
    /// [`Error::Io`] when a directory cannot be read.
    pub fn leftovers(&self) -> Result<Vec<PathBuf>, Error> {
        let mut out = Vec::new();
        for dir in sorted_entries(&self.root.join("units"))? {
            if dir.is_dir() {
                out.extend(sorted_entries(&dir)?.into_iter().filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with('.') && n.contains(".tmp-")
                    })
                }));
            }
        }
        Ok(out)
    }

    /// Removes a file of the store.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file.
    pub fn remove(&self, path: &Path) -> Result<(), Error> {
        std::fs::remove_file(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io { path: dir.to_path_buf(), source };
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io(e)),
    };
    v.sort();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theorem::Observation;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("thm-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn record(key: &str, v: f64) -> UnitRecord {
        UnitRecord {
            key: key.into(),
            theorem: "t".into(),
            claim: "c".into(),
            profile: "quick".into(),
            seed: 0,
            size: 8,
            trial: 0,
            observation: Observation::Value(v),
            auxiliary: vec![],
        }
    }

    #[test]
    fn a_unit_is_found_after_it_is_put_and_damage_is_reported() {
        let dir = temp_dir("put");
        let store = Store::open(&dir).unwrap();
        let key = "ab".repeat(32);
        assert_eq!(store.get(&key), Lookup::Missing);
        store.put(&record(&key, 1.25)).unwrap();
        assert_eq!(store.get(&key), Lookup::Found(record(&key, 1.25)));
        // A truncated file (a write cut short by a crash, had it not been atomic).
        let path = store.path_of(&key);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..10]).unwrap();
        assert!(matches!(store.get(&key), Lookup::Invalid(why) if why.contains("not a JSON")));
        // A record copied under another key.
        let other = "cd".repeat(32);
        store.put(&record(&other, 2.0)).unwrap();
        std::fs::copy(store.path_of(&other), &path).unwrap();
        assert!(matches!(store.get(&key), Lookup::Invalid(why) if why.contains("another unit")));
        let files = store.files().unwrap();
        assert_eq!(files.len(), 2);
        assert!(files.iter().any(|f| f.record.is_err()));
        assert!(store.leftovers().unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unwritable_store_fails_at_open_naming_the_directory() {
        let dir = temp_dir("ro");
        std::fs::create_dir_all(&dir).unwrap();
        // A file where the store's directory should be.
        let blocked = dir.join("store");
        std::fs::write(&blocked, b"not a directory").unwrap();
        let e = Store::open(&blocked).unwrap_err().to_string();
        assert!(e.starts_with(&blocked.display().to_string()), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
