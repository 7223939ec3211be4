//! The hypotheses (H0)–(H9) of the module docs: their statements for `thm show` and the checks
//! of a design against them.

use super::growth::GROWTH_DOUBLINGS;
use super::params::{KernelBarrierParams, KrrRun, WidthDesign, WidthGapDesign};
use super::width::width_budget;
use super::width_gap::width_gap_budget;
use super::{MAX_PARAMETERS, MAX_POPULATION_PARAMETERS, MAX_SAMPLES};
use crate::error::Violation;
use crate::special::energies::inner_product_kernel_spectrum;
use crate::theorem::About;

const H0: &str =
    "(H0) dimensions d ≥ 4 (growth claims: sizes are degrees ℓ, and degrees[ℓ-1].dims \
                  lists ≥ 3 increasing d ≥ 4 for every degree ℓ of the sweep)";
const H1: &str =
    "(H1) target = [a_0..a_K], K ≤ 6, finite, f = Σ a_k q_k(⟨w*,x⟩), a_ℓ ≠ 0 at each degree ℓ";
const H2: &str = "(H2) degree 1 ≤ ℓ ≤ 4";
const H3: &str = "(H3) the kernel has mass in degree ℓ at every d of the sweep";
const H4: &str = "(H4) ridge λ = r N_ℓ(d) d^(-ℓ) with 0 < r ≤ 0.1";
const H5: &str = "(H5) n_max = ⌈β N_ℓ(d)⌉ ≤ 20000 samples for every d, β ≥ 1";
const H6: &str = "(H6) test_points ≥ 500 (threshold and growth claims may read the learned \
                  fraction exactly instead, projection = \"funk-hecke\")";
const H7: &str = "(H7) plateau claims: n = ⌊d^(ℓ-δ)⌋ with 0 < δ ≤ 1 (plateau_gap)";
const H8: &str =
    "(H8) width claims: model random-features (kernel relu-arc-cosine) or neural-tangent \
                  (kernel relu-ntk), N_max = ⌈β N_ℓ(d) / (parameters per neuron)⌉, p_max ≤ 2500 \
                  parameters, n = sample_ratio · p_max with sample_ratio ≥ 4";

const H9: &str =
    "(H9) width-gap claims: degree ℓ ∈ {1, 2}, target [0, a_1, a_2] (Hermite h_1, h_2 of x_1 \
                  under Gaussian inputs: no constant, degree ≤ 2), and each model's widest \
                  fit has at most 9000 parameters (RF: ⌈β N_ℓ(d)⌉ neurons; NT: ⌈β N_ℓ(d)/d⌉ \
                  neurons of d parameters)";

pub(super) const ABOUT: About = About {
    hypotheses: &[
        ("sizes", H0),
        ("target", H1),
        ("degree", H2),
        ("kernel", H3),
        ("relative_ridge", H4),
        ("sample_budget", H5),
        ("test_points", H6),
        ("plateau_gap", H7),
        ("model", H8),
        ("measure", H9),
    ],
    simulation:
        "x uniform on S^(d-1)(√d), target Σ a_k q_k(x_1); kernel ridge regression with one \
                 Cholesky of K + λI solved on every prefix of a geometric n grid; threshold: the \
                 learned fraction of degree ℓ (projection on q_ℓ: a mean over fresh test points, or \
                 exact by Funk–Hecke, μ_ℓ Σ α_i q_ℓ(x_i1), with projection = \"funk-hecke\") \
                 reaches 1/2; plateau: test error at n = d^(ℓ-δ) minus the bound Σ a_k² (1 - n/B(d,k))+; \
                 growth: per trial of degree ℓ, the slope of the log threshold against log d over \
                 the degree's own dims, its budget doubled on a nested sample while censored",
};

