//! Stages 2 and 3: the Mehler-kernel fit of h* on the hidden coordinates, and the spline
//! readout of g* on the learned feature.

use super::params::{FeatureDesign, ReadoutDesign, Sight};
use super::GRID_RATIO;
use super::{hidden_dimension, polynomial_count};
use crate::learn::least_squares;
use crate::learn::{gram_matrix, kernel_matrix, ridge_fit, InnerProductKernel, Krr};
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use faer::{Mat, MatRef};

/// The threshold's scale for stage 2: $d^{k\varepsilon} / C(d_{\rm eff} + k, k)$, so that
/// $n_2^* \propto C(d_{\rm eff}+k, k)$ has exponent $k\varepsilon$ exactly.
pub(super) fn feature_scale(s: Sight<'_>, d: u64) -> f64 {
    let k = s.degree();
    let d_eff = hidden_dimension(s.epsilon, d).unwrap_or(1);
    (d as f64).powf(f64::from(k) * s.epsilon) / polynomial_count(d_eff, k)
}

/// $u_k(z) = \sum_i a_i h_k(z_i)/\sqrt{d_{\rm eff}}$: the unit-variance degree-$k$ component of
/// $h^*$'s direction (orthogonal to every polynomial of lower degree in $z$).
fn top_component(target: &SightTarget, k: u32, z: &[f64]) -> f64 {
    let s: f64 = z
        .iter()
        .zip(&target.signs)
        .map(|(&zi, &a)| a * crate::special::hermite::normalised_hermite(k, zi).0)
        .sum();
    s / (target.d_eff as f64).sqrt()
}

/// The Mehler kernel's decay per degree, times $d_{\rm eff}$: $\rho = 1/d_{\rm eff}$.
const MEHLER_DECAY: f64 = 1.0;

/// The Gram matrix of the Mehler kernel on the rows of `z` (points of $N(0, I_m)$):
/// $K(z, z') = \sum_\alpha \rho^{|\alpha|} h_\alpha(z) h_\alpha(z') = (1-\rho^2)^{-m/2}
/// \exp\big(\frac{2\rho\, z^\top z' - \rho^2 (\lVert z\rVert^2 + \lVert z'\rVert^2)}{2(1-\rho^2)}
/// \big)$, the sum over all multi-indices of the orthonormal Hermite products (Mehler's
/// formula, one factor per coordinate), for $0 \le \rho < 1$. One GEMM (through
/// [`gram_matrix`] with the linear kernel), then the element-wise map: stage 2's hot loop
/// besides the Cholesky factors, benched in `benches/spectral.rs`.
///
/// # Errors
/// A message if `z` has no columns.
pub fn mehler_gram(z: MatRef<'_, f64>, rho: f64) -> Result<Mat<f64>, String> {
    let m = z.ncols() as f64;
    let linear = InnerProductKernel::Polynomial { degree: 1, c: 0.0 };
    let mut k = gram_matrix(&linear, z).map_err(|e| e.to_string())?;
    let norms: Vec<f64> = (0..z.nrows()).map(|i| k[(i, i)] * m).collect();
    let (a, log_front) = (1.0 - rho * rho, -0.5 * m * (1.0 - rho * rho).ln());
    // The lower triangle, then its mirror image: the map is symmetric in (i, j) bit for bit.
    let n = z.nrows();
    for j in 0..n {
        for (i, kij) in k.col_as_slice_mut(j).iter_mut().enumerate().skip(j) {
            let inner = *kij * m;
            *kij = (log_front
                + (2.0 * rho * inner - rho * rho * (norms[i] + norms[j])) / (2.0 * a))
                .exp();
        }
    }
    for j in 1..n {
        for i in 0..j {
            k[(i, j)] = k[(j, i)];
        }
    }
    Ok(k)
}

