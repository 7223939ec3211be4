//! The integration tests, one binary (matklad's advice): claims against their snapshots, the
//! harness on synthetic laws with known answers, the command line as a user meets it (and the
//! typed experiment designs it refuses), the bad-input corpus and seeded mutations of the
//! cards, cards whose claims carry one profile, statistics properties, golden values (also of
//! the special functions), tidy checks, and the results site in a real browser.

mod browser;
mod cli;
mod corpus;
mod coverage;
mod designs;
mod fuzz;
mod golden;
mod harness;
mod profiles;
mod props;
mod resources;
mod slurm;
mod special;
mod store;
mod theorems;
mod tidy;

/// A fresh empty directory `thm-<tag>-<pid>-<n>` under the system's temp dir.
pub(crate) fn scratch_dir(tag: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "thm-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The files of `dir` whose names end with `.ext`, sorted.
pub(crate) fn files_with_extension(dir: &std::path::Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}
