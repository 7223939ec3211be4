//! Criterion benches: the online SGD step beside its natural floor (drawing its d Gaussians),
//! and whole quick checks. Speed targets are read here, never asserted in timed tests.
//!
//! `cargo bench` runs everything; `cargo bench -- sgd` the step benches only. The bench prints
//! the ratio (SGD step) / (d Gaussian draws) per d, which the design wants within 2x.
//! `cargo bench -- kernel` runs the kernel learners (kernel matrix, KRR Cholesky) and prints
//! their times and GFLOP/s first (skipped when a filter excludes `kernel`).
//! `cargo bench -- ridge` runs the least-squares fits of double descent (`learn::ridge_fit`)
//! and prints their GFLOP/s first.
//! `cargo bench -- spectral` runs the stage-1 spectral proxy of `depth-advantage` (moment
//! accumulation and eigensolve).
//! `cargo bench -- smoother` runs the Nadaraya–Watson smoother and free-knot fit of
//! `depth-approximation`.
//! `cargo bench -- two_layer` runs the gradient step of the lazy-training network.
//! `cargo bench -- hierarchical` runs the SGD step of the quadratic network of
//! `backward-feature-correction` and the draw of its fresh batch.
//! `cargo bench -- two_layer_relu` runs the GD step and the predictions of the reference's
//! two-layer ReLU baseline (the shallow side of `depth-advantage`'s two-layer gap).
//! `cargo bench -- three_layer` runs the phase-1 and phase-2 steps and the ridge readout of the
//! reference's three-layer network (check D-C of `depth-advantage`) at d = 64, n = 4096.
//! `cargo bench -- hitting_time` computes the exact finite-size law of the weak-recovery time
//! of `information-exponent` (`sim::hitting_time`) and prints every claim's curve first.
//! `cargo bench -- finite_size` times the finite-size curve of every built-in `finite-size`
//! claim on each of its profiles (what a twin adds to a check), printing each once first.

mod check;
mod finite_size;
mod hierarchical;
mod hitting_time;
mod kernel;
mod ridge;
mod sgd;
mod smoother;
mod spectral;
mod three_layer;
mod two_layer;
mod two_layer_relu;

use criterion::Criterion;

/// Whether criterion's name filters (the free arguments, e.g. `cargo bench -- kernel`) can
/// select the benches of the group `name`: no filter, or a filter that names part of the group
/// or a bench inside it. Groups that print a report or time a check before criterion applies
/// its filter ask this first, so that a filtered run skips them.
pub fn selected(name: &str) -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()) || f.contains(name))
}

fn main() {
    sgd::report_step_to_draw_ratio();
    if selected("kernel") {
        kernel::report_kernel_flops();
    }
    if selected("ridge") {
        ridge::report_ridge_flops();
    }
    if selected("hitting_time") {
        hitting_time::report_curves();
    }
    if selected("finite_size") {
        finite_size::report_curves();
    }
    let mut c = Criterion::default().configure_from_args();
    sgd::benches(&mut c);
    kernel::benches(&mut c);
    ridge::benches(&mut c);
    spectral::benches(&mut c);
    smoother::benches(&mut c);
    two_layer::benches(&mut c);
    two_layer_relu::benches(&mut c);
    three_layer::benches(&mut c);
    hierarchical::benches(&mut c);
    hitting_time::benches(&mut c);
    finite_size::benches(&mut c);
    check::benches(&mut c);
    c.final_summary();
}
