//! The commands as a user runs them: unknown ids, usage errors, certificates, JSON and plots,
//! exit codes, `show`, `list` and `--help`.

use super::*;

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
    assert_bad_input(&o, &["no claim `k9`", "k1, k1-fs, k2, k2-fs, k3, k3-fs"]);
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
fn a_claim_named_twice_runs_once() {
    let o = thm(&["check", "depth-efficiency-square", "depth-efficiency-square/deep", "--json"]);
    let records: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(records.as_array().unwrap().len(), 2);
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

/// `thm replicate` is deterministic (the same K gives the same bytes, seeds listed), and a K
/// outside 1..=1000 is bad input before anything runs.
#[test]
fn replicate_gives_the_same_bytes_twice_and_refuses_k_out_of_range() {
    let args = ["replicate", "double-descent/variance-below", "--seeds", "2"];
    let (a, b) = (thm(&args), thm(&args));
    assert!(matches!(a.status.code(), Some(0 | 1)), "{}", stderr(&a));
    assert_eq!(a.status.code(), b.status.code());
    assert_eq!(a.stdout, b.stdout, "two replications with K = 2 differ");
    let out = stdout(&a);
    assert!(out.contains("card seed 0:") && out.contains("variance-below"), "{out}");
    for k in ["0", "1001"] {
        let o = thm(&["replicate", "double-descent/variance-below", "--seeds", k]);
        assert_bad_input(&o, &[&format!("--seeds {k}"), "between 1 and 1000"]);
    }
}
