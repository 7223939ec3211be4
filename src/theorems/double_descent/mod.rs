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
//! $\Sigma = I$). The experiment design, `measure`, is `variance-below` or `variance-above`
//! ([`VarianceDesign`]) or `rf-peak` ([`RfPeakDesign`]), each with exactly its own fields.
//! Hypotheses, each a field of a design or of the sweep:
//! * (H0) `variance-below` / `variance-above`: the sizes are the distances $s \ge 1$ to the
//!   threshold, $p = n - 1 - s \ge 1$ below and $p = n + 1 + s \le$ [`MAX_FEATURES`] above.
//!   $s = 0$ is $p = n \mp 1$, and $p = n$ ($\gamma = 1$) has no $s$: there the exact risk is
//!   infinite. `rf-peak`: the sizes are sample sizes $16 \le n \le$ [`MAX_RF_SAMPLES`].
//! * (H1) variance claims: `samples` $n$ with $10 \le n \le 2000$; `rf-peak` takes none (its
//!   sizes are $n$; its type has no such field).
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
//! fits each with [`crate::learn::ridge_fit`] at $\lambda = 0$ (Cholesky of the normal
//! equations of the smaller side, `Par::Seq`), and returns the mean of $\lVert\hat\beta - \beta\rVert^2$ over the
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
//! averaged over $B$ such draws. The observable is the peak location: the vertex of the
//! parabola through $\log$ risk against $\log N$ at the grid maximum and its two neighbours
//! (clamped to them). The grid does not depend on $n$ (it is not centred on the prediction); a
//! maximum at the window's edge is [`Observation::Failed`].
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
//!
//! The derivations (the exact risks, the pole in $s$, the Marchenko–Pastur ridge risk) and the
//! values of our earlier prototype are in `docs/theory/double-descent.md`.
//!
//! * R. J. Muirhead, *Aspects of Multivariate Statistical Theory*, Wiley 1982, §3.2 (the
//!   inverse-Wishart mean).

mod cost;
mod hypotheses;
mod panels;
mod params;
mod rf;
mod risk;
mod rivals;
#[cfg(test)]
mod tests;
mod variance;

pub use params::{DoubleDescentParams, RfPeakDesign, VarianceDesign};

use params::Side;

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::resources::TrialCost;
use crate::rng::Rng;
use crate::theorem::{About, Observation, Panel, TypedTheorem, Validated};

/// The most features a variance trial may fit ($p = n + 1 + s$): an $n \times p$ design and
/// an $n \times n$ Gram matrix per draw.
pub const MAX_FEATURES: u64 = 4000;

/// The largest sample size of an `rf-peak` trial: widths up to $2n = 2000$, about 20 ridge
/// fits of up to $1000^2 \cdot 2000$ flops each.
pub const MAX_RF_SAMPLES: u64 = 1000;

/// The module of theorem `double-descent`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DoubleDescent;

impl TypedTheorem for DoubleDescent {
    type Params = DoubleDescentParams;

    fn id(&self) -> &'static str {
        "double-descent"
    }

    fn about(&self) -> &'static About {
        &hypotheses::ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        hypotheses::violations(p, sizes)
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        // The order of the pole of the inverse-Wishart mean E[W^-1] = I/(m - k - 1) at
        // m - k - 1 = 0: a simple pole, so the variance decays as s^-1 in the distance s.
        let pole_order = 1.0;
        let (r2, s2, _) = p.signal_noise_replicates();
        match &**p {
            DoubleDescentParams::VarianceBelow(VarianceDesign { samples: n, .. }) => Prediction {
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
            DoubleDescentParams::VarianceAbove(VarianceDesign { samples: n, .. }) => Prediction {
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
            DoubleDescentParams::RfPeak(_) => {
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

    fn cost(&self, p: &Validated<Self::Params>, size: u64) -> TrialCost {
        cost::trial_cost(p, size)
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation {
        let result = match &**p {
            DoubleDescentParams::VarianceBelow(v) => {
                variance::variance_trial(v, Side::Below, size, rng)
            }
            DoubleDescentParams::VarianceAbove(v) => {
                variance::variance_trial(v, Side::Above, size, rng)
            }
            DoubleDescentParams::RfPeak(r) => rf::rf_peak(r, size, rng),
        };
        result.unwrap_or_else(Observation::Failed)
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
        match &**p {
            DoubleDescentParams::RfPeak(r) => Some(panels::rf_panel(r, size, stream)),
            DoubleDescentParams::VarianceBelow(v) | DoubleDescentParams::VarianceAbove(v) => {
                // One figure per claim, at `panel_size`: the curve does not depend on the size.
                (!v.panel_gammas.is_empty() && v.panel_size == Some(size))
                    .then(|| panels::curve_panel(v, stream))
            }
        }
    }
}
