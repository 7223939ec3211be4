//! [`ThreeLayerNet`]'s initialisation, forward and backward passes on a batch, features of all
//! samples, predictions and $M_W$.

use super::{Minibatch, NetFloat, ThreeLayerConfig, ThreeLayerNet};
use crate::numerics::clear_avx_upper;
use crate::numerics::dense::gemm;
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use faer::{Accum, Mat, MatRef};
use rand::RngExt;

impl<T: NetFloat> ThreeLayerNet<T> {
    /// A network initialised as the reference does (draw order W1, W2, W3, b1, b2; drawn in
    /// f64, then rounded to `T`).
    pub fn init(cfg: ThreeLayerConfig, rng: &mut Rng) -> ThreeLayerNet<T> {
        let (d, p1, p2, eps) = (cfg.d, cfg.p1, cfg.p2, cfg.eps_init);
        let gauss = |rows: usize, cols: usize, scale: f64, rng: &mut Rng| {
            // Row-major draw order, as torch.randn(rows, cols).
            let mut v = vec![0.0; rows * cols];
            draw_gaussians(&mut v, rng);
            Mat::from_fn(rows, cols, |i, j| T::of(scale * v[i * cols + j]))
        };
        let w1 = gauss(p1, d, 1.0 / (d as f64).sqrt(), rng);
        let w2 = gauss(p2, p1, eps / (p1 as f64).sqrt(), rng);
        let w3 = gauss(1, p2, eps / (p2 as f64).sqrt(), rng);
        let w3 = (0..p2).map(|j| w3[(0, j)]).collect();
        let b1 = (0..p1).map(|_| T::of(2.0 * rng.random::<f64>() - 1.0)).collect();
        let b2 = (0..p2).map(|_| T::of(eps * (2.0 * rng.random::<f64>() - 1.0))).collect();
        ThreeLayerNet {
            cfg,
            w1,
            w2,
            w3,
            b1,
            b2,
            xbt: Mat::zeros(d, 0),
            h1bt: Mat::zeros(p1, 0),
            h1: Mat::zeros(0, p1),
            h2: Mat::zeros(0, p2),
            g1: Mat::zeros(0, p1),
            out: Vec::new(),
            yb: Vec::new(),
            grad_w1: Mat::zeros(p1, d),
            grad_w2: Mat::zeros(p2, p1),
            batch: Minibatch::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ThreeLayerConfig {
        &self.cfg
    }

    pub(super) fn resize(&mut self, rows: usize) {
        let c = self.cfg;
        if self.h1.nrows() != rows {
            self.xbt = Mat::zeros(c.d, rows);
            self.h1bt = Mat::zeros(c.p1, rows);
            self.h1 = Mat::zeros(rows, c.p1);
            self.h2 = Mat::zeros(rows, c.p2);
            self.g1 = Mat::zeros(rows, c.p1);
            self.out = vec![T::ZERO; rows];
            self.yb = vec![T::ZERO; rows];
        }
    }

    /// `h1 = relu(x W1^T + b1)` into the buffer (rows of `x` = buffer rows).
    pub(super) fn first_layer(&mut self, x: MatRef<'_, T>) {
        gemm(self.h1.as_mut(), Accum::Replace, x, self.w1.transpose(), T::of(1.0));
        for (r, &b) in self.b1.iter().enumerate() {
            for v in self.h1.col_as_slice_mut(r) {
                *v = (*v + b).relu();
            }
        }
    }

    /// `h2 = relu(h1 W2^T + b2)`, `out = h2 w3`, then `out <- out - y` (the error).
    /// In phase 2 (`gathered`), `h1` is the gathered batch `h1bt`$^\top$.
    pub(super) fn second_layer_and_error(&mut self, gathered: bool, y: &[T]) {
        let h1 = if gathered { self.h1bt.transpose() } else { self.h1.as_ref() };
        gemm(self.h2.as_mut(), Accum::Replace, h1, self.w2.transpose(), T::of(1.0));
        self.out.iter_mut().for_each(|o| *o = T::ZERO);
        for (j, (&b, &a)) in self.b2.iter().zip(&self.w3).enumerate() {
            for (v, o) in self.h2.col_as_slice_mut(j).iter_mut().zip(self.out.iter_mut()) {
                *v = (*v + b).relu();
                *o += a * *v;
            }
        }
        for (o, &t) in self.out.iter_mut().zip(y) {
            *o -= t;
        }
    }

    /// `h2 <- e w3^T * 1[h2 > 0]` in place: dL/dP2 for the loss sum e^2 / 2.
    pub(super) fn back_second(&mut self) {
        for (j, &a) in self.w3.iter().enumerate() {
            for (v, e) in self.h2.col_as_slice_mut(j).iter_mut().zip(&self.out) {
                *v = if *v > T::ZERO { e * a } else { T::ZERO };
            }
        }
    }

    /// `g1 = (dP2 W2) * 1[h1 > 0]`: dL/dP1.
    pub(super) fn back_first(&mut self) {
        gemm(self.g1.as_mut(), Accum::Replace, self.h2.as_ref(), self.w2.as_ref(), T::of(1.0));
        for r in 0..self.cfg.p1 {
            let h = self.h1.col_as_slice(r);
            for (g, &hv) in self.g1.col_as_slice_mut(r).iter_mut().zip(h) {
                // A select, not a branch: the mask vectorises.
                *g = if hv > T::ZERO { *g } else { T::ZERO };
            }
        }
    }

    pub(super) fn loss(&self) -> f64 {
        self.out.iter().map(|e| e.f64() * e.f64()).sum::<f64>() / (2.0 * self.out.len() as f64)
    }

    /// The gradients of $\frac{1}{2B}\sum_{i\le B} e_i^2$ on the batch `(x, y)` with respect
    /// to $W_1$ and $W_2$ (both averaged over the batch), and the loss. For tests: the
    /// training steps use the same passes.
    pub fn batch_gradients(&mut self, x: MatRef<'_, T>, y: &[T]) -> (f64, Mat<T>, Mat<T>) {
        let b = x.nrows();
        self.resize(b);
        self.first_layer(x);
        self.second_layer_and_error(false, y);
        let loss = self.loss();
        self.back_second();
        let scale = T::of(1.0 / b as f64);
        let mut gw2 = Mat::zeros(self.cfg.p2, self.cfg.p1);
        gemm(gw2.as_mut(), Accum::Replace, self.h2.as_ref().transpose(), self.h1.as_ref(), scale);
        self.back_first();
        let mut gw1 = Mat::zeros(self.cfg.p1, self.cfg.d);
        gemm(gw1.as_mut(), Accum::Replace, self.g1.as_ref().transpose(), x, scale);
        (loss, gw1, gw2)
    }

    /// $\mathrm{relu}(W_1 X^\top + b_1)$ for all rows of `x` (phase 2's frozen first layer),
    /// **transposed**: $p_1 \times n$, column $i$ holds sample $i$'s features. Pass its
    /// `.transpose()` (a row-major $n \times p_1$ view) where the features of the rows are
    /// wanted: phase 2 then gathers a sample with one contiguous copy.
    pub fn hidden1(&self, x: MatRef<'_, T>) -> Mat<T> {
        relu_features_t(self.w1.as_ref(), &self.b1, x)
    }

    /// $\mathrm{relu}(H_1 W_2^\top + b_2)$ on all rows of `h1_all`.
    pub fn hidden2(&self, h1_all: MatRef<'_, T>) -> Mat<T> {
        let mut h2 = self.preactivation2(h1_all);
        for j in 0..self.cfg.p2 {
            for v in h2.col_as_slice_mut(j) {
                *v = v.relu();
            }
        }
        h2
    }

    /// The second layer's pre-activations $H_1 W_2^\top + b_2$ on all rows of `h1_all`: the
    /// learned features $h_2(x)$ whose overlap with $h^*$ is $M_h$.
    pub fn preactivation2(&self, h1_all: MatRef<'_, T>) -> Mat<T> {
        let mut h2 = Mat::zeros(h1_all.nrows(), self.cfg.p2);
        gemm(h2.as_mut(), Accum::Replace, h1_all, self.w2.transpose(), T::of(1.0));
        for (j, &b) in self.b2.iter().enumerate() {
            for v in h2.col_as_slice_mut(j) {
                *v += b;
            }
        }
        h2
    }

    /// Predictions on the rows of `x`.
    pub fn predict(&mut self, x: MatRef<'_, T>) -> Vec<f64> {
        let h1 = self.hidden1(x);
        let h2 = self.hidden2(h1.transpose());
        let mut out = vec![T::ZERO; x.nrows()];
        for (j, &a) in self.w3.iter().enumerate() {
            for (o, &h) in out.iter_mut().zip(h2.col_as_slice(j)) {
                *o += a * h;
            }
        }
        clear_avx_upper();
        out.into_iter().map(T::f64).collect()
    }

    /// $M_W = \big(\frac{1}{p_1}\sum_i \|W^* w_i\|^2/\|w_i\|^2\big)^{1/2}$ with $W^*$ the first
    /// `d_eff` coordinate axes (the reference's `cosine_similarity_linear`).
    pub fn overlap(&self, d_eff: usize) -> f64 {
        let (p1, d) = (self.cfg.p1, self.cfg.d);
        let (mut hidden, mut total) = (vec![0.0; p1], vec![0.0; p1]);
        for j in 0..d {
            for (i, w) in self.w1.col_as_slice(j).iter().map(|w| w.f64()).enumerate() {
                total[i] += w * w;
                if j < d_eff {
                    hidden[i] += w * w;
                }
            }
        }
        let mean = hidden.iter().zip(&total).map(|(h, t)| h / t).sum::<f64>() / p1 as f64;
        mean.sqrt()
    }

    /// The span overlap of the first layer with $W^*$ (the first `d_eff` axes): the
    /// $d_{\rm eff}$ right singular vectors $V$ of $W_1$ of largest singular value (the top
    /// eigenvectors of $W_1^\top W_1$, formed in f64), and $\|W^* V\|_F^2/d_{\rm eff} \in
    /// [0, 1]$, random baseline $d_{\rm eff}/d$: stage 1's spectral overlap read on the trained
    /// layer itself (issue 25; a unit's random initial component, which $M_W$ counts, leaves
    /// the top singular subspace once the learned directions stand out of the bulk).
    ///
    /// # Errors
    /// A non-finite weight, or an eigensolver failure.
    pub fn span_overlap(&self, d_eff: usize) -> Result<f64, String> {
        let d = self.cfg.d;
        let cols: Vec<Vec<f64>> =
            (0..d).map(|j| self.w1.col_as_slice(j).iter().map(|w| w.f64()).collect()).collect();
        if cols.iter().flatten().any(|w| !w.is_finite()) {
            return Err("the first layer has a non-finite weight".into());
        }
        let mut gram = Mat::<f64>::zeros(d, d);
        for a in 0..d {
            for b in a..d {
                gram[(b, a)] = cols[a].iter().zip(&cols[b]).map(|(u, v)| u * v).sum();
            }
        }
        let (_, vectors) =
            crate::numerics::symmetric_eigen(gram.as_ref()).map_err(|e| e.to_string())?;
        let top = d.saturating_sub(d_eff)..d;
        let captured: f64 =
            top.map(|c| (0..d_eff).map(|r| vectors[(r, c)] * vectors[(r, c)]).sum::<f64>()).sum();
        Ok(captured / d_eff as f64)
    }
}

/// $\mathrm{relu}(W X^\top + b)$ for all rows of `x`, **transposed**: one column per sample
/// (rows of `w` × samples).
pub(crate) fn relu_features_t<T: NetFloat>(w: MatRef<'_, T>, b: &[T], x: MatRef<'_, T>) -> Mat<T> {
    let mut h = Mat::zeros(w.nrows(), x.nrows());
    gemm(h.as_mut(), Accum::Replace, w, x.transpose(), T::of(1.0));
    for i in 0..x.nrows() {
        for (v, &bias) in h.col_as_slice_mut(i).iter_mut().zip(b) {
            *v = (*v + bias).relu();
        }
    }
    h
}
