//! Runs that outgrow one machine: `thm plan` splits a check into shards of units,
//! `thm run-shard` runs one shard into a trial store, `thm status` says how far the shards
//! are, and `thm merge` fits and judges from the store exactly as `thm check` does.
//!
//! A plan lists every unit (one trial of one claim at one size) of the check it stands for,
//! with its store key, its estimated time and peak memory, and its shard. The key hashes the build, the
//! card text, the parameters, the profile and the seed, so a plan made by another build or
//! from a changed card no longer matches the units its targets give: `run-shard`, `status`
//! and `merge` recompute the list and refuse a plan that differs. `merge` is `thm check` on
//! the plan's targets, reading every unit from the store: the same code fits and judges, so
//! its stdout, JSON and certificate are those of a one-machine check.

use super::args::{CheckArgs, PlanArgs};
use super::{check_with, jobs, out, output, thread_pool, Job};
use crate::card::Profile;
use crate::check::{ClaimRun, Unit};
use crate::error::Error;
use crate::resources::{claim_cost, human_bytes, human_seconds};
use crate::store::{build_identity, platform, unit_key, Lookup, Store, StoreCache};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The plan file's format tag.
const PLAN_FORMAT: &str = "thm-plan/2";

/// The most shards a plan may have.
const MAX_SHARDS: usize = 10_000;

/// A plan: the check it stands for and its units, each with a shard.
#[derive(Debug, Serialize, Deserialize)]
struct Plan {
    format: String,
    thm_version: String,
    /// SHA-256 of the source compiled into the `thm` that made the plan.
    build: String,
    platform: String,
    /// The directory the targets are relative to; every command of the plan runs there.
    workdir: PathBuf,
    targets: Vec<String>,
    profile: Profile,
    seed: Option<u64>,
    shards: usize,
    /// The estimated cost of each shard (sum of its units'), in seconds of one core.
    shard_costs: Vec<f64>,
    /// How the costs are estimated.
    cost_model: String,
    units: Vec<PlannedUnit>,
}

/// One unit of a plan.
#[derive(Debug, Serialize, Deserialize)]
struct PlannedUnit {
    theorem: String,
    /// The claim whose streams the unit reads (a twin's original).
    claim: String,
    size: u64,
    trial: u32,
    key: String,
    /// Estimated seconds of one core ([`crate::resources`]).
    cost: f64,
    /// Estimated peak memory, bytes.
    peak_bytes: f64,
    shard: usize,
}

/// What the cost of a unit is taken to be.
const COST_MODEL: &str = "estimated seconds of one core: each module's estimate of its trial \
                          at that size from the card (operation counts at measured rates; \
                          benches/README.md, resource estimates)";

/// The check arguments a plan stands for.
fn check_args(targets: &[String], profile: Profile, seed: Option<u64>) -> CheckArgs {
    CheckArgs {
        targets: targets.to_vec(),
        all: false,
        profile,
        seed,
        json: false,
        plot: None,
        report: None,
        cert: None,
        threads: None,
        max_memory: None,
        verbose: false,
        held_back: false,
        store: PathBuf::from(crate::store::DEFAULT_STORE),
        no_store: true,
        quiet: false,
    }
}

/// The runs of a check's claims on its profile, in run order (claims without the profile
/// have none).
fn runs<'a>(jobs: &'a [Job], check: &CheckArgs) -> Vec<ClaimRun<'a>> {
    jobs.iter()
        .filter_map(|j| ClaimRun::new(&j.card, &j.claim, check.profile, check.seed))
        .collect()
}

/// Every distinct unit of `runs`, in run order: (index of its run, unit, store key). A twin's
/// units are its original's (same keys) and appear once. The one enumeration `plan`,
/// `run-shard`, `status` and `merge` share, so a plan's unit `i` is this list's `i`.
fn distinct_units(runs: &[ClaimRun<'_>]) -> Vec<(usize, Unit, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        for unit in run.units() {
            let key = unit_key(run, unit);
            if seen.insert(key.clone()) {
                out.push((r, unit, key));
            }
        }
    }
    out
}

