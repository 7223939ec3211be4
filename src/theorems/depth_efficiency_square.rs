//! # Depth buys exponential accuracy for $x^2$: $N^{-2}$ with width, $4^{-m}$ with depth
//!
//! Approximating $f(x) = x^2$ on $[0, 1]$ in sup norm. A **shallow** ReLU network (one hidden
//! layer) with $N$ units is a continuous piecewise-linear function with at most $N$ pieces; the
//! best such approximation has error $\asymp N^{-2}$, the interpolation order of piecewise
//! linear functions on a $C^2$ target. A **deep** network that composes the tent map
//! $g(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - 1/2)$ with itself $m$ times (3 ReLUs per
//! layer) represents $f_m(x) = x - \sum_{s=1}^{m} g^{(s)}(x)/4^{s}$, the interpolant of $x^2$
//! at $2^m + 1$ points, whose error is exactly $2^{-2m-2}$: **exponential in depth**, where
//! width alone gives a power.
//!
//! ## Statement
//! * (H1) the design, `measure`, is `shallow` (sizes are the number of units $N \ge 1$) or
//!   `deep` (sizes are the number of sawtooth layers $1 \le m \le 20$; beyond 20 the error
//!   $2^{-42}$ nears the rounding of its own evaluation).
//! * (H2) the sup norm is measured on the $2^{G} + 1$ equispaced points of $[0, 1]$, with
//!   $4 \le G \le 24$ (`grid_log2`). For `deep`, $G \ge m + 1$ for every $m$ of the sweep, so
//!   the grid contains the maximisers of the error, the odd multiples of $2^{-m-1}$. For
//!   `shallow`, the grid contains $x = 0$, a knot where the error attains its maximum.
//!
//! ## Prediction
//! Computed by [`TypedTheorem::predict`] from the construction: `shallow`, a piecewise-linear
//! interpolant with spacing $h = 1/N$ has error $h^2 \|f''\|_\infty/8$, so the decay exponent
//! in $N$ is the approximation order 2; `deep`, each tent layer doubles the number of linear
//! pieces, so the error decays by $2^{-2}$ per layer: 2 bits per layer
//! ($\log_2$ error against $m$ has slope $-2$).
//!
//! ## Simulation
//! Deterministic: the networks are built from their weights and evaluated layer by layer on
//! the grid; the observable is the measured sup error. The shallow network is the
//! interpolant at the knots $i/N$ shifted down by half its maximal error, which is optimal:
//! error $1/(8N^2)$. No randomness; one trial per size suffices.
//!
//! ## Rivals
//! [`TypedTheorem::rivals`]: `shallow` against `lipschitz`, $N^{-1}$, the rate of $N$ linear
//! pieces on a target used only through its Lipschitz constant (error $\le L h/2$ with
//! $h = 1/N$): a sceptic who grants the units no use of the curvature. `deep` against
//! `width-like`, $(3m)^{-2}$: the deep net read as a shallow one with the same number $3m$ of
//! ReLUs, which the shallow rate would give. Over the cards' sweeps, in the fits'
//! coordinates, `lipschitz` has exponent 1 (both profiles) and `width-like` 0.79 bits per
//! layer on $m = 1..8$, 0.47 on $m = 1..15$ (test `rival_exponents_over_the_cards_sweeps`).
//!
//! ## No finite-size twin
//! The measured errors are the closed forms $1/(8N^2)$ and $2^{-2m-2}$ up to rounding (tests
//! below): the finite-size curve is the asymptotic law itself, with no correction term, so
//! the finite-size judge would fit the slope of a residual that is 0 up to rounding and add
//! nothing to the exponent claims, whose fit of an exact power law already recovers the
//! exponent to rounding. The module computes no finite-size prediction.
//!
//! ## Deviations from the source
//! This is Yarotsky's construction for $x^2$, not the depth separations of Safran and Shamir
//! (arXiv:1610.09887: indicators of balls and ellipses, approximated better by depth 3 than
//! by much wider depth-2 networks), which are not checked here. The shallow rate is the
//! classical interpolation bound, with the optimal half-shift. The derivations, and the
//! values an earlier prototype of ours measured, are in `docs/theory/depth-efficiency-square.md`.
//!
//! ## References
//! * D. Yarotsky, *Error bounds for approximations with deep ReLU networks*, Neural Networks
//!   94 (2017); arXiv:1610.01145 (the card gives the version and locator).

