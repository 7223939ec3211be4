//! The harness: runs a claim's trials, reduces them in order, fits the exponent and judges it.
//!
//! Pipeline: `LoadedClaim → trials (parallel over (size, trial), collected in order) →
//! medians per size → log-log least squares (Student-t interval) and a seeded bootstrap over
//! trials → verdict with falsification control`.
//!
//! **Architecture Invariant:** everything here is a pure function of (card, claim, profile,
//! seed). Parallelism runs across trials only, each trial with its own stream from
//! [`crate::rng`], and results are collected in (size, trial) order, so the bits do not
//! depend on the thread count.

use crate::card::{Profile, Sweep};
use crate::law::{ClaimKind, Prediction};
use crate::rng::{Purpose, StreamId};
use crate::stats::{self, LineFit};
use crate::theorem::{Exploratory, LoadedCard, LoadedClaim, Observation, Panel};
use crate::verdict::{self, Outcome, Verdict};
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// Bootstrap replicates over trials. 1000 puts the Monte-Carlo error of a 2.5% quantile at
/// about 0.5 percentage points of coverage, and costs milliseconds (medians of stored values).
pub const BOOTSTRAP_REPLICATES: u64 = 1000;

/// The fit of one claim. For a [`ClaimKind::LowerBound`] claim no line is fitted: `exponent`
/// is the smallest per-size median margin, `interval` its bootstrap interval, and the
/// line-only fields are `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The fitted exponent `a` (from the least-squares slope), or the smallest median margin.
    pub exponent: f64,
    /// Student-t 95% interval for `a` from the least-squares fit of the medians.
    pub ci_t: Option<(f64, f64)>,
    /// Percentile 95% interval for `a` from the bootstrap over trials.
    pub ci_bootstrap: (f64, f64),
    /// The interval the verdict uses: the hull of the two (the more conservative).
    pub interval: (f64, f64),
    /// Intercept of the fitted line, in the fit's coordinates.
    pub intercept: Option<f64>,
    /// Coefficient of determination of the least-squares fit.
    pub r_squared: Option<f64>,
    /// Theil–Sen exponent, a robustness check (not used by the verdict).
    pub theil_sen: Option<f64>,
    /// For a [`ClaimKind::Separation`]: each learner's own threshold exponent, the faster
    /// learner first (the verdict judges their difference, `exponent`).
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

/// The fit of a claim's exploratory measurement ([`Exploratory`]): measured and reported,
/// never judged.
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
    /// Shift of the falsification control.
    pub control_delta: f64,
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
    /// The fit, when one was possible.
    pub fit: Option<Fit>,
    /// Verdict with control and reasons.
    pub outcome: Outcome,
    /// SHA-256 of the raw observations (hex), and of the auxiliary values when there are any.
    pub results_hash: String,
    /// Raw auxiliary values of an exploratory measurement, `auxiliary[size_idx][trial]`, in
    /// the order of [`Exploratory::series`] (empty for a failed trial); empty when the claim
    /// has none.
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
/// <claim> not confirmed (<its verdict>)`.
pub fn run_claim_after(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
    earlier: &[ClaimResult],
    progress: &(dyn Fn() + Sync),
) -> ClaimResult {
    let Some(sweep) = claim.sweep(profile) else {
        let why = format!(
            "no {} profile: a full-profile-only claim (run it with --profile full)",
            profile.name()
        );
        return not_run(card, claim, profile, seed, why);
    };
    let mut unmet = None;
    for id in &claim.requires {
        let Ok(required) = card.claim(id) else {
            // `Theorem::load` only admits requirements that name earlier claims.
            unmet = Some(format!("prerequisite `{id}` is not a claim of this card"));
            break;
        };
        let want_seed = seed.unwrap_or(required.seed);
        let found = earlier.iter().find(|r| {
            r.theorem == card.id && r.claim == *id && r.profile == profile && r.seed == want_seed
        });
        let verdict = match found {
            Some(r) => r.outcome.verdict,
            None => {
                run_claim_after(card, required, profile, seed, earlier, progress).outcome.verdict
            }
        };
        if verdict != Verdict::Confirmed {
            unmet = Some(format!("prerequisite `{id}` not confirmed (it is {verdict})"));
            break;
        }
    }
    match unmet {
        Some(why) => not_run(card, claim, profile, seed, why),
        None => run_trials(card, claim, profile, sweep, seed, progress),
    }
}

