//! Hypotheses H1–H15 and the validation of a claim's parameters against them.

use super::kernel_plateau::kernel_samples;
use super::{
    ratio, BackwardFeatureCorrectionParams, FeatureBiasParams, FeatureGapParams, KernelPlateauParams, Learner,
    SamplesParams, TargetShape, ThreeLevelBiasParams, MAX_KERNEL_SAMPLES,
};
use crate::error::{shown, Violation};
use crate::theorem::About;

const H1: &str = "(H1) depth L = 2 (two-level targets: feature-gap compares their level-1 features; samples has the kernel-barrier comparison at degree 2^L = 4), or L = 3 for feature-gap (H12) and samples";
const H2: &str = "(H2) 1 ≤ k ≤ d ≤ 256 (feature-gap: dim given; samples: every size d)";
const H3: &str = "(H3) one width per level, each m_l ≥ k (the network can represent the features)";
const H4: &str =
    "(H4) 0 < step ≤ 10 (η = step/d), batch ≥ 1, one finite initial scale > 0 per level";
const H5: &str = "(H5) feature-gap: sizes are r = α2/α1 in thousandths, 1 ≤ 1000 r ≤ 999 (decreasing level weights); T1, T2 ≥ 1";
const H6: &str = "(H6) feature-gap: the factor c is finite and ≥ 1";
const H7: &str = "(H7) samples: 0 < r < 1, 0 < τ < 1, budget_per_d2 > 0 finite, budget_floor (if given) > 0 finite, test_points ≥ 100";
const H8: &str = "(H8) kernel-plateau: sizes are d with k + 1 ≤ d ≤ 256 (the target ignores some directions) and n = ⌊c·B(d,4)⌋ with 1 ≤ n ≤ 10000 (the Cholesky factor of the n × n kernel matrix stays affordable)";
const H9: &str =
    "(H9) kernel-plateau: 0 < c < 1 (budget_fraction: n below B(d,4)), 0 < r < 1, test_points ≥ 500";
const H10: &str = "(H10) kernel-plateau: a rotation-invariant kernel h(<x,y>/d) (kernel = \"exponential\" or \"even-exponential\") and a finite relative ridge ρ ≥ 0 (λ = ρ · mean diagonal of K)";
const H11: &str = "(H11) kernel-plateau trains no network: no widths, init_scales, step or batch";
const H12: &str = "(H12) feature-gap at L = 3: T12 = level2_steps ≥ 1 steps of levels 1-2 before the schedules, judged_level 1 or 2 (level 3 is absent from the layer-wise schedule); at L = 2 neither is given; residual_clip (and, for samples and depth-step, update_clip), if given, finite and > 0";

const H13: &str = "(H13) feature-bias: depth L = 2, a narrow level 1 (widths[0] = k: as many level-1 units as the target has features), the target's skip weight κ finite with 0 < κ ≤ 10, test_points ≥ 100 and more than 10 (m1 + 1) (the least-squares fit of the feature error), and sizes r = α2/α1 in thousandths, 1 ≤ 1000 r ≤ 999 (H5)";

const H14: &str = "(H14) three-level-bias: depth L = 3, narrow levels 1 and 2 (widths[0] = widths[1] = k), the target's skip weight κ finite with 0 < κ ≤ 10, judged_level 1 or 2, residual_clip (if given) finite and > 0, test_points ≥ 100 and more than 10 (m2 + 1), and sizes r in thousandths, 1 ≤ 1000 r ≤ 999 (α = 1, r, r² decreasing; H5)";

const H15: &str = "(H15) depth-step: the upper depth L with 2 ≤ L ≤ 4 (the step from L - 1 to L; the target's top degree 2^L), and d ≥ 2 at every size (the harmonic dimensions B(d, 2^L)); the rest as samples (H2-H4, H7, H12's residual and update clips)";

