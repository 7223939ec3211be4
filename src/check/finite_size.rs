//! A claim judged against the theory's value **at each finite size** (`judge = "finite-size"`).
//!
//! An asymptotic exponent fitted at d of a few hundred mixes the law with its finite-size
//! corrections: `information-exponent/k1` measures 1.05 [1.04, 1.06] on d = 64..2048, an
//! interval that excludes the asymptotic 1, and the overlap chain's exact law predicts that
//! very number. When a module can compute the observable at each size of the sweep (exactly,
//! or to a stated order), the claim becomes: the medians follow that curve. The residual
//! $r_s = y(\text{median}_s) - y(\text{predicted}_s)$, in the coordinates $y$ of the claim's
//! kind ($\log(\text{measured}/\text{predicted})$ for a power law), must have slope 0 within
//! the tolerance against the size's coordinate; it is fitted as every slope is
//! (the private `check::weighted`), with the same bootstrap replicates. The per-size ratios are
//! reported with their bootstrap intervals, and the asymptotic exponent beside them.
//!
//! The control is judged in the same frame: against a **rival** it is the slope of
//! $y(\text{median}_s) - y(\text{rival}_s)$, which must be refuted (not within the tolerance
//! of 0); against a **shift** δ, the residual's slope against δ.

use super::control::{named, rival_curve};
use super::run::ClaimRun;
use super::weighted::{weighted_ls_slope, weighted_slope};
use super::{FiniteSizeFit, LEVEL};
use crate::law::{ClaimKind, Control, Exponent};
use crate::stats;
use crate::verdict::{self, Judgement, Outcome};

/// Judges the medians against the module's finite-size curve. `xs` and `weights` are the
/// asymptotic fit's abscissae and weights; `replicates[b][s]` the bootstrap medians.
pub(super) fn judge(
    run: &ClaimRun,
    medians: &[f64],
    replicates: &[Vec<f64>],
    xs: &[f64],
    weights: &[f64],
) -> (Option<FiniteSizeFit>, Outcome) {
    let claim = run.claim();
    let sizes = run.sizes();
    let kind = claim.prediction.kind;
    let provenance = claim.finite_size.clone().unwrap_or_default();
    let predicted = match claim.simulation.finite_size(sizes) {
        Ok(p) if p.len() == sizes.len() && p.iter().all(|v| v.is_finite()) => p,
        Ok(_) => {
            return (
                None,
                verdict::not_fitted("the finite-size prediction is not one finite value per size"),
            )
        }
        Err(why) => {
            return (None, verdict::not_fitted(format!("the finite-size prediction failed: {why}")))
        }
    };
    let y = |s: usize, v: f64| kind.coordinates(sizes[s] as f64, v).1;
    let residual = |m: &[f64]| -> Vec<f64> {
        (0..sizes.len()).map(|s| y(s, m[s]) - y(s, predicted[s])).collect()
    };
    let residuals = residual(medians);
    let replicate_residuals: Vec<Vec<f64>> = replicates.iter().map(|m| residual(m)).collect();
    let w = match weighted_slope(xs, &residuals, &replicate_residuals) {
        Ok(w) => w,
        Err(e) => return (None, verdict::not_fitted(format!("the finite-size fit failed: {e}"))),
    };
    let ratio_of = |r: f64| match kind {
        ClaimKind::LinearGrowth => r,
        ClaimKind::ExponentialDecay => r.exp2(),
        _ => r.exp(),
    };
    let ratios = (0..sizes.len())
        .map(|s| {
            let column: Vec<f64> = replicate_residuals.iter().map(|r| r[s]).collect();
            let (lo, hi) = stats::percentile_interval(&column, LEVEL);
            (ratio_of(residuals[s]), (ratio_of(lo), ratio_of(hi)))
        })
        .collect();
    let tol = claim.tolerance;
    let what = residual_label(kind, &claim.prediction.observable);
    let judged = named(
        verdict::judge(w.slope, w.interval, Exponent::Exactly(0.0), tol),
        &format!("slope of {what} against {}", x_label(kind, &claim.prediction.size)),
    );
    let control = match &claim.control {
        Control::Shift(delta) => {
            verdict::judge(w.slope, w.interval, Exponent::Exactly(*delta), tol)
        }
        Control::Rival(rival) => match rival_curve(run, &rival.name) {
            Ok(curve) => {
                // The residual against the rival differs from the residual against the
                // prediction by a fixed curve, so its slope differs by that curve's slope.
                let gap: Vec<f64> =
                    (0..sizes.len()).map(|s| y(s, predicted[s]) - y(s, curve[s])).collect();
                let delta = weighted_ls_slope(xs, &gap, weights);
                let shifted = (w.interval.0 + delta, w.interval.1 + delta);
                named(
                    verdict::judge(w.slope + delta, shifted, Exponent::Exactly(0.0), tol),
                    &format!(
                        "rival {} ({}): slope of the residual against it",
                        rival.name, rival.law
                    ),
                )
            }
            Err(why) => Judgement::inconclusive(format!("rival {}: {why}", rival.name)),
        },
    };
    let fit = FiniteSizeFit {
        provenance,
        predicted,
        ratios,
        slope: w.slope,
        ci_t: w.ci_t,
        ci_bootstrap: w.ci_bootstrap,
        interval: w.interval,
        lack_of_fit_p: w.lack_of_fit_p,
    };
    (Some(fit), verdict::with_control(judged, control))
}

/// What the residual is, in words: `log(n* / n*_pred)`.
pub fn residual_label(kind: ClaimKind, observable: &str) -> String {
    match kind {
        ClaimKind::LinearGrowth => format!("{observable} - {observable}_pred"),
        ClaimKind::ExponentialDecay => format!("log2({observable} / {observable}_pred)"),
        _ => format!("log({observable} / {observable}_pred)"),
    }
}

/// The abscissa of a kind's fit, in words: `log d` or `m`.
pub fn x_label(kind: ClaimKind, size: &str) -> String {
    match kind {
        ClaimKind::ExponentialDecay | ClaimKind::LinearGrowth => size.to_string(),
        _ => format!("log {size}"),
    }
}
