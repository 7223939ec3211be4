//! Hypotheses (H0)–(H5) of the module docs, as `thm show` prints them, and the checks that
//! name them.

use super::params::{DoubleDescentParams, RfPeakDesign, Side, VarianceDesign};
use super::{MAX_FEATURES, MAX_RF_SAMPLES};
use crate::error::Violation;
use crate::theorem::About;

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

pub(super) const ABOUT: About = About {
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

/// Every hypothesis that `p` with the sweep `sizes` violates. A design's own fields are
/// required by its type (a variance claim without `samples`, or an `rf-peak` claim with one,
/// is refused when the card is read); these are the ranges.
pub(super) fn violations(p: &DoubleDescentParams, sizes: &[u64]) -> Vec<Violation> {
    let mut out = Vec::new();
    match p {
        DoubleDescentParams::VarianceBelow(v) => variance_sizes(v, Side::Below, sizes, &mut out),
        DoubleDescentParams::VarianceAbove(v) => variance_sizes(v, Side::Above, sizes, &mut out),
        DoubleDescentParams::RfPeak(_) => {
            if let Some(n) = sizes.iter().find(|&&n| !(16..=MAX_RF_SAMPLES).contains(&n)) {
                out.push(Violation::new("sizes", H0, format!("n = {n}")));
            }
        }
    }
    let (signal, noise, replicates) = p.signal_noise_replicates();
    if !(signal.is_finite() && signal >= 0.0) {
        out.push(Violation::new("params.signal", H2, format!("r² = {signal}")));
    }
    if !(noise.is_finite() && noise > 0.0) {
        out.push(Violation::new(
            "params.noise",
            H2,
            format!("σ² = {noise} (without noise the variance term vanishes)"),
        ));
    }
    if !(1..=1000).contains(&replicates) {
        out.push(Violation::new("params.replicates", H3, format!("B = {replicates}")));
    }
    match p {
        DoubleDescentParams::VarianceBelow(v) | DoubleDescentParams::VarianceAbove(v) => {
            panel(v, sizes, &mut out)
        }
        DoubleDescentParams::RfPeak(r) => rf_design(r, &mut out),
    }
    out
}

/// (H0) and (H1) of a variance claim: $n$ in range, and every distance $s$ leaves a finite
/// risk with at most [`MAX_FEATURES`] features.
fn variance_sizes(v: &VarianceDesign, side: Side, sizes: &[u64], out: &mut Vec<Violation>) {
    let n = v.samples;
    if !(10..=2000).contains(&n) {
        out.push(Violation::new("params.samples", H1, format!("n = {n}")));
        return;
    }
    if sizes.contains(&0) {
        let (q, sign) = match side {
            Side::Below => (n - 1, "-"),
            Side::Above => (n + 1, "+"),
        };
        out.push(Violation::new(
            "sizes",
            H0,
            format!(
                "s = 0 is p = n {sign} 1 = {q}: the ridgeless risk there (and at γ = 1) is \
                 infinite, so it has no finite value to fit"
            ),
        ));
    } else if let Some(&s) = sizes.iter().find(|&&s| v.features(side, s).is_none_or(|q| q == 0)) {
        out.push(Violation::new(
            "sizes",
            H0,
            format!("s = {s} leaves no feature below n = {n} (p = n - 1 - s ≥ 1)"),
        ));
    } else if let Some(&s) =
        sizes.iter().find(|&&s| v.features(side, s).is_some_and(|q| q > MAX_FEATURES))
    {
        out.push(Violation::new(
            "sizes",
            H0,
            format!(
                "s = {s} needs p = {} > {MAX_FEATURES} features",
                v.features(side, s).unwrap_or(0)
            ),
        ));
    }
}

/// (H4): the figure's $\gamma$, ridges and size.
fn panel(v: &VarianceDesign, sizes: &[u64], out: &mut Vec<Violation>) {
    let n = v.samples;
    if (10..=2000).contains(&n) {
        for &g in &v.panel_gammas {
            let q = (g * n as f64).round();
            let why = if !(g > 0.0 && g <= 3.0) {
                format!("γ = {g} is outside (0, 3]")
            } else if q < 1.0 {
                format!("γ = {g} gives p = 0 features at n = {n}")
            } else if (q - n as f64).abs() <= 1.0 {
                format!(
                    "γ = {g} gives p = {q} at n = {n}: γ = 1 (p ∈ {{n-1, n, n+1}}) has infinite \
                     ridgeless risk"
                )
            } else {
                continue;
            };
            out.push(Violation::new("params.panel_gammas", H4, why));
            break;
        }
    }
    if let Some(l) = v.panel_ridges.iter().find(|l| !(l.is_finite() && **l > 0.0)) {
        out.push(Violation::new("params.panel_ridges", H4, format!("λ = {l}")));
    }
    match v.panel_size {
        None if !v.panel_gammas.is_empty() => out.push(Violation::new(
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
}

/// (H5): the random-features data.
fn rf_design(r: &RfPeakDesign, out: &mut Vec<Violation>) {
    if !(2..=1000).contains(&r.dim) {
        out.push(Violation::new("params.dim", H5, format!("d = {}", r.dim)));
    }
    if !(100..=100_000).contains(&r.test_points) {
        out.push(Violation::new("params.test_points", H5, format!("m = {}", r.test_points)));
    }
}
