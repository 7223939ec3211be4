//! # Why depth helps: linear smoothers reach Stone's rate on smooth targets and stall at $n^{-1/2}$ on a jump
//!
//! **Smooth targets (Stone 1982).** For regression $Y = f(X) + \sigma\varepsilon$ with $f$ of
//! smoothness $s$ on a $D$-dimensional domain, the minimax mean squared error is
//! $n^{-2s/(2s+D)}$, and a kernel smoother with bandwidth $h \asymp n^{-1/(2s+D)}$ attains it
//! as long as its kernel's order $\nu$ is at least $s$: bias $h^{s}$, variance $1/(nh^D)$. A
//! second-order kernel (the Gaussian, $\nu = 2$) saturates at $s = 2$, so the checked rate is
//! $2s'/(2s'+D)$ with $s' = \min(s, \nu)$: $4/5$, $2/3$, $4/7$ for $D = 1, 2, 3$ at $s = 2$.
//!
//! **A jump (Imaizumi–Fukumizu 2019; Suzuki 2019).** A target with a jump has $L^2$
//! smoothness exactly $1/2$ ($\lVert f(\cdot+\delta) - f\rVert_2^2 \asymp |\delta|$). A linear
//! smoother with a translation-invariant kernel of width $h$ pays the squared jump on a window
//! of width $h$ (integrated squared bias $\asymp J^2 h$) and variance $\sigma^2/(nh)$: at best
//! $h \asymp n^{-1/2}$ and MSE $\asymp n^{-1/2}$; any other bandwidth sequence
//! $h \asymp n^{-\gamma}$ gives $n^{-\min(\gamma, 1-\gamma)}$, slower. An adaptive estimator that
//! places the jump from the data (least squares over "one free jump + smooth part", the
//! free-knot fit checked here; a trained ReLU network would be another) localises it to
//! $O(1/n)$ and reaches MSE $\asymp n^{-1}$. That gap, linear versus adaptive on non-smooth
//! targets, is the approximation-theoretic half of "why depth helps"; the depth-efficiency
//! result `depth-efficiency-square` stays the registry's reference for approximation by depth
//! itself. The derivations (the bias–variance balance, the bandwidth constants, the torus and
//! the boundary, the jump's rates) are in `docs/theory/depth-approximation.md`.
//!
//! ## Statement
//! The experiment design, `measure`, is the estimator: `nadaraya-watson` ([`NadarayaWatson`])
//! or `free-knot` ([`FreeKnot`]), each with exactly its own fields. Hypotheses, each a field of
//! a design or of the sweep:
//! * (H1) the target (`target`) is either `torus-sines`, $f(x) = \sum_{j \le D}
//!   \sin(2\pi x_j)$ on the torus $[0,1)^D$ with $1 \le D \le$ [`MAX_DIMENSION`] (a periodic
//!   domain: no boundary bias), or `jump`, $f(x) = J\,\mathbf 1\{x \ge t_0\} + A \sin(2\pi x)$
//!   on $[0, 1]$ with $J \ne 0$ and $A$ finite and the MSE measured on the evaluation interval
//!   $(a, b)$, $0 \le a < t_0 < b \le 1$: the jump lies inside it.
//! * (H2) torus targets: the smoothness class $s$ the smoother is tuned to is finite and
//!   $s > 0$ (`target.smoothness`). The sines are $C^\infty$, so they lie in every class; the
//!   rate uses $s' = \min(s, \nu)$ with $\nu = 2$ the Gaussian kernel's order.
//! * (H3) the noise level is finite and $\sigma \ge 0$ (`noise`).
//! * (H4) Nadaraya–Watson (`measure = "nadaraya-watson"`): the bandwidth is
//!   $h = c\,n^{-1/(2s'+D)}$ with $c > 0$ finite (`bandwidth_constant`), and its truncated
//!   kernel ([`KERNEL_CUTOFF`] $h$ in each coordinate) stays small at the smallest $n$: on the
//!   torus $4h \le 1/2$ (the wrapped distance is the distance), on the interval
//!   $4h \le \min(a, 1-b)$ (no evaluation point's window crosses the boundary, so the
//!   boundary bias of a local-constant smoother stays outside the evaluation interval).
//! * (H5) free-knot least squares (`measure = "free-knot"`) is for the `jump` target;
//!   its smooth part is a polynomial of degree $0 \le K \le$ [`MAX_DEGREE`] (`degree`), every
//!   $n \ge 4(K+2)$, and the sieve holds the target's smooth part: the squared $L^2$ error of
//!   the best degree-$K$ approximation of $A\sin(2\pi x)$ on $[0, 1]$ is at most 1% of the
//!   estimator's variance $\sigma^2 (K+2)/n$ at the largest $n$ (else that constant bias would
//!   bend the curve; with $\sigma = 0$ there is no rate to measure).
//! * (H6) Nadaraya–Watson: $1 \le m \le$ [`MAX_TEST_POINTS`] test points (`test_points`).
//! * (H7) the sizes are sample sizes $n \ge$ [`MIN_SAMPLES`] with
//!   $n_{\max} \cdot m \cdot D \le$ [`MAX_WORK`] for Nadaraya–Watson (the untruncated
//!   smoother's cost; a few seconds per trial at worst) and $n_{\max} (K+1)^2 \le$
//!   [`MAX_WORK`] for free-knot (the QR of its polynomial basis).
//!
//! ## Prediction
//! Computed by [`TypedTheorem::predict`]: Nadaraya–Watson on `torus-sines`,
//! $\mathrm{MSE} \asymp n^{-2s'/(2s'+D)}$ (Stone's rate; with the bandwidth tuned to $s'$ the
//! variance is $\asymp n^{-2s'/(2s'+D)}$ and the bias is at most of that order since the target
//! is at least $s'$-smooth, so the exponent is exact, not a bound). Nadaraya–Watson on `jump`:
//! the same formula at the jump's $L^2$ smoothness $s = 1/2$, $D = 1$: exactly $1/2$, with
//! $h \asymp n^{-1/2}$, the bandwidth rate that makes it largest. Free-knot on `jump`: exactly
//! $1$: the smooth part lives in a fixed $(K+1)$-dimensional sieve (variance
//! $\sigma^2(K+2)/n$, approximation error negligible by (H5)) and the least-squares jump
//! location is $O_P(1/n)$ off (a change point in a regression with a fixed jump), costing
//! $J^2\,|\hat t - t_0| = O_P(1/n)$.
//!
//! ## Simulation
//! One trial at size $n$ draws $n$ design points uniform on the domain and responses
//! $Y = f(X) + \sigma\varepsilon$, $\varepsilon \sim N(0,1)$, fits the estimator and returns the
//! mean of $(\hat f - f)^2$ over $m$ test points: uniform draws on the torus; the midpoints of
//! $m$ equal cells of $(a, b)$ for Nadaraya–Watson on the jump (a fixed grid integrates the bias
//! concentrated near the jump without the noise of a random count); for the free-knot fit the
//! exact integral $\frac{1}{b-a}\int_a^b (\hat f - f)^2$, a composite Gauss–Legendre rule split
//! at the true and the fitted jump (the error is smooth between them; so the free-knot design
//! has no test points). Nadaraya–Watson uses the Gaussian kernel on the wrapped distance
//! (torus) or the distance (interval), truncated at [`KERNEL_CUTOFF`] $h$ per coordinate and
//! evaluated through cell lists or a sorted design ([`crate::sim::smoothers`]); free-knot
//! least squares profiles the jump location over every gap of the sorted design
//! ([`crate::sim::smoothers::free_knot_fit`]). A test point with no design point in its kernel
//! window makes the trial `Failed`. The trials are in `trials.rs`.
//!
//! Version 1 of the free-knot claim used the midpoint grid too, which does not resolve the strip
//! of width $O(1/n)$ between the fitted jump and the true one once $n \gtrsim m/2$: at large $n$
//! the measured MSE lost the $J^2|\hat t - t_0|$ term and its slope came out steeper than 1
//! (the card gives the diagnosis and both versions' results).
//!
//! ## Deviations from the source
//! Stone's theorem is a minimax statement over a smoothness class; we measure one
//! $C^\infty$ target with one estimator tuned to $s'$, so the check is the attainment half of
//! the rate, not its lower bound. The linear-estimator lower bound of Imaizumi–Fukumizu and
//! Suzuki is likewise over a class (over jump locations): a linear estimator that knows the
//! jump's location (least squares on a fixed basis containing $\mathbf 1\{x \ge t_0\}$) is
//! linear and fast, so the checked statement is the rate of the translation-invariant smoother
//! with the bandwidth rate that is best for it, $h \asymp n^{-1/2}$ (not a cross-validated
//! bandwidth: the exponent is the same, and a fixed rule keeps the prediction exact and the
//! medians less noisy). The adaptive estimator is the free-knot least squares, not a trained
//! ReLU network (training one to its statistical rate costs orders of magnitude more, and its
//! optimisation error would blur the exponent); its sieve has fixed dimension, so its rate
//! carries no logarithmic factor (the general rates of the sources do). Imaizumi–Fukumizu and
//! Suzuki's $D > 1$ and Besov rates are not checked: we know them only as recalled, not
//! verified against the papers' text.
//!
//! ## References
//! * M. Imaizumi, K. Fukumizu, *Deep neural networks learn non-smooth functions effectively*,
//!   AISTATS 2019; arXiv:1802.04474 (the card gives the version and locator).
//! * C. J. Stone, *Optimal global rates of convergence for nonparametric regression*, Ann.
//!   Statist. 10(4):1040–1053, 1982; doi:10.1214/aos/1176345969 (no arXiv version exists).
//! * T. Suzuki, *Adaptivity of deep ReLU network for learning in Besov and mixed smooth Besov
//!   spaces: optimal rate and curse of dimensionality*, ICLR 2019; arXiv:1810.08033.