/// The result of a claim whose trials were not run: no observations, an inconclusive outcome
/// (no sizes either when the claim has no sweep for the profile).
fn not_run(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
    why: String,
) -> ClaimResult {
    let (sizes, trials) =
        claim.sweep(profile).map_or((Vec::new(), 0), |s| (s.sizes.clone(), s.trials));
    ClaimResult {
        theorem: card.id.clone(),
        claim: claim.id.clone(),
        profile,
        seed: seed.unwrap_or(claim.seed),
        prediction: claim.prediction.clone(),
        tolerance: claim.tolerance,
        control_delta: claim.control_delta,
        sizes,
        trials,
        shared_draws: claim.shared_draws,
        observations: Vec::new(),
        medians: Vec::new(),
        fit: None,
        outcome: verdict::not_fitted(why),
        results_hash: hash_results(&[], &[]),
        auxiliary: Vec::new(),
        exploration: None,
    }
}

fn run_trials(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    sweep: &Sweep,
    seed: Option<u64>,
    progress: &(dyn Fn() + Sync),
) -> ClaimResult {
    let seed = seed.unwrap_or(claim.seed);
    let jobs: Vec<(usize, u64)> = (0..sweep.sizes.len())
        .flat_map(|s| (0..u64::from(sweep.trials)).map(move |t| (s, t)))
        .collect();
    let flat: Vec<(Observation, Vec<f64>)> = jobs
        .par_iter()
        .map(|&(s, t)| {
            let size = sweep.sizes[s];
            // With shared draws, trial t reads the same stream at every size.
            let (purpose, stream_size) =
                if claim.shared_draws { (Purpose::SharedTrial, 0) } else { (Purpose::Trial, size) };
            let stream = StreamId {
                master_seed: seed,
                theorem: &card.id,
                claim: &claim.id,
                purpose,
                size: stream_size,
                index: t,
            };
            let obs = claim.simulation.trial(size, &mut stream.rng()).sanitised();
            progress();
            obs.split_annotation()
        })
        .collect();
    let trials = sweep.trials as usize;
    let (flat, aux): (Vec<Observation>, Vec<Vec<f64>>) = flat.into_iter().unzip();
    let observations: Vec<Vec<Observation>> =
        flat.chunks(trials).map(<[Observation]>::to_vec).collect();
    let auxiliary: Vec<Vec<Vec<f64>>> = if aux.iter().all(Vec::is_empty) {
        Vec::new()
    } else {
        aux.chunks(trials).map(<[Vec<f64>]>::to_vec).collect()
    };
    let results_hash = hash_results(&observations, &auxiliary);
    let (medians, fit, outcome) = analyse(card, claim, seed, &sweep.sizes, &observations);
    let exploration = claim
        .exploratory
        .as_ref()
        .map(|e| explore(card, claim, seed, e, &sweep.sizes, &observations, &auxiliary));
    ClaimResult {
        theorem: card.id.clone(),
        claim: claim.id.clone(),
        profile,
        seed,
        prediction: claim.prediction.clone(),
        tolerance: claim.tolerance,
        control_delta: claim.control_delta,
        sizes: sweep.sizes.clone(),
        trials: sweep.trials,
        shared_draws: claim.shared_draws,
        observations,
        medians,
        fit,
        outcome,
        results_hash,
        auxiliary,
        exploration,
    }
}

