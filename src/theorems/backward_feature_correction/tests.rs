//! Unit tests of the theorem `backward-feature-correction`.

use super::panels::{kernel_curve, pointwise_medians, three_learner_panel, ReferenceLevels};
use super::*;
use crate::rng::rng_from_u64;

/// A small `feature-gap` design at $L = 2$.
fn gap_params() -> FeatureGapParams {
    FeatureGapParams {
        depth: 2,
        dim: 8,
        features: 2,
        widths: vec![4, 4],
        init_scales: vec![0.1, 1.0],
        step: 0.16,
        batch: 16,
        level1_steps: 50,
        schedule_steps: 50,
        factor: 1.0,
        level_maps: None,
        level2_steps: None,
        judged_level: None,
        residual_clip: None,
    }
}

fn params() -> BackwardFeatureCorrectionParams {
    BackwardFeatureCorrectionParams::FeatureGap(gap_params())
}

/// A small depth-3 `feature-gap` design (H12).
fn depth3_gap(level: u32) -> FeatureGapParams {
    FeatureGapParams {
        depth: 3,
        widths: vec![4, 4, 4],
        init_scales: vec![0.1, 1.0, 0.3],
        level_maps: Some(BfcLevelMaps::Gaussian),
        level2_steps: Some(50),
        judged_level: Some(level),
        residual_clip: Some(3.0),
        ..gap_params()
    }
}

fn depth3_params(level: u32) -> BackwardFeatureCorrectionParams {
    BackwardFeatureCorrectionParams::FeatureGap(depth3_gap(level))
}

/// A small `samples` design at $L = 2$ with the learner of [`gap_params`].
fn samples_params() -> SamplesParams {
    let g = gap_params();
    SamplesParams {
        depth: g.depth,
        features: g.features,
        widths: g.widths,
        init_scales: g.init_scales,
        step: g.step,
        batch: g.batch,
        ratio: 0.3,
        error_level: 0.5,
        budget_per_d2: 2000.0,
        budget_floor: None,
        test_points: 200,
        level_maps: None,
        residual_clip: None,
        update_clip: None,
    }
}

#[test]
fn depth_three_feature_gap_judges_the_chosen_level_and_is_deterministic() {
    let v = |p: BackwardFeatureCorrectionParams| {
        Validated::check(&BackwardFeatureCorrection, p, &[100, 300, 500]).unwrap()
    };
    for level in [1, 2] {
        let p = v(depth3_params(level));
        let pred = BackwardFeatureCorrection.predict(&p);
        assert!(pred.law.starts_with(&format!("E{level}(layer-wise)")), "{}", pred.law);
        let run = || BackwardFeatureCorrection.trial(&p, 300, &mut rng_from_u64(5));
        let (a, b) = (run(), run());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert!(!matches!(a, Observation::Failed(_)), "{a:?}");
    }
}

#[test]
fn depth_three_needs_its_schedule_and_a_judged_level_of_one_or_two() {
    let h12 = |p: FeatureGapParams| {
        BackwardFeatureCorrection
            .violations(&BackwardFeatureCorrectionParams::FeatureGap(p), &[100, 300, 500])
            .iter()
            .any(|v| v.hypothesis.starts_with("(H12)"))
    };
    assert!(!h12(depth3_gap(2)));
    assert!(h12(FeatureGapParams { judged_level: Some(3), ..depth3_gap(1) }));
    assert!(h12(FeatureGapParams { level2_steps: None, ..depth3_gap(1) }));
    assert!(h12(FeatureGapParams { residual_clip: Some(0.0), ..depth3_gap(1) }));
    assert!(h12(FeatureGapParams { level2_steps: Some(5), ..gap_params() }));
    let samples_l3 = SamplesParams {
        depth: 3,
        widths: vec![4, 4, 4],
        init_scales: vec![0.1, 1.0, 0.3],
        level_maps: Some(BfcLevelMaps::Gaussian),
        residual_clip: Some(3.0),
        error_level: 1e-4,
        budget_per_d2: 10.0,
        ..samples_params()
    };
    let samples = |p: SamplesParams| BackwardFeatureCorrectionParams::Samples(p);
    assert!(BackwardFeatureCorrection
        .violations(&samples(samples_l3.clone()), &[8, 12, 16])
        .is_empty());
    let bad_clip = SamplesParams { residual_clip: Some(f64::NAN), ..samples_l3 };
    let v = BackwardFeatureCorrection.violations(&samples(bad_clip), &[8, 12, 16]);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].hypothesis.starts_with("(H12)") && v[0].field == "params.residual_clip", "{v:?}");
    let kernel_l3 = KernelPlateauParams { depth: 3, ..kernel_gap() };
    assert!(BackwardFeatureCorrection
        .violations(&BackwardFeatureCorrectionParams::KernelPlateau(kernel_l3), &[16, 18, 20])
        .iter()
        .any(|v| v.hypothesis.starts_with("(H1)")));
}

