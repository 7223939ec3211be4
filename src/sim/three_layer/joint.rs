//! The reference's **joint** training of the three-layer network (`joint_training` of
//! `ThreeLayerNN`, IdePHICS/ComputationalDepth at commit 04485f3, `Codes/utils.py`; called from
//! `Codes/RunExperiment.py` with `max_iter_joint = max_iter2`): all three layers by minibatch GD
//! at once, no ridge readout. The learner of Fig. 2's "joint" curve (arXiv:2502.13961v4, Fig. 2
//! and App. F.4); conventions beside the layer-wise ones in `docs/theory/depth-advantage.md`.
//!
//! From the same initialisation as the layer-wise net ([`ThreeLayerNet::init`]), for
//! $\lfloor$`max_iter2`$/f\rfloor$ steps, each on a fresh minibatch of $m = \lfloor f n\rfloor$
//! rows ($e = \hat f - y$ on the batch, every gradient taken at the step's starting weights):
//! * $G_1 = \frac1m \sum_{\rm batch} \partial_{W_1}$ (averaged over the **batch**),
//!   $G_2 = \frac1n \sum_{\rm batch} \partial_{W_2}$ and $g_3 = \frac1n \sum_{\rm batch} e\,
//!   h_2$ (divided by the **full** $n$: the reference's quirk of its phase 2, kept);
//! * $W_1 \leftarrow W_1 - c\,\eta\big(\sqrt{p_1}\,G_1/\epsilon^2 + r_1 W_1\big)$,
//!   $W_2 \leftarrow W_2 - c\,\eta\big(\sqrt{p_2}\,G_2/(\epsilon p_1) + r_2 W_2/d^{1.5}\big)$,
//!   $w_3 \leftarrow w_3 - c\,\eta\big(g_3/(\epsilon p_2) + r_3 w_3\big)$, with $c$ =
//!   [`JOINT_LR_FACTOR`] = 0.15 (the paper's App. F.4 writes 0.2; the code has 0.15) and no
//!   factor 4 on $W_2$ (the layer-wise phase 2 has one);
//! * $r_3$ is the configuration's `lambda_ridge` field: the reference builds the joint net
//!   with `lambda_ridge = reg3_setup_joint` ("here lambda_ridge plays the role of reg3");
//!   `Example.yaml` has $r_1 = 0$, $r_2 = 0.01$, $r_3 = 0$ ([`ThreeLayerConfig::joint_example`]).
//!
//! The test error is the trained network's own output (no readout). Bookkeeping as the
//! layer-wise phases: batch rows in increasing order, row-major samples, faer GEMMs with
//! `Par::Seq` on the net's batch buffers; the same float type `T` and the same f64 draws.

use super::{gather_rows, NetFloat, SightRun, ThreeLayerConfig, ThreeLayerNet};
use crate::numerics::clear_avx_upper;
use crate::numerics::dense::gemm;
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use faer::{Accum, Mat, MatRef};

/// The joint training's step-size factor `0.15` of the reference's `joint_training` (the
/// paper's App. F.4 states 0.2; the code is followed).
pub const JOINT_LR_FACTOR: f64 = 0.15;

impl ThreeLayerConfig {
    /// The joint net of the reference's `Example.yaml` at input dimension `d`, widths `p1`,
    /// `p2` and `max_iter2` GD iterations: lr 1, $r_1 = 0$, $r_2 = 0.01$, $r_3 = 0$ (in
    /// `lambda_ridge`, as the reference), eps_init 0.2, fraction 0.7. `max_iter1` is unused.
    pub fn joint_example(d: usize, p1: usize, p2: usize, max_iter2: usize) -> ThreeLayerConfig {
        ThreeLayerConfig {
            d,
            p1,
            p2,
            lr: 1.0,
            reg1: 0.0,
            reg2: 0.01,
            lambda_ridge: 0.0,
            eps_init: 0.2,
            fraction_batch: 0.7,
            max_iter1: 0,
            max_iter2,
        }
    }
}

impl<T: NetFloat> ThreeLayerNet<T> {
    /// Forward and backward pass on the batch `xb` (rows = the buffers' rows) with labels
    /// `yb`: fills `grad_w1` (averaged over the batch), `grad_w2` and `gw3` (sums over the
    /// batch divided by `n_full`). Returns the batch loss $\frac12$ mean $e^2$.
    fn joint_pass(&mut self, xb: MatRef<'_, T>, yb: &[T], n_full: usize, gw3: &mut [T]) -> f64 {
        let m = xb.nrows();
        self.first_layer(xb);
        self.second_layer_and_error(false, yb);
        let loss = self.loss();
        let inv_n = T::of(1.0 / n_full as f64);
        for (j, g) in gw3.iter_mut().enumerate() {
            let mut s = T::ZERO;
            for (&e, &h) in self.out.iter().zip(self.h2.col_as_slice(j)) {
                s += e * h;
            }
            *g = s * inv_n;
        }
        self.back_second();
        gemm(
            self.grad_w2.as_mut(),
            Accum::Replace,
            self.h2.as_ref().transpose(),
            self.h1.as_ref(),
            inv_n,
        );
        self.back_first();
        gemm(
            self.grad_w1.as_mut(),
            Accum::Replace,
            self.g1.as_ref().transpose(),
            xb,
            T::of(1.0 / m as f64),
        );
        loss
    }

