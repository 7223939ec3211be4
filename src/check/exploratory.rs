//! A claim's exploratory measurement ([`Exploratory`]): the auxiliary values its trials
//! return, fitted as log-log slopes against the size (and, with two or more series, the slope
//! of the ratio of the last to the first). Measured and reported, hashed with the results,
//! never judged: nothing here touches the verdict.

use super::bootstrap::resample;
use super::run::ClaimRun;
use super::weighted::hull;
use super::{Exploration, SideFit, LEVEL};
use crate::stats;
use crate::theorem::{Exploratory, Observation};

/// A claim's exploratory measurement: each series' log-log slope against the size and, with
/// two or more series, the slope of the ratio of the last series' median to the first's, each
/// with a Student-t interval and a bootstrap over whole trials (the replicates draw the same
/// trials as the claim's own bootstrap). Never judged: a failed trial or a value that is not
/// positive leaves it unfitted, with the reason.
pub(super) fn explore(
    run: &ClaimRun,
    spec: &Exploratory,
    observations: &[Vec<Observation>],
    auxiliary: &[Vec<Vec<f64>>],
) -> Exploration {
    let sizes = run.sizes();
    let symbol = run.claim().prediction.size.as_str();
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
    let replicates = resample(run.streams(), &all, |rows| slopes(&medians_of(rows)));
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
