//! Feature errors of a trained [`QuadNet`]: the level-1 subspace error, the level-$l$
//! regression error and the test error.

use super::net::QuadNet;
use super::target::HierarchicalTarget;
use crate::numerics::dense::gemm;
use crate::numerics::{symmetric_eigen, NumericsError};
use faer::{Accum, Mat};

/// $E_1 = \lVert P_{\hat U} - P_{W_1^*}\rVert_F^2/k$ for the top-$k$ right singular subspace
/// $\hat U$ of `w1` and $W_1^*$ the first $k$ axes: $2(1 - \lVert \hat U_{1..k}\rVert_F^2/k)$.
///
/// # Errors
/// [`NumericsError`] if the eigensolver fails (non-finite weights) or $k$ exceeds $d$.
pub fn feature_error(w1: &Mat<f64>, k: usize) -> Result<f64, NumericsError> {
    let d = w1.ncols();
    if k == 0 || k > d {
        return Err(NumericsError::InvalidParameter {
            name: "feature count k",
            value: k as f64,
            requirement: "it must satisfy 1 ≤ k ≤ d",
        });
    }
    let mut gram = Mat::<f64>::zeros(d, d);
    gemm(gram.as_mut(), Accum::Replace, w1.transpose(), w1.as_ref(), 1.0);
    let (_, vectors) = symmetric_eigen(gram.as_ref())?;
    // Eigenvalues are nondecreasing: the top k are the last k columns.
    let mut captured = 0.0;
    for c in d - k..d {
        for i in 0..k {
            captured += vectors[(i, c)] * vectors[(i, c)];
        }
    }
    Ok((2.0 * (1.0 - captured / k as f64)).max(0.0))
}

/// $E_l$, the level-$l$ feature error of `net` on the rows of `x`: for each true feature
/// $G_{l,j}$, the share of its variance that a least-squares fit on $[1, H_l]$ (the learned
/// level-$l$ features, an intercept) leaves unexplained on these points; the mean over $j$, in
/// $[0, 1]$. It is 0 when the learned level spans the true features (up to any invertible
/// linear map) and 1 when it carries nothing of them. The normal equations get a ridge of
/// $10^{-10}$ times their mean diagonal, only to keep a rank-deficient $H_l$ solvable.
///
/// # Errors
/// [`NumericsError`] if the normal equations are not positive definite (non-finite features)
/// or there are fewer points than columns.
pub fn level_feature_error(
    net: &mut QuadNet,
    target: &HierarchicalTarget,
    level: usize,
    x: &Mat<f64>,
) -> Result<f64, NumericsError> {
    let h = net.level_features(x, level);
    let (n, m) = (h.nrows(), h.ncols() + 1);
    if n <= m {
        return Err(NumericsError::InvalidParameter {
            name: "test points",
            value: n as f64,
            requirement: "more points than learned features + 1",
        });
    }
    let design = Mat::<f64>::from_fn(n, m, |i, c| if c == 0 { 1.0 } else { h[(i, c - 1)] });
    let mut normal = Mat::<f64>::zeros(m, m);
    gemm(normal.as_mut(), Accum::Replace, design.transpose(), design.as_ref(), 1.0);
    let ridge = 1e-10 * (0..m).map(|c| normal[(c, c)]).sum::<f64>() / m as f64;
    for c in 0..m {
        normal[(c, c)] += ridge;
    }
    crate::numerics::dense::cholesky_lower(normal.as_mut()).map_err(|_| {
        NumericsError::InvalidParameter {
            name: "learned features",
            value: f64::NAN,
            requirement: "finite, so that the normal equations are positive definite",
        }
    })?;
    let mut row = vec![0.0; x.ncols()];
    let truth: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            row.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
            target.level_features(&row, level)
        })
        .collect();
    let mut total = 0.0;
    for j in 0..target.features() {
        let y: Vec<f64> = truth.iter().map(|g| g[j]).collect();
        let mut coef: Vec<f64> = (0..m)
            .map(|c| design.col_as_slice(c).iter().zip(&y).map(|(a, b)| a * b).sum())
            .collect();
        crate::numerics::dense::solve_llt(normal.as_ref(), &mut coef);
        let mean = y.iter().sum::<f64>() / n as f64;
        let (mut res, mut var) = (0.0, 0.0);
        for (i, t) in y.iter().enumerate() {
            let fit: f64 = (0..m).map(|c| design[(i, c)] * coef[c]).sum();
            res += (t - fit) * (t - fit);
            var += (t - mean) * (t - mean);
        }
        total += (res / var).min(1.0);
    }
    crate::numerics::clear_avx_upper();
    Ok(total / target.features() as f64)
}

/// Mean square error of `net` against `target` on the rows of `x` with labels `y`.
pub fn test_error(net: &mut QuadNet, x: &Mat<f64>, y: &[f64]) -> f64 {
    let pred = net.predict(x);
    pred.iter().zip(y).map(|(p, t)| (p - t) * (p - t)).sum::<f64>() / y.len() as f64
}
