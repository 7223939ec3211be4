//! The law of a one-dimensional projection of the sphere and its orthonormal polynomials.
//!
//! For $x$ uniform on $S^{d-1}(\sqrt d)$ and a unit vector $w$, $t = \langle w, x\rangle$ has
//! density proportional to $(1 - t^2/d)^{(d-3)/2}$ on $[-\sqrt d, \sqrt d]$; $s = t/\sqrt d$
//! has the Gegenbauer weight $(1-s^2)^{\lambda - 1/2}$ with $\lambda = (d-2)/2$ (DLMF
//! Table 18.3.1). The polynomials $q_k$ orthonormal for the law of $t$ are
//! $$q_k(t) = \sqrt{B(d,k)}\; \frac{C_k^{(\lambda)}(t/\sqrt d)}{C_k^{(\lambda)}(1)}, \qquad
//! \mathbb{E}[q_j(t) q_k(t)] = \delta_{jk},$$
//! with $B(d,k)$ of [`super::harmonics`] (the addition theorem: $q_k(\langle w,x\rangle)$ is
//! $\sqrt{B(d,k)}$ times the zonal harmonic of degree $k$; Atkinson & Han 2012). For $d = 2$
//! ($\lambda = 0$) they are $q_0 = 1$, $q_k = \sqrt2\, T_k(t/\sqrt2)$ (Chebyshev, DLMF
//! (18.7.25)). As $d \to \infty$ the law of $t$ tends to $N(0,1)$ and $q_k \to h_k$ (DLMF
//! (18.7.24)), so finite-$d$ energies tend to Hermite energies.
//!
//! The $q_k$ are computed by the orthonormal three-term recurrence
//! $$t\, q_k = b_{k+1} q_{k+1} + b_k q_{k-1}, \qquad b_1 = 1, \quad
//! b_k^2 = \frac{d\,k\,(k+d-3)}{(2k+d-2)(2k+d-4)} \ (k \ge 2),$$
//! obtained from the monic form of DLMF (18.9.1) with Table 18.9.1 ($C_n^{(\lambda)}$ row),
//! rescaled from $s$ to $t$. The $b_k$ tend to $\sqrt k$, the Hermite coefficients, as
//! $d \to \infty$. A recurrence for orthonormal polynomials evaluated forward is stable; no
//! $C_k^{(\lambda)}(1) = (2\lambda)_k/k!$ (which overflows for large $d$) is ever formed.

use super::{invalid, SpecialError};

/// The law of $t = \langle w, x \rangle$, $x$ uniform on $S^{d-1}(\sqrt d)$, $\lVert w\rVert = 1$,
/// at a validated dimension $d \ge 2$.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SphericalMarginal {
    d: u64,
}

impl SphericalMarginal {
    /// The largest dimension accepted: $2^{53}$, so that $d$ is exact as an `f64`.
    pub const MAX_DIMENSION: u64 = 1 << 53;

    /// The law at dimension $d$.
    ///
    /// # Errors
    /// `InvalidArgument` if $d < 2$ (on $S^0$, $t = \pm 1$ has only two points) or
    /// $d > 2^{53}$.
    pub fn new(d: u64) -> Result<Self, SpecialError> {
        if !(2..=Self::MAX_DIMENSION).contains(&d) {
            return Err(invalid(format!(
                "the law of <w,x> on S^(d-1)(√d) needs 2 ≤ d ≤ 2^53, got d = {d}"
            )));
        }
        Ok(SphericalMarginal { d })
    }

    /// The dimension $d$.
    pub fn dimension(&self) -> u64 {
        self.d
    }

    /// The radius $\sqrt d$: $t$ lives on $[-\sqrt d, \sqrt d]$.
    pub fn radius(&self) -> f64 {
        (self.d as f64).sqrt()
    }

