//! Claims `bfc3-correction-level1` and `bfc3-correction-level2` (measure `three-level-bias`,
//! issue 26 on three levels): the skip target with a third level, a learner with narrow levels
//! 1 and 2, the layer-wise and joint schedules of all three levels, the level-1 and level-2
//! feature errors (regression of the true $G_l$ on the learned level $l$, fresh inputs), the
//! prediction, the rival and the panel.
//!
//! Schedules, from a common level-1 phase of $T_1$ steps, on the same fresh batches (the
//! layer-wise copy runs on a clone of the stream): **A** (layer-wise) trains level 1 alone for
//! $2T_2$ steps, then level 2 on the frozen level 1 for $2T_2$ steps (level 3, trained next on
//! the frozen levels 1-2, cannot change $E_1$ or $E_2$, so that phase is not run); **B**
//! (joint) trains levels 1-2 for $T_2$ steps, then all three for $T_2$ steps. Each of levels 1
//! and 2 gets as many SGD steps in A as in B ($T_1 + 2T_2$ and $2T_2$), so a gap is not a
//! step count.

use super::feature_bias::relative_residual;
use super::panels::{pointwise_medians, PANEL_POINTS, PANEL_RUNS};
use super::{diverged, joint, level_one, ratio, ThreeLevelBiasParams};
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::rng::Rng;
use crate::sim::hierarchical::{HierarchicalTarget, LevelMaps, Phase, QuadNet};
use crate::theorem::{Observation, Panel};

use super::params::BfcLevelMaps;

/// Level 2 trained on the frozen level 1 (levels 1-2 present).
const FROZEN_LEVEL_ONE: Phase = Phase { levels: 2, first_trained: 2 };
/// All three levels trained.
const ALL_THREE: Phase = Phase { levels: 3, first_trained: 1 };

/// The target ($\alpha = 1, r, r^2$), the fresh network (with its level-2 skip and residual
/// clip) of one run, and $\eta$. The target is drawn first, then the network, then its skip.
pub(super) fn three_start(
    p: &ThreeLevelBiasParams,
    r: f64,
    rng: &mut Rng,
) -> Result<(HierarchicalTarget, QuadNet, f64), String> {
    let d = p.dim as usize;
    let maps = match p.level_maps {
        None | Some(BfcLevelMaps::Orthogonal) => LevelMaps::Orthogonal,
        Some(BfcLevelMaps::Gaussian) => LevelMaps::Gaussian,
    };
    let target =
        HierarchicalTarget::with_skip(d, p.features as usize, &[1.0, r, r * r], maps, p.skip, rng)
            .map_err(|e| e.to_string())?;
    let widths: Vec<usize> = p.widths.iter().map(|&m| m as usize).collect();
    let mut net = QuadNet::new(d, &widths, p.batch as usize, &p.init_scales, rng)
        .and_then(|n| n.with_level2_skip(p.init_scales[1], rng))
        .map_err(|e| e.to_string())?;
    if let Some(delta) = p.residual_clip {
        net = net.with_residual_clip(delta);
    }
    Ok((target, net, p.step / f64::from(p.dim)))
}

/// Runs both schedules from `net`'s state (after the common level-1 phase): `net` becomes
/// the joint network, the returned copy the layer-wise one. `each(step, net, layer_wise)` is
/// called after every step of either.
fn schedules(
    p: &ThreeLevelBiasParams,
    target: &HierarchicalTarget,
    net: &mut QuadNet,
    eta: f64,
    rng: &mut Rng,
    mut each: impl FnMut(usize, &QuadNet, bool),
) -> Result<QuadNet, String> {
    let t2 = p.schedule_steps as usize;
    let mut layerwise = net.clone();
    let mut rng_a = rng.clone();
    layerwise
        .train(target, level_one(), 2 * t2, eta, &mut rng_a, |s, n| each(s, n, true))
        .map_err(|e| diverged("layer-wise level-1 phase", &e))?;
    layerwise
        .train(target, FROZEN_LEVEL_ONE, 2 * t2, eta, &mut rng_a, |s, n| each(s, n, true))
        .map_err(|e| diverged("layer-wise level-2 phase", &e))?;
    net.train(target, joint(), t2, eta, rng, |s, n| each(s, n, false))
        .map_err(|e| diverged("joint phase of levels 1-2", &e))?;
    net.train(target, ALL_THREE, t2, eta, rng, |s, n| each(s, n, false))
        .map_err(|e| diverged("joint phase of all three levels", &e))?;
    Ok(layerwise)
}

