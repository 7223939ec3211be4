//! The parameters of a `depth-advantage` claim: `measure` picks the experiment design, and each
//! design holds the SIGHT target's five fields and exactly its own.

use super::kappa_sample_grid;
use crate::rng::Rng;
use crate::sim::might::{MightLink, MightTarget, TreeTarget};
use crate::sim::sight::{feature_coefficients, FeatureNormalisation, Link, SightTarget};
use serde::{Deserialize, Serialize};

/// Parameters of one claim: the experiment design, selected by the card's `measure` key (H8).
/// Every design holds the target's fields (`epsilon`, `feature_degrees`, `normalisation`,
/// `link`, `link_scale`; `Sight`) and its own, all flat under `[claims.params]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum DepthAdvantageParams {
    /// Stage 1, Thm 1(i): the hidden subspace $W^*$ at $n_1^* \sim d^{1+\varepsilon}$, through
    /// the spectral proxy.
    Subspace(SubspaceDesign),
    /// Stage 2, Thm 1(ii): the feature $h^*$ at $n_2^* \sim d^{k\varepsilon}$, the subspace
    /// given.
    Feature(FeatureDesign),
    /// Stage 3, Thm 1(iii): the link $g^*$ from $n_3^* = O(1)$ samples, stage 2's feature
    /// given.
    Readout(ReadoutDesign),
    /// The shallow gap against a kernel (§2(a), Fig. 2): the layer-wise learner (stages 1 and 2
    /// composed) and kernel ridge regression on $x$ reach the same test error at sample
    /// exponents $\max(1+\varepsilon, k\varepsilon)$ and 2.
    ShallowGapKernel(KernelGapDesign),
    /// The shallow gap against the reference's two-layer ReLU net trained by GD (§2(b)), at the
    /// kernel gap's level: both learners find $W^*$ at $n \sim d^{1+\varepsilon}$ first, so no
    /// gap is predicted for eq. 11 at $\varepsilon = 1/2$.
    ShallowGapTwoLayer(TwoLayerGapDesign),
    /// Check D-C: the reference's layer-wise three-layer network end to end at $d = 64$; its
    /// test error against the two-layer plateau (Fig. 2).
    EndToEnd(EndToEndDesign),
    /// Check D-C's overlap onset across $d$: stage 1 (Thm 1(i)) measured on the reference's
    /// network itself, $M_W^2$ after its first phase, instead of the spectral proxy.
    Onset(OnsetDesign),
    /// The onset's second design (issue 25): the span overlap of the first layer's top
    /// singular subspace, at a level relative to the moving baseline, with $p_1$ grown as
    /// $d^{k\varepsilon}$ and a divergence policy.
    OnsetSpan(OnsetSpanDesign),
    /// Issue 25, part 4 (the CIE conjecture): stage 1's spectral proxy on a MIGHT target of
    /// $r$ branches (eqs. 4–5), the subspace of all branches at once.
    MightSubspace(MightSubspaceDesign),
    /// Issue 25, part 3 (Theorem 2): stage 1's spectral proxy on the two-level deep MIGHT tree
    /// (eqs. 6–7), its first threshold $1 + \varepsilon_1$.
    TreeSubspace(TreeSubspaceDesign),
    /// Fig. 2 (issue 25): on one target and one set of draws, the test errors of the
    /// quadratic kernel, the two-layer net, and the three-layer net trained layer-wise and
    /// jointly at $n = d^\kappa$; the judged margin of their ordering.
    Fig2(Fig2Design),
}

/// The outer link's family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkFamily {
    /// $\tanh(c\,h)$.
    Tanh,
}

/// The SIGHT target's parameters, which every design holds (H1–H4).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sight<'a> {
    /// $\varepsilon$: $d_{\rm eff} = d^\varepsilon$ hidden directions (H1, H2).
    pub epsilon: f64,
    /// The Hermite degrees of $P_k$; $k$ is the largest (H3).
    pub feature_degrees: &'a [u32],
    /// How the Hermite terms of $P_k$ are scaled.
    pub normalisation: FeatureNormalisation,
    /// $g^*$'s family (H4).
    pub link: LinkFamily,
    /// $g^*$'s scale $c$ (H4).
    pub link_scale: f64,
}

