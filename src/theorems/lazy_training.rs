//! # Lazy training and linear convergence of over-parameterised gradient descent
//!
//! A two-layer ReLU network in the NTK parameterisation,
//! $f(x) = \frac{\alpha}{\sqrt m}\sum_{r=1}^m a_r\,\mathrm{relu}(\langle w_r, x\rangle)$, with
//! $a$ fixed and symmetrised so that $f \equiv 0$ at initialisation, trained by full-batch
//! gradient descent on $W$ with the loss $\frac{1}{2\alpha^2}\sum_i (f(x_i) - y_i)^2$,
//! **trains lazily**: it fits the data while every weight moves by $O(1/(\alpha\sqrt m))$, so
//! the relative displacement $\lVert W_T - W_0\rVert_F / \lVert W_0\rVert_F$ scales as
//! $m^{-1/2}$ in the width and as $\alpha^{-1}$ in the output scale (Chizat, Oyallon, Bach).
//! In that regime the function follows the kernel dynamics of the Gram matrix
//! $H^\infty_{ij} = \langle x_i, x_j\rangle(\pi - \arccos\langle x_i, x_j\rangle)/(2\pi)$, and
//! the residual **converges linearly**: its component along the eigenvector $v_i$ of
//! $H^\infty$ contracts by $1 - \eta\lambda_i$ per step (Du, Zhai, Póczos, Singh; Arora et
//! al.'s eigen-decomposition form), so the slowest component decays at the rate set by
//! $\lambda_0 = \lambda_{\min}(H^\infty)$.
//!
//! ## Statement
//! Data: $n$ inputs uniform on the unit sphere of $\mathbb R^d$, labels uniform on
//! $\{\pm1\}$; $w_r(0) \sim N(0, I_d)$; step $\eta = c/\lambda_{\max}(H^\infty)$. The
//! experiment design, `measure`, says what the sizes are: `width` ([`WidthSweep`]),
//! `output-scale` ([`ScaleSweep`]), `linear-rate` ([`LinearRate`]) or `rate-deviation`
//! ([`RateDeviation`]); each takes exactly its own fields. The derivations behind the
//! hypotheses and the predictions are in `docs/theory/lazy-training.md`.
//! * (H1) $2 \le n \le 256$ inputs (one input has nothing to separate; the bound keeps a trial
//!   within the budget).
//! * (H2) $2 \le d \le 256$: no two inputs are parallel, so $\lambda_0 > 0$ (Du et al.'s
//!   condition). For $d = 1$ every unit input is $\pm 1$ and $H^\infty$ is singular. A trial
//!   whose $\lambda_0$ is numerically 0 (probability 0 for $d \ge 2$) fails with this reason.
//! * (H3) the lazy regime: every width $m$ is even (the symmetrised initialisation pairs
//!   neurons), and $\alpha\sqrt m \ge 2n$ for every $(m, \alpha)$ of the sweep. Why this
//!   floor: Du et al. bound each neuron's movement by $R' = \sqrt n\,\lVert y - u(0)\rVert /
//!   (\alpha\sqrt m\,\lambda_0)$ (the $\alpha$ from the scaled loss); with $\lVert y\rVert =
//!   \sqrt n$ and $\lambda_0 \le H^\infty_{ii} = 1/2$, $R' \ge 2n/(\alpha\sqrt m)$, so $R'$ can
//!   be below the unit scale of the pre-activations $\langle w_r, x_i\rangle \sim N(0,1)$ only
//!   if $\alpha\sqrt m \ge 2n$. It is a necessary condition, not a sufficient one (the
//!   sufficient widths, $n^6/\lambda_0^4$, are never tested as exponents).
//! * (H4) the output scale $\alpha$ is finite and $> 0$; as a swept size it is an integer
//!   $\ge 1$.
//! * (H5) the step constant $0 < c < 2$, finite: the linearised dynamics contract every
//!   eigen-direction iff $|1 - \eta\lambda_i| < 1$, i.e. $\eta\lambda_{\max} < 2$.
//! * (H6) `width` and `output-scale`: the stopping ratio $0 < \rho < 1$ (train until the loss
//!   is below $\rho$ times its initial value $n/(2\alpha^2)$); every design: a step budget
//!   $\ge 1$.
//! * (H7) the swept size's parameter is not also given (`width` only when the sizes are not
//!   widths, `output_scale` only when they are not output scales; `linear-rate` needs both).
//!   The type enforces it: each design's table admits exactly its fields, so a card that breaks
//!   (H7) is refused when it is read, naming the field. Where a width sweep gives no
//!   `output_scale`, $\alpha = 1$ (the NTK parameterisation).
//! * (H8) `linear-rate` sizes are e-folds $1 \le s \le 40$.
//! * (H9) `rate-deviation` (and only it) takes a window $1 \le s_1 < s_2 \le 40$ of e-folds.
//!
//! ## Prediction
//! Computed by [`TypedTheorem::predict`]:
//! * `width`: the lazy limit is the kernel regression of $H^\infty$ from $f = 0$, whose weight
//!   change is the minimum-norm solution of the linearised model, $\lVert W_T - W_0\rVert_F^2
//!   \to y^\top H^{-1}(I - (I-\eta H)^{2T}) y$, independent of $m$, while
//!   $\lVert W_0\rVert_F^2 = md(1 + o(1))$: relative displacement $\propto m^{-1/2}$, exponent
//!   $1/2$ (`PowerDecay` in $m$).
//! * `output-scale`: with the loss divided by $\alpha^2$ the function-space dynamics do not
//!   depend on $\alpha$, and $\Delta W = \frac1\alpha \times$ (the $\alpha = 1$ linearised
//!   path) $+ O(\alpha^{-2})$: exponent 1 (`PowerDecay` in $\alpha$).
//! * `linear-rate`: the residual $r_k = u_k - y$ projected on the eigenvector $v_0$ of
//!   $\lambda_0(H^\infty)$ obeys $\langle v_0, r_k\rangle = (1 - \eta\lambda_0)^k\langle v_0,
//!   r_0\rangle$ in the kernel limit. The size is the number $s$ of predicted e-folds: the
//!   trial runs $k = \mathrm{round}(s / (-\ln(1 - \eta\lambda_0)))$ steps, with $\lambda_0$ of
//!   the trial's own $H^\infty$, and measures $|\langle v_0, r_k\rangle / \langle v_0,
//!   r_0\rangle|$. Predicted: $\log_2$ of it falls by $\log_2 e$ bits per e-fold
//!   (`ExponentialDecay` in $s$). A rate set by anything else (a finite-width kernel far from
//!   $H^\infty$, feature learning, another eigenvalue) changes the slope.
//! * `rate-deviation`: the measured per-step rate $\hat\rho$ of that component between
//!   e-folds $s_1$ and $s_2$, against $\rho = -\ln(1 - \eta\lambda_0)$: $|\hat\rho/\rho - 1|
//!   \propto m^{-1/2}$, the first-order shift of $\lambda_0$ by the finite-width kernel and its
//!   drift, both $O(m^{-1/2})$ (`PowerDecay` in $m$).
//!
//! ## Simulation
//! [`crate::sim::two_layer::TwoLayerGd`]: per trial, draw the data, build $H^\infty$
//! ([`crate::sim::two_layer::ntk_gram`], the ReLU NTK of `learn::kernels`) and its
//! eigen-decomposition, set $\eta = c/\lambda_{\max}$, draw the symmetrised initialisation,
//! and run GD (two GEMMs a step). `width` and `output-scale` train until the loss is below
//! $\rho L_0$ and report $\lVert W_T - W_0\rVert_F / \lVert W_0\rVert_F$; not reaching it
//! within the step budget, or a non-finite loss, is a failed trial with the step.
//! `linear-rate` and `rate-deviation` run a fixed number of steps computed from $\lambda_0$
//! and project the residual on $v_0$ (the eigenvector of the trial's own $H^\infty$); a
//! trial whose $\lambda_0$ is numerically 0 fails with (H2). The card runs `rate-deviation`
//! with `shared_draws`: a trial is one data set and one initialisation swept over the widths
//! (the data come first from the stream, then the neurons one by one, so a narrower net's first
//! layer is a prefix of a wider one's), and the data set's own factor on the deviation (its
//! $\lambda_0$ and gap) cancels in the slope.
//!
//! ## Rivals
//! [`TypedTheorem::rivals`], one per design: `width` against `mean-field`, $m^0$ (every neuron
//! moves by $O(1)$: feature learning at these widths); `output-scale` against `width-like`,
//! $\alpha^{-1/2}$ (the output scale acting like the width); `linear-rate` against
//! `sublinear`, a residual falling as $k^{-1}$ (gradient descent on a smooth objective that is
//! not strongly convex); `rate-deviation` against `second-order`, $m^{-1}$ (the first-order
//! shift of $\lambda_0$ has mean zero, $E\,H(0) = H^\infty$, and only second-order terms
//! remain). Their exponents over the cards' sweeps are in the test
//! `rival_exponents_over_the_cards_sweeps` and the card.
//!
//! ## No finite-size twin for `linear-rate`
//! The finite-size curve the theory offers is the rate of $\lambda_{\min}$ of the
//! finite-width Gram matrix $H(0)$ at initialisation instead of $H^\infty$. It is out of reach
//! of [`TypedTheorem::finite_size`], which is a function of the design alone: $H(0)$ belongs
//! to one trial's data set and initialisation, so the median over trials that the judge
//! needs would be a second Monte Carlo simulation (with its own sampling error, which the
//! finite-size judge does not account for: it treats the curve as exact), not a value of the
//! theory. And it would not predict the measured bias: $E\,H(0) = H^\infty$, so the shift of
//! $\lambda_{\min}$ by $H(0) - H^\infty$ has mean zero at first order and its median moves
//! only at second order, $O(1/m)$: about 1% of the rate at $m = 32768$ by the perturbation
//! sum $\sum_j (v_j^\top \Delta v_0)^2/(\lambda_j - \lambda_0)$ with entries of $\Delta$ of
//! variance about $0.2/(m/2)$, against the 5-8% that the pilot and seed 0 measured and that
//! `rate-deviation` shows falling as $m^{-1/2}$ (the drift of the kernel during training,
//! which an initial-Gram curve leaves out). A twin judged against it would be, to within
//! 0.02 bits per e-fold, the asymptotic claim again. The module computes no finite-size
//! prediction.
//!
//! ## Deviations from the source
//! Only the first layer trains (as in Du et al.; Chizat et al. treat general models). The
//! symmetrised initialisation (duplicated neurons with opposite $a$) replaces Du et al.'s
//! i.i.d. signs, so that $f(w_0) = 0$ as Chizat et al. require; it halves the number of
//! independent neurons. The step $\eta = c/\lambda_{\max}(H^\infty)$ is far larger than Du et
//! al.'s $O(\lambda_0/n^2)$. The displacement laws are the scaling of the weight movement
//! bound, measured at the stopping time; the convergence claim measures the slowest
//! eigen-component, not the full loss bound $\exp(-\lambda_0 t)$. The e-fold count is rounded
//! to whole steps (under one step in about fifty per e-fold).
//!
//! ## References
//! * L. Chizat, E. Oyallon, F. Bach, *On lazy training in differentiable programming*,
//!   NeurIPS 2019; arXiv:1812.07956 (the card gives the version and locator).
//! * S. S. Du, X. Zhai, B. Póczos, A. Singh, *Gradient descent provably optimizes
//!   over-parameterized neural networks*, ICLR 2019; arXiv:1810.02054.
//! * S. Arora, S. S. Du, W. Hu, Z. Li, R. Wang, *Fine-grained analysis of optimization and
//!   generalization for overparameterized two-layer neural networks*, ICML 2019;
//!   arXiv:1901.08584.

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::numerics::symmetric_eigen;
use crate::resources::TrialCost;
use crate::rng::Rng;
use crate::sim::two_layer::{ntk_gram, unit_sphere_data, TwoLayerGd};
use crate::theorem::{About, Observation, Panel, TypedTheorem, Validated};
use serde::{Deserialize, Serialize};

