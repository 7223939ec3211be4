//! # The computational advantage of depth: a three-layer network learns a SIGHT target stage by stage
//!
//! Dandi, Pesce, Zdeborová and Krzakala (arXiv:2502.13961v4, Theorem 1; card D2 of
//! `shared/theory.md`): for a single-index hierarchical target (SIGHT, [`crate::sim::sight`])
//! $f^*(x) = g^*(h^*(x))$, $h^*(x) = a^{*\top} P_k(W^* x)/\sqrt{d^\varepsilon}$ with a hidden
//! $d_{\rm eff} = d^\varepsilon$-dimensional subspace $W^*$ and a degree-$k$ feature, a
//! three-layer network trained layer by layer recovers $W^*$ from $n_1 \sim d^{1+\varepsilon}$
//! samples (stage 1), then $h^*$ from $n_2 \sim d^{k\varepsilon}$ (stage 2), then $g^*$ from
//! $O(1)$ more (stage 3), where two-layer networks and kernels need more. Each stage is a
//! claim of its own; this module simulates **stage 1** (the other stages are not registered
//! until their simulations exist).
//!
//! ## Statement
//! `stage = "subspace"` (Thm 1(i); the spectral / one-step proxy of check D-A). The first GD
//! step on $W_1$ from a small initialisation, and the population drift of the spherical SGD of
//! Thm 1(i), are driven by the $\mathrm{He}_2$ part of the label, i.e. by
//! $M_n = \frac1n\sum_{i\le n} (y_i - \bar y)(x_i x_i^\top - I)$, whose population value
//! $c\, W^{*\top} \mathrm{diag}(a^*) W^* / \sqrt{d_{\rm eff}}$ has $d_{\rm eff}$ spikes of
//! size $\sim d^{-\varepsilon/2}$ (both signs for Rademacher $a^*$) against noise of operator
//! norm $\sim \sqrt{d/n}$. The spikes emerge (BBP-type) once $d^{-\varepsilon/2} \gtrsim
//! \sqrt{d/n}$: the subspace is recovered at $n_1^* \sim d^{1+\varepsilon}$, the number of
//! parameters of $W^*$, as Thm 1(i) states for the trained first layer.
//! * (H1) $0 < \varepsilon < 1$.
//! * (H2) $d_{\rm eff} = d^\varepsilon$ is an integer $\ge 2$ for every $d$ of the sweep
//!   (perfect squares for $\varepsilon = 1/2$, cubes for $1/3$), and $d \le 1024$.
//! * (H3) $P_k$ has information exponent exactly 2 (Ass. 1: $\mathbb{E}[P_k \mathrm{He}_2]
//!   \ne 0$, no linear part): distinct degrees, 2 among them, none below 2, $k \le 8$.
//! * (H4) $g^*(h) = \tanh(c\,h)$ with $0 < c < \infty$: information exponent 1
//!   ($\mathbb{E}[g^*(z) z] \ne 0$, Ass. 1).
//! * (H5) the grid $\kappa = \log n/\log d \in [\kappa_{\min}, \kappa_{\max}]$, step
//!   $\le 0.1$, covers the predicted onset with room: $0.5 \le \kappa_{\min} \le 1 +
//!   \varepsilon - 0.2$, $1 + \varepsilon + 0.3 \le \kappa_{\max} \le 2.5$, and a trial's
//!   cost $d^{\kappa_{\max} + 2}/2 \le 10^{11}$ multiply-adds.
//! * (H6) the overlap level lies strictly between the random baseline $d_{\rm eff}/d$ of every
//!   $d$ and 1.
//! * (H7) at least 1000 samples estimate $\mathbb{E}[y]$ for the centring.
//!
//! ## Prediction
//! [`TypedTheorem::predict`]: $n_1^*(d) \sim d^{1+\varepsilon}$, exponent $1 + \varepsilon$
//! from the claim's $\varepsilon$ (1.5 for $\varepsilon = 1/2$, 1.333 for $1/3$).
//!
//! ## Simulation
//! By rotation invariance $W^*$ is the first $d_{\rm eff}$ coordinate axes. One trial at $d$
//! draws the signs $a^*$, estimates $\mathbb{E}[y]$ from `mean_samples` draws of the hidden
//! coordinates (an independent estimate: $M_n$'s mean does not depend on it, only its noise),
//! and streams $x_i \sim N(0, I_d)$, $y_i = f^*(x_i)$ into [`HermiteMoment`] (rank-1024
//! symmetric updates, $n d^2/2$ multiply-adds for the whole stream). At each $n = d^\kappa$ of
//! the grid it takes the $d_{\rm eff}$ eigenvectors $U$ of $M_n$ of largest $|\lambda|$ and the
//! overlap $\|W^* U\|_F^2 / d_{\rm eff} \in [0, 1]$ (random baseline $d_{\rm eff}/d$). The
//! threshold $n_1^*$ is where the running maximum of the overlap crosses `overlap_level`,
//! interpolated in $\log n$; censored at the grid's end.
//!
//! ## Deviations from the source
//! * Thm 1(i) is about $T_1 = O(\mathrm{polylog}\, d)$ steps of spherical SGD on the first layer
//!   of a three-layer network. The spectral estimate is the theory file's proxy (check D-A): the
//!   same $\mathrm{He}_2$ drift, without the network. The exponent is the claim; its constant
//!   (the prototype's $\kappa^*$ sits about 0.1 above $1+\varepsilon$) is not.
//! * The running example (eq. 11: $P_3 = \mathrm{He}_2 + \mathrm{He}_3$ in the factorial
//!   normalisation, $g^* = \tanh(3\,\cdot)$, Rademacher $a^*$) lies outside Ass. 3 (tanh has a
//!   $\mathrm{He}_3$ coefficient); the theorem's proof takes $a^* = 1$. Stage 1 uses only the
//!   $\mathrm{He}_2$ part of the label, which Ass. 3 does not concern.
//!
//! ## References
//! * Y. Dandi, L. Pesce, L. Zdeborová, F. Krzakala, *The computational advantage of depth:
//!   learning high-dimensional hierarchical functions with gradient descent*, arXiv:2502.13961
//!   (v4), Theorem 1(i) and eq. 11; reference code IdePHICS/ComputationalDepth.
//! * The BBP transition: J. Baik, G. Ben Arous, S. Péché, Ann. Probab. 33 (2005).

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction};
use crate::learn::HermiteMoment;
use crate::rng::Rng;
use crate::sim::online_sgd::draw_gaussians;
use crate::sim::sight::{feature_coefficients, FeatureNormalisation, Link, SightTarget};
use crate::stats;
use crate::theorem::{About, Observation, Panel, TypedTheorem, Validated};
use faer::MatRef;
use serde::{Deserialize, Serialize};