impl Sight<'_> {
    /// The largest degree $k$ of $P_k$.
    pub fn degree(&self) -> u32 {
        self.feature_degrees.iter().copied().max().unwrap_or(0)
    }

    /// A target on $\mathbb{R}^d$ with its $d_{\rm eff}$ hidden axes first and fresh signs.
    pub(super) fn target(&self, d: usize, d_eff: usize, rng: &mut Rng) -> SightTarget {
        let link = match self.link {
            LinkFamily::Tanh => Link::Tanh { scale: self.link_scale },
        };
        let feature = feature_coefficients(self.feature_degrees, self.normalisation);
        SightTarget::draw(d, d_eff, feature, link, rng)
    }
}

/// Declares a design: the target's five fields ([`Sight`]), then the design's own, every one
/// required (`deny_unknown_fields`: another design's field is refused when the card is read).
macro_rules! design {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
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
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl $name {
            /// The target's fields.
            pub fn sight(&self) -> Sight<'_> {
                Sight {
                    epsilon: self.epsilon,
                    feature_degrees: &self.feature_degrees,
                    normalisation: self.normalisation,
                    link: self.link,
                    link_scale: self.link_scale,
                }
            }
        }
    };
}

design! {
    /// Stage 1's design (`measure = "subspace"`): the grid in $\kappa$ and the threshold's
    /// level.
    pub struct SubspaceDesign {
        /// The grid of $\kappa = \log n / \log d$ (H5).
        pub kappa_min: f64,
        /// The grid's last $\kappa$ (H5).
        pub kappa_max: f64,
        /// The grid's step in $\kappa$ (H5).
        pub kappa_step: f64,
        /// The overlap that defines the threshold (H6).
        pub overlap_level: f64,
        /// Samples of the hidden coordinates that estimate $\mathbb{E}\, y$ (H7).
        pub mean_samples: u64,
    }
}

design! {
    /// Stage 2's design (`measure = "feature"`): the kernel fit of $h^*$ on the recovered
    /// subspace and the threshold's level.
    pub struct FeatureDesign {
        /// $\beta$: the largest training set is $\beta\, C(d_{\rm eff} + k, k)$ (H9).
        pub sample_budget: f64,
        /// $r$: the per-sample ridge is $r \rho^k$, $r$ times the kernel's eigenvalue of one
        /// degree-$k$ Hermite product, i.e. $\lambda = n\, r \rho^k$ on $n$ samples (H9).
        pub relative_ridge: f64,
        /// The learned fraction of $h^*$'s degree-$k$ component that defines the threshold
        /// (H9).
        pub learned_level: f64,
    }
}

design! {
    /// Stage 3's design (`measure = "readout"`): stage 2's fit at a fixed sample size, then a
    /// one-dimensional fit of the label on the learned feature.
    pub struct ReadoutDesign {
        /// $\beta_2$: stage 2 fits $h^*$ on $\beta_2\, C(d_{\rm eff}+k, k)$ samples (H10).
        pub feature_budget: f64,
        /// $r$: stage 2's per-sample ridge $r \rho^k$, as [`FeatureDesign::relative_ridge`]
        /// (H10).
        pub relative_ridge: f64,
        /// Knots of the readout's linear spline in $\hat h$, equally spaced on $[-1.5, 1.5]$
        /// (H10).
        pub knots: u32,
        /// The largest readout training set $n_3$ (H10).
        pub max_samples: u64,
        /// Fresh points on which the readout's test error is measured (H10).
        pub test_points: u64,
        /// The ratio $\mathrm{MSE}(n_{3,\max})/\mathrm{MSE}(n_3)$ that defines the threshold:
        /// $1/(1 + \eta)$ for a relative excess risk $\eta$ (H10).
        pub risk_ratio_level: f64,
        /// How the exponent of $n_3^*$ is judged: `exact` (the default, the first claim's
        /// "exponent 0") or `upper-bound` (Thm 1(iii) as stated, $n_3 = O(d^\delta)$: the
        /// exponent is at most 0; issue 25).
        #[serde(default, skip_serializing_if = "ReadoutReading::is_exact")]
        pub reading: ReadoutReading,
    }
}

