//! MIGHT targets (multi-index Gaussian hierarchical targets) and the two-level deep MIGHT tree
//! of Dandi, Pesce, Zdeborová and Krzakala, arXiv:2502.13961v4, eqs. 4–5 and 6–7 (restated,
//! with what is assumed, in `docs/theory/depth-advantage.md`, "MIGHT targets and Theorem 2").
//!
//! **MIGHT** (eqs. 4–5): $r$ branches, each a SIGHT index of its own block of hidden
//! coordinates,
//! $$ h_m(x) = \frac{1}{\sqrt{d_{\rm eff}}} \sum_{i=1}^{d_{\rm eff}} P_k\big((W_m x)_i\big),
//! \qquad f^*(x) = g^*(h_1, \dots, h_r), $$
//! with $W_1, \dots, W_r \in \mathbb{R}^{d_{\rm eff} \times d}$ of orthonormal rows spanning
//! disjoint subspaces ($r\,d_{\rm eff} \le d$). By rotation invariance (as
//! [`crate::sim::sight`]) branch $m$ reads the coordinates $m\,d_{\rm eff}, \dots,
//! (m+1)\,d_{\rm eff} - 1$. The links are those of the compositional-information-exponent
//! (CIE) conjecture ([`MightLink`]).
//!
//! **Two-level tree** (eqs. 6–7 with two non-linear levels): $z = W^* x \in
//! \mathbb{R}^{d^{\varepsilon_1}}$ is cut into $d^{\varepsilon_2}$ blocks of $s =
//! d^{\varepsilon_1 - \varepsilon_2}$ coordinates; block $b$ gives the level-2 feature
//! $u_b = \sum_{i \in b} P_k(z_i)/\sqrt{s}$, and the top index is $h = \sum_b
//! Q(u_b)/\sqrt{d^{\varepsilon_2}}$ with a second polynomial $Q$ of degree $k'$; $f^* =
//! g^*(h)$ ([`TreeTarget`]).
//!
//! **Signs.** Every $a^*$ is $+1$, the choice of the paper's proofs ("the training algorithm
//! is agnostic to this choice"), not the Rademacher signs of its simulations. For the sign
//! link this is the choice that maximises the skew of each branch, hence the He₂ spike the
//! CIE claim says is suppressed (module `depth_advantage`, design `might-subspace`).

use super::sight::Link;
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::special::hermite::hermite_series;
use serde::{Deserialize, Serialize};

/// The most branches a MIGHT target may have.
pub const MAX_BRANCHES: usize = 8;

/// The multi-index link $g^*(h_1, \dots, h_r)$ of a MIGHT target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MightLink {
    /// $g^* = \mathrm{sign}(h_1 \cdots h_r)$: the CIE conjecture's hard target (paper §5 and
    /// App. F: no intermediate feature is learned).
    SignProduct,
    /// $g^* = h_1 + \dots + h_r + h_1 \cdots h_r$: the CIE conjecture's easy target, each
    /// branch reachable through its linear term.
    SumProduct,
}

impl MightLink {
    /// $g^*(h)$ for the branch indices `h`.
    #[inline]
    pub fn apply(self, h: &[f64]) -> f64 {
        let product: f64 = h.iter().product();
        match self {
            MightLink::SignProduct => {
                if product > 0.0 {
                    1.0
                } else if product < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }
            MightLink::SumProduct => h.iter().sum::<f64>() + product,
        }
    }
}

/// A MIGHT target on $\mathbb{R}^d$: branch $m$ on the hidden coordinates
/// $[m\,d_{\rm eff}, (m+1)\,d_{\rm eff})$, all signs $+1$.
#[derive(Clone, Debug, PartialEq)]
pub struct MightTarget {
    /// The ambient dimension $d$.
    pub d: usize,
    /// The hidden dimension of one branch, $d_{\rm eff} = d^\varepsilon$.
    pub d_eff: usize,
    /// The number of branches $r$ (at most [`MAX_BRANCHES`]).
    pub branches: usize,
    /// $P_k$ in the orthonormal Hermite basis (as [`crate::sim::sight::SightTarget::feature`]).
    pub feature: Vec<f64>,
    /// The link.
    pub link: MightLink,
}

impl MightTarget {
    /// The hidden coordinates the target reads: $r\,d_{\rm eff}$.
    pub fn hidden(&self) -> usize {
        self.branches * self.d_eff
    }

    /// The index $h_m(x)$ of branch `m`.
    #[inline]
    pub fn branch_index(&self, m: usize, x: &[f64]) -> f64 {
        let block = &x[m * self.d_eff..(m + 1) * self.d_eff];
        let s: f64 = block.iter().map(|&z| hermite_series(&self.feature, z).0).sum();
        s / (self.d_eff as f64).sqrt()
    }

    /// $f^*(x)$; only `x[..hidden()]` is read.
    #[inline]
    pub fn value(&self, x: &[f64]) -> f64 {
        let mut h = [0.0; MAX_BRANCHES];
        let r = self.branches.min(MAX_BRANCHES);
        for (m, v) in h[..r].iter_mut().enumerate() {
            *v = self.branch_index(m, x);
        }
        self.link.apply(&h[..r])
    }

    /// A Monte-Carlo estimate of $\mathbb{E}[f^*]$ from `samples` draws of the hidden
    /// coordinates (the sign link is not centred: each branch is skewed).
    pub fn mean_estimate(&self, samples: usize, rng: &mut Rng) -> f64 {
        mean_of(self.hidden(), samples, rng, |z| self.value(z))
    }
}