/// The module of theorem `depth-advantage`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DepthAdvantage;

/// Which stage of the layer-wise training a claim checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Stage 1, Thm 1(i): the hidden subspace $W^*$ at $n_1^* \sim d^{1+\varepsilon}$.
    Subspace,
}

/// The outer link's family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkFamily {
    /// $\tanh(c\,h)$.
    Tanh,
}

/// Parameters of one claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthAdvantageParams {
    /// The stage checked.
    pub stage: Stage,
    /// $\varepsilon$: $d_{\rm eff} = d^\varepsilon$ hidden directions (H1, H2).
    pub epsilon: f64,
    /// The Hermite degrees of $P_k$; $k$ is the largest (H3).
    pub feature_degrees: Vec<u32>,
    /// How the Hermite terms of $P_k$ are scaled.
    pub normalisation: FeatureNormalisation,
    /// $g^*$'s family (H4).
    pub link: LinkFamily,
    /// $g^*$'s scale $c$ (H4).
    pub link_scale: f64,
    /// The grid of $\kappa = \log n / \log d$ (H5).
    pub kappa_min: f64,
    /// The grid's last $\kappa$ (H5).
    pub kappa_max: f64,
    /// The grid's step in $\kappa$ (H5).
    pub kappa_step: f64,
    /// The overlap that defines the threshold (H6).
    pub overlap_level: f64,
    /// Samples of the hidden coordinates that estimate $\mathbb{E}[y]$ (H7).
    pub mean_samples: u64,
}

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
const H7: &str = "(H7) mean_samples ≥ 1000 (centring of the labels)";

const ABOUT: About = About {
    hypotheses: &[
        ("epsilon", H1),
        ("sizes", H2),
        ("feature_degrees", H3),
        ("link_scale", H4),
        ("kappa_max", H5),
        ("overlap_level", H6),
        ("mean_samples", H7),
    ],
    simulation: "stage 1: a stream of Gaussian samples labelled by a SIGHT target; the d_eff \
                 eigenvectors of largest |λ| of M_n = (1/n) Σ (y - ȳ)(x xᵀ - I) at n = d^κ; the \
                 threshold n₁* is where their overlap with W* first reaches the level",
};

