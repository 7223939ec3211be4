//! `--json`: one record per claim with stable keys, no timings and no paths, so two runs of
//! the same check compare byte for byte. Raw per-trial data are in certificates.

use crate::check::ClaimResult;
use serde::Serialize;

/// The `--json` record of one claim. Field names are a stable interface.
#[derive(Debug, Serialize)]
pub struct ClaimRecord<'a> {
    /// Theorem id.
    pub theorem: &'a str,
    /// Claim id.
    pub claim: &'a str,
    /// `quick` or `full`.
    pub profile: &'a str,
    /// The predicted law, e.g. `n* ~ d log d`.
    pub law: &'a str,
    /// Predicted exponent.
    pub predicted: f64,
    /// `exactly`, `at-least` or `at-most`.
    pub bound: &'static str,
    /// Half-width of the predicted set.
    pub tolerance: f64,
    /// Fitted exponent (null without a fit).
    pub fitted: Option<f64>,
    /// Lower end of the verdict's 95% interval (null without a fit, or when it is not finite:
    /// JSON has no infinity or NaN).
    pub ci_low: Option<f64>,
    /// Upper end of the verdict's 95% interval (null without a fit, or when it is not finite,
    /// e.g. after censored bootstrap replicates: JSON has no infinity or NaN).
    pub ci_high: Option<f64>,
    /// Student-t interval alone.
    pub ci_t: Option<(f64, f64)>,
    /// Bootstrap interval alone.
    pub ci_bootstrap: Option<(f64, f64)>,
    /// R² of the fit.
    pub r_squared: Option<f64>,
    /// `confirmed`, `refuted` or `inconclusive`.
    pub verdict: String,
    /// The verdict's reason, with numbers.
    pub reason: &'a str,
    /// Shift of the falsification control (null for a rival control).
    pub control_delta: Option<f64>,
    /// The rival law of the control (absent for a shift).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_rival: Option<&'a crate::law::RivalLaw>,
    /// The control's verdict (`refuted` when the data have power).
    pub control_verdict: String,
    /// The control's reason, with numbers.
    pub control_reason: &'a str,
    /// `exponent` or `finite-size`: what the verdict judged.
    pub judge: &'static str,
    /// The p-value of the fit's lack-of-fit test (absent when unweighted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lack_of_fit_p: Option<f64>,
    /// A finite-size claim only: the predicted values, the per-size ratios and the slope of
    /// the ratio with its interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finite_size: Option<&'a crate::check::FiniteSizeFit>,
    /// Master seed.
    pub seed: u64,
    /// Sizes of the sweep.
    pub sizes: &'a [u64],
    /// Trials per size.
    pub trials: u32,
    /// Present (and `true`) only when trial `t` drew from the same stream at every size.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shared_draws: bool,
    /// Median observable per size (null when censored).
    pub medians: &'a [Option<f64>],
    /// SHA-256 of the raw observations.
    pub results_hash: &'a str,
    /// A separation claim only: each learner's own exponent and interval, faster first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sides: Option<&'a [crate::check::SideFit; 2]>,
    /// A claim with an exploratory measurement only: its slopes, measured and not judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploratory: Option<&'a crate::check::Exploration>,
}

/// The record of one result.
pub fn record(r: &ClaimResult) -> ClaimRecord<'_> {
    use crate::law::Exponent;
    let (predicted, bound) = match r.prediction.exponent {
        Exponent::Exactly(a) => (a, "exactly"),
        Exponent::AtLeast(a) => (a, "at-least"),
        Exponent::AtMost(a) => (a, "at-most"),
    };
    ClaimRecord {
        theorem: &r.theorem,
        claim: &r.claim,
        profile: r.profile.name(),
        law: &r.prediction.law,
        predicted,
        bound,
        tolerance: r.tolerance,
        fitted: r.fit.as_ref().map(|f| f.exponent),
        ci_low: r.fit.as_ref().map(|f| f.interval.0),
        ci_high: r.fit.as_ref().map(|f| f.interval.1),
        ci_t: r.fit.as_ref().and_then(|f| f.ci_t),
        ci_bootstrap: r.fit.as_ref().map(|f| f.ci_bootstrap),
        r_squared: r.fit.as_ref().and_then(|f| f.r_squared),
        verdict: r.outcome.verdict.to_string(),
        reason: &r.outcome.reason,
        control_delta: match r.control {
            crate::law::Control::Shift(delta) => Some(delta),
            crate::law::Control::Rival(_) => None,
        },
        control_rival: match &r.control {
            crate::law::Control::Rival(rival) => Some(rival),
            crate::law::Control::Shift(_) => None,
        },
        control_verdict: r.outcome.control.verdict.to_string(),
        control_reason: &r.outcome.control.reason,
        judge: r.judge.name(),
        lack_of_fit_p: r.fit.as_ref().and_then(|f| f.lack_of_fit_p),
        finite_size: r.finite_size.as_ref(),
        seed: r.seed,
        sizes: &r.sizes,
        trials: r.trials,
        shared_draws: r.shared_draws,
        medians: &r.medians,
        results_hash: &r.results_hash,
        sides: r.fit.as_ref().and_then(|f| f.sides.as_ref()),
        exploratory: r.exploration.as_ref(),
    }
}

/// The `--json` document: an array of records, pretty-printed, newline-terminated.
pub fn render(results: &[ClaimResult]) -> String {
    let records: Vec<ClaimRecord<'_>> = results.iter().map(record).collect();
    let mut s = serde_json::to_string_pretty(&records).unwrap_or_else(|e| format!("\"{e}\""));
    s.push('\n');
    s
}
