//! One trial of each design: draw the design and the responses, fit, and measure the squared
//! error (a test-point mean for Nadaraya–Watson, an exact integral for the free-knot fit).

use super::{FreeKnot, NadarayaWatson, Target};
use crate::rng::Rng;
use crate::sim::smoothers::{free_knot_fit, FreeKnotFit, IntervalSmoother, TorusSmoother};
use crate::special::quadrature::composite_gauss_legendre;
use crate::theorem::Observation;
use rand::RngExt;
use rand_distr::StandardNormal;
use std::f64::consts::PI;

/// One Nadaraya–Watson trial: the mean of $(\hat f - f)^2$ over the test points (uniform
/// draws on the torus, the midpoints of `test_points` equal cells of the evaluation interval).
pub(super) fn nadaraya_watson_trial(p: &NadarayaWatson, size: u64, rng: &mut Rng) -> Observation {
    let n = size as usize;
    let m = p.test_points as usize;
    let sigma = p.noise;
    let h = p.bandwidth(size);
    match &p.target {
        Target::TorusSines { dimension, .. } => {
            let dim = *dimension as usize;
            let f = |q: &[f64]| q.iter().map(|&c| (2.0 * PI * c).sin()).sum::<f64>();
            let x: Vec<f64> = (0..n * dim).map(|_| rng.random::<f64>()).collect();
            let y: Vec<f64> = x
                .chunks_exact(dim)
                .map(|q| f(q) + sigma * rng.sample::<f64, _>(StandardNormal))
                .collect();
            let test: Vec<f64> = (0..m * dim).map(|_| rng.random::<f64>()).collect();
            let smoother = TorusSmoother::new(dim, &x, &y, h);
            let mut sum = 0.0;
            for q in test.chunks_exact(dim) {
                match smoother.predict(q) {
                    Some(v) => sum += (v - f(q)).powi(2),
                    None => {
                        return Observation::Failed(format!(
                            "no design point within the kernel window (h = {h:.4}) of a test \
                             point at n = {n}"
                        ))
                    }
                }
            }
            Observation::Value(sum / m as f64)
        }
        Target::Jump { location, height, amplitude, evaluation: [a, b] } => {
            let f = |t: f64| {
                amplitude * (2.0 * PI * t).sin() + if t >= *location { *height } else { 0.0 }
            };
            let (x, y) = jump_sample(n, sigma, &f, rng);
            let grid = (0..m).map(|k| a + (k as f64 + 0.5) * (b - a) / m as f64);
            let smoother = IntervalSmoother::new(&x, &y, h);
            let mut sum = 0.0;
            for t in grid {
                match smoother.predict(t) {
                    Some(v) => sum += (v - f(t)).powi(2),
                    None => {
                        return Observation::Failed(format!(
                            "no design point within the kernel window (h = {h:.4}) of x = \
                             {t:.4} at n = {n}"
                        ))
                    }
                }
            }
            Observation::Value(sum / m as f64)
        }
    }
}

/// One free-knot trial: the exact integrated squared error of the fit over the evaluation
/// interval. (H5) admits only the jump target.
pub(super) fn free_knot_trial(p: &FreeKnot, size: u64, rng: &mut Rng) -> Observation {
    let n = size as usize;
    let Target::Jump { location, height, amplitude, evaluation: [a, b] } = &p.target else {
        return Observation::Failed("(H5) free-knot least squares needs the jump target".into());
    };
    let f = |t: f64| amplitude * (2.0 * PI * t).sin() + if t >= *location { *height } else { 0.0 };
    let (x, y) = jump_sample(n, p.noise, &f, rng);
    let Some(fit) = free_knot_fit(&x, &y, p.degree as usize) else {
        return Observation::Failed(format!(
            "free-knot least squares failed at n = {n}: singular polynomial basis or too few \
             distinct points"
        ));
    };
    // The error is smooth between the true jump and the fitted one, and the strip between
    // them (width O(1/n)) carries a J²|t̂ - t₀| term that a fixed grid stops resolving:
    // integrate exactly (card, version 2).
    match jump_fit_mse(&fit, &f, *location, *a, *b) {
        Ok(mse) => Observation::Value(mse),
        Err(why) => Observation::Failed(why),
    }
}

/// $n$ design points uniform on $[0, 1]$, then their responses $f(x) + \sigma\varepsilon$, in
/// that order from the stream.
fn jump_sample(
    n: usize,
    sigma: f64,
    f: &impl Fn(f64) -> f64,
    rng: &mut Rng,
) -> (Vec<f64>, Vec<f64>) {
    let x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let y: Vec<f64> =
        x.iter().map(|&t| f(t) + sigma * rng.sample::<f64, _>(StandardNormal)).collect();
    (x, y)
}

/// Gauss–Legendre points per panel of [`jump_fit_mse`]: the error on a panel is a degree-$K$
/// polynomial minus a sine, whose rule error at 24 points on a panel of length $\le 0.9$ is
/// below $10^{-15}$ relative.
const JUMP_PANEL_POINTS: usize = 24;

/// $\frac{1}{b-a}\int_a^b (\hat f - f)^2$ for the free-knot fit, by a composite Gauss–Legendre
/// rule split at the true jump $t_0$ and the fitted one $\hat t$: exact to rounding, since the
/// error is smooth on each panel.
fn jump_fit_mse(
    fit: &FreeKnotFit,
    f: &impl Fn(f64) -> f64,
    location: f64,
    a: f64,
    b: f64,
) -> Result<f64, String> {
    let mut breaks = vec![a, b];
    breaks.extend([location, fit.location].into_iter().filter(|&t| t > a && t < b));
    breaks.sort_by(f64::total_cmp);
    breaks.dedup();
    let rule = composite_gauss_legendre(&breaks, JUMP_PANEL_POINTS).map_err(|e| e.to_string())?;
    let mse = rule.integrate(|t| (fit.eval(t) - f(t)).powi(2)) / (b - a);
    if mse.is_finite() {
        Ok(mse)
    } else {
        Err(format!("the free-knot fit's error is {mse} (jump at {:.6})", fit.location))
    }
}
