//! Conventions as tests: the registry, cards, snapshots and modules agree both ways; random
//! generators are built only in `rng.rs`; no test can silently pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use thm::card::Profile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Every `.rs` file under `src/`, at any depth: the files the tidy rules scan.
fn source_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(ROOT).join("src"), &mut out);
    out.sort();
    out
}

/// The module of theorem `id`: `src/theorems/<id>.rs`, or `src/theorems/<id>/mod.rs` for a
/// theorem split into files (its docs are in `mod.rs`).
fn theorem_module(id: &str) -> PathBuf {
    let dir = Path::new(ROOT).join("src/theorems");
    let file = dir.join(format!("{}.rs", id.replace('-', "_")));
    if file.exists() {
        file
    } else {
        dir.join(id.replace('-', "_")).join("mod.rs")
    }
}

/// The theorem ids that have a module under `src/theorems/` (a file or a directory).
fn theorem_modules_on_disk() -> BTreeSet<String> {
    std::fs::read_dir(Path::new(ROOT).join("src/theorems"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| stem(&p))
        .filter(|s| s != "mod")
        .map(|s| s.replace('_', "-"))
        .collect()
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn cards_registry_and_modules_match_both_ways() {
    let on_disk: BTreeSet<String> = files("theorems", "toml").iter().map(|p| stem(p)).collect();
    let builtin: BTreeSet<String> =
        thm::registry::BUILTIN_CARDS.iter().map(|(id, _)| id.to_string()).collect();
    let modules: BTreeSet<String> =
        thm::registry::THEOREMS.iter().map(|t| t.id().to_string()).collect();
    assert_eq!(on_disk, builtin, "theorems/*.toml vs registry::BUILTIN_CARDS");
    assert_eq!(builtin, modules, "registry::BUILTIN_CARDS vs registry::THEOREMS");
    for id in &modules {
        let card = thm::registry::builtin_card(id).unwrap();
        assert_eq!(&card.id, id, "a card's id is its file stem");
        let module = theorem_module(id);
        assert!(module.exists(), "{id}: no module {module:?}");
    }
    assert_eq!(theorem_modules_on_disk(), modules, "src/theorems/ vs registry::THEOREMS");
}

#[test]
fn every_claim_is_tested_and_every_snapshot_is_live() {
    let mut live = BTreeSet::new();
    let mut claims = BTreeSet::new();
    for card in thm::registry::builtin_cards().unwrap() {
        for claim in &card.claims {
            claims.insert((card.id.clone(), claim.id.clone()));
            for p in Profile::ALL.into_iter().filter(|&p| claim.runs_on(p)) {
                live.insert(format!("{}__{}@{}.snap", card.id, claim.id, p.name()));
            }
        }
    }
    let tested: BTreeSet<(String, String)> =
        super::theorems::CLAIMS.iter().map(|(t, c)| (t.to_string(), c.to_string())).collect();
    assert_eq!(tested, claims, "tests/it/theorems.rs::CLAIMS vs the cards");
    let on_disk: BTreeSet<String> = files("snapshots", "snap")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let stale: Vec<_> = on_disk.difference(&live).collect();
    assert!(stale.is_empty(), "snapshots of no live claim: {stale:?}");
    let missing: Vec<_> = live.difference(&on_disk).collect();
    assert!(missing.is_empty(), "claims without a committed snapshot: {missing:?}");
}

#[test]
fn theorem_modules_document_statement_prediction_simulation_and_references() {
    for id in theorem_modules_on_disk() {
        let path = theorem_module(&id);
        let text = std::fs::read_to_string(&path).unwrap();
        for section in [
            "//! ## Statement",
            "//! ## Prediction",
            "//! ## Simulation",
            "//! ## Deviations from the source",
            "//! ## References",
        ] {
            assert!(text.contains(section), "{path:?} lacks `{section}`");
        }
        let card = thm::registry::builtin_card(&id).unwrap();
        let arxiv = card.citation.arxiv.split('v').next().unwrap();
        // A source without an arXiv id is cited by its title (`arXiv:` alone would match any
        // other reference).
        let cited =
            if arxiv.is_empty() { card.citation.title.clone() } else { format!("arXiv:{arxiv}") };
        let references = &text[text.find("//! ## References").unwrap()..];
        assert!(
            references.contains(&cited),
            "{path:?}: the references section does not cite `{cited}` as the card does"
        );
    }
}

#[test]
fn random_generators_are_built_only_in_rng_rs() {
    for path in source_files() {
        if path.ends_with("src/rng.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in [
            "thread_rng",
            "StdRng",
            "SmallRng",
            "rand::random",
            "rand::rng()",
            "from_entropy",
            "from_os_rng",
            "seed_from_u64",
            "from_seed",
        ] {
            assert!(!text.contains(banned), "{path:?} uses `{banned}`: derive streams in rng.rs");
        }
    }
}

/// The one reason a test may be ignored: it runs a full profile (minutes), which
/// `tests/it/theorems.rs` leaves to `cargo test --release -- --ignored`.
pub const FULL_PROFILE_IGNORE: &str =
    "#[ignore = \"full profile (minutes): cargo test --release -- --ignored\"]";

#[test]
fn no_test_is_ignored_or_expects_a_panic() {
    for path in files("tests/it", "rs").into_iter().chain(source_files()) {
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in ["#[ignore", "#[should_panic"] {
            let needle = banned.to_string();
            let mut count = text.matches(&needle).count();
            let quoted = text.matches(&format!("\"{needle}")).count();
            if banned == "#[ignore" && path.ends_with("tests/it/theorems.rs") {
                count -= full_profile_tests(&text).len();
            }
            assert_eq!(count, quoted, "{path:?} contains {banned}]");
        }
    }
}

/// The names of the tests carrying [`FULL_PROFILE_IGNORE`], which must all end in `_full`.
fn full_profile_tests(text: &str) -> Vec<&str> {
    text.split(FULL_PROFILE_IGNORE)
        .skip(1)
        .map(|after| {
            let name = after.trim_start().trim_start_matches("fn ").split('(').next().unwrap();
            assert!(name.ends_with("_full"), "{name} is ignored but is not a full-profile test");
            name
        })
        .collect()
}

/// A quick test for every claim with a quick profile and none for a full-profile-only claim
/// (it would only snapshot "not run"); an ignored full test for every claim.
#[test]
fn every_claim_has_a_quick_and_a_full_test() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/it/theorems.rs")).unwrap();
    let ignored = full_profile_tests(&text);
    for (theorem, claim) in super::theorems::CLAIMS {
        let stem = format!("{}_{}", theorem.replace('-', "_"), claim.replace('-', "_"));
        let quick = format!("fn {stem}_quick()");
        let card = thm::registry::builtin_card(theorem).unwrap();
        if card.claim(claim).unwrap().runs_on(Profile::Quick) {
            assert!(
                text.contains(&format!("#[test]\n{quick}")),
                "no test `{stem}_quick` in tests/it/theorems.rs"
            );
        } else {
            assert!(!text.contains(&quick), "`{claim}` is full-profile only: no `{stem}_quick`");
        }
        let full = format!("{stem}_full");
        assert!(ignored.contains(&full.as_str()), "no ignored test `{full}` in theorems.rs");
    }
}

#[test]
fn rng_crates_are_pinned_as_certificates_say() {
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    for (name, version) in thm::cert::RNG_CRATES {
        let pinned = manifest
            .lines()
            .any(|l| l.starts_with(&format!("{name} ")) && l.contains(&format!("\"={version}\"")));
        assert!(pinned, "Cargo.toml does not pin {name} = \"={version}\"");
    }
}

/// A held-back claim is kept in its card as `#| ` lines so a reader can run it (`thm check
/// ID/CLAIM --held-back`); the lines must still make a valid card for the module (or the
/// invitation to run them is stale), under an id the registry's card does not use.
#[test]
fn held_back_claims_in_cards_still_load() {
    let mut seen = 0;
    for (id, _) in thm::registry::BUILTIN_CARDS {
        let registered = thm::registry::builtin_card(id).unwrap();
        for held in thm::registry::held_back(id).unwrap() {
            assert!(
                !held.claim.is_empty(),
                "{id}: the held-back block at line {} has no id",
                held.line
            );
            assert!(
                registered.claim(&held.claim).is_err(),
                "{id}: held-back `{}` shares its id with a registered claim",
                held.claim
            );
            let card = thm::registry::held_back_card(id, &held.claim).unwrap_or_else(|e| {
                panic!("the held-back claim `{}` of {id} no longer loads: {e}", held.claim)
            });
            assert_eq!(card.claims.len(), 1);
            seen += 1;
        }
    }
    assert!(seen > 0, "no held-back claim found: has the `#| ` convention changed?");
}
