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
use crate::learn::{gram_matrix, kernel_matrix, HermiteMoment, InnerProductKernel, Krr};
use crate::rng::Rng;
use crate::sim::online_sgd::draw_gaussians;
use crate::sim::sight::{feature_coefficients, FeatureNormalisation, Link, SightTarget};
use crate::stats;
use crate::theorem::{About, Observation, Panel, TypedTheorem, Validated};
use faer::{Mat, MatRef};
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
    /// Stage 2, Thm 1(ii): the feature $h^*$ at $n_2^* \sim d^{k\varepsilon}$, the subspace
    /// given.
    Feature,
}

impl Stage {
    /// The card's name of the stage.
    pub const fn name(self) -> &'static str {
        match self {
            Stage::Subspace => "subspace",
            Stage::Feature => "feature",
        }
    }
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
    /// The stage checked; its table (`subspace` or `feature`) holds its design (H8).
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
    /// Stage 1's design.
    #[serde(default)]
    pub subspace: Option<SubspaceDesign>,
    /// Stage 2's design.
    #[serde(default)]
    pub feature: Option<FeatureDesign>,
}

/// Stage 1's design: the grid in $\kappa$ and the threshold's level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubspaceDesign {
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

/// Stage 2's design: the kernel fit on the recovered subspace and the threshold's level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureDesign {
    /// $\beta$: the largest training set is $\beta\, C(d_{\rm eff} + k, k)$ (H9).
    pub sample_budget: f64,
    /// $r$: the ridge is $\lambda = r\, C(d_{\rm eff}+k, k)\, d_{\rm eff}^{-k}$, a per-sample
    /// ridge $r\, d_{\rm eff}^{-k}$ at $n$ = the count (H9).
    pub relative_ridge: f64,
    /// Fresh points on which the correlation with $h^*$ is measured (H9).
    pub test_points: u64,
    /// The learned fraction of $h^*$'s degree-$k$ component that defines the threshold (H9).
    pub learned_level: f64,
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
const H8: &str = "(H8) stage `subspace` has a [params.subspace] table and no [params.feature]; \
                  stage `feature` the reverse";
const H9: &str = "(H9) stage 2: 1 ≤ β ≤ 16 and β C(d_eff + k, k) ≤ 8000 samples (one Cholesky \
                  factor), 0 < r ≤ 1, ≥ 500 test points, and 0 < learned level < 1";

const ABOUT: About = About {
    hypotheses: &[
        ("epsilon", H1),
        ("sizes", H2),
        ("feature_degrees", H3),
        ("link_scale", H4),
        ("kappa_max", H5),
        ("overlap_level", H6),
        ("mean_samples", H7),
        ("stage", H8),
        ("feature", H9),
    ],
    simulation: "stage 1: a stream of Gaussian samples labelled by a SIGHT target; the d_eff \
                 eigenvectors of largest |λ| of M_n = (1/n) Σ (y - ȳ)(x xᵀ - I) at n = d^κ; the \
                 threshold n₁* is where their overlap with W* first reaches the level. Stage 2: \
                 kernel ridge regression of y on z = W* x (the subspace given, infinite width), \
                 nested prefixes of one Cholesky factor; the threshold n₂* is where the \
                 correlation of the fit with h* first reaches the level",
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
    /// The largest degree $k$ of $P_k$.
    pub fn degree(&self) -> u32 {
        self.feature_degrees.iter().copied().max().unwrap_or(0)
    }

    fn target(&self, d: usize, d_eff: usize, rng: &mut Rng) -> SightTarget {
        let link = match self.link {
            LinkFamily::Tanh => Link::Tanh { scale: self.link_scale },
        };
        let feature = feature_coefficients(&self.feature_degrees, self.normalisation);
        SightTarget::draw(d, d_eff, feature, link, rng)
    }
}