/// The largest $d$ (H2): a trial costs $n_{\max} d^2/2$ and one $d^3$ eigensolve per grid
/// point.
const MAX_DIMENSION: u64 = 1024;
/// The largest multiply-add count of a trial's moment accumulation (H5): about 10 s on one
/// core at the 20 GFLOP/s of a triangular rank-k update.
const MAX_TRIAL_WORK: f64 = 1e11;
/// Samples per rank-k update of the moment.
const BATCH: usize = 1024;
/// Runs of the overlap figure per $d$.
const PANEL_RUNS: u64 = 3;

/// $d_{\rm eff} = d^\varepsilon$ if it is an integer (to a relative $10^{-9}$), else `None`.
pub fn hidden_dimension(epsilon: f64, d: u64) -> Option<usize> {
    let root = (d as f64).powf(epsilon).round();
    let back = root.powf(1.0 / epsilon);
    ((back - d as f64).abs() <= 1e-9 * d as f64 && root >= 1.0).then_some(root as usize)
}

/// The admissible dimensions nearest to `d` from below and above, for error messages.
fn admissible_neighbours(epsilon: f64, d: u64) -> (u64, u64) {
    let root = (d as f64).powf(epsilon);
    let below = root.floor().powf(1.0 / epsilon).round() as u64;
    let above = (root.floor() + 1.0).powf(1.0 / epsilon).round() as u64;
    (below, above)
}

impl DepthAdvantageParams {
    /// The sample counts $n = \mathrm{round}(d^\kappa)$ of the grid, increasing, without repeats.
    pub fn sample_grid(&self, d: u64) -> Vec<usize> {
        let steps = ((self.kappa_max - self.kappa_min) / self.kappa_step + 1e-9).floor() as usize;
        let mut grid: Vec<usize> = (0..=steps)
            .map(|j| (d as f64).powf(self.kappa_min + j as f64 * self.kappa_step).round() as usize)
            .collect();
        grid.dedup();
        grid
    }

    fn target(&self, d: usize, d_eff: usize, rng: &mut Rng) -> SightTarget {
        let link = match self.link {
            LinkFamily::Tanh => Link::Tanh { scale: self.link_scale },
        };
        let feature = feature_coefficients(&self.feature_degrees, self.normalisation);
        SightTarget::draw(d, d_eff, feature, link, rng)
    }
}

impl TypedTheorem for DepthAdvantage {
    type Params = DepthAdvantageParams;