mod rivals;
mod trials;

#[cfg(test)]
mod tests;

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::resources::TrialCost;
use crate::rng::Rng;
use crate::sim::smoothers::KERNEL_CUTOFF;
use crate::special::quadrature::gauss_legendre;
use crate::theorem::{About, Observation, TypedTheorem, Validated};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use trials::{free_knot_trial, nadaraya_watson_trial};

/// The largest torus dimension (the smoother's window holds a fraction $(12h)^D$ of the data).
pub const MAX_DIMENSION: u32 = 4;
/// The largest polynomial degree of the free-knot fit's smooth part.
pub const MAX_DEGREE: u32 = 20;
/// The most test points a trial evaluates.
pub const MAX_TEST_POINTS: u32 = 100_000;
/// The smallest sample size.
pub const MIN_SAMPLES: u64 = 16;
/// The budget $n_{\max}\cdot m \cdot D$ of one trial (kernel evaluations without truncation).
pub const MAX_WORK: f64 = 2e9;
/// The order $\nu$ of the Gaussian kernel.
pub const KERNEL_ORDER: f64 = 2.0;
/// The $L^2$ (Besov $B^{s}_{2,\infty}$) smoothness of a function with a jump.
pub const JUMP_SMOOTHNESS: f64 = 0.5;

