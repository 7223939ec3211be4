//! One SGD step of the DenseNet-like quadratic network of `backward-feature-correction`
//! (`sim::hierarchical`): four faer GEMMs forward and back plus element-wise passes, at the
//! shape of the `bfc` claim (d = 32, widths 16, 16, batch 32), with and without drawing the
//! fresh batch (the batch's 32 x 32 Gaussians and its labels are the step's natural floor).

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use thm::rng::rng_from_u64;
use thm::sim::hierarchical::{HierarchicalTarget, Phase, QuadNet};

const D: usize = 32;
const BATCH: usize = 32;

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("hierarchical");
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut rng = rng_from_u64(1);
    let target = HierarchicalTarget::new(D, 4, &[1.0, 0.3], &mut rng).expect("valid target");
    let (x, y) = target.sample(BATCH, &mut rng);
    for (name, phase) in [
        ("level1_step", Phase { levels: 1, first_trained: 1 }),
        ("joint_step", Phase { levels: 2, first_trained: 1 }),
    ] {
        group.bench_with_input(BenchmarkId::new(name, D), &phase, |b, &phase| {
            let mut net =
                QuadNet::new(D, &[16, 16], BATCH, &[0.1, 1.0], &mut rng_from_u64(2)).expect("net");
            // A tiny step: the bench measures the arithmetic, not a trajectory.
            b.iter(|| black_box(net.step(&x, &y, 1e-6, phase)))
        });
    }
    group.bench_function(BenchmarkId::new("draw_batch", D), |b| {
        let mut rng = rng_from_u64(3);
        b.iter(|| black_box(target.sample(BATCH, &mut rng)))
    });
    group.finish();
}
