//! The `thm` command line: the only code that prints, touches files and picks exit codes.
//!
//! Exit codes: 0 when every checked claim is confirmed (or a certificate reproduces bit for
//! bit), 1 when some claim is refuted or inconclusive (or a re-run differs), 2 for bad input
//! or usage. Results go to stdout; progress, timings and errors to stderr.

mod args;
mod output;
mod plan;
mod replicate;
mod report;
mod store;

use crate::card::{CardSource, Profile};
use crate::cert::{self, Certificate, CertifiedClaim, Comparison};
use crate::check::{self, ClaimResult};
use crate::error::Error;
use crate::law::{Control, Judge};
use crate::registry;
use crate::store::StoreCache;
use crate::theorem::{LoadedCard, LoadedClaim, Panel};
use crate::verdict::Verdict;
use args::{CheckArgs, Cli, Command};
use clap::Parser;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::List => list(),
        Command::Show { target } => show(&target),
        Command::Check(args) => check(&args),
        Command::Reproduce { certificate, threads } => reproduce(&certificate, threads),
        Command::Replicate(args) => replicate::replicate(&args),
        Command::Report(args) => report::report(&args),
        Command::Store { action } => store::store(&action),
        Command::Plan(args) => plan::plan(&args),
        Command::RunShard { plan, shard, store, threads, max_memory, quiet } => {
            plan::run_shard(&plan, shard, &store, threads, max_memory, quiet)
        }
        Command::Merge { plan, store, json, cert, plot, report } => {
            plan::merge(&plan, &store, json, cert, plot, report)
        }
        Command::Status { plan, store } => plan::status(&plan, &store),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout, quietly stopping on a closed pipe.
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

fn list() -> Result<ExitCode, Error> {
    let cards = registry::builtin_cards()?;
    // The id column fits the longest id and two spaces, so a title never runs into its id.
    let w = cards.iter().map(|c| c.id.chars().count()).max().unwrap_or(0) + 2;
    let mut text = String::new();
    for card in &cards {
        let claims: Vec<&str> = card.claims.iter().map(|c| c.id.as_str()).collect();
        text += &format!("{:<w$}{}\n", card.id, card.title);
        text += &format!("{:<w$}claims: {}\n", "", claims.join(", "));
        let held: Vec<String> =
            registry::held_back_claims(&card.source.text).into_iter().map(|h| h.claim).collect();
        if !held.is_empty() {
            text += &format!("{:<w$}held back: {} (see thm show)\n", "", held.join(", "));
        }
        text += &format!("{:<w$}{}\n\n", "", card.citation.short());
    }
    out(text.trim_end());
    out("\n");
    Ok(ExitCode::SUCCESS)
}

/// A card named by a theorem id or a file path.
fn resolve_card(target: &str) -> Result<LoadedCard, Error> {
    let path = Path::new(target);
    if target.ends_with(".toml") || path.is_file() {
        registry::load_card(&CardSource::read(path)?)
    } else {
        registry::builtin_card(target)
    }
}

