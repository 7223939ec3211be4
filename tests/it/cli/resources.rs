//! The resource guard as a user meets it: a claim whose trials would not fit in memory is
//! refused before anything runs or is written, in one line that gives the estimate and what to
//! do; `thm plan` shows every claim's estimates.

use super::{assert_bad_input, builtin, scratch, stdout, thm};
use std::time::{Duration, Instant};

/// The kernel-barrier card with `krr-staircase-l1` (and its finite-size twin, which shares
/// its trials) at dimensions up to `top` on the quick profile.
fn staircase_up_to(top: &str) -> std::path::PathBuf {
    let from = "sizes = [16, 23, 32, 45, 64, 91, 128]\ntrials = 208";
    let text = builtin("kernel-barrier");
    assert_eq!(text.matches(from).count(), 2, "the claim and its twin");
    let path = scratch().join("my-card.toml");
    std::fs::write(&path, text.replace(from, &format!("sizes = [1000, 2000, {top}]\ntrials = 4")))
        .unwrap();
    path
}

#[test]
fn a_kernel_claim_at_a_million_dimensions_is_refused_within_a_second() {
    let card = staircase_up_to("1000000");
    let started = Instant::now();
    let o = thm(&["check", card.to_str().unwrap(), "--no-store"]);
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    // The module's own budget hypothesis sees it first, with the size of the kernel matrix.
    assert_bad_input(&o, &["params.sample_budget", "kernel matrix"]);
}

#[test]
fn a_claim_its_hypotheses_accept_but_memory_cannot_hold_is_refused_with_the_estimate() {
    // d = 6000: n = 3 N_1(d) = 18003 samples, inside the module's budget of 20000: a 2.4 GiB
    // Gram matrix and 0.9 GiB of points per trial.
    let card = staircase_up_to("6000");
    let dir = scratch();
    let report = dir.join("site");
    let cert = dir.join("cert.json");
    let started = Instant::now();
    let o = thm(&[
        "check",
        card.to_str().unwrap(),
        "--threads",
        "2",
        "--max-memory",
        "5G",
        "--report",
        report.to_str().unwrap(),
        "--cert",
        cert.to_str().unwrap(),
    ]);
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    assert_bad_input(
        &o,
        &[
            "kernel-barrier/krr-staircase-l1 (quick)",
            "largest unit (size 6000)",
            "3.6 GiB",
            "2 units at once: 7.2 GiB",
            "above the 5.0 GiB --max-memory",
            "thm plan",
        ],
    );
    assert!(!report.exists() && !cert.exists(), "a refused check writes nothing");
    // One thread holds one unit at a time: it fits.
    let o = thm(&[
        "plan",
        card.to_str().unwrap(),
        "--shards",
        "2",
        "--out",
        dir.join("p").to_str().unwrap(),
        "--max-memory",
        "5G",
    ]);
    assert!(o.status.success(), "{}", super::stderr(&o));
}

#[test]
fn a_memory_limit_that_is_not_a_size_says_what_is_accepted() {
    let o = thm(&["check", "depth-efficiency-square", "--max-memory", "lots"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(super::stderr(&o).contains("e.g. 512M or 20G"), "{}", super::stderr(&o));
}

#[test]
fn a_plan_shows_each_claims_largest_unit_and_its_cost() {
    let dir = scratch();
    let o = thm(&["plan", "kernel-barrier", "--shards", "3", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", super::stderr(&o));
    let out = stdout(&o);
    let row = out
        .lines()
        .find(|l| l.starts_with("kernel-barrier/krr-staircase-l3 "))
        .unwrap_or_else(|| panic!("no row for krr-staircase-l3:\n{out}"));
    // Its largest unit: d = 23, n = 2 N_3(23) = 5152, a 203 MiB Gram matrix and the data.
    assert!(row.contains(" 23 ") && row.contains("MiB"), "{row}");
    assert!(out.contains("estimated:") && out.contains("longest shard"), "{out}");
    // The plan balances shards on those seconds, and records each unit's memory.
    let plan = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    assert!(plan.contains("\"peak_bytes\"") && plan.contains("estimated seconds"), "{plan}");
}