impl SubspaceDesign {
    /// The sample counts $n = \mathrm{round}(d^\kappa)$ of the grid, increasing, without repeats.
    pub fn sample_grid(&self, d: u64) -> Vec<usize> {
        let steps = ((self.kappa_max - self.kappa_min) / self.kappa_step + 1e-9).floor() as usize;
        let mut grid: Vec<usize> = (0..=steps)
            .map(|j| (d as f64).powf(self.kappa_min + j as f64 * self.kappa_step).round() as usize)
            .collect();
        grid.dedup();
        grid
    }
}

/// $C(m + k, k)$: the number of monomials of degree $\le k$ in $m$ variables, the dimension of
/// the polynomials stage 2 must fit (card D-B's pitfall: fit against it, not $d_{\rm eff}^k$).
pub fn polynomial_count(m: usize, k: u32) -> f64 {
    (1..=k as usize).map(|j| (m + j) as f64 / j as f64).product()
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
        match (p.stage, &p.subspace, &p.feature) {
            (Stage::Subspace, Some(g), None) if eps_ok => {
                subspace_violations(g, eps, sizes, &mut out)
            }
            (Stage::Feature, None, Some(f)) if eps_ok => {
                feature_violations(f, p, eps, sizes, &mut out)
            }
            (_, _, _) if !eps_ok => {}
            (stage, subspace, feature) => out.push(Violation::new(
                "params.stage",
                H8,
                format!(
                    "stage `{}` with tables: subspace {}, feature {}",
                    stage.name(),
                    if subspace.is_some() { "present" } else { "absent" },
                    if feature.is_some() { "present" } else { "absent" }
                ),
            )),
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
            Stage::Feature => {
                let k = p.degree();
                Prediction {
                    kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
                    exponent: Exponent::Exactly(f64::from(k) * eps),
                    law: format!("n₂* ~ C(d_eff+{k}, {k}) ~ d^(kε) = d^{}", sig3(f64::from(k) * eps)),
                    rationale: format!(
                        "with W* known, h* is a degree-{k} polynomial of d_eff = d^{} variables: \
                         a kernel fit learns it once n reaches the C(d_eff+{k}, {k}) ~ d_eff^{k}/{k}! \
                         polynomials of that degree (Dandi, Pesce, Zdeborová, Krzakala 2025, \
                         Thm 1(ii))",
                        sig3(eps)
                    ),
                    size: "d".into(),
                    observable: format!("n₂*·d^{}/C(d_eff+{k},{k})", sig3(f64::from(k) * eps)),
                }
            }
        }
    }

    fn trial(&self, p: &Validated<Self::Params>, d: u64, rng: &mut Rng) -> Observation {
        let (curve, level, scale) = match (&p.subspace, &p.feature) {
            (Some(g), _) => (overlap_curve(p, g, d, rng), g.overlap_level, 1.0),
            (_, Some(f)) => {
                let scale = feature_scale(p, d);
                (learned_fraction_curve(p, f, d, rng), f.learned_level, scale)
            }
            (None, None) => return Observation::Failed("no stage design".into()),
        };
        let curve = match curve {
            Ok(curve) => curve,
            Err(why) => return Observation::Failed(why),
        };
        let (n, values): (Vec<f64>, Vec<f64>) = curve.iter().map(|&(n, o)| (n as f64, o)).unzip();
        Observation::threshold(&n, &values, level, scale)
    }

    /// Per $d$: stage 1, the overlap against $\kappa = \log n/\log d$ with the predicted onset
    /// $1 + \varepsilon$, the level and the random baseline; stage 2, the correlation against
    /// $n$ with the polynomial count marked.
    fn panel(
        &self,
        p: &Validated<Self::Params>,
        d: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        match (&p.subspace, &p.feature) {
            (Some(g), _) => Some(overlap_panel(p, g, d, stream)),
            (_, Some(f)) => Some(correlation_panel(p, f, d, stream)),
            (None, None) => None,
        }
    }
}

