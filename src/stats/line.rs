//! Ordinary least squares for a line, with a Student-t interval on the slope; Theil–Sen.

use std::fmt;

/// A least-squares line `y = intercept + slope·x` with a two-sided Student-t confidence
/// interval on the slope.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineFit {
    /// Least-squares slope.
    pub slope: f64,
    /// Least-squares intercept.
    pub intercept: f64,
    /// Standard error of the slope, from the residuals with `n - 2` degrees of freedom.
    pub slope_se: f64,
    /// `slope ∓ t_{(1+level)/2, n-2} · slope_se`.
    pub ci: (f64, f64),
    /// Coefficient of determination, `1 - SS_res / SS_tot` (1 when `SS_tot = 0`).
    pub r_squared: f64,
    /// Number of points fitted.
    pub n_points: usize,
}

/// Why a line could not be fitted.
#[derive(Clone, Debug, PartialEq)]
pub enum FitError {
    /// Fewer than three points leave no degree of freedom for the interval.
    TooFewPoints {
        /// How many points there were.
        n: usize,
    },
    /// `x` and `y` have different lengths.
    LengthMismatch {
        /// Length of `x`.
        x: usize,
        /// Length of `y`.
        y: usize,
    },
    /// A coordinate is NaN or infinite.
    NonFinite {
        /// Index of the point.
        index: usize,
        /// Its `x`.
        x: f64,
        /// Its `y`.
        y: f64,
    },
    /// All `x` are equal: the slope is undefined.
    DegenerateX,
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::TooFewPoints { n } => {
                write!(f, "{n} points: a slope interval needs at least 3")
            }
            FitError::LengthMismatch { x, y } => write!(f, "{x} x values but {y} y values"),
            FitError::NonFinite { index, x, y } => {
                write!(f, "point {index} is not finite (x = {x}, y = {y})")
            }
            FitError::DegenerateX => write!(f, "all x values are equal"),
        }
    }
}

/// Fits `y = a + b x` by least squares, with a `level` (e.g. 0.95) Student-t interval on `b`.
///
/// # Errors
/// [`FitError`] for fewer than three points, mismatched lengths, non-finite values, or
/// constant `x`.
///
/// # Example
/// ```
/// let x = [1.0, 2.0, 3.0, 4.0];
/// let y = [3.0, 5.0, 7.0, 9.0];
/// let fit = thm::stats::fit_line(&x, &y, 0.95).unwrap();
/// assert!((fit.slope - 2.0).abs() < 1e-12);
/// assert!(thm::stats::fit_line(&x[..2], &y[..2], 0.95).is_err());
/// ```
pub fn fit_line(x: &[f64], y: &[f64], level: f64) -> Result<LineFit, FitError> {
    if x.len() != y.len() {
        return Err(FitError::LengthMismatch { x: x.len(), y: y.len() });
    }
    let n = x.len();
    if n < 3 {
        return Err(FitError::TooFewPoints { n });
    }
    if let Some(index) = (0..n).find(|&i| !x[i].is_finite() || !y[i].is_finite()) {
        return Err(FitError::NonFinite { index, x: x[index], y: y[index] });
    }
    let nf = n as f64;
    let x_mean = x.iter().sum::<f64>() / nf;
    let y_mean = y.iter().sum::<f64>() / nf;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - x_mean, y[i] - y_mean);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 {
        return Err(FitError::DegenerateX);
    }
    let slope = sxy / sxx;
    let intercept = y_mean - slope * x_mean;
    let ss_res: f64 = (0..n)
        .map(|i| {
            let r = y[i] - intercept - slope * x[i];
            r * r
        })
        .sum();
    let slope_se = (ss_res / (nf - 2.0) / sxx).sqrt();
    let t = super::student_t_critical(level, nf - 2.0);
    let r_squared = if syy > 0.0 { 1.0 - ss_res / syy } else { 1.0 };
    Ok(LineFit {
        slope,
        intercept,
        slope_se,
        ci: (slope - t * slope_se, slope + t * slope_se),
        r_squared,
        n_points: n,
    })
}

/// Theil–Sen slope: the median of the pairwise slopes, a robustness check beside least
/// squares (insensitive to one outlying size). NaN for fewer than two distinct `x`.
pub fn theil_sen_slope(x: &[f64], y: &[f64]) -> f64 {
    let mut slopes = Vec::new();
    for i in 0..x.len().min(y.len()) {
        for j in i + 1..x.len().min(y.len()) {
            if x[j] != x[i] {
                slopes.push((y[j] - y[i]) / (x[j] - x[i]));
            }
        }
    }
    super::median(&slopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_matches_hand_computed_values() {
        // x = 0,1,2,3; y = 1,3,4,7: x̄ = 1.5, ȳ = 3.75, Sxx = 5, Sxy = 9.5, slope = 1.9,
        // intercept = 0.9, residuals 0.1, 0.2, -0.7, 0.4: SS_res = 0.7, SS_tot = 18.75,
        // se = sqrt(0.7 / 2 / 5) = 0.264575, t_{.975,2} = 4.302653.
        let fit = fit_line(&[0.0, 1.0, 2.0, 3.0], &[1.0, 3.0, 4.0, 7.0], 0.95).unwrap();
        assert!((fit.slope - 1.9).abs() < 1e-12);
        assert!((fit.intercept - 0.9).abs() < 1e-12);
        assert!((fit.slope_se - 0.264_575_131).abs() < 1e-8);
        assert!((fit.r_squared - (1.0 - 0.7 / 18.75)).abs() < 1e-12);
        let half = 4.302_652_73 * 0.264_575_131;
        assert!((fit.ci.0 - (1.9 - half)).abs() < 1e-6 && (fit.ci.1 - (1.9 + half)).abs() < 1e-6);
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert_eq!(fit_line(&[1.0], &[1.0], 0.95), Err(FitError::TooFewPoints { n: 1 }));
        assert_eq!(fit_line(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], 0.95), Err(FitError::DegenerateX));
        assert!(matches!(
            fit_line(&[1.0, 2.0, 3.0], &[1.0, f64::NAN, 3.0], 0.95),
            Err(FitError::NonFinite { index: 1, .. })
        ));
        assert!(matches!(
            fit_line(&[1.0, 2.0], &[1.0], 0.95),
            Err(FitError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn theil_sen_ignores_one_outlier() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [2.0, 4.0, 6.0, 100.0, 10.0];
        assert_eq!(theil_sen_slope(&x, &y), 2.0);
    }
}
