//! The harness: runs a claim's trials, reduces them in order, fits the exponent and judges it.
//!
//! Pipeline: `LoadedClaim → units of work (one trial at one size; parallel, collected in
//! (size, trial) order) → medians per size → log-log least squares (Student-t interval) and a
//! seeded bootstrap over trials → verdict with falsification control`.
//!
//! One file per concern: this one holds the public API and the result types; `run` the
//! orchestration, [`ClaimRun`] with its units of work ([`Unit`],
//! [`ClaimRun::run_unit`]) and their assembly ([`ClaimRun::assemble`]); `streams` the claim's
//! random streams ([`ClaimStreams`], the only place here a stream id is built); `fit` the
//! medians, screening, line fits and the lower-bound judgement; `separation` and
//! `exploratory` the two other analyses; `bootstrap` the resampling over trials; `hash` the
//! results hash.
//!
//! **Architecture Invariant:** everything here is a pure function of (card, claim, profile,
//! seed). Parallelism runs across units only, each with its own stream from [`crate::rng`],
//! and results are collected in (size, trial) order, so the bits do not depend on the thread
//! count, nor on where a unit ran: results assembled from units computed elsewhere are
//! bit-identical to [`run_claim`].

mod bootstrap;
mod bound;
mod control;
mod exploratory;
pub mod finite_size;
mod fit;
mod hash;
mod run;
mod separation;
mod streams;
mod weighted;

pub use hash::{hash_results, to_hex};
pub use run::{ClaimRun, Unit, UnitCache, UnitRecord};
pub use streams::ClaimStreams;
pub use weighted::LACK_OF_FIT_LEVEL;

use crate::card::Profile;
use crate::law::{Control, Judge, Prediction};
use crate::theorem::{LoadedCard, LoadedClaim, Observation, Panel};
use crate::verdict::Outcome;
use serde::{Deserialize, Serialize};

/// Confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// Bootstrap replicates over trials. 1000 puts the Monte-Carlo error of a 2.5% quantile at
/// about 0.5 percentage points of coverage, and costs milliseconds (medians of stored values).
pub const BOOTSTRAP_REPLICATES: u64 = 1000;

/// The fit of one claim. For a [`ClaimKind::LowerBound`](crate::law::ClaimKind::LowerBound)
/// claim no line is fitted: `exponent` is the smallest per-size median margin, `interval` its
/// bootstrap interval, and the line-only fields are `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The fitted exponent `a` (from the least-squares slope), or the smallest median margin.
    pub exponent: f64,
    /// Student-t 95% interval for `a` from the least-squares fit of the medians.
    pub ci_t: Option<(f64, f64)>,
    /// Percentile 95% interval for `a` from the bootstrap over trials.
    pub ci_bootstrap: (f64, f64),
    /// The interval the verdict uses: the bootstrap interval when the line fits its points
    /// within their noise, else the hull of the two (see `lack_of_fit_p`).
    pub interval: (f64, f64),
    /// Intercept of the fitted line, in the fit's coordinates.
    pub intercept: Option<f64>,
    /// Coefficient of determination of the least-squares fit.
    pub r_squared: Option<f64>,
    /// Theil–Sen exponent, a robustness check (not used by the verdict).
    pub theil_sen: Option<f64>,
    /// The lack-of-fit test's p-value (the weighted residuals' $\chi^2$): below 0.05 the
    /// verdict's interval includes the Student-t one; `None` for an unweighted fit or a bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lack_of_fit_p: Option<f64>,
    /// A lower bound's per-size one-sided bounds (lower at 95%, upper at 1 − 0.05/S), from which
    /// the intersection–union test takes its interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds: Option<Vec<(f64, f64)>>,
    /// For a [`ClaimKind::Separation`](crate::law::ClaimKind::Separation): each learner's own
    /// threshold exponent, the faster learner first (the verdict judges their difference,
    /// `exponent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sides: Option<[SideFit; 2]>,
}

/// One learner's threshold exponent in a separation claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SideFit {
    /// The fitted exponent of this learner's threshold.
    pub exponent: f64,
    /// Its Student-t 95% interval.
    pub ci_t: (f64, f64),
    /// Its percentile 95% interval from the paired bootstrap.
    pub ci_bootstrap: (f64, f64),
    /// The hull of the two.
    pub interval: (f64, f64),
    /// This learner's median threshold per size.
    pub medians: Vec<f64>,
}

/// The fit of a claim's exploratory measurement
/// ([`Exploratory`](crate::theorem::Exploratory)): measured and reported, never judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exploration {
    /// What is measured.
    pub quantity: String,
    /// Each series' log-log slope against the size, with its per-size medians, named.
    pub series: Vec<(String, SideFit)>,
    /// With two or more series: the log-log slope of the ratio of the last series' median to
    /// the first's (the difference of their slopes), with a bootstrap that resamples whole
    /// trials, so both series of a trial move together.
    pub ratio: Option<SideFit>,
    /// Why nothing was fitted (a failed trial, a value that is not positive), if so.
    pub not_fitted: Option<String>,
}

