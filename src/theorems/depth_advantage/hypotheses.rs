//! The module's hypotheses (H1)–(H14) and the checks that name them.

use super::gap::{
    gap_two_layer_config, gap_two_layer_grid, quadratic_count, GAP_HIDDEN_RANGE, GAP_LEVEL_RANGE,
    GAP_TWO_LAYER_MAX_WORK,
};
use super::params::{
    DepthAdvantageParams, EndToEndDesign, FeatureDesign, KernelGapDesign, LinkFamily, OnsetDesign,
    OnsetSpanDesign, ReadoutDesign, Sight, SubspaceDesign, TwoLayerGapDesign,
};
use super::{hidden_dimension, polynomial_count};
use crate::error::{spelled, Violation};
use crate::sim::sight::FeatureNormalisation;
use crate::theorem::About;

const H1: &str = "(H1) 0 < ε < 1";
const H2: &str =
    "(H2) d_eff = d^ε is an integer ≥ 2 for every d of the sweep (perfect squares for ε = 1/2, \
     cubes for ε = 1/3), and d ≤ 1024";
const H3: &str = "(H3) P_k has information exponent exactly 2 (Ass. 1): distinct degrees, 2 among \
                  them, none below 2, k ≤ 8";
const H4: &str = "(H4) g* = tanh(c h) with 0 < c < ∞: information exponent 1 (Ass. 1)";
const H5: &str = "(H5) the κ grid covers the onset with room: 0.5 ≤ κ_min ≤ 1 + ε - 0.2, \
                  1 + ε + 0.3 ≤ κ_max ≤ 2.5, 0 < step ≤ 0.1, and d^(κ_max + 2)/2 ≤ 1e11 \
                  multiply-adds per trial";
const H6: &str = "(H6) d_eff/d < overlap level < 1 for every d (above the random baseline)";
pub(super) const H7: &str = "(H7) mean_samples ≥ 1000 (centring of the labels)";
const H8: &str = "(H8) `measure` picks the design (`subspace`, `feature`, `readout`, \
                  `shallow-gap-kernel`, `shallow-gap-two-layer`, `end-to-end`, `onset`, \
                  `onset-span`, `might-subspace` or `tree-subspace`); each \
                  design has the target's fields and exactly its own, all required (checked \
                  when the card is read)";
const H9: &str = "(H9) stage 2: 1 ≤ β ≤ 16 and β C(d_eff + k, k) ≤ 8000 samples (one Gram \
                  matrix), 0 < r ≤ 1, and 0 < learned level < 1";

const H10: &str = "(H10) stage 3: 1 ≤ β₂ ≤ 16 and β₂ C(d_eff + k, k) ≤ 8000 samples, \
                   0 < r ≤ 1, 4 ≤ knots ≤ 64, 16 (knots + 2) ≤ max_samples ≤ 100000, ≥ 1000 \
                   test points, and 0 < risk-ratio level < 1";

const H11: &str = "(H11) shallow gap: the target is eq. 11 (feature_degrees [2, 3], factorial, \
                   tanh(3 h)), whose plateaus docs/theory/depth-advantage.md tabulates; \
                   4 ≤ d_eff ≤ 32; the learned fraction q of the degree-2 energy sets the level \
                   τ = e₁ - q (e₁ - e₂) strictly between the plateaus with room, 0.1 ≤ q ≤ 0.9; \
                   for the kernel, 1 ≤ β ≤ 16 and β C(d + 2, 2) ≤ 8000 samples (one Gram \
                   matrix); 1000 to 100000 test points";
const H12: &str = "(H12) end to end (check D-C): d = 64 with ε = 1/2 and eq. 11's target \
                   (degrees [2, 3], factorial, tanh(3 h)), the only case the plateau constants are \
                   computed for; sizes are 100 κ with 150 ≤ 100 κ < 250 (the two-layer plateaus \
                   of degrees 3 and 4 in z); 1 ≤ p1 ≤ 2048, 1 ≤ p2 ≤ 512, 1 ≤ max_iter ≤ 5000, \
                   ≥ 1000 test points";

