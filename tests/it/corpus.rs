//! The bad-input corpus (`tests/corpus/`, see its README): every bad card and certificate there
//! gets its one-line error, with the right exit code, no panic and no output file. Failures are
//! collected and reported together.

use crate::cli::{bad_input_problem, scratch, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Command;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

/// The files of `dir` whose names end with `.ext`, sorted.
fn inputs(dir: &str, ext: &str) -> Vec<PathBuf> {
    crate::files_with_extension(&Path::new(CORPUS).join(dir), ext)
}

/// What an input must give: its exit code (2 unless a line says `exit: N`) and the fragments.
fn expected(input: &Path) -> Result<(i32, Vec<String>), String> {
    let path = input.with_extension("expected");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut code = 2;
    let mut fragments = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match line.strip_prefix("exit: ") {
            Some(c) => code = c.trim().parse().map_err(|_| format!("{line:?}: not a code"))?,
            None => fragments.push(line.to_string()),
        }
    }
    if fragments.is_empty() {
        return Err(format!("{}: no fragments", path.display()));
    }
    Ok((code, fragments))
}

/// Runs `thm COMMAND NAME` on a copy of `input` in a scratch directory; what is wrong, if
/// anything.
fn problem(command: &str, input: &Path) -> Option<String> {
    let (code, fragments) = match expected(input) {
        Ok(e) => e,
        Err(e) => return Some(e),
    };
    let dir = scratch();
    let name = input.file_name().unwrap();
    std::fs::copy(input, dir.join(name)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_thm"))
        .arg(command)
        .arg(name)
        .current_dir(&dir)
        .output()
        .expect("the binary runs");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    let _ = std::fs::remove_dir_all(&dir);
    if left.len() != 1 || left[0] != name {
        return Some(format!("files left behind: {left:?}"));
    }
    let fragments: Vec<&str> = fragments.iter().map(String::as_str).collect();
    if code == 2 {
        return bad_input_problem(&o, &fragments);
    }
    // Exit 1 (`reproduce` only): the certificate is well-formed but does not reproduce, which
    // is a result, not bad input: one DIFFERS line on stdout; stderr has progress and the
    // build note, never an error or a panic.
    let (out, err) = (stdout(&o), stderr(&o));
    if o.status.code() != Some(code) {
        return Some(format!("exit code {:?}, not {code}; stderr: {err}", o.status.code()));
    }
    if err.contains("panicked") || err.contains("error:") {
        return Some(format!("stderr: {err}"));
    }
    if out.trim_end().lines().count() != 1 {
        return Some(format!("not one line on stdout: {out}"));
    }
    fragments.iter().find(|f| !out.contains(*f)).map(|f| format!("`{f}` missing from: {out}"))
}

#[test]
fn every_corpus_input_gets_its_one_line_error() {
    let cards = inputs("cards", "toml");
    let certs = inputs("certs", "json");
    assert!(cards.len() >= 40, "{} bad cards, fewer than 40", cards.len());
    assert!(certs.len() >= 10, "{} bad certificates, fewer than 10", certs.len());
    let mut failures = Vec::new();
    for dir in ["cards", "certs"] {
        for e in inputs(dir, "expected") {
            let has_input = ["toml", "json"].iter().any(|x| e.with_extension(x).exists());
            if !has_input {
                failures.push(format!("{}: no input beside it", e.display()));
            }
        }
    }
    let runs = cards.iter().map(|c| ("show", c)).chain(certs.iter().map(|c| ("reproduce", c)));
    for (command, input) in runs {
        if let Some(p) = problem(command, input) {
            let name = input.strip_prefix(CORPUS).unwrap_or(input).display();
            failures.push(format!("thm {command} {name}: {p}"));
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        failures.is_empty(),
        "{} of {} corpus inputs fail (if every certificate fails on its `thm_version`, this is \
         thm {version}: regenerate them, tests/corpus/README.md):\n{}",
        failures.len(),
        cards.len() + certs.len(),
        failures.join("\n")
    );
}
