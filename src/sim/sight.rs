//! SIGHT targets (single-index Gaussian hierarchical targets) of Dandi, Pesce, Zdeborová and
//! Krzakala, arXiv:2502.13961v4, eq. 1–3 (written out, with the reference code's conventions,
//! in `docs/theory/depth-advantage.md`, "SIGHT targets"):
//!
//! $$ f^*(x) = g^*\big(h^*(x)\big), \qquad h^*(x) = \frac{1}{\sqrt{d_{\rm eff}}}
//! \sum_{i=1}^{d_{\rm eff}} a^*_i\, P_k\big((W^* x)_i\big), \qquad x \sim N(0, I_d), $$
//!
//! with $W^* \in \mathbb{R}^{d_{\rm eff} \times d}$ of orthonormal rows, $d_{\rm eff} =
//! d^{\varepsilon}$, $a^*_i = \pm 1$ (Rademacher, as in the paper's simulations) and $P_k$ a
//! fixed polynomial of degree $k$ applied component-wise.
//!
//! **Rotation invariance.** The law of $x$ is invariant under rotations, and every learner of
//! this crate that sees these targets is equivariant, so $W^*$ is taken to be the first
//! $d_{\rm eff}$ coordinate axes: $(W^* x)_i = x_i$. The subspace overlap of an estimate $U$
//! is then the squared norm of the first $d_{\rm eff}$ rows of $U$.
//!
//! **Two normalisations of $P_k$** (the degrees are a card parameter, e.g. `[2, 3]`):
//! * [`FeatureNormalisation::Factorial`]: $P_k = \sum_j \mathrm{He}_j / j!$ with the monic
//!   $\mathrm{He}_j$, the reference code's `sigma1` (IdePHICS/ComputationalDepth @04485f3: its
//!   `He_2`, `He_3` are already divided by $2!$, $3!$, so eq. 11's $\mathrm{He}_2 + \mathrm{He}_3$,
//!   named `h2+1h3` there, is $\mathrm{He}_2/2 + \mathrm{He}_3/6$). Its variance is
//!   $\sum_j 1/j!$ (2/3 for degrees 2 and 3), so lower degrees dominate: for degrees 2 and 4,
//!   92% of the variance is in degree 2.
//! * [`FeatureNormalisation::UnitVariance`]: $P_k = \sum_j h_j / \sqrt{J}$ with
//!   $h_j = \mathrm{He}_j/\sqrt{j!}$ and $J$ terms: unit variance, equal energy per degree.
//!   Stage 2 of `depth-advantage` (check D-B) needs it: with the factorial form and degrees 2
//!   and 4 the correlation of a fit with $h^*$ is already 0.96 before degree 4 is learned, and
//!   no threshold shows.

use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::special::hermite::hermite_series;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// How the Hermite terms of the feature polynomial $P_k$ are scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeatureNormalisation {
    /// $\mathrm{He}_j / j!$ per degree: the reference code's convention.
    Factorial,
    /// $\mathrm{He}_j / \sqrt{j!}$ per degree, over $\sqrt{J}$: unit variance.
    UnitVariance,
}

/// The outer link $g^*$.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Link {
    /// $g^*(h) = \tanh(c\, h)$: the paper's running example has $c = 3$ (eq. 11).
    Tanh {
        /// The scale $c$.
        scale: f64,
    },
}

impl Link {
    /// $g^*(h)$.
    #[inline]
    pub fn apply(self, h: f64) -> f64 {
        match self {
            Link::Tanh { scale } => (scale * h).tanh(),
        }
    }
}

/// A SIGHT target on $\mathbb{R}^d$ with its hidden directions on the first $d_{\rm eff}$
/// coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct SightTarget {
    /// The ambient dimension $d$.
    pub d: usize,
    /// The hidden dimension $d_{\rm eff}$.
    pub d_eff: usize,
    /// The signs $a^*_i$.
    pub signs: Vec<f64>,
    /// $P_k$ in the orthonormal Hermite basis: `feature[j]` $= \mathbb{E}[P_k h_j]$.
    pub feature: Vec<f64>,
    /// The outer link.
    pub link: Link,
}

/// The orthonormal-Hermite coefficients of $P_k$ with these degrees and normalisation.
///
/// # Example
/// ```
/// use thm::sim::sight::{feature_coefficients, FeatureNormalisation};
/// // He_2/2 + He_3/6 = h_2/sqrt(2) + h_3/sqrt(6): variance 1/2 + 1/6 = 2/3.
/// let c = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
/// assert!((c.iter().map(|a| a * a).sum::<f64>() - 2.0 / 3.0).abs() < 1e-15);
/// ```
pub fn feature_coefficients(degrees: &[u32], normalisation: FeatureNormalisation) -> Vec<f64> {
    let top = degrees.iter().copied().max().unwrap_or(0) as usize;
    let mut c = vec![0.0; top + 1];
    for &j in degrees {
        c[j as usize] += match normalisation {
            // He_j / j! = h_j sqrt(j!) / j! = h_j / sqrt(j!).
            FeatureNormalisation::Factorial => 1.0 / factorial(j).sqrt(),
            FeatureNormalisation::UnitVariance => 1.0 / (degrees.len() as f64).sqrt(),
        };
    }
    c
}

