//! Seeded mutations of the built-in cards (issue 27): byte flips, deleted, duplicated and
//! swapped lines, values swapped between two lines or replaced by a value of another type,
//! truncations. Every mutated card must load or be refused with an error of one non-empty line
//! that names the file, never a panic. Cases run in-process (`registry::load_card`); a
//! deterministic sample also runs through `thm show`. Case `i` draws only from its own
//! generator, seeded by [`SEED`] and `i`, so a failure replays alone.

use crate::cli::{scratch, stderr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;
use thm::card::CardSource;
use thm::registry::{load_card, BUILTIN_CARDS};

/// The master seed: fixed, so every run tries the same cases.
const SEED: u64 = 0x7468_6d5f_6675_7a7a;
/// Cases per `cargo test`.
const CASES: u64 = 12_000;
/// Every `SAMPLE_EVERY`-th case also runs through the binary.
const SAMPLE_EVERY: u64 = 60;
/// The name mutated cards are loaded under (errors must name it).
const NAME: &str = "fuzzed-card.toml";

/// xorshift64*: a tiny local generator (the project's streams are for simulations; a test's
/// mutations need only be reproducible).
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so neighbouring case indices start far apart (never 0).
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        XorShift((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values of every TOML type and the edges of the numeric ones.
const VALUES: &[&str] = &[
    "\"text\"",
    "\"\"",
    "0",
    "1",
    "-1",
    "2",
    "7",
    "1000000",
    "4294967296",
    "18446744073709551615",
    "-9223372036854775808",
    "0.0",
    "-0.0",
    "0.5",
    "1e308",
    "1e-320",
    "nan",
    "inf",
    "-inf",
    "true",
    "false",
    "[]",
    "[0]",
    "[1, 2]",
    "[3, 2, 1]",
    "[1, 1, 1]",
    "[\"a\", 1]",
    "[[1], [2]]",
    "{}",
    "{ rival = \"none\" }",
    "{ shift = nan }",
    "{ shift = 0.5 }",
    "1979-05-27",
    "\"finite-size\"",
    "\"exponent\"",
];

/// Characters a byte flip writes: TOML's syntax, digits, odd whitespace and non-ASCII.
const CHARS: &[char] = &[
    '"', '\'', '[', ']', '{', '}', '=', ',', '.', '#', '-', '+', '\n', ' ', '\t', '\r', '\0', '0',
    '1', '9', 'e', 'a', 'x', '_', '\\', 'é', 'σ', '€',
];

/// The `key = value` lines of a text: (line index, byte offset of the value within the line).
fn assignments(lines: &[String]) -> Vec<(usize, usize)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#') && !l.trim_start().starts_with('['))
        .filter_map(|(i, l)| l.find(" = ").map(|at| (i, at + 3)))
        .collect()
}

/// One mutation of `text`, and its name.
fn mutate(text: &str, rng: &mut XorShift) -> (String, &'static str) {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let assigned = assignments(&lines);
    let kind = rng.below(8);
    let name = match kind {
        0 => {
            let chars: Vec<char> = text.chars().collect();
            let at = rng.below(chars.len());
            let mut out: String = chars[..at].iter().collect();
            out.push(*rng.pick(CHARS));
            out.extend(&chars[at + 1..]);
            return (out, "character flip");
        }
        1 => {
            let at = rng.below(text.len());
            let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            return (text[..at].to_string(), "truncation");
        }
        2 => {
            lines.remove(rng.below(lines.len()));
            "deleted line"
        }
        3 => {
            let i = rng.below(lines.len());
            let copy = lines[i].clone();
            let to = if rng.below(2) == 0 { i + 1 } else { rng.below(lines.len() + 1) };
            lines.insert(to, copy);
            "duplicated line"
        }
        4 => {
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(i, j);
            "swapped lines"
        }
        5 if assigned.len() >= 2 => {
            let (i, a) = *rng.pick(&assigned);
            let (j, b) = *rng.pick(&assigned);
            let (vi, vj) = (lines[i][a..].to_string(), lines[j][b..].to_string());
            lines[i].replace_range(a.., &vj);
            lines[j].replace_range(b.., &vi);
            "values swapped between two lines"
        }
        6 if !assigned.is_empty() => {
            let (i, a) = *rng.pick(&assigned);
            let value = *rng.pick(VALUES);
            lines[i].replace_range(a.., value);
            "value replaced by another type"
        }
        _ if !assigned.is_empty() => {
            // An array's element replaced (sizes, panels, degrees), or a value negated.
            let (i, a) = *rng.pick(&assigned);
            let value = lines[i][a..].to_string();
            let new = match value.strip_prefix('[') {
                Some(rest) => format!("[{}, {rest}", rng.pick(VALUES)),
                None => format!("-{value}"),
            };
            lines[i].replace_range(a.., &new);
            "array element inserted or value negated"
        }
        _ => {
            lines.clear();
            "emptied"
        }
    };
    (lines.join("\n") + "\n", name)
}

/// Case `index`: the card mutated (one to three mutations, each named).
fn case(index: u64) -> (&'static str, String, Vec<&'static str>) {
    let mut rng = XorShift::new(SEED ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let (id, text) = *rng.pick(BUILTIN_CARDS);
    let mut text = text.to_string();
    let mut names = Vec::new();
    for _ in 0..1 + rng.below(3) * rng.below(2) {
        let (t, name) = mutate(&text, &mut rng);
        text = t;
        names.push(name);
    }
    (id, text, names)
}

/// What is wrong with loading `text`, if anything: a panic, or an error that is empty, more
/// than one line, or does not name the file; and whether it was refused.
fn in_process(text: &str) -> (Option<String>, bool) {
    let src = CardSource { path: NAME.into(), text: text.to_string() };
    match catch_unwind(AssertUnwindSafe(|| load_card(&src).map(|_| ()))) {
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            (Some(format!("panicked: {why}")), true)
        }
        Ok(Ok(())) => (None, false),
        Ok(Err(e)) => {
            let e = e.to_string();
            let problem = if e.trim().is_empty() || e.contains('\n') || e.contains('\r') {
                Some(format!("the error is not one non-empty line: {e:?}"))
            } else if !e.contains(NAME) {
                Some(format!("the error does not name the file: {e}"))
            } else {
                None
            };
            (problem, true)
        }
    }
}

/// What is wrong with `thm show` on `text`, if anything.
fn binary_problem(text: &str) -> Option<String> {
    let dir = scratch();
    std::fs::write(dir.join(NAME), text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_thm"))
        .args(["show", NAME])
        .current_dir(&dir)
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    let err = stderr(&o);
    match o.status.code() {
        _ if err.contains("panicked") => Some(format!("thm show panicked: {err}")),
        Some(0 | 1) => None,
        Some(2) if err.starts_with("error: ") && err.trim_end().lines().count() == 1 => None,
        code => Some(format!("thm show: exit {code:?}, stderr {err:?}")),
    }
}

#[test]
fn mutated_cards_load_or_are_refused_in_one_line_never_with_a_panic() {
    let mut failures = Vec::new();
    let (mut refused, mut sampled) = (0u64, 0);
    for index in 0..CASES {
        let (id, text, names) = case(index);
        let (mut problem, was_refused) = in_process(&text);
        refused += u64::from(was_refused);
        if problem.is_none() && index % SAMPLE_EVERY == 0 {
            sampled += 1;
            problem = binary_problem(&text);
        }
        if let Some(p) = problem {
            failures.push((format!("case {index} (card {id}; {}): {p}", names.join(", ")), text));
        }
    }
    assert!(sampled >= 200, "only {sampled} cases ran through the binary");
    // Most mutations must be refused, or the generator is not reaching the validation.
    assert!(refused > CASES / 2, "only {refused} of {CASES} mutated cards were refused");
    assert!(
        failures.is_empty(),
        "{} of {CASES} mutated cards fail (seed {SEED:#x}):\n{}\n\nthe first, mutated card:\n{}",
        failures.len(),
        failures.iter().map(|(head, _)| head.as_str()).collect::<Vec<_>>().join("\n"),
        failures[0].1
    );
}