/// The threshold's scale for stage 2: $d^{k\varepsilon} / C(d_{\rm eff} + k, k)$, so that
/// $n_2^* \propto C(d_{\rm eff}+k, k)$ has exponent $k\varepsilon$ exactly.
fn feature_scale(p: &DepthAdvantageParams, d: u64) -> f64 {
    let k = p.degree();
    let d_eff = hidden_dimension(p.epsilon, d).unwrap_or(1);
    (d as f64).powf(f64::from(k) * p.epsilon) / polynomial_count(d_eff, k)
}

fn subspace_violations(g: &SubspaceDesign, eps: f64, sizes: &[u64], out: &mut Vec<Violation>) {
    let (lo, hi, step) = (g.kappa_min, g.kappa_max, g.kappa_step);
    let grid_ok = lo.is_finite()
        && hi.is_finite()
        && step.is_finite()
        && (0.5..=1.0 + eps - 0.2).contains(&lo)
        && (1.0 + eps + 0.3..=2.5).contains(&hi)
        && step > 0.0
        && step <= 0.1;
    if !grid_ok {
        out.push(Violation::new(
            "params.subspace.kappa_max",
            H5,
            format!(
                "κ in [{lo}, {hi}] step {step}; the onset 1 + ε = {:.3} needs κ_min ≤ {:.3} and \
                 κ_max ≥ {:.3}",
                1.0 + eps,
                1.0 + eps - 0.2,
                1.0 + eps + 0.3
            ),
        ));
    } else if let Some(&d) = sizes.last() {
        let work = (d as f64).powf(hi + 2.0) / 2.0;
        if work > MAX_TRIAL_WORK {
            out.push(Violation::new(
                "params.subspace.kappa_max",
                H5,
                format!(
                    "d = {d}, κ_max = {hi}: a trial needs {work:.2e} multiply-adds (over \
                     {MAX_TRIAL_WORK:.0e}: about {:.0} s on one core)",
                    work / 1e10
                ),
            ));
        }
    }
    let level = g.overlap_level;
    let worst = sizes
        .iter()
        .filter_map(|&d| hidden_dimension(eps, d).map(|k| k as f64 / d as f64))
        .fold(0.0f64, f64::max);
    if !(level.is_finite() && level > worst && level < 1.0) {
        out.push(Violation::new(
            "params.subspace.overlap_level",
            H6,
            format!("level {level}, largest random baseline d_eff/d = {worst:.3}"),
        ));
    }
    if g.mean_samples < 1000 {
        out.push(Violation::new(
            "params.subspace.mean_samples",
            H7,
            format!("mean_samples = {}", g.mean_samples),
        ));
    }
}

/// The most samples of a stage-2 trial: one Cholesky factor of $8000^2$ (512 MB, about 6 s).
const MAX_FEATURE_SAMPLES: f64 = 8000.0;

fn feature_violations(
    f: &FeatureDesign,
    p: &DepthAdvantageParams,
    eps: f64,
    sizes: &[u64],
    out: &mut Vec<Violation>,
) {
    let beta = f.sample_budget;
    if !(beta.is_finite() && (1.0..=16.0).contains(&beta)) {
        out.push(Violation::new("params.feature.sample_budget", H9, format!("β = {beta}")));
    } else if let Some(&d) = sizes.last() {
        if let Some(d_eff) = hidden_dimension(eps, d) {
            let n = beta * polynomial_count(d_eff, p.degree());
            if n > MAX_FEATURE_SAMPLES {
                out.push(Violation::new(
                    "params.feature.sample_budget",
                    H9,
                    format!(
                        "d = {d} (d_eff = {d_eff}): β C(d_eff + k, k) = {n:.0} samples > \
                         {MAX_FEATURE_SAMPLES}"
                    ),
                ));
            }
        }
    }
    let r = f.relative_ridge;
    if !(r.is_finite() && r > 0.0 && r <= 1.0) {
        out.push(Violation::new("params.feature.relative_ridge", H9, format!("r = {r}")));
    }
    if f.test_points < 500 {
        out.push(Violation::new(
            "params.feature.test_points",
            H9,
            format!("{} test points", f.test_points),
        ));
    }
    let level = f.learned_level;
    if !(level.is_finite() && level > 0.0 && level < 1.0) {
        out.push(Violation::new("params.feature.learned_level", H9, format!("level {level}")));
    }
}

