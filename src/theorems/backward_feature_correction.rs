//! # Backward feature correction: joint training improves the lower-level features
//!
//! Allen-Zhu & Li state, at the level of their abstract, that deep networks trained by SGD
//! learn targets built from $L$ levels of quadratic maps (degree $2^L$) in poly($d$) samples
//! and time, and that the mechanism is **backward feature correction**: training the higher
//! levels together with the lower ones corrects the errors of the lower-level features, which
//! layer-wise training cannot do. Only those abstract-level statements are in our sources
//! (`shared/theory.md` §1.2); the paper's exact concept class, learner and constants are not.
//! What is checked here is **our toy** (check B2 of the theory file), not the paper's theorem.
//!
//! ## Statement
//! Target (our construction, [`crate::sim::hierarchical`]): $x \sim N(0, I_d)$, $k$ level-1
//! features $G_1 = ((W_1^* x)^2 - 1)/\sqrt 2$ with orthonormal rows $W_1^*$, level 2
//! $G_2 = ((V G_1)^2 - \mu)/s$ with $V$ random orthogonal, every term centred and normalised
//! (exactly), $f^* = \mathrm{sum}(G_1)/\sigma_1 + r\,\mathrm{sum}(G_2)/\sigma_2$ with
//! $r = \alpha_2/\alpha_1$. Learner: the DenseNet-like quadratic network of
//! [`crate::sim::hierarchical::QuadNet`] with widths $m_1, m_2$, mini-batch SGD on fresh
//! samples. After a common level-1 phase of $T_1$ steps (level 2 absent), schedule **A**
//! (layer-wise) trains level 1 alone for $T_2$ more steps (and would then freeze it), schedule
//! **B** (joint) trains both levels for the same $T_2$ steps on the same batches. Claim
//! `bfc` (measure `feature-gap`): at every $r$ of the sweep, the median of
//! $\ln(E_1^A/E_1^B)$ is at least $\ln c$, where $E_1 = \lVert P_{\hat U_1} -
//! P_{W_1^*}\rVert_F^2/k$ and $c$ is the card's `factor`. Measure `samples` (claim
//! `deep-learns-poly`; its version 1, over a factor 4 in $d$, was held back because its
//! control was not refuted; version 2 sweeps a factor 8, see the card): the fresh samples
//! $n^*(d)$ that joint training from the start needs to reach relative test error $\tau$
//! grow at most as $d^{2^{L-1}}$.
//! * (H1) `depth` $L = 2$ (the claim compares the level-1 features of a two-level target).
//! * (H2) $1 \le k \le d \le 256$.
//! * (H3) every width $m_l \ge k$ (the network can represent the target's features).
//! * (H4) the step is given as $\eta d$ (`step`), finite with $0 < \eta d \le 10$; batch
//!   $\ge 1$; initial scales finite and $> 0$.
//! * (H5) `feature-gap`: sizes are $r$ in thousandths, $1 \le 1000 r \le 999$: the level
//!   weights decrease, $\alpha_2 < \alpha_1$; $T_1, T_2 \ge 1$. (`samples`: sizes are $d$.)
//! * (H6) the factor $c$ is finite and $\ge 1$.
//! * (H7) `samples`: $0 < r < 1$, $0 < \tau < 1$, a budget of `budget_per_d2`$\cdot d^2 > 0$
//!   samples, at least 100 test points.
//!
//! Claim `kernel-gap` (measure `kernel-plateau`; **our derivation**, after the kernel barrier of
//! Ghorbani, Mei, Misiakiewicz & Montanari, not a theorem of Allen-Zhu & Li): on the same
//! depth-2 target at dimension $d$, every kernel method with a rotation-invariant kernel
//! $h(\langle x,y\rangle/d)$, $n$ samples and any ridge has expected test error at least
//! $e_4(d)\,(1 - n/B(d,4))_+$, so reaching an error $\tau < e_4$ needs $n \ge B(d,4)(1 -
//! \tau/e_4) \sim d^4/24$: sample exponent $\ge 2^L = 4$. Measured at $n = \lfloor c
//! B(d,4)\rfloor$ for the $d$ that fit; the exponent is the bound's, stated beyond them.
//! * (H8) `kernel-plateau`: sizes are $d$ with $k + 1 \le d \le 256$, and $1 \le n \le$
//!   [`MAX_KERNEL_SAMPLES`] at every $d$.
//! * (H9) $0 < c < 1$ (`budget_fraction`), $0 < r < 1$ (`ratio`), at least 500 test points.
//! * (H10) a kernel `exponential` ($e^s$) or `even-exponential` ($\cosh s$), $s = \langle x,
//!   y\rangle/d$, and a finite relative ridge $\rho \ge 0$: $\lambda = \rho \cdot$ the mean
//!   diagonal of $K$.
//! * (H11) no network parameters (widths, initial scales, step, batch).
//!
//! Claims `bfc-depth-level1` and `bfc-depth-level2` (issue 6's `bfc-depth`, measure
//! `feature-gap` at $L = 3$, full profile only): on a three-level target ($\alpha = 1, r,
//! r^2$), after level 1 alone and then levels 1-2, schedule A trains levels 1-2 alone (level 3
//! absent) and B all three levels, for the same steps on the same batches; at every $r$ the
//! median of $\ln(E_l^A/E_l^B)$ is at least $\ln c$, for $l = 1$ (the subspace error) and
//! $l = 2$ (the regression error of the true level-2 features on the learned ones): "how far
//! down the correction reaches".
//! * (H1) allows $L = 3$ for `feature-gap` and `samples` (no built-in `samples` claim at
//!   $L = 3$: its pilot had no power, see the card).
//! * (H12) at $L = 3$: $T_{12} \ge 1$ steps of levels 1-2 before the schedules, the judged
//!   level 1 or 2; a residual clip, if any, finite and $> 0$.
//!
//! ## Prediction
//! [`TypedTheorem::predict`] gives a lower bound with no line: margin $\ln(E_1^A/E_1^B) - \ln c
//! \ge 0$ at every $r$. Reason (our toy's, not the paper's): level 1 alone can fit only the
//! degree-2 part of $f^*$; the rest of $r\,\mathrm{sum}(G_2)/\sigma_2$ stays in the residual, which acts on $W_1$ as
//! gradient noise of variance $\propto r^2$, so at a constant step $E_1^A$ stays on a floor
//! growing with $r$. Joint training fits level 2 too, the residual (and its noise) vanishes,
//! and level 2's gradient through $W_1$ pulls $W_1$ towards $W_1^*$: $E_1^B < E_1^A$. The
//! theory file predicts only $E_1^B/E_1^A < 1$, so the card's factor is 1. For `samples`,
//! threshold scaling with $a \le a_{\max} = 2^{L-1}$, half the kernel exponent $2^L$ of a
//! degree-$2^L$ target (SGD finds the $k$ level-1 directions of information exponent 2 in
//! about $d \log d$ samples; level 2 lives in $k$ dimensions).
//!
//! `kernel-plateau`: a lower bound with no line, margin $100\,(\mathrm{err} - e_4(d)(1 -
//! n/B(d,4)))/\mathrm{Var} f^* \ge 0$ (percent of the target's variance) at every $d$.
//! Derivation. $f^*$ is a polynomial of degree 4: $T_1$ has Hermite degree 2, and with
//! $G_{1,a} = \mathrm{He}_2(z_a)/\sqrt2$, $\mathrm{He}_2^2 = \mathrm{He}_4 + 4\mathrm{He}_2 + 2$,
//! $T_2$ has Hermite parts of degrees 4, 2, 0; the degree-4 part is $\langle A,
//! \mathrm{He}_4(x)\rangle$ with $A$ a symmetric 4-tensor on the first $k$ axes
//! ([`HierarchicalTarget::quartic_tensor`]). Under $O(d)$, $L^2(N(0, I_d))$ splits into
//! isotypic components; the one of harmonic degree 4 is (radial functions) $\otimes\,
//! \mathcal H_4$, $\dim \mathcal H_4 = B(d,4)$. It contains of $f^*$ exactly $Y = \langle A_0,
//! x^{\otimes 4}\rangle$, $A_0$ the traceless projection of $A$ in $\mathbb R^d$ (a harmonic
//! homogeneous polynomial of degree $j$ is a Hermite-degree-$j$ eigenfunction; $A - A_0 =
//! \mathrm{sym}(\delta\otimes X)$ gives $\lvert x\rvert^2$ times lower harmonics, and Hermite
//! degrees $\le 2$ carry no $\mathcal H_4$), with energy $e_4(d) = 4!\lVert A_0\rVert_F^2 =
//! 4!(\lVert A\rVert^2 - \frac{6}{d+4}\lVert T\rVert^2 + \frac{3t^2}{(d+2)(d+4)})$, $T =
//! \mathrm{tr}A$, $t = \mathrm{tr}T$ ([`HierarchicalTarget::harmonic_energy`]; it depends on
//! $d$ and tends to $4!\lVert A\rVert^2$). The fit lies in $\mathrm{span}\{K(x_i,\cdot)\}$;
//! by equivariance and the rotation invariance of the data law, the expected error for
//! $f^*$ is that for $f^*\circ Q$ averaged over rotations $Q$; for a fixed training set the
//! projection $P_S$ onto the span's image in the component has rank $\le n$, and
//! $E_Q[Q^* P_S Q] = I_{\mathcal H_4} \otimes C$ (Schur) with $C \ge 0$, $\mathrm{tr}\,C \le
//! n/B(d,4)$, so the captured energy is at most $\lVert C\rVert e_4 \le e_4\, n/B(d,4)$ and
//! $E\,\mathrm{err} \ge e_4 (1 - n/B(d,4))_+$, for every ridge. Hence $\mathrm{err} \le \tau$
//! requires $n \ge B(d,4)(1 - \tau/e_4)$: exponent $\ge 4 = 2^L$.
//!
//! ## Simulation
//! One trial draws the target ($V$) and the network from its stream, runs the level-1 phase,
//! then both schedules from the same state on the same fresh batches (common random
//! numbers), and returns $\ln(E_1^A/E_1^B) - \ln c$, annotated with $(E_1^B, E_1^A)$ for the
//! claim's **exploratory** measurement (not judged: the theory leaves it open): the log-log
//! slopes of $E_1^B$ and $E_1^A$ against $r$ and of their ratio, i.e. how fast the gap grows
//! with $\alpha_2/\alpha_1$. A divergence (a batch loss not finite or
//! above $10^6$) is `Failed` with the step and schedule. The `panel` draws $E_1$ over training
//! for both schedules at each $r$ (medians over runs; dots are the joint schedule's runs);
//! its title gives the final medians. `samples`: joint training from the first step, the
//! relative test error on fresh test points read on a geometric grid of sample counts (8 per
//! doubling), $n^*$ log-interpolated where $-\ln$ error first reaches $-\ln\tau$, censored at
//! the budget. Its panel, at each $d$, puts three learners on the same targets (issue 6's
//! figure): the deep learner's learning curve, the **two-layer baseline** (the same network
//! with its first level only, trained by the same SGD on fresh samples: it represents only
//! quadratics, so its error cannot go below the degree-4 Hermite energy $4!\lVert A\rVert^2$,
//! drawn as its floor), and kernel ridge regression with `kernel-gap`'s kernel and ridge on
//! nested training sets up to 4096 points, beside the bound $e_4(1 - n/B(d,4))$ of every
//! rotation-invariant kernel (at $L = 3$ the kernel is fitted on the same three-level target;
//! the floor and the bound, exact at $L = 2$ only, are not drawn). A deep run of the panel
//! stops at error $\tau/2$ and the two-layer run on its stream at the same $n$ (the whole
//! budget would take hours at $L = 3$): `thm check backward-feature-correction/deep-learns-poly
//! --plot DIR` took 98 s on 2 idle cores, the check's own trials about 50 s of it (the whole
//! budget took about 9 min before).
//! `kernel-plateau`: one trial draws the target ($V$), $n = \lfloor c B(d,4)\rfloor$ training
//! and `test_points` test inputs $x \sim N(0, I_d)$, builds $K = h(XX^\top/d)$ (one GEMM),
//! factors $K + \lambda I$ (faer Cholesky, sequential) and returns the margin of the test
//! error (a Monte-Carlo mean, unbiased) over the bound with this draw's exact $e_4(d)$, both
//! divided by the exact $\mathrm{Var} f^*$ ([`HierarchicalTarget::variance`]: $T_1$ and $T_2$
//! correlate, $\mathrm{Var} f^* \approx 1.54$ at $r = 0.3$, not $1 + r^2$). No panel.
//!
//! ## Deviations from the source
//! Everything concrete is ours: the target (Gaussian inputs, $k$ features per level, exact
//! normalisation), the learner (quadratic activations with the level-1 centring
//! $-\lVert w_r\rVert^2$, output readouts from every level as the skip connections, biases
//! from level 2 on), the schedules, the observable $E_1$ (top-$k$ right singular subspace of
//! $W_1$) and the factor. In this toy the population minimiser of level 1 alone already spans
//! $W_1^*$ (the degree-2 part of $G_2$ lives in that subspace), so the layer-wise gap is a
//! constant-step noise floor set by the unfitted higher level, not a population bias; the
//! paper's mechanism (over-parameterised learners, truncated activations) may differ.
//! The level-2 term is weakly hierarchical: $V$ is orthogonal, so $\sum_j (v_j\cdot G_1)^2 =
//! \lVert G_1\rVert^2$ and $T_2$ depends on $V$ only through the unequal normalisations
//! $s_j$ (its correlation with $\lVert G_1\rVert^2$ is above 0.99 in Monte Carlo, see the
//! card): almost an additive function of $z$.
//! Depth $L = 3$ (claims `bfc-depth-level1`, `bfc-depth-level2`, full profile only; issue 6's
//! `bfc-depth`): our construction again. The target has $\alpha = 1, r, r^2$ and Gaussian
//! level maps ([`LevelMaps::Gaussian`]: with orthogonal maps level 2 would be almost
//! $V$-free), level 3 normalised by Monte Carlo; the learner trains on Huber's loss (residual
//! clip, [`QuadNet::with_residual_clip`]) because the degree-8 level makes the labels
//! heavy-tailed and plain SGD diverged in most exploration runs; $E_2$ is a regression error
//! ([`level_feature_error`]), not a subspace angle, since level 2 acts on the learned level-1
//! features, not on $x$.
//! `samples` runs at $L = 3$ too (H1; bound $a_{\max} = 4$), from a card of one's own; no
//! such claim is registered (issue 6's deep-learns-poly "L = 3 in the full one"): the card
//! says why, with the probe's numbers.
//! `kernel-gap` is **our** bound, not Allen-Zhu & Li's: the paper states a kernel lower bound
//! only at the level of its abstract; we derive the finite-$d$ bound from the Schur argument of
//! the kernel barrier (as `kernel-barrier`'s `krr-plateau` does on the sphere), for Gaussian
//! inputs. Assumed, not simulated: the bound for every rotation-invariant kernel and ridge
//! (only KRR with $\cosh s$ is simulated) and its validity beyond $d = 20$, where $n \sim d^4$
//! no longer fits; the exponent $2^L$ is the bound's. Checked numerically: $e_4$ against a
//! Monte-Carlo estimate of $E[f^* Y]$ (with the unprojected $4!\lVert A\rVert^2$ as a control
//! that must differ), tracelessness and symmetry of $A_0$.
//!
//! ## References
//! * Z. Allen-Zhu, Y. Li, *Backward Feature Correction: How Deep Learning Performs Deep
//!   (Hierarchical) Learning*, arXiv:2001.04413v6 (abstract; COLT 2023, PMLR 195:4598).
//! * B. Ghorbani, S. Mei, T. Misiakiewicz, A. Montanari, *Linearized two-layers neural
//!   networks in high dimension*, Ann. Statist. 49(2), 2021; arXiv:1904.12191 (the kernel
//!   barrier behind `kernel-gap`; our bound follows its Schur argument, see `kernel-barrier`).

