//! The estimated cost of one trial ([`crate::resources`]), read off `variance.rs` and `rf.rs`.

use super::params::{DoubleDescentParams, Side};
use super::rf::width_grid;
use crate::resources::TrialCost;

/// One least-squares fit of `n` samples on `p` features (`learn::ridge_fit`): the design, the
/// Gram matrix of the smaller side factored in place, flops $\min^2\max + \min^3/3 + 4np$.
fn least_squares(n: f64, p: f64) -> TrialCost {
    let (lo, hi) = (n.min(p), n.max(p));
    TrialCost::from_counts(lo * lo + 2.0 * (n + p), lo * lo * hi + lo * lo * lo / 3.0 + 4.0 * n * p, 0.0, 0.0)
}

/// One trial of `p` at `size` (the distance $s$ from the interpolation threshold for the
/// variance claims, the sample size $n$ for `rf-peak`).
pub(super) fn trial_cost(p: &DoubleDescentParams, size: u64) -> TrialCost {
    let variance = |v: &super::params::VarianceDesign, side: Side| {
        let n = v.samples as f64;
        let q = v.features(side, size).unwrap_or(0) as f64;
        // Each replicate draws its n × q Gaussian design (about 10 ns a draw) and fits it.
        let fit = least_squares(n, q);
        TrialCost {
            peak_bytes: fit.peak_bytes + n * q * crate::resources::F64,
            seconds: f64::from(v.replicates)
                * (fit.seconds + TrialCost::from_counts(0.0, 0.0, 0.0, 10.0 * n * q).seconds),
        }
    };
    match p {
        DoubleDescentParams::VarianceBelow(v) => variance(v, Side::Below),
        DoubleDescentParams::VarianceAbove(v) => variance(v, Side::Above),
        DoubleDescentParams::RfPeak(r) => {
            let grid = width_grid(size);
            let widest = grid.last().copied().unwrap_or(0) as f64;
            let (n, d, m) = (size as f64, f64::from(r.dim), f64::from(r.test_points));
            // Data, neurons, the features of the training and test points at the widest N;
            // then one fit per width of the grid, one after the other.
            let held = TrialCost::from_counts((n + m + widest) * d + (n + m) * widest, 0.0, (n + m) * widest, 0.0);
            let fits = grid.iter().map(|&w| least_squares(n, w as f64)).fold(TrialCost::default(), TrialCost::then);
            let replicate = TrialCost { peak_bytes: held.peak_bytes + fits.peak_bytes, seconds: held.seconds + fits.seconds };
            TrialCost { peak_bytes: replicate.peak_bytes, seconds: replicate.seconds * f64::from(r.replicates) }
        }
    }
}
