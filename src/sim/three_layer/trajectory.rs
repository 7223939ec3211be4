//! The overlaps $M_W$ and $M_h$ of the layer-wise network along its training (the paper's
//! Figs. 7 and 9, arXiv:2502.13961v4): the reference records $W_1$ after every phase-1 step and
//! $W_2$ after every phase-2 step, and measures, at each recorded time,
//!
//! * $M_W$, the root mean square over first-layer units of the share of $w_i$ in span $W^*$
//!   ([`ThreeLayerNet::overlap`], `cosine_similarity_linear`);
//! * $M_h$, the root mean square over second-layer units $j$ of the uncentred cosine, over
//!   fresh Gaussian inputs, between the unit's pre-activation $h_{2,j}(x) = (W_2\,
//!   \mathrm{relu}(W_1 x + b_1) + b_2)_j$ and the target's feature $h^*(x)$
//!   (`cosine_similarity_nonlinear_joint_evolution` with the plotting script's root mean
//!   square over units; the reference uses 1000 inputs).
//!
//! Time is the GD step, phase 1's steps first, then phase 2's ($W_1$ frozen). Theorem 1 of the
//! paper predicts that both stay at their random level when $n = d^\kappa$ with
//! $\kappa < 1 + \varepsilon$, and that at $\kappa > \max(1 + \varepsilon, k\varepsilon)$
//! $M_W$ rises during phase 1 and $M_h$ during phase 2.

use super::sight_run::{gaussian_rows, sight_labels};
use super::{NetFloat, ThreeLayerConfig, ThreeLayerNet};
use crate::numerics::clear_avx_upper;
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use faer::{Mat, MatRef};

/// The overlaps of one training run at its recorded steps.
#[derive(Clone, Debug, PartialEq)]
pub struct OverlapTrajectory {
    /// Phase 1's number of steps: time `t > steps1` is phase 2's step `t - steps1`.
    pub steps1: usize,
    /// The recorded times (GD steps since the start, phase 1's counted first).
    pub times: Vec<usize>,
    /// $M_W$ at each recorded time.
    pub first_layer: Vec<f64>,
    /// $M_h$ at each recorded time.
    pub second_layer: Vec<f64>,
}

/// $M_h$ of `net` on the probe inputs `x` ($m \times d$, in `T`) whose feature values are
/// `h_star`: the root mean square over second-layer units of the uncentred cosine between the
/// unit's pre-activation and $h^*$ (sums in f64).
pub fn feature_overlap<T: NetFloat>(
    net: &ThreeLayerNet<T>,
    x: MatRef<'_, T>,
    h_star: &[f64],
) -> f64 {
    let h1 = net.hidden1(x);
    let pre = net.preactivation2(h1.transpose());
    clear_avx_upper();
    let star_norm = h_star.iter().map(|h| h * h).sum::<f64>().sqrt();
    let p2 = pre.ncols();
    let mean_square = (0..p2)
        .map(|j| {
            let col = pre.col_as_slice(j);
            let dot: f64 = col.iter().zip(h_star).map(|(u, h)| u.f64() * h).sum();
            let norm = col.iter().map(|u| u.f64() * u.f64()).sum::<f64>().sqrt();
            let cosine = dot / (norm * star_norm);
            cosine * cosine
        })
        .sum::<f64>()
        / p2 as f64;
    mean_square.sqrt()
}

/// One layer-wise training run on `n` fresh samples of a SIGHT target (W* on the first `d_eff`
/// axes) with its overlaps recorded every `every` steps of each phase and at each phase's
/// last step (and before the first step). Draw order: the `probes` probe inputs, the `n`
/// training points, the network, the training's minibatches.
///
/// # Errors
/// Why the training broke down (a non-finite loss, a failed readout); `every` = 0.
pub fn sight_overlap_trajectory<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    probes: usize,
    every: usize,
    rng: &mut Rng,
) -> Result<OverlapTrajectory, String> {
    if every == 0 {
        return Err("the recording interval is 0 steps".into());
    }
    let d_eff = target.d_eff;
    let probe = gaussian_rows(probes, cfg.d, rng);
    let h_star: Vec<f64> = (0..probes)
        .map(|i| {
            let z: Vec<f64> = (0..d_eff).map(|j| probe[(i, j)]).collect();
            target.index(&z)
        })
        .collect();
    let probe_t = Mat::<T>::from_fn(probes, cfg.d, |i, j| T::of(probe[(i, j)]));
    let x = gaussian_rows(n, cfg.d, rng);
    let y = sight_labels(target, &x);
    let mut net = ThreeLayerNet::<T>::init(cfg, rng);
    let (steps1, steps2) = (cfg.steps(cfg.max_iter1), cfg.steps(cfg.max_iter2));
    let mut trajectory =
        OverlapTrajectory { steps1, times: vec![], first_layer: vec![], second_layer: vec![] };
    net.train_observed(x.as_ref(), &y, rng, &mut |net, at| {
        let (last, offset) = if at.phase == 1 { (steps1, 0) } else { (steps2, steps1) };
        if at.step % every == 0 || at.step == last {
            trajectory.times.push(offset + at.step);
            trajectory.first_layer.push(net.overlap(d_eff));
            trajectory.second_layer.push(feature_overlap(net, probe_t.as_ref(), &h_star));
        }
    })?;
    Ok(trajectory)
}
