//! Every claim of every built-in card, on each profile, against its reviewed snapshot in the
//! top-level `snapshots/` (one file per claim and profile). Each test also asserts that the
//! falsification control was refuted: a claim whose data cannot refute a wrong prediction
//! has no power, whatever its snapshot says. A claim whose prerequisite is not confirmed is
//! not run; its snapshot holds the reason.
//!
//! Quick profiles run in `cargo test`; full profiles take minutes each and are ignored there
//! (by design `full` runs from the command line; README, "Snapshots"), so CI stays far below its
//! limit. Check them with `cargo test --release -- --ignored`; `tidy` allows ignoring a test only
//! with that reason, only here.
//!
//! Regenerate with `INSTA_UPDATE=always cargo test --release` (add `-- --include-ignored` for
//! the full profiles), then review `git diff snapshots/`: a changed number must be explained by
//! the change that moved it.

use thm::card::Profile;
use thm::verdict::Verdict;

/// Runs one claim, compares its report with the snapshot, and asserts the control.
pub fn check_claim(theorem: &str, claim: &str, profile: Profile) {
    let card = thm::registry::builtin_card(theorem).unwrap();
    let loaded = card.claim(claim).unwrap();
    let result = thm::check::run_claim(&card, loaded, profile, None, &|| {});
    let report = thm::report::text::claim_report(&card, &result);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_suffix(profile.name());
    settings.set_omit_expression(true);
    settings.set_description(format!("{theorem} / {claim}: {}", loaded.description));
    settings.bind(|| insta::assert_snapshot!(format!("{theorem}__{claim}"), report));
    if result.observations.is_empty() {
        // Not run: a prerequisite (an earlier claim it rests on) is not confirmed. There are
        // no data, so no control to refute; the snapshot locks the reason.
        assert!(result.outcome.reason.starts_with("prerequisite `"), "{}", result.outcome.reason);
        return;
    }
    assert_eq!(
        result.outcome.control.verdict,
        Verdict::Refuted,
        "{theorem}/{claim} ({}): the control was not refuted: {}",
        profile.name(),
        result.outcome.control
    );
}

/// The claims checked here; `tidy` asserts that this list equals the registry's.
pub const CLAIMS: &[(&str, &str)] = &[
    ("information-exponent", "k1"),
    ("information-exponent", "k2"),
    ("information-exponent", "k3"),
    ("depth-efficiency-square", "shallow"),
    ("depth-efficiency-square", "deep"),
    ("kernel-barrier", "krr-staircase-l1"),
    ("kernel-barrier", "krr-staircase-l2"),
    ("kernel-barrier", "krr-staircase-l3"),
    ("kernel-barrier", "krr-plateau"),
    ("kernel-barrier", "rf-vs-nt-width"),
    ("double-descent", "variance-below"),
    ("double-descent", "variance-above"),
    ("double-descent", "rf-peak"),
    ("depth-approximation", "stone-d1"),
    ("depth-approximation", "stone-d2"),
    ("depth-approximation", "stone-d3"),
    ("depth-approximation", "jump-linear"),
    ("depth-approximation", "jump-free-knot"),
    ("lazy-training", "width"),
    ("lazy-training", "output-scale"),
    ("lazy-training", "linear-rate"),
    ("lazy-training", "rate-deviation"),
    ("depth-advantage", "stage1-subspace-eps-half"),
    ("depth-advantage", "stage1-subspace-eps-third"),
    ("backward-feature-correction", "bfc"),
    ("backward-feature-correction", "deep-learns-poly"),
    ("backward-feature-correction", "kernel-gap"),
    ("depth-advantage", "e2e-below-two-layer"),
    ("backward-feature-correction", "bfc-depth-level1"),
    ("backward-feature-correction", "bfc-depth-level2"),
];

#[test]
fn information_exponent_k1_quick() {
    check_claim("information-exponent", "k1", Profile::Quick);
}

#[test]
fn information_exponent_k2_quick() {
    check_claim("information-exponent", "k2", Profile::Quick);
}

#[test]
fn information_exponent_k3_quick() {
    check_claim("information-exponent", "k3", Profile::Quick);
}

#[test]
fn depth_efficiency_square_shallow_quick() {
    check_claim("depth-efficiency-square", "shallow", Profile::Quick);
}

