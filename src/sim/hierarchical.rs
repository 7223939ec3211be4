//! Hierarchical quadratic targets and a DenseNet-like quadratic network trained by online
//! SGD: the toy of check B2 (`shared/theory.md` §1.2) for backward feature correction.
//!
//! **Target** (our construction, after the abstract-level class of Allen-Zhu & Li): inputs
//! $x \sim N(0, I_d)$; by rotation invariance the level-1 directions $W_1^*$ ($k$ orthonormal
//! rows) are the first $k$ axes, $z = W_1^* x$. Level 1: $G_{1,j} = (z_j^2 - 1)/\sqrt 2$
//! (mean 0, variance 1, independent). Level $l \ge 2$: $u = V_l G_{l-1}$ with $V_l$ a random
//! $k \times k$ matrix with unit rows ([`LevelMaps`]: orthogonal, or independent Gaussian
//! directions), $G_{l,j} = (u_j^2 - \mu_{l,j})/s_{l,j}$ centred and normalised. Each term $T_l = \mathrm{sum}(G_l)/\sigma_l$ has mean 0 and variance 1, and the
//! target is $f^* = \sum_l \alpha_l T_l$ with $\alpha_1 = 1$, $\alpha_{l+1} = r_l \alpha_l$,
//! $0 < r_l < 1$. Total degree $2^L$.
//!
//! Normalisation is exact for levels 1 and 2: with $g = (z^2-1)/\sqrt 2$, $E g^4 = 15$, so for
//! unit rows $v_i$ of $V_2$, $\mu = 1$, $\mathrm{Cov}(u_i^2, u_j^2) = 2 (v_i\cdot v_j)^2 +
//! 12\sum_a v_{ia}^2 v_{ja}^2$, which gives $s_{2,j}$ and $\sigma_2$ in closed form. Levels
//! $\ge 3$ (whose inputs are no longer independent) are normalised by a Monte-Carlo pass of
//! [`MC_NORMALISATION`] samples drawn from the generator at construction.
//!
//! **Learner** (our construction, DenseNet-like as the paper's learner is described at the
//! abstract level): $h_1 = (W_1 x)^{2} - \lVert w_r\rVert^2$ (centred for Gaussian inputs),
//! $h_l = (W_l h_{l-1} + c_l)^{2}$ for $l \ge 2$, output $\hat f = \sum_l a_l^\top h_l + b$
//! (every level feeds the output: the skip connections). Square loss, mini-batch SGD on fresh
//! samples; forward and backward are faer GEMMs (`Par::Seq`, then
//! [`clear_avx_upper`](crate::numerics::clear_avx_upper)). A step whose batch loss is not finite
//! or exceeds [`DIVERGENCE_LOSS`] is a divergence, reported with its step.
//!
//! **Feature error** $E_1 = \lVert P_{\hat U} - P_{W_1^*}\rVert_F^2 / k$, with $\hat U$ the top-$k$
//! right singular subspace of $W_1$ (the top-$k$ eigenvectors of $W_1^\top W_1$): the mean of
//! $2\sin^2$ of the principal angles, in $[0, 2]$.
//!
//! **Architecture Invariant:** as the rest of `sim/`: no IO, no generator built here.

use crate::numerics::dense::gemm;
use crate::numerics::draw_gaussians;
use crate::numerics::{symmetric_eigen, NumericsError};
use crate::rng::Rng;
use faer::{Accum, Mat, MatRef};

/// Monte-Carlo samples that normalise levels $\ge 3$ of a target.
pub const MC_NORMALISATION: usize = 1 << 20;

/// A batch loss (half mean square) above this, or not finite, is a divergence.
pub const DIVERGENCE_LOSS: f64 = 1e6;

/// One level $l \ge 2$ of the target: $G_l = (V h - \mu)/s$ on $h = G_{l-1}$.
#[derive(Clone, Debug)]
struct TargetLevel {
    /// $V$ row-major ($k \times k$).
    v_rows: Vec<f64>,
    mu: Vec<f64>,
    s: Vec<f64>,
    /// Standard deviation of `sum(G_l)`.
    sigma: f64,
}

/// The hierarchical target $f^* = \sum_l \alpha_l\, \mathrm{sum}(G_l)/\sigma_l$ (module docs).
#[derive(Clone, Debug)]
pub struct HierarchicalTarget {
    d: usize,
    k: usize,
    alphas: Vec<f64>,
    levels: Vec<TargetLevel>,
}

/// How the maps $V_l$ between levels are drawn.
///
/// With orthogonal maps, $\sum_j (v_j \cdot G_1)^2 = \lVert G_1\rVert^2$: the level-2 term
/// differs from a $V$-free function of the level-1 features only through the unequal $s_j$
/// (Monte Carlo: correlation 0.99 with $\lVert G_1\rVert^2$), so level 2 carries little
/// hierarchy. Gaussian maps (independent uniformly random unit rows) make
/// $\mathrm{sum}(G_2)$ the quadratic form $G_1^\top M G_1$ with $M = V^\top
/// \mathrm{diag}(1/s) V$ not proportional to the identity, so it depends on $V$.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelMaps {
    /// A uniformly random orthogonal matrix (Gram–Schmidt on Gaussian rows): version 1 of the
    /// toy, which the depth-2 claims use.
    Orthogonal,
    /// $k$ independent uniformly random unit vectors (Gaussian rows normalised): not
    /// orthogonal, so every level depends on its map.
    Gaussian,
}

