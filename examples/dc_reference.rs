//! The reduced configuration of check D-C (`docs/theory/depth-advantage.md`, "The reference's
//! network and check D-C"; `benches/dc-reference.md`; `benches/README.md`, "Reduced three-layer
//! net against the reference"): the reference's layer-wise `ThreeLayerNN` at d = 64,
//! eq. 11's target (d_eff = 8), p1 = 256, p2 = 32, 88 + 428 minibatch steps, ridge readout,
//! kappa in {1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0}, n = int(64^kappa), 1000 test points.
//!
//! Prints per kappa the median test MSE over trials, the mean M_W and the seconds its trials
//! took (summed over trials), then the total wall time.
//!
//! ```text
//! cargo run --release --example dc_reference -- --seeds 5 --threads 2 [--precision f32]
//! ```
//!
//! `--precision f32` trains the network in single precision, the reference's `dtype`
//! (`sim::three_layer::NetFloat`); the default is f64.
//!
//! All (kappa, trial) jobs go to `--threads` worker threads, largest n first, each worker
//! taking the next job when it is free (greedy longest-first: 5 trials of the largest n do
//! not leave one thread idle). Each trial is sequential, with its own stream `thm/stream/v1` of
//! (master seed, "depth-advantage", "dc-reference", n, trial), so the numbers do not depend on
//! the thread count.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use thm::rng::{Purpose, StreamId};
use thm::sim::sight::{feature_coefficients, FeatureNormalisation, Link, SightTarget};
use thm::sim::three_layer::{run_sight, ThreeLayerConfig};

const KAPPAS: [f64; 7] = [1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse().unwrap_or_else(|_| panic!("{flag} takes an integer")))
            .unwrap_or(default)
    };
    let (seeds, threads, master) = (value("--seeds", 5), value("--threads", 2), value("--seed", 0));
    let f32_net = match args.iter().position(|a| a == "--precision").map(|i| args.get(i + 1)) {
        None => false,
        Some(Some(p)) if p == "f64" => false,
        Some(Some(p)) if p == "f32" => true,
        Some(other) => panic!("--precision takes f32 or f64, not {other:?}"),
    };
    let cfg = ThreeLayerConfig::reduced_dc();
    let d_eff = 8;
    let feature = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
    println!(
        "# d = {}, d_eff = {d_eff}, p1 = {}, p2 = {}, steps {} + {}, {seeds} trials, {threads} threads, seed {master}, {}",
        cfg.d,
        cfg.p1,
        cfg.p2,
        cfg.steps(cfg.max_iter1),
        cfg.steps(cfg.max_iter2),
        if f32_net { "f32" } else { "f64" }
    );
    // Jobs (kappa index, trial), largest n first.
    let mut jobs: Vec<(usize, u64)> =
        (0..KAPPAS.len()).flat_map(|k| (0..seeds).map(move |t| (k, t))).collect();
    jobs.sort_by_key(|&(k, t)| (std::cmp::Reverse(k), t));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                while let Some(&(k, trial)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let n = 64f64.powf(KAPPAS[k]) as usize;
                    let t0 = Instant::now();
                    let mut rng = StreamId {
                        master_seed: master,
                        theorem: "depth-advantage",
                        claim: "dc-reference",
                        purpose: Purpose::Trial,
                        size: n as u64,
                        index: trial,
                    }
                    .rng();
                    let target = SightTarget::draw(
                        cfg.d,
                        d_eff,
                        feature.clone(),
                        Link::Tanh { scale: 3.0 },
                        &mut rng,
                    );
                    let run = if f32_net {
                        run_sight::<f32>(cfg, &target, n, 1000, &mut rng)
                    } else {
                        run_sight::<f64>(cfg, &target, n, 1000, &mut rng)
                    }
                    .expect("training broke down");
                    let secs = t0.elapsed().as_secs_f64();
                    results.lock().unwrap().push((k, trial, run, secs));
                }
            });
        }
    });
    let wall = start.elapsed().as_secs_f64();
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|&(k, t, _, _)| (k, t));
    println!("kappa      n  median_test_mse  mean_M_W  trial_s  per_trial_test_mse");
    for (k, kappa) in KAPPAS.iter().enumerate() {
        let n = 64f64.powf(*kappa) as usize;
        let runs: Vec<_> = results.iter().filter(|r| r.0 == k).collect();
        let mut mse: Vec<f64> = runs.iter().map(|r| r.2.test_mse).collect();
        let per_trial = mse.iter().map(|m| format!("{m:.4}")).collect::<Vec<_>>().join(" ");
        mse.sort_by(f64::total_cmp);
        let median = if mse.len() % 2 == 1 {
            mse[mse.len() / 2]
        } else {
            0.5 * (mse[mse.len() / 2 - 1] + mse[mse.len() / 2])
        };
        let mw = runs.iter().map(|r| r.2.overlap).sum::<f64>() / runs.len() as f64;
        let secs: f64 = runs.iter().map(|r| r.3).sum();
        println!("{kappa:5.1} {n:6} {median:16.4} {mw:9.4} {secs:8.2}  {per_trial}");
    }
    println!("# total wall {wall:.2} s");
}