/// The module's supplementary figures of a claim, one per size that has one, computed in
/// parallel over sizes (each run on its own [`Purpose::Figure`] stream) and returned in size
/// order with the size. None for a profile the claim has no sweep for.
pub fn claim_panels(
    card: &LoadedCard,
    claim: &LoadedClaim,
    profile: Profile,
    seed: Option<u64>,
) -> Vec<(u64, Result<Panel, String>)> {
    let seed = seed.unwrap_or(claim.seed);
    let Some(sweep) = claim.sweep(profile) else { return Vec::new() };
    sweep
        .sizes
        .par_iter()
        .filter_map(|&size| {
            let stream = |index: u64| {
                StreamId {
                    master_seed: seed,
                    theorem: &card.id,
                    claim: &claim.id,
                    purpose: Purpose::Figure,
                    size,
                    index,
                }
                .rng()
            };
            claim.simulation.panel(size, &stream).map(|p| (size, p))
        })
        .collect()
}

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

/// A numeric stand-in for an observation: censored thresholds are `+inf` (they sort above
/// every crossed one), failures (and a pair where one value was expected) are NaN.
fn numeric(o: &Observation) -> f64 {
    match o {
        Observation::Value(v) => *v,
        Observation::Censored(_) => f64::INFINITY,
        Observation::Failed(_) | Observation::Pair(..) | Observation::Annotated(..) => f64::NAN,
    }
}

/// The per-size medians of observations that can be fitted, or why they cannot: a failed
/// trial, or a censored median. `who` prefixes the reason (which learner, in a separation).
fn screen(
    observations: &[Vec<Observation>],
    sizes: &[u64],
    symbol: &str,
    who: &str,
) -> Result<Vec<f64>, String> {
    for (s, row) in observations.iter().enumerate() {
        for (t, o) in row.iter().enumerate() {
            let why = match o {
                Observation::Failed(reason) => format!("failed: {reason}"),
                Observation::Pair(..) | Observation::Annotated(..) => {
                    "returned a pair of thresholds where the claim's kind expects one value"
                        .to_string()
                }
                _ => continue,
            };
            return Err(format!("{who}trial {t} at {symbol} = {} {why}", sizes[s]));
        }
    }
    let medians: Vec<f64> = observations
        .iter()
        .map(|row| stats::median(&row.iter().map(numeric).collect::<Vec<_>>()))
        .collect();
    if let Some(s) = medians.iter().position(|m| m.is_infinite()) {
        let censored =
            observations[s].iter().filter(|o| matches!(o, Observation::Censored(_))).count();
        let budget = observations[s].iter().find_map(|o| match o {
            Observation::Censored(b) => Some(*b),
            _ => None,
        });
        return Err(format!(
            "{who}right-censored: {censored} of {} trials at {symbol} = {} did not cross within \
             the budget of {:.3e}, so the median threshold is unknown",
            observations[s].len(),
            sizes[s],
            budget.unwrap_or(f64::NAN)
        ));
    }
    Ok(medians)
}

/// The hull of a t interval and a bootstrap interval; a NaN end (a resample whose fit failed)
/// must not be skipped by `min`/`max`, which ignore NaN: it makes the interval, and so the
/// verdict, undefined.
fn hull((t_lo, t_hi): (f64, f64), (b_lo, b_hi): (f64, f64)) -> (f64, f64) {
    if b_lo.is_nan() || b_hi.is_nan() {
        (f64::NAN, f64::NAN)
    } else {
        (t_lo.min(b_lo), t_hi.max(b_hi))
    }
}