    /// The recurrence coefficient $b_k = \mathbb{E}[t\, q_{k-1}(t)\, q_k(t)]$ of the module docs
    /// ($b_0 = 0$, $b_1 = 1$); also the off-diagonal of the Jacobi matrix of the law.
    pub fn jacobi_coefficient(&self, k: u32) -> f64 {
        match k {
            0 => 0.0,
            // d k (k + d - 3) / ((2k + d - 2)(2k + d - 4)) is 0/0 at d = 2, k = 1; E t^2 = 1.
            1 => 1.0,
            _ => {
                let (d, k) = (self.d as f64, f64::from(k));
                (d * k * (k + d - 3.0) / ((2.0 * k + d - 2.0) * (2.0 * k + d - 4.0))).sqrt()
            }
        }
    }

    /// The exact even moment $\mathbb{E}[t^{2m}] = d^m \prod_{j<m} \frac{2j+1}{d+2j}$ (since
    /// $t^2/d \sim \mathrm{Beta}(\frac12, \frac{d-1}2)$): $\mathbb{E}t^2 = 1$,
    /// $\mathbb{E}t^4 = 3d/(d+2)$, $\mathbb{E}t^6 = 15d^2/((d+2)(d+4))$; odd moments vanish.
    pub fn even_moment(&self, m: u32) -> f64 {
        let d = self.d as f64;
        (0..m).map(|j| d * f64::from(2 * j + 1) / (d + f64::from(2 * j))).product()
    }

    /// $q_k(t)$ and its derivative $q_k'(t)$, by the recurrence of the module docs (defined for
    /// every real $t$; the law lives on $|t| \le \sqrt d$).
    ///
    /// # Example
    /// ```
    /// let law = thm::special::gegenbauer::SphericalMarginal::new(3).unwrap();
    /// // d = 3: q_2(t) = sqrt(5) P_2(t/sqrt(3)) = sqrt(5) (t^2 - 1) / 2.
    /// let (q2, dq2) = law.orthonormal(2, 0.5);
    /// assert!((q2 - 5f64.sqrt() * (0.25 - 1.0) / 2.0).abs() < 1e-15);
    /// assert!((dq2 - 5f64.sqrt() * 0.5).abs() < 1e-15);
    /// ```
    pub fn orthonormal(&self, k: u32, t: f64) -> (f64, f64) {
        // (q_{j-1}, q_j) and their derivatives.
        let (mut prev, mut cur, mut dprev, mut dcur) = (0.0, 1.0, 0.0, 0.0);
        for j in 0..k {
            let (b_j, b_next) = (self.jacobi_coefficient(j), self.jacobi_coefficient(j + 1));
            let next = (t * cur - b_j * prev) / b_next;
            let dnext = (cur + t * dcur - b_j * dprev) / b_next;
            (prev, cur, dprev, dcur) = (cur, next, dcur, dnext);
        }
        (cur, dcur)
    }

