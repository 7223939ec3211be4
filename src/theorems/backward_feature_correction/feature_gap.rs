//! Claims `bfc`, `bfc-depth-level1` and `bfc-depth-level2` (measure `feature-gap`): the
//! layer-wise and joint schedules and the gap of their feature errors.

use super::{diverged, joint, level_one, ratio, start, FeatureGapParams, Start};
use crate::rng::Rng;
use crate::sim::hierarchical::{feature_error, level_feature_error, Phase};
use crate::theorem::Observation;

/// One `feature-gap` trial: $\ln(E_1^A/E_1^B) - \ln c$.
pub(super) fn feature_gap(
    p: &FeatureGapParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let (d, r) = (p.dim, ratio(size));
    if p.depth == 3 {
        return feature_gap_depth3(p, d, r, rng);
    }
    let Start { target, mut net, eta } = start(p.learner(), d, r, rng)?;
    let t1 = p.level1_steps as usize;
    let t2 = p.schedule_steps as usize;
    net.train(&target, level_one(), t1, eta, rng, |_, _| {})
        .map_err(|e| diverged("level-1 phase", &e))?;
    let mut layerwise = net.clone();
    // Common random numbers: both schedules see the same fresh batches.
    let mut rng_a = rng.clone();
    layerwise
        .train(&target, level_one(), t2, eta, &mut rng_a, |_, _| {})
        .map_err(|e| diverged("layer-wise schedule", &e))?;
    net.train(&target, joint(), t2, eta, rng, |_, _| {})
        .map_err(|e| diverged("joint schedule", &e))?;
    let k = p.features as usize;
    let ea = feature_error(layerwise.first_layer(), k).map_err(|e| e.to_string())?;
    let eb = feature_error(net.first_layer(), k).map_err(|e| e.to_string())?;
    gap_observation(p, ea, eb)
}

/// $\ln(E^A/E^B) - \ln c$, annotated with $(E^B, E^A)$ for the exploratory slopes.
fn gap_observation(p: &FeatureGapParams, ea: f64, eb: f64) -> Result<Observation, String> {
    if !(ea > 0.0 && eb > 0.0 && ea.is_finite() && eb.is_finite()) {
        return Err(format!("feature errors E_A = {ea}, E_B = {eb}"));
    }
    let gap = Observation::Value((ea / eb).ln() - p.factor.ln());
    Ok(Observation::annotated(gap, vec![eb, ea]))
}

/// Test points of the level-2 feature error $E_2$ ([`level_feature_error`]): its relative
/// residuals are means over these points, with a Monte-Carlo error of a few percent of
/// themselves at 4000 (the features are degree-4 polynomials).
const LEVEL_ERROR_POINTS: usize = 4000;

/// One `feature-gap` trial at $L = 3$ ($\alpha = 1, r, r^2$): level 1 for $T_1$ steps, levels
/// 1-2 for $T_{12}$, then from the same state and on the same batches schedule A (levels 1-2
/// alone, level 3 absent: layer-wise, which would then freeze them and train level 3) and B
/// (all three levels) for $T_2$ steps each; $\ln(E_l^A/E_l^B) - \ln c$ for the judged level
/// ($E_1$ the subspace error, $E_2$ the regression error on fresh points).
fn feature_gap_depth3(
    p: &FeatureGapParams,
    d: u32,
    r: f64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let Start { target, mut net, eta } = start(p.learner(), d, r, rng)?;
    let (x_test, _) = target.sample(LEVEL_ERROR_POINTS, rng);
    let t1 = p.level1_steps as usize;
    let t12 = p.level2_steps.unwrap_or(1) as usize;
    let t2 = p.schedule_steps as usize;
    net.train(&target, level_one(), t1, eta, rng, |_, _| {})
        .map_err(|e| diverged("level-1 phase", &e))?;
    net.train(&target, joint(), t12, eta, rng, |_, _| {})
        .map_err(|e| diverged("levels 1-2 phase", &e))?;
    let mut layerwise = net.clone();
    let mut rng_a = rng.clone();
    layerwise
        .train(&target, joint(), t2, eta, &mut rng_a, |_, _| {})
        .map_err(|e| diverged("layer-wise schedule", &e))?;
    net.train(&target, Phase { levels: 3, first_trained: 1 }, t2, eta, rng, |_, _| {})
        .map_err(|e| diverged("joint schedule", &e))?;
    let (ea, eb) = match p.judged_level {
        Some(2) => (
            level_feature_error(&mut layerwise, &target, 2, &x_test),
            level_feature_error(&mut net, &target, 2, &x_test),
        ),
        _ => {
            let k = p.features as usize;
            (feature_error(layerwise.first_layer(), k), feature_error(net.first_layer(), k))
        }
    };
    gap_observation(p, ea.map_err(|e| e.to_string())?, eb.map_err(|e| e.to_string())?)
}
