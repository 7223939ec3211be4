//! Claims `bfc-bias` and `bfc-correction` (measure `feature-bias`, issue 26): the skip target
//! on which a narrow level 1 trained alone is biased, the two schedules, the level-1 feature
//! error as a function (regression on the true $G_1$ on fresh inputs), and its population
//! value under layer-wise training.

use super::{diverged, joint, level_one, ratio, FeatureBiasParams};
use crate::numerics::symmetric_eigen;
use crate::rng::Rng;
use crate::sim::hierarchical::{level_feature_error, HierarchicalTarget, LevelMaps, QuadNet};
use crate::theorem::Observation;
use faer::Mat;

use super::params::{BfcJudged, BfcLevelMaps};

/// The target and the fresh network (with its level-2 skip) of one `feature-bias` run, and
/// $\eta$. The target is drawn first, then the network, then its skip.
pub(super) fn bias_start(
    p: &FeatureBiasParams,
    r: f64,
    rng: &mut Rng,
) -> Result<(HierarchicalTarget, QuadNet, f64), String> {
    let d = p.dim as usize;
    let maps = match p.level_maps {
        None | Some(BfcLevelMaps::Orthogonal) => LevelMaps::Orthogonal,
        Some(BfcLevelMaps::Gaussian) => LevelMaps::Gaussian,
    };
    let target = HierarchicalTarget::with_skip(d, p.features as usize, &[1.0, r], maps, p.skip, rng)
        .map_err(|e| e.to_string())?;
    let widths: Vec<usize> = p.widths.iter().map(|&m| m as usize).collect();
    let net = QuadNet::new(d, &widths, p.batch as usize, &p.init_scales, rng)
        .and_then(|n| n.with_level2_skip(p.init_scales[1], rng))
        .map_err(|e| e.to_string())?;
    Ok((target, net, p.step / f64::from(p.dim)))
}

/// $E_l$ as a relative residual norm: the square root of [`level_feature_error`] (the mean
/// share of $\mathrm{Var}\,G_{l,j}$ that the best affine map from the learned level-$l$
/// features leaves, fitted by least squares on the rows of `x`). A rotation of the learned
/// directions by a small angle $\theta$ gives $E_1 \propto \theta$.
pub(super) fn relative_residual(
    net: &mut QuadNet,
    target: &HierarchicalTarget,
    level: usize,
    x: &Mat<f64>,
) -> Result<f64, String> {
    level_feature_error(net, target, level, x).map(f64::sqrt).map_err(|e| e.to_string())
}

/// One `feature-bias` trial: level 1 alone for $T_1$ steps; then from that state, on the same
/// fresh batches, schedule A (level 1 alone, layer-wise) and B (both levels, joint) for $T_2$
/// steps; $E_1^A$ or $E_1^A/E_1^B$ (the card's `judged`), annotated with $(E_1^B, E_1^A)$.
pub(super) fn feature_bias(
    p: &FeatureBiasParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let r = ratio(size);
    let (target, mut net, eta) = bias_start(p, r, rng)?;
    let (x_test, _) = target.sample(p.test_points as usize, rng);
    net.train(&target, level_one(), p.level1_steps as usize, eta, rng, |_, _| {})
        .map_err(|e| diverged("level-1 phase", &e))?;
    let mut layerwise = net.clone();
    let mut rng_a = rng.clone();
    let t2 = p.schedule_steps as usize;
    layerwise
        .train(&target, level_one(), t2, eta, &mut rng_a, |_, _| {})
        .map_err(|e| diverged("layer-wise schedule", &e))?;
    net.train(&target, joint(), t2, eta, rng, |_, _| {})
        .map_err(|e| diverged("joint schedule", &e))?;
    let ea = relative_residual(&mut layerwise, &target, 1, &x_test)?;
    let eb = relative_residual(&mut net, &target, 1, &x_test)?;
    if !(ea > 0.0 && eb > 0.0 && ea.is_finite() && eb.is_finite()) {
        return Err(format!("feature errors E1_A = {ea}, E1_B = {eb}"));
    }
    let judged = match p.judged {
        BfcJudged::LayerWise => ea,
        BfcJudged::Correction => ea / eb,
    };
    Ok(Observation::annotated(Observation::Value(judged), vec![eb, ea]))
}

/// The degree-2 Hermite parts of the skip target's two terms as quadratic forms on the
/// level-1 directions $z$ ($k \times k$; the function $z^\top A z - \mathrm{tr}\,A$):
/// $M_1 = \mathrm{diag}(\beta)/\sqrt 2$ and $B = \sum_j (2\,\mathrm{diag}(v_j \circ v_j) +
/// u_j u_j^\top)/(s_j \sigma_2)$ (module docs, Prediction). `None` below depth 2.
pub(super) fn degree_two_forms(target: &HierarchicalTarget) -> Option<(Mat<f64>, Mat<f64>)> {
    let k = target.features();
    let beta = target.level1_weights();
    let (v, u, _, s, sigma) = target.level_two()?;
    let m1 = Mat::from_fn(k, k, |a, b| if a == b { beta[a] / std::f64::consts::SQRT_2 } else { 0.0 });
    let b = Mat::from_fn(k, k, |a, c| {
        (0..k)
            .map(|j| {
                let diag = if a == c { 2.0 * v[j * k + a] * v[j * k + a] } else { 0.0 };
                (diag + u[j * k + a] * u[j * k + c]) / (s[j] * sigma)
            })
            .sum()
    });
    Some((m1, b))
}

/// The population level-1 feature error of layer-wise training (relative residual norm, as
/// [`relative_residual`]) on this target at ratio `r`, if level 1 trained alone ends in the
/// eigenframe of $Q = M_1 + r B$ (its learned directions the eigenvectors $q_r$ of $Q$; module
/// docs): $\sqrt{\mathrm{mean}_a (1 - \sum_r q_{ra}^4)}$.
///
/// # Errors
/// If the target has no level 2 or the eigensolver fails.
pub(super) fn population_bias(target: &HierarchicalTarget, r: f64) -> Result<f64, String> {
    let (m1, b) = degree_two_forms(target).ok_or("a target of depth 1 has no level 2")?;
    let k = m1.nrows();
    let q = Mat::from_fn(k, k, |a, c| m1[(a, c)] + r * b[(a, c)]);
    let (_, vectors) = symmetric_eigen(q.as_ref()).map_err(|e| e.to_string())?;
    let share: f64 = (0..k)
        .map(|a| 1.0 - (0..k).map(|c| vectors[(a, c)].powi(4)).sum::<f64>())
        .sum::<f64>()
        / k as f64;
    Ok(share.max(0.0).sqrt())
}
