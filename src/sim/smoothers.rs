//! One-dimensional and toroidal regression estimators of the `depth-approximation` theorem:
//! the Nadaraya–Watson kernel smoother (a linear smoother) on the torus $[0,1)^D$ and on the
//! interval $[0, 1]$, and the free-knot least-squares fit "one jump + polynomial" (an adaptive,
//! non-linear estimator).
//!
//! The smoother's kernel is the Gaussian $\exp(-\lVert u\rVert^2/(2h^2))$ truncated to the cube
//! $\max_j |u_j| \le$ [`KERNEL_CUTOFF`]$\,h$: a product of truncated Gaussians, still a
//! symmetric non-negative second-order kernel (the dropped mass is $2\bar\Phi(4) \approx
//! 6\cdot 10^{-5}$ per coordinate; the edge weight is $e^{-8}$). The truncation makes evaluation local: training points are
//! binned into cells of width at least the cutoff (torus) or sorted (interval), and each test
//! point visits only its neighbourhood. [`nw_torus_brute`] is the untruncated full loop, kept as
//! the reference for tests and benches.
//!
//! **Architecture Invariant:** as the rest of `sim/`: pure numerics, sequential, no generator
//! built here. A test point with no training point in its kernel window gets `None`.

/// The kernel is cut at this many bandwidths in each coordinate.
pub const KERNEL_CUTOFF: f64 = 4.0;

/// Cells per cutoff length: a cell is at least half the cutoff wide, and a test point visits
/// the $(2R+1)^D$ cells within $R$ = `REACH` cells of its own.
const REACH: usize = 2;

/// The wrapped (minimum-image) difference of two coordinates on the circle $[0,1)$.
#[inline]
fn wrap(d: f64) -> f64 {
    if d > 0.5 {
        d - 1.0
    } else if d < -0.5 {
        d + 1.0
    } else {
        d
    }
}

/// Training points of the torus $[0,1)^D$ binned into $m^D$ cells of width $1/m \ge$ half the
/// kernel's cutoff, so that the window of a test point lies in the $5^D$ cells around its own.
#[derive(Clone, Debug)]
pub struct TorusSmoother {
    dim: usize,
    bandwidth: f64,
    /// Cells per coordinate (1 when fewer than 5 fit: one cell holds all).
    cells: usize,
    /// `start[c]..start[c + 1]` are the points of cell `c`.
    start: Vec<usize>,
    /// Coordinates, point-major, in cell order.
    x: Vec<f64>,
    /// Responses in cell order.
    y: Vec<f64>,
}

impl TorusSmoother {
    /// Bins `x` (`n × dim`, point-major, every coordinate in $[0,1)$) with responses `y`, for
    /// bandwidth `h` ($0 < 4h \le 1/2$, checked by the caller's hypotheses).
    pub fn new(dim: usize, x: &[f64], y: &[f64], bandwidth: f64) -> TorusSmoother {
        let n = y.len();
        debug_assert_eq!(x.len(), n * dim);
        let cutoff = KERNEL_CUTOFF * bandwidth;
        let per_axis = (REACH as f64 / cutoff).floor() as usize;
        let cells = if per_axis > 2 * REACH { per_axis } else { 1 };
        let total = cells.pow(dim as u32);
        let cell_of = |p: &[f64]| -> usize {
            p.iter()
                .rev()
                .fold(0, |acc, &c| acc * cells + ((c * cells as f64) as usize).min(cells - 1))
        };
        let mut count = vec![0usize; total + 1];
        let ids: Vec<usize> = x.chunks_exact(dim).map(cell_of).collect();
        for &c in &ids {
            count[c + 1] += 1;
        }
        for c in 0..total {
            count[c + 1] += count[c];
        }
        let start = count.clone();
        let mut next = count;
        let mut xs = vec![0.0; n * dim];
        let mut ys = vec![0.0; n];
        for (i, &c) in ids.iter().enumerate() {
            let k = next[c];
            next[c] += 1;
            xs[k * dim..(k + 1) * dim].copy_from_slice(&x[i * dim..(i + 1) * dim]);
            ys[k] = y[i];
        }
        TorusSmoother { dim, bandwidth, cells, start, x: xs, y: ys }
    }

