//! The hot steps of the reference's layer-wise three-layer network (`sim::three_layer`, check
//! D-C of `depth-advantage`) at the reduced configuration of `benches/dc-reference.md`: d = 64,
//! p1 = 256, p2 = 32, and its largest training set n = 4096 (minibatch int(0.7 n) = 2867): one
//! phase-1 step (gather of row-major samples, four GEMMs), one phase-2 step (gather, two GEMMs)
//! and the ridge readout on all n, in f64 (`three_layer`) and in f32, the reference's dtype
//! (`three_layer_f32`).

use criterion::{Criterion, Throughput};
use faer::Mat;
use std::hint::black_box;
use thm::rng::rng_from_u64;
use thm::sim::three_layer::{gaussian_rows, NetFloat, ThreeLayerConfig, ThreeLayerNet};

const N: usize = 4096;

pub fn benches(c: &mut Criterion) {
    precision::<f64>(c, "three_layer");
    precision::<f32>(c, "three_layer_f32");
}

fn precision<T: NetFloat>(c: &mut Criterion, group_name: &str) {
    let cfg = ThreeLayerConfig::reduced_dc();
    let mut rng = rng_from_u64(1);
    let x64 = gaussian_rows(N, cfg.d, &mut rng);
    let x = Mat::<T>::from_fn(N, cfg.d, |i, j| T::of(x64[(i, j)]));
    // Row-major samples, as `ThreeLayerNet::train` stores them (contiguous gathers).
    let xt = x.transpose().to_owned();
    let y64: Vec<f64> = (0..N).map(|i| (3.0 * x64[(i, 0)] * x64[(i, 1)]).tanh()).collect();
    let y: Vec<T> = y64.iter().map(|&v| T::of(v)).collect();
    let net = ThreeLayerNet::<T>::init(cfg, &mut rng);
    let m = cfg.batch(N) as u64;
    let mut group = c.benchmark_group(group_name);
    group.sample_size(20);
    // Elements: multiply-adds of the step's GEMMs.
    let (d, p1, p2) = (cfg.d as u64, cfg.p1 as u64, cfg.p2 as u64);
    group.throughput(Throughput::Elements(m * (2 * d * p1 + 2 * p1 * p2)));
    group.bench_function("layer1_step/n4096", |b| {
        let mut net = net.clone();
        let mut rng = rng_from_u64(2);
        b.iter(|| black_box(net.layer1_step(xt.transpose(), &y, &mut rng)))
    });
    let h1t = net.hidden1(x.as_ref());
    let h1 = h1t.transpose();
    group.throughput(Throughput::Elements(m * 2 * p1 * p2));
    group.bench_function("layer2_step/n4096", |b| {
        let mut net = net.clone();
        let mut rng = rng_from_u64(3);
        b.iter(|| black_box(net.layer2_step(h1, &y, &mut rng)))
    });
    group.throughput(Throughput::Elements(N as u64 * (p1 * p2 + p2 * p2)));
    group.bench_function("ridge_readout/n4096", |b| {
        let mut net = net.clone();
        b.iter(|| {
            net.ridge_readout(h1, &y64).expect("positive definite");
            black_box(net.w3[0])
        })
    });
    group.finish();
}