/// $k$ independent uniformly random unit rows (Gaussian rows, each normalised).
fn random_unit_rows(k: usize, rng: &mut Rng) -> Mat<f64> {
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(k);
    while rows.len() < k {
        let mut g = vec![0.0; k];
        draw_gaussians(&mut g, rng);
        let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 1e-8 {
            rows.push(g.iter().map(|v| v / norm).collect());
        }
    }
    Mat::from_fn(k, k, |i, j| rows[i][j])
}

/// A random $k \times k$ orthogonal matrix: Gram–Schmidt (twice) on Gaussian rows.
fn random_orthogonal(k: usize, rng: &mut Rng) -> Mat<f64> {
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(k);
    while rows.len() < k {
        let mut g = vec![0.0; k];
        draw_gaussians(&mut g, rng);
        for _ in 0..2 {
            for r in &rows {
                let p: f64 = r.iter().zip(&g).map(|(a, b)| a * b).sum();
                for (gi, ri) in g.iter_mut().zip(r) {
                    *gi -= p * ri;
                }
            }
        }
        let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 1e-8 {
            rows.push(g.iter().map(|v| v / norm).collect());
        }
    }
    Mat::from_fn(k, k, |i, j| rows[i][j])
}

impl HierarchicalTarget {
    /// A target of depth `alphas.len()` on $\mathbb R^d$ with $k$ features per level and the
    /// level weights `alphas` ($\alpha_1 \ge \alpha_2 \ge \dots > 0$ is the module's hypothesis;
    /// here they need only be finite). The maps $V_l$, drawn as `maps` says (and the
    /// Monte-Carlo samples of levels $\ge 3$), come from `rng`.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] for $k = 0$, $d < k$, no level, or a weight that is not
    /// finite.
    pub fn new(
        d: usize,
        k: usize,
        alphas: &[f64],
        maps: LevelMaps,
        rng: &mut Rng,
    ) -> Result<HierarchicalTarget, NumericsError> {
        if k == 0 || d < k {
            return Err(NumericsError::InvalidParameter {
                name: "feature count k",
                value: k as f64,
                requirement: "it must satisfy 1 ≤ k ≤ d",
            });
        }
        if alphas.is_empty() || alphas.iter().any(|a| !a.is_finite()) {
            return Err(NumericsError::InvalidParameter {
                name: "number of levels L",
                value: alphas.len() as f64,
                requirement: "at least one level, with finite weights α_l",
            });
        }
        let mut target = HierarchicalTarget { d, k, alphas: alphas.to_vec(), levels: Vec::new() };
        for l in 2..=alphas.len() {
            let v = match maps {
                LevelMaps::Orthogonal => random_orthogonal(k, rng),
                LevelMaps::Gaussian => random_unit_rows(k, rng),
            };
            let level = if l == 2 { exact_level_two(v) } else { target.monte_carlo_level(v, rng) };
            target.levels.push(level);
        }
        Ok(target)
    }

    /// Level $l \ge 3$: mean, variance and $\sigma_l$ from [`MC_NORMALISATION`] samples.
    fn monte_carlo_level(&self, v: Mat<f64>, rng: &mut Rng) -> TargetLevel {
        let k = self.k;
        let n = MC_NORMALISATION;
        let mut x = vec![0.0; k];
        let mut sq = vec![vec![0.0; k]; n];
        for row in sq.iter_mut() {
            draw_gaussians(&mut x, rng);
            let g = self.top_features(&x, self.levels.len() + 1);
            for (i, out) in row.iter_mut().enumerate() {
                let u: f64 = (0..k).map(|a| v[(i, a)] * g[a]).sum();
                *out = u * u;
            }
        }
        let nf = n as f64;
        let mu: Vec<f64> = (0..k).map(|i| sq.iter().map(|r| r[i]).sum::<f64>() / nf).collect();
        let s: Vec<f64> = (0..k)
            .map(|i| (sq.iter().map(|r| (r[i] - mu[i]).powi(2)).sum::<f64>() / nf).sqrt())
            .collect();
        let sums: Vec<f64> =
            sq.iter().map(|r| (0..k).map(|i| (r[i] - mu[i]) / s[i]).sum::<f64>()).collect();
        let sigma = (sums.iter().map(|t| t * t).sum::<f64>() / nf).sqrt();
        TargetLevel::new(v, mu, s, sigma)
    }

    /// Input dimension $d$.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// Features per level $k$.
    pub fn features(&self) -> usize {
        self.k
    }

    /// Depth $L$.
    pub fn depth(&self) -> usize {
        self.alphas.len()
    }

    /// $G_{\rm top}(z)$ of level `top` (1-based) from the first $k$ coordinates $z$.
    fn top_features(&self, z: &[f64], top: usize) -> Vec<f64> {
        let mut g: Vec<f64> = z.iter().map(|t| (t * t - 1.0) / std::f64::consts::SQRT_2).collect();
        for level in &self.levels[..top - 1] {
            g = level.apply(&g);
        }
        g
    }