fn kernel_gap() -> KernelPlateauParams {
    KernelPlateauParams {
        depth: 2,
        features: 4,
        ratio: 0.3,
        budget_fraction: 0.5,
        kernel: BfcKernel::EvenExponential,
        relative_ridge: 1e-3,
        test_points: 2000,
        level_maps: None,
    }
}

fn kernel_params() -> BackwardFeatureCorrectionParams {
    BackwardFeatureCorrectionParams::KernelPlateau(kernel_gap())
}

#[test]
fn bad_inputs_name_their_hypotheses() {
    let t = BackwardFeatureCorrection;
    let p =
        FeatureGapParams { depth: 0, widths: vec![1], step: f64::NAN, factor: 0.5, ..gap_params() };
    let v = t.violations(&BackwardFeatureCorrectionParams::FeatureGap(p), &[0, 30, 1000]);
    let names: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
    for f in [
        "params.depth",
        "params.widths",
        "params.step",
        "params.init_scales",
        "sizes",
        "params.factor",
    ] {
        assert!(names.contains(&f), "{f} missing from {names:?}");
    }
    assert!(t.violations(&params(), &[30, 100, 300]).is_empty());
}

#[test]
fn the_samples_measure_reads_a_threshold_or_censors_at_the_budget() {
    let t = BackwardFeatureCorrection;
    let samples = |p: &SamplesParams| BackwardFeatureCorrectionParams::Samples(p.clone());
    let mut p = samples_params();
    let v = Validated::check(&t, samples(&p), &[8, 10, 12]).unwrap();
    let mut rng = crate::rng::rng_from_u64(2);
    match t.trial(&v, 8, &mut rng) {
        Observation::Value(n) => assert!(n > 0.0 && n <= 2000.0 * 64.0, "{n}"),
        o => panic!("expected a threshold, got {o:?}"),
    }
    // An unreachable level within one batch of budget: censored at the budget.
    p.error_level = 1e-9;
    p.budget_per_d2 = 0.25;
    let v = Validated::check(&t, samples(&p), &[8, 10, 12]).unwrap();
    assert_eq!(t.trial(&v, 8, &mut rng), Observation::Censored(16.0));
    // A budget floor above 0.25 d^2 = 16 samples: censored at the floor instead.
    p.budget_floor = Some(64.0);
    let v = Validated::check(&t, samples(&p), &[8, 10, 12]).unwrap();
    assert_eq!(t.trial(&v, 8, &mut rng), Observation::Censored(64.0));
    // A floor that is not a positive number violates H7.
    p.budget_floor = Some(f64::NAN);
    let fields: Vec<_> = t.violations(&samples(&p), &[8]).into_iter().map(|v| v.field).collect();
    assert_eq!(fields, ["params.budget_floor"]);
    // A ratio outside (0, 1) too, named with its value.
    p.budget_floor = None;
    p.ratio = 1.5;
    let v = t.violations(&samples(&p), &[8]);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].found, "r = 1.5");
}

/// The three-learner panel at d = 8 (k = 2, tiny budget): three curves besides the level,
/// and the kernel's nested n are powers of two up to B(8,4)/2 = 147, where the bound for
/// every rotation-invariant kernel holds (e4 ≤ the full degree-4 energy, the two-layer
/// floor).
#[test]
fn the_three_learner_panel_puts_a_two_layer_net_and_a_kernel_beside_the_deep_net() {
    let p = SamplesParams {
        error_level: 0.01,
        budget_per_d2: 20.0,
        test_points: 500,
        ..samples_params()
    };
    let stream = |i: u64| crate::rng::rng_from_u64(10 + i);
    let panel = three_learner_panel(&p, 8, &stream).unwrap();
    assert_eq!(panel.curves.len(), 4);
    assert!(panel.curves[1].0.starts_with("two-layer net (floor 0."), "{}", panel.curves[1].0);
    let kernel = &panel.curves[2].1;
    let ns: Vec<f64> = kernel.iter().map(|&(n, _)| n).collect();
    assert_eq!(ns, [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]);
    let ReferenceLevels { floor, e4 } =
        kernel_curve(&p, 8, &mut stream(0)).unwrap().levels.unwrap();
    assert!(0.0 < e4 && e4 <= floor && floor < 1.0, "e4 {e4}, floor {floor}");
    let last = kernel.last().unwrap().1;
    assert!(last.is_finite() && last >= e4 * (1.0 - 128.0 / 294.0) * 0.5, "{last}");
}