fn factorial(j: u32) -> f64 {
    (1..=j).map(f64::from).product()
}

impl SightTarget {
    /// A target with fresh Rademacher signs drawn from `rng`.
    pub fn draw(
        d: usize,
        d_eff: usize,
        feature: Vec<f64>,
        link: Link,
        rng: &mut Rng,
    ) -> SightTarget {
        let signs = (0..d_eff).map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 }).collect();
        SightTarget { d, d_eff, signs, feature, link }
    }

    /// The hidden feature $h^*(x)$; only `x[..d_eff]` is read.
    #[inline]
    pub fn index(&self, x: &[f64]) -> f64 {
        let s: f64 = x[..self.d_eff]
            .iter()
            .zip(&self.signs)
            .map(|(&z, &a)| a * hermite_series(&self.feature, z).0)
            .sum();
        s / (self.d_eff as f64).sqrt()
    }

    /// $f^*(x) = g^*(h^*(x))$.
    #[inline]
    pub fn value(&self, x: &[f64]) -> f64 {
        self.link.apply(self.index(x))
    }

    /// A Monte-Carlo estimate of $\mathbb{E}[f^*]$ from `samples` draws of the hidden
    /// coordinates only (the others do not enter $f^*$). $\mathbb{E}[f^*] \ne 0$ in general:
    /// $\mathrm{He}_2$ is even, so $h^*$ is skewed and $\tanh(3h^*)$ is not centred, by an
    /// amount that depends on the signs (stage 1 of `depth-advantage` centres its labels).
    pub fn mean_estimate(&self, samples: usize, rng: &mut Rng) -> f64 {
        let mut z = vec![0.0; self.d_eff];
        let mut sum = 0.0;
        for _ in 0..samples {
            draw_gaussians(&mut z, rng);
            sum += self.value(&z);
        }
        sum / samples as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    #[test]
    fn the_reference_feature_is_he2_over_2_plus_he3_over_6() {
        let c = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
        for z in [-2.0, -0.3, 0.0, 1.7] {
            let he2 = z * z - 1.0;
            let he3 = z * z * z - 3.0 * z;
            let direct = he2 / 2.0 + he3 / 6.0;
            assert!((hermite_series(&c, z).0 - direct).abs() < 1e-14, "z {z}");
        }
    }

    #[test]
    fn feature_energies_are_one_over_j_factorial_or_equal_shares_of_one() {
        // Factorial: energy 1/j! in degree j (Var h = 1/2 + 1/6 = 2/3 for degrees 2, 3; 12/13 =
        // 92% of the variance in degree 2 for degrees 2, 4).
        let c = feature_coefficients(&[2, 4], FeatureNormalisation::Factorial);
        let energy: Vec<f64> = c.iter().map(|a| a * a).collect();
        assert!((energy[2] - 0.5).abs() < 1e-15 && (energy[4] - 1.0 / 24.0).abs() < 1e-15);
        assert!((energy[2] / (energy[2] + energy[4]) - 12.0 / 13.0).abs() < 1e-15);
        let u = feature_coefficients(&[2, 4], FeatureNormalisation::UnitVariance);
        let energy: Vec<f64> = u.iter().map(|a| a * a).collect();
        let expected = [0.0, 0.0, 0.5, 0.0, 0.5];
        assert!(energy.iter().zip(expected).all(|(e, x)| (e - x).abs() < 1e-15), "{energy:?}");
    }

    #[test]
    fn the_index_has_the_variance_of_the_feature_and_depends_on_hidden_coordinates_only() {
        let mut rng = rng_from_u64(7);
        let feature = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
        let t = SightTarget::draw(32, 4, feature, Link::Tanh { scale: 3.0 }, &mut rng);
        let mut x = vec![0.0; 32];
        let (mut s, mut s2, m) = (0.0, 0.0, 200_000);
        for _ in 0..m {
            draw_gaussians(&mut x, &mut rng);
            let h = t.index(&x);
            s += h;
            s2 += h * h;
            let mut y = x.clone();
            y[4..].iter_mut().for_each(|v| *v = 0.0);
            assert_eq!(t.value(&x), t.value(&y));
        }
        let mean = s / m as f64;
        let var = s2 / m as f64 - mean * mean;
        // Mean 0, variance 2/3; standard errors 0.002 and 0.005.
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 2.0 / 3.0).abs() < 0.02, "variance {var}");
    }
}