    /// The estimate at `p` (length `dim`, in $[0,1)^D$), or `None` if no training point lies in
    /// its kernel window.
    pub fn predict(&self, p: &[f64]) -> Option<f64> {
        let dim = self.dim;
        let m = self.cells;
        let cutoff = KERNEL_CUTOFF * self.bandwidth;
        let inv = -0.5 / (self.bandwidth * self.bandwidth);
        let home: Vec<usize> = p.iter().map(|&c| ((c * m as f64) as usize).min(m - 1)).collect();
        let (mut num, mut den) = (0.0, 0.0);
        let mut visit = |cell: usize| {
            for k in self.start[cell]..self.start[cell + 1] {
                let q = &self.x[k * dim..(k + 1) * dim];
                let mut r2 = 0.0;
                let mut inside = true;
                for j in 0..dim {
                    let d = wrap(p[j] - q[j]);
                    if d.abs() > cutoff {
                        inside = false;
                        break;
                    }
                    r2 += d * d;
                }
                if inside {
                    let w = (r2 * inv).exp();
                    num += w * self.y[k];
                    den += w;
                }
            }
        };
        if m == 1 {
            visit(0);
        } else {
            let side = 2 * REACH + 1;
            let neighbours = side.pow(dim as u32);
            for code in 0..neighbours {
                let mut rest = code;
                let mut cell = 0;
                for j in (0..dim).rev() {
                    let offset = rest % side;
                    rest /= side;
                    cell = cell * m + (home[j] + m + offset - REACH) % m;
                }
                visit(cell);
            }
        }
        (den > 0.0).then(|| num / den)
    }
}

/// The Nadaraya–Watson estimate at `p` on the torus with the same truncated kernel, by the full
/// loop over every training point: the reference for [`TorusSmoother`].
pub fn nw_torus_brute(dim: usize, x: &[f64], y: &[f64], bandwidth: f64, p: &[f64]) -> Option<f64> {
    let cutoff = KERNEL_CUTOFF * bandwidth;
    let inv = -0.5 / (bandwidth * bandwidth);
    let (mut num, mut den) = (0.0, 0.0);
    for (q, &yk) in x.chunks_exact(dim).zip(y) {
        let mut r2 = 0.0;
        let mut inside = true;
        for j in 0..dim {
            let d = wrap(p[j] - q[j]);
            inside &= d.abs() <= cutoff;
            r2 += d * d;
        }
        if inside {
            let w = (r2 * inv).exp();
            num += w * yk;
            den += w;
        }
    }
    (den > 0.0).then(|| num / den)
}

/// The Nadaraya–Watson smoother on the interval $[0, 1]$ (no wrapping): training points sorted,
/// each test point visits the points within the cutoff by binary search.
#[derive(Clone, Debug)]
pub struct IntervalSmoother {
    bandwidth: f64,
    x: Vec<f64>,
    y: Vec<f64>,
}

impl IntervalSmoother {
    /// Sorts the training pairs; `h > 0`.
    pub fn new(x: &[f64], y: &[f64], bandwidth: f64) -> IntervalSmoother {
        let mut pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (x, y) = pairs.into_iter().unzip();
        IntervalSmoother { bandwidth, x, y }
    }

    /// The estimate at `t`, or `None` if no training point lies within the cutoff.
    pub fn predict(&self, t: f64) -> Option<f64> {
        let cutoff = KERNEL_CUTOFF * self.bandwidth;
        let inv = -0.5 / (self.bandwidth * self.bandwidth);
        let lo = self.x.partition_point(|&v| v < t - cutoff);
        let (mut num, mut den) = (0.0, 0.0);
        for (xk, yk) in self.x[lo..].iter().zip(&self.y[lo..]) {
            let d = xk - t;
            if d > cutoff {
                break;
            }
            let w = (d * d * inv).exp();
            num += w * yk;
            den += w;
        }
        (den > 0.0).then(|| num / den)
    }
}