/// Every hypothesis that the design `p` with the sweep `sizes` violates, in the order of the
/// module docs' checks: the sweep (H0, H2), the target (H1), the ridge (H4), the budget (H5),
/// the test set (H6), the design's own hypotheses (H7, H9, H8), the kernel's mass (H3).
pub(super) fn violations(p: &KernelBarrierParams, sizes: &[u64]) -> Vec<Violation> {
    let mut out = Vec::new();
    let sweeps = p.sweeps(sizes);
    let degrees: Vec<u32> = sweeps.iter().map(|(l, _)| *l).collect();
    let mut dims: Vec<u64> = sweeps.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    dims.sort_unstable();
    dims.dedup();
    let growth = matches!(p, KernelBarrierParams::Growth(_));
    if growth {
        for (l, d) in &sweeps {
            let why = if d.is_empty() {
                format!("degree {l} has no dimensions: degrees[{}] is missing", l.saturating_sub(1))
            } else if d.len() < 3 {
                format!("degree {l}: dims {d:?} has fewer than 3 values to fit a slope")
            } else if !d.windows(2).all(|w| w[0] < w[1]) {
                format!("degree {l}: dims {d:?} is not increasing")
            } else {
                continue;
            };
            out.push(Violation::new("params.degrees", H0, why));
        }
    }
    if let Some(d) = dims.iter().find(|&&d| d < 4) {
        let field = if growth { "params.degrees" } else { "sizes" };
        out.push(Violation::new(field, H0, format!("d = {d}")));
    }
    let field = if growth { "sizes" } else { "params.degree" };
    if let Some(l) = degrees.iter().find(|l| !(1..=4).contains(*l)) {
        out.push(Violation::new(field, H2, format!("ℓ = {l}")));
        return out;
    }
    let target = p.target();
    if target.is_empty() || target.len() > 7 || target.iter().any(|a| !a.is_finite()) {
        out.push(Violation::new("params.target", H1, format!("target = {target:?}")));
    } else if let Some(l) =
        degrees.iter().find(|&&l| target.get(l as usize).is_none_or(|a| *a == 0.0))
    {
        out.push(Violation::new(
            "params.target",
            H1,
            format!("a_{l} = 0: nothing to learn in degree {l}"),
        ));
    }
    let r = p.relative_ridge();
    if !(r > 0.0 && r <= 0.1) {
        out.push(Violation::new(
            "params.relative_ridge",
            H4,
            format!("r = {r} (a zero ridge leaves K singular once n > N_ℓ)"),
        ));
    }
    out.extend(budget_violations(p, &sweeps));
    let test_points = match p {
        KernelBarrierParams::Threshold(t) => Some(t.test_points),
        KernelBarrierParams::Plateau(p) => Some(p.test_points),
        KernelBarrierParams::Growth(g) => Some(g.test_points),
        KernelBarrierParams::Width(w) => Some(w.test_points),
        // The n = ∞ fit has no test set.
        KernelBarrierParams::WidthGap(_) => None,
    };
    if let Some(m) = test_points.filter(|&m| m < 500) {
        out.push(Violation::new("params.test_points", H6, format!("{m}")));
    }
    match p {
        KernelBarrierParams::Plateau(plateau) => {
            let delta = plateau.plateau_gap;
            if !(delta > 0.0 && delta <= 1.0) {
                out.push(Violation::new("params.plateau_gap", H7, format!("δ = {delta}")));
            } else if let Some(d) = dims.iter().find(|&&d| plateau.samples(d) < 1) {
                out.push(Violation::new("params.plateau_gap", H7, format!("n = 0 at d = {d}")));
            } else if let Some(d) = dims.iter().find(|&&d| plateau.samples(d) as f64 > MAX_SAMPLES)
            {
                out.push(Violation::new(
                    "params.plateau_gap",
                    H7,
                    format!("n > {MAX_SAMPLES} at d = {d}"),
                ));
            }
        }
        KernelBarrierParams::WidthGap(w) => out.extend(width_gap_violations(w, &dims)),
        KernelBarrierParams::Width(w) => out.extend(width_violations(w, &dims)),
        KernelBarrierParams::Threshold(_) | KernelBarrierParams::Growth(_) => {}
    }
    out.extend(kernel_violations(p, &sweeps));
    out
}

