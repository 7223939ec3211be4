//! The estimated cost of one trial ([`crate::resources`]), design by design, read off
//! `subspace.rs`, `features.rs`, `gap.rs`, `end_to_end.rs` and `sim::three_layer`.

use super::end_to_end::samples_at;
use super::features::{READOUT_BLOCK, READOUT_REPLICATES};
use super::gap::{quadratic_count, GAP_DEEP_GRID};
use super::params::{DepthAdvantageParams, Precision};
use super::{hidden_dimension, kappa_sample_grid, polynomial_count, BATCH};
use crate::resources::{TrialCost, F32, F64};

/// The Hermite moment of stage 1 on `n` samples in dimension `d`, read at `reads` grid points:
/// the batch of draws ($d \cdot$ `BATCH`), the $d \times d$ moment, its copy and the
/// eigen-decomposition's vectors and workspace (about $6d^2$ together); per sample its $d$
/// Gaussian draws and the target's value (about $10d$ operations), a rank-`BATCH` update per
/// batch ($n d^2$ flops in all) and an eigen-decomposition per read (about $10 d^3$).
fn hermite_moment(d: f64, n: f64, reads: f64) -> TrialCost {
    TrialCost::from_counts(d * BATCH as f64 + 6.0 * d * d, n * d * d + 10.0 * d * d * d * reads, 0.0, 10.0 * n * d)
}

/// Kernel ridge regression factored in place on `n` points whose features have `dim`
/// coordinates, with a copy of each prefix block (`copies` = 1) or not (0), and `cross` test
/// or readout entries.
fn kernel_fit(n: f64, dim: f64, copies: f64, cross: f64) -> TrialCost {
    TrialCost::from_counts(
        (1.0 + copies) * n * n + n * (dim + 2.0) + cross,
        n * n * dim + (8.0 / 7.0) * n * n * n / 3.0,
        n * n / 2.0 + cross,
        0.0,
    )
}

/// The three-layer network of `sim::three_layer` on `n` samples in dimension `d` with widths
/// `(p1, p2)` and `steps` minibatch steps (`fraction` of the samples each): the samples drawn
/// in `f64` and held in the network's precision, the minibatch buffers (inputs, two copies of
/// the first hidden layer, its gradient, the second hidden layer), the first layer's features of
/// every sample for the readout, the test set; each step is three GEMMs forward and back (in
/// `f32`, at twice the `f64` rate).
fn three_layer(d: f64, n: f64, (p1, p2): (f64, f64), steps: f64, test: f64, elem: f64) -> TrialCost {
    let rows = 0.7 * n;
    let values = n * d * F64 + n * d * elem + rows * (d + 3.0 * p1 + p2 + 2.0) * elem
        + n * (p1 + p2) * elem
        + test * d * (F64 + elem);
    TrialCost {
        peak_bytes: values,
        seconds: TrialCost::from_counts(0.0, steps * 6.0 * rows * (d * p1 + p1 * p2) * elem / F64, 0.0, 10.0 * n * d)
            .seconds,
    }
}

