//! Records the git commit and the rustc version for certificates, and the build's identity
//! for the trial store: a SHA-256 of the source compiled in, so that a code change never
//! reuses a stored unit, even without a version bump or a commit.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files whose content is compiled into the binary (the built-in cards are
/// `include_str!`ed), in a fixed order.
fn compiled_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = vec![PathBuf::from("build.rs"), "Cargo.toml".into(), "Cargo.lock".into()];
    walk(Path::new("src"), &mut out);
    walk(Path::new("theorems"), &mut out);
    out.sort();
    out
}

/// SHA-256 over every compiled source, each as (path, length, bytes).
fn source_hash() -> String {
    let mut h = Sha256::new();
    for path in compiled_sources() {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let name = path.to_string_lossy().replace('\\', "/");
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let commit = if dirty { format!("{commit}-dirty") } else { commit };
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=THM_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=THM_RUSTC_VERSION={rustc_version}");
    println!("cargo:rustc-env=THM_TARGET={}", std::env::var("TARGET").unwrap_or_default());
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");
    println!("cargo:rustc-env=THM_SOURCE_HASH={}", source_hash());
    println!("cargo:rerun-if-changed=build.rs");
    for path in ["src", "theorems", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