const H13: &str = "(H13) onset: 1 ≤ p1 ≤ 2048, 1 ≤ p2 ≤ 512, and at most 50 000 training samples \
                   (d^κ_max at the largest d: a phase-1 run costs ~ 15 ln d · n · 4 p1 (d + p2) \
                   multiply-adds)";

const H14: &str = "(H14) shallow gap against the two-layer net: 0 < coef_iter ≤ 5 (the \
                   reference's value), a width p = ⌊n_max^0.9⌋/15 of at least C(d_eff + 2, 2), \
                   the polynomials of degree ≤ 2 in z the level needs, and at most 1e12 \
                   multiply-adds per run (steps × 0.7 n_max × d × p)";

const H15: &str = "(H15) onset-span: the first width p1 = ⌈d^a⌉ grows at least as fast as Thm \
                   1 takes it, kε ≤ a ≤ 2, and p1 ≤ 2048 at the largest d; 1 ≤ p2 ≤ 512; the \
                   level's share 0.1 ≤ q ≤ 0.9 of the way from the baseline d_eff/d to 1; at \
                   most 50 000 training samples and 2e12 multiply-adds per phase-1 run at the \
                   grid's end (⌊15 ln d/0.7⌋ · 0.7 n · 4 p1 (d + p2))";

pub(super) const ABOUT: About = About {
    hypotheses: &[
        ("epsilon", H1),
        ("sizes", H2),
        ("feature_degrees", H3),
        ("link_scale", H4),
        ("kappa_max", H5),
        ("overlap_level", H6),
        ("mean_samples", H7),
        ("measure", H8),
        ("sample_budget", H9),
        ("feature_budget", H10),
        ("learned_fraction", H11),
        ("dimension", H12),
        ("widths", H13),
        ("coef_iter", H14),
        ("width_exponent", H15),
        ("branches", super::might::H16),
        ("epsilon2", super::might::H17),
        ("two_layer_width", super::fig2::H18),
    ],
    simulation: "stage 1: a stream of Gaussian samples labelled by a SIGHT target; the d_eff \
                 eigenvectors of largest |λ| of M_n = (1/n) Σ (y - ȳ)(x xᵀ - I) at n = d^κ; the \
                 threshold n₁* is where their overlap with W* first reaches the level. Stage 2: \
                 kernel ridge regression of h* on z = W* x ~ N(0, I_d_eff) (the subspace given, \
                 infinite width; Mehler kernel, ρ = 1/d_eff, per-sample ridge r ρ^k) on nested \
                 prefixes; the threshold n₂* is where the learned fraction of h*'s degree-k \
                 component (exact: Hermite products are the kernel's eigenfunctions) first \
                 reaches the level. Stage 3: stage 2's fit ĥ at β₂ C samples fixed, a linear \
                 spline in ĥ fitted to y on n₃ fresh samples; n₃* is where its test error's \
                 ratio MSE(n₃ max)/MSE(n₃) first reaches the level. Shallow gap: on one draw \
                 of n samples, the layer-wise learner (stage 1's top-|λ| subspace Û of M_n, \
                 then least squares of y on the Hermite products of degree ≤ k of Ûᵀx) and \
                 KRR with e^(xᵀx'/d) on x itself; each threshold is where its test error \
                 first reaches τ (the kernel's fitted against C(d+2, 2)). End to end (check \
                 D-C): the reference's three-layer ReLU net trained layer by layer (minibatch \
                 GD on W1, then W2, ridge readout) on n = 64^κ samples; the margin \
                 ln(plateau/test error) against the two-layer plateau of κ. Onset: the same \
                 net's first phase alone (max_iter1 = 15 ln d GD iterations) on n = d^κ fresh \
                 samples at each κ of the grid; n₁* is where M_W² first reaches the level. \
                 Onset-span: the same with p1 = ⌈d^a⌉, reading the overlap of W1's top d_eff \
                 right singular vectors with W* against the level b + q (1 - b), b = d_eff/d; \
                 a diverged run is re-run once at half the step, and counted",
};

