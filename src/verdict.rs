//! Verdicts: the only place where a fitted interval is compared with a prediction.
//!
//! The rule follows criterion's three-way comparison of a confidence interval with a noise
//! threshold. The predicted set is `[a - tol, a + tol]` (or a half-line for a bound). An
//! interval inside the set is `confirmed`, an interval disjoint from it is `refuted`, anything
//! else is `inconclusive`. The **falsification control** applies the same rule to the
//! prediction shifted by the card's `control = { shift = δ }`, or a rival law's exponent
//! (`control = { rival = … }`, see `check::control`): if the data cannot refute that wrong
//! prediction, they have no power, and the claim is `inconclusive: no power` whatever its own
//! judgement.

use crate::law::Exponent;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The three possible outcomes of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The fitted interval lies inside the predicted set.
    Confirmed,
    /// The fitted interval is disjoint from the predicted set.
    Refuted,
    /// Neither: the interval straddles the edge, the fit failed, or the data had no power.
    Inconclusive,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Refuted => "refuted",
            Verdict::Inconclusive => "inconclusive",
        })
    }
}

/// A verdict with the reason, which carries the numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, e.g. `fitted 1.93 [1.84, 2.02], predicted 2.00 ± 0.15`.
    pub reason: String,
}

impl Judgement {
    /// An inconclusive judgement with a reason (failed fit, divergence, censoring, …).
    pub fn inconclusive(reason: impl Into<String>) -> Judgement {
        Judgement { verdict: Verdict::Inconclusive, reason: reason.into() }
    }
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.reason)
    }
}

/// Judges a fitted exponent and its interval against a predicted exponent and tolerance.
///
/// # Example
/// ```
/// use thm::{law::Exponent, verdict::{judge, Verdict}};
/// let j = judge(1.93, (1.86, 2.02), Exponent::Exactly(2.0), 0.15);
/// assert_eq!(j.verdict, Verdict::Confirmed);
/// assert_eq!(j.reason, "fitted 1.93 [1.86, 2.02], predicted 2.00 ± 0.15");
/// assert_eq!(judge(1.93, (1.84, 2.02), Exponent::Exactly(2.5), 0.15).verdict, Verdict::Refuted);
/// ```
pub fn judge(fitted: f64, interval: (f64, f64), predicted: Exponent, tolerance: f64) -> Judgement {
    let (lo, hi) = interval;
    let numbers = format!(
        "fitted {fitted:.2} [{lo:.2}, {hi:.2}], predicted {}",
        predicted.describe(tolerance)
    );
    if !(fitted.is_finite() && lo <= hi) || lo.is_nan() || hi.is_nan() {
        return Judgement::inconclusive(format!("{numbers}: the interval is undefined"));
    }
    let (set_lo, set_hi) = predicted.accepted_set(tolerance);
    let verdict = if set_lo <= lo && hi <= set_hi {
        Verdict::Confirmed
    } else if hi < set_lo || set_hi < lo {
        Verdict::Refuted
    } else {
        Verdict::Inconclusive
    };
    let reason = match verdict {
        Verdict::Inconclusive => format!("{numbers}: the interval straddles the tolerance edge"),
        _ => numbers,
    };
    Judgement { verdict, reason }
}

/// A claim's judgement beside its falsification control, and the verdict they give together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The verdict on the claim, after the control (what tables show).
    pub verdict: Verdict,
    /// The reason for `verdict`.
    pub reason: String,
    /// The claim judged alone.
    pub claim: Judgement,
    /// The control: the same data against the shifted prediction or the rival law.
    pub control: Judgement,
}

/// Combines a claim's judgement with its control's.
///
/// A refuted claim stays refuted (the data had the power to refute it). Otherwise, a control
/// that is not refuted makes the claim `inconclusive: no power`.
pub fn with_control(claim: Judgement, control: Judgement) -> Outcome {
    let (verdict, reason) = match (claim.verdict, control.verdict) {
        (Verdict::Refuted, _) => (Verdict::Refuted, claim.reason.clone()),
        (_, Verdict::Confirmed | Verdict::Inconclusive) => {
            (Verdict::Inconclusive, format!("no power: the control was not refuted ({control})"))
        }
        (v, Verdict::Refuted) => (v, claim.reason.clone()),
    };
    Outcome { verdict, reason, claim, control }
}

/// Judges a claim and its control from the same fit.
pub fn judge_with_control(
    fitted: f64,
    interval: (f64, f64),
    predicted: Exponent,
    tolerance: f64,
    control_delta: f64,
) -> Outcome {
    with_control(
        judge(fitted, interval, predicted, tolerance),
        judge(fitted, interval, predicted.shifted(control_delta), tolerance),
    )
}

/// An outcome that never reached a fit (divergence, censoring, failed prerequisite): both the
/// claim and the control are inconclusive with the same reason.
pub fn not_fitted(reason: impl Into<String>) -> Outcome {
    let reason = reason.into();
    Outcome {
        verdict: Verdict::Inconclusive,
        reason: reason.clone(),
        claim: Judgement::inconclusive(reason.clone()),
        control: Judgement::inconclusive(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_inside_disjoint_or_straddling() {
        let p = Exponent::Exactly(2.0);
        assert_eq!(judge(2.0, (1.9, 2.1), p, 0.15).verdict, Verdict::Confirmed);
        assert_eq!(judge(2.5, (2.4, 2.6), p, 0.15).verdict, Verdict::Refuted);
        assert_eq!(judge(2.1, (2.0, 2.2), p, 0.15).verdict, Verdict::Inconclusive);
        assert_eq!(judge(1.0, (f64::NAN, 2.0), p, 0.15).verdict, Verdict::Inconclusive);
        assert_eq!(judge(2.0, (1.0, f64::INFINITY), p, 0.15).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn bounds_accept_half_lines() {
        assert_eq!(judge(5.0, (4.5, 9.0), Exponent::AtLeast(4.0), 0.1).verdict, Verdict::Confirmed);
        assert_eq!(judge(3.0, (2.5, 3.5), Exponent::AtLeast(4.0), 0.1).verdict, Verdict::Refuted);
        assert_eq!(judge(0.5, (0.2, 0.8), Exponent::AtMost(1.0), 0.1).verdict, Verdict::Confirmed);
    }

    #[test]
    fn a_control_that_is_not_refuted_means_no_power() {
        // A wide interval confirms neither and refutes neither.
        let o = judge_with_control(2.0, (1.0, 3.0), Exponent::Exactly(2.0), 2.0, 0.5);
        assert_eq!(o.claim.verdict, Verdict::Confirmed);
        assert_eq!(o.verdict, Verdict::Inconclusive);
        assert!(o.reason.starts_with("no power"), "{}", o.reason);
    }

    #[test]
    fn confirmed_with_refuted_control_and_refuted_claims_stay_refuted() {
        let o = judge_with_control(1.93, (1.86, 2.02), Exponent::Exactly(2.0), 0.15, 0.5);
        assert_eq!((o.verdict, o.control.verdict), (Verdict::Confirmed, Verdict::Refuted));
        let o = judge_with_control(2.5, (2.45, 2.55), Exponent::Exactly(2.0), 0.15, 0.5);
        assert_eq!((o.verdict, o.control.verdict), (Verdict::Refuted, Verdict::Confirmed));
    }
}