pub(super) fn plan(args: &PlanArgs) -> Result<ExitCode, Error> {
    if args.shards == 0 || args.shards > MAX_SHARDS {
        return Err(Error::Usage(format!(
            "--shards {}: a plan has 1 to {MAX_SHARDS} shards",
            args.shards
        )));
    }
    let workdir =
        std::env::current_dir().map_err(|source| Error::Io { path: PathBuf::from("."), source })?;
    let check = check_args(&args.targets, args.profile, args.seed);
    let (jobs, _) = jobs(&check)?;
    let runs = runs(&jobs, &check);
    let mut units: Vec<PlannedUnit> = distinct_units(&runs)
        .into_iter()
        .map(|(r, unit, key)| {
            let run = &runs[r];
            let size = run.sizes()[unit.size_index];
            let cost = run.claim().simulation.cost(size);
            PlannedUnit {
                theorem: run.card().id.clone(),
                claim: run.claim().trials_owner().to_string(),
                size,
                trial: unit.trial,
                key,
                // Finite, so that the plan's JSON holds numbers.
                cost: cost.seconds.min(f64::MAX),
                peak_bytes: cost.peak_bytes.min(f64::MAX),
                shard: 0,
            }
        })
        .collect();
    if units.is_empty() {
        return Err(Error::Usage(format!(
            "nothing to run on the {} profile for these targets",
            args.profile.name()
        )));
    }
    if let Some(bytes) = args.max_memory {
        let limit =
            crate::resources::MemoryLimit { bytes: bytes as f64, source: "--max-memory".into() };
        let claims = jobs.iter().map(|j| (format!("{}/{}", j.card.id, j.claim.id), &j.claim));
        crate::resources::guard(claims, args.profile, 1, Some(&limit))?;
    }
    let estimates = estimate_table(&jobs, args.profile);
    let shard_costs = balance(&mut units, args.shards);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&args.out).map_err(io(&args.out))?;
    let dir = args.out.canonicalize().map_err(io(&args.out))?;
    let plan = Plan {
        format: PLAN_FORMAT.into(),
        thm_version: env!("CARGO_PKG_VERSION").into(),
        build: build_identity().into(),
        platform: platform(),
        workdir,
        targets: args.targets.clone(),
        profile: args.profile,
        seed: args.seed,
        shards: args.shards,
        shard_costs,
        cost_model: COST_MODEL.into(),
        units,
    };
    let plan_path = dir.join("plan.json");
    let text = serde_json::to_string_pretty(&plan).map_err(|e| Error::Usage(e.to_string()))?;
    output::write_atomically(&plan_path, format!("{text}\n").as_bytes())?;
    let longest = plan.shard_costs.iter().copied().fold(0.0, f64::max);
    let total: f64 = plan.shard_costs.iter().sum();
    let mut msg = format!(
        "{estimates}plan: {} units of {} in {} shards -> {}\nestimated: {} of one core in all, \
         {} for the longest shard on one core\n",
        plan.units.len(),
        if plan.targets.is_empty() { "every theorem".to_string() } else { plan.targets.join(" ") },
        plan.shards,
        plan_path.display(),
        human_seconds(total),
        human_seconds(longest),
    );
    let store = dir.join("store");
    if args.slurm {
        let thm = std::env::current_exe()
            .map_err(|source| Error::Io { path: PathBuf::from("thm"), source })?;
        let logs = dir.join("logs");
        std::fs::create_dir_all(&logs).map_err(io(&logs))?;
        let job = format!(
            "#!/bin/bash\n\
             #SBATCH --job-name=thm-shards\n\
             #SBATCH --array=0-{last}\n\
             #SBATCH --chdir={workdir}\n\
             #SBATCH --output={logs}/shard-%a.out\n\
             #SBATCH --error={logs}/shard-%a.err\n\
             exec {thm} run-shard {plan} --shard \"$SLURM_ARRAY_TASK_ID\" --store {store} --quiet\n",
            last = plan.shards - 1,
            workdir = plan.workdir.display(),
            logs = logs.display(),
            thm = thm.display(),
            plan = plan_path.display(),
            store = store.display(),
        );
        let merge = format!(
            "#!/bin/bash\n\
             #SBATCH --job-name=thm-merge\n\
             #SBATCH --chdir={workdir}\n\
             #SBATCH --output={dir}/merge.out\n\
             #SBATCH --error={dir}/merge.err\n\
             exec {thm} merge {plan} --store {store} --cert {dir}/merge.cert.json --report {dir}/report\n",
            workdir = plan.workdir.display(),
            dir = dir.display(),
            thm = thm.display(),
            plan = plan_path.display(),
            store = store.display(),
        );
        output::write_atomically(&dir.join("job.sbatch"), job.as_bytes())?;
        output::write_atomically(&dir.join("merge.sbatch"), merge.as_bytes())?;
        msg += &format!(
            "submit with:\n  jid=$(sbatch --parsable {job})\n  sbatch --dependency=afterok:$jid {merge}\n\
             the verdict table lands in {out}, the results site in {site}\n",
            job = dir.join("job.sbatch").display(),
            merge = dir.join("merge.sbatch").display(),
            out = dir.join("merge.out").display(),
            site = dir.join("report").display(),
        );
    } else {
        msg += &format!(
            "run each shard I in 0..{} with:\n  thm run-shard {} --shard I --store {}\nthen: thm merge {} --store {}\n",
            plan.shards,
            plan_path.display(),
            store.display(),
            plan_path.display(),
            store.display()
        );
    }
    out(&msg);
    Ok(ExitCode::SUCCESS)
}

