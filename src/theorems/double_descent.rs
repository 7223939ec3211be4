//! # Double descent: the risk of ridgeless least squares diverges as $|1-\gamma|^{-1}$ at $p = n$
//!
//! Least squares with $p$ features and $n$ samples, fitted without a ridge (the minimum-norm
//! solution once $p > n$), has a test risk that first rises with $\gamma = p/n$, diverges at
//! the interpolation threshold $p = n$, and falls again beyond it: over-parameterised
//! interpolators generalise better than the model that barely interpolates. The divergence is
//! the variance term, $\propto |1-\gamma|^{-1}$ on both sides; random ReLU features show the
//! same peak where the width $N$ meets $n$.
//!
//! ## Statement
//! Model (isotropic Gaussian design, Hastie–Montanari–Rosset–Tibshirani §2): $x \sim N(0,
//! I_p)$, $y = \langle x, \beta\rangle + \varepsilon$, $\lVert\beta\rVert^2 = r^2$, $\mathrm{Var}\,
//! \varepsilon = \sigma^2$; $\hat\beta = X^+ y$ (least squares for $p < n$, minimum norm for
//! $p > n$); risk $R = \mathbb E\lVert\hat\beta - \beta\rVert^2$ (the excess prediction risk, as
//! $\Sigma = I$). Hypotheses, each a field of [`DoubleDescentParams`] or of the sweep:
//! * (H0) `variance-below` / `variance-above`: the sizes are the distances $s \ge 1$ to the
//!   threshold, $p = n - 1 - s \ge 1$ below and $p = n + 1 + s \le$ [`MAX_FEATURES`] above.
//!   $s = 0$ is $p = n \mp 1$, and $p = n$ ($\gamma = 1$) has no $s$: there the exact risk is
//!   infinite. `rf-peak`: the sizes are sample sizes $16 \le n \le$ [`MAX_RF_SAMPLES`].
//! * (H1) variance claims: `samples` $n$ with $10 \le n \le 2000$; `rf-peak` takes none (its
//!   sizes are $n$).
//! * (H2) `signal` $r^2 \ge 0$ and `noise` $\sigma^2 > 0$, finite (without noise the variance
//!   term vanishes and nothing diverges).
//! * (H3) `replicates` $1 \le B \le 1000$: draws averaged in one trial.
//! * (H4) `panel_gammas`: each $\gamma \in (0, 3]$ with $p = \mathrm{round}(\gamma n) \ge 1$ and
//!   $p \notin \{n-1, n, n+1\}$ (for ridgeless regression $\gamma = 1$ has infinite risk);
//!   `panel_ridges`: each $\lambda > 0$, finite; `panel_size`, a size of every profile's
//!   sweep, where the figure is drawn (once per claim); all for variance claims only.
//! * (H5) `rf-peak`: input dimension $2 \le d \le 1000$ (`dim`) and $100 \le m \le 100000$ test
//!   points (`test_points`).
//!
//! ## Prediction
//! The exact finite-$n$ risk for a Gaussian design follows from the inverse-Wishart mean
//! $\mathbb E[W^{-1}] = I_k/(m - k - 1)$ for $W \sim \mathrm{Wishart}_k(I, m)$: given $X$,
//! the variance term is $\sigma^2 \mathrm{tr}((X^\top X)^{-1})$ ($p < n$) or $\sigma^2
//! \mathrm{tr}((X X^\top)^{-1})$ ($p > n$), and above the threshold the bias is
//! $\lVert(I - P_{\mathrm{row}(X)})\beta\rVert^2$ with mean $r^2(1 - n/p)$. Hence
//! $$R = \sigma^2 \frac{p}{n-p-1}\ (p \le n-2), \qquad R = r^2\Big(1 - \frac np\Big) +
//! \sigma^2 \frac{n}{p-n-1}\ (p \ge n+2).$$
//! As $n, p \to \infty$ with $p/n \to \gamma$ these tend to the asymptotic laws
//! $\sigma^2\gamma/(1-\gamma)$ and $r^2(1 - 1/\gamma) + \sigma^2/(\gamma-1)$: the variance
//! diverges as $|1-\gamma|^{-1}$. At finite $n$ the pole sits at $s = |p - n| - 1 = 0$, not at
//! $|1-\gamma| = 0$: in the distance $s$ the exact variance is an exact power law on both
//! sides, $\sigma^2 n/s$ (below, after dividing $R$ by $\gamma = p/n$; above, after subtracting
//! the analytic bias), whereas against $|1-\gamma| = (s+1)/n$ it is a power law only
//! asymptotically (its local slope is $-(s+1)/s$, $-1.1$ at $s = 9$). **The variance claims
//! test the finite-$n$ law**: the decay exponent of $R/\gamma$ (below) or $R - r^2(1 - n/p)$
//! (above) in $s$ is the order of the pole of $\mathbb E[W^{-1}]$, exactly 1, which is the
//! asymptotic $|1-\gamma|^{-1}$ law's exponent.
//! `rf-peak`: for random ReLU features $\phi(x) = (\mathrm{relu}\langle w_j, x\rangle)_{j \le
//! N}$ fitted without a ridge, the test risk peaks at the interpolation threshold $N = n$, where
//! the $n \times N$ feature matrix turns square and its smallest singular value vanishes
//! (Belkin et al.; Mei–Montanari's RF asymptotics put the divergence at $N/n = 1$). The peak
//! location therefore scales as $N^*(n) \sim n^1$.
//!
//! ## Simulation
//! Variance claims: by rotation invariance $\beta = r e_1$. A trial at distance $s$ draws $B$
//! independent data sets ($X$ with i.i.d. $N(0,1)$ entries, $\varepsilon \sim N(0, \sigma^2)$),
//! fits each with [`ridge_fit`] at $\lambda = 0$ (Cholesky of the normal equations of the
//! smaller side, `Par::Seq`), and returns the mean of $\lVert\hat\beta - \beta\rVert^2$ over the
//! $B$ draws, divided by $\gamma$ (below) or minus $r^2(1 - n/p)$ (above). The harness takes
//! the median of the trials: the risk of one draw is heavily right-skewed near the threshold
//! (a few small eigenvalues of $W$ dominate $\mathrm{tr}\,W^{-1}$), so one draw's median sits
//! well below the mean the formula gives; the mean over $B$ draws is what the median is taken
//! of, and $B$ is sized for that (see the card). A failed factorisation or a non-positive
//! observable is [`Observation::Failed`].
//! `rf-peak`: a trial at sample size $n$ draws $n$ training and $m$ test points uniform on
//! $S^{d-1}(\sqrt d)$, the target $f(x) = r x_1$ ($\lVert f\rVert^2 = r^2$) plus noise of
//! variance $\sigma^2$, and $N_{\max}$ neurons $w_j \sim N(0, I_d/d)$; for every width $N$ of the
//! fixed geometric grid $\mathrm{round}(4 \cdot 2^{j/8})$ inside $[n/2, 2n]$ (without $N \in
//! \{n-1, n, n+1\}$, whose expected risk is infinite as for $p = n$) it fits the first $N$
//! features without a ridge and measures the excess test risk $\frac1m\sum(\hat f - f)^2$,
//! averaged over $B$ such draws. The observable is the peak location: the vertex of the parabola through $\log$ risk against
//! $\log N$ at the grid maximum and its two neighbours (clamped to them). The grid does not
//! depend on $n$ (it is not centred on the prediction); a maximum at the window's edge is
//! [`Observation::Failed`].
//!
//! ## Deviations from the source
//! Hastie et al. state the risk asymptotically (and for general $\Sigma$ and non-Gaussian
//! entries); the claims here use the isotropic Gaussian case, where the finite-$n$ formula is
//! exact, and test its pole order in the distance $s$ at fixed $n$, over $|1-\gamma| \in
//! [0.055, 0.5]$. Belkin et al.'s random-features experiments use random Fourier and ReLU
//! features on real data (MNIST, CIFAR-10) with the risk against $N$ at one $n$; here the data
//! are synthetic (a linear target on the sphere) and the claim is the scaling of the peak
//! location across $n$. The ridge formula (Marchenko–Pastur) appears in the figure only.
//!
//! ## References
//! * T. Hastie, A. Montanari, S. Rosset, R. J. Tibshirani, *Surprises in high-dimensional
//!   ridgeless least squares interpolation*, Ann. Statist. 50(2), 2022; arXiv:1903.08560 (the
//!   card gives the version and locator).
//! * M. Belkin, D. Hsu, S. Ma, S. Mandal, *Reconciling modern machine-learning practice and
//!   the classical bias–variance trade-off*, PNAS 116(32), 2019; arXiv:1812.11118.
//! * R. J. Muirhead, *Aspects of Multivariate Statistical Theory*, Wiley 1982, §3.2 (the
//!   inverse-Wishart mean).

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction};
use crate::learn::least_squares::predict;
use crate::learn::{ridge_fit, sphere_points, ReluFeatures};
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::stats;
use crate::theorem::{About, Observation, Panel, TypedTheorem, Validated};
use faer::Mat;
use serde::{Deserialize, Serialize};