/// At L = 3 the target has no exact degree-4 part: the kernel is fitted on the same
/// three-level target, and neither the two-layer floor nor the kernel bound is drawn.
#[test]
fn the_depth_three_panel_draws_no_degree_four_bound() {
    let p = SamplesParams {
        depth: 3,
        widths: vec![4, 4, 4],
        init_scales: vec![0.1, 1.0, 0.3],
        level_maps: Some(BfcLevelMaps::Gaussian),
        residual_clip: Some(3.0),
        budget_per_d2: 20.0,
        test_points: 500,
        ..samples_params()
    };
    let stream = |i: u64| crate::rng::rng_from_u64(20 + i);
    let panel = three_learner_panel(&p, 8, &stream).unwrap();
    let names: Vec<&str> = panel.curves.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["τ = 0.5", "two-layer net", "kernel ridge (cosh kernel)"]);
    let run = kernel_curve(&p, 8, &mut stream(0)).unwrap();
    assert!(run.levels.is_none());
    assert!(run.curve.iter().all(|&(_, e)| e.is_finite()));
}

/// A run that stopped early enters the later medians with its last value.
#[test]
fn pointwise_medians_carry_a_stopped_run_forward() {
    let runs = vec![
        vec![(1.0, 4.0), (2.0, 1.0)],
        vec![(1.0, 5.0), (2.0, 3.0), (4.0, 2.0)],
        vec![(1.0, 6.0), (2.0, 0.5), (4.0, 0.2)],
    ];
    assert_eq!(pointwise_medians(&runs), [(1.0, 5.0), (2.0, 1.0), (4.0, 1.0)]);
    assert!(pointwise_medians(&[]).is_empty());
}

#[test]
fn a_diverging_step_is_a_failed_observation_with_its_step() {
    let t = BackwardFeatureCorrection;
    let p = FeatureGapParams { step: 10.0, init_scales: vec![3.0, 3.0], ..gap_params() };
    let v = Validated::check(&t, BackwardFeatureCorrectionParams::FeatureGap(p), &[100, 200, 300])
        .unwrap();
    let mut rng = crate::rng::rng_from_u64(1);
    match t.trial(&v, 300, &mut rng) {
        Observation::Failed(why) => {
            assert!(why.contains("diverged") && why.contains("step"), "{why}")
        }
        o => panic!("expected a divergence, got {o:?}"),
    }
}

// --- Claim `kernel-gap` (appended). ---

#[test]
fn kernel_plateau_inputs_name_their_hypotheses() {
    let t = BackwardFeatureCorrection;
    assert!(t.violations(&kernel_params(), &[8, 12, 16]).is_empty());
    let p = KernelPlateauParams {
        budget_fraction: 1.0,
        ratio: 0.0,
        relative_ridge: -1.0,
        test_points: 100,
        ..kernel_gap()
    };
    let v = t.violations(&BackwardFeatureCorrectionParams::KernelPlateau(p), &[4, 8]);
    let names: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
    for f in [
        "sizes",
        "params.budget_fraction",
        "params.ratio",
        "params.test_points",
        "params.relative_ridge",
    ] {
        assert!(names.contains(&f), "{f} missing from {names:?}");
    }
    // The cap on n: c = 0.9 at d = 20 asks for 7780 points (fine), at d = 24 for 16497.
    let p = BackwardFeatureCorrectionParams::KernelPlateau(KernelPlateauParams {
        budget_fraction: 0.9,
        ..kernel_gap()
    });
    assert!(t.violations(&p, &[20]).is_empty());
    let v = t.violations(&p, &[20, 24]);
    assert!(v.iter().any(|v| v.hypothesis.contains("(H8)") && v.found.contains("d = 24")), "{v:?}");
}

