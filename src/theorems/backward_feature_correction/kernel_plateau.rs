//! Claim `kernel-gap` (measure `kernel-plateau`): kernel ridge regression on the depth-2
//! target against the lower bound $e_4(d)(1 - n/B(d,4))$ of every rotation-invariant kernel.

use super::{draw_target, BfcKernel, KernelPlateauParams};
use crate::learn::{gram_matrix, kernel_matrix, InnerProductKernel, Krr};
use crate::rng::Rng;
use crate::special::harmonics::harmonic_dimension_f64;
use crate::theorem::Observation;
use faer::Mat;

/// The largest kernel training set a `kernel-plateau` trial may factor (H8): a 10000 × 10000
/// kernel matrix is 0.8 GB and its Cholesky factor $n^3/3 \approx 3.3\cdot 10^{11}$ flop.
pub const MAX_KERNEL_SAMPLES: f64 = 10_000.0;

/// $(n, B(d,4))$ with $n = \lfloor c\, B(d,4)\rfloor$ for a `kernel-plateau` claim.
pub(super) fn kernel_samples(p: &KernelPlateauParams, d: u64) -> Option<(f64, f64)> {
    let b = harmonic_dimension_f64(d, 4).ok()?;
    Some(((p.budget_fraction * b).floor(), b))
}

/// The kernel matrix $h(\langle a_i, b_j\rangle/d)$ of the rows of `a` against those of `b`
/// (`b = None`: the symmetric Gram matrix of `a`), from the linear kernel's GEMM.
fn bfc_kernel_matrix(
    kernel: BfcKernel,
    a: &Mat<f64>,
    b: Option<&Mat<f64>>,
) -> Result<Mat<f64>, String> {
    let linear = InnerProductKernel::Polynomial { degree: 1, c: 0.0 };
    let mut k = match b {
        None => gram_matrix(&linear, a.as_ref()),
        Some(b) => kernel_matrix(&linear, a.as_ref(), b.as_ref()),
    }
    .map_err(|e| e.to_string())?;
    for j in 0..k.ncols() {
        for v in k.col_as_slice_mut(j) {
            *v = kernel.h(*v);
        }
    }
    Ok(k)
}

/// KRR with `kernel` on the training inputs `x` (rows), ridge `relative_ridge` times the mean
/// diagonal of the Gram matrix (factored once, so prefixes can be read), and the test-train
/// kernel matrix of the test inputs `xt`.
pub(super) fn fit_krr(
    kernel: BfcKernel,
    relative_ridge: f64,
    x: &Mat<f64>,
    xt: &Mat<f64>,
) -> Result<(Krr, Mat<f64>), String> {
    let gram = bfc_kernel_matrix(kernel, x, None)?;
    let n = gram.nrows() as f64;
    let mean_diag = (0..gram.nrows()).map(|i| gram[(i, i)]).sum::<f64>() / n;
    let krr = Krr::factor(gram, relative_ridge * mean_diag).map_err(|e| format!("KRR: {e}"))?;
    let k_test = bfc_kernel_matrix(kernel, xt, Some(x))?;
    Ok((krr, k_test))
}

/// One `kernel-plateau` trial at dimension $d$: draws the target ($V$), $n = \lfloor c
/// B(d,4)\rfloor$ training and `test_points` test inputs $x \sim N(0, I_d)$, fits KRR with
/// ridge $\rho \cdot \overline{K_{ii}}$ and returns $100\,(\mathrm{err} - e_4(d)(1 -
/// n/B(d,4))) / \mathrm{Var} f^*$ (percent of the target's variance), the test error and
/// $e_4$ of this draw of the target.
pub(super) fn kernel_plateau(
    p: &KernelPlateauParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let (d, r) = (size as u32, p.ratio);
    let target = draw_target(p.shape(), d, r, rng)?;
    let (e4, var) = match (target.harmonic_energy(), target.variance()) {
        (Some(e), Some(v)) => (e, v),
        _ => return Err("the target has no exact degree-4 part (depth 2 only)".into()),
    };
    let (n, b4) = kernel_samples(p, size).ok_or("B(d,4) or c is not defined")?;
    let (x, y) = target.sample(n as usize, rng);
    let (xt, yt) = target.sample(p.test_points as usize, rng);
    let (krr, k_test) = fit_krr(p.kernel, p.relative_ridge, &x, &xt)?;
    let f_hat = krr.predict(n as usize, k_test.as_ref(), &y).map_err(|e| e.to_string())?;
    let err = f_hat.iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>() / yt.len() as f64;
    if !err.is_finite() {
        return Err(format!("the KRR test error is {err} at d = {d}, n = {n}"));
    }
    Ok(Observation::Value(100.0 * (err - e4 * (1.0 - n / b4)) / var))
}
