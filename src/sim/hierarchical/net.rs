//! The DenseNet-like quadratic network [`QuadNet`] (module docs): forward and backward as
//! faer GEMMs, its training [`Phase`]s, and online SGD on fresh batches.

use super::target::{Batch, HierarchicalTarget};
use super::DIVERGENCE_LOSS;
use crate::numerics::dense::gemm;
use crate::numerics::draw_gaussians;
use crate::numerics::NumericsError;
use crate::rng::Rng;
use faer::{Accum, Mat};

/// Which parameters a phase of training updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phase {
    /// Levels `1..=levels` are present (their readouts train); higher levels are absent.
    pub levels: usize,
    /// Levels whose weights $W_l, c_l$ train: `first_trained..=levels` (1-based).
    pub first_trained: usize,
}

/// Why training stopped early.
#[derive(Clone, Debug, PartialEq)]
pub struct Diverged {
    /// 1-based SGD step at which the batch loss was not finite or exceeded the limit.
    pub step: usize,
    /// The batch loss at that step.
    pub loss: f64,
}

/// The DenseNet-like quadratic network (module docs).
#[derive(Clone, Debug)]
pub struct QuadNet {
    /// $W_l$, $m_l \times m_{l-1}$ ($m_0 = d$).
    pub(super) w: Vec<Mat<f64>>,
    /// $c_l$ (level 1 has none: its entries stay 0).
    pub(super) c: Vec<Vec<f64>>,
    /// Readouts $a_l$.
    pub(super) a: Vec<Vec<f64>>,
    b: f64,
    /// Workspaces per level: pre-activations $P_l$ and features $H_l$ ($B \times m_l$).
    p: Vec<Mat<f64>>,
    h: Vec<Mat<f64>>,
    /// Gradients with respect to $H_l$, then $P_l$.
    g: Vec<Mat<f64>>,
    grad_w: Vec<Mat<f64>>,
    batch: usize,
    /// SGD steps taken so far (over every phase).
    steps: usize,
    /// Huber's threshold $\delta$ on the residual, if any ([`QuadNet::with_residual_clip`]).
    residual_clip: Option<f64>,
    /// The cap $u$ on the norm of one step's weight update, if any
    /// ([`QuadNet::with_update_clip`]).
    update_clip: Option<f64>,
    /// The linear skip $S$ ($m_2 \times m_1$) from level 1's pre-activations $P_1 = W_1 x$
    /// into level 2, and its gradient, if any ([`QuadNet::with_level2_skip`]).
    pub(super) skip: Option<(Mat<f64>, Mat<f64>)>,
}

