//! Kernel ridge regression with one Cholesky factorisation shared by every prefix of the
//! training set.
//!
//! KRR on $n$ points with kernel matrix $K_n$ and absolute ridge $\lambda$ predicts
//! $\hat f(x) = k_n(x)^\top \alpha$, $\alpha = (K_n + \lambda I_n)^{-1} y$. A sample-size sweep
//! $n_1 < \dots < n_{\max}$ on nested training sets (the first $n$ points of one draw) needs
//! one factorisation: if $K + \lambda I = L L^\top$ then the leading $n \times n$ block $L_n$ of
//! $L$ is the Cholesky factor of the leading block $K_n + \lambda I_n$ (block-multiply
//! $L L^\top$), so each $n$ costs two triangular solves, $2n^2$ flops, instead of $n^3/3$.
//!
//! The ridge is **absolute**, the same $\lambda$ for every prefix. A per-sample ridge
//! $\lambda_0$ (objective $\frac1n \sum (y_i - f(x_i))^2 + \lambda_0 \lVert f\rVert^2$) is
//! $\lambda = n \lambda_0$, which differs between prefixes: such a sweep (e.g. $\lambda =
//! 10^{-8} n$) cannot share one factor; fix $\lambda$ at its largest or smallest value over
//! the sweep, or factor once per $n$.

use crate::numerics::dense::{cholesky_lower, gemm, solve_llt};
use crate::numerics::NumericsError;
use faer::col::{ColMut, ColRef};
use faer::{Accum, Mat, MatRef};

/// The Cholesky factor of $K + \lambda I$ for $n_{\max}$ training points, from which KRR on
/// any prefix $n \le n_{\max}$ is solved.
#[derive(Clone, Debug)]
pub struct Krr {
    /// Lower-triangular $L$ with $L L^\top = K + \lambda I$; the strict upper triangle is 0.
    l: Mat<f64>,
    ridge: f64,
}

impl Krr {
    /// Factors $K + \lambda I = L L^\top$ (faer's blocked Cholesky, `Par::Seq`, $n^3/3$
    /// flops), in place in `k`, which is consumed (a kernel matrix at $n = 4000$ is 128 MB).
    ///
    /// Only the lower triangle of `k` is read: pass a symmetric matrix (e.g. from
    /// [`gram_matrix`](crate::learn::gram_matrix)). `ridge` is the absolute $\lambda \ge 0$;
    /// $\lambda = 0$ is ridgeless interpolation, which works only while $K$ is numerically
    /// positive definite.
    ///
    /// # Errors
    /// * [`NumericsError::DimensionMismatch`] if `k` is not square;
    /// * [`NumericsError::InvalidParameter`] if `ridge` is negative or not finite;
    /// * [`NumericsError::NotPositiveDefinite`] with the first failing pivot if $K + \lambda I$
    ///   is not numerically positive definite (including NaN entries).
    pub fn factor(mut k: Mat<f64>, ridge: f64) -> Result<Krr, NumericsError> {
        let n = k.nrows();
        if k.ncols() != n {
            return Err(NumericsError::DimensionMismatch {
                what: "columns of the square train kernel matrix K",
                expected: n,
                found: k.ncols(),
            });
        }
        if !(ridge.is_finite() && ridge >= 0.0) {
            return Err(NumericsError::InvalidParameter {
                name: "ridge λ",
                value: ridge,
                requirement: "the ridge must be finite and ≥ 0",
            });
        }
        for i in 0..n {
            k[(i, i)] += ridge;
        }
        cholesky_lower(k.as_mut())
            .map_err(|pivot| NumericsError::NotPositiveDefinite { pivot, n })?;
        for j in 1..n {
            k.col_as_slice_mut(j)[..j].fill(0.0);
        }
        Ok(Krr { l: k, ridge })
    }

    /// The number $n_{\max}$ of training points factored.
    pub fn n_max(&self) -> usize {
        self.l.nrows()
    }

    /// The absolute ridge $\lambda$.
    pub fn ridge(&self) -> f64 {
        self.ridge
    }

