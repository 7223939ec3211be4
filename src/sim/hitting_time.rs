//! The exact finite-$d$ law of the weak-recovery time of online spherical SGD, without Monte
//! Carlo.
//!
//! **Statement.** Let $(m_t)$ be the overlap chain of [`OverlapChain`] (link $h_k$, step
//! $\eta$, dimension $d$, start $m_0$) and $m_{\rm thr} \in (|m_0|, 1)$. Let $T$ be the first
//! step with $|m_T| \ge m_{\rm thr}$ and $n^* \in (T-1, T]$ the crossing interpolated in
//! $\log n$ between the bracketing steps, as `information-exponent` measures it. This module
//! computes the law of $n^*$, in particular its median, from $(d, k, \eta, m_0, m_{\rm thr})$
//! alone, with an error estimate. Since $n^* \le n \iff T \le n$ for integer $n$,
//! $P(n^* \le n) = P(T \le n)$ at integers; between integers the law of $n^*$ depends on the
//! crossing fraction $f = (m_{\rm thr} - |m_{T-1}|)/(|m_T| - |m_{T-1}|)$ (the module reads
//! $|m_{T-1}|$ for the running maximum, which differs only on paths that rose and fell back
//! within reach of the threshold).
//!
//! **The kernel.** One step maps $m$ to $m' = F(m; x_1, x_2, r^2)$ (formula in
//! `sim::overlap_chain`, reproduced bit for bit by a private function here and tested against
//! [`OverlapChain::step_with`]), with $x_1, x_2 \sim N(0,1)$ and $r^2 \sim \chi^2_{d-2}$
//! independent. Expectations over one step are computed with a product rule: 20-node
//! Gauss–Hermite in $x_1$ and in $x_2$ ([`gauss_hermite`]) and a 2-node Gauss rule for
//! $\chi^2_\nu$, $\nu = d-2$ (nodes $\nu + \sqrt{2\nu}\,\xi_\pm$, $\xi_\pm$ the roots of
//! $\xi^2 - \gamma\xi - 1$, $\gamma = \sqrt{8/\nu}$ the skewness; exact for cubics in $r^2$,
//! which enters only through the normalisation $1 + s^2(\cdot + r^2)$, so its error is
//! $O(s^8 \nu^2)$). Atoms of weight below $10^{-15}$ are dropped. Expanding
//! $m' = (m + sA)(1 + s^2 Q)^{-1/2}$, $A = x_1 - zm$, $Q = (\sqrt{1-m^2}x_1 - mx_2)^2 + r^2$,
//! and using Mehler's formula $E[f(x_1)g(z)] = \sum_j m^j f_j g_j$ gives the drift
//! $$\mu(m) = E[m' - m] = \eta\, k\, m^{k-1}(1 - m^2) - \tfrac12 \eta^2 m\,
//!   E[h_k(x_1)^2 h_k'(z)^2 Q] + O(\eta^3 d^{3/2}),$$
//! whose noise term is about $\eta^2 d\, k\, m / 2$ at small $m$ (the balance of (H2) of
//! `information-exponent`); the module uses the quadrature values of the cumulants
//! $\kappa_1 = \mu$, $\kappa_2 = \sigma^2$, $\kappa_3$ of $m' - m$ ([`increment_cumulants`]).
//!
//! **Method 1, grid propagation ([`Method::Grid`]): the exact chain.** The sub-probability
//! law of the surviving $m_t$ is carried on nodes spanning $[-m_{\rm thr}, m_{\rm thr}]$ and
//! pushed through the kernel step by step: every atom of the product rule from every node
//! either crosses (its mass is added to $P(T = t)$, in one of 8 bins of its crossing fraction
//! $f$, which places it at $n^* = (t-1)^{1-f} t^f$) or survives and is assigned to its three
//! nearest nodes with the weights of quadratic Lagrange interpolation, which keep mass, mean
//! and second moment of every row exact (a linear split adds a spurious variance $h^2/6$ per
//! step). Node spacing: $h = \sigma_{\min}$ (the smallest per-step increment s.d. at $0$, $m_0$,
//! $\pm m_{\rm thr}$) in the bulk and $h/8$ within $8\sigma(m_{\rm thr})$ of the barriers,
//! where the law of the increment has an integrable singularity at $0$ (for $k = 1$ it
//! contains $\eta x_1^2$), so that the crossing probability from $m$ is not smooth at the
//! barrier and a uniform grid converges only at first order there. Error: second order in
//! $h$ in the bulk; the reported error is the change of the median when the spacing is doubled
//! and the rule coarsened to 14 nodes, which overestimates the change on refinement by 2 to 7
//! (tests: $k = 1$, $d = 128$: $130.151 \pm 0.017$, refined 130.160; $k = 2$, $d = 64$:
//! $150.424 \pm 0.038$, refined 150.429; a prototype at $k = 1$, $d = 64$ gave 60.477,
//! 60.476, 60.475, 60.473 at $h = 2, 1, 1/2, 1/4$ times $\eta$). The crossing fraction is
//! binned in eighths and read with $|m_{T-1}|$ for the running maximum: sub-step errors far
//! below one step. Cost: nodes in use $\times$ entries per row $\times\, n^*$ (for $k \ge 2$
//! the heavy tails of the increment make a row reach most of the grid).
//!
//! **Method 2, the backward equation ([`Method::Diffusion`]).** Where $n^*$ is $10^3$ to
//! $10^7$ steps the grid is too slow. The one-step operator is $e^{G}$ with, for locally
//! constant coefficients, $G$ the cumulant series $\kappa_1\partial + \frac{\kappa_2}{2}
//! \partial^2 + \frac{\kappa_3}{6}\partial^3 + \frac{\kappa_4}{24}\partial^4 + \dots$ (the
//! logarithm of the characteristic function of the increment). Kept to third order (the
//! $\kappa_3$ term is dispersive and stable; with $\kappa_4 > 0$, as here, a truncation
//! after the fourth order is ill-posed), $u(m,t) = P_m(T \le t)$ solves the backward
//! Kolmogorov equation $\partial_t u = G u$ with $u = 1$ on the barriers, and
//! $P(n^* \le t) \approx u(m_0, t)$: one solve gives the whole law. Numerics: a uniform
//! grid of spacing $\ell/24$, $\ell = \min(|m_0|, \sigma(m_0)\sqrt{n_{\rm est}},
//! m_{\rm thr})$ the length scale of the search;
//! central differences with the advection–diffusion part exponentially fitted (Il'in,
//! Allen–Southwell: $\frac{\kappa_2}{2} \to \frac{\kappa_2}{2}\,\theta\coth\theta$,
//! $\theta = \kappa_1 h/\kappa_2$, stable at any Péclet number); Crank–Nicolson in time after
//! four backward-Euler quarter steps (Rannacher 1984), about 400 time steps to the median; a
//! banded LU with partial pivoting. **Observation at integer steps:** the chain is seen only
//! at integer $t$, the diffusion continuously, so the diffusion crosses earlier, by
//! $O(\sigma/\mu)$ steps at the barrier. The barriers are first moved out by $\beta\sigma$,
//! $\beta = -\zeta(1/2)/\sqrt{2\pi} = 0.5826$ (the continuity correction of Siegmund 1979 and
//! Broadie, Glasserman, Kou 1997, exact as the drift per step vanishes), and the remainder is
//! **calibrated**: the exact chain (method 1) and the diffusion are both started
//! $w = \min(20\sigma, m_{\rm thr}/4)$ below the top barrier, with a floor $w$ further down,
//! and the difference of their medians is added to the diffusion's law (a shift in time:
//! the last approach to the barrier is drift-dominated and forgets where it came from).
//! Errors, each estimated and summed into the reported error: (i) discretisation, the change
//! when $h$ and the time step are doubled (second order); (ii) Kramers–Moyal truncation: the
//! neglected $\kappa_4$ term is relative $O(\kappa_4/(\kappa_2\ell^2))$, i.e.
//! $O((\sigma/\ell)^2)$ times the excess kurtosis, bounded by the size of the $\kappa_3$
//! correction itself (median with minus without it), which was 1.6 to 3 times the residual
//! against the grid for $k = 3$, $d = 32, 64, 128$ (residual $-5.6\%, -3.6\%, -1.5\%$,
//! $\kappa_3$ correction $11\%, 6.7\%, 4.8\%$, before calibration; the increments are
//! heavy-tailed, skewness up to 30 and excess kurtosis up to 2700 at $m \approx 0$ for
//! $k = 3$, so the series converges slowly: $\sigma/\ell \approx 2.2/d$ for $k = 3$ and
//! $\approx 1.3\,d^{-1/2}$ for $k = 1, 2$); (iii) the calibration, its change when $w$ is
//! halved (without a drift towards the top barrier there is no calibration and the bound is
//! $2\sigma/|\mu|$ at the bottom one). Measured against the grid after calibration: $k = 1$,
//! $d = 64, 256, 1024$: $+0.25, +0.37, +0.10$ steps; $k = 2$, $d = 64, 128, 181$: $-0.9,
//! -0.9, -0.6$ steps (before calibration: up to $-10$); $k = 3$, $d = 32$: $-9$ of 860. The
//! $O(\mu')$ corrections of a discrete-time drift (the Euler map against its flow) change
//! $n^*$ by $O(\log(\mu(m_{\rm thr})/\mu(m_0)))$ steps and are dropped. Use: large $n^*$,
//! where (i)–(iii) are small relative to $n^*$.
//!
//! **Choice** ([`hitting_time_law_with`]): the grid when its estimated work (nodes in use ×
//! entries per row × steps) is within [`GRID_BUDGET`], else the diffusion. For the cards'
//! claims: the grid for $k = 1$ up to $d = 1024$ and $k = 2$ up to $d = 128$, the diffusion
//! beyond and for every $k = 3$ size.
//!
//! **The mean-field ODE** ([`mean_field_hitting_time`]): $dm/dn = \mu(m)$ from $m_0$, i.e.
//! $n_{\rm MF} = \int_{m_0}^{m_{\rm thr}} dm/\mu(m)$, the deterministic part of the dynamics
//! of the summary statistic $m$ in the analysis of Ben Arous, Gheissari, Jagannath
//! (arXiv:2003.10409v4: online SGD moves $m$ by the population drift plus a martingale), here
//! with the exact finite-$d$ drift. It ignores fluctuations: for $k = 1$ they move the median
//! by 0.1 to 0.2 steps at every $d$ (the ODE is nearly exact, and its slopes are within 0.001
//! of the exact ones); for $k \ge 2$ the escape from $m \sim d^{-1/2}$ is driven by noise as
//! much as by drift and the ODE is high by a relative error that does not vanish with $d$ as
//! it does for $k = 1$: for $k = 2$ by 11% at $d = 64$ falling slowly to 4% at $d = 2048$,
//! for $k = 3$ by 8% at $d = 128$ rising to 12% at $d = 4096$. Infinite if $\mu \le 0$
//! somewhere on $[m_0, m_{\rm thr}]$.
//!
//! ## Results for the claims of `information-exponent`
//! $c = 0.5$, $m_{\rm thr} = 0.5$, $m_0 = d^{-1/2}$. Exact: the median of $n^*$ from
//! [`hitting_time_law`] with its error (G: grid, D: diffusion); MF: mean field; measured:
//! the median over trials of the card's seed-0 runs (quick: 48, 48, 132 trials; full: 96),
//! three digits for $k = 2, 3$. The tests check every $k = 1$ size against the bootstrap
//! interval of its measured median: all inside except $d = 724$ (full), 4.3 standard errors
//! high, where a seed-7 run measures 808.7 and 8000 simulated chains 810.0 ± 0.6.
//!
//! | $d$ | $k=1$ exact | MF | quick | full | $k=2$ exact | MF | quick | full |
//! |---:|---:|---:|---:|---:|---:|---:|---:|---:|
//! | 64 | 60.48 ± 0.04 G | 60.35 | 59.54 | 61.60 | 150.4 ± 0.04 G | 167.1 | 140 | 141 |
//! | 91 | 89.59 ± 0.02 G | 89.49 | 90.68 | 90.74 | 235.3 ± 0.05 G | 258.8 | 249 | 240 |
//! | 128 | 130.15 ± 0.02 G | 130.06 | 132.99 | 131.36 | 360.5 ± 0.08 G | 392.6 | 395 | 369 |
//! | 181 | 189.06 ± 0.00 G | 188.98 | 190.44 | 191.10 | 551.5 ± 5.5 D | 596.2 | 541 | 569 |
//! | 256 | 273.39 ± 0.01 G | 273.30 | 273.94 | 274.38 | 841.3 ± 8.3 D | 901.4 | 794 | 819 |
//! | 362 | 393.68 ± 0.01 G | 393.61 | 399.46 | 389.99 | 1276 ± 11 D | 1357 | 1360 | 1270 |
//! | 512 | 565.29 ± 0.01 G | 565.21 | 555.99 | 560.36 | 1927 ± 16 D | 2036 | 1880 | 1980 |
//! | 724 | 809.44 ± 0.00 G | 809.35 | | 829.16 | 2896 ± 23 D | 3045 | | 3090 |
//! | 1024 | 1156.83 ± 0.01 G | 1156.76 | | 1157.85 | 4336 ± 31 D | 4542 | | 4360 |
//! | 1448 | 1650.2 ± 1.6 D | 1650.05 | | 1650.78 | 6469 ± 40 D | 6755 | | 6610 |
//! | 2048 | 2351.0 ± 1.6 D | 2350.81 | | 2348.37 | 9626 ± 50 D | 10026 | | 9480 |
//!
//! | $d$ | $k=3$ exact (D) | MF | quick | full |
//! |---:|---:|---:|---:|---:|
//! | 128 | 1.197e4 ± 5.5% | 1.287e4 | | 1.21e4 |
//! | 181 | 2.334e4 ± 4.3% | 2.521e4 | | 2.17e4 |
//! | 256 | 4.581e4 ± 3.4% | 4.978e4 | 5.03e4 | 4.18e4 |
//! | 362 | 9.028e4 ± 2.6% | 9.879e4 | 8.42e4 | 8.38e4 |
//! | 512 | 1.788e5 ± 1.9% | 1.969e5 | 1.75e5 | 1.91e5 |
//! | 724 | 3.552e5 ± 1.5% | 3.933e5 | 3.34e5 | 3.45e5 |
//! | 1024 | 7.076e5 ± 1.1% | 7.871e5 | 6.75e5 | 6.75e5 |
//! | 1448 | 1.412e6 ± 0.8% | 1.576e6 | 1.71e6 | 1.90e6 |
//! | 2048 | 2.824e6 ± 0.6% | 3.158e6 | 2.98e6 | 3.35e6 |
//! | 2896 | 5.648e6 ± 0.5% | 6.326e6 | | 6.71e6 |
//! | 4096 | 1.131e7 ± 0.4% | 1.268e7 | | 1.20e7 |
//!
//! Least-squares slopes (of $\log n^*$, for $k = 2$ of $\log(n^*/\log d)$, against
//! $\log d$), exact / mean field / measured with its 95% interval:
//! $k = 1$ quick 1.074 / 1.075 / 1.07 [1.04, 1.11], full 1.054 / 1.054 / 1.05 [1.04, 1.06];
//! $k = 2$ quick 1.031 / 1.007 / 1.03 [0.92, 1.13], full 1.025 / 1.006 / 1.03 [1.00, 1.06];
//! $k = 3$ quick 1.983 / 1.997 / 2.02 [1.87, 2.17], full 1.979 / 1.992 / 2.05 [1.97, 2.11].
//! The exact $k = 3$ slopes carry about $\pm 0.02$ from the error bars (largest at small $d$).
//!
//! **Cost** (one core, release, `cargo bench -- hitting_time`; each size includes the runs
//! of its error estimate): a whole quick curve takes 0.26 s ($k = 1$), 0.33 s ($k = 2$),
//! 0.39 s ($k = 3$); a full curve 0.64, 0.54, 0.65 s; the largest size of a full profile
//! 73 ms ($k = 1$, $d = 2048$), 65 ms ($k = 2$, $d = 2048$), 90 ms ($k = 3$, $d = 4096$,
//! a median of $1.1 \times 10^7$ steps).
//!
//! **Architecture Invariant:** pure numerics: no IO, no random numbers, every sum in a fixed
//! order, so results are bit-identical run to run.
//!
//! ## References
//! * G. Ben Arous, R. Gheissari, A. Jagannath, *Online stochastic gradient descent on
//!   non-convex losses from high-dimensional inference*, JMLR 22(106), 2021; arXiv:2003.10409v4.
//! * D. Siegmund, *Corrected diffusion approximations in certain random walk problems*, Adv.
//!   Appl. Probab. 11 (1979) 701–719; M. Broadie, P. Glasserman, S. Kou, *A continuity
//!   correction for discrete barrier options*, Math. Finance 7 (1997) 325–349.
//! * A. M. Il'in, *Differencing scheme for a differential equation with a small parameter
//!   affecting the highest derivative*, Math. Notes 6 (1969) 596–602; R. Rannacher, *Finite
//!   element solution of diffusion problems with irregular data*, Numer. Math. 43 (1984)
//!   309–327.

