//! Ridge and minimum-norm ("ridgeless") least squares on explicit features, solved through
//! the normal equations of the smaller side: the learner of `double-descent` (Hastie,
//! Montanari, Rosset, Tibshirani, arXiv:1903.08560v5; see `docs/theory/double-descent.md`).
//!
//! With an $n \times p$ design $X$ and targets $y$, ridge regression minimises
//! $\frac1n \lVert y - Xb\rVert^2 + \lambda \lVert b\rVert^2$:
//! $$\hat b = (X^\top X + n\lambda I_p)^{-1} X^\top y = X^\top (X X^\top + n\lambda I_n)^{-1} y ,$$
//! the two forms being equal by the push-through identity. [`ridge_fit`] takes the
//! $p \times p$ (primal) form when $p \le n$ and the $n \times n$ (dual) form otherwise, so a
//! fit costs $\min(n,p)^2 \max(n,p) + \min(n,p)^3/3$ flops. At $\lambda = 0$ the primal form
//! is ordinary least squares ($p < n$) and the dual form the minimum-norm interpolator
//! $X^\top (X X^\top)^{-1} y = X^+ y$ ($p > n$): ridgeless regression, the $\lambda \to 0^+$
//! limit of ridge on both sides.
//!
//! The normal equations square the condition number of $X$. Near the interpolation threshold
//! $p \approx n$ the smallest singular value of a Gaussian $X$ is about $|\sqrt p - \sqrt n|$, so
//! at $p = n \pm 2$, $n = 200$ the Gram matrix has condition number about $10^6$: harmless in
//! double precision. At $p = n$ it is singular up to rounding, which is where the expected
//! risk of the ridgeless fit is infinite anyway; a failed factorisation is a
//! [`NumericsError::NotPositiveDefinite`], never a panic.

use crate::learn::Krr;
use crate::numerics::dense::{gemm, syrk_lower};
use crate::numerics::NumericsError;
use faer::col::{ColMut, ColRef};
use faer::{Accum, Mat, MatRef};

/// Which normal equations a fit solved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// $(X^\top X + n\lambda I_p)\, b = X^\top y$: $p \le n$.
    Primal,
    /// $(X X^\top + n\lambda I_n)\, \alpha = y$, $b = X^\top \alpha$: $p > n$.
    Dual,
}

/// The ridge coefficients $\hat b$ ($p$ entries) of the rows of `x` with targets `y` and
/// per-sample ridge $\lambda \ge 0$ (objective $\frac1n\lVert y - Xb\rVert^2 + \lambda\lVert
/// b\rVert^2$), and the side that was solved. $\lambda = 0$ is ridgeless: least squares for
/// $p \le n$, the minimum-norm interpolator for $p > n$.
///
/// # Errors
/// [`NumericsError::DimensionMismatch`] if `y` has not one value per row of `x`;
/// [`NumericsError::InvalidParameter`] for an empty design or a ridge that is negative or not
/// finite; [`NumericsError::NotPositiveDefinite`] if the Gram matrix of the smaller side (plus
/// $n\lambda I$) is not numerically positive definite, e.g. $\lambda = 0$ at $p = n$.
pub fn ridge_fit(
    x: MatRef<'_, f64>,
    y: &[f64],
    lambda: f64,
) -> Result<(Vec<f64>, Side), NumericsError> {
    let (n, p) = (x.nrows(), x.ncols());
    if y.len() != n {
        return Err(NumericsError::DimensionMismatch {
            what: "targets y (one per row of the design X)",
            expected: n,
            found: y.len(),
        });
    }
    if n == 0 || p == 0 {
        return Err(NumericsError::InvalidParameter {
            name: if n == 0 { "samples n" } else { "features p" },
            value: 0.0,
            requirement: "least squares needs n ≥ 1 samples and p ≥ 1 features",
        });
    }
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(NumericsError::InvalidParameter {
            name: "ridge λ",
            value: lambda,
            requirement: "the ridge must be finite and ≥ 0",
        });
    }
    let ridge = n as f64 * lambda;
    if p <= n {
        // Only the lower triangle is formed; `Krr::factor` reads only that.
        let mut g = Mat::<f64>::zeros(p, p);
        syrk_lower(g.as_mut(), x.transpose(), 1.0);
        let mut b = vec![0.0; p];
        gemm(
            ColMut::from_slice_mut(&mut b).as_mat_mut(),
            Accum::Replace,
            x.transpose(),
            ColRef::from_slice(y).as_mat(),
            1.0,
        );
        let beta = Krr::factor(g, ridge)?.coefficients(p, &b)?;
        Ok((beta, Side::Primal))
    } else {
        let mut k = Mat::<f64>::zeros(n, n);
        syrk_lower(k.as_mut(), x, 1.0);
        let alpha = Krr::factor(k, ridge)?.coefficients(n, y)?;
        let mut beta = vec![0.0; p];
        gemm(
            ColMut::from_slice_mut(&mut beta).as_mat_mut(),
            Accum::Replace,
            x.transpose(),
            ColRef::from_slice(&alpha).as_mat(),
            1.0,
        );
        Ok((beta, Side::Dual))
    }
}

