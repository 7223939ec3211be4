//! Hierarchical quadratic targets and a DenseNet-like quadratic network trained by online
//! SGD: our toy for backward feature correction (theorem `backward-feature-correction`; what
//! the toy is, and what of Allen-Zhu & Li it follows, is in
//! `docs/theory/backward-feature-correction.md`).
//!
//! **Target** (our construction, after the abstract-level class of Allen-Zhu & Li): inputs
//! $x \sim N(0, I_d)$; by rotation invariance the level-1 directions $W_1^*$ ($k$ orthonormal
//! rows) are the first $k$ axes, $z = W_1^* x$. Level 1: $G_{1,j} = (z_j^2 - 1)/\sqrt 2$
//! (mean 0, variance 1, independent). Level $l \ge 2$: $u = V_l G_{l-1}$ with $V_l$ a random
//! $k \times k$ matrix with unit rows ([`LevelMaps`]: orthogonal, or independent Gaussian
//! directions), $G_{l,j} = (u_j^2 - \mu_{l,j})/s_{l,j}$ centred and normalised. Each term $T_l = \mathrm{sum}(G_l)/\sigma_l$ has mean 0 and variance 1, and the
//! target is $f^* = \sum_l \alpha_l T_l$ with $\alpha_1 = 1$, $\alpha_{l+1} = r_l \alpha_l$,
//! $0 < r_l < 1$. Total degree $2^L$.
//!
//! Normalisation is exact for levels 1 and 2: with $g = (z^2-1)/\sqrt 2$, $E g^4 = 15$, so for
//! unit rows $v_i$ of $V_2$, $\mu = 1$, $\mathrm{Cov}(u_i^2, u_j^2) = 2 (v_i\cdot v_j)^2 +
//! 12\sum_a v_{ia}^2 v_{ja}^2$, which gives $s_{2,j}$ and $\sigma_2$ in closed form. Levels
//! $\ge 3$ (whose inputs are no longer independent) are normalised by a Monte-Carlo pass of
//! [`MC_NORMALISATION`] samples drawn from the generator at construction.
//!
//! **Skip target** ([`HierarchicalTarget::with_skip`], claims `bfc-bias`, `bfc-correction`):
//! graded level-1 weights $T_1 = \beta\cdot G_1$, $\beta_a \propto k + 1 - a$ (unit norm), and
//! $G_2 = ((V G_1 + \kappa U z)^2 - \mu)/s$ normalised by Monte Carlo: the skip gives the
//! degree-2 part of level 2 off-diagonal entries in the true directions, so a narrow level 1
//! trained alone is biased by order $\alpha_2/\alpha_1$ (in population, in its eigenframe).
//!
//! **Learner** (our construction, DenseNet-like as the paper's learner is described at the
//! abstract level): $h_1 = (W_1 x)^{2} - \lVert w_r\rVert^2$ (centred for Gaussian inputs),
//! $h_l = (W_l h_{l-1} + c_l)^{2}$ for $l \ge 2$, output $\hat f = \sum_l a_l^\top h_l + b$
//! (every level feeds the output: the skip connections); optionally a linear skip from level
//! 1's pre-activations into level 2, $P_2 = W_2 h_1 + S\,W_1 x + c_2$
//! ([`QuadNet::with_level2_skip`]). Square loss, mini-batch SGD on fresh
//! samples; forward and backward are faer GEMMs (`Par::Seq`, then
//! [`clear_avx_upper`](crate::numerics::clear_avx_upper)). A step whose batch loss is not finite
//! or exceeds [`DIVERGENCE_LOSS`] is a divergence, reported with its step.
//!
//! **Feature error** $E_1 = \lVert P_{\hat U} - P_{W_1^*}\rVert_F^2 / k$, with $\hat U$ the top-$k$
//! right singular subspace of $W_1$ (the top-$k$ eigenvectors of $W_1^\top W_1$): the mean of
//! $2\sin^2$ of the principal angles, in $[0, 2]$.
//!
//! **Architecture Invariant:** as the rest of `sim/`: no IO, no generator built here.
//!
//! Files: `target` (the target, its level maps and normalisation, the reusable [`Batch`]),
//! `net` ([`QuadNet`], its [`Phase`]s and [`Diverged`]), `features` (the feature errors
//! [`feature_error`], [`level_feature_error`] and [`test_error`]), `quartic` (the degree-4
//! tensor algebra of claim `kernel-gap`: [`HierarchicalTarget::quartic_tensor`],
//! [`traceless_projection`], [`traceless_norm2`], [`HierarchicalTarget::harmonic_energy`],
//! [`HierarchicalTarget::variance`]), `tests`.

mod features;
mod net;
mod quartic;
mod target;
#[cfg(test)]
mod tests;

pub use features::{feature_error, level_feature_error, test_error};
pub use net::{Diverged, Phase, QuadNet};
pub use quartic::{traceless_norm2, traceless_projection};
pub use target::{Batch, HierarchicalTarget, LevelMaps};

/// Monte-Carlo samples that normalise levels $\ge 3$ of a target.
pub const MC_NORMALISATION: usize = 1 << 20;

/// A batch loss (half mean square) above this, or not finite, is a divergence.
pub const DIVERGENCE_LOSS: f64 = 1e6;