    fn id(&self) -> &'static str {
        "depth-advantage"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let eps = p.epsilon;
        let eps_ok = eps.is_finite() && eps > 0.0 && eps < 1.0;
        if !eps_ok {
            out.push(Violation::new("params.epsilon", H1, format!("ε = {eps}")));
        }
        if let Some(&d) = sizes.iter().find(|&&d| d > MAX_DIMENSION) {
            out.push(Violation::new("sizes", H2, format!("d = {d} > {MAX_DIMENSION}")));
        } else if eps_ok {
            for &d in sizes {
                match hidden_dimension(eps, d) {
                    Some(k) if k >= 2 => {}
                    Some(k) => out.push(Violation::new(
                        "sizes",
                        H2,
                        format!("d = {d} gives d_eff = {k} < 2"),
                    )),
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
        let degrees = &p.feature_degrees;
        let mut sorted = degrees.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != degrees.len()
            || !degrees.contains(&2)
            || degrees.iter().any(|&j| !(2..=8).contains(&j))
        {
            out.push(Violation::new("params.feature_degrees", H3, format!("degrees {degrees:?}")));
        }
        let c = p.link_scale;
        if !(c.is_finite() && c > 0.0) {
            out.push(Violation::new("params.link_scale", H4, format!("c = {c}")));
        }
        if eps_ok {
            let (lo, hi, step) = (p.kappa_min, p.kappa_max, p.kappa_step);
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
                        "κ in [{lo}, {hi}] step {step}; the onset 1 + ε = {:.3} needs \
                         κ_min ≤ {:.3} and κ_max ≥ {:.3}",
                        1.0 + eps,
                        1.0 + eps - 0.2,
                        1.0 + eps + 0.3
                    ),
                ));
            } else if let Some(&d) = sizes.last() {
                let work = (d as f64).powf(hi + 2.0) / 2.0;
                if work > MAX_TRIAL_WORK {
                    out.push(Violation::new(
                        "params.kappa_max",
                        H5,
                        format!(
                            "d = {d}, κ_max = {hi}: a trial needs {work:.2e} multiply-adds \
                             (over {MAX_TRIAL_WORK:.0e}: about {:.0} s on one core)",
                            work / 1e10
                        ),
                    ));
                }
            }
            let level = p.overlap_level;
            let worst = sizes
                .iter()
                .filter_map(|&d| hidden_dimension(eps, d).map(|k| k as f64 / d as f64))
                .fold(0.0f64, f64::max);
            if !(level.is_finite() && level > worst && level < 1.0) {
                out.push(Violation::new(
                    "params.overlap_level",
                    H6,
                    format!("level {level}, largest random baseline d_eff/d = {worst:.3}"),
                ));
            }
        }
        if p.mean_samples < 1000 {
            out.push(Violation::new(
                "params.mean_samples",
                H7,
                format!("mean_samples = {}", p.mean_samples),
            ));
        }
        out
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        let eps = p.epsilon;
        match p.stage {
            Stage::Subspace => Prediction {
                kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
                exponent: Exponent::Exactly(1.0 + eps),
                law: format!("n₁* ~ d^(1+ε) = d^{}", sig3(1.0 + eps)),
                rationale: format!(
                    "the He₂ spike of the label, of size d^(-ε/2), emerges from the noise √(d/n) \
                     at n ~ d^(1+ε): the parameter count of W* (d_eff = d^{}; Dandi, Pesce, \
                     Zdeborová, Krzakala 2025, Thm 1(i))",
                    sig3(eps)
                ),
                size: "d".into(),
                observable: "n₁*".into(),
            },
        }
    }

    fn trial(&self, p: &Validated<Self::Params>, d: u64, rng: &mut Rng) -> Observation {
        let curve = match overlap_curve(p, d, rng) {
            Ok(curve) => curve,
            Err(why) => return Observation::Failed(why),
        };
        let (n, overlaps): (Vec<f64>, Vec<f64>) = curve.iter().map(|&(n, o)| (n as f64, o)).unzip();
        Observation::threshold(&n, &overlaps, p.overlap_level, 1.0)
    }

    /// Per $d$: the overlap against $\kappa = \log n/\log d$, with the predicted onset
    /// $1 + \varepsilon$, the level and the random baseline.
    fn panel(
        &self,
        p: &Validated<Self::Params>,
        d: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        Some(overlap_panel(p, d, stream))
    }
}

/// One run's subspace overlap at every $n$ of the grid.
fn overlap_curve(
    p: &DepthAdvantageParams,
    d: u64,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let d_eff = hidden_dimension(p.epsilon, d).ok_or("d^ε is not an integer")?;
    let d = d as usize;
    let target = p.target(d, d_eff, rng);
    let mean = target.mean_estimate(p.mean_samples as usize, rng);
    let mut moment = HermiteMoment::new(d);
    let mut x = vec![0.0; d * BATCH];
    let mut weights = vec![0.0; BATCH];
    let mut curve = Vec::new();
    for n in p.sample_grid(d as u64) {
        while moment.samples() < n {
            let b = (n - moment.samples()).min(BATCH);
            draw_gaussians(&mut x[..d * b], rng);
            for (j, w) in weights[..b].iter_mut().enumerate() {
                *w = target.value(&x[j * d..(j + 1) * d]) - mean;
            }
            let batch = MatRef::from_column_major_slice(&x[..d * b], d, b);
            moment.add(batch, &weights[..b]).map_err(|e| format!("n = {n}: {e}"))?;
        }
        let overlap = moment.spike_overlap(d_eff, d_eff).map_err(|e| format!("n = {n}: {e}"))?;
        if !overlap.is_finite() {
            return Err(format!("the overlap is {overlap} at n = {n}"));
        }
        curve.push((n, overlap));
    }
    Ok(curve)
}