fn analyse(
    card: &LoadedCard,
    claim: &LoadedClaim,
    seed: u64,
    sizes: &[u64],
    observations: &[Vec<Observation>],
) -> (Vec<Option<f64>>, Option<Fit>, Outcome) {
    let kind = claim.prediction.kind;
    if let ClaimKind::Separation { log_power } = kind {
        return analyse_separation(card, claim, seed, sizes, observations, log_power);
    }
    let symbol = claim.prediction.size.as_str();
    let medians: Vec<f64> = observations
        .iter()
        .map(|row| stats::median(&row.iter().map(numeric).collect::<Vec<_>>()))
        .collect();
    let shown: Vec<Option<f64>> = medians.iter().map(|m| m.is_finite().then_some(*m)).collect();
    if let Err(why) = screen(observations, sizes, symbol, "") {
        return (shown, None, verdict::not_fitted(why));
    }

    if !kind.fits_a_line() {
        let (fit, outcome) = judge_bound(card, claim, seed, observations, &medians);
        return (shown, Some(fit), outcome);
    }
    let (xs, ys) = coordinates(kind, sizes, &medians);
    let line = match stats::fit_line(&xs, &ys, LEVEL) {
        Ok(line) => line,
        Err(e) => return (shown, None, verdict::not_fitted(format!("the fit failed: {e}"))),
    };
    let replicates = bootstrap(card, claim, seed, observations, |medians| {
        fit_medians(kind, sizes, medians).map_or(f64::NAN, |l| kind.exponent_of_slope(l.slope))
    });
    let ci_bootstrap = stats::percentile_interval(&replicates, LEVEL);
    let ci_t = exponent_interval(kind, line.ci);
    let exponent = kind.exponent_of_slope(line.slope);
    let interval = hull(ci_t, ci_bootstrap);
    let fit = Fit {
        exponent,
        ci_t: Some(ci_t),
        ci_bootstrap,
        interval,
        intercept: Some(line.intercept),
        r_squared: Some(line.r_squared),
        theil_sen: Some(kind.exponent_of_slope(stats::theil_sen_slope(&xs, &ys))),
        sides: None,
    };
    let outcome = verdict::judge_with_control(
        exponent,
        interval,
        claim.prediction.exponent,
        claim.tolerance,
        claim.control_delta,
    );
    (shown, Some(fit), outcome)
}

