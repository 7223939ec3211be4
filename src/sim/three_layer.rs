//! The reference's layer-wise three-layer ReLU network (`ThreeLayerNN` of
//! IdePHICS/ComputationalDepth, `Codes/utils.py`, with `train_layer1`, `train_layer2` and
//! `ridge_regression_update_W3`), the learner of Dandi, Pesce, Zdeborová and Krzakala,
//! arXiv:2502.13961v4 (Fig. 2, App. F.4), in f64 or, as the reference, f32 ([`NetFloat`]):
//!
//! $$ \hat f(x) = w_3^\top \mathrm{relu}\big(W_2\, \mathrm{relu}(W_1 x + b_1) + b_2\big), $$
//!
//! $W_1 \in \mathbb{R}^{p_1\times d}$, $W_2 \in \mathbb{R}^{p_2 \times p_1}$, $w_3 \in
//! \mathbb{R}^{p_2}$, biases fixed at their random draw. Initialisation (the reference's order):
//! $W_1 \sim N(0, 1/d)$, $W_2 \sim \epsilon N(0, 1/p_1)$, $w_3 \sim \epsilon N(0, 1/p_2)$,
//! $b_1 \sim U(-1, 1)$, $b_2 \sim \epsilon U(-1, 1)$, $\epsilon$ = `eps_init`.
//!
//! Training on $n$ samples, each step on a minibatch of $\lfloor 0.7 n\rfloor$ rows (the first
//! entries of a fresh uniform random permutation), error $e = \hat f - y$ (loss $\frac12$ mean
//! squared error), $w_3$ and $W_2$ frozen at their initial values in phase 1:
//! * phase 1, `steps1` steps: $W_1 \leftarrow W_1 - \eta\big(\sqrt{p_1}\, G_1/\epsilon^2 +
//!   r_1 W_1\big)$, $G_1$ the gradient averaged over the minibatch;
//! * phase 2, `steps2` steps: $W_2 \leftarrow W_2 - 4\eta\big(\sqrt{p_2}\, G_2/(\epsilon p_1) +
//!   r_2 W_2/d^{1.5}\big)$, where $G_2 = \sum_{\rm batch} \partial/n$ is divided by the **full**
//!   $n$, not the minibatch size (the reference's quirk, kept);
//! * readout: $w_3 = (H_2^\top H_2 + \lambda n I)^{-1} H_2^\top y$ on all $n$ samples.
//!
//! Bookkeeping, not algorithm (the same numbers up to rounding): phase 2 does not recompute
//! $\mathrm{relu}(W_1 x + b_1)$ (frozen) for each minibatch but gathers its rows from one pass
//! over the $n$ samples; a minibatch's rows are processed in increasing order (every quantity
//! of a step is a sum over the batch); samples and first-layer features are stored row-major,
//! so that a gather is one contiguous copy per sample. The forward and backward passes are faer
//! GEMMs with `Par::Seq` on in-place batch buffers, followed by [`clear_avx_upper`].
//!
//! **Precision.** The network's weights, features and GEMMs are in the float type `T`
//! ([`NetFloat`]: `f64`, the crate's default, or `f32`, the reference's `dtype`, whose GEMMs run
//! at twice the rate). Everything else is f64 whatever `T`: the random draws (made in f64 and
//! rounded to `T`, so both precisions see the same stream), the labels (rounded to `T` for
//! training), the step sizes, the losses and $M_W$ (accumulated in f64), and the readout's
//! $p_2 \times p_2$ Cholesky solve. With `T = f64` every operation is the f64 version's.
//!
//! **Architecture Invariant:** pure numerics; every random number comes from the `&mut Rng`
//! passed in, in a fixed order.

use crate::numerics::clear_avx_upper;
use crate::numerics::dense::{cholesky_lower, gemm, solve_llt};
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use faer::{Accum, Mat, MatRef};
use rand::RngExt;
use std::ops::{Add, AddAssign, Mul, Sub, SubAssign};

/// The float type of the network ([module docs](self), "Precision"): `f64` or `f32`.
pub trait NetFloat:
    faer::traits::ComplexField
    + Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + AddAssign
    + SubAssign
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
    /// Zero.
    const ZERO: Self;
    /// The nearest value of this type.
    fn of(v: f64) -> Self;
    /// The value as f64 (exact).
    fn f64(self) -> f64;
    /// `max(self, 0)` as `f64::max` does it (a NaN becomes 0).
    fn relu(self) -> Self;
}

