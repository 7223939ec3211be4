//! The reduced configuration of check D-C (`notes/dc-config.md`; `benches/README.md`, "Reduced
//! three-layer net against the reference"): the reference's layer-wise `ThreeLayerNN` at d = 64,
//! eq. 11's target (d_eff = 8), p1 = 256, p2 = 32, 88 + 428 minibatch steps, ridge readout,
//! kappa in {1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0}, n = int(64^kappa), 1000 test points.
//!
//! Prints per kappa the median test MSE over trials, the mean M_W and the wall time.
//!
//! ```text
//! cargo run --release --example dc_reference -- --seeds 5 --threads 2
//! ```
//!
//! Trials run in parallel across `--threads` worker threads (each trial sequential, with its
//! own stream `thm/stream/v1` of (master seed, "depth-advantage", "dc-reference", n, trial)),
//! so the numbers do not depend on the thread count.

use rayon::prelude::*;
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
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads as usize).build().unwrap();
    let cfg = ThreeLayerConfig::reduced_dc();
    let d_eff = 8;
    let feature = feature_coefficients(&[2, 3], FeatureNormalisation::Factorial);
    println!(
        "# d = {}, d_eff = {d_eff}, p1 = {}, p2 = {}, steps {} + {}, {seeds} trials, {threads} threads, seed {master}",
        cfg.d,
        cfg.p1,
        cfg.p2,
        cfg.steps(cfg.max_iter1),
        cfg.steps(cfg.max_iter2)
    );
    println!("kappa      n  median_test_mse  mean_M_W  wall_s  per_trial_test_mse");
    let start = Instant::now();
    for kappa in KAPPAS {
        let n = 64f64.powf(kappa) as usize;
        let t0 = Instant::now();
        let runs: Vec<_> = pool.install(|| {
            (0..seeds)
                .into_par_iter()
                .map(|trial| {
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
                    run_sight(cfg, &target, n, 1000, &mut rng).expect("training broke down")
                })
                .collect()
        });
        let wall = t0.elapsed().as_secs_f64();
        let mut mse: Vec<f64> = runs.iter().map(|r| r.test_mse).collect();
        let per_trial = mse.iter().map(|m| format!("{m:.4}")).collect::<Vec<_>>().join(" ");
        mse.sort_by(f64::total_cmp);
        let median = if mse.len() % 2 == 1 {
            mse[mse.len() / 2]
        } else {
            0.5 * (mse[mse.len() / 2 - 1] + mse[mse.len() / 2])
        };
        let mw = runs.iter().map(|r| r.overlap).sum::<f64>() / runs.len() as f64;
        println!("{kappa:5.1} {n:6} {median:16.4} {mw:9.4} {wall:7.2}  {per_trial}");
    }
    println!("# total wall {:.2} s", start.elapsed().as_secs_f64());
}
