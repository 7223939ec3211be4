//! The parameters of a `kernel-barrier` claim: one experiment design per `measure`, each with
//! exactly its own fields, and the choices they share (kernel, scale, projection, model).

use crate::learn::InnerProductKernel;
use crate::special::harmonics::{cumulative_harmonic_dimension_f64, harmonic_dimension_f64};
use serde::{Deserialize, Serialize};

/// Parameters of one claim: the experiment design the card's `measure` selects, with its
/// fields flat beside it in `[claims.params]`. Each field is one hypothesis of the module docs.
/// Serde buffers an internally tagged table, so an error inside it carries the table's span;
/// `CardSource::error` turns that into the line of the key concerned where it can.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum KernelBarrierParams {
    /// The sample threshold of degree $\ell$ against $d$.
    Threshold(ThresholdDesign),
    /// The test error at $n = d^{\ell-\delta}$ against the finite-$d$ plateau bound.
    Plateau(PlateauDesign),
    /// The threshold exponent against the degree.
    Growth(GrowthDesign),
    /// The width threshold of a finite-width linearised net at $n \gg$ its parameters.
    Width(WidthDesign),
    /// The width thresholds of random features and of the NT model on the same target at
    /// $n = \infty$ (Gaussian inputs, closed-form moments): a separation of one degree.
    WidthGap(WidthGapDesign),
}

/// The design a claim's `measure` selects, without its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// `measure = "threshold"`: [`KernelBarrierParams::Threshold`].
    Threshold,
    /// `measure = "plateau"`: [`KernelBarrierParams::Plateau`].
    Plateau,
    /// `measure = "growth"`: [`KernelBarrierParams::Growth`].
    Growth,
    /// `measure = "width"`: [`KernelBarrierParams::Width`].
    Width,
    /// `measure = "width-gap"`: [`KernelBarrierParams::WidthGap`].
    WidthGap,
}

/// `measure = "threshold"`: the first $n$ at which KRR has learned half of degree $\ell$,
/// against $d$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdDesign {
    /// $\ell$ (H2).
    pub degree: u32,
    /// The kernel (H3).
    pub kernel: KernelChoice,
    /// $[a_0, \dots, a_K]$ (H1).
    pub target: Vec<f64>,
    /// $r$ in $\lambda = r N_\ell(d) d^{-\ell}$ (H4).
    pub relative_ridge: f64,
    /// $\beta$: $n_{\max} = \lceil\beta N_\ell(d)\rceil$ (H5).
    pub sample_budget: f64,
    /// Fresh test points per trial (H6).
    pub test_points: u32,
    /// The scale of the observable; raw samples by default.
    #[serde(default)]
    pub threshold_scale: ThresholdScale,
    /// How the learned part of degree $\ell$ is read; the test-point mean by default. Written
    /// out only when not the default, so the resolved parameters (and certificates) of the
    /// claims that predate it are unchanged.
    #[serde(default, skip_serializing_if = "Projection::is_test_points")]
    pub projection: Projection,
}

/// `measure = "plateau"`: the test error of KRR at $n = \lfloor d^{\ell-\delta}\rfloor$
/// against the finite-$d$ bound $\mathcal{B}(n, d)$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlateauDesign {
    /// $\ell$ (H2): the plateau is $\lVert P_{\ge\ell} f\rVert^2$.
    pub degree: u32,
    /// The kernel (H3).
    pub kernel: KernelChoice,
    /// $[a_0, \dots, a_K]$ (H1).
    pub target: Vec<f64>,
    /// $r$ in $\lambda = r N_\ell(d) d^{-\ell}$ (H4).
    pub relative_ridge: f64,
    /// Fresh test points per trial (H6).
    pub test_points: u32,
    /// $\delta$ in $n = d^{\ell-\delta}$ (H7).
    pub plateau_gap: f64,
}

/// `measure = "growth"`: the threshold exponent $a_\ell$ of each degree $\ell$ (the sizes),
/// each over its own dimensions, against $\ell$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthDesign {
    /// The kernel (H3).
    pub kernel: KernelChoice,
    /// $[a_0, \dots, a_K]$ (H1).
    pub target: Vec<f64>,
    /// $r$ in $\lambda = r N_\ell(d) d^{-\ell}$ (H4).
    pub relative_ridge: f64,
    /// Fresh test points per trial (H6); drawn even with the exact projection, so that the
    /// training samples do not depend on it.
    pub test_points: u32,
    /// The scale of the thresholds; raw samples by default.
    #[serde(default)]
    pub threshold_scale: ThresholdScale,
    /// How the learned part of degree $\ell$ is read, as [`ThresholdDesign::projection`].
    #[serde(default, skip_serializing_if = "Projection::is_test_points")]
    pub projection: Projection,
    /// The sweep of each degree, entry $\ell - 1$ for degree $\ell$ (H0, H5).
    pub degrees: Vec<GrowthDegree>,
}

