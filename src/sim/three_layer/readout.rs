//! The reference's ridge readout of the last layer.

use super::{NetFloat, ThreeLayerNet};
use crate::numerics::dense::{cholesky_lower, gemm, solve_llt};
use faer::{Accum, Mat, MatRef};

impl<T: NetFloat> ThreeLayerNet<T> {
    /// The ridge readout on all samples: $w_3 = (H_2^\top H_2 + \lambda n I)^{-1} H_2^\top y$
    /// (the Gram matrix in `T`, its ridge, right-hand side and Cholesky solve in f64).
    ///
    /// # Errors
    /// A message if the regularised Gram matrix is not positive definite (NaN features).
    pub fn ridge_readout(&mut self, h1_all: MatRef<'_, T>, y: &[f64]) -> Result<(), String> {
        let h2 = self.hidden2(h1_all);
        self.w3 = ridge_weights(h2.as_ref(), y, self.cfg.lambda_ridge)?;
        Ok(())
    }
}

/// The reference's ridge readout on features `h` ($n \times p$): $(H^\top H + \lambda n
/// I)^{-1} H^\top y$, the Gram matrix in `T`, its ridge, right-hand side and Cholesky solve in
/// f64.
///
/// # Errors
/// A message if the regularised Gram matrix is not positive definite (NaN features).
pub(crate) fn ridge_weights<T: NetFloat>(
    h: MatRef<'_, T>,
    y: &[f64],
    lambda: f64,
) -> Result<Vec<T>, String> {
    let (n, p) = (h.nrows(), h.ncols());
    let mut gram = Mat::<T>::zeros(p, p);
    gemm(gram.as_mut(), Accum::Replace, h.transpose(), h, T::of(1.0));
    let mut a = Mat::<f64>::from_fn(p, p, |i, j| gram[(i, j)].f64());
    for j in 0..p {
        a[(j, j)] += lambda * n as f64;
    }
    let mut rhs: Vec<f64> = (0..p).map(|j| (0..n).map(|i| h[(i, j)].f64() * y[i]).sum()).collect();
    cholesky_lower(a.as_mut()).map_err(|i| format!("ridge readout: pivot {i} not positive"))?;
    solve_llt(a.as_ref(), &mut rhs);
    Ok(rhs.into_iter().map(T::of).collect())
}