    /// The joint pass's gradients on the batch `(x, y)` with respect to $W_1$, $W_2$, $w_3$,
    /// $W_2$'s and $w_3$'s divided by `n_full` (the batch's size gives the plain gradients of
    /// $\frac{1}{2B}\sum e^2$), and the loss. For tests: [`ThreeLayerNet::joint_step`] runs the
    /// same pass.
    pub fn joint_gradients(
        &mut self,
        x: MatRef<'_, T>,
        y: &[T],
        n_full: usize,
    ) -> (f64, Mat<T>, Mat<T>, Vec<T>) {
        self.resize(x.nrows());
        let mut gw3 = vec![T::ZERO; self.cfg.p2];
        let loss = self.joint_pass(x, y, n_full, &mut gw3);
        clear_avx_upper();
        (loss, self.grad_w1.clone(), self.grad_w2.clone(), gw3)
    }

    /// One joint step on a fresh minibatch of `(x, y)` (`x` row-major, as
    /// [`ThreeLayerNet::layer1_step`]'s): all three layers move, from gradients taken at the
    /// step's starting weights. Returns the minibatch loss before the step.
    pub fn joint_step(&mut self, x: MatRef<'_, T>, y: &[T], gw3: &mut [T], rng: &mut Rng) -> f64 {
        let (n, m) = (x.nrows(), self.cfg.batch(x.nrows()));
        self.resize(m);
        self.batch.draw(n, m, rng);
        gather_rows(&mut self.xbt, x, &self.batch.rows);
        let xbt = std::mem::replace(&mut self.xbt, Mat::zeros(0, 0));
        let mut yb = std::mem::take(&mut self.yb);
        for (t, &i) in yb.iter_mut().zip(&self.batch.rows) {
            *t = y[i];
        }
        let loss = self.joint_pass(xbt.transpose(), &yb, n, gw3);
        self.yb = yb;
        self.xbt = xbt;
        let c = self.cfg;
        let lr = JOINT_LR_FACTOR * c.lr;
        let (step1, decay1) = (lr * (c.p1 as f64).sqrt() / (c.eps_init * c.eps_init), lr * c.reg1);
        let step2 = lr * (c.p2 as f64).sqrt() / (c.eps_init * c.p1 as f64);
        let decay2 = lr * c.reg2 / (c.d as f64).powf(1.5);
        let (step3, decay3) = (lr / (c.eps_init * c.p2 as f64), lr * c.lambda_ridge);
        let (step1, decay1, step2, decay2) =
            (T::of(step1), T::of(decay1), T::of(step2), T::of(decay2));
        for j in 0..c.d {
            let g = self.grad_w1.col_as_slice(j);
            for (w, &gv) in self.w1.col_as_slice_mut(j).iter_mut().zip(g) {
                *w -= step1 * gv + decay1 * *w;
            }
        }
        for j in 0..c.p1 {
            let g = self.grad_w2.col_as_slice(j);
            for (w, &gv) in self.w2.col_as_slice_mut(j).iter_mut().zip(g) {
                *w -= step2 * gv + decay2 * *w;
            }
        }
        let (step3, decay3) = (T::of(step3), T::of(decay3));
        for (w, &gv) in self.w3.iter_mut().zip(gw3.iter()) {
            *w -= step3 * gv + decay3 * *w;
        }
        loss
    }

    /// The reference's joint training on `(x, y)`: $\lfloor$`max_iter2`$/f\rfloor$ joint
    /// steps from the current weights (no readout). Returns the last minibatch loss, or why it
    /// diverged (a non-finite loss or weight).
    ///
    /// # Errors
    /// A non-finite loss or weight at the end.
    pub fn train_joint(
        &mut self,
        x: MatRef<'_, f64>,
        y: &[f64],
        rng: &mut Rng,
    ) -> Result<f64, String> {
        let c = self.cfg;
        let y_t: Vec<T> = y.iter().map(|&t| T::of(t)).collect();
        let xt = Mat::<T>::from_fn(x.ncols(), x.nrows(), |j, i| T::of(x[(i, j)]));
        let mut gw3 = vec![T::ZERO; c.p2];
        let mut last = f64::NAN;
        for _ in 0..c.steps(c.max_iter2) {
            last = self.joint_step(xt.transpose(), &y_t, &mut gw3, rng);
        }
        clear_avx_upper();
        let finite = |w: &Mat<T>| w.col_iter().all(|c| c.iter().all(|v| v.f64().is_finite()));
        if !last.is_finite()
            || !finite(&self.w1)
            || !finite(&self.w2)
            || self.w3.iter().any(|v| !v.f64().is_finite())
        {
            return Err(format!("joint training diverged (minibatch loss {last})"));
        }
        Ok(last)
    }
}

/// One run of the reference's joint training on a SIGHT target, in [`super::run_sight`]'s draw
/// order (test points, training points, the network), then the joint steps; the test error of
/// the network's own output and $M_W$ after training.
///
/// # Errors
/// Why the training broke down (a non-finite loss or weight, a non-finite test error).
pub fn run_sight_joint<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    test: usize,
    rng: &mut Rng,
) -> Result<SightRun, String> {
    super::sight_run::run_sight_with::<T>(cfg, target, n, test, rng, |net, x, y, rng| {
        net.train_joint(x, y, rng).map(drop)
    })
}