use crate::error::Violation;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::resources::TrialCost;
use crate::rng::Rng;
use crate::theorem::{About, Observation, TypedTheorem, Validated};
use serde::{Deserialize, Serialize};

/// The module of theorem `depth-efficiency-square`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DepthEfficiencySquare;

/// Parameters of one claim: which approximating network it measures (`measure`, (H1)), and
/// the grid the error is measured on. Both designs take the same fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum DepthEfficiencySquareParams {
    /// One hidden layer of $N$ ReLU units; sizes are $N$.
    Shallow(SupGrid),
    /// $m$ composed tent-map layers of 3 ReLUs; sizes are $m$.
    Deep(SupGrid),
}

/// Where the sup error is measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupGrid {
    /// $G$: the error is measured on $2^G + 1$ equispaced points (H2).
    pub grid_log2: u32,
}

impl DepthEfficiencySquareParams {
    /// The grid, whichever network is measured.
    pub fn grid(&self) -> &SupGrid {
        match self {
            DepthEfficiencySquareParams::Shallow(g) | DepthEfficiencySquareParams::Deep(g) => g,
        }
    }

    /// The design's name as the card spells it.
    fn name(&self) -> &'static str {
        match self {
            DepthEfficiencySquareParams::Shallow(_) => "shallow",
            DepthEfficiencySquareParams::Deep(_) => "deep",
        }
    }
}

/// Hypothesis (H1), as `thm show` prints it.
const H1: &str = "(H1) shallow: N ≥ 1 units; deep: 1 ≤ m ≤ 20 layers";
/// Hypothesis (H2), as `thm show` prints it.
const H2: &str =
    "(H2) 4 ≤ G ≤ 24, and G ≥ m + 1 for deep networks (the grid holds the error's maximisers)";

const ABOUT: About = About {
    hypotheses: &[("sizes", H1), ("grid_log2", H2)],
    simulation:
        "ReLU networks built from their weights and evaluated on 2^G + 1 grid points of [0, 1]; \
                 the observable is the sup error against x²; deterministic",
};

/// The tent map $g(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - 1/2)$ on $[0, 1]$, one
/// hidden layer of the deep network.
fn tent(x: f64) -> f64 {
    2.0 * relu(x) - 4.0 * relu(x - 0.5)
}

fn relu(x: f64) -> f64 {
    x.max(0.0)
}

/// The deep network with `m` sawtooth layers: $f_m(x) = x - \sum_{s=1}^m g^{(s)}(x)/4^s$.
/// Each layer passes $x$ through (as $\mathrm{ReLU}(x)$, since $x \ge 0$), maps the sawtooth
/// $g^{(s-1)}(x)$ to $g^{(s)}(x)$ and accumulates the partial sum.
pub fn deep_square(m: u32, x: f64) -> f64 {
    let mut saw = x;
    let mut acc = relu(x);
    let mut scale = 1.0;
    for _ in 0..m {
        saw = tent(saw);
        scale *= 0.25;
        acc -= scale * saw;
    }
    acc
}

/// The shallow network with `n` ReLU units: the interpolant of $x^2$ at $i/n$ written as
/// $\frac{1}{n}\mathrm{ReLU}(x) + \sum_{i=1}^{n-1} \frac{2}{n}\mathrm{ReLU}(x - i/n)$, shifted
/// down by $1/(8n^2)$, half its maximal error.
pub fn shallow_square(n: u32, x: f64) -> f64 {
    let nf = f64::from(n);
    let mut acc = relu(x) / nf;
    for i in 1..n {
        acc += 2.0 / nf * relu(x - f64::from(i) / nf);
    }
    acc - 1.0 / (8.0 * nf * nf)
}

impl TypedTheorem for DepthEfficiencySquare {
    type Params = DepthEfficiencySquareParams;