/// The two-level deep MIGHT tree on $\mathbb{R}^d$: $d_{\rm eff} = d^{\varepsilon_1}$ leaves
/// on the first coordinates, in consecutive blocks of `block` $= d^{\varepsilon_1 -
/// \varepsilon_2}$, all signs $+1$.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeTarget {
    /// The ambient dimension $d$.
    pub d: usize,
    /// The leaves $d_{\rm eff} = d^{\varepsilon_1}$.
    pub d_eff: usize,
    /// The block size $s = d^{\varepsilon_1 - \varepsilon_2}$ (it divides `d_eff`).
    pub block: usize,
    /// $P_k$ of the leaves, orthonormal Hermite coefficients.
    pub feature: Vec<f64>,
    /// $Q$ of the level-2 features, orthonormal Hermite coefficients.
    pub top: Vec<f64>,
    /// The outer link.
    pub link: Link,
}

impl TreeTarget {
    /// The number of level-2 features $d^{\varepsilon_2}$.
    pub fn blocks(&self) -> usize {
        self.d_eff / self.block
    }

    /// The level-2 feature $u_b(x)$.
    #[inline]
    pub fn level_two(&self, b: usize, x: &[f64]) -> f64 {
        let leaves = &x[b * self.block..(b + 1) * self.block];
        let s: f64 = leaves.iter().map(|&z| hermite_series(&self.feature, z).0).sum();
        s / (self.block as f64).sqrt()
    }

    /// The top index $h(x) = \sum_b Q(u_b)/\sqrt{d^{\varepsilon_2}}$.
    #[inline]
    pub fn index(&self, x: &[f64]) -> f64 {
        let blocks = self.blocks();
        let s: f64 = (0..blocks).map(|b| hermite_series(&self.top, self.level_two(b, x)).0).sum();
        s / (blocks as f64).sqrt()
    }

    /// $f^*(x) = g^*(h(x))$; only `x[..d_eff]` is read.
    #[inline]
    pub fn value(&self, x: &[f64]) -> f64 {
        self.link.apply(self.index(x))
    }

    /// A Monte-Carlo estimate of $\mathbb{E}[f^*]$ from `samples` draws of the leaves.
    pub fn mean_estimate(&self, samples: usize, rng: &mut Rng) -> f64 {
        mean_of(self.d_eff, samples, rng, |z| self.value(z))
    }
}

/// The mean of `f` over `samples` standard Gaussian vectors of dimension `hidden`.
fn mean_of(hidden: usize, samples: usize, rng: &mut Rng, f: impl Fn(&[f64]) -> f64) -> f64 {
    let mut z = vec![0.0; hidden];
    let mut sum = 0.0;
    for _ in 0..samples {
        draw_gaussians(&mut z, rng);
        sum += f(&z);
    }
    sum / samples.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;
    use crate::sim::sight::{feature_coefficients, FeatureNormalisation};

    #[test]
    fn the_links_are_the_cie_pair_and_the_branches_read_disjoint_blocks() {
        assert_eq!(MightLink::SignProduct.apply(&[0.5, -2.0, -1.0]), 1.0);
        assert_eq!(MightLink::SignProduct.apply(&[0.5, -2.0, 1.0]), -1.0);
        assert_eq!(MightLink::SumProduct.apply(&[0.5, -2.0, 1.0]), -0.5 - 1.0);
        let feature = feature_coefficients(&[2, 3], FeatureNormalisation::UnitVariance);
        let t = MightTarget { d: 16, d_eff: 4, branches: 3, feature, link: MightLink::SumProduct };
        let mut x = vec![0.0; 16];
        x[5] = 1.3;
        // Only branch 1 sees coordinate 5; coordinates past r d_eff = 12 are not read.
        let p = hermite_series(&t.feature, 1.3).0 + 3.0 * hermite_series(&t.feature, 0.0).0;
        assert!((t.branch_index(1, &x) - p / 2.0).abs() < 1e-14);
        let mut y = x.clone();
        y[12..].iter_mut().for_each(|v| *v = 7.0);
        assert_eq!(t.value(&x), t.value(&y));
    }

    #[test]
    fn the_tree_is_centred_and_reads_its_leaves_only() {
        let feature = feature_coefficients(&[2, 3], FeatureNormalisation::UnitVariance);
        let top = feature_coefficients(&[1, 2], FeatureNormalisation::UnitVariance);
        let t =
            TreeTarget { d: 27, d_eff: 9, block: 3, feature, top, link: Link::Tanh { scale: 1.0 } };
        assert_eq!(t.blocks(), 3);
        let mut rng = rng_from_u64(5);
        let mut x = vec![0.0; 27];
        let (mut s, m) = (0.0, 100_000);
        for _ in 0..m {
            draw_gaussians(&mut x, &mut rng);
            s += t.index(&x);
        }
        // Mean 0 exactly (each u_b has mean 0 and variance 1, so E h_2(u_b) = 0); the variance
        // of Q(u_b) is 1 only as the block grows (u_b is not Gaussian at s = 3), so it is not
        // tested. Standard error of the mean about 0.005.
        let mean = s / m as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        let mut y = x.clone();
        y[9..].iter_mut().for_each(|v| *v = 0.0);
        assert_eq!(t.value(&x), t.value(&y));
    }
}
