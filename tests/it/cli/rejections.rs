//! Hypothesis and value rejections: a built-in card with one edit is refused (exit 2, one
//! line) with an error naming the claim, the field and the hypothesis it breaks.

use super::*;

/// One edit of a built-in card and what its error must contain: (theorem, the text replaced
/// (its first occurrence), its replacement, fragments of the one-line error). Each group is
/// headed by the name of the test it once was.
const REJECTIONS: &[(&str, &str, &str, &[&str])] = &[
    // An unknown rival is named with the module's rivals for that design (issue 23).
    (
        "depth-efficiency-square",
        "control = { rival = \"lipschitz\" }",
        "control = { rival = \"sqrt\" }",
        &["claim `shallow`", "control.rival", "unknown rival `sqrt`", "known rivals: `lipschitz`"],
    ),
    // A finite-size judge on a design whose module computes no finite-size curve.
    (
        "depth-efficiency-square",
        "control = { rival = \"lipschitz\" }",
        "control = { rival = \"lipschitz\" }\njudge = \"finite-size\"",
        &["claim `shallow`", "field `judge`", "computes no finite-size prediction", "\"exponent\""],
    ),
    // A twin must repeat its original's design: it judges the same trials.
    (
        "information-exponent",
        "trials_of = \"k1\"\njudge = \"finite-size\"\nseed = 0",
        "trials_of = \"k1\"\njudge = \"finite-size\"\nseed = 7",
        &["claims.trials_of", "claim `k1-fs` judges the trials of `k1`", "its seed must equal"],
    ),
    // A twin of a claim that does not come before it.
    (
        "information-exponent",
        "trials_of = \"k1\"",
        "trials_of = \"k3\"",
        &["claims.trials_of", "`k3`, which is not an earlier claim"],
    ),
    // a_missing_field_is_named
    (
        "depth-efficiency-square",
        "grid_log2 = 16\n",
        "",
        &["my-card.toml:", "missing field `grid_log2`"],
    ),
    // dimension_zero_violates_a_hypothesis
    (
        "information-exponent",
        "sizes = [64, 91,",
        "sizes = [0, 64, 91,",
        &["claim `k1`", "profiles.quick.sizes", "d ≥ 2", "d = 0"],
    ),
    // a_negative_tolerance_is_rejected
    (
        "depth-efficiency-square",
        "tolerance = 0.05",
        "tolerance = -0.05",
        &["field `tolerance`", "finite number ≥ 0", "-0.05"],
    ),
    // a_wrongly_typed_value_is_named
    (
        "depth-efficiency-square",
        "grid_log2 = 16",
        "grid_log2 = \"sixteen\"",
        &["my-card.toml:", "grid_log2"],
    ),
    // a_kernel_degree_beyond_the_budget_says_how_many_samples_it_would_need
    // Degree 3 at d = 64 needs 2 N_3(64) = 95,680 samples: refused before any simulation.
    (
        "kernel-barrier",
        "sizes = [6, 8, 11, 16, 23]",
        "sizes = [8, 16, 64]",
        &["claim `krr-staircase-l3`", "params.sample_budget", "degree 3 at d = 64", "95680"],
    ),
    // a_zero_ridge_is_rejected_before_the_kernel_matrix_turns_singular
    (
        "kernel-barrier",
        "relative_ridge = 1e-2",
        "relative_ridge = 0.0",
        &["params.relative_ridge", "singular"],
    ),
    // a_dimension_too_small_for_the_sphere_is_rejected
    (
        "kernel-barrier",
        "sizes = [6, 8, 11, 16, 23]",
        "sizes = [2, 8, 11, 16, 23]",
        &["claim `krr-staircase-l3`", "d ≥ 4", "d = 2"],
    ),
    // gamma_one_for_ridgeless_regression_is_refused_as_infinite_risk
    (
        "double-descent",
        "0.95, 1.05",
        "0.95, 1.0, 1.05",
        &["claim `variance-below`", "params.panel_gammas", "(H4)", "γ = 1", "infinite"],
    ),
    // a_distance_zero_to_the_threshold_is_refused_as_infinite_risk
    (
        "double-descent",
        "sizes = [9, 13, 19, 27, 39, 56, 79, 99]",
        "sizes = [0, 13, 19, 27, 39, 56, 79, 99]",
        &["claim `variance-below`", "(H0)", "p = n - 1 = 199", "infinite"],
    ),
    // noiseless_double_descent_is_refused
    ("double-descent", "noise = 0.25", "noise = 0.0", &["params.noise", "(H2)", "σ² = 0"]),
    // a_dimension_without_an_integer_hidden_dimension_names_the_admissible_ones
    (
        "depth-advantage",
        "sizes = [64, 100, 144, 196, 256]",
        "sizes = [64, 100, 150, 196, 256]",
        &["claim `stage1-subspace-eps-half`", "sizes", "d = 150", "144 and 169"],
    ),
    // an_epsilon_outside_the_unit_interval_is_rejected
    ("depth-advantage", "epsilon = 0.5", "epsilon = 1.5", &["params.epsilon", "0 < ε < 1", "1.5"]),
    // a_feature_without_information_exponent_two_is_rejected
    // k < 2, or a linear term: Ass. 1 wants P_k to start at He_2.
    (
        "depth-advantage",
        "feature_degrees = [2, 3]",
        "feature_degrees = [1]",
        &["params.feature_degrees", "information exponent exactly 2"],
    ),
    (
        "depth-advantage",
        "feature_degrees = [2, 3]",
        "feature_degrees = [1, 2, 3]",
        &["params.feature_degrees", "information exponent exactly 2"],
    ),
    (
        "depth-advantage",
        "feature_degrees = [2, 3]",
        "feature_degrees = [3]",
        &["params.feature_degrees", "information exponent exactly 2"],
    ),
    // a_stage_two_design_out_of_range_names_h9
    (
        "depth-advantage",
        "relative_ridge = 1e-2",
        "relative_ridge = 0.0",
        &["params.relative_ridge", "(H9)", "r = 0"],
    ),
    // d = 196: d_eff = 14, 4 C(18, 4) = 12240 samples, over one Gram matrix's 8000.
    (
        "depth-advantage",
        "sizes = [25, 36, 49, 64, 81, 100]",
        "sizes = [25, 36, 49, 64, 81, 196]",
        &["params.sample_budget", "(H9)", "d = 196", "12240 samples"],
    ),
    (
        "depth-advantage",
        "learned_level = 0.5",
        "learned_level = 1.0",
        &["params.learned_level", "(H9)"],
    ),
    // a_readout_with_too_few_knots_or_samples_names_h10
    (
        "depth-advantage",
        "knots = 8",
        "knots = 2",
        &["claim `stage3-readout`", "params.knots", "(H10)", "2 knots"],
    ),
    (
        "depth-advantage",
        "max_samples = 1024",
        "max_samples = 100",
        &["params.max_samples", "(H10)", "at least 160"],
    ),
    // a_shallow_gap_level_or_kernel_budget_out_of_range_names_h11
    (
        "depth-advantage",
        "learned_fraction = 0.5",
        "learned_fraction = 0.95",
        &["claim `shallow-gap`", "params.learned_fraction", "(H11)", "q = 0.95"],
    ),
    // d = 64: 4 C(66, 2) = 8580 samples, over one Gram matrix's 8000.
    (
        "depth-advantage",
        "kernel_budget = 3.0",
        "kernel_budget = 4.0",
        &["params.kernel_budget", "(H11)", "d = 64", "8580 samples"],
    ),
    (
        "depth-advantage",
        "test_points = 2000\n[claims.profiles.quick]\nsizes = [25",
        "test_points = 10\n[claims.profiles.quick]\nsizes = [25",
        &["params.test_points", "(H11)", "10 test points"],
    ),
    // the_end_to_end_net_outside_check_d_c_names_h12
    // The two-layer plateaus are computed for d = 64 and eq. 11 only, and for 1.5 <= κ < 2.5.
    (
        "depth-advantage",
        "dimension = 64",
        "dimension = 100",
        &["claim `e2e-below-two-layer`", "params.dimension", "(H12)", "d = 100"],
    ),
    (
        "depth-advantage",
        "sizes = [180, 190, 200]",
        "sizes = [140, 190, 200]",
        &["claim `e2e-below-two-layer`", "sizes", "(H12)", "100 κ = 140"],
    ),
    (
        "depth-advantage",
        "widths = [256, 32]",
        "widths = [256, 0]",
        &["params.widths", "(H12)", "p2 = 0"],
    ),
    // a_bandwidth_of_zero_is_rejected
    (
        "depth-approximation",
        "bandwidth_constant = 0.155",
        "bandwidth_constant = 0.0",
        &["claim `stone-d1`", "params.bandwidth_constant", "(H4)", "c = 0"],
    ),
    // a_bandwidth_too_wide_for_the_torus_is_rejected
    // c = 1 at n = 1000, D = 1: h = 0.25, and the window 4h = 1 wraps around the torus.
    (
        "depth-approximation",
        "bandwidth_constant = 0.155",
        "bandwidth_constant = 1.0",
        &["params.bandwidth_constant", "(H4)", "> 0.5 at n = 1000"],
    ),
    // a_torus_dimension_beyond_the_budget_is_rejected
    (
        "depth-approximation",
        "dimension = 1,",
        "dimension = 9,",
        &["claim `stone-d1`", "params.target", "(H1)", "D = 9"],
    ),
    // a_smoothness_of_zero_is_rejected
    (
        "depth-approximation",
        "smoothness = 2.0",
        "smoothness = 0.0",
        &["params.target", "(H2)", "s = 0"],
    ),
    // a_negative_noise_level_is_rejected
    ("depth-approximation", "noise = 0.5", "noise = -0.5", &["params.noise", "(H3)", "σ = -0.5"]),
    // a_jump_outside_the_evaluation_interval_is_rejected
    (
        "depth-approximation",
        "location = 0.5",
        "location = 0.97",
        &["claim `jump-linear`", "params.target", "(H1)", "t0 = 0.97"],
    ),
    // a_free_knot_fit_on_the_torus_is_rejected
    (
        "depth-approximation",
        "measure = \"nadaraya-watson\"\ntarget = { kind = \"torus-sines\", dimension = 1, \
         smoothness = 2.0 }\nbandwidth_constant = 0.155\nnoise = 0.5\ntest_points = 1000\n",
        "measure = \"free-knot\"\ntarget = { kind = \"torus-sines\", dimension = 1, \
         smoothness = 2.0 }\ndegree = 10\nnoise = 0.5\n",
        &["claim `stone-d1`", "params.target", "(H5)", "torus-sines"],
    ),
    // an_unknown_field_inside_a_target_is_named
    (
        "depth-approximation",
        "dimension = 1,",
        "dimension = 1, colour = 2,",
        &["my-card.toml:", "colour"],
    ),
    // a_width_below_the_lazy_floor_is_rejected_with_the_bound
    // (H3): alpha sqrt(m) >= 2n = 64 needs m >= 4096 at alpha = 1.
    (
        "lazy-training",
        "sizes = [4096, 5792, 8192, 11586, 16384, 23170, 32768]",
        "sizes = [1024, 2048, 4096]",
        &["claim `width`", "(H3)", "lazy regime", "m = 1024", "α√m = 32.0 < 2n = 64"],
    ),
    // a_non_positive_output_scale_is_rejected
    (
        "lazy-training",
        "output_scale = 1.0",
        "output_scale = -2.0",
        &["claim `linear-rate`", "params.output_scale", "(H4)", "α = -2"],
    ),
    // a_step_that_is_not_finite_or_positive_is_rejected
    ("lazy-training", "step = 0.5", "step = nan", &["claim `width`", "params.step", "(H5)"]),
    (
        "lazy-training",
        "step = 0.5",
        "step = 0.0",
        &["claim `width`", "params.step", "(H5)", "c = 0"],
    ),
    // zero_inputs_or_dimension_one_are_rejected
    ("lazy-training", "\nn = 32\n", "\nn = 0\n", &["claim `width`", "params.n", "(H1)", "n = 0"]),
    // For d = 1 every unit input is ±1: two are parallel and λ0 = 0.
    (
        "lazy-training",
        "\nd = 8\n",
        "\nd = 1\n",
        &["claim `width`", "params.d", "(H2)", "parallel", "d = 1"],
    ),
    // a_width_gap_beyond_its_parameter_budget_says_how_many_it_would_need
    // d = 128 would need 2 N_2(128) = 2 x 8384 = 16768 random-features parameters.
    (
        "kernel-barrier",
        "sizes = [16, 23, 32, 45, 64, 90]",
        "sizes = [16, 23, 32, 45, 64, 128]",
        &["claim `rf-vs-nt-width`", "(H9)", "d = 128 needs 16768 parameters"],
    ),
    // a_width_gap_for_a_degree_without_closed_forms_is_rejected
    (
        "kernel-barrier",
        "measure = \"width-gap\"\ndegree = 2\ntarget = [0.0, 0.0, 1.0]",
        "measure = \"width-gap\"\ndegree = 2\ntarget = [1.0, 0.0, 1.0]",
        &["claim `rf-vs-nt-width`", "(H9)", "target = [1.0, 0.0, 1.0]"],
    ),
    // a_depth_other_than_two_is_rejected_for_backward_feature_correction
    (
        "backward-feature-correction",
        "depth = 2",
        "depth = 0",
        &["claim `bfc`", "params.depth", "(H1)", "L = 0"],
    ),
    // a_depth_three_claim_must_judge_level_one_or_two
    (
        "backward-feature-correction",
        "judged_level = 2",
        "judged_level = 3",
        &["claim `bfc-depth-level2`", "(H12)", "judged_level = 3,"],
    ),
    // a_depth_step_beyond_degree_sixteen_is_rejected
    (
        "backward-feature-correction",
        "measure = \"depth-step\"\ndepth = 2",
        "measure = \"depth-step\"\ndepth = 5",
        &["claim `depth-step-2`", "params.depth", "(H15)", "L = 5"],
    ),
    // a_depth_step_needs_a_lower_depth
    (
        "backward-feature-correction",
        "measure = \"depth-step\"\ndepth = 2\nfeatures = 4\nwidths = [16, 16]\ninit_scales = [0.1, 1.0]",
        "measure = \"depth-step\"\ndepth = 1\nfeatures = 4\nwidths = [16]\ninit_scales = [0.1]",
        &["claim `depth-step-2`", "params.depth", "(H15)", "L = 1"],
    ),
    // a_width_below_the_feature_count_is_rejected
    (
        "backward-feature-correction",
        "widths = [16, 16]",
        "widths = [3, 16]",
        &["claim `bfc`", "params.widths", "(H3)", "k = 4"],
    ),
    // a_step_that_is_not_finite_is_rejected_for_the_quadratic_net
    (
        "backward-feature-correction",
        "step = 0.32",
        "step = nan",
        &["claim `bfc`", "params.step", "(H4)"],
    ),
    (
        "backward-feature-correction",
        "step = 0.32",
        "step = inf",
        &["claim `bfc`", "params.step", "(H4)"],
    ),
    // level_weights_that_do_not_decrease_are_rejected
    // r = alpha2/alpha1 = 1.2: the second level would outweigh the first.
    (
        "backward-feature-correction",
        "sizes = [30, 100, 300]",
        "sizes = [30, 100, 1200]",
        &["claim `bfc`", "(H5)", "decreasing", "r = 1.2"],
    ),
    // a_factor_below_one_is_rejected
    (
        "backward-feature-correction",
        "factor = 1.0",
        "factor = 0.5",
        &["claim `bfc`", "params.factor", "(H6)"],
    ),
    // a_kernel_budget_fraction_of_one_or_more_is_rejected
    // c = 1.5: n = 1.5 B(d,4) would leave the bound e4 (1 - n/B(d,4))+ at 0, nothing to check.
    (
        "backward-feature-correction",
        "budget_fraction = 0.5",
        "budget_fraction = 1.5",
        &["claim `kernel-gap`", "params.budget_fraction", "(H9)", "c = 1.5"],
    ),
    // an_unknown_projection_is_named_with_the_choices
    (
        "kernel-barrier",
        "threshold_scale = \"harmonics\"",
        "threshold_scale = \"harmonics\"\nprojection = \"exact\"",
        &["projection", "exact", "test-points", "funk-hecke"],
    ),
];

