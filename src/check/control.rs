//! The falsification control: what the same data must refute for a verdict to have power.
//!
//! A card's control is a **shift** of the prediction (`control = { shift = 0.5 }`), or a
//! **rival** law the module computes (`control = { rival = "d-log-d" }`): the nearest law a
//! sceptic would propose. A rival is a curve (its value at each size, up to a constant); the
//! harness turns it into the exponent the claim's own estimator would report on noiseless data
//! from that law, over the same sizes, with the same weights: the slope of the rival's curve in
//! the fit's coordinates. So `d` against `d log d` over d = 64..512, fitted as
//! $\log(n^*/\log d)$, is the exponent 0.81, not 1: the control is the rival as the estimator
//! sees it, not its asymptotic exponent.

use super::run::ClaimRun;
use super::weighted::weighted_ls_slope;
use crate::law::{ClaimKind, Control, Exponent};
use crate::verdict::{self, Judgement, Outcome};

/// The claim's rival curve at the run's sizes, or why it cannot be computed.
pub(super) fn rival_curve(run: &ClaimRun, name: &str) -> Result<Vec<f64>, String> {
    let curve = run.claim().simulation.rival_curve(name, run.sizes())?;
    if curve.len() != run.sizes().len() || curve.iter().any(|v| !v.is_finite()) {
        return Err(format!("the rival `{name}`'s curve is not one finite value per size"));
    }
    Ok(curve)
}

/// The outcome of a claim judged on its exponent (`judge = "exponent"`): the fitted exponent
/// and its interval against the prediction, and the control against a shift or a rival. `xs`
/// are the fit's abscissae and `weights` its weights (for the rival's exponent).
pub(super) fn exponent_outcome(
    run: &ClaimRun,
    exponent: f64,
    interval: (f64, f64),
    xs: &[f64],
    weights: &[f64],
) -> Outcome {
    let claim = run.claim();
    let (predicted, tol) = (claim.prediction.exponent, claim.tolerance);
    let judged = verdict::judge(exponent, interval, predicted, tol);
    let control = match &claim.control {
        Control::Shift(delta) => verdict::judge(exponent, interval, predicted.shifted(*delta), tol),
        Control::Rival(rival) => match rival_exponent(run, &rival.name, xs, weights) {
            Ok(a) => {
                let j = verdict::judge(exponent, interval, Exponent::Exactly(a), tol);
                named(
                    j,
                    &format!(
                        "rival {} ({}, exponent {a:.2} over these sizes)",
                        rival.name, rival.law
                    ),
                )
            }
            Err(why) => Judgement::inconclusive(format!("rival {}: {why}", rival.name)),
        },
    };
    verdict::with_control(judged, control)
}

/// The exponent the claim's fit gives on the rival's noiseless curve.
fn rival_exponent(run: &ClaimRun, name: &str, xs: &[f64], weights: &[f64]) -> Result<f64, String> {
    let kind = run.claim().prediction.kind;
    let curve = rival_curve(run, name)?;
    let ys: Vec<f64> =
        run.sizes().iter().zip(&curve).map(|(&s, &c)| kind.coordinates(s as f64, c).1).collect();
    let a = kind.exponent_of_slope(weighted_ls_slope(xs, &ys, weights));
    if a.is_finite() {
        Ok(a)
    } else {
        Err("its exponent over these sizes is not finite".into())
    }
}

/// The rival's excess over the claim's bound at each size, for a lower-bound claim (the rival
/// says the observable stays above a higher curve).
pub(super) fn rival_excess(run: &ClaimRun, name: &str) -> Result<Vec<f64>, String> {
    debug_assert!(matches!(run.claim().prediction.kind, ClaimKind::LowerBound));
    rival_curve(run, name)
}

/// A judgement whose reason names what it judged against.
pub(super) fn named(j: Judgement, against: &str) -> Judgement {
    Judgement { verdict: j.verdict, reason: format!("{against}: {}", j.reason) }
}