/// (H5): $\beta \ge 1$, and for the KRR thresholds (with a growth claim's doublings) a largest
/// training set of at most [`MAX_SAMPLES`].
fn budget_violations(p: &KernelBarrierParams, sweeps: &[(u32, Vec<u64>)]) -> Vec<Violation> {
    let bad_budget = |beta: f64| !(beta.is_finite() && beta >= 1.0);
    let (runs, doublings, field): (Vec<(KrrRun<'_>, &[u64])>, u32, &str) = match p {
        KernelBarrierParams::Threshold(t) => {
            if bad_budget(t.sample_budget) {
                let found = format!("β = {}", t.sample_budget);
                return vec![Violation::new("params.sample_budget", H5, found)];
            }
            let runs = sweeps.iter().map(|(_, dims)| (t.run(), &dims[..])).collect();
            (runs, 0, "params.sample_budget")
        }
        KernelBarrierParams::Growth(g) => {
            let runs: Vec<(KrrRun<'_>, &[u64])> =
                sweeps.iter().filter_map(|(l, dims)| Some((g.run(*l)?, &dims[..]))).collect();
            if let Some((run, _)) = runs.iter().find(|(run, _)| bad_budget(run.sample_budget)) {
                let found = format!("degree {}: β = {}", run.degree, run.sample_budget);
                return vec![Violation::new("params.degrees", H5, found)];
            }
            (runs, GROWTH_DOUBLINGS, "params.degrees")
        }
        KernelBarrierParams::Width(WidthDesign { sample_budget, .. })
        | KernelBarrierParams::WidthGap(WidthGapDesign { sample_budget, .. }) => {
            // The width designs' budgets count parameters: (H8), (H9).
            return if bad_budget(*sample_budget) {
                vec![Violation::new("params.sample_budget", H5, format!("β = {sample_budget}"))]
            } else {
                Vec::new()
            };
        }
        // A plateau claim's sample size is d^(ℓ-δ): (H7).
        KernelBarrierParams::Plateau(_) => return Vec::new(),
    };
    for (run, dims) in runs {
        let l = run.degree;
        for &d in dims.iter().filter(|&&d| d >= 4) {
            match run.budget(d).map(|(n_l, n, r)| (n_l, n << doublings, r)) {
                Some((_, n_max, _)) if n_max as f64 <= MAX_SAMPLES => {}
                Some((n_l, n_max, _)) => {
                    return vec![Violation::new(
                        field,
                        H5,
                        format!(
                            "degree {l} at d = {d} needs n ≈ {n_max} samples (2^{doublings} β · N_{l}(d), \
                             N_{l}({d}) = {n_l:.0}): a {:.1} GB kernel matrix; the largest \
                             this check solves is {MAX_SAMPLES}",
                            (n_max as f64).powi(2) * 8e-9
                        ),
                    )];
                }
                None => return vec![Violation::new("sizes", H0, format!("N_{l}({d}) overflows"))],
            }
        }
    }
    Vec::new()
}

/// (H3): the kernel is valid and has mass in every checked degree at every $d$. A width claim's
/// kernel is its model's; a plateau claim needs no mass (its bound holds for any kernel), and a
/// width-gap claim's degrees 1 and 2 carry mass in both ReLU kernels at every $d$.
fn kernel_violations(p: &KernelBarrierParams, sweeps: &[(u32, Vec<u64>)]) -> Vec<Violation> {
    let (choice, field) = match p {
        KernelBarrierParams::Threshold(t) => (t.kernel, "params.kernel"),
        KernelBarrierParams::Plateau(p) => (p.kernel, "params.kernel"),
        KernelBarrierParams::Growth(g) => (g.kernel, "params.kernel"),
        KernelBarrierParams::Width(w) => (w.model.kernel(), "params.model"),
        KernelBarrierParams::WidthGap(_) => return Vec::new(),
    };
    let kernel = choice.kernel();
    if let Err(e) = kernel.validate() {
        return vec![Violation::new(field, H3, e.to_string())];
    }
    if matches!(p, KernelBarrierParams::Plateau(_)) {
        return Vec::new();
    }
    for (l, dims) in sweeps {
        let l = *l;
        for &d in dims.iter().filter(|&&d| d >= 4) {
            let mass = inner_product_kernel_spectrum(|s| kernel.eval(s), &[], d, l)
                .map(|s| s.mass(l as usize));
            match mass {
                Ok(m) if m > 1e-9 * kernel.eval(1.0).abs() => {}
                Ok(m) => {
                    let found = format!(
                        "the {} kernel has degree-{l} mass {m:.1e} at d = {d}: no n learns degree {l}",
                        choice.name()
                    );
                    return vec![Violation::new(field, H3, found)];
                }
                Err(e) => return vec![Violation::new(field, H3, e.to_string())],
            }
        }
    }
    Vec::new()
}

/// Hypothesis (H8) of a width claim at the dimensions `dims`.
fn width_violations(p: &WidthDesign, dims: &[u64]) -> Vec<Violation> {
    let mut out = Vec::new();
    let r = p.sample_ratio;
    if !(r.is_finite() && r >= 4.0) {
        out.push(Violation::new("params.sample_ratio", H8, format!("sample_ratio = {r}")));
    }
    let l = p.degree;
    if let Some(d) = dims.iter().filter(|&&d| d >= 4).find(|&&d| {
        width_budget(p, d).is_none_or(|(_, n_max)| {
            (n_max as u64 * p.model.parameters_per_neuron(d)) as f64 > MAX_PARAMETERS
        })
    }) {
        out.push(Violation::new(
            "params.sample_budget",
            H8,
            format!("degree {l} at d = {d} needs more than {MAX_PARAMETERS} parameters"),
        ));
    }
    out
}

/// Hypothesis (H9) of a width-gap claim at the dimensions `dims`.
fn width_gap_violations(p: &WidthGapDesign, dims: &[u64]) -> Vec<Violation> {
    let mut out = Vec::new();
    let l = p.degree;
    if !(1..=2).contains(&l) {
        out.push(Violation::new("params.degree", H9, format!("ℓ = {l}")));
    }
    if p.target.len() > 3 || p.target.first().is_some_and(|a| *a != 0.0) {
        out.push(Violation::new("params.target", H9, format!("target = {:?}", p.target)));
    }
    for &d in dims.iter().filter(|&&d| d >= 4) {
        let Some((rf, nt)) = width_gap_budget(p, d, l.clamp(1, 2)) else {
            out.push(Violation::new("sizes", H0, format!("N_{l}({d}) overflows")));
            break;
        };
        let widest = (rf as f64).max((nt * d as usize) as f64);
        if widest > MAX_POPULATION_PARAMETERS {
            out.push(Violation::new(
                "params.sample_budget",
                H9,
                format!(
                    "degree {l} at d = {d} needs {widest:.0} parameters (β = {})",
                    p.sample_budget
                ),
            ));
            break;
        }
    }
    out
}