    /// The level-`level` features $G_l(x)$ (1-based; $k$ values) of one input (its first $k$
    /// coordinates suffice).
    pub fn level_features(&self, x: &[f64], level: usize) -> Vec<f64> {
        self.top_features(&x[..self.k], level.clamp(1, self.depth()))
    }

    /// The terms $T_l(x) = \mathrm{sum}(G_l(x))/\sigma_l$, $l = 1..L$, of one input (its
    /// first $k$ coordinates suffice).
    pub fn terms(&self, x: &[f64]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.depth());
        let mut scratch = LabelScratch::new(self.k);
        self.each_term(x, &mut scratch, |t| out.push(t));
        out
    }

    /// Calls `each(T_l)` for $l = 1..L$ in order, computing the levels in `scratch` (no
    /// allocation): the arithmetic of [`HierarchicalTarget::terms`], operation for operation.
    #[inline]
    fn each_term(&self, x: &[f64], scratch: &mut LabelScratch, mut each: impl FnMut(f64)) {
        let k = self.k;
        let LabelScratch { g, next } = scratch;
        for (gi, t) in g.iter_mut().zip(&x[..k]) {
            *gi = (t * t - 1.0) / std::f64::consts::SQRT_2;
        }
        each(g.iter().sum::<f64>() / (k as f64).sqrt());
        for level in &self.levels {
            level.apply_into(g, next);
            std::mem::swap(g, next);
            each(g.iter().sum::<f64>() / level.sigma);
        }
    }

    /// $f^*(x) = \sum_l \alpha_l T_l(x)$ with the levels computed in `scratch`.
    #[inline]
    fn value_with(&self, x: &[f64], scratch: &mut LabelScratch) -> f64 {
        // The fold of `Iterator::sum` over the products α_l T_l, in the same order and from
        // the same start, so the labels keep their bits.
        let mut acc: f64 = std::iter::empty::<f64>().sum();
        let mut alphas = self.alphas.iter();
        self.each_term(x, scratch, |t| acc += t * alphas.next().copied().unwrap_or(0.0));
        acc
    }

    /// $f^*(x) = \sum_l \alpha_l T_l(x)$.
    pub fn value(&self, x: &[f64]) -> f64 {
        self.value_with(x, &mut LabelScratch::new(self.k))
    }

    /// `n` fresh inputs (rows of an $n \times d$ matrix, drawn row by row) and their labels.
    pub fn sample(&self, n: usize, rng: &mut Rng) -> (Mat<f64>, Vec<f64>) {
        let mut batch = Batch::new(self, n);
        self.sample_into(&mut batch, rng);
        (batch.x, batch.y)
    }

    /// Redraws `batch` in place: the same inputs and labels, bit for bit, as
    /// [`HierarchicalTarget::sample`] with the batch's row count, without allocating. The
    /// rows' Gaussians are drawn in one pass into a row-major buffer (the order of a
    /// row-by-row draw), labelled from it, then copied into the column-major matrix.
    ///
    /// # Panics
    /// If `batch` was made for another target's $d$ or $k$.
    pub fn sample_into(&self, batch: &mut Batch, rng: &mut Rng) {
        let d = self.d;
        assert!(batch.x.ncols() == d && batch.scratch.g.len() == self.k, "batch shape");
        draw_gaussians(&mut batch.rows, rng);
        for (yi, row) in batch.y.iter_mut().zip(batch.rows.chunks_exact(d)) {
            *yi = self.value_with(row, &mut batch.scratch);
        }
        let rows = MatRef::from_row_major_slice(&batch.rows, batch.x.nrows(), d);
        batch.x.copy_from(rows);
    }

    /// The level weights $\alpha_1, \dots, \alpha_L$.
    pub fn weights(&self) -> &[f64] {
        &self.alphas
    }
}

impl TargetLevel {
    fn new(v: Mat<f64>, mu: Vec<f64>, s: Vec<f64>, sigma: f64) -> TargetLevel {
        let k = v.nrows();
        let v_rows = (0..k * k).map(|t| v[(t / k, t % k)]).collect();
        TargetLevel { v_rows, mu, s, sigma }
    }

    fn apply(&self, g: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; g.len()];
        self.apply_into(g, &mut out);
        out
    }

    /// `out_i = ((V g)_i^2 - mu_i) / s_i`, each dot product summed in order of `a`.
    #[inline]
    fn apply_into(&self, g: &[f64], out: &mut [f64]) {
        let k = g.len();
        for (((o, row), mu), s) in
            out.iter_mut().zip(self.v_rows.chunks_exact(k)).zip(&self.mu).zip(&self.s)
        {
            let u: f64 = row.iter().zip(g).map(|(v, ga)| v * ga).sum();
            *o = (u * u - mu) / s;
        }
    }
}

/// Work vectors of one label computation (two levels' features).
#[derive(Clone, Debug)]
struct LabelScratch {
    g: Vec<f64>,
    next: Vec<f64>,
}

impl LabelScratch {
    fn new(k: usize) -> LabelScratch {
        LabelScratch { g: vec![0.0; k], next: vec![0.0; k] }
    }
}

/// A reusable batch of `n` inputs and labels of one target, redrawn in place by
/// [`HierarchicalTarget::sample_into`].
#[derive(Clone, Debug)]
pub struct Batch {
    x: Mat<f64>,
    y: Vec<f64>,
    /// The rows' Gaussians, row-major, in the order they are drawn.
    rows: Vec<f64>,
    scratch: LabelScratch,
}

