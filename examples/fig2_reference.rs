//! Fig. 2's four learners at the reference's own sample sizes (`benches/README.md`, "Fig. 2
//! against the reference"): our `fig2` design (`src/theorems/depth_advantage/fig2.rs`) with the
//! widths and iterations of a reduced slice of the reference's `Example.yaml`
//! (IdePHICS/ComputationalDepth at commit 04485f3: d = 64, eq. 11, lr 1, eps_init 0.2,
//! fraction 0.7, p2 = 100, `max_iter2` = int(5 d^1.5) = 2560, `max_iter1` = int(15 ln d) = 62,
//! ridges as the example), one set of draws per (n, trial), float32 as the reference.
//!
//! ```text
//! cargo run --release --example fig2_reference -- --n 1583,2867 --p1 1293 --p 86 --trials 1
//! ```
//!
//! `--p1` is the reference's `int(n_max^0.9)` of the slice, `--p` its `int(p1/15)`. Prints per
//! (n, trial) the four test errors and the seconds the trial took; sequential, one thread, the
//! stream `thm/stream/v1` of (master seed `--seed`, "depth-advantage", "fig2-reference", n,
//! trial).

use std::time::Instant;
use thm::rng::{Purpose, StreamId};
use thm::theorems::{fig2_errors_n, DepthAdvantageParams};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    let int = |flag: &str, default: u64| -> u64 {
        arg(flag)
            .map(|v| v.parse().unwrap_or_else(|_| panic!("{flag} takes an integer")))
            .unwrap_or(default)
    };
    let ns: Vec<usize> = arg("--n")
        .map(|v| v.split(',').map(|s| s.parse().expect("--n takes integers")).collect())
        .unwrap_or_else(|| vec![1583, 2867]);
    let (p1, p, trials, seed) =
        (int("--p1", 1293), int("--p", 86), int("--trials", 1), int("--seed", 0));
    let (p2, iter2) = (int("--p2", 100), int("--iter2", 2560));
    let card = format!(
        "measure = \"fig2\"\nepsilon = 0.5\nfeature_degrees = [2, 3]\nnormalisation = \"factorial\"\n\
         link = \"tanh\"\nlink_scale = 3.0\ndimension = 64\nwidths = [{p1}, {p2}]\n\
         two_layer_width = {p}\nmax_iter = [62, {iter2}]\nkernel_ridge = 1.0\ntest_points = 1000\n\
         precision = \"f32\"\n"
    );
    let DepthAdvantageParams::Fig2(design) = toml::from_str(&card).expect("a fig2 design") else {
        panic!("not a fig2 design")
    };
    println!("# d = 64, p1 = {p1}, p2 = {p2}, p = {p}, max_iter = [62, {iter2}], f32, seed {seed}");
    println!("n\ttrial\tkernel\ttwo-layer\tlayer-wise\tjoint\tseconds");
    let started = Instant::now();
    for &n in &ns {
        for trial in 0..trials {
            let mut rng = StreamId {
                master_seed: seed,
                theorem: "depth-advantage",
                claim: "fig2-reference",
                purpose: Purpose::Trial,
                size: n as u64,
                index: trial,
            }
            .rng();
            let t = Instant::now();
            match fig2_errors_n(&design, n, &mut rng) {
                Ok(e) => println!(
                    "{n}\t{trial}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.1}",
                    e.kernel,
                    e.two_layer,
                    e.layer_wise,
                    e.joint,
                    t.elapsed().as_secs_f64()
                ),
                Err(why) => println!("{n}\t{trial}\tfailed: {why}"),
            }
        }
    }
    println!("# total {:.1} s", started.elapsed().as_secs_f64());
}
