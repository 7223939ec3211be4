//! Unit tests of the theorem `backward-feature-correction`.

use super::panels::{kernel_curve, pointwise_medians, three_learner_panel, ReferenceLevels};
use super::*;
use crate::rng::rng_from_u64;

fn params() -> BackwardFeatureCorrectionParams {
    BackwardFeatureCorrectionParams {
        measure: BfcMeasure::FeatureGap,
        depth: 2,
        dim: Some(8),
        features: 2,
        widths: vec![4, 4],
        init_scales: vec![0.1, 1.0],
        step: 0.16,
        batch: 16,
        level1_steps: Some(50),
        schedule_steps: Some(50),
        factor: Some(1.0),
        ratio: None,
        error_level: None,
        budget_per_d2: None,
        budget_floor: None,
        test_points: None,
        budget_fraction: None,
        kernel: None,
        relative_ridge: None,
        level_maps: None,
        level2_steps: None,
        judged_level: None,
        residual_clip: None,
    }
}

/// A small depth-3 `feature-gap` design (H12).
fn depth3_params(level: u32) -> BackwardFeatureCorrectionParams {
    BackwardFeatureCorrectionParams {
        depth: 3,
        widths: vec![4, 4, 4],
        init_scales: vec![0.1, 1.0, 0.3],
        level_maps: Some(BfcLevelMaps::Gaussian),
        level2_steps: Some(50),
        judged_level: Some(level),
        residual_clip: Some(3.0),
        ..params()
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
    let h12 = |p: BackwardFeatureCorrectionParams| {
        BackwardFeatureCorrection
            .violations(&p, &[100, 300, 500])
            .iter()
            .any(|v| v.hypothesis.starts_with("(H12)"))
    };
    assert!(!h12(depth3_params(2)));
    assert!(h12(BackwardFeatureCorrectionParams { judged_level: Some(3), ..depth3_params(1) }));
    assert!(h12(BackwardFeatureCorrectionParams { level2_steps: None, ..depth3_params(1) }));
    assert!(h12(BackwardFeatureCorrectionParams { residual_clip: Some(0.0), ..depth3_params(1) }));
    assert!(h12(BackwardFeatureCorrectionParams { level2_steps: Some(5), ..params() }));
    let samples_l3 = BackwardFeatureCorrectionParams {
        measure: BfcMeasure::Samples,
        level2_steps: None,
        judged_level: None,
        dim: None,
        ratio: Some(0.3),
        error_level: Some(1e-4),
        budget_per_d2: Some(10.0),
        test_points: Some(200),
        factor: None,
        level1_steps: None,
        schedule_steps: None,
        ..depth3_params(1)
    };
    assert!(BackwardFeatureCorrection.violations(&samples_l3, &[8, 12, 16]).is_empty());
    let kernel_l3 = BackwardFeatureCorrectionParams { depth: 3, ..kernel_params() };
    assert!(BackwardFeatureCorrection
        .violations(&kernel_l3, &[16, 18, 20])
        .iter()
        .any(|v| v.hypothesis.starts_with("(H1)")));
}

fn kernel_params() -> BackwardFeatureCorrectionParams {
    BackwardFeatureCorrectionParams {
        measure: BfcMeasure::KernelPlateau,
        dim: None,
        features: 4,
        widths: vec![],
        init_scales: vec![],
        step: 0.0,
        batch: 0,
        level1_steps: None,
        schedule_steps: None,
        factor: None,
        ratio: Some(0.3),
        test_points: Some(2000),
        budget_fraction: Some(0.5),
        kernel: Some(BfcKernel::EvenExponential),
        relative_ridge: Some(1e-3),
        ..params()
    }
}

#[test]
fn bad_inputs_name_their_hypotheses() {
    let t = BackwardFeatureCorrection;
    let mut p = params();
    p.depth = 0;
    p.widths = vec![1];
    p.step = f64::NAN;
    p.factor = Some(0.5);
    let v = t.violations(&p, &[0, 30, 1000]);
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
    let mut p = params();
    p.measure = BfcMeasure::Samples;
    p.dim = None;
    p.level1_steps = None;
    p.schedule_steps = None;
    p.factor = None;
    p.ratio = Some(0.3);
    p.error_level = Some(0.5);
    p.budget_per_d2 = Some(2000.0);
    p.test_points = Some(200);
    let v = Validated::check(&t, p.clone(), &[8, 10, 12]).unwrap();
    let mut rng = crate::rng::rng_from_u64(2);
    match t.trial(&v, 8, &mut rng) {
        Observation::Value(n) => assert!(n > 0.0 && n <= 2000.0 * 64.0, "{n}"),
        o => panic!("expected a threshold, got {o:?}"),
    }
    // An unreachable level within one batch of budget: censored at the budget.
    p.error_level = Some(1e-9);
    p.budget_per_d2 = Some(0.25);
    let v = Validated::check(&t, p.clone(), &[8, 10, 12]).unwrap();
    assert_eq!(t.trial(&v, 8, &mut rng), Observation::Censored(16.0));
    // A budget floor above 0.25 d^2 = 16 samples: censored at the floor instead.
    p.budget_floor = Some(64.0);
    let v = Validated::check(&t, p.clone(), &[8, 10, 12]).unwrap();
    assert_eq!(t.trial(&v, 8, &mut rng), Observation::Censored(64.0));
    // A floor that is not a positive number violates H7.
    p.budget_floor = Some(f64::NAN);
    let fields: Vec<_> = t.violations(&p, &[8]).into_iter().map(|v| v.field).collect();
    assert_eq!(fields, ["params.budget_floor"]);
    // A missing value is named as missing, not as Rust's `None`.
    p.budget_floor = None;
    p.ratio = None;
    let v = t.violations(&p, &[8]);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].found, "r = not given");
}

