//! The slope of a claim's medians, fitted with every trial's information: weighted least
//! squares of the per-size points with weights from their bootstrap variances, a bootstrap
//! percentile interval of that slope, and a lack-of-fit test that decides whether the
//! residual-based Student-t interval must widen it.
//!
//! **Why.** A line through 4–11 medians treated as equally noisy ignores that some sizes are
//! measured much better than others, and its Student-t interval with $S - 2$ degrees of
//! freedom (4.30 at $S = 4$) is wide for a reason unrelated to the data. With weights $1/v_s$,
//! $v_s$ the bootstrap variance of point $s$, the slope uses what every trial says, and the
//! bootstrap over trials (the replicates refitted with the same weights) measures its sampling
//! noise. That interval is valid only if the line is the right model: the $\chi^2$ of the
//! weighted residuals tests it. When the test rejects at 5% (the points scatter more than their
//! noise allows: finite-size curvature, a wrong law), the verdict's interval is the hull of the
//! bootstrap interval and the Birge-scaled Student-t interval
//! ([`crate::stats::fit_weighted_line`]). Deterministic observables (every variance zero) are
//! fitted unweighted with the Student-t interval of the residuals, as before.
//!
//! The variance of a point is robust to a few censored or wild replicates: the squared half
//! width of the central 68% of its replicates (one standard deviation for a normal law).

use super::LEVEL;
use crate::stats::{self, FitError};

/// Significance level of the lack-of-fit test.
pub const LACK_OF_FIT_LEVEL: f64 = 0.05;

/// A weighted slope with its intervals, in the fit's own coordinates (not yet an exponent).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct WeightedSlope {
    /// The weighted least-squares slope.
    pub slope: f64,
    /// The intercept.
    pub intercept: f64,
    /// The Student-t interval on the slope, its standard error scaled by the Birge ratio
    /// when that exceeds 1 (for an unweighted fit: the ordinary residual interval).
    pub ci_t: (f64, f64),
    /// The bootstrap percentile interval of the slope (replicates refitted with the same
    /// weights).
    pub ci_bootstrap: (f64, f64),
    /// The interval the verdict uses.
    pub interval: (f64, f64),
    /// The lack-of-fit test's p-value; `None` for an unweighted fit.
    pub lack_of_fit_p: Option<f64>,
    /// The weighted coefficient of determination.
    pub r_squared: f64,
    /// The weights used (1 for an unweighted fit).
    pub weights: Vec<f64>,
    /// The bootstrap replicates of the slope (`+inf` for a censored replicate).
    pub replicates: Vec<f64>,
}

/// The robust variance of each point from its replicates (`replicates[b][s]`): the squared
/// half-width of the central 68%; `None` when one is not finite (too many censored or failed
/// replicates to say), which makes the fit unweighted.
pub(super) fn point_variances(replicates: &[Vec<f64>], points: usize) -> Option<Vec<f64>> {
    (0..points)
        .map(|s| {
            let column: Vec<f64> = replicates.iter().map(|r| r[s]).collect();
            let (lo, hi) = stats::percentile_interval(&column, 0.6827);
            let v = ((hi - lo) / 2.0).powi(2);
            v.is_finite().then_some(v)
        })
        .collect()
}

/// Fits the slope of `ys` against `xs`, weighted by the variances of the points' replicates
/// `replicate_ys[b][s]` (the same coordinates, recomputed on bootstrap resample `b`), and
/// refits every replicate with those weights. A replicate with an infinite point (a censored
/// median) gives a `+inf` slope, which widens the interval instead of being dropped.
///
/// # Errors
/// [`FitError`] when the points cannot be fitted (fewer than 3, not finite, constant x).
pub(super) fn weighted_slope(
    xs: &[f64],
    ys: &[f64],
    replicate_ys: &[Vec<f64>],
) -> Result<WeightedSlope, FitError> {
    let n = xs.len();
    let variances = point_variances(replicate_ys, n).unwrap_or_else(|| vec![0.0; n]);
    let line = stats::fit_weighted_line(xs, ys, &variances, LEVEL)?;
    let unweighted = line.lack_of_fit_p.is_nan();
    let smallest = variances.iter().copied().filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    let weights: Vec<f64> =
        variances.iter().map(|&v| if unweighted { 1.0 } else { 1.0 / v.max(smallest) }).collect();
    let slope_of = |y: &[f64]| -> f64 {
        if y.iter().any(|v| v.is_infinite() && *v > 0.0) {
            return f64::INFINITY;
        }
        weighted_ls_slope(xs, y, &weights)
    };
    let replicates: Vec<f64> = replicate_ys.iter().map(|y| slope_of(y)).collect();
    let ci_bootstrap = stats::percentile_interval(&replicates, LEVEL);
    let lack_of_fit_p = (!unweighted).then_some(line.lack_of_fit_p);
    let needs_t = lack_of_fit_p.is_none_or(|p| p < LACK_OF_FIT_LEVEL);
    let interval = if needs_t { hull(line.ci_scaled, ci_bootstrap) } else { ci_bootstrap };
    let r_squared = weighted_r_squared(xs, ys, &weights, line.slope, line.intercept);
    Ok(WeightedSlope {
        slope: line.slope,
        intercept: line.intercept,
        ci_t: line.ci_scaled,
        ci_bootstrap,
        interval,
        lack_of_fit_p,
        r_squared,
        weights,
        replicates,
    })
}