/// The module of theorem `depth-approximation`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DepthApproximation;

/// The regression function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Target {
    /// $\sum_{j\le D} \sin(2\pi x_j)$ on the torus $[0,1)^D$.
    TorusSines {
        /// $D$ (H1).
        dimension: u32,
        /// The smoothness class $s$ the smoother is tuned to (H2).
        smoothness: f64,
    },
    /// $J\,\mathbf 1\{x \ge t_0\} + A\sin(2\pi x)$ on $[0, 1]$, MSE on $(a, b)$.
    Jump {
        /// $t_0$ (H1).
        location: f64,
        /// $J$ (H1).
        height: f64,
        /// $A$ (H1).
        amplitude: f64,
        /// $(a, b)$ (H1).
        evaluation: [f64; 2],
    },
}

impl Target {
    fn dimension(&self) -> u32 {
        match self {
            Target::TorusSines { dimension, .. } => *dimension,
            Target::Jump { .. } => 1,
        }
    }

    /// The smoothness the smoother's bandwidth is tuned to: $\min(s, \nu)$, or $1/2$ for a jump.
    fn tuned_smoothness(&self) -> f64 {
        match self {
            Target::TorusSines { smoothness, .. } => smoothness.min(KERNEL_ORDER),
            Target::Jump { .. } => JUMP_SMOOTHNESS,
        }
    }
}