/// The most features a variance trial may fit ($p = n + 1 + s$): an $n \times p$ design and
/// an $n \times n$ Gram matrix per draw.
pub const MAX_FEATURES: u64 = 4000;

/// The largest sample size of an `rf-peak` trial: widths up to $2n = 2000$, about 20 ridge
/// fits of up to $1000^2 \cdot 2000$ flops each.
pub const MAX_RF_SAMPLES: u64 = 1000;

/// Ratio of the random-features width grid: $2^{1/8}$.
const WIDTH_RATIO: f64 = 1.090_507_732_665_257_7;

/// The grid's base: widths are $\mathrm{round}(4 \cdot 2^{j/8})$.
const WIDTH_BASE: f64 = 4.0;

/// The module of theorem `double-descent`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DoubleDescent;

/// What a claim measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// $R/\gamma$ against $s = n - p - 1$ ($p < n$).
    VarianceBelow,
    /// $R - r^2(1 - n/p)$ against $s = p - n - 1$ ($p > n$).
    VarianceAbove,
    /// The width at which the random-features risk peaks, against $n$.
    RfPeak,
}

/// Parameters of one claim; each field is one hypothesis of the module docs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoubleDescentParams {
    /// What the claim measures.
    pub measure: Measure,
    /// $n$, the training samples of a variance claim (H1).
    #[serde(default)]
    pub samples: Option<u64>,
    /// $r^2 = \lVert\beta\rVert^2$ (H2).
    pub signal: f64,
    /// $\sigma^2$, the noise variance (H2).
    pub noise: f64,
    /// $B$: independent draws averaged in one trial (H3).
    pub replicates: u32,
    /// Variance claims: the $\gamma$ at which the figure simulates the ridgeless risk (H4).
    #[serde(default)]
    pub panel_gammas: Vec<f64>,
    /// Variance claims: the ridges $\lambda$ whose Marchenko–Pastur risk the figure draws (H4).
    #[serde(default)]
    pub panel_ridges: Vec<f64>,
    /// Variance claims: the size of the sweep whose figure slot draws the curve, once per
    /// claim (H4); required with `panel_gammas`.
    #[serde(default)]
    pub panel_size: Option<u64>,
    /// `rf-peak`: input dimension $d$ (H5).
    #[serde(default)]
    pub dim: Option<u32>,
    /// `rf-peak`: test points $m$ (H5).
    #[serde(default)]
    pub test_points: Option<u32>,
}

