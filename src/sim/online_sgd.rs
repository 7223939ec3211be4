//! Online spherical SGD on a Gaussian single-index model, one fresh sample per step.
//!
//! Teacher: $y = h_{k}(\langle w^*, x \rangle)$ with $x \sim N(0, I_d)$ and $h_k$ the normalised
//! Hermite polynomial. Student: $w \in S^{d-1}$, correlation loss
//! $L = -y\, h_k(\langle w, x \rangle)$, whose population value is $-m^k$ with
//! $m = \langle w, w^* \rangle$. One step (the recipe of `docs/theory/information-exponent.md`):
//! $G = -y\, h_k'(\langle w,x \rangle)\, x$, $G_\perp = G - \langle G, w\rangle w$,
//! $w \leftarrow (w - \eta G_\perp)/\lVert w - \eta G_\perp \rVert$.
//!
//! By rotation invariance of the Gaussian data and of the uniform initialisation, the law of
//! the overlap trajectory does not depend on $w^*$; we take $w^* = e_1$, so $m = w_1$ and the
//! teacher's projection is $x_1$.
//!
//! The student is stored unnormalised, $w = v / r$ with $r = \lVert v \rVert$ recomputed
//! exactly in the update pass: a step is one pass drawing $x$, one dot product and one fused
//! update-and-norm pass.

use crate::numerics::{dot, draw_gaussians};
use crate::rng::Rng;
use crate::special::hermite::normalised_hermite;

/// The state of one online SGD run.
#[derive(Clone, Debug)]
pub struct OnlineSgd {
    degree: u32,
    step_size: f64,
    /// Unnormalised student; `w = v / norm`.
    v: Vec<f64>,
    norm: f64,
    /// Buffer for the fresh sample.
    x: Vec<f64>,
}

impl OnlineSgd {
    /// A run in dimension `dim` with the link $h_{degree}$ and step size $\eta$, started at a
    /// uniform point of the sphere drawn from `rng`.
    ///
    /// # Panics
    /// If `dim == 0` (the theorem module validates $d \ge 2$ first).
    pub fn new(dim: usize, degree: u32, step_size: f64, rng: &mut Rng) -> OnlineSgd {
        assert!(dim > 0, "dimension must be positive");
        let mut v = vec![0.0; dim];
        draw_gaussians(&mut v, rng);
        let norm = dot(&v, &v).sqrt();
        OnlineSgd { degree, step_size, v, norm, x: vec![0.0; dim] }
    }

    /// Moves the start to overlap exactly `m0` with $w^*$, keeping the direction of its
    /// orthogonal part: $w_0 = m_0 e_1 + \sqrt{1 - m_0^2}\, u$ with $u$ uniform on the unit
    /// sphere of $e_1^\perp$ (when the start was uniform on the sphere).
    ///
    /// # Panics
    /// If `m0` is outside $[-1, 1]$ or the dimension is 1.
    pub fn set_initial_overlap(&mut self, m0: f64) {
        assert!((-1.0..=1.0).contains(&m0) && self.v.len() > 1, "overlap {m0} out of range");
        let orth = dot(&self.v[1..], &self.v[1..]).sqrt();
        let scale = (1.0 - m0 * m0).sqrt() / orth;
        self.v[1..].iter_mut().for_each(|v| *v *= scale);
        self.v[0] = m0;
        self.norm = dot(&self.v, &self.v).sqrt();
    }

    /// The overlap $m = \langle w, w^* \rangle = w_1$.
    pub fn overlap(&self) -> f64 {
        self.v[0] / self.norm
    }

    /// One step on a fresh sample; returns the new overlap.
    #[inline]
    pub fn step(&mut self, rng: &mut Rng) -> f64 {
        draw_gaussians(&mut self.x, rng);
        let inv_norm = 1.0 / self.norm;
        let z = dot(&self.v, &self.x) * inv_norm;
        let (y, _) = normalised_hermite(self.degree, self.x[0]);
        let (_, dh) = normalised_hermite(self.degree, z);
        // w - eta G_perp = (1 - eta s z) w + eta s x, with s = y h'(z).
        let s = self.step_size * y * dh;
        let alpha = (1.0 - s * z) * inv_norm;
        let mut acc = [0.0f64; 4];
        let mut vc = self.v.chunks_exact_mut(4);
        let mut xc = self.x.chunks_exact(4);
        for (vv, xx) in (&mut vc).zip(&mut xc) {
            for i in 0..4 {
                vv[i] = alpha * vv[i] + s * xx[i];
                acc[i] += vv[i] * vv[i];
            }
        }
        for (vv, xx) in vc.into_remainder().iter_mut().zip(xc.remainder()) {
            *vv = alpha * *vv + s * xx;
            acc[0] += *vv * *vv;
        }
        self.norm = ((acc[0] + acc[1]) + (acc[2] + acc[3])).sqrt();
        self.overlap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    #[test]
    fn the_student_stays_on_the_sphere() {
        let mut rng = rng_from_u64(1);
        let mut sgd = OnlineSgd::new(37, 3, 0.01, &mut rng);
        for _ in 0..1000 {
            let m = sgd.step(&mut rng);
            assert!(m.abs() <= 1.0 + 1e-12);
        }
        let w: Vec<f64> = sgd.v.iter().map(|v| v / sgd.norm).collect();
        assert!((dot(&w, &w) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_linear_link_recovers_the_teacher() {
        // k = 1, eta = 0.5/d: the overlap reaches 0.9 within a few hundred d steps.
        let mut rng = rng_from_u64(2);
        let d = 64;
        let mut sgd = OnlineSgd::new(d, 1, 0.5 / d as f64, &mut rng);
        let mut m = sgd.overlap();
        for _ in 0..(50 * d) {
            m = sgd.step(&mut rng);
        }
        assert!(m > 0.9, "overlap {m}");
    }
}
