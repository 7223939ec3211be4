//! The estimated cost of one trial ([`crate::resources`]), read off `feature_gap.rs`,
//! `samples.rs`, `kernel_plateau.rs` and `sim::hierarchical`.

use super::kernel_plateau::kernel_samples;
use super::{BackwardFeatureCorrectionParams, FeatureGapParams};
use crate::resources::TrialCost;

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
            TrialCost { peak_bytes: net.peak_bytes + test * crate::resources::F64, seconds: net.seconds }
        }
        BackwardFeatureCorrectionParams::FeatureBias(f) => {
            // Level 1 alone, then both schedules from the same state; each level-1 error is a
            // least-squares fit of the true G1 on the learned features at the test points.
            let steps = f64::from(f.level1_steps) + 2.0 * f64::from(f.schedule_steps);
            let net = quad_net(f64::from(f.dim), &f.widths, f64::from(f.batch), steps);
            let test = f64::from(f.test_points) * (f64::from(f.dim) + 2.0 * f64::from(f.widths.first().copied().unwrap_or(0)) + 2.0);
            TrialCost { peak_bytes: net.peak_bytes + test * crate::resources::F64, seconds: net.seconds }
        }
        BackwardFeatureCorrectionParams::Samples(s) => {
            let d = size as f64;
            let scaled = s.budget_per_d2 * d * d;
            let budget = s.budget_floor.map_or(scaled, |floor| scaled.max(floor));
            let batch = f64::from(s.batch);
            // The budget's steps: a trial stops earlier when it reaches its error level, so
            // this is its longest run.
            let net = quad_net(d, &s.widths, batch, (budget / batch).ceil());
            let test = f64::from(s.test_points) * (d + 1.0) * crate::resources::F64;
            TrialCost { peak_bytes: net.peak_bytes + test, seconds: net.seconds }
        }
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