/// The largest $d$ (H2): a trial costs $n_{\max} d^2/2$ and one $d^3$ eigensolve per grid
/// point.
const MAX_DIMENSION: u64 = 1024;
/// The largest multiply-add count of a trial's moment accumulation (H5): about 10 s on one
/// core at the 20 GFLOP/s of a triangular rank-k update.
const MAX_TRIAL_WORK: f64 = 1e11;

/// The admissible dimensions nearest to `d` from below and above, for error messages.
pub(super) fn admissible_neighbours(epsilon: f64, d: u64) -> (u64, u64) {
    let root = (d as f64).powf(epsilon);
    let below = root.floor().powf(1.0 / epsilon).round() as u64;
    let above = (root.floor() + 1.0).powf(1.0 / epsilon).round() as u64;
    (below, above)
}

/// Every violated hypothesis of `p` on `sizes` ([`crate::theorem::TypedTheorem::violations`]).
pub(super) fn violations(p: &DepthAdvantageParams, sizes: &[u64]) -> Vec<Violation> {
    let mut out = Vec::new();
    let s = p.sight();
    let eps = s.epsilon;
    let eps_ok = eps.is_finite() && eps > 0.0 && eps < 1.0;
    if !eps_ok {
        out.push(Violation::new("params.epsilon", H1, format!("ε = {eps}")));
    }
    // End to end, the sizes are 100 κ at one d (H12), not dimensions.
    let by_dimension =
        !matches!(p, DepthAdvantageParams::EndToEnd(_) | DepthAdvantageParams::Fig2(_));
    if let Some(&d) = sizes.iter().find(|&&d| by_dimension && d > MAX_DIMENSION) {
        out.push(Violation::new("sizes", H2, format!("d = {d} > {MAX_DIMENSION}")));
    } else if eps_ok && by_dimension {
        for &d in sizes {
            match hidden_dimension(eps, d) {
                Some(k) if k >= 2 => {}
                Some(k) => {
                    out.push(Violation::new("sizes", H2, format!("d = {d} gives d_eff = {k} < 2")))
                }
                None => {
                    let (below, above) = admissible_neighbours(eps, d);
                    out.push(Violation::new(
                        "sizes",
                        H2,
                        format!(
                            "d = {d}: d^ε = {:.4} is not an integer; the nearest admissible \
                             d are {below} and {above}",
                            (d as f64).powf(eps)
                        ),
                    ));
                }
            }
        }
    }
    let degrees = s.feature_degrees;
    let mut sorted = degrees.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != degrees.len()
        || !degrees.contains(&2)
        || degrees.iter().any(|&j| !(2..=8).contains(&j))
    {
        out.push(Violation::new("params.feature_degrees", H3, format!("degrees {degrees:?}")));
    }
    let c = s.link_scale;
    if !(c.is_finite() && c > 0.0) {
        out.push(Violation::new("params.link_scale", H4, format!("c = {c}")));
    }
    match p {
        DepthAdvantageParams::EndToEnd(e) => end_to_end_violations(e, sizes, &mut out),
        DepthAdvantageParams::Fig2(f) => super::fig2::fig2_violations(f, sizes, &mut out),
        // With ε outside (0, 1) d_eff is undefined: H1 is named above, the design not checked.
        _ if !eps_ok => {}
        DepthAdvantageParams::Subspace(g) => subspace_violations(g, eps, sizes, &mut out),
        DepthAdvantageParams::Feature(f) => feature_violations(f, eps, sizes, &mut out),
        DepthAdvantageParams::Readout(r) => readout_violations(r, eps, sizes, &mut out),
        DepthAdvantageParams::ShallowGapKernel(g) => {
            gap_target_violations(s, eps, sizes, g.learned_fraction, &mut out);
            kernel_gap_violations(g, sizes, &mut out);
            gap_test_points_violations(g.test_points, &mut out);
        }
        DepthAdvantageParams::ShallowGapTwoLayer(g) => {
            gap_target_violations(s, eps, sizes, g.learned_fraction, &mut out);
            two_layer_gap_violations(g, eps, sizes, &mut out);
            gap_test_points_violations(g.test_points, &mut out);
        }
        DepthAdvantageParams::Onset(o) => onset_violations(o, eps, sizes, &mut out),
        DepthAdvantageParams::OnsetSpan(o) => onset_span_violations(o, eps, sizes, &mut out),
        DepthAdvantageParams::MightSubspace(g) => {
            super::might::might_violations(g, eps, sizes, &mut out)
        }
        DepthAdvantageParams::TreeSubspace(t) => {
            let grid = (t.kappa_min, t.kappa_max, t.kappa_step);
            if let (true, Some(&d)) = (kappa_grid_violations(grid, None, eps, sizes, &mut out), sizes.last()) {
                let work = (d as f64).powf(t.kappa_max + 2.0) / 2.0;
                if work > MAX_TRIAL_WORK {
                    out.push(Violation::new("params.kappa_max", H5, format!("d = {d}: {work:.2e} multiply-adds")));
                }
            }
            super::might::tree_violations(t, eps, sizes, &mut out);
        }
    }
    out
}

