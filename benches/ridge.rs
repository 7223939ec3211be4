//! Ridge and ridgeless least squares on the smaller side's normal equations
//! (`learn::ridge_fit`), at the sizes of the double-descent claims (n = 200, p from 100 to
//! 300; `theorems/double-descent.toml`) and at n = 800 (the largest random-features sweep),
//! with GFLOP/s against the machine's f64 peak. `cargo bench -- ridge`.

use criterion::{BenchmarkId, Criterion};
use faer::Mat;
use std::hint::black_box;
use std::time::{Duration, Instant};
use thm::learn::ridge_fit;
use thm::rng::rng_from_u64;

/// One core's f64 FMA peak on the project's machine (measured; `docs/engineering.md`).
const PEAK_GFLOPS: f64 = 46.0;

/// (n, p): below and above the threshold at n = 200 (the variance claims' s = 9 and 99), and
/// the widest random-features fits at n = 800.
const SHAPES: [(usize, usize); 6] =
    [(200, 100), (200, 190), (200, 210), (200, 300), (800, 760), (800, 1600)];

fn design(n: usize, p: usize) -> (Mat<f64>, Vec<f64>) {
    let mut rng = rng_from_u64(31);
    let mut row = vec![0.0; p];
    let mut x = Mat::<f64>::zeros(n, p);
    for i in 0..n {
        thm::numerics::draw_gaussians(&mut row, &mut rng);
        for (j, v) in row.iter().enumerate() {
            x[(i, j)] = *v;
        }
    }
    let y = (0..n).map(|i| x[(i, 0)] + 0.5 * x[(i, 1)]).collect();
    (x, y)
}

/// Flops of one fit: the Gram matrix of the smaller side (triangular, min² max), its
/// Cholesky (min³/3), and the two products with X (2 n p).
fn flops(n: usize, p: usize) -> f64 {
    let (lo, hi) = (n.min(p) as f64, n.max(p) as f64);
    lo * lo * hi + lo * lo * lo / 3.0 + 4.0 * (n * p) as f64
}

/// Prints the median of 7 timings of each shape, ridgeless and with λ = 0.1.
pub fn report_ridge_flops() {
    println!("ridge_fit, one thread, median of 7 (peak {PEAK_GFLOPS} GFLOP/s):");
    for (n, p) in SHAPES {
        let (x, y) = design(n, p);
        for lambda in [0.0, 0.1] {
            let mut times: Vec<f64> = (0..7)
                .map(|_| {
                    let t = Instant::now();
                    black_box(ridge_fit(x.as_ref(), &y, lambda).expect("full rank"));
                    t.elapsed().as_secs_f64()
                })
                .collect();
            times.sort_by(f64::total_cmp);
            let t = times[3];
            println!(
                "  n = {n}, p = {p}, λ = {lambda}: {:.3} ms, {:.1} GFLOP/s",
                1e3 * t,
                flops(n, p) / t / 1e9
            );
        }
    }
}

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("ridge");
    group.sample_size(20).warm_up_time(Duration::from_millis(300));
    for (n, p) in SHAPES {
        let (x, y) = design(n, p);
        group.bench_with_input(BenchmarkId::new("ridgeless", format!("{n}x{p}")), &p, |b, _| {
            b.iter(|| black_box(ridge_fit(x.as_ref(), &y, 0.0).expect("full rank")))
        });
    }
    group.finish();
}
