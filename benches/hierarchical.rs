//! One SGD step of the DenseNet-like quadratic network of `backward-feature-correction`
//! (`sim::hierarchical`): four faer GEMMs forward and back plus element-wise passes, with
//! widths 16, 16 and batch 32 at d = 32 (the `bfc` claim) and d = 128 (the largest d of
//! `deep-learns-poly`'s quick sweep), with and without drawing the fresh batch (the batch's
//! 32 x d Gaussians and its labels are the step's natural floor); and the test error on 2000
//! points that `deep-learns-poly` reads on its grid of sample counts; and the joint step and
//! the draw of `bfc-correction`'s skip target and narrow net with its level-2 skip (d = 16);
//! and the four-level step of the held-back `depth-step-4` (d = 32, widths 16 x 4, with and
//! without the update cap, whose norm of the weight gradients is the only added work) against
//! the draw of its four-level batch.

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use thm::rng::rng_from_u64;
use thm::sim::hierarchical::{test_error, HierarchicalTarget, LevelMaps, Phase, QuadNet};

const BATCH: usize = 32;

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("hierarchical");
    group.throughput(Throughput::Elements(BATCH as u64));
    for d in [32, 128] {
        let mut rng = rng_from_u64(1);
        let target = HierarchicalTarget::new(d, 4, &[1.0, 0.3], LevelMaps::Orthogonal, &mut rng)
            .expect("valid target");
        let (x, y) = target.sample(BATCH, &mut rng);
        let joint = Phase { levels: 2, first_trained: 1 };
        for (name, phase) in
            [("level1_step", Phase { levels: 1, first_trained: 1 }), ("joint_step", joint)]
        {
            group.bench_with_input(BenchmarkId::new(name, d), &phase, |b, &phase| {
                let mut net = QuadNet::new(d, &[16, 16], BATCH, &[0.1, 1.0], &mut rng_from_u64(2))
                    .expect("net");
                // A tiny step: the bench measures the arithmetic, not a trajectory.
                b.iter(|| black_box(net.step(&x, &y, 1e-6, phase)))
            });
        }
        group.bench_function(BenchmarkId::new("draw_batch", d), |b| {
            let mut rng = rng_from_u64(3);
            b.iter(|| black_box(target.sample(BATCH, &mut rng)))
        });
        // What a trial pays per step: a fresh batch, one joint step, the divergence check.
        group.bench_function(BenchmarkId::new("train_joint_step", d), |b| {
            let mut net =
                QuadNet::new(d, &[16, 16], BATCH, &[0.1, 1.0], &mut rng_from_u64(2)).expect("net");
            let mut rng = rng_from_u64(4);
            b.iter(|| black_box(net.train(&target, joint, 1, 1e-6, &mut rng, |_, _| {})))
        });
        let (xt, yt) = target.sample(2000, &mut rng_from_u64(5));
        group.bench_function(BenchmarkId::new("test_error_2000", d), |b| {
            let mut net =
                QuadNet::new(d, &[16, 16], BATCH, &[0.1, 1.0], &mut rng_from_u64(2)).expect("net");
            b.iter(|| black_box(test_error(&mut net, &xt, &yt)))
        });
    }
    // The `feature-bias` shape (bfc-correction): the skip target and the narrow net with its
    // level-2 skip at d = 16, widths 4, 16.
    let mut rng = rng_from_u64(1);
    let target =
        HierarchicalTarget::with_skip(16, 4, &[1.0, 0.1], LevelMaps::Gaussian, 1.0, &mut rng)
            .expect("valid skip target");
    let (x, y) = target.sample(BATCH, &mut rng);
    group.bench_function(BenchmarkId::new("skip_joint_step", 16), |b| {
        let mut net = QuadNet::new(16, &[4, 16], BATCH, &[0.1, 0.3], &mut rng_from_u64(2))
            .and_then(|n| n.with_level2_skip(0.3, &mut rng_from_u64(3)))
            .expect("net");
        b.iter(|| black_box(net.step(&x, &y, 1e-6, Phase { levels: 2, first_trained: 1 })))
    });
    group.bench_function(BenchmarkId::new("skip_draw_batch", 16), |b| {
        let mut rng = rng_from_u64(3);
        b.iter(|| black_box(target.sample(BATCH, &mut rng)))
    });
    // The `depth-step-4` shape: four levels, Gaussian maps, widths 16, d = 32.
    let mut rng = rng_from_u64(1);
    let target =
        HierarchicalTarget::new(32, 4, &[1.0, 0.3, 0.09, 0.027], LevelMaps::Gaussian, &mut rng)
            .expect("valid four-level target");
    let (x, y) = target.sample(BATCH, &mut rng);
    let four = Phase { levels: 4, first_trained: 1 };
    for (name, cap) in [("depth4_step", None), ("capped_depth4_step", Some(0.01))] {
        group.bench_function(BenchmarkId::new(name, 32), |b| {
            let mut net =
                QuadNet::new(32, &[16; 4], BATCH, &[0.1, 1.0, 0.3, 0.3], &mut rng_from_u64(2))
                    .expect("net");
            if let Some(u) = cap {
                net = net.with_update_clip(u);
            }
            b.iter(|| black_box(net.step(&x, &y, 1e-6, four)))
        });
    }
    group.bench_function(BenchmarkId::new("depth4_draw_batch", 32), |b| {
        let mut rng = rng_from_u64(3);
        b.iter(|| black_box(target.sample(BATCH, &mut rng)))
    });
    group.finish();
}
