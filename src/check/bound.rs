//! A lower bound that holds at every size ([`ClaimKind::LowerBound`](crate::law::ClaimKind)),
//! judged by an **intersection–union test**.
//!
//! The claim is "margin ≥ −tol at every size", an intersection of one hypothesis per size. An
//! intersection–union test confirms it at level α when each size's one-sided lower confidence
//! bound (level 1 − α, from the bootstrap over trials) is at least −tol: no multiplicity
//! correction is needed, because the claim fails if any one size fails (Berger 1982,
//! *Technometrics* 24, 295). It is refuted when some size's one-sided upper bound is below
//! −tol, at level α/S per size (Bonferroni over the S sizes, since refuting is a union). The
//! verdict's interval is therefore (smallest lower bound, smallest upper bound): inside the
//! predicted half-line means every size is above it, below it means some size is. This replaces
//! a bootstrap of the minimum of the medians, whose interval mixes the sizes.

use super::control::{named, rival_excess};
use super::run::ClaimRun;
use super::Fit;
use crate::law::Control;
use crate::stats;
use crate::verdict::{self, Judgement, Outcome};

/// One-sided error rate of each bound.
const ALPHA: f64 = 0.05;

/// The judged fit of a lower-bound claim from its per-size medians and their bootstrap
/// replicates `replicates[b][s]`.
pub(super) fn judge_bound(
    run: &ClaimRun,
    medians: &[f64],
    replicates: &[Vec<f64>],
) -> (Fit, Outcome) {
    let claim = run.claim();
    let sizes = medians.len();
    let bounds: Vec<(f64, f64)> = (0..sizes)
        .map(|s| {
            let column: Vec<f64> = replicates.iter().map(|r| r[s]).collect();
            (stats::quantile(&column, ALPHA), stats::quantile(&column, 1.0 - ALPHA / sizes as f64))
        })
        .collect();
    let iut = |shift: &dyn Fn(usize) -> f64| -> (f64, (f64, f64)) {
        let margin = (0..sizes).map(|s| medians[s] - shift(s)).fold(f64::INFINITY, f64::min);
        let lo = (0..sizes).map(|s| bounds[s].0 - shift(s)).fold(f64::INFINITY, f64::min);
        let hi = (0..sizes).map(|s| bounds[s].1 - shift(s)).fold(f64::INFINITY, f64::min);
        (margin, (lo, hi))
    };
    let (margin, interval) = iut(&|_| 0.0);
    let (predicted, tol) = (claim.prediction.exponent, claim.tolerance);
    let judged = verdict::judge(margin, interval, predicted, tol);
    let control = match &claim.control {
        Control::Shift(delta) => verdict::judge(margin, interval, predicted.shifted(*delta), tol),
        Control::Rival(rival) => match rival_excess(run, &rival.name) {
            Ok(excess) => {
                let (m, i) = iut(&|s| excess[s]);
                named(
                    verdict::judge(m, i, predicted, tol),
                    &format!("rival {} ({})", rival.name, rival.law),
                )
            }
            Err(why) => Judgement::inconclusive(format!("rival {}: {why}", rival.name)),
        },
    };
    let fit = Fit {
        exponent: margin,
        ci_t: None,
        ci_bootstrap: interval,
        interval,
        intercept: None,
        r_squared: None,
        theil_sen: None,
        lack_of_fit_p: None,
        bounds: Some(bounds),
        sides: None,
    };
    (fit, verdict::with_control(judged, control))
}
