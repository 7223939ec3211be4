//! Whole quick checks: each theorem's claims together (what `thm check ID` runs), and each
//! claim whose quick check alone takes under 5 s (timed once before benching), so that
//! `cargo bench` stays bounded: criterion takes at least 10 samples, and a theorem's whole
//! check takes up to a minute or more per iteration on 2 cores. `cargo bench -- quick_check/ID`
//! benches one theorem.

use criterion::Criterion;
use std::hint::black_box;
use std::time::{Duration, Instant};
use thm::card::Profile;

/// Whether criterion's name filter (the first free argument, e.g. `cargo bench -- kernel`)
/// can select a `quick_check/...` bench: these run each check once before criterion applies
/// its filter, which costs minutes, so they are skipped when the filter cannot match.
fn selected() -> bool {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    filter.is_none_or(|f| "quick_check".contains(&f) || f.starts_with("quick_check"))
}

pub fn benches(c: &mut Criterion) {
    if !selected() {
        return;
    }
    let cards = thm::registry::builtin_cards().expect("built-in cards load");
    let mut group = c.benchmark_group("quick_check");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(1))
        .warm_up_time(Duration::from_millis(1));
    for card in &cards {
        for claim in &card.claims {
            let run = || thm::check::run_claim(card, claim, Profile::Quick, None, &|| {});
            let once = Instant::now();
            black_box(run());
            if once.elapsed() > Duration::from_secs(5) {
                println!(
                    "quick_check/{}/{}: {:.1} s once; benched only in `all`",
                    card.id,
                    claim.id,
                    once.elapsed().as_secs_f64()
                );
                continue;
            }
            group.bench_function(format!("{}/{}", card.id, claim.id), |b| {
                b.iter(|| black_box(run()))
            });
        }
    }
    for card in &cards {
        group.bench_function(format!("{}/all", card.id), |b| {
            b.iter(|| {
                for claim in &card.claims {
                    black_box(thm::check::run_claim(card, claim, Profile::Quick, None, &|| {}));
                }
            })
        });
    }
    group.finish();
}