/// A separation claim: both learners' thresholds per trial, each side screened and fitted,
/// and the difference of their exponents judged (the slope of the log ratio of the medians,
/// with a bootstrap that resamples the trials of both sides together).
fn analyse_separation(
    card: &LoadedCard,
    claim: &LoadedClaim,
    seed: u64,
    sizes: &[u64],
    observations: &[Vec<Observation>],
    log_power: f64,
) -> (Vec<Option<f64>>, Option<Fit>, Outcome) {
    let symbol = claim.prediction.size.as_str();
    let not_fitted = |why: String| (vec![None; sizes.len()], None, verdict::not_fitted(why));
    let (mut faster, mut slower) = (Vec::new(), Vec::new());
    for (s, row) in observations.iter().enumerate() {
        let (mut f, mut l) = (Vec::with_capacity(row.len()), Vec::with_capacity(row.len()));
        for (t, o) in row.iter().enumerate() {
            match o {
                Observation::Pair(a, b) => {
                    f.push((**a).clone());
                    l.push((**b).clone());
                }
                Observation::Failed(reason) => {
                    return not_fitted(format!(
                        "trial {t} at {symbol} = {} failed: {reason}",
                        sizes[s]
                    ))
                }
                other => {
                    return not_fitted(format!(
                        "trial {t} at {symbol} = {} returned {other:?}; a separation trial \
                         returns a pair of thresholds",
                        sizes[s]
                    ))
                }
            }
        }
        faster.push(f);
        slower.push(l);
    }
    let medians = |side: &[Vec<Observation>], who: &str| screen(side, sizes, symbol, who);
    let (fast_m, slow_m) = match (
        medians(&faster, "the faster learner: "),
        medians(&slower, "the slower learner: "),
    ) {
        (Ok(f), Ok(l)) => (f, l),
        (Err(why), _) | (_, Err(why)) => return not_fitted(why),
    };
    let ratio: Vec<f64> = slow_m.iter().zip(&fast_m).map(|(l, f)| l / f).collect();
    let shown = ratio.iter().map(|r| r.is_finite().then_some(*r)).collect();
    let kind = claim.prediction.kind;
    let side_kind = ClaimKind::ThresholdScaling { log_power };
    let lines = (
        fit_medians(kind, sizes, &ratio),
        fit_medians(side_kind, sizes, &fast_m),
        fit_medians(side_kind, sizes, &slow_m),
    );
    let (line, fast_line, slow_line) = match lines {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return not_fitted(format!("the fit failed: {e}"))
        }
    };
    let pairs: Vec<Vec<[f64; 2]>> = faster
        .iter()
        .zip(&slower)
        .map(|(f, l)| f.iter().zip(l).map(|(a, b)| [numeric(a), numeric(b)]).collect())
        .collect();
    let replicates = resample(card, claim, seed, &pairs, |rows| {
        let side = |i: usize| -> Vec<f64> {
            rows.iter()
                .map(|row| stats::median(&row.iter().map(|p| p[i]).collect::<Vec<_>>()))
                .collect()
        };
        let slope = |m: &[f64]| {
            if m.iter().any(|v| v.is_infinite()) {
                f64::INFINITY
            } else {
                fit_medians(side_kind, sizes, m).map_or(f64::NAN, |l| l.slope)
            }
        };
        let (a_fast, a_slow) = (slope(&side(0)), slope(&side(1)));
        // A censored resample of the faster side leaves the difference unknown.
        let difference = if a_fast.is_infinite() { f64::NAN } else { a_slow - a_fast };
        [a_fast, a_slow, difference]
    });
    let percentiles = |i: usize| {
        stats::percentile_interval(&replicates.iter().map(|r| r[i]).collect::<Vec<_>>(), LEVEL)
    };
    let side_fit = |line: &LineFit, i: usize, medians: Vec<f64>| SideFit {
        exponent: line.slope,
        ci_t: line.ci,
        ci_bootstrap: percentiles(i),
        interval: hull(line.ci, percentiles(i)),
        medians,
    };
    let (xs, ys) = coordinates(kind, sizes, &ratio);
    let fit = Fit {
        exponent: line.slope,
        ci_t: Some(line.ci),
        ci_bootstrap: percentiles(2),
        interval: hull(line.ci, percentiles(2)),
        intercept: Some(line.intercept),
        r_squared: Some(line.r_squared),
        theil_sen: Some(stats::theil_sen_slope(&xs, &ys)),
        sides: Some([side_fit(&fast_line, 0, fast_m), side_fit(&slow_line, 1, slow_m)]),
    };
    let outcome = verdict::judge_with_control(
        fit.exponent,
        fit.interval,
        claim.prediction.exponent,
        claim.tolerance,
        claim.control_delta,
    );
    (shown, Some(fit), outcome)
}