mod diffusion;
mod grid;
#[cfg(test)]
mod tests;

#[cfg(doc)]
use crate::sim::overlap_chain::OverlapChain;
use crate::special::hermite::normalised_hermite;
use crate::special::quadrature::gauss_hermite;

pub use diffusion::diffusion_law;
pub use grid::grid_law;

/// How a [`HittingTimeLaw`] was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The exact chain propagated on a grid (module docs, method 1).
    Grid,
    /// The third-order backward Kolmogorov equation (module docs, method 2).
    Diffusion,
}

/// The law of the interpolated hitting time $n^*$: its CDF up to a horizon quantile.
#[derive(Clone, Debug, PartialEq)]
pub struct HittingTimeLaw {
    /// The median of $n^*$, in steps.
    pub median: f64,
    /// How it was computed.
    pub method: Method,
    /// The estimated absolute error of the median, in steps (module docs).
    pub error: f64,
    /// The mean-field time $n_{\rm MF}$ ([`mean_field_hitting_time`]).
    pub mean_field: f64,
    /// Points $(n, P(n^* \le n))$, increasing in both, from $(0, 0)$ to the first point at or
    /// past the horizon quantile; the CDF is linear in between.
    pub cdf: Vec<(f64, f64)>,
}

impl HittingTimeLaw {
    /// $P(n^* \le n)$, or `None` past the last point computed.
    pub fn cdf_at(&self, n: f64) -> Option<f64> {
        let i = self.cdf.partition_point(|&(x, _)| x < n);
        if i == 0 {
            return Some(0.0);
        }
        let (x1, f1) = *self.cdf.get(i)?;
        let (x0, f0) = self.cdf[i - 1];
        Some(if x1 > x0 { f0 + (f1 - f0) * (n - x0) / (x1 - x0) } else { f1 })
    }

