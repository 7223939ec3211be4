//! Card errors a user meets with the line they are at: unknown or missing fields, a design's
//! fields, duplicate ids, prerequisites; claims with one profile; held-back claims.

use super::*;

#[test]
fn an_unknown_card_field_is_named_with_its_line() {
    let (card, o) = check_card_with(
        "depth-efficiency-square",
        "grid_log2 = 16\n",
        "grid_log2 = 16\ncolour = \"red\"\n",
    );
    let line = line_of(&card, "colour");
    assert_bad_input(
        &o,
        &["my-card.toml", &format!(":{line}:"), "field `colour`", "unknown field"],
    );
}

#[test]
fn a_card_for_a_module_that_does_not_exist_is_rejected() {
    let (card, o) = check_card_with(
        "depth-efficiency-square",
        "id = \"depth-efficiency-square\"",
        "id = \"depth-efficiency-cube\"",
    );
    let line = line_of(&card, "depth-efficiency-cube");
    assert_bad_input(
        &o,
        &[&format!("my-card.toml:{line}: field `id`"), "unknown theorem `depth-efficiency-cube`"],
    );
}

#[test]
fn a_duplicate_claim_id_is_named_with_the_line_of_the_second() {
    let (card, o) = check_card_with("depth-efficiency-square", "id = \"deep\"", "id = \"shallow\"");
    let second = std::fs::read_to_string(&card)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "id = \"shallow\"")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_bad_input(&o, &[&format!("my-card.toml:{second}:"), "claim id `shallow` appears twice"]);
}

/// `measure` picks a design whose fields are exactly its own: stage2-feature's card under stage
/// 1's selector has fields stage 1 does not know (serde names the first in key order), and
/// stage 1 without its `mean_samples` misses it. serde reads a tagged design from a buffer, so
/// its errors carry only the `[claims.params]` table's position; the card loader then finds the
/// line of the field named, or of the value quoted.
#[test]
fn a_design_with_another_designs_field_or_without_its_own_is_refused() {
    let (card, o) =
        check_card_with("depth-advantage", "measure = \"feature\"", "measure = \"subspace\"");
    let line = line_of(&card, "learned_level = 0.5");
    assert_bad_input(
        &o,
        &[&format!("my-card.toml:{line}:1: field `learned_level`: unknown field"), "kappa_min"],
    );
    let (card, o) = check_card_with("depth-advantage", "mean_samples = 65536\n", "");
    let line = params_line_before(&card, "kappa_step = 0.05");
    assert_bad_input(&o, &[&format!("my-card.toml:{line}:"), "missing field `mean_samples`"]);
    let (card, o) = check_card_with("depth-advantage", "kappa_min = 1.0", "kappa_min = \"one\"");
    let line = line_of(&card, "kappa_min = \"one\"");
    assert_bad_input(
        &o,
        &[&format!("my-card.toml:{line}:1: field `kappa_min`: invalid type: string \"one\"")],
    );
}