impl Batch {
    /// An (all-zero) batch of `n` rows for `target`.
    pub fn new(target: &HierarchicalTarget, n: usize) -> Batch {
        Batch {
            x: Mat::zeros(n, target.d),
            y: vec![0.0; n],
            rows: vec![0.0; n * target.d],
            scratch: LabelScratch::new(target.k),
        }
    }

    /// The inputs ($n \times d$).
    pub fn x(&self) -> &Mat<f64> {
        &self.x
    }

    /// The labels $f^*(x_i)$.
    pub fn y(&self) -> &[f64] {
        &self.y
    }
}

/// Level 2 normalised exactly: inputs $g_a$ independent, mean 0, variance 1, $E g^4 = 15$.
fn exact_level_two(v: Mat<f64>) -> TargetLevel {
    let k = v.nrows();
    let rows: Vec<Vec<f64>> = (0..k).map(|i| (0..k).map(|a| v[(i, a)]).collect()).collect();
    let row = |i: usize| rows[i].iter().copied();
    let norm2: Vec<f64> = (0..k).map(|i| row(i).map(|t| t * t).sum()).collect();
    let cov = |i: usize, j: usize| {
        let dot: f64 = row(i).zip(row(j)).map(|(p, q)| p * q).sum();
        let quartic: f64 = row(i).zip(row(j)).map(|(p, q)| p * p * q * q).sum();
        // E u_i² u_j² - E u_i² E u_j² with E g⁴ - 3 = 12.
        2.0 * dot * dot + 12.0 * quartic
    };
    let s: Vec<f64> = (0..k).map(|i| cov(i, i).sqrt()).collect();
    let mut var = 0.0;
    for i in 0..k {
        for j in 0..k {
            var += cov(i, j) / (s[i] * s[j]);
        }
    }
    TargetLevel::new(v, norm2, s, var.sqrt())
}

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
    w: Vec<Mat<f64>>,
    /// $c_l$ (level 1 has none: its entries stay 0).
    c: Vec<Vec<f64>>,
    /// Readouts $a_l$.
    a: Vec<Vec<f64>>,
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
    fn forward(&mut self, x: &Mat<f64>, levels: usize) -> Vec<f64> {
        let n = x.nrows();
        let mut out = vec![self.b; n];
        for l in 0..levels {
            let (before, rest) = self.h.split_at_mut(l);
            let input = if l == 0 { x.as_ref() } else { before[l - 1].as_ref() };
            let p = &mut self.p[l];
            gemm(p.as_mut(), Accum::Replace, input, self.w[l].transpose(), 1.0);
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
                }
            }
        }
        // Apply the weight steps after the whole backward pass (it read the old weights).
        for l in 0..levels {
            if l + 1 >= phase.first_trained {
                let (w, gw) = (&mut self.w[l], &self.grad_w[l]);
                for j in 0..w.ncols() {
                    let wc = w.col_as_slice_mut(j);
                    for (wv, gv) in wc.iter_mut().zip(gw.col_as_slice(j)) {
                        *wv -= eta * gv;
                    }
                }
            }
        }
        self.b -= eta * res.iter().sum::<f64>();
        loss
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        // Branch-free folds over contiguous columns (vectorised), not short-circuiting `all`.
        let finite = |v: &[f64]| v.iter().fold(true, |ok, t| ok & t.is_finite());
        self.b.is_finite()
            && self.w.iter().all(|w| (0..w.ncols()).all(|j| finite(w.col_as_slice(j))))
            && self.a.iter().chain(&self.c).all(|v| finite(v))
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

/// $E_1 = \lVert P_{\hat U} - P_{W_1^*}\rVert_F^2/k$ for the top-$k$ right singular subspace
/// $\hat U$ of `w1` and $W_1^*$ the first $k$ axes: $2(1 - \lVert \hat U_{1..k}\rVert_F^2/k)$.
///
/// # Errors
/// [`NumericsError`] if the eigensolver fails (non-finite weights) or $k$ exceeds $d$.
pub fn feature_error(w1: &Mat<f64>, k: usize) -> Result<f64, NumericsError> {
    let d = w1.ncols();
    if k == 0 || k > d {
        return Err(NumericsError::InvalidParameter {
            name: "feature count k",
            value: k as f64,
            requirement: "it must satisfy 1 ≤ k ≤ d",
        });
    }
    let mut gram = Mat::<f64>::zeros(d, d);
    gemm(gram.as_mut(), Accum::Replace, w1.transpose(), w1.as_ref(), 1.0);
    let (_, vectors) = symmetric_eigen(gram.as_ref())?;
    // Eigenvalues are nondecreasing: the top k are the last k columns.
    let mut captured = 0.0;
    for c in d - k..d {
        for i in 0..k {
            captured += vectors[(i, c)] * vectors[(i, c)];
        }
    }
    Ok((2.0 * (1.0 - captured / k as f64)).max(0.0))
}

