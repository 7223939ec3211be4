//! The stage-1 spectral proxy of `depth-advantage` (check D-A of `shared/theory.md`): the
//! accumulation of the He_2 moment (two triangular rank-b updates per batch) and the
//! eigensolve of one snapshot, at d = 256 (the quick profile's largest d for eps = 1/2).
//! A trial at d runs d^2 / 1024 batches and 21 eigensolves.

use criterion::{BenchmarkId, Criterion, Throughput};
use faer::{Mat, MatRef};
use std::hint::black_box;
use std::time::Duration;
use thm::learn::HermiteMoment;
use thm::rng::rng_from_u64;
use thm::sim::online_sgd::draw_gaussians;

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
}