/// The module of theorem `lazy-training`.
#[derive(Clone, Copy, Debug, Default)]
pub struct LazyTraining;

/// Parameters of one claim: what the sizes are (`measure`, the experiment design), and that
/// design's fields. A sweep's own size is never also a field (H7 holds by construction).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum LazyTrainingParams {
    /// Sizes are widths $m$; observable the relative weight displacement.
    Width(WidthSweep),
    /// Sizes are output scales $\alpha$ (integers); observable the relative displacement.
    OutputScale(ScaleSweep),
    /// Sizes are predicted e-folds $s$ of the slowest eigen-component; observable its
    /// measured contraction.
    LinearRate(LinearRate),
    /// Sizes are widths $m$; observable the relative deviation of the slowest component's
    /// measured rate from the rate of $\lambda_0(H^\infty)$.
    RateDeviation(RateDeviation),
}

/// The output scale when a design does not give one: $\alpha = 1$, the NTK parameterisation.
fn ntk_scale() -> f64 {
    1.0
}

/// `measure = "width"`: the relative displacement at the stopping loss against the width.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidthSweep {
    /// $n$, the number of inputs (H1).
    pub n: u64,
    /// $d$, the input dimension (H2).
    pub d: u64,
    /// $\alpha$, the output scale (H4); 1 (the NTK parameterisation) when not given.
    #[serde(default = "ntk_scale")]
    pub output_scale: f64,
    /// $c$ in $\eta = c/\lambda_{\max}(H^\infty)$ (H5).
    pub step: f64,
    /// $\rho$: train until the loss is below $\rho L_0$ (H6).
    pub loss_ratio: f64,
    /// The most GD steps a trial may take (H6).
    pub max_steps: u64,
}