use crate::error::{shown, Violation};
use crate::law::{ClaimKind, Exponent, Prediction};
use crate::learn::{gram_matrix, kernel_matrix, InnerProductKernel, Krr};
use crate::rng::Rng;
use crate::sim::hierarchical::{
    feature_error, level_feature_error, test_error, HierarchicalTarget, LevelMaps, Phase, QuadNet,
};
use crate::special::harmonics::harmonic_dimension_f64;
use crate::theorem::{About, Exploratory, Observation, Panel, TypedTheorem, Validated};
use faer::Mat;
use serde::{Deserialize, Serialize};

/// The module of theorem `backward-feature-correction`.
#[derive(Clone, Copy, Debug, Default)]
pub struct BackwardFeatureCorrection;

/// What a claim measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcMeasure {
    /// `bfc`: $\ln(E_1^A/E_1^B) - \ln c$ at each $r$ (sizes are $1000 r$).
    FeatureGap,
    /// `deep-learns-poly`: the fresh samples $n^*$ the jointly trained network needs to reach
    /// relative test error $\tau$ (sizes are $d$).
    Samples,
    /// `kernel-gap`: the KRR test error at $n = \lfloor c B(d,4)\rfloor$ minus the kernel
    /// lower bound $e_4(d)(1 - n/B(d,4))$, in percent of $\mathrm{Var} f^*$ (sizes are $d$).
    KernelPlateau,
}

/// The rotation-invariant kernel $h(\langle x, y\rangle/d)$ of a `kernel-plateau` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcKernel {
    /// $e^{s}$ (the kernel of check K-A and the staircase claims).
    Exponential,
    /// $\cosh s$, the even part of $e^s$: the target has only even Hermite degrees, and the
    /// odd degrees of $e^s$ (about $d^3/6$ directions of degree 3) only fit noise.
    EvenExponential,
}