/// One run of stage 2 at $d$: KRR of $h^*$ on $z = W^* x \sim N(0, I_{d_{\rm eff}})$ with the
/// Mehler kernel ([`mehler_gram`], $\rho = 1/d_{\rm eff}$: degree $j$ has mass
/// $\rho^j \binom{d_{\rm eff}+j-1}{j} \approx 1/j!$, as the exponential kernel on the sphere),
/// on nested prefixes of one draw of $\beta\, C(d_{\rm eff}+k, k)$ samples, at each $n$ of a
/// geometric grid (8 points per doubling) from $C/16$, with the per-sample ridge
/// $\lambda_0 = r \rho^k$ ($r$ times the eigenvalue of each degree-$k$ Hermite product), i.e.
/// $\lambda = n \lambda_0$, one Cholesky factor per $n$. Read at each $n$: the learned
/// fraction of $h^*$'s degree-$k$ component, $\langle \hat f_n, u_k\rangle / c_k$ with $c_k =
/// \mathbb{E}[h^* u_k]$ (the degree-$k$ coefficient of $P_k$), computed exactly: every Hermite
/// product is an eigenfunction, so $\langle K(\cdot, z_i), u_k\rangle = \rho^k u_k(z_i)$ and
/// $\langle \hat f_n, u_k\rangle = \rho^k \sum_i \alpha_i u_k(z_i)$ (no test points: a
/// Monte-Carlo estimate of a degree-4 projection has the kurtosis of $h_4$). With `stop_at`,
/// the curve ends at the first point at or above that level (the threshold reads no further:
/// the crossing of the running maximum is the first one).
pub(super) fn learned_fraction_curve(
    f: &FeatureDesign,
    d: u64,
    stop_at: Option<f64>,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let s = f.sight();
    let d_eff = hidden_dimension(s.epsilon, d).ok_or("d^ε is not an integer")?;
    let k = s.degree();
    let count = polynomial_count(d_eff, k);
    let n_max = (f.sample_budget * count).ceil() as usize;
    let rho = MEHLER_DECAY / d_eff as f64;
    let eigenvalue = rho.powi(k as i32);
    let per_sample_ridge = f.relative_ridge * eigenvalue;
    let target = s.target(d_eff, d_eff, rng);
    let c_k = target.feature.get(k as usize).copied().unwrap_or(0.0);
    if !(c_k.abs() > 0.0 && c_k.is_finite()) {
        return Err(format!("h* has no degree-{k} component (c_k = {c_k})"));
    }
    let mut buf = vec![0.0; d_eff];
    let mut z = Mat::<f64>::zeros(n_max, d_eff);
    let mut h = Vec::with_capacity(n_max);
    let mut u = Vec::with_capacity(n_max);
    for i in 0..n_max {
        draw_gaussians(&mut buf, rng);
        for (j, &v) in buf.iter().enumerate() {
            z[(i, j)] = v;
        }
        h.push(target.index(&buf));
        u.push(top_component(&target, k, &buf));
    }
    let gram = mehler_gram(z.as_ref(), rho)?;
    let mut grid = Vec::new();
    let mut n = (count / 16.0).max(8.0);
    while (n as usize) < n_max {
        let v = n.round() as usize;
        if grid.last() != Some(&v) {
            grid.push(v);
        }
        n *= GRID_RATIO;
    }
    grid.push(n_max);
    let mut curve = Vec::with_capacity(grid.len());
    for n in grid {
        let block = gram.as_ref().submatrix(0, 0, n, n).to_owned();
        let krr = Krr::factor(block, n as f64 * per_sample_ridge)
            .map_err(|e| format!("KRR at n = {n}: {e}"))?;
        let alpha = krr.coefficients(n, &h[..n]).map_err(|e| e.to_string())?;
        let projection: f64 = alpha.iter().zip(&u[..n]).map(|(a, u)| a * u).sum::<f64>();
        let fraction = eigenvalue * projection / c_k;
        if !fraction.is_finite() {
            return Err(format!("the learned fraction is {fraction} at n = {n}"));
        }
        curve.push((n, fraction));
        if stop_at.is_some_and(|level| fraction >= level) {
            break;
        }
    }
    Ok(curve)
}