fn end_to_end_violations(e: &EndToEndDesign, sizes: &[u64], out: &mut Vec<Violation>) {
    let eq11 = e.epsilon == 0.5
        && e.feature_degrees == [2, 3]
        && e.normalisation == FeatureNormalisation::Factorial
        && e.link == LinkFamily::Tanh
        && e.link_scale == 3.0;
    if e.dimension != 64 || !eq11 {
        out.push(Violation::new(
            "params.dimension",
            H12,
            format!(
                "d = {}, ε = {}, degrees {:?}, {} normalisation, scale {}",
                e.dimension,
                e.epsilon,
                e.feature_degrees,
                spelled(&e.normalisation),
                e.link_scale
            ),
        ));
    }
    if let Some(&s) = sizes.iter().find(|&&s| !(150..250).contains(&s)) {
        out.push(Violation::new("sizes", H12, format!("size 100 κ = {s} outside [150, 250)")));
    }
    let [p1, p2] = e.widths;
    if !(1..=2048).contains(&p1) || !(1..=512).contains(&p2) {
        out.push(Violation::new("params.widths", H12, format!("p1 = {p1}, p2 = {p2}")));
    }
    if e.max_iter.iter().any(|&m| !(1..=5000).contains(&m)) {
        out.push(Violation::new("params.max_iter", H12, format!("max_iter {:?}", e.max_iter)));
    }
    if e.test_points < 1000 {
        out.push(Violation::new(
            "params.test_points",
            H12,
            format!("{} test points", e.test_points),
        ));
    }
}

fn subspace_violations(g: &SubspaceDesign, eps: f64, sizes: &[u64], out: &mut Vec<Violation>) {
    let (lo, hi, step) = (g.kappa_min, g.kappa_max, g.kappa_step);
    let grid_ok = kappa_grid_violations((lo, hi, step), Some(g.overlap_level), eps, sizes, out);
    if let (true, Some(&d)) = (grid_ok, sizes.last()) {
        let work = (d as f64).powf(hi + 2.0) / 2.0;
        if work > MAX_TRIAL_WORK {
            out.push(Violation::new(
                "params.kappa_max",
                H5,
                format!(
                    "d = {d}, κ_max = {hi}: a trial needs {work:.2e} multiply-adds (over \
                     {MAX_TRIAL_WORK:.0e}: about {:.0} s on one core)",
                    work / 1e10
                ),
            ));
        }
    }
    if g.mean_samples < 1000 {
        out.push(Violation::new(
            "params.mean_samples",
            H7,
            format!("mean_samples = {}", g.mean_samples),
        ));
    }
}