/// One trial of `p` at `size` (a dimension $d$; $100\kappa$ for the end-to-end margin).
pub(super) fn trial_cost(p: &DepthAdvantageParams, size: u64) -> TrialCost {
    let d = size as f64;
    let d_eff = |epsilon: f64| hidden_dimension(epsilon, size).unwrap_or(1) as f64;
    match p {
        DepthAdvantageParams::Subspace(g) => {
            let grid = g.sample_grid(size);
            let n = grid.last().copied().unwrap_or(0) as f64;
            hermite_moment(d, n, grid.len() as f64)
        }
        DepthAdvantageParams::Feature(f) => {
            let s = f.sight();
            let m = d_eff(s.epsilon);
            let n = (f.sample_budget * polynomial_count(m as usize, s.degree())).ceil();
            kernel_fit(n, m, 1.0, 0.0)
        }
        DepthAdvantageParams::Readout(r) => {
            let s = r.sight();
            let m = d_eff(s.epsilon);
            let n2 = (r.feature_budget * polynomial_count(m as usize, s.degree())).ceil();
            // Stage 2's kernel, then the stage-3 points (the limit's training set, the
            // replicate blocks, the test points) with their kernel rows against stage 2's.
            let rows = (r.max_samples as usize + READOUT_REPLICATES * READOUT_BLOCK) as f64
                + r.test_points as f64;
            kernel_fit(n2, m, 0.0, rows * (n2 + m + 1.0))
        }
        DepthAdvantageParams::ShallowGapKernel(g) => {
            let n_kernel = (g.kernel_budget * quadratic_count(size)).ceil();
            let deep = kappa_sample_grid(GAP_DEEP_GRID, size);
            let n_deep = deep.last().copied().unwrap_or(0) as f64;
            let data = TrialCost::from_counts(d * n_kernel.max(n_deep) + d * g.test_points as f64, 0.0, 0.0, 0.0);
            let kernel = kernel_fit(n_kernel, d, 0.0, g.test_points as f64 * n_kernel);
            let moment = hermite_moment(d, n_deep, deep.len() as f64);
            TrialCost {
                peak_bytes: data.peak_bytes + kernel.peak_bytes.max(moment.peak_bytes),
                seconds: kernel.seconds + moment.seconds,
            }
        }
        DepthAdvantageParams::ShallowGapTwoLayer(g) => {
            let deep = kappa_sample_grid(GAP_DEEP_GRID, size);
            let n = deep.last().copied().unwrap_or(0) as f64;
            let data = TrialCost::from_counts(d * n + d * g.test_points as f64, 0.0, 0.0, 0.0);
            let moment = hermite_moment(d, n, deep.len() as f64);
            // The two-layer net's hidden layer on every sample, trained for `coef_iter` passes.
            let net = TrialCost::from_counts(2.0 * n * d, g.coef_iter * 6.0 * n * d * d, 0.0, 0.0);
            TrialCost {
                peak_bytes: data.peak_bytes + moment.peak_bytes.max(net.peak_bytes),
                seconds: moment.seconds + net.seconds,
            }
        }
        DepthAdvantageParams::EndToEnd(e) => {
            let n = samples_at(e.dimension, size) as f64;
            let elem = precision_bytes(e.precision);
            let steps = (e.max_iter[0] + e.max_iter[1]) as f64 / 0.7;
            let widths = (e.widths[0] as f64, e.widths[1] as f64);
            three_layer(e.dimension as f64, n, widths, steps, e.test_points as f64, elem)
        }
        DepthAdvantageParams::OnsetSpan(o) => {
            // As `Onset`, with p1 = ceil(d^a) and the span overlap's d x d eigen-decomposition
            // at each kappa; a diverged phase 1 is re-run once (the worst case: every run).
            let grid = kappa_sample_grid((o.kappa_min, o.kappa_max, o.kappa_step), size);
            let widths = (o.first_width(size) as f64, o.second_width as f64);
            let steps = 15.0 * d.ln() / 0.7;
            let elem = precision_bytes(o.precision);
            let eigen = TrialCost::from_counts(3.0 * d * d, 10.0 * d * d * d, 0.0, 0.0);
            grid.iter()
                .map(|&n| three_layer(d, n as f64, widths, steps, 0.0, elem).then(eigen))
                .fold(TrialCost::default(), TrialCost::then)
        }
        DepthAdvantageParams::Onset(o) => {
            let grid = kappa_sample_grid((o.kappa_min, o.kappa_max, o.kappa_step), size);
            let widths = (o.widths[0] as f64, o.widths[1] as f64);
            let steps = 15.0 * d.ln() / 0.7;
            let elem = precision_bytes(o.precision);
            grid.iter()
                .map(|&n| three_layer(d, n as f64, widths, steps, 0.0, elem))
                .fold(TrialCost::default(), TrialCost::then)
        }
        // Stage 1's moment on a MIGHT target or the tree (`might.rs`), read at every grid point.
        DepthAdvantageParams::MightSubspace(g) => {
            let grid = super::might::might_grid(g, size);
            hermite_moment(d, grid.last().copied().unwrap_or(0) as f64, grid.len() as f64)
        }
        DepthAdvantageParams::TreeSubspace(t) => {
            let grid = super::might::tree_grid(t, size);
            hermite_moment(d, grid.last().copied().unwrap_or(0) as f64, grid.len() as f64)
        }
        DepthAdvantageParams::Fig2(f) => fig2_cost(f, size),
    }
}

/// One Fig. 2 set of draws at $100\kappa$ (`fig2.rs`): the data in f64 and the nets'
/// precision, then the learners one after the other (each dropped before the next): the
/// layer-wise net ($T_1 + T_2$ steps), the joint net ($T_2$ steps, every layer's gradient: about
/// 1.3 times a phase-1 step), the two-layer net, and the kernel's feature matrix $n \times D$,
/// $D = C(d+2, 2)$, with the normal equations of the smaller side and the test features.
fn fig2_cost(f: &super::params::Fig2Design, size: u64) -> TrialCost {
    let n = samples_at(f.dimension, size) as f64;
    let d = f.dimension as f64;
    let test = f.test_points as f64;
    let elem = precision_bytes(f.precision);
    let widths = (f.widths[0] as f64, f.widths[1] as f64);
    let (t1, t2) = (f.max_iter[0] as f64 / 0.7, f.max_iter[1] as f64 / 0.7);
    let layer_wise = three_layer(d, n, widths, t1 + t2, test, elem);
    let joint = three_layer(d, n, widths, 1.3 * t2, test, elem);
    let p = f.two_layer_width as f64;
    let two_layer = TrialCost {
        peak_bytes: (n * d * (F64 + elem) + 0.7 * n * (d + 2.0 * p) * elem + n * p * elem)
            + test * d * (F64 + elem),
        seconds: TrialCost::from_counts(0.0, t2 * 4.0 * 0.7 * n * d * p * elem / F64, 0.0, 0.0).seconds,
    };
    let dim = super::fig2::kernel_peak(f.dimension);
    let small = n.min(dim);
    let kernel = TrialCost::from_counts(
        n * d + n * dim + small * small + test * (d + dim),
        n * small * n.max(dim) + small * small * small / 3.0,
        0.0,
        n * dim,
    );
    let data = TrialCost::from_counts(n * d + test * d, 0.0, 0.0, 0.0);
    let nets = layer_wise.then(joint).then(two_layer).then(kernel);
    TrialCost { peak_bytes: data.peak_bytes + nets.peak_bytes, seconds: nets.seconds }
}

fn precision_bytes(p: Precision) -> f64 {
    match p {
        Precision::F64 => F64,
        Precision::F32 => F32,
    }
}