pub(super) const ABOUT: About = About {
    hypotheses: &[
        ("depth", H1),
        ("dim", H2),
        ("widths", H3),
        ("step", H4),
        ("sizes", H5),
        ("factor", H6),
        ("error_level", H7),
        ("budget_fraction", H8),
        ("ratio", H9),
        ("relative_ridge", H10),
        ("widths", H11),
        ("level2_steps", H12),
        ("skip", H13),
        ("judged_level", H14),
        ("depth", H15),
    ],
    simulation: "a quadratic target of L = 2 levels (L = 3 for feature-gap with judged_level \
                 and for samples, H1, H12) and a DenseNet-like quadratic network trained by \
                 fresh-sample SGD. feature-gap: a level-1 phase, then layer-wise (level 1 alone) \
                 and joint schedules on the same batches; the observable is ln(E1_A / E1_B) - \
                 ln c with E1 the level-1 subspace error. samples: joint training from the start; \
                 the observable is the number of fresh samples at which the relative test error \
                 first reaches τ. kernel-plateau: kernel ridge regression on n = c·B(d,4) Gaussian \
                 samples of the target; the observable is its test error minus the kernel lower \
                 bound e4(d)(1 - n/B(d,4)), in percent of Var f*. depth-step: at each d, the \
                 fresh samples joint training needs to reach τ at depths L - 1 and L; the \
                 observable is the kernel's step log_d B(d,2^L)/B(d,2^(L-1)) minus the network's \
                 log_d n*(L)/n*(L-1)",
};

/// The hypotheses that a claim's parameters `p` and `sizes` break
/// ([`TypedTheorem::violations`](crate::theorem::TypedTheorem::violations)).
pub(super) fn violations(p: &BackwardFeatureCorrectionParams, sizes: &[u64]) -> Vec<Violation> {
    let mut out = Vec::new();
    match p {
        BackwardFeatureCorrectionParams::FeatureGap(p) => {
            feature_gap_violations(p, sizes, &mut out)
        }
        BackwardFeatureCorrectionParams::Samples(p) => {
            depth_violation(p.depth, true, &mut out);
            samples_violations(p, sizes, &mut out)
        }
        BackwardFeatureCorrectionParams::DepthStep(p) => {
            if !(2..=4).contains(&p.depth) {
                out.push(Violation::new("params.depth", H15, format!("L = {}", p.depth)));
            }
            if let Some(d) = sizes.iter().find(|&&d| d < 2) {
                out.push(Violation::new("sizes", H15, format!("d = {d}")));
            }
            samples_violations(p, sizes, &mut out)
        }
        BackwardFeatureCorrectionParams::KernelPlateau(p) => kernel_violations(p, sizes, &mut out),
        BackwardFeatureCorrectionParams::FeatureBias(p) => bias_violations(p, sizes, &mut out),
        BackwardFeatureCorrectionParams::ThreeLevelBias(p) => {
            three_level_violations(p, sizes, &mut out)
        }
    }
    out
}

/// H1: `depth` is 2, or 3 where the design allows it.
fn depth_violation(depth: u32, three_allowed: bool, out: &mut Vec<Violation>) {
    if depth != 2 && !(three_allowed && depth == 3) {
        out.push(Violation::new("params.depth", H1, format!("L = {depth}")));
    }
}

/// H2: $1 \le k \le d \le 256$ for every $d$ in `dims`, reported under `field`.
fn dims_violation(features: u32, dims: &[u64], field: &str, out: &mut Vec<Violation>) {
    if features == 0 || dims.iter().any(|&d| d < u64::from(features) || d > 256) {
        out.push(Violation::new(field, H2, format!("k = {features}, d in {dims:?}")));
    }
}

/// H3, H4: the network's widths, step, batch and initial scales.
fn learner_violations(n: Learner<'_>, out: &mut Vec<Violation>) {
    let TargetShape { depth, features, .. } = n.shape;
    if n.widths.len() != depth as usize || n.widths.iter().any(|&m| m < features) {
        out.push(Violation::new(
            "params.widths",
            H3,
            format!("widths {:?} for L = {depth} and k = {features}", n.widths),
        ));
    }
    if !(n.step.is_finite() && n.step > 0.0 && n.step <= 10.0) {
        out.push(Violation::new("params.step", H4, format!("step = {}", n.step)));
    }
    if n.batch == 0 {
        out.push(Violation::new("params.batch", H4, "batch = 0"));
    }
    if n.init_scales.len() != depth as usize
        || n.init_scales.iter().any(|s| !(s.is_finite() && *s > 0.0))
    {
        out.push(Violation::new(
            "params.init_scales",
            H4,
            format!("initial scales {:?} for L = {depth}", n.init_scales),
        ));
    }
}

