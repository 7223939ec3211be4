//! Weighted least squares for a line, with a lack-of-fit test.
//!
//! Each point $y_s$ (a per-size median, on the fit's scale) comes with a variance $v_s$ (its
//! bootstrap variance over trials), so a fit can use every trial's information instead of
//! treating 4–11 medians as equally noisy. With weights $w_s = 1/v_s$:
//! $$\hat b = \frac{\sum_s w_s (x_s-\bar x)(y_s-\bar y)}{S_{xx}}, \quad
//!   S_{xx} = \sum_s w_s (x_s-\bar x)^2, \quad \operatorname{se}(\hat b) = S_{xx}^{-1/2},$$
//! with $\bar x, \bar y$ the weighted means. If the line is the right model and the $v_s$ are
//! right, $\chi^2 = \sum_s w_s r_s^2$ follows $\chi^2_{S-2}$; a small upper-tail probability
//! says the points scatter more than their noise allows: **lack of fit** (finite-size
//! curvature, a wrong law). The Birge ratio $R = \sqrt{\chi^2/(S-2)}$ then scales the standard
//! error, and the Student-t interval with $S-2$ degrees of freedom on the scaled error is the
//! interval that accounts for it (Birge 1932, *Phys. Rev.* 40, 207; the Particle Data Group's
//! scale factor).

use super::line::FitError;

/// A weighted least-squares line `y = intercept + slope·x`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightedLineFit {
    /// Weighted least-squares slope.
    pub slope: f64,
    /// Weighted least-squares intercept.
    pub intercept: f64,
    /// Standard error of the slope from the given variances alone, $S_{xx}^{-1/2}$.
    pub slope_se: f64,
    /// $\chi^2 = \sum_s w_s r_s^2$ of the residuals.
    pub chi_squared: f64,
    /// Degrees of freedom, `n_points - 2`.
    pub dof: usize,
    /// Upper-tail probability of `chi_squared` under $\chi^2_{\rm dof}$: small means lack of
    /// fit.
    pub lack_of_fit_p: f64,
    /// The Student-t interval at the fit's level on the slope with the standard error scaled
    /// by the Birge ratio when it exceeds 1: `slope ∓ t_{dof} · se · max(1, R)`.
    pub ci_scaled: (f64, f64),
    /// Number of points fitted.
    pub n_points: usize,
}

/// Fits `y = a + b x` by weighted least squares with weights `1 / variances`.
///
/// A zero variance (a deterministic point) gets the weight of the smallest positive variance
/// among the points; when every variance is zero the fit is unweighted and the slope's standard
/// error comes from the residuals alone (the ordinary least-squares interval).
///
/// # Errors
/// [`FitError`] for fewer than three points, mismatched lengths, non-finite coordinates or
/// variances (a negative variance counts as non-finite), or constant `x`.
///
/// # Example
/// ```
/// use thm::stats::fit_weighted_line;
/// let x = [0.0, 1.0, 2.0, 3.0];
/// let y = [1.0, 3.0, 5.0, 7.0];
/// let fit = fit_weighted_line(&x, &y, &[0.01, 0.01, 0.04, 0.04], 0.95).unwrap();
/// assert!((fit.slope - 2.0).abs() < 1e-12);
/// assert!(fit.lack_of_fit_p > 0.99, "an exact line fits");
/// assert!(fit_weighted_line(&x, &y, &[0.01; 3], 0.95).is_err());
/// ```
pub fn fit_weighted_line(
    x: &[f64],
    y: &[f64],
    variances: &[f64],
    level: f64,
) -> Result<WeightedLineFit, FitError> {
    let n = x.len();
    if y.len() != n || variances.len() != n {
        return Err(FitError::LengthMismatch { x: n, y: y.len().min(variances.len()) });
    }
    if n < 3 {
        return Err(FitError::TooFewPoints { n });
    }
    if let Some(index) = (0..n).find(|&i| {
        !x[i].is_finite() || !y[i].is_finite() || !variances[i].is_finite() || variances[i] < 0.0
    }) {
        return Err(FitError::NonFinite { index, x: x[index], y: y[index] });
    }
    let smallest = variances.iter().copied().filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    let unweighted = smallest.is_infinite();
    let w: Vec<f64> =
        variances.iter().map(|&v| if unweighted { 1.0 } else { 1.0 / v.max(smallest) }).collect();
    let w_sum: f64 = w.iter().sum();
    let x_mean = (0..n).map(|i| w[i] * x[i]).sum::<f64>() / w_sum;
    let y_mean = (0..n).map(|i| w[i] * y[i]).sum::<f64>() / w_sum;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for i in 0..n {
        let dx = x[i] - x_mean;
        sxx += w[i] * dx * dx;
        sxy += w[i] * dx * (y[i] - y_mean);
    }
    if sxx <= 0.0 {
        return Err(FitError::DegenerateX);
    }
    let slope = sxy / sxx;
    let intercept = y_mean - slope * x_mean;
    let chi_squared: f64 = (0..n)
        .map(|i| {
            let r = y[i] - intercept - slope * x[i];
            w[i] * r * r
        })
        .sum();
    let dof = n - 2;
    let t = super::student_t_critical(level, dof as f64);
    let (slope_se, lack_of_fit_p, scale) = if unweighted {
        // No variances: the residuals are the only measure of noise (ordinary least squares).
        ((chi_squared / dof as f64 / sxx).sqrt(), f64::NAN, 1.0)
    } else {
        let birge = (chi_squared / dof as f64).sqrt();
        (sxx.recip().sqrt(), chi_squared_upper_tail(chi_squared, dof as f64), birge.max(1.0))
    };
    let half = t * slope_se * scale;
    Ok(WeightedLineFit {
        slope,
        intercept,
        slope_se,
        chi_squared,
        dof,
        lack_of_fit_p,
        ci_scaled: (slope - half, slope + half),
        n_points: n,
    })
}

