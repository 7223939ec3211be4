//! The figure panels: $E_1$ over training for both schedules (`feature-gap`) and the deep net
//! beside a two-layer net and a kernel on the same targets (`samples`).

use super::kernel_plateau::fit_krr;
use super::samples::{learning_curve, learning_curve_levels};
use super::feature_bias::{bias_start, population_bias, relative_residual};
use super::{
    diverged, draw_target, joint, level_one, ratio, start, BfcKernel, FeatureBiasParams,
    FeatureGapParams, SamplesParams, Start,
};
use crate::rng::Rng;
use crate::sim::hierarchical::{feature_error, Phase, QuadNet};
use crate::special::harmonics::harmonic_dimension_f64;
use crate::stats;
use crate::theorem::Panel;

/// The relative test error against the sample count at one $d$, for three learners on the
/// same targets (run `i` of each learner draws its target from stream `i`, so the three see
/// the same draws): the deep learner (points and medians, fresh samples), the two-layer
/// baseline (the same quadratic network with its first level only, same SGD, fresh samples;
/// its best possible error is the degree-4 Hermite energy $4!\lVert A\rVert^2$ of $f^*$, since
/// it represents only quadratics), and kernel ridge regression with `kernel-gap`'s kernel and
/// ridge ($\cosh(\langle x, y\rangle/d)$, ridge $10^{-3}$ of the mean diagonal) on nested
/// training sets of $n \le$ [`PANEL_KERNEL_MAX`] samples, beside the bound $e_4(1 - n/B(d,4))$
/// that holds for every rotation-invariant kernel (depth 2; at $L = 3$ the target has no
/// exact degree-4 part and the bound and the two-layer floor are not drawn). Medians over
/// [`PANEL_RUNS`] runs.
///
/// Cost: a deep run stops at the first grid point at or below $\tau$ times
/// [`PANEL_BELOW_TAU`], and the two-layer run on the same stream stops at the same $n$ (the
/// whole budget, ~10 times $n^*$, would take hours at $L = 3$); a run that has stopped enters
/// the later medians with its last error carried forward, an upper estimate of its error.
pub(super) fn three_learner_panel(
    p: &SamplesParams,
    size: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let d = size as u32;
    let tau = p.error_level;
    let (mut deep, mut shallow, mut kernel) = (Vec::new(), Vec::new(), Vec::new());
    let (mut floors, mut e4s) = (Vec::new(), Vec::new());
    for run in 0..PANEL_RUNS {
        let (grid, errors) = learning_curve(p, d, &mut stream(run), Some(tau * PANEL_BELOW_TAU))?;
        let n_run = grid.last().copied().unwrap_or(1.0);
        deep.push(grid.into_iter().zip(errors).collect::<Vec<_>>());
        let (grid, errors) = learning_curve_levels(p, d, &mut stream(run), None, 1, n_run)
            .map_err(|e| format!("two-layer baseline: {e}"))?;
        shallow.push(grid.into_iter().zip(errors).collect::<Vec<_>>());
        let run = kernel_curve(p, d, &mut stream(run))?;
        kernel.push(run.curve);
        if let Some(levels) = run.levels {
            floors.push(levels.floor);
            e4s.push(levels.e4);
        }
    }
    let n_max = deep.iter().map(|c| c.last().map_or(1.0, |&(n, _)| n)).fold(1.0, f64::max);
    let b4 = harmonic_dimension_f64(size, 4).map_err(|e| e.to_string())?;
    let bound: Option<Vec<(f64, f64)>> = (!e4s.is_empty()).then(|| {
        let e4 = stats::median(&e4s);
        (0..=64)
            .map(|i| n_max.min(0.99 * b4).powf(f64::from(i) / 64.0))
            .map(|n| (n, e4 * (1.0 - n / b4)))
            .collect()
    });
    let two_layer = if floors.is_empty() {
        "two-layer net".to_string()
    } else {
        format!("two-layer net (floor {:.3})", stats::median(&floors))
    };
    let mut curves = vec![
        (format!("τ = {tau}"), vec![(1.0, tau), (n_max, tau)]),
        (two_layer, pointwise_medians(&shallow)),
        ("kernel ridge (cosh kernel)".into(), pointwise_medians(&kernel)),
    ];
    curves.extend(bound.map(|b| ("kernel bound e4(1 - n/B(d,4))".to_string(), b)));
    Ok(Panel {
        name: format!("d{size}"),
        title: format!("d = {size}: deep net (dots) vs two-layer net and kernel, same targets"),
        x_label: "samples n".into(),
        y_label: "E(f - f*)^2 / E f*^2".into(),
        log_x: true,
        log_y: true,
        points: deep.iter().flatten().copied().collect(),
        medians: pointwise_medians(&deep),
        curves,
    })
}