impl NetFloat for f64 {
    const ZERO: f64 = 0.0;
    fn of(v: f64) -> f64 {
        v
    }
    fn f64(self) -> f64 {
        self
    }
    fn relu(self) -> f64 {
        self.max(0.0)
    }
}

impl NetFloat for f32 {
    const ZERO: f32 = 0.0;
    fn of(v: f64) -> f32 {
        v as f32
    }
    fn f64(self) -> f64 {
        f64::from(self)
    }
    fn relu(self) -> f32 {
        self.max(0.0)
    }
}

/// The hyper-parameters of the reference's layer-wise training.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreeLayerConfig {
    /// Input dimension $d$.
    pub d: usize,
    /// First hidden width $p_1$.
    pub p1: usize,
    /// Second hidden width $p_2$.
    pub p2: usize,
    /// Learning rate $\eta$ (`lr`).
    pub lr: f64,
    /// Weight decay of phase 1 $r_1$ (`reg1`).
    pub reg1: f64,
    /// Weight decay of phase 2 $r_2$ (`reg2`), applied as $r_2/d^{1.5}$.
    pub reg2: f64,
    /// Readout ridge $\lambda$ (`lambda_ridge`): $\lambda n I$.
    pub lambda_ridge: f64,
    /// Initialisation scale $\epsilon$ (`eps_init`).
    pub eps_init: f64,
    /// Minibatch fraction (`fraction_batch`): $\lfloor f n\rfloor$ rows per step.
    pub fraction_batch: f64,
    /// Phase-1 iterations `max_iter1`: $\lfloor$`max_iter1`$/f\rfloor$ steps.
    pub max_iter1: usize,
    /// Phase-2 iterations `max_iter2`: $\lfloor$`max_iter2`$/f\rfloor$ steps.
    pub max_iter2: usize,
}

impl ThreeLayerConfig {
    /// The reduced configuration of check D-C (`benches/dc-reference.md`): d = 64, p1 = 256, p2 = 32,
    /// lr 1, no weight decay, ridge 1, eps_init 0.2, fraction 0.7, `max_iter1` = int(15 ln 64)
    /// = 62, `max_iter2` = 300.
    pub fn reduced_dc() -> ThreeLayerConfig {
        let d = 64;
        ThreeLayerConfig {
            d,
            p1: 256,
            p2: 32,
            lr: 1.0,
            reg1: 0.0,
            reg2: 0.0,
            lambda_ridge: 1.0,
            eps_init: 0.2,
            fraction_batch: 0.7,
            max_iter1: (15.0 * (d as f64).ln()) as usize,
            max_iter2: 300,
        }
    }

    /// Minibatch steps of a phase with `max_iter` iterations: `int(max_iter / fraction)`.
    pub fn steps(&self, max_iter: usize) -> usize {
        (max_iter as f64 / self.fraction_batch) as usize
    }

    /// Minibatch size on `n` samples: `int(n * fraction)`.
    pub fn batch(&self, n: usize) -> usize {
        (n as f64 * self.fraction_batch) as usize
    }
}

/// The network and its batch buffers (reused across steps: no allocation per step), in the
/// float type `T` ([`NetFloat`]).
#[derive(Clone, Debug)]
pub struct ThreeLayerNet<T: NetFloat = f64> {
    cfg: ThreeLayerConfig,
    /// $W_1$, $p_1 \times d$.
    pub w1: Mat<T>,
    /// $W_2$, $p_2 \times p_1$.
    pub w2: Mat<T>,
    /// $w_3$, length $p_2$.
    pub w3: Vec<T>,
    /// $b_1$, length $p_1$.
    pub b1: Vec<T>,
    /// $b_2$, length $p_2$.
    pub b2: Vec<T>,
    // Batch buffers (rows = current batch size; the gathered inputs transposed: one sample per
    // column, so that a gather copies contiguous rows of a row-major source).
    xbt: Mat<T>,
    h1bt: Mat<T>,
    h1: Mat<T>,
    h2: Mat<T>,
    g1: Mat<T>,
    out: Vec<T>,
    yb: Vec<T>,
    grad_w1: Mat<T>,
    grad_w2: Mat<T>,
    batch: Minibatch,
}

