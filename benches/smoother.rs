//! The Nadaraya–Watson smoother of `depth-approximation` (its Stone-rate claims) at the
//! sizes of its claims: the binned, truncated evaluation (cell lists on the torus) against the
//! full n × m loop it replaces, and the interval smoother and free-knot fit of the jump claims.
//! Each iteration fits n points and evaluates m = 1000 test points (the claims' m), one core.

use criterion::{BenchmarkId, Criterion, Throughput};
use rand::RngExt;
use std::hint::black_box;
use std::time::Duration;
use thm::rng::rng_from_u64;
use thm::sim::smoothers::{free_knot_fit, nw_torus_brute, IntervalSmoother, TorusSmoother};

const TEST_POINTS: usize = 1000;

/// The claims' bandwidth constants c (h = c n^(-1/(4+D))), from the card.
fn bandwidth(dim: usize, n: usize) -> f64 {
    let c = [0.155, 0.171, 0.184][dim - 1];
    c * (n as f64).powf(-1.0 / (4.0 + dim as f64))
}

fn uniform(len: usize, seed: u64) -> Vec<f64> {
    let mut rng = rng_from_u64(seed);
    (0..len).map(|_| rng.random::<f64>()).collect()
}

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("smoother");
    group.sample_size(10).warm_up_time(Duration::from_millis(300));
    group.throughput(Throughput::Elements(TEST_POINTS as u64));
    for dim in 1..=3usize {
        for n in [10_000usize, 100_000] {
            let x = uniform(n * dim, 1);
            let y = uniform(n, 2);
            let test = uniform(TEST_POINTS * dim, 3);
            let h = bandwidth(dim, n);
            let id = format!("d{dim}/n{n}");
            group.bench_function(BenchmarkId::new("torus_binned", &id), |b| {
                b.iter(|| {
                    let s = TorusSmoother::new(dim, &x, &y, h);
                    let sum: f64 = test.chunks_exact(dim).map(|q| s.predict(q).unwrap()).sum();
                    black_box(sum)
                })
            });
            if n == 10_000 {
                group.bench_function(BenchmarkId::new("torus_full_loop", &id), |b| {
                    b.iter(|| {
                        let sum: f64 = test
                            .chunks_exact(dim)
                            .map(|q| nw_torus_brute(dim, &x, &y, h, q).unwrap())
                            .sum();
                        black_box(sum)
                    })
                });
            }
        }
    }
    for n in [16_000usize, 256_000] {
        let x = uniform(n, 4);
        let y: Vec<f64> = x.iter().map(|&t| if t >= 0.5 { 1.0 } else { 0.0 }).collect();
        let h = 0.313 / (n as f64).sqrt();
        let grid: Vec<f64> =
            (0..2 * TEST_POINTS).map(|k| 0.05 + 0.9 * (k as f64 + 0.5) / 2000.0).collect();
        group.bench_function(BenchmarkId::new("interval_nw", n), |b| {
            b.iter(|| {
                let s = IntervalSmoother::new(&x, &y, h);
                black_box(grid.iter().map(|&t| s.predict(t).unwrap()).sum::<f64>())
            })
        });
        group.bench_function(BenchmarkId::new("free_knot_k10", n), |b| {
            b.iter(|| black_box(free_knot_fit(&x, &y, 10).unwrap()))
        });
    }
    group.finish();
}