/// The panel's deep runs stop at $\tau/2$: the crossing of $\tau$ and a little of the curve
/// below it.
const PANEL_BELOW_TAU: f64 = 0.5;

/// Largest training set of the panel's kernel curve (a Cholesky factor of this order takes
/// about 0.5 s).
const PANEL_KERNEL_MAX: usize = 4096;

/// One run of the panel's kernel learner, with its target's reference levels.
pub(super) struct KernelRun {
    /// The relative test error at nested $n = 2^j$ up to $\min$([`PANEL_KERNEL_MAX`],
    /// $B(d,4)/2$).
    pub(super) curve: Vec<(f64, f64)>,
    /// The depth-2 target's exact levels; `None` at depth 3, whose degree-4 part is not exact.
    pub(super) levels: Option<ReferenceLevels>,
}

/// A depth-2 target's levels, relative to $E f^{*2}$.
pub(super) struct ReferenceLevels {
    /// The two-layer floor $4!\lVert A\rVert^2/E f^{*2}$.
    pub(super) floor: f64,
    /// The kernel bound's scale $e_4/E f^{*2}$.
    pub(super) e4: f64,
}

/// One run of the panel's kernel learner ([`KernelRun`]).
pub(super) fn kernel_curve(p: &SamplesParams, d: u32, rng: &mut Rng) -> Result<KernelRun, String> {
    let target = draw_target(p.learner().shape, d, p.ratio, rng)?;
    let levels = match (target.quartic_tensor(), target.harmonic_energy(), target.variance()) {
        (Some(a), Some(e), Some(v)) => Some(ReferenceLevels {
            floor: 24.0 * a.iter().map(|t| t * t).sum::<f64>() / v,
            e4: e / v,
        }),
        _ => None,
    };
    let b4 = harmonic_dimension_f64(u64::from(d), 4).map_err(|e| e.to_string())?;
    let n_max = PANEL_KERNEL_MAX.min((b4 / 2.0) as usize).max(2);
    let (xt, yt) = target.sample(p.test_points as usize, rng);
    let norm = yt.iter().map(|v| v * v).sum::<f64>() / yt.len() as f64;
    let (x, y) = target.sample(n_max, rng);
    let (krr, k_test) = fit_krr(BfcKernel::EvenExponential, 1e-3, &x, &xt)?;
    let mut curve = Vec::new();
    let mut n = 2usize;
    while n <= n_max {
        let f_hat = krr.predict(n, k_test.as_ref(), &y[..n]).map_err(|e| e.to_string())?;
        let err =
            f_hat.iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>() / yt.len() as f64;
        curve.push((n as f64, err / norm));
        n *= 2;
    }
    Ok(KernelRun { curve, levels })
}

