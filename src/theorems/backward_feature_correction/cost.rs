//! The estimated cost of one trial ([`crate::resources`]), read off `feature_gap.rs`,
//! `samples.rs`, `kernel_plateau.rs` and `sim::hierarchical`.

use super::kernel_plateau::kernel_samples;
use super::{BackwardFeatureCorrectionParams, FeatureGapParams, SamplesParams};
use crate::resources::TrialCost;
use crate::sim::hierarchical::MC_NORMALISATION;

/// The quadratic network of `sim::hierarchical` in dimension `d` with level widths `widths`
/// and minibatch `batch`: its weights (and a copy: the layer-wise schedule trains a clone),
/// the target's maps (about as many values), the minibatch and its activations; a step draws
/// the batch ($bd$ Gaussians, about 10 ns each) and runs each level forward and back (six
/// multiply-adds per weight and sample).
fn quad_net(d: f64, widths: &[u32], batch: f64, steps: f64) -> TrialCost {
    let mut fan_in = d;
    let mut weights = 0.0;
    let mut width_sum = 0.0;
    for &m in widths {
        weights += fan_in * f64::from(m);
        width_sum += f64::from(m);
        fan_in = f64::from(m);
    }
    TrialCost::from_counts(
        4.0 * weights + 3.0 * batch * (d + width_sum),
        steps * 6.0 * batch * weights,
        0.0,
        steps * 10.0 * batch * d,
    )
}

/// Drawing a target whose level is normalised by Monte Carlo (levels $\ge 3$, and the skip
/// target's level 2): `MC_NORMALISATION` rows of $k$ squared pre-activations, each its own
/// small vector (about $8k + 32$ bytes a row with the allocator's headers), plus one sum per
/// row; about $3k^2$ operations a row.
fn monte_carlo_level(k: u32) -> TrialCost {
    let (n, k) = (MC_NORMALISATION as f64, f64::from(k));
    TrialCost { peak_bytes: n * (8.0 * k + 40.0), seconds: 0.0 }
        .then(TrialCost::from_counts(0.0, 0.0, 0.0, 3.0 * n * k * k))
}

/// A trial's cost: the target's construction, then its training (their peaks apart).
fn with_target(depth: u32, skip: bool, k: u32, training: TrialCost) -> TrialCost {
    if depth >= 3 || skip {
        monte_carlo_level(k).then(training)
    } else {
        training
    }
}

/// One `samples` run at dimension `size`: the budget's steps (a run stops earlier when it
/// reaches its error level, so this is its longest run) and the test points.
fn samples_cost(s: &SamplesParams, size: u64) -> TrialCost {
    let d = size as f64;
    let scaled = s.budget_per_d2 * d * d;
    let budget = s.budget_floor.map_or(scaled, |floor| scaled.max(floor));
    let batch = f64::from(s.batch);
    let net = quad_net(d, &s.widths, batch, (budget / batch).ceil());
    let test = f64::from(s.test_points) * (d + 1.0) * crate::resources::F64;
    with_target(s.depth, false, s.features, TrialCost { peak_bytes: net.peak_bytes + test, seconds: net.seconds })
}

fn feature_gap_steps(p: &FeatureGapParams) -> f64 {
    f64::from(p.level1_steps) + p.level2_steps.map_or(0.0, f64::from) + 2.0 * f64::from(p.schedule_steps)
}

/// One trial of `p` at `size` (a ratio index for feature-gap claims, $d$ otherwise).
pub(super) fn trial_cost(p: &BackwardFeatureCorrectionParams, size: u64) -> TrialCost {
    match p {
        BackwardFeatureCorrectionParams::FeatureGap(f) => {
            let net = quad_net(f64::from(f.dim), &f.widths, f64::from(f.batch), feature_gap_steps(f));
            // The depth-3 design reads each level's error on 4000 fresh points.
            let test = if f.depth == 3 { 4000.0 * (f64::from(f.dim) + 2.0) } else { 0.0 };
            let training =
                TrialCost { peak_bytes: net.peak_bytes + test * crate::resources::F64, seconds: net.seconds };
            with_target(f.depth, false, f.features, training)
        }
        BackwardFeatureCorrectionParams::FeatureBias(f) => {
            // Level 1 alone, then both schedules from the same state; each level-1 error is a
            // least-squares fit of the true G1 on the learned features at the test points.
            let steps = f64::from(f.level1_steps) + 2.0 * f64::from(f.schedule_steps);
            let net = quad_net(f64::from(f.dim), &f.widths, f64::from(f.batch), steps);
            let test = f64::from(f.test_points) * (f64::from(f.dim) + 2.0 * f64::from(f.widths.first().copied().unwrap_or(0)) + 2.0);
            let training =
                TrialCost { peak_bytes: net.peak_bytes + test * crate::resources::F64, seconds: net.seconds };
            with_target(f.depth, true, f.features, training)
        }
        BackwardFeatureCorrectionParams::ThreeLevelBias(f) => {
            // Level 1 alone (T1), then layer-wise 2 T2 + 2 T2 steps and joint T2 + T2 steps
            // (every step counted at the full network's cost: an upper estimate of the time);
            // the two Monte-Carlo levels are normalised one after the other (their peaks apart).
            let steps = f64::from(f.level1_steps) + 6.0 * f64::from(f.schedule_steps);
            let net = quad_net(f64::from(f.dim), &f.widths, f64::from(f.batch), steps);
            let widest = f.widths.iter().take(2).copied().max().unwrap_or(0);
            let test = f64::from(f.test_points) * (f64::from(f.dim) + 2.0 * f64::from(widest) + 2.0);
            let training =
                TrialCost { peak_bytes: net.peak_bytes + test * crate::resources::F64, seconds: net.seconds };
            monte_carlo_level(f.features).then(monte_carlo_level(f.features)).then(training)
        }
        BackwardFeatureCorrectionParams::DepthStep(s) => {
            // The depth L - 1 run, then the depth L run, one after the other.
            let lower = super::depth_step::at_depth(s, s.depth - 1);
            samples_cost(&lower, size).then(samples_cost(s, size))
        }
        BackwardFeatureCorrectionParams::Samples(s) => samples_cost(s, size),
        BackwardFeatureCorrectionParams::KernelPlateau(k) => {
            let Some((n, _)) = kernel_samples(k, size) else { return TrialCost::unbounded() };
            let (d, t) = (size as f64, f64::from(k.test_points));
            TrialCost::from_counts(
                n * n + t * n + (n + t) * (d + 1.0),
                n * n * d + n * n * n / 3.0 + 2.0 * t * n * d,
                n * n / 2.0 + t * n,
                0.0,
            )
        }
    }
}