const H0: &str = "(H0) variance claims: sizes are distances s ≥ 1 to the threshold, p = n-1-s ≥ 1 \
                  below, p = n+1+s ≤ 4000 above (s = 0 is p = n ∓ 1 and p = n is γ = 1: the \
                  ridgeless risk is infinite there); rf-peak: sizes are 16 ≤ n ≤ 1000";
const H1: &str =
    "(H1) variance claims: samples 10 ≤ n ≤ 2000; rf-peak: no `samples` (its sizes are n)";
const H2: &str = "(H2) signal r² ≥ 0 and noise σ² > 0, finite";
const H3: &str = "(H3) 1 ≤ replicates B ≤ 1000";
const H4: &str = "(H4) panel_gammas in (0, 3] with p = round(γn) ≥ 1 and p ∉ {n-1, n, n+1} \
                  (γ = 1 has infinite ridgeless risk); panel_ridges λ > 0; panel_size one of the \
                  sizes; variance claims only";
const H5: &str = "(H5) rf-peak: 2 ≤ dim d ≤ 1000 and 100 ≤ test_points ≤ 100000";

const ABOUT: About = About {
    hypotheses: &[
        ("sizes", H0),
        ("samples", H1),
        ("signal, noise", H2),
        ("replicates", H3),
        ("panel_gammas, panel_ridges, panel_size", H4),
        ("dim, test_points", H5),
    ],
    simulation: "x ~ N(0, I_p), y = <x, β> + ε; ridgeless least squares (minimum norm for p > n) \
                 by Cholesky of the smaller side's normal equations; a trial averages \
                 ‖β̂ - β‖² over B draws, divided by γ below the threshold or minus the bias \
                 r²(1 - n/p) above; rf-peak: ridgeless random ReLU features on a fixed width \
                 grid in [n/2, 2n], the peak of the test risk located by a parabola in log-log",
};

/// The exact expected risk $\mathbb E\lVert\hat\beta - \beta\rVert^2$ of ridgeless least
/// squares with a Gaussian design: $\sigma^2 p/(n-p-1)$ for $p \le n-2$, $r^2(1 - n/p) +
/// \sigma^2 n/(p-n-1)$ for $p \ge n+2$; `None` (infinite) for $p \in \{n-1, n, n+1\}$.
pub fn exact_risk(n: u64, p: u64, signal: f64, noise: f64) -> Option<f64> {
    let (nf, pf) = (n as f64, p as f64);
    if p + 2 <= n {
        Some(noise * pf / (nf - pf - 1.0))
    } else if p >= n + 2 {
        Some(exact_bias(n, p, signal) + noise * nf / (pf - nf - 1.0))
    } else {
        None
    }
}

/// The bias $r^2(1 - n/p)$ of the minimum-norm fit for $p > n$ (0 for $p \le n$).
pub fn exact_bias(n: u64, p: u64, signal: f64) -> f64 {
    if p > n {
        signal * (1.0 - n as f64 / p as f64)
    } else {
        0.0
    }
}

/// The asymptotic ridgeless risk at $\gamma = p/n$: $\sigma^2\gamma/(1-\gamma)$ below 1,
/// $r^2(1 - 1/\gamma) + \sigma^2/(\gamma - 1)$ above; `None` at $\gamma = 1$.
pub fn asymptotic_risk(gamma: f64, signal: f64, noise: f64) -> Option<f64> {
    if gamma < 1.0 {
        Some(noise * gamma / (1.0 - gamma))
    } else if gamma > 1.0 {
        Some(signal * (1.0 - 1.0 / gamma) + noise / (gamma - 1.0))
    } else {
        None
    }
}

/// The Marchenko–Pastur Stieltjes transform $m(-\lambda) = \int (x + \lambda)^{-1}\,
/// \mu_\gamma(dx)$ and $m'(-\lambda) = \int (x + \lambda)^{-2}\,\mu_\gamma(dx)$ for $\lambda >
/// 0$: $m$ is the positive root of $\gamma\lambda m^2 + (\lambda + 1 - \gamma) m - 1 = 0$
/// (each form of the root chosen to avoid cancellation), $m'$ by implicit differentiation.
pub fn mp_stieltjes(gamma: f64, lambda: f64) -> (f64, f64) {
    let a = gamma * lambda;
    let b = lambda + 1.0 - gamma;
    let root = (b * b + 4.0 * a).sqrt();
    let m = if b >= 0.0 { 2.0 / (b + root) } else { (root - b) / (2.0 * a) };
    let m_prime = (gamma * m * m + m) / (2.0 * a * m + b);
    (m, m_prime)
}

/// The asymptotic risk of ridge regression with per-sample ridge $\lambda > 0$ (objective
/// $\frac1n\lVert y - Xb\rVert^2 + \lambda\lVert b\rVert^2$): $r^2\lambda^2 m'(-\lambda) +
/// \sigma^2\gamma\,[m(-\lambda) - \lambda m'(-\lambda)]$ (theory file, cards K2 and N7).
pub fn ridge_risk(gamma: f64, lambda: f64, signal: f64, noise: f64) -> f64 {
    let (m, mp) = mp_stieltjes(gamma, lambda);
    signal * lambda * lambda * mp + noise * gamma * (m - lambda * mp)
}

impl DoubleDescentParams {
    /// The number of features at distance $s$ from the threshold, for a variance claim.
    fn features(&self, s: u64) -> Option<u64> {
        let n = self.samples?;
        match self.measure {
            Measure::VarianceBelow => n.checked_sub(1 + s),
            Measure::VarianceAbove => Some(n + 1 + s),
            Measure::RfPeak => None,
        }
    }
}

