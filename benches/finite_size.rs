//! The exact (or stated-order) finite-size predictions the `finite-size` claims are judged
//! against: for every built-in claim with `judge = "finite-size"`, the module's whole curve on
//! each profile's sweep (`Simulation::finite_size`), timed on one thread. These replace Monte
//! Carlo with a computation; their cost is what a twin adds to a check (its trials are its
//! original's). The sizes and the one-line provenance of each are printed first.

use criterion::Criterion;
use std::hint::black_box;
use std::time::{Duration, Instant};
use thm::card::Profile;
use thm::law::Judge;

/// Every finite-size claim of the built-in cards, with its sweep on each profile it runs.
fn curves() -> Vec<(String, Profile, Vec<u64>, thm::theorem::LoadedClaim)> {
    let mut out = Vec::new();
    for card in thm::registry::builtin_cards().expect("built-in cards load") {
        for claim in card.claims.iter().filter(|c| c.judge == Judge::FiniteSize) {
            for profile in Profile::ALL {
                if let Some(sweep) = claim.sweep(profile) {
                    let name = format!("{}/{}@{}", card.id, claim.id, profile.name());
                    out.push((name, profile, sweep.sizes.clone(), claim.clone()));
                }
            }
        }
    }
    out
}

/// Prints each curve's sizes, provenance and the time of one evaluation.
pub fn report_curves() {
    for (name, _, sizes, claim) in curves() {
        let start = Instant::now();
        let values = claim.simulation.finite_size(&sizes);
        let seconds = start.elapsed().as_secs_f64();
        match values {
            Ok(v) => println!(
                "finite_size/{name}: {:.3} s once, sizes {sizes:?} -> {:.4e} .. {:.4e}; {}",
                seconds,
                v.first().copied().unwrap_or(f64::NAN),
                v.last().copied().unwrap_or(f64::NAN),
                claim.finite_size.as_deref().unwrap_or("")
            ),
            Err(why) => println!("finite_size/{name}: failed: {why}"),
        }
    }
}

pub fn benches(c: &mut Criterion) {
    if !crate::selected("finite_size") {
        return;
    }
    let mut group = c.benchmark_group("finite_size");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(1));
    for (name, _, sizes, claim) in curves() {
        group.bench_function(name, |b| b.iter(|| black_box(claim.simulation.finite_size(&sizes))));
    }
    group.finish();
}