/// `measure = "output-scale"`: the relative displacement at the stopping loss against
/// $\alpha$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSweep {
    /// $n$, the number of inputs (H1).
    pub n: u64,
    /// $d$, the input dimension (H2).
    pub d: u64,
    /// $m$, the width (H3).
    pub width: u64,
    /// $c$ in $\eta = c/\lambda_{\max}(H^\infty)$ (H5).
    pub step: f64,
    /// $\rho$: train until the loss is below $\rho L_0$ (H6).
    pub loss_ratio: f64,
    /// The most GD steps a trial may take (H6).
    pub max_steps: u64,
}

/// `measure = "linear-rate"`: the contraction of the slowest eigen-component against the
/// predicted e-folds, at one width and scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearRate {
    /// $n$, the number of inputs (H1).
    pub n: u64,
    /// $d$, the input dimension (H2).
    pub d: u64,
    /// $m$, the width (H3).
    pub width: u64,
    /// $\alpha$, the output scale (H4).
    pub output_scale: f64,
    /// $c$ in $\eta = c/\lambda_{\max}(H^\infty)$ (H5).
    pub step: f64,
    /// The most GD steps a trial may take (H6).
    pub max_steps: u64,
}

/// `measure = "rate-deviation"`: the deviation of the slowest component's measured rate from
/// that of $\lambda_0(H^\infty)$, against the width.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateDeviation {
    /// $n$, the number of inputs (H1).
    pub n: u64,
    /// $d$, the input dimension (H2).
    pub d: u64,
    /// $\alpha$, the output scale (H4); 1 (the NTK parameterisation) when not given.
    #[serde(default = "ntk_scale")]
    pub output_scale: f64,
    /// $c$ in $\eta = c/\lambda_{\max}(H^\infty)$ (H5).
    pub step: f64,
    /// The most GD steps a trial may take (H6).
    pub max_steps: u64,
    /// $[s_1, s_2]$: the rate is measured between these predicted e-folds (H9).
    pub rate_window: [u64; 2],
}

