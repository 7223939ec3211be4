//! A separation claim ([`ClaimKind::Separation`]): each trial measures two learners'
//! thresholds on one draw of the target, the faster learner first. Each side is screened and
//! fitted on its own, and the verdict judges the difference of their exponents: the slope of
//! the log ratio of the medians, with a bootstrap that resamples whole trials, so both sides
//! of a trial move together.

use super::bootstrap::resample;
use super::control::exponent_outcome;
use super::fit::{coordinates, fit_medians, numeric, screen, Analysis};
use super::run::ClaimRun;
use super::weighted::{hull, weighted_slope};
use super::{Fit, SideFit, LEVEL};
use crate::law::ClaimKind;
use crate::stats::{self, LineFit};
use crate::theorem::Observation;

/// A separation claim: both learners' thresholds per trial, each side screened and fitted,
/// and the difference of their exponents judged (the slope of the log ratio of the medians,
/// with a bootstrap that resamples the trials of both sides together). `log_power` is the
/// claim kind's power of `ln` in each side's threshold law.
pub(super) fn analyse(
    run: &ClaimRun,
    observations: &[Vec<Observation>],
    log_power: f64,
) -> Analysis {
    let claim = run.claim();
    let sizes = run.sizes();
    let symbol = claim.prediction.size.as_str();
    let not_fitted = |why: String| Analysis::not_fitted(vec![None; sizes.len()], why);
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
    let lines = (fit_medians(side_kind, sizes, &fast_m), fit_medians(side_kind, sizes, &slow_m));
    let (fast_line, slow_line) = match lines {
        (Ok(b), Ok(c)) => (b, c),
        (Err(e), _) | (_, Err(e)) => return not_fitted(format!("the fit failed: {e}")),
    };
    let pairs: Vec<Vec<[f64; 2]>> = faster
        .iter()
        .zip(&slower)
        .map(|(f, l)| f.iter().zip(l).map(|(a, b)| [numeric(a), numeric(b)]).collect())
        .collect();
    // Per replicate: each side's median at every size, from one resample of whole trials.
    let replicates: Vec<[Vec<f64>; 2]> = resample(run.streams(), &pairs, |rows| {
        let side = |i: usize| -> Vec<f64> {
            rows.iter()
                .map(|row| stats::median(&row.iter().map(|p| p[i]).collect::<Vec<_>>()))
                .collect()
        };
        [side(0), side(1)]
    });
    let side_slope = |m: &[f64]| {
        if m.iter().any(|v| v.is_infinite()) {
            f64::INFINITY
        } else {
            fit_medians(side_kind, sizes, m).map_or(f64::NAN, |l| l.slope)
        }
    };
    let percentiles = |i: usize| {
        let slopes: Vec<f64> = replicates.iter().map(|r| side_slope(&r[i])).collect();
        stats::percentile_interval(&slopes, LEVEL)
    };
    let side_fit = |line: &LineFit, i: usize, medians: Vec<f64>| SideFit {
        exponent: line.slope,
        ci_t: line.ci,
        ci_bootstrap: percentiles(i),
        interval: hull(line.ci, percentiles(i)),
        medians,
    };
    // The judged difference: the weighted slope of the log ratio of the medians. A resample
    // whose faster side is censored leaves the ratio unknown (NaN); a censored slower side
    // makes it infinite.
    let replicate_ys: Vec<Vec<f64>> = replicates
        .iter()
        .map(|[fast, slow]| {
            let r: Vec<f64> = slow
                .iter()
                .zip(fast)
                .map(|(l, f)| if f.is_infinite() { f64::NAN } else { l / f })
                .collect();
            coordinates(kind, sizes, &r).1
        })
        .collect();
    let (xs, ys) = coordinates(kind, sizes, &ratio);
    let w = match weighted_slope(&xs, &ys, &replicate_ys) {
        Ok(w) => w,
        Err(e) => {
            return Analysis::not_fitted(vec![None; sizes.len()], format!("the fit failed: {e}"))
        }
    };
    let fit = Fit {
        exponent: w.slope,
        ci_t: Some(w.ci_t),
        ci_bootstrap: w.ci_bootstrap,
        interval: w.interval,
        intercept: Some(w.intercept),
        r_squared: Some(w.r_squared),
        theil_sen: Some(stats::theil_sen_slope(&xs, &ys)),
        lack_of_fit_p: w.lack_of_fit_p,
        bounds: None,
        sides: Some([side_fit(&fast_line, 0, fast_m), side_fit(&slow_line, 1, slow_m)]),
    };
    let outcome = exponent_outcome(run, fit.exponent, fit.interval, &xs, &w.weights);
    Analysis { medians: shown, fit: Some(fit), finite_size: None, outcome }
}