/// One degree of a growth claim. One list of dimensions cannot serve every degree: degree 1
/// needs $d$ large enough to be learned within $\beta N_1 = \beta (d+1)$ samples, degree 4
/// needs $d$ small enough for $\beta N_4(d) \sim \beta d^4/24$ to fit
/// [`MAX_SAMPLES`](super::MAX_SAMPLES); and the budget that keeps a threshold from being
/// censored differs by degree while its cost, $(\beta N_\ell)^3$, does not allow the largest
/// one everywhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthDegree {
    /// The dimensions of this degree's threshold sweep, increasing (H0).
    pub dims: Vec<u64>,
    /// $\beta_\ell$: the first pass fits $\lceil\beta_\ell N_\ell(d)\rceil$ samples (H5).
    pub sample_budget: f64,
}

/// `measure = "width"`: the width threshold of a linearised two-layer ReLU net trained by ridge
/// regression on $n = $ `sample_ratio` $\cdot\, p_{\max}$ samples, against $d$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidthDesign {
    /// $\ell$ (H2).
    pub degree: u32,
    /// The linearised model (H8); its infinite-width kernel is the learner's kernel (H3).
    pub model: WidthModel,
    /// $[a_0, \dots, a_K]$ (H1).
    pub target: Vec<f64>,
    /// The ridge, relative to the mean diagonal of the feature Gram matrix (H4).
    pub relative_ridge: f64,
    /// $\beta$: the widest model has $\lceil\beta N_\ell(d) / \text{(parameters per
    /// neuron)}\rceil$ neurons (H8).
    pub sample_budget: f64,
    /// Fresh test points per trial (H6).
    pub test_points: u32,
    /// The scale of the observable; raw widths by default.
    #[serde(default)]
    pub threshold_scale: ThresholdScale,
    /// Training samples per parameter of the widest model, $n / p_{\max}$ (H8).
    pub sample_ratio: f64,
}

/// `measure = "width-gap"`: the width thresholds of random features and of the NT model at
/// $n = \infty$, on Gaussian inputs, and their difference in exponent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidthGapDesign {
    /// $\ell \in \{1, 2\}$ (H2, H9).
    pub degree: u32,
    /// $[0, a_1, a_2]$: Hermite coefficients of $x_1$ (H9).
    pub target: Vec<f64>,
    /// The ridge, relative to the mean diagonal of each population Gram matrix (H4); it only
    /// keeps the Cholesky factor of a near-singular matrix defined.
    pub relative_ridge: f64,
    /// $\beta$: the widest models have $\lceil\beta N_\ell(d)\rceil$ RF and
    /// $\lceil\beta N_\ell(d)/d\rceil$ NT neurons (H9).
    pub sample_budget: f64,
}

/// The linearised two-layer ReLU net of a width claim (GMMM 2021).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WidthModel {
    /// Random features: $N$ parameters $a_i$ of $\sum_i a_i\, \mathrm{relu}(\langle w_i, x\rangle)$.
    RandomFeatures,
    /// The neural-tangent model: $Nd$ parameters $b_i$ of $\sum_i \langle b_i, x\rangle\,
    /// \mathrm{relu}'(\langle w_i, x\rangle)$.
    NeuralTangent,
}

impl WidthModel {
    /// Parameters per neuron.
    pub(super) fn parameters_per_neuron(self, d: u64) -> u64 {
        match self {
            WidthModel::RandomFeatures => 1,
            WidthModel::NeuralTangent => d,
        }
    }

    /// The model's infinite-width kernel: the arc-cosine kernel for random features, the
    /// two-layer ReLU NTK for the NT model.
    pub(super) fn kernel(self) -> KernelChoice {
        match self {
            WidthModel::RandomFeatures => KernelChoice::ReluArcCosine,
            WidthModel::NeuralTangent => KernelChoice::ReluNtk,
        }
    }
}

/// The scale thresholds are reported on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThresholdScale {
    /// $n^*$ itself.
    #[default]
    Samples,
    /// $n^*\, d^\ell / N_\ell(d)$: exponent $\ell$ exactly when $n^* \propto N_\ell(d)$.
    Harmonics,
}

impl ThresholdScale {
    /// The factor from a threshold to the observable at dimension $d$ for degree $\ell$, with
    /// $N_\ell(d)$ given: 1, or $d^\ell / N_\ell(d)$.
    pub(super) fn factor(self, d: u64, l: u32, n_l: f64) -> f64 {
        match self {
            ThresholdScale::Samples => 1.0,
            ThresholdScale::Harmonics => (d as f64).powi(l as i32) / n_l,
        }
    }
}