const H1: &str = "(H1) 2 ≤ n ≤ 256 inputs";
const H2: &str = "(H2) 2 ≤ d ≤ 256: no two unit inputs parallel, so λ0 = λmin(H∞) > 0 \
                  (for d = 1 every input is ±1 and H∞ is singular)";
const H3: &str = "(H3) lazy regime: every width m even (symmetrised init) and α√m ≥ 2n for \
                  every (m, α) of the sweep (Du et al.'s movement bound n/(α√m λ0) with \
                  λ0 ≤ 1/2 is below 1 only then)";
const H4: &str = "(H4) the output scale α is finite and > 0 (as a swept size: an integer ≥ 1)";
const H5: &str = "(H5) step η = c/λmax(H∞) with c finite and 0 < c < 2 (linearised GD contracts \
                  iff ηλmax < 2)";
const H6: &str = "(H6) stopping ratio 0 < ρ < 1 (width and output-scale) and a step budget of at \
                  least 1 step";
const H7: &str = "(H7) the swept size's parameter is not also given: `width` only when the \
                  sizes are not widths, `output_scale` only when they are not output scales, and \
                  each is required otherwise (the linear-rate design needs both); the card's \
                  `measure` table admits exactly these fields";
const H8: &str = "(H8) linear-rate sizes are e-folds s with 1 ≤ s ≤ 40";
const H9: &str = "(H9) rate-deviation needs a rate window [s1, s2] of e-folds with \
                  1 ≤ s1 < s2 ≤ 40 (and only rate-deviation takes one)";

const ABOUT: About = About {
    hypotheses: &[
        ("n", H1),
        ("d", H2),
        ("sizes", H3),
        ("output_scale", H4),
        ("step", H5),
        ("loss_ratio", H6),
        ("measure", H7),
        ("sizes", H8),
        ("rate_window", H9),
    ],
    simulation: "two-layer ReLU net f = (α/√m) Σ a_r relu(<w_r,x>), a = ±1 symmetrised so \
                 f(w0) = 0, full-batch GD on W for the loss |f - y|²/(2α²) with η = c/λmax(H∞), \
                 n unit inputs in R^d, ±1 labels; width and output-scale: relative displacement \
                 ‖W_T - W_0‖_F/‖W_0‖_F when the loss is below ρ L0; linear-rate: \
                 |<v0, u_k - y>/<v0, y>| after s predicted e-folds of λ0 = λmin(H∞); \
                 rate-deviation: |ρ̂/ρ - 1|, ρ̂ the measured per-step rate of that component \
                 between two e-folds, ρ = -ln(1 - ηλ0)",
};

impl LazyTrainingParams {
    /// $(n, d)$: the data of every design.
    fn data(&self) -> (u64, u64) {
        match self {
            LazyTrainingParams::Width(p) => (p.n, p.d),
            LazyTrainingParams::OutputScale(p) => (p.n, p.d),
            LazyTrainingParams::LinearRate(p) => (p.n, p.d),
            LazyTrainingParams::RateDeviation(p) => (p.n, p.d),
        }
    }

    /// $(c, \text{max\_steps})$: the step constant and the step budget of every design.
    fn steps(&self) -> (f64, u64) {
        match self {
            LazyTrainingParams::Width(p) => (p.step, p.max_steps),
            LazyTrainingParams::OutputScale(p) => (p.step, p.max_steps),
            LazyTrainingParams::LinearRate(p) => (p.step, p.max_steps),
            LazyTrainingParams::RateDeviation(p) => (p.step, p.max_steps),
        }
    }