/// H5 (the grid in κ covers the onset $1 + \varepsilon$) and H6 (the level lies above every
/// size's random baseline $d_{\rm eff}/d$) for the designs `subspace` and `onset` (`onset-span`
/// has no fixed level: `None`, H6 is not checked); whether the grid is valid.
fn kappa_grid_violations(
    (lo, hi, step): (f64, f64, f64),
    level: Option<f64>,
    eps: f64,
    sizes: &[u64],
    out: &mut Vec<Violation>,
) -> bool {
    let grid_ok = lo.is_finite()
        && hi.is_finite()
        && step.is_finite()
        && (0.5..=1.0 + eps - 0.2).contains(&lo)
        && (1.0 + eps + 0.3..=2.5).contains(&hi)
        && step > 0.0
        && step <= 0.1;
    if !grid_ok {
        out.push(Violation::new(
            "params.kappa_max",
            H5,
            format!(
                "κ in [{lo}, {hi}] step {step}; the onset 1 + ε = {:.3} needs κ_min ≤ {:.3} and \
                 κ_max ≥ {:.3}",
                1.0 + eps,
                1.0 + eps - 0.2,
                1.0 + eps + 0.3
            ),
        ));
    }
    let worst = sizes
        .iter()
        .filter_map(|&d| hidden_dimension(eps, d).map(|k| k as f64 / d as f64))
        .fold(0.0f64, f64::max);
    if let Some(level) = level.filter(|l| !(l.is_finite() && *l > worst && *l < 1.0)) {
        out.push(Violation::new(
            "params.overlap_level",
            H6,
            format!("level {level}, largest random baseline d_eff/d = {worst:.3}"),
        ));
    }
    grid_ok
}

/// The most training samples of an onset trial (H13): a phase-1 run on $n$ samples costs about
/// $\lfloor 15 \ln d / 0.7\rfloor \cdot 0.7 n \cdot 4 p_1 (d + p_2)$ multiply-adds, ~$2 \cdot
/// 10^{11}$ at $d = 100$, $n = 50\,000$, $p_1 = 256$ (about 10 s in f32 on one core).
const ONSET_MAX_SAMPLES: f64 = 50_000.0;

fn onset_violations(o: &OnsetDesign, eps: f64, sizes: &[u64], out: &mut Vec<Violation>) {
    let (lo, hi, step) = (o.kappa_min, o.kappa_max, o.kappa_step);
    let grid_ok = kappa_grid_violations((lo, hi, step), Some(o.overlap_level), eps, sizes, out);
    let [p1, p2] = o.widths;
    let n_max = sizes.last().map_or(0.0, |&d| (d as f64).powf(hi));
    if !((1..=2048).contains(&p1) && (1..=512).contains(&p2)) {
        out.push(Violation::new("params.widths", H13, format!("widths [{p1}, {p2}]")));
    }
    if grid_ok && n_max > ONSET_MAX_SAMPLES {
        out.push(Violation::new(
            "params.kappa_max",
            H13,
            format!("d^κ_max = {n_max:.0} samples at the largest d"),
        ));
    }
}

/// The most multiply-adds of one `onset-span` phase-1 run at the grid's end (H15): about 100 s
/// in f32 on one core.
const ONSET_SPAN_MAX_WORK: f64 = 2e12;

fn onset_span_violations(o: &OnsetSpanDesign, eps: f64, sizes: &[u64], out: &mut Vec<Violation>) {
    let (lo, hi, step) = (o.kappa_min, o.kappa_max, o.kappa_step);
    // The level b + q (1 - b) moves with d and lies above every baseline when 0 < q < 1.
    let q = o.level_fraction;
    let q_ok = q.is_finite() && (0.1..=0.9).contains(&q);
    if !q_ok {
        out.push(Violation::new("params.level_fraction", H15, format!("q = {q}")));
    }
    let grid_ok = kappa_grid_violations((lo, hi, step), None, eps, sizes, out);
    let k = f64::from(o.sight().degree());
    let a = o.width_exponent;
    let d_max = sizes.last().copied().unwrap_or(1);
    if !(a.is_finite() && a >= k * eps && a <= 2.0) {
        out.push(Violation::new(
            "params.width_exponent",
            H15,
            format!("a = {a}, kε = {:.3}", k * eps),
        ));
    } else if o.first_width(d_max) > 2048 {
        out.push(Violation::new(
            "params.width_exponent",
            H15,
            format!("p1 = ⌈{d_max}^{a}⌉ = {} > 2048", o.first_width(d_max)),
        ));
    }
    let p2 = o.second_width;
    if !(1..=512).contains(&p2) {
        out.push(Violation::new("params.second_width", H15, format!("p2 = {p2}")));
    }
    if grid_ok {
        let n_max = (d_max as f64).powf(hi);
        let steps = (15.0 * (d_max as f64).ln() / 0.7).floor();
        let work = steps * 0.7 * n_max * 4.0 * o.first_width(d_max) as f64 * (d_max as f64 + p2 as f64);
        if n_max > ONSET_MAX_SAMPLES || (a.is_finite() && work > ONSET_SPAN_MAX_WORK) {
            out.push(Violation::new(
                "params.kappa_max",
                H15,
                format!(
                    "d^κ_max = {n_max:.0} samples, {work:.2e} multiply-adds per run at the largest d"
                ),
            ));
        }
    }
}

