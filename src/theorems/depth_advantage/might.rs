//! Issue 25, parts 3 and 4: stage 1's spectral proxy on MIGHT targets (the compositional
//! information exponent, CIE) and on the two-level deep MIGHT tree (Theorem 2's first
//! threshold). Targets in [`crate::sim::might`]; the derivations in
//! `docs/theory/depth-advantage.md`, "MIGHT targets and Theorem 2" and "The CIE pair through
//! stage 1".
//!
//! **CIE pair** (`measure = "might-subspace"`, $r$ branches $h_m$ of $d_{\rm eff} =
//! d^\varepsilon$ coordinates each, all signs $+1$). The proxy reads the label's
//! $\mathrm{He}_2$ coefficient along each hidden coordinate $z$ of branch 1. For
//! $g^* = \sum_m h_m + \prod_m h_m$ it is $\mathbb{E}[h_1 \mathrm{He}_2(z)] = c_2/\sqrt{d_{\rm
//! eff}}$ (the product's share vanishes with $\mathbb{E} h_m = 0$), as a SIGHT target's: onset
//! at $n \sim d^{1+\varepsilon}$. For $g^* = \mathrm{sign}(\prod_m h_m)$ the branches are
//! independent, so it factorises as $\mathbb{E}[\mathrm{sign}(h_1)\mathrm{He}_2(z)]\,
//! (\mathbb{E}\,\mathrm{sign}\,h)^{r-1}$; the first factor is of order $d_{\rm eff}^{-1/2}$
//! as the sum's, the second only $O(d_{\rm eff}^{-1/2})$ per branch ($h$ is centred, and
//! skewed only by $P_k$'s even part, at order $d_{\rm eff}^{-1/2}$). The spike is smaller by
//! $d_{\rm eff}^{-(r-1)/2}$, and the onset, where the spike beats the noise $\sqrt{d/n}$,
//! moves to $n \sim d^{1+\varepsilon} d_{\rm eff}^{r-1} = d^{1+r\varepsilon}$: $d^{2.5}$ for
//! $r = 3$, $\varepsilon = 1/2$, beyond the grid's $\kappa \le 2$. [`sign_spike`] computes the
//! two factors by Monte Carlo with their standard errors at each $d_{\rm eff}$.
//!
//! **Tree** (`measure = "tree-subspace"`). With the second polynomial $Q$ holding a linear
//! term ($\mathbb{E}[Q(u)\,u] \ne 0$, (H17)), the label's $\mathrm{He}_2$ coefficient along a
//! leaf is $\mathbb{E}[g^{*\prime}]\, q_1 c_2 / \sqrt{d^{\varepsilon_2} \cdot
//! d^{\varepsilon_1-\varepsilon_2}} \propto d^{-\varepsilon_1/2}$, a SIGHT spike in
//! $d^{\varepsilon_1}$ dimensions: the first threshold is $1 + \varepsilon_1$. Theorem 2's
//! three thresholds are [`theorem2_thresholds`].

use super::params::{MightSubspaceDesign, TreeSubspaceDesign};
use super::subspace::spectral_overlap_curve;
use super::{hidden_dimension, kappa_sample_grid};
use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::sim::might::{MightLink, MAX_BRANCHES};
use crate::special::hermite::hermite_series;
use crate::theorem::Observation;

pub(super) const H16: &str = "(H16) might-subspace: 1 ≤ r ≤ 8 branches with r d_eff ≤ d/2 for \
     every d (disjoint blocks, room for the noise); link sign-product needs r ≥ 2 and \
     1 + ε + 0.3 ≤ κ_max ≤ 1 + r ε (the rival's onset inside the grid, the predicted one past \
     it), sum-product the grid of (H5); 0.5 ≤ κ_min ≤ 1 + ε - 0.2, 0 < step ≤ 0.1, κ_max ≤ 2.5; \
     0.1 ≤ q ≤ 0.9; d^(κ_max + 2)/2 ≤ 1e11 multiply-adds per trial";