/// How a threshold or growth trial reads the learned part of degree $\ell$,
/// $c_\ell = \mathbb{E}_x[\hat f(x)\, q_\ell(x_1)]$.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Projection {
    /// The Monte-Carlo mean $\frac1m\sum_{\rm test} \hat f\, q_\ell$ over the `test_points`
    /// fresh points: unbiased, with a sampling error that grows with $\ell$ ($q_\ell$ is
    /// heavy-tailed at small $d$: a few tenths of the learned fraction at $\ell = 4$, $d = 11$
    /// on 2000 points).
    #[default]
    TestPoints,
    /// The exact value by the Funk–Hecke formula: for $\hat f = \sum_i \alpha_i
    /// h(\langle x_i, \cdot\rangle/d)$ and the degree-$\ell$ harmonic $q_\ell(x_1)$,
    /// $c_\ell = \mu_\ell \sum_i \alpha_i q_\ell(x_{i,1})$, with $\mu_\ell$ the kernel's
    /// degree-$\ell$ eigenvalue
    /// ([`inner_product_kernel_spectrum`](crate::special::energies::inner_product_kernel_spectrum)).
    /// No test-set noise; the test points are still drawn (the training sample is the same as
    /// with `test-points`) but not used.
    FunkHecke,
}

impl Projection {
    fn is_test_points(&self) -> bool {
        *self == Projection::TestPoints
    }
}

/// The kernel, as a card names it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum KernelChoice {
    /// $e^{s}$: mass $1/k!$ in every degree (`docs/theory/kernel-barrier.md`, §2).
    Exponential,
    /// The random-features kernel of a two-layer ReLU net (arc-cosine of order 1, halved).
    ReluArcCosine,
    /// The NTK of a two-layer ReLU net, both layers trained.
    ReluNtk,
    /// $(s + c)^p$.
    Polynomial {
        /// The degree $p$.
        degree: u32,
        /// The offset $c \ge 0$.
        offset: f64,
    },
}

impl KernelChoice {
    /// The learner's kernel.
    pub fn kernel(self) -> InnerProductKernel {
        match self {
            KernelChoice::Exponential => InnerProductKernel::Exponential,
            KernelChoice::ReluArcCosine => InnerProductKernel::ReluArcCosine,
            KernelChoice::ReluNtk => InnerProductKernel::ReluNtk { second_layer: true },
            KernelChoice::Polynomial { degree, offset } => {
                InnerProductKernel::Polynomial { degree, c: offset }
            }
        }
    }

    pub(super) fn name(self) -> String {
        match self {
            KernelChoice::Exponential => "exponential".into(),
            KernelChoice::ReluArcCosine => "relu-arc-cosine".into(),
            KernelChoice::ReluNtk => "relu-ntk".into(),
            KernelChoice::Polynomial { degree, offset } => {
                format!("polynomial (s + {offset})^{degree}")
            }
        }
    }
}

/// One KRR threshold sweep at one degree: a threshold claim, or one degree of a growth claim.
/// Everything [`escalating_threshold`](super::threshold::escalating_threshold) and the
/// hypotheses H3 to H6 read.
#[derive(Clone, Copy, Debug)]
pub(super) struct KrrRun<'a> {
    /// $\ell$.
    pub degree: u32,
    /// The kernel.
    pub kernel: KernelChoice,
    /// $[a_0, \dots, a_K]$.
    pub target: &'a [f64],
    /// $r$.
    pub relative_ridge: f64,
    /// $\beta$ of this degree.
    pub sample_budget: f64,
    /// Fresh test points per trial.
    pub test_points: u32,
    /// The scale of the threshold.
    pub threshold_scale: ThresholdScale,
    /// How the learned part of degree $\ell$ is read.
    pub projection: Projection,
}

impl ThresholdDesign {
    /// The claim's one sweep.
    pub(super) fn run(&self) -> KrrRun<'_> {
        KrrRun {
            degree: self.degree,
            kernel: self.kernel,
            target: &self.target,
            relative_ridge: self.relative_ridge,
            sample_budget: self.sample_budget,
            test_points: self.test_points,
            threshold_scale: self.threshold_scale,
            projection: self.projection,
        }
    }
}

impl GrowthDesign {
    /// The sweep of degree $\ell$: `degrees[ℓ-1]`, or `None` when the card gives none.
    pub(super) fn degree(&self, l: u32) -> Option<&GrowthDegree> {
        (l as usize).checked_sub(1).and_then(|i| self.degrees.get(i))
    }

    /// Degree $\ell$'s threshold sweep with its own budget (`None` when `degrees[ℓ-1]` is
    /// missing).
    pub(super) fn run(&self, l: u32) -> Option<KrrRun<'_>> {
        self.degree(l).map(|g| KrrRun {
            degree: l,
            kernel: self.kernel,
            target: &self.target,
            relative_ridge: self.relative_ridge,
            sample_budget: g.sample_budget,
            test_points: self.test_points,
            threshold_scale: self.threshold_scale,
            projection: self.projection,
        })
    }
}

