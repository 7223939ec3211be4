//! Full-batch gradient descent on the first layer of a two-layer ReLU network in the NTK
//! parameterisation, with an output scale $\alpha$ (Chizat, Oyallon, Bach; Du, Zhai, Póczos,
//! Singh; the derivations are in `docs/theory/lazy-training.md`), and the infinite-width Gram
//! matrix $H^\infty$ that governs it.
//!
//! The network is $f(x) = \frac{\alpha}{\sqrt m}\sum_{r=1}^m a_r\,\mathrm{relu}(\langle w_r,
//! x\rangle)$ on unit-norm inputs, with $a$ fixed and the loss
//! $L(W) = \frac{1}{2\alpha^2}\sum_i (f(x_i) - y_i)^2$. The initialisation is
//! **symmetrised**: $w_r \sim N(0, I_d)$ with $a_r = +1$ for the first $m/2$ neurons, and the
//! second half repeats them with $a_r = -1$, so $f \equiv 0$ at initialisation (the lazy
//! regime needs $h(w_0) = 0$: otherwise the initial output, times $\alpha$, dominates).
//!
//! With the $1/\alpha^2$ on the loss, the function-space dynamics do not depend on $\alpha$:
//! $u_{k+1} - u_k \approx -\eta H (u_k - y)$ with $H_{ij} = \frac1m\sum_r \langle x_i, x_j
//! \rangle\,\mathbf 1\{\langle w_r, x_i\rangle > 0\}\,\mathbf 1\{\langle w_r, x_j\rangle > 0\}
//! \to H^\infty_{ij}$ as $m \to \infty$, while each weight moves by $O(1/(\alpha\sqrt m))$.
//!
//! One step costs two GEMMs through faer (`Par::Seq`, then
//! [`crate::numerics::clear_avx_upper`]) and one pass over the $n \times m$
//! pre-activations: $P = X W^\top$; one pass turns $P$ into $u$ and the masked second layer
//! $M_{ir} = a_r \mathbf 1\{P_{ir} > 0\}$; then $W \mathrel{-}= \frac{\eta}{\alpha\sqrt m}
//! M^\top \mathrm{diag}(u - y)\, X$.
//!
//! **Architecture Invariant:** as the rest of `sim/`: no IO, no generator built here.

use crate::learn::{gram_matrix, InnerProductKernel};
use crate::numerics::draw_gaussians;
use crate::numerics::{clear_avx_upper, NumericsError};
use crate::rng::Rng;
use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};

/// $H^\infty_{ij} = \langle x_i, x_j\rangle\,\frac{\pi - \arccos\langle x_i, x_j\rangle}{2\pi}$
/// for unit-norm rows $x_i$ of `x` (Du et al., arXiv:1810.02054, their $H^\infty$): the
/// first-layer ReLU NTK, [`InnerProductKernel::ReluNtk`] without its second-layer part,
/// evaluated on the points rescaled to $S^{d-1}(\sqrt d)$ where that kernel is defined.
///
/// # Errors
/// [`NumericsError::InvalidParameter`] if $d = 0$.
pub fn ntk_gram(x: MatRef<'_, f64>) -> Result<Mat<f64>, NumericsError> {
    let scale = (x.ncols() as f64).sqrt();
    let scaled = Mat::<f64>::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] * scale);
    gram_matrix(&InnerProductKernel::ReluNtk { second_layer: false }, scaled.as_ref())
}

/// `n` points uniform on the unit sphere of $\mathbb R^d$ (rows) and `n` labels uniform on
/// $\{\pm 1\}$, drawn in that order: the data of `lazy-training`.
///
/// # Errors
/// [`NumericsError::InvalidParameter`] if $d = 0$.
pub fn unit_sphere_data(
    n: usize,
    d: usize,
    rng: &mut Rng,
) -> Result<(Mat<f64>, Vec<f64>), NumericsError> {
    let mut x = crate::learn::sphere_points(n, d, rng)?;
    let inv = 1.0 / (d as f64).sqrt();
    for j in 0..d {
        for v in x.col_as_slice_mut(j) {
            *v *= inv;
        }
    }
    let mut g = vec![0.0; n];
    draw_gaussians(&mut g, rng);
    let y = g.iter().map(|&v| if v >= 0.0 { 1.0 } else { -1.0 }).collect();
    Ok((x, y))
}

/// Gradient descent on the first layer of a symmetrised two-layer ReLU net (module docs).
#[derive(Clone, Debug)]
pub struct TwoLayerGd {
    /// Inputs, $n \times d$, unit rows.
    x: Mat<f64>,
    /// Labels.
    y: Vec<f64>,
    /// Second layer, $\pm 1$, fixed.
    a: Vec<f64>,
    /// First layer, $m \times d$ (row $r$ is $w_r$).
    w: Mat<f64>,
    /// The initial first layer.
    w0: Mat<f64>,
    /// Output scale $\alpha$.
    alpha: f64,
    /// Step $\eta$.
    eta: f64,
    /// $m \times n$ workspace: pre-activations, then the masked second layer.
    pre: Mat<f64>,
    /// $n \times d$ workspace: $\mathrm{diag}(u - y) X$.
    ex: Mat<f64>,
    /// Outputs $u_i = f(x_i)$ at the last [`evaluate`](Self::evaluate).
    u: Vec<f64>,
    /// Whether `pre` holds the mask of the current weights.
    evaluated: bool,
}