/// The Mehler kernel between the rows of `x` and of `y` (as [`mehler_gram`], not mirrored).
fn mehler_matrix(x: MatRef<'_, f64>, y: MatRef<'_, f64>, rho: f64) -> Result<Mat<f64>, String> {
    let m = x.ncols() as f64;
    let linear = InnerProductKernel::Polynomial { degree: 1, c: 0.0 };
    let mut k = kernel_matrix(&linear, x, y).map_err(|e| e.to_string())?;
    let squared = |z: MatRef<'_, f64>| -> Vec<f64> {
        (0..z.nrows()).map(|i| (0..z.ncols()).map(|j| z[(i, j)] * z[(i, j)]).sum()).collect()
    };
    let (nx, ny) = (squared(x), squared(y));
    let (a, log_front) = (1.0 - rho * rho, -0.5 * m * (1.0 - rho * rho).ln());
    for (j, nyj) in ny.iter().enumerate() {
        for (kij, nxi) in k.col_as_slice_mut(j).iter_mut().zip(&nx) {
            let inner = *kij * m;
            *kij = (log_front + (2.0 * rho * inner - rho * rho * (nxi + nyj)) / (2.0 * a)).exp();
        }
    }
    Ok(k)
}

/// The readout's knots lie on $[-1.5, 1.5]$: $g^* = \tanh(3\,\cdot)$ is flat beyond $|h|
/// \approx 1$ ($\tanh 3 = 0.995$), and every piece of the spline must hold data for the
/// least-squares law of [`readout_curve`] ($h^*$ is heavy-tailed at these $d_{\rm eff}$).
const KNOT_RANGE: f64 = 1.5;

/// The readout's input is clamped to $[-2, 2]$: $g^*$ is bounded and flat there, and an
/// unclamped spline extrapolates its outer slopes to the rare $|\hat h| \sim 10$ of the
/// heavy-tailed feature, whose test errors then dominate the mean.
const CLAMP: f64 = 2.0;

/// The readout's features of a value $t$ of the learned feature, with $\bar t$ = $t$ clamped
/// to $\pm$[`CLAMP`]: $1$, $\bar t$ and $\mathrm{relu}(\bar t - \kappa_j)$ at `knots` knots
/// equally spaced on $\pm$[`KNOT_RANGE`] (a linear spline, constant beyond the clamp).
fn spline_features(t: &[f64], knots: u32) -> Mat<f64> {
    let q = knots as usize;
    Mat::from_fn(t.len(), q + 2, |i, j| match j {
        0 => 1.0,
        1 => t[i].clamp(-CLAMP, CLAMP),
        _ => {
            let knot = KNOT_RANGE * (-1.0 + 2.0 * (j - 2) as f64 / (q - 1) as f64);
            (t[i].clamp(-CLAMP, CLAMP) - knot).max(0.0)
        }
    })
}

/// Independent readout training sets per trial: the excess-risk law is about the expected
/// test error, which their mean estimates (one set's error jumps by factors of 5 between
/// neighbouring $n_3$ near $3 p_3$).
pub(super) const READOUT_REPLICATES: usize = 16;

/// Points per replicate set: the grid of $n_3$ ends there (the predicted $n_3^* = 3p_3 + 1$ is
/// 31 for 8 knots; H10's 64 knots at most give 199).
pub(super) const READOUT_BLOCK: usize = 256;

/// Per-sample ridge of the readout: $10^{-6}$, against features of order 1: least squares in
/// effect (the excess-risk law of [`readout_curve`] is that of least squares), with a guard
/// against a singular design.
const READOUT_RIDGE: f64 = 1e-6;