#[test]
fn depth_efficiency_square_deep_quick() {
    check_claim("depth-efficiency-square", "deep", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn information_exponent_k1_full() {
    check_claim("information-exponent", "k1", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn information_exponent_k2_full() {
    check_claim("information-exponent", "k2", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn information_exponent_k3_full() {
    check_claim("information-exponent", "k3", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_efficiency_square_shallow_full() {
    check_claim("depth-efficiency-square", "shallow", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_efficiency_square_deep_full() {
    check_claim("depth-efficiency-square", "deep", Profile::Full);
}

#[test]
fn kernel_barrier_krr_staircase_l1_quick() {
    check_claim("kernel-barrier", "krr-staircase-l1", Profile::Quick);
}

#[test]
fn kernel_barrier_krr_staircase_l2_quick() {
    check_claim("kernel-barrier", "krr-staircase-l2", Profile::Quick);
}

#[test]
fn kernel_barrier_krr_staircase_l3_quick() {
    check_claim("kernel-barrier", "krr-staircase-l3", Profile::Quick);
}

#[test]
fn kernel_barrier_krr_plateau_quick() {
    check_claim("kernel-barrier", "krr-plateau", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn kernel_barrier_krr_staircase_l1_full() {
    check_claim("kernel-barrier", "krr-staircase-l1", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn kernel_barrier_krr_staircase_l2_full() {
    check_claim("kernel-barrier", "krr-staircase-l2", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn kernel_barrier_krr_staircase_l3_full() {
    check_claim("kernel-barrier", "krr-staircase-l3", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn kernel_barrier_krr_plateau_full() {
    check_claim("kernel-barrier", "krr-plateau", Profile::Full);
}

#[test]
fn kernel_barrier_rf_vs_nt_width_quick() {
    check_claim("kernel-barrier", "rf-vs-nt-width", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn kernel_barrier_rf_vs_nt_width_full() {
    check_claim("kernel-barrier", "rf-vs-nt-width", Profile::Full);
}

#[test]
fn double_descent_variance_below_quick() {
    check_claim("double-descent", "variance-below", Profile::Quick);
}

#[test]
fn double_descent_variance_above_quick() {
    check_claim("double-descent", "variance-above", Profile::Quick);
}

#[test]
fn double_descent_rf_peak_quick() {
    check_claim("double-descent", "rf-peak", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn double_descent_variance_below_full() {
    check_claim("double-descent", "variance-below", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn double_descent_variance_above_full() {
    check_claim("double-descent", "variance-above", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn double_descent_rf_peak_full() {
    check_claim("double-descent", "rf-peak", Profile::Full);
}

#[test]
fn depth_advantage_stage1_subspace_eps_half_quick() {
    check_claim("depth-advantage", "stage1-subspace-eps-half", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_advantage_stage1_subspace_eps_half_full() {
    check_claim("depth-advantage", "stage1-subspace-eps-half", Profile::Full);
}

#[test]
fn depth_advantage_stage1_subspace_eps_third_quick() {
    check_claim("depth-advantage", "stage1-subspace-eps-third", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_advantage_stage1_subspace_eps_third_full() {
    check_claim("depth-advantage", "stage1-subspace-eps-third", Profile::Full);
}

#[test]
fn depth_advantage_e2e_below_two_layer_quick() {
    check_claim("depth-advantage", "e2e-below-two-layer", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_advantage_e2e_below_two_layer_full() {
    check_claim("depth-advantage", "e2e-below-two-layer", Profile::Full);
}

#[test]
fn depth_approximation_stone_d1_quick() {
    check_claim("depth-approximation", "stone-d1", Profile::Quick);
}

#[test]
fn depth_approximation_stone_d2_quick() {
    check_claim("depth-approximation", "stone-d2", Profile::Quick);
}

#[test]
fn depth_approximation_stone_d3_quick() {
    check_claim("depth-approximation", "stone-d3", Profile::Quick);
}

#[test]
fn depth_approximation_jump_linear_quick() {
    check_claim("depth-approximation", "jump-linear", Profile::Quick);
}

#[test]
fn depth_approximation_jump_free_knot_quick() {
    check_claim("depth-approximation", "jump-free-knot", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_approximation_stone_d1_full() {
    check_claim("depth-approximation", "stone-d1", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_approximation_stone_d2_full() {
    check_claim("depth-approximation", "stone-d2", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_approximation_stone_d3_full() {
    check_claim("depth-approximation", "stone-d3", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_approximation_jump_linear_full() {
    check_claim("depth-approximation", "jump-linear", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn depth_approximation_jump_free_knot_full() {
    check_claim("depth-approximation", "jump-free-knot", Profile::Full);
}

#[test]
fn lazy_training_width_quick() {
    check_claim("lazy-training", "width", Profile::Quick);
}

#[test]
fn lazy_training_output_scale_quick() {
    check_claim("lazy-training", "output-scale", Profile::Quick);
}

#[test]
fn lazy_training_linear_rate_quick() {
    check_claim("lazy-training", "linear-rate", Profile::Quick);
}

#[test]
fn lazy_training_rate_deviation_quick() {
    check_claim("lazy-training", "rate-deviation", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn lazy_training_width_full() {
    check_claim("lazy-training", "width", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn lazy_training_output_scale_full() {
    check_claim("lazy-training", "output-scale", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn lazy_training_linear_rate_full() {
    check_claim("lazy-training", "linear-rate", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn lazy_training_rate_deviation_full() {
    check_claim("lazy-training", "rate-deviation", Profile::Full);
}

#[test]
fn backward_feature_correction_bfc_quick() {
    check_claim("backward-feature-correction", "bfc", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn backward_feature_correction_bfc_full() {
    check_claim("backward-feature-correction", "bfc", Profile::Full);
}

#[test]
fn backward_feature_correction_kernel_gap_quick() {
    check_claim("backward-feature-correction", "kernel-gap", Profile::Quick);
}

#[test]
fn backward_feature_correction_deep_learns_poly_quick() {
    check_claim("backward-feature-correction", "deep-learns-poly", Profile::Quick);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn backward_feature_correction_kernel_gap_full() {
    check_claim("backward-feature-correction", "kernel-gap", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn backward_feature_correction_deep_learns_poly_full() {
    check_claim("backward-feature-correction", "deep-learns-poly", Profile::Full);
}

// Full-profile-only claims (no quick profile, so no quick test).

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn backward_feature_correction_bfc_depth_level1_full() {
    check_claim("backward-feature-correction", "bfc-depth-level1", Profile::Full);
}

#[test]
#[ignore = "full profile (minutes): cargo test --release -- --ignored"]
fn backward_feature_correction_bfc_depth_level2_full() {
    check_claim("backward-feature-correction", "bfc-depth-level2", Profile::Full);
}