/// Whether a residual clip, if any, is finite and $> 0$ (H12).
fn clip_ok(clip: Option<f64>) -> bool {
    clip.is_none_or(|c| c.is_finite() && c > 0.0)
}

/// H1–H6 and H12 of a `feature-gap` claim.
fn feature_gap_violations(p: &FeatureGapParams, sizes: &[u64], out: &mut Vec<Violation>) {
    depth_violation(p.depth, true, out);
    let h12_ok = if p.depth == 3 {
        p.level2_steps.unwrap_or(0) >= 1 && matches!(p.judged_level, Some(1 | 2))
    } else {
        p.level2_steps.is_none() && p.judged_level.is_none_or(|l| l == 1)
    };
    if !h12_ok || !clip_ok(p.residual_clip) {
        out.push(Violation::new(
            "params.level2_steps",
            H12,
            format!(
                "L = {}, level2_steps = {}, judged_level = {}, residual_clip = {}",
                p.depth,
                shown(p.level2_steps),
                shown(p.judged_level),
                shown(p.residual_clip)
            ),
        ));
    }
    dims_violation(p.features, &[u64::from(p.dim)], "params.dim", out);
    learner_violations(p.learner(), out);
    schedule_violations(sizes, p.level1_steps, p.schedule_steps, out);
    if !(p.factor.is_finite() && p.factor >= 1.0) {
        out.push(Violation::new("params.factor", H6, format!("c = {}", p.factor)));
    }
}

/// H2–H4, H7 and H12 (the residual clip) of a `samples` or `depth-step` claim (the depth,
/// H1 or H15, is checked by the caller).
fn samples_violations(p: &SamplesParams, sizes: &[u64], out: &mut Vec<Violation>) {
    if !clip_ok(p.residual_clip) {
        out.push(Violation::new(
            "params.residual_clip",
            H12,
            format!("residual_clip = {}", shown(p.residual_clip)),
        ));
    }
    if !clip_ok(p.update_clip) {
        out.push(Violation::new(
            "params.update_clip",
            H12,
            format!("update_clip = {}", shown(p.update_clip)),
        ));
    }
    dims_violation(p.features, sizes, "sizes", out);
    learner_violations(p.learner(), out);
    let open_unit = |x: f64| x > 0.0 && x < 1.0;
    if !open_unit(p.ratio) {
        out.push(Violation::new("params.ratio", H7, format!("r = {}", p.ratio)));
    }
    if !open_unit(p.error_level) {
        out.push(Violation::new("params.error_level", H7, format!("τ = {}", p.error_level)));
    }
    if !(p.budget_per_d2.is_finite() && p.budget_per_d2 > 0.0) {
        out.push(Violation::new("params.budget_per_d2", H7, p.budget_per_d2.to_string()));
    }
    if p.budget_floor.is_some_and(|b| !(b.is_finite() && b > 0.0)) {
        out.push(Violation::new("params.budget_floor", H7, shown(p.budget_floor)));
    }
    if p.test_points < 100 {
        out.push(Violation::new("params.test_points", H7, p.test_points.to_string()));
    }
}

/// H1, H2 and H8–H10 of a `kernel-plateau` claim (H11 is its type: no network fields).
fn kernel_violations(p: &KernelPlateauParams, sizes: &[u64], out: &mut Vec<Violation>) {
    depth_violation(p.depth, false, out);
    dims_violation(p.features, sizes, "sizes", out);
    let k = u64::from(p.features);
    if let Some(d) = sizes.iter().find(|&&d| d < k + 1 || d > 256) {
        out.push(Violation::new("sizes", H8, format!("d = {d} with k = {k}")));
    }
    let c = p.budget_fraction;
    if !(c > 0.0 && c < 1.0) {
        out.push(Violation::new("params.budget_fraction", H9, format!("c = {c}")));
    } else {
        for &d in sizes.iter().filter(|&&d| d >= 2) {
            match kernel_samples(p, d) {
                Some((n, _)) if (1.0..=MAX_KERNEL_SAMPLES).contains(&n) => {}
                other => {
                    let n = other.map_or(f64::INFINITY, |(n, _)| n);
                    out.push(Violation::new(
                        "params.budget_fraction",
                        H8,
                        format!("n = {n} at d = {d}"),
                    ));
                    break;
                }
            }
        }
    }
    if !(p.ratio > 0.0 && p.ratio < 1.0) {
        out.push(Violation::new("params.ratio", H9, format!("r = {}", p.ratio)));
    }
    if p.test_points < 500 {
        out.push(Violation::new("params.test_points", H9, p.test_points.to_string()));
    }
    if !(p.relative_ridge.is_finite() && p.relative_ridge >= 0.0) {
        out.push(Violation::new("params.relative_ridge", H10, format!("ρ = {}", p.relative_ridge)));
    }
}