    /// The (width, output scale) of a trial at `size`.
    fn width_and_scale(&self, size: u64) -> (u64, f64) {
        match self {
            LazyTrainingParams::Width(p) => (size, p.output_scale),
            LazyTrainingParams::RateDeviation(p) => (size, p.output_scale),
            LazyTrainingParams::OutputScale(p) => (p.width, size as f64),
            LazyTrainingParams::LinearRate(p) => (p.width, p.output_scale),
        }
    }

    /// The output scale the card gives, where it is not the swept size.
    fn given_output_scale(&self) -> Option<f64> {
        match self {
            LazyTrainingParams::Width(p) => Some(p.output_scale),
            LazyTrainingParams::RateDeviation(p) => Some(p.output_scale),
            LazyTrainingParams::LinearRate(p) => Some(p.output_scale),
            LazyTrainingParams::OutputScale(_) => None,
        }
    }
}

/// The condition number $\lambda_{\max}/\lambda_0$ of $H^\infty$ a trial's time estimate
/// assumes: 10 to 20 on the cards' draws ($n = 32$, $d = 8$), read off the measured step counts
/// (about 175 steps to a loss ratio of $10^{-4}$, 40 steps per e-fold of the slowest component).
const TYPICAL_CONDITION: f64 = 15.0;

impl TypedTheorem for LazyTraining {
    type Params = LazyTrainingParams;