/// $E_l$, the level-$l$ feature error of `net` on the rows of `x`: for each true feature
/// $G_{l,j}$, the share of its variance that a least-squares fit on $[1, H_l]$ (the learned
/// level-$l$ features, an intercept) leaves unexplained on these points; the mean over $j$, in
/// $[0, 1]$. It is 0 when the learned level spans the true features (up to any invertible
/// linear map) and 1 when it carries nothing of them. The normal equations get a ridge of
/// $10^{-10}$ times their mean diagonal, only to keep a rank-deficient $H_l$ solvable.
///
/// # Errors
/// [`NumericsError`] if the normal equations are not positive definite (non-finite features)
/// or there are fewer points than columns.
pub fn level_feature_error(
    net: &mut QuadNet,
    target: &HierarchicalTarget,
    level: usize,
    x: &Mat<f64>,
) -> Result<f64, NumericsError> {
    let h = net.level_features(x, level);
    let (n, m) = (h.nrows(), h.ncols() + 1);
    if n <= m {
        return Err(NumericsError::InvalidParameter {
            name: "test points",
            value: n as f64,
            requirement: "more points than learned features + 1",
        });
    }
    let design = Mat::<f64>::from_fn(n, m, |i, c| if c == 0 { 1.0 } else { h[(i, c - 1)] });
    let mut normal = Mat::<f64>::zeros(m, m);
    gemm(normal.as_mut(), Accum::Replace, design.transpose(), design.as_ref(), 1.0);
    let ridge = 1e-10 * (0..m).map(|c| normal[(c, c)]).sum::<f64>() / m as f64;
    for c in 0..m {
        normal[(c, c)] += ridge;
    }
    crate::numerics::dense::cholesky_lower(normal.as_mut()).map_err(|_| {
        NumericsError::InvalidParameter {
            name: "learned features",
            value: f64::NAN,
            requirement: "finite, so that the normal equations are positive definite",
        }
    })?;
    let mut row = vec![0.0; x.ncols()];
    let truth: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            row.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
            target.level_features(&row, level)
        })
        .collect();
    let mut total = 0.0;
    for j in 0..target.features() {
        let y: Vec<f64> = truth.iter().map(|g| g[j]).collect();
        let mut coef: Vec<f64> = (0..m)
            .map(|c| design.col_as_slice(c).iter().zip(&y).map(|(a, b)| a * b).sum())
            .collect();
        crate::numerics::dense::solve_llt(normal.as_ref(), &mut coef);
        let mean = y.iter().sum::<f64>() / n as f64;
        let (mut res, mut var) = (0.0, 0.0);
        for (i, t) in y.iter().enumerate() {
            let fit: f64 = (0..m).map(|c| design[(i, c)] * coef[c]).sum();
            res += (t - fit) * (t - fit);
            var += (t - mean) * (t - mean);
        }
        total += (res / var).min(1.0);
    }
    crate::numerics::clear_avx_upper();
    Ok(total / target.features() as f64)
}

/// Mean square error of `net` against `target` on the rows of `x` with labels `y`.
pub fn test_error(net: &mut QuadNet, x: &Mat<f64>, y: &[f64]) -> f64 {
    let pred = net.predict(x);
    pred.iter().zip(y).map(|(p, t)| (p - t) * (p - t)).sum::<f64>() / y.len() as f64
}