/// Each `measure` of `backward-feature-correction` is a type with exactly its design's fields:
/// another design's field is refused by name at its line, a missing one by name at the
/// `[claims.params]` line, and a bad value inside the tagged table keeps its key and line.
#[test]
fn a_field_of_another_bfc_design_or_a_missing_one_is_refused_by_name() {
    let bfc = "backward-feature-correction";
    let kernel = "measure = \"kernel-plateau\"\n";
    let (card, o) = check_card_with(bfc, kernel, &format!("{kernel}widths = [16, 16]\n"));
    let line = line_of(&card, kernel.trim_end()) + 1;
    assert_bad_input(
        &o,
        &[&format!("my-card.toml:{line}:"), "field `widths`", "unknown field `widths`, expected"],
    );
    let gap = "measure = \"feature-gap\"\n";
    let (card, o) = check_card_with(bfc, gap, &format!("{gap}ratio = 0.3\n"));
    let line = line_of(&card, gap.trim_end()) + 1;
    assert_bad_input(&o, &[&format!("my-card.toml:{line}:"), "unknown field `ratio`, expected"]);
    let (card, o) = check_card_with(bfc, "budget_fraction = 0.5\n", "");
    let line = line_of(&card, kernel.trim_end()) - 1;
    assert_bad_input(
        &o,
        &[&format!("my-card.toml:{line}:"), "field `budget_fraction`", "missing field"],
    );
    let (card, o) =
        check_card_with(bfc, "kernel = \"even-exponential\"", "kernel = \"odd-exponential\"");
    // serde buffers the tagged table, so the error carries only the table's span; the loader
    // finds the one key whose value the message quotes and points at that key (column 1), as
    // for `kappa_min = "one"` of depth-advantage above.
    let line = line_of(&card, "odd-exponential");
    assert_bad_input(
        &o,
        &[
            &format!("my-card.toml:{line}:1:"),
            "field `kernel`",
            "unknown variant `odd-exponential`",
        ],
    );
}

/// `feature-bias` (issue 26): a level 1 wider than the target's features and a skip weight
/// of 0 are bad input (exit 2) naming their fields and hypothesis H13.
#[test]
fn a_wide_level_one_or_a_zero_skip_of_feature_bias_is_refused_with_h13() {
    let bfc = "backward-feature-correction";
    let tail = "judged = \"correction\"";
    let (_, o) = check_card_with(
        bfc,
        &format!("skip = 1.0\nlevel_maps = \"gaussian\"\ntest_points = 4000\n{tail}"),
        &format!("skip = 0.0\nlevel_maps = \"gaussian\"\ntest_points = 4000\n{tail}"),
    );
    assert_bad_input(&o, &["params.skip", "(H13)", "κ = 0"]);
    let (_, o) = check_card_with(
        bfc,
        &format!("widths = [4, 16]\ninit_scales = [0.1, 0.3]\n# eta = step / d = 0.01\nstep = 0.16\nbatch = 32\nlevel1_steps = 8000\nschedule_steps = 16000\nskip = 1.0\nlevel_maps = \"gaussian\"\ntest_points = 4000\n{tail}"),
        &format!("widths = [8, 16]\ninit_scales = [0.1, 0.3]\n# eta = step / d = 0.01\nstep = 0.16\nbatch = 32\nlevel1_steps = 8000\nschedule_steps = 16000\nskip = 1.0\nlevel_maps = \"gaussian\"\ntest_points = 4000\n{tail}"),
    );
    assert_bad_input(&o, &["params.widths", "(H13)"]);
}

/// A claim's `measure` selects one experiment design with exactly its own fields: another
/// design's field is refused by name, and so is a missing one, with the card's line.
#[test]
fn a_kernel_barrier_design_takes_exactly_its_own_fields() {
    // `plateau_gap` belongs to the plateau design, not to the threshold claim krr-staircase-l1.
    let (card, o) = check_card_with(
        "kernel-barrier",
        "threshold_scale = \"harmonics\"",
        "threshold_scale = \"harmonics\"\nplateau_gap = 0.5",
    );
    assert_bad_input(
        &o,
        &["field `plateau_gap`", "unknown field `plateau_gap`, expected", "degree"],
    );
    // Serde reads a tagged table whole: the line is the key's, or at least the table's.
    let key = format!("my-card.toml:{}:", line_of(&card, "plateau_gap = 0.5"));
    let table = format!("my-card.toml:{}:", line_of(&card, "measure = \"threshold\"") - 1);
    let err = stderr(&o);
    assert!(err.contains(&key) || err.contains(&table), "{err}");
    // The plateau design needs its `plateau_gap`: named with the claim's [claims.params] line.
    let (card, o) = check_card_with("kernel-barrier", "plateau_gap = 0.5\n", "");
    let line = line_of(&card, "measure = \"plateau\"") - 1;
    assert_bad_input(&o, &[&format!("my-card.toml:{line}:"), "missing field `plateau_gap`"]);
}