/// At d = 8 (n = 147 of B(8,4) = 294) the even kernel's margin over the bound is
/// positive in each of 3 trials: its expected excess is ~0.7 e4, ~1% of Var f*, against a
/// test-error noise of ~0.05% on 2000 points.
#[test]
fn kernel_plateau_margins_are_positive_at_small_d() {
    let t = BackwardFeatureCorrection;
    let v = Validated::check(&t, kernel_params(), &[8, 10, 12]).unwrap();
    let mut rng = crate::rng::rng_from_u64(4);
    for _ in 0..3 {
        match t.trial(&v, 8, &mut rng) {
            Observation::Value(m) => assert!(m > 0.0 && m < 10.0, "{m}"),
            o => panic!("expected a margin, got {o:?}"),
        }
    }
}

/// Pre-registration of deep-learns-poly's rival (no simulation data): the rivals are pure
/// powers, so their exponents over any sweep are 3 and 4, 1.0 and 2.0 above the bound 2
/// (> 2 × 0.15); the lower-bound designs propose none.
#[test]
fn deep_learns_poly_rivals_are_pure_powers_and_lower_bounds_have_none() {
    let t = BackwardFeatureCorrection;
    let sizes = [16, 23, 32, 45, 64, 91, 128, 181];
    let p =
        Validated::check(&t, BackwardFeatureCorrectionParams::Samples(samples_params()), &sizes)
            .unwrap();
    let names: Vec<String> = t.rivals(&p).into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["information-exponent-4", "kernel"]);
    let c = t.rival_curve(&p, "information-exponent-4", &sizes).unwrap();
    assert!((c[7] / c[0] - (181f64 / 16.0).powi(3)).abs() < 1e-6 * c[7] / c[0]);
    let c = t.rival_curve(&p, "kernel", &sizes).unwrap();
    assert!((c[7] / c[0] - (181f64 / 16.0).powi(4)).abs() < 1e-6 * c[7] / c[0]);
    assert!(t.rival_curve(&p, "no-such", &sizes).is_err());
    let k = Validated::check(&t, kernel_params(), &[8, 10]).unwrap();
    assert!(t.rivals(&k).is_empty());
}

/// A small `feature-bias` design (the card's learner at a small size).
fn bias_params(judged: BfcJudged) -> FeatureBiasParams {
    FeatureBiasParams {
        depth: 2,
        dim: 8,
        features: 3,
        widths: vec![3, 6],
        init_scales: vec![0.1, 0.3],
        step: 0.16,
        batch: 16,
        level1_steps: 100,
        schedule_steps: 100,
        skip: 1.0,
        level_maps: Some(BfcLevelMaps::Gaussian),
        test_points: 500,
        judged,
    }
}

/// H13: a level 1 wider than $k$, a skip weight that is not in $(0, 10]$ and too few test
/// points are named with their fields; the design itself passes, and its trial is
/// deterministic, annotated with both errors, and the ratio is $E_1^A/E_1^B$.
#[test]
fn feature_bias_inputs_name_their_hypotheses_and_its_trial_is_deterministic() {
    let t = BackwardFeatureCorrection;
    let wrap = BackwardFeatureCorrectionParams::FeatureBias;
    assert!(t.violations(&wrap(bias_params(BfcJudged::LayerWise)), &[10, 300]).is_empty());
    let bad = FeatureBiasParams {
        widths: vec![4, 6],
        skip: 0.0,
        test_points: 40,
        ..bias_params(BfcJudged::LayerWise)
    };
    let v = t.violations(&wrap(bad), &[10, 1000]);
    for field in ["params.widths", "params.skip", "params.test_points", "sizes"] {
        assert!(v.iter().any(|x| x.field == field), "{field} missing from {v:?}");
    }
    assert!(v.iter().any(|x| x.hypothesis.starts_with("(H13)")), "{v:?}");
    let deep = FeatureBiasParams {
        depth: 3,
        widths: vec![3, 6, 6],
        init_scales: vec![0.1, 0.3, 0.3],
        ..bias_params(BfcJudged::LayerWise)
    };
    assert!(t.violations(&wrap(deep), &[10]).iter().any(|x| x.field == "params.depth"));
    let obs = |judged| {
        let p = Validated::check(&t, wrap(bias_params(judged)), &[300]).unwrap();
        t.trial(&p, 300, &mut rng_from_u64(7))
    };
    let (a, b) = (obs(BfcJudged::LayerWise), obs(BfcJudged::LayerWise));
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let (Observation::Annotated(ea, aux), Observation::Annotated(ratio, _)) =
        (a, obs(BfcJudged::Correction))
    else {
        panic!("annotated observations expected")
    };
    let (Observation::Value(ea), Observation::Value(ratio)) = (*ea, *ratio) else {
        panic!("values expected")
    };
    assert_eq!(ea, aux[1]);
    assert!((ratio - aux[1] / aux[0]).abs() < 1e-12 * ratio, "{ratio} vs {aux:?}");
}

