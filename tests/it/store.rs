//! The trial store and sharded runs, through the binary: a run killed with SIGKILL resumes
//! and gives the bytes of an uninterrupted run; two processes share a store without
//! corrupting it; a plan's shards merged give the bytes of `thm check`; bad plans and stores
//! are refused with one line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn thm_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thm"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh empty directory under the system's temp dir.
fn scratch() -> PathBuf {
    crate::scratch_dir("store")
}

/// The unit files under a store.
fn unit_files(store: &Path) -> usize {
    let Ok(dirs) = std::fs::read_dir(store.join("units")) else { return 0 };
    dirs.flatten()
        .filter_map(|d| std::fs::read_dir(d.path()).ok())
        .flat_map(|d| d.flatten())
        .filter(|f| f.path().extension().is_some_and(|e| e == "unit"))
        .count()
}

/// A claim of 480 units on the full profile: seconds on one thread, long enough to be killed
/// half way.
const CLAIM: &str = "double-descent/variance-below";

#[test]
fn a_run_killed_with_sigkill_resumes_to_the_bytes_of_an_uninterrupted_run() {
    let dir = scratch();
    let reference = thm_in(&dir, &["check", CLAIM, "--profile", "full", "--json", "--no-store"]);
    assert!(reference.status.success(), "{}", text(&reference.stderr));

    let store = dir.join("store");
    let store_arg = store.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_thm"))
        .current_dir(&dir)
        .args(["check", CLAIM, "--profile", "full", "--json", "--threads", "1"])
        .args(["--store", store_arg])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Kill it once some units are on disk (and long before it could finish all of them).
    while unit_files(&store) < 3 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = child.kill().is_ok(); // SIGKILL on Unix
    let _ = child.wait();
    let stored = unit_files(&store);
    assert!(killed && stored >= 3, "the run was not caught half way ({stored} units stored)");

    let resumed = thm_in(
        &dir,
        &["check", CLAIM, "--profile", "full", "--json", "--threads", "1", "--store", store_arg],
    );
    let err = text(&resumed.stderr);
    assert!(resumed.status.success(), "{err}");
    assert_eq!(text(&resumed.stdout), text(&reference.stdout), "resumed JSON differs");
    let reused: u64 = err
        .split("units reused")
        .next()
        .and_then(|s| s.rsplit(' ').nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(reused >= 3, "the resumed run did not reuse the stored units: {err}");

    let again =
        thm_in(&dir, &["check", CLAIM, "--profile", "full", "--json", "--store", store_arg]);
    assert_eq!(text(&again.stdout), text(&reference.stdout));
    assert!(text(&again.stderr).contains("units reused, 0 written"), "{}", text(&again.stderr));
    let verify = thm_in(&dir, &["store", "verify", "--store", store_arg]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
}

#[test]
fn two_processes_sharing_a_store_leave_it_valid() {
    let dir = scratch();
    let store = dir.join("store");
    let store_arg = store.to_str().unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_thm"))
            .current_dir(&dir)
            .args(["check", "double-descent", "--json", "--threads", "1", "--store", store_arg])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert_eq!(a.stdout, b.stdout);
    let verify = thm_in(&dir, &["store", "verify", "--store", store_arg]);
    let report = text(&verify.stdout);
    assert!(verify.status.success(), "{report}");
    assert!(report.contains(" 0 invalid"), "{report}");
    let ls = text(&thm_in(&dir, &["store", "ls", "--store", store_arg]).stdout);
    assert!(ls.contains("variance-below") && ls.contains("rf-peak"), "{ls}");
}

#[test]
fn a_damaged_record_is_reported_and_recomputed() {
    let dir = scratch();
    let store = dir.join("store");
    let s = store.to_str().unwrap();
    let first = thm_in(&dir, &["check", "double-descent/variance-above", "--json", "--store", s]);
    // Truncate one record: the next run names it, recomputes it, and gives the same bytes.
    let units = std::fs::read_dir(store.join("units")).unwrap().flatten().next().unwrap().path();
    let victim = std::fs::read_dir(units).unwrap().flatten().next().unwrap().path();
    let body = std::fs::read(&victim).unwrap();
    std::fs::write(&victim, &body[..body.len() / 2]).unwrap();
    let verify = thm_in(&dir, &["store", "verify", "--store", s]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify.stdout));
    let second = thm_in(&dir, &["check", "double-descent/variance-above", "--json", "--store", s]);
    assert_eq!(first.stdout, second.stdout);
    assert!(
        text(&second.stderr).contains("invalid stored unit, recomputed"),
        "{}",
        text(&second.stderr)
    );
    assert!(thm_in(&dir, &["store", "verify", "--store", s]).status.success());
    let gc = thm_in(&dir, &["store", "gc", "--store", s]);
    assert!(text(&gc.stdout).contains("removed 0 files"), "{}", text(&gc.stdout));
}

/// Plans, runs every shard and merges, against `thm check` with no store.
fn merged_equals_check(claim: &str) {
    let dir = scratch();
    let check = thm_in(&dir, &["check", claim, "--json", "--no-store"]);
    let plan = thm_in(&dir, &["plan", claim, "--shards", "3", "--out", "p"]);
    assert!(plan.status.success(), "{}", text(&plan.stderr));
    let early = thm_in(&dir, &["merge", "p/plan.json", "--store", "p/store", "--json"]);
    let why = text(&early.stderr);
    assert_eq!(early.status.code(), Some(2), "{why}");
    assert!(
        why.contains("missing") && why.contains("shard 0:") && why.contains("shard 2:"),
        "{why}"
    );
    for shard in ["0", "1", "2"] {
        let o = thm_in(&dir, &["run-shard", "p/plan.json", "--shard", shard, "--store", "p/store"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let status = thm_in(&dir, &["status", "p/plan.json", "--store", "p/store"]);
    assert!(status.status.success(), "{}", text(&status.stdout));
    let merged = thm_in(&dir, &["merge", "p/plan.json", "--store", "p/store", "--json"]);
    assert!(merged.status.code() == check.status.code(), "{}", text(&merged.stderr));
    assert_eq!(text(&merged.stdout), text(&check.stdout), "{claim}: merged JSON differs");
    // The table too (a check that reuses the shards' store: its units are the same bits).
    let table = thm_in(&dir, &["check", claim, "--store", "p/store"]);
    let merged_table = thm_in(&dir, &["merge", "p/plan.json", "--store", "p/store"]);
    assert_eq!(table.stdout, merged_table.stdout);
}

#[test]
fn shards_merged_give_the_bytes_of_a_one_machine_check() {
    merged_equals_check("double-descent/variance-below");
}

#[test]
fn shards_merged_give_the_bytes_of_a_one_machine_check_with_shared_draws() {
    merged_equals_check("lazy-training/rate-deviation");
}

#[test]
fn bad_plans_and_stores_are_refused_with_one_line() {
    let dir = scratch();
    let one_line = |o: &Output, needles: &[&str]| {
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        for n in needles {
            assert!(err.contains(n), "`{n}` not in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    };
    let plan =
        thm_in(&dir, &["plan", "double-descent/variance-below", "--shards", "2", "--out", "p"]);
    assert!(plan.status.success());
    one_line(
        &thm_in(&dir, &["run-shard", "p/plan.json", "--shard", "2", "--store", "s"]),
        &["--shard 2", "0 to 1"],
    );
    one_line(
        &thm_in(&dir, &["plan", "double-descent", "--shards", "0", "--out", "q"]),
        &["--shards 0"],
    );
    // A plan whose build is not this binary's.
    let text_of = std::fs::read_to_string(dir.join("p/plan.json")).unwrap();
    let build = text_of.split("\"build\": \"").nth(1).unwrap().split('"').next().unwrap();
    std::fs::write(dir.join("other.json"), text_of.replace(build, &"0".repeat(64))).unwrap();
    one_line(&thm_in(&dir, &["merge", "other.json", "--store", "s"]), &["another thm build"]);
    // A plan whose units a changed seed no longer gives.
    let changed = text_of.replace("\"seed\": null", "\"seed\": 7");
    std::fs::write(dir.join("changed.json"), changed).unwrap();
    one_line(
        &thm_in(&dir, &["status", "changed.json", "--store", "s"]),
        &["no longer give its units"],
    );
    one_line(&thm_in(&dir, &["merge", "nowhere.json", "--store", "s"]), &["nowhere.json"]);
    // A store that cannot be written: a file stands where its directory should be.
    std::fs::write(dir.join("blocked"), "a file").unwrap();
    one_line(
        &thm_in(&dir, &["check", "double-descent/variance-below", "--store", "blocked/store"]),
        &["blocked/store"],
    );
    one_line(&thm_in(&dir, &["store", "ls", "--store", "absent"]), &["absent", "no trial store"]);
}