pub(super) const H17: &str = "(H17) tree-subspace: 0 < ε₂ < ε₁ = ε, d^ε₂ an integer ≥ 2 \
     dividing d^ε₁ with blocks d^(ε₁ - ε₂) ≥ 2 for every d (the levels multiply to d^ε₁ ≤ d); \
     Q's degrees distinct in 1..=8 with 1 among them (information exponent 1 above the leaves: \
     the chain's He₂ spike passes through Q's linear term); 0.1 ≤ q ≤ 0.9";

/// The most multiply-adds of one trial's moment (as stage 1's (H5)).
const MAX_TRIAL_WORK: f64 = 1e11;

/// The onset exponent of the CIE pair's proxy: $1 + \varepsilon$ (sum) or $1 + r\varepsilon$
/// (sign).
pub(super) fn might_onset(g: &MightSubspaceDesign) -> f64 {
    match g.combine {
        MightLink::SumProduct => 1.0 + g.epsilon,
        MightLink::SignProduct => 1.0 + g.branches as f64 * g.epsilon,
    }
}

/// Theorem 2's thresholds for the two-level tree, as running maxima: $[1 + \varepsilon_1,
/// k\varepsilon_1 + \varepsilon_2, k'\varepsilon_2]$ (the paper's §2 heuristic; a later stage
/// cannot come before an earlier one).
pub(super) fn theorem2_thresholds(eps1: f64, eps2: f64, k: u32, k_top: u32) -> [f64; 3] {
    let raw = [1.0 + eps1, f64::from(k) * eps1 + eps2, f64::from(k_top) * eps2];
    let mut out = raw;
    for i in 1..3 {
        out[i] = out[i].max(out[i - 1]);
    }
    out
}

