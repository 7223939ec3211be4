//! Typed experiment designs through the command line: a claim's `measure` picks the design,
//! and the design's table admits exactly its fields. A field of another design, or a missing
//! field of its own, is bad input (exit 2, one line naming the file, line and field), refused
//! before anything runs.

use std::path::PathBuf;
use std::process::Output;

fn thm(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_thm"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A built-in card with one edit (which must apply), written to a fresh file.
fn card_with(id: &str, from: &str, to: &str) -> PathBuf {
    let text = thm::registry::BUILTIN_CARDS.iter().find(|(i, _)| *i == id).unwrap().1;
    assert!(text.contains(from), "the edit `{from}` does not apply to {id}");
    let path = crate::scratch_dir("designs").join("my-card.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

/// The edited card is refused as bad input; the one-line error names the file, the line of
/// `needle` in the edited card, and contains every string of `must`.
fn refused(id: &str, from: &str, to: &str, needle: &str, must: &[&str]) {
    let card = card_with(id, from, to);
    let o = thm(&["check", card.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{id}: {err}");
    assert!(!err.contains("panicked") && o.stdout.is_empty(), "{id}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{id}: not one line: {err}");
    let text = std::fs::read_to_string(&card).unwrap();
    let line = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(err.contains(&format!("my-card.toml:{line}:")), "{id}: not at line {line}: {err}");
    for m in must {
        assert!(err.contains(m), "{id}: `{m}` missing from: {err}");
    }
}

#[test]
fn a_field_of_another_design_is_refused_with_its_line() {
    // k1 simulates the full SGD; the overlap chain has the same fields, so the field of
    // another design is the old selector, `simulation`.
    refused(
        "information-exponent",
        "measure = \"online-sgd\"\n",
        "measure = \"online-sgd\"\nsimulation = \"overlap-chain\"\n",
        "simulation =",
        &["field `simulation`", "unknown field"],
    );
    refused(
        "depth-efficiency-square",
        "measure = \"deep\"\n",
        "measure = \"deep\"\nnetwork = \"deep\"\n",
        "network =",
        &["field `network`", "unknown field"],
    );
    refused(
        "double-descent",
        "samples = 200\n",
        "samples = 200\ndim = 32\n",
        "dim = 32",
        &["field `dim`", "unknown field"],
    );
    refused(
        "depth-approximation",
        "bandwidth_constant = 0.155\n",
        "bandwidth_constant = 0.155\ndegree = 10\n",
        "degree = 10",
        &["field `degree`", "unknown field"],
    );
    refused(
        "lazy-training",
        "measure = \"width\"\n",
        "measure = \"width\"\nrate_window = [2, 6]\n",
        "rate_window",
        &["field `rate_window`", "unknown field"],
    );
}

#[test]
fn a_missing_design_field_is_refused_at_the_params_table() {
    refused(
        "information-exponent",
        "step_budget = 100.0\n",
        "",
        "[claims.params]",
        &["field `step_budget`", "missing field"],
    );
    refused(
        "depth-efficiency-square",
        "grid_log2 = 16\n",
        "",
        "[claims.params]",
        &["field `grid_log2`", "missing field"],
    );
    refused(
        "double-descent",
        "samples = 200\n",
        "",
        "[claims.params]",
        &["field `samples`", "missing field"],
    );
    refused(
        "depth-approximation",
        "bandwidth_constant = 0.155\n",
        "",
        "[claims.params]",
        &["field `bandwidth_constant`", "missing field"],
    );
    refused(
        "lazy-training",
        "loss_ratio = 1e-4\n",
        "",
        "[claims.params]",
        &["field `loss_ratio`", "missing field"],
    );
}

#[test]
fn an_unknown_design_or_a_wrongly_typed_field_is_named() {
    refused(
        "lazy-training",
        "measure = \"width\"",
        "measure = \"widths\"",
        "\"widths\"",
        &["field `measure`", "unknown variant `widths`"],
    );
    refused(
        "depth-efficiency-square",
        "grid_log2 = 16",
        "grid_log2 = \"sixteen\"",
        "sixteen",
        &["field `grid_log2`", "invalid type"],
    );
}