/// Per claim: its units, its largest unit's size, memory and time, and its units' total time
/// (estimates, [`crate::resources`]).
fn estimate_table(jobs: &[Job], profile: Profile) -> String {
    let mut text = format!(
        "{:<48} {:>6} {:>9} {:>10} {:>10} {:>10}\n",
        "claim", "units", "largest", "memory", "its time", "all units"
    );
    for job in jobs {
        let (Some(sweep), Some(cost)) =
            (job.claim.sweep(profile), claim_cost(&job.claim, profile, 1))
        else {
            continue;
        };
        // A twin judges its original's units: it adds none.
        let (units, all) = match &job.claim.trials_of {
            Some(_) => ("twin".to_string(), "-".to_string()),
            None => (
                (sweep.sizes.len() * sweep.trials as usize).to_string(),
                human_seconds(cost.total_seconds),
            ),
        };
        text += &format!(
            "{:<48} {:>6} {:>9} {:>10} {:>10} {:>10}\n",
            format!("{}/{}", job.card.id, job.claim.id),
            units,
            cost.largest_size,
            human_bytes(cost.largest.peak_bytes),
            human_seconds(cost.largest.seconds),
            all,
        );
    }
    if jobs.iter().any(|j| j.claim.trials_of.is_some()) {
        text += "twin: judges the units of its original (trials_of) and adds none\n";
    }
    text
}

/// Assigns shards, longest unit first to the least loaded shard (ties: the first unit in run
/// order, the lowest shard), and returns each shard's cost. Deterministic.
fn balance(units: &mut [PlannedUnit], shards: usize) -> Vec<f64> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| units[b].cost.total_cmp(&units[a].cost).then(a.cmp(&b)));
    let mut load = vec![0.0f64; shards];
    for i in order {
        let shard =
            (0..shards).min_by(|&a, &b| load[a].total_cmp(&load[b]).then(a.cmp(&b))).unwrap_or(0);
        units[i].shard = shard;
        load[shard] += units[i].cost;
    }
    load
}

/// Reads a plan made by this build and moves to its working directory. Returns the plan, the
/// check it stands for and that check's claims.
fn load(path: &Path) -> Result<(Plan, CheckArgs, Vec<Job>), Error> {
    let text =
        std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.into(), source })?;
    let bad = |why: String| Error::Usage(format!("{}: {why}", path.display()));
    let plan: Plan =
        serde_json::from_str(&text).map_err(|e| bad(format!("not a thm plan ({e})")))?;
    if plan.format != PLAN_FORMAT {
        return Err(bad(format!("plan format `{}`, this thm reads {PLAN_FORMAT}", plan.format)));
    }
    if plan.build != build_identity() {
        return Err(bad(format!(
            "made by another thm build (thm {}, source {}…; this is thm {}, source {}…): its \
             units would not be this build's; make the plan again with this thm",
            plan.thm_version,
            plan.build.get(..12).unwrap_or(&plan.build),
            env!("CARGO_PKG_VERSION"),
            build_identity().get(..12).unwrap_or("")
        )));
    }
    std::env::set_current_dir(&plan.workdir)
        .map_err(|source| Error::Io { path: plan.workdir.clone(), source })?;
    let check = check_args(&plan.targets, plan.profile, plan.seed);
    let (jobs, _) = jobs(&check)?;
    Ok((plan, check, jobs))
}

