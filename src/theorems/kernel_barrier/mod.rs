//! # Kernel barrier: a rotation-invariant kernel method needs $n \sim d^\ell$ samples for degree $\ell$
//!
//! For data uniform on the sphere $S^{d-1}(\sqrt d)$, an inner-product kernel
//! $K(x,y) = h(\langle x,y\rangle/d)$ sees the target through its spherical-harmonic degrees.
//! With $d^{\ell-1+\delta} \le n \le d^{\ell-\delta}$, kernel ridge regression (KRR) at small
//! ridge learns the degrees $< \ell$ and nothing above: its test error sits on the plateau
//! $\lVert P_{\ge \ell} f\rVert^2$ until $n$ reaches the dimension $N_\ell(d) =
//! \sum_{k\le\ell} B(d,k) \asymp d^\ell/\ell!$ of the polynomials of degree $\le \ell$. The
//! sample exponent thus rises by one per degree: the finite-$d$ face of the $d^{\omega(1)}$
//! lower bounds for kernels and the NTK on the hierarchical targets of the depth papers.
//!
//! ## Statement
//! A claim's `measure` selects its experiment design, one variant of [`KernelBarrierParams`]
//! that holds exactly that design's fields: `threshold`, `plateau`, `growth`, `width` or
//! `width-gap` (below). The hypotheses, each a field of a design or of the sweep:
//! * (H0) the sizes are dimensions $d \ge 4$ (`sizes`; for `measure = "growth"` the sizes are
//!   degrees $\ell$, and `degrees[ℓ-1].dims` lists at least 3 increasing $d \ge 4$ for each).
//! * (H1) the target is $f(x) = \sum_{k} a_k\, q_k(\langle w^*, x\rangle)$ with $q_k$ the
//!   orthonormal Gegenbauer polynomials of the law of $\langle w^*, x\rangle$ at dimension $d$,
//!   so $\lVert P_k f\rVert^2 = a_k^2$ exactly (`target` $= [a_0, \dots, a_K]$, $K \le 6$,
//!   finite, $a_\ell \neq 0$ for every checked degree $\ell$).
//! * (H2) $1 \le \ell \le 4$ (`degree`, or each size of a growth claim).
//! * (H3) the kernel has mass in degree $\ell$ at every $d$ of the sweep (`kernel`): the ReLU
//!   kernels' odd part is linear ($s/4$ for the arc-cosine kernel, $s/2$ for the NTK), so they
//!   have none in odd degrees $\ge 3$ and no $n$ learns those. A width claim's kernel is its
//!   model's (H8); a width-gap claim's degrees 1 and 2 carry mass in both ReLU kernels at
//!   every $d$.
//! * (H4) the ridge is positive and small: $\lambda = r\, N_\ell(d)\, d^{-\ell}$ with
//!   $0 < r \le 0.1$ (`relative_ridge`), i.e. a per-sample ridge $r\,d^{-\ell}$ at
//!   $n = N_\ell$, below the per-direction eigenvalue $\sim d^{-\ell}$ of degree $\ell$ (a
//!   zero ridge makes $K$ singular once $n > N_\ell$ for a polynomial kernel).
//! * (H5) the budget fits the machine: $n_{\max} = \lceil \beta N_\ell(d) \rceil \le$
//!   [`MAX_SAMPLES`] for every $d$ (`sample_budget` $\beta \ge 1$). Growth claims: per degree,
//!   $\beta_\ell$ = `degrees[ℓ-1].sample_budget`, and the escalated budget
//!   $2^{D} \beta_\ell N_\ell(d) \le$ [`MAX_SAMPLES`]
//!   ($D$ = [`GROWTH_DOUBLINGS`](growth::GROWTH_DOUBLINGS)). Plateau claims have no budget
//!   (H7 sets their $n$).
//! * (H6) `test_points` $\ge 500$ (every design but `width-gap`, whose $n = \infty$ fit has no
//!   test set).
//! * (H7) plateau claims: $n(d) = \lfloor d^{\ell - \delta}\rfloor$ with $0 < \delta \le 1$
//!   (`plateau_gap`), $n \ge 1$.
//! * (H8) width claims: `model` is random features (whose infinite-width kernel is
//!   `relu-arc-cosine`) or the NT model (`relu-ntk`), the widest model has at most
//!   [`MAX_PARAMETERS`] parameters, and $n = $ `sample_ratio` $\cdot\, p_{\max} \ge 4 p_{\max}$.
//! * (H9) width-gap claims (`measure = "width-gap"`): $\ell \in \{1, 2\}$, the target is
//!   $a_1 h_1(x_1) + a_2 h_2(x_1)$ (`target` $= [0, a_1, a_2]$, Hermite polynomials under
//!   Gaussian inputs), and each model's widest fit has at most
//!   [`MAX_POPULATION_PARAMETERS`] parameters: $\lceil\beta N_\ell(d)\rceil$ RF neurons,
//!   $\lceil\beta N_\ell(d)/d\rceil$ NT neurons of $d$ parameters each.
//!
//! ## Prediction
//! `measure = "threshold"`: the first $n$ at which KRR has learned half of the degree-$\ell$
//! component scales as $n^* \sim d^\ell$ (GMMM 2021; `docs/theory/kernel-barrier.md` §3); with
//! `threshold_scale = "harmonics"` the observable is $n^*\, d^\ell / N_\ell(d)$, which has
//! exponent $\ell$ exactly when $n^* \propto N_\ell(d)$ and so removes the finite-$d$ drift of
//! $N_\ell(d)$ against $d^\ell$.
//! `measure = "plateau"`: at $n = d^{\ell-\delta}$ the test error is at least
//! $$\mathcal{B}(n, d) = \sum_k a_k^2 \big(1 - n / B(d,k)\big)_+ ,$$
//! which tends to the plateau $\lVert P_{\ge\ell} f\rVert^2$. This finite-$d$ bound holds in
//! expectation for every estimator in the span of $\{K(x_i,\cdot)\}_{i\le n}$ with $K$
//! rotation-invariant: the projection of that span onto the degree-$k$ harmonics $V_k$ is a
//! subspace of dimension $\le n$ whose law is invariant under rotations, and since $O(d)$ acts
//! irreducibly on $V_k$, Schur's lemma gives $\mathbb{E}\, P_S = (\dim S/B(d,k))\,I$, so
//! the expected captured fraction of $P_k f$ is at most $n/B(d,k)$
//! (`docs/theory/kernel-barrier.md` §4 writes the argument out).
//! `measure = "growth"`: the exponent of the thresholds (harmonic scale) grows as $a_\ell =
//! \ell$, slope 1 in $\ell$.
//! `measure = "width"` (GMMM 2021's approximation-limited regime, $n \gg$ parameters): random
//! features fit degree $\ell$ once the width $N \sim N_\ell(d) \sim d^\ell$, the NT model (with
//! $Nd$ parameters) once $N \sim N_\ell(d)/d \sim d^{\ell-1}$: one degree more at equal width.
//! `measure = "width-gap"` checks exactly that separation, as a separation claim: the RF width
//! exponent minus the NT one is $\ell - (\ell - 1) = 1$, both measured at $n = \infty$, each
//! side's exponent reported beside the difference.
//!
//! ## Simulation
//! By rotation invariance $w^* = e_1$. One trial at dimension $d$ draws $n_{\max}$ training
//! and `test_points` test points uniform on $S^{d-1}(\sqrt d)$, builds the kernel matrix
//! (one GEMM), factors $K + \lambda I$ once (faer Cholesky, sequential) and solves KRR for every
//! $n$ of a geometric grid (ratio $2^{1/8}$, a spacing of $0.087/\ln d \le 0.1$ in
//! $\kappa = \log n/\log d$) on the leading $n \times n$ block of the same factor: nested
//! samples, so a curve costs its largest $n$. Thresholds: the running maximum over the grid of
//! the learned fraction $\hat c_\ell(n)/a_\ell$, $\hat c_\ell(n) = \frac1m \sum_{\rm test}
//! \hat f(x)\, q_\ell(x_1)$, crosses $1/2$; interpolated in $\log n$; censored at $n_{\max}$.
//! With `projection = "funk-hecke"` the coefficient is exact instead: $\hat f = \sum_i
//! \alpha_i h(\langle x_i,\cdot\rangle/d)$ and $q_\ell(x_1)$ is a degree-$\ell$ harmonic, so
//! the Funk–Hecke formula gives $c_\ell(n) = \mu_\ell \sum_{i<n} \alpha_i q_\ell(x_{i,1})$
//! ($\mu_\ell$ the kernel's degree-$\ell$ eigenvalue), with no test-set noise and no
//! test–train kernel matrix.
//! Plateau: the margin (test error at $n(d)$) $-\ \mathcal{B}(n, d)$.
//! Growth: one trial of degree $\ell$ runs the threshold simulation at every $d$ of
//! `degrees[ℓ-1].dims` and returns the least-squares slope of its $\log(n^* d^\ell/N_\ell)$
//! against $\log d$; the claim fits the per-degree medians against $\ell$. One censored $d$
//! would lose the trial, so at each $d$ the trial draws $2^D \beta_\ell N_\ell(d)$ points, fits
//! the first $\beta_\ell N_\ell(d)$ and doubles that nested prefix while the threshold is
//! censored ([`GROWTH_DOUBLINGS`](growth::GROWTH_DOUBLINGS) times at most).
//! Width: one trial draws $N_{\max}$ neurons $w_i \sim N(0, I_d/d)$ and $n$ samples, forms the
//! feature Gram matrix of the widest model once ([`PrefixRidge`](crate::learn::PrefixRidge))
//! and solves the ridge fit of every narrower model on a prefix of it; the threshold is the
//! width at which half of degree $\ell$ is learned, as above.
//! Width gap: one trial draws $\lceil\beta N_\ell(d)\rceil$ RF neurons and
//! $\lceil\beta N_\ell(d)/d\rceil$ NT neurons (directions uniform), forms each model's exact
//! $n = \infty$ moments ([`GaussianPopulation`](crate::learn::GaussianPopulation): the
//! arc-cosine Gram matrix of RF features, the closed-form $d \times d$ blocks of NT features,
//! and their projections on the target), factors each once and reads the learned fraction $\langle \hat f, h_\ell\rangle / a_\ell$ of every
//! narrower model on a prefix; each threshold is the width where the running maximum crosses
//! $1/2$, interpolated in $\log N$. No samples are drawn: the only randomness is the neurons'.
//!
//! ## Deviations from the source
//! The sources state the staircase for $n, d \to \infty$ with $\ell$ fixed and the error up
//! to $o_{d,\mathbb{P}}(1)$; we check slopes over $d \le 128$ and a finite-$d$ bound in
//! expectation (test error estimated on `test_points` fresh points). The target is a sum of
//! Gegenbauer polynomials of one direction (`docs/theory/kernel-barrier.md` §1), not a general
//! $f \in L^2$. The built-in card checks KRR thresholds, the plateau and the width gap. The
//! growth measure (the finite-$d$ face of the $d^{\omega(1)}$ barrier: the exponent's slope
//! over degrees 1 to 4, each degree over its own range of $d$) and the width measure run, but
//! the growth claim had no power on seed 0 (its versions 2 and 4: a censored trial, then the
//! lack of fit of four per-degree exponents each read over a narrow window of $d$) and the
//! width design is not settled (the card records both), so no built-in claim uses them yet. The
//! width gap runs on Gaussian inputs, not on the sphere: there both models' population
//! moments have closed forms (the sphere's NT moments do not have one we derived), and the
//! degree structure the claim is about, $N_\ell(d)$ polynomials of degree $\le \ell$, is the
//! same up to lower-order terms; the Hermite target $h_2(x_1)$ stands in for the Gegenbauer
//! $q_2(x_1)$.
//!
//! ## References
//! The facts and derivations the card's designs lean on (harmonic dimensions, kernel spectra,
//! the staircase, the plateau bound, the effective-ridge estimate of a threshold, the pitfalls
//! of ridge and grid, our earlier prototype's numbers) are written out, with their sources, in
//! `docs/theory/kernel-barrier.md`.
//! * B. Ghorbani, S. Mei, T. Misiakiewicz, A. Montanari, *Linearized two-layers neural
//!   networks in high dimension*, Ann. Statist. 49(2), 2021; arXiv:1904.12191 (the card
//!   gives the version and locator).
//! * S. Mei, T. Misiakiewicz, A. Montanari, *Generalization error of random features and
//!   kernel methods: hypercontractivity and kernel matrix concentration*, Appl. Comput.
//!   Harmon. Anal. 59, 2022; arXiv:2101.10588v1 (abstract: KRR is close to the projection on
//!   the top eigenfunctions; random features match KRR once $N \ge n^{1+\delta}$).
//! * T. Misiakiewicz, *Spectrum of inner-product kernel matrices in the polynomial regime and
//!   multiple descent phenomenon in kernel ridge regression*, arXiv:2204.10425v1 (abstract: the
//!   peaks of ridgeless KRR near $n \asymp d^\ell$, the reason for the ridge of (H4)).
//! * J. B. Simon, M. Dickens, D. Karkada, M. R. DeWeese, *The eigenlearning framework: a
//!   conservation law perspective on kernel regression and wide neural networks*, TMLR 2023;
//!   arXiv:2110.03922v6 (the effective-ridge estimate of where half of a degree is learned).