/// Parameters of one claim: the estimator (`measure`, the experiment design) with its own
/// fields, and the regression function it is run on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum DepthApproximationParams {
    /// Gaussian-kernel Nadaraya–Watson with $h = c\,n^{-1/(2s'+D)}$ (linear in $Y$).
    NadarayaWatson(NadarayaWatson),
    /// Least squares over a degree-$K$ polynomial plus one jump at a free location.
    FreeKnot(FreeKnot),
}

/// `measure = "nadaraya-watson"`: the MSE of the kernel smoother on `test_points` points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NadarayaWatson {
    /// The regression function (H1, H2).
    pub target: Target,
    /// $c$ in $h = c\,n^{-1/(2s'+D)}$ (H4).
    pub bandwidth_constant: f64,
    /// $\sigma$ (H3).
    pub noise: f64,
    /// $m$ (H6).
    pub test_points: u32,
}

/// `measure = "free-knot"`: the exact integrated squared error of the free-knot fit (no test
/// points: the error is integrated by a Gauss–Legendre rule).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeKnot {
    /// The regression function: a jump (H1, H5).
    pub target: Target,
    /// $K$, the degree of the smooth part (H5).
    pub degree: u32,
    /// $\sigma$ (H3).
    pub noise: f64,
}

impl DepthApproximationParams {
    /// The regression function, whichever estimator fits it.
    pub fn target(&self) -> &Target {
        match self {
            DepthApproximationParams::NadarayaWatson(p) => &p.target,
            DepthApproximationParams::FreeKnot(p) => &p.target,
        }
    }

    /// $\sigma$, whichever estimator.
    pub fn noise(&self) -> f64 {
        match self {
            DepthApproximationParams::NadarayaWatson(p) => p.noise,
            DepthApproximationParams::FreeKnot(p) => p.noise,
        }
    }
}

impl NadarayaWatson {
    /// The bandwidth exponent $1/(2s'+D)$.
    pub fn bandwidth_exponent(&self) -> f64 {
        1.0 / (2.0 * self.target.tuned_smoothness() + f64::from(self.target.dimension()))
    }

    /// The bandwidth at sample size `n`: $c\,n^{-1/(2s'+D)}$.
    pub fn bandwidth(&self, n: u64) -> f64 {
        self.bandwidth_constant * (n as f64).powf(-self.bandwidth_exponent())
    }