fn show(target: &str) -> Result<ExitCode, Error> {
    let card = resolve_card(target)?;
    let mut t = String::new();
    t += &format!("{}\n{}\n\n", card.id, card.title);
    let c = &card.citation;
    t += &format!("source     {}\n           {}\n", c.authors.join(", "), c.title);
    t += &format!("           {} (arXiv:{}), {}\n\n", c.year, c.arxiv, c.locator);
    t += &format!(
        "statement  {}\n\n",
        card.statement.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    t += "hypotheses\n";
    for (field, h) in card.about.hypotheses {
        t += &format!("  {h}   [{field}]\n");
    }
    t += &format!("\nsimulated  {}\n", card.about.simulation);
    for claim in &card.claims {
        t += &format!("\nclaim {}: {}\n", claim.id, claim.description);
        t += &format!(
            "  predicted   {}, exponent {}\n",
            claim.prediction.law,
            claim.prediction.exponent.describe(claim.tolerance)
        );
        t += &format!("  because     {}\n", claim.prediction.rationale);
        t += &format!("  fitted as   {}\n", claim.prediction.fit_description());
        t += &format!("  tolerance   {} ({})\n", claim.tolerance, claim.tolerance_reason);
        match claim.judge {
            Judge::Exponent => {}
            Judge::FiniteSize => {
                t += &format!(
                    "  judged      finite-size: the slope of the medians over the prediction at \
                     each size is 0 ± {}; the asymptotic exponent is reported\n",
                    claim.tolerance
                );
            }
        }
        if let Some(fs) = &claim.finite_size {
            t += &format!("  finite size {fs}\n");
        }
        if let Some(of) = &claim.trials_of {
            t += &format!("  trials      those of claim `{of}` (same streams: a twin)\n");
        }
        t += &match &claim.control {
            Control::Shift(delta) => {
                format!("  control     prediction shifted by {delta:+} must be refuted\n")
            }
            Control::Rival(r) => {
                format!("  control     rival `{}` ({}) must be refuted: {}\n", r.name, r.law, r.why)
            }
        };
        for r in claim
            .rivals
            .iter()
            .filter(|r| !matches!(&claim.control, Control::Rival(c) if c.name == r.name))
        {
            t += &format!("  rival       `{}` ({}): {}\n", r.name, r.law, r.why);
        }
        t += &format!("  parameters  {}\n", claim.params);
        let shared = if claim.shared_draws { crate::report::text::SHARED_DRAWS_NOTE } else { "" };
        for p in Profile::ALL {
            t += &match claim.sweep(p) {
                Some(s) => format!(
                    "  {:<11} {} = {:?}, {} trials{shared}, seed {}\n",
                    p.name(),
                    claim.prediction.size,
                    s.sizes,
                    s.trials,
                    claim.seed
                ),
                None => {
                    format!("  {:<11} none (a {}-profile-only claim)\n", p.name(), p.other().name())
                }
            };
        }
    }
    let held = registry::held_back_claims(&card.source.text);
    if !held.is_empty() {
        t += "\nheld back (not in the registry; the card says why at the line given; run one as \
              it ran with `thm check ID/CLAIM --held-back`)\n";
        let w = held.iter().map(|h| h.claim.chars().count()).max().unwrap_or(0) + 2;
        for h in &held {
            t += &format!("  {:<w$}{}:{}\n", h.claim, card.source.path.display(), h.line);
        }
    }
    out(&t);
    Ok(ExitCode::SUCCESS)
}

/// One claim to run.
struct Job {
    card: LoadedCard,
    claim: LoadedClaim,
    /// For a held-back claim (`--held-back`): the line of its block in the built-in card.
    held_back: Option<usize>,
}

/// Turns `check` targets into jobs: `ID`, `ID/CLAIM`, or a card file; none or `--all` means
/// every built-in card. Everything is loaded and validated before anything runs. Also returns
/// the held-back claims (`ID/CLAIM`) of every card selected whole, which do not run.
fn jobs(args: &CheckArgs) -> Result<(Vec<Job>, Vec<String>), Error> {
    let mut cards: Vec<(LoadedCard, Option<Vec<String>>, Option<usize>)> = Vec::new();
    if args.all || args.targets.is_empty() {
        cards.extend(registry::builtin_cards()?.into_iter().map(|c| (c, None, None)));
    }
    for target in &args.targets {
        let is_file = target.ends_with(".toml") || Path::new(target).is_file();
        match target.split_once('/') {
            Some((id, claim)) if !is_file => {
                let card = registry::builtin_card(id)?;
                let held = registry::held_back(id)?.into_iter().find(|h| h.claim == claim);
                if let (Err(_), Some(h)) = (card.claim(claim), &held) {
                    if !args.held_back {
                        return Err(Error::Usage(format!(
                            "claim `{claim}` of `{id}` is held back from the registry \
                             (theorems/{id}.toml:{} says why); run it as it ran with --held-back",
                            h.line
                        )));
                    }
                    let card = registry::held_back_card(id, claim)?;
                    if !card.claim(claim)?.runs_on(args.profile) {
                        return Err(lacks_profile(claim, id, args.profile));
                    }
                    cards.push((card, None, Some(h.line)));
                    continue;
                }
                if !card.claim(claim)?.runs_on(args.profile) {
                    return Err(lacks_profile(claim, id, args.profile));
                }
                let selected = with_prerequisites(&card, claim)?;
                cards.push((card, Some(selected), None));
            }
            _ => cards.push((resolve_card(target)?, None, None)),
        }
    }
    if args.held_back && cards.iter().all(|(_, _, held)| held.is_none()) {
        return Err(Error::Usage(
            "--held-back runs a held-back claim named as ID/CLAIM; `thm show ID` lists a \
             theorem's held-back claims"
                .into(),
        ));
    }
    let mut jobs: Vec<Job> = Vec::new();
    let mut not_run: Vec<String> = Vec::new();
    for (card, only, held_back) in cards {
        if only.is_none() && held_back.is_none() {
            for h in registry::held_back_claims(&card.source.text) {
                let name = format!("{}/{}", card.id, h.claim);
                if !not_run.contains(&name) {
                    not_run.push(name);
                }
            }
        }
        for claim in &card.claims {
            let duplicate = jobs
                .iter()
                .any(|j| j.card.source.path == card.source.path && j.claim.id == claim.id);
            if !duplicate && only.as_ref().is_none_or(|only| only.contains(&claim.id)) {
                jobs.push(Job { card: card.clone(), claim: claim.clone(), held_back });
            }
        }
    }
    Ok((jobs, not_run))
}

/// A claim named alone on a profile it lacks.
fn lacks_profile(claim: &str, id: &str, profile: Profile) -> Error {
    let other = profile.other().name();
    Error::Usage(format!(
        "claim `{claim}` of `{id}` has no {} profile (it is {other}-profile only): add --profile \
         {other}",
        profile.name()
    ))
}

/// A claim and, before it, every claim it requires (transitively): a claim selected alone
/// still runs after the lemmas it builds on, which the verdict table then shows.
fn with_prerequisites(card: &LoadedCard, claim: &str) -> Result<Vec<String>, Error> {
    let mut selected = vec![card.claim(claim)?.id.clone()];
    let mut i = 0;
    while i < selected.len() {
        for req in &card.claim(&selected[i])?.requires {
            if !selected.contains(req) {
                selected.push(req.clone());
            }
        }
        i += 1;
    }
    Ok(selected)
}

/// Refuses, before anything runs or is written, a job whose largest units would not fit in
/// memory ([`crate::resources::guard`]).
fn guard_jobs<'a>(
    jobs: impl IntoIterator<Item = &'a Job>,
    profile: Profile,
    threads: usize,
    max_memory: Option<u64>,
) -> Result<(), Error> {
    let limit = crate::resources::MemoryLimit::resolve(max_memory);
    let claims = jobs.into_iter().map(|j| (format!("{}/{}", j.card.id, j.claim.id), &j.claim));
    crate::resources::guard(claims, profile, threads, limit.as_ref())
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    let n = match threads {
        Some(0) => return Err(Error::Usage("--threads must be at least 1".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {n} threads: {e}")))
}

/// How `run_jobs` runs: with or without a trial store, with or without progress on stderr.
#[derive(Clone, Copy, Default)]
pub(crate) struct RunOptions<'a> {
    /// The store units are read from and written to.
    pub cache: Option<&'a StoreCache>,
    /// No progress bar and no per-claim lines on stderr.
    pub quiet: bool,
}

fn run_jobs(
    jobs: &[Job],
    profile_of: impl Fn(&Job) -> (Profile, Option<u64>),
    pool: &rayon::ThreadPool,
    options: RunOptions<'_>,
) -> Vec<ClaimResult> {
    let total: u64 = jobs
        .iter()
        .map(|j| {
            j.claim.sweep(profile_of(j).0).map_or(0, |s| s.sizes.len() as u64 * u64::from(s.trials))
        })
        .sum();
    let bar =
        if options.quiet { indicatif::ProgressBar::hidden() } else { output::progress_bar(total) };
    let cache = options.cache.map(|c| c as &dyn check::UnitCache);
    let mut results: Vec<ClaimResult> = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (profile, seed) = profile_of(job);
        bar.set_message(format!("{}/{}", job.card.id, job.claim.id));
        let started = Instant::now();
        // Prerequisites come from the same card only: a user's card may share a built-in
        // card's theorem and claim ids with other parameters.
        let same_card: Vec<ClaimResult> = jobs
            .iter()
            .zip(&results)
            .filter(|(j, _)| j.card.source.path == job.card.source.path)
            .map(|(_, r)| r.clone())
            .collect();
        let result = pool.install(|| {
            check::run_claim_cached(
                &job.card,
                &job.claim,
                profile,
                seed,
                &same_card,
                &|| bar.inc(1),
                cache,
            )
        });
        let invalid = options.cache.map(StoreCache::take_invalid).unwrap_or_default();
        bar.suspend(|| {
            for why in &invalid {
                eprintln!("warning: invalid stored unit, recomputed: {why}");
            }
            if !options.quiet {
                eprintln!(
                    "{}/{} ({}): {} in {:.1} s",
                    job.card.id,
                    job.claim.id,
                    profile.name(),
                    result.outcome.verdict,
                    started.elapsed().as_secs_f64()
                );
            }
        });
        results.push(result);
    }
    bar.finish_and_clear();
    results
}

/// Background threads that write finished units to the store.
const STORE_WRITERS: usize = 2;

fn check(args: &CheckArgs) -> Result<ExitCode, Error> {
    check_with(args, None)
}

/// `thm check`, or `thm merge` when `store_override` is the store a plan's shards filled.
pub(crate) fn check_with(
    args: &CheckArgs,
    store_override: Option<&StoreCache>,
) -> Result<ExitCode, Error> {
    let mut owned_cache: Option<StoreCache> = None;
    // Claims without a sweep for the profile (full-profile-only claims on the quick profile,
    // quick-profile-only ones on the full) have nothing to run: they are listed under the
    // verdict table, without a verdict, and do not change the exit code.
    let (jobs, held_back) = jobs(args)?;
    let (jobs, skipped): (Vec<Job>, Vec<Job>) =
        jobs.into_iter().partition(|j| j.claim.runs_on(args.profile));
    let other = args.profile.other().name();
    if jobs.is_empty() {
        return Err(Error::Usage(format!(
            "nothing to run on the {} profile: every selected claim is {other}-profile only; add \
             --profile {other}",
            args.profile.name()
        )));
    }
    let mut skipped_note = (!skipped.is_empty()).then(|| {
        let names: Vec<String> =
            skipped.iter().map(|j| format!("{}/{}", j.card.id, j.claim.id)).collect();
        format!(
            "not run on the {} profile ({other}-profile only; run with --profile {other}): {}\n",
            args.profile.name(),
            names.join(", ")
        )
    });
    // Claims the cards hold back are named too, so the table does not read as everything
    // that was designed.
    if !held_back.is_empty() {
        skipped_note.get_or_insert_with(String::new).push_str(&format!(
            "held back from the registry, not run (`thm show ID` says why; `thm check ID/CLAIM \
             --held-back` runs one): {}\n",
            held_back.join(", ")
        ));
    }
    let pool = thread_pool(args.threads)?;
    // `merge` (a store given) reads every unit, so only a run that computes units is held to
    // this machine's memory.
    if store_override.is_none() {
        guard_jobs(&jobs, args.profile, pool.current_num_threads(), args.max_memory)?;
    }
    if let Some(dir) = &args.plot {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
    }
    if let Some(cert) = &args.cert {
        output::check_writable(cert)?;
    }
    if let Some(dir) = &args.report {
        report::prepare(dir)?;
    }
    for job in &jobs {
        if let Some(line) = job.held_back {
            eprintln!(
                "note: {}/{} is held back from the registry (theorems/{}.toml:{line} says why): \
                 it runs as it ran, and `thm check` alone does not run it",
                job.card.id, job.claim.id, job.card.id
            );
        }
    }
    let started = Instant::now();
    let cache = match (&args.no_store, store_override) {
        (_, Some(cache)) => Some(cache),
        (true, None) => None,
        (false, None) => {
            owned_cache = Some(StoreCache::open(&args.store, STORE_WRITERS)?);
            owned_cache.as_ref()
        }
    };
    let results = run_jobs(
        &jobs,
        |_| (args.profile, args.seed),
        &pool,
        RunOptions { cache, quiet: args.quiet },
    );
    if let Some(cache) = owned_cache {
        let reused = cache.hits();
        let written = cache.finish()?;
        if !args.quiet && (reused > 0 || written > 0) {
            eprintln!("store {}: {reused} units reused, {written} written", args.store.display());
        }
    }
    if !args.quiet {
        eprintln!(
            "checked {} claim{} in {:.1} s",
            results.len(),
            if results.len() == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64()
        );
    }

    // The modules' panels, for the figures and the site (which shows a twin's panels on its
    // original's page only: they are the same).
    let panels: Vec<Vec<(u64, Result<Panel, String>)>> = jobs
        .iter()
        .map(|job| {
            let twin = job.claim.trials_of.is_some();
            if args.plot.is_some() || (args.report.is_some() && !twin) {
                pool.install(|| check::claim_panels(&job.card, &job.claim, args.profile, args.seed))
            } else {
                Vec::new()
            }
        })
        .collect();
    for (r, panels) in results.iter().zip(&panels) {
        for (size, panel) in panels {
            if let Err(why) = panel {
                eprintln!("warning: no figure for {}/{} at size {size}: {why}", r.theorem, r.claim);
            }
        }
    }
    if let Some(dir) = &args.plot {
        for (r, panels) in results.iter().zip(&panels) {
            let svg = crate::report::plot::render_svg(&crate::report::figure::claim_figure(r));
            let stem = format!("{}__{}@{}", r.theorem, r.claim, r.profile.name());
            output::write_atomically(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
            for p in panels.iter().filter_map(|(_, p)| p.as_ref().ok()) {
                let svg = crate::report::plot::render_svg(&crate::report::figure::panel_figure(p));
                let path = dir.join(format!("{stem}__{}.svg", p.name));
                output::write_atomically(&path, svg.as_bytes())?;
            }
        }
    }
    if let Some(path) = &args.cert {
        let certificate = Certificate {
            format_version: cert::FORMAT_VERSION,
            build: cert::Build::current(),
            claims: jobs
                .iter()
                .zip(&results)
                .map(|(job, r)| CertifiedClaim::new(&job.card.source, job.claim.params.clone(), r))
                .collect(),
        };
        output::write_atomically(path, certificate.to_json().as_bytes())?;
        eprintln!("certificate written to {}", path.display());
    }
    if let Some(dir) = &args.report {
        report::write_check_site(dir, &jobs, &results, &panels, skipped_note.as_deref())?;
    }
    if args.json {
        out(&crate::report::json::render(&results));
        if let Some(note) = &skipped_note {
            eprint!("{note}");
        }
    } else {
        if args.verbose {
            for (job, r) in jobs.iter().zip(&results) {
                out(&crate::report::text::claim_report(&job.card, r));
                out("\n");
            }
        }
        out(&crate::report::text::verdict_table(&results));
        if let Some(note) = &skipped_note {
            out(note);
        }
    }
    let all_confirmed = results.iter().all(|r| r.outcome.verdict == Verdict::Confirmed);
    Ok(if all_confirmed { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn reproduce(path: &PathBuf, threads: Option<usize>) -> Result<ExitCode, Error> {
    let text =
        std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.clone(), source })?;
    let certificate = Certificate::parse(path, &text)?;
    let mut jobs = Vec::new();
    for (i, c) in certificate.claims.iter().enumerate() {
        let src = CardSource {
            path: format!("{} (in {})", c.card_name, path.display()).into(),
            text: c.card_text.clone(),
        };
        let card = registry::load_card(&src)?;
        // The header fields name what the re-run is reported as: they must be the card's, or
        // an altered certificate would be "reproduced" under another theorem's or design's name.
        let altered = |what: String| Error::Certificate {
            path: path.clone(),
            message: format!(
                "claim {i} ({}/{}): {what}: the certificate was altered",
                c.theorem, c.claim
            ),
        };
        if card.id != c.theorem {
            return Err(altered(format!("its card is of theorem `{}`", card.id)));
        }
        let claim = card.claim(&c.claim).map_err(|e| altered(e.to_string()))?.clone();
        if claim.params != c.params {
            return Err(altered("its `params` are not those its card gives the claim".into()));
        }
        jobs.push(Job { card, claim, held_back: None });
    }
    // After the certificate is known to load, so bad input stays one line on stderr.
    let here = cert::Build::current();
    if certificate.build.git_commit != here.git_commit
        || certificate.build.cpu_features != here.cpu_features
    {
        eprintln!(
            "note: certificate built at {} with CPU features {:?}; this is {} with {:?}",
            certificate.build.git_commit,
            certificate.build.cpu_features,
            here.git_commit,
            here.cpu_features
        );
    }
    let pool = thread_pool(threads)?;
    let results = run_jobs(
        &jobs,
        |j| {
            let c =
                certificate.claims.iter().find(|c| c.theorem == j.card.id && c.claim == j.claim.id);
            c.map_or((Profile::Quick, None), |c| (c.profile, Some(c.seed)))
        },
        &pool,
        RunOptions::default(),
    );
    let mut identical = true;
    let mut text = String::new();
    for (c, r) in certificate.claims.iter().zip(&results) {
        let status = match cert::compare(c, r) {
            Comparison::Identical { results_hash } => {
                format!("bit-identical (results sha256 {results_hash})")
            }
            Comparison::Differs(why) => {
                identical = false;
                format!("DIFFERS: {why}")
            }
        };
        text += &format!(
            "{}/{} ({}, seed {}): {status}\n",
            c.theorem,
            c.claim,
            r.profile.name(),
            r.seed
        );
    }
    out(&text);
    Ok(if identical { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selected_claim_brings_its_prerequisites_transitively() {
        // A three-claim card: c requires b, b requires a.
        let text = registry::BUILTIN_CARDS
            .iter()
            .find(|(id, _)| *id == "depth-efficiency-square")
            .map(|(_, t)| *t)
            .unwrap();
        // Each edit must apply: the test means nothing if the card's text has moved on.
        let edit = |text: &str, from: &str, to: &str| {
            assert!(text.contains(from), "the edit `{from}` does not apply");
            text.replacen(from, to, 1)
        };
        let control = "control = { rival = \"width-like\" }\n";
        let second = text.match_indices("[[claims]]").nth(1).unwrap().0;
        let third = edit(&text[second..], "id = \"deep\"", "id = \"deeper\"");
        let third = edit(&third, control, &format!("{control}requires = [\"deep\"]\n"));
        let text = format!(
            "{}\n{third}",
            edit(text, control, &format!("{control}requires = [\"shallow\"]\n"))
        );
        let card = registry::load_card(&CardSource { path: "x.toml".into(), text }).unwrap();
        assert_eq!(with_prerequisites(&card, "deeper").unwrap(), ["deeper", "deep", "shallow"]);
        assert_eq!(with_prerequisites(&card, "shallow").unwrap(), ["shallow"]);
        assert!(with_prerequisites(&card, "nope").is_err());
    }
}
