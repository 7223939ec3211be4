//! Claim `kernel-gap`: the harmonic degree-4 part of a two-level target (the degree-4 Hermite
//! tensor, its traceless projection and energy, and the exact variance).

use super::target::HierarchicalTarget;
use faer::Mat;

/// The degree-4 Hermite part of a depth-2 target and its harmonic (traceless) part, for the
/// kernel lower bound of claim `kernel-gap` (module `theorems::backward_feature_correction`).
///
/// With $G_{1,a} = \mathrm{He}_2(z_a)/\sqrt 2$ and $\mathrm{He}_2^2 = \mathrm{He}_4 +
/// 4\,\mathrm{He}_2 + 2$, the Hermite-degree-4 part of $f^*$ (only level 2 has one) is
/// $P_4(z) = \sum_a M_{aa} \mathrm{He}_4(z_a) + \sum_{a \ne b} M_{ab}\, \mathrm{He}_2(z_a)
/// \mathrm{He}_2(z_b)$ with $M_{ab} = \frac{\alpha_2}{2\sigma_2} \sum_j V_{ja} V_{jb}/s_j$.
/// As a symmetric 4-tensor on $\mathbb R^k$, $P_4 = \langle A, \mathrm{He}_4(z)\rangle$ with
/// $A_{aaaa} = M_{aa}$, $A_{aabb} = M_{ab}/3$ (and its permutations) for $a \ne b$, all other
/// entries 0; $E P_4^2 = 4!\,\lVert A\rVert_F^2$.
impl HierarchicalTarget {
    /// $M$ ($k \times k$, symmetric) of the degree-4 Hermite part (see the `impl` docs);
    /// `None` unless the depth is 2 (deeper targets have degree-4 parts from higher levels),
    /// and for a skip target ([`HierarchicalTarget::with_skip`]), which this algebra does not
    /// cover.
    pub fn quartic_coefficients(&self) -> Option<Mat<f64>> {
        if self.depth() != 2 || self.is_skip_target() {
            return None;
        }
        let level = &self.levels[0];
        let scale = self.alphas[1] / (2.0 * level.sigma);
        let k = self.k;
        Some(Mat::from_fn(k, k, |a, b| {
            scale
                * (0..k)
                    .map(|j| level.v_rows[j * k + a] * level.v_rows[j * k + b] / level.s[j])
                    .sum::<f64>()
        }))
    }

    /// The symmetric 4-tensor $A$ on $\mathbb R^k$ (dense, $k^4$ entries, index
    /// $((i k + j) k + l) k + m$) with $P_4 = \langle A, \mathrm{He}_4(z)\rangle$; `None`
    /// unless the depth is 2.
    pub fn quartic_tensor(&self) -> Option<Vec<f64>> {
        let m = self.quartic_coefficients()?;
        let k = self.k;
        let mut a = vec![0.0; k * k * k * k];
        for i in 0..k {
            for j in 0..k {
                for l in 0..k {
                    for q in 0..k {
                        let mut idx = [i, j, l, q];
                        idx.sort_unstable();
                        // Only index multisets {a,a,a,a} and {a,a,b,b} carry weight.
                        let v = if idx[0] == idx[3] {
                            m[(i, i)]
                        } else if idx[0] == idx[1] && idx[2] == idx[3] {
                            m[(idx[0], idx[2])] / 3.0
                        } else {
                            0.0
                        };
                        a[((i * k + j) * k + l) * k + q] = v;
                    }
                }
            }
        }
        Some(a)
    }

    /// $e_4(d) = E[Y^2] = 4!\,\lVert A_0\rVert_F^2$: the energy of $f^*$ in the isotypic
    /// component of harmonic degree 4 of $L^2(N(0, I_d))$, at the target's own $d$, where
    /// $Y = \langle A_0, x^{\otimes 4}\rangle$ and $A_0$ is the traceless projection of $A$ in
    /// $\mathbb R^d$ ([`traceless_norm2`]); `None` unless the depth is 2.
    pub fn harmonic_energy(&self) -> Option<f64> {
        let a = self.quartic_tensor()?;
        Some(24.0 * traceless_norm2(&a, self.k, self.d))
    }

    /// $\mathrm{Var} f^* = \alpha_1^2 + \alpha_2^2 + 2\alpha_1\alpha_2\,\mathrm{Cov}(T_1, T_2)$
    /// exactly, for depth 2 (`None` otherwise; $E f^* = 0$). The terms are correlated: with
    /// $E G_1^3 = 2\sqrt 2$ and unit rows of $V$, $\mathrm{Cov}(T_1, T_2) = \frac{2\sqrt
    /// 2}{\sqrt k\,\sigma_2} \sum_j 1/s_j$. `None` for a skip target too.
    pub fn variance(&self) -> Option<f64> {
        if self.depth() != 2 || self.is_skip_target() {
            return None;
        }
        let level = &self.levels[0];
        let cov = 2.0 * std::f64::consts::SQRT_2 / ((self.k as f64).sqrt() * level.sigma)
            * level.s.iter().map(|s| 1.0 / s).sum::<f64>();
        let (a1, a2) = (self.alphas[0], self.alphas[1]);
        Some(a1 * a1 + a2 * a2 + 2.0 * a1 * a2 * cov)
    }
}