    /// The $q$-quantile of $n^*$, or `None` if $q$ is past the horizon computed.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        quantile_of(&self.cdf, q)
    }
}

/// The $q$-quantile of a piecewise-linear CDF given by increasing points.
fn quantile_of(cdf: &[(f64, f64)], q: f64) -> Option<f64> {
    let i = cdf.iter().position(|&(_, f)| f >= q)?;
    if i == 0 {
        return Some(cdf[0].0);
    }
    let ((x0, f0), (x1, f1)) = (cdf[i - 1], cdf[i]);
    Some(if f1 > f0 { x0 + (x1 - x0) * (q - f0) / (f1 - f0) } else { x1 })
}

/// A validated chain: dimension, link degree, step size, start and threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chain {
    /// $d \ge 2$.
    pub dim: u64,
    /// $k \ge 1$: the link is $h_k$.
    pub degree: u32,
    /// $\eta > 0$.
    pub step_size: f64,
    /// $m_0$, with $|m_0| < m_{\rm thr}$.
    pub m0: f64,
    /// $m_{\rm thr} \in (0, 1)$.
    pub threshold: f64,
}

impl Chain {
    /// The chain, or what is wrong with the arguments.
    ///
    /// # Errors
    /// Unless $d \ge 2$, $1 \le k \le 8$, $\eta$ finite and positive, $m_{\rm thr} \in (0,1)$
    /// and $|m_0| < m_{\rm thr}$.
    pub fn new(
        dim: u64,
        degree: u32,
        step_size: f64,
        m0: f64,
        threshold: f64,
    ) -> Result<Chain, String> {
        if dim < 2 {
            return Err(format!("hitting time: dimension d = {dim}, need d ≥ 2"));
        }
        if !(1..=8).contains(&degree) {
            return Err(format!("hitting time: link degree k = {degree}, need 1 ≤ k ≤ 8"));
        }
        if !(step_size.is_finite() && step_size > 0.0) {
            return Err(format!("hitting time: step size η = {step_size}, need 0 < η < ∞"));
        }
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(format!("hitting time: threshold m_thr = {threshold}, need 0 < m_thr < 1"));
        }
        if m0.is_nan() || m0.abs() >= threshold {
            return Err(format!("hitting time: start m0 = {m0}, need |m0| < m_thr = {threshold}"));
        }
        Ok(Chain { dim, degree, step_size, m0, threshold })
    }
}

