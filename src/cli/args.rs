//! Command-line arguments (clap derive). `--help` explains every flag.

use crate::card::Profile;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// thm: a typed theorem harness for deep-learning theory.
///
/// Each registered theorem states a scaling law ("online SGD needs n* ~ d^(k-1) samples"),
/// computes the predicted exponent from its parameters, runs a seeded simulation, fits the
/// empirical exponent with a 95% interval and returns a verdict: confirmed, refuted or
/// inconclusive, with its reason. Every claim also runs a falsification control: the same data
/// must refute its control (the prediction shifted by a stated amount, or the nearest rival law
/// a sceptic would propose, computed by the module), or the verdict is
/// "inconclusive: no power".
///
/// Exit codes: 0 all claims confirmed, 1 some refuted or inconclusive, 2 bad input or usage.
#[derive(Debug, Parser)]
#[command(name = "thm", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the registered theorems with their claims and citations.
    List,
    /// Show a theorem: statement, citation, hypotheses, and each claim's predicted law.
    Show {
        /// A theorem id (see `thm list`) or a card file (`my-card.toml`).
        #[arg(value_name = "ID|FILE")]
        target: String,
    },
    /// Check claims: simulate, fit, judge; print the verdict table.
    Check(CheckArgs),
    /// Re-run a certificate and report bit-identical results or the first difference.
    Reproduce {
        /// A certificate written by `thm check --cert`.
        #[arg(value_name = "CERT")]
        certificate: PathBuf,
        /// Worker threads (results do not depend on it).
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
    },
    /// Re-run frozen claims on K fresh master seeds and report how often each verdict comes
    /// out, and the spread of the judged value.
    ///
    /// The seeds are derived from each claim's card seed (SHA-256 of the tag
    /// `thm/replicate/v1`, the card seed and k = 0..K-1) and listed in the output, so the same
    /// K gives the same seeds and the same bits. A claim's verdict on seed 0 is one draw; the
    /// replication rate says how often the design gives it.
    Replicate(ReplicateArgs),
}

/// Arguments of `thm replicate`.
#[derive(Debug, Args)]
pub struct ReplicateArgs {
    /// What to replicate: a theorem id, `ID/CLAIM`, or a card file. Nothing means every
    /// registered theorem.
    #[arg(value_name = "ID|ID/CLAIM|FILE")]
    pub targets: Vec<String>,
    /// How many fresh master seeds (1 to 1000).
    #[arg(long, value_name = "K")]
    pub seeds: u64,
    /// Which sweep to run: `quick` or `full`.
    #[arg(long, value_enum, default_value = "quick")]
    pub profile: Profile,
    /// Print one JSON record per claim instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Worker threads, default: all cores. Results are bit-identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Arguments of `thm check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What to check: a theorem id, `ID/CLAIM` for one claim, or a card file (`my-card.toml`,
    /// same format as theorems/*.toml). Nothing means every registered theorem.
    #[arg(value_name = "ID|ID/CLAIM|FILE")]
    pub targets: Vec<String>,
    /// Check every registered theorem (besides any targets given).
    #[arg(long)]
    pub all: bool,
    /// Which sweep to run: `quick` (seconds; what `cargo test` checks) or `full` (minutes).
    #[arg(long, value_enum, default_value = "quick")]
    pub profile: Profile,
    /// Master seed for every claim, instead of each card's `seed`.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Print one JSON record per claim instead of the table (stable keys; no timings or paths).
    #[arg(long)]
    pub json: bool,
    /// Write one SVG figure per claim into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// Write a certificate (JSON: versions, card, seeds, raw observations, fit, verdict,
    /// results hash) that `thm reproduce` re-runs bit for bit.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Worker threads, default: all cores. Results are bit-identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Also print each claim's full report (per-size thresholds, both intervals, R²).
    #[arg(long, short)]
    pub verbose: bool,
    /// Let `ID/CLAIM` name a held-back claim: one a card keeps out of the registry as `#| `
    /// lines, with the reason (its control was not refuted, or it could not run); `thm show
    /// ID` lists them. It runs as it ran when it was held back; `thm check` alone never runs it.
    #[arg(long)]
    pub held_back: bool,
}
