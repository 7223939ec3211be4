//! Method 1 of [`super`]: the exact chain, its surviving law carried on a grid.

use super::{quantile_of, Atoms, Chain};

/// Bins of the crossing fraction $f$ within the crossing step.
const BINS: usize = 8;
/// The refined zones reach this many increment s.d. (at the barrier) inside the barriers.
const ZONE_SIGMAS: f64 = 8.0;
/// The spacing in the refined zones is the bulk spacing divided by this.
const REFINEMENT: f64 = 8.0;
/// Gauss–Hermite nodes of the coarse run that estimates the error.
const COARSE_NODES: usize = 14;
/// Surviving mass below this at the ends of the occupied range is dropped.
const PRUNE: f64 = 1e-16;
/// A run stops with an error after this many steps.
const MAX_STEPS: u64 = 200_000_000;

/// The nodes on $[b, m_{\rm thr}]$: a uniform bulk, and a fine zone at each barrier. The
/// bottom $b$ is the barrier $-m_{\rm thr}$, or a floor below which mass is held at the lowest
/// node (the local problem of the boundary calibration; no fine zone there).
struct Nodes {
    threshold: f64,
    bottom: f64,
    floor: bool,
    /// Widths of the fine zones at the bottom (zero at a floor) and at the top.
    zone_lo: f64,
    zone: f64,
    fine: f64,
    bulk: f64,
    lo_count: usize,
    bulk_count: usize,
    x: Vec<f64>,
}

impl Nodes {
    /// Bulk spacing $\sigma_{\min}/$`resolution`, zones of $8\sigma$ at the barriers (at most
    /// an eighth of the span) at spacing a further 8 times finer.
    fn new(chain: &Chain, atoms: &Atoms, resolution: f64, floor: Option<f64>) -> Nodes {
        let sd = |m: f64| atoms.cumulants(m).variance.sqrt();
        let thr = chain.threshold;
        let bottom = floor.unwrap_or(-thr);
        let edge = if floor.is_some() { sd(thr) } else { sd(thr).max(sd(-thr)) };
        let smallest = [0.0, chain.m0, thr, bottom].into_iter().map(sd).fold(edge, f64::min);
        let span = thr - bottom;
        let h = (smallest / resolution).min(span / 16.0);
        let zone = (ZONE_SIGMAS * edge).max(h).min(0.125 * span);
        let zone_lo = if floor.is_some() { 0.0 } else { zone };
        let fine_count = (zone / (h / REFINEMENT)).ceil().max(1.0) as usize;
        let lo_count = if floor.is_some() { 0 } else { fine_count };
        let bulk_len = span - zone - zone_lo;
        let bulk_count = (bulk_len / h).round().max(1.0) as usize;
        let fine = zone / fine_count as f64;
        let bulk = bulk_len / bulk_count as f64;
        let mut x = Vec::with_capacity(lo_count + bulk_count + fine_count + 1);
        x.extend((0..=lo_count).map(|j| bottom + j as f64 * fine));
        x.extend((1..=bulk_count).map(|j| bottom + zone_lo + j as f64 * bulk));
        x.extend((1..=fine_count).map(|j| thr - zone + j as f64 * fine));
        *x.last_mut().expect("at least three nodes") = thr;
        Nodes {
            threshold: thr,
            bottom,
            floor: floor.is_some(),
            zone_lo,
            zone,
            fine,
            bulk,
            lo_count,
            bulk_count,
            x,
        }
    }

    fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether a step to `m` crosses a barrier.
    #[inline]
    fn crosses(&self, m: f64) -> bool {
        if self.floor {
            m >= self.threshold
        } else {
            m.abs() >= self.threshold
        }
    }

    /// The centre $c \in [1, N-2]$ of the three-node stencil for a point `m` inside the
    /// barriers: the nearest node, moved off the ends.
    #[inline]
    fn centre(&self, m: f64) -> usize {
        let a = m - self.bottom;
        let far = self.threshold - self.bottom - self.zone;
        let j = if a < self.zone_lo {
            (a.max(0.0) / self.fine).round() as usize
        } else if a <= far {
            self.lo_count + ((a - self.zone_lo) / self.bulk).round() as usize
        } else {
            self.lo_count + self.bulk_count + ((a - far) / self.fine).round() as usize
        };
        j.clamp(1, self.len() - 2)
    }