impl TypedTheorem for DoubleDescent {
    type Params = DoubleDescentParams;

    fn id(&self) -> &'static str {
        "double-descent"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let variance = p.measure != Measure::RfPeak;
        if variance {
            match p.samples {
                Some(n) if (10..=2000).contains(&n) => {
                    let side = if p.measure == Measure::VarianceBelow { "below" } else { "above" };
                    if sizes.contains(&0) {
                        let (q, sign) = if side == "below" { (n - 1, "-") } else { (n + 1, "+") };
                        out.push(Violation::new(
                            "sizes",
                            H0,
                            format!(
                                "s = 0 is p = n {sign} 1 = {q}: the ridgeless risk there (and at \
                                 γ = 1) is infinite, so it has no finite value to fit"
                            ),
                        ));
                    } else if let Some(&s) =
                        sizes.iter().find(|&&s| p.features(s).is_none_or(|q| q == 0))
                    {
                        out.push(Violation::new(
                            "sizes",
                            H0,
                            format!("s = {s} leaves no feature below n = {n} (p = n - 1 - s ≥ 1)"),
                        ));
                    } else if let Some(&s) =
                        sizes.iter().find(|&&s| p.features(s).is_some_and(|q| q > MAX_FEATURES))
                    {
                        out.push(Violation::new(
                            "sizes",
                            H0,
                            format!(
                                "s = {s} needs p = {} > {MAX_FEATURES} features",
                                p.features(s).unwrap_or(0)
                            ),
                        ));
                    }
                }
                Some(n) => out.push(Violation::new("params.samples", H1, format!("n = {n}"))),
                None => out.push(Violation::new("params.samples", H1, "missing".to_string())),
            }
        } else {
            if p.samples.is_some() {
                out.push(Violation::new(
                    "params.samples",
                    H1,
                    "an rf-peak claim's sample sizes are its sizes; remove `samples`".to_string(),
                ));
            }
            if let Some(n) = sizes.iter().find(|&&n| !(16..=MAX_RF_SAMPLES).contains(&n)) {
                out.push(Violation::new("sizes", H0, format!("n = {n}")));
            }
        }
        if !(p.signal.is_finite() && p.signal >= 0.0) {
            out.push(Violation::new("params.signal", H2, format!("r² = {}", p.signal)));
        }
        if !(p.noise.is_finite() && p.noise > 0.0) {
            out.push(Violation::new(
                "params.noise",
                H2,
                format!("σ² = {} (without noise the variance term vanishes)", p.noise),
            ));
        }
        if !(1..=1000).contains(&p.replicates) {
            out.push(Violation::new("params.replicates", H3, format!("B = {}", p.replicates)));
        }
        if variance {
            if let Some(n) = p.samples.filter(|n| (10..=2000).contains(n)) {
                for &g in &p.panel_gammas {
                    let q = (g * n as f64).round();
                    let why = if !(g > 0.0 && g <= 3.0) {
                        format!("γ = {g} is outside (0, 3]")
                    } else if q < 1.0 {
                        format!("γ = {g} gives p = 0 features at n = {n}")
                    } else if (q - n as f64).abs() <= 1.0 {
                        format!(
                            "γ = {g} gives p = {q} at n = {n}: γ = 1 (p ∈ {{n-1, n, n+1}}) has \
                             infinite ridgeless risk"
                        )
                    } else {
                        continue;
                    };
                    out.push(Violation::new("params.panel_gammas", H4, why));
                    break;
                }
            }
            if let Some(l) = p.panel_ridges.iter().find(|l| !(l.is_finite() && **l > 0.0)) {
                out.push(Violation::new("params.panel_ridges", H4, format!("λ = {l}")));
            }
            match p.panel_size {
                None if !p.panel_gammas.is_empty() => out.push(Violation::new(
                    "params.panel_size",
                    H4,
                    "missing (needed with panel_gammas)".to_string(),
                )),
                Some(s) if !sizes.contains(&s) => out.push(Violation::new(
                    "params.panel_size",
                    H4,
                    format!("{s} is not a size of the sweep {sizes:?}"),
                )),
                _ => {}
            }
        } else if !p.panel_gammas.is_empty() || !p.panel_ridges.is_empty() || p.panel_size.is_some()
        {
            out.push(Violation::new(
                "params.panel_gammas",
                H4,
                "only variance claims take `panel_gammas` and `panel_ridges`".to_string(),
            ));
        }
        if variance {
            if p.dim.is_some() || p.test_points.is_some() {
                out.push(Violation::new(
                    "params.dim",
                    H5,
                    "only rf-peak claims take `dim` and `test_points`".to_string(),
                ));
            }
        } else {
            match p.dim {
                Some(d) if (2..=1000).contains(&d) => {}
                other => out.push(Violation::new("params.dim", H5, format!("d = {other:?}"))),
            }
            match p.test_points {
                Some(m) if (100..=100_000).contains(&m) => {}
                other => {
                    out.push(Violation::new("params.test_points", H5, format!("m = {other:?}")))
                }
            }
        }
        out
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        // The order of the pole of the inverse-Wishart mean E[W^-1] = I/(m - k - 1) at
        // m - k - 1 = 0: a simple pole, so the variance decays as s^-1 in the distance s.
        let pole_order = 1.0;
        let n = p.samples.unwrap_or(0);
        let (r2, s2) = (p.signal, p.noise);
        match p.measure {
            Measure::VarianceBelow => Prediction {
                kind: ClaimKind::PowerDecay,
                exponent: Exponent::Exactly(pole_order),
                law: "R/γ = σ² n/s ~ s^-1 (s = n - p - 1)".into(),
                rationale: format!(
                    "exact Gaussian-design risk σ² p/(n - p - 1) (inverse-Wishart mean; the \
                     finite-n form of Hastie et al.'s σ² γ/(1 - γ)), n = {n}, σ² = {s2}"
                ),
                size: "s".into(),
                observable: "R/γ".into(),
            },
            Measure::VarianceAbove => Prediction {
                kind: ClaimKind::PowerDecay,
                exponent: Exponent::Exactly(pole_order),
                law: "R - r²(1 - n/p) = σ² n/s ~ s^-1 (s = p - n - 1)".into(),
                rationale: format!(
                    "exact Gaussian-design risk r²(1 - n/p) + σ² n/(p - n - 1) (the finite-n \
                     form of Hastie et al.'s r²(1 - 1/γ) + σ²/(γ - 1)), n = {n}, r² = {r2}, \
                     σ² = {s2}"
                ),
                size: "s".into(),
                observable: "R - bias".into(),
            },
            Measure::RfPeak => {
                // The feature matrix is n × N: it turns square, and its smallest singular
                // value vanishes, at N = n, one parameter per sample: N* = n^1.
                let interpolation_power = 1.0;
                Prediction {
                    kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
                    exponent: Exponent::Exactly(interpolation_power),
                    law: "N*(n) ~ n (peak at N = n)".into(),
                    rationale: "ridgeless random ReLU features interpolate from N = n on; the \
                                n × N feature matrix is square there and the risk diverges \
                                (Belkin, Hsu, Ma, Mandal 2019; Mei–Montanari asymptotics)"
                        .into(),
                    size: "n".into(),
                    observable: "N*".into(),
                }
            }
        }
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation {
        let result = match p.measure {
            Measure::VarianceBelow | Measure::VarianceAbove => variance_trial(p, size, rng),
            Measure::RfPeak => rf_peak(p, size, rng),
        };
        result.unwrap_or_else(Observation::Failed)
    }

