//! The hierarchical target (module docs): its levels, the maps $V_l$ between them, their
//! normalisation, and the reusable [`Batch`] it is sampled into.

use super::MC_NORMALISATION;
use crate::numerics::draw_gaussians;
use crate::numerics::NumericsError;
use crate::rng::Rng;
use faer::{Mat, MatRef};

/// One level $l \ge 2$ of the target: $G_l = (V h - \mu)/s$ on $h = G_{l-1}$.
#[derive(Clone, Debug)]
pub(super) struct TargetLevel {
    /// $V$ row-major ($k \times k$).
    pub(super) v_rows: Vec<f64>,
    /// The skip map $U$ row-major ($k \times k$), if the level reads the level-1 directions
    /// $z$ as well: $G_l = ((V h + U z)^2 - \mu)/s$ ([`HierarchicalTarget::with_skip`]).
    pub(super) skip_rows: Option<Vec<f64>>,
    pub(super) mu: Vec<f64>,
    pub(super) s: Vec<f64>,
    /// Standard deviation of `sum(G_l)`.
    pub(super) sigma: f64,
}

/// The hierarchical target $f^* = \sum_l \alpha_l\, \mathrm{sum}(G_l)/\sigma_l$ (module docs).
#[derive(Clone, Debug)]
pub struct HierarchicalTarget {
    pub(super) d: usize,
    pub(super) k: usize,
    pub(super) alphas: Vec<f64>,
    pub(super) levels: Vec<TargetLevel>,
    /// $\beta$, the unit-norm weights of the level-1 term $T_1 = \beta\cdot G_1$, if not
    /// equal ([`HierarchicalTarget::with_skip`]); none: $T_1 = \mathrm{sum}(G_1)/\sqrt k$.
    pub(super) level1_weights: Option<Vec<f64>>,
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
        let mut target = HierarchicalTarget {
            d,
            k,
            alphas: alphas.to_vec(),
            levels: Vec::new(),
            level1_weights: None,
        };
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
        self.monte_carlo_skip_level(v, None, rng)
    }

    /// A level on top of the current ones, reading $z$ through `skip` ($U$) too, if given:
    /// mean, variance and $\sigma_l$ from [`MC_NORMALISATION`] samples.
    fn monte_carlo_skip_level(
        &self,
        v: Mat<f64>,
        skip: Option<Mat<f64>>,
        rng: &mut Rng,
    ) -> TargetLevel {
        let k = self.k;
        let n = MC_NORMALISATION;
        let mut x = vec![0.0; k];
        let mut sq = vec![vec![0.0; k]; n];
        for row in sq.iter_mut() {
            draw_gaussians(&mut x, rng);
            let g = self.top_features(&x, self.levels.len() + 1);
            for (i, out) in row.iter_mut().enumerate() {
                let mut u: f64 = (0..k).map(|a| v[(i, a)] * g[a]).sum();
                if let Some(s) = &skip {
                    u += (0..k).map(|a| s[(i, a)] * x[a]).sum::<f64>();
                }
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
        let mut level = TargetLevel::new(v, mu, s, sigma);
        level.skip_rows = skip.map(|u| (0..k * k).map(|t| u[(t / k, t % k)]).collect());
        level
    }

    /// A two-level target on which a narrow level 1 trained alone is biased (the `feature-bias`
    /// design of `backward-feature-correction`): graded level-1 weights
    /// $\beta_a \propto k + 1 - a$ (unit norm; distinct, so the level-1 term's quadratic form has a unique eigenframe,
    /// the true directions), and level 2 $G_2 = ((V G_1 + \kappa U z)^2 - \mu)/s$ with $V$
    /// drawn as `maps` says, $U$ independent Gaussian unit rows and $\kappa$ = `skip`: the
    /// term $(U z)^2$ gives level 2 a degree-2 part with off-diagonal entries in the true
    /// directions, which a function of $G_1$ alone cannot have (each $G_{1,a}$ is even in
    /// $z_a$). Level 2 is normalised by Monte Carlo. `alphas` has two entries, or three:
    /// then a third level $G_3 = ((V_3 G_2)^2 - \mu_3)/s_3$ (no skip; $V_3$ drawn as `maps`
    /// says, after $U$) is normalised by Monte Carlo on top (the `three-level-bias` design:
    /// its degree-$\le 4$ part leaks into what a narrow level 2 trained without it fits).
    ///
    /// # Errors
    /// As [`HierarchicalTarget::new`], and for a depth other than 2 or 3 or a `skip` that is
    /// not finite and $> 0$.
    pub fn with_skip(
        d: usize,
        k: usize,
        alphas: &[f64],
        maps: LevelMaps,
        skip: f64,
        rng: &mut Rng,
    ) -> Result<HierarchicalTarget, NumericsError> {
        if !((2..=3).contains(&alphas.len()) && skip.is_finite() && skip > 0.0) {
            return Err(NumericsError::InvalidParameter {
                name: "skip κ",
                value: skip,
                requirement: "two or three levels and a finite κ > 0",
            });
        }
        let mut target = HierarchicalTarget::new(d, k, &alphas[..1], maps, rng)?;
        target.alphas = alphas.to_vec();
        let norm = (1..=k).map(|a| ((k + 1 - a) as f64).powi(2)).sum::<f64>().sqrt();
        target.level1_weights = Some((1..=k).map(|a| (k + 1 - a) as f64 / norm).collect());
        let v = match maps {
            LevelMaps::Orthogonal => random_orthogonal(k, rng),
            LevelMaps::Gaussian => random_unit_rows(k, rng),
        };
        let u = random_unit_rows(k, rng);
        let u = Mat::from_fn(k, k, |i, j| skip * u[(i, j)]);
        let level = target.monte_carlo_skip_level(v, Some(u), rng);
        target.levels.push(level);
        if alphas.len() == 3 {
            let v3 = match maps {
                LevelMaps::Orthogonal => random_orthogonal(k, rng),
                LevelMaps::Gaussian => random_unit_rows(k, rng),
            };
            let level = target.monte_carlo_level(v3, rng);
            target.levels.push(level);
        }
        Ok(target)
    }

    /// $\beta$, the weights of the level-1 term $T_1 = \beta \cdot G_1$ (all $1/\sqrt k$
    /// unless graded).
    pub fn level1_weights(&self) -> Vec<f64> {
        self.level1_weights.clone().unwrap_or_else(|| vec![1.0 / (self.k as f64).sqrt(); self.k])
    }

    /// The level-2 map $V$ and skip $U$ (row-major, $k \times k$; $U$ zero without a skip),
    /// its centres $\mu$, scales $s$ and $\sigma_2$: `None` below depth 2.
    #[allow(clippy::type_complexity)]
    pub fn level_two(&self) -> Option<(&[f64], Vec<f64>, &[f64], &[f64], f64)> {
        let l = self.levels.first()?;
        let skip = l.skip_rows.clone().unwrap_or_else(|| vec![0.0; self.k * self.k]);
        Some((&l.v_rows, skip, &l.mu, &l.s, l.sigma))
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
            g = match &level.skip_rows {
                None => level.apply(&g),
                Some(_) => {
                    let mut out = vec![0.0; g.len()];
                    level.apply_skip_into(&g, z, &mut out);
                    out
                }
            };
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
        match &self.level1_weights {
            None => each(g.iter().sum::<f64>() / (k as f64).sqrt()),
            Some(beta) => each(g.iter().zip(beta).map(|(gi, b)| gi * b).sum::<f64>()),
        }
        for level in &self.levels {
            match level.skip_rows {
                None => level.apply_into(g, next),
                Some(_) => level.apply_skip_into(g, &x[..k], next),
            }
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
        TargetLevel { v_rows, skip_rows: None, mu, s, sigma }
    }

    /// `out_i = ((V g)_i + (U z)_i)^2 - mu_i) / s_i` (a level with a skip map $U$).
    fn apply_skip_into(&self, g: &[f64], z: &[f64], out: &mut [f64]) {
        let k = g.len();
        let skip = self.skip_rows.as_deref().unwrap_or(&[]);
        for (i, o) in out.iter_mut().enumerate() {
            let vg: f64 = self.v_rows[i * k..(i + 1) * k].iter().zip(g).map(|(v, a)| v * a).sum();
            let uz: f64 = skip[i * k..(i + 1) * k].iter().zip(z).map(|(u, a)| u * a).sum();
            let u = vg + uz;
            *o = (u * u - self.mu[i]) / self.s[i];
        }
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
    pub(super) x: Mat<f64>,
    pub(super) y: Vec<f64>,
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
pub(super) fn exact_level_two(v: Mat<f64>) -> TargetLevel {
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