impl BfcKernel {
    fn h(self, s: f64) -> f64 {
        match self {
            BfcKernel::Exponential => s.exp(),
            BfcKernel::EvenExponential => s.cosh(),
        }
    }
}

/// Parameters of one claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackwardFeatureCorrectionParams {
    /// What the claim measures.
    pub measure: BfcMeasure,
    /// $L$, the number of levels of the target and the network (H1).
    pub depth: u32,
    /// Input dimension $d$ (H2; `feature-gap` only: `samples` sweeps $d$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dim: Option<u32>,
    /// Features per level $k$ (H2).
    pub features: u32,
    /// Widths $m_1, \dots, m_L$ (H3; none for `kernel-plateau`, H11).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub widths: Vec<u32>,
    /// Initial scales $\varsigma_l$ per level (H4; none for `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_scales: Vec<f64>,
    /// The SGD step in units of $1/d$: $\eta = $ `step`$/d$ (H4; none for `kernel-plateau`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub step: f64,
    /// Mini-batch size (H4; none for `kernel-plateau`).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub batch: u32,
    /// $T_1$: steps of the common level-1 phase (H5; `feature-gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level1_steps: Option<u32>,
    /// $T_2$: steps of each schedule after it (H5; `feature-gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_steps: Option<u32>,
    /// $c$: the claimed factor $E_1^A/E_1^B \ge c$ (H6; `feature-gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// $r = \alpha_2/\alpha_1$ of the target (H7; `samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// $\tau$: the relative test error $E(\hat f - f^*)^2 / E f^{*2}$ to reach (H7; `samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_level: Option<f64>,
    /// Sample budget $n_{\max} = \max($`budget_per_d2`$\cdot d^2,$ `budget_floor`$)$ (H7;
    /// `samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_per_d2: Option<f64>,
    /// The smallest sample budget, whatever $d$ (H7; `samples`; none: no floor). For learners
    /// whose $n^*$ has a part that does not shrink with $d$ (the third level at $L = 3$), where
    /// a budget $\propto d^2$ would censor the small $d$.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_floor: Option<f64>,
    /// Test points of the test error (H7; `samples`; H9 `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_points: Option<u32>,
    /// $c$: the kernel's training set is $n = \lfloor c\, B(d,4)\rfloor$ (H8, H9;
    /// `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_fraction: Option<f64>,
    /// The kernel (H10; `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<BfcKernel>,
    /// $\rho$: the KRR ridge is $\lambda = \rho$ times the mean diagonal of the kernel matrix
    /// (H10; `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_ridge: Option<f64>,
    /// How the target's maps between levels are drawn (default orthogonal; H12 at $L = 3$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
    /// $T_{12}$: steps of levels 1-2 after the level-1 phase, before the schedules (H12;
    /// `feature-gap` at $L = 3$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level2_steps: Option<u32>,
    /// The level $l$ whose feature error $E_l$ is judged (H12; `feature-gap` at $L = 3$: 1 or
    /// 2; at $L = 2$ it is 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judged_level: Option<u32>,
    /// Huber's threshold $\delta$ on the training residual
    /// ([`QuadNet::with_residual_clip`]; H12; none: the square loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_clip: Option<f64>,
}

/// The card's name for [`LevelMaps`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcLevelMaps {
    /// Random orthogonal $V_l$ (version 1 of the toy; the default).
    Orthogonal,
    /// Independent Gaussian unit rows: every level depends on its map.
    Gaussian,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

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
const H12: &str = "(H12) feature-gap at L = 3: T12 = level2_steps ≥ 1 steps of levels 1-2 before the schedules, judged_level 1 or 2 (level 3 is absent from the layer-wise schedule); at L = 2 neither is given; residual_clip, if given, finite and > 0";

const ABOUT: About = About {
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
    ],
    simulation: "a two-level quadratic target and a DenseNet-like quadratic network trained by \
                 fresh-sample SGD. feature-gap: a level-1 phase, then layer-wise (level 1 alone) \
                 and joint schedules on the same batches; the observable is ln(E1_A / E1_B) - \
                 ln c with E1 the level-1 subspace error. samples: joint training from the start; \
                 the observable is the number of fresh samples at which the relative test error \
                 first reaches τ. kernel-plateau: kernel ridge regression on n = c·B(d,4) Gaussian \
                 samples of the target; the observable is its test error minus the kernel lower \
                 bound e4(d)(1 - n/B(d,4)), in percent of Var f*",
};

/// Size (r in thousandths) to $r$.
fn ratio(size: u64) -> f64 {
    size as f64 / 1000.0
}

/// The level weights $\alpha_l = r^{l-1}$, $l = 1..L$.
fn level_weights(depth: usize, r: f64) -> Vec<f64> {
    (0..depth).map(|l| r.powi(l as i32)).collect()
}

/// The target and the fresh network of one run.
struct Start {
    target: HierarchicalTarget,
    net: QuadNet,
    /// $\eta$.
    eta: f64,
}

fn start(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    r: f64,
    rng: &mut Rng,
) -> Result<Start, String> {
    start_levels(p, d, r, rng, p.widths.len())
}

/// [`start`] with the network's first `levels` levels only (1: the two-layer baseline, the
/// same quadratic network without its second level). The target is drawn first, so runs on
/// equal streams share it.
fn start_levels(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    r: f64,
    rng: &mut Rng,
    levels: usize,
) -> Result<Start, String> {
    let target = draw_target(p, d, r, rng)?;
    let widths: Vec<usize> = p.widths.iter().take(levels).map(|&m| m as usize).collect();
    let scales = &p.init_scales[..levels.min(p.init_scales.len())];
    let mut net = QuadNet::new(d as usize, &widths, p.batch as usize, scales, rng)
        .map_err(|e| e.to_string())?;
    if let Some(delta) = p.residual_clip {
        net = net.with_residual_clip(delta);
    }
    Ok(Start { target, net, eta: p.step / f64::from(d) })
}

/// The card's target at dimension `d` and ratio `r` (levels $\alpha_l = r^{l-1}$, the card's
/// level maps).
fn draw_target(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    r: f64,
    rng: &mut Rng,
) -> Result<HierarchicalTarget, String> {
    HierarchicalTarget::new(
        d as usize,
        p.features as usize,
        &level_weights(p.depth as usize, r),
        match p.level_maps {
            None | Some(BfcLevelMaps::Orthogonal) => LevelMaps::Orthogonal,
            Some(BfcLevelMaps::Gaussian) => LevelMaps::Gaussian,
        },
        rng,
    )
    .map_err(|e| e.to_string())
}

/// `(d, r)` of a run at `size`.
fn setting(p: &BackwardFeatureCorrectionParams, size: u64) -> (u32, f64) {
    match p.measure {
        BfcMeasure::FeatureGap => (p.dim.unwrap_or(0), ratio(size)),
        BfcMeasure::Samples | BfcMeasure::KernelPlateau => (size as u32, p.ratio.unwrap_or(0.0)),
    }
}

fn level_one() -> Phase {
    Phase { levels: 1, first_trained: 1 }
}

fn joint() -> Phase {
    Phase { levels: 2, first_trained: 1 }
}

fn diverged(schedule: &str, e: &crate::sim::hierarchical::Diverged) -> String {
    format!(
        "SGD diverged in the {schedule} at step {} (batch loss {:.3e}); lower the step η",
        e.step, e.loss
    )
}

/// $a_{\max} = 2^{L-1}$: half the kernel's sample exponent $2^L$ on a degree-$2^L$ target.
fn exponent_bound(depth: u32) -> f64 {
    let kernel_exponent = 2f64.powi(depth as i32);
    kernel_exponent / 2.0
}

impl TypedTheorem for BackwardFeatureCorrection {
    type Params = BackwardFeatureCorrectionParams;

