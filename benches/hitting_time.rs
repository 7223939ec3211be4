//! The exact finite-size law of `information-exponent`'s weak-recovery time
//! (`sim::hitting_time`): the largest `d` of each claim's full profile and the whole curve of
//! its quick profile, timed; every size of both profiles is first printed once with its
//! method, median, error and time (the full curves are timed there only).

use criterion::{BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Instant;
use thm::sim::hitting_time::hitting_time_law;

/// The claims of card `information-exponent`: id, $k$, quick sizes, full sizes.
const CLAIMS: [(&str, u32, &[u64], &[u64]); 3] = [
    (
        "k1",
        1,
        &[64, 91, 128, 181, 256, 362, 512],
        &[64, 91, 128, 181, 256, 362, 512, 724, 1024, 1448, 2048],
    ),
    (
        "k2",
        2,
        &[64, 91, 128, 181, 256, 362, 512],
        &[64, 91, 128, 181, 256, 362, 512, 724, 1024, 1448, 2048],
    ),
    (
        "k3",
        3,
        &[256, 362, 512, 724, 1024, 1448, 2048],
        &[128, 181, 256, 362, 512, 724, 1024, 1448, 2048, 2896, 4096],
    ),
];

/// The claims' step $\eta = 0.5/d$ ($k \le 2$) or $0.5\, d^{-k/2}$.
fn step(k: u32, d: u64) -> f64 {
    if k <= 2 {
        0.5 / d as f64
    } else {
        0.5 * (d as f64).powf(-f64::from(k) / 2.0)
    }
}

/// The median of $n^*$ for claim degree `k` at dimension `d` (start $d^{-1/2}$, threshold 0.5).
fn median(k: u32, d: u64) -> f64 {
    hitting_time_law(d, k, step(k, d), 1.0 / (d as f64).sqrt(), 0.5).expect("valid chain").median
}

/// Prints each claim's curve with the method, median, error and time per size.
pub fn report_curves() {
    for (id, k, quick, full) in CLAIMS {
        for (profile, sizes) in [("quick", quick), ("full", full)] {
            let start = Instant::now();
            for &d in sizes {
                let t = Instant::now();
                let law = hitting_time_law(d, k, step(k, d), 1.0 / (d as f64).sqrt(), 0.5)
                    .expect("valid chain");
                eprintln!(
                    "hitting_time {id} {profile} d = {d:>4}: {:?} median {:.2} ± {:.2}, \
                     mean field {:.2} ({:.0} ms)",
                    law.method,
                    law.median,
                    law.error,
                    law.mean_field,
                    1e3 * t.elapsed().as_secs_f64()
                );
            }
            eprintln!(
                "hitting_time {id} {profile}: whole curve in {:.2} s",
                start.elapsed().as_secs_f64()
            );
        }
    }
}

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("hitting_time");
    group.sample_size(10);
    for (id, k, quick, full) in CLAIMS {
        let largest = *full.last().expect("sizes");
        group.bench_with_input(
            BenchmarkId::new(format!("{id}_largest"), largest),
            &largest,
            |b, &d| b.iter(|| black_box(median(k, d))),
        );
        group.bench_function(BenchmarkId::new(format!("{id}_curve"), "quick"), |b| {
            b.iter(|| quick.iter().map(|&d| median(k, d)).sum::<f64>())
        });
    }
    group.finish();
}