/// One `three-level-bias` trial: $E_l^A/E_l^B$ for the judged level $l$, annotated with
/// $(E_l^B, E_l^A)$.
pub(super) fn three_level_bias(
    p: &ThreeLevelBiasParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let r = ratio(size);
    let (target, mut net, eta) = three_start(p, r, rng)?;
    let (x_test, _) = target.sample(p.test_points as usize, rng);
    net.train(&target, level_one(), p.level1_steps as usize, eta, rng, |_, _| {})
        .map_err(|e| diverged("level-1 phase", &e))?;
    let mut layerwise = schedules(p, &target, &mut net, eta, rng, |_, _, _| {})?;
    let level = p.judged_level as usize;
    let ea = relative_residual(&mut layerwise, &target, level, &x_test)?;
    let eb = relative_residual(&mut net, &target, level, &x_test)?;
    if !(ea > 0.0 && eb > 0.0 && ea.is_finite() && eb.is_finite()) {
        return Err(format!("feature errors E{level}_A = {ea}, E{level}_B = {eb}"));
    }
    Ok(Observation::annotated(Observation::Value(ea / eb), vec![eb, ea]))
}

/// The sceptic's law of a `three-level-bias` claim with its slope in $\ln r$.
pub(super) fn three_level_rivals(p: &ThreeLevelBiasParams) -> Vec<(RivalLaw, f64)> {
    let l = p.judged_level;
    vec![(
        RivalLaw {
            name: "floor-limited".into(),
            law: format!("E{l}_A/E{l}_B ~ r^1"),
            why: format!(
                "a sceptic for whom joint training removes the layer-wise level-{l} bias of \
                 order α{}/α{l} = r only down to an r-independent SGD floor, so the factor \
                 shrinks as r falls (the two-level bfc-correction grew with r over 0.1..0.3)",
                l + 1
            ),
        },
        1.0,
    )]
}

/// The prediction of a `three-level-bias` claim.
pub(super) fn three_level_prediction(p: &ThreeLevelBiasParams) -> Prediction {
    let l = p.judged_level;
    let upper = l + 1;
    Prediction {
        kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
        exponent: Exponent::AtMost(0.0),
        law: format!(
            "E{l}_A / E{l}_B ∝ r^a with a ≤ 0 (L = 3, α = 1, r, r²): the factor by which joint \
             training corrects level {l} grows (or stays) as r falls"
        ),
        rationale: format!(
            "the principle as issue 26 states it after Allen-Zhu & Li, at level {l} of three: \
             trained without level {upper}, a narrow level {l} absorbs the part of α{upper} T{upper} \
             it can represent, an error of first order in α{upper}/α{l} = r; joint training \
             removes that first order, so the ratio of the two errors does not shrink as r \
             falls (direction only; our target and learner)"
        ),
        size: "1000r".into(),
        observable: format!("E{l}_A/E{l}_B"),
    }
}