/// The most samples of a stage-2 trial: one Gram matrix of $8000^2$ (512 MB).
const MAX_FEATURE_SAMPLES: f64 = 8000.0;

/// A stage-2 sample budget `beta` (symbol `beta_symbol`, card field `field`, hypothesis
/// `hypothesis`): in [1, 16], and at the largest d at most [`MAX_FEATURE_SAMPLES`] samples,
/// `beta C(d_eff + k, k)`. Stage 3 fits stage 2 at its own budget, so both stages check it.
fn stage2_budget_violation(
    (field, hypothesis, beta_symbol): (&str, &str, &str),
    beta: f64,
    degree: u32,
    eps: f64,
    sizes: &[u64],
) -> Option<Violation> {
    if !(beta.is_finite() && (1.0..=16.0).contains(&beta)) {
        return Some(Violation::new(field, hypothesis, format!("{beta_symbol} = {beta}")));
    }
    let d = *sizes.last()?;
    let d_eff = hidden_dimension(eps, d)?;
    let n = beta * polynomial_count(d_eff, degree);
    (n > MAX_FEATURE_SAMPLES).then(|| {
        Violation::new(
            field,
            hypothesis,
            format!(
                "d = {d} (d_eff = {d_eff}): {beta_symbol} C(d_eff + k, k) = {n:.0} samples > \
                 {MAX_FEATURE_SAMPLES}"
            ),
        )
    })
}

fn feature_violations(f: &FeatureDesign, eps: f64, sizes: &[u64], out: &mut Vec<Violation>) {
    let budget = ("params.sample_budget", H9, "β");
    out.extend(stage2_budget_violation(budget, f.sample_budget, f.sight().degree(), eps, sizes));
    let r = f.relative_ridge;
    if !(r.is_finite() && r > 0.0 && r <= 1.0) {
        out.push(Violation::new("params.relative_ridge", H9, format!("r = {r}")));
    }
    let level = f.learned_level;
    if !(level.is_finite() && level > 0.0 && level < 1.0) {
        out.push(Violation::new("params.learned_level", H9, format!("level {level}")));
    }
}

fn readout_violations(r: &ReadoutDesign, eps: f64, sizes: &[u64], out: &mut Vec<Violation>) {
    let budget = ("params.feature_budget", H10, "β₂");
    out.extend(stage2_budget_violation(budget, r.feature_budget, r.sight().degree(), eps, sizes));
    let ridge = r.relative_ridge;
    if !(ridge.is_finite() && ridge > 0.0 && ridge <= 1.0) {
        out.push(Violation::new("params.relative_ridge", H10, format!("r = {ridge}")));
    }
    if !(4..=64).contains(&r.knots) {
        out.push(Violation::new("params.knots", H10, format!("{} knots", r.knots)));
    }
    let least = 16 * (u64::from(r.knots) + 2);
    if !(least..=100_000).contains(&r.max_samples) {
        out.push(Violation::new(
            "params.max_samples",
            H10,
            format!("max_samples = {} (at least {least} for {} knots)", r.max_samples, r.knots),
        ));
    }
    if r.test_points < 1000 {
        out.push(Violation::new(
            "params.test_points",
            H10,
            format!("{} test points", r.test_points),
        ));
    }
    let level = r.risk_ratio_level;
    if !(level.is_finite() && level > 0.0 && level < 1.0) {
        out.push(Violation::new("params.risk_ratio_level", H10, format!("level {level}")));
    }
}

