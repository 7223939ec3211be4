//! Method 2 of [`super`]: the backward Kolmogorov equation with the first three cumulants of
//! the increment, solved for $u(m, t) = P_m(T \le t)$ and read at $m_0$.

use super::{quantile_of, steps_estimate, Atoms, Chain, Increment};

/// $\beta = -\zeta(1/2)/\sqrt{2\pi}$: the barrier shift, in increment s.d., of the continuity
/// correction for observation at integer steps.
pub const BETA: f64 = 0.582_597_157_939_010_6;
/// Cells per length scale $\ell$ of the search (module docs).
const CELLS_PER_SCALE: f64 = 24.0;
/// Time steps to the median at resolution 1.
const STEPS_TO_MEDIAN: f64 = 400.0;
/// A solve stops with an error after this many time steps.
const MAX_TIME_STEPS: usize = 200_000;
/// The local problem of the calibration starts this many s.d. below the top barrier.
const CALIBRATION_SIGMAS: f64 = 20.0;
/// Sub-diagonals and super-diagonals of the operator.
const KL: usize = 2;
/// Rows of the band storage with room for the fill of partial pivoting.
const LDAB: usize = 3 * KL + 1;

/// The grid and the cumulants at its nodes (an even number of cells, so that every other
/// node is the grid of the coarse solve).
struct Setup {
    lo: f64,
    hi: f64,
    cells: usize,
    /// Cumulants at nodes $1, \dots$, `cells - 1`.
    coefficients: Vec<Increment>,
    m0: f64,
    /// Whether the bottom is a reflecting floor (the local problem) instead of a barrier.
    reflect: bool,
}

impl Setup {
    fn new(chain: &Chain, atoms: &Atoms, steps: f64, resolution: f64) -> Setup {
        let thr = chain.threshold;
        let top = atoms.cumulants(thr).variance.sqrt();
        let bottom = atoms.cumulants(-thr).variance.sqrt();
        let (lo, hi) = (-thr - BETA * bottom, thr + BETA * top);
        let spread = atoms.cumulants(chain.m0).variance.sqrt() * steps.sqrt();
        let scale = if chain.m0 == 0.0 { spread } else { chain.m0.abs().min(spread) }.min(thr);
        let cells = ((hi - lo) / (scale / (CELLS_PER_SCALE * resolution))).ceil();
        let cells = 2 * ((cells / 2.0).ceil() as usize).clamp(32, 100_000);
        let h = (hi - lo) / cells as f64;
        let coefficients = (1..cells).map(|j| atoms.cumulants(lo + j as f64 * h)).collect();
        Setup { lo, hi, cells, coefficients, m0: chain.m0, reflect: false }
    }

    /// The local problem of the boundary calibration: start `start`, a reflecting floor, the
    /// top barrier shifted by $\beta\sigma$, spacing $\sigma(m_{\rm thr})/4$.
    fn local(chain: &Chain, atoms: &Atoms, start: f64, floor: f64, resolution: f64) -> Setup {
        let thr = chain.threshold;
        let sd = atoms.cumulants(thr).variance.sqrt();
        let (lo, hi) = (floor, thr + BETA * sd);
        let cells =
            2 * (((hi - lo) / (sd / (4.0 * resolution)) / 2.0).ceil() as usize).clamp(32, 100_000);
        let h = (hi - lo) / cells as f64;
        let coefficients = (1..cells).map(|j| atoms.cumulants(lo + j as f64 * h)).collect();
        Setup { lo, hi, cells, coefficients, m0: start, reflect: true }
    }
}

/// The boundary calibration: the median of the exact chain minus that of the diffusion, both
/// started `width` below the top barrier with a reflecting floor `width` further down.
fn calibration(chain: &Chain, atoms: &Atoms, width: f64, resolution: f64) -> Result<f64, String> {
    let thr = chain.threshold;
    let (start, floor) = (thr - width, thr - 2.0 * width);
    let exact = super::grid::local_median(chain, atoms, start, floor)?;
    let drift = atoms.cumulants(thr).mean;
    let local = Setup::local(chain, atoms, start, floor, resolution);
    let (cdf, _) = solve_tuned(&local, width / drift, resolution, 0.5)?;
    Ok(exact - quantile_of(&cdf, 0.5).unwrap_or(f64::NAN))
}

/// The CDF of $n^*$ by the third-order backward equation, up to quantile `horizon`, with
/// about 400 × `resolution` time steps to the median.
///
/// # Errors
/// The horizon not reached within $2 \times 10^5$ time steps.
pub fn diffusion_law(
    chain: &Chain,
    resolution: f64,
    horizon: f64,
) -> Result<Vec<(f64, f64)>, String> {
    let atoms = Atoms::new(chain, 20);
    let steps = steps_estimate(chain, &atoms, super::mean_field_with(chain, &atoms));
    let setup = Setup::new(chain, &atoms, steps, resolution);
    Ok(solve_tuned(&setup, steps, resolution, horizon)?.0)
}