/// The growth factor of stage 2's sample grid: 8 points per doubling.
const GRID_RATIO: f64 = 1.090_507_732_665_257_7; // 2^(1/8)

/// Samples of the hidden coordinates that estimate $c_y = \mathbb{E}[y\, u_k]$.
const PROJECTION_SAMPLES: usize = 1 << 16;

/// $u_k(z) = \sum_i a_i h_k(z_i)/\sqrt{d_{\rm eff}}$: the unit-variance degree-$k$ component of
/// $h^*$'s direction (orthogonal to every polynomial of lower degree in $z$).
fn top_component(target: &SightTarget, k: u32, z: &[f64]) -> f64 {
    let s: f64 = z
        .iter()
        .zip(&target.signs)
        .map(|(&zi, &a)| a * crate::special::hermite::normalised_hermite(k, zi).0)
        .sum();
    s / (target.d_eff as f64).sqrt()
}

/// One run of stage 2 at $d$: KRR (exponential kernel $e^{\langle z, z'\rangle/d_{\rm eff}}$)
/// of $y = f^*$ on $z = W^* x \sim N(0, I_{d_{\rm eff}})$, on nested prefixes of
/// $\beta\, C(d_{\rm eff}+k, k)$ samples, at each $n$ of a geometric grid from $C/16$: the
/// learned fraction of the degree-$k$ component $u_k$ of $h^*$,
/// $1 + \langle \hat f_n - y, u_k\rangle_m / c_y$ on $m$ fresh points (the target as a
/// control variate: the plain $\langle \hat f_n, u_k\rangle_m / c_y$ has the same mean), with
/// $c_y = \mathbb{E}[y\, u_k]$ from [`PROJECTION_SAMPLES`] independent draws.
fn learned_fraction_curve(
    p: &DepthAdvantageParams,
    f: &FeatureDesign,
    d: u64,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let d_eff = hidden_dimension(p.epsilon, d).ok_or("d^ε is not an integer")?;
    let k = p.degree();
    let count = polynomial_count(d_eff, k);
    let n_max = (f.sample_budget * count).ceil() as usize;
    let ridge = f.relative_ridge * count * (d_eff as f64).powi(-(k as i32));
    let target = p.target(d_eff, d_eff, rng);
    let mut buf = vec![0.0; d_eff];
    let mut c_y = 0.0;
    for _ in 0..PROJECTION_SAMPLES {
        draw_gaussians(&mut buf, rng);
        c_y += target.value(&buf) * top_component(&target, k, &buf);
    }
    c_y /= PROJECTION_SAMPLES as f64;
    if !(c_y.abs() > 0.0 && c_y.is_finite()) {
        return Err(format!("the label has no degree-{k} component along h* (c_y = {c_y})"));
    }
    let mut draw = |rows: usize, rng: &mut Rng| {
        let mut z = Mat::<f64>::zeros(rows, d_eff);
        let mut y = Vec::with_capacity(rows);
        let mut u = Vec::with_capacity(rows);
        for i in 0..rows {
            draw_gaussians(&mut buf, rng);
            for (j, &v) in buf.iter().enumerate() {
                z[(i, j)] = v;
            }
            y.push(target.value(&buf));
            u.push(top_component(&target, k, &buf));
        }
        (z, y, u)
    };
    let (z, y, _) = draw(n_max, rng);
    let (z_test, y_test, u_test) = draw(f.test_points as usize, rng);
    let kernel = InnerProductKernel::Exponential;
    let gram = gram_matrix(&kernel, z.as_ref()).map_err(|e| e.to_string())?;
    let krr = Krr::factor(gram, ridge).map_err(|e| format!("KRR: {e}"))?;
    let k_test = kernel_matrix(&kernel, z_test.as_ref(), z.as_ref()).map_err(|e| e.to_string())?;
    let mut grid = Vec::new();
    let mut n = (count / 16.0).max(8.0);
    while (n as usize) < n_max {
        let v = n.round() as usize;
        if grid.last() != Some(&v) {
            grid.push(v);
        }
        n *= GRID_RATIO;
    }
    grid.push(n_max);
    let m = u_test.len() as f64;
    let mut curve = Vec::with_capacity(grid.len());
    for n in grid {
        let fit = krr.predict(n, k_test.as_ref(), &y[..n]).map_err(|e| e.to_string())?;
        let residual: f64 =
            fit.iter().zip(&y_test).zip(&u_test).map(|((f, y), u)| (f - y) * u).sum::<f64>() / m;
        let fraction = 1.0 + residual / c_y;


        if !fraction.is_finite() {
            return Err(format!("the learned fraction is {fraction} at n = {n}"));
        }
        curve.push((n, fraction));
    }
    Ok(curve)
}