/// The weighted least-squares slope of `y` on `x` with fixed `weights` (NaN when a point is
/// NaN or the x are constant).
pub(super) fn weighted_ls_slope(x: &[f64], y: &[f64], weights: &[f64]) -> f64 {
    let w_sum: f64 = weights.iter().sum();
    let x_mean = x.iter().zip(weights).map(|(x, w)| w * x).sum::<f64>() / w_sum;
    let y_mean = y.iter().zip(weights).map(|(y, w)| w * y).sum::<f64>() / w_sum;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for i in 0..x.len() {
        let dx = x[i] - x_mean;
        sxx += weights[i] * dx * dx;
        sxy += weights[i] * dx * (y[i] - y_mean);
    }
    if sxx > 0.0 {
        sxy / sxx
    } else {
        f64::NAN
    }
}

fn weighted_r_squared(x: &[f64], y: &[f64], w: &[f64], slope: f64, intercept: f64) -> f64 {
    let w_sum: f64 = w.iter().sum();
    let y_mean = y.iter().zip(w).map(|(y, w)| w * y).sum::<f64>() / w_sum;
    let (mut ss_res, mut ss_tot) = (0.0, 0.0);
    for i in 0..x.len() {
        let r = y[i] - intercept - slope * x[i];
        ss_res += w[i] * r * r;
        ss_tot += w[i] * (y[i] - y_mean).powi(2);
    }
    if ss_tot > 0.0 {
        1.0 - ss_res / ss_tot
    } else {
        1.0
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_fitting_line_is_judged_on_its_bootstrap_interval() {
        // Points on y = 2x with replicates scattered ±0.1 around each.
        let xs = [0.0, 1.0, 2.0, 3.0];
        let ys = [0.0, 2.0, 4.0, 6.0];
        let reps: Vec<Vec<f64>> = (0..200)
            .map(|b| {
                let e = (f64::from(b) / 199.0 - 0.5) * 0.2;
                ys.iter().enumerate().map(|(s, y)| y + if s % 2 == 0 { e } else { -e }).collect()
            })
            .collect();
        let w = weighted_slope(&xs, &ys, &reps).unwrap();
        assert!((w.slope - 2.0).abs() < 1e-12);
        assert!(w.lack_of_fit_p.unwrap() > 0.99);
        assert_eq!(w.interval, w.ci_bootstrap);
        assert!(w.ci_bootstrap.0 < 2.0 && 2.0 < w.ci_bootstrap.1);
    }

    #[test]
    fn curvature_beyond_the_noise_widens_the_interval_to_the_t_hull() {
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
        let ys = [0.0, 1.0, 1.6, 3.2, 3.7];
        let reps: Vec<Vec<f64>> = (0..200)
            .map(|b| ys.iter().map(|y| y + (f64::from(b) / 199.0 - 0.5) * 0.02).collect())
            .collect();
        let w = weighted_slope(&xs, &ys, &reps).unwrap();
        assert!(w.lack_of_fit_p.unwrap() < LACK_OF_FIT_LEVEL);
        assert_eq!(w.interval, hull(w.ci_t, w.ci_bootstrap));
        assert!(w.interval.1 - w.interval.0 > w.ci_bootstrap.1 - w.ci_bootstrap.0);
    }

    #[test]
    fn identical_replicates_fall_back_to_the_residual_interval() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        let ys = [2.0, 4.1, 5.9, 8.0];
        let reps = vec![ys.to_vec(); 50];
        let w = weighted_slope(&xs, &ys, &reps).unwrap();
        assert!(w.lack_of_fit_p.is_none());
        let ols = stats::fit_line(&xs, &ys, LEVEL).unwrap();
        assert!((w.slope - ols.slope).abs() < 1e-12);
        assert_eq!(w.interval, hull(ols.ci, w.ci_bootstrap));
    }

    #[test]
    fn a_censored_replicate_gives_an_infinite_slope() {
        let xs = [1.0, 2.0, 3.0];
        let ys = [1.0, 2.0, 3.0];
        let mut reps = vec![vec![1.0, 2.0, 3.0]; 10];
        reps[3][2] = f64::INFINITY;
        let w = weighted_slope(&xs, &ys, &reps).unwrap();
        assert_eq!(w.replicates[3], f64::INFINITY);
    }
}