    /// The quadratic Lagrange weights of `m` on the stencil centred at `c`: they reproduce
    /// $1$, $m$ and $m^2$ exactly.
    #[inline]
    fn weights(&self, c: usize, m: f64) -> [f64; 3] {
        let (a0, a1, a2) = (self.x[c - 1], self.x[c], self.x[c + 1]);
        [
            (m - a1) * (m - a2) / ((a0 - a1) * (a0 - a2)),
            (m - a0) * (m - a2) / ((a1 - a0) * (a1 - a2)),
            (m - a0) * (m - a1) / ((a2 - a0) * (a2 - a1)),
        ]
    }
}

/// One row of the kernel: where the surviving mass of a node goes, and the crossing mass by
/// bin of $f$.
struct Row {
    cols: Vec<u32>,
    vals: Vec<f64>,
    crossed: [f64; BINS],
}

/// The row of node `i`, with `scratch` (zero, length N) and `touched` as work space.
fn build_row(
    nodes: &Nodes,
    atoms: &Atoms,
    i: usize,
    scratch: &mut [f64],
    touched: &mut Vec<u32>,
) -> Row {
    let thr = nodes.threshold;
    let m = nodes.x[i];
    let from = m.abs();
    let mut crossed = [0.0; BINS];
    touched.clear();
    for a in 0..atoms.len() {
        let (next, w) = atoms.step(m, a);
        if nodes.crosses(next) {
            let rise = next.abs() - from;
            let f = if rise > 0.0 { ((thr - from) / rise).clamp(0.0, 1.0) } else { 1.0 };
            crossed[((f * BINS as f64) as usize).min(BINS - 1)] += w;
            continue;
        }
        let (first, weights) = if next < nodes.bottom {
            // Below a floor: the mass is held at the lowest node.
            (0, [1.0, 0.0, 0.0])
        } else {
            let c = nodes.centre(next);
            (c - 1, nodes.weights(c, next))
        };
        for (o, l) in weights.into_iter().enumerate() {
            let (j, v) = (first + o, w * l);
            if v == 0.0 {
                continue;
            }
            if scratch[j] == 0.0 {
                touched.push(j as u32);
            }
            scratch[j] += v;
            if scratch[j] == 0.0 {
                // Keep the entry listed even if it cancelled to zero.
                scratch[j] = f64::MIN_POSITIVE;
            }
        }
    }
    touched.sort_unstable();
    let vals = touched
        .iter()
        .map(|&j| {
            let v = scratch[j as usize];
            scratch[j as usize] = 0.0;
            v
        })
        .collect();
    Row { cols: touched.clone(), vals, crossed }
}

/// The estimated work of [`grid_law`], in row entries updated: nodes in use × entries of the
/// row at $m_0$ × `steps`. The nodes in use are all of them, or for a law that stays
/// concentrated, the reach of a row plus 12 s.d. of the spread $\sigma(m_0)\sqrt{\rm steps}$.
pub(super) fn work_estimate(chain: &Chain, atoms: &Atoms, resolution: f64, steps: f64) -> f64 {
    let nodes = Nodes::new(chain, atoms, resolution, None);
    let mut scratch = vec![0.0; nodes.len()];
    let row = build_row(&nodes, atoms, nodes.centre(chain.m0), &mut scratch, &mut Vec::new());
    let entries = row.cols.len() as f64;
    let spread = 12.0 * atoms.cumulants(chain.m0).variance.sqrt() * steps.sqrt() / nodes.bulk;
    (nodes.len() as f64).min(entries + spread) * entries * steps
}

/// The CDF of $n^*$ by the grid method with the 20-node rule, up to quantile `horizon`
/// (points as in [`super::HittingTimeLaw::cdf`]).
///
/// # Errors
/// No crossing of the horizon within $2 \times 10^8$ steps.
pub fn grid_law(chain: &Chain, resolution: f64, horizon: f64) -> Result<Vec<(f64, f64)>, String> {
    run(chain, &Atoms::new(chain, 20), resolution, horizon, None)
}