    fn id(&self) -> &'static str {
        "backward-feature-correction"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let deep_gap = p.depth == 3 && p.measure == BfcMeasure::FeatureGap;
        let deep_samples = p.depth == 3 && p.measure == BfcMeasure::Samples;
        if p.depth != 2 && !deep_gap && !deep_samples {
            out.push(Violation::new("params.depth", H1, format!("L = {}", p.depth)));
        }
        let h12_ok = if deep_gap {
            p.level2_steps.unwrap_or(0) >= 1 && matches!(p.judged_level, Some(1 | 2))
        } else {
            p.level2_steps.is_none() && p.judged_level.is_none_or(|l| l == 1)
        };
        if !h12_ok || p.residual_clip.is_some_and(|c| !(c.is_finite() && c > 0.0)) {
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
        let dims: Vec<u64> = match p.measure {
            BfcMeasure::FeatureGap => vec![u64::from(p.dim.unwrap_or(0))],
            BfcMeasure::Samples | BfcMeasure::KernelPlateau => sizes.to_vec(),
        };
        if p.features == 0 || dims.iter().any(|&d| d < u64::from(p.features) || d > 256) {
            out.push(Violation::new(
                if p.measure == BfcMeasure::FeatureGap { "params.dim" } else { "sizes" },
                H2,
                format!("k = {}, d in {dims:?}", p.features),
            ));
        }
        if p.measure == BfcMeasure::KernelPlateau {
            kernel_violations(p, sizes, &mut out);
            return out;
        }
        if p.widths.len() != p.depth as usize || p.widths.iter().any(|&m| m < p.features) {
            out.push(Violation::new(
                "params.widths",
                H3,
                format!("widths {:?} for L = {} and k = {}", p.widths, p.depth, p.features),
            ));
        }
        if !(p.step.is_finite() && p.step > 0.0 && p.step <= 10.0) {
            out.push(Violation::new("params.step", H4, format!("step = {}", p.step)));
        }
        if p.batch == 0 {
            out.push(Violation::new("params.batch", H4, "batch = 0"));
        }
        if p.init_scales.len() != p.depth as usize
            || p.init_scales.iter().any(|s| !(s.is_finite() && *s > 0.0))
        {
            out.push(Violation::new(
                "params.init_scales",
                H4,
                format!("initial scales {:?} for L = {}", p.init_scales, p.depth),
            ));
        }
        match p.measure {
            BfcMeasure::FeatureGap => {
                if let Some(s) = sizes.iter().find(|&&s| !(1..=999).contains(&s)) {
                    out.push(Violation::new("sizes", H5, format!("size {s} (r = {})", ratio(*s))));
                }
                if p.level1_steps.unwrap_or(0) == 0 || p.schedule_steps.unwrap_or(0) == 0 {
                    out.push(Violation::new(
                        "params.level1_steps",
                        H5,
                        format!("T1 = {}, T2 = {}", shown(p.level1_steps), shown(p.schedule_steps)),
                    ));
                }
                match p.factor {
                    Some(c) if c.is_finite() && c >= 1.0 => {}
                    c => out.push(Violation::new("params.factor", H6, format!("c = {}", shown(c)))),
                }
            }
            BfcMeasure::Samples => {
                let open_unit = |v: Option<f64>| matches!(v, Some(x) if x > 0.0 && x < 1.0);
                if !open_unit(p.ratio) {
                    out.push(Violation::new("params.ratio", H7, format!("r = {}", shown(p.ratio))));
                }
                if !open_unit(p.error_level) {
                    out.push(Violation::new(
                        "params.error_level",
                        H7,
                        format!("τ = {}", shown(p.error_level)),
                    ));
                }
                if !matches!(p.budget_per_d2, Some(b) if b.is_finite() && b > 0.0) {
                    out.push(Violation::new("params.budget_per_d2", H7, shown(p.budget_per_d2)));
                }
                if p.budget_floor.is_some_and(|b| !(b.is_finite() && b > 0.0)) {
                    out.push(Violation::new("params.budget_floor", H7, shown(p.budget_floor)));
                }
                if p.test_points.unwrap_or(0) < 100 {
                    out.push(Violation::new("params.test_points", H7, shown(p.test_points)));
                }
            }
            BfcMeasure::KernelPlateau => {}
        }
        out
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        match p.measure {
            BfcMeasure::FeatureGap => {
                let c = p.factor.unwrap_or(1.0);
                if p.depth == 3 {
                    let l = p.judged_level.unwrap_or(1);
                    return Prediction {
                        kind: ClaimKind::LowerBound,
                        exponent: Exponent::AtLeast(0.0),
                        law: format!(
                            "E{l}(layer-wise) / E{l}(joint) ≥ {c} at every r (L = 3, α = 1, r, r²)"
                        ),
                        rationale: format!(
                            "with levels 1-2 trained alone, the degree-8 level 3 stays in the \
                             residual, gradient noise on W1 and W2; training level 3 jointly fits \
                             it, and its gradient through the lower levels corrects them: the \
                             correction reaches level {l} (our toy of check B2 at L = 3, after \
                             Allen-Zhu & Li's backward feature correction; issue 6's bfc-depth)"
                        ),
                        size: "1000r".into(),
                        observable: format!("ln(E{l}_A/E{l}_B) - ln c"),
                    };
                }
                Prediction {
                    kind: ClaimKind::LowerBound,
                    exponent: Exponent::AtLeast(0.0),
                    law: format!("E1(layer-wise) / E1(joint) ≥ {c} at every r = α2/α1"),
                    rationale: "level 1 alone leaves the non-quadratic part of r·G2 in the \
                                residual, gradient noise on W1 of variance ∝ r²; joint training \
                                fits it and corrects W1 (our toy of check B2, after Allen-Zhu & \
                                Li's backward feature correction)"
                        .into(),
                    size: "1000r".into(),
                    observable: "ln(E1_A/E1_B) - ln c".into(),
                }
            }
            BfcMeasure::Samples => {
                let a_max = exponent_bound(p.depth);
                Prediction {
                    kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
                    exponent: Exponent::AtMost(a_max),
                    law: format!("n*(d) ≲ d^{a_max}, half the kernel's d^{}", 2 * a_max as u32),
                    rationale: "SGD finds the k level-1 directions (information exponent 2) in \
                                about d log d fresh samples and level 2 lives in k dimensions, so \
                                n* grows polynomially, far below the d^(2^L) of kernels (our toy; \
                                Allen-Zhu & Li state poly(d) at the abstract level)"
                        .into(),
                    size: "d".into(),
                    observable: "n*".into(),
                }
            }
            BfcMeasure::KernelPlateau => {
                let kernel_exponent = 2 * exponent_bound(p.depth) as u32;
                Prediction {
                    kind: ClaimKind::LowerBound,
                    exponent: Exponent::AtLeast(0.0),
                    law: format!(
                        "err(n) ≥ e4(1 - n/B(d,4)), so n* ≳ d^{kernel_exponent} = d^(2^L)"
                    ),
                    rationale: "f* has one vector, Y = <A0, x⊗4> of energy e4(d), in the isotypic \
                                component of harmonic degree 4 (dimension B(d,4) ~ d^4/24); a \
                                rotation-invariant kernel's fit spans at most n of its directions, \
                                and averaging over rotations (Schur) leaves E err ≥ e4 (1 - \
                                n/B(d,4)) for every ridge, so error τ < e4 needs n ≥ B(d,4)(1 - \
                                τ/e4) (our derivation from the kernel barrier of Ghorbani, Mei, \
                                Misiakiewicz, Montanari; not a theorem of Allen-Zhu & Li)"
                        .into(),
                    size: "d".into(),
                    observable: "(err - bound)/Var f* in %".into(),
                }
            }
        }
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation {
        let result = match p.measure {
            BfcMeasure::FeatureGap => feature_gap(p, size, rng),
            BfcMeasure::Samples => samples_to_error(p, size, rng),
            BfcMeasure::KernelPlateau => kernel_plateau(p, size, rng),
        };
        result.unwrap_or_else(Observation::Failed)
    }

    fn panel(
        &self,
        p: &Validated<Self::Params>,
        size: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        match p.measure {
            BfcMeasure::FeatureGap if p.depth == 3 => None,
            BfcMeasure::FeatureGap => Some(feature_panel(p, size, stream)),
            BfcMeasure::Samples => Some(three_learner_panel(p, size, stream)),
            BfcMeasure::KernelPlateau => None,
        }
    }

    fn exploratory(&self, p: &Validated<Self::Params>) -> Option<Exploratory> {
        // Issue 6: "this gap grows with α2/α1: fit the slope of log error vs log(α2/α1) and
        // report it as measured". The slope of the ratio is the gap's growth exponent.
        let l = p.judged_level.unwrap_or(1);
        matches!(p.measure, BfcMeasure::FeatureGap).then(|| Exploratory {
            quantity: if l == 1 {
                "level-1 subspace error E1 against r = α2/α1 (log-log)".into()
            } else {
                format!("level-{l} feature error E{l} (regression) against r = α2/α1 (log-log)")
            },
            series: vec![format!("E{l}_B (joint)"), format!("E{l}_A (layer-wise)")],
        })
    }
}

/// One `feature-gap` trial: $\ln(E_1^A/E_1^B) - \ln c$.
fn feature_gap(
    p: &BackwardFeatureCorrectionParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let (d, r) = setting(p, size);
    if p.depth == 3 {
        return feature_gap_depth3(p, d, r, rng);
    }
    let Start { target, mut net, eta } = start(p, d, r, rng)?;
    let t1 = p.level1_steps.unwrap_or(1) as usize;
    let t2 = p.schedule_steps.unwrap_or(1) as usize;
    net.train(&target, level_one(), t1, eta, rng, |_, _| {})
        .map_err(|e| diverged("level-1 phase", &e))?;
    let mut layerwise = net.clone();
    // Common random numbers: both schedules see the same fresh batches.
    let mut rng_a = rng.clone();
    layerwise
        .train(&target, level_one(), t2, eta, &mut rng_a, |_, _| {})
        .map_err(|e| diverged("layer-wise schedule", &e))?;
    net.train(&target, joint(), t2, eta, rng, |_, _| {})
        .map_err(|e| diverged("joint schedule", &e))?;
    let k = p.features as usize;
    let ea = feature_error(layerwise.first_layer(), k).map_err(|e| e.to_string())?;
    let eb = feature_error(net.first_layer(), k).map_err(|e| e.to_string())?;
    gap_observation(p, ea, eb)
}

/// $\ln(E^A/E^B) - \ln c$, annotated with $(E^B, E^A)$ for the exploratory slopes.
fn gap_observation(
    p: &BackwardFeatureCorrectionParams,
    ea: f64,
    eb: f64,
) -> Result<Observation, String> {
    if !(ea > 0.0 && eb > 0.0 && ea.is_finite() && eb.is_finite()) {
        return Err(format!("feature errors E_A = {ea}, E_B = {eb}"));
    }
    let gap = Observation::Value((ea / eb).ln() - p.factor.unwrap_or(1.0).ln());
    Ok(Observation::annotated(gap, vec![eb, ea]))
}

/// Test points of the level-2 feature error $E_2$ ([`level_feature_error`]): its relative
/// residuals are means over these points, with a Monte-Carlo error of a few percent of
/// themselves at 4000 (the features are degree-4 polynomials).
const LEVEL_ERROR_POINTS: usize = 4000;

/// One `feature-gap` trial at $L = 3$ ($\alpha = 1, r, r^2$): level 1 for $T_1$ steps, levels
/// 1-2 for $T_{12}$, then from the same state and on the same batches schedule A (levels 1-2
/// alone, level 3 absent: layer-wise, which would then freeze them and train level 3) and B
/// (all three levels) for $T_2$ steps each; $\ln(E_l^A/E_l^B) - \ln c$ for the judged level
/// ($E_1$ the subspace error, $E_2$ the regression error on fresh points).
fn feature_gap_depth3(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    r: f64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let Start { target, mut net, eta } = start(p, d, r, rng)?;
    let (x_test, _) = target.sample(LEVEL_ERROR_POINTS, rng);
    let t1 = p.level1_steps.unwrap_or(1) as usize;
    let t12 = p.level2_steps.unwrap_or(1) as usize;
    let t2 = p.schedule_steps.unwrap_or(1) as usize;
    net.train(&target, level_one(), t1, eta, rng, |_, _| {})
        .map_err(|e| diverged("level-1 phase", &e))?;
    net.train(&target, joint(), t12, eta, rng, |_, _| {})
        .map_err(|e| diverged("levels 1-2 phase", &e))?;
    let mut layerwise = net.clone();
    let mut rng_a = rng.clone();
    layerwise
        .train(&target, joint(), t2, eta, &mut rng_a, |_, _| {})
        .map_err(|e| diverged("layer-wise schedule", &e))?;
    net.train(&target, Phase { levels: 3, first_trained: 1 }, t2, eta, rng, |_, _| {})
        .map_err(|e| diverged("joint schedule", &e))?;
    let (ea, eb) = match p.judged_level {
        Some(2) => (
            level_feature_error(&mut layerwise, &target, 2, &x_test),
            level_feature_error(&mut net, &target, 2, &x_test),
        ),
        _ => {
            let k = p.features as usize;
            (feature_error(layerwise.first_layer(), k), feature_error(net.first_layer(), k))
        }
    };
    gap_observation(p, ea.map_err(|e| e.to_string())?, eb.map_err(|e| e.to_string())?)
}

/// The `samples` budget $n_{\max} = \max($`budget_per_d2`$\cdot d^2,$ `budget_floor`$)$.
fn sample_budget(p: &BackwardFeatureCorrectionParams, d: u32) -> f64 {
    let scaled = p.budget_per_d2.unwrap_or(1.0) * f64::from(d) * f64::from(d);
    p.budget_floor.map_or(scaled, |floor| scaled.max(floor))
}

/// Evaluation points per doubling of the sample count.
const GRID_PER_OCTAVE: f64 = 8.0;

/// The relative test error of joint training from the start on a geometric grid of fresh
/// sample counts (from one batch to the budget [`sample_budget`]), stopping after the first
/// grid point at or below `stop` (none: the whole budget).
fn learning_curve(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    rng: &mut Rng,
    stop: Option<f64>,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    learning_curve_levels(p, d, rng, stop, p.widths.len(), sample_budget(p, d))
}

/// [`learning_curve`] of the network's first `levels` levels, all trained from the start, on
/// at most `budget` samples.
fn learning_curve_levels(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    rng: &mut Rng,
    stop: Option<f64>,
    levels: usize,
    budget: f64,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let Start { target, mut net, eta } = start_levels(p, d, p.ratio.unwrap_or(0.0), rng, levels)?;
    let phase = Phase { levels, first_trained: 1 };
    let test = p.test_points.unwrap_or(100) as usize;
    let (xt, yt) = target.sample(test, rng);
    let norm = yt.iter().map(|v| v * v).sum::<f64>() / test as f64;
    let batch = p.batch as usize;
    let max_steps = (budget / batch as f64).ceil().max(1.0) as usize;
    let (mut grid, mut errors) = (Vec::new(), Vec::new());
    let mut done = 0usize;
    let mut j = 0.0f64;
    while done < max_steps {
        let next = ((2f64.powf(j / GRID_PER_OCTAVE)).round() as usize).clamp(done + 1, max_steps);
        j += 1.0;
        net.train(&target, phase, next - done, eta, rng, |_, _| {})
            .map_err(|e| diverged("joint training", &e))?;
        done = next;
        let err = test_error(&mut net, &xt, &yt) / norm;
        if !err.is_finite() {
            return Err(format!("the test error is not finite after {done} steps"));
        }
        grid.push((done * batch) as f64);
        errors.push(err);
        if stop.is_some_and(|s| err <= s) {
            break;
        }
    }
    Ok((grid, errors))
}

/// One `samples` trial: the fresh samples $n^*$ at which the relative test error first
/// reaches $\tau$ (log-interpolated on the grid), censored at the budget.
fn samples_to_error(
    p: &BackwardFeatureCorrectionParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let tau = p.error_level.unwrap_or(0.5);
    let (grid, errors) = learning_curve(p, size as u32, rng, Some(tau))?;
    // The threshold reads a rising order parameter: -ln(err) crossing -ln(τ).
    let order: Vec<f64> = errors.iter().map(|e| -e.max(f64::MIN_POSITIVE).ln()).collect();
    Ok(Observation::threshold(&grid, &order, -tau.ln(), 1.0))
}

/// The relative test error against the sample count at one $d$, for three learners on the
/// same targets (run `i` of each learner draws its target from stream `i`, so the three see
/// the same draws): the deep learner (points and medians, fresh samples), the two-layer
/// baseline (the same quadratic network with its first level only, same SGD, fresh samples;
/// its best possible error is the degree-4 Hermite energy $4!\lVert A\rVert^2$ of $f^*$, since
/// it represents only quadratics), and kernel ridge regression with `kernel-gap`'s kernel and
/// ridge ($\cosh(\langle x, y\rangle/d)$, ridge $10^{-3}$ of the mean diagonal) on nested
/// training sets of $n \le$ [`PANEL_KERNEL_MAX`] samples, beside the bound $e_4(1 - n/B(d,4))$
/// that holds for every rotation-invariant kernel (depth 2; at $L = 3$ the target has no
/// exact degree-4 part and the bound and the two-layer floor are not drawn). Medians over
/// [`PANEL_RUNS`] runs.
///
/// Cost: a deep run stops at the first grid point at or below $\tau$ times
/// [`PANEL_BELOW_TAU`], and the two-layer run on the same stream stops at the same $n$ (the
/// whole budget, ~10 times $n^*$, would take hours at $L = 3$); a run that has stopped enters
/// the later medians with its last error carried forward, an upper estimate of its error.
fn three_learner_panel(
    p: &BackwardFeatureCorrectionParams,
    size: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let d = size as u32;
    let tau = p.error_level.unwrap_or(0.5);
    let (mut deep, mut shallow, mut kernel) = (Vec::new(), Vec::new(), Vec::new());
    let (mut floors, mut e4s) = (Vec::new(), Vec::new());
    for run in 0..PANEL_RUNS {
        let (grid, errors) = learning_curve(p, d, &mut stream(run), Some(tau * PANEL_BELOW_TAU))?;
        let n_run = grid.last().copied().unwrap_or(1.0);
        deep.push(grid.into_iter().zip(errors).collect::<Vec<_>>());
        let (grid, errors) = learning_curve_levels(p, d, &mut stream(run), None, 1, n_run)
            .map_err(|e| format!("two-layer baseline: {e}"))?;
        shallow.push(grid.into_iter().zip(errors).collect::<Vec<_>>());
        let run = kernel_curve(p, d, &mut stream(run))?;
        kernel.push(run.curve);
        if let Some(levels) = run.levels {
            floors.push(levels.floor);
            e4s.push(levels.e4);
        }
    }
    let n_max = deep.iter().map(|c| c.last().map_or(1.0, |&(n, _)| n)).fold(1.0, f64::max);
    let b4 = harmonic_dimension_f64(size, 4).map_err(|e| e.to_string())?;
    let bound: Option<Vec<(f64, f64)>> = (!e4s.is_empty()).then(|| {
        let e4 = median(&mut e4s);
        (0..=64)
            .map(|i| n_max.min(0.99 * b4).powf(f64::from(i) / 64.0))
            .map(|n| (n, e4 * (1.0 - n / b4)))
            .collect()
    });
    let two_layer = if floors.is_empty() {
        "two-layer net".to_string()
    } else {
        format!("two-layer net (floor {:.3})", median(&mut floors))
    };
    let mut curves = vec![
        (format!("τ = {tau}"), vec![(1.0, tau), (n_max, tau)]),
        (two_layer, pointwise_medians(&shallow)),
        ("kernel ridge (cosh kernel)".into(), pointwise_medians(&kernel)),
    ];
    curves.extend(bound.map(|b| ("kernel bound e4(1 - n/B(d,4))".to_string(), b)));
    Ok(Panel {
        name: format!("d{size}"),
        title: format!("d = {size}: deep net (dots) vs two-layer net and kernel, same targets"),
        x_label: "samples n".into(),
        y_label: "E(f - f*)^2 / E f*^2".into(),
        log_x: true,
        log_y: true,
        points: deep.iter().flatten().copied().collect(),
        medians: pointwise_medians(&deep),
        curves,
    })
}

/// The panel's deep runs stop at $\tau/2$: the crossing of $\tau$ and a little of the curve
/// below it.
const PANEL_BELOW_TAU: f64 = 0.5;

/// Largest training set of the panel's kernel curve (a Cholesky factor of this order takes
/// about 0.5 s).
const PANEL_KERNEL_MAX: usize = 4096;

/// One run of the panel's kernel learner, with its target's reference levels.
struct KernelRun {
    /// The relative test error at nested $n = 2^j$ up to $\min$([`PANEL_KERNEL_MAX`],
    /// $B(d,4)/2$).
    curve: Vec<(f64, f64)>,
    /// The depth-2 target's exact levels; `None` at depth 3, whose degree-4 part is not exact.
    levels: Option<ReferenceLevels>,
}

/// A depth-2 target's levels, relative to $E f^{*2}$.
struct ReferenceLevels {
    /// The two-layer floor $4!\lVert A\rVert^2/E f^{*2}$.
    floor: f64,
    /// The kernel bound's scale $e_4/E f^{*2}$.
    e4: f64,
}

/// One run of the panel's kernel learner ([`KernelRun`]).
fn kernel_curve(
    p: &BackwardFeatureCorrectionParams,
    d: u32,
    rng: &mut Rng,
) -> Result<KernelRun, String> {
    let target = draw_target(p, d, p.ratio.unwrap_or(0.0), rng)?;
    let levels = match (target.quartic_tensor(), target.harmonic_energy(), target.variance()) {
        (Some(a), Some(e), Some(v)) => Some(ReferenceLevels {
            floor: 24.0 * a.iter().map(|t| t * t).sum::<f64>() / v,
            e4: e / v,
        }),
        _ => None,
    };
    let b4 = harmonic_dimension_f64(u64::from(d), 4).map_err(|e| e.to_string())?;
    let n_max = PANEL_KERNEL_MAX.min((b4 / 2.0) as usize).max(2);
    let (xt, yt) = target.sample(p.test_points.unwrap_or(500) as usize, rng);
    let norm = yt.iter().map(|v| v * v).sum::<f64>() / yt.len() as f64;
    let (x, y) = target.sample(n_max, rng);
    let (krr, k_test) = fit_krr(BfcKernel::EvenExponential, 1e-3, &x, &xt)?;
    let mut curve = Vec::new();
    let mut n = 2usize;
    while n <= n_max {
        let f_hat = krr.predict(n, k_test.as_ref(), &y[..n]).map_err(|e| e.to_string())?;
        let err =
            f_hat.iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>() / yt.len() as f64;
        curve.push((n as f64, err / norm));
        n *= 2;
    }
    Ok(KernelRun { curve, levels })
}

/// Medians across runs at each grid point. The runs share one grid (a prefix of it each); a
/// run shorter than the longest enters the later points with its last value.
fn pointwise_medians(traj: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    let Some(longest) = traj.iter().max_by_key(|t| t.len()) else { return Vec::new() };
    let carried = |t: &Vec<(f64, f64)>, i: usize| t.get(i).or(t.last()).map(|&(_, v)| v);
    longest
        .iter()
        .enumerate()
        .map(|(i, &(n, _))| {
            let mut vals: Vec<f64> = traj.iter().filter_map(|t| carried(t, i)).collect();
            (n, median(&mut vals))
        })
        .collect()
}

/// Runs behind the panel at each size.
const PANEL_RUNS: u64 = 5;
/// Points per trajectory.
const PANEL_POINTS: usize = 40;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// $E_1$ over SGD steps for both schedules (medians over [`PANEL_RUNS`] runs).
fn feature_panel(
    p: &BackwardFeatureCorrectionParams,
    size: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let k = p.features as usize;
    let t1 = p.level1_steps.unwrap_or(1) as usize;
    let t2 = p.schedule_steps.unwrap_or(1) as usize;
    let (d, r) = setting(p, size);
    let every = ((t1 + t2) / PANEL_POINTS).max(1);
    let mut traj_a: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut traj_b: Vec<Vec<(f64, f64)>> = Vec::new();
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        let Start { target, mut net, eta } = start(p, d, r, &mut rng)?;
        let mut common = Vec::new();
        let record = |step: usize, n: &QuadNet, out: &mut Vec<(f64, f64)>| {
            if step % every == 0 {
                if let Ok(e) = feature_error(n.first_layer(), k) {
                    out.push((step as f64, e));
                }
            }
        };
        net.train(&target, level_one(), t1, eta, &mut rng, |s, n| record(s, n, &mut common))
            .map_err(|e| diverged("level-1 phase", &e))?;
        let mut a = common.clone();
        let mut b = common;
        let mut layerwise = net.clone();
        let mut rng_a = rng.clone();
        layerwise
            .train(&target, level_one(), t2, eta, &mut rng_a, |s, n| record(s, n, &mut a))
            .map_err(|e| diverged("layer-wise schedule", &e))?;
        net.train(&target, joint(), t2, eta, &mut rng, |s, n| record(s, n, &mut b))
            .map_err(|e| diverged("joint schedule", &e))?;
        traj_a.push(a);
        traj_b.push(b);
    }
    let (ma, mb) = (pointwise_medians(&traj_a), pointwise_medians(&traj_b));
    let end = |m: &[(f64, f64)]| m.last().map_or(f64::NAN, |&(_, e)| e);
    Ok(Panel {
        name: format!("r{size}"),
        title: format!(
            "level-1 feature error, r = {} (dots: joint runs): final median E1 layer-wise {:.3e}, joint {:.3e}",
            r,
            end(&ma),
            end(&mb)
        ),
        x_label: "SGD step (joint schedule from step T1)".into(),
        y_label: "E1 = ||P_U - P_W1*||_F^2 / k".into(),
        log_x: false,
        log_y: true,
        points: traj_b.iter().flatten().copied().collect(),
        medians: mb,
        curves: vec![("layer-wise (level 1 alone), median".into(), ma)],
    })
}

