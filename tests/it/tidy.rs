//! Conventions as tests: the registry, cards, snapshots and modules agree both ways; random
//! generators are built only in `rng.rs`; no test can silently pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use thm::card::Profile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    crate::files_with_extension(&Path::new(ROOT).join(dir), ext)
}

/// Every `.rs` file under `dir` (relative to the crate root), at any depth, sorted.
fn rust_files(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(ROOT).join(dir), &mut out);
    out.sort();
    out
}

/// Every `.rs` file under `src/`, at any depth: the files the tidy rules scan.
fn source_files() -> Vec<PathBuf> {
    rust_files("src")
}

/// The claim tests `build.rs` generated from the cards (included by `tests/it/theorems.rs`).
fn generated_claim_tests() -> String {
    std::fs::read_to_string(concat!(env!("OUT_DIR"), "/claim_tests.rs")).unwrap()
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
    assert_eq!(on_disk, builtin, "theorems/*.toml vs the registry! lines (BUILTIN_CARDS)");
    assert_eq!(builtin, modules, "registry::BUILTIN_CARDS vs registry::THEOREMS");
    for id in &modules {
        let card = thm::registry::builtin_card(id).unwrap();
        assert_eq!(&card.id, id, "a card's id is its file stem");
        let module = theorem_module(id);
        assert!(module.exists(), "{id}: no module {module:?}");
    }
    assert_eq!(theorem_modules_on_disk(), modules, "src/theorems/ vs registry::THEOREMS");
}

/// Snapshots that belong to no claim: each is named by the test that writes it (`coverage.rs`:
/// the verdict rates of both judges on biased laws).
const HARNESS_SNAPSHOTS: [(&str, &str); 1] =
    [("coverage__verdict-rates.snap", "tests/it/coverage.rs")];

/// Every claim × profile of every registered card, as its snapshot's file name.
fn live_snapshots() -> BTreeSet<String> {
    let mut live = BTreeSet::new();
    for card in thm::registry::builtin_cards().unwrap() {
        for claim in &card.claims {
            for p in Profile::ALL.into_iter().filter(|&p| claim.runs_on(p)) {
                live.insert(format!("{}__{}@{}.snap", card.id, claim.id, p.name()));
            }
        }
    }
    live
}

/// Snapshots and claims agree both ways: a snapshot of no claim × profile of a card is dead, a
/// claim × profile without a snapshot is untested.
#[test]
fn every_claim_has_a_snapshot_and_every_snapshot_is_live() {
    let mut live = live_snapshots();
    for (snap, test) in HARNESS_SNAPSHOTS {
        let source = std::fs::read_to_string(Path::new(ROOT).join(test)).unwrap();
        if source.contains(snap.trim_end_matches(".snap")) {
            live.insert(snap.to_string());
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(Path::new(ROOT).join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    let dead: Vec<_> = on_disk.difference(&live).collect();
    let missing: Vec<_> = live.difference(&on_disk).collect();
    assert!(
        dead.is_empty() && missing.is_empty(),
        "snapshots/ of no claim × profile of a card: {dead:?}; claims × profiles without a \
         snapshot (generate it: INSTA_UPDATE=always cargo test --release, then review): \
         {missing:?}"
    );
}

/// The tests `build.rs` generates from the cards' TOML are exactly one per claim × profile the
/// loaded cards run on, each named `<theorem>_<claim>_<profile>` (snake case), a full one
/// ignored with [`FULL_PROFILE_IGNORE`].
#[test]
fn every_claim_and_profile_has_its_generated_test() {
    let text = generated_claim_tests();
    let ignored: BTreeSet<&str> = full_profile_tests(&text).into_iter().collect();
    let generated: BTreeSet<String> = text
        .split("fn ")
        .skip(1)
        .map(|after| after.split('(').next().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = live_snapshots()
        .iter()
        .map(|snap| {
            let (stem, profile) = snap.trim_end_matches(".snap").split_once('@').unwrap();
            let (theorem, claim) = stem.split_once("__").unwrap();
            format!("{}_{}_{profile}", theorem.replace('-', "_"), claim.replace('-', "_"))
        })
        .collect();
    assert_eq!(generated, expected, "build.rs's claim tests vs the cards' claims × profiles");
    let full: BTreeSet<&str> =
        expected.iter().map(String::as_str).filter(|n| n.ends_with("_full")).collect();
    assert_eq!(ignored, full, "the ignored generated tests are exactly the full-profile ones");
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

/// The one reason a test may be ignored: it runs a full profile (minutes), which the claim
/// tests `build.rs` generates leave to `cargo test --release -- --ignored`.
const FULL_PROFILE_IGNORE: &str =
    "#[ignore = \"full profile (minutes): cargo test --release -- --ignored\"]";

#[test]
fn no_test_is_ignored_or_expects_a_panic() {
    for path in rust_files("tests").into_iter().chain(source_files()) {
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in ["#[ignore", "#[should_panic"] {
            let needle = banned.to_string();
            let count = text.matches(&needle).count();
            let quoted = text.matches(&format!("\"{needle}")).count();
            assert_eq!(count, quoted, "{path:?} contains {banned}]");
        }
    }
    let generated = generated_claim_tests();
    let ignores = generated.matches("#[ignore").count();
    assert_eq!(ignores, full_profile_tests(&generated).len(), "an ignore of another reason");
    assert!(!generated.contains("#[should_panic"));
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

/// No source, test, bench or example file grows past 800 lines: split it by concern.
#[test]
fn no_rust_file_is_over_800_lines() {
    let long: Vec<String> = ["src", "tests", "benches", "examples"]
        .into_iter()
        .flat_map(rust_files)
        .filter_map(|path| {
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            let name = path.strip_prefix(ROOT).unwrap().display().to_string();
            (lines > 800).then(|| format!("{name} ({lines} lines)"))
        })
        .collect();
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
}

/// The layers point one way: `numerics` (dense algebra) knows nothing of learners,
/// simulations, the harness or theorems; `learn` (estimators) nothing of simulations, the
/// harness or theorems. Checked on every `crate::…` path outside comments.
#[test]
fn lower_layers_do_not_reach_up() {
    let rules: [(&str, &[&str]); 2] = [
        ("src/numerics", &["learn", "sim", "check", "theorems"]),
        ("src/learn", &["sim", "check", "theorems"]),
    ];
    let mut broken = Vec::new();
    for (dir, banned) in rules {
        for path in rust_files(dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap();
                for module in banned {
                    let reaches = code.match_indices(&format!("crate::{module}")).any(|(at, m)| {
                        let next = code[at + m.len()..].chars().next();
                        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    });
                    if reaches {
                        let name = path.strip_prefix(ROOT).unwrap().display().to_string();
                        broken.push(format!("{name}:{}: uses crate::{module}", i + 1));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "a lower layer reaches up: {broken:?}");
}
