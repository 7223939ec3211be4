//! From observations to a judged fit, for every claim kind but a separation: per-size
//! medians (censored trials count as `+inf`), the screening that refuses to fit a failed
//! trial or a censored median, and the weighted line in the coordinates of the claim's kind
//! ([`super::weighted`]), judged on its exponent or against the finite-size curve; a lower
//! bound goes to [`super::bound`].

use super::bootstrap::replicate_medians;
use super::bound::judge_bound;
use super::control::exponent_outcome;
use super::finite_size;
use super::run::ClaimRun;
use super::weighted::weighted_slope;
use super::{FiniteSizeFit, Fit, LEVEL};
use crate::law::{ClaimKind, Judge};
use crate::stats::{self, LineFit};
use crate::theorem::Observation;
use crate::verdict::{self, Outcome};

/// What the analysis of a claim's observations gives: the per-size medians shown (`None`:
/// censored or failed), the fit when one was possible, the finite-size judgement for a claim
/// judged on it, and the verdict.
pub(super) struct Analysis {
    /// The medians shown.
    pub medians: Vec<Option<f64>>,
    /// The asymptotic fit.
    pub fit: Option<Fit>,
    /// The finite-size judgement.
    pub finite_size: Option<FiniteSizeFit>,
    /// The verdict.
    pub outcome: Outcome,
}

impl Analysis {
    /// An analysis that stopped before a verdict, with the reason.
    pub(super) fn not_fitted(medians: Vec<Option<f64>>, why: String) -> Analysis {
        Analysis { medians, fit: None, finite_size: None, outcome: verdict::not_fitted(why) }
    }
}

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

/// A claim of one value per trial (a scaling law or a lower bound): medians, screening, the
/// bootstrap replicates of the medians, then the weighted line fit ([`weighted_slope`]) judged
/// on its exponent or against the finite-size curve ([`super::finite_size`]), or the
/// intersection–union test of a lower bound ([`judge_bound`]), each with its control.
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
        return Analysis::not_fitted(shown, why);
    }
    let replicates = replicate_medians(run.streams(), observations);
    if !kind.fits_a_line() {
        let (fit, outcome) = judge_bound(run, &medians, &replicates);
        return Analysis { medians: shown, fit: Some(fit), finite_size: None, outcome };
    }
    let (xs, ys) = coordinates(kind, sizes, &medians);
    let replicate_ys: Vec<Vec<f64>> =
        replicates.iter().map(|m| coordinates(kind, sizes, m).1).collect();
    let w = match weighted_slope(&xs, &ys, &replicate_ys) {
        Ok(w) => w,
        Err(e) => return Analysis::not_fitted(shown, format!("the fit failed: {e}")),
    };
    let exponent = kind.exponent_of_slope(w.slope);
    let interval = exponent_interval(kind, w.interval);
    let fit = Fit {
        exponent,
        ci_t: Some(exponent_interval(kind, w.ci_t)),
        ci_bootstrap: exponent_interval(kind, w.ci_bootstrap),
        interval,
        intercept: Some(w.intercept),
        r_squared: Some(w.r_squared),
        theil_sen: Some(kind.exponent_of_slope(stats::theil_sen_slope(&xs, &ys))),
        lack_of_fit_p: w.lack_of_fit_p,
        bounds: None,
        sides: None,
    };
    match claim.judge {
        Judge::Exponent => {
            let outcome = exponent_outcome(run, exponent, interval, &xs, &w.weights);
            Analysis { medians: shown, fit: Some(fit), finite_size: None, outcome }
        }
        Judge::FiniteSize => {
            let (finite_size, outcome) =
                finite_size::judge(run, &medians, &replicates, &xs, &w.weights);
            Analysis { medians: shown, fit: Some(fit), finite_size, outcome }
        }
    }
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
pub(super) fn exponent_interval(kind: ClaimKind, (lo, hi): (f64, f64)) -> (f64, f64) {
    let (a, b) = (kind.exponent_of_slope(lo), kind.exponent_of_slope(hi));
    if a.is_nan() || b.is_nan() {
        (f64::NAN, f64::NAN)
    } else {
        (a.min(b), a.max(b))
    }
}