/// Every row of [`REJECTIONS`] is refused as bad input with its fragments; all failing rows are
/// reported together.
#[test]
fn every_edit_in_the_rejection_table_is_refused_by_name() {
    let failures: Vec<String> = REJECTIONS
        .iter()
        .enumerate()
        .filter_map(|(i, (theorem, from, to, expected))| {
            let row = format!("row {i} ({theorem}: `{from}` -> `{to}`)");
            if !builtin(theorem).contains(from) {
                return Some(format!("{row}: the edit does not apply"));
            }
            let (_, o) = check_card_with(theorem, from, to);
            bad_input_problem(&o, expected).map(|p| format!("{row}: {p}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rejections failed:\n{}",
        failures.len(),
        REJECTIONS.len(),
        failures.join("\n")
    );
}

#[test]
fn information_exponent_zero_violates_a_hypothesis() {
    let (card, o) = check_card_with(
        "information-exponent",
        "information_exponent = 1",
        "information_exponent = 0",
    );
    let line = line_of(&card, "information_exponent = 0");
    assert_bad_input(
        &o,
        &[&format!("line {line}"), "field `params.information_exponent`", "k = 0"],
    );
}

#[test]
fn a_relu_kernel_cannot_be_asked_for_degree_three() {
    // The ReLU kernels' odd part is s/4: no mass in degree 3 at any d, so no n learns it.
    let text = builtin("kernel-barrier");
    let at = text.find("id = \"krr-staircase-l3\"").unwrap();
    let (head, tail) = text.split_at(at);
    let path = scratch().join("my-card.toml");
    let edited = tail.replacen("kernel = \"exponential\"", "kernel = \"relu-ntk\"", 1);
    std::fs::write(&path, format!("{head}{edited}")).unwrap();
    let o = thm(&["check", path.to_str().unwrap()]);
    assert_bad_input(&o, &["params.kernel", "relu-ntk", "no n learns degree 3"]);
}

/// The two-layer net as the shallow side takes its iteration count, not the kernel's budget.
#[test]
fn a_two_layer_shallow_gap_takes_coef_iter_not_the_kernel_budget() {
    let two_layer = |budget_line: &str| {
        let text = builtin("depth-advantage")
            .replacen("measure = \"shallow-gap-kernel\"", "measure = \"shallow-gap-two-layer\"", 1)
            .replacen("kernel_budget = 3.0\n", budget_line, 1);
        let path = scratch().join("my-card.toml");
        std::fs::write(&path, text).unwrap();
        thm(&["check", path.to_str().unwrap()])
    };
    let o = two_layer("kernel_budget = 3.0\n");
    assert_bad_input(&o, &["unknown field `kernel_budget`", "coef_iter"]);
    let o = two_layer("");
    assert_bad_input(&o, &["missing field `coef_iter`"]);
    let o = two_layer("coef_iter = 0.0\n");
    assert_bad_input(&o, &["claim `shallow-gap`", "params.coef_iter", "(H14)", "coef_iter = 0"]);
}

/// The span onset's first width must grow at least as Thm 1 takes it, p1 >~ d^(k eps) (H15).
#[test]
fn a_span_onset_narrower_than_d_to_the_k_eps_is_refused() {
    let (_, o) = check_card_with("depth-advantage", "width_exponent = 1.5", "width_exponent = 1.2");
    assert_bad_input(
        &o,
        &["claim `e2e-onset-span`", "params.width_exponent", "(H15)", "a = 1.2, kε = 1.500"],
    );
}

#[test]
fn a_free_knot_fit_without_noise_has_no_rate_to_measure() {
    let text = builtin("depth-approximation");
    let at = text.find("id = \"jump-free-knot\"").unwrap();
    let (head, tail) = text.split_at(at);
    let path = scratch().join("my-card.toml");
    std::fs::write(&path, format!("{head}{}", tail.replacen("noise = 0.3", "noise = 0.0", 1)))
        .unwrap();
    let o = thm(&["check", path.to_str().unwrap()]);
    assert_bad_input(&o, &["claim `jump-free-knot`", "params.degree", "(H5)", "sieve error"]);
}

/// A MIGHT design's branches must fit in d with room, r d_eff <= d/2 (H16), and a tree's second
/// level needs a linear term in Q (H17): exit 2 naming the field and the hypothesis.
#[test]
fn a_might_design_with_too_many_branches_or_a_tree_without_a_linear_top_is_refused() {
    let (_, o) = check_card_with(
        "depth-advantage",
        "\nbranches = 3\ncombine = \"sign-product\"",
        "\nbranches = 9\ncombine = \"sign-product\"",
    );
    assert_bad_input(&o, &["claim `cie-sign-silent`", "params.branches", "(H16)", "r = 9"]);
    let (_, o) =
        check_card_with("depth-advantage", "\ntop_degrees = [1, 2]", "\ntop_degrees = [2]");
    assert_bad_input(
        &o,
        // The first tree in the card with its held-back lines restored is the withdrawn design.
        &["claim `tree-first-threshold`", "params.epsilon2", "(H17)", "top degrees [2]"],
    );
}