fn correlation_panel(
    p: &DepthAdvantageParams,
    f: &FeatureDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let mut points = Vec::new();
    let mut per_n: Vec<Vec<f64>> = Vec::new();
    let mut grid = Vec::new();
    for run in 0..PANEL_RUNS {
        let curve = learned_fraction_curve(p, f, d, &mut stream(run))?;
        per_n.resize(curve.len(), Vec::new());
        grid = curve.iter().map(|&(n, _)| n as f64).collect();
        for (i, &(n, c)) in curve.iter().enumerate() {
            points.push((n as f64, c));
            per_n[i].push(c);
        }
    }
    let medians = grid.iter().zip(&per_n).map(|(&n, c)| (n, stats::median(c))).collect();
    let d_eff = hidden_dimension(p.epsilon, d).unwrap_or(1);
    let k = p.degree();
    let count = polynomial_count(d_eff, k);
    let (lo, hi) = (grid.first().copied().unwrap_or(1.0), grid.last().copied().unwrap_or(1.0));
    Ok(Panel {
        name: format!("d{d}"),
        title: format!(
            "Stage 2 at d = {d} (d_eff = {d_eff}): learned fraction of h*'s degree-{k} part"
        ),
        x_label: "n (training samples)".into(),
        y_label: "learned fraction of h*'s degree-k component".into(),
        log_x: true,
        log_y: false,
        points,
        medians,
        curves: vec![
            (format!("C(d_eff+{k}, {k}) = {count:.0}"), vec![(count, 0.0), (count, 1.0)]),
            (
                format!("level {}", sig3(f.learned_level)),
                vec![(lo, f.learned_level), (hi, f.learned_level)],
            ),
        ],
    })
}