    fn id(&self) -> &'static str {
        "lazy-training"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let (n, d) = p.data();
        if !(2..=256).contains(&n) {
            out.push(Violation::new("params.n", H1, format!("n = {n}")));
        }
        if !(2..=256).contains(&d) {
            out.push(Violation::new("params.d", H2, format!("d = {d}")));
        }
        if let Some(a) = p.given_output_scale() {
            if !(a.is_finite() && a > 0.0) {
                out.push(Violation::new("params.output_scale", H4, format!("α = {a}")));
            }
        }
        if let LazyTrainingParams::OutputScale(_) = p {
            if let Some(a) = sizes.iter().find(|&&a| a == 0) {
                out.push(Violation::new("sizes", H4, format!("output scale α = {a}")));
            }
        }
        if let LazyTrainingParams::LinearRate(_) = p {
            if let Some(s) = sizes.iter().find(|&&s| !(1..=40).contains(&s)) {
                out.push(Violation::new("sizes", H8, format!("s = {s} e-folds")));
            }
        }
        // (H3) at every size the sweep reaches; skip when (H4) already failed.
        let (widths_and_scales, field): (Vec<(u64, f64)>, &str) = match p {
            LazyTrainingParams::LinearRate(_) => (vec![p.width_and_scale(0)], "params.width"),
            _ => (sizes.iter().map(|&s| p.width_and_scale(s)).collect(), "sizes"),
        };
        for (m, alpha) in widths_and_scales {
            if !(alpha.is_finite() && alpha > 0.0) {
                continue;
            }
            let floor = 2.0 * n as f64;
            if m == 0 || m % 2 != 0 || m > 1 << 24 {
                out.push(Violation::new(field, H3, format!("width m = {m} (even, 2 ≤ m ≤ 2^24)")));
                break;
            }
            if alpha * (m as f64).sqrt() < floor {
                out.push(Violation::new(
                    field,
                    H3,
                    format!(
                        "m = {m}, α = {alpha}: α√m = {:.1} < 2n = {floor}; at α = {alpha} the \
                         lazy floor is m ≥ {:.0}",
                        alpha * (m as f64).sqrt(),
                        (floor / alpha).powi(2).ceil()
                    ),
                ));
                break;
            }
        }
        let (step, max_steps) = p.steps();
        if !(step.is_finite() && step > 0.0 && step < 2.0) {
            out.push(Violation::new("params.step", H5, format!("c = {step}")));
        }
        let loss_ratio = match p {
            LazyTrainingParams::Width(w) => Some(w.loss_ratio),
            LazyTrainingParams::OutputScale(o) => Some(o.loss_ratio),
            LazyTrainingParams::LinearRate(_) | LazyTrainingParams::RateDeviation(_) => None,
        };
        if let Some(rho) = loss_ratio.filter(|r| !(r.is_finite() && *r > 0.0 && *r < 1.0)) {
            out.push(Violation::new("params.loss_ratio", H6, format!("ρ = {rho}")));
        }
        if max_steps == 0 {
            out.push(Violation::new("params.max_steps", H6, "max_steps = 0"));
        }
        if let LazyTrainingParams::RateDeviation(r) = p {
            let [s1, s2] = r.rate_window;
            if !(1 <= s1 && s1 < s2 && s2 <= 40) {
                out.push(Violation::new("params.rate_window", H9, format!("[{s1}, {s2}]")));
            }
        }
        out
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        match &**p {
            LazyTrainingParams::Width(_) => {
                // ‖ΔW‖_F → the m-independent minimum-norm change; ‖W_0‖_F = √(m d) (1 + o(1)).
                let norm_growth_in_m = 0.5;
                Prediction {
                    kind: ClaimKind::PowerDecay,
                    exponent: Exponent::Exactly(norm_growth_in_m),
                    law: "‖W_T - W_0‖/‖W_0‖ ~ m^-1/2".into(),
                    rationale: "lazy limit: the weight change tends to the m-independent \
                                minimum-norm solution of the linearised model, ‖W_0‖_F = √(md) \
                                (Chizat, Oyallon, Bach 2019; Du et al. 2019)"
                        .into(),
                    size: "m".into(),
                    observable: "rel. displacement".into(),
                }
            }
            LazyTrainingParams::OutputScale(_) => {
                // dW/dt = -(1/α) Jᵀ(u - y) with α-free function-space dynamics.
                let power_of_alpha_in_the_gradient = 1.0;
                Prediction {
                    kind: ClaimKind::PowerDecay,
                    exponent: Exponent::Exactly(power_of_alpha_in_the_gradient),
                    law: "‖W_T - W_0‖/‖W_0‖ ~ α^-1".into(),
                    rationale: "with the loss scaled by 1/α², the function dynamics are \
                                α-free and dW/dt = -(1/α) Jᵀ(u - y) (Chizat, Oyallon, Bach 2019)"
                        .into(),
                    size: "α".into(),
                    observable: "rel. displacement".into(),
                }
            }
            LazyTrainingParams::LinearRate(_) => Prediction {
                kind: ClaimKind::ExponentialDecay,
                // One e-fold of (1 - ηλ0)^k is log2(e) bits.
                exponent: Exponent::Exactly(std::f64::consts::LOG2_E),
                law: "|<v0, u_k - y>| ~ (1 - ηλ0)^k = e^-s".into(),
                rationale: "in the kernel limit the residual's component along the eigenvector of \
                            λ0 = λmin(H∞) contracts by 1 - ηλ0 per step (Du et al. 2019; Arora et \
                            al. 2019); s = -k ln(1 - ηλ0) with λ0 from the module's H∞"
                    .into(),
                size: "s".into(),
                observable: "|<v0,r_k>/<v0,r_0>|".into(),
            },
            LazyTrainingParams::RateDeviation(_) => {
                // H(0) - H∞ is an average of m/2 independent neuron terms (CLT: m^-1/2), and
                // H(t) - H(0) is set by the O(1/√m) movement: both shift λ0 at first order.
                let clt_order = 0.5;
                Prediction {
                    kind: ClaimKind::PowerDecay,
                    exponent: Exponent::Exactly(clt_order),
                    law: "|ρ̂/ρ(λ0(H∞)) - 1| ~ m^-1/2".into(),
                    rationale: "the finite-width kernel and its drift during training differ \
                                from H∞ by O(m^-1/2) (Du et al. 2019), which moves the slowest \
                                rate at first order; a rate tied to anything but λ0(H∞) leaves \
                                a deviation that does not vanish"
                        .into(),
                    size: "m".into(),
                    observable: "rate deviation".into(),
                }
            }
        }
    }

    /// A trial holds the data, $H^\infty$ and its eigenvectors ($2n^2$), and the network: two
    /// copies of the first layer, its gradient and the $m \times n$ pre-activations (about
    /// $m(3d + n + 2)$ values). A GD step is two GEMMs and a pass over the pre-activations
    /// ($4mnd$ flops) and a scalar pass over the $mn$ pre-activations. The step count is the loss's (or the
    /// slowest component's) e-folds times $\lambda_{\max}/(c\,\lambda_0)$, with the
    /// condition number of $H^\infty$ taken as `TYPICAL_CONDITION` (its value depends on the
    /// draw), capped by `max_steps`.
    fn cost(&self, p: &Validated<Self::Params>, size: u64) -> TrialCost {
        let (n, d) = p.data();
        let (n, d) = (n as f64, d as f64);
        let (step, max_steps) = p.steps();
        let (m, _) = p.width_and_scale(size);
        let m = m as f64;
        let e_folds = match &**p {
            LazyTrainingParams::Width(w) => (1.0 / w.loss_ratio).ln(),
            LazyTrainingParams::OutputScale(o) => (1.0 / o.loss_ratio).ln(),
            LazyTrainingParams::LinearRate(_) => size as f64,
            LazyTrainingParams::RateDeviation(r) => r.rate_window[1] as f64,
        };
        let steps = (e_folds * TYPICAL_CONDITION / step).min(max_steps as f64);
        TrialCost::from_counts(
            2.0 * n * n + n * (d + 1.0) + m * (3.0 * d + n + 2.0),
            n * n * n * 10.0 + steps * 4.0 * m * n * d,
            0.0,
            steps * m * n,
        )
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation {
        let (n, d) = p.data();
        let (n, d) = (n as usize, d as usize);
        let (step_constant, max_steps) = p.steps();
        let (x, y) = match unit_sphere_data(n, d, rng) {
            Ok(v) => v,
            Err(e) => return Observation::Failed(format!("data: {e}")),
        };
        let (vals, vecs) = match ntk_gram(x.as_ref()).and_then(|h| symmetric_eigen(h.as_ref())) {
            Ok(v) => v,
            Err(e) => return Observation::Failed(format!("H∞: {e}")),
        };
        let (lambda0, lambda_max) = (vals[0], vals[n - 1]);
        // Also catches a NaN λ0.
        if lambda0.is_nan() || lambda0 <= 1e-12 * lambda_max {
            return Observation::Failed(format!(
                "(H2) λ0 = λmin(H∞) = {lambda0:.3e} is numerically 0 (λmax = {lambda_max:.3e}): \
                 two inputs are (nearly) parallel"
            ));
        }
        let eta = step_constant / lambda_max;
        let (m, alpha) = p.width_and_scale(size);
        let mut net = match TwoLayerGd::symmetric(x, y, m as usize, alpha, eta, rng) {
            Ok(net) => net,
            Err(e) => return Observation::Failed(format!("network: {e}")),
        };
        match &**p {
            LazyTrainingParams::Width(WidthSweep { loss_ratio, .. })
            | LazyTrainingParams::OutputScale(ScaleSweep { loss_ratio, .. }) => {
                let target = loss_ratio * net.evaluate();
                for step in 0..=max_steps {
                    let loss = net.evaluate();
                    if !loss.is_finite() {
                        return Observation::Failed(format!(
                            "the loss is not finite at step {step} (m = {m}, α = {alpha})"
                        ));
                    }
                    if loss < target {
                        return Observation::Value(net.displacement() / net.initial_norm());
                    }
                    if step < max_steps {
                        net.descend();
                    }
                }
                Observation::Failed(format!(
                    "the loss is not below ρ L0 after max_steps = {max_steps} steps (m = {m}, α = \
                     {alpha})"
                ))
            }
            LazyTrainingParams::LinearRate(_) | LazyTrainingParams::RateDeviation(_) => {
                let per_step = -(1.0 - eta * lambda0).ln();
                let (s1, s2) = match &**p {
                    LazyTrainingParams::RateDeviation(r) => (r.rate_window[0], r.rate_window[1]),
                    _ => (0, size),
                };
                let k1 = (s1 as f64 / per_step).round() as u64;
                let k2 = (s2 as f64 / per_step).round();
                if k2 > max_steps as f64 {
                    return Observation::Failed(format!(
                        "{s2} e-folds need {k2} steps at ηλ0 = {:.3e}, beyond max_steps = \
                         {max_steps}",
                        eta * lambda0,
                    ));
                }
                let k2 = k2 as u64;
                let v0: Vec<f64> = vecs.col(0).iter().copied().collect();
                let project = |net: &TwoLayerGd| -> f64 {
                    let r = net.outputs().iter().zip(net.labels()).map(|(u, y)| u - y);
                    r.zip(&v0).map(|(r, v)| v * r).sum()
                };
                net.evaluate();
                let start = project(&net);
                let mut at_k1 = start;
                for step in 1..=k2 {
                    net.descend();
                    if !net.evaluate().is_finite() {
                        return Observation::Failed(format!(
                            "the loss is not finite at step {step} (m = {m})"
                        ));
                    }
                    if step == k1 {
                        at_k1 = project(&net);
                    }
                }
                let end = project(&net);
                if let LazyTrainingParams::LinearRate(_) = &**p {
                    return Observation::Value((end / start).abs());
                }
                if at_k1 == 0.0 || end == 0.0 {
                    return Observation::Failed(format!(
                        "the component along v0 is exactly 0 at step {k1} or {k2}"
                    ));
                }
                let measured = (at_k1 / end).abs().ln() / (k2 - k1) as f64;
                Observation::Value((measured / per_step - 1.0).abs())
            }
        }
    }

    fn rivals(&self, p: &Validated<Self::Params>) -> Vec<RivalLaw> {
        let (name, law, why) = match &**p {
            LazyTrainingParams::Width(_) => (
                "mean-field",
                "‖W_T - W_0‖/‖W_0‖ ~ m^0",
                "the mean-field regime, in which each neuron moves by O(1) whatever the width \
                 (Mei, Montanari, Nguyen 2018, arXiv:1804.06561; Chizat, Bach 2018, \
                 arXiv:1805.09545): a sceptic who holds that the net learns features at these \
                 widths",
            ),
            LazyTrainingParams::OutputScale(_) => (
                "width-like",
                "‖W_T - W_0‖/‖W_0‖ ~ α^-1/2",
                "the output scale acting like the width: the width law m^-1/2 read with α for \
                 m, a sceptic's laziness as a matter of width, which Chizat, Oyallon, Bach 2019 \
                 (arXiv:1812.07956v5, Section 2) argue against",
            ),
            LazyTrainingParams::LinearRate(_) => (
                "sublinear",
                "|<v0, r_k>| ~ k^-1",
                "the O(1/k) rate of gradient descent on a smooth objective that is not strongly \
                 convex (Nesterov, Introductory Lectures on Convex Optimization, 2004, \
                 Theorem 2.1.14): a sceptic who doubts that the NTK's λ0 > 0 governs the \
                 non-convex training",
            ),
            LazyTrainingParams::RateDeviation(_) => (
                "second-order",
                "|ρ̂/ρ(λ0(H∞)) - 1| ~ m^-1",
                "the first-order shift of λ0 has mean zero (E H(0) = H∞), so a sceptic expects \
                 only the second-order perturbation, O(1/m), to survive in the rate (Du et al. \
                 2019, arXiv:1810.02054, bound the kernel's deviation, not its sign)",
            ),
        };
        vec![RivalLaw { name: name.into(), law: law.into(), why: why.into() }]
    }

    fn rival_curve(
        &self,
        p: &Validated<Self::Params>,
        rival: &str,
        sizes: &[u64],
    ) -> Result<Vec<f64>, String> {
        // Each design's one rival, as a power of its size (up to a constant factor); the
        // linear-rate's size s is proportional to the step count k.
        let power = match (&**p, rival) {
            (LazyTrainingParams::Width(_), "mean-field") => 0.0,
            (LazyTrainingParams::OutputScale(_), "width-like") => -0.5,
            (LazyTrainingParams::LinearRate(_), "sublinear") => -1.0,
            (LazyTrainingParams::RateDeviation(_), "second-order") => -1.0,
            _ => return Err(format!("no rival `{rival}` for this design")),
        };
        Ok(sizes.iter().map(|&s| (s as f64).powf(power)).collect())
    }

    fn panel(
        &self,
        p: &Validated<Self::Params>,
        size: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        match &**p {
            LazyTrainingParams::LinearRate(l) => Some(loss_curve_panel(l, size, &mut stream(0))),
            _ => None,
        }
    }
}