/// Legendre polynomials $P_0..P_K$ at $u \in [-1, 1]$ (three-term recurrence), into `out`.
pub fn legendre(u: f64, out: &mut [f64]) {
    if out.is_empty() {
        return;
    }
    out[0] = 1.0;
    if out.len() > 1 {
        out[1] = u;
    }
    for k in 2..out.len() {
        let kf = k as f64;
        out[k] = ((2.0 * kf - 1.0) * u * out[k - 1] - (kf - 1.0) * out[k - 2]) / kf;
    }
}

/// A fitted "one jump + polynomial" function on $[0, 1]$:
/// $\hat f(x) = \sum_{k \le K} c_k P_k(2x-1) + a\,\mathbf 1\{x \ge t\}$.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeKnotFit {
    /// Legendre coefficients $c_0..c_K$.
    pub coefficients: Vec<f64>,
    /// The jump height $a$.
    pub jump: f64,
    /// The jump location $t$ (midway between the two data points it separates).
    pub location: f64,
}

impl FreeKnotFit {
    /// $\hat f(x)$.
    pub fn eval(&self, x: f64) -> f64 {
        let mut p = vec![0.0; self.coefficients.len()];
        legendre(2.0 * x - 1.0, &mut p);
        let smooth: f64 = p.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum();
        smooth + if x >= self.location { self.jump } else { 0.0 }
    }
}