/// Which method, how fine, and how far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Force a method; `None` lets [`hitting_time_law_with`] choose by cost.
    pub method: Option<Method>,
    /// Refinement factor: spacings and time steps are divided by it (1 is the default grid).
    pub resolution: f64,
    /// Compute the CDF up to this quantile (at least the median, 0.5).
    pub horizon: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options { method: None, resolution: 1.0, horizon: 0.5 }
    }
}

/// The grid method is chosen when its estimated work, in row entries updated (nodes in use ×
/// entries per row × steps), is at most this: about 0.1 s at 3 ns an entry.
pub const GRID_BUDGET: f64 = 2.5e7;

/// The law of $n^*$ with the default [`Options`] (median, method chosen by cost).
///
/// # Errors
/// Invalid arguments ([`Chain::new`]), or a law the methods could not resolve (no crossing
/// within $10^9$ steps).
pub fn hitting_time_law(
    dim: u64,
    degree: u32,
    step_size: f64,
    m0: f64,
    threshold: f64,
) -> Result<HittingTimeLaw, String> {
    let chain = Chain::new(dim, degree, step_size, m0, threshold)?;
    hitting_time_law_with(&chain, &Options::default())
}

/// The law of $n^*$: by the grid when its estimated work is within [`GRID_BUDGET`], by the
/// backward equation otherwise (or as `options.method` says).
///
/// # Errors
/// As [`hitting_time_law`]; also a resolution that is not positive and finite, or a horizon
/// outside $[0.5, 1)$.
pub fn hitting_time_law_with(chain: &Chain, options: &Options) -> Result<HittingTimeLaw, String> {
    if !(options.resolution.is_finite() && options.resolution > 0.0) {
        return Err(format!("hitting time: resolution {} must be positive", options.resolution));
    }
    if !(0.5..1.0).contains(&options.horizon) {
        return Err(format!("hitting time: horizon {} must be in [0.5, 1)", options.horizon));
    }
    let atoms = Atoms::new(chain, 20);
    let mean_field = mean_field_with(chain, &atoms);
    let steps = steps_estimate(chain, &atoms, mean_field);
    let method = options.method.unwrap_or_else(|| {
        if grid::work_estimate(chain, &atoms, options.resolution, steps) <= GRID_BUDGET {
            Method::Grid
        } else {
            Method::Diffusion
        }
    });
    let (cdf, error) = match method {
        Method::Grid => grid::law_with_error(chain, options.resolution, options.horizon)?,
        Method::Diffusion => {
            diffusion::law_with_error(chain, &atoms, steps, options.resolution, options.horizon)?
        }
    };
    let median = quantile_of(&cdf, 0.5).ok_or("hitting time: the median was not reached")?;
    Ok(HittingTimeLaw { median, method, error, mean_field, cdf })
}