#[test]
fn a_prerequisite_that_is_not_an_earlier_claim_is_named_with_its_line() {
    let (card, o) = check_card_with(
        "depth-efficiency-square",
        "control = { rival = \"lipschitz\" }\n[claims.params]\nmeasure = \"shallow\"",
        "control = { rival = \"lipschitz\" }\nrequires = [\"deep\"]\n[claims.params]\nmeasure = \"shallow\"",
    );
    let line = line_of(&card, "requires = [\"deep\"]");
    assert_bad_input(
        &o,
        &[
            &format!("my-card.toml:{line}:"),
            "claim `shallow` requires `deep`, which is not an earlier claim of this card",
        ],
    );
}

/// The depth-efficiency card with its second claim (`deep`) made full-profile only: its
/// `[claims.profiles.quick]` table removed.
fn card_where_deep_is_full_profile_only(dir: &Path) -> PathBuf {
    card_with(
        dir,
        "depth-efficiency-square",
        "[claims.profiles.quick]\nsizes = [1, 2, 3, 4, 5, 6, 7, 8]\ntrials = 1\n",
        "",
    )
}

#[test]
fn a_full_profile_only_claim_is_listed_not_judged_on_quick_and_runs_on_full() {
    let card = card_where_deep_is_full_profile_only(&scratch());
    let path = card.to_str().unwrap();
    let quick = thm(&["check", path]);
    assert_eq!(quick.status.code(), Some(0), "{}", stderr(&quick));
    let table = stdout(&quick);
    assert!(table.contains("shallow"), "{table}");
    assert!(!table.contains("deep  "), "deep has no verdict on quick: {table}");
    assert!(
        table.contains("not run on the quick profile (full-profile only; run with --profile full): depth-efficiency-square/deep"),
        "{table}"
    );
    let full = thm(&["check", path, "--profile", "full"]);
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    assert!(stdout(&full).contains("deep"), "{}", stdout(&full));
    assert!(!stdout(&full).contains("not run on"), "{}", stdout(&full));
    let show = stdout(&thm(&["show", path]));
    assert!(show.contains("quick       none (a full-profile-only claim)"), "{show}");
}

#[test]
fn selecting_only_full_profile_only_claims_on_quick_is_a_usage_error() {
    let o = thm(&["check", "depth-efficiency-square/nope"]);
    assert_bad_input(&o, &["nope"]);
    let o = thm(&["check", "backward-feature-correction/bfc-depth-level1"]);
    assert_bad_input(&o, &["`bfc-depth-level1`", "no quick profile", "--profile full"]);
    let dir = scratch();
    let card = card_with(
        &dir,
        "depth-efficiency-square",
        "[claims.profiles.quick]\nsizes = [2, 4, 8, 16, 32, 64]\ntrials = 1\n",
        "",
    );
    let text = std::fs::read_to_string(&card).unwrap().replacen(
        "[claims.profiles.quick]\nsizes = [1, 2, 3, 4, 5, 6, 7, 8]\ntrials = 1\n",
        "",
        1,
    );
    std::fs::write(&card, text).unwrap();
    let o = thm(&["check", card.to_str().unwrap()]);
    assert_bad_input(&o, &["nothing to run on the quick profile", "--profile full"]);
}