/// The median of $n^*$ for the chain started at `start` on $[$`floor`$, m_{\rm thr}]$, mass
/// held at the floor: the local problem of the boundary calibration of [`super::diffusion`].
pub(super) fn local_median(
    chain: &Chain,
    atoms: &Atoms,
    start: f64,
    floor: f64,
) -> Result<f64, String> {
    let local = Chain { m0: start, ..*chain };
    let cdf = run(&local, atoms, 1.0, 0.5, Some(floor))?;
    quantile_of(&cdf, 0.5).ok_or_else(|| "hitting time (grid): no local median".to_string())
}

/// The CDF, and the error of its median: the change when the spacing is doubled and the rule
/// coarsened to [`COARSE_NODES`] nodes.
pub(super) fn law_with_error(
    chain: &Chain,
    resolution: f64,
    horizon: f64,
) -> Result<(Vec<(f64, f64)>, f64), String> {
    let fine = grid_law(chain, resolution, horizon)?;
    let coarse = run(chain, &Atoms::new(chain, COARSE_NODES), 0.5 * resolution, 0.5, None)?;
    let median = |cdf: &[(f64, f64)]| quantile_of(cdf, 0.5).unwrap_or(f64::NAN);
    let error = (median(&fine) - median(&coarse)).abs();
    Ok((fine, error))
}

/// Forward propagation until $P(n^* \le n)$ reaches `horizon`.
fn run(
    chain: &Chain,
    atoms: &Atoms,
    resolution: f64,
    horizon: f64,
    floor: Option<f64>,
) -> Result<Vec<(f64, f64)>, String> {
    let nodes = Nodes::new(chain, atoms, resolution, floor);
    let n = nodes.len();
    let mut rows: Vec<Option<Row>> = (0..n).map(|_| None).collect();
    let (mut scratch, mut touched) = (vec![0.0; n], Vec::new());
    let mut mass = vec![0.0; n];
    let mut next = vec![0.0; n];
    let c = nodes.centre(chain.m0);
    for (o, l) in nodes.weights(c, chain.m0).into_iter().enumerate() {
        mass[c + o - 1] += l;
    }
    let (mut lo, mut hi) = (c - 1, c + 1);
    let mut cdf = vec![(0.0, 0.0)];
    let mut total = 0.0;
    for t in 1..=MAX_STEPS {
        let mut crossed = [0.0; BINS];
        let (mut new_lo, mut new_hi) = (n, 0);
        for i in lo..=hi {
            let p = mass[i];
            if p == 0.0 {
                continue;
            }
            let row = rows[i]
                .get_or_insert_with(|| build_row(&nodes, atoms, i, &mut scratch, &mut touched));
            for (&j, &v) in row.cols.iter().zip(&row.vals) {
                next[j as usize] += p * v;
            }
            if let (Some(&first), Some(&last)) = (row.cols.first(), row.cols.last()) {
                new_lo = new_lo.min(first as usize);
                new_hi = new_hi.max(last as usize);
            }
            for (acc, &x) in crossed.iter_mut().zip(&row.crossed) {
                *acc += p * x;
            }
            mass[i] = 0.0;
        }
        std::mem::swap(&mut mass, &mut next);
        if t == 1 {
            total += crossed.iter().sum::<f64>();
            cdf.push((1.0, total));
        } else {
            let (l0, l1) = (((t - 1) as f64).ln(), (t as f64).ln());
            for (b, &x) in crossed.iter().enumerate() {
                total += x;
                let f = (b + 1) as f64 / BINS as f64;
                cdf.push(((l0 + f * (l1 - l0)).exp(), total));
            }
        }
        if total >= horizon {
            return Ok(cdf);
        }
        if new_lo > new_hi {
            break;
        }
        (lo, hi) = (new_lo, new_hi);
        while lo < hi && mass[lo].abs() < PRUNE {
            mass[lo] = 0.0;
            lo += 1;
        }
        while hi > lo && mass[hi].abs() < PRUNE {
            mass[hi] = 0.0;
            hi -= 1;
        }
    }
    Err(format!(
        "hitting time (grid): P(n* ≤ n) = {total:.3} < {horizon} when the surviving mass ran \
         out or after {MAX_STEPS} steps"
    ))
}
