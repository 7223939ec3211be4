//! A real SLURM: `scripts/slurm-local.sh start` installs Debian's slurm-wlm and munge if
//! missing and brings up a one-node cluster; a 4-shard plan of a small claim is submitted as a
//! job array with its merge job depending on it (`afterok`), exactly as `thm plan --slurm`
//! prints it; the merge's verdict table must equal `thm check`'s byte for byte. The daemons
//! this test started are stopped again; a cluster that was already up is left as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn run(cmd: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm-local.sh")
}

/// Stops the daemons at the end, even when an assertion fails.
struct Cluster {
    started_here: bool,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.started_here {
            let _ = Command::new(script()).arg("stop").output();
        }
    }
}

fn cluster() -> Cluster {
    let up = Command::new("sinfo")
        .args(["-h", "-o", "%T"])
        .output()
        .is_ok_and(|o| o.status.success() && text(&o.stdout).trim() == "idle");
    if up {
        return Cluster { started_here: false };
    }
    let o = Command::new(script()).arg("start").output().expect("scripts/slurm-local.sh runs");
    assert!(
        o.status.success(),
        "scripts/slurm-local.sh start failed (it needs root and Debian's packages):\n{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    Cluster { started_here: true }
}

#[test]
fn a_four_shard_job_array_on_a_real_slurm_merges_to_the_bytes_of_thm_check() {
    let claim = "double-descent/variance-below";
    let thm = env!("CARGO_BIN_EXE_thm");
    let dir = std::env::temp_dir().join(format!("thm-slurm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let started = Instant::now();
    let _cluster = cluster();
    let up = started.elapsed();

    let plan = run(thm, &["plan", claim, "--shards", "4", "--out", "plan", "--slurm"], &dir);
    assert!(plan.status.success(), "{}", text(&plan.stderr));
    let printed = text(&plan.stdout);
    // The two lines `thm plan` prints are what a user runs; run them as printed.
    let submit: Vec<&str> =
        printed.lines().filter(|l| l.contains("sbatch")).map(str::trim).collect();
    assert_eq!(submit.len(), 2, "{printed}");
    let array = run("sh", &["-c", &format!("{}; echo $jid", submit[0])], &dir);
    let jid = text(&array.stdout).trim().to_string();
    assert!(array.status.success() && !jid.is_empty(), "{}", text(&array.stderr));
    let merge_line = submit[1].replace("$jid", &jid);
    let merge =
        run("sh", &["-c", &format!("sbatch --parsable {}", &merge_line["sbatch ".len()..])], &dir);
    let merge_id = text(&merge.stdout).trim().to_string();
    assert!(merge.status.success(), "{}", text(&merge.stderr));

    // Wait until neither job is queued or running.
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let q = run("squeue", &["-h", "-j", &format!("{jid},{merge_id}")], &dir);
        if text(&q.stdout).trim().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "the jobs did not finish in 10 minutes");
        std::thread::sleep(Duration::from_millis(200));
    }
    let merged = std::fs::read_to_string(dir.join("plan/merge.out")).unwrap_or_default();
    let merge_err = std::fs::read_to_string(dir.join("plan/merge.err")).unwrap_or_default();
    let check = run(thm, &["check", claim, "--no-store"], &dir);
    assert_eq!(merged, text(&check.stdout), "merge.err:\n{merge_err}");
    assert!(dir.join("plan/merge.cert.json").is_file());
    assert!(dir.join("plan/report/index.html").is_file(), "merge.err:\n{merge_err}");
    eprintln!(
        "slurm: cluster up in {:.1} s, plan + 4 shards + merge in {:.1} s",
        up.as_secs_f64(),
        (started.elapsed() - up).as_secs_f64()
    );
}
