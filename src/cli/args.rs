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
    /// Write a results site (static HTML: a verdict table and one page per claim, with its
    /// figure, numbers, card and how to reproduce it) from certificates.
    ///
    /// The site loads nothing from the network and its bytes depend only on the certificates:
    /// open DIR/index.html in a browser, or share the directory.
    Report(ReportArgs),
    /// Inspect or clean the trial store, where `thm check` keeps every finished unit (one
    /// trial of one claim at one size) so that a killed run resumes and a run split over a
    /// cluster can be merged.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Split a check into shards of units balanced by estimated cost, for a cluster: writes
    /// DIR/plan.json and, with --slurm, a job array DIR/job.sbatch and DIR/merge.sbatch (whose
    /// merge writes the verdict table, a certificate and a results site into DIR), and prints
    /// the two `sbatch` lines that run them.
    Plan(PlanArgs),
    /// Run one shard of a plan, writing its units into a store (what each array task runs).
    RunShard {
        /// The plan written by `thm plan`.
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// The shard to run, 0-based (SLURM: $SLURM_ARRAY_TASK_ID).
        #[arg(long, value_name = "I")]
        shard: usize,
        /// The store the units go to.
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// Worker threads, default: all cores. Results are bit-identical for any value.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Refuse the shard if a claim's largest units, one per worker thread, would need
        /// more memory than SIZE (`16G`). Default: the memory the node has available now.
        #[arg(long, value_name = "SIZE", value_parser = crate::resources::parse_memory)]
        max_memory: Option<u64>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Fit and judge a plan's claims from the units in a store, exactly as `thm check` does:
    /// same stdout, JSON and results hashes. Every unit must be there.
    Merge {
        /// The plan written by `thm plan`.
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// The store the shards wrote.
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// Print one JSON record per claim instead of the table.
        #[arg(long)]
        json: bool,
        /// Write a certificate, as `thm check --cert`.
        #[arg(long, value_name = "FILE")]
        cert: Option<PathBuf>,
        /// Write one SVG figure per claim into DIR, as `thm check --plot`.
        #[arg(long, value_name = "DIR")]
        plot: Option<PathBuf>,
        /// Write a results site into DIR, as `thm check --report`.
        #[arg(long, value_name = "DIR")]
        report: Option<PathBuf>,
    },
    /// How far a plan's shards are: units done per shard and the estimated cost left.
    Status {
        /// The plan written by `thm plan`.
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// The store the shards write.
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
    },
}

/// What `thm store` does.
#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Count the stored units per theorem, claim, profile and seed.
    Ls {
        /// The store (default .thm/store).
        #[arg(long, value_name = "DIR", default_value = crate::store::DEFAULT_STORE)]
        store: PathBuf,
    },
    /// Check every stored record (format, checksum, key); exit 1 if any is invalid.
    Verify {
        /// The store (default .thm/store).
        #[arg(long, value_name = "DIR", default_value = crate::store::DEFAULT_STORE)]
        store: PathBuf,
    },
    /// Remove invalid records, leftovers of interrupted writes, and every unit no current
    /// built-in card (nor a card file given) can produce, under its card seed, on either
    /// profile.
    Gc {
        /// The store (default .thm/store).
        #[arg(long, value_name = "DIR", default_value = crate::store::DEFAULT_STORE)]
        store: PathBuf,
        /// Card files whose units are kept too.
        #[arg(value_name = "FILE")]
        cards: Vec<PathBuf>,
        /// Say what would be removed, remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Arguments of `thm plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// What to check, as for `thm check`: a theorem id, `ID/CLAIM`, or a card file. Nothing
    /// means every registered theorem.
    #[arg(value_name = "ID|ID/CLAIM|FILE")]
    pub targets: Vec<String>,
    /// Which sweep to run: `quick` or `full`.
    #[arg(long, value_enum, default_value = "quick")]
    pub profile: Profile,
    /// Master seed for every claim, instead of each card's `seed`.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// How many shards (1 to 10000).
    #[arg(long, value_name = "N")]
    pub shards: usize,
    /// The directory the plan (and the job scripts) go to; created if missing.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write the SLURM job array and its merge job.
    #[arg(long)]
    pub slurm: bool,
    /// Refuse a claim whose largest unit would need more memory than SIZE (`64G`): the
    /// memory of one cluster node. Without it the plan refuses nothing; each `run-shard`
    /// checks its node.
    #[arg(long, value_name = "SIZE", value_parser = crate::resources::parse_memory)]
    pub max_memory: Option<u64>,
}

/// Arguments of `thm report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Certificates written by `thm check --cert` (or `thm merge --cert`).
    #[arg(value_name = "CERT", required = true)]
    pub certificates: Vec<PathBuf>,
    /// Directory to write the site into (created if missing; its pages are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
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
    /// Refuse a claim whose largest units, one per worker thread, would need more memory
    /// than SIZE (bytes, or with K, M, G, T: `16G`). Default: the memory this machine has
    /// available now. Each module estimates its trials' peak memory from the card.
    #[arg(long, value_name = "SIZE", value_parser = crate::resources::parse_memory)]
    pub max_memory: Option<u64>,
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
    /// Write a results site into DIR (created if missing): index.html with the verdict table
    /// and one page per claim with its figures, numbers, card and the command that
    /// reproduces it. Static HTML that loads nothing; same check, same bytes.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Write a certificate (JSON: versions, card, seeds, raw observations, fit, verdict,
    /// results hash) that `thm reproduce` re-runs bit for bit.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Worker threads, default: all cores. Results are bit-identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Refuse a claim whose largest units, one per worker thread, would need more memory
    /// than SIZE (bytes, or with K, M, G, T: `16G`). Default: the memory this machine has
    /// available now. Each module estimates its trials' peak memory from the card.
    #[arg(long, value_name = "SIZE", value_parser = crate::resources::parse_memory)]
    pub max_memory: Option<u64>,
    /// Also print each claim's full report (per-size thresholds, both intervals, R²).
    #[arg(long, short)]
    pub verbose: bool,
    /// Let `ID/CLAIM` name a held-back claim: one a card keeps out of the registry as `#| `
    /// lines, with the reason (its control was not refuted, or it could not run); `thm show
    /// ID` lists them. It runs as it ran when it was held back; `thm check` alone never runs it.
    #[arg(long)]
    pub held_back: bool,
    /// The trial store: every finished unit is kept there and reused by the next run of the
    /// same claim (same build, card, parameters, profile and seed), so a killed run resumes.
    #[arg(long, value_name = "DIR", default_value = crate::store::DEFAULT_STORE)]
    pub store: PathBuf,
    /// Neither read nor write a store: run every unit.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
    /// No progress bar and no per-claim timings on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}