/// A first guess of $n^*$: the mean-field time when finite, else the diffusive time
/// $(m_{\rm thr} - |m_0|)^2 / \sigma^2(m_0)$.
fn steps_estimate(chain: &Chain, atoms: &Atoms, mean_field: f64) -> f64 {
    if mean_field.is_finite() {
        return mean_field.max(1.0);
    }
    let s = atoms.cumulants(chain.m0);
    ((chain.threshold - chain.m0.abs()).powi(2) / s.variance).max(1.0)
}

/// The first three cumulants of the increment $m' - m$ of one step from $m$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Increment {
    /// $\kappa_1 = \mu(m)$, the drift.
    pub mean: f64,
    /// $\kappa_2 = \sigma^2(m)$.
    pub variance: f64,
    /// $\kappa_3$.
    pub third: f64,
}

/// The cumulants of one step of `chain` from overlap `m` (product rule of the module docs).
pub fn increment_cumulants(chain: &Chain, m: f64) -> Increment {
    Atoms::new(chain, 20).cumulants(m)
}

/// The mean-field time $\int_{m_0}^{m_{\rm thr}} dm/\mu(m)$, or infinity when $m_0 \le 0$ or
/// $\mu \le 0$ at some quadrature node (module docs: its error against the exact law).
///
/// Returns NaN for arguments [`Chain::new`] refuses.
pub fn mean_field_hitting_time(
    dim: u64,
    degree: u32,
    step_size: f64,
    m0: f64,
    threshold: f64,
) -> f64 {
    match Chain::new(dim, degree, step_size, m0, threshold) {
        Ok(chain) => mean_field_with(&chain, &Atoms::new(&chain, 20)),
        Err(_) => f64::NAN,
    }
}