/// One run's subspace overlap at every $n$ of the grid.
fn overlap_curve(
    p: &DepthAdvantageParams,
    g: &SubspaceDesign,
    d: u64,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let d_eff = hidden_dimension(p.epsilon, d).ok_or("d^ε is not an integer")?;
    let d = d as usize;
    let target = p.target(d, d_eff, rng);
    let mean = target.mean_estimate(g.mean_samples as usize, rng);
    let mut moment = HermiteMoment::new(d);
    let mut x = vec![0.0; d * BATCH];
    let mut weights = vec![0.0; BATCH];
    let mut curve = Vec::new();
    for n in g.sample_grid(d as u64) {
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
    g: &SubspaceDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let kappa = |n: usize| (n as f64).ln() / (d as f64).ln();
    let mut points = Vec::new();
    let mut per_n: Vec<Vec<f64>> = Vec::new();
    let mut grid = Vec::new();
    for run in 0..PANEL_RUNS {
        let curve = overlap_curve(p, g, d, &mut stream(run))?;
        per_n.resize(curve.len(), Vec::new());
        grid = curve.iter().map(|&(n, _)| kappa(n)).collect();
        for (i, &(n, o)) in curve.iter().enumerate() {
            points.push((kappa(n), o));
            per_n[i].push(o);
        }
    }
    let medians = grid.iter().zip(&per_n).map(|(&k, o)| (k, stats::median(o))).collect();
    let d_eff = hidden_dimension(p.epsilon, d).unwrap_or(1) as f64;
    let (lo, hi) = (g.kappa_min, g.kappa_max);
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
                format!("level {}", sig3(g.overlap_level)),
                vec![(lo, g.overlap_level), (hi, g.overlap_level)],
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
            subspace: Some(grid()),
            feature: None,
        }
    }

    fn grid() -> SubspaceDesign {
        SubspaceDesign {
            kappa_min: 1.0,
            kappa_max: 2.0,
            kappa_step: 0.05,
            overlap_level: 0.5,
            mean_samples: 10_000,
        }
    }

    fn with_grid(g: SubspaceDesign) -> DepthAdvantageParams {
        DepthAdvantageParams { subspace: Some(g), ..params() }
    }

    fn stage2() -> DepthAdvantageParams {
        DepthAdvantageParams {
            stage: Stage::Feature,
            feature_degrees: vec![2, 4],
            normalisation: FeatureNormalisation::UnitVariance,
            subspace: None,
            feature: Some(FeatureDesign {
                sample_budget: 4.0,
                relative_ridge: 1e-3,
                test_points: 2000,
                learned_level: 0.5,
            }),
            ..params()
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
        let p = with_grid(SubspaceDesign { kappa_max: 1.6, ..grid() });
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.subspace.kappa_max"]);
        // d = 1024 at κ_max = 2: 1024^4 / 2 = 5.5e11 multiply-adds.
        assert_eq!(fields(&t.violations(&params(), &[64, 1024])), ["params.subspace.kappa_max"]);
        let p = with_grid(SubspaceDesign { overlap_level: 0.1, ..grid() });
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.subspace.overlap_level"]);
        let p = with_grid(SubspaceDesign { mean_samples: 10, ..grid() });
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.subspace.mean_samples"]);
        // A stage without its table, or with the other stage's.
        let p = DepthAdvantageParams { stage: Stage::Feature, ..params() };
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.stage"]);
        let p = DepthAdvantageParams { feature: stage2().feature, ..params() };
        assert_eq!(fields(&t.violations(&p, &[64])), ["params.stage"]);
    }

    #[test]
    fn stage_two_is_bounded_by_one_cholesky_factor_and_counts_polynomials() {
        let t = DepthAdvantage;
        assert!(t.violations(&stage2(), &[25, 64, 100]).is_empty());
        // C(16, 4) = 1820 at d_eff = 12: 4 x 1820 = 7280 samples fit, d_eff = 14 does not.
        assert_eq!(polynomial_count(12, 4), 1820.0);
        assert!(t.violations(&stage2(), &[144]).is_empty());
        assert_eq!(fields(&t.violations(&stage2(), &[196])), ["params.feature.sample_budget"]);
        let mut p = stage2();
        p.feature.as_mut().unwrap().learned_level = 1.2;
        assert_eq!(fields(&t.violations(&p, &[25])), ["params.feature.learned_level"]);
    }

    #[test]
    fn the_grid_runs_from_d_to_the_kappa_max_and_has_no_repeats() {
        let grid = grid().sample_grid(64);
        assert_eq!((grid[0], *grid.last().unwrap()), (64, 4096));
        assert_eq!(grid.len(), 21);
        assert!(grid.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_overlap_starts_near_the_random_baseline_and_recovers_the_subspace_at_d_squared() {
        let mut rng = crate::rng::rng_from_u64(5);
        let curve = overlap_curve(&params(), &grid(), 64, &mut rng).unwrap();
        // Baseline d_eff/d = 1/8; at n = d the noise dominates.
        assert!(curve[0].1 < 0.35, "{curve:?}");
        assert!(curve.last().unwrap().1 > 0.8, "{curve:?}");
    }
}