#[test]
fn a_quick_claim_cannot_require_a_full_profile_only_one() {
    let dir = scratch();
    let card = card_where_deep_is_full_profile_only(&dir);
    // `shallow` is first; make `deep` first-in-order irrelevant: a third claim with a quick
    // profile requiring `deep`.
    let text = std::fs::read_to_string(&card).unwrap();
    let second = text.match_indices("[[claims]]").nth(1).unwrap().0;
    let third = text[second..]
        .replacen("id = \"deep\"", "id = \"after\"", 1)
        .replacen(
            "control = { rival = \"width-like\" }\n[claims.params]",
            "control = { rival = \"width-like\" }\nrequires = [\"deep\"]\n[claims.params]",
            1,
        )
        .replacen(
            "[claims.profiles.full]",
            "[claims.profiles.quick]\nsizes = [1, 2, 3]\ntrials = 1\n[claims.profiles.full]",
            1,
        );
    std::fs::write(&card, format!("{text}\n{third}")).unwrap();
    let o = thm(&["check", card.to_str().unwrap()]);
    assert_bad_input(&o, &["claims.requires", "`after`", "`deep`", "full-profile only"]);
}

/// The held-back `barrier-growth` (version 4, the exact Funk–Hecke projection) runs with
/// `--held-back` and gives the seed-0 result its card records (inconclusive on the quick profile).
#[test]
fn the_held_back_barrier_growth_reproduces_the_result_its_card_records() {
    let o = thm(&["check", "kernel-barrier/barrier-growth", "--held-back"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(out.contains("0.92 [0.67, 1.18]"), "{out}");
    assert!(out.contains("inconclusive"), "{out}");
    assert!(stderr(&o).contains("held back from the registry"), "{}", stderr(&o));
}

#[test]
fn a_held_back_claim_runs_only_when_asked_for() {
    let o = thm(&["check", "kernel-barrier/barrier-growth"]);
    assert_bad_input(
        &o,
        &["`barrier-growth`", "held back", "theorems/kernel-barrier.toml:", "--held-back"],
    );
    let o = thm(&["check", "kernel-barrier", "--held-back"]);
    assert_bad_input(&o, &["--held-back", "ID/CLAIM", "thm show"]);
    let show = stdout(&thm(&["show", "kernel-barrier"]));
    let listed = show.split("\nheld back").nth(1).unwrap_or_default();
    assert!(listed.contains("barrier-growth") && listed.contains("--held-back"), "{show}");
    let list = stdout(&thm(&["list"]));
    assert!(list.contains("held back: barrier-growth"), "{list}");
}

/// A card checked whole names the claims it holds back under the verdict table (they do not
/// run), so the table does not read as everything that was designed; `--held-back` runs one.
#[test]
fn a_card_checked_whole_names_its_held_back_claims_and_does_not_run_them() {
    let text = builtin("depth-efficiency-square");
    let held = "\n# Held back (a test): the shallow claim on a coarser grid.\n#| [[claims]]\n\
                #| id = \"shallow-coarse\"\n#| description = \"as shallow, grid 2^10\"\n\
                #| seed = 0\n#| tolerance = 0.05\n#| tolerance_reason = \"as shallow\"\n\
                #| control = { shift = 0.5 }\n#| [claims.params]\n#| measure = \"shallow\"\n\
                #| grid_log2 = 10\n#| [claims.profiles.quick]\n#| sizes = [2, 4, 8, 16]\n\
                #| trials = 1\n";
    let path = scratch().join("held.toml");
    std::fs::write(&path, format!("{text}{held}")).unwrap();
    let o = thm(&["check", path.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(out.contains("2 claims: 2 confirmed"), "the held-back claim must not run: {out}");
    assert!(
        out.contains("held back from the registry, not run") && out.contains("/shallow-coarse"),
        "{out}"
    );
}

/// `three-level-bias` (issue 26, three levels): a judged level 3 is bad input (exit 2) naming
/// its field and hypothesis H14.
#[test]
fn a_judged_level_three_of_three_level_bias_is_refused_with_h14() {
    let (_, o) = check_card_with(
        "backward-feature-correction",
        "test_points = 4000\njudged_level = 2\n[claims.profiles.quick]",
        "test_points = 4000\njudged_level = 3\n[claims.profiles.quick]",
    );
    assert_bad_input(&o, &["params.judged_level", "(H14)"]);
}