/// Per-phase record of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    /// The minibatch loss $\frac12$ mean $e^2$ of phase 1's last step.
    pub last_loss1: f64,
    /// The same for phase 2.
    pub last_loss2: f64,
}

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

    fn resize(&mut self, rows: usize) {
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
    fn first_layer(&mut self, x: MatRef<'_, T>) {
        gemm(self.h1.as_mut(), Accum::Replace, x, self.w1.transpose(), T::of(1.0));
        for (r, &b) in self.b1.iter().enumerate() {
            for v in self.h1.col_as_slice_mut(r) {
                *v = (*v + b).relu();
            }
        }
    }

    /// `h2 = relu(h1 W2^T + b2)`, `out = h2 w3`, then `out <- out - y` (the error).
    /// In phase 2 (`gathered`), `h1` is the gathered batch `h1bt`$^\top$.
    fn second_layer_and_error(&mut self, gathered: bool, y: &[T]) {
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
    fn back_second(&mut self) {
        for (j, &a) in self.w3.iter().enumerate() {
            for (v, e) in self.h2.col_as_slice_mut(j).iter_mut().zip(&self.out) {
                *v = if *v > T::ZERO { e * a } else { T::ZERO };
            }
        }
    }

    /// `g1 = (dP2 W2) * 1[h1 > 0]`: dL/dP1.
    fn back_first(&mut self) {
        gemm(self.g1.as_mut(), Accum::Replace, self.h2.as_ref(), self.w2.as_ref(), T::of(1.0));
        for r in 0..self.cfg.p1 {
            let h = self.h1.col_as_slice(r);
            for (g, &hv) in self.g1.col_as_slice_mut(r).iter_mut().zip(h) {
                // A select, not a branch: the mask vectorises.
                *g = if hv > T::ZERO { *g } else { T::ZERO };
            }
        }
    }

    fn loss(&self) -> f64 {
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

    /// One phase-1 step on a fresh minibatch of `(x, y)`: the hot step. Returns the
    /// minibatch loss before the step.
    pub fn layer1_step(&mut self, x: MatRef<'_, T>, y: &[T], rng: &mut Rng) -> f64 {
        let (n, m) = (x.nrows(), self.cfg.batch(x.nrows()));
        self.resize(m);
        self.batch.draw(n, m, rng);
        gather_rows(&mut self.xbt, x, &self.batch.rows);
        let xbt = std::mem::replace(&mut self.xbt, Mat::zeros(0, 0));
        for (t, &i) in self.yb.iter_mut().zip(&self.batch.rows) {
            *t = y[i];
        }
        self.first_layer(xbt.transpose());
        let yb = std::mem::take(&mut self.yb);
        self.second_layer_and_error(false, &yb);
        self.yb = yb;
        let loss = self.loss();
        self.back_second();
        self.back_first();
        gemm(
            self.grad_w1.as_mut(),
            Accum::Replace,
            self.g1.as_ref().transpose(),
            xbt.transpose(),
            T::of(1.0 / m as f64),
        );
        self.xbt = xbt;
        let c = self.cfg;
        let step = T::of(c.lr * (c.p1 as f64).sqrt() / (c.eps_init * c.eps_init));
        let decay = T::of(c.lr * c.reg1);
        for j in 0..c.d {
            let g = self.grad_w1.col_as_slice(j);
            for (w, &gv) in self.w1.col_as_slice_mut(j).iter_mut().zip(g) {
                *w -= step * gv + decay * *w;
            }
        }
        loss
    }

    /// $\mathrm{relu}(W_1 X^\top + b_1)$ for all rows of `x` (phase 2's frozen first layer),
    /// **transposed**: $p_1 \times n$, column $i$ holds sample $i$'s features. Pass its
    /// `.transpose()` (a row-major $n \times p_1$ view) where the features of the rows are
    /// wanted: phase 2 then gathers a sample with one contiguous copy.
    pub fn hidden1(&self, x: MatRef<'_, T>) -> Mat<T> {
        relu_features_t(self.w1.as_ref(), &self.b1, x)
    }

    /// One phase-2 step on a fresh minibatch of the frozen first-layer features `h1_all`
    /// ($n \times p_1$) and labels `y`: the hot step. The gradient is divided by the full $n$
    /// (the reference's quirk). Returns the minibatch loss before the step.
    pub fn layer2_step(&mut self, h1_all: MatRef<'_, T>, y: &[T], rng: &mut Rng) -> f64 {
        let (n, m) = (h1_all.nrows(), self.cfg.batch(h1_all.nrows()));
        self.resize(m);
        self.batch.draw(n, m, rng);
        gather_rows(&mut self.h1bt, h1_all, &self.batch.rows);
        for (t, &i) in self.yb.iter_mut().zip(&self.batch.rows) {
            *t = y[i];
        }
        let yb = std::mem::take(&mut self.yb);
        self.second_layer_and_error(true, &yb);
        self.yb = yb;
        let loss = self.loss();
        self.back_second();
        gemm(
            self.grad_w2.as_mut(),
            Accum::Replace,
            self.h2.as_ref().transpose(),
            self.h1bt.transpose(),
            T::of(1.0 / n as f64),
        );
        let c = self.cfg;
        let step = T::of(4.0 * c.lr * (c.p2 as f64).sqrt() / (c.eps_init * c.p1 as f64));
        let decay = T::of(4.0 * c.lr * c.reg2 / (c.d as f64).powf(1.5));
        for j in 0..c.p1 {
            let g = self.grad_w2.col_as_slice(j);
            for (w, &gv) in self.w2.col_as_slice_mut(j).iter_mut().zip(g) {
                *w -= step * gv + decay * *w;
            }
        }
        loss
    }

    /// $\mathrm{relu}(H_1 W_2^\top + b_2)$ on all rows of `h1_all`.
    pub fn hidden2(&self, h1_all: MatRef<'_, T>) -> Mat<T> {
        let mut h2 = Mat::zeros(h1_all.nrows(), self.cfg.p2);
        gemm(h2.as_mut(), Accum::Replace, h1_all, self.w2.transpose(), T::of(1.0));
        for (j, &b) in self.b2.iter().enumerate() {
            for v in h2.col_as_slice_mut(j) {
                *v = (*v + b).relu();
            }
        }
        h2
    }

    /// The ridge readout on all samples: $w_3 = (H_2^\top H_2 + \lambda n I)^{-1} H_2^\top y$
    /// (the Gram matrix in `T`, its ridge, right-hand side and Cholesky solve in f64).
    ///
    /// # Errors
    /// A message if the regularised Gram matrix is not positive definite (NaN features).
    pub fn ridge_readout(&mut self, h1_all: MatRef<'_, T>, y: &[f64]) -> Result<(), String> {
        let h2 = self.hidden2(h1_all);
        self.w3 = ridge_weights(h2.as_ref(), y, self.cfg.lambda_ridge)?;
        Ok(())
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

    /// Phase 1 of [`ThreeLayerNet::train`]: `max_iter1` GD iterations on the first layer
    /// (layers 2 and 3 at their initial values), on row-major copies of the samples. Returns
    /// the last minibatch loss, or why it diverged.
    fn phase1(&mut self, x: MatRef<'_, f64>, y: &[T], rng: &mut Rng) -> Result<f64, String> {
        let xt = Mat::<T>::from_fn(x.ncols(), x.nrows(), |j, i| T::of(x[(i, j)]));
        let mut last_loss1 = f64::NAN;
        for _ in 0..self.cfg.steps(self.cfg.max_iter1) {
            last_loss1 = self.layer1_step(xt.transpose(), y, rng);
        }
        if !last_loss1.is_finite() || self.w1.col_as_slice(0).iter().any(|w| !w.f64().is_finite()) {
            return Err(format!("phase 1 diverged (minibatch loss {last_loss1})"));
        }
        Ok(last_loss1)
    }

    /// The reference's layer-wise training on `(x, y)`: phase 1, phase 2, ridge readout.
    /// Returns the last minibatch losses, or why it broke down (a non-finite loss). The
    /// samples are copied once into row-major storage in `T` (the labels rounded to `T` for
    /// the error, kept in f64 for the readout's right-hand side), so that minibatch gathers
    /// copy contiguous rows.
    pub fn train(
        &mut self,
        x: MatRef<'_, f64>,
        y: &[f64],
        rng: &mut Rng,
    ) -> Result<Training, String> {
        let c = self.cfg;
        let y_t: Vec<T> = y.iter().map(|&t| T::of(t)).collect();
        let last_loss1 = self.phase1(x, &y_t, rng)?;
        // The frozen first layer on all samples, from column-major samples as the f64
        // version always did (a GEMM's rounding may depend on the operands' layout).
        let x_cols = Mat::<T>::from_fn(x.nrows(), x.ncols(), |i, j| T::of(x[(i, j)]));
        let h1t = self.hidden1(x_cols.as_ref());
        let h1_all = h1t.transpose();
        let mut last_loss2 = f64::NAN;
        for _ in 0..c.steps(c.max_iter2) {
            last_loss2 = self.layer2_step(h1_all, &y_t, rng);
        }
        if !last_loss2.is_finite() {
            return Err(format!("phase 2 diverged (minibatch loss {last_loss2})"));
        }
        self.ridge_readout(h1_all, y)?;
        clear_avx_upper();
        Ok(Training { last_loss1, last_loss2 })
    }
}

/// The rows of a fresh minibatch: the first `m` entries of a uniform random permutation of
/// `0..n` (partial Fisher–Yates from the identity: `torch.randperm(n)[:m]` in law), listed in
/// increasing order. Every quantity of a step is a sum over the batch, so the order of its rows
/// changes only the rounding; increasing order makes the row gathers monotone sweeps (the
/// random order cost a quarter of the run in cache misses). Buffers are reused across steps.
#[derive(Clone, Debug, Default)]
pub(crate) struct Minibatch {
    perm: Vec<usize>,
    chosen: Vec<bool>,
    /// The batch's rows, increasing.
    pub(crate) rows: Vec<usize>,
}

impl Minibatch {
    /// Draws a fresh batch of `m` of the rows `0..n` into [`Minibatch::rows`].
    pub(crate) fn draw(&mut self, n: usize, m: usize, rng: &mut Rng) {
        self.perm.clear();
        self.perm.extend(0..n);
        for i in 0..m {
            let j = rng.random_range(i..n);
            self.perm.swap(i, j);
        }
        self.chosen.clear();
        self.chosen.resize(n, false);
        for &i in &self.perm[..m] {
            self.chosen[i] = true;
        }
        self.rows.clear();
        self.rows.extend((0..n).filter(|&i| self.chosen[i]));
    }
}

/// Copies the rows `idx` of `src` into the columns of `dst_t` (`src.ncols()` × `idx.len()`):
/// contiguous copies when `src` is row-major (the transpose of a column-major matrix, as the
/// training loops pass), element by element otherwise.
pub(crate) fn gather_rows<T: NetFloat>(dst_t: &mut Mat<T>, src: MatRef<'_, T>, idx: &[usize]) {
    for (k, &i) in idx.iter().enumerate() {
        let d = dst_t.col_as_slice_mut(k);
        match src.row(i).try_as_row_major() {
            Some(row) => d.copy_from_slice(row.as_slice()),
            None => d.iter_mut().enumerate().for_each(|(j, v)| *v = src[(i, j)]),
        }
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

/// The reference's ridge readout on features `h` ($n \times p$): $(H^\top H + \lambda n
/// I)^{-1} H^\top y$, the Gram matrix in `T`, its ridge, right-hand side and Cholesky solve in
/// f64.
///
/// # Errors
/// A message if the regularised Gram matrix is not positive definite (NaN features).
pub(crate) fn ridge_weights<T: NetFloat>(
    h: MatRef<'_, T>,
    y: &[f64],
    lambda: f64,
) -> Result<Vec<T>, String> {
    let (n, p) = (h.nrows(), h.ncols());
    let mut gram = Mat::<T>::zeros(p, p);
    gemm(gram.as_mut(), Accum::Replace, h.transpose(), h, T::of(1.0));
    let mut a = Mat::<f64>::from_fn(p, p, |i, j| gram[(i, j)].f64());
    for j in 0..p {
        a[(j, j)] += lambda * n as f64;
    }
    let mut rhs: Vec<f64> = (0..p).map(|j| (0..n).map(|i| h[(i, j)].f64() * y[i]).sum()).collect();
    cholesky_lower(a.as_mut()).map_err(|i| format!("ridge readout: pivot {i} not positive"))?;
    solve_llt(a.as_ref(), &mut rhs);
    Ok(rhs.into_iter().map(T::of).collect())
}

/// `n` rows of $N(0, I_d)$ drawn row by row (the reference's `torch.randn(n, d)` order).
pub fn gaussian_rows(n: usize, d: usize, rng: &mut Rng) -> Mat<f64> {
    let mut v = vec![0.0; n * d];
    draw_gaussians(&mut v, rng);
    Mat::from_fn(n, d, |i, j| v[i * d + j])
}

/// What one end-to-end run on a SIGHT target measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SightRun {
    /// The test mean squared error of the trained network.
    pub test_mse: f64,
    /// The test labels' variance about their own mean (the best constant predictor's error).
    pub test_label_variance: f64,
    /// $M_W$ after phase 1 ([`ThreeLayerNet::overlap`]).
    pub overlap: f64,
}

/// One run of the reference's experiment on a SIGHT target (W* on the first `d_eff` axes):
/// draws `test` test points, then `n` training points (rows of $N(0, I_d)$, labels
/// $f^*(x)$, no noise), initialises the network, trains it layer-wise, and measures the test
/// error and $M_W$. The network computes in `T` ([`NetFloat`]); the data are drawn in f64.
///
/// # Errors
/// Why the training broke down (a non-finite loss, a failed readout).
pub fn run_sight<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    test: usize,
    rng: &mut Rng,
) -> Result<SightRun, String> {
    let data = SightData::draw(target, cfg.d, n, test, rng);
    let mut net = ThreeLayerNet::<T>::init(cfg, rng);
    net.train(data.x.as_ref(), &data.y, rng)?;
    let (test_mse, test_label_variance) = data.test_error(|x| net.predict(x))?;
    Ok(SightRun { test_mse, test_label_variance, overlap: net.overlap(target.d_eff) })
}

/// One end-to-end run's data on a SIGHT target (W* on the first `d_eff` axes): `test` test
/// points, then `n` training points, rows of $N(0, I_d)$ with labels $f^*(x)$ (no noise),
/// drawn in that order (the reference's).
pub(crate) struct SightData {
    /// Training inputs, $n \times d$.
    pub(crate) x: Mat<f64>,
    /// Training labels.
    pub(crate) y: Vec<f64>,
    x_test: Mat<f64>,
    y_test: Vec<f64>,
}

impl SightData {
    /// Draws the test set, then the training set.
    pub(crate) fn draw(
        target: &SightTarget,
        d: usize,
        n: usize,
        test: usize,
        rng: &mut Rng,
    ) -> SightData {
        let x_test = gaussian_rows(test, d, rng);
        let y_test = sight_labels(target, &x_test);
        let x = gaussian_rows(n, d, rng);
        let y = sight_labels(target, &x);
        SightData { x, y, x_test, y_test }
    }

    /// The test mean squared error of `predict` (given the test inputs in `T`) and the test
    /// labels' variance about their own mean (the best constant predictor's error).
    ///
    /// # Errors
    /// A non-finite test error.
    pub(crate) fn test_error<T: NetFloat>(
        &self,
        mut predict: impl FnMut(MatRef<'_, T>) -> Vec<f64>,
    ) -> Result<(f64, f64), String> {
        let (m, d) = (self.x_test.nrows(), self.x_test.ncols());
        let x_test = Mat::<T>::from_fn(m, d, |i, j| T::of(self.x_test[(i, j)]));
        let pred = predict(x_test.as_ref());
        let y = &self.y_test;
        let mse = pred.iter().zip(y).map(|(f, t)| (f - t) * (f - t)).sum::<f64>() / m as f64;
        let mean = y.iter().sum::<f64>() / m as f64;
        let variance = y.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / m as f64;
        if !mse.is_finite() {
            return Err(format!("the test error is {mse}"));
        }
        Ok((mse, variance))
    }
}

/// The labels $f^*(x_i)$ of the rows of `x` (W* on the first `d_eff` axes).
pub(crate) fn sight_labels(target: &SightTarget, x: &Mat<f64>) -> Vec<f64> {
    let mut row = vec![0.0; target.d_eff];
    (0..x.nrows())
        .map(|i| {
            row.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
            target.value(&row)
        })
        .collect()
}

/// Phase 1 alone of [`run_sight`]'s training, on `n` fresh training points (no test set):
/// $M_W$ of the first layer after the reference's `max_iter1` GD iterations, layers 2 and 3
/// at their initial values (the onset of check D-C, across $d$).
///
/// # Errors
/// Why phase 1 broke down (a non-finite loss or weight).
pub fn sight_phase1_overlap<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<f64, String> {
    let x = gaussian_rows(n, cfg.d, rng);
    let y: Vec<T> = sight_labels(target, &x).into_iter().map(T::of).collect();
    let mut net = ThreeLayerNet::<T>::init(cfg, rng);
    net.phase1(x.as_ref(), &y, rng)?;
    clear_avx_upper();
    Ok(net.overlap(target.d_eff))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    fn small() -> ThreeLayerConfig {
        ThreeLayerConfig {
            d: 6,
            p1: 9,
            p2: 5,
            max_iter1: 7,
            max_iter2: 14,
            ..ThreeLayerConfig::reduced_dc()
        }
    }

    fn data(n: usize, d: usize, rng: &mut Rng) -> (Mat<f64>, Vec<f64>) {
        let x = gaussian_rows(n, d, rng);
        let y = (0..n).map(|i| (x[(i, 0)] * x[(i, 1)]).tanh() + 0.3).collect();
        (x, y)
    }

    fn loss_at(net: &ThreeLayerNet, x: MatRef<'_, f64>, y: &[f64]) -> f64 {
        let mut probe = net.clone();
        probe.batch_gradients(x, y).0
    }

    #[test]
    fn batch_gradients_match_central_finite_differences() {
        let mut rng = rng_from_u64(3);
        let mut net = ThreeLayerNet::init(small(), &mut rng);
        // Larger second and third layers than the init, so that ReLU kinks are rare and the
        // gradient of W1 is not tiny.
        net.w2.col_iter_mut().for_each(|c| c.iter_mut().for_each(|v| *v *= 5.0));
        net.w3.iter_mut().for_each(|v| *v *= 5.0);
        let (x, y) = data(40, 6, &mut rng);
        let (_, g1, g2) = net.batch_gradients(x.as_ref(), &y);
        let h = 1e-6;
        let mut worst: f64 = 0.0;
        for (i, j) in [(0, 0), (3, 1), (8, 5), (4, 2)] {
            let mut plus = net.clone();
            plus.w1[(i, j)] += h;
            let mut minus = net.clone();
            minus.w1[(i, j)] -= h;
            let fd = (loss_at(&plus, x.as_ref(), &y) - loss_at(&minus, x.as_ref(), &y)) / (2.0 * h);
            worst = worst.max((fd - g1[(i, j)]).abs() / (1e-6 + fd.abs()));
        }
        for (i, j) in [(0, 0), (2, 7), (4, 3)] {
            let mut plus = net.clone();
            plus.w2[(i, j)] += h;
            let mut minus = net.clone();
            minus.w2[(i, j)] -= h;
            let fd = (loss_at(&plus, x.as_ref(), &y) - loss_at(&minus, x.as_ref(), &y)) / (2.0 * h);
            worst = worst.max((fd - g2[(i, j)]).abs() / (1e-6 + fd.abs()));
        }
        assert!(worst < 1e-5, "worst relative error {worst}");
    }

    #[test]
    fn the_phase_two_step_divides_the_gradient_by_the_full_n_not_the_batch() {
        // Twenty copies of one sample: every minibatch of int(0.5 * 20) = 10 rows has the same
        // batch-averaged gradient g2, and the reference's step divides the batch's sum by
        // n = 20, so W2 moves by 4 lr sqrt(p2)/(eps p1) * g2 / 2.
        let mut rng = rng_from_u64(5);
        let cfg = ThreeLayerConfig { fraction_batch: 0.5, ..small() };
        let net = ThreeLayerNet::init(cfg, &mut rng);
        let row = gaussian_rows(1, 6, &mut rng);
        let x = Mat::from_fn(20, 6, |_, j| row[(0, j)]);
        let y = vec![0.7; 20];
        let mut stepped = net.clone();
        let h1t = stepped.hidden1(x.as_ref());
        let h1 = h1t.transpose();
        let (_, _, g2) = net.clone().batch_gradients(x.as_ref(), &y);
        stepped.layer2_step(h1, &y, &mut rng);
        let c = stepped.cfg;
        let step = 4.0 * c.lr * (c.p2 as f64).sqrt() / (c.eps_init * c.p1 as f64);
        assert!(g2.norm_max() > 1e-3, "a gradient to see");
        let moved = (&net.w2 - &stepped.w2) - &g2 * faer::Scale(step / 2.0);
        assert!(moved.norm_max() < 1e-12, "{}", moved.norm_max());
    }

    #[test]
    fn the_phase_one_step_is_the_batch_averaged_gradient_times_sqrt_p1_over_eps_squared() {
        let mut rng = rng_from_u64(6);
        let cfg = ThreeLayerConfig { fraction_batch: 1.0, ..small() };
        let net = ThreeLayerNet::init(cfg, &mut rng);
        let (x, y) = data(20, 6, &mut rng);
        let (_, g1, _) = net.clone().batch_gradients(x.as_ref(), &y);
        let mut stepped = net.clone();
        stepped.layer1_step(x.as_ref(), &y, &mut rng);
        let step = (cfg.p1 as f64).sqrt() / (cfg.eps_init * cfg.eps_init);
        let moved = (&net.w1 - &stepped.w1) - &g1 * faer::Scale(step);
        assert!(moved.norm_max() < 1e-10, "{}", moved.norm_max());
    }

    #[test]
    fn the_readout_solves_the_ridge_normal_equations() {
        let mut rng = rng_from_u64(8);
        let mut net = ThreeLayerNet::init(small(), &mut rng);
        let (x, y) = data(50, 6, &mut rng);
        let h1t = net.hidden1(x.as_ref());
        net.ridge_readout(h1t.transpose(), &y).unwrap();
        let h2 = net.hidden2(h1t.transpose());
        // Gradient of |H2 w - y|^2 + lambda n |w|^2 vanishes at w3.
        for j in 0..net.cfg.p2 {
            let col = h2.col_as_slice(j);
            let resid: f64 = (0..50)
                .map(|i| {
                    let f: f64 = (0..net.cfg.p2).map(|k| h2[(i, k)] * net.w3[k]).sum();
                    col[i] * (f - y[i])
                })
                .sum();
            let g = resid + net.cfg.lambda_ridge * 50.0 * net.w3[j];
            assert!(g.abs() < 1e-10, "unit {j}: {g}");
        }
    }

    #[test]
    fn training_is_a_pure_function_of_the_stream_and_has_a_golden_value() {
        let run = || {
            let mut rng = rng_from_u64(11);
            let (x, y) = data(120, 6, &mut rng);
            let mut net = ThreeLayerNet::init(small(), &mut rng);
            net.train(x.as_ref(), &y, &mut rng).unwrap();
            let (xt, yt) = data(200, 6, &mut rng);
            let mse =
                net.predict(xt.as_ref()).iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>()
                    / 200.0;
            (mse, net.overlap(2))
        };
        let (a, b) = (run(), run());
        assert_eq!(a.0.to_bits(), b.0.to_bits());
        assert_eq!(a.1.to_bits(), b.1.to_bits());
        let golden = (0.3646487681451728, 0.6339281363152044);
        assert!((a.0 - golden.0).abs() < 1e-9 && (a.1 - golden.1).abs() < 1e-9, "{a:?}");
    }

    #[test]
    fn the_overlap_of_axis_aligned_rows_is_one_and_of_orthogonal_rows_zero() {
        let mut rng = rng_from_u64(1);
        let mut net = ThreeLayerNet::init(small(), &mut rng);
        net.w1 = Mat::from_fn(9, 6, |i, j| if j == i % 2 { 1.0 + i as f64 } else { 0.0 });
        assert!((net.overlap(2) - 1.0).abs() < 1e-15);
        net.w1 = Mat::from_fn(9, 6, |i, j| if j == 2 + i % 4 { 1.0 } else { 0.0 });
        assert_eq!(net.overlap(2), 0.0);
    }

    #[test]
    fn the_f32_network_starts_from_the_f64_draws_rounded() {
        let a = ThreeLayerNet::<f64>::init(small(), &mut rng_from_u64(4));
        let b = ThreeLayerNet::<f32>::init(small(), &mut rng_from_u64(4));
        for (i, j) in [(0, 0), (3, 5), (8, 2)] {
            assert_eq!(b.w1[(i, j)], a.w1[(i, j)] as f32);
        }
        assert_eq!(b.w2[(4, 8)], a.w2[(4, 8)] as f32);
        assert_eq!(b.b1[7], a.b1[7] as f32);
    }

    /// Both precisions draw the same minibatches (the stream does not depend on `T`), so they
    /// follow the same trajectory up to rounding: on this small run the test errors and
    /// overlaps agree to 1e-4 relative (f32's epsilon is 1.2e-7; 1e-4 leaves room for the
    /// growth of rounding over 30 steps, not for a different algorithm).
    #[test]
    fn f32_and_f64_training_agree_up_to_rounding() {
        fn run<T: NetFloat>() -> (f64, f64) {
            let mut rng = rng_from_u64(11);
            let (x, y) = data(120, 6, &mut rng);
            let mut net = ThreeLayerNet::<T>::init(small(), &mut rng);
            net.train(x.as_ref(), &y, &mut rng).unwrap();
            let (xt, yt) = data(200, 6, &mut rng);
            let xt = Mat::<T>::from_fn(200, 6, |i, j| T::of(xt[(i, j)]));
            let mse =
                net.predict(xt.as_ref()).iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>()
                    / 200.0;
            (mse, net.overlap(2))
        }
        let (a, b) = (run::<f64>(), run::<f32>());
        assert_ne!(a.0.to_bits(), b.0.to_bits(), "f32 must actually compute in f32");
        assert!(((a.0 - b.0) / a.0).abs() < 1e-4, "test MSE f64 {} f32 {}", a.0, b.0);
        assert!(((a.1 - b.1) / a.1).abs() < 1e-4, "M_W f64 {} f32 {}", a.1, b.1);
    }
}