/// $P(\chi^2_{\rm dof} > q)$; 1 for $q \le 0$.
pub fn chi_squared_upper_tail(q: f64, dof: f64) -> f64 {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    if q <= 0.0 {
        return 1.0;
    }
    // `ChiSquared::new` fails only for a non-positive or NaN dof; callers have ≥ 1.
    ChiSquared::new(dof).map_or(f64::NAN, |c| c.sf(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_fit_matches_hand_computed_values() {
        // x = 0,1,2; y = 0,1,3; w = 1,1,2 (variances 1,1,0.5). W = 4, x̄ = 5/4, ȳ = 7/4;
        // Sxx = 1·(25/16) + 1·(1/16) + 2·(9/16) = 44/16 = 2.75;
        // Sxy = 1·(-5/4)(-7/4) + 1·(-1/4)(-3/4) + 2·(3/4)(5/4) = (35 + 3 + 30)/16 = 4.25;
        // slope = 4.25/2.75 = 17/11, intercept = 7/4 - 17/11·5/4 = (77 - 85)/44 = -2/11.
        // Residuals: 2/11, 1 - 15/11 = -4/11, 3 - 32/11 = 1/11; χ² = (4 + 16 + 2)/121 = 2/11.
        let fit =
            fit_weighted_line(&[0.0, 1.0, 2.0], &[0.0, 1.0, 3.0], &[1.0, 1.0, 0.5], 0.95).unwrap();
        assert!((fit.slope - 17.0 / 11.0).abs() < 1e-12);
        assert!((fit.intercept + 2.0 / 11.0).abs() < 1e-12);
        assert!((fit.slope_se - (1.0f64 / 2.75).sqrt()).abs() < 1e-12);
        assert!((fit.chi_squared - 2.0 / 11.0).abs() < 1e-12);
        assert_eq!(fit.dof, 1);
        // P(χ²_1 > 2/11) = 2 (1 - Φ(sqrt(2/11))) = 0.669815.
        assert!((fit.lack_of_fit_p - 0.669_815).abs() < 1e-5, "{}", fit.lack_of_fit_p);
        // Birge ratio below 1: the interval is not shrunk.
        let half = 12.706_204_7 * (1.0f64 / 2.75).sqrt();
        assert!((fit.ci_scaled.1 - fit.slope - half).abs() < 1e-6);
    }

    #[test]
    fn scatter_beyond_the_variances_is_lack_of_fit_and_widens_the_interval() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [0.0, 1.5, 1.8, 3.4, 3.9];
        let tight = fit_weighted_line(&x, &y, &[1e-4; 5], 0.95).unwrap();
        let loose = fit_weighted_line(&x, &y, &[1.0; 5], 0.95).unwrap();
        assert!(tight.lack_of_fit_p < 1e-6);
        assert!(loose.lack_of_fit_p > 0.5);
        assert!((tight.slope - loose.slope).abs() < 1e-12, "equal weights give one slope");
        // With tight variances the Birge-scaled interval is the OLS residual interval.
        let ols = super::super::fit_line(&x, &y, 0.95).unwrap();
        assert!((tight.ci_scaled.0 - ols.ci.0).abs() < 1e-9);
        assert!((tight.ci_scaled.1 - ols.ci.1).abs() < 1e-9);
    }

    #[test]
    fn zero_variances_fall_back_to_ordinary_least_squares() {
        let x = [0.0, 1.0, 2.0, 3.0];
        let y = [1.0, 3.0, 4.0, 7.0];
        let fit = fit_weighted_line(&x, &y, &[0.0; 4], 0.95).unwrap();
        let ols = super::super::fit_line(&x, &y, 0.95).unwrap();
        assert!((fit.slope - ols.slope).abs() < 1e-12);
        assert!((fit.ci_scaled.0 - ols.ci.0).abs() < 1e-12);
        assert!(fit.lack_of_fit_p.is_nan());
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let x = [0.0, 1.0, 2.0];
        assert!(fit_weighted_line(&x, &[1.0, 2.0, 3.0], &[1.0, -1.0, 1.0], 0.95).is_err());
        assert!(fit_weighted_line(&x, &[1.0, 2.0, 3.0], &[1.0, f64::NAN, 1.0], 0.95).is_err());
        assert!(fit_weighted_line(&[1.0; 3], &[1.0, 2.0, 3.0], &[1.0; 3], 0.95).is_err());
        assert_eq!(chi_squared_upper_tail(0.0, 3.0), 1.0);
    }
}
