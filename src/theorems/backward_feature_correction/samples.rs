//! Claim `deep-learns-poly` (measure `samples`): learning curves of joint training from the
//! start and the fresh samples $n^*$ at which the test error first reaches $\tau$.

use super::{diverged, start_levels, SamplesParams, Start};
use crate::rng::Rng;
use crate::sim::hierarchical::{test_error, Phase};
use crate::theorem::Observation;

/// The `samples` budget $n_{\max} = \max($`budget_per_d2`$\cdot d^2,$ `budget_floor`$)$.
pub(super) fn sample_budget(p: &SamplesParams, d: u32) -> f64 {
    let scaled = p.budget_per_d2 * f64::from(d) * f64::from(d);
    p.budget_floor.map_or(scaled, |floor| scaled.max(floor))
}

/// Evaluation points per doubling of the sample count.
const GRID_PER_OCTAVE: f64 = 8.0;

/// The relative test error of joint training from the start on a geometric grid of fresh
/// sample counts (from one batch to the budget [`sample_budget`]), stopping after the first
/// grid point at or below `stop` (none: the whole budget).
pub(super) fn learning_curve(
    p: &SamplesParams,
    d: u32,
    rng: &mut Rng,
    stop: Option<f64>,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    learning_curve_levels(p, d, rng, stop, p.widths.len(), sample_budget(p, d))
}

/// [`learning_curve`] of the network's first `levels` levels, all trained from the start, on
/// at most `budget` samples.
pub(super) fn learning_curve_levels(
    p: &SamplesParams,
    d: u32,
    rng: &mut Rng,
    stop: Option<f64>,
    levels: usize,
    budget: f64,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let Start { target, mut net, eta } = start_levels(p.learner(), d, p.ratio, rng, levels)?;
    let phase = Phase { levels, first_trained: 1 };
    let test = p.test_points as usize;
    let (xt, yt) = target.sample(test, rng);
    let norm = yt.iter().map(|v| v * v).sum::<f64>() / test as f64;
    let batch = p.batch as usize;
    let max_steps = (budget / batch as f64).ceil().max(1.0) as usize;
    let (mut grid, mut errors) = (Vec::new(), Vec::new());
    let mut done = 0usize;
    let mut j = 0.0f64;
    while done < max_steps {
        let next = ((2f64.powf(j / GRID_PER_OCTAVE)).round() as usize).clamp(done + 1, max_steps);
        j += 1.0;
        net.train(&target, phase, next - done, eta, rng, |_, _| {})
            .map_err(|e| diverged("joint training", &e))?;
        done = next;
        let err = test_error(&mut net, &xt, &yt) / norm;
        if !err.is_finite() {
            return Err(format!("the test error is not finite after {done} steps"));
        }
        grid.push((done * batch) as f64);
        errors.push(err);
        if stop.is_some_and(|s| err <= s) {
            break;
        }
    }
    Ok((grid, errors))
}

/// One `samples` trial: the fresh samples $n^*$ at which the relative test error first
/// reaches $\tau$ (log-interpolated on the grid), censored at the budget.
pub(super) fn samples_to_error(
    p: &SamplesParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let tau = p.error_level;
    let (grid, errors) = learning_curve(p, size as u32, rng, Some(tau))?;
    // The threshold reads a rising order parameter: -ln(err) crossing -ln(τ).
    let order: Vec<f64> = errors.iter().map(|e| -e.max(f64::MIN_POSITIVE).ln()).collect();
    Ok(Observation::threshold(&grid, &order, -tau.ln(), 1.0))
}