/// The module's mechanism for `bfc-bias` (pre-registered, no simulation of the learner): on
/// the card's target ($k = 4$, $\kappa = 1$, Gaussian maps) the population layer-wise error
/// of the eigenframe of $M_1 + rB$ vanishes at $r = 0$ and its median over 32 draws has
/// log-log slope $1 \pm 0.05$ over the quick sizes $r = 0.01 .. 0.3$; the rivals are pure
/// powers $r^0$, $r^2$ (layer-wise) and $r^1$ (correction).
#[test]
fn the_population_bias_is_linear_in_r_and_the_rivals_are_pure_powers() {
    let rs = [0.01, 0.03, 0.1, 0.3];
    let mut per_r = vec![Vec::new(); rs.len()];
    for draw in 0..32 {
        let mut rng = rng_from_u64(100 + draw);
        let target = crate::sim::hierarchical::HierarchicalTarget::with_skip(
            16,
            4,
            &[1.0, 0.1],
            crate::sim::hierarchical::LevelMaps::Gaussian,
            1.0,
            &mut rng,
        )
        .unwrap();
        assert!(feature_bias::population_bias(&target, 0.0).unwrap() < 1e-6);
        for (i, &r) in rs.iter().enumerate() {
            per_r[i].push(feature_bias::population_bias(&target, r).unwrap());
        }
    }
    let xs: Vec<f64> = rs.iter().map(|r: &f64| r.ln()).collect();
    let ys: Vec<f64> = per_r.iter().map(|v| crate::stats::median(v).ln()).collect();
    let (mx, my) = (xs.iter().sum::<f64>() / 4.0, ys.iter().sum::<f64>() / 4.0);
    let slope = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>()
        / xs.iter().map(|x| (x - mx).powi(2)).sum::<f64>();
    assert!((slope - 1.0).abs() < 0.05, "population slope {slope}");
    let t = BackwardFeatureCorrection;
    let sizes = [10, 30, 100, 300];
    for (judged, expect) in [
        (BfcJudged::LayerWise, vec![("r-independent", 0.0), ("quadratic", 2.0)]),
        (BfcJudged::Correction, vec![("floor-limited", 1.0)]),
    ] {
        let p = Validated::check(
            &t,
            BackwardFeatureCorrectionParams::FeatureBias(bias_params(judged)),
            &sizes,
        )
        .unwrap();
        let names: Vec<String> = t.rivals(&p).into_iter().map(|r| r.name).collect();
        assert_eq!(names, expect.iter().map(|e| e.0).collect::<Vec<_>>());
        for (name, power) in expect {
            let c = t.rival_curve(&p, name, &sizes).unwrap();
            assert!((c[3] / c[0] - 30f64.powf(power)).abs() < 1e-9 * c[3] / c[0]);
        }
    }
}

/// The `feature-bias` panel draws each level under both schedules: $E_1$ joint as the
/// medians (and points), $E_1$ and $E_2$ layer-wise, $E_2$ joint and the population line;
/// layer-wise $E_2$ starts when level 2 appears ($T_1 + T_2$) and the joint run's last point
/// is its last checkpoint before $T_1 + 2T_2$.
#[test]
fn the_feature_bias_panel_draws_each_level_under_both_schedules() {
    use super::panels::bias_panel;
    let p = bias_params(BfcJudged::Correction);
    let stream = |i: u64| crate::rng::rng_from_u64(30 + i);
    let panel = bias_panel(&p, 300, &stream).unwrap();
    let names: Vec<&str> = panel.curves.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names.len(), 4);
    assert!(names[1].starts_with("E2 layer-wise") && names[2].starts_with("E2 joint"));
    let end = (p.level1_steps + 2 * p.schedule_steps) as f64;
    let every = (end / 40.0).floor();
    let last = panel.medians.last().unwrap().0;
    assert!(last <= end && end - last < every, "last point at step {last} of {end}");
    let e2a = &panel.curves[1].1;
    assert!(e2a.first().unwrap().0 > f64::from(p.level1_steps + p.schedule_steps));
    assert!(panel.curves.iter().all(|c| c.1.iter().all(|&(_, e)| e.is_finite() && e >= 0.0)));
}