// --- Claim `kernel-gap` (appended): the harmonic degree-4 part of a two-level target. ---

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
    /// `None` unless the depth is 2 (deeper targets have degree-4 parts from higher levels).
    pub fn quartic_coefficients(&self) -> Option<Mat<f64>> {
        if self.depth() != 2 {
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
    /// 2}{\sqrt k\,\sigma_2} \sum_j 1/s_j$.
    pub fn variance(&self) -> Option<f64> {
        if self.depth() != 2 {
            return None;
        }
        let level = &self.levels[0];
        let cov = 2.0 * std::f64::consts::SQRT_2 / ((self.k as f64).sqrt() * level.sigma)
            * level.s.iter().map(|s| 1.0 / s).sum::<f64>();
        let (a1, a2) = (self.alphas[0], self.alphas[1]);
        Some(a1 * a1 + a2 * a2 + 2.0 * a1 * a2 * cov)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    /// Mean and variance of each term by Monte Carlo on 2^20 samples. The mean's standard error
    /// is 0.001 (tolerance 0.01). Levels 1 and 2 are normalised exactly; the variance's standard
    /// error is about sqrt(κ/n) with kurtosis κ ≲ 40 for the degree-4 term, ≈ 0.006 (tolerance
    /// 0.03). Level 3 (degree 8) is normalised by Monte Carlo itself and is very heavy-tailed
    /// (two independent 2^20-sample estimates differed by 0.1 in a first run), so its
    /// tolerance is 0.25: it pins a gross error (a missing centring, a wrong level), not the
    /// third digit.
    #[test]
    fn every_term_is_centred_and_normalised() {
        for maps in [LevelMaps::Orthogonal, LevelMaps::Gaussian] {
            check_centred_and_normalised(maps);
        }
    }

    fn check_centred_and_normalised(maps: LevelMaps) {
        let mut rng = rng_from_u64(7);
        let target = HierarchicalTarget::new(12, 4, &[1.0, 0.3, 0.1], maps, &mut rng).unwrap();
        let n = 1 << 20;
        let mut sum = [0.0; 3];
        let mut sq = [0.0; 3];
        let mut x = vec![0.0; 12];
        for _ in 0..n {
            draw_gaussians(&mut x, &mut rng);
            for (l, t) in target.terms(&x).iter().enumerate() {
                sum[l] += t;
                sq[l] += t * t;
            }
        }
        for l in 0..3 {
            let mean = sum[l] / n as f64;
            let var = sq[l] / n as f64 - mean * mean;
            assert!(mean.abs() < 0.01, "{maps:?} level {}: mean {mean}", l + 1);
            let var_tol = if l < 2 { 0.03 } else { 0.25 };
            assert!((var - 1.0).abs() < var_tol, "{maps:?} level {}: variance {var}", l + 1);
        }
    }

    /// A level-1 net whose first layer is the truth spans $G_1$ exactly ($h_r = z_r^2 - 1$
    /// for $r \le k$): $E_1 = 0$; with rows orthogonal to $W_1^*$ it carries none of it:
    /// $E_1 \approx 1$ (minus the chance fit of $m + 1$ columns on $n$ points, ~$m/n$).
    #[test]
    fn the_level_feature_error_is_zero_on_the_truth_and_one_off_it() {
        let mut rng = rng_from_u64(9);
        let (d, k) = (10, 3);
        let target =
            HierarchicalTarget::new(d, k, &[1.0, 0.3], LevelMaps::Gaussian, &mut rng).unwrap();
        let x = Mat::from_fn(2000, d, |_, _| 0.0);
        let mut x = x;
        let mut row = vec![0.0; d];
        for i in 0..2000 {
            draw_gaussians(&mut row, &mut rng);
            row.iter().enumerate().for_each(|(j, v)| x[(i, j)] = *v);
        }
        let mut net = QuadNet::new(d, &[k, 4], 32, &[1.0, 1.0], &mut rng).unwrap();
        net.w[0] = Mat::from_fn(k, d, |r, j| if r == j { 1.0 } else { 0.0 });
        let on = level_feature_error(&mut net, &target, 1, &x).unwrap();
        assert!(on < 1e-12, "{on}");
        net.w[0] = Mat::from_fn(k, d, |r, j| if j == k + r { 1.0 } else { 0.0 });
        let off = level_feature_error(&mut net, &target, 1, &x).unwrap();
        assert!(off > 0.99, "{off}");
    }

    /// The reason for [`LevelMaps::Gaussian`]: with orthogonal maps the level-2 term is almost
    /// the V-free $\lVert G_1\rVert^2$ (correlation 0.994-0.999 in four draws at k = 4); with
    /// Gaussian maps it is not. 2^16 samples put the correlation's standard error below 0.01.
    #[test]
    fn gaussian_maps_make_level_two_depend_on_the_map() {
        let corr_with_norm = |maps: LevelMaps, seed: u64| {
            let mut rng = rng_from_u64(seed);
            let target = HierarchicalTarget::new(4, 4, &[1.0, 1.0], maps, &mut rng).unwrap();
            let n = 1 << 16;
            let (mut x, mut sa, mut sb, mut saa, mut sbb, mut sab) =
                (vec![0.0; 4], 0.0, 0.0, 0.0, 0.0, 0.0);
            for _ in 0..n {
                draw_gaussians(&mut x, &mut rng);
                let a = target.terms(&x)[1];
                let b: f64 = x.iter().map(|z| ((z * z - 1.0) / 2f64.sqrt()).powi(2)).sum();
                (sa, sb, saa, sbb, sab) = (sa + a, sb + b, saa + a * a, sbb + b * b, sab + a * b);
            }
            let nf = n as f64;
            let cov = sab / nf - sa * sb / (nf * nf);
            cov / ((saa / nf - (sa / nf).powi(2)) * (sbb / nf - (sb / nf).powi(2))).sqrt()
        };
        for seed in 1..=3 {
            let orthogonal = corr_with_norm(LevelMaps::Orthogonal, seed);
            let gaussian = corr_with_norm(LevelMaps::Gaussian, seed);
            assert!(orthogonal > 0.98, "seed {seed}: orthogonal maps, correlation {orthogonal}");
            assert!(gaussian < 0.95, "seed {seed}: Gaussian maps, correlation {gaussian}");
        }
    }

    #[test]
    fn level_two_normalisation_is_exact_for_the_identity_map() {
        // V = I: u_i = g_i, Var(g²) = E g⁴ - 1 = 14 = 2 + 12; Cov = 0 off the diagonal.
        let level = exact_level_two(Mat::<f64>::identity(3, 3));
        for &s in &level.s {
            assert!((s * s - 14.0).abs() < 1e-12);
        }
        assert!((level.sigma - 3f64.sqrt()).abs() < 1e-12);
        assert_eq!(level.mu, vec![1.0; 3]);
    }

    #[test]
    fn feature_error_is_zero_on_the_truth_and_two_off_it() {
        let w =
            Mat::<f64>::from_fn(6, 10, |i, j| if i == j && i < 3 { 2.0 + i as f64 } else { 0.0 });
        assert!(feature_error(&w, 3).unwrap() < 1e-12);
        let w = Mat::<f64>::from_fn(3, 10, |i, j| if j == i + 5 { 1.0 + i as f64 } else { 0.0 });
        assert!((feature_error(&w, 3).unwrap() - 2.0).abs() < 1e-12);
    }

    /// The analytic gradient of the batch loss against central differences, for every
    /// parameter group of a 3-level net.
    #[test]
    fn gradients_match_finite_differences() {
        let mut rng = rng_from_u64(3);
        let target =
            HierarchicalTarget::new(5, 2, &[1.0, 0.5, 0.2], LevelMaps::Orthogonal, &mut rng)
                .unwrap();
        let net = QuadNet::new(5, &[3, 3, 2], 4, &[0.7, 0.7, 0.7], &mut rng).unwrap();
        let mut net = net;
        for a in net.a.iter_mut() {
            for (i, v) in a.iter_mut().enumerate() {
                *v = 0.3 - 0.2 * i as f64;
            }
        }
        net.c[1][0] = 0.1;
        net.c[2][1] = -0.2;
        let (x, y) = target.sample(4, &mut rng);
        let phase = Phase { levels: 3, first_trained: 1 };
        let loss_at = |n: &QuadNet| {
            let mut n = n.clone();
            let out = n.forward(&x, 3);
            out.iter().zip(&y).map(|(o, t)| (o - t) * (o - t)).sum::<f64>() / 8.0
        };
        let eta = 1e-7;
        let mut stepped = net.clone();
        stepped.step(&x, &y, eta, phase);
        let h = 1e-6;
        // W entries of every level.
        for l in 0..3 {
            for (i, j) in [(0, 0), (1, 1), (0, 1)] {
                let mut plus = net.clone();
                plus.w[l][(i, j)] += h;
                let mut minus = net.clone();
                minus.w[l][(i, j)] -= h;
                let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
                let an = (net.w[l][(i, j)] - stepped.w[l][(i, j)]) / eta;
                assert!(
                    (fd - an).abs() < 1e-4 * (1.0 + fd.abs()),
                    "W{} ({i},{j}): {fd} vs {an}",
                    l + 1
                );
            }
            let mut plus = net.clone();
            plus.a[l][1] += h;
            let mut minus = net.clone();
            minus.a[l][1] -= h;
            let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
            let an = (net.a[l][1] - stepped.a[l][1]) / eta;
            assert!((fd - an).abs() < 1e-4 * (1.0 + fd.abs()), "a{}: {fd} vs {an}", l + 1);
            if l > 0 {
                let mut plus = net.clone();
                plus.c[l][0] += h;
                let mut minus = net.clone();
                minus.c[l][0] -= h;
                let fd = (loss_at(&plus) - loss_at(&minus)) / (2.0 * h);
                let an = (net.c[l][0] - stepped.c[l][0]) / eta;
                assert!((fd - an).abs() < 1e-4 * (1.0 + fd.abs()), "c{}: {fd} vs {an}", l + 1);
            }
        }
    }

    #[test]
    fn a_huge_step_is_reported_as_a_divergence_with_its_step() {
        let mut rng = rng_from_u64(5);
        let target =
            HierarchicalTarget::new(8, 2, &[1.0, 0.3], LevelMaps::Orthogonal, &mut rng).unwrap();
        let mut net = QuadNet::new(8, &[4, 4], 8, &[1.0, 1.0], &mut rng).unwrap();
        let phase = Phase { levels: 2, first_trained: 1 };
        let err = net.train(&target, phase, 1000, 50.0, &mut rng, |_, _| {}).unwrap_err();
        assert!(err.step >= 1 && err.step < 1000, "{err:?}");
    }

    // --- Claim `kernel-gap` (appended). ---

    /// $\langle A, \mathrm{He}_4(x)\rangle$ of a dense symmetric 4-tensor on the first $k$
    /// coordinates: each entry times the product of $\mathrm{He}_{\rm mult}(x_i)$ over its
    /// distinct indices.
    fn hermite_contraction(a: &[f64], k: usize, x: &[f64]) -> f64 {
        let he = |n: usize, t: f64| match n {
            1 => t,
            2 => t * t - 1.0,
            3 => t * t * t - 3.0 * t,
            _ => t.powi(4) - 6.0 * t * t + 3.0,
        };
        let mut sum = 0.0;
        for (flat, &v) in a.iter().enumerate() {
            if v == 0.0 {
                continue;
            }
            let idx = [flat / (k * k * k), flat / (k * k) % k, flat / k % k, flat % k];
            let mut term = v;
            for (p, &i) in idx.iter().enumerate() {
                if !idx[..p].contains(&i) {
                    term *= he(idx.iter().filter(|&&j| j == i).count(), x[i]);
                }
            }
            sum += term;
        }
        sum
    }

    #[test]
    fn the_traceless_projection_is_symmetric_traceless_and_has_the_closed_form_norm() {
        let mut rng = rng_from_u64(11);
        let (k, d) = (4, 7);
        let target =
            HierarchicalTarget::new(d, k, &[1.0, 0.3], LevelMaps::Orthogonal, &mut rng).unwrap();
        let a = target.quartic_tensor().unwrap();
        let a0 = traceless_projection(&a, k, d);
        let at = |i: usize, j: usize, l: usize, m: usize| a0[((i * d + j) * d + l) * d + m];
        let scale = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
        for i in 0..d {
            for j in 0..d {
                let trace: f64 = (0..d).map(|m| at(i, j, m, m)).sum();
                assert!(trace.abs() < 1e-12 * scale, "trace ({i},{j}) = {trace}");
                for l in 0..d {
                    for m in 0..d {
                        let v = at(i, j, l, m);
                        for w in [at(j, i, l, m), at(l, j, i, m), at(m, j, l, i), at(i, l, j, m)] {
                            assert!((v - w).abs() < 1e-14 * scale, "not symmetric");
                        }
                    }
                }
            }
        }
        // The input tensor itself is symmetric and not traceless (the projection does work).
        let t0: f64 = (0..k).map(|m| a[m * k + m]).sum();
        assert!(t0.abs() > 1e-3 * scale, "{t0}");
        let norm2: f64 = a0.iter().map(|v| v * v).sum();
        assert!((norm2 - traceless_norm2(&a, k, d)).abs() < 1e-12 * norm2, "{norm2}");
        // A_0 tends to A as d grows: the norms approach each other, from below.
        let a2: f64 = a.iter().map(|v| v * v).sum();
        let (n8, n64, n4096) =
            (traceless_norm2(&a, k, 8), traceless_norm2(&a, k, 64), traceless_norm2(&a, k, 4096));
        assert!(n8 < n64 && n64 < n4096 && n4096 < a2 && a2 - n4096 < 1e-2 * a2);
        // Not a depth-2 target: no quartic part is defined.
        let deep = HierarchicalTarget::new(d, 2, &[1.0, 0.3, 0.1], LevelMaps::Orthogonal, &mut rng)
            .unwrap();
        assert!(deep.harmonic_energy().is_none());
    }

    /// Monte Carlo on 2^19 Gaussian inputs at d = 6 (k = 4, r = 1 to enlarge the degree-4
    /// part): $E[f^* P_4] = E P_4^2 = 4!\lVert A\rVert^2$ (checks the tensor of the target) and
    /// $E[f^* Y] = E Y^2 = e_4$ with $Y = \langle A_0, x^{\otimes 4}\rangle$ contracted from the
    /// dense projection (checks the projection and the closed form), each within 4 standard
    /// errors. Wrong-formula control: $4!\lVert A\rVert^2$ (no projection) must be more than 8
    /// standard errors from the estimate of $E[f^* Y]$. Also $E f^{*2}$ against
    /// [`HierarchicalTarget::variance`], and against $1 + r^2$ (wrong: the levels correlate).
    /// For both kinds of level maps: the formulas use only unit rows of $V$.
    #[test]
    fn the_harmonic_energy_matches_monte_carlo_and_the_unprojected_norm_does_not() {
        for maps in [LevelMaps::Orthogonal, LevelMaps::Gaussian] {
            check_harmonic_energy(maps);
        }
    }

    fn check_harmonic_energy(maps: LevelMaps) {
        let mut rng = rng_from_u64(12);
        let (k, d) = (4, 6);
        let target = HierarchicalTarget::new(d, k, &[1.0, 1.0], maps, &mut rng).unwrap();
        let a = target.quartic_tensor().unwrap();
        let a0 = traceless_projection(&a, k, d);
        let e4 = target.harmonic_energy().unwrap();
        let full = 24.0 * a.iter().map(|v| v * v).sum::<f64>();
        let n = 1usize << 19;
        let (mut s_p, mut ss_p, mut s_y, mut ss_y) = (0.0, 0.0, 0.0, 0.0);
        let (mut s_f, mut ss_f) = (0.0, 0.0);
        let mut x = vec![0.0; d];
        let mut xx = vec![0.0; d * d];
        for _ in 0..n {
            draw_gaussians(&mut x, &mut rng);
            let f = target.value(&x);
            let p4 = hermite_contraction(&a, k, &x);
            for i in 0..d {
                for j in 0..d {
                    xx[i * d + j] = x[i] * x[j];
                }
            }
            let mut y = 0.0;
            for (ij, row) in a0.chunks(d * d).enumerate() {
                y += xx[ij] * row.iter().zip(&xx).map(|(c, v)| c * v).sum::<f64>();
            }
            s_f += f * f;
            ss_f += f.powi(4);
            s_p += f * p4;
            ss_p += (f * p4).powi(2);
            s_y += f * y;
            ss_y += (f * y).powi(2);
        }
        let nf = n as f64;
        let stat = |s: f64, ss: f64| (s / nf, ((ss / nf - (s / nf).powi(2)) / nf).sqrt());
        let ((mp, se_p), (my, se_y)) = (stat(s_p, ss_p), stat(s_y, ss_y));
        let ((mf, se_f), var) = (stat(s_f, ss_f), target.variance().unwrap());
        assert!((mf - var).abs() < 4.0 * se_f, "{maps:?}: E f*² = {mf} ± {se_f}, Var f* = {var}");
        // The levels are correlated: 1 + r² is not the variance.
        assert!((mf - 2.0).abs() > 8.0 * se_f, "{maps:?}: E f*² = {mf} ± {se_f}");
        assert!(
            (mp - full).abs() < 4.0 * se_p,
            "{maps:?}: E f*P4 = {mp} ± {se_p}, 4!|A|² = {full}"
        );
        assert!((my - e4).abs() < 4.0 * se_y, "{maps:?}: E f*Y = {my} ± {se_y}, e4 = {e4}");
        assert!((my - full).abs() > 8.0 * se_y, "{maps:?}: E f*Y = {my} ± {se_y}, 4!|A|² = {full}");
    }
}