/// $\int dm/\mu$ in $u = \ln m$: 64 panels of 8-point Gauss–Legendre.
fn mean_field_with(chain: &Chain, atoms: &Atoms) -> f64 {
    if chain.m0 <= 0.0 {
        return f64::INFINITY;
    }
    let (a, b) = (chain.m0.ln(), chain.threshold.ln());
    let rule = crate::special::quadrature::gauss_legendre(8).expect("8 nodes are valid");
    let panels = 64;
    let width = (b - a) / f64::from(panels);
    let mut total = 0.0;
    for p in 0..panels {
        let mid = a + (f64::from(p) + 0.5) * width;
        for (&x, &w) in rule.nodes().iter().zip(rule.weights()) {
            let m = (mid + 0.5 * width * x).exp();
            let drift = atoms.cumulants(m).mean;
            if drift <= 0.0 {
                return f64::INFINITY;
            }
            total += 0.5 * width * w * m / drift;
        }
    }
    total
}

/// The atoms of the product rule for one step: $(x_1, h_k(x_1), x_2, r^2)$ and weight.
#[derive(Clone, Debug)]
struct Atoms {
    degree: u32,
    step_size: f64,
    x1: Vec<f64>,
    y: Vec<f64>,
    x2: Vec<f64>,
    r2: Vec<f64>,
    w: Vec<f64>,
}