    /// The smoother's MSE at `n` from the asymptotic expansion: the squared bias with the
    /// exact Gaussian smoothing of the target (its large-$n$ limit) plus the variance at
    /// uniform design density, $(\sigma^2 + \overline{|\nabla f|^2}\, h^2/2)/(n h^D
    /// (2\sqrt\pi)^D)$, whose second term (the spread of $f$ over the window, of relative order
    /// $h^2$) is the leading finite-$n$ correction. The design uses this curve's fitted slope
    /// over a claim's grid as the theory's finite-$n$ drift of the exponent.
    pub fn theory_mse(&self, n: u64) -> f64 {
        let h = self.bandwidth(n);
        let damping = (-2.0 * PI * PI * h * h).exp(); // Gaussian smoothing of sin(2πx)
        let d = f64::from(self.target.dimension());
        let window = n as f64 * (2.0 * PI.sqrt() * h).powf(d);
        match &self.target {
            Target::TorusSines { .. } => {
                // Mean of |∇f|² = Σ_j 4π² cos²(2π x_j) is 2π² D.
                let spread = 2.0 * PI * PI * d * h * h / 2.0;
                d * (1.0 - damping).powi(2) / 2.0 + (self.noise.powi(2) + spread) / window
            }
            Target::Jump { location, height, amplitude, evaluation: [a, b] } => {
                // Smooth part: mean |f'|² = 2π² A²; the jump's own spread is O(1/n).
                let spread = 2.0 * PI * PI * amplitude * amplitude * h * h / 2.0;
                let m = 4000;
                let bias2 = (0..m)
                    .map(|k| {
                        let x = a + (k as f64 + 0.5) * (b - a) / m as f64;
                        let step = if x >= *location { 1.0 } else { 0.0 };
                        let jump = height * (normal_cdf((x - location) / h) - step);
                        let smooth = amplitude * (damping - 1.0) * (2.0 * PI * x).sin();
                        (jump + smooth).powi(2)
                    })
                    .sum::<f64>()
                    / m as f64;
                bias2 + (self.noise.powi(2) + spread) / window
            }
        }
    }

    /// The least-squares slope of $-\log$ [`Self::theory_mse`] against $\log n$ over `sizes`:
    /// the exponent the asymptotic expansion predicts on that grid.
    pub fn theory_exponent(&self, sizes: &[u64]) -> f64 {
        let pts: Vec<(f64, f64)> =
            sizes.iter().map(|&n| ((n as f64).ln(), self.theory_mse(n).ln())).collect();
        let k = pts.len() as f64;
        let (xm, ym) =
            (pts.iter().map(|p| p.0).sum::<f64>() / k, pts.iter().map(|p| p.1).sum::<f64>() / k);
        let sxy: f64 = pts.iter().map(|p| (p.0 - xm) * (p.1 - ym)).sum();
        let sxx: f64 = pts.iter().map(|p| (p.0 - xm).powi(2)).sum();
        -sxy / sxx
    }
}

/// $\Phi(z)$ via the complementary error function (Abramowitz–Stegun 7.1.26 is too coarse; use
/// statrs).
fn normal_cdf(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
}

/// The squared $L^2([0, 1])$ distance from $A\sin(2\pi x)$ to the polynomials of degree $\le K$:
/// the tail $\sum_{k>K} c_k^2$ of its orthonormal-Legendre coefficients (summed to $K + 40$).
pub fn sine_sieve_error(amplitude: f64, degree: u32) -> f64 {
    let top = degree as usize + 40;
    let Ok(rule) = gauss_legendre(120) else { return f64::INFINITY };
    let mut coeff = vec![0.0; top + 1];
    let mut p = vec![0.0; top + 1];
    for (&u, &w) in rule.nodes().iter().zip(rule.weights()) {
        crate::sim::smoothers::legendre(u, &mut p);
        let f = amplitude * (PI * (u + 1.0)).sin(); // x = (u+1)/2
        for k in 0..=top {
            // Orthonormal on [0,1]: sqrt(2k+1) P_k(2x-1); dx = du/2.
            coeff[k] += 0.5 * w * f * p[k] * ((2 * k + 1) as f64).sqrt();
        }
    }
    coeff[degree as usize + 1..].iter().map(|c| c * c).sum()
}

const H1: &str =
    "(H1) target: torus-sines on [0,1)^D with 1 ≤ D ≤ 4, or jump J 1{x ≥ t0} + A sin(2πx) \
     with J ≠ 0, A finite and the jump inside the evaluation interval: 0 ≤ a < t0 < b ≤ 1";
const H2: &str = "(H2) the smoothness s of a torus target is finite and s > 0 (the rate uses \
     s' = min(s, 2), the Gaussian kernel's order)";