    /// Variance claims draw, at their first size only, the whole double-descent curve at
    /// their $n$: the simulated ridgeless risk at `panel_gammas` beside the exact finite-$n$
    /// formula, its asymptotic limit and the Marchenko–Pastur ridge risk at `panel_ridges`.
    /// `rf-peak` draws the random-features risk against $N$ at each $n$.
    fn panel(
        &self,
        p: &Validated<Self::Params>,
        size: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        match p.measure {
            Measure::RfPeak => Some(rf_panel(p, size, stream)),
            // One figure per claim, at `panel_size`: the curve does not depend on the size.
            _ if p.panel_gammas.is_empty() || p.panel_size != Some(size) => None,
            _ => Some(curve_panel(p, stream)),
        }
    }
}

/// $n \times p$ i.i.d. standard normals, drawn row by row.
fn gaussian_design(n: usize, p: usize, rng: &mut Rng) -> Mat<f64> {
    let mut row = vec![0.0; p];
    let mut x = Mat::<f64>::zeros(n, p);
    for i in 0..n {
        draw_gaussians(&mut row, rng);
        for (j, v) in row.iter().enumerate() {
            x[(i, j)] = *v;
        }
    }
    x
}

/// One draw's $\lVert\hat\beta - \beta\rVert^2$ at $(n, p)$ with ridge $\lambda$, $\beta = r e_1$.
fn one_risk(
    n: usize,
    p: usize,
    lambda: f64,
    signal: f64,
    noise: f64,
    rng: &mut Rng,
) -> Result<f64, String> {
    let x = gaussian_design(n, p, rng);
    let mut eps = vec![0.0; n];
    draw_gaussians(&mut eps, rng);
    let (r, sigma) = (signal.sqrt(), noise.sqrt());
    let y: Vec<f64> = (0..n).map(|i| r * x[(i, 0)] + sigma * eps[i]).collect();
    let (beta, _) = ridge_fit(x.as_ref(), &y, lambda)
        .map_err(|e| format!("least squares at n = {n}, p = {p}: {e}"))?;
    let err: f64 = beta
        .iter()
        .enumerate()
        .map(|(j, b)| {
            let t = if j == 0 { r } else { 0.0 };
            (b - t) * (b - t)
        })
        .sum();
    if err.is_finite() {
        Ok(err)
    } else {
        Err(format!("the risk is {err} at n = {n}, p = {p}"))
    }
}

/// One variance trial at distance $s$: the mean risk over $B$ draws, divided by $\gamma$
/// (below) or minus the bias (above).
fn variance_trial(p: &DoubleDescentParams, s: u64, rng: &mut Rng) -> Result<Observation, String> {
    let n = p.samples.ok_or("no samples")?;
    let q = p.features(s).ok_or("no features")?;
    let mut total = 0.0;
    for _ in 0..p.replicates {
        total += one_risk(n as usize, q as usize, 0.0, p.signal, p.noise, rng)?;
    }
    let mean = total / f64::from(p.replicates);
    let value = match p.measure {
        Measure::VarianceBelow => mean * n as f64 / q as f64,
        _ => mean - exact_bias(n, q, p.signal),
    };
    if value > 0.0 && value.is_finite() {
        Ok(Observation::Value(value))
    } else {
        Err(format!("the variance estimate is {value} at p = {q} (not positive)"))
    }
}

/// The fixed width grid $\mathrm{round}(4 \cdot 2^{j/8})$ inside $[n/2, 2n]$, without
/// $N \in \{n-1, n, n+1\}$.
pub fn width_grid(n: u64) -> Vec<u64> {
    let (lo, hi) = (n as f64 / 2.0, 2.0 * n as f64);
    let mut grid = Vec::new();
    let mut w = WIDTH_BASE;
    while w <= hi + 0.5 {
        let k = w.round() as u64;
        if k as f64 >= lo && k as f64 <= hi && k.abs_diff(n) > 1 && grid.last() != Some(&k) {
            grid.push(k);
        }
        w *= WIDTH_RATIO;
    }
    grid
}

