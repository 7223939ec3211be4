//! The predicted width thresholds of the kernel-barrier claim `rf-vs-nt-width` (quick and
//! full sizes) and their fitted slopes, with the cost of the whole profile, from the
//! deterministic equivalents of `thm::learn::width_equivalent`.
//!
//! ```text
//! cargo run --release --example rf_vs_nt_width_predictions
//! ```

use thm::learn::width_equivalent::{hermite_target_energies, ReluWidthEquivalent};
use thm::special::harmonics::cumulative_harmonic_dimension_f64;

/// The population ridge of `rf-vs-nt-width`: its relative ridge r = 1e-6 times tr(G)/p = 1/2
/// (the Gram diagonal of both models).
const RIDGE: f64 = 0.5 * 1e-6;

fn main() {
    let start = std::time::Instant::now();
    let sizes = [16u64, 23, 32, 45, 64, 90];
    let mut rows = Vec::new();
    for &d in &sizes {
        let eq = ReluWidthEquivalent::gaussian(d).unwrap();
        let e = hermite_target_energies(d, 2).unwrap();
        let (nt, rf) =
            (eq.nt_threshold(&e, 0.5, RIDGE).unwrap(), eq.rf_threshold(&e, 0.5, RIDGE).unwrap());
        let n2 = cumulative_harmonic_dimension_f64(d, 2).unwrap();
        println!(
            "d = {d:3}: N*_NT = {nt:7.2} ({:.3} N_2/d)  N*_RF = {rf:8.1} ({:.3} N_2)  ratio {:.2}",
            nt * d as f64 / n2,
            rf / n2,
            rf / nt
        );
        rows.push((d, nt, rf));
    }
    for (name, n) in [("quick", 5), ("full", 6)] {
        let slope = |f: &dyn Fn(&(u64, f64, f64)) -> f64| {
            let pts: Vec<(f64, f64)> =
                rows[..n].iter().map(|r| ((r.0 as f64).ln(), f(r).ln())).collect();
            let (mx, my) =
                pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0 / n as f64, a.1 + p.1 / n as f64));
            pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
                / pts.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>()
        };
        let (a_nt, a_rf) = (slope(&|r| r.1), slope(&|r| r.2));
        println!("{name}: NT slope {a_nt:.3}, RF slope {a_rf:.3}, difference {:.3}", a_rf - a_nt);
    }
    println!("cost of the full profile: {:?}", start.elapsed());
}