/// A claim's exploratory measurement: each series' log-log slope against the size and, with
/// two or more series, the slope of the ratio of the last series' median to the first's, each
/// with a Student-t interval and a bootstrap over whole trials (the replicates draw the same
/// trials as the claim's own bootstrap). Never judged: a failed trial or a value that is not
/// positive leaves it unfitted, with the reason.
fn explore(
    card: &LoadedCard,
    claim: &LoadedClaim,
    seed: u64,
    spec: &Exploratory,
    sizes: &[u64],
    observations: &[Vec<Observation>],
    auxiliary: &[Vec<Vec<f64>>],
) -> Exploration {
    let symbol = claim.prediction.size.as_str();
    let unfitted = |why: String| Exploration {
        quantity: spec.quantity.clone(),
        series: Vec::new(),
        ratio: None,
        not_fitted: Some(why),
    };
    let k = spec.series.len();
    for (s, row) in observations.iter().enumerate() {
        for (t, o) in row.iter().enumerate() {
            let at = format!("trial {t} at {symbol} = {}", sizes[s]);
            if let Observation::Failed(reason) = o {
                return unfitted(format!("{at} failed: {reason}"));
            }
            let values = auxiliary.get(s).and_then(|r| r.get(t)).map_or(&[][..], Vec::as_slice);
            if values.len() != k {
                return unfitted(format!(
                    "{at} returned {} auxiliary values, the measurement has {k} series",
                    values.len()
                ));
            }
            if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| v.is_nan() || **v <= 0.0)
            {
                return unfitted(format!(
                    "{at}: {} = {v} is not a positive number, so it has no logarithm",
                    spec.series[i]
                ));
            }
        }
    }
    let xs: Vec<f64> = sizes.iter().map(|&s| (s as f64).ln()).collect();
    let log_log = |medians: &[f64]| {
        let ys: Vec<f64> = medians.iter().map(|m| m.ln()).collect();
        stats::fit_line(&xs, &ys, LEVEL)
    };
    // Per series, per size: the median over the trials listed in `rows`.
    let medians_of = |rows: &[Vec<usize>]| -> Vec<Vec<f64>> {
        (0..k)
            .map(|i| {
                rows.iter()
                    .enumerate()
                    .map(|(s, row)| {
                        let v: Vec<f64> = row.iter().map(|&t| auxiliary[s][t][i]).collect();
                        stats::median(&v)
                    })
                    .collect()
            })
            .collect()
    };
    let ratio_of = |m: &[Vec<f64>]| -> Vec<f64> {
        m[k - 1].iter().zip(&m[0]).map(|(last, first)| last / first).collect()
    };
    let slopes = |m: &[Vec<f64>]| -> Vec<f64> {
        let slope = |series: &[f64]| log_log(series).map_or(f64::NAN, |l| l.slope);
        let mut out: Vec<f64> = m.iter().map(|series| slope(series)).collect();
        if k >= 2 {
            out.push(slope(&ratio_of(m)));
        }
        out
    };
    let all: Vec<Vec<usize>> = auxiliary.iter().map(|row| (0..row.len()).collect()).collect();
    let medians = medians_of(&all);
    let replicates = resample(card, claim, seed, &all, |rows| slopes(&medians_of(rows)));
    let fit = |i: usize, medians: Vec<f64>| -> Result<SideFit, String> {
        let line = log_log(&medians).map_err(|e| format!("the fit failed: {e}"))?;
        let draws: Vec<f64> = replicates.iter().map(|r| r[i]).collect();
        let ci_bootstrap = stats::percentile_interval(&draws, LEVEL);
        Ok(SideFit {
            exponent: line.slope,
            ci_t: line.ci,
            ci_bootstrap,
            interval: hull(line.ci, ci_bootstrap),
            medians,
        })
    };
    let mut series = Vec::with_capacity(k);
    for (i, name) in spec.series.iter().enumerate() {
        match fit(i, medians[i].clone()) {
            Ok(f) => series.push((name.clone(), f)),
            Err(why) => return unfitted(format!("{name}: {why}")),
        }
    }
    let ratio = if k >= 2 {
        match fit(k, ratio_of(&medians)) {
            Ok(f) => Some(f),
            Err(why) => return unfitted(format!("the ratio: {why}")),
        }
    } else {
        None
    };
    Exploration { quantity: spec.quantity.clone(), series, ratio, not_fitted: None }
}

fn coordinates(kind: ClaimKind, sizes: &[u64], medians: &[f64]) -> (Vec<f64>, Vec<f64>) {
    sizes.iter().zip(medians).map(|(&s, &m)| kind.coordinates(s as f64, m)).unzip()
}

fn fit_medians(
    kind: ClaimKind,
    sizes: &[u64],
    medians: &[f64],
) -> Result<LineFit, stats::FitError> {
    let (xs, ys) = coordinates(kind, sizes, medians);
    stats::fit_line(&xs, &ys, LEVEL)
}

/// The slope interval as an exponent interval (decays flip the sign, hence the order).
fn exponent_interval(kind: ClaimKind, (lo, hi): (f64, f64)) -> (f64, f64) {
    let (a, b) = (kind.exponent_of_slope(lo), kind.exponent_of_slope(hi));
    (a.min(b), a.max(b))
}