/// The kernel's step from depth L - 1 to L is the ratio of the harmonic dimensions of the top
/// degrees, in powers of d: B(32,2) = 527, B(32,4) = 51 832, B(32,8) = 59 198 964.
#[test]
fn the_kernel_step_is_the_ratio_of_the_top_degrees_dimensions() {
    use super::depth_step::kernel_step;
    let ln32 = 32f64.ln();
    assert!((kernel_step(32, 2).unwrap() - (51_832.0f64 / 527.0).ln() / ln32).abs() < 1e-12);
    assert!((kernel_step(32, 3).unwrap() - (59_198_964.0f64 / 51_832.0).ln() / ln32).abs() < 1e-12);
    // The step grows with d towards 2^(L-1): the kernel pays d^(2^(L-1)) for a level.
    assert!(kernel_step(16, 3).unwrap() < kernel_step(64, 3).unwrap());
    assert!(kernel_step(64, 3).unwrap() < 4.0);
}

/// A depth-step trial runs the same learner one level shorter: the first L - 1 widths and
/// initial scales, everything else unchanged.
#[test]
fn the_lower_depth_of_a_step_keeps_the_learner() {
    use super::depth_step::at_depth;
    let p = SamplesParams {
        depth: 3,
        widths: vec![4, 5, 6],
        init_scales: vec![0.1, 1.0, 0.3],
        ..samples_params()
    };
    let lower = at_depth(&p, 2);
    assert_eq!((lower.depth, lower.widths.clone()), (2, vec![4, 5]));
    assert_eq!(lower.init_scales, p.init_scales[..2]);
    assert_eq!((lower.step, lower.error_level, lower.ratio), (p.step, p.error_level, p.ratio));
}

/// H15: the step's upper depth is 2, 3 or 4, and the violation names `params.depth`.
#[test]
fn a_depth_step_outside_two_to_four_names_the_depth() {
    let p = samples_params();
    for depth in [1, 5] {
        let levels = depth as usize;
        let q = SamplesParams {
            depth,
            widths: vec![16; levels],
            init_scales: vec![0.3; levels],
            ..p.clone()
        };
        let v = hypotheses::violations(&BackwardFeatureCorrectionParams::DepthStep(q), &[16, 32, 64]);
        assert!(v.iter().any(|v| v.field == "params.depth" && v.hypothesis.contains("(H15)")), "{v:?}");
    }
    // A dimension below 2 has no harmonic dimensions: named under `sizes`, not the depth.
    let q = SamplesParams { features: 1, ..p.clone() };
    let v = hypotheses::violations(&BackwardFeatureCorrectionParams::DepthStep(q), &[1, 16, 32]);
    assert!(v.iter().any(|v| v.field == "sizes" && v.hypothesis.contains("(H15)")), "{v:?}");
    assert!(!v.iter().any(|v| v.field == "params.depth"), "{v:?}");
}

/// A depth-step trial measures both depths on its own stream and returns the margin with the
/// two sample counts: the kernel's step minus log_d n*(L)/n*(L-1).
#[test]
fn a_depth_step_trial_returns_the_margin_with_both_sample_counts() {
    use super::depth_step::{depth_step_margin, kernel_step};
    let p = samples_params();
    let run = |seed| depth_step_margin(&p, 8, &mut rng_from_u64(seed)).unwrap();
    let (judged, counts) = run(5).split_annotation();
    let Observation::Value(margin) = judged else { panic!("{judged:?}") };
    assert_eq!(counts.len(), 2);
    let network = (counts[1] / counts[0]).ln() / 8f64.ln();
    assert!((margin - (kernel_step(8, 2).unwrap() - network)).abs() < 1e-12);
    assert_eq!(run(5), run(5), "same stream, same bits");
}
