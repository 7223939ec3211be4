//! Orchestration of one claim run: the context ([`ClaimRun`]), its prerequisites, its units
//! of work, and the assembly of their observations into a [`ClaimResult`].
//!
//! A **unit** is one trial of one claim at one size, named by (size index, trial index)
//! ([`Unit`]). Its record ([`UnitRecord`]) depends only on the card, the claim, the profile's
//! sweep, the master seed and the unit itself: the unit draws from its own stream
//! ([`ClaimStreams::trial`]). So units may run in any order, on any thread, in any process,
//! and be stored and fetched back: [`ClaimRun::assemble`] on the full matrix of their records
//! gives the same bits as [`super::run_claim`], which is [`ClaimRun::run`]: the units in
//! parallel (collected in order) and then `assemble`.

use super::exploratory::explore;
use super::hash::hash_results;
use super::streams::ClaimStreams;
use super::{control, fit, separation, ClaimResult};
use crate::card::{Profile, Sweep};
use crate::law::{ClaimKind, Control};
use crate::theorem::{LoadedCard, LoadedClaim, Observation, Panel};
use crate::verdict::{self, Verdict};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One unit of work: trial `trial` of a claim at its sweep's size `size_index` (0-based, in
/// the sweep's order). The derived order is the order of [`ClaimRun::units`] and of the
/// results: by size, then by trial.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unit {
    /// Index of the size in the profile's sweep.
    pub size_index: usize,
    /// Trial index at that size, `0..trials`.
    pub trial: u32,
}

/// What one unit produced: its observation, sanitised (a non-finite value is a failure
/// naming it) and with any exploratory annotation split off, and those auxiliary values
/// (empty when the claim has no exploratory measurement).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitRecord {
    /// The judged observation; never [`Observation::Annotated`].
    pub observation: Observation,
    /// The auxiliary values, in the order of the claim's exploratory series.
    pub auxiliary: Vec<f64>,
}

/// Where units may already be: a store of earlier runs, consulted before a unit runs and
/// given every unit that ran. The harness never depends on it for correctness: a unit it does
/// not return is computed, and what it returns must be what [`ClaimRun::run_unit`] would give
/// (a store guarantees it by its key).
pub trait UnitCache: Sync {
    /// The record of `unit` of `run`, if stored and valid.
    fn get(&self, run: &ClaimRun<'_>, unit: Unit) -> Option<UnitRecord>;
    /// Keeps the record of a unit that just ran.
    fn put(&self, run: &ClaimRun<'_>, unit: Unit, record: &UnitRecord);
}

/// One claim of one card run on one profile under one master seed: everything the harness
/// threads through its steps, and the only owner of the claim's random streams.
#[derive(Clone, Copy)]
pub struct ClaimRun<'a> {
    card: &'a LoadedCard,
    claim: &'a LoadedClaim,
    profile: Profile,
    sweep: &'a Sweep,
    /// The `--seed` override as given, passed on to the prerequisites.
    seed: Option<u64>,
    streams: ClaimStreams<'a>,
}

impl std::fmt::Debug for ClaimRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimRun")
            .field("theorem", &self.card.id)
            .field("claim", &self.claim.id)
            .field("profile", &self.profile)
            .field("sweep", self.sweep)
            .field("streams", &self.streams)
            .finish()
    }
}

