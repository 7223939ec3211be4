//! From observations to a judged fit, for every claim kind but a separation: per-size
//! medians (censored trials count as `+inf`), the screening that refuses to fit a failed
//! trial or a censored median, the log-log (or log-linear) least-squares line in the
//! coordinates of the claim's kind, the hull of the Student-t and bootstrap intervals, and the
//! lower-bound judgement (the smallest median margin against 0).

use super::bootstrap::bootstrap;
use super::run::ClaimRun;
use super::{Fit, LEVEL};
use crate::law::ClaimKind;
use crate::stats::{self, LineFit};
use crate::theorem::Observation;
use crate::verdict::{self, Outcome};

/// What the analysis of a claim's observations gives: the per-size medians shown (`None`:
/// censored or failed), the fit when one was possible, and the verdict.
pub(super) type Analysis = (Vec<Option<f64>>, Option<Fit>, Outcome);

/// A numeric stand-in for an observation: censored thresholds are `+inf` (they sort above
/// every crossed one), failures (and a pair where one value was expected) are NaN.
pub(super) fn numeric(o: &Observation) -> f64 {
    match o {
        Observation::Value(v) => *v,
        Observation::Censored(_) => f64::INFINITY,
        Observation::Failed(_) | Observation::Pair(..) | Observation::Annotated(..) => f64::NAN,
    }
}

/// The per-size medians of observations that can be fitted, or why they cannot: a failed
/// trial, or a censored median. `who` prefixes the reason (which learner, in a separation).
pub(super) fn screen(
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
pub(super) fn hull((t_lo, t_hi): (f64, f64), (b_lo, b_hi): (f64, f64)) -> (f64, f64) {
    if b_lo.is_nan() || b_hi.is_nan() {
        (f64::NAN, f64::NAN)
    } else {
        (t_lo.min(b_lo), t_hi.max(b_hi))
    }
}

/// A claim of one value per trial (a scaling law or a lower bound): medians, screening, then
/// the line fit with its two intervals ([`judge_bound`] for a lower bound), and the verdict
/// with its control.
pub(super) fn analyse(run: &ClaimRun, observations: &[Vec<Observation>]) -> Analysis {
    let claim = run.claim();
    let sizes = run.sizes();
    let kind = claim.prediction.kind;
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
        let (fit, outcome) = judge_bound(run, observations, &medians);
        return (shown, Some(fit), outcome);
    }
    let (xs, ys) = coordinates(kind, sizes, &medians);
    let line = match stats::fit_line(&xs, &ys, LEVEL) {
        Ok(line) => line,
        Err(e) => return (shown, None, verdict::not_fitted(format!("the fit failed: {e}"))),
    };
    let replicates = bootstrap(run.streams(), observations, |medians| {
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

/// The fit's coordinates of each (size, median) point, for the claim's kind.
pub(super) fn coordinates(kind: ClaimKind, sizes: &[u64], medians: &[f64]) -> (Vec<f64>, Vec<f64>) {
    sizes.iter().zip(medians).map(|(&s, &m)| kind.coordinates(s as f64, m)).unzip()
}

/// The least-squares line through the medians, in the coordinates of `kind`.
pub(super) fn fit_medians(
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
    run: &ClaimRun,
    observations: &[Vec<Observation>],
    medians: &[f64],
) -> (Fit, Outcome) {
    let claim = run.claim();
    let smallest = |m: &[f64]| m.iter().copied().fold(f64::INFINITY, f64::min);
    let replicates = bootstrap(run.streams(), observations, smallest);
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
