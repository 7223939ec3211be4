//! The reference's two-layer ReLU baseline (`TwoLayerNN` of IdePHICS/ComputationalDepth,
//! `Codes/utils.py`: `train_layer1`, then `ridge_regression_update_W2`), the "2-layer" curve of
//! Dandi, Pesce, Zdeborová and Krzakala, arXiv:2502.13961v4 (Fig. 2, App. F.4), in f64 or, as
//! the reference, f32 ([`NetFloat`]):
//!
//! $$ \hat f(x) = w_2^\top \mathrm{relu}(W_1 x + b_1), $$
//!
//! $W_1 \in \mathbb{R}^{p\times d}$, $w_2 \in \mathbb{R}^p$, $b_1$ fixed at its draw.
//! Initialisation (the reference's order): $W_1 \sim N(0, 1/d)$, $w_2 \sim \epsilon N(0, 1/p)$,
//! $b_1 \sim U(-1, 1)$, then $b_2 \sim \epsilon U(-1,1)$, drawn and never used (the reference's
//! forward pass has no output bias; the draw keeps its stream).
//!
//! Training on $n$ samples, each step on a minibatch of $\lfloor 0.7 n\rfloor$ rows (as
//! [`crate::sim::three_layer`]), error $e = \hat f - y$, $w_2$ frozen at its initial value:
//! * $\lfloor$`max_iter`$/0.7\rfloor$ steps of $W_1 \leftarrow W_1 - \eta\big(\sqrt{p}\,
//!   G_1/\epsilon + r W_1\big)$, $G_1$ the gradient of $\frac12$ mean $e^2$ averaged over the
//!   minibatch (note $\epsilon$, not the three-layer net's $\epsilon^2$);
//! * readout: $w_2 = (H_1^\top H_1 + \lambda n I)^{-1} H_1^\top y$ on all $n$ samples.
//!
//! The reference's run (`RunExperiment.py`, `FlagTrain2Layer`) uses `max_iter` = the
//! three-layer net's `max_iter2` = int(`coef_iter` $d^{1.5}$), $p$ = int($p_1$/15), weight
//! decay $r = 0.01$ and $\lambda = 1$ (`Example.yaml`).
//!
//! Bookkeeping as in [`crate::sim::three_layer`]: rows of a minibatch in increasing order,
//! samples stored row-major so that a gather is one contiguous copy, faer GEMMs with
//! `Par::Seq`; draws, losses and the readout's solve in f64 whatever `T`.
//!
//! **Architecture Invariant:** pure numerics; every random number comes from the `&mut Rng`
//! passed in, in a fixed order.

use crate::numerics::clear_avx_upper;
use crate::numerics::dense::gemm;
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use crate::sim::three_layer::{
    gather_rows, relu_features_t, ridge_weights, Minibatch, NetFloat, SightData,
};
use faer::{Accum, Mat, MatRef};
use rand::RngExt;

/// The hyper-parameters of the reference's two-layer baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TwoLayerConfig {
    /// Input dimension $d$.
    pub d: usize,
    /// Hidden width $p$.
    pub p: usize,
    /// Learning rate $\eta$ (`lr`).
    pub lr: f64,
    /// Weight decay $r$ (`reg1_setup_2layer`).
    pub reg: f64,
    /// Readout ridge $\lambda$ (`lambda_ridge_setup_2layer`): $\lambda n I$.
    pub lambda_ridge: f64,
    /// Initialisation scale $\epsilon$ (`eps_init`).
    pub eps_init: f64,
    /// Minibatch fraction (`fraction_batch`).
    pub fraction_batch: f64,
    /// GD iterations `max_iter`: $\lfloor$`max_iter`$/f\rfloor$ minibatch steps.
    pub max_iter: usize,
}