/// How stage 3's exponent is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadoutReading {
    /// The exponent is 0 within the tolerance (the first design, `stage3-readout`).
    #[default]
    Exact,
    /// The exponent is at most 0 within the tolerance: $n_3^*$ does not grow with $d$ (Thm
    /// 1(iii) states an upper bound, $\Theta(d^\delta)$ samples for any $\delta > 0$).
    UpperBound,
}

impl ReadoutReading {
    /// The default reading (left out when the params are written).
    pub fn is_exact(&self) -> bool {
        *self == ReadoutReading::Exact
    }
}

/// The law of the inputs $x$ of the shallow gap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputLaw {
    /// $x \sim N(0, I_d)$ (the default, the first design `shallow-gap`).
    #[default]
    Gaussian,
    /// $x$ uniform on $S^{d-1}(\sqrt d)$ ([`crate::learn::sphere_points`]'s law), so that the
    /// kernel $e^{\langle x, x'\rangle/d}$ is an inner-product kernel of constant diagonal
    /// (issue 25: at $d = 25$ a Gaussian input's squared norm spreads by about $\pm 28\%$).
    Sphere,
}

impl InputLaw {
    /// The default law (left out when the params are written).
    pub fn is_gaussian(&self) -> bool {
        *self == InputLaw::Gaussian
    }
}

design! {
    /// The shallow gap against a kernel (`measure = "shallow-gap-kernel"`): the test error both
    /// learners must reach, the kernel's budget and the shared test set.
    pub struct KernelGapDesign {
        /// $q$: the share of the degree-2 energy beyond the degree-1 plateau that a learner
        /// must have learned; the test error level is $\tau = e_1 - q\,(e_1 - e_2)$, between
        /// the degree-1 and degree-2 plateaus $e_1 > e_2$ (estimated per trial; H11).
        pub learned_fraction: f64,
        /// $\beta$: the kernel's largest training set is $\beta\, C(d+2, 2)$, the count of
        /// polynomials of degree $\le 2$ in $d$ variables (H11).
        pub kernel_budget: f64,
        /// Fresh test points, shared by both learners (H11).
        pub test_points: u64,
        /// The inputs' law, shared by both learners: `gaussian` (the default) or `sphere`.
        #[serde(default, skip_serializing_if = "InputLaw::is_gaussian")]
        pub inputs: InputLaw,
    }
}

design! {
    /// The shallow gap against the reference's two-layer ReLU net (`measure =
    /// "shallow-gap-two-layer"`; `TwoLayerNN`, its first layer trained by GD, then a ridge
    /// readout, [`crate::sim::two_layer_relu`], in float32 as the reference): the level as
    /// [`KernelGapDesign`], the net's iteration count and the shared test set.
    pub struct TwoLayerGapDesign {
        /// $q$, as [`KernelGapDesign::learned_fraction`] (H11).
        pub learned_fraction: f64,
        /// The reference's `coef_iter`: the net trains $\lfloor$`coef_iter` $d^{1.5}\rfloor$
        /// GD iterations (H14).
        pub coef_iter: f64,
        /// Fresh test points, shared by both learners (H11).
        pub test_points: u64,
    }
}