mod cost;
mod growth;
mod hypotheses;
mod krr;
mod params;
mod rivals;
#[cfg(test)]
mod tests;
mod threshold;
mod width;
mod width_gap;

pub use params::{KernelBarrierParams, KernelChoice, Measure, ThresholdScale};

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::resources::TrialCost;
use crate::rng::Rng;
use crate::theorem::{About, Observation, Panel, TypedTheorem, Validated};
use growth::growth_exponent;
use hypotheses::ABOUT;
use params::WidthModel;
use threshold::{escalating_threshold, learning_curve_panel, plateau_margin};
use width::width_threshold;
use width_gap::width_gap;

/// The largest training set a trial may factor: a 20000 × 20000 kernel matrix is 3.2 GB and
/// its Cholesky factor about 2.7e12 flop (a minute and a half on one core).
pub const MAX_SAMPLES: f64 = 20_000.0;

/// The widest model of a width-gap trial: an order-9000 Cholesky factor (2.4·10^11 flop, about
/// 6 s on one core) per model.
pub const MAX_POPULATION_PARAMETERS: f64 = 9000.0;

/// The widest model a width trial may fit: a 2500 × 2500 Gram matrix of features, formed from
/// $n \ge 4 p$ samples ($\ge 5 \cdot 10^{10}$ flop).
pub const MAX_PARAMETERS: f64 = 2500.0;

