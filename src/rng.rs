//! Seed derivation: the only place a random number generator is built.
//!
//! Every random stream of a check is a [`ChaCha8Rng`](rand_chacha::ChaCha8Rng) whose
//! 256-bit seed is the SHA-256 of a [`StreamId`]: (master seed, theorem, claim, purpose, size,
//! index). A stream therefore varies along exactly those axes: adding a size to a sweep, or a
//! trial to a size, changes no other stream, and a stream never depends on the thread that
//! consumes it.
//!
//! The RNG crates are pinned exactly in `Cargo.toml` (`rand =0.10.4`, `rand_chacha =0.10.0`,
//! `rand_distr =0.6.0`); `tests/it/golden.rs` pins the values they produce, so a drift fails
//! one test loudly instead of moving every snapshot.

use rand::SeedableRng;
use sha2::{Digest, Sha256};

pub use rand_chacha::ChaCha8Rng as Rng;

/// Version tag mixed into every derived seed; changing it changes every stream.
pub const DERIVATION: &str = "thm/stream/v1";

/// What a random stream is used for. Lowercase literals, never type names or `Debug` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The data and initialisation of one simulation trial.
    Trial,
    /// One trial of a claim with shared draws: the same stream at every size (size 0).
    SharedTrial,
    /// One bootstrap resample over trials.
    Bootstrap,
    /// One run of a module's supplementary figure.
    Figure,
}

impl Purpose {
    /// The label hashed into the seed.
    pub const fn label(self) -> &'static str {
        match self {
            Purpose::Trial => "trial",
            Purpose::SharedTrial => "shared-trial",
            Purpose::Bootstrap => "bootstrap",
            Purpose::Figure => "figure",
        }
    }
}

/// The coordinates of one random stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamId<'a> {
    /// The master seed of the claim (card `seed`, or `--seed`).
    pub master_seed: u64,
    /// Theorem id, e.g. `information-exponent`.
    pub theorem: &'a str,
    /// Claim id, e.g. `k3`.
    pub claim: &'a str,
    /// What the stream is for.
    pub purpose: Purpose,
    /// The size (d, N, m) the stream belongs to; 0 where not applicable.
    pub size: u64,
    /// Trial index, or bootstrap replicate index.
    pub index: u64,
}

impl StreamId<'_> {
    /// The 256-bit seed of this stream: SHA-256 over the derivation tag and every coordinate,
    /// each string length-prefixed so that no two coordinate tuples share an encoding.
    pub fn seed(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        let put_str = |h: &mut Sha256, s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        put_str(&mut h, DERIVATION);
        h.update(self.master_seed.to_le_bytes());
        put_str(&mut h, self.theorem);
        put_str(&mut h, self.claim);
        put_str(&mut h, self.purpose.label());
        h.update(self.size.to_le_bytes());
        h.update(self.index.to_le_bytes());
        h.finalize().into()
    }

    /// A fresh generator for this stream.
    pub fn rng(&self) -> Rng {
        Rng::from_seed(self.seed())
    }
}

/// A generator from a plain `u64`, for tests and synthetic data only (it is what the golden
/// values of the RNG crates are stated for).
pub fn rng_from_u64(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    fn id(size: u64, index: u64) -> StreamId<'static> {
        StreamId { master_seed: 0, theorem: "t", claim: "c", purpose: Purpose::Trial, size, index }
    }

    #[test]
    fn streams_differ_along_every_axis_and_repeat() {
        let base = id(16, 0);
        assert_eq!(base.rng().next_u64(), base.rng().next_u64());
        let others = [
            id(16, 1),
            id(32, 0),
            StreamId { master_seed: 1, ..base },
            StreamId { theorem: "u", ..base },
            StreamId { claim: "d", ..base },
            StreamId { purpose: Purpose::Bootstrap, ..base },
        ];
        for o in others {
            assert_ne!(o.seed(), base.seed(), "{o:?}");
        }
    }

    #[test]
    fn length_prefix_separates_theorem_and_claim() {
        let a = StreamId { theorem: "ab", claim: "c", ..id(1, 1) };
        let b = StreamId { theorem: "a", claim: "bc", ..id(1, 1) };
        assert_ne!(a.seed(), b.seed());
    }
}