const H3: &str = "(H3) the noise level σ is finite and σ ≥ 0";
const H4: &str = "(H4) Nadaraya–Watson: bandwidth h = c n^(-1/(2s'+D)) with c > 0 finite, and its \
     truncated window 4h ≤ 1/2 on the torus, 4h ≤ min(a, 1 - b) on the interval, at every n";
const H5: &str = "(H5) free-knot least squares: jump target only, degree 0 ≤ K ≤ 20, n ≥ 4(K+2), \
     and the degree-K sieve's squared error on A sin(2πx) ≤ 1% of σ²(K+2)/n_max";
const H6: &str = "(H6) Nadaraya–Watson: 1 ≤ test_points ≤ 100000";
const H7: &str = "(H7) sample sizes n ≥ 16 with n_max · test_points · D ≤ 2e9 (Nadaraya–Watson) \
     or n_max (K+1)² ≤ 2e9 (free-knot)";

const ABOUT: About = About {
    hypotheses: &[
        ("target", H1),
        ("target.smoothness", H2),
        ("noise", H3),
        ("bandwidth_constant", H4),
        ("degree", H5),
        ("test_points", H6),
        ("sizes", H7),
    ],
    simulation: "n design points uniform on the torus [0,1)^D or on [0,1], Y = f(X) + σ N(0,1); \
                 Nadaraya–Watson (truncated Gaussian kernel, h = c n^(-1/(2s'+D))) or free-knot \
                 least squares (polynomial + one jump); the observable is the mean squared error \
                 on m test points (uniform on the torus, a midpoint grid of the evaluation interval)",
};

impl TypedTheorem for DepthApproximation {
    type Params = DepthApproximationParams;