/// Predictions $X_{\rm test}\, b$ at the rows of `x_test` (its first `b.len()` columns).
///
/// # Errors
/// [`NumericsError::DimensionMismatch`] if `x_test` has fewer columns than `b` has entries.
pub fn predict(x_test: MatRef<'_, f64>, b: &[f64]) -> Result<Vec<f64>, NumericsError> {
    if x_test.ncols() < b.len() {
        return Err(NumericsError::DimensionMismatch {
            what: "columns of the test design (at least one per coefficient)",
            expected: b.len(),
            found: x_test.ncols(),
        });
    }
    let mut f = vec![0.0; x_test.nrows()];
    gemm(
        ColMut::from_slice_mut(&mut f).as_mat_mut(),
        Accum::Replace,
        x_test.subcols(0, b.len()),
        ColRef::from_slice(b).as_mat(),
        1.0,
    );
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::draw_gaussians;
    use crate::rng::rng_from_u64;

    fn gaussian(n: usize, p: usize, seed: u64) -> Mat<f64> {
        let mut rng = rng_from_u64(seed);
        let mut g = vec![0.0; n * p];
        draw_gaussians(&mut g, &mut rng);
        Mat::from_fn(n, p, |i, j| g[i * p + j])
    }

    /// Residual of the normal equations of the ridge objective: $X^\top(Xb - y) + n\lambda b$.
    fn stationarity(x: &Mat<f64>, y: &[f64], b: &[f64], lambda: f64) -> f64 {
        let (n, p) = (x.nrows(), x.ncols());
        let r: Vec<f64> =
            (0..n).map(|i| (0..p).map(|j| x[(i, j)] * b[j]).sum::<f64>() - y[i]).collect();
        (0..p)
            .map(|j| {
                ((0..n).map(|i| x[(i, j)] * r[i]).sum::<f64>() + n as f64 * lambda * b[j]).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn both_sides_solve_the_ridge_normal_equations() {
        for (n, p) in [(40, 15), (15, 40)] {
            let x = gaussian(n, p, 7);
            let y: Vec<f64> = (0..n).map(|i| x[(i, 0)] + 0.1 * i as f64).collect();
            let (b, side) = ridge_fit(x.as_ref(), &y, 0.3).unwrap();
            assert_eq!(side, if p <= n { Side::Primal } else { Side::Dual });
            assert!(stationarity(&x, &y, &b, 0.3) < 1e-9, "n {n}, p {p}");
        }
    }

    #[test]
    fn ridgeless_overparameterised_fit_is_the_minimum_norm_interpolator() {
        let (n, p) = (12, 30);
        let x = gaussian(n, p, 8);
        let y: Vec<f64> = (0..n).map(|i| (i as f64).sin()).collect();
        let (b, _) = ridge_fit(x.as_ref(), &y, 0.0).unwrap();
        // Interpolates ...
        let fitted = predict(x.as_ref(), &b).unwrap();
        for (f, t) in fitted.iter().zip(&y) {
            assert!((f - t).abs() < 1e-10);
        }
        // ... and lies in the row space of X (b = X^T α), so it has the least norm: adding a
        // null-space direction v (X v = 0) only adds ||v||².
        let (b_small_ridge, _) = ridge_fit(x.as_ref(), &y, 1e-10).unwrap();
        for (u, v) in b.iter().zip(&b_small_ridge) {
            assert!((u - v).abs() < 1e-6, "{u} vs {v}");
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let x = gaussian(5, 5, 9);
        assert!(ridge_fit(x.as_ref(), &[0.0; 4], 0.0).is_err());
        assert!(ridge_fit(x.as_ref(), &[0.0; 5], -1.0).is_err());
        assert!(ridge_fit(x.as_ref(), &[0.0; 5], f64::NAN).is_err());
        // A rank-deficient design at λ = 0: a zero column.
        let mut x = gaussian(6, 3, 10);
        for i in 0..6 {
            x[(i, 2)] = 0.0;
        }
        let e = ridge_fit(x.as_ref(), &[1.0; 6], 0.0);
        assert!(matches!(e, Err(NumericsError::NotPositiveDefinite { .. })), "{e:?}");
        assert!(predict(x.as_ref(), &[0.0; 4]).is_err());
    }
}