/// The three-learner panel at d = 8 (k = 2, tiny budget): three curves besides the level,
/// and the kernel's nested n are powers of two up to B(8,4)/2 = 147, where the bound for
/// every rotation-invariant kernel holds (e4 ≤ the full degree-4 energy, the two-layer
/// floor).
#[test]
fn the_three_learner_panel_puts_a_two_layer_net_and_a_kernel_beside_the_deep_net() {
    let mut p = params();
    p.measure = BfcMeasure::Samples;
    p.ratio = Some(0.3);
    p.error_level = Some(0.01);
    p.budget_per_d2 = Some(20.0);
    p.test_points = Some(500);
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
    let mut p = params();
    p.measure = BfcMeasure::Samples;
    p.depth = 3;
    p.widths = vec![4, 4, 4];
    p.init_scales = vec![0.1, 1.0, 0.3];
    p.level_maps = Some(BfcLevelMaps::Gaussian);
    p.residual_clip = Some(3.0);
    p.ratio = Some(0.3);
    p.error_level = Some(0.5);
    p.budget_per_d2 = Some(20.0);
    p.test_points = Some(500);
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
    let mut p = params();
    p.step = 10.0;
    p.init_scales = vec![3.0, 3.0];
    let v = Validated::check(&t, p, &[100, 200, 300]).unwrap();
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
    let mut p = kernel_params();
    p.budget_fraction = Some(1.0);
    p.ratio = Some(0.0);
    p.kernel = None;
    p.relative_ridge = Some(-1.0);
    p.test_points = Some(100);
    p.widths = vec![16, 16];
    let v = t.violations(&p, &[4, 8]);
    let names: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
    for f in [
        "sizes",
        "params.budget_fraction",
        "params.ratio",
        "params.test_points",
        "params.kernel",
        "params.relative_ridge",
        "params.widths",
    ] {
        assert!(names.contains(&f), "{f} missing from {names:?}");
    }
    // The cap on n: c = 0.9 at d = 20 asks for 7780 points (fine), at d = 24 for 16497.
    let mut p = kernel_params();
    p.budget_fraction = Some(0.9);
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
