//! The stage-1 spectral proxy of `depth-advantage` (`learn::HermiteMoment`): the
//! accumulation of the He_2 moment (two triangular rank-b updates per batch) and the
//! eigensolve of one snapshot, at d = 256 (the quick profile's largest d for eps = 1/2).
//! A trial at d runs d^2 / 1024 batches and 21 eigensolves.
//!
//! Stage 2: the Mehler-kernel Gram matrix on n = 4 C(d_eff + 4, 4) Gaussian points (4004 at
//! d_eff = 10, the quick profile's largest; 7280 at 12, the full one's): one GEMM and n^2
//! exponentials, built once per trial.

use criterion::{BenchmarkId, Criterion, Throughput};
use faer::{Mat, MatRef};
use std::hint::black_box;
use std::time::Duration;
use thm::learn::HermiteMoment;
use thm::numerics::draw_gaussians;
use thm::rng::rng_from_u64;
use thm::theorems::mehler_gram;

const DIMS: [usize; 2] = [256, 400];
const BATCH: usize = 1024;

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("spectral");
    group.sample_size(10).warm_up_time(Duration::from_millis(500));
    for d in DIMS {
        let mut rng = rng_from_u64(5);
        let mut buf = vec![0.0; d * BATCH];
        draw_gaussians(&mut buf, &mut rng);
        let x: Mat<f64> = MatRef::from_column_major_slice(&buf, d, BATCH).to_owned();
        let weights: Vec<f64> = (0..BATCH).map(|j| x[(0, j)] * x[(0, j)] - 1.0).collect();
        // Throughput in multiply-adds: d^2 b / 2 for the lower triangle.
        group.throughput(Throughput::Elements((d * d * BATCH / 2) as u64));
        let mut moment = HermiteMoment::new(d);
        group.bench_with_input(BenchmarkId::new("moment_add_batch1024", d), &d, |b, _| {
            b.iter(|| moment.add(black_box(x.as_ref()), &weights).expect("shapes"))
        });
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("top_eigenspace_overlap", d), &d, |b, _| {
            b.iter(|| black_box(moment.spike_overlap(16, 16).expect("converges")))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("spectral_stage2");
    group.sample_size(10).warm_up_time(Duration::from_millis(500));
    for (d_eff, n) in [(10usize, 4004usize), (12, 7280)] {
        let mut rng = rng_from_u64(6);
        let mut buf = vec![0.0; n * d_eff];
        draw_gaussians(&mut buf, &mut rng);
        let z: Mat<f64> = MatRef::from_column_major_slice(&buf, n, d_eff).to_owned();
        group.throughput(Throughput::Elements((n * n) as u64));
        group.bench_with_input(BenchmarkId::new("mehler_gram", n), &n, |b, _| {
            b.iter(|| black_box(mehler_gram(z.as_ref(), 1.0 / d_eff as f64).expect("shapes")))
        });
    }
    group.finish();
}
