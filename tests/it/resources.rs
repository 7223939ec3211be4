//! Every module's estimate of a trial's peak memory, against what a counting allocator
//! measures: one trial of every registered claim at each size of its quick sweep.
//!
//! The allocator counts, per thread, the bytes live on that thread and their high-water mark;
//! a trial runs on the calling thread (dense algebra is sequential inside a trial), so the
//! measurement is the trial's own. Other tests of this binary run on other threads and do not
//! disturb it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use thm::card::Profile;
use thm::resources::{human_bytes, MIB};

/// The system allocator, counting each thread's live bytes and their peak.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    // `try_with`: a thread being torn down has no counters left; its frees are not counted.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        add(-(layout.size() as isize));
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size() as isize);
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            add(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its peak of bytes allocated on this thread above what was live before.
fn peak_of(f: impl FnOnce()) -> f64 {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    f();
    (PEAK.with(Cell::get) - base).max(0) as f64
}

/// Claims whose trials stop at a threshold before the end of their grid: their estimate is the
/// longest run (a trial censored at the grid's end, which the guard must allow for), so only
/// the estimate's lower side is held to the measurement.
const STOP_AT_A_THRESHOLD: [(&str, &str); 1] = [("depth-advantage", "e2e-onset-span")];

/// Below this, a trial's memory is noise for the guard (the process itself holds more).
const FLOOR: f64 = MIB;
/// How far an estimate may be from the measured peak, either way, above the floor.
const FACTOR: f64 = 3.0;

#[test]
fn every_module_estimates_the_peak_memory_of_its_trials_within_a_factor_of_three() {
    let mut failures = Vec::new();
    let mut rows = Vec::new();
    for card in thm::registry::builtin_cards().unwrap() {
        for claim in card.claims.iter().filter(|c| c.trials_of.is_none()) {
            let Some(sweep) = claim.sweep(Profile::Quick) else { continue };
            // A first trial may fill process-wide tables (quadrature nodes, say) that stay:
            // not the trial's own memory.
            let _ = claim.simulation.trial(sweep.sizes[0], &mut thm::rng::rng_from_u64(0));
            for &size in &sweep.sizes {
                let mut rng = thm::rng::rng_from_u64(size);
                let started = std::time::Instant::now();
                let measured = peak_of(|| {
                    let _ = claim.simulation.trial(size, &mut rng);
                });
                let seconds = started.elapsed().as_secs_f64();
                let cost = claim.simulation.cost(size);
                let estimated = cost.peak_bytes;
                let ratio = estimated.max(FLOOR) / measured.max(FLOOR);
                let row = format!(
                    "{}/{} size {size}: estimated {}, measured {} (x{ratio:.2}); time estimated {:.3} s, \
                     took {seconds:.3} s",
                    card.id,
                    claim.id,
                    human_bytes(estimated),
                    human_bytes(measured),
                    cost.seconds,
                );
                let longest_run =
                    STOP_AT_A_THRESHOLD.contains(&(card.id.as_str(), claim.id.as_str()));
                if ratio < 1.0 / FACTOR || (ratio > FACTOR && !longest_run) {
                    failures.push(row.clone());
                }
                rows.push(row);
            }
        }
    }
    eprintln!("{}", rows.join("\n"));
    assert!(failures.is_empty(), "estimates off by more than x{FACTOR}:\n{}", failures.join("\n"));
}
