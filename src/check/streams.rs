//! The random streams of one claim run: the only place in `check` that builds a
//! [`StreamId`].
//!
//! [`ClaimStreams`] resolves the master seed once (the card's `seed`, or the `--seed`
//! override) and hands out every stream the harness reads: the trial stream of a unit (shared
//! across sizes when the card asks for `shared_draws`), the stream of a bootstrap replicate,
//! and the stream of a figure's run. Each stream is a pure function of its coordinates
//! ([`crate::rng`]), so who asks for it, and on which thread, changes nothing.

use crate::rng::{Purpose, Rng, StreamId};
use crate::theorem::{LoadedCard, LoadedClaim};

/// The streams of one claim under one master seed.
#[derive(Clone, Copy, Debug)]
pub struct ClaimStreams<'a> {
    seed: u64,
    theorem: &'a str,
    claim: &'a str,
    shared_draws: bool,
}

impl<'a> ClaimStreams<'a> {
    /// The streams of `claim` of `card`, with the master seed `seed` when given (`--seed`),
    /// else the claim's own.
    pub fn new(card: &'a LoadedCard, claim: &'a LoadedClaim, seed: Option<u64>) -> Self {
        ClaimStreams {
            seed: seed.unwrap_or(claim.seed),
            theorem: &card.id,
            // A twin reads its original's streams: the same data, judged another way.
            claim: claim.trials_owner(),
            shared_draws: claim.shared_draws,
        }
    }

    /// The master seed every stream is derived from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Whether trial `t` reads the same stream at every size (card `shared_draws`); the
    /// bootstrap then resamples whole trials across sizes.
    pub fn shared_draws(&self) -> bool {
        self.shared_draws
    }

    /// The generator of trial `trial` at size `size`: (seed, theorem, claim, `trial`, size,
    /// trial), or with shared draws (seed, theorem, claim, `shared-trial`, 0, trial) at every
    /// size.
    pub fn trial(&self, size: u64, trial: u64) -> Rng {
        let (purpose, size) =
            if self.shared_draws { (Purpose::SharedTrial, 0) } else { (Purpose::Trial, size) };
        self.stream(purpose, size, trial)
    }

    /// The generator of bootstrap replicate `replicate`: (seed, theorem, claim, `bootstrap`,
    /// 0, replicate).
    pub fn bootstrap(&self, replicate: u64) -> Rng {
        self.stream(Purpose::Bootstrap, 0, replicate)
    }

    /// The generator of the `index`-th run of a module's figure at size `size`: (seed,
    /// theorem, claim, `figure`, size, index).
    pub fn figure(&self, size: u64, index: u64) -> Rng {
        self.stream(Purpose::Figure, size, index)
    }

    fn stream(&self, purpose: Purpose, size: u64, index: u64) -> Rng {
        StreamId {
            master_seed: self.seed,
            theorem: self.theorem,
            claim: self.claim,
            purpose,
            size,
            index,
        }
        .rng()
    }
}
