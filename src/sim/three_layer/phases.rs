//! The reference's two training phases: the minibatch draw, one GD step on $W_1$ (phase 1)
//! or on $W_2$ (phase 2), and the whole layer-wise training.

use super::{NetFloat, ThreeLayerNet, Training, TrainingStep};
use crate::numerics::clear_avx_upper;
use crate::numerics::dense::gemm;
use crate::rng::Rng;
use faer::{Accum, Mat, MatRef};
use rand::RngExt;

impl<T: NetFloat> ThreeLayerNet<T> {
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

    /// Phase 1 of [`ThreeLayerNet::train`]: `max_iter1` GD iterations on the first layer
    /// (layers 2 and 3 at their initial values), on row-major copies of the samples. Returns
    /// the last minibatch loss, or why it diverged.
    pub(super) fn phase1(
        &mut self,
        x: MatRef<'_, f64>,
        y: &[T],
        rng: &mut Rng,
    ) -> Result<f64, String> {
        self.phase1_observed(x, y, rng, &mut |_, _| {})
    }

    /// [`ThreeLayerNet::phase1`], calling `observe` after every step.
    fn phase1_observed(
        &mut self,
        x: MatRef<'_, f64>,
        y: &[T],
        rng: &mut Rng,
        observe: &mut dyn FnMut(&Self, TrainingStep),
    ) -> Result<f64, String> {
        let xt = Mat::<T>::from_fn(x.ncols(), x.nrows(), |j, i| T::of(x[(i, j)]));
        let mut last_loss1 = f64::NAN;
        for step in 1..=self.cfg.steps(self.cfg.max_iter1) {
            last_loss1 = self.layer1_step(xt.transpose(), y, rng);
            observe(self, TrainingStep { phase: 1, step });
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
        self.train_observed(x, y, rng, &mut |_, _| {})
    }

    /// [`ThreeLayerNet::train`], calling `observe` with the network before the first step
    /// (`TrainingStep { phase: 1, step: 0 }`) and after every GD step of either phase (steps
    /// counted from 1 within each phase), before the readout. The observer only reads: the
    /// training's operations and draws are [`ThreeLayerNet::train`]'s.
    ///
    /// # Errors
    /// As [`ThreeLayerNet::train`].
    pub fn train_observed(
        &mut self,
        x: MatRef<'_, f64>,
        y: &[f64],
        rng: &mut Rng,
        observe: &mut dyn FnMut(&Self, TrainingStep),
    ) -> Result<Training, String> {
        let c = self.cfg;
        let y_t: Vec<T> = y.iter().map(|&t| T::of(t)).collect();
        observe(self, TrainingStep { phase: 1, step: 0 });
        let last_loss1 = self.phase1_observed(x, &y_t, rng, observe)?;
        // The frozen first layer on all samples, from column-major samples as the f64
        // version always did (a GEMM's rounding may depend on the operands' layout).
        let x_cols = Mat::<T>::from_fn(x.nrows(), x.ncols(), |i, j| T::of(x[(i, j)]));
        let h1t = self.hidden1(x_cols.as_ref());
        let h1_all = h1t.transpose();
        let mut last_loss2 = f64::NAN;
        for step in 1..=c.steps(c.max_iter2) {
            last_loss2 = self.layer2_step(h1_all, &y_t, rng);
            observe(self, TrainingStep { phase: 2, step });
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