/// Atoms lighter than this are dropped (their total weight is below $10^{-12}$).
const ATOM_FLOOR: f64 = 1e-15;

impl Atoms {
    /// `nodes`-point Gauss–Hermite in $x_1$ and $x_2$, 2-point Gauss in $r^2$.
    fn new(chain: &Chain, nodes: usize) -> Atoms {
        let gh = gauss_hermite(nodes).expect("a node count in 1..=1000 is valid");
        let chi = chi_square_rule(chain.dim);
        let mut a = Atoms {
            degree: chain.degree,
            step_size: chain.step_size,
            x1: Vec::new(),
            y: Vec::new(),
            x2: Vec::new(),
            r2: Vec::new(),
            w: Vec::new(),
        };
        for (&x1, &w1) in gh.nodes().iter().zip(gh.weights()) {
            let (y, _) = normalised_hermite(chain.degree, x1);
            for (&x2, &w2) in gh.nodes().iter().zip(gh.weights()) {
                for &(r2, w3) in &chi {
                    let w = w1 * w2 * w3;
                    if w >= ATOM_FLOOR {
                        a.x1.push(x1);
                        a.y.push(y);
                        a.x2.push(x2);
                        a.r2.push(r2);
                        a.w.push(w);
                    }
                }
            }
        }
        a
    }