impl TwoLayerGd {
    /// A symmetrised network of even width `m` on the data `(x, y)`: $m/2$ rows of $N(0, I_d)$
    /// drawn from `rng` (row by row), repeated, with $a = (+1, \dots, +1, -1, \dots, -1)$.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] for an odd or zero `m`, a non-positive or non-finite
    /// `alpha` or `eta`; [`NumericsError::DimensionMismatch`] if `y` does not have a label per
    /// row of `x`.
    pub fn symmetric(
        x: Mat<f64>,
        y: Vec<f64>,
        m: usize,
        alpha: f64,
        eta: f64,
        rng: &mut Rng,
    ) -> Result<TwoLayerGd, NumericsError> {
        if m == 0 || m % 2 != 0 {
            return Err(NumericsError::InvalidParameter {
                name: "width m",
                value: m as f64,
                requirement: "the symmetrised initialisation needs an even width m ≥ 2",
            });
        }
        for (name, value) in [("output scale α", alpha), ("step η", eta)] {
            if !(value.is_finite() && value > 0.0) {
                return Err(NumericsError::InvalidParameter {
                    name,
                    value,
                    requirement: "it must be finite and > 0",
                });
            }
        }
        if y.len() != x.nrows() {
            return Err(NumericsError::DimensionMismatch {
                what: "labels (one per input row)",
                expected: x.nrows(),
                found: y.len(),
            });
        }
        let (n, d, half) = (x.nrows(), x.ncols(), m / 2);
        let mut w = Mat::<f64>::zeros(m, d);
        let mut g = vec![0.0; d];
        for r in 0..half {
            draw_gaussians(&mut g, rng);
            for (j, &v) in g.iter().enumerate() {
                w[(r, j)] = v;
                w[(r + half, j)] = v;
            }
        }
        let a = (0..m).map(|r| if r < half { 1.0 } else { -1.0 }).collect();
        Ok(TwoLayerGd {
            x,
            y,
            a,
            w0: w.clone(),
            w,
            alpha,
            eta,
            pre: Mat::zeros(m, n),
            ex: Mat::zeros(n, d),
            u: vec![0.0; n],
            evaluated: false,
        })
    }

    /// The width $m$.
    pub fn width(&self) -> usize {
        self.w.nrows()
    }

    /// Computes the outputs at the current weights and returns the loss
    /// $\frac{1}{2\alpha^2}\sum_i (u_i - y_i)^2$ (NaN or infinite if the weights diverged).
    pub fn evaluate(&mut self) -> f64 {
        let m = self.width();
        // P = W Xᵀ (m × n, column-major: each input's column is contiguous over neurons, and
        // the update's GEMM reads the mask as a column-major left factor, with no packing).
        matmul(
            self.pre.as_mut(),
            Accum::Replace,
            self.w.as_ref(),
            self.x.transpose(),
            1.0,
            Par::Seq,
        );
        clear_avx_upper();
        let n = self.x.nrows();
        let mut acc = vec![0.0; n];
        for (i, s) in acc.iter_mut().enumerate() {
            // Four accumulators in a fixed order; branch-free, since the signs are coin flips.
            let mut part = [0.0f64; 4];
            let col = self.pre.col_as_slice_mut(i);
            let mut chunks = col.chunks_exact_mut(4);
            let mut a_chunks = self.a.chunks_exact(4);
            for (p4, a4) in (&mut chunks).zip(&mut a_chunks) {
                for k in 0..4 {
                    let on = f64::from(u8::from(p4[k] > 0.0));
                    part[k] += a4[k] * p4[k].max(0.0);
                    p4[k] = a4[k] * on;
                }
            }
            for (p, ar) in chunks.into_remainder().iter_mut().zip(a_chunks.remainder()) {
                let on = f64::from(u8::from(*p > 0.0));
                part[0] += ar * p.max(0.0);
                *p = ar * on;
            }
            *s = (part[0] + part[1]) + (part[2] + part[3]);
        }
        let scale = self.alpha / (m as f64).sqrt();
        for (u, s) in self.u.iter_mut().zip(&acc) {
            *u = scale * s;
        }
        self.evaluated = true;
        self.loss_of_outputs()
    }

    fn loss_of_outputs(&self) -> f64 {
        let sq: f64 = self.u.iter().zip(&self.y).map(|(u, y)| (u - y) * (u - y)).sum();
        0.5 * sq / (self.alpha * self.alpha)
    }