impl TwoLayerConfig {
    /// The reference's settings (`Example.yaml`: lr 1, weight decay 0.01, ridge 1, eps_init
    /// 0.2, fraction 0.7) at input dimension `d`, width `p` and `max_iter` iterations.
    pub fn reference(d: usize, p: usize, max_iter: usize) -> TwoLayerConfig {
        TwoLayerConfig {
            d,
            p,
            lr: 1.0,
            reg: 0.01,
            lambda_ridge: 1.0,
            eps_init: 0.2,
            fraction_batch: 0.7,
            max_iter,
        }
    }

    /// Minibatch steps: `int(max_iter / fraction)`.
    pub fn steps(&self) -> usize {
        (self.max_iter as f64 / self.fraction_batch) as usize
    }
}

/// The network and its batch buffers (reused across steps).
#[derive(Clone, Debug)]
pub struct TwoLayerReluNet<T: NetFloat = f64> {
    cfg: TwoLayerConfig,
    /// $W_1$, $p \times d$.
    pub w1: Mat<T>,
    /// $w_2$, length $p$.
    pub w2: Vec<T>,
    /// $b_1$, length $p$.
    pub b1: Vec<T>,
    xbt: Mat<T>,
    h1: Mat<T>,
    out: Vec<T>,
    yb: Vec<T>,
    grad_w1: Mat<T>,
    batch: Minibatch,
}