/// The module of theorem `kernel-barrier`.
#[derive(Clone, Copy, Debug, Default)]
pub struct KernelBarrier;

impl TypedTheorem for KernelBarrier {
    type Params = KernelBarrierParams;

    fn id(&self) -> &'static str {
        "kernel-barrier"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        hypotheses::violations(p, sizes)
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        match &**p {
            KernelBarrierParams::Threshold(t) => {
                let (l, kernel) = (t.degree, t.kernel.name());
                let (observable, law) = match t.threshold_scale {
                    ThresholdScale::Samples => ("n*".to_string(), format!("n* ~ d^{l}")),
                    ThresholdScale::Harmonics => {
                        (format!("n*·d^{l}/N_{l}"), format!("n* ~ N_{l}(d) ~ d^{l}"))
                    }
                };
                Prediction {
                    kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
                    exponent: Exponent::Exactly(f64::from(l)),
                    law,
                    rationale: format!(
                        "KRR ({kernel} kernel) learns degree {l} once n ≳ N_{l}(d) ~ d^{l}/{l}! \
                         (Ghorbani, Mei, Misiakiewicz, Montanari 2021)"
                    ),
                    size: "d".into(),
                    observable,
                }
            }
            KernelBarrierParams::Plateau(plateau) => {
                let l = plateau.degree;
                let delta = plateau.plateau_gap;
                Prediction {
                    kind: ClaimKind::LowerBound,
                    exponent: Exponent::AtLeast(0.0),
                    law: format!(
                        "err(d^{}) ≥ ‖P≥{l} f‖² = {}",
                        sig2(f64::from(l) - delta),
                        sig2(plateau.plateau())
                    ),
                    rationale: format!(
                        "a rotation-invariant kernel method with n ≪ B(d,{l}) samples captures at \
                         most n/B(d,k) of each degree k ≥ {l} (Schur), so the error stays on the \
                         plateau Σ a_k² (1 - n/B(d,k))+ (Ghorbani, Mei, Misiakiewicz, Montanari 2021)"
                    ),
                    size: "d".into(),
                    observable: "err - bound".into(),
                }
            }
            KernelBarrierParams::Width(w) => {
                let l = w.degree;
                let (name, exponent, law, why) = match w.model {
                    WidthModel::NeuralTangent => (
                        "NT",
                        l - 1,
                        format!("N* ~ N_{l}(d)/d ~ d^{}", l - 1),
                        format!(
                            "the NT model has N·d parameters, so degree {l} needs only N ≳ d^{}",
                            l - 1
                        ),
                    ),
                    WidthModel::RandomFeatures => (
                        "RF",
                        l,
                        format!("N* ~ N_{l}(d) ~ d^{l}"),
                        format!("random features fit degree {l} once N ≳ N_{l}(d) ~ d^{l}"),
                    ),
                };
                let observable = match w.threshold_scale {
                    ThresholdScale::Samples => format!("{name} N*"),
                    ThresholdScale::Harmonics => format!("{name} N*·d^{l}/N_{l}"),
                };
                Prediction {
                    kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
                    exponent: Exponent::Exactly(f64::from(exponent)),
                    law,
                    rationale: format!(
                        "at n ≫ parameters (approximation-limited regime), {why} (Ghorbani, Mei, \
                         Misiakiewicz, Montanari 2021)"
                    ),
                    size: "d".into(),
                    observable,
                }
            }
            KernelBarrierParams::WidthGap(w) => {
                let l = w.degree;
                Prediction {
                    kind: ClaimKind::Separation { log_power: 0.0 },
                    exponent: Exponent::Exactly(1.0),
                    law: format!("N*_RF / N*_NT ~ d (RF ~ d^{l}, NT ~ d^{})", l - 1),
                    rationale: format!(
                        "at n = ∞ random features fit degree {l} once N ≳ N_{l}(d) ~ d^{l}; the NT \
                         model, with d parameters per neuron, once N ≳ N_{l}(d)/d ~ d^{}: one \
                         degree more at equal width (Ghorbani, Mei, Misiakiewicz, Montanari 2021)",
                        l - 1
                    ),
                    size: "d".into(),
                    observable: "N*".into(),
                }
            }
            KernelBarrierParams::Growth(g) => Prediction {
                kind: ClaimKind::LinearGrowth,
                exponent: Exponent::Exactly(1.0),
                law: "a_ℓ = ℓ: +1 per degree".into(),
                rationale: format!(
                    "each degree multiplies the KRR ({}) sample threshold by ~d: the \
                     finite-d face of the d^ω(1) kernel barrier for targets of growing degree",
                    g.kernel.name()
                ),
                size: "ℓ".into(),
                observable: "a_ℓ".into(),
            },
        }
    }

    fn cost(&self, p: &Validated<Self::Params>, size: u64) -> TrialCost {
        cost::trial_cost(p, size)
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation {
        let result = match &**p {
            KernelBarrierParams::Threshold(t) => escalating_threshold(&t.run(), size, 0, rng),
            KernelBarrierParams::Plateau(plateau) => {
                plateau_margin(plateau, size, rng).map(Observation::Value)
            }
            KernelBarrierParams::Growth(g) => growth_exponent(g, size as u32, rng),
            KernelBarrierParams::Width(w) => width_threshold(w, size, rng),
            KernelBarrierParams::WidthGap(w) => width_gap(w, size, rng),
        };
        result.unwrap_or_else(Observation::Failed)
    }

    /// Threshold claims: the eigenlearning threshold (derivation in `kernel_barrier/rivals.rs`).
    fn finite_size_provenance(&self, p: &Validated<Self::Params>) -> Option<String> {
        matches!(&**p, KernelBarrierParams::Threshold(_)).then(|| rivals::PROVENANCE.to_string())
    }

    fn finite_size(&self, p: &Validated<Self::Params>, sizes: &[u64]) -> Result<Vec<f64>, String> {
        match &**p {
            KernelBarrierParams::Threshold(t) => rivals::threshold_curve(t, sizes),
            _ => Err("only threshold claims have a finite-size prediction".into()),
        }
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

    /// Threshold claims draw, per $d$, the test error of KRR against $n$ with the analytic
    /// staircase $\sum_k a_k^2 [n < N_k(d)]$ and the finite-$d$ bound beside it.
    fn panel(
        &self,
        p: &Validated<Self::Params>,
        d: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        match &**p {
            KernelBarrierParams::Threshold(t) => Some(learning_curve_panel(t, d, stream)),
            _ => None,
        }
    }
}

/// `x` with at most two decimals, trailing zeros dropped.
fn sig2(x: f64) -> String {
    format!("{x:.2}").trim_end_matches('0').trim_end_matches('.').to_string()
}