    /// Fills `out[k]` with $q_k(t)$ for $k = 0, \dots,$ `out.len() - 1`.
    pub fn orthonormal_all(&self, t: f64, out: &mut [f64]) {
        let (mut prev, mut cur) = (0.0, 1.0);
        for (j, slot) in out.iter_mut().enumerate() {
            *slot = cur;
            let j = j as u32;
            let next =
                (t * cur - self.jacobi_coefficient(j) * prev) / self.jacobi_coefficient(j + 1);
            (prev, cur) = (cur, next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::special::harmonics::harmonic_dimension_f64;
    use crate::special::hermite::normalised_hermite;

    /// The classical $C_k^{(\lambda)}(s)$ by DLMF (18.9.1), Table 18.9.1, for $\lambda \ne 0$.
    fn classical_gegenbauer(lambda: f64, k: u32, s: f64) -> f64 {
        let (mut prev, mut cur) = (0.0, 1.0);
        for n in 0..k {
            let n = f64::from(n);
            let next = (2.0 * (n + lambda) * s * cur - (n + 2.0 * lambda - 1.0) * prev) / (n + 1.0);
            (prev, cur) = (cur, next);
        }
        cur
    }

    #[test]
    fn dimensions_outside_the_range_are_errors() {
        for d in [0, 1, SphericalMarginal::MAX_DIMENSION + 1, u64::MAX] {
            assert!(SphericalMarginal::new(d).is_err(), "d {d}");
        }
        let msg = SphericalMarginal::new(1).unwrap_err().to_string();
        assert!(msg.contains("d = 1") && msg.contains("2 ≤ d"), "{msg}");
    }

    #[test]
    fn are_normalised_classical_gegenbauer_polynomials() {
        for d in [3u64, 4, 5, 7, 10, 50] {
            let law = SphericalMarginal::new(d).unwrap();
            let lambda = (d as f64 - 2.0) / 2.0;
            for k in 0..10 {
                let scale = harmonic_dimension_f64(d, k).unwrap().sqrt()
                    / classical_gegenbauer(lambda, k, 1.0);
                for s in [-1.0, -0.6, 0.0, 0.3, 0.95, 1.0] {
                    let want = scale * classical_gegenbauer(lambda, k, s);
                    let (got, _) = law.orthonormal(k, s * law.radius());
                    assert!((got - want).abs() < 1e-11 * want.abs().max(1.0), "d {d} k {k} s {s}");
                }
            }
        }
    }

    /// $q_k(\sqrt d)^2 = B(d,k)$: the zonal harmonic at the pole is the dimension.
    #[test]
    fn value_at_the_pole_is_the_square_root_of_the_harmonic_dimension() {
        for d in [2u64, 3, 4, 9, 100, 10_000] {
            let law = SphericalMarginal::new(d).unwrap();
            for k in 0..15 {
                let (q, _) = law.orthonormal(k, law.radius());
                let b = harmonic_dimension_f64(d, k).unwrap();
                assert!((q * q - b).abs() < 1e-12 * b, "d {d} k {k}: {} vs {b}", q * q);
            }
        }
    }

    #[test]
    fn circle_gives_chebyshev_polynomials() {
        let law = SphericalMarginal::new(2).unwrap();
        for k in 1..12u32 {
            for theta in [0.1, 0.7, 2.0, 3.0] {
                let (q, _) = law.orthonormal(k, 2f64.sqrt() * f64::cos(theta));
                let want = 2f64.sqrt() * (f64::from(k) * theta).cos();
                assert!((q - want).abs() < 1e-13, "k {k}");
            }
        }
    }

    #[test]
    fn tend_to_normalised_hermite_polynomials() {
        let law = SphericalMarginal::new(10_000_000_000).unwrap();
        for k in 0..8 {
            for t in [-2.5, -0.3, 0.0, 1.1, 3.0] {
                let (q, dq) = law.orthonormal(k, t);
                let (h, dh) = normalised_hermite(k, t);
                assert!((q - h).abs() < 1e-6 && (dq - dh).abs() < 1e-6, "k {k} t {t}");
            }
        }
    }

    #[test]
    fn all_degrees_and_derivatives_agree_with_single_evaluations() {
        let law = SphericalMarginal::new(6).unwrap();
        let mut all = [0.0; 9];
        for t in [-2.0, 0.4, 1.9] {
            law.orthonormal_all(t, &mut all);
            for k in 0..9u32 {
                let (q, dq) = law.orthonormal(k, t);
                assert_eq!(all[k as usize], q);
                let eps = 1e-6;
                let fd =
                    (law.orthonormal(k, t + eps).0 - law.orthonormal(k, t - eps).0) / (2.0 * eps);
                assert!((dq - fd).abs() < 1e-6 * dq.abs().max(1.0), "k {k} t {t}");
            }
        }
    }

    #[test]
    fn exact_low_moments() {
        for d in [2u64, 3, 8, 1000] {
            let law = SphericalMarginal::new(d).unwrap();
            let df = d as f64;
            assert_eq!(law.even_moment(0), 1.0);
            assert!((law.even_moment(1) - 1.0).abs() < 1e-15);
            assert!((law.even_moment(2) - 3.0 * df / (df + 2.0)).abs() < 1e-15);
            let m6 = 15.0 * df * df / ((df + 2.0) * (df + 4.0));
            assert!((law.even_moment(3) - m6).abs() < 1e-14);
            // E t^4 = b_1^2 (b_1^2 + b_2^2) from the recurrence.
            let b2 = law.jacobi_coefficient(2);
            assert!((law.even_moment(2) - (1.0 + b2 * b2)).abs() < 1e-14, "d {d}");
        }
    }
}