/// Least squares over "a polynomial of degree $\le K$ plus one jump at a free location", the
/// location searched over every gap between consecutive sorted design points (exact profile
/// least squares: $O(nK)$ after one QR of the polynomial basis). `None` if the design has fewer
/// than $K + 3$ distinct points or the basis is numerically singular.
pub fn free_knot_fit(x: &[f64], y: &[f64], degree: usize) -> Option<FreeKnotFit> {
    let n = x.len();
    let p = degree + 1;
    if n < p + 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    // Basis columns B (column-major, n × p) and their modified Gram–Schmidt QR, twice
    // orthogonalised: B = Q R.
    let mut q = vec![0.0; n * p];
    let mut row = vec![0.0; p];
    for (i, &xi) in xs.iter().enumerate() {
        legendre(2.0 * xi - 1.0, &mut row);
        for k in 0..p {
            q[k * n + i] = row[k];
        }
    }
    let mut r = vec![0.0; p * p];
    for k in 0..p {
        let (done, rest) = q.split_at_mut(k * n);
        let v = &mut rest[..n];
        for _pass in 0..2 {
            for i in 0..k {
                let qi = &done[i * n..(i + 1) * n];
                let dot: f64 = qi.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                r[i * p + k] += dot;
                v.iter_mut().zip(qi).for_each(|(vj, qj)| *vj -= dot * qj);
            }
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm.is_nan() || norm <= 1e-10 * (n as f64).sqrt() {
            return None;
        }
        r[k * p + k] = norm;
        v.iter_mut().for_each(|a| *a /= norm);
    }
    // Residual of y after the polynomial part.
    let mut resid = ys.clone();
    for k in 0..p {
        let qk = &q[k * n..(k + 1) * n];
        let dot: f64 = qk.iter().zip(&resid).map(|(a, b)| a * b).sum();
        resid.iter_mut().zip(qk).for_each(|(v, qj)| *v -= dot * qj);
    }
    // Profile over the jump: u = 1{index >= j}; score = (u·r)^2 / ||(I - QQ^T) u||^2.
    let mut suffix_q = vec![0.0; p];
    let mut suffix_r = 0.0;
    let mut best: Option<(f64, usize, f64, f64)> = None; // (score, j, u·r, ||e||²)
    for j in (1..n).rev() {
        suffix_r += resid[j];
        for k in 0..p {
            suffix_q[k] += q[k * n + j];
        }
        let count = (n - j) as f64;
        let e2 = count - suffix_q.iter().map(|a| a * a).sum::<f64>();
        if e2 <= 1e-9 * count || xs[j] == xs[j - 1] {
            continue;
        }
        let score = suffix_r * suffix_r / e2;
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, j, suffix_r, e2));
        }
    }
    let (_, j, ur, e2) = best?;
    let jump = ur / e2;
    // Polynomial coefficients: c = R^{-1} Q^T (y - a u).
    let mut qtz = vec![0.0; p];
    for k in 0..p {
        let qk = &q[k * n..(k + 1) * n];
        let all: f64 = qk.iter().zip(&ys).map(|(a, b)| a * b).sum();
        let tail: f64 = qk[j..].iter().sum();
        qtz[k] = all - jump * tail;
    }
    let mut c = vec![0.0; p];
    for k in (0..p).rev() {
        let s: f64 = ((k + 1)..p).map(|i| r[k * p + i] * c[i]).sum();
        c[k] = (qtz[k] - s) / r[k * p + k];
    }
    if c.iter().any(|v| !v.is_finite()) || !jump.is_finite() {
        return None;
    }
    Some(FreeKnotFit { coefficients: c, jump, location: 0.5 * (xs[j - 1] + xs[j]) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn binned_torus_smoother_equals_the_full_loop() {
        let mut rng = crate::rng::rng_from_u64(5);
        for (dim, n, h) in [(1usize, 500usize, 0.01), (2, 800, 0.04), (3, 600, 0.05), (2, 50, 0.08)]
        {
            let x: Vec<f64> = (0..n * dim).map(|_| rng.random::<f64>()).collect();
            let y: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let s = TorusSmoother::new(dim, &x, &y, h);
            for _ in 0..50 {
                let p: Vec<f64> = (0..dim).map(|_| rng.random::<f64>()).collect();
                let a = s.predict(&p);
                let b = nw_torus_brute(dim, &x, &y, h, &p);
                match (a, b) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{dim} {a} {b}"),
                    (a, b) => assert_eq!(a, b),
                }
            }
        }
    }

    #[test]
    fn smoothers_reproduce_a_constant_and_wrap_around() {
        let x = [0.02, 0.98, 0.5];
        let y = [1.0, 1.0, 7.0];
        let s = TorusSmoother::new(1, &x, &y, 0.01);
        assert_eq!(s.predict(&[0.0]), Some(1.0), "0.98 and 0.02 are both 0.02 away from 0");
        let i = IntervalSmoother::new(&x, &y, 0.01);
        assert_eq!(i.predict(0.01), Some(1.0));
        assert_eq!(i.predict(0.25), None);
    }

    #[test]
    fn free_knot_recovers_an_exact_jump_plus_polynomial() {
        let n = 400;
        let x: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        let f = |t: f64| 0.3 - t + 2.0 * t * t + if t >= 0.4 { 1.5 } else { 0.0 };
        let y: Vec<f64> = x.iter().map(|&t| f(t)).collect();
        let fit = free_knot_fit(&x, &y, 4).unwrap();
        assert!((fit.jump - 1.5).abs() < 1e-9, "{fit:?}");
        assert!((fit.location - 0.4).abs() < 1.0 / n as f64, "{fit:?}");
        for t in [0.1, 0.39, 0.41, 0.9] {
            assert!((fit.eval(t) - f(t)).abs() < 1e-9, "{t}");
        }
    }

    #[test]
    fn legendre_values() {
        let mut p = [0.0; 4];
        legendre(0.5, &mut p);
        assert_eq!(p, [1.0, 0.5, -0.125, -0.4375]);
    }
}