/// H11's part shared by both shallow learners: eq. 11's target, $d_{\rm eff}$ in range, and
/// the learned fraction $q$ that sets the level.
fn gap_target_violations(
    s: Sight<'_>,
    eps: f64,
    sizes: &[u64],
    learned_fraction: f64,
    out: &mut Vec<Violation>,
) {
    let mut degrees = s.feature_degrees.to_vec();
    degrees.sort_unstable();
    let running_example = degrees == [2, 3]
        && s.normalisation == FeatureNormalisation::Factorial
        && s.link == LinkFamily::Tanh
        && s.link_scale == 3.0;
    if !running_example {
        out.push(Violation::new(
            "params.measure",
            H11,
            format!(
                "target with degrees {:?}, {} normalisation, link scale {}",
                s.feature_degrees,
                spelled(&s.normalisation),
                s.link_scale
            ),
        ));
    }
    let (lo, hi) = GAP_HIDDEN_RANGE;
    if let Some((d, k)) = sizes
        .iter()
        .filter_map(|&d| hidden_dimension(eps, d).map(|k| (d, k)))
        .find(|&(_, k)| !(lo..=hi).contains(&k))
    {
        out.push(Violation::new("sizes", H11, format!("d = {d} gives d_eff = {k}")));
    }
    let q = learned_fraction;
    if !(q.is_finite() && (GAP_LEVEL_RANGE.0..=GAP_LEVEL_RANGE.1).contains(&q)) {
        out.push(Violation::new("params.learned_fraction", H11, format!("q = {q}")));
    }
}

/// H11: the kernel's budget, one Gram matrix at the largest $d$.
fn kernel_gap_violations(g: &KernelGapDesign, sizes: &[u64], out: &mut Vec<Violation>) {
    let beta = g.kernel_budget;
    if !(beta.is_finite() && (1.0..=16.0).contains(&beta)) {
        out.push(Violation::new("params.kernel_budget", H11, format!("β = {beta}")));
    } else if let Some(&d) = sizes.last() {
        let n = (beta * quadratic_count(d)).ceil();
        if n > MAX_FEATURE_SAMPLES {
            out.push(Violation::new(
                "params.kernel_budget",
                H11,
                format!("d = {d}: β C(d + 2, 2) = {n:.0} samples > {MAX_FEATURE_SAMPLES}"),
            ));
        }
    }
}

/// H11: the shared test set.
fn gap_test_points_violations(test_points: u64, out: &mut Vec<Violation>) {
    if !(1000..=100_000).contains(&test_points) {
        out.push(Violation::new("params.test_points", H11, format!("{test_points} test points")));
    }
}

/// H14: the two-layer net's iterations, width and cost at every $d$ of the sweep.
fn two_layer_gap_violations(
    g: &TwoLayerGapDesign,
    eps: f64,
    sizes: &[u64],
    out: &mut Vec<Violation>,
) {
    let c = g.coef_iter;
    if !(c.is_finite() && c > 0.0 && c <= 5.0) {
        out.push(Violation::new("params.coef_iter", H14, format!("coef_iter = {c}")));
        return;
    }
    for &d in sizes {
        let Some(d_eff) = hidden_dimension(eps, d) else { continue };
        let cfg = gap_two_layer_config(c, d);
        let needed = polynomial_count(d_eff, 2);
        let n_max = gap_two_layer_grid(eps, d).last().copied().unwrap_or(0) as f64;
        let work = cfg.steps() as f64 * 0.7 * n_max * d as f64 * cfg.p as f64;
        if (cfg.p as f64) < needed {
            out.push(Violation::new(
                "sizes",
                H14,
                format!("d = {d}: width p = {} < C(d_eff + 2, 2) = {needed}", cfg.p),
            ));
            return;
        }
        if work > GAP_TWO_LAYER_MAX_WORK {
            out.push(Violation::new(
                "params.coef_iter",
                H14,
                format!("d = {d}: {work:.2e} multiply-adds per run > {GAP_TWO_LAYER_MAX_WORK:.0e}"),
            ));
            return;
        }
    }
}
