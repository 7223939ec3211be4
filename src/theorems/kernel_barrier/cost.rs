//! The estimated cost of one trial ([`crate::resources`]), design by design: what the trial
//! holds at once and its operation counts, read off the code of `threshold.rs`, `growth.rs`,
//! `width.rs` and `width_gap.rs`.

use super::growth::GROWTH_DOUBLINGS;
use super::params::{KernelBarrierParams, KrrRun, Projection};
use super::width::width_budget;
use super::width_gap::width_gap_budget;
use crate::resources::TrialCost;

/// Kernel ridge regression on `n` points of the sphere in dimension `d`, with `t` test points:
/// the data ($n d + t d$), the Gram matrix factored in place ($n^2$, built as a GEMM and a
/// map of its lower triangle, then a Cholesky of $n^3/3$ flops), the test kernel ($t n$) when
/// the fit is read at test points, and about ten prefix solves ($n^2$ each).
fn krr(n: f64, d: f64, t: f64, test_kernel: bool) -> TrialCost {
    let k_test = if test_kernel { t * n } else { 0.0 };
    TrialCost::from_counts(
        n * n + (n + t) * (d + 1.0) + k_test,
        n * n * d + n * n * n / 3.0 + 10.0 * 2.0 * n * n,
        n * n / 2.0 + k_test,
        0.0,
    )
}

/// A threshold pass of `run` at dimension `d` whose data are drawn up to `cap` points: the
/// first pass factors $n_{\max}$ of them; each doubling factors twice as many, up to `cap`
/// (the worst case, when the degree is not learned before the cap).
fn threshold(run: &KrrRun<'_>, d: u64, doublings: u32) -> TrialCost {
    let Some((_, n_max, _)) = run.budget(d) else { return TrialCost::unbounded() };
    let (n, d, t) = (n_max as f64 * f64::from(1u32 << doublings), d as f64, f64::from(run.test_points));
    let test_kernel = matches!(run.projection, Projection::TestPoints);
    let mut cost = krr(n, d, t, test_kernel);
    if doublings > 0 {
        // The earlier passes, each half the size of the next: about a seventh more time.
        cost.seconds *= 8.0 / 7.0;
    }
    cost
}

/// One trial of `p` at `size` (a dimension $d$; a degree $\ell$ for growth claims).
pub(super) fn trial_cost(p: &KernelBarrierParams, size: u64) -> TrialCost {
    match p {
        KernelBarrierParams::Threshold(t) => threshold(&t.run(), size, 0),
        KernelBarrierParams::Plateau(p) => {
            let n = p.samples(size) as f64;
            krr(n, size as f64, f64::from(p.test_points), true)
        }
        KernelBarrierParams::Growth(g) => {
            let l = size as u32;
            let (Some(run), Some(degree)) = (g.run(l), g.degree(l)) else {
                return TrialCost::default();
            };
            degree
                .dims
                .iter()
                .map(|&d| threshold(&run, d, GROWTH_DOUBLINGS))
                .fold(TrialCost::default(), TrialCost::then)
        }
        KernelBarrierParams::Width(w) => {
            let Some((_, n_max)) = width_budget(w, size) else { return TrialCost::unbounded() };
            let per_neuron = w.model.parameters_per_neuron(size) as f64;
            let p = n_max as f64 * per_neuron;
            let n = (w.sample_ratio * p).ceil();
            let (d, t) = (size as f64, f64::from(w.test_points));
            // Data, the neurons, the features of the training and test points, the p × p
            // normal equations factored in place.
            TrialCost::from_counts(
                (n + t) * (d + 1.0) + n_max as f64 * d + (n + t) * p + p * p,
                n * p * p + p * p * p / 3.0,
                (n + t) * p,
                0.0,
            )
        }
        KernelBarrierParams::WidthGap(w) => {
            let Some((rf, nt)) = width_gap_budget(w, size, w.degree) else {
                return TrialCost::unbounded();
            };
            let d = size as f64;
            let (rf, nt_p) = (rf as f64, nt as f64 * d);
            // The population Gram matrices, one model after the other, each factored in place;
            // a pair of RF neurons costs a Gegenbauer recurrence of about 60 terms.
            let model = |p: f64| TrialCost::from_counts(p * p + 4.0 * p, p * p * p / 3.0, 0.0, 0.0);
            let draw = TrialCost::from_counts((rf + nt_p) * (d + 1.0), 0.0, 0.0, 0.0);
            let rf_cost = model(rf);
            let nt_cost = model(nt_p);
            let build = TrialCost::from_counts(0.0, 0.0, rf * rf / 2.0 + nt_p * nt_p, 60.0 * rf * rf);
            TrialCost {
                peak_bytes: draw.peak_bytes + rf_cost.peak_bytes.max(nt_cost.peak_bytes),
                seconds: rf_cost.seconds + nt_cost.seconds + build.seconds,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::special::harmonics::cumulative_harmonic_dimension_f64;

    /// Guards against an estimate that silently stops growing: a threshold claim's memory goes
    /// as $n^2 \sim N_\ell(d)^2$.
    #[test]
    fn a_threshold_trial_at_a_million_dimensions_needs_petabytes() {
        let n1 = cumulative_harmonic_dimension_f64(1_000_000, 1).unwrap();
        let cost = krr(2.0 * n1, 1e6, 2000.0, true);
        assert!(cost.peak_bytes > 1e13, "{}", cost.peak_bytes);
    }
}