    /// The number of atoms.
    fn len(&self) -> usize {
        self.w.len()
    }

    /// The overlap after one step from `m` on atom `i`, and its weight.
    #[inline]
    fn step(&self, m: f64, i: usize) -> (f64, f64) {
        let next = next_overlap(
            self.degree,
            self.step_size,
            m,
            self.x1[i],
            self.y[i],
            self.x2[i],
            self.r2[i],
        );
        (next, self.w[i])
    }

    /// Cumulants of $m' - m$ from its raw moments, summed in atom order (the mean is at most
    /// of the order of the s.d., so forming central moments from raw ones loses no digits
    /// that matter).
    fn cumulants(&self, m: f64) -> Increment {
        let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
        for i in 0..self.len() {
            let (next, w) = self.step(m, i);
            let d = next - m;
            s0 += w;
            s1 += w * d;
            s2 += w * d * d;
            s3 += w * d * d * d;
        }
        let (mean, second, third) = (s1 / s0, s2 / s0, s3 / s0);
        Increment {
            mean,
            variance: second - mean * mean,
            third: third - 3.0 * mean * second + 2.0 * mean * mean * mean,
        }
    }
}

/// The 2-node Gauss rule of $\chi^2_{d-2}$ (module docs), or the point $r^2 = 0$ when $d = 2$.
fn chi_square_rule(dim: u64) -> Vec<(f64, f64)> {
    if dim <= 2 {
        return vec![(0.0, 1.0)];
    }
    let nu = (dim - 2) as f64;
    let gamma = (8.0 / nu).sqrt();
    let root = (gamma * gamma + 4.0).sqrt();
    let (lo, hi) = (0.5 * (gamma - root), 0.5 * (gamma + root));
    let w_lo = hi / (hi - lo);
    let sd = (2.0 * nu).sqrt();
    vec![(nu + sd * lo, w_lo), (nu + sd * hi, 1.0 - w_lo)]
}

/// One step of the overlap chain from `m` on the sample $(x_1, x_2, r^2)$, with
/// $y = h_k(x_1)$ given: the same operations, in the same order, as
/// [`OverlapChain::step_with`].
#[inline]
fn next_overlap(degree: u32, step_size: f64, m: f64, x1: f64, y: f64, x2: f64, r2: f64) -> f64 {
    let q = (1.0 - m * m).max(0.0).sqrt();
    let z = m * x1 + q * x2;
    let (_, dh) = normalised_hermite(degree, z);
    let s = step_size * y * dh;
    let along = (1.0 - s * z) * m + s * x1;
    let perp = q * x1 - m * x2;
    let norm_sq = 1.0 + s * s * (perp * perp + r2);
    along / norm_sq.sqrt()
}