fn sig3(x: f64) -> String {
    format!("{x:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The CIE pair's prediction: an exponent $1 + \varepsilon$ for the sum; for the sign, at
/// least $\kappa_{\max}$ for the threshold capped at the grid's end (its own onset $1 +
/// r\varepsilon$ lies past the grid, (H16)).
pub(super) fn might_prediction(g: &MightSubspaceDesign) -> Prediction {
    let (eps, r) = (g.epsilon, g.branches);
    let onset = might_onset(g);
    let base = Prediction {
        kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
        exponent: Exponent::Exactly(onset),
        law: String::new(),
        rationale: String::new(),
        size: "d".into(),
        observable: "n₁*".into(),
    };
    match g.combine {
        MightLink::SumProduct => Prediction {
            law: format!("n₁* ~ d^(1+ε) = d^{} (h₁+…+h_{r} + h₁⋯h_{r})", sig3(onset)),
            rationale: format!(
                "the label's He₂ coefficient along each of the r d_eff = {r} d^{} hidden \
                 directions is that of its own branch's linear term, E[h₁ He₂(z)] ∝ \
                 d_eff^(-1/2) (the product's share vanishes since E h = 0): a SIGHT spike, \
                 recovered at n ~ d^(1+ε) (Dandi, Pesce, Zdeborová, Krzakala 2025, eqs. 4–5 and \
                 §5's CIE pair; docs/theory/depth-advantage.md)",
                sig3(eps)
            ),
            ..base
        },
        MightLink::SignProduct => {
            let capped = onset.min(g.kappa_max);
            Prediction {
                exponent: Exponent::AtLeast(capped),
                law: format!(
                    "min(n₁*, d^{}) ≳ d^{} (sign(h₁⋯h_{r}): onset at d^(1+rε) = d^{})",
                    sig3(g.kappa_max),
                    sig3(capped),
                    sig3(onset)
                ),
                rationale: format!(
                    "the label's He₂ coefficient factorises over the independent branches as \
                     E[sign(h₁) He₂(z)] (E sign h)^{}, and E sign h = O(d_eff^(-1/2)) (h is \
                     skewed only by P_k's even part): the spike is d_eff^(-{}) times the \
                     sum's, so the proxy's onset moves from d^(1+ε) to d^(1+rε) = d^{}, past \
                     the grid's end d^{}; the threshold capped there grows as d^{} (Dandi, \
                     Pesce, Zdeborová, Krzakala 2025, §5's CIE conjecture; \
                     docs/theory/depth-advantage.md)",
                    r - 1,
                    sig3((r as f64 - 1.0) / 2.0),
                    sig3(onset),
                    sig3(g.kappa_max),
                    sig3(capped)
                ),
                ..base
            }
        }
    }
}

/// The tree's prediction: the first of Theorem 2's thresholds, $1 + \varepsilon_1$.
pub(super) fn tree_prediction(t: &TreeSubspaceDesign) -> Prediction {
    let (eps1, eps2) = (t.epsilon, t.epsilon2);
    let k = t.sight().degree();
    let k_top = t.top_degrees.iter().copied().max().unwrap_or(0);
    let th = theorem2_thresholds(eps1, eps2, k, k_top);
    Prediction {
        kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
        exponent: Exponent::Exactly(th[0]),
        law: format!(
            "n₁* ~ d^(1+ε₁) = d^{} (Theorem 2's thresholds [1+ε₁, kε₁+ε₂, k'ε₂] as running \
             maxima: [{}, {}, {}])",
            sig3(th[0]),
            sig3(th[0]),
            sig3(th[1]),
            sig3(th[2])
        ),
        rationale: format!(
            "two-level tree d → d^{} → d^{} → 1: the label's He₂ coefficient along a leaf \
             passes through Q's linear term and is ∝ d^(-ε₁/2), a SIGHT spike in d^ε₁ \
             dimensions, recovered at n ~ d^(1+ε₁); the next thresholds (degree {k} at the \
             leaves, degree {k_top} at the top) are not checked here (Dandi, Pesce, Zdeborová, \
             Krzakala 2025, eqs. 6–7, Theorem 2 and §2; docs/theory/depth-advantage.md)",
            sig3(eps1),
            sig3(eps2)
        ),
        size: "d".into(),
        observable: "n₁*".into(),
    }
}

/// The random baseline's level $b + q(1 - b)$ for `hidden` of `d` directions.
fn relative_level(hidden: usize, d: u64, q: f64) -> f64 {
    let b = hidden as f64 / d as f64;
    b + q * (1.0 - b)
}

/// A threshold off a curve; `capped`: a censored one is read as the grid's end (a lower bound
/// on the threshold, the sign target's reading).
fn threshold_of(curve: &[(usize, f64)], level: f64, capped: bool) -> Observation {
    let (n, values): (Vec<f64>, Vec<f64>) = curve.iter().map(|&(n, o)| (n as f64, o)).unzip();
    match Observation::threshold(&n, &values, level, 1.0) {
        Observation::Censored(end) if capped => Observation::Value(end),
        o => o,
    }
}

/// The MIGHT design's grid at $d$.
pub(super) fn might_grid(g: &MightSubspaceDesign, d: u64) -> Vec<usize> {
    kappa_sample_grid((g.kappa_min, g.kappa_max, g.kappa_step), d)
}

/// The tree design's grid at $d$.
pub(super) fn tree_grid(t: &TreeSubspaceDesign, d: u64) -> Vec<usize> {
    kappa_sample_grid((t.kappa_min, t.kappa_max, t.kappa_step), d)
}

/// One run of the MIGHT design at $d$: the overlap curve and the level.
pub(super) fn might_curve(
    g: &MightSubspaceDesign,
    d: u64,
    rng: &mut Rng,
) -> Result<(Vec<(usize, f64)>, f64), String> {
    let d_eff = hidden_dimension(g.epsilon, d).ok_or("d^ε is not an integer")?;
    let target = g.target(d as usize, d_eff);
    let mean = target.mean_estimate(g.mean_samples as usize, rng);
    let hidden = target.hidden();
    let curve = spectral_overlap_curve(d as usize, hidden, &might_grid(g, d), mean, &|x| target.value(x), rng)?;
    Ok((curve, relative_level(hidden, d, g.level_fraction)))
}

/// One trial of the MIGHT design.
pub(super) fn might_trial(g: &MightSubspaceDesign, d: u64, rng: &mut Rng) -> Observation {
    match might_curve(g, d, rng) {
        Ok((curve, level)) => threshold_of(&curve, level, g.combine == MightLink::SignProduct),
        Err(why) => Observation::Failed(why),
    }
}

/// One trial of the tree design.
pub(super) fn tree_trial(t: &TreeSubspaceDesign, d: u64, rng: &mut Rng) -> Observation {
    let Some(d_eff) = hidden_dimension(t.epsilon, d) else {
        return Observation::Failed("d^ε₁ is not an integer".into());
    };
    let Some(target) = t.target(d as usize, d_eff) else {
        return Observation::Failed("d^ε₂ is not an integer dividing d^ε₁".into());
    };
    let mean = target.mean_estimate(t.mean_samples as usize, rng);
    match spectral_overlap_curve(d as usize, d_eff, &tree_grid(t, d), mean, &|x| target.value(x), rng) {
        Ok(curve) => threshold_of(&curve, relative_level(d_eff, d, t.level_fraction), false),
        Err(why) => Observation::Failed(why),
    }
}

/// The He₂ spike of the sign link along one hidden coordinate of branch 1, by Monte Carlo on
/// `samples` draws of one branch ($d_{\rm eff}$ coordinates; all signs $+1$): $A =
/// \mathbb{E}[\mathrm{sign}(h)\,\mathrm{He}_2(z_1)]$, $B = \mathbb{E}\,\mathrm{sign}\,h$,
/// and the spike $A B^{r-1}$, each with its standard error (the spike's by the delta method,
/// $A$ and $B$ taken as independent). Used by the unit test that prints the card's numbers.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) fn sign_spike(
    feature: &[f64],
    d_eff: usize,
    branches: usize,
    samples: usize,
    rng: &mut Rng,
) -> [(f64, f64); 3] {
    let mut z = vec![0.0; d_eff];
    let (mut sa, mut sa2, mut sb) = (0.0, 0.0, 0.0);
    for _ in 0..samples {
        draw_gaussians(&mut z, rng);
        let h: f64 = z.iter().map(|&v| hermite_series(feature, v).0).sum();
        let s = if h > 0.0 { 1.0 } else if h < 0.0 { -1.0 } else { 0.0 };
        // Every coordinate plays the same role: average He_2 over them (less variance).
        let a = s * z.iter().map(|&v| v * v - 1.0).sum::<f64>() / d_eff as f64;
        sa += a;
        sa2 += a * a;
        sb += s;
    }
    let m = samples as f64;
    let (a, b) = (sa / m, sb / m);
    let se_a = ((sa2 / m - a * a) / m).sqrt();
    let se_b = ((1.0 - b * b) / m).sqrt();
    let p = (branches as i32 - 1).max(0);
    let spike = a * b.powi(p);
    let se = ((b.powi(p) * se_a).powi(2)
        + (a * f64::from(p) * b.powi((p - 1).max(0)) * se_b).powi(2))
    .sqrt();
    [(a, se_a), (b, se_b), (spike, se)]
}

/// The rivals of the two designs.
pub(super) fn might_rivals(eps: f64) -> Vec<RivalLaw> {
    let rival = |name: &str, law: String, why: &str| RivalLaw {
        name: name.into(),
        law,
        why: why.into(),
    };
    vec![
        rival(
            "sum-onset",
            format!("n₁* ~ d^(1+ε) = d^{}", sig3(1.0 + eps)),
            "a sceptic for whom the link does not matter to a spectral method: every branch \
             carries a He₂ spike of size d_eff^(-1/2) whatever g* is, so the sign target's onset \
             is the sum's (the CIE conjecture's alternative)",
        ),
        rival(
            "two-eps",
            format!("n₁* ~ d^(1+2ε) = d^{}", sig3(1.0 + 2.0 * eps)),
            "a sceptic for whom the product term dilutes the branches: the spike d^(-ε/2) read \
             as an energy condition n d^(-ε) ≳ d^(1+ε), as stage 1's rival",
        ),
    ]
}

/// The tree's rivals.
pub(super) fn tree_rivals(t: &TreeSubspaceDesign) -> Vec<RivalLaw> {
    let (eps1, eps2) = (t.epsilon, t.epsilon2);
    vec![
        RivalLaw {
            name: "level-two-count".into(),
            law: format!("n₁* ~ d^(1+ε₂) = d^{}", sig3(1.0 + eps2)),
            why: "a sceptic who sees the d^ε₂ level-2 features as the spikes: a rank-d^ε₂ BBP \
                  threshold at the parameter count d · d^ε₂"
                .into(),
        },
        RivalLaw {
            name: "quadratic-route".into(),
            law: format!("n₁* ~ d^(1+2ε₁-ε₂) = d^{}", sig3(1.0 + 2.0 * eps1 - eps2)),
            why: "a sceptic for whom the leaves reach the label only through Q's quadratic \
                  term (spike d^(-ε₂/2) d^(-(ε₁-ε₂))), as when Q has no linear part"
                .into(),
        },
    ]
}

/// A rival's curve for the two designs, or `None` if the name is not theirs.
pub(super) fn rival_value(eps: f64, eps2: Option<f64>, name: &str, d: u64) -> Option<f64> {
    let d = d as f64;
    match (name, eps2) {
        ("sum-onset", None) => Some(d.powf(1.0 + eps)),
        ("two-eps", None) => Some(d.powf(1.0 + 2.0 * eps)),
        ("level-two-count", Some(e2)) => Some(d.powf(1.0 + e2)),
        ("quadratic-route", Some(e2)) => Some(d.powf(1.0 + 2.0 * eps - e2)),
        _ => None,
    }
}

/// (H16): the MIGHT design's hypotheses (H1–H3 and H7 are checked with the shared fields).
pub(super) fn might_violations(
    g: &MightSubspaceDesign,
    eps: f64,
    sizes: &[u64],
    out: &mut Vec<Violation>,
) {
    let r = g.branches;
    let mut bad = Vec::new();
    if !(1..=MAX_BRANCHES).contains(&r) {
        bad.push(format!("r = {r}"));
    }
    if let Some(&d) = sizes.iter().find(|&&d| {
        hidden_dimension(eps, d).is_some_and(|m| 2 * r.saturating_mul(m) > d as usize)
    }) {
        bad.push(format!("d = {d}: r d_eff = {} > d/2", r * hidden_dimension(eps, d).unwrap_or(0)));
    }
    let (lo, hi, step) = (g.kappa_min, g.kappa_max, g.kappa_step);
    let top = match g.combine {
        MightLink::SumProduct => 2.5,
        MightLink::SignProduct => (1.0 + r as f64 * eps).min(2.5),
    };
    if g.combine == MightLink::SignProduct && r < 2 {
        bad.push("sign-product with r = 1 is a SIGHT target of link sign".into());
    }
    let grid_ok = [lo, hi, step].iter().all(|v| v.is_finite())
        && (0.5..=1.0 + eps - 0.2).contains(&lo)
        && (1.0 + eps + 0.3..=top).contains(&hi)
        && step > 0.0
        && step <= 0.1;
    if !grid_ok {
        bad.push(format!("κ in [{lo}, {hi}] step {step}; κ_max must lie in [{:.3}, {top:.3}]", 1.0 + eps + 0.3));
    }
    if !(0.1..=0.9).contains(&g.level_fraction) {
        bad.push(format!("q = {}", g.level_fraction));
    }
    if let (true, Some(&d)) = (grid_ok, sizes.last()) {
        let work = (d as f64).powf(hi + 2.0) / 2.0;
        if work > MAX_TRIAL_WORK {
            bad.push(format!("d = {d}, κ_max = {hi}: {work:.2e} multiply-adds"));
        }
    }
    if !bad.is_empty() {
        out.push(Violation::new("params.branches", H16, bad.join("; ")));
    }
    if g.mean_samples < 1000 {
        out.push(Violation::new(
            "params.mean_samples",
            super::hypotheses::H7,
            format!("mean_samples = {}", g.mean_samples),
        ));
    }
}

/// (H17): the tree's second level (H1–H5 and H7 are checked as stage 1's).
pub(super) fn tree_violations(
    t: &TreeSubspaceDesign,
    eps: f64,
    sizes: &[u64],
    out: &mut Vec<Violation>,
) {
    let e2 = t.epsilon2;
    let mut bad = Vec::new();
    if !(e2.is_finite() && e2 > 0.0 && e2 < eps) {
        bad.push(format!("ε₂ = {e2}, ε₁ = {eps}"));
    } else {
        for &d in sizes {
            let leaves = hidden_dimension(eps, d);
            let blocks = hidden_dimension(e2, d);
            match (leaves, blocks) {
                (Some(m), Some(b)) if b >= 2 && m % b == 0 && m / b >= 2 => {}
                _ => bad.push(format!(
                    "d = {d}: d^ε₂ = {:.4} is not an integer ≥ 2 dividing d^ε₁ = {:.4} into \
                     blocks ≥ 2",
                    (d as f64).powf(e2),
                    (d as f64).powf(eps)
                )),
            }
        }
    }
    let q = &t.top_degrees;
    let mut sorted = q.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != q.len() || !q.contains(&1) || q.iter().any(|&j| !(1..=8).contains(&j)) {
        bad.push(format!("top degrees {q:?}"));
    }
    if !(0.1..=0.9).contains(&t.level_fraction) {
        bad.push(format!("q = {}", t.level_fraction));
    }
    if !bad.is_empty() {
        out.push(Violation::new("params.epsilon2", H17, bad.join("; ")));
    }
    if t.mean_samples < 1000 {
        out.push(Violation::new(
            "params.mean_samples",
            super::hypotheses::H7,
            format!("mean_samples = {}", t.mean_samples),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;
    use crate::sim::sight::{feature_coefficients, FeatureNormalisation};

    #[test]
    fn theorem2_thresholds_are_running_maxima() {
        // ε₁ = 2/3, ε₂ = 1/3, k = 3, k' = 2: [5/3, 7/3, 7/3] (k'ε₂ = 2/3 comes with the second).
        let t = theorem2_thresholds(2.0 / 3.0, 1.0 / 3.0, 3, 2);
        let want = [5.0 / 3.0, 7.0 / 3.0, 7.0 / 3.0];
        assert!(t.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12), "{t:?}");
        // Separated jumps (the pre-conditioned stage 2 past stage 1): ε₁ = 1/2, ε₂ = 1/4, k = 4, k' = 12.
        let t = theorem2_thresholds(0.5, 0.25, 4, 12);
        assert!((t[0] - 1.5).abs() < 1e-12 && (t[1] - 2.25).abs() < 1e-12 && (t[2] - 3.0).abs() < 1e-12);
    }

    /// The CIE pair's spikes along a hidden coordinate of branch 1 (r = 3, P = (h₂ + h₃)/√2,
    /// signs +1), the sum's exact ($E[P\,\mathrm{He}_2]/\sqrt{d_{\rm eff}} = 1/\sqrt{d_{\rm
    /// eff}}$), the sign's by Monte Carlo; printed with the onset shift they imply (run with
    /// `--nocapture` for the card's numbers). Asserted: E sign h is small and shrinks with
    /// d_eff, and the sign's spike over its label's standard deviation is at least 5 times
    /// below the sum's at every d_eff of the claims.
    #[test]
    fn the_sign_links_spike_is_suppressed_by_the_branches_skew() {
        let feature = feature_coefficients(&[2, 3], FeatureNormalisation::UnitVariance);
        let mut rng = rng_from_u64(25);
        let mut last_b = f64::INFINITY;
        for (d, d_eff) in [(64u64, 8usize), (100, 10), (144, 12), (196, 14), (256, 16)] {
            let [(a, sa), (b, sb), (spike, se)] = sign_spike(&feature, d_eff, 3, 400_000, &mut rng);
            let sum_spike = 1.0 / (d_eff as f64).sqrt();
            // Label standard deviations: sum √(r + 1) = 2; sign √(1 - (E sign h)^6) ≈ 1.
            let ratio = (sum_spike / 2.0) / (spike.abs() / (1.0 - b.powi(6)).sqrt());
            let shift = 2.0 * ratio.ln() / (d as f64).ln();
            println!(
                "d {d} d_eff {d_eff}: A = {a:.4} ± {sa:.4}, E sign h = {b:.4} ± {sb:.4}, \
                 spike {spike:.5} ± {se:.5}, sum {sum_spike:.4}, SNR ratio {ratio:.1}, \
                 onset shift Δκ ≈ {shift:.2}"
            );
            assert!(b.abs() < 0.5 && b.abs() < last_b + 3.0 * sb, "E sign h = {b}");
            assert!(ratio > 5.0, "ratio {ratio}");
            last_b = b.abs();
        }
    }

    #[test]
    fn bad_might_and_tree_designs_name_their_field_and_hypothesis() {
        use super::super::params::DepthAdvantageParams;
        let mut g = MightSubspaceDesign {
            epsilon: 0.5,
            feature_degrees: vec![2, 3],
            normalisation: FeatureNormalisation::UnitVariance,
            branches: 3,
            combine: MightLink::SignProduct,
            kappa_min: 1.0,
            kappa_max: 2.0,
            kappa_step: 0.05,
            level_fraction: 0.5,
            mean_samples: 65536,
        };
        let sizes = [64, 100, 144, 196, 256];
        let check = |p: DepthAdvantageParams| super::super::hypotheses::violations(&p, &sizes);
        assert!(check(DepthAdvantageParams::MightSubspace(g.clone())).is_empty());
        g.branches = 6; // r d_eff = 48 > 64/2
        let v = check(DepthAdvantageParams::MightSubspace(g.clone()));
        assert!(v.iter().any(|v| v.field == "params.branches" && v.hypothesis == H16), "{v:?}");
        g.branches = 3;
        g.kappa_max = 2.6; // past 1 + r ε = 2.5: the capped reading would not be a lower bound
        assert!(!check(DepthAdvantageParams::MightSubspace(g.clone())).is_empty());
        let t = TreeSubspaceDesign {
            epsilon: 2.0 / 3.0,
            feature_degrees: vec![2, 3],
            normalisation: FeatureNormalisation::UnitVariance,
            link: super::super::params::LinkFamily::Tanh,
            link_scale: 1.0,
            epsilon2: 1.0 / 3.0,
            top_degrees: vec![1, 2],
            kappa_min: 1.0,
            kappa_max: 2.0,
            kappa_step: 0.05,
            level_fraction: 0.5,
            mean_samples: 65536,
        };
        let cubes = [27, 64, 125, 216, 343];
        let tc = |t: &TreeSubspaceDesign| {
            super::super::hypotheses::violations(&DepthAdvantageParams::TreeSubspace(t.clone()), &cubes)
        };
        assert!(tc(&t).is_empty(), "{:?}", tc(&t));
        let mut u = t.clone();
        u.top_degrees = vec![2]; // no linear term: information exponent 2 above the leaves
        assert!(tc(&u).iter().any(|v| v.field == "params.epsilon2" && v.hypothesis == H17));
        let mut u = t;
        u.epsilon2 = 0.7; // ε₂ > ε₁
        assert!(tc(&u).iter().any(|v| v.field == "params.epsilon2" && v.hypothesis == H17));
    }
}