impl<'a> ClaimRun<'a> {
    /// The run of `claim` of `card` on `profile`, with the master seed `seed` when given
    /// (`--seed`), else the claim's own; `None` when the claim has no sweep for `profile`.
    pub fn new(
        card: &'a LoadedCard,
        claim: &'a LoadedClaim,
        profile: Profile,
        seed: Option<u64>,
    ) -> Option<ClaimRun<'a>> {
        let sweep = claim.sweep(profile)?;
        let streams = ClaimStreams::new(card, claim, seed);
        Some(ClaimRun { card, claim, profile, sweep, seed, streams })
    }

    /// The card.
    pub fn card(&self) -> &'a LoadedCard {
        self.card
    }

    /// The claim.
    pub fn claim(&self) -> &'a LoadedClaim {
        self.claim
    }

    /// The profile run.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The profile's sweep.
    pub fn sweep(&self) -> &'a Sweep {
        self.sweep
    }

    /// The sizes of the sweep.
    pub fn sizes(&self) -> &'a [u64] {
        &self.sweep.sizes
    }

    /// The claim's random streams under the resolved master seed.
    pub fn streams(&self) -> &ClaimStreams<'a> {
        &self.streams
    }

    /// The claim's units for this profile, in (size, trial) order: the order in which
    /// [`ClaimRun::assemble_units`] takes their records.
    pub fn units(&self) -> Vec<Unit> {
        (0..self.sweep.sizes.len())
            .flat_map(|size_index| {
                (0..self.sweep.trials).map(move |trial| Unit { size_index, trial })
            })
            .collect()
    }

    /// Runs one unit: the claim's trial at the unit's size on the unit's own stream, its
    /// observation sanitised and its auxiliary values split off. Bit-identical wherever and
    /// whenever it runs.
    ///
    /// # Panics
    /// When `unit` is not one of [`ClaimRun::units`] (a size index past the sweep): a caller
    /// that reads units back from elsewhere checks them against that list first.
    pub fn run_unit(&self, unit: Unit) -> UnitRecord {
        let size = self.sweep.sizes[unit.size_index];
        let mut rng = self.streams.trial(size, u64::from(unit.trial));
        let (observation, auxiliary) =
            self.claim.simulation.trial(size, &mut rng).sanitised().split_annotation();
        UnitRecord { observation, auxiliary }
    }

    /// Runs every unit in parallel on the current rayon pool, collects them in order, and
    /// assembles the result. `progress` is called once per finished unit (from any thread).
    pub fn run(&self, progress: &(dyn Fn() + Sync)) -> ClaimResult {
        self.run_cached(progress, None)
    }

    /// [`ClaimRun::run`], taking each unit from `cache` when it has it and giving it every
    /// unit that ran. The bits are those of `run`: a cached record is the record.
    pub fn run_cached(
        &self,
        progress: &(dyn Fn() + Sync),
        cache: Option<&dyn UnitCache>,
    ) -> ClaimResult {
        let records: Vec<UnitRecord> = self
            .units()
            .par_iter()
            .map(|&unit| {
                let record = match cache.and_then(|c| c.get(self, unit)) {
                    Some(stored) => stored,
                    None => {
                        let record = self.run_unit(unit);
                        if let Some(c) = cache {
                            c.put(self, unit, &record);
                        }
                        record
                    }
                };
                progress();
                record
            })
            .collect();
        self.assemble_units(records).unwrap_or_else(|why| self.not_run(why))
    }

    /// [`ClaimRun::assemble`] from the records of [`ClaimRun::units`], in that order.
    ///
    /// # Errors
    /// When there is not one record per unit.
    pub fn assemble_units(&self, records: Vec<UnitRecord>) -> Result<ClaimResult, String> {
        let units = self.units();
        if records.len() != units.len() {
            return Err(format!(
                "{} unit records for the {} units of {}/{} ({})",
                records.len(),
                units.len(),
                self.card.id,
                self.claim.id,
                self.profile.name()
            ));
        }
        let rows = self.sweep.sizes.len();
        let trials = self.sweep.trials as usize;
        let mut observations: Vec<Vec<Observation>> =
            (0..rows).map(|_| Vec::with_capacity(trials)).collect();
        let mut auxiliary: Vec<Vec<Vec<f64>>> =
            (0..rows).map(|_| Vec::with_capacity(trials)).collect();
        for (unit, record) in units.into_iter().zip(records) {
            observations[unit.size_index].push(record.observation);
            auxiliary[unit.size_index].push(record.auxiliary);
        }
        self.assemble(observations, auxiliary)
    }

    /// The result of the claim from the full matrix of its units' records,
    /// `observations[size_index][trial]` and `auxiliary[size_index][trial]` (as
    /// [`ClaimRun::run_unit`] returns them; `auxiliary` may be empty when no trial has any):
    /// the results hash, the per-size medians, the fit and its verdict, and the exploratory
    /// fit. A pure function of the run and the matrix, so records computed elsewhere give
    /// the bits of [`super::run_claim`].
    ///
    /// # Errors
    /// When the matrix does not have one row per size and one entry per trial.
    pub fn assemble(
        &self,
        observations: Vec<Vec<Observation>>,
        auxiliary: Vec<Vec<Vec<f64>>>,
    ) -> Result<ClaimResult, String> {
        self.check_shape("observations", observations.iter().map(Vec::len))?;
        // No trial returned auxiliary values: the claim has none, and the hash leaves them out.
        let auxiliary =
            if auxiliary.iter().flatten().all(Vec::is_empty) { Vec::new() } else { auxiliary };
        if !auxiliary.is_empty() {
            self.check_shape("auxiliary values", auxiliary.iter().map(Vec::len))?;
        }
        let results_hash = hash_results(&observations, &auxiliary);
        let analysis = match self.claim.prediction.kind {
            ClaimKind::Separation { log_power } => {
                separation::analyse(self, &observations, log_power)
            }
            _ => fit::analyse(self, &observations),
        };
        let exploration =
            self.claim.exploratory.as_ref().map(|e| explore(self, e, &observations, &auxiliary));
        let claim = self.claim;
        Ok(ClaimResult {
            theorem: self.card.id.clone(),
            claim: claim.id.clone(),
            profile: self.profile,
            seed: self.streams.seed(),
            prediction: claim.prediction.clone(),
            tolerance: claim.tolerance,
            control: claim.control.clone(),
            judge: claim.judge,
            control_curve: match &claim.control {
                Control::Rival(rival) => {
                    control::rival_curve(self, &rival.name).unwrap_or_default()
                }
                Control::Shift(_) => Vec::new(),
            },
            sizes: self.sweep.sizes.clone(),
            trials: self.sweep.trials,
            shared_draws: claim.shared_draws,
            observations,
            medians: analysis.medians,
            fit: analysis.fit,
            finite_size: analysis.finite_size,
            outcome: analysis.outcome,
            results_hash,
            auxiliary,
            exploration,
        })
    }

    /// Whether `rows` (the lengths of a matrix's rows) is one row per size of `trials` each.
    fn check_shape(
        &self,
        what: &str,
        rows: impl ExactSizeIterator<Item = usize>,
    ) -> Result<(), String> {
        let (sizes, trials) = (self.sweep.sizes.len(), self.sweep.trials as usize);
        let n = rows.len();
        let mut rows = rows;
        if n != sizes || rows.any(|len| len != trials) {
            return Err(format!(
                "the {what} of {}/{} ({}) are not {sizes} sizes × {trials} trials",
                self.card.id,
                self.claim.id,
                self.profile.name()
            ));
        }
        Ok(())
    }

    /// The result of this run when its trials are not run: no observations, and an
    /// inconclusive outcome that says why.
    pub fn not_run(&self, why: String) -> ClaimResult {
        not_run(self.card, self.claim, self.profile, &self.streams, Some(self.sweep), why)
    }

    /// Why the claim's trials must not run, if they must not: a prerequisite (a claim it
    /// `requires`) that is not confirmed on this profile under the same seed override. A
    /// prerequisite's result is looked up in `earlier`; one not there is run first.
    pub(super) fn unmet_prerequisite(
        &self,
        earlier: &[ClaimResult],
        progress: &(dyn Fn() + Sync),
    ) -> Option<String> {
        let card = self.card;
        for id in &self.claim.requires {
            let Ok(required) = card.claim(id) else {
                // `Theorem::load` only admits requirements that name earlier claims.
                return Some(format!("prerequisite `{id}` is not a claim of this card"));
            };
            let want_seed = ClaimStreams::new(card, required, self.seed).seed();
            let found = earlier.iter().find(|r| {
                r.theorem == card.id
                    && r.claim == *id
                    && r.profile == self.profile
                    && r.seed == want_seed
            });
            let verdict = match found {
                Some(r) => r.outcome.verdict,
                None => {
                    super::run_claim_after(
                        card,
                        required,
                        self.profile,
                        self.seed,
                        earlier,
                        progress,
                    )
                    .outcome
                    .verdict
                }
            };
            if verdict != Verdict::Confirmed {
                return Some(format!("prerequisite `{id}` not confirmed (it is {verdict})"));
            }
        }
        None
    }

    /// The module's supplementary figures, one per size that has one, computed in parallel
    /// over sizes (each run on its own [`ClaimStreams::figure`] stream) and returned in size
    /// order with the size.
    pub fn panels(&self) -> Vec<(u64, Result<Panel, String>)> {
        self.sweep
            .sizes
            .par_iter()
            .filter_map(|&size| {
                let stream = |index: u64| self.streams.figure(size, index);
                self.claim.simulation.panel(size, &stream).map(|p| (size, p))
            })
            .collect()
    }
}

