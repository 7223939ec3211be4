//! Criterion benches: the online SGD step beside its natural floor (drawing its d Gaussians),
//! and whole quick checks. Speed targets are read here, never asserted in timed tests.
//!
//! `cargo bench` runs everything; `cargo bench -- sgd` the step benches only. The bench prints
//! the ratio (SGD step) / (d Gaussian draws) per d, which the design wants within 2x.
//! `cargo bench -- kernel` runs the kernel learners (kernel matrix, KRR Cholesky) and prints
//! their times and GFLOP/s first (skipped when a filter excludes `kernel`). `cargo bench --
//! two_layer` runs the gradient step of the lazy-training network.

mod check;
mod kernel;
mod sgd;
mod two_layer;

use criterion::Criterion;

fn main() {
    sgd::report_step_to_draw_ratio();
    if kernel::selected() {
        kernel::report_kernel_flops();
    }
    let mut c = Criterion::default().configure_from_args();
    sgd::benches(&mut c);
    kernel::benches(&mut c);
    two_layer::benches(&mut c);
    check::benches(&mut c);
    c.final_summary();
}