/// The excess test risk of ridgeless random features at every width of `grid`, for one draw
/// of data and neurons at sample size $n$.
fn rf_risks(
    p: &DoubleDescentParams,
    n: u64,
    grid: &[u64],
    rng: &mut Rng,
) -> Result<Vec<f64>, String> {
    let d = p.dim.ok_or("no dim")? as usize;
    let m = p.test_points.ok_or("no test_points")? as usize;
    let n_max = *grid.last().ok_or("empty width grid")? as usize;
    let x = sphere_points(n as usize, d, rng).map_err(|e| e.to_string())?;
    let test = sphere_points(m, d, rng).map_err(|e| e.to_string())?;
    let mut eps = vec![0.0; n as usize];
    draw_gaussians(&mut eps, rng);
    let neurons = ReluFeatures::draw(n_max, d, rng).map_err(|e| e.to_string())?;
    let (r, sigma) = (p.signal.sqrt(), p.noise.sqrt());
    let y: Vec<f64> = (0..n as usize).map(|i| r * x[(i, 0)] + sigma * eps[i]).collect();
    let f_test: Vec<f64> = (0..m).map(|i| r * test[(i, 0)]).collect();
    let phi = neurons.rf_features(x.as_ref()).map_err(|e| e.to_string())?;
    let phi_test = neurons.rf_features(test.as_ref()).map_err(|e| e.to_string())?;
    grid.iter()
        .map(|&w| {
            let (a, _) = ridge_fit(phi.as_ref().subcols(0, w as usize), &y, 0.0)
                .map_err(|e| format!("random features at n = {n}, N = {w}: {e}"))?;
            let f_hat = predict(phi_test.as_ref(), &a).map_err(|e| e.to_string())?;
            let risk =
                f_hat.iter().zip(&f_test).map(|(u, v)| (u - v) * (u - v)).sum::<f64>() / m as f64;
            if risk.is_finite() && risk > 0.0 {
                Ok(risk)
            } else {
                Err(format!("the test risk is {risk} at n = {n}, N = {w}"))
            }
        })
        .collect()
}

/// The peak location: the vertex of the parabola through $(\log N, \log R)$ at the grid
/// maximum and its neighbours, clamped to the neighbours; `None` at the grid's edge.
pub fn peak_location(grid: &[u64], risks: &[f64]) -> Option<f64> {
    let k = risks
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, f64)>, (i, &r)| match best {
            Some((_, b)) if b >= r => best,
            _ => Some((i, r)),
        })?
        .0;
    if k == 0 || k + 1 >= grid.len() {
        return None;
    }
    let x: Vec<f64> = grid[k - 1..=k + 1].iter().map(|&w| (w as f64).ln()).collect();
    let y: Vec<f64> = risks[k - 1..=k + 1].iter().map(|r| r.ln()).collect();
    // Vertex of the parabola through three points (divided differences).
    let d1 = (y[1] - y[0]) / (x[1] - x[0]);
    let d2 = (y[2] - y[1]) / (x[2] - x[1]);
    let curvature = (d2 - d1) / (x[2] - x[0]);
    let vertex = if curvature < 0.0 { 0.5 * (x[0] + x[1]) - d1 / (2.0 * curvature) } else { x[1] };
    Some(vertex.clamp(x[0], x[2]).exp())
}

/// One `rf-peak` trial at sample size $n$: the risk curve averaged over $B$ draws, then its
/// peak.
fn rf_peak(p: &DoubleDescentParams, n: u64, rng: &mut Rng) -> Result<Observation, String> {
    let grid = width_grid(n);
    let mut risks = vec![0.0; grid.len()];
    for _ in 0..p.replicates {
        for (acc, r) in risks.iter_mut().zip(rf_risks(p, n, &grid, rng)?) {
            *acc += r / f64::from(p.replicates);
        }
    }
    match peak_location(&grid, &risks) {
        Some(w) => Ok(Observation::Value(w)),
        None => Err(format!(
            "the test risk's maximum over N in [{}, {}] is at the window's edge: no peak inside",
            grid[0],
            grid[grid.len() - 1]
        )),
    }
}

/// Runs of the random-features figure per $n$.
const RF_PANEL_RUNS: u64 = 5;
/// Runs per $\gamma$ of the double-descent figure (each a mean over $B$ draws).
const CURVE_PANEL_RUNS: u64 = 5;

fn rf_panel(p: &DoubleDescentParams, n: u64, stream: &dyn Fn(u64) -> Rng) -> Result<Panel, String> {
    let grid = width_grid(n);
    let mut points = Vec::new();
    let mut per_w: Vec<Vec<f64>> = vec![Vec::new(); grid.len()];
    for run in 0..RF_PANEL_RUNS {
        let risks = rf_risks(p, n, &grid, &mut stream(run))?;
        for (i, (&w, r)) in grid.iter().zip(risks).enumerate() {
            points.push((w as f64, r));
            per_w[i].push(r);
        }
    }
    let medians: Vec<(f64, f64)> =
        grid.iter().zip(&per_w).map(|(&w, r)| (w as f64, stats::median(r))).collect();
    let top = medians.iter().map(|m| m.1).fold(0.0, f64::max).max(p.signal);
    let bottom = medians.iter().map(|m| m.1).fold(f64::INFINITY, f64::min).min(p.noise);
    Ok(Panel {
        name: format!("n{n}"),
        title: format!(
            "ridgeless random ReLU features, n = {n}, d = {}: test risk against width N",
            p.dim.unwrap_or(0)
        ),
        x_label: "N (random features)".into(),
        y_label: "excess test risk".into(),
        log_x: true,
        log_y: true,
        points,
        medians,
        curves: vec![(
            "interpolation threshold N = n".into(),
            vec![(n as f64, bottom / 2.0), (n as f64, top * 2.0)],
        )],
    })
}