/// Solves with the time step set from `steps`, and once more with it set from the median found
/// if that is off by more than a factor 2; returns the CDF and the time step used.
fn solve_tuned(
    setup: &Setup,
    steps: f64,
    resolution: f64,
    horizon: f64,
) -> Result<(Vec<(f64, f64)>, f64), String> {
    let target = STEPS_TO_MEDIAN * resolution;
    let mut dt = steps / target;
    let mut cdf = solve(setup, 1, dt, true, horizon)?;
    let median = quantile_of(&cdf, 0.5).unwrap_or(f64::NAN);
    if !(median / dt > 0.5 * target && median / dt < 2.0 * target) {
        dt = median / target;
        cdf = solve(setup, 1, dt, true, horizon)?;
    }
    Ok((cdf, dt))
}

/// The CDF, shifted by the boundary calibration, and the error of its median: discretisation
/// (coarse solve) + truncation (the $\kappa_3$ correction) + calibration (its change with the
/// start of the local problem), or $2\sigma/\mu$ at the barrier when there is no calibration.
pub(super) fn law_with_error(
    chain: &Chain,
    atoms: &Atoms,
    steps: f64,
    resolution: f64,
    horizon: f64,
) -> Result<(Vec<(f64, f64)>, f64), String> {
    let setup = Setup::new(chain, atoms, steps, resolution);
    let (cdf, dt) = solve_tuned(&setup, steps, resolution, horizon)?;
    let median = |cdf: &[(f64, f64)]| quantile_of(cdf, 0.5).unwrap_or(f64::NAN);
    let fine = median(&cdf);
    let coarse = median(&solve(&setup, 2, 2.0 * dt, true, 0.5)?);
    let second_order = median(&solve(&setup, 2, 2.0 * dt, false, 0.5)?);
    // Observation at integer steps: calibrated at the top barrier when the drift points there
    // (error: the change of the calibration when its start is moved to half the distance),
    // else bounded by 2 sigma/mu at the barriers the drift points to (2 sqrt(steps) if none).
    let top = atoms.cumulants(chain.threshold);
    let (shift, observation) = if top.mean > 0.0 {
        let w = (CALIBRATION_SIGMAS * top.variance.sqrt()).min(0.25 * chain.threshold);
        let shift = calibration(chain, atoms, w, resolution)?;
        let half = calibration(chain, atoms, 0.5 * w, resolution)?;
        (shift, (shift - half).abs())
    } else {
        let k = atoms.cumulants(-chain.threshold);
        let bound =
            if k.mean < 0.0 { 2.0 * k.variance.sqrt() / -k.mean } else { 2.0 * steps.sqrt() };
        (0.0, bound)
    };
    let error = (fine - coarse).abs() + (coarse - second_order).abs() + observation;
    let cdf = cdf
        .into_iter()
        .map(|(t, f)| (if t > 0.0 { (t + shift).max(0.0) } else { 0.0 }, f))
        .collect();
    Ok((cdf, error))
}

/// One solve on every `stride`-th node with time step `dt`, with or without the $\kappa_3$
/// term, until $u(m_0, t)$ reaches `horizon`.
fn solve(
    setup: &Setup,
    stride: usize,
    dt: f64,
    third: bool,
    horizon: f64,
) -> Result<Vec<(f64, f64)>, String> {
    let cells = setup.cells / stride;
    let h = (setup.hi - setup.lo) / cells as f64;
    let n = cells - 1;
    // bands[i][o] multiplies u at node i + 1 + o - 2; `fixed` collects the nodes at u = 1.
    let mut bands = vec![[0.0; 2 * KL + 1]; n];
    let mut fixed = vec![0.0; n];
    for (i, row) in bands.iter_mut().enumerate() {
        let k = setup.coefficients[(i + 1) * stride - 1];
        let theta = k.mean * h / k.variance;
        let fit = if theta.abs() < 1e-8 { 1.0 } else { theta / theta.tanh() };
        let d = 0.5 * k.variance * fit / (h * h);
        let a = k.mean / (2.0 * h);
        let mut c = [0.0, d - a, -2.0 * d, d + a, 0.0];
        if third {
            let t = k.third / (12.0 * h * h * h);
            c[0] -= t;
            c[1] += 2.0 * t;
            c[3] -= 2.0 * t;
            c[4] += t;
        }
        for (o, &v) in c.iter().enumerate() {
            let node = i + 1 + o;
            if node < KL + 1 && setup.reflect {
                // Mirror about the floor: node -j reads node j + 1.
                row[2 * KL - node - i] += v;
            } else if node < KL + 1 || node >= cells + KL {
                fixed[i] += v;
            } else {
                row[o] += v;
            }
        }
    }
    let quarter = Band::factor(&bands, 0.25 * dt)?;
    let half = Band::factor(&bands, 0.5 * dt)?;
    let at_start = |u: &[f64]| interpolate(u, (setup.m0 - setup.lo) / h, cells);
    let mut u = vec![0.0; n];
    let mut rhs = vec![0.0; n];
    let mut cdf = vec![(0.0, 0.0)];
    let mut t = 0.0;
    for step in 0..MAX_TIME_STEPS {
        if step < 4 {
            // Backward Euler quarter steps: (I - dt/4 G) u' = u + dt/4 b.
            for i in 0..n {
                rhs[i] = u[i] + 0.25 * dt * fixed[i];
            }
            quarter.solve(&mut rhs);
            t += 0.25 * dt;
        } else {
            // Crank–Nicolson: (I - dt/2 G) u' = u + dt/2 G u + dt b.
            for i in 0..n {
                let mut g = 0.0;
                for (o, &v) in bands[i].iter().enumerate() {
                    if v != 0.0 {
                        g += v * u[i + o - KL];
                    }
                }
                rhs[i] = u[i] + 0.5 * dt * g + dt * fixed[i];
            }
            half.solve(&mut rhs);
            t += dt;
        }
        std::mem::swap(&mut u, &mut rhs);
        let f = at_start(&u);
        cdf.push((t, f));
        if f >= horizon {
            return Ok(cdf);
        }
    }
    Err(format!(
        "hitting time (diffusion): P(T ≤ t) < {horizon} after {MAX_TIME_STEPS} time steps of \
         {dt:.3e}"
    ))
}