    /// One gradient step from the weights of the last [`evaluate`](Self::evaluate) (which it
    /// calls first if the weights changed since).
    pub fn descend(&mut self) {
        if !self.evaluated {
            self.evaluate();
        }
        let (n, d) = (self.x.nrows(), self.x.ncols());
        for j in 0..d {
            for i in 0..n {
                self.ex[(i, j)] = (self.u[i] - self.y[i]) * self.x[(i, j)];
            }
        }
        // ∂L/∂w_r = (1/α²)·(α/√m)·a_r Σ_i (u_i - y_i) 1{<w_r,x_i> > 0} x_i.
        let coef = -self.eta / (self.alpha * (self.width() as f64).sqrt());
        matmul(self.w.as_mut(), Accum::Add, self.pre.as_ref(), self.ex.as_ref(), coef, Par::Seq);
        clear_avx_upper();
        self.evaluated = false;
    }

    /// The outputs $u_i$ at the last [`evaluate`](Self::evaluate).
    pub fn outputs(&self) -> &[f64] {
        &self.u
    }

    /// The labels.
    pub fn labels(&self) -> &[f64] {
        &self.y
    }

    /// $\lVert W - W_0\rVert_F$.
    pub fn displacement(&self) -> f64 {
        let mut s = 0.0;
        for j in 0..self.w.ncols() {
            for (a, b) in self.w.col_as_slice(j).iter().zip(self.w0.col_as_slice(j)) {
                s += (a - b) * (a - b);
            }
        }
        s.sqrt()
    }

    /// $\lVert W_0\rVert_F$.
    pub fn initial_norm(&self) -> f64 {
        self.w0.norm_l2()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::symmetric_eigen;
    use crate::rng::rng_from_u64;

    #[test]
    fn h_infinity_matches_its_formula_and_has_half_on_the_diagonal() {
        let mut rng = rng_from_u64(3);
        let (x, _) = unit_sphere_data(6, 4, &mut rng).unwrap();
        let h = ntk_gram(x.as_ref()).unwrap();
        for i in 0..6 {
            for j in 0..6 {
                let c: f64 = (0..4).map(|k| x[(i, k)] * x[(j, k)]).sum();
                let c = c.clamp(-1.0, 1.0);
                let want = c * (std::f64::consts::PI - c.acos()) / (2.0 * std::f64::consts::PI);
                // arccos has slope -1/sqrt(1 - c²): a rounding of 1e-16 in c = 1 moves θ by
                // 1e-8, and H by 1e-9.
                assert!((h[(i, j)] - want).abs() < 1e-8, "{i} {j}");
            }
            assert!((h[(i, i)] - 0.5).abs() < 1e-8);
        }
        let (vals, vecs) = symmetric_eigen(h.as_ref()).unwrap();
        assert!(vals.windows(2).all(|p| p[0] <= p[1]) && vals[0] > 0.0);
        // H v = λ v for the smallest pair.
        for i in 0..6 {
            let hv: f64 = (0..6).map(|j| h[(i, j)] * vecs[(j, 0)]).sum();
            assert!((hv - vals[0] * vecs[(i, 0)]).abs() < 1e-12);
        }
    }

    #[test]
    fn symmetrised_net_starts_at_zero_and_its_gradient_matches_finite_differences() {
        let mut rng = rng_from_u64(4);
        let (x, y) = unit_sphere_data(5, 3, &mut rng).unwrap();
        let mut net = TwoLayerGd::symmetric(x, y, 8, 2.0, 0.1, &mut rng).unwrap();
        let l0 = net.evaluate();
        assert!(net.outputs().iter().all(|&u| u == 0.0));
        assert!((l0 - 0.5 * 5.0 / 4.0).abs() < 1e-12);
        // Move off the symmetric point, then compare the step with a finite difference.
        net.descend();
        let l1 = net.evaluate();
        assert!(l1 < l0);
        let w = net.w.clone();
        net.descend();
        let step = &net.w - &w;
        net.w = w.clone();
        let eps = 1e-6;
        for (r, j) in [(0, 0), (3, 2), (6, 1)] {
            net.w[(r, j)] = w[(r, j)] + eps;
            let lp = net.evaluate();
            net.w[(r, j)] = w[(r, j)] - eps;
            let lm = net.evaluate();
            net.w[(r, j)] = w[(r, j)];
            let grad = (lp - lm) / (2.0 * eps);
            assert!(
                (step[(r, j)] + 0.1 * grad).abs() < 1e-8,
                "{r} {j}: {} vs {grad}",
                step[(r, j)]
            );
        }
    }

    #[test]
    fn bad_parameters_are_errors() {
        let mut rng = rng_from_u64(5);
        let (x, y) = unit_sphere_data(4, 3, &mut rng).unwrap();
        assert!(TwoLayerGd::symmetric(x.clone(), y.clone(), 7, 1.0, 0.1, &mut rng).is_err());
        assert!(TwoLayerGd::symmetric(x.clone(), y.clone(), 8, 0.0, 0.1, &mut rng).is_err());
        assert!(TwoLayerGd::symmetric(x.clone(), y.clone(), 8, 1.0, f64::NAN, &mut rng).is_err());
        assert!(TwoLayerGd::symmetric(x, vec![1.0], 8, 1.0, 0.1, &mut rng).is_err());
    }
}