/// A lower-bound claim: the smallest per-size median margin, its bootstrap interval, and the
/// verdict against margin ≥ 0 (the control: margin ≥ `control_delta`).
fn judge_bound(
    card: &LoadedCard,
    claim: &LoadedClaim,
    seed: u64,
    observations: &[Vec<Observation>],
    medians: &[f64],
) -> (Fit, Outcome) {
    let smallest = |m: &[f64]| m.iter().copied().fold(f64::INFINITY, f64::min);
    let replicates = bootstrap(card, claim, seed, observations, smallest);
    let ci_bootstrap = stats::percentile_interval(&replicates, LEVEL);
    let margin = smallest(medians);
    let fit = Fit {
        exponent: margin,
        ci_t: None,
        ci_bootstrap,
        interval: ci_bootstrap,
        intercept: None,
        r_squared: None,
        theil_sen: None,
        sides: None,
    };
    let outcome = verdict::judge_with_control(
        margin,
        ci_bootstrap,
        claim.prediction.exponent,
        claim.tolerance,
        claim.control_delta,
    );
    (fit, outcome)
}

/// A statistic of the per-size medians (a fitted exponent, the smallest margin) recomputed on
/// `BOOTSTRAP_REPLICATES` resamples of the trials (with replacement, within each size; the
/// same indices at every size for shared draws, [`resample`]). A
/// resample whose median is censored gives `+inf` (the threshold is larger than the budget),
/// which widens the interval instead of being dropped.
fn bootstrap(
    card: &LoadedCard,
    claim: &LoadedClaim,
    seed: u64,
    observations: &[Vec<Observation>],
    statistic: impl Fn(&[f64]) -> f64 + Sync,
) -> Vec<f64> {
    let values: Vec<Vec<f64>> =
        observations.iter().map(|row| row.iter().map(numeric).collect()).collect();
    resample(card, claim, seed, &values, |rows| {
        let medians: Vec<f64> = rows.iter().map(|row| stats::median(row)).collect();
        if medians.iter().any(|m| m.is_infinite()) {
            return f64::INFINITY;
        }
        statistic(&medians)
    })
}

/// A statistic recomputed on `BOOTSTRAP_REPLICATES` resamples of the trials: within each size,
/// the trials are drawn with replacement (a trial's whole record, e.g. both sides of a pair,
/// moves together). For a claim with shared draws the trial indices are drawn once per
/// replicate and used at every size, since trial `t` is one draw swept over the sizes: the
/// resample keeps what the sizes share. Replicate `b` has its own [`Purpose::Bootstrap`]
/// stream, so the replicates do not depend on the thread count.
fn resample<T: Copy + Send + Sync, R: Send>(
    card: &LoadedCard,
    claim: &LoadedClaim,
    seed: u64,
    rows: &[Vec<T>],
    statistic: impl Fn(&[Vec<T>]) -> R + Sync,
) -> Vec<R> {
    (0..BOOTSTRAP_REPLICATES)
        .into_par_iter()
        .map(|b| {
            let mut rng = StreamId {
                master_seed: seed,
                theorem: &card.id,
                claim: &claim.id,
                purpose: Purpose::Bootstrap,
                size: 0,
                index: b,
            }
            .rng();
            let drawn: Vec<Vec<T>> = if claim.shared_draws {
                // Every size has the sweep's trial count; the shortest row bounds the picks.
                let n = rows.iter().map(Vec::len).min().unwrap_or(0) as u32;
                let picks: Vec<usize> = (0..n).map(|_| rng.random_range(0..n) as usize).collect();
                rows.iter().map(|row| picks.iter().map(|&i| row[i]).collect()).collect()
            } else {
                rows.iter()
                    .map(|row| {
                        let n = row.len() as u32;
                        (0..n).map(|_| row[rng.random_range(0..n) as usize]).collect()
                    })
                    .collect()
            };
            statistic(&drawn)
        })
        .collect()
}
