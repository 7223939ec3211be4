//! Variance claims: ridgeless least squares on a Gaussian design, one trial a mean over $B$
//! draws.

use super::params::{Side, VarianceDesign};
use super::risk::exact_bias;
use crate::learn::ridge_fit;
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::theorem::Observation;
use faer::Mat;

/// $n \times p$ i.i.d. standard normals, drawn row by row.
fn gaussian_design(n: usize, p: usize, rng: &mut Rng) -> Mat<f64> {
    let mut row = vec![0.0; p];
    let mut x = Mat::<f64>::zeros(n, p);
    for i in 0..n {
        draw_gaussians(&mut row, rng);
        for (j, v) in row.iter().enumerate() {
            x[(i, j)] = *v;
        }
    }
    x
}

/// One draw's $\lVert\hat\beta - \beta\rVert^2$ at $(n, p)$ with ridge $\lambda$, $\beta = r e_1$.
pub(super) fn one_risk(
    n: usize,
    p: usize,
    lambda: f64,
    signal: f64,
    noise: f64,
    rng: &mut Rng,
) -> Result<f64, String> {
    let x = gaussian_design(n, p, rng);
    let mut eps = vec![0.0; n];
    draw_gaussians(&mut eps, rng);
    let (r, sigma) = (signal.sqrt(), noise.sqrt());
    let y: Vec<f64> = (0..n).map(|i| r * x[(i, 0)] + sigma * eps[i]).collect();
    let (beta, _) = ridge_fit(x.as_ref(), &y, lambda)
        .map_err(|e| format!("least squares at n = {n}, p = {p}: {e}"))?;
    let err: f64 = beta
        .iter()
        .enumerate()
        .map(|(j, b)| {
            let t = if j == 0 { r } else { 0.0 };
            (b - t) * (b - t)
        })
        .sum();
    if err.is_finite() {
        Ok(err)
    } else {
        Err(format!("the risk is {err} at n = {n}, p = {p}"))
    }
}

/// One variance trial at distance $s$: the mean risk over $B$ draws, divided by $\gamma$
/// (below) or minus the bias (above).
pub(super) fn variance_trial(
    p: &VarianceDesign,
    side: Side,
    s: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let n = p.samples;
    let q = p.features(side, s).ok_or("no features")?;
    let mut total = 0.0;
    for _ in 0..p.replicates {
        total += one_risk(n as usize, q as usize, 0.0, p.signal, p.noise, rng)?;
    }
    let mean = total / f64::from(p.replicates);
    let value = match side {
        Side::Below => mean * n as f64 / q as f64,
        Side::Above => mean - exact_bias(n, q, p.signal),
    };
    if value > 0.0 && value.is_finite() {
        Ok(Observation::Value(value))
    } else {
        Err(format!("the variance estimate is {value} at p = {q} (not positive)"))
    }
}