impl<T: NetFloat> TwoLayerReluNet<T> {
    /// A network initialised as the reference does (draw order W1, W2, b1, b2, in f64, then
    /// rounded to `T`).
    pub fn init(cfg: TwoLayerConfig, rng: &mut Rng) -> TwoLayerReluNet<T> {
        let (d, p, eps) = (cfg.d, cfg.p, cfg.eps_init);
        let mut v = vec![0.0; p * d];
        draw_gaussians(&mut v, rng);
        let s1 = 1.0 / (d as f64).sqrt();
        let w1 = Mat::from_fn(p, d, |i, j| T::of(s1 * v[i * d + j]));
        let mut v = vec![0.0; p];
        draw_gaussians(&mut v, rng);
        let w2 = v.iter().map(|&g| T::of(eps * g / (p as f64).sqrt())).collect();
        let b1 = (0..p).map(|_| T::of(2.0 * rng.random::<f64>() - 1.0)).collect();
        let _unused_b2: f64 = rng.random();
        TwoLayerReluNet {
            cfg,
            w1,
            w2,
            b1,
            xbt: Mat::zeros(d, 0),
            h1: Mat::zeros(0, p),
            out: Vec::new(),
            yb: Vec::new(),
            grad_w1: Mat::zeros(p, d),
            batch: Minibatch::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &TwoLayerConfig {
        &self.cfg
    }

    /// Forward and backward on the batch `x` (rows) with labels `yb`: the error in `out`, and
    /// `h1` overwritten by $\partial L/\partial P_1 = e\, w_2^\top \odot \mathbf{1}(h_1 > 0)$.
    /// Returns the loss $\frac{1}{2B}\sum e^2$.
    fn forward_backward(&mut self, x: MatRef<'_, T>) -> f64 {
        let rows = x.nrows();
        if self.h1.nrows() != rows {
            self.h1 = Mat::zeros(rows, self.cfg.p);
            self.out = vec![T::ZERO; rows];
        }
        gemm(self.h1.as_mut(), Accum::Replace, x, self.w1.transpose(), T::of(1.0));
        self.out.iter_mut().for_each(|o| *o = T::ZERO);
        for (r, (&b, &a)) in self.b1.iter().zip(&self.w2).enumerate() {
            for (v, o) in self.h1.col_as_slice_mut(r).iter_mut().zip(self.out.iter_mut()) {
                *v = (*v + b).relu();
                *o += a * *v;
            }
        }
        for (o, &t) in self.out.iter_mut().zip(&self.yb) {
            *o -= t;
        }
        let loss = self.out.iter().map(|e| e.f64() * e.f64()).sum::<f64>() / (2.0 * rows as f64);
        for (r, &a) in self.w2.iter().enumerate() {
            for (v, &e) in self.h1.col_as_slice_mut(r).iter_mut().zip(&self.out) {
                // A select, not a branch: the mask vectorises.
                *v = if *v > T::ZERO { e * a } else { T::ZERO };
            }
        }
        loss
    }

    /// The gradient of $\frac{1}{2B}\sum_{i\le B} e_i^2$ on the batch `(x, y)` with respect to
    /// $W_1$, and the loss. For tests: the training step uses the same passes.
    pub fn batch_gradient(&mut self, x: MatRef<'_, T>, y: &[T]) -> (f64, Mat<T>) {
        self.yb = y.to_vec();
        let loss = self.forward_backward(x);
        let mut g = Mat::zeros(self.cfg.p, self.cfg.d);
        let scale = T::of(1.0 / x.nrows() as f64);
        gemm(g.as_mut(), Accum::Replace, self.h1.as_ref().transpose(), x, scale);
        (loss, g)
    }

    /// One step on a fresh minibatch of `(x, y)` (`x` row-major for contiguous gathers):
    /// $W_1 \leftarrow W_1 - \eta(\sqrt p\, G_1/\epsilon + r W_1)$. Returns the minibatch loss
    /// before the step.
    pub fn step(&mut self, x: MatRef<'_, T>, y: &[T], rng: &mut Rng) -> f64 {
        let c = self.cfg;
        let (n, m) = (x.nrows(), (x.nrows() as f64 * c.fraction_batch) as usize);
        if self.xbt.ncols() != m {
            self.xbt = Mat::zeros(c.d, m);
        }
        self.batch.draw(n, m, rng);
        gather_rows(&mut self.xbt, x, &self.batch.rows);
        self.yb.clear();
        self.yb.extend(self.batch.rows.iter().map(|&i| y[i]));
        let xbt = std::mem::replace(&mut self.xbt, Mat::zeros(0, 0));
        let loss = self.forward_backward(xbt.transpose());
        gemm(
            self.grad_w1.as_mut(),
            Accum::Replace,
            self.h1.as_ref().transpose(),
            xbt.transpose(),
            T::of(1.0 / m as f64),
        );
        self.xbt = xbt;
        let step = T::of(c.lr * (c.p as f64).sqrt() / c.eps_init);
        let decay = T::of(c.lr * c.reg);
        for j in 0..c.d {
            let g = self.grad_w1.col_as_slice(j);
            for (w, &gv) in self.w1.col_as_slice_mut(j).iter_mut().zip(g) {
                *w -= step * gv + decay * *w;
            }
        }
        loss
    }

    /// The reference's training on `(x, y)`: the first layer's GD, then the ridge readout on
    /// all samples. Returns the last minibatch loss, or why it broke down.
    ///
    /// # Errors
    /// A non-finite loss or weight, or a readout whose Gram matrix is not positive definite.
    pub fn train(&mut self, x: MatRef<'_, f64>, y: &[f64], rng: &mut Rng) -> Result<f64, String> {
        let xt = Mat::<T>::from_fn(x.ncols(), x.nrows(), |j, i| T::of(x[(i, j)]));
        let y_t: Vec<T> = y.iter().map(|&t| T::of(t)).collect();
        let mut last = f64::NAN;
        for _ in 0..self.cfg.steps() {
            last = self.step(xt.transpose(), &y_t, rng);
        }
        let w1_finite = (0..self.w1.ncols())
            .all(|j| self.w1.col_as_slice(j).iter().all(|w| w.f64().is_finite()));
        if !last.is_finite() || !w1_finite {
            clear_avx_upper();
            // The loss is computed before each step, so a finite last loss with a non-finite
            // W1 means the last step blew the weights up.
            let steps = self.cfg.steps();
            return Err(if last.is_finite() {
                format!(
                    "the first layer's GD diverged: W1 is not finite after the last of its \
                     {steps} steps (the minibatch loss before that step was {last:.3})"
                )
            } else {
                format!("the first layer's GD diverged: the last of its {steps} minibatch losses is {last}")
            });
        }
        let h1t = relu_features_t(self.w1.as_ref(), &self.b1, xt.transpose());
        self.w2 = ridge_weights(h1t.transpose(), y, self.cfg.lambda_ridge)?;
        clear_avx_upper();
        Ok(last)
    }

    /// Predictions on the rows of `x`.
    pub fn predict(&self, x: MatRef<'_, T>) -> Vec<f64> {
        let h1t = relu_features_t(self.w1.as_ref(), &self.b1, x);
        let out = (0..x.nrows())
            .map(|i| h1t.col_as_slice(i).iter().zip(&self.w2).map(|(&h, &a)| (h * a).f64()).sum())
            .collect();
        clear_avx_upper();
        out
    }
}

/// One run of the reference's two-layer baseline on a SIGHT target, as
/// [`crate::sim::three_layer::run_sight`] runs the three-layer net (the same draws in the same
/// order: test points, training points, then the network): the test mean squared error.
///
/// # Errors
/// Why the training broke down (a non-finite loss, a failed readout, a non-finite test error).
pub fn run_sight_two_layer<T: NetFloat>(
    cfg: TwoLayerConfig,
    target: &SightTarget,
    n: usize,
    test: usize,
    rng: &mut Rng,
) -> Result<f64, String> {
    let data = SightData::draw(target, cfg.d, n, test, rng);
    let mut net = TwoLayerReluNet::<T>::init(cfg, rng);
    net.train(data.x.as_ref(), &data.y, rng)?;
    data.test_error(|x| net.predict(x)).map(|(mse, _)| mse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;
    use crate::sim::three_layer::gaussian_rows;

    fn small() -> TwoLayerConfig {
        TwoLayerConfig::reference(6, 9, 10)
    }

    fn data(n: usize, d: usize, rng: &mut Rng) -> (Mat<f64>, Vec<f64>) {
        let x = gaussian_rows(n, d, rng);
        let y = (0..n).map(|i| (x[(i, 0)] * x[(i, 1)]).tanh() + 0.3).collect();
        (x, y)
    }

    #[test]
    fn the_gradient_matches_central_finite_differences() {
        let mut rng = rng_from_u64(3);
        let mut net = TwoLayerReluNet::<f64>::init(small(), &mut rng);
        // A larger readout than the init, so that the gradient is not tiny.
        net.w2.iter_mut().for_each(|v| *v *= 10.0);
        let (x, y) = data(40, 6, &mut rng);
        let (_, g) = net.batch_gradient(x.as_ref(), &y);
        let h = 1e-6;
        let loss = |n: &TwoLayerReluNet| n.clone().batch_gradient(x.as_ref(), &y).0;
        let mut worst: f64 = 0.0;
        for (i, j) in [(0, 0), (3, 1), (8, 5), (4, 2)] {
            let (mut plus, mut minus) = (net.clone(), net.clone());
            plus.w1[(i, j)] += h;
            minus.w1[(i, j)] -= h;
            let fd = (loss(&plus) - loss(&minus)) / (2.0 * h);
            worst = worst.max((fd - g[(i, j)]).abs() / (1e-6 + fd.abs()));
        }
        assert!(worst < 1e-5, "worst relative error {worst}");
    }

    /// The reference's step divides by eps_init once (the three-layer net's phase 1 divides by
    /// its square) and decays the weights by lr · reg.
    #[test]
    fn a_step_is_the_batch_averaged_gradient_times_sqrt_p_over_eps_plus_weight_decay() {
        let mut rng = rng_from_u64(6);
        let cfg = TwoLayerConfig { fraction_batch: 1.0, ..small() };
        let mut net = TwoLayerReluNet::<f64>::init(cfg, &mut rng);
        let (x, y) = data(20, 6, &mut rng);
        let (_, g) = net.clone().batch_gradient(x.as_ref(), &y);
        let before = net.w1.clone();
        net.step(x.as_ref(), &y, &mut rng);
        let step = (cfg.p as f64).sqrt() / cfg.eps_init;
        let moved = (&before - &net.w1) - &g * faer::Scale(step) - &before * faer::Scale(cfg.reg);
        assert!(moved.norm_max() < 1e-10, "{}", moved.norm_max());
    }

    #[test]
    fn the_readout_solves_the_ridge_normal_equations() {
        let mut rng = rng_from_u64(8);
        let mut net = TwoLayerReluNet::<f64>::init(small(), &mut rng);
        let (x, y) = data(50, 6, &mut rng);
        net.train(x.as_ref(), &y, &mut rng).unwrap();
        let h = relu_features_t(net.w1.as_ref(), &net.b1, x.as_ref());
        let p = net.cfg.p;
        for j in 0..p {
            let resid: f64 = (0..50)
                .map(|i| {
                    let f: f64 = (0..p).map(|k| h[(k, i)] * net.w2[k]).sum();
                    h[(j, i)] * (f - y[i])
                })
                .sum();
            let g = resid + net.cfg.lambda_ridge * 50.0 * net.w2[j];
            assert!(g.abs() < 1e-10, "unit {j}: {g}");
        }
    }

    #[test]
    fn training_is_a_pure_function_of_the_stream_and_has_a_golden_value() {
        fn run<T: NetFloat>() -> f64 {
            let mut rng = rng_from_u64(11);
            let (x, y) = data(120, 6, &mut rng);
            let mut net = TwoLayerReluNet::<T>::init(small(), &mut rng);
            net.train(x.as_ref(), &y, &mut rng).unwrap();
            let (xt, yt) = data(200, 6, &mut rng);
            let xt = Mat::<T>::from_fn(200, 6, |i, j| T::of(xt[(i, j)]));
            net.predict(xt.as_ref()).iter().zip(&yt).map(|(f, t)| (f - t).powi(2)).sum::<f64>()
                / 200.0
        }
        let (a, b) = (run::<f64>(), run::<f64>());
        assert_eq!(a.to_bits(), b.to_bits());
        let golden = 0.1536045068262837;
        assert!((a - golden).abs() < 1e-9, "{a:?}");
        // f32 follows the same stream: the same error up to rounding.
        let c = run::<f32>();
        assert_ne!(a.to_bits(), c.to_bits(), "f32 must actually compute in f32");
        assert!(((a - c) / a).abs() < 1e-4, "f64 {a}, f32 {c}");
    }

    /// On eq. 11 at d = 16 (d_eff = 4), 2000 samples: the net learns the degree-2 part, and the
    /// run is a pure function of the stream.
    #[test]
    fn on_a_sight_target_the_net_learns_and_is_deterministic() {
        use crate::sim::sight::{feature_coefficients, FeatureNormalisation, Link};
        let run = || {
            let mut rng = rng_from_u64(5);
            let feature = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
            let target = SightTarget::draw(16, 4, feature, Link::Tanh { scale: 3.0 }, &mut rng);
            let cfg = TwoLayerConfig::reference(16, 64, 100);
            run_sight_two_layer::<f32>(cfg, &target, 2000, 500, &mut rng).unwrap()
        };
        let mse = run();
        assert_eq!(mse.to_bits(), run().to_bits());
        // Well below the degree-1 plateau (0.565 at d_eff = 4: what a net that has not found W*
        // can reach), near the degree-2 one (0.219); this run gives 0.224.
        assert!(mse < 0.3, "test MSE {mse}");
    }

    #[test]
    fn a_diverging_run_is_an_error_not_a_panic() {
        let mut rng = rng_from_u64(2);
        let cfg = TwoLayerConfig { lr: 1e6, ..small() };
        let mut net = TwoLayerReluNet::<f64>::init(cfg, &mut rng);
        net.w2.iter_mut().for_each(|v| *v = 1e3);
        let (x, y) = data(30, 6, &mut rng);
        let e = net.train(x.as_ref(), &y, &mut rng).unwrap_err();
        assert!(e.contains("diverged") || e.contains("readout"), "{e}");
    }
}