/// The loss of one run over `size` predicted e-folds against the kernel prediction from the
/// run's own $H^\infty$: $L_k / L_0 = \sum_i (1 - \eta\lambda_i)^{2k}\langle v_i, y\rangle^2 /
/// \lVert y\rVert^2$ (the kernel dynamics from $f = 0$, so $r_0 = -y$; derived in
/// `docs/theory/lazy-training.md`), and its slowest term alone.
fn loss_curve_panel(p: &LinearRate, size: u64, rng: &mut Rng) -> Result<Panel, String> {
    let (n, d) = (p.n as usize, p.d as usize);
    let (x, y) = unit_sphere_data(n, d, rng).map_err(|e| e.to_string())?;
    let h = ntk_gram(x.as_ref()).map_err(|e| e.to_string())?;
    let (vals, vecs) = symmetric_eigen(h.as_ref()).map_err(|e| e.to_string())?;
    let eta = p.step / vals[n - 1];
    let per_step = -(1.0 - eta * vals[0]).ln();
    let steps = (size as f64 / per_step).round().min(p.max_steps as f64) as u64;
    let (m, alpha) = (p.width, p.output_scale);
    let coef: Vec<f64> =
        (0..n).map(|i| vecs.col(i).iter().zip(&y).map(|(v, y)| v * y).sum::<f64>()).collect();
    let norm2: f64 = y.iter().map(|v| v * v).sum();
    let mut net =
        TwoLayerGd::symmetric(x, y, m as usize, alpha, eta, rng).map_err(|e| e.to_string())?;
    let l0 = net.evaluate();
    let mut points = vec![(0.0, 1.0)];
    let every = (steps / 100).max(1);
    for k in 1..=steps {
        net.descend();
        let loss = net.evaluate();
        if !loss.is_finite() {
            return Err(format!("the loss is not finite at step {k}"));
        }
        if k % every == 0 || k == steps {
            points.push((k as f64, loss / l0));
        }
    }
    let kernel = |k: f64, terms: usize| -> f64 {
        (0..terms).map(|i| (1.0 - eta * vals[i]).powf(2.0 * k) * coef[i] * coef[i]).sum::<f64>()
            / norm2
    };
    let ks: Vec<f64> = (0..=200).map(|i| steps as f64 * f64::from(i) / 200.0).collect();
    Ok(Panel {
        name: format!("s{size}"),
        title: format!(
            "loss of one run, m = {m}, {size} e-folds of λ0 = {:.3} ({steps} steps)",
            vals[0]
        ),
        x_label: "GD step k".into(),
        y_label: "L_k / L_0".into(),
        log_x: false,
        log_y: true,
        medians: points.clone(),
        points,
        curves: vec![
            ("kernel GD on H∞, all λ_i".into(), ks.iter().map(|&k| (k, kernel(k, n))).collect()),
            ("its λ0 term".into(), ks.iter().map(|&k| (k, kernel(k, 1))).collect()),
        ],
    })
}

#[cfg(test)]
mod tests;