impl PlateauDesign {
    /// $\mathcal{B}(n, d)$ for this claim's target: [`error_bound`].
    pub fn error_bound(&self, n: f64, d: u64) -> f64 {
        error_bound(&self.target, n, d)
    }

    /// The asymptotic plateau $\lVert P_{\ge\ell} f\rVert^2 = \sum_{k\ge\ell} a_k^2$.
    pub fn plateau(&self) -> f64 {
        self.target.iter().skip(self.degree as usize).map(|a| a * a).sum()
    }

    /// The claim's sample size at dimension $d$: $\lfloor d^{\ell-\delta}\rfloor$.
    pub fn samples(&self, d: u64) -> usize {
        (d as f64).powf(f64::from(self.degree) - self.plateau_gap).floor() as usize
    }
}

impl KernelBarrierParams {
    /// The design's name, as the card's `measure` gives it.
    pub fn measure(&self) -> Measure {
        match self {
            KernelBarrierParams::Threshold(_) => Measure::Threshold,
            KernelBarrierParams::Plateau(_) => Measure::Plateau,
            KernelBarrierParams::Growth(_) => Measure::Growth,
            KernelBarrierParams::Width(_) => Measure::Width,
            KernelBarrierParams::WidthGap(_) => Measure::WidthGap,
        }
    }

    /// $[a_0, \dots, a_K]$.
    pub fn target(&self) -> &[f64] {
        match self {
            KernelBarrierParams::Threshold(t) => &t.target,
            KernelBarrierParams::Plateau(p) => &p.target,
            KernelBarrierParams::Growth(g) => &g.target,
            KernelBarrierParams::Width(w) => &w.target,
            KernelBarrierParams::WidthGap(w) => &w.target,
        }
    }

    /// $r$ (H4).
    pub(super) fn relative_ridge(&self) -> f64 {
        match self {
            KernelBarrierParams::Threshold(t) => t.relative_ridge,
            KernelBarrierParams::Plateau(p) => p.relative_ridge,
            KernelBarrierParams::Growth(g) => g.relative_ridge,
            KernelBarrierParams::Width(w) => w.relative_ridge,
            KernelBarrierParams::WidthGap(w) => w.relative_ridge,
        }
    }

    /// The degrees a claim checks, each with the dimensions it is simulated at: for a growth
    /// claim each size $\ell$ with `degrees[ℓ-1].dims` (empty when the card gives none),
    /// otherwise `degree` with the sizes.
    pub(super) fn sweeps(&self, sizes: &[u64]) -> Vec<(u32, Vec<u64>)> {
        let degree = match self {
            KernelBarrierParams::Growth(g) => {
                return sizes
                    .iter()
                    .map(|&s| {
                        let l = u32::try_from(s).unwrap_or(u32::MAX);
                        (l, g.degree(l).map_or(&[][..], |g| &g.dims).to_vec())
                    })
                    .collect();
            }
            KernelBarrierParams::Threshold(t) => t.degree,
            KernelBarrierParams::Plateau(p) => p.degree,
            KernelBarrierParams::Width(w) => w.degree,
            KernelBarrierParams::WidthGap(w) => w.degree,
        };
        vec![(degree, sizes.to_vec())]
    }
}

/// $\mathcal{B}(n, d) = \sum_k a_k^2 (1 - n/B(d,k))_+$ for the target $[a_0, \dots, a_K]$, the
/// finite-$d$ lower bound on the expected test error of a rotation-invariant kernel method
/// with $n$ samples.
pub fn error_bound(target: &[f64], n: f64, d: u64) -> f64 {
    target
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let b = harmonic_dimension_f64(d, k as u32).unwrap_or(f64::INFINITY);
            a * a * (1.0 - n / b).max(0.0)
        })
        .sum()
}

/// The ridge of degree $\ell$ at dimension $d$: $\lambda = r N_\ell(d) d^{-\ell}$, with
/// $N_\ell(d)$.
pub(super) fn krr_ridge(relative_ridge: f64, d: u64, l: u32) -> Option<(f64, f64)> {
    let n_l = cumulative_harmonic_dimension_f64(d, l).ok()?;
    Some((n_l, relative_ridge * n_l * (d as f64).powi(-(l as i32))))
}

impl KrrRun<'_> {
    /// $N_\ell(d)$, the first pass's sample size $\lceil\beta N_\ell(d)\rceil$ and the ridge.
    pub(super) fn budget(&self, d: u64) -> Option<(f64, usize, f64)> {
        let (n_l, ridge) = krr_ridge(self.relative_ridge, d, self.degree)?;
        let n_max = (self.sample_budget * n_l).ceil();
        Some((n_l, n_max as usize, ridge))
    }
}
