//! The predicted thresholds of the kernel-barrier staircase claims (harmonic scale, the
//! cards' ridge rule delta = r N_l(d) d^-l) with their fitted slopes on the quick and full
//! grids, and the plateau claim's predicted margins, with the cost of each profile: the
//! numbers `docs/theory/kernel-barrier.md` quotes, from the n = infinity eigenlearning
//! equations of `thm::learn::eigenlearning`.
//!
//! ```text
//! cargo run --release --example kernel_barrier_predictions
//! ```

use thm::learn::eigenlearning::DegreeSpectrum;
use thm::learn::InnerProductKernel;
use thm::special::harmonics::{cumulative_harmonic_dimension_f64, harmonic_dimension_f64};

fn main() {
    print_kernel_barrier_predictions();
}

/// Least-squares slope of log y against log x.
fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let logs: Vec<(f64, f64)> = points.iter().map(|(x, y)| (x.ln(), y.ln())).collect();
    let (mx, my) = logs.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    sxy / logs.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>()
}

/// Prints the predicted thresholds of the staircase claims (harmonic scale, card ridge
/// rule δ = r N_ℓ(d) d^-ℓ) with their slopes, and the plateau claim's predicted margins,
/// with the cost of each profile.
fn print_kernel_barrier_predictions() {
    let kernel = InnerProductKernel::Exponential;
    let claims: [(u32, f64, &[u64], usize); 3] = [
        (1, 1e-2, &[16, 23, 32, 45, 64, 91, 128, 181, 256], 7),
        (2, 1e-3, &[8, 11, 16, 23, 32, 45, 64, 90], 7),
        (3, 1e-3, &[6, 8, 11, 16, 23, 32], 5),
    ];
    for (l, r, full, quick) in claims {
        let start = std::time::Instant::now();
        let mut rows = Vec::new();
        for &d in full {
            let n_l = cumulative_harmonic_dimension_f64(d, l).unwrap();
            let ridge = r * n_l * (d as f64).powi(-(l as i32));
            let spectrum = DegreeSpectrum::sphere(&kernel, d).unwrap();
            let n_star = spectrum.samples_for_fraction(l as usize, 0.5, ridge).unwrap();
            let observable = n_star * (d as f64).powi(l as i32) / n_l;
            println!(
                "l = {l}, d = {d:3}: n* = {n_star:9.1} ({:.3} N_l), n* d^l/N_l = {observable:.4e}",
                n_star / n_l
            );
            rows.push((d as f64, observable));
        }
        println!(
            "l = {l}: slope quick {:.3}, full {:.3}, {:?}",
            slope(&rows[..quick]),
            slope(&rows),
            start.elapsed()
        );
    }
    let start = std::time::Instant::now();
    let kernel = InnerProductKernel::ReluNtk { second_layer: true };
    let energies = [0.0, 1.0, 1.0, 1.0];
    for d in [16u64, 23, 32, 45, 64, 91, 128, 181, 256] {
        let n = (d as f64).powf(1.5).floor();
        let ridge = 1e-3 * cumulative_harmonic_dimension_f64(d, 2).unwrap() / (d * d) as f64;
        let e = DegreeSpectrum::sphere(&kernel, d).unwrap().eigenlearning(n, ridge).unwrap();
        let bound: f64 = energies
            .iter()
            .enumerate()
            .map(|(k, a)| a * (1.0 - n / harmonic_dimension_f64(d, k as u32).unwrap()).max(0.0))
            .sum();
        let err = e.test_error(&energies, 0.0);
        println!(
            "plateau d = {d:3}, n = {n}: E0 {:.3}, err {err:.3}, bound {bound:.3}, margin {:.3}",
            e.overfitting,
            err - bound
        );
    }
    println!("plateau profile: {:?}", start.elapsed());
}
