//! The hot step of the reference's two-layer ReLU baseline (`sim::two_layer_relu`, the shallow
//! side of `depth-advantage`'s `shallow = "two-layer"` gap) at d = 64 with the width the claim
//! uses there (p = int(11585^0.9)/15 = 302) and n = 1600 samples, about the layer-wise learner's
//! threshold at d = 64 (minibatch int(0.7 n) = 1120): one GD step (gather of row-major samples,
//! two GEMMs), in f32 as the claim runs it, and the predictions on n points (the first layer's
//! GEMM and the readout).

use criterion::{Criterion, Throughput};
use faer::Mat;
use std::hint::black_box;
use thm::rng::rng_from_u64;
use thm::sim::three_layer::gaussian_rows;
use thm::sim::two_layer_relu::{TwoLayerConfig, TwoLayerReluNet};

const N: usize = 1600;

pub fn benches(c: &mut Criterion) {
    let cfg = TwoLayerConfig::reference(64, 302, 307);
    let mut rng = rng_from_u64(1);
    let x64 = gaussian_rows(N, cfg.d, &mut rng);
    // Row-major samples, as `TwoLayerReluNet::train` stores them (contiguous gathers).
    let xt = Mat::<f32>::from_fn(cfg.d, N, |j, i| x64[(i, j)] as f32);
    let y64: Vec<f64> = (0..N).map(|i| (3.0 * x64[(i, 0)] * x64[(i, 1)]).tanh()).collect();
    let y: Vec<f32> = y64.iter().map(|&v| v as f32).collect();
    let net = TwoLayerReluNet::<f32>::init(cfg, &mut rng);
    let m = (N as f64 * cfg.fraction_batch) as u64;
    let (d, p) = (cfg.d as u64, cfg.p as u64);
    let mut group = c.benchmark_group("two_layer_relu_f32");
    group.sample_size(20);
    // Elements: multiply-adds of the step's GEMMs (forward, gradient).
    group.throughput(Throughput::Elements(m * 2 * d * p));
    group.bench_function("step/d64_p302_n1600", |b| {
        let mut net = net.clone();
        let mut rng = rng_from_u64(2);
        b.iter(|| black_box(net.step(xt.transpose(), &y, &mut rng)))
    });
    group.throughput(Throughput::Elements(N as u64 * (d * p + p)));
    group.bench_function("predict/d64_p302_n1600", |b| {
        b.iter(|| black_box(net.predict(xt.transpose())))
    });
    group.finish();
}
