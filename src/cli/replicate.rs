//! `thm replicate`: a frozen claim re-run on K fresh master seeds.
//!
//! A verdict on the card's seed is one draw of the design. Replication re-runs the same card
//! on seeds it has never seen, derived from its own seed, and reports per claim how often each
//! verdict comes out and how the judged value (the fitted exponent, or a finite-size claim's
//! slope) spreads. Nothing is tuned: the card is used as it is.

use super::args::{CheckArgs, ReplicateArgs};
use super::{jobs, out, run_jobs, thread_pool, Job};
use crate::check::ClaimResult;
use crate::error::Error;
use crate::law::Judge;
use crate::verdict::Verdict;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::process::ExitCode;

/// Version tag of the replicate seeds: changing it changes every replication.
pub const REPLICATE_DERIVATION: &str = "thm/replicate/v1";

/// The largest K accepted.
pub const MAX_SEEDS: u64 = 1000;

/// The k-th replicate master seed of a claim whose card seed is `card_seed`.
pub fn replicate_seed(card_seed: u64, k: u64) -> u64 {
    let mut h = Sha256::new();
    h.update((REPLICATE_DERIVATION.len() as u64).to_le_bytes());
    h.update(REPLICATE_DERIVATION.as_bytes());
    h.update(card_seed.to_le_bytes());
    h.update(k.to_le_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// The replication of one claim.
#[derive(Debug, Serialize)]
struct Replication {
    theorem: String,
    claim: String,
    profile: &'static str,
    judge: &'static str,
    card_seed: u64,
    seeds: Vec<u64>,
    verdicts: Vec<Verdict>,
    /// The judged value per seed (the exponent, or a finite-size claim's slope); null without
    /// a fit.
    judged: Vec<Option<f64>>,
    confirmed: f64,
    inconclusive: f64,
    refuted: f64,
    judged_median: Option<f64>,
    judged_min: Option<f64>,
    judged_max: Option<f64>,
}

/// The value a verdict judged.
fn judged_value(r: &ClaimResult) -> Option<f64> {
    match r.judge {
        Judge::Exponent => r.fit.as_ref().map(|f| f.exponent),
        Judge::FiniteSize => r.finite_size.as_ref().map(|f| f.slope),
    }
    .filter(|v| v.is_finite())
}

pub(super) fn replicate(args: &ReplicateArgs) -> Result<ExitCode, Error> {
    if args.seeds == 0 || args.seeds > MAX_SEEDS {
        return Err(Error::Usage(format!(
            "--seeds {}: K must be between 1 and {MAX_SEEDS}",
            args.seeds
        )));
    }
    let select = CheckArgs {
        targets: args.targets.clone(),
        all: false,
        profile: args.profile,
        seed: None,
        json: args.json,
        plot: None,
        report: None,
        cert: None,
        threads: args.threads,
        max_memory: args.max_memory,
        verbose: false,
        held_back: false,
        store: std::path::PathBuf::from(crate::store::DEFAULT_STORE),
        no_store: true,
        quiet: false,
    };
    let (jobs, _) = jobs(&select)?;
    let jobs: Vec<Job> = jobs.into_iter().filter(|j| j.claim.runs_on(args.profile)).collect();
    if jobs.is_empty() {
        return Err(Error::Usage(format!(
            "nothing to replicate on the {} profile: every selected claim lacks it",
            args.profile.name()
        )));
    }
    let pool = thread_pool(args.threads)?;
    super::guard_jobs(&jobs, args.profile, pool.current_num_threads(), args.max_memory)?;
    let mut per_seed: Vec<Vec<ClaimResult>> = Vec::new();
    for k in 0..args.seeds {
        eprintln!("replicate: seed {} of {}", k + 1, args.seeds);
        let results = run_jobs(
            &jobs,
            |j| (args.profile, Some(replicate_seed(j.claim.seed, k))),
            &pool,
            super::RunOptions::default(),
        );
        per_seed.push(results);
    }
    let reps: Vec<Replication> = jobs
        .iter()
        .enumerate()
        .map(|(i, job)| {
            let results: Vec<&ClaimResult> = per_seed.iter().map(|r| &r[i]).collect();
            let verdicts: Vec<Verdict> = results.iter().map(|r| r.outcome.verdict).collect();
            let judged: Vec<Option<f64>> = results.iter().map(|r| judged_value(r)).collect();
            let k = verdicts.len() as f64;
            let rate = |v: Verdict| verdicts.iter().filter(|x| **x == v).count() as f64 / k;
            let values: Vec<f64> = judged.iter().flatten().copied().collect();
            let (median, min, max) = if values.is_empty() {
                (None, None, None)
            } else {
                (
                    Some(crate::stats::median(&values)),
                    values.iter().copied().reduce(f64::min),
                    values.iter().copied().reduce(f64::max),
                )
            };
            let (confirmed, inconclusive, refuted) =
                (rate(Verdict::Confirmed), rate(Verdict::Inconclusive), rate(Verdict::Refuted));
            Replication {
                theorem: job.card.id.clone(),
                claim: job.claim.id.clone(),
                profile: args.profile.name(),
                judge: job.claim.judge.name(),
                card_seed: job.claim.seed,
                seeds: (0..args.seeds).map(|k| replicate_seed(job.claim.seed, k)).collect(),
                verdicts,
                judged,
                confirmed,
                inconclusive,
                refuted,
                judged_median: median,
                judged_min: min,
                judged_max: max,
            }
        })
        .collect();
    if args.json {
        let mut s = serde_json::to_string_pretty(&reps).unwrap_or_default();
        s.push('\n');
        out(&s);
    } else {
        out(&table(&reps, args.seeds));
    }
    Ok(ExitCode::SUCCESS)
}

fn table(reps: &[Replication], k: u64) -> String {
    let mut t = String::new();
    let mut card_seeds: Vec<u64> = reps.iter().map(|r| r.card_seed).collect();
    card_seeds.sort_unstable();
    card_seeds.dedup();
    let _ = writeln!(
        t,
        "replication on {k} fresh master seed{} per claim ({} profile), derived from the card seed:",
        if k == 1 { "" } else { "s" },
        reps.first().map_or("quick", |r| r.profile)
    );
    for cs in card_seeds {
        let seeds: Vec<String> = (0..k).map(|i| replicate_seed(cs, i).to_string()).collect();
        let _ = writeln!(t, "  card seed {cs}: {}", seeds.join(", "));
    }
    let _ = writeln!(t);
    let header = [
        "theorem",
        "claim",
        "judged",
        "confirmed",
        "inconclusive",
        "refuted",
        "judged value: median [min, max]",
    ];
    let rows: Vec<[String; 7]> = reps
        .iter()
        .map(|r| {
            let n = r.verdicts.len();
            let count = |v: Verdict| r.verdicts.iter().filter(|x| **x == v).count();
            let spread = match (r.judged_median, r.judged_min, r.judged_max) {
                (Some(m), Some(lo), Some(hi)) => format!("{m:.3} [{lo:.3}, {hi:.3}]"),
                _ => "-".into(),
            };
            [
                r.theorem.clone(),
                r.claim.clone(),
                r.judge.to_string(),
                format!("{}/{n}", count(Verdict::Confirmed)),
                format!("{}/{n}", count(Verdict::Inconclusive)),
                format!("{}/{n}", count(Verdict::Refuted)),
                spread,
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (c, w) in cells.iter().zip(widths) {
            let _ = write!(l, "{c}{}  ", " ".repeat(w - c.chars().count()));
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(t, "{}", line(&header.map(String::from)));
    for row in &rows {
        let _ = writeln!(t, "{}", line(row));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicate_seeds_are_fixed_distinct_and_depend_on_the_card_seed() {
        let a: Vec<u64> = (0..5).map(|k| replicate_seed(0, k)).collect();
        let b: Vec<u64> = (0..5).map(|k| replicate_seed(0, k)).collect();
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 5);
        assert_ne!(replicate_seed(1, 0), replicate_seed(0, 0));
    }
}