design! {
    /// The end-to-end design (`measure = "end-to-end"`, check D-C): the reference's
    /// `ThreeLayerNN` trained layer-wise with the reference's update rules
    /// ([`crate::sim::three_layer`]); the sizes are $100\kappa$, $n = \lfloor d^\kappa \rfloor$
    /// training samples.
    pub struct EndToEndDesign {
        /// The input dimension $d$: 64, the only one the plateau constants are computed for
        /// (H12).
        pub dimension: u64,
        /// $p_1$ and $p_2$ (H12).
        pub widths: [usize; 2],
        /// The reference's `max_iter1`, `max_iter2`: $\lfloor$max_iter$/0.7\rfloor$ minibatch
        /// steps per phase (H12).
        pub max_iter: [usize; 2],
        /// Fresh test points per trial (H12).
        pub test_points: u64,
        /// The network's float type: `f64` (the default) or `f32`, the reference's `dtype`
        /// ([`crate::sim::three_layer::NetFloat`]).
        #[serde(default)]
        pub precision: Precision,
    }
}

design! {
    /// The onset's design (`measure = "onset"`): stage 1's grid in $\kappa$ and level, read on
    /// the reference's three-layer network ([`crate::sim::three_layer`]) after its first
    /// phase. The network is the reduced D-C one at each $d$: widths $p_1, p_2$, and the
    /// reference's `max_iter1` $= \lfloor 15 \ln d\rfloor$ GD iterations
    /// ($\lfloor$max_iter1$/0.7\rfloor$ minibatch steps of $\lfloor 0.7 n\rfloor$ samples).
    pub struct OnsetDesign {
        /// The grid of $\kappa = \log n / \log d$ (H5).
        pub kappa_min: f64,
        /// The grid's last $\kappa$ (H5, H13).
        pub kappa_max: f64,
        /// The grid's step in $\kappa$ (H5).
        pub kappa_step: f64,
        /// The level of $M_W^2$ (the first layer's mean share of weight energy in $W^*$,
        /// random baseline $d_{\rm eff}/d$) that defines $n_1^*$ (H6).
        pub overlap_level: f64,
        /// $p_1$ and $p_2$ (H13).
        pub widths: [usize; 2],
        /// The network's float type (default f64).
        #[serde(default)]
        pub precision: Precision,
    }
}

design! {
    /// The onset's second design (`measure = "onset-span"`, issue 25): the reference's network
    /// after its first phase, as [`OnsetDesign`], with three changes. The observable is the
    /// span overlap of $W_1$'s top-$d_{\rm eff}$ right singular subspace with $W^*$
    /// ([`crate::sim::three_layer::ThreeLayerNet::span_overlap`]); the level is a fixed share
    /// $q$ of the way from the random baseline $b = d_{\rm eff}/d$ to 1, $b + q(1 - b)$, so
    /// it moves with the baseline; the first width grows as $p_1 = \lceil d^a\rceil$ with $a
    /// \ge k\varepsilon$ (Thm 1 takes $p_1 \gtrsim d^{k\varepsilon}$). A diverged run is
    /// re-run once at half the step ([`crate::sim::three_layer::sight_phase1_span`]).
    pub struct OnsetSpanDesign {
        /// The grid of $\kappa = \log n / \log d$ (H5).
        pub kappa_min: f64,
        /// The grid's last $\kappa$ (H5, H13).
        pub kappa_max: f64,
        /// The grid's step in $\kappa$ (H5).
        pub kappa_step: f64,
        /// $q$: the level is $b + q(1 - b)$, $b = d_{\rm eff}/d$ (H15).
        pub level_fraction: f64,
        /// $a$: the first width is $p_1 = \lceil d^a\rceil$ (H15).
        pub width_exponent: f64,
        /// $p_2$ (H15).
        pub second_width: usize,
        /// The network's float type (default f64).
        #[serde(default)]
        pub precision: Precision,
    }
}

impl OnsetSpanDesign {
    /// $p_1 = \lceil d^a\rceil$ at $d$.
    pub fn first_width(&self, d: u64) -> usize {
        (d as f64).powf(self.width_exponent).ceil() as usize
    }

    /// The level at $d$: $b + q(1 - b)$ with $b = d_{\rm eff}/d$ (`None` if $d^\varepsilon$
    /// is not an integer).
    pub fn level(&self, d: u64) -> Option<f64> {
        let b = super::hidden_dimension(self.epsilon, d)? as f64 / d as f64;
        Some(b + self.level_fraction * (1.0 - b))
    }
}