fn curve_panel(p: &DoubleDescentParams, stream: &dyn Fn(u64) -> Rng) -> Result<Panel, String> {
    let n = p.samples.ok_or("no samples")?;
    let (r2, s2) = (p.signal, p.noise);
    let mut points = Vec::new();
    let mut medians = Vec::new();
    for (i, &g) in p.panel_gammas.iter().enumerate() {
        let q = (g * n as f64).round() as u64;
        let mut means = Vec::new();
        for run in 0..CURVE_PANEL_RUNS {
            let mut rng = stream(i as u64 * CURVE_PANEL_RUNS + run);
            let mut total = 0.0;
            for _ in 0..p.replicates {
                total += one_risk(n as usize, q as usize, 0.0, r2, s2, &mut rng)?;
            }
            let mean = total / f64::from(p.replicates);
            points.push((q as f64 / n as f64, mean));
            means.push(mean);
        }
        medians.push((q as f64 / n as f64, stats::median(&means)));
    }
    let nf = n as f64;
    // Each law is one polyline: across the pole it joins p = n - 2 to p = n + 2 (and the
    // asymptotic law |1 - γ| = 1.5/n on both sides), where both are at their largest.
    let exact: Vec<(f64, f64)> =
        (1..=3 * n).filter_map(|q| exact_risk(n, q, r2, s2).map(|r| (q as f64 / nf, r))).collect();
    let gammas: Vec<f64> = (1..=300).map(|i| f64::from(i) / 100.0).collect();
    let asymptotic: Vec<(f64, f64)> = gammas
        .iter()
        .filter(|&&g| (g - 1.0).abs() >= 1.5 / nf)
        .filter_map(|&g| asymptotic_risk(g, r2, s2).map(|r| (g, r)))
        .collect();
    let mut curves = vec![
        ("exact finite-n risk".to_string(), exact),
        ("asymptotic (n → ∞) risk".to_string(), asymptotic),
    ];
    for &l in &p.panel_ridges {
        let curve = gammas.iter().map(|&g| (g, ridge_risk(g, l, r2, s2))).collect();
        curves.push((format!("ridge λ = {l}, Marchenko–Pastur"), curve));
    }
    Ok(Panel {
        name: format!("n{n}"),
        title: format!("double descent of ridgeless least squares, n = {n}, r² = {r2}, σ² = {s2}"),
        x_label: "γ = p/n".into(),
        y_label: format!("risk ‖β̂ - β‖², mean of {} draws", p.replicates),
        log_x: false,
        log_y: true,
        points,
        medians,
        curves,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    fn params(measure: Measure) -> DoubleDescentParams {
        DoubleDescentParams {
            measure,
            samples: (measure != Measure::RfPeak).then_some(200),
            signal: 1.0,
            noise: 0.25,
            replicates: 4,
            panel_gammas: Vec::new(),
            panel_ridges: Vec::new(),
            panel_size: None,
            dim: (measure == Measure::RfPeak).then_some(16),
            test_points: (measure == Measure::RfPeak).then_some(500),
        }
    }

    fn fields(v: &[Violation]) -> Vec<&str> {
        v.iter().map(|v| v.field.as_str()).collect()
    }

    #[test]
    fn the_exact_risk_reproduces_the_theory_files_prototype() {
        // Card N7: n = 200, r² = 1, σ² = 0.25: exact 2.37 at γ = 0.9 and 2.72 at γ = 1.1.
        assert!((exact_risk(200, 180, 1.0, 0.25).unwrap() - 0.25 * 180.0 / 19.0).abs() < 1e-12);
        assert!((exact_risk(200, 180, 1.0, 0.25).unwrap() - 2.37).abs() < 5e-3);
        assert!((exact_risk(200, 220, 1.0, 0.25).unwrap() - 2.72).abs() < 5e-3);
        for p in [199, 200, 201] {
            assert_eq!(exact_risk(200, p, 1.0, 0.25), None, "p = {p}");
        }
        // The asymptotic law: 0.25 at γ = 0.5, 0.75 at γ = 2, none at γ = 1.
        assert!((asymptotic_risk(0.5, 1.0, 0.25).unwrap() - 0.25).abs() < 1e-12);
        assert!((asymptotic_risk(2.0, 1.0, 0.25).unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(asymptotic_risk(1.0, 1.0, 0.25), None);
    }

    #[test]
    fn the_ridge_risk_tends_to_the_ridgeless_law_and_matches_a_simulation() {
        for g in [0.3, 0.8, 1.2, 2.5] {
            let ridgeless = asymptotic_risk(g, 1.0, 0.25).unwrap();
            let tiny = ridge_risk(g, 1e-9, 1.0, 0.25);
            assert!((tiny - ridgeless).abs() < 1e-5 * ridgeless, "γ = {g}: {tiny} vs {ridgeless}");
            // m solves its quadratic.
            let (m, _) = mp_stieltjes(g, 0.3);
            assert!((g * 0.3 * m * m + (0.3 + 1.0 - g) * m - 1.0).abs() < 1e-12);
        }
        // Theory file N7: within 1% at n = 400 for γ in {0.5, 2}, λ in {0.05, 0.3} (with 40
        // repetitions); here 30 draws at λ = 0.3 must agree within 5% (their standard error
        // is about 1-2%).
        let mut rng = rng_from_u64(5);
        for (g, l) in [(0.5, 0.3), (2.0, 0.3)] {
            let n = 400;
            let p = (g * n as f64) as usize;
            let mean =
                (0..30).map(|_| one_risk(n, p, l, 1.0, 0.25, &mut rng).unwrap()).sum::<f64>()
                    / 30.0;
            let theory = ridge_risk(g, l, 1.0, 0.25);
            assert!((mean / theory - 1.0).abs() < 0.05, "γ = {g}, λ = {l}: {mean} vs {theory}");
        }
    }

    #[test]
    fn a_variance_trial_estimates_the_exact_variance() {
        // Far from the pole the mean of 64 draws is within a few % of σ² n/s.
        for measure in [Measure::VarianceBelow, Measure::VarianceAbove] {
            let mut p = params(measure);
            p.replicates = 64;
            let v = Validated::check(&DoubleDescent, p, &[59, 79, 99]).unwrap();
            let obs = DoubleDescent.trial(&v, 99, &mut rng_from_u64(3));
            let exact = 0.25 * 200.0 / 99.0;
            match obs {
                Observation::Value(x) => {
                    assert!((x / exact - 1.0).abs() < 0.1, "{measure:?}: {x} vs {exact}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn gamma_one_and_the_threshold_itself_are_refused_by_name() {
        let v = DoubleDescent.violations(&params(Measure::VarianceBelow), &[0, 9, 19]);
        assert_eq!(fields(&v), ["sizes"], "{v:?}");
        assert!(v[0].found.contains("p = n - 1 = 199") && v[0].found.contains("infinite"));
        let v = DoubleDescent.violations(&params(Measure::VarianceAbove), &[0, 9, 19]);
        assert!(v[0].found.contains("p = n + 1 = 201"), "{v:?}");
        let mut p = params(Measure::VarianceAbove);
        p.panel_gammas = vec![0.5, 1.0];
        p.panel_size = Some(9);
        let v = DoubleDescent.violations(&p, &[9, 19, 29]);
        assert_eq!(fields(&v), ["params.panel_gammas"], "{v:?}");
        assert!(v[0].found.contains("γ = 1") && v[0].found.contains("infinite"), "{v:?}");
        p.panel_gammas = vec![0.5, 1.004]; // p = round(200.8) = 201 = n + 1
        assert_eq!(fields(&DoubleDescent.violations(&p, &[9, 19, 29])), ["params.panel_gammas"]);
        p.panel_gammas = vec![0.5, 1.1];
        assert!(DoubleDescent.violations(&p, &[9, 19, 29]).is_empty());
        p.panel_size = Some(10);
        assert_eq!(fields(&DoubleDescent.violations(&p, &[9, 19, 29])), ["params.panel_size"]);
    }

    #[test]
    fn out_of_range_parameters_are_refused() {
        let below = params(Measure::VarianceBelow);
        // p = n - 1 - s ≥ 1: s = 198 leaves p = 1, s = 199 none.
        assert!(DoubleDescent.violations(&below, &[9, 19, 198]).is_empty());
        assert_eq!(fields(&DoubleDescent.violations(&below, &[9, 19, 199])), ["sizes"]);
        let mut p = below.clone();
        p.noise = 0.0;
        p.signal = f64::NAN;
        p.replicates = 0;
        let v = DoubleDescent.violations(&p, &[9, 19, 29]);
        assert_eq!(fields(&v), ["params.signal", "params.noise", "params.replicates"], "{v:?}");
        let mut rf = params(Measure::RfPeak);
        assert!(DoubleDescent.violations(&rf, &[25, 50, 100]).is_empty());
        assert_eq!(fields(&DoubleDescent.violations(&rf, &[8, 50, 100])), ["sizes"]);
        rf.samples = Some(100);
        rf.dim = None;
        let v = DoubleDescent.violations(&rf, &[25, 50, 100]);
        assert_eq!(fields(&v), ["params.samples", "params.dim"], "{v:?}");
    }

    #[test]
    fn the_width_grid_is_fixed_and_skips_the_threshold() {
        // round(4 · 2^(j/8)) near 25: ..., 23, [25 dropped], 27, ...
        let g = width_grid(25);
        assert!(g.contains(&23) && g.contains(&27) && !g.contains(&25), "{g:?}");
        assert!(g.iter().all(|&w| (13..=50).contains(&w)));
        // The same widths for every n: the grid of n = 50 shares 27..=49 with that of 25.
        let h = width_grid(50);
        for w in g.iter().filter(|&&w| w >= 25) {
            assert!(h.contains(w) || w.abs_diff(50) <= 1, "{w}");
        }
    }

    #[test]
    fn the_peak_is_the_parabola_vertex_between_the_neighbours() {
        let grid = [10, 20, 40, 80];
        // log R = -(log N - log 30)^2: the vertex is at N = 30 exactly.
        let risks: Vec<f64> =
            grid.iter().map(|&w| (-((w as f64).ln() - 30f64.ln()).powi(2)).exp()).collect();
        let peak = peak_location(&grid, &risks).unwrap();
        assert!((peak - 30.0).abs() < 1e-9, "{peak}");
        assert_eq!(peak_location(&grid, &[5.0, 4.0, 3.0, 2.0]), None);
        assert_eq!(peak_location(&grid, &[1.0, 2.0, 3.0, 4.0]), None);
    }

    #[test]
    fn an_rf_trial_finds_the_peak_near_n() {
        let v = Validated::check(&DoubleDescent, params(Measure::RfPeak), &[25, 50, 100]).unwrap();
        match DoubleDescent.trial(&v, 50, &mut rng_from_u64(2)) {
            Observation::Value(w) => assert!((40.0..=60.0).contains(&w), "N* = {w}"),
            other => panic!("{other:?}"),
        }
    }
}