/// The result of a claim run on a profile it has no sweep for: not run, no sizes, and an
/// inconclusive outcome naming the profile it does have.
pub(super) fn without_profile(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
) -> ClaimResult {
    let other = profile.other().name();
    let why = format!(
        "no {} profile: a {other}-profile-only claim (run it with --profile {other})",
        profile.name()
    );
    not_run(card, claim, profile, &ClaimStreams::new(card, claim, seed), None, why)
}

/// The result of a claim whose trials were not run: no observations, an inconclusive outcome
/// (no sizes either when the claim has no sweep for the profile).
fn not_run(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    streams: &ClaimStreams,
    sweep: Option<&Sweep>,
    why: String,
) -> ClaimResult {
    let (sizes, trials) = sweep.map_or((Vec::new(), 0), |s| (s.sizes.clone(), s.trials));
    ClaimResult {
        theorem: card.id.clone(),
        claim: claim.id.clone(),
        profile,
        seed: streams.seed(),
        prediction: claim.prediction.clone(),
        tolerance: claim.tolerance,
        control: claim.control.clone(),
        judge: claim.judge,
        control_curve: Vec::new(),
        sizes,
        trials,
        shared_draws: claim.shared_draws,
        observations: Vec::new(),
        medians: Vec::new(),
        fit: None,
        finite_size: None,
        outcome: verdict::not_fitted(why),
        results_hash: hash_results(&[], &[]),
        auxiliary: Vec::new(),
        exploration: None,
    }
}
