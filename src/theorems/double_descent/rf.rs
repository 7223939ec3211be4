//! Claim `rf-peak`: ridgeless random ReLU features on a fixed width grid around $N = n$, and
//! the location of the test risk's peak.

use super::params::RfPeakDesign;
use crate::learn::least_squares::predict;
use crate::learn::{ridge_fit, sphere_points, ReluFeatures};
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::theorem::Observation;

/// Ratio of the random-features width grid: $2^{1/8}$.
const WIDTH_RATIO: f64 = 1.090_507_732_665_257_7;

/// The grid's base: widths are $\mathrm{round}(4 \cdot 2^{j/8})$.
const WIDTH_BASE: f64 = 4.0;

/// The fixed width grid $\mathrm{round}(4 \cdot 2^{j/8})$ inside $[n/2, 2n]$, without
/// $N \in \{n-1, n, n+1\}$.
pub fn width_grid(n: u64) -> Vec<u64> {
    let (lo, hi) = (n as f64 / 2.0, 2.0 * n as f64);
    let mut grid = Vec::new();
    let mut w = WIDTH_BASE;
    while w <= hi + 0.5 {
        let k = w.round() as u64;
        if k as f64 >= lo && k as f64 <= hi && k.abs_diff(n) > 1 && grid.last() != Some(&k) {
            grid.push(k);
        }
        w *= WIDTH_RATIO;
    }
    grid
}

/// The excess test risk of ridgeless random features at every width of `grid`, for one draw
/// of data and neurons at sample size $n$.
pub(super) fn rf_risks(
    p: &RfPeakDesign,
    n: u64,
    grid: &[u64],
    rng: &mut Rng,
) -> Result<Vec<f64>, String> {
    let d = p.dim as usize;
    let m = p.test_points as usize;
    let n_max = *grid.last().ok_or("empty width grid")? as usize;
    let x = sphere_points(n as usize, d, rng).map_err(|e| e.to_string())?;
    let test = sphere_points(m, d, rng).map_err(|e| e.to_string())?;
    let mut eps = vec![0.0; n as usize];
    draw_gaussians(&mut eps, rng);
    let neurons = ReluFeatures::draw(n_max, d, rng).map_err(|e| e.to_string())?;
    let (r, sigma) = (p.signal.sqrt(), p.noise.sqrt());
    let y: Vec<f64> = (0..n as usize).map(|i| r * x[(i, 0)] + sigma * eps[i]).collect();
    let f_test: Vec<f64> = (0..m).map(|i| r * test[(i, 0)]).collect();
    let phi = neurons.rf_features(x.as_ref()).map_err(|e| e.to_string())?;
    let phi_test = neurons.rf_features(test.as_ref()).map_err(|e| e.to_string())?;
    grid.iter()
        .map(|&w| {
            let (a, _) = ridge_fit(phi.as_ref().subcols(0, w as usize), &y, 0.0)
                .map_err(|e| format!("random features at n = {n}, N = {w}: {e}"))?;
            let f_hat = predict(phi_test.as_ref(), &a).map_err(|e| e.to_string())?;
            let risk =
                f_hat.iter().zip(&f_test).map(|(u, v)| (u - v) * (u - v)).sum::<f64>() / m as f64;
            if risk.is_finite() && risk > 0.0 {
                Ok(risk)
            } else {
                Err(format!("the test risk is {risk} at n = {n}, N = {w}"))
            }
        })
        .collect()
}

/// The peak location: the vertex of the parabola through $(\log N, \log R)$ at the grid
/// maximum and its neighbours, clamped to the neighbours; `None` at the grid's edge.
pub fn peak_location(grid: &[u64], risks: &[f64]) -> Option<f64> {
    let k = risks
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, f64)>, (i, &r)| match best {
            Some((_, b)) if b >= r => best,
            _ => Some((i, r)),
        })?
        .0;
    if k == 0 || k + 1 >= grid.len() {
        return None;
    }
    let x: Vec<f64> = grid[k - 1..=k + 1].iter().map(|&w| (w as f64).ln()).collect();
    let y: Vec<f64> = risks[k - 1..=k + 1].iter().map(|r| r.ln()).collect();
    // Vertex of the parabola through three points (divided differences).
    let d1 = (y[1] - y[0]) / (x[1] - x[0]);
    let d2 = (y[2] - y[1]) / (x[2] - x[1]);
    let curvature = (d2 - d1) / (x[2] - x[0]);
    let vertex = if curvature < 0.0 { 0.5 * (x[0] + x[1]) - d1 / (2.0 * curvature) } else { x[1] };
    Some(vertex.clamp(x[0], x[2]).exp())
}

/// One `rf-peak` trial at sample size $n$: the risk curve averaged over $B$ draws, then its
/// peak.
pub(super) fn rf_peak(p: &RfPeakDesign, n: u64, rng: &mut Rng) -> Result<Observation, String> {
    let grid = width_grid(n);
    let mut risks = vec![0.0; grid.len()];
    for _ in 0..p.replicates {
        for (acc, r) in risks.iter_mut().zip(rf_risks(p, n, &grid, rng)?) {
            *acc += r / f64::from(p.replicates);
        }
    }
    match peak_location(&grid, &risks) {
        Some(w) => Ok(Observation::Value(w)),
        None => Err(format!(
            "the test risk's maximum over N in [{}, {}] is at the window's edge: no peak inside",
            grid[0],
            grid[grid.len() - 1]
        )),
    }
}