    fn id(&self) -> &'static str {
        "depth-efficiency-square"
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn violations(&self, p: &Self::Params, sizes: &[u64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let bad_size = match p {
            DepthEfficiencySquareParams::Shallow(_) => {
                sizes.iter().find(|&&n| n == 0 || n > u64::from(u32::MAX))
            }
            DepthEfficiencySquareParams::Deep(_) => sizes.iter().find(|&&m| !(1..=20).contains(&m)),
        };
        if let Some(s) = bad_size {
            out.push(Violation::new("sizes", H1, format!("{} network, size {s}", p.name())));
        }
        let g = p.grid().grid_log2;
        if !(4..=24).contains(&g) {
            out.push(Violation::new("params.grid_log2", H2, format!("G = {g}")));
        } else if let DepthEfficiencySquareParams::Deep(_) = p {
            if let Some(m) = sizes.iter().find(|&&m| u64::from(g) < m + 1) {
                out.push(Violation::new(
                    "params.grid_log2",
                    H2,
                    format!("G = {g} < m + 1 = {}", m + 1),
                ));
            }
        }
        out
    }

    fn predict(&self, p: &Validated<Self::Params>) -> Prediction {
        // Approximation order of piecewise-linear interpolation of a C² function.
        let interpolation_order = 2.0;
        match &**p {
            DepthEfficiencySquareParams::Shallow(_) => Prediction {
                kind: ClaimKind::PowerDecay,
                exponent: Exponent::Exactly(interpolation_order),
                law: "err ~ N^-2".into(),
                rationale:
                    "N units give N linear pieces; interpolation error h²‖f''‖/8 with h = 1/N"
                        .into(),
                size: "N".into(),
                observable: "err".into(),
            },
            DepthEfficiencySquareParams::Deep(_) => {
                // Each tent layer doubles the pieces: h = 2^-m, so err ∝ h² = 2^(-2m).
                let pieces_per_layer: f64 = 2.0;
                Prediction {
                    kind: ClaimKind::ExponentialDecay,
                    exponent: Exponent::Exactly(interpolation_order * pieces_per_layer.log2()),
                    law: "err ~ 4^-m".into(),
                    rationale:
                        "each tent layer doubles the linear pieces; err = 2^(-2m-2) (Yarotsky 2017)"
                            .into(),
                    size: "m".into(),
                    observable: "err".into(),
                }
            }
        }
    }

    fn rivals(&self, p: &Validated<Self::Params>) -> Vec<RivalLaw> {
        vec![match &**p {
            DepthEfficiencySquareParams::Shallow(_) => RivalLaw {
                name: "lipschitz".into(),
                law: "err ~ N^-1".into(),
                why: "the rate of N linear pieces on a target used only through its Lipschitz \
                      constant (error <= L/(2N)): a sceptic who grants the units no use of the \
                      curvature of x^2 (the first-order bound beside Yarotsky 2017's, \
                      arXiv:1610.01145v3)"
                    .into(),
            },
            DepthEfficiencySquareParams::Deep(_) => RivalLaw {
                name: "width-like".into(),
                law: "err ~ (3m)^-2".into(),
                why: "the deep net read as a shallow one with the same 3m ReLUs, at the shallow \
                      rate N^-2: a sceptic who holds that depth buys nothing that the neuron \
                      count does not (Yarotsky 2017, arXiv:1610.01145v3, argues the opposite)"
                    .into(),
            },
        }]
    }

    fn rival_curve(
        &self,
        p: &Validated<Self::Params>,
        rival: &str,
        sizes: &[u64],
    ) -> Result<Vec<f64>, String> {
        let value: fn(f64) -> f64 = match (&**p, rival) {
            (DepthEfficiencySquareParams::Shallow(_), "lipschitz") => |n| 1.0 / n,
            (DepthEfficiencySquareParams::Deep(_), "width-like") => |m| (3.0 * m).powi(-2),
            _ => return Err(format!("no rival `{rival}` for the {} network", p.name())),
        };
        Ok(sizes.iter().map(|&s| value(s as f64)).collect())
    }

    /// The network is evaluated on $2^{g}+1$ grid points with no allocation: a few operations
    /// per unit (shallow: one ReLU per knot) or per layer (deep: one tooth per layer) and point.
    fn cost(&self, p: &Validated<Self::Params>, size: u64) -> TrialCost {
        let points = (1u64 << p.grid().grid_log2) as f64 + 1.0;
        TrialCost::from_counts(0.0, 0.0, 0.0, points * 4.0 * size as f64)
    }

    fn trial(&self, p: &Validated<Self::Params>, size: u64, _rng: &mut Rng) -> Observation {
        let points = 1u64 << p.grid().grid_log2;
        let net = |x: f64| match &**p {
            DepthEfficiencySquareParams::Shallow(_) => shallow_square(size as u32, x),
            DepthEfficiencySquareParams::Deep(_) => deep_square(size as u32, x),
        };
        let mut sup: f64 = 0.0;
        for i in 0..=points {
            let x = i as f64 / points as f64;
            let err = (net(x) - x * x).abs();
            if !err.is_finite() {
                return Observation::Failed(format!("the network is not finite at x = {x}"));
            }
            sup = sup.max(err);
        }
        Observation::Value(sup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_error_is_exactly_two_to_the_minus_two_m_minus_two() {
        for m in 1..=8u32 {
            let x = 1.0 / f64::from(1u32 << (m + 1)); // a maximiser
            let err = (deep_square(m, x) - x * x).abs();
            assert!((err - 2f64.powi(-2 * m as i32 - 2)).abs() < 1e-15, "m {m}: {err}");
        }
    }

    #[test]
    fn shallow_error_is_one_over_eight_n_squared_at_knots_and_midpoints() {
        for n in [1u32, 3, 8] {
            let e = 1.0 / (8.0 * f64::from(n * n));
            assert!(((shallow_square(n, 0.0) - 0.0).abs() - e).abs() < 1e-15);
            let mid = 0.5 / f64::from(n);
            assert!(((shallow_square(n, mid) - mid * mid).abs() - e).abs() < 1e-15);
        }
    }

    /// A design, its rival, the quick and full sizes, and the rival's exponent on each.
    type RivalCase = (DepthEfficiencySquareParams, &'static str, Vec<u64>, Vec<u64>, [f64; 2]);

    /// Pre-registration (no data): the rivals' exponents over the cards' sweeps, in the fits'
    /// coordinates, are farther than 2 × 0.05 from the predicted 2.
    #[test]
    fn rival_exponents_over_the_cards_sweeps() {
        let designs: [RivalCase; 2] = [
            (
                DepthEfficiencySquareParams::Shallow(SupGrid { grid_log2: 16 }),
                "lipschitz",
                vec![2, 4, 8, 16, 32, 64],
                vec![2, 4, 8, 16, 32, 64, 128, 256, 512],
                [1.0, 1.0],
            ),
            (
                DepthEfficiencySquareParams::Deep(SupGrid { grid_log2: 16 }),
                "width-like",
                (1..=8).collect(),
                (1..=15).collect(),
                [0.794, 0.474],
            ),
        ];
        for (params, rival, quick, full, expected) in designs {
            let p = Validated::check(&DepthEfficiencySquare, params, &quick).unwrap();
            let kind = DepthEfficiencySquare.predict(&p).kind;
            for (sizes, want) in [(&quick, expected[0]), (&full, expected[1])] {
                let curve = DepthEfficiencySquare.rival_curve(&p, rival, sizes).unwrap();
                let (x, y): (Vec<f64>, Vec<f64>) =
                    sizes.iter().zip(&curve).map(|(&s, &v)| kind.coordinates(s as f64, v)).unzip();
                let (mx, my) = (
                    x.iter().sum::<f64>() / x.len() as f64,
                    y.iter().sum::<f64>() / y.len() as f64,
                );
                let sxy: f64 = x.iter().zip(&y).map(|(x, y)| (x - mx) * (y - my)).sum();
                let sxx: f64 = x.iter().map(|x| (x - mx) * (x - mx)).sum();
                let a = kind.exponent_of_slope(sxy / sxx);
                assert!((a - want).abs() < 1e-3, "{rival}: {a}");
                assert!((a - 2.0).abs() > 2.0 * 0.05, "{rival}: {a}");
            }
        }
    }
}