/// The float type of the reference's networks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Double precision, the crate's default.
    #[default]
    F64,
    /// Single precision, as the reference (PyTorch float32): GEMMs at twice the rate.
    F32,
}

impl DepthAdvantageParams {
    /// The target's fields, whatever the design.
    pub fn sight(&self) -> Sight<'_> {
        match self {
            DepthAdvantageParams::Subspace(g) => g.sight(),
            DepthAdvantageParams::Feature(f) => f.sight(),
            DepthAdvantageParams::Readout(r) => r.sight(),
            DepthAdvantageParams::ShallowGapKernel(g) => g.sight(),
            DepthAdvantageParams::ShallowGapTwoLayer(g) => g.sight(),
            DepthAdvantageParams::EndToEnd(e) => e.sight(),
            DepthAdvantageParams::Onset(o) => o.sight(),
            DepthAdvantageParams::OnsetSpan(o) => o.sight(),
            DepthAdvantageParams::MightSubspace(m) => m.sight(),
            DepthAdvantageParams::TreeSubspace(t) => t.sight(),
            DepthAdvantageParams::Fig2(f) => f.sight(),
        }
    }
}

impl SubspaceDesign {
    /// The sample counts $n = \mathrm{round}(d^\kappa)$ of the grid, increasing, without repeats.
    pub fn sample_grid(&self, d: u64) -> Vec<usize> {
        kappa_sample_grid((self.kappa_min, self.kappa_max, self.kappa_step), d)
    }
}

/// The MIGHT design (`measure = "might-subspace"`, issue 25 part 4): $r$ branches of $d_{\rm
/// eff} = d^\varepsilon$ hidden coordinates each, with the leaves' feature $P_k$ and a
/// multi-index link ([`crate::sim::might`]), read by stage 1's spectral proxy along the
/// $\kappa$ grid at a level relative to the random baseline $b = r\,d_{\rm eff}/d$. It has no
/// one-dimensional link, so it is written without the `design!` fields `link`, `link_scale`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MightSubspaceDesign {
    /// $\varepsilon$: each branch has $d_{\rm eff} = d^\varepsilon$ hidden directions (H1, H2).
    pub epsilon: f64,
    /// The Hermite degrees of $P_k$ of every branch (H3).
    pub feature_degrees: Vec<u32>,
    /// How the Hermite terms of $P_k$ are scaled.
    pub normalisation: FeatureNormalisation,
    /// $r$: the number of branches (H16).
    pub branches: usize,
    /// The link $g^*(h_1, \dots, h_r)$ (H16).
    pub combine: MightLink,
    /// The grid of $\kappa = \log n / \log d$ (H16).
    pub kappa_min: f64,
    /// The grid's last $\kappa$ (H16).
    pub kappa_max: f64,
    /// The grid's step in $\kappa$ (H16).
    pub kappa_step: f64,
    /// $q$: the level is $b + q(1 - b)$, $b = r\,d_{\rm eff}/d$ (H16).
    pub level_fraction: f64,
    /// Samples of the hidden coordinates that estimate $\mathbb{E}\, y$ (H7).
    pub mean_samples: u64,
}

impl MightSubspaceDesign {
    /// The branches' feature as a SIGHT target's fields, for the hypotheses every design shares
    /// (H1–H3). A MIGHT target has no one-dimensional link: `link` and `link_scale` are fixed
    /// placeholders (tanh, 1) that H4 accepts; the design's link is `combine`, checked by
    /// (H16).
    pub fn sight(&self) -> Sight<'_> {
        Sight {
            epsilon: self.epsilon,
            feature_degrees: &self.feature_degrees,
            normalisation: self.normalisation,
            link: LinkFamily::Tanh,
            link_scale: 1.0,
        }
    }

    /// The target at $d$ (all signs $+1$).
    pub(super) fn target(&self, d: usize, d_eff: usize) -> MightTarget {
        let feature = feature_coefficients(&self.feature_degrees, self.normalisation);
        MightTarget { d, d_eff, branches: self.branches, feature, link: self.combine }
    }
}

