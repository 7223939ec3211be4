//! Kernel learners at sizes typical of `kernel-barrier`'s KRR threshold claims: the kernel matrix
//! (one GEMM and an element-wise map) and the KRR Cholesky factor and solve, against the
//! machine's f64 peak.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::{Accum, Mat, Par};
use std::hint::black_box;
use std::time::{Duration, Instant};
use thm::learn::{
    gram_matrix, sphere_points, GaussianPopulation, InnerProductKernel, Krr, ReluFeatures,
    RfPopulation,
};
use thm::numerics::clear_avx_upper;
use thm::rng::rng_from_u64;

const SIZES: [usize; 2] = [2000, 4000];
const DIM: usize = 32;
/// One core's f64 FMA peak on the project's machine (measured; `docs/engineering.md`).
const PEAK_GFLOPS: f64 = 46.0;

fn points(n: usize) -> Mat<f64> {
    sphere_points(n, DIM, &mut rng_from_u64(21)).expect("d > 0")
}

pub fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernel");
    group.sample_size(10).warm_up_time(Duration::from_millis(500));
    for n in SIZES {
        let x = points(n);
        group.throughput(Throughput::Elements((n * n) as u64));
        for (name, kernel) in [
            ("gram_relu_arccos", InnerProductKernel::ReluArcCosine),
            ("gram_exp", InnerProductKernel::Exponential),
        ] {
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter(|| black_box(gram_matrix(&kernel, x.as_ref()).expect("valid")))
            });
        }
        let k = gram_matrix(&InnerProductKernel::Exponential, x.as_ref()).expect("valid");
        let y: Vec<f64> = (0..n).map(|i| x[(i, 0)]).collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("krr_factor_and_solve", n), &n, |b, _| {
            b.iter_batched(
                || k.clone(),
                |k| {
                    let krr = Krr::factor(k, 1e-8 * n as f64).expect("positive definite");
                    black_box(krr.coefficients(n, &y).expect("shapes"))
                },
                BatchSize::LargeInput,
            )
        });
    }
    // The n = infinity Gram matrix of ReLU random features (the width claims' planned
    // learner, kernel-barrier card): N^2/2 inner products of length d plus a degree-K
    // Gegenbauer recurrence per pair, at d = 64 and the cut K = 60 its tests use.
    let population = RfPopulation::new(64, 60).expect("d = 64, K = 60 are resolved");
    for n in [256, 1024] {
        let neurons = ReluFeatures::draw(n, 64, &mut rng_from_u64(22)).expect("N, d > 0");
        group.throughput(Throughput::Elements((n * (n - 1) / 2) as u64));
        group.bench_with_input(BenchmarkId::new("rf_population_gram", n), &n, |b, _| {
            b.iter(|| black_box(population.gram(&neurons).expect("dimension d")))
        });
    }
    // The n = infinity Gram matrix of NT features (Gaussian inputs): (N d)^2 closed-form
    // entries, at d = 32 and N = 48 (p = 1536), the widths an NT width sweep at d = 32 needs.
    let nt = GaussianPopulation::new(32).expect("d >= 2");
    let neurons = ReluFeatures::draw(48, 32, &mut rng_from_u64(23)).expect("N, d > 0");
    group.throughput(Throughput::Elements((48 * 32 * 48 * 32) as u64));
    group.bench_function(BenchmarkId::new("nt_population_gram", 48 * 32), |b| {
        b.iter(|| black_box(nt.nt_gram(&neurons).expect("dimension d")))
    });
    group.finish();
}

/// Median of 5 timings of `f` (seconds), each on a fresh input from `setup` (not timed).
fn median_s<I, O>(mut setup: impl FnMut() -> I, mut f: impl FnMut(I) -> O) -> f64 {
    median_of_5(|| {
        let input = setup();
        let t = Instant::now();
        black_box(f(input));
        t.elapsed().as_secs_f64()
    })
}

/// Median of 5 values of `time`, a closure that returns the seconds it measured itself.
fn median_of_5(mut time: impl FnMut() -> f64) -> f64 {
    let mut times: Vec<f64> = (0..5).map(|_| time()).collect();
    times.sort_by(f64::total_cmp);
    times[2]
}

/// `G = X Xᵀ / d` by one faer GEMM (`Par::Seq`).
fn gemm(x: &Mat<f64>) -> Mat<f64> {
    let mut g = Mat::<f64>::zeros(x.nrows(), x.nrows());
    matmul(g.as_mut(), Accum::Replace, x, x.transpose(), 1.0 / DIM as f64, Par::Seq);
    g
}

