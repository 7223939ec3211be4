//! The online SGD step against drawing its fresh sample, and the overlap chain that has the
//! same law at a cost independent of d.

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Instant;
use thm::numerics::draw_gaussians;
use thm::rng::rng_from_u64;
use thm::sim::online_sgd::OnlineSgd;
use thm::sim::overlap_chain::OverlapChain;

const DIMS: [usize; 3] = [256, 1024, 4096];

/// Steps of a run at dimension `d` with the k* = 3 link, as in the `k3` claim.
fn sgd_at(d: usize) -> OnlineSgd {
    let mut rng = rng_from_u64(1);
    OnlineSgd::new(d, 3, 0.5 * (d as f64).powf(-1.5), &mut rng)
}

/// The overlap chain with the same law as [`sgd_at`].
fn chain_at(d: usize) -> OverlapChain {
    OverlapChain::new(d as u64, 3, 0.5 * (d as f64).powf(-1.5), 1.0 / (d as f64).sqrt())
}

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("sgd");
    for d in DIMS {
        group.throughput(Throughput::Elements(d as u64));
        group.bench_with_input(BenchmarkId::new("draw_gaussians", d), &d, |b, &d| {
            let mut rng = rng_from_u64(2);
            let mut x = vec![0.0; d];
            b.iter(|| {
                draw_gaussians(&mut x, &mut rng);
                black_box(x[0])
            })
        });
        group.bench_with_input(BenchmarkId::new("online_sgd_step", d), &d, |b, &d| {
            let mut rng = rng_from_u64(2);
            let mut sgd = sgd_at(d);
            b.iter(|| black_box(sgd.step(&mut rng)))
        });
        group.bench_with_input(BenchmarkId::new("overlap_chain_step", d), &d, |b, &d| {
            let mut rng = rng_from_u64(2);
            let mut chain = chain_at(d);
            b.iter(|| black_box(chain.step(&mut rng)))
        });
    }
    group.finish();
}

/// Median over 7 repetitions of the time per call of `f`, run `iters` times each.
fn median_ns(iters: u32, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed().as_nanos() as f64 / f64::from(iters)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[3]
}

/// Prints the cost of one SGD step divided by the cost of drawing its d Gaussians.
pub fn report_step_to_draw_ratio() {
    println!("online SGD step vs drawing its d Gaussians (median of 7 repetitions):");
    for d in DIMS {
        let iters = (4_000_000 / d) as u32;
        let mut rng = rng_from_u64(2);
        let mut x = vec![0.0; d];
        let draw = median_ns(iters, || {
            draw_gaussians(&mut x, &mut rng);
            black_box(x[0]);
        });
        let mut sgd = sgd_at(d);
        let step = median_ns(iters, || {
            black_box(sgd.step(&mut rng));
        });
        let mut chain = chain_at(d);
        let chain_step = median_ns(4_000_000, || {
            black_box(chain.step(&mut rng));
        });
        println!(
            "  d = {d:>4}: draw {:>8.0} ns ({:.2} ns/normal), step {:>8.0} ns, ratio step/draw = {:.2} (target <= 2); overlap chain {:.0} ns/step ({:.0}x fewer)",
            draw,
            draw / d as f64,
            step,
            step / draw,
            chain_step,
            step / chain_step
        );
    }
}
