//! Statistics for scaling-law fits: medians, log-log least squares with a Student-t
//! interval, percentile intervals for the bootstrap, Theil–Sen, and thresholds of monotone
//! order parameters.
//!
//! **Architecture Invariant:** this module knows nothing about theorems, networks or kernels,
//! builds no random generator (resampling takes one from the caller) and prints nothing.

mod line;
mod threshold;
mod weighted;

pub use line::{fit_line, theil_sen_slope, FitError, LineFit};
pub use threshold::{log_interpolated_crossing, Crossing};
pub use weighted::{chi_squared_upper_tail, fit_weighted_line, WeightedLineFit};

/// Median of the values; `+inf` (a right-censored value) sorts last and counts like any
/// other value, so the median is finite as long as fewer than half the values are censored.
///
/// Returns NaN for an empty slice or when a value is NaN.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        let (a, b) = (v[n / 2 - 1], v[n / 2]);
        if a.is_infinite() || b.is_infinite() {
            // Avoid inf - inf; an infinite upper middle value makes the median censored.
            if a == b {
                a
            } else {
                b
            }
        } else {
            0.5 * (a + b)
        }
    }
}

/// The equal-tailed percentile interval at `level` (e.g. 0.95) of bootstrap replicates,
/// by linear interpolation between order statistics (type 7, as numpy's default).
///
/// Returns `(NaN, NaN)` for an empty slice; replicates may be infinite.
pub fn percentile_interval(replicates: &[f64], level: f64) -> (f64, f64) {
    if replicates.is_empty() || replicates.iter().any(|v| v.is_nan()) {
        return (f64::NAN, f64::NAN);
    }
    let mut v = replicates.to_vec();
    v.sort_by(f64::total_cmp);
    let alpha = (1.0 - level) / 2.0;
    (quantile_sorted(&v, alpha), quantile_sorted(&v, 1.0 - alpha))
}

/// The `q`-quantile (type 7, linear between order statistics) of the values; NaN for an empty
/// slice or when a value is NaN; values may be infinite.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, q.clamp(0.0, 1.0))
}

fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    let h = q * (v.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    if lo == hi || v[lo] == v[hi] {
        return v[lo];
    }
    if v[hi].is_infinite() {
        return v[hi];
    }
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Two-sided Student-t critical value: the `(1 + level)/2` quantile with `dof` degrees of
/// freedom (e.g. 4.303 for 95% and 2 degrees of freedom).
pub fn student_t_critical(level: f64, dof: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    // `StudentsT::new` fails only for non-positive or NaN dof, excluded by the callers
    // (fit_line requires at least three points).
    let t = StudentsT::new(0.0, 1.0, dof).expect("degrees of freedom must be positive");
    t.inverse_cdf(0.5 + level / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_censored_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[1.0, f64::INFINITY, 2.0]), 2.0);
        assert_eq!(median(&[1.0, f64::INFINITY, 2.0, f64::INFINITY]), f64::INFINITY);
        assert!(median(&[]).is_nan());
        assert!(median(&[1.0, f64::NAN]).is_nan());
    }

    #[test]
    fn percentile_interval_matches_hand_computed_type7() {
        let v: Vec<f64> = (0..=100).map(f64::from).collect();
        let (lo, hi) = percentile_interval(&v, 0.95);
        assert!((lo - 2.5).abs() < 1e-12 && (hi - 97.5).abs() < 1e-12, "{lo} {hi}");
        let (lo, hi) = percentile_interval(&[1.0, 2.0, f64::INFINITY], 0.5);
        assert_eq!((lo, hi), (1.5, f64::INFINITY));
    }

    #[test]
    fn student_t_critical_values_match_tables() {
        // Tables: t_{0.975, 2} = 4.3027, t_{0.975, 10} = 2.2281, t_{0.975, 1000} = 1.9623.
        for (dof, want) in [(2.0, 4.302_652_7), (10.0, 2.228_138_9), (1000.0, 1.962_339_1)] {
            let got = student_t_critical(0.95, dof);
            assert!((got - want).abs() < 1e-5, "dof {dof}: {got} vs {want}");
        }
    }

    #[test]
    fn student_t_quantile_round_trips_through_the_cdf() {
        // statrs quantiles are round-trip tested: statrs-dev/statrs#464 shows a Newton
        // quantile of 0.19.1 returning a wrong value silently (docs/engineering.md).
        use statrs::distribution::{ContinuousCDF, StudentsT};
        for dof in [1.0, 2.0, 3.0, 7.0, 30.0] {
            let t = StudentsT::new(0.0, 1.0, dof).unwrap();
            for p in [0.6, 0.9, 0.975, 0.995] {
                let q = t.inverse_cdf(p);
                assert!((t.cdf(q) - p).abs() < 1e-9, "dof {dof} p {p}");
            }
        }
    }
}