/// The distinct units of `runs` ([`distinct_units`]), checked against the plan's: its targets
/// must still give exactly its units, key for key, under this build.
fn planned_units(
    plan: &Plan,
    path: &Path,
    runs: &[ClaimRun<'_>],
) -> Result<Vec<(usize, Unit, String)>, Error> {
    let units = distinct_units(runs);
    let same = units.len() == plan.units.len()
        && units.iter().zip(&plan.units).all(|((_, _, k), u)| *k == u.key);
    if !same {
        return Err(Error::Usage(format!(
            "{}: its targets no longer give its units (a card, a parameter or the platform \
             changed since it was made): make the plan again",
            path.display()
        )));
    }
    Ok(units)
}

pub(super) fn run_shard(
    path: &Path,
    shard: usize,
    store: &Path,
    threads: Option<usize>,
    max_memory: Option<u64>,
    quiet: bool,
) -> Result<ExitCode, Error> {
    let (plan, check, jobs) = load(path)?;
    if shard >= plan.shards {
        return Err(Error::Usage(format!(
            "--shard {shard}: the plan {} has shards 0 to {}",
            path.display(),
            plan.shards - 1
        )));
    }
    let runs = runs(&jobs, &check);
    // The shard's units, as (run, unit), in plan order.
    let mine: Vec<(usize, Unit)> = planned_units(&plan, path, &runs)?
        .into_iter()
        .zip(&plan.units)
        .filter(|(_, planned)| planned.shard == shard)
        .map(|((r, unit, _), _)| (r, unit))
        .collect();
    let pool = thread_pool(threads)?;
    // Only the claims this shard has units of are held to this node's memory.
    let mine_jobs = jobs.iter().filter(|j| {
        plan.units.iter().any(|u| {
            u.shard == shard && u.theorem == j.card.id && u.claim == j.claim.trials_owner()
        })
    });
    super::guard_jobs(mine_jobs, plan.profile, pool.current_num_threads(), max_memory)?;
    let cache = StoreCache::open(store, 2)?;
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        output::progress_bar(mine.len() as u64)
    };
    let cache_ref: &dyn crate::check::UnitCache = &cache;
    pool.install(|| {
        mine.par_iter().for_each(|&(r, unit)| {
            let run = &runs[r];
            if cache_ref.get(run, unit).is_none() {
                let record = run.run_unit(unit);
                cache_ref.put(run, unit, &record);
            }
            bar.inc(1);
        });
    });
    bar.finish_and_clear();
    for why in cache.take_invalid() {
        eprintln!("warning: invalid stored unit, recomputed: {why}");
    }
    let reused = cache.hits();
    let written = cache.finish()?;
    eprintln!(
        "shard {shard} of {}: {} units ({reused} already stored, {written} written) in {}",
        path.display(),
        mine.len(),
        store.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Per shard: (units done, units, cost left).
fn progress(plan: &Plan, store: &Store) -> Vec<(u64, u64, f64)> {
    let mut per = vec![(0u64, 0u64, 0.0f64); plan.shards];
    for u in &plan.units {
        let p = &mut per[u.shard];
        p.1 += 1;
        if matches!(store.get(&u.key), Lookup::Found(_)) {
            p.0 += 1;
        } else {
            p.2 += u.cost;
        }
    }
    per
}

pub(super) fn status(path: &Path, store: &Path) -> Result<ExitCode, Error> {
    let (plan, check, jobs) = load(path)?;
    planned_units(&plan, path, &runs(&jobs, &check))?;
    let store = Store::open(store)?;
    let per = progress(&plan, &store);
    let mut text = format!("{:>6} {:>10} {:>10} {:>14}\n", "shard", "done", "units", "time left");
    for (i, (done, n, left)) in per.iter().enumerate() {
        text += &format!("{i:>6} {done:>10} {n:>10} {:>14}\n", human_seconds(*left));
    }
    let done: u64 = per.iter().map(|p| p.0).sum();
    let total: u64 = per.iter().map(|p| p.1).sum();
    let left: f64 = per.iter().map(|p| p.2).sum();
    let all: f64 = plan.shard_costs.iter().sum();
    text += &format!(
        "{done} of {total} units done; {:.1}% of the estimated time left ({} of one core)\n",
        if all > 0.0 { 100.0 * left / all } else { 0.0 },
        human_seconds(left)
    );
    out(&text);
    Ok(if done == total { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

pub(super) fn merge(
    path: &Path,
    store: &Path,
    json: bool,
    cert: Option<PathBuf>,
    plot: Option<PathBuf>,
    report: Option<PathBuf>,
) -> Result<ExitCode, Error> {
    // Output paths are the caller's, not the plan's working directory.
    let here = std::env::current_dir().map_err(|source| Error::Io { path: ".".into(), source })?;
    let absolute = |p: PathBuf| if p.is_absolute() { p } else { here.join(p) };
    let (cert, plot, store) = (cert.map(absolute), plot.map(absolute), absolute(store.into()));
    let report = report.map(absolute);
    let (plan, mut check, jobs) = load(path)?;
    planned_units(&plan, path, &runs(&jobs, &check))?;
    let cache = StoreCache::open(&store, 1)?;
    let per = progress(&plan, cache.store());
    let missing: Vec<String> = per
        .iter()
        .enumerate()
        .filter(|(_, p)| p.0 < p.1)
        .map(|(i, p)| format!("shard {i}: {}", p.1 - p.0))
        .collect();
    if !missing.is_empty() {
        let n: u64 = per.iter().map(|p| p.1 - p.0).sum();
        return Err(Error::Usage(format!(
            "{n} units of {} are missing or invalid in {} ({}); run those shards again",
            path.display(),
            store.display(),
            missing.join(", ")
        )));
    }
    check.json = json;
    check.cert = cert;
    check.plot = plot;
    check.report = report;
    check.quiet = true;
    let code = check_with(&check, Some(&cache))?;
    cache.finish()?;
    Ok(code)
}
