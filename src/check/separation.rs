//! A separation claim ([`ClaimKind::Separation`]): each trial measures two learners'
//! thresholds on one draw of the target, the faster learner first. Each side is screened and
//! fitted on its own, and the verdict judges the difference of their exponents: the slope of
//! the log ratio of the medians, with a bootstrap that resamples whole trials, so both sides
//! of a trial move together.

use super::bootstrap::resample;
use super::fit::{coordinates, fit_medians, hull, numeric, screen, Analysis};
use super::run::ClaimRun;
use super::{Fit, SideFit, LEVEL};
use crate::law::ClaimKind;
use crate::stats::{self, LineFit};
use crate::theorem::Observation;
use crate::verdict;

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
    let replicates = resample(run.streams(), &pairs, |rows| {
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