impl QuadNet {
    /// A network on $\mathbb R^d$ with the given widths $m_1, \dots, m_L$ and mini-batch size;
    /// $W_1$ has rows $N(0, \varsigma_1^2 I_d / d)$, $W_l$ ($l \ge 2$) entries
    /// $N(0, \varsigma_l^2 / m_{l-1})$ with $\varsigma_l$ = `init_scales[l-1]`; $c$, $a$, $b$
    /// start at 0.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] for a zero width, batch or dimension, or a scale that
    /// is not finite and positive.
    pub fn new(
        d: usize,
        widths: &[usize],
        batch: usize,
        init_scales: &[f64],
        rng: &mut Rng,
    ) -> Result<QuadNet, NumericsError> {
        if init_scales.len() != widths.len() {
            return Err(NumericsError::DimensionMismatch {
                what: "initial scales (one per level)",
                expected: widths.len(),
                found: init_scales.len(),
            });
        }
        if d == 0 || batch == 0 || widths.is_empty() || widths.contains(&0) {
            return Err(NumericsError::InvalidParameter {
                name: "a width, the batch or d",
                value: 0.0,
                requirement: "every width, the batch size and d must be ≥ 1",
            });
        }
        if let Some(&bad) = init_scales.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(NumericsError::InvalidParameter {
                name: "initial scale",
                value: bad,
                requirement: "it must be finite and > 0",
            });
        }
        let mut w = Vec::new();
        let mut fan_in = d;
        for (&m, &scale) in widths.iter().zip(init_scales) {
            let sd = scale / (fan_in as f64).sqrt();
            let mut buf = vec![0.0; m * fan_in];
            draw_gaussians(&mut buf, rng);
            w.push(Mat::from_fn(m, fan_in, |i, j| sd * buf[i * fan_in + j]));
            fan_in = m;
        }
        let zeros = |m: usize| Mat::<f64>::zeros(batch, m);
        Ok(QuadNet {
            grad_w: w.iter().map(|wl| Mat::zeros(wl.nrows(), wl.ncols())).collect(),
            c: widths.iter().map(|&m| vec![0.0; m]).collect(),
            a: widths.iter().map(|&m| vec![0.0; m]).collect(),
            b: 0.0,
            p: widths.iter().map(|&m| zeros(m)).collect(),
            h: widths.iter().map(|&m| zeros(m)).collect(),
            g: widths.iter().map(|&m| zeros(m)).collect(),
            w,
            batch,
            steps: 0,
            residual_clip: None,
            update_clip: None,
            skip: None,
        })
    }

    /// The same network trained on Huber's loss with threshold $\delta$: each sample's residual
    /// $\hat f - y$ enters the gradient clipped to $[-\delta, \delta]$, so that one sample
    /// with a heavy-tailed label (a degree-8 term) or a runaway output cannot kick the
    /// quadratic units out of their basin. The reported batch loss stays the square loss.
    /// Without it (the default) the loss is the square loss.
    pub fn with_residual_clip(mut self, delta: f64) -> QuadNet {
        self.residual_clip = Some(delta);
        self
    }

    /// The same network with each step's weight update capped in norm: when
    /// $\eta\lVert(\nabla_{W_l})_l\rVert_F > u$ over the trained levels, the weights move by
    /// $u$ along the gradient instead (readouts, offsets and the skip are not capped). Huber's
    /// clip bounds each sample's residual, but a unit of level $L$ is a polynomial of degree
    /// $2^{L-1}$ in its input, so one large input still gives a large weight gradient; at
    /// $L = 4$ (degree 16) that runaway diverged in most runs (`backward-feature-correction`'s
    /// card). Without it (the default) the step is plain SGD, bit for bit.
    pub fn with_update_clip(mut self, cap: f64) -> QuadNet {
        self.update_clip = Some(cap);
        self
    }

    /// The same network with a linear skip into level 2: $P_2 = W_2 H_1 + S P_1 + c_2$ with
    /// $P_1 = W_1 x$ level 1's pre-activations, $S$ ($m_2 \times m_1$) drawn after every
    /// other weight with entries $N(0, \varsigma^2/m_1)$, trained with level 2. The DenseNet
    /// learner's connection from the linear directions of level 1 to level 2, which the
    /// `feature-bias` target ([`HierarchicalTarget::with_skip`]) needs to be representable.
    /// Without it (the default) level 2 reads $H_1$ only.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] below depth 2 or for a scale that is not finite
    /// and $> 0$.
    pub fn with_level2_skip(mut self, scale: f64, rng: &mut Rng) -> Result<QuadNet, NumericsError> {
        if self.depth() < 2 || !(scale.is_finite() && scale > 0.0) {
            return Err(NumericsError::InvalidParameter {
                name: "level-2 skip scale",
                value: scale,
                requirement: "depth ≥ 2 and a finite scale > 0",
            });
        }
        let (m2, m1) = (self.w[1].nrows(), self.w[0].nrows());
        let sd = scale / (m1 as f64).sqrt();
        let mut buf = vec![0.0; m2 * m1];
        draw_gaussians(&mut buf, rng);
        let s = Mat::from_fn(m2, m1, |i, j| sd * buf[i * m1 + j]);
        self.skip = Some((s, Mat::zeros(m2, m1)));
        Ok(self)
    }

    /// Depth (number of levels).
    pub fn depth(&self) -> usize {
        self.w.len()
    }

    /// The first-level weights $W_1$ ($m_1 \times d$).
    pub fn first_layer(&self) -> &Mat<f64> {
        &self.w[0]
    }

    /// Forward pass of the batch `x` ($B \times d$) through levels `1..=levels`; returns the
    /// outputs.
    pub(super) fn forward(&mut self, x: &Mat<f64>, levels: usize) -> Vec<f64> {
        let n = x.nrows();
        let mut out = vec![self.b; n];
        for l in 0..levels {
            let (before, rest) = self.h.split_at_mut(l);
            let input = if l == 0 { x.as_ref() } else { before[l - 1].as_ref() };
            let (p_lower, p_rest) = self.p.split_at_mut(l);
            let p = &mut p_rest[0];
            gemm(p.as_mut(), Accum::Replace, input, self.w[l].transpose(), 1.0);
            if let (1, Some((skip, _))) = (l, &self.skip) {
                // P_2 += P_1 S^T (P_1 = W_1 x: level 1 has no bias).
                gemm(p.as_mut(), Accum::Add, p_lower[0].as_ref(), skip.transpose(), 1.0);
            }
            let h = &mut rest[0];
            let m = self.w[l].nrows();
            let shift: Vec<f64> = if l == 0 {
                // ||w_r||² for every row r, summed over the columns in order: the fold of
                // `Iterator::sum` along each row, run column by column (contiguous reads).
                let mut norms = vec![std::iter::empty::<f64>().sum::<f64>(); m];
                for j in 0..self.w[0].ncols() {
                    for (s, v) in norms.iter_mut().zip(self.w[0].col_as_slice(j)) {
                        *s += v * v;
                    }
                }
                norms
            } else {
                vec![0.0; m]
            };
            for (r, &sh) in shift.iter().enumerate() {
                let c = self.c[l][r];
                let a = self.a[l][r];
                let pc = p.col_as_slice_mut(r);
                let hc = h.col_as_slice_mut(r);
                for ((pi, hi), oi) in pc.iter_mut().zip(hc.iter_mut()).zip(out.iter_mut()) {
                    *pi += c;
                    *hi = *pi * *pi - sh;
                    *oi += a * *hi;
                }
            }
        }
        out
    }

    /// Runs the rows of `x` (any number) through levels `1..=levels` in zero-padded batches,
    /// refilled column by column (contiguous copies); calls `each(net, start, rows, outputs)`
    /// after each batch, with the batch's workspaces filled.
    fn in_batches(
        &mut self,
        x: &Mat<f64>,
        levels: usize,
        mut each: impl FnMut(&QuadNet, usize, usize, Vec<f64>),
    ) {
        let mut start = 0;
        let mut chunk = Mat::<f64>::zeros(self.batch, x.ncols());
        while start < x.nrows() {
            let rows = (x.nrows() - start).min(self.batch);
            for j in 0..x.ncols() {
                let cj = chunk.col_as_slice_mut(j);
                cj[..rows].copy_from_slice(&x.col_as_slice(j)[start..start + rows]);
                cj[rows..].fill(0.0);
            }
            let out = self.forward(&chunk, levels);
            each(self, start, rows, out);
            start += rows;
        }
    }

    /// The learned level-`level` features $H_l$ (1-based) on the rows of `x` (any number of
    /// rows): an $n \times m_l$ matrix.
    pub fn level_features(&mut self, x: &Mat<f64>, level: usize) -> Mat<f64> {
        let level = level.clamp(1, self.depth());
        let m = self.w[level - 1].nrows();
        let mut features = Mat::<f64>::zeros(x.nrows(), m);
        self.in_batches(x, level, |net, start, rows, _| {
            for r in 0..m {
                features.col_as_slice_mut(r)[start..start + rows]
                    .copy_from_slice(&net.h[level - 1].col_as_slice(r)[..rows]);
            }
        });
        features
    }

    /// Predictions of the full network on the rows of `x` (any number of rows).
    pub fn predict(&mut self, x: &Mat<f64>) -> Vec<f64> {
        let levels = self.depth();
        let mut predictions = Vec::with_capacity(x.nrows());
        self.in_batches(x, levels, |_, _, rows, out| {
            predictions.extend_from_slice(&out[..rows]);
        });
        predictions
    }

    /// One SGD step on the batch `(x, y)` ($B$ rows) with step `eta` in `phase`; returns the
    /// batch loss $\frac{1}{2B}\sum_i (\hat f_i - y_i)^2$ before the step.
    pub fn step(&mut self, x: &Mat<f64>, y: &[f64], eta: f64, phase: Phase) -> f64 {
        let n = x.nrows();
        let levels = phase.levels.min(self.depth());
        let out = self.forward(x, levels);
        let res: Vec<f64> = match self.residual_clip {
            None => out.iter().zip(y).map(|(o, t)| (o - t) / n as f64).collect(),
            Some(delta) => {
                out.iter().zip(y).map(|(o, t)| (o - t).clamp(-delta, delta) / n as f64).collect()
            }
        };
        let loss =
            out.iter().zip(y).map(|(o, t)| (o - t) * (o - t)).sum::<f64>() / (2.0 * n as f64);
        // Backward, top level down. g[l] = dL/dH_l, then dL/dP_l in place.
        for l in (0..levels).rev() {
            let m = self.w[l].nrows();
            let mut h_sums = vec![0.0; m];
            {
                let (lower, upper) = self.g.split_at_mut(l + 1);
                let gl = &mut lower[l];
                if l + 1 < levels {
                    // dL/dH_l += dP_{l+1} W_{l+1}.
                    gemm(
                        gl.as_mut(),
                        Accum::Replace,
                        upper[0].as_ref(),
                        self.w[l + 1].as_ref(),
                        1.0,
                    );
                } else {
                    gl.fill(0.0);
                }
                for (r, h_sum) in h_sums.iter_mut().enumerate() {
                    let a = self.a[l][r];
                    let gc = gl.col_as_slice_mut(r);
                    let pc = self.p[l].col_as_slice(r);
                    let mut sum = 0.0;
                    for ((gi, ri), pi) in gc.iter_mut().zip(&res).zip(pc) {
                        let dh = *gi + ri * a;
                        sum += dh;
                        *gi = dh * 2.0 * pi;
                    }
                    *h_sum = sum;
                }
                if let (0, true, Some((skip, _))) = (l, levels >= 2, &self.skip) {
                    // dL/dP_1 += dL/dP_2 S through the skip.
                    gemm(gl.as_mut(), Accum::Add, upper[0].as_ref(), skip.as_ref(), 1.0);
                }
            }
            // Readout gradient (the features are at the current weights).
            for r in 0..m {
                let hc = self.h[l].col_as_slice(r);
                let ga: f64 = hc.iter().zip(&res).map(|(h, e)| h * e).sum();
                self.a[l][r] -= eta * ga;
            }
            let trained = l + 1 >= phase.first_trained;
            if trained {
                let input = if l == 0 { x.as_ref() } else { self.h[l - 1].as_ref() };
                gemm(
                    self.grad_w[l].as_mut(),
                    Accum::Replace,
                    self.g[l].as_ref().transpose(),
                    input,
                    1.0,
                );
                if l == 0 {
                    // The centring -||w_r||² adds -2 w_r Σ_i dL/dH_1[i, r].
                    for j in 0..self.w[0].ncols() {
                        let gw = self.grad_w[0].col_as_slice_mut(j);
                        for ((gv, wv), s) in
                            gw.iter_mut().zip(self.w[0].col_as_slice(j)).zip(&h_sums)
                        {
                            *gv -= 2.0 * s * wv;
                        }
                    }
                } else {
                    for r in 0..m {
                        let gc: f64 = self.g[l].col_as_slice(r).iter().sum();
                        self.c[l][r] -= eta * gc;
                    }
                    if let (1, Some((_, grad_s))) = (l, &mut self.skip) {
                        // dL/dS = dL/dP_2^T P_1.
                        gemm(
                            grad_s.as_mut(),
                            Accum::Replace,
                            self.g[1].as_ref().transpose(),
                            self.p[0].as_ref(),
                            1.0,
                        );
                    }
                }
            }
        }
        // Apply the weight steps after the whole backward pass (it read the old weights).
        let eta_w = self.weight_step(eta, levels, phase);
        for l in 0..levels {
            if l + 1 >= phase.first_trained {
                let (w, gw) = (&mut self.w[l], &self.grad_w[l]);
                for j in 0..w.ncols() {
                    let wc = w.col_as_slice_mut(j);
                    for (wv, gv) in wc.iter_mut().zip(gw.col_as_slice(j)) {
                        *wv -= eta_w * gv;
                    }
                }
            }
        }
        if let (true, Some((skip, grad_s))) =
            (levels >= 2 && phase.first_trained <= 2, &mut self.skip)
        {
            for j in 0..skip.ncols() {
                let sc = skip.col_as_slice_mut(j);
                for (sv, gv) in sc.iter_mut().zip(grad_s.col_as_slice(j)) {
                    *sv -= eta * gv;
                }
            }
        }
        self.b -= eta * res.iter().sum::<f64>();
        loss
    }

    /// The step the weights take: `eta`, or less when [`QuadNet::with_update_clip`]'s cap $u$
    /// is below $\eta$ times the norm of the trained levels' weight gradients.
    fn weight_step(&self, eta: f64, levels: usize, phase: Phase) -> f64 {
        let Some(cap) = self.update_clip else { return eta };
        let mut squares = 0.0;
        for gw in self.grad_w.iter().take(levels).skip(phase.first_trained.saturating_sub(1)) {
            for j in 0..gw.ncols() {
                squares += gw.col_as_slice(j).iter().map(|g| g * g).sum::<f64>();
            }
        }
        let norm = eta * squares.sqrt();
        if norm > cap {
            eta * cap / norm
        } else {
            eta
        }
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        // Branch-free folds over contiguous columns (vectorised), not short-circuiting `all`.
        let finite = |v: &[f64]| v.iter().fold(true, |ok, t| ok & t.is_finite());
        self.b.is_finite()
            && self.w.iter().all(|w| (0..w.ncols()).all(|j| finite(w.col_as_slice(j))))
            && self.a.iter().chain(&self.c).all(|v| finite(v))
            && self
                .skip
                .as_ref()
                .is_none_or(|(s, _)| (0..s.ncols()).all(|j| finite(s.col_as_slice(j))))
    }

    /// Runs `steps` SGD steps of `phase` on fresh batches of `target`, numbered on from the
    /// steps already taken (the first step of a new network is 1); calls `each(step, net)`
    /// after every step.
    ///
    /// # Errors
    /// [`Diverged`] at the first step whose batch loss is not finite or exceeds
    /// [`DIVERGENCE_LOSS`] (or leaves a parameter that is not finite).
    pub fn train(
        &mut self,
        target: &HierarchicalTarget,
        phase: Phase,
        steps: usize,
        eta: f64,
        rng: &mut Rng,
        mut each: impl FnMut(usize, &QuadNet),
    ) -> Result<(), Diverged> {
        let mut batch = Batch::new(target, self.batch);
        for _ in 0..steps {
            target.sample_into(&mut batch, rng);
            let loss = self.step(&batch.x, &batch.y, eta, phase);
            self.steps += 1;
            let step = self.steps;
            if !(loss.is_finite() && loss <= DIVERGENCE_LOSS && self.is_finite()) {
                return Err(Diverged { step, loss });
            }
            each(step, self);
        }
        Ok(())
    }
}