/// A claim judged against the module's finite-size prediction (`judge = "finite-size"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiniteSizeFit {
    /// Where the prediction comes from: formula, order of the neglected term, source.
    pub provenance: String,
    /// The predicted observable at each size.
    pub predicted: Vec<f64>,
    /// Measured over predicted median at each size (for a linear-growth claim, measured minus
    /// predicted), with its bootstrap 95% interval.
    pub ratios: Vec<(f64, (f64, f64))>,
    /// The slope of the residual (`log(measured / predicted)` in the kind's coordinates)
    /// against the size's coordinate: 0 when the prediction has the measured shape.
    pub slope: f64,
    /// Its Student-t interval (Birge-scaled).
    pub ci_t: (f64, f64),
    /// Its bootstrap percentile interval.
    pub ci_bootstrap: (f64, f64),
    /// The interval the verdict uses.
    pub interval: (f64, f64),
    /// The lack-of-fit test's p-value; `None` for an unweighted fit.
    pub lack_of_fit_p: Option<f64>,
}

/// Everything a check of one claim produced: what reports, plots and certificates show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimResult {
    /// Theorem id.
    pub theorem: String,
    /// Claim id.
    pub claim: String,
    /// Profile run.
    pub profile: Profile,
    /// Master seed used.
    pub seed: u64,
    /// The module's prediction.
    pub prediction: Prediction,
    /// Half-width of the predicted set.
    pub tolerance: f64,
    /// The falsification control.
    pub control: Control,
    /// How the claim was judged.
    pub judge: Judge,
    /// A rival control's curve at each size (up to a constant factor), for figures; empty for
    /// a shift.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_curve: Vec<f64>,
    /// Sizes of the sweep.
    pub sizes: Vec<u64>,
    /// Trials per size.
    pub trials: u32,
    /// Whether trial `t` drew from the same stream at every size (card `shared_draws`).
    pub shared_draws: bool,
    /// Raw observations, `observations[size_idx][trial]`; empty when the trials were not run
    /// (an unmet prerequisite).
    pub observations: Vec<Vec<Observation>>,
    /// Median over trials per size (`None`: censored or failed); empty when not run. For a
    /// separation, the ratio of the two learners' medians (slower over faster).
    pub medians: Vec<Option<f64>>,
    /// The fit of the asymptotic exponent, when one was possible (for a finite-size claim it
    /// is reported beside the verdict, not judged).
    pub fit: Option<Fit>,
    /// The finite-size judgement, for a claim judged on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finite_size: Option<FiniteSizeFit>,
    /// Verdict with control and reasons.
    pub outcome: Outcome,
    /// SHA-256 of the raw observations (hex), and of the auxiliary values when there are any.
    pub results_hash: String,
    /// Raw auxiliary values of an exploratory measurement, `auxiliary[size_idx][trial]`, in
    /// the order of [`Exploratory::series`](crate::theorem::Exploratory::series) (empty for a
    /// failed trial); empty when the claim has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auxiliary: Vec<Vec<Vec<f64>>>,
    /// The exploratory measurement's fit, when the claim has one and its trials ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploration: Option<Exploration>,
}

/// Runs one claim of a card on a profile, in the current rayon pool, after its prerequisites
/// (the claims it `requires`, run first with the same profile and seed override).
///
/// `progress` is called once per finished trial (from any thread).
pub fn run_claim(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
    progress: &(dyn Fn() + Sync),
) -> ClaimResult {
    run_claim_after(card, claim, profile, seed, &[], progress)
}

/// [`run_claim`], reusing the results of claims already run in this check (`earlier`) for the
/// claim's prerequisites; a prerequisite not among them is run first.
///
/// A claim is a lemma's consequence only if the lemma holds: when a prerequisite is not
/// confirmed, the claim's trials are not run and its outcome is `inconclusive: prerequisite
/// <claim> not confirmed (<its verdict>)`. A claim without a sweep for `profile` is not run
/// either: `inconclusive: no <profile> profile …`, with no sizes.
pub fn run_claim_after(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
    earlier: &[ClaimResult],
    progress: &(dyn Fn() + Sync),
) -> ClaimResult {
    run_claim_cached(card, claim, profile, seed, earlier, progress, None)
}

/// [`run_claim_after`] with a [`UnitCache`] (a trial store): units it holds are not run again,
/// units that run are given to it. Same bits as without it.
pub fn run_claim_cached(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
    earlier: &[ClaimResult],
    progress: &(dyn Fn() + Sync),
    cache: Option<&dyn UnitCache>,
) -> ClaimResult {
    let Some(run) = ClaimRun::new(card, claim, profile, seed) else {
        return run::without_profile(card, claim, profile, seed);
    };
    if let Some(why) = run.unmet_prerequisite(earlier, progress) {
        return run.not_run(why);
    }
    // A twin judges its original's trials: reuse them when this check already has them.
    let original = claim.trials_of.as_ref().and_then(|owner| {
        earlier.iter().find(|r| {
            r.theorem == card.id
                && r.claim == *owner
                && r.profile == profile
                && r.seed == run.streams().seed()
                && !r.observations.is_empty()
        })
    });
    match original {
        Some(r) => run
            .assemble(r.observations.clone(), r.auxiliary.clone())
            .unwrap_or_else(|why| run.not_run(why)),
        None => run.run_cached(progress, cache),
    }
}

/// The module's supplementary figures of a claim, one per size that has one, computed in
/// parallel over sizes (each run on its own [`ClaimStreams::figure`] stream) and returned in
/// size order with the size. None for a profile the claim has no sweep for.
pub fn claim_panels(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
) -> Vec<(u64, Result<Panel, String>)> {
    ClaimRun::new(card, claim, profile, seed).map_or_else(Vec::new, |run| run.panels())
}