// --- Claim `kernel-gap` (measure `kernel-plateau`), appended. ---

/// The largest kernel training set a `kernel-plateau` trial may factor (H8): a 10000 × 10000
/// kernel matrix is 0.8 GB and its Cholesky factor $n^3/3 \approx 3.3\cdot 10^{11}$ flop.
pub const MAX_KERNEL_SAMPLES: f64 = 10_000.0;

/// $(n, B(d,4))$ with $n = \lfloor c\, B(d,4)\rfloor$ for a `kernel-plateau` claim.
fn kernel_samples(p: &BackwardFeatureCorrectionParams, d: u64) -> Option<(f64, f64)> {
    let b = harmonic_dimension_f64(d, 4).ok()?;
    Some(((p.budget_fraction? * b).floor(), b))
}

/// Hypotheses H8–H11 of a `kernel-plateau` claim (H1, H2 are checked before).
fn kernel_violations(p: &BackwardFeatureCorrectionParams, sizes: &[u64], out: &mut Vec<Violation>) {
    let k = u64::from(p.features);
    if let Some(d) = sizes.iter().find(|&&d| d < k + 1 || d > 256) {
        out.push(Violation::new("sizes", H8, format!("d = {d} with k = {k}")));
    }
    let c_ok = matches!(p.budget_fraction, Some(c) if c > 0.0 && c < 1.0);
    if !c_ok {
        out.push(Violation::new(
            "params.budget_fraction",
            H9,
            format!("c = {}", shown(p.budget_fraction)),
        ));
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
    if !matches!(p.ratio, Some(r) if r > 0.0 && r < 1.0) {
        out.push(Violation::new("params.ratio", H9, format!("r = {}", shown(p.ratio))));
    }
    if p.test_points.unwrap_or(0) < 500 {
        out.push(Violation::new("params.test_points", H9, shown(p.test_points)));
    }
    if p.kernel.is_none() {
        out.push(Violation::new("params.kernel", H10, "no kernel given"));
    }
    if !matches!(p.relative_ridge, Some(r) if r.is_finite() && r >= 0.0) {
        out.push(Violation::new(
            "params.relative_ridge",
            H10,
            format!("ρ = {}", shown(p.relative_ridge)),
        ));
    }
    if !p.widths.is_empty() || !p.init_scales.is_empty() || p.step != 0.0 || p.batch != 0 {
        out.push(Violation::new(
            "params.widths",
            H11,
            format!(
                "widths {:?}, init_scales {:?}, step {}, batch {}",
                p.widths, p.init_scales, p.step, p.batch
            ),
        ));
    }
}

/// The kernel matrix $h(\langle a_i, b_j\rangle/d)$ of the rows of `a` against those of `b`
/// (`b = None`: the symmetric Gram matrix of `a`), from the linear kernel's GEMM.
fn bfc_kernel_matrix(
    kernel: BfcKernel,
    a: &Mat<f64>,
    b: Option<&Mat<f64>>,
) -> Result<Mat<f64>, String> {
    let linear = InnerProductKernel::Polynomial { degree: 1, c: 0.0 };
    let mut k = match b {
        None => gram_matrix(&linear, a.as_ref()),
        Some(b) => kernel_matrix(&linear, a.as_ref(), b.as_ref()),
    }
    .map_err(|e| e.to_string())?;
    for j in 0..k.ncols() {
        for v in k.col_as_slice_mut(j) {
            *v = kernel.h(*v);
        }
    }
    Ok(k)
}

/// KRR with `kernel` on the training inputs `x` (rows), ridge `relative_ridge` times the mean
/// diagonal of the Gram matrix (factored once, so prefixes can be read), and the test-train
/// kernel matrix of the test inputs `xt`.
fn fit_krr(
    kernel: BfcKernel,
    relative_ridge: f64,
    x: &Mat<f64>,
    xt: &Mat<f64>,
) -> Result<(Krr, Mat<f64>), String> {
    let gram = bfc_kernel_matrix(kernel, x, None)?;
    let n = gram.nrows() as f64;
    let mean_diag = (0..gram.nrows()).map(|i| gram[(i, i)]).sum::<f64>() / n;
    let krr = Krr::factor(gram, relative_ridge * mean_diag).map_err(|e| format!("KRR: {e}"))?;
    let k_test = bfc_kernel_matrix(kernel, xt, Some(x))?;
    Ok((krr, k_test))
}

/// One `kernel-plateau` trial at dimension $d$: draws the target ($V$), $n = \lfloor c
/// B(d,4)\rfloor$ training and `test_points` test inputs $x \sim N(0, I_d)$, fits KRR with
/// ridge $\rho \cdot \overline{K_{ii}}$ and returns $100\,(\mathrm{err} - e_4(d)(1 -
/// n/B(d,4))) / \mathrm{Var} f^*$ (percent of the target's variance), the test error and
/// $e_4$ of this draw of the target.
fn kernel_plateau(
    p: &BackwardFeatureCorrectionParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let (d, r) = setting(p, size);
    let target = draw_target(p, d, r, rng)?;
    let (e4, var) = match (target.harmonic_energy(), target.variance()) {
        (Some(e), Some(v)) => (e, v),
        _ => return Err("the target has no exact degree-4 part (depth 2 only)".into()),
    };
    let (n, b4) = kernel_samples(p, size).ok_or("B(d,4) or c is not defined")?;
    let (x, y) = target.sample(n as usize, rng);
    let (xt, yt) = target.sample(p.test_points.unwrap_or(500) as usize, rng);
    let kernel = p.kernel.unwrap_or(BfcKernel::EvenExponential);
    let (krr, k_test) = fit_krr(kernel, p.relative_ridge.unwrap_or(0.0), &x, &xt)?;
    let f_hat = krr.predict(n as usize, k_test.as_ref(), &y).map_err(|e| e.to_string())?;
    let err = f_hat.iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>() / yt.len() as f64;
    if !err.is_finite() {
        return Err(format!("the KRR test error is {err} at d = {d}, n = {n}"));
    }
    Ok(Observation::Value(100.0 * (err - e4 * (1.0 - n / b4)) / var))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    fn params() -> BackwardFeatureCorrectionParams {
        BackwardFeatureCorrectionParams {
            measure: BfcMeasure::FeatureGap,
            depth: 2,
            dim: Some(8),
            features: 2,
            widths: vec![4, 4],
            init_scales: vec![0.1, 1.0],
            step: 0.16,
            batch: 16,
            level1_steps: Some(50),
            schedule_steps: Some(50),
            factor: Some(1.0),
            ratio: None,
            error_level: None,
            budget_per_d2: None,
            budget_floor: None,
            test_points: None,
            budget_fraction: None,
            kernel: None,
            relative_ridge: None,
            level_maps: None,
            level2_steps: None,
            judged_level: None,
            residual_clip: None,
        }
    }

    /// A small depth-3 `feature-gap` design (H12).
    fn depth3_params(level: u32) -> BackwardFeatureCorrectionParams {
        BackwardFeatureCorrectionParams {
            depth: 3,
            widths: vec![4, 4, 4],
            init_scales: vec![0.1, 1.0, 0.3],
            level_maps: Some(BfcLevelMaps::Gaussian),
            level2_steps: Some(50),
            judged_level: Some(level),
            residual_clip: Some(3.0),
            ..params()
        }
    }

    #[test]
    fn depth_three_feature_gap_judges_the_chosen_level_and_is_deterministic() {
        let v = |p: BackwardFeatureCorrectionParams| {
            Validated::check(&BackwardFeatureCorrection, p, &[100, 300, 500]).unwrap()
        };
        for level in [1, 2] {
            let p = v(depth3_params(level));
            let pred = BackwardFeatureCorrection.predict(&p);
            assert!(pred.law.starts_with(&format!("E{level}(layer-wise)")), "{}", pred.law);
            let run = || BackwardFeatureCorrection.trial(&p, 300, &mut rng_from_u64(5));
            let (a, b) = (run(), run());
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
            assert!(!matches!(a, Observation::Failed(_)), "{a:?}");
        }
    }

    #[test]
    fn depth_three_needs_its_schedule_and_a_judged_level_of_one_or_two() {
        let h12 = |p: BackwardFeatureCorrectionParams| {
            BackwardFeatureCorrection
                .violations(&p, &[100, 300, 500])
                .iter()
                .any(|v| v.hypothesis.starts_with("(H12)"))
        };
        assert!(!h12(depth3_params(2)));
        assert!(h12(BackwardFeatureCorrectionParams { judged_level: Some(3), ..depth3_params(1) }));
        assert!(h12(BackwardFeatureCorrectionParams { level2_steps: None, ..depth3_params(1) }));
        assert!(h12(BackwardFeatureCorrectionParams {
            residual_clip: Some(0.0),
            ..depth3_params(1)
        }));
        assert!(h12(BackwardFeatureCorrectionParams { level2_steps: Some(5), ..params() }));
        let samples_l3 = BackwardFeatureCorrectionParams {
            measure: BfcMeasure::Samples,
            level2_steps: None,
            judged_level: None,
            dim: None,
            ratio: Some(0.3),
            error_level: Some(1e-4),
            budget_per_d2: Some(10.0),
            test_points: Some(200),
            factor: None,
            level1_steps: None,
            schedule_steps: None,
            ..depth3_params(1)
        };
        assert!(BackwardFeatureCorrection.violations(&samples_l3, &[8, 12, 16]).is_empty());
        let kernel_l3 = BackwardFeatureCorrectionParams { depth: 3, ..kernel_params() };
        assert!(BackwardFeatureCorrection
            .violations(&kernel_l3, &[16, 18, 20])
            .iter()
            .any(|v| v.hypothesis.starts_with("(H1)")));
    }

    fn kernel_params() -> BackwardFeatureCorrectionParams {
        BackwardFeatureCorrectionParams {
            measure: BfcMeasure::KernelPlateau,
            dim: None,
            features: 4,
            widths: vec![],
            init_scales: vec![],
            step: 0.0,
            batch: 0,
            level1_steps: None,
            schedule_steps: None,
            factor: None,
            ratio: Some(0.3),
            test_points: Some(2000),
            budget_fraction: Some(0.5),
            kernel: Some(BfcKernel::EvenExponential),
            relative_ridge: Some(1e-3),
            ..params()
        }
    }

    #[test]
    fn bad_inputs_name_their_hypotheses() {
        let t = BackwardFeatureCorrection;
        let mut p = params();
        p.depth = 0;
        p.widths = vec![1];
        p.step = f64::NAN;
        p.factor = Some(0.5);
        let v = t.violations(&p, &[0, 30, 1000]);
        let names: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
        for f in [
            "params.depth",
            "params.widths",
            "params.step",
            "params.init_scales",
            "sizes",
            "params.factor",
        ] {
            assert!(names.contains(&f), "{f} missing from {names:?}");
        }
        assert!(t.violations(&params(), &[30, 100, 300]).is_empty());
    }

    #[test]
    fn the_samples_measure_reads_a_threshold_or_censors_at_the_budget() {
        let t = BackwardFeatureCorrection;
        let mut p = params();
        p.measure = BfcMeasure::Samples;
        p.dim = None;
        p.level1_steps = None;
        p.schedule_steps = None;
        p.factor = None;
        p.ratio = Some(0.3);
        p.error_level = Some(0.5);
        p.budget_per_d2 = Some(2000.0);
        p.test_points = Some(200);
        let v = Validated::check(&t, p.clone(), &[8, 10, 12]).unwrap();
        let mut rng = crate::rng::rng_from_u64(2);
        match t.trial(&v, 8, &mut rng) {
            Observation::Value(n) => assert!(n > 0.0 && n <= 2000.0 * 64.0, "{n}"),
            o => panic!("expected a threshold, got {o:?}"),
        }
        // An unreachable level within one batch of budget: censored at the budget.
        p.error_level = Some(1e-9);
        p.budget_per_d2 = Some(0.25);
        let v = Validated::check(&t, p.clone(), &[8, 10, 12]).unwrap();
        assert_eq!(t.trial(&v, 8, &mut rng), Observation::Censored(16.0));
        // A budget floor above 0.25 d^2 = 16 samples: censored at the floor instead.
        p.budget_floor = Some(64.0);
        let v = Validated::check(&t, p.clone(), &[8, 10, 12]).unwrap();
        assert_eq!(t.trial(&v, 8, &mut rng), Observation::Censored(64.0));
        // A floor that is not a positive number violates H7.
        p.budget_floor = Some(f64::NAN);
        let fields: Vec<_> = t.violations(&p, &[8]).into_iter().map(|v| v.field).collect();
        assert_eq!(fields, ["params.budget_floor"]);
        // A missing value is named as missing, not as Rust's `None`.
        p.budget_floor = None;
        p.ratio = None;
        let v = t.violations(&p, &[8]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].found, "r = not given");
    }

    /// The three-learner panel at d = 8 (k = 2, tiny budget): three curves besides the level,
    /// and the kernel's nested n are powers of two up to B(8,4)/2 = 147, where the bound for
    /// every rotation-invariant kernel holds (e4 ≤ the full degree-4 energy, the two-layer
    /// floor).
    #[test]
    fn the_three_learner_panel_puts_a_two_layer_net_and_a_kernel_beside_the_deep_net() {
        let mut p = params();
        p.measure = BfcMeasure::Samples;
        p.ratio = Some(0.3);
        p.error_level = Some(0.01);
        p.budget_per_d2 = Some(20.0);
        p.test_points = Some(500);
        let stream = |i: u64| crate::rng::rng_from_u64(10 + i);
        let panel = three_learner_panel(&p, 8, &stream).unwrap();
        assert_eq!(panel.curves.len(), 4);
        assert!(panel.curves[1].0.starts_with("two-layer net (floor 0."), "{}", panel.curves[1].0);
        let kernel = &panel.curves[2].1;
        let ns: Vec<f64> = kernel.iter().map(|&(n, _)| n).collect();
        assert_eq!(ns, [2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]);
        let ReferenceLevels { floor, e4 } =
            kernel_curve(&p, 8, &mut stream(0)).unwrap().levels.unwrap();
        assert!(0.0 < e4 && e4 <= floor && floor < 1.0, "e4 {e4}, floor {floor}");
        let last = kernel.last().unwrap().1;
        assert!(last.is_finite() && last >= e4 * (1.0 - 128.0 / 294.0) * 0.5, "{last}");
    }

    /// At L = 3 the target has no exact degree-4 part: the kernel is fitted on the same
    /// three-level target, and neither the two-layer floor nor the kernel bound is drawn.
    #[test]
    fn the_depth_three_panel_draws_no_degree_four_bound() {
        let mut p = params();
        p.measure = BfcMeasure::Samples;
        p.depth = 3;
        p.widths = vec![4, 4, 4];
        p.init_scales = vec![0.1, 1.0, 0.3];
        p.level_maps = Some(BfcLevelMaps::Gaussian);
        p.residual_clip = Some(3.0);
        p.ratio = Some(0.3);
        p.error_level = Some(0.5);
        p.budget_per_d2 = Some(20.0);
        p.test_points = Some(500);
        let stream = |i: u64| crate::rng::rng_from_u64(20 + i);
        let panel = three_learner_panel(&p, 8, &stream).unwrap();
        let names: Vec<&str> = panel.curves.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names, ["τ = 0.5", "two-layer net", "kernel ridge (cosh kernel)"]);
        let run = kernel_curve(&p, 8, &mut stream(0)).unwrap();
        assert!(run.levels.is_none());
        assert!(run.curve.iter().all(|&(_, e)| e.is_finite()));
    }

    /// A run that stopped early enters the later medians with its last value.
    #[test]
    fn pointwise_medians_carry_a_stopped_run_forward() {
        let runs = vec![
            vec![(1.0, 4.0), (2.0, 1.0)],
            vec![(1.0, 5.0), (2.0, 3.0), (4.0, 2.0)],
            vec![(1.0, 6.0), (2.0, 0.5), (4.0, 0.2)],
        ];
        assert_eq!(pointwise_medians(&runs), [(1.0, 5.0), (2.0, 1.0), (4.0, 1.0)]);
        assert!(pointwise_medians(&[]).is_empty());
    }

    #[test]
    fn a_diverging_step_is_a_failed_observation_with_its_step() {
        let t = BackwardFeatureCorrection;
        let mut p = params();
        p.step = 10.0;
        p.init_scales = vec![3.0, 3.0];
        let v = Validated::check(&t, p, &[100, 200, 300]).unwrap();
        let mut rng = crate::rng::rng_from_u64(1);
        match t.trial(&v, 300, &mut rng) {
            Observation::Failed(why) => {
                assert!(why.contains("diverged") && why.contains("step"), "{why}")
            }
            o => panic!("expected a divergence, got {o:?}"),
        }
    }

    // --- Claim `kernel-gap` (appended). ---

    #[test]
    fn kernel_plateau_inputs_name_their_hypotheses() {
        let t = BackwardFeatureCorrection;
        assert!(t.violations(&kernel_params(), &[8, 12, 16]).is_empty());
        let mut p = kernel_params();
        p.budget_fraction = Some(1.0);
        p.ratio = Some(0.0);
        p.kernel = None;
        p.relative_ridge = Some(-1.0);
        p.test_points = Some(100);
        p.widths = vec![16, 16];
        let v = t.violations(&p, &[4, 8]);
        let names: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
        for f in [
            "sizes",
            "params.budget_fraction",
            "params.ratio",
            "params.test_points",
            "params.kernel",
            "params.relative_ridge",
            "params.widths",
        ] {
            assert!(names.contains(&f), "{f} missing from {names:?}");
        }
        // The cap on n: c = 0.9 at d = 20 asks for 7780 points (fine), at d = 24 for 16497.
        let mut p = kernel_params();
        p.budget_fraction = Some(0.9);
        assert!(t.violations(&p, &[20]).is_empty());
        let v = t.violations(&p, &[20, 24]);
        assert!(
            v.iter().any(|v| v.hypothesis.contains("(H8)") && v.found.contains("d = 24")),
            "{v:?}"
        );
    }

    /// At d = 8 (n = 147 of B(8,4) = 294) the even kernel's margin over the bound is
    /// positive in each of 3 trials: its expected excess is ~0.7 e4, ~1% of Var f*, against a
    /// test-error noise of ~0.05% on 2000 points.
    #[test]
    fn kernel_plateau_margins_are_positive_at_small_d() {
        let t = BackwardFeatureCorrection;
        let v = Validated::check(&t, kernel_params(), &[8, 10, 12]).unwrap();
        let mut rng = crate::rng::rng_from_u64(4);
        for _ in 0..3 {
            match t.trial(&v, 8, &mut rng) {
                Observation::Value(m) => assert!(m > 0.0 && m < 10.0, "{m}"),
                o => panic!("expected a margin, got {o:?}"),
            }
        }
    }
}