/// Medians across runs at each grid point. The runs share one grid (a prefix of it each); a
/// run shorter than the longest enters the later points with its last value.
pub(super) fn pointwise_medians(traj: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    let Some(longest) = traj.iter().max_by_key(|t| t.len()) else { return Vec::new() };
    let carried = |t: &Vec<(f64, f64)>, i: usize| t.get(i).or(t.last()).map(|&(_, v)| v);
    longest
        .iter()
        .enumerate()
        .map(|(i, &(n, _))| {
            let vals: Vec<f64> = traj.iter().filter_map(|t| carried(t, i)).collect();
            (n, stats::median(&vals))
        })
        .collect()
}

/// Runs behind the panel at each size.
pub(super) const PANEL_RUNS: u64 = 5;
/// Points per trajectory.
pub(super) const PANEL_POINTS: usize = 40;

/// $E_1$ over SGD steps for both schedules (medians over [`PANEL_RUNS`] runs).
pub(super) fn feature_panel(
    p: &FeatureGapParams,
    size: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let k = p.features as usize;
    let t1 = p.level1_steps as usize;
    let t2 = p.schedule_steps as usize;
    let (d, r) = (p.dim, ratio(size));
    let every = ((t1 + t2) / PANEL_POINTS).max(1);
    let mut traj_a: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut traj_b: Vec<Vec<(f64, f64)>> = Vec::new();
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        let Start { target, mut net, eta } = start(p.learner(), d, r, &mut rng)?;
        let mut common = Vec::new();
        let record = |step: usize, n: &QuadNet, out: &mut Vec<(f64, f64)>| {
            if step % every == 0 {
                if let Ok(e) = feature_error(n.first_layer(), k) {
                    out.push((step as f64, e));
                }
            }
        };
        net.train(&target, level_one(), t1, eta, &mut rng, |s, n| record(s, n, &mut common))
            .map_err(|e| diverged("level-1 phase", &e))?;
        let mut a = common.clone();
        let mut b = common;
        let mut layerwise = net.clone();
        let mut rng_a = rng.clone();
        layerwise
            .train(&target, level_one(), t2, eta, &mut rng_a, |s, n| record(s, n, &mut a))
            .map_err(|e| diverged("layer-wise schedule", &e))?;
        net.train(&target, joint(), t2, eta, &mut rng, |s, n| record(s, n, &mut b))
            .map_err(|e| diverged("joint schedule", &e))?;
        traj_a.push(a);
        traj_b.push(b);
    }
    let (ma, mb) = (pointwise_medians(&traj_a), pointwise_medians(&traj_b));
    let end = |m: &[(f64, f64)]| m.last().map_or(f64::NAN, |&(_, e)| e);
    Ok(Panel {
        name: format!("r{size}"),
        title: format!(
            "level-1 feature error, r = {} (dots: joint runs): final median E1 layer-wise {:.3e}, joint {:.3e}",
            r,
            end(&ma),
            end(&mb)
        ),
        x_label: "SGD step (joint schedule from step T1)".into(),
        y_label: "E1 = ||P_U - P_W1*||_F^2 / k".into(),
        log_x: false,
        log_y: true,
        points: traj_b.iter().flatten().copied().collect(),
        medians: mb,
        curves: vec![("layer-wise (level 1 alone), median".into(), ma)],
    })
}