fn overlap_panel(
    p: &DepthAdvantageParams,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let kappa = |n: usize| (n as f64).ln() / (d as f64).ln();
    let mut points = Vec::new();
    let mut per_n: Vec<Vec<f64>> = Vec::new();
    let mut grid = Vec::new();
    for run in 0..PANEL_RUNS {
        let curve = overlap_curve(p, d, &mut stream(run))?;
        per_n.resize(curve.len(), Vec::new());
        grid = curve.iter().map(|&(n, _)| kappa(n)).collect();
        for (i, &(n, o)) in curve.iter().enumerate() {
            points.push((kappa(n), o));
            per_n[i].push(o);
        }
    }
    let medians = grid.iter().zip(&per_n).map(|(&k, o)| (k, stats::median(o))).collect();
    let d_eff = hidden_dimension(p.epsilon, d).unwrap_or(1) as f64;
    let (lo, hi) = (p.kappa_min, p.kappa_max);
    let onset = 1.0 + p.epsilon;
    Ok(Panel {
        name: format!("d{d}"),
        title: format!(
            "Stage 1 at d = {d} (d_eff = {d_eff}): overlap of the top-|λ| eigenspace of M_n with W*"
        ),
        x_label: "κ = log n / log d".into(),
        y_label: "overlap ‖W* U‖²/d_eff".into(),
        log_x: false,
        log_y: false,
        points,
        medians,
        curves: vec![
            (
                format!("predicted onset κ = 1 + ε = {}", sig3(onset)),
                vec![(onset, 0.0), (onset, 1.0)],
            ),
            (
                format!("level {}", sig3(p.overlap_level)),
                vec![(lo, p.overlap_level), (hi, p.overlap_level)],
            ),
            (
                "random baseline d_eff/d".into(),
                vec![(lo, d_eff / d as f64), (hi, d_eff / d as f64)],
            ),
        ],
    })
}

fn sig3(x: f64) -> String {
    format!("{x:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> DepthAdvantageParams {
        DepthAdvantageParams {
            stage: Stage::Subspace,
            epsilon: 0.5,
            feature_degrees: vec![2, 3],
            normalisation: FeatureNormalisation::Factorial,
            link: LinkFamily::Tanh,
            link_scale: 3.0,
            kappa_min: 1.0,
            kappa_max: 2.0,
            kappa_step: 0.05,
            overlap_level: 0.5,
            mean_samples: 10_000,
        }
    }

    fn fields(v: &[Violation]) -> Vec<&str> {
        v.iter().map(|v| v.field.as_str()).collect()
    }

    #[test]
    fn hidden_dimensions_are_exact_roots_only() {
        assert_eq!(hidden_dimension(0.5, 144), Some(12));
        assert_eq!(hidden_dimension(1.0 / 3.0, 343), Some(7));
        assert_eq!(hidden_dimension(0.5, 150), None);
        assert_eq!(admissible_neighbours(0.5, 150), (144, 169));
    }

    #[test]
    fn the_running_example_is_admissible_and_bad_inputs_name_their_hypothesis() {
        let t = DepthAdvantage;
        assert!(t.violations(&params(), &[64, 144, 256]).is_empty());
        let v = t.violations(&params(), &[64, 150]);
        assert_eq!(fields(&v), ["sizes"]);
        assert!(v[0].found.contains("144 and 169"), "{}", v[0].found);
        assert_eq!(
            fields(&t.violations(&DepthAdvantageParams { epsilon: 1.0, ..params() }, &[64])),
            ["params.epsilon"]
        );
        for degrees in [vec![3], vec![1, 2], vec![2, 2], vec![2, 9]] {
            let p = DepthAdvantageParams { feature_degrees: degrees, ..params() };
            assert_eq!(fields(&t.violations(&p, &[64])), ["params.feature_degrees"]);
        }
        let p = DepthAdvantageParams { link_scale: f64::NAN, ..params() };
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.link_scale"]);
        let p = DepthAdvantageParams { kappa_max: 1.6, ..params() };
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.kappa_max"]);
        // d = 1024 at κ_max = 2: 1024^4 / 2 = 5.5e11 multiply-adds.
        assert_eq!(fields(&t.violations(&params(), &[64, 1024])), ["params.kappa_max"]);
        let p = DepthAdvantageParams { overlap_level: 0.1, ..params() };
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.overlap_level"]);
        let p = DepthAdvantageParams { mean_samples: 10, ..params() };
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.mean_samples"]);
    }

    #[test]
    fn the_grid_runs_from_d_to_the_kappa_max_and_has_no_repeats() {
        let grid = params().sample_grid(64);
        assert_eq!((grid[0], *grid.last().unwrap()), (64, 4096));
        assert_eq!(grid.len(), 21);
        assert!(grid.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_overlap_starts_near_the_random_baseline_and_recovers_the_subspace_at_d_squared() {
        let mut rng = crate::rng::rng_from_u64(5);
        let curve = overlap_curve(&params(), 64, &mut rng).unwrap();
        // Baseline d_eff/d = 1/8; at n = d the noise dominates.
        assert!(curve[0].1 < 0.35, "{curve:?}");
        assert!(curve.last().unwrap().1 > 0.8, "{curve:?}");
    }
}