    /// The lower-triangular factor $L$ of $K + \lambda I$ ($n_{\max} \times n_{\max}$).
    pub fn factor_l(&self) -> MatRef<'_, f64> {
        self.l.as_ref()
    }

    /// The KRR coefficients $\alpha = (K_n + \lambda I_n)^{-1} y$ on the first $n$ training
    /// points: $L_n z = y$, then $L_n^\top \alpha = z$, with $L_n$ the leading $n \times n$
    /// block of the factor. `y` holds the $n$ targets of those points.
    ///
    /// # Errors
    /// [`NumericsError::PrefixTooLong`] if $n > n_{\max}$; [`NumericsError::DimensionMismatch`] if
    /// `y.len() != n`.
    pub fn coefficients(&self, n: usize, y: &[f64]) -> Result<Vec<f64>, NumericsError> {
        self.check_prefix(n, y)?;
        let mut alpha = y.to_vec();
        solve_llt(self.l.as_ref().submatrix(0, 0, n, n), &mut alpha);
        Ok(alpha)
    }

    /// KRR predictions $\hat f(t_j) = \sum_{i < n} K(t_j, x_i)\,\alpha_i$ at $m$ test points,
    /// from the $m \times n_{\max}$ test–train kernel matrix `k_test_train` (only its first
    /// $n$ columns are used) and the $n$ targets `y` of the first $n$ training points.
    ///
    /// # Errors
    /// As [`coefficients`](Self::coefficients), and [`NumericsError::DimensionMismatch`] if
    /// `k_test_train` does not have $n_{\max}$ columns.
    pub fn predict(
        &self,
        n: usize,
        k_test_train: MatRef<'_, f64>,
        y: &[f64],
    ) -> Result<Vec<f64>, NumericsError> {
        if k_test_train.ncols() != self.n_max() {
            return Err(NumericsError::DimensionMismatch {
                what: "columns of the test-train kernel matrix (training points factored)",
                expected: self.n_max(),
                found: k_test_train.ncols(),
            });
        }
        let alpha = self.coefficients(n, y)?;
        let mut f = vec![0.0; k_test_train.nrows()];
        gemm(
            ColMut::from_slice_mut(&mut f).as_mat_mut(),
            Accum::Replace,
            k_test_train.subcols(0, n),
            ColRef::from_slice(&alpha).as_mat(),
            1.0,
        );
        Ok(f)
    }

    fn check_prefix(&self, n: usize, y: &[f64]) -> Result<(), NumericsError> {
        if n > self.n_max() {
            return Err(NumericsError::PrefixTooLong { n, n_max: self.n_max() });
        }
        if y.len() != n {
            return Err(NumericsError::DimensionMismatch {
                what: "targets y for the prefix of n training points",
                expected: n,
                found: y.len(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::{gram_matrix, kernel_matrix, sphere_points, InnerProductKernel};
    use crate::numerics::draw_gaussians;
    use crate::rng::rng_from_u64;

    fn rel_err(a: &[f64], b: &[f64]) -> f64 {
        let num: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
        let den: f64 = b.iter().map(|y| y * y).sum();
        (num / den).sqrt()
    }

    /// $(K_n + \lambda I)^{-1} y$ by a fresh factorisation of the $n \times n$ block.
    fn direct(k: &Mat<f64>, ridge: f64, n: usize, y: &[f64]) -> Vec<f64> {
        let kn = k.as_ref().submatrix(0, 0, n, n).to_owned();
        Krr::factor(kn, ridge).unwrap().coefficients(n, y).unwrap()
    }

    #[test]
    fn a_prefix_solve_equals_a_fresh_factorisation() {
        let mut rng = rng_from_u64(7);
        let (n_max, d) = (300, 6);
        let x = sphere_points(n_max, d, &mut rng).unwrap();
        let k = gram_matrix(&InnerProductKernel::Exponential, x.as_ref()).unwrap();
        let mut y = vec![0.0; n_max];
        draw_gaussians(&mut y, &mut rng);
        let ridge = 1e-3;
        let krr = Krr::factor(k.clone(), ridge).unwrap();
        for n in [1, 17, 100, 299, 300] {
            let nested = krr.coefficients(n, &y[..n]).unwrap();
            let fresh = direct(&k, ridge, n, &y[..n]);
            assert!(rel_err(&nested, &fresh) < 1e-10, "n = {n}: {}", rel_err(&nested, &fresh));
            // And it solves the system: (K_n + lambda I) alpha = y.
            let mut resid = 0.0f64;
            for i in 0..n {
                let row: f64 = (0..n).map(|j| k[(i, j)] * nested[j]).sum::<f64>();
                resid = resid.max((row + ridge * nested[i] - y[i]).abs());
            }
            assert!(resid < 1e-8, "n = {n}: residual {resid}");
        }
    }

    #[test]
    fn predictions_use_only_the_first_n_columns() {
        let mut rng = rng_from_u64(8);
        let d = 4;
        let x = sphere_points(60, d, &mut rng).unwrap();
        let t = sphere_points(9, d, &mut rng).unwrap();
        let kernel = InnerProductKernel::ReluNtk { second_layer: true };
        let k = gram_matrix(&kernel, x.as_ref()).unwrap();
        let kt = kernel_matrix(&kernel, t.as_ref(), x.as_ref()).unwrap();
        let y: Vec<f64> = (0..60).map(|i| x[(i, 0)] * x[(i, 1)]).collect();
        let krr = Krr::factor(k.clone(), 0.1).unwrap();
        let n = 25;
        let f = krr.predict(n, kt.as_ref(), &y[..n]).unwrap();
        let alpha = direct(&k, 0.1, n, &y[..n]);
        for (j, fj) in f.iter().enumerate() {
            let want: f64 = (0..n).map(|i| kt[(j, i)] * alpha[i]).sum();
            assert!((fj - want).abs() < 1e-10 * (1.0 + want.abs()));
        }
        // At vanishing ridge and the full set, KRR interpolates its training points.
        let krr0 = Krr::factor(k.clone(), 1e-10).unwrap();
        let fit = krr0.predict(60, k.as_ref(), &y).unwrap();
        assert!(rel_err(&fit, &y) < 1e-6, "{}", rel_err(&fit, &y));
    }

    #[test]
    fn a_matrix_with_a_negative_eigenvalue_is_an_error_with_its_pivot() {
        // [[1, 2], [2, 1]] has eigenvalues 3 and -1: the second pivot is 1 - 4 = -3.
        let k =
            Mat::from_fn(3, 3, |i, j| [[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]][i][j]);
        assert_eq!(
            Krr::factor(k.clone(), 0.0).unwrap_err(),
            NumericsError::NotPositiveDefinite { pivot: 1, n: 3 }
        );
        // A ridge above the negative eigenvalue's magnitude makes it definite.
        assert!(Krr::factor(k, 1.5).is_ok());
        // A singular matrix without ridge, and NaN entries, are errors too.
        let ones = Mat::from_fn(4, 4, |_, _| 1.0);
        assert!(matches!(
            Krr::factor(ones, 0.0),
            Err(NumericsError::NotPositiveDefinite { n: 4, .. })
        ));
        let nan = Mat::from_fn(2, 2, |i, j| if i == j { f64::NAN } else { 0.0 });
        assert!(Krr::factor(nan, 1.0).is_err());
    }

    #[test]
    fn bad_shapes_and_ridges_are_errors() {
        let eye = Mat::<f64>::identity(3, 3);
        assert!(Krr::factor(Mat::zeros(3, 4), 1.0).is_err());
        assert!(Krr::factor(eye.clone(), -1.0).is_err());
        assert!(Krr::factor(eye.clone(), f64::NAN).is_err());
        let krr = Krr::factor(eye, 1.0).unwrap();
        assert_eq!(
            krr.coefficients(4, &[0.0; 4]),
            Err(NumericsError::PrefixTooLong { n: 4, n_max: 3 })
        );
        assert!(krr.coefficients(2, &[1.0; 3]).is_err());
        assert!(krr.predict(2, Mat::zeros(5, 2).as_ref(), &[1.0; 2]).is_err());
        let alpha = krr.coefficients(2, &[1.0, 4.0]).unwrap();
        assert!((alpha[0] - 0.5).abs() < 1e-15 && (alpha[1] - 2.0).abs() < 1e-15);
        assert_eq!(krr.coefficients(0, &[]).unwrap(), Vec::<f64>::new());
    }
}
