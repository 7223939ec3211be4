//! One gradient step of the lazy-training network (`sim::two_layer`): two GEMMs and one pass
//! over the m × n pre-activations, at the widths of the `lazy-training` claims.

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use thm::rng::rng_from_u64;
use thm::sim::two_layer::{unit_sphere_data, TwoLayerGd};

/// Widths benched: the lazy floor's neighbourhood and the largest quick width.
const WIDTHS: [usize; 2] = [2048, 32768];

fn net_at(m: usize) -> TwoLayerGd {
    let mut rng = rng_from_u64(1);
    let (x, y) = unit_sphere_data(32, 8, &mut rng).expect("d > 0");
    TwoLayerGd::symmetric(x, y, m, 1.0, 0.2, &mut rng).expect("valid parameters")
}

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("two_layer");
    for m in WIDTHS {
        // Elements: neuron-input pairs touched per step (n = 32).
        group.throughput(Throughput::Elements(32 * m as u64));
        group.bench_with_input(BenchmarkId::new("gd_step", m), &m, |b, &m| {
            let mut net = net_at(m);
            b.iter(|| {
                let loss = net.evaluate();
                net.descend();
                black_box(loss)
            })
        });
    }
    group.finish();
}
