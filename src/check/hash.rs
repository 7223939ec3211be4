//! The results hash: SHA-256 over a claim's raw observations and auxiliary values, in
//! (size, trial) order. It is what a certificate stores and `thm reproduce` compares, so its
//! encoding never changes.

use crate::theorem::Observation;
use sha2::{Digest, Sha256};

/// SHA-256 over the raw observations in (size, trial) order: the tag of each variant, then
/// the `f64` bits little-endian, or the reason's bytes (a pair: its tag, then both sides).
/// Auxiliary values, when there are any, follow in the same order (each trial's count, then
/// the bits), so a claim without them hashes as it always did.
pub fn hash_results(observations: &[Vec<Observation>], auxiliary: &[Vec<Vec<f64>>]) -> String {
    let mut h = Sha256::new();
    for row in observations {
        h.update((row.len() as u64).to_le_bytes());
        for o in row {
            hash_one(&mut h, o);
        }
    }
    for row in auxiliary {
        h.update((row.len() as u64).to_le_bytes());
        for values in row {
            h.update((values.len() as u64).to_le_bytes());
            for v in values {
                h.update(v.to_bits().to_le_bytes());
            }
        }
    }
    to_hex(&h.finalize())
}

fn hash_one(h: &mut Sha256, o: &Observation) {
    match o {
        Observation::Value(v) => {
            h.update([0u8]);
            h.update(v.to_bits().to_le_bytes());
        }
        Observation::Censored(v) => {
            h.update([1u8]);
            h.update(v.to_bits().to_le_bytes());
        }
        Observation::Failed(r) => {
            h.update([2u8]);
            h.update((r.len() as u64).to_le_bytes());
            h.update(r.as_bytes());
        }
        Observation::Pair(a, b) => {
            h.update([3u8]);
            hash_one(h, a);
            hash_one(h, b);
        }
        // Split off before results are stored; hashed as what it annotates.
        Observation::Annotated(a, _) => hash_one(h, a),
    }
}

/// Lowercase hexadecimal of a digest.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