/// `feature-bias`: each level's feature error (relative residual norm on fresh inputs) over
/// training under both schedules at one $r$, each carried through to the end of a layer-wise
/// pipeline: schedule A trains level 1 alone for $T_2$ steps and then, level 1 frozen, level 2
/// (with its skip and the readouts) for $T_2$ more; schedule B trains both levels for the
/// same $2T_2$ steps on the same batches. Drawn: $E_1$ joint (points and medians), $E_1$
/// layer-wise, $E_2$ joint and $E_2$ layer-wise (the latter from step $T_1 + T_2$, when level 2
/// appears), all medians over [`PANEL_RUNS`] runs on the claim's own streams, and the
/// population value of $E_1$ under layer-wise training if level 1 ends in the eigenframe of
/// $M_1 + rB$ (the prediction's mechanism; median over the runs' targets, a horizontal line).
/// The errors are read on 1000 fresh points every $(T_1 + 2T_2)/$[`PANEL_POINTS`] steps. The
/// claim's trials stop at $T_1 + T_2$: the second half is the panel's only.
pub(super) fn bias_panel(
    p: &FeatureBiasParams,
    size: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let (t1, t2) = (p.level1_steps as usize, p.schedule_steps as usize);
    let r = ratio(size);
    let every = ((t1 + 2 * t2) / PANEL_POINTS).max(1);
    let mut traj: [Vec<Vec<(f64, f64)>>; 4] = Default::default();
    let mut population = Vec::new();
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        let (target, mut net, eta) = bias_start(p, r, &mut rng)?;
        let (x_test, _) = target.sample(1000, &mut rng);
        population.push(population_bias(&target, r)?);
        let record = |step: usize, n: &QuadNet, level: usize, out: &mut Vec<(f64, f64)>| {
            if step % every == 0 {
                if let Ok(e) = relative_residual(&mut n.clone(), &target, level, &x_test) {
                    out.push((step as f64, e));
                }
            }
        };
        let mut common = Vec::new();
        net.train(&target, level_one(), t1, eta, &mut rng, |s, n| record(s, n, 1, &mut common))
            .map_err(|e| diverged("level-1 phase", &e))?;
        // [E1 layer-wise, E2 layer-wise, E1 joint, E2 joint]
        let mut e: [Vec<(f64, f64)>; 4] = [common.clone(), Vec::new(), common, Vec::new()];
        let mut layerwise = net.clone();
        let mut rng_a = rng.clone();
        let [e1a, e2a, e1b, e2b] = &mut e;
        layerwise
            .train(&target, level_one(), t2, eta, &mut rng_a, |s, n| record(s, n, 1, e1a))
            .map_err(|e| diverged("layer-wise schedule", &e))?;
        let frozen = Phase { levels: 2, first_trained: 2 };
        layerwise
            .train(&target, frozen, t2, eta, &mut rng_a, |s, n| {
                record(s, n, 1, e1a);
                record(s, n, 2, e2a);
            })
            .map_err(|e| diverged("layer-wise level-2 phase", &e))?;
        net.train(&target, joint(), 2 * t2, eta, &mut rng, |s, n| {
            record(s, n, 1, e1b);
            record(s, n, 2, e2b);
        })
        .map_err(|e| diverged("joint schedule", &e))?;
        for (t, e) in traj.iter_mut().zip(e) {
            t.push(e);
        }
    }
    let [m1a, m2a, m1b, m2b] = traj.each_ref().map(|t| pointwise_medians(t));
    let end = |m: &[(f64, f64)]| m.last().map_or(f64::NAN, |&(_, e)| e);
    let pop = stats::median(&population);
    let line = vec![(0.0, pop), ((t1 + 2 * t2) as f64, pop)];
    Ok(Panel {
        name: format!("r{size}"),
        title: format!(
            "feature errors, r = {r} (dots: joint E1 runs); final medians: E1 layer-wise {:.3e}, joint {:.3e}; E2 layer-wise {:.3e}, joint {:.3e}; population E1 layer-wise {:.3e}",
            end(&m1a),
            end(&m1b),
            end(&m2a),
            end(&m2b),
            pop
        ),
        x_label: "SGD step (schedules from T1; layer-wise trains level 2 on the frozen level 1 from T1 + T2)".into(),
        y_label: "relative residual of the true G_l on the learned level l".into(),
        log_x: false,
        log_y: true,
        points: traj[2].iter().flatten().copied().collect(),
        medians: m1b,
        curves: vec![
            ("E1 layer-wise, median".into(), m1a),
            ("E2 layer-wise (level 2 on the frozen level 1), median".into(), m2a),
            ("E2 joint, median".into(), m2b),
            ("E1 layer-wise, population (eigenframe of M1 + rB)".into(), line),
        ],
    })
}