/// Each level's feature error over training under both schedules at one $r$: $E_1$ and $E_2$
/// layer-wise (level 2 appears when it trains on the frozen level 1, from $T_1 + 2T_2$) and
/// $E_1$, $E_2$, $E_3$ joint (level 2 from $T_1$, level 3 from $T_1 + T_2$), medians over
/// [`PANEL_RUNS`] runs on the claim's streams, read on 1000 fresh points every
/// $(T_1 + 4T_2)/$[`PANEL_POINTS`] steps. Level 3 is not trained in the layer-wise schedule
/// (its phase would come after both errors are final). Dots: the joint $E_1$ runs.
pub(super) fn three_level_panel(
    p: &ThreeLevelBiasParams,
    size: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let (t1, t2) = (p.level1_steps as usize, p.schedule_steps as usize);
    let r = ratio(size);
    let every = ((t1 + 4 * t2) / PANEL_POINTS).max(1);
    // [E1 A, E2 A, E1 B, E2 B, E3 B]
    let mut traj: [Vec<Vec<(f64, f64)>>; 5] = Default::default();
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        let (target, mut net, eta) = three_start(p, r, &mut rng)?;
        let (x_test, _) = target.sample(1000, &mut rng);
        let mut e: [Vec<(f64, f64)>; 5] = Default::default();
        let record = |step: usize, n: &QuadNet, levels: &[usize], out: &mut [Vec<(f64, f64)>]| {
            if step % every == 0 {
                for (&level, o) in levels.iter().zip(out.iter_mut()) {
                    if let Ok(err) = relative_residual(&mut n.clone(), &target, level, &x_test) {
                        o.push((step as f64, err));
                    }
                }
            }
        };
        let mut common = Vec::new();
        net.train(&target, level_one(), t1, eta, &mut rng, |s, n| {
            record(s, n, &[1], std::slice::from_mut(&mut common))
        })
        .map_err(|e| diverged("level-1 phase", &e))?;
        e[0].clone_from(&common);
        e[2] = common;
        let [e1a, e2a, e1b, e2b, e3b] = &mut e;
        let mut a = [std::mem::take(e1a), std::mem::take(e2a)];
        let mut b = [std::mem::take(e1b), std::mem::take(e2b), std::mem::take(e3b)];
        schedules(p, &target, &mut net, eta, &mut rng, |s, n, layer_wise| {
            if layer_wise {
                let levels: &[usize] = if s > t1 + 2 * t2 { &[1, 2] } else { &[1] };
                record(s, n, levels, &mut a);
            } else {
                let levels: &[usize] = if s > t1 + t2 { &[1, 2, 3] } else { &[1, 2] };
                record(s, n, levels, &mut b);
            }
        })?;
        let [a1, a2] = a;
        let [b1, b2, b3] = b;
        for (t, e) in traj.iter_mut().zip([a1, a2, b1, b2, b3]) {
            t.push(e);
        }
    }
    let [m1a, m2a, m1b, m2b, m3b] = traj.each_ref().map(|t| pointwise_medians(t));
    let end = |m: &[(f64, f64)]| m.last().map_or(f64::NAN, |&(_, e)| e);
    Ok(Panel {
        name: format!("r{size}"),
        title: format!(
            "three levels, r = {r} (dots: joint E1 runs); final medians: E1 layer-wise {:.3e}, joint {:.3e}; E2 layer-wise {:.3e}, joint {:.3e}; E3 joint {:.3e}",
            end(&m1a),
            end(&m1b),
            end(&m2a),
            end(&m2b),
            end(&m3b),
        ),
        x_label: "SGD step (schedules from T1; layer-wise: level 1 alone to T1 + 2T2, then level 2 on the frozen level 1; joint: levels 1-2, then all three from T1 + T2)".into(),
        y_label: "relative residual of the true G_l on the learned level l".into(),
        log_x: false,
        log_y: true,
        points: traj[2].iter().flatten().copied().collect(),
        medians: m1b,
        curves: vec![
            ("E1 layer-wise, median".into(), m1a),
            ("E2 layer-wise (level 2 on the frozen level 1), median".into(), m2a),
            ("E2 joint, median".into(), m2b),
            ("E3 joint, median".into(), m3b),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::super::{BackwardFeatureCorrection, BackwardFeatureCorrectionParams};
    use super::*;
    use crate::rng::rng_from_u64;
    use crate::theorem::{TypedTheorem, Validated};

    /// A small `three-level-bias` design (the card's learner at a small size).
    fn params(judged_level: u32) -> ThreeLevelBiasParams {
        ThreeLevelBiasParams {
            depth: 3,
            dim: 8,
            features: 3,
            widths: vec![3, 3, 6],
            init_scales: vec![0.1, 0.3, 0.3],
            step: 0.16,
            batch: 16,
            level1_steps: 60,
            schedule_steps: 60,
            skip: 1.0,
            level_maps: Some(BfcLevelMaps::Gaussian),
            residual_clip: Some(3.0),
            test_points: 400,
            judged_level,
        }
    }

    /// H14: a wide level 2, a judged level 3, a zero residual clip and a depth of 2 are named
    /// with their fields; the design passes; its trial is deterministic, annotated with both
    /// errors, and returns $E_l^A/E_l^B$; the rival is the pure power $r^1$.
    #[test]
    fn three_level_inputs_name_their_hypotheses_and_its_trial_is_deterministic() {
        let t = BackwardFeatureCorrection;
        let wrap = BackwardFeatureCorrectionParams::ThreeLevelBias;
        assert!(t.violations(&wrap(params(1)), &[100, 300]).is_empty());
        let bad = ThreeLevelBiasParams {
            widths: vec![3, 6, 6],
            judged_level: 3,
            residual_clip: Some(0.0),
            ..params(1)
        };
        let v = t.violations(&wrap(bad), &[100, 1000]);
        for field in ["params.widths", "params.judged_level", "params.residual_clip", "sizes"] {
            assert!(v.iter().any(|x| x.field == field), "{field} missing from {v:?}");
        }
        assert!(v.iter().any(|x| x.hypothesis.starts_with("(H14)")), "{v:?}");
        let shallow = ThreeLevelBiasParams {
            depth: 2,
            widths: vec![3, 3],
            init_scales: vec![0.1, 0.3],
            ..params(1)
        };
        assert!(t.violations(&wrap(shallow), &[100]).iter().any(|x| x.field == "params.depth"));
        let obs = |level| {
            let p = Validated::check(&t, wrap(params(level)), &[300]).unwrap();
            t.trial(&p, 300, &mut rng_from_u64(7))
        };
        for level in [1, 2] {
            let (a, b) = (obs(level), obs(level));
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
            let Observation::Annotated(ratio, aux) = a else { panic!("annotated: {a:?}") };
            let Observation::Value(ratio) = *ratio else { panic!("a value expected") };
            assert!((ratio - aux[1] / aux[0]).abs() < 1e-12 * ratio, "{ratio} vs {aux:?}");
        }
        let p = Validated::check(&t, wrap(params(2)), &[100, 300]).unwrap();
        let names: Vec<String> = t.rivals(&p).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["floor-limited"]);
        let c = t.rival_curve(&p, "floor-limited", &[100, 300]).unwrap();
        assert!((c[1] / c[0] - 3.0).abs() < 1e-12);
    }

    /// The panel draws $E_1$, $E_2$ under both schedules and $E_3$ joint: layer-wise $E_2$
    /// starts when level 2 trains on the frozen level 1 ($T_1 + 2T_2$), joint $E_3$ when level
    /// 3 appears ($T_1 + T_2$), and every error is finite and in $[0, 1]$.
    #[test]
    fn the_three_level_panel_draws_each_level_under_both_schedules() {
        let p = params(1);
        let stream = |i: u64| rng_from_u64(40 + i);
        let panel = three_level_panel(&p, 300, &stream).unwrap();
        let names: Vec<&str> = panel.curves.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names.len(), 4);
        assert!(names[1].starts_with("E2 layer-wise") && names[3].starts_with("E3 joint"));
        let (t1, t2) = (f64::from(p.level1_steps), f64::from(p.schedule_steps));
        assert!(panel.curves[1].1.first().unwrap().0 > t1 + 2.0 * t2);
        assert!(panel.curves[3].1.first().unwrap().0 > t1 + t2);
        assert!(panel.medians.last().unwrap().0 <= t1 + 2.0 * t2);
        assert!(panel
            .curves
            .iter()
            .all(|c| c.1.iter().all(|&(_, e)| e.is_finite() && (0.0..=1.0).contains(&e))));
    }
}
