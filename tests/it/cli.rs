//! The command line as a new user meets it: bad input of every kind gets a one-line error that
//! names what is wrong and where, exit code 2, no panic and no output file; good input gets
//! results that are reproducible byte for byte.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn thm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thm")).args(args).output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh empty directory under the system's temp dir.
fn scratch() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "thm-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn builtin(id: &str) -> String {
    let text = thm::registry::BUILTIN_CARDS.iter().find(|(i, _)| *i == id).unwrap().1;
    if id != "depth-advantage" {
        return text.to_string();
    }
    // Stages 2 and 3 and the kernel gap are held back (stop 28): their `#| ` lines restored,
    // the edits below still reach those designs (every edit here is refused at load).
    let restored =
        text.lines().map(|l| l.strip_prefix("#| ").unwrap_or(if l == "#|" { "" } else { l }));
    restored.collect::<Vec<_>>().join("\n") + "\n"
}

/// Writes a built-in card with one edit, asserting that the edit applies.
fn card_with(dir: &Path, id: &str, from: &str, to: &str) -> PathBuf {
    let text = builtin(id);
    assert!(text.contains(from), "the edit `{from}` does not apply");
    let path = dir.join("my-card.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// Checks a built-in card with one edit; returns the card's path and the run.
fn check_card_with(id: &str, from: &str, to: &str) -> (PathBuf, Output) {
    let card = card_with(&scratch(), id, from, to);
    let o = thm(&["check", card.to_str().unwrap()]);
    (card, o)
}

/// The depth-efficiency card with `deep` requiring `shallow`, and a zero tolerance for
/// `shallow`, which therefore cannot be confirmed (its interval is not a single point).
fn card_where_deep_requires_an_unconfirmed_shallow() -> PathBuf {
    let card = card_with(
        &scratch(),
        "depth-efficiency-square",
        "control = { shift = 0.5 }\n[claims.params]\nmeasure = \"deep\"",
        "control = { shift = 0.5 }\nrequires = [\"shallow\"]\n[claims.params]\nmeasure = \"deep\"",
    );
    let text =
        std::fs::read_to_string(&card).unwrap().replacen("tolerance = 0.05", "tolerance = 0.0", 1);
    std::fs::write(&card, text).unwrap();
    card
}

fn line_of(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path).unwrap().lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// The line of the `[claims.params]` header of the claim whose parameters hold `needle`.
fn params_line_before(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = line_of(path, needle) - 1;
    lines[..at].iter().rposition(|l| l.trim() == "[claims.params]").unwrap() + 1
}

/// Bad input: exit 2, one line on stderr starting with `error:`, nothing on stdout, no panic.
fn assert_bad_input(o: &Output, must_contain: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    for m in must_contain {
        assert!(err.contains(m), "`{m}` missing from: {err}");
    }
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(o));
}

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
fn a_missing_field_is_named() {
    let (_, o) = check_card_with("depth-efficiency-square", "grid_log2 = 16\n", "");
    assert_bad_input(&o, &["my-card.toml:", "missing field `grid_log2`"]);
}

#[test]
fn dimension_zero_violates_a_hypothesis() {
    let (_, o) = check_card_with("information-exponent", "sizes = [64, 91,", "sizes = [0, 64, 91,");
    assert_bad_input(&o, &["claim `k1`", "profiles.quick.sizes", "d ≥ 2", "d = 0"]);
}

#[test]
fn information_exponent_zero_violates_a_hypothesis() {
    let (card, o) = check_card_with(
        "information-exponent",
        "information_exponent = 1",
        "information_exponent = 0",
    );
    let line = line_of(&card, "information_exponent = 0");
    assert_bad_input(
        &o,
        &[&format!("line {line}"), "field `params.information_exponent`", "k = 0"],
    );
}

#[test]
fn a_negative_tolerance_is_rejected() {
    let (_, o) =
        check_card_with("depth-efficiency-square", "tolerance = 0.05", "tolerance = -0.05");
    assert_bad_input(&o, &["field `tolerance`", "finite number ≥ 0", "-0.05"]);
}

#[test]
fn a_wrongly_typed_value_is_named() {
    let dir = scratch();
    let card =
        card_with(&dir, "depth-efficiency-square", "grid_log2 = 16", "grid_log2 = \"sixteen\"");
    let o = thm(&["check", card.to_str().unwrap()]);
    assert_bad_input(&o, &["my-card.toml:", "grid_log2"]);
}

#[test]
fn an_unknown_theorem_id_gets_a_suggestion() {
    let o = thm(&["check", "information-exponnet"]);
    assert_bad_input(
        &o,
        &["unknown theorem `information-exponnet`", "did you mean `information-exponent`"],
    );
    let o = thm(&["show", "no-such-theorem"]);
    assert_bad_input(&o, &["unknown theorem `no-such-theorem`", "known theorems:"]);
}

#[test]
fn an_unknown_claim_is_named() {
    let o = thm(&["check", "information-exponent/k9"]);
    assert_bad_input(&o, &["no claim `k9`", "k1, k2, k3"]);
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
fn an_unreadable_card_is_an_error() {
    let o = thm(&["check", "no/such/card.toml"]);
    assert_bad_input(&o, &["no/such/card.toml"]);
}

#[test]
fn zero_threads_is_a_usage_error() {
    let o = thm(&["check", "depth-efficiency-square", "--threads", "0"]);
    assert_bad_input(&o, &["--threads must be at least 1"]);
}

#[test]
fn bad_input_writes_no_certificate() {
    let dir = scratch();
    let card = card_with(&dir, "depth-efficiency-square", "tolerance = 0.05", "tolerance = -1.0");
    let cert = dir.join("out.json");
    let o = thm(&["check", card.to_str().unwrap(), "--cert", cert.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!cert.exists());
    let missing_dir = dir.join("no-such-dir").join("out.json");
    let o = thm(&["check", "depth-efficiency-square", "--cert", missing_dir.to_str().unwrap()]);
    assert_bad_input(&o, &["no-such-dir"]);
    assert!(!missing_dir.exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "only the card is left in {dir:?}");
}

#[test]
fn a_certificate_reproduces_bit_for_bit() {
    let dir = scratch();
    let cert = dir.join("cert.json");
    let o = thm(&[
        "check",
        "depth-efficiency-square",
        "information-exponent/k1",
        "--cert",
        cert.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = thm(&["reproduce", cert.to_str().unwrap(), "--threads", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("bit-identical").count(), 3, "{out}");
}

#[test]
fn an_altered_certificate_reports_the_first_difference() {
    let dir = scratch();
    let cert = dir.join("cert.json");
    let o = thm(&["check", "information-exponent/k1", "--cert", cert.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    let obs = &mut json["claims"][0]["result"]["observations"][2][5]["value"];
    *obs = serde_json::json!(obs.as_f64().unwrap() + 1.0);
    std::fs::write(&cert, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let o = thm(&["reproduce", cert.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("first difference at size 128 trial 5"), "{}", stdout(&o));
}

#[test]
fn a_corrupted_certificate_is_rejected() {
    let dir = scratch();
    let cert = dir.join("cert.json");
    std::fs::write(&cert, "{\"format_version\": 1, \"build\": ").unwrap();
    let o = thm(&["reproduce", cert.to_str().unwrap()]);
    assert_bad_input(&o, &["certificate", "cert.json", "not valid JSON at line 1"]);
}

#[test]
fn a_certificate_with_an_altered_card_is_rejected() {
    let dir = scratch();
    let cert = dir.join("cert.json");
    assert_eq!(
        thm(&["check", "depth-efficiency-square/deep", "--cert", cert.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let text =
        std::fs::read_to_string(&cert).unwrap().replacen("grid_log2 = 16", "grid_log2 = 17", 1);
    std::fs::write(&cert, text).unwrap();
    let o = thm(&["reproduce", cert.to_str().unwrap()]);
    assert_bad_input(&o, &["does not match its SHA-256"]);
}

#[test]
fn a_certificate_from_another_version_is_rejected() {
    let dir = scratch();
    let cert = dir.join("cert.json");
    assert_eq!(
        thm(&["check", "depth-efficiency-square/deep", "--cert", cert.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let text = std::fs::read_to_string(&cert).unwrap();
    let here = format!("\"thm_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&here));
    std::fs::write(&cert, text.replacen(&here, "\"thm_version\": \"0.0.1\"", 1)).unwrap();
    let o = thm(&["reproduce", cert.to_str().unwrap()]);
    assert_bad_input(&o, &["written by thm 0.0.1", env!("CARGO_PKG_VERSION")]);
}

#[test]
fn json_output_is_byte_identical_across_runs_and_thread_counts() {
    let a = thm(&[
        "check",
        "depth-efficiency-square",
        "information-exponent/k1",
        "--json",
        "--threads",
        "1",
    ]);
    let b = thm(&[
        "check",
        "depth-efficiency-square",
        "information-exponent/k1",
        "--json",
        "--threads",
        "2",
    ]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let records: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    for key in [
        "theorem",
        "claim",
        "predicted",
        "fitted",
        "ci_low",
        "ci_high",
        "tolerance",
        "verdict",
        "control_verdict",
        "seed",
    ] {
        assert!(records[0].get(key).is_some(), "missing key {key}");
    }
    assert_eq!(records.as_array().unwrap().len(), 3);
}

#[test]
fn plots_are_written_one_per_claim() {
    let dir = scratch();
    let figs = dir.join("figs");
    let o = thm(&["check", "depth-efficiency-square", "--plot", figs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for claim in ["shallow", "deep"] {
        let svg = std::fs::read_to_string(
            figs.join(format!("depth-efficiency-square__{claim}@quick.svg")),
        )
        .unwrap();
        assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "{claim}");
        assert!(svg.contains("predicted") && svg.contains("fitted"));
    }
}

#[test]
fn a_claim_that_is_not_confirmed_exits_with_one() {
    // A level of 0.99 within a budget of one d^1 step: every trial is right-censored.
    let dir = scratch();
    let card = card_with(
        &dir,
        "information-exponent",
        "overlap_threshold = 0.5\nstep_budget = 100.0",
        "overlap_threshold = 0.99\nstep_budget = 1.0",
    );
    // Keep only the first claim (k1), so the test stays fast.
    let text = std::fs::read_to_string(&card).unwrap();
    let second = text.match_indices("[[claims]]").nth(1).unwrap().0;
    std::fs::write(&card, &text[..second]).unwrap();
    let o = thm(&["check", &format!("{}", card.display())]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("inconclusive: right-censored"), "{}", stdout(&o));
}

#[test]
fn show_states_hypotheses_and_the_predicted_law() {
    let o = thm(&["show", "information-exponent"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for needle in ["(H1)", "arXiv:2003.10409", "n* ~ d log d", "n* ~ d^2", "control"] {
        assert!(out.contains(needle), "`{needle}` missing from show");
    }
}

#[test]
fn show_says_which_claims_share_their_draws_across_sizes() {
    let o = thm(&["show", "lazy-training"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let shared: Vec<&str> = out.lines().filter(|l| l.contains("shared by every size")).collect();
    // rate-deviation's quick and full sweeps, and nothing else.
    assert_eq!(shared.len(), 2, "{out}");
    assert!(shared.iter().all(|l| l.contains("m = [4096")), "{shared:?}");
}

#[test]
fn help_explains_the_exit_codes() {
    let o = thm(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Exit codes"));
    let o = thm(&["check", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
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

#[test]
fn a_claim_named_twice_runs_once() {
    let o = thm(&["check", "depth-efficiency-square", "depth-efficiency-square/deep", "--json"]);
    let records: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(records.as_array().unwrap().len(), 2);
}

#[test]
fn a_kernel_degree_beyond_the_budget_says_how_many_samples_it_would_need() {
    // Degree 3 at d = 64 needs 2 N_3(64) = 95,680 samples: refused before any simulation.
    let (_, o) =
        check_card_with("kernel-barrier", "sizes = [6, 8, 11, 16, 23]", "sizes = [8, 16, 64]");
    assert_bad_input(
        &o,
        &["claim `krr-staircase-l3`", "params.sample_budget", "degree 3 at d = 64", "95680"],
    );
}

#[test]
fn a_zero_ridge_is_rejected_before_the_kernel_matrix_turns_singular() {
    let (_, o) = check_card_with("kernel-barrier", "relative_ridge = 1e-2", "relative_ridge = 0.0");
    assert_bad_input(&o, &["params.relative_ridge", "singular"]);
}

#[test]
fn a_dimension_too_small_for_the_sphere_is_rejected() {
    let (_, o) = check_card_with(
        "kernel-barrier",
        "sizes = [6, 8, 11, 16, 23]",
        "sizes = [2, 8, 11, 16, 23]",
    );
    assert_bad_input(&o, &["claim `krr-staircase-l3`", "d ≥ 4", "d = 2"]);
}

#[test]
fn a_relu_kernel_cannot_be_asked_for_degree_three() {
    // The ReLU kernels' odd part is s/4: no mass in degree 3 at any d, so no n learns it.
    let text = builtin("kernel-barrier");
    let at = text.find("id = \"krr-staircase-l3\"").unwrap();
    let (head, tail) = text.split_at(at);
    let path = scratch().join("my-card.toml");
    let edited = tail.replacen("kernel = \"exponential\"", "kernel = \"relu-ntk\"", 1);
    std::fs::write(&path, format!("{head}{edited}")).unwrap();
    let o = thm(&["check", path.to_str().unwrap()]);
    assert_bad_input(&o, &["params.kernel", "relu-ntk", "no n learns degree 3"]);
}

#[test]
fn gamma_one_for_ridgeless_regression_is_refused_as_infinite_risk() {
    let (_, o) = check_card_with("double-descent", "0.95, 1.05", "0.95, 1.0, 1.05");
    assert_bad_input(
        &o,
        &["claim `variance-below`", "params.panel_gammas", "(H4)", "γ = 1", "infinite"],
    );
}

#[test]
fn a_distance_zero_to_the_threshold_is_refused_as_infinite_risk() {
    let (_, o) = check_card_with(
        "double-descent",
        "sizes = [9, 13, 19, 27, 39, 56, 79, 99]",
        "sizes = [0, 13, 19, 27, 39, 56, 79, 99]",
    );
    assert_bad_input(&o, &["claim `variance-below`", "(H0)", "p = n - 1 = 199", "infinite"]);
}

#[test]
fn noiseless_double_descent_is_refused() {
    let (_, o) = check_card_with("double-descent", "noise = 0.25", "noise = 0.0");
    assert_bad_input(&o, &["params.noise", "(H2)", "σ² = 0"]);
}

#[test]
fn a_dimension_without_an_integer_hidden_dimension_names_the_admissible_ones() {
    let (_, o) = check_card_with(
        "depth-advantage",
        "sizes = [64, 100, 144, 196, 256]",
        "sizes = [64, 100, 150, 196, 256]",
    );
    assert_bad_input(&o, &["claim `stage1-subspace-eps-half`", "sizes", "d = 150", "144 and 169"]);
}

#[test]
fn an_epsilon_outside_the_unit_interval_is_rejected() {
    let (_, o) = check_card_with("depth-advantage", "epsilon = 0.5", "epsilon = 1.5");
    assert_bad_input(&o, &["params.epsilon", "0 < ε < 1", "1.5"]);
}

#[test]
fn a_feature_without_information_exponent_two_is_rejected() {
    // k < 2, or a linear term: Ass. 1 wants P_k to start at He_2.
    for degrees in ["[1]", "[1, 2, 3]", "[3]"] {
        let (_, o) = check_card_with(
            "depth-advantage",
            "feature_degrees = [2, 3]",
            &format!("feature_degrees = {degrees}"),
        );
        assert_bad_input(&o, &["params.feature_degrees", "information exponent exactly 2"]);
    }
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

#[test]
fn a_stage_two_design_out_of_range_names_h9() {
    let (_, o) =
        check_card_with("depth-advantage", "relative_ridge = 1e-2", "relative_ridge = 0.0");
    assert_bad_input(&o, &["params.relative_ridge", "(H9)", "r = 0"]);
    // d = 196: d_eff = 14, 4 C(18, 4) = 12240 samples, over one Gram matrix's 8000.
    let (_, o) = check_card_with(
        "depth-advantage",
        "sizes = [25, 36, 49, 64, 81, 100]",
        "sizes = [25, 36, 49, 64, 81, 196]",
    );
    assert_bad_input(&o, &["params.sample_budget", "(H9)", "d = 196", "12240 samples"]);
    let (_, o) = check_card_with("depth-advantage", "learned_level = 0.5", "learned_level = 1.0");
    assert_bad_input(&o, &["params.learned_level", "(H9)"]);
}

#[test]
fn a_readout_with_too_few_knots_or_samples_names_h10() {
    let (_, o) = check_card_with("depth-advantage", "knots = 8", "knots = 2");
    assert_bad_input(&o, &["claim `stage3-readout`", "params.knots", "(H10)", "2 knots"]);
    let (_, o) = check_card_with("depth-advantage", "max_samples = 1024", "max_samples = 100");
    assert_bad_input(&o, &["params.max_samples", "(H10)", "at least 160"]);
}

#[test]
fn a_shallow_gap_level_or_kernel_budget_out_of_range_names_h11() {
    let (_, o) =
        check_card_with("depth-advantage", "learned_fraction = 0.5", "learned_fraction = 0.95");
    assert_bad_input(&o, &["claim `shallow-gap`", "params.learned_fraction", "(H11)", "q = 0.95"]);
    // d = 64: 4 C(66, 2) = 8580 samples, over one Gram matrix's 8000.
    let (_, o) = check_card_with("depth-advantage", "kernel_budget = 3.0", "kernel_budget = 4.0");
    assert_bad_input(&o, &["params.kernel_budget", "(H11)", "d = 64", "8580 samples"]);
    let (_, o) = check_card_with(
        "depth-advantage",
        "test_points = 2000\n[claims.profiles.quick]\nsizes = [25",
        "test_points = 10\n[claims.profiles.quick]\nsizes = [25",
    );
    assert_bad_input(&o, &["params.test_points", "(H11)", "10 test points"]);
}

/// The two-layer net as the shallow side takes its iteration count, not the kernel's budget.
#[test]
fn a_two_layer_shallow_gap_takes_coef_iter_not_the_kernel_budget() {
    let two_layer = |budget_line: &str| {
        let text = builtin("depth-advantage")
            .replacen("measure = \"shallow-gap-kernel\"", "measure = \"shallow-gap-two-layer\"", 1)
            .replacen("kernel_budget = 3.0\n", budget_line, 1);
        let path = scratch().join("my-card.toml");
        std::fs::write(&path, text).unwrap();
        thm(&["check", path.to_str().unwrap()])
    };
    let o = two_layer("kernel_budget = 3.0\n");
    assert_bad_input(&o, &["unknown field `kernel_budget`", "coef_iter"]);
    let o = two_layer("");
    assert_bad_input(&o, &["missing field `coef_iter`"]);
    let o = two_layer("coef_iter = 0.0\n");
    assert_bad_input(&o, &["claim `shallow-gap`", "params.coef_iter", "(H14)", "coef_iter = 0"]);
}

#[test]
fn the_end_to_end_net_outside_check_d_c_names_h12() {
    // The two-layer plateaus are computed for d = 64 and eq. 11 only, and for 1.5 <= κ < 2.5.
    let (_, o) = check_card_with("depth-advantage", "dimension = 64", "dimension = 100");
    assert_bad_input(&o, &["claim `e2e-below-two-layer`", "params.dimension", "(H12)", "d = 100"]);
    let (_, o) =
        check_card_with("depth-advantage", "sizes = [180, 190, 200]", "sizes = [140, 190, 200]");
    assert_bad_input(&o, &["claim `e2e-below-two-layer`", "sizes", "(H12)", "100 κ = 140"]);
    let (_, o) = check_card_with("depth-advantage", "widths = [256, 32]", "widths = [256, 0]");
    assert_bad_input(&o, &["params.widths", "(H12)", "p2 = 0"]);
}

#[test]
fn a_bandwidth_of_zero_is_rejected() {
    let (_, o) = check_card_with(
        "depth-approximation",
        "bandwidth_constant = 0.155",
        "bandwidth_constant = 0.0",
    );
    assert_bad_input(&o, &["claim `stone-d1`", "params.bandwidth_constant", "(H4)", "c = 0"]);
}

#[test]
fn a_bandwidth_too_wide_for_the_torus_is_rejected() {
    // c = 1 at n = 1000, D = 1: h = 0.25, and the window 4h = 1 wraps around the torus.
    let (_, o) = check_card_with(
        "depth-approximation",
        "bandwidth_constant = 0.155",
        "bandwidth_constant = 1.0",
    );
    assert_bad_input(&o, &["params.bandwidth_constant", "(H4)", "> 0.5 at n = 1000"]);
}

#[test]
fn a_torus_dimension_beyond_the_budget_is_rejected() {
    let (_, o) = check_card_with("depth-approximation", "dimension = 1,", "dimension = 9,");
    assert_bad_input(&o, &["claim `stone-d1`", "params.target", "(H1)", "D = 9"]);
}

#[test]
fn a_smoothness_of_zero_is_rejected() {
    let (_, o) = check_card_with("depth-approximation", "smoothness = 2.0", "smoothness = 0.0");
    assert_bad_input(&o, &["params.target", "(H2)", "s = 0"]);
}

#[test]
fn a_negative_noise_level_is_rejected() {
    let (_, o) = check_card_with("depth-approximation", "noise = 0.5", "noise = -0.5");
    assert_bad_input(&o, &["params.noise", "(H3)", "σ = -0.5"]);
}

#[test]
fn a_jump_outside_the_evaluation_interval_is_rejected() {
    let (_, o) = check_card_with("depth-approximation", "location = 0.5", "location = 0.97");
    assert_bad_input(&o, &["claim `jump-linear`", "params.target", "(H1)", "t0 = 0.97"]);
}

#[test]
fn a_free_knot_fit_without_noise_has_no_rate_to_measure() {
    let text = builtin("depth-approximation");
    let at = text.find("id = \"jump-free-knot\"").unwrap();
    let (head, tail) = text.split_at(at);
    let path = scratch().join("my-card.toml");
    std::fs::write(&path, format!("{head}{}", tail.replacen("noise = 0.3", "noise = 0.0", 1)))
        .unwrap();
    let o = thm(&["check", path.to_str().unwrap()]);
    assert_bad_input(&o, &["claim `jump-free-knot`", "params.degree", "(H5)", "sieve error"]);
}

#[test]
fn a_free_knot_fit_on_the_torus_is_rejected() {
    let (_, o) = check_card_with(
        "depth-approximation",
        "measure = \"nadaraya-watson\"\ntarget = { kind = \"torus-sines\", dimension = 1, \
         smoothness = 2.0 }\nbandwidth_constant = 0.155\nnoise = 0.5\ntest_points = 1000\n",
        "measure = \"free-knot\"\ntarget = { kind = \"torus-sines\", dimension = 1, \
         smoothness = 2.0 }\ndegree = 10\nnoise = 0.5\n",
    );
    assert_bad_input(&o, &["claim `stone-d1`", "params.target", "(H5)", "torus-sines"]);
}

#[test]
fn an_unknown_field_inside_a_target_is_named() {
    let (_, o) =
        check_card_with("depth-approximation", "dimension = 1,", "dimension = 1, colour = 2,");
    assert_bad_input(&o, &["my-card.toml:", "colour"]);
}

#[test]
fn a_width_below_the_lazy_floor_is_rejected_with_the_bound() {
    // (H3): alpha sqrt(m) >= 2n = 64 needs m >= 4096 at alpha = 1.
    let (_, o) = check_card_with(
        "lazy-training",
        "sizes = [4096, 5792, 8192, 11586, 16384, 23170, 32768]",
        "sizes = [1024, 2048, 4096]",
    );
    assert_bad_input(
        &o,
        &["claim `width`", "(H3)", "lazy regime", "m = 1024", "α√m = 32.0 < 2n = 64"],
    );
}

#[test]
fn a_non_positive_output_scale_is_rejected() {
    let (_, o) = check_card_with("lazy-training", "output_scale = 1.0", "output_scale = -2.0");
    assert_bad_input(&o, &["claim `linear-rate`", "params.output_scale", "(H4)", "α = -2"]);
}

#[test]
fn a_step_that_is_not_finite_or_positive_is_rejected() {
    let (_, o) = check_card_with("lazy-training", "step = 0.5", "step = nan");
    assert_bad_input(&o, &["claim `width`", "params.step", "(H5)"]);
    let (_, o) = check_card_with("lazy-training", "step = 0.5", "step = 0.0");
    assert_bad_input(&o, &["claim `width`", "params.step", "(H5)", "c = 0"]);
}

#[test]
fn zero_inputs_or_dimension_one_are_rejected() {
    let (_, o) = check_card_with("lazy-training", "\nn = 32\n", "\nn = 0\n");
    assert_bad_input(&o, &["claim `width`", "params.n", "(H1)", "n = 0"]);
    // For d = 1 every unit input is ±1: two are parallel and λ0 = 0.
    let (_, o) = check_card_with("lazy-training", "\nd = 8\n", "\nd = 1\n");
    assert_bad_input(&o, &["claim `width`", "params.d", "(H2)", "parallel", "d = 1"]);
}

#[test]
fn a_prerequisite_that_is_not_an_earlier_claim_is_named_with_its_line() {
    let (card, o) = check_card_with(
        "depth-efficiency-square",
        "control = { shift = 0.5 }\n[claims.params]\nmeasure = \"shallow\"",
        "control = { shift = 0.5 }\nrequires = [\"deep\"]\n[claims.params]\nmeasure = \"shallow\"",
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

#[test]
fn a_claim_after_an_unconfirmed_prerequisite_is_reported_not_run() {
    let card = card_where_deep_requires_an_unconfirmed_shallow();
    let o = thm(&["check", card.to_str().unwrap(), "--verbose"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "depth-efficiency-square/deep: inconclusive: prerequisite `shallow` not confirmed (it is inconclusive)"
        ),
        "{out}"
    );
    assert!(out.contains("not run"), "the claim's report says its trials did not run: {out}");
}

#[test]
fn a_width_gap_beyond_its_parameter_budget_says_how_many_it_would_need() {
    // d = 128 would need 2 N_2(128) = 2 x 8384 = 16768 random-features parameters.
    let (_, o) = check_card_with(
        "kernel-barrier",
        "sizes = [16, 23, 32, 45, 64, 90]",
        "sizes = [16, 23, 32, 45, 64, 128]",
    );
    assert_bad_input(&o, &["claim `rf-vs-nt-width`", "(H9)", "d = 128 needs 16768 parameters"]);
}

#[test]
fn a_width_gap_for_a_degree_without_closed_forms_is_rejected() {
    let (_, o) = check_card_with(
        "kernel-barrier",
        "measure = \"width-gap\"\ndegree = 2\ntarget = [0.0, 0.0, 1.0]",
        "measure = \"width-gap\"\ndegree = 2\ntarget = [1.0, 0.0, 1.0]",
    );
    assert_bad_input(&o, &["claim `rf-vs-nt-width`", "(H9)", "target = [1.0, 0.0, 1.0]"]);
}

#[test]
fn a_depth_other_than_two_is_rejected_for_backward_feature_correction() {
    let (_, o) = check_card_with("backward-feature-correction", "depth = 2", "depth = 0");
    assert_bad_input(&o, &["claim `bfc`", "params.depth", "(H1)", "L = 0"]);
}

#[test]
fn a_depth_three_claim_must_judge_level_one_or_two() {
    let (_, o) =
        check_card_with("backward-feature-correction", "judged_level = 2", "judged_level = 3");
    assert_bad_input(&o, &["claim `bfc-depth-level2`", "(H12)", "judged_level = 3,"]);
}

#[test]
fn a_width_below_the_feature_count_is_rejected() {
    let (_, o) =
        check_card_with("backward-feature-correction", "widths = [16, 16]", "widths = [3, 16]");
    assert_bad_input(&o, &["claim `bfc`", "params.widths", "(H3)", "k = 4"]);
}

#[test]
fn a_step_that_is_not_finite_is_rejected_for_the_quadratic_net() {
    let (_, o) = check_card_with("backward-feature-correction", "step = 0.32", "step = nan");
    assert_bad_input(&o, &["claim `bfc`", "params.step", "(H4)"]);
    let (_, o) = check_card_with("backward-feature-correction", "step = 0.32", "step = inf");
    assert_bad_input(&o, &["claim `bfc`", "params.step", "(H4)"]);
}

#[test]
fn level_weights_that_do_not_decrease_are_rejected() {
    // r = alpha2/alpha1 = 1.2: the second level would outweigh the first.
    let (_, o) = check_card_with(
        "backward-feature-correction",
        "sizes = [30, 100, 300]",
        "sizes = [30, 100, 1200]",
    );
    assert_bad_input(&o, &["claim `bfc`", "(H5)", "decreasing", "r = 1.2"]);
}

#[test]
fn a_factor_below_one_is_rejected() {
    let (_, o) = check_card_with("backward-feature-correction", "factor = 1.0", "factor = 0.5");
    assert_bad_input(&o, &["claim `bfc`", "params.factor", "(H6)"]);
}

#[test]
fn a_diverging_quadratic_net_is_inconclusive_with_the_step_it_diverged_at() {
    // η = 10/32 ≈ 0.3 on quadratic activations blows up within a few steps: every trial is
    // `Failed`, the verdict inconclusive with the reason (exit 1), never a panic.
    let (_, o) = check_card_with("backward-feature-correction", "step = 0.32", "step = 10.0");
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    assert!(
        out.contains("inconclusive") && out.contains("diverged") && out.contains("at step"),
        "{out}"
    );
}

#[test]
fn a_prerequisite_is_read_from_the_same_card_not_from_a_card_with_the_same_ids() {
    // The built-in card's `shallow` is confirmed; the user's card (same theorem and claim ids)
    // has a `shallow` that cannot be confirmed, and its `deep` requires it.
    let card = card_where_deep_requires_an_unconfirmed_shallow();
    let o = thm(&["check", "depth-efficiency-square", card.to_str().unwrap(), "--json"]);
    let records: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let last = &records.as_array().unwrap()[3];
    assert_eq!(last["claim"], "deep");
    assert_eq!(
        last["reason"], "prerequisite `shallow` not confirmed (it is inconclusive)",
        "{records}"
    );
}

#[test]
fn a_kernel_budget_fraction_of_one_or_more_is_rejected() {
    // c = 1.5: n = 1.5 B(d,4) would leave the bound e4 (1 - n/B(d,4))+ at 0, nothing to check.
    let (_, o) = check_card_with(
        "backward-feature-correction",
        "budget_fraction = 0.5",
        "budget_fraction = 1.5",
    );
    assert_bad_input(&o, &["claim `kernel-gap`", "params.budget_fraction", "(H9)", "c = 1.5"]);
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
    let line = line_of(&card, "odd-exponential");
    assert_bad_input(
        &o,
        &[
            &format!("my-card.toml:{line}:10:"),
            "field `kernel`",
            "unknown variant `odd-exponential`",
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
            "control = { shift = 0.5 }\n[claims.params]",
            "control = { shift = 0.5 }\nrequires = [\"deep\"]\n[claims.params]",
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

/// `thm list` names every theorem with its claims, and no id runs into its title (the longest
/// id, `backward-feature-correction`, once did).
#[test]
fn list_separates_every_id_from_its_title_and_names_its_claims() {
    let o = thm(&["list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for card in thm::registry::builtin_cards().unwrap() {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{} ", card.id)))
            .unwrap_or_else(|| panic!("no line starts with `{} `:\n{text}", card.id));
        assert!(line.starts_with(&format!("{}  ", card.id)), "{line}");
        assert!(line.trim_end().ends_with(&card.title), "{line}");
        for claim in &card.claims {
            assert!(text.contains(&claim.id), "claim {} not listed", claim.id);
        }
    }
}

#[test]
fn an_unknown_projection_is_named_with_the_choices() {
    let (_, o) = check_card_with(
        "kernel-barrier",
        "threshold_scale = \"harmonics\"",
        "threshold_scale = \"harmonics\"\nprojection = \"exact\"",
    );
    assert_bad_input(&o, &["projection", "exact", "test-points", "funk-hecke"]);
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

/// The held-back `barrier-growth` (version 4, the exact Funk–Hecke projection) runs with
/// `--held-back` and gives the seed-0 result its card records: no power on the quick profile.
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