/// One run of stage 3 at $d$: stage 2's fit $\hat h$ of $h^*$ on $\beta_2 C(d_{\rm eff}+k, k)$
/// samples ([`learned_fraction_curve`]'s kernel and ridge, one $n$), kept fixed; then, on fresh
/// samples, least squares of $y = g^*(h^*(z))$ on the linear spline of $\hat h(z)$
/// ([`spline_features`], $p_3$ = knots + 2 features) on nested prefixes from $n_3 = p_3 + 2$
/// (8 per doubling) up to [`READOUT_BLOCK`], in each of [`READOUT_REPLICATES`] independent
/// sets. Read at each $n_3$: the ratio $\mathrm{MSE}(n_{3,\max})/\overline{\mathrm{MSE}}(n_3)$
/// (the mean over the sets; `max_samples` points for the limit) on `test_points` fresh points
/// (the label is
/// bounded: a test set estimates it well). For least squares with $p_3$ parameters the
/// relative excess risk is $p_3/(n_3 - p_3 - 1)$ whatever the noise (the variance of least
/// squares on a Gaussian design at finite $n$, as in `double-descent`;
/// `docs/theory/depth-advantage.md`, "Stage 3"), so the ratio reaches $1/(1+\eta)$ at $n_3 \approx
/// p_3 (1 + 1/\eta)$, independent of $d$ and of stage 2's floor. With `stop_at`, the curve ends
/// at the first point at or above that level.
pub(super) fn readout_curve(
    r: &ReadoutDesign,
    d: u64,
    stop_at: Option<f64>,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let s = r.sight();
    let d_eff = hidden_dimension(s.epsilon, d).ok_or("d^ε is not an integer")?;
    let k = s.degree();
    let n2 = (r.feature_budget * polynomial_count(d_eff, k)).ceil() as usize;
    let rho = MEHLER_DECAY / d_eff as f64;
    let target = s.target(d_eff, d_eff, rng);
    let mut buf = vec![0.0; d_eff];
    let mut draw = |rows: usize, rng: &mut Rng| {
        let mut z = Mat::<f64>::zeros(rows, d_eff);
        let mut h = Vec::with_capacity(rows);
        for i in 0..rows {
            draw_gaussians(&mut buf, rng);
            for (j, &v) in buf.iter().enumerate() {
                z[(i, j)] = v;
            }
            h.push(target.index(&buf));
        }
        (z, h)
    };
    let (z2, h2) = draw(n2, rng);
    let krr = Krr::factor(
        mehler_gram(z2.as_ref(), rho)?,
        n2 as f64 * r.relative_ridge * rho.powi(k as i32),
    )
    .map_err(|e| format!("stage 2's KRR at n = {n2}: {e}"))?;
    let n3_max = r.max_samples as usize;
    let m = r.test_points as usize;
    // The limit's training set, the replicate blocks, then the test points.
    let blocks = n3_max + READOUT_REPLICATES * READOUT_BLOCK;
    let (z3, h3) = draw(blocks + m, rng);
    let cross = mehler_matrix(z3.as_ref(), z2.as_ref(), rho)?;
    let h_hat = krr.predict(n2, cross.as_ref(), &h2).map_err(|e| e.to_string())?;
    if let Some(bad) = h_hat.iter().find(|v| !v.is_finite()) {
        return Err(format!("stage 2's feature is {bad} at a readout point"));
    }
    let y: Vec<f64> = h3.iter().map(|&h| target.link.apply(h)).collect();
    let features = spline_features(&h_hat, r.knots);
    let test = features.as_ref().subrows(blocks, m);
    let y_test = &y[blocks..];
    // The test error of the fit on rows start..start + n.
    let test_mse = |start: usize, n: usize| -> Result<f64, String> {
        let train = features.as_ref().subrows(start, n);
        let (b, _) = ridge_fit(train, &y[start..start + n], READOUT_RIDGE)
            .map_err(|e| format!("readout at n₃ = {n}: {e}"))?;
        let fit = least_squares::predict(test, &b).map_err(|e| e.to_string())?;
        let mse = fit.iter().zip(y_test).map(|(f, y)| (f - y) * (f - y)).sum::<f64>() / m as f64;
        if mse.is_finite() && mse > 0.0 {
            Ok(mse)
        } else {
            Err(format!("the readout's test error is {mse} at n₃ = {n}"))
        }
    };
    let limit = test_mse(0, n3_max)?;
    let p3 = r.knots as usize + 2;
    let mut grid = Vec::new();
    let mut n = (p3 + 2) as f64;
    while (n as usize) <= READOUT_BLOCK {
        let v = n.round() as usize;
        if grid.last() != Some(&v) {
            grid.push(v);
        }
        n *= GRID_RATIO;
    }
    let mut curve = Vec::with_capacity(grid.len());
    for n in grid {
        let mut mean = 0.0;
        for b in 0..READOUT_REPLICATES {
            mean += test_mse(n3_max + b * READOUT_BLOCK, n)?;
        }
        let ratio = limit * READOUT_REPLICATES as f64 / mean;
        curve.push((n, ratio));
        if stop_at.is_some_and(|level| ratio >= level) {
            break;
        }
    }
    Ok(curve)
}
