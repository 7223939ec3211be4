//! The rival laws of `double-descent`: what a sceptic would put in place of each claim's law,
//! as a curve of the claim's observable (up to a constant factor).
//!
//! Variance claims (observable $\sigma^2 n/s$ in the distance $s = |p - n| - 1$):
//! * `asymptotic`: the proportional-limit risk (Marchenko–Pastur; Hastie et al. 2022, §2)
//!   read at finite $n$, $\sigma^2\gamma/(1-\gamma)$ below and $\sigma^2/(\gamma - 1)$ above,
//!   i.e. the observable $\sigma^2 n/(s+1)$: the pole at $|1-\gamma| = 0$ instead of $s = 0$.
//!   Its exponent over $s = 9..99$ is within twice the tolerance of 1, so no data of this
//!   design can refute it (the card says so); it is listed, not used.
//! * `smallest-eigenvalue`: the variance is $\sigma^2\,\mathrm{tr}\,W^{-1}$, and a sceptic
//!   bounds the trace by its largest term, $1/\lambda_{\min}$, with the Marchenko–Pastur hard
//!   edge $\lambda_{\min} \approx (1 - \sqrt c)^2$, $c = \min(\gamma, 1/\gamma)$ (Bai & Yin,
//!   *Ann. Probab.* 21(3):1275, 1993): the observable $\propto (1-\sqrt c)^{-2}/\gamma$ (the
//!   largest term is $1/(n(1-\sqrt\gamma)^2)$ below, divided by $\gamma$ as the observable is,
//!   and $1/(p(1-1/\sqrt\gamma)^2)$ above), a double pole, $\sim s^{-2}$.
//!
//! `rf-peak` (observable the peak width $N^*$ against $n$):
//! * `input-dimension`: the target is linear in $x \in \mathbb R^d$, and the random features
//!   first span it at $N = d$; a sceptic who treats the features as a linear model in the input
//!   puts the peak there, $N^* \propto d$, independent of $n$ (exponent 0).
//! * `parameter-count` ($N^* d = n$, the peak where the first layer's parameters $Nd$ meet
//!   $n$) has exponent 1 like the claim, so no exponent can tell them apart: listed, not used.

use super::params::{DoubleDescentParams, Side, VarianceDesign};
use crate::law::RivalLaw;

fn variance_rivals() -> Vec<RivalLaw> {
    vec![
        RivalLaw {
            name: "smallest-eigenvalue".into(),
            law: "variance ~ (1 - √min(γ, 1/γ))^-2 ~ s^-2".into(),
            why: "the variance σ² tr W^-1 read off its largest term 1/λ_min, with the \
                  Marchenko–Pastur hard edge (1 - √c)² (Bai & Yin 1993, Ann. Probab. 21(3):1275): \
                  a double pole"
                .into(),
        },
        RivalLaw {
            name: "asymptotic".into(),
            law: "variance ~ σ² n/(s + 1) (= σ²/|1 - γ|)".into(),
            why: "the proportional-limit risk of Hastie et al. 2022 (§2) read at finite n: the \
                  pole at γ = 1 instead of s = 0"
                .into(),
        },
    ]
}

/// The rivals `thm show` lists and a card may name.
pub(super) fn rivals(p: &DoubleDescentParams) -> Vec<RivalLaw> {
    match p {
        DoubleDescentParams::VarianceBelow(_) | DoubleDescentParams::VarianceAbove(_) => {
            variance_rivals()
        }
        DoubleDescentParams::RfPeak(_) => vec![
            RivalLaw {
                name: "input-dimension".into(),
                law: "N* ~ d (independent of n)".into(),
                why: "the target is linear in x ∈ R^d and N random features first span it at \
                      N = d: the peak of a linear model in the input"
                    .into(),
            },
            RivalLaw {
                name: "parameter-count".into(),
                law: "N* ~ n/d (N d parameters = n)".into(),
                why: "the peak where the first layer's N d parameters meet the n samples; the \
                      same exponent as the claim, so not a control"
                    .into(),
            },
        ],
    }
}

/// The variance rival at distance `s` on `side`, in the observable's units.
fn variance_rival(v: &VarianceDesign, side: Side, rival: &str, s: u64) -> Result<f64, String> {
    let n = v.samples as f64;
    let p = v.features(side, s).ok_or("no features at this distance")? as f64;
    let gamma = p / n;
    match rival {
        "asymptotic" => Ok(n / (s as f64 + 1.0)),
        "smallest-eigenvalue" => {
            let c = gamma.min(1.0 / gamma);
            let edge = (1.0 - c.sqrt()).powi(-2);
            // The largest term of tr W^-1 over its scale: 1/(n (1-√γ)²) below (R/γ divides
            // by γ), 1/(p (1-1/√γ)²) above; in units of 1/n both are edge/γ.
            let _ = side;
            Ok(edge / gamma)
        }
        _ => Err(format!("the module has no rival `{rival}` for this claim")),
    }
}

/// A rival's value of the claim's observable at each size, up to a constant.
pub(super) fn rival_curve(
    p: &DoubleDescentParams,
    rival: &str,
    sizes: &[u64],
) -> Result<Vec<f64>, String> {
    match p {
        DoubleDescentParams::VarianceBelow(v) => {
            sizes.iter().map(|&s| variance_rival(v, Side::Below, rival, s)).collect()
        }
        DoubleDescentParams::VarianceAbove(v) => {
            sizes.iter().map(|&s| variance_rival(v, Side::Above, rival, s)).collect()
        }
        DoubleDescentParams::RfPeak(r) => match rival {
            "input-dimension" => Ok(sizes.iter().map(|_| f64::from(r.dim)).collect()),
            "parameter-count" => Ok(sizes.iter().map(|&n| n as f64 / f64::from(r.dim)).collect()),
            _ => Err(format!("the module has no rival `{rival}` for this claim")),
        },
    }
}