/// The element-wise map `K = h(G)` over the whole matrix.
fn map(kernel: InnerProductKernel, g: &mut Mat<f64>) {
    for j in 0..g.ncols() {
        for v in g.col_as_slice_mut(j) {
            *v = kernel.eval(*v);
        }
    }
}

/// `G = lower triangle of X Xᵀ / d` by faer's triangular GEMM (`Par::Seq`).
fn gemm_lower(x: &Mat<f64>) -> Mat<f64> {
    let mut g = Mat::<f64>::zeros(x.nrows(), x.nrows());
    triangular::matmul(
        g.as_mut(),
        BlockStructure::TriangularLower,
        Accum::Replace,
        x,
        BlockStructure::Rectangular,
        x.transpose(),
        BlockStructure::Rectangular,
        1.0 / DIM as f64,
        Par::Seq,
    );
    g
}

/// Prints times and GFLOP/s of the GEMM, the element-wise map right after the GEMM (with and
/// without `vzeroupper`), the library's Gram matrix, and the Cholesky factor and solve,
/// against the f64 peak of one core.
pub fn report_kernel_flops() {
    println!("kernel learners, d = {DIM}, one thread, median of 5 (peak {PEAK_GFLOPS} GFLOP/s):");
    for n in SIZES {
        let x = points(n);
        let nn = (n * n) as f64;
        let t_gemm = median_s(|| (), |()| gemm(&x));
        let t_lower = median_s(|| (), |()| gemm_lower(&x));
        let gemm_flops = 2.0 * nn * DIM as f64;
        println!(
            "  n = {n}: GEMM X Xᵀ {:.1} ms, {:.1} GFLOP/s ({:.0}% of peak); lower triangle \
             only (triangular GEMM) {:.1} ms",
            1e3 * t_gemm,
            gemm_flops / t_gemm / 1e9,
            100.0 * gemm_flops / t_gemm / 1e9 / PEAK_GFLOPS,
            1e3 * t_lower
        );
        for (name, kernel) in [
            ("relu arc-cosine", InnerProductKernel::ReluArcCosine),
            ("exp", InnerProductKernel::Exponential),
        ] {
            // The whole map timed right after a raw GEMM on the same thread, then after
            // `clear_avx_upper` (vzeroupper); then the library's Gram matrix (GEMM, clear,
            // map of the lower triangle, mirror).
            let after = median_of_5(|| {
                let mut g = gemm(&x);
                let t = Instant::now();
                map(kernel, &mut g);
                t.elapsed().as_secs_f64()
            });
            let after_clear = median_of_5(|| {
                let mut g = gemm(&x);
                clear_avx_upper();
                let t = Instant::now();
                map(kernel, &mut g);
                t.elapsed().as_secs_f64()
            });
            let lib = median_s(|| (), |()| gram_matrix(&kernel, x.as_ref()));
            println!(
                "    map {name:<15}: after GEMM {:.0} ms ({:.1} ns/entry), after GEMM + \
                 vzeroupper {:.0} ms ({:.1} ns/entry); gram_matrix {:.0} ms",
                1e3 * after,
                1e9 * after / nn,
                1e3 * after_clear,
                1e9 * after_clear / nn,
                1e3 * lib
            );
        }
        let k = gram_matrix(&InnerProductKernel::Exponential, x.as_ref()).expect("valid");
        let y: Vec<f64> = (0..n).map(|i| x[(i, 0)]).collect();
        let ridge = 1e-8 * n as f64;
        let t_factor = median_s(|| k.clone(), |k| Krr::factor(k, ridge).expect("pd"));
        let krr = Krr::factor(k.clone(), ridge).expect("pd");
        let t_solve = median_s(|| (), |()| krr.coefficients(n, &y).expect("shapes"));
        let chol_flops = (n as f64).powi(3) / 3.0;
        println!(
            "    KRR Cholesky {:.3} s, {:.1} GFLOP/s ({:.0}% of peak); solve {:.1} ms; \
             factor + solve {:.3} s",
            t_factor,
            chol_flops / t_factor / 1e9,
            100.0 * chol_flops / t_factor / 1e9 / PEAK_GFLOPS,
            1e3 * t_solve,
            t_factor + t_solve
        );
    }
}
