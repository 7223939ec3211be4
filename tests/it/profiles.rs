//! A claim carries the profiles it needs, at least one: a quick-only claim runs on quick and
//! is listed as not run on full, a full-only claim the other way round, and a claim with
//! neither is refused with an error that names it and the field `profiles`.

use std::path::PathBuf;
use std::process::{Command, Output};
use thm::card::{CardSource, Profile};
use thm::verdict::Verdict;

const CARD: &str = "depth-efficiency-square";

fn thm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thm")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The built-in card with the `[claims.profiles.<profile>]` table of each claim in `claims`
/// removed (up to the next table or the end), whatever its sizes and trials.
fn card_without(claims: &[(&str, Profile)]) -> String {
    let text = thm::registry::BUILTIN_CARDS.iter().find(|(id, _)| *id == CARD).unwrap().1;
    let mut out = String::new();
    let (mut claim, mut skipping, mut removed) = (String::new(), false, 0);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            skipping = claims
                .iter()
                .any(|(c, p)| *c == claim && trimmed == format!("[claims.profiles.{}]", p.name()));
            removed += usize::from(skipping);
        }
        if let Some(id) = trimmed.strip_prefix("id = \"") {
            claim = id.trim_end_matches('"').to_string();
        }
        if !skipping {
            out.push_str(line);
        }
    }
    assert_eq!(removed, claims.len(), "not every table of {claims:?} is in {CARD}");
    out
}

/// Writes a card into a fresh directory and returns its path.
fn write(text: &str) -> PathBuf {
    let path = crate::scratch_dir("profiles").join("my-card.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn load(text: String) -> thm::theorem::LoadedCard {
    thm::registry::load_card(&CardSource { path: "my-card.toml".into(), text }).unwrap()
}

fn assert_bad_input(o: &Output, must_contain: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    for m in must_contain {
        assert!(err.contains(m), "`{m}` not in: {err}");
    }
    assert!(stdout(o).is_empty(), "{}", stdout(o));
}

#[test]
fn a_quick_only_claim_runs_on_quick_and_is_listed_as_not_run_on_full() {
    let text = card_without(&[("deep", Profile::Full)]);
    let card = load(text.clone());
    let deep = card.claim("deep").unwrap();
    assert!(deep.runs_on(Profile::Quick) && !deep.runs_on(Profile::Full));
    let r = thm::check::run_claim(&card, deep, Profile::Full, None, &|| {});
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(
        r.outcome.reason.starts_with(
            "no full profile: a quick-profile-only claim (run it with --profile quick)"
        ),
        "{}",
        r.outcome.reason
    );
    assert!(r.observations.is_empty() && r.sizes.is_empty() && r.trials == 0);

    let path = write(&text);
    let path = path.to_str().unwrap();
    let quick = thm(&["check", path]);
    assert_eq!(quick.status.code(), Some(0), "{}", stderr(&quick));
    assert!(stdout(&quick).contains("deep"), "{}", stdout(&quick));
    assert!(!stdout(&quick).contains("not run on"), "{}", stdout(&quick));
    let full = thm(&["check", path, "--profile", "full"]);
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    let table = stdout(&full);
    assert!(table.contains("shallow"), "{table}");
    assert!(!table.contains("deep  "), "deep has no verdict on full: {table}");
    assert!(
        table.contains(&format!(
            "not run on the full profile (quick-profile only; run with --profile quick): \
             {CARD}/deep"
        )),
        "{table}"
    );
    let show = stdout(&thm(&["show", path]));
    assert!(show.contains("full        none (a quick-profile-only claim)"), "{show}");
}

#[test]
fn a_full_only_claim_runs_on_full_and_is_listed_as_not_run_on_quick() {
    let text = card_without(&[("deep", Profile::Quick)]);
    let card = load(text.clone());
    let deep = card.claim("deep").unwrap();
    assert!(!deep.runs_on(Profile::Quick) && deep.runs_on(Profile::Full));
    let full = thm::check::run_claim(&card, deep, Profile::Full, None, &|| {});
    assert_eq!(full.outcome.verdict, Verdict::Confirmed, "{}", full.outcome.reason);

    let path = write(&text);
    let path = path.to_str().unwrap();
    let quick = thm(&["check", path]);
    assert_eq!(quick.status.code(), Some(0), "{}", stderr(&quick));
    assert!(
        stdout(&quick).contains(&format!(
            "not run on the quick profile (full-profile only; run with --profile full): \
             {CARD}/deep"
        )),
        "{}",
        stdout(&quick)
    );
    let show = stdout(&thm(&["show", path]));
    assert!(show.contains("quick       none (a full-profile-only claim)"), "{show}");

    // Every claim full-only: nothing to run on quick is a usage error, one line.
    let all_full = write(&card_without(&[("shallow", Profile::Quick), ("deep", Profile::Quick)]));
    let o = thm(&["check", all_full.to_str().unwrap()]);
    assert_bad_input(&o, &["nothing to run on the quick profile", "--profile full"]);
}

#[test]
fn a_claim_with_neither_profile_is_refused_naming_profiles() {
    let text = card_without(&[("deep", Profile::Quick), ("deep", Profile::Full)]);
    let path = write(&text);
    let o = thm(&["check", path.to_str().unwrap()]);
    let line = text.lines().position(|l| l.trim() == "id = \"deep\"").unwrap() + 1;
    assert_bad_input(
        &o,
        &[&format!("my-card.toml:{line}:"), "profiles", "claim `deep`", "no profile"],
    );
    assert_bad_input(&thm(&["show", path.to_str().unwrap()]), &["profiles", "claim `deep`"]);
}

#[test]
fn a_full_claim_cannot_require_a_quick_only_one() {
    let text = card_without(&[("shallow", Profile::Full)]).replacen(
        "id = \"deep\"\n",
        "id = \"deep\"\nrequires = [\"shallow\"]\n",
        1,
    );
    let o = thm(&["check", write(&text).to_str().unwrap()]);
    assert_bad_input(
        &o,
        &["claims.requires", "`deep` has a full profile", "`shallow`", "quick-profile only"],
    );
}

/// Units fetched one by one, in any order, assemble to the bits of `run_claim`.
#[test]
fn units_run_out_of_order_assemble_to_the_same_bits() {
    let card = thm::registry::builtin_card(CARD).unwrap();
    let claim = card.claim("shallow").unwrap();
    let run = thm::check::ClaimRun::new(&card, claim, Profile::Quick, Some(7)).unwrap();
    let units = run.units();
    assert_eq!(units.len(), run.sizes().len() * run.sweep().trials as usize);
    let mut records: Vec<_> = units.iter().rev().map(|&u| (u, run.run_unit(u))).collect();
    records.sort_by_key(|(u, _)| *u);
    let records = records.into_iter().map(|(_, r)| r).collect();
    let assembled = run.assemble_units(records).unwrap();
    let direct = thm::check::run_claim(&card, claim, Profile::Quick, Some(7), &|| {});
    assert_eq!(assembled, direct);
    assert!(run.assemble_units(Vec::new()).is_err(), "a missing unit is an error");
}