design! {
    /// The two-level tree's design (`measure = "tree-subspace"`, issue 25 part 3): the SIGHT
    /// fields describe the leaves ($\varepsilon = \varepsilon_1$, $P_k$) and the outer link;
    /// `epsilon2` and `top_degrees` the second level; stage 1's spectral proxy reads the leaves'
    /// subspace along the $\kappa$ grid at a level relative to the baseline $d^{\varepsilon_1}/d$.
    pub struct TreeSubspaceDesign {
        /// $\varepsilon_2$: $d^{\varepsilon_2}$ level-2 features, blocks of
        /// $d^{\varepsilon_1 - \varepsilon_2}$ leaves (H17).
        pub epsilon2: f64,
        /// The Hermite degrees of the second polynomial $Q$; $k'$ is the largest (H17).
        pub top_degrees: Vec<u32>,
        /// The grid of $\kappa = \log n / \log d$ (H5).
        pub kappa_min: f64,
        /// The grid's last $\kappa$ (H5).
        pub kappa_max: f64,
        /// The grid's step in $\kappa$ (H5).
        pub kappa_step: f64,
        /// $q$: the level is $b + q(1 - b)$, $b = d^{\varepsilon_1}/d$ (H17).
        pub level_fraction: f64,
        /// Samples of the leaves that estimate $\mathbb{E}\, y$ (H7).
        pub mean_samples: u64,
    }
}

impl TreeSubspaceDesign {
    /// The target at $d$ (all signs $+1$), or `None` if $d^{\varepsilon_2}$ is not an
    /// integer dividing $d^{\varepsilon_1}$.
    pub(super) fn target(&self, d: usize, d_eff: usize) -> Option<TreeTarget> {
        let blocks = super::hidden_dimension(self.epsilon2, d as u64)?;
        if blocks == 0 || d_eff % blocks != 0 {
            return None;
        }
        let link = match self.link {
            LinkFamily::Tanh => Link::Tanh { scale: self.link_scale },
        };
        Some(TreeTarget {
            d,
            d_eff,
            block: d_eff / blocks,
            feature: feature_coefficients(&self.feature_degrees, self.normalisation),
            // Q in the unit-variance normalisation: equal energy per degree (its linear term
            // carries the chain's He_2 spike, docs/theory/depth-advantage.md).
            top: feature_coefficients(&self.top_degrees, FeatureNormalisation::UnitVariance),
            link,
        })
    }
}

design! {
    /// Fig. 2's design (`measure = "fig2"`, issue 25): the four learners of the paper's Fig. 2
    /// on one set of draws at $n = \lfloor d^\kappa\rfloor$ (sizes $100\kappa$), with the
    /// reference's settings: the three-layer nets of [`crate::sim::three_layer`] (layer-wise:
    /// lr 1, no weight decay, ridge 1; joint: step factor 0.15, $r_2 = 0.01$), the two-layer
    /// net of [`crate::sim::two_layer_relu`] (weight decay 0.01, ridge 1), KRR with the kernel
    /// $(x\cdot x')^2 + x\cdot x' + 1$ and ridge $\lambda n I$.
    pub struct Fig2Design {
        /// The input dimension $d$, a perfect square (H18).
        pub dimension: u64,
        /// $p_1$ and $p_2$ of both three-layer nets (H18).
        pub widths: [usize; 2],
        /// The two-layer net's width $p$ (H18).
        pub two_layer_width: usize,
        /// The reference's `max_iter1`, `max_iter2`: the layer-wise phases; the joint net and
        /// the two-layer net train `max_iter2` iterations, as the reference (H18).
        pub max_iter: [usize; 2],
        /// The kernel's per-sample ridge $\lambda$ (`lambda_ridge_setup_kernel`; H18).
        pub kernel_ridge: f64,
        /// Fresh test points per set of draws, shared by the four learners (H18).
        pub test_points: u64,
        /// The networks' float type (default f64; the kernel is always f64).
        #[serde(default)]
        pub precision: Precision,
    }
}