/// $u$ at the fractional node position `s` by cubic Lagrange interpolation, with $u = 1$ at
/// and beyond the barrier nodes $0$ and `cells`.
fn interpolate(u: &[f64], s: f64, cells: usize) -> f64 {
    let value = |j: isize| {
        if j <= 0 || j >= cells as isize {
            1.0
        } else {
            u[j as usize - 1]
        }
    };
    let j = (s.floor() as isize).clamp(1, cells as isize - 2);
    let x = s - j as f64;
    let (a, b, c, d) = (value(j - 1), value(j), value(j + 1), value(j + 2));
    -x * (x - 1.0) * (x - 2.0) / 6.0 * a + (x + 1.0) * (x - 1.0) * (x - 2.0) / 2.0 * b
        - (x + 1.0) * x * (x - 2.0) / 2.0 * c
        + (x + 1.0) * x * (x - 1.0) / 6.0 * d
}

/// The LU factors, with partial pivoting, of $I - s\,G$ for a pentadiagonal $G$, in band
/// storage by columns: $A_{ij}$ at `ab[(2 KL + i - j) + j LDAB]` (LAPACK's `dgbtrf` layout).
struct Band {
    n: usize,
    ab: Vec<f64>,
    pivots: Vec<usize>,
}

impl Band {
    fn factor(bands: &[[f64; 2 * KL + 1]], s: f64) -> Result<Band, String> {
        let n = bands.len();
        let kv = 2 * KL;
        let mut ab = vec![0.0; LDAB * n];
        let idx = |i: usize, j: usize| kv + i - j + j * LDAB;
        for (i, row) in bands.iter().enumerate() {
            for (o, &v) in row.iter().enumerate() {
                let j = i + o;
                if j < KL || j - KL >= n {
                    continue;
                }
                let j = j - KL;
                ab[idx(i, j)] = if i == j { 1.0 - s * v } else { -s * v };
            }
        }
        let mut pivots = vec![0; n];
        let mut ju = 0;
        for j in 0..n {
            let km = KL.min(n - 1 - j);
            let mut jp = 0;
            for i in 1..=km {
                if ab[idx(j + i, j)].abs() > ab[idx(j + jp, j)].abs() {
                    jp = i;
                }
            }
            pivots[j] = j + jp;
            let pivot = ab[idx(j + jp, j)];
            if pivot == 0.0 || !pivot.is_finite() {
                return Err(format!("hitting time (diffusion): singular operator at row {j}"));
            }
            ju = ju.max((j + KL + jp).min(n - 1));
            if jp != 0 {
                for c in j..=ju {
                    ab.swap(idx(j, c), idx(j + jp, c));
                }
            }
            for i in 1..=km {
                ab[idx(j + i, j)] /= pivot;
            }
            for c in j + 1..=ju {
                let top = ab[idx(j, c)];
                if top != 0.0 {
                    for i in 1..=km {
                        ab[idx(j + i, c)] -= ab[idx(j + i, j)] * top;
                    }
                }
            }
        }
        Ok(Band { n, ab, pivots })
    }

    /// Overwrites `b` with $A^{-1} b$.
    fn solve(&self, b: &mut [f64]) {
        let (n, kv) = (self.n, 2 * KL);
        let idx = |i: usize, j: usize| kv + i - j + j * LDAB;
        for j in 0..n {
            let l = self.pivots[j];
            if l != j {
                b.swap(l, j);
            }
            for i in 1..=KL.min(n - 1 - j) {
                b[j + i] -= self.ab[idx(j + i, j)] * b[j];
            }
        }
        for j in (0..n).rev() {
            b[j] /= self.ab[idx(j, j)];
            for i in j.saturating_sub(kv)..j {
                b[i] -= self.ab[idx(i, j)] * b[j];
            }
        }
    }
}
