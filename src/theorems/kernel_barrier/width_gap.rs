//! The width-gap experiment: the widths at which random features and the NT model, fitted at
//! $n = \infty$ from their closed-form population moments on Gaussian inputs, have learned half
//! of degree $\ell$.

use super::krr::sample_grid;
use super::params::WidthGapDesign;
use crate::learn::{GaussianPopulation, PrefixRidge, ReluFeatures};
use crate::rng::Rng;
use crate::special::harmonics::cumulative_harmonic_dimension_f64;
use crate::theorem::Observation;
use faer::Mat;

/// The widest RF and NT models of a width-gap trial: $\lceil\beta N_\ell(d)\rceil$ and
/// $\lceil\beta N_\ell(d)/d\rceil$ neurons (equal parameter counts, up to rounding).
pub(super) fn width_gap_budget(p: &WidthGapDesign, d: u64, l: u32) -> Option<(usize, usize)> {
    let n_l = cumulative_harmonic_dimension_f64(d, l).ok()?;
    let rf = (p.sample_budget * n_l).ceil() as usize;
    let nt = (p.sample_budget * n_l / d as f64).ceil() as usize;
    Some((rf, nt))
}

/// One width-gap trial at dimension $d$: the NT and RF width thresholds (in that order: the
/// NT model is the one that needs fewer neurons) at which the $n = \infty$ least-squares fit of
/// the target has learned half of its degree-$\ell$ part, each over its own draw of neurons.
pub(super) fn width_gap(p: &WidthGapDesign, d: u64, rng: &mut Rng) -> Result<Observation, String> {
    let l = p.degree;
    let (rf_max, nt_max) = width_gap_budget(p, d, l).ok_or("N_ℓ(d) overflows")?;
    let n_l = cumulative_harmonic_dimension_f64(d, l).map_err(|e| e.to_string())?;
    let pop = GaussianPopulation::new(d as usize).map_err(|e| e.to_string())?;
    let rf = ReluFeatures::draw(rf_max, d as usize, rng).map_err(|e| e.to_string())?;
    let nt = ReluFeatures::draw(nt_max, d as usize, rng).map_err(|e| e.to_string())?;
    let a_l = p.target[l as usize];
    // E[phi f] = sum_k a_k E[phi h_k]; the fraction of degree l is <f_hat, h_l> / a_l.
    let moments = |project: &dyn Fn(u32) -> Result<Vec<f64>, crate::numerics::NumericsError>| {
        let mut b: Option<Vec<f64>> = None;
        for (k, &a) in p.target.iter().enumerate().skip(1).filter(|(_, a)| **a != 0.0) {
            let bk = project(k as u32).map_err(|e| e.to_string())?;
            let sum = b.get_or_insert_with(|| vec![0.0; bk.len()]);
            for (s, v) in sum.iter_mut().zip(&bk) {
                *s += a * v;
            }
        }
        let b_l = project(l).map_err(|e| e.to_string())?;
        Ok::<_, String>((b.unwrap_or_else(|| vec![0.0; b_l.len()]), b_l))
    };
    let threshold = |gram: Mat<f64>,
                     (b, b_l): (Vec<f64>, Vec<f64>),
                     per_neuron: usize,
                     units: f64,
                     n_max: usize,
                     model: &str| {
        let ridge = PrefixRidge::from_moments(gram, b, p.relative_ridge)
            .map_err(|e| format!("{model}: {e}"))?;
        let grid = sample_grid(units, n_max);
        let mut fractions = Vec::with_capacity(grid.len());
        for &width in &grid {
            let q = width * per_neuron;
            let beta = ridge.coefficients(q).map_err(|e| format!("{model}: {e}"))?;
            let c = beta.iter().zip(&b_l[..q]).map(|(x, y)| x * y).sum::<f64>() / a_l;
            if !c.is_finite() {
                return Err(format!("{model}: the degree-{l} fraction is {c} at width {width}"));
            }
            fractions.push(c);
        }
        let widths: Vec<f64> = grid.iter().map(|&w| w as f64).collect();
        Ok::<_, String>(Observation::threshold(&widths, &fractions, 0.5, 1.0))
    };
    let rf_moments = moments(&|k| pop.rf_projection(&rf, k))?;
    let rf_gram = pop.rf_gram(&rf).map_err(|e| e.to_string())?;
    let rf_star = threshold(rf_gram, rf_moments, 1, n_l, rf_max, "RF")?;
    let nt_moments = moments(&|k| pop.nt_projection(&nt, k))?;
    let nt_gram = pop.nt_gram(&nt).map_err(|e| e.to_string())?;
    let nt_star = threshold(nt_gram, nt_moments, d as usize, n_l / d as f64, nt_max, "NT")?;
    Ok(Observation::pair(nt_star, rf_star))
}
