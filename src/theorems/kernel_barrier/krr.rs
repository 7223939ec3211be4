//! What the sampled experiments share: data on the sphere with the target's values, KRR
//! factored once and solved on nested prefixes, the geometric grid, and the threshold at which
//! half of degree $\ell$ is learned.

use crate::learn::{gram_matrix, kernel_matrix, sphere_points, InnerProductKernel, Krr};
use crate::rng::Rng;
use crate::special::gegenbauer::SphericalMarginal;
use crate::theorem::Observation;
use faer::{Mat, MatRef};

use super::params::KernelChoice;

/// Ratio of the geometric sample grid: $2^{1/8}$.
const GRID_RATIO: f64 = 1.090_507_732_665_257_7;

/// Training and test data with the target's values and $q_\ell$ at the test points.
pub(super) struct Data {
    /// Training points, one per row, uniform on $S^{d-1}(\sqrt d)$.
    pub x: Mat<f64>,
    /// Fresh test points, drawn after the training points.
    pub test: Mat<f64>,
    /// The target at the training points.
    pub y: Vec<f64>,
    /// The target at the test points.
    pub y_test: Vec<f64>,
}

/// $n$ training points and `test_points` test points on $S^{d-1}(\sqrt d)$, in that order,
/// with the target $\sum_k a_k q_k(x_1)$ at each.
pub(super) fn draw_data(
    target: &[f64],
    test_points: u32,
    d: u64,
    n: usize,
    rng: &mut Rng,
) -> Result<Data, String> {
    let law = SphericalMarginal::new(d).map_err(|e| e.to_string())?;
    let x = sphere_points(n, d as usize, rng).map_err(|e| e.to_string())?;
    let test = sphere_points(test_points as usize, d as usize, rng).map_err(|e| e.to_string())?;
    let target = |t: f64| -> f64 {
        target.iter().enumerate().map(|(k, a)| a * law.orthonormal(k as u32, t).0).sum()
    };
    let y = (0..n).map(|i| target(x[(i, 0)])).collect();
    let y_test = (0..test.nrows()).map(|i| target(test[(i, 0)])).collect();
    Ok(Data { x, test, y, y_test })
}

/// The KRR fit on nested prefixes: a factored training set and its test kernel.
pub(super) struct NestedKrr {
    /// The factored Gram matrix of the whole training set.
    pub krr: Krr,
    /// The test–train kernel matrix.
    pub k_test: Mat<f64>,
}

/// KRR with `kernel` and `ridge` on all of `data`'s training points, with the test kernel.
pub(super) fn fit(kernel: KernelChoice, data: &Data, ridge: f64) -> Result<NestedKrr, String> {
    let kernel = kernel.kernel();
    let krr = factor_krr(&kernel, data.x.as_ref(), ridge)?;
    let k_test =
        kernel_matrix(&kernel, data.test.as_ref(), data.x.as_ref()).map_err(|e| e.to_string())?;
    Ok(NestedKrr { krr, k_test })
}

/// KRR on the training points `x`: their Gram matrix plus `ridge` I, factored.
pub(super) fn factor_krr(
    kernel: &InnerProductKernel,
    x: MatRef<'_, f64>,
    ridge: f64,
) -> Result<Krr, String> {
    let k = gram_matrix(kernel, x).map_err(|e| e.to_string())?;
    Krr::factor(k, ridge).map_err(|e| format!("KRR: {e}"))
}

/// The geometric grid from about $N_\ell/16$ up to $n_{\max}$.
pub(super) fn sample_grid(n_l: f64, n_max: usize) -> Vec<usize> {
    let mut grid = Vec::new();
    let mut n = (n_l / 16.0).max(2.0);
    while (n as usize) < n_max {
        let k = n.round() as usize;
        if grid.last() != Some(&k) {
            grid.push(k);
        }
        n *= GRID_RATIO;
    }
    grid.push(n_max);
    grid
}

/// The first grid value at which the running maximum of the learned fraction
/// $c_\ell / a_\ell$ of degree $\ell$ reaches $1/2$, interpolated in log; times `scale`;
/// censored at the last grid value. `a_l` is the target's degree-$\ell$ coefficient and
/// `coefficient(v)` gives $c_\ell$ of the fit at grid value `v`.
pub(super) fn half_learned(
    (l, a_l): (u32, f64),
    grid: &[usize],
    scale: f64,
    symbol: &str,
    mut coefficient: impl FnMut(usize) -> Result<f64, String>,
) -> Result<Observation, String> {
    let mut fractions = Vec::with_capacity(grid.len());
    for &v in grid {
        let c = coefficient(v)?;
        if !c.is_finite() {
            return Err(format!("the degree-{l} coefficient is {c} at {symbol} = {v}"));
        }
        fractions.push(c / a_l);
    }
    let values: Vec<f64> = grid.iter().map(|&v| v as f64).collect();
    Ok(Observation::threshold(&values, &fractions, 0.5, scale))
}

/// $q_\ell(t_1)$ at the rows $t$ of `points`.
pub(super) fn zonal_values(law: &SphericalMarginal, l: u32, points: &Mat<f64>) -> Vec<f64> {
    (0..points.nrows()).map(|i| law.orthonormal(l, points[(i, 0)]).0).collect()
}

/// The Monte-Carlo coefficient $\frac1m\sum_j \hat f(t_j)\, q_\ell(t_{j,1})$ from the
/// predictions and $q_\ell$ at the same $m$ points.
pub(super) fn mean_product(f_hat: &[f64], q_l: &[f64]) -> f64 {
    f_hat.iter().zip(q_l).map(|(f, q)| f * q).sum::<f64>() / q_l.len() as f64
}

/// The mean squared error of predictions against targets over the test points.
pub(super) fn test_error(f_hat: &[f64], y_test: &[f64]) -> f64 {
    f_hat.iter().zip(y_test).map(|(f, y)| (f - y).powi(2)).sum::<f64>() / f_hat.len() as f64
}