impl HierarchicalTarget {
    /// Whether the target is [`HierarchicalTarget::with_skip`]'s (graded weights, a skip).
    fn is_skip_target(&self) -> bool {
        self.level1_weights.is_some() || self.levels.iter().any(|l| l.skip_rows.is_some())
    }
}

/// The partial trace $T_{ij} = \sum_m A_{ijmm}$ of a dense symmetric 4-tensor on $\mathbb R^k$.
fn partial_trace(a: &[f64], k: usize) -> Vec<f64> {
    let mut t = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            t[i * k + j] = (0..k).map(|m| a[((i * k + j) * k + m) * k + m]).sum();
        }
    }
    t
}

/// $\lVert A_0\rVert_F^2$ for a symmetric 4-tensor $A$ on $\mathbb R^k$ embedded in
/// $\mathbb R^d$ ($d \ge k$, zero outside the first $k$ coordinates), with $A_0$ its traceless
/// projection ([`traceless_projection`]). $A - A_0$ is of the form
/// $\mathrm{sym}(\delta \otimes X)$, orthogonal to the traceless $A_0$, so
/// $\lVert A_0\rVert^2 = \langle A, A_0\rangle = \lVert A\rVert^2 - \frac{6}{d+4}\lVert
/// T\rVert^2 + \frac{3 t^2}{(d+2)(d+4)}$ with $T = \mathrm{tr}_{34} A$, $t = \mathrm{tr}\, T$.
pub fn traceless_norm2(a: &[f64], k: usize, d: usize) -> f64 {
    let t = partial_trace(a, k);
    let tt: f64 = (0..k).map(|i| t[i * k + i]).sum();
    let df = d as f64;
    let a2: f64 = a.iter().map(|v| v * v).sum();
    let t2: f64 = t.iter().map(|v| v * v).sum();
    a2 - 6.0 * t2 / (df + 4.0) + 3.0 * tt * tt / ((df + 2.0) * (df + 4.0))
}

/// The traceless projection $A_0$ in $\mathbb R^d$ of a symmetric 4-tensor $A$ on
/// $\mathbb R^k$ (dense $d^4$ output, same index order):
/// $A_0 = A - \frac{6}{d+4}\,\mathrm{sym}(\delta \otimes T) + \frac{3t}{(d+2)(d+4)}\,
/// \mathrm{sym}(\delta \otimes \delta)$, with $\mathrm{sym}(\delta\otimes T)_{ijlm} =
/// \frac16(\delta_{ij}T_{lm} + \delta_{il}T_{jm} + \delta_{im}T_{jl} + \delta_{jl}T_{im} +
/// \delta_{jm}T_{il} + \delta_{lm}T_{ij})$ and $\mathrm{sym}(\delta\otimes\delta)_{ijlm} =
/// \frac13(\delta_{ij}\delta_{lm} + \delta_{il}\delta_{jm} + \delta_{im}\delta_{jl})$. Tracing
/// over $(l, m)$: $\frac16((d+4)T + t\,\delta)$ and $\frac{d+2}{3}\delta$, so the trace of
/// $A_0$ vanishes. For tests (the claim uses [`traceless_norm2`]).
pub fn traceless_projection(a: &[f64], k: usize, d: usize) -> Vec<f64> {
    let t = partial_trace(a, k);
    let tt: f64 = (0..k).map(|i| t[i * k + i]).sum();
    let df = d as f64;
    let big_t = |i: usize, j: usize| if i < k && j < k { t[i * k + j] } else { 0.0 };
    let del = |i: usize, j: usize| if i == j { 1.0 } else { 0.0 };
    let (c1, c2) = (6.0 / (df + 4.0), 3.0 * tt / ((df + 2.0) * (df + 4.0)));
    let mut out = vec![0.0; d * d * d * d];
    for i in 0..d {
        for j in 0..d {
            for l in 0..d {
                for m in 0..d {
                    let base = if i < k && j < k && l < k && m < k {
                        a[((i * k + j) * k + l) * k + m]
                    } else {
                        0.0
                    };
                    let sym_t = (del(i, j) * big_t(l, m)
                        + del(i, l) * big_t(j, m)
                        + del(i, m) * big_t(j, l)
                        + del(j, l) * big_t(i, m)
                        + del(j, m) * big_t(i, l)
                        + del(l, m) * big_t(i, j))
                        / 6.0;
                    let sym_dd =
                        (del(i, j) * del(l, m) + del(i, l) * del(j, m) + del(i, m) * del(j, l))
                            / 3.0;
                    out[((i * d + j) * d + l) * d + m] = base - c1 * sym_t + c2 * sym_dd;
                }
            }
        }
    }
    out
}