/// H1–H5 and H13 of a `feature-bias` claim.
fn bias_violations(p: &FeatureBiasParams, sizes: &[u64], out: &mut Vec<Violation>) {
    depth_violation(p.depth, false, out);
    dims_violation(p.features, &[u64::from(p.dim)], "params.dim", out);
    learner_violations(p.learner(), out);
    if p.widths.first().is_some_and(|&m| m != p.features) {
        out.push(Violation::new(
            "params.widths",
            H13,
            format!("m1 = {:?} for k = {}", p.widths.first(), p.features),
        ));
    }
    if !(p.skip.is_finite() && p.skip > 0.0 && p.skip <= 10.0) {
        out.push(Violation::new("params.skip", H13, format!("κ = {}", p.skip)));
    }
    let m1 = p.widths.first().copied().unwrap_or(0);
    if p.test_points < 100 || p.test_points <= 10 * (m1 + 1) {
        out.push(Violation::new("params.test_points", H13, p.test_points.to_string()));
    }
    schedule_violations(sizes, p.level1_steps, p.schedule_steps, out);
}

/// (H5) of the schedule designs (`feature-gap`, `feature-bias`): sizes are r = α2/α1 in
/// thousandths, 1 ≤ 1000 r ≤ 999, and both phases have steps.
fn schedule_violations(sizes: &[u64], level1_steps: u32, schedule_steps: u32, out: &mut Vec<Violation>) {
    if let Some(s) = sizes.iter().find(|&&s| !(1..=999).contains(&s)) {
        out.push(Violation::new("sizes", H5, format!("size {s} (r = {})", ratio(*s))));
    }
    if level1_steps == 0 || schedule_steps == 0 {
        out.push(Violation::new(
            "params.level1_steps",
            H5,
            format!("T1 = {level1_steps}, T2 = {schedule_steps}"),
        ));
    }
}

fn three_level_violations(p: &ThreeLevelBiasParams, sizes: &[u64], out: &mut Vec<Violation>) {
    if p.depth != 3 {
        out.push(Violation::new("params.depth", H14, format!("L = {}", p.depth)));
    }
    dims_violation(p.features, &[u64::from(p.dim)], "params.dim", out);
    learner_violations(p.learner(), out);
    if p.widths.len() == 3 && (p.widths[0] != p.features || p.widths[1] != p.features) {
        out.push(Violation::new(
            "params.widths",
            H14,
            format!("m1 = {}, m2 = {} for k = {}", p.widths[0], p.widths[1], p.features),
        ));
    }
    if !(p.skip.is_finite() && p.skip > 0.0 && p.skip <= 10.0) {
        out.push(Violation::new("params.skip", H14, format!("κ = {}", p.skip)));
    }
    if !matches!(p.judged_level, 1 | 2) {
        out.push(Violation::new("params.judged_level", H14, p.judged_level.to_string()));
    }
    if !clip_ok(p.residual_clip) {
        out.push(Violation::new("params.residual_clip", H14, shown(p.residual_clip)));
    }
    let m2 = p.widths.get(1).copied().unwrap_or(0);
    if p.test_points < 100 || p.test_points <= 10 * (m2 + 1) {
        out.push(Violation::new("params.test_points", H14, p.test_points.to_string()));
    }
    schedule_violations(sizes, p.level1_steps, p.schedule_steps, out);
}