    fn id(&self) -> &'static str {
        "depth-approximation"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let (n_min, n_max) =
            (sizes.first().copied().unwrap_or(0), sizes.last().copied().unwrap_or(0));
        match p.target() {
            Target::TorusSines { dimension, smoothness } => {
                if !(1..=MAX_DIMENSION).contains(dimension) {
                    out.push(Violation::new("params.target", H1, format!("D = {dimension}")));
                }
                if !(smoothness.is_finite() && *smoothness > 0.0) {
                    out.push(Violation::new("params.target", H2, format!("s = {smoothness}")));
                }
            }
            Target::Jump { location, height, amplitude, evaluation: [a, b] } => {
                let inside = 0.0 <= *a && a < location && location < b && *b <= 1.0;
                if !inside {
                    out.push(Violation::new(
                        "params.target",
                        H1,
                        format!("jump at t0 = {location}, evaluation interval ({a}, {b})"),
                    ));
                }
                if !(height.is_finite() && *height != 0.0 && amplitude.is_finite()) {
                    out.push(Violation::new(
                        "params.target",
                        H1,
                        format!("J = {height}, A = {amplitude}"),
                    ));
                }
            }
        }
        let noise = p.noise();
        if !(noise.is_finite() && noise >= 0.0) {
            out.push(Violation::new("params.noise", H3, format!("σ = {noise}")));
        }
        let work = match p {
            DepthApproximationParams::NadarayaWatson(nw) => {
                let c = nw.bandwidth_constant;
                if !(c.is_finite() && c > 0.0) {
                    out.push(Violation::new("params.bandwidth_constant", H4, format!("c = {c}")));
                } else if out.is_empty() && n_min > 0 {
                    let window = KERNEL_CUTOFF * nw.bandwidth(n_min);
                    let room = match &nw.target {
                        Target::TorusSines { .. } => 0.5,
                        Target::Jump { evaluation: [a, b], .. } => a.min(1.0 - b),
                    };
                    if window > room {
                        out.push(Violation::new(
                            "params.bandwidth_constant",
                            H4,
                            format!("4h = {window:.4} > {room} at n = {n_min} (c = {c})"),
                        ));
                    }
                }
                if !(1..=MAX_TEST_POINTS).contains(&nw.test_points) {
                    out.push(Violation::new(
                        "params.test_points",
                        H6,
                        format!("m = {}", nw.test_points),
                    ));
                }
                let work =
                    n_max as f64 * f64::from(nw.test_points) * f64::from(nw.target.dimension());
                (
                    work,
                    format!("n_max · m · D = {work:.3e} (n_max = {n_max}, m = {})", nw.test_points),
                )
            }
            DepthApproximationParams::FreeKnot(fk) => {
                let degree = fk.degree;
                match &fk.target {
                    Target::TorusSines { .. } => out.push(Violation::new(
                        "params.target",
                        H5,
                        format!("free-knot with a torus-sines target (degree {degree})"),
                    )),
                    Target::Jump { .. } if degree > MAX_DEGREE => {
                        out.push(Violation::new("params.degree", H5, format!("K = {degree}")))
                    }
                    Target::Jump { amplitude, .. } => {
                        let k = u64::from(degree);
                        if n_min > 0 && n_min < 4 * (k + 2) {
                            out.push(Violation::new(
                                "params.degree",
                                H5,
                                format!("n = {n_min} < 4(K+2) = {}", 4 * (k + 2)),
                            ));
                        }
                        let sieve = sine_sieve_error(*amplitude, degree);
                        let variance = noise.powi(2) * (k + 2) as f64 / n_max.max(1) as f64;
                        if noise.is_finite() && (sieve.is_nan() || sieve > 0.01 * variance) {
                            out.push(Violation::new(
                                "params.degree",
                                H5,
                                format!(
                                    "sieve error {sieve:.2e} > 1% of σ²(K+2)/n_max = \
                                     {variance:.2e} (K = {degree}, n_max = {n_max})"
                                ),
                            ));
                        }
                    }
                }
                let work = n_max as f64 * f64::from(degree.saturating_add(1)).powi(2);
                (work, format!("n_max (K+1)² = {work:.3e} (n_max = {n_max}, K = {degree})"))
            }
        };
        if let Some(n) = sizes.iter().find(|&&n| n < MIN_SAMPLES) {
            out.push(Violation::new("sizes", H7, format!("n = {n}")));
        }
        if work.0 > MAX_WORK {
            out.push(Violation::new("sizes", H7, work.1));
        }
        out
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        let d = p.target().dimension();
        match (&**p, p.target()) {
            (
                DepthApproximationParams::NadarayaWatson(_),
                Target::TorusSines { smoothness, .. },
            ) => {
                let s = smoothness.min(KERNEL_ORDER);
                let a = 2.0 * s / (2.0 * s + f64::from(d));
                Prediction {
                    kind: ClaimKind::PowerDecay,
                    exponent: Exponent::Exactly(a),
                    law: format!("MSE ~ n^-{}, D = {d}", ratio(2.0 * s, 2.0 * s + f64::from(d))),
                    rationale: format!(
                        "Stone 1982: n^(-2s'/(2s'+D)), s' = min(s = {smoothness}, kernel order 2) \
                         = {s}; bias h^s', variance 1/(n h^D), h ~ n^(-1/(2s'+D))"
                    ),
                    size: "n".into(),
                    observable: "MSE".into(),
                }
            }
            (DepthApproximationParams::NadarayaWatson(_), Target::Jump { .. }) => {
                let s = JUMP_SMOOTHNESS;
                Prediction {
                    kind: ClaimKind::PowerDecay,
                    exponent: Exponent::Exactly(2.0 * s / (2.0 * s + 1.0)),
                    law: "MSE ~ n^-1/2 (linear, jump)".into(),
                    rationale: "a jump has L2 smoothness 1/2: squared bias J² h on the jump's \
                                window, variance σ²/(nh), best at h ~ n^(-1/2); any h ~ n^-γ gives \
                                n^-min(γ, 1-γ) (Imaizumi–Fukumizu 2019, Suzuki 2019)"
                        .into(),
                    size: "n".into(),
                    observable: "MSE".into(),
                }
            }
            (DepthApproximationParams::FreeKnot(_), _) => Prediction {
                kind: ClaimKind::PowerDecay,
                exponent: Exponent::Exactly(1.0),
                law: "MSE ~ n^-1 (free knot, jump)".into(),
                rationale:
                    "fixed-dimension sieve for the smooth part (variance σ²(K+2)/n) and the \
                            least-squares jump location O_P(1/n) off: the parametric rate \
                            (Imaizumi–Fukumizu 2019: adaptive estimators reach n^-1 up to logs)"
                        .into(),
                size: "n".into(),
                observable: "MSE".into(),
            },
        }
    }

    /// Nadaraya–Watson holds the design and responses, their binned copy and the test points
    /// (about $(2D + 3)n + Dm$ values) and sums, per test point, the design points within its
    /// window of side $2 \cdot$ `KERNEL_CUTOFF` $h$ (about 20 operations each); free-knot least
    /// squares holds a prefix table of $(K+1)$ moments per point and sorted copies (about
    /// $(K + 6)n$ values) and updates $(K+1)^2$ entries per point.
    fn cost(&self, p: &Validated<Self::Params>, size: u64) -> TrialCost {
        let n = size as f64;
        match &**p {
            DepthApproximationParams::NadarayaWatson(nw) => {
                let dim = f64::from(nw.target.dimension());
                let m = f64::from(nw.test_points);
                let window = (2.0 * KERNEL_CUTOFF * nw.bandwidth(size)).min(1.0).powf(dim);
                TrialCost::from_counts((2.0 * dim + 3.0) * n + dim * m, 0.0, 0.0, 20.0 * m * n * window + 10.0 * dim * n)
            }
            DepthApproximationParams::FreeKnot(fk) => {
                let k = f64::from(fk.degree) + 1.0;
                TrialCost::from_counts((k + 6.0) * n, 0.0, 0.0, 2.0 * k * k * n)
            }
        }
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation {
        // A faer kernel that ran earlier on this worker thread (another claim's trial) may have
        // left the upper AVX state dirty, which halves the speed of the scalar `exp` loop below
        // (benches/README.md, kernel learners); clearing it changes no value.
        crate::numerics::clear_avx_upper();
        match &**p {
            DepthApproximationParams::NadarayaWatson(nw) => nadaraya_watson_trial(nw, size, rng),
            DepthApproximationParams::FreeKnot(fk) => free_knot_trial(fk, size, rng),
        }
    }

    /// Nadaraya–Watson on a torus target: the bias–variance expansion with its constants
    /// ([`NadarayaWatson::theory_mse`]); the other designs have none.
    fn finite_size_provenance(&self, p: &Validated<Self::Params>) -> Option<String> {
        rivals::finite_size_design(p).map(|_| rivals::PROVENANCE.to_string())
    }

    fn finite_size(&self, p: &Validated<Self::Params>, sizes: &[u64]) -> Result<Vec<f64>, String> {
        let nw = rivals::finite_size_design(p)
            .ok_or("only Nadaraya–Watson on a torus target has a finite-size expansion")?;
        Ok(sizes.iter().map(|&n| nw.theory_mse(n)).collect())
    }

    fn rivals(&self, p: &Validated<Self::Params>) -> Vec<RivalLaw> {
        rivals::rivals(p)
    }

    fn rival_curve(
        &self,
        p: &Validated<Self::Params>,
        rival: &str,
        sizes: &[u64],
    ) -> Result<Vec<f64>, String> {
        rivals::rival_curve(p, rival, sizes)
    }
}

/// `p/q` reduced when both are integers (4/5, 2/3, 4/7), else a decimal.
fn ratio(p: f64, q: f64) -> String {
    if p.fract() == 0.0 && q.fract() == 0.0 && p > 0.0 && q > 0.0 {
        let (a, b) = (p as u64, q as u64);
        let g = gcd(a, b);
        format!("{}/{}", a / g, b / g)
    } else {
        format!("{:.3}", p / q)
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}
