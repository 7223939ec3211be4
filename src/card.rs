//! Theorem cards: `theorems/*.toml` (or a user's file) parsed into typed values.
//!
//! Parsing is two-stage. [`card_theorem_id`] reads only the card's `id` so the registry can
//! pick the module; the module then parses the whole card as [`CardDoc<P>`] with its own
//! parameter type `P`, unknown fields rejected at every level. Every error names the file, the
//! line, the column and, where it can, the field.

use crate::error::{Error, Violation};
use crate::law::Judge;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The text of a card and where it came from.
#[derive(Clone, Debug)]
pub struct CardSource {
    /// The path shown in errors (a file, or `theorems/<id>.toml` for a built-in card).
    pub path: PathBuf,
    /// The TOML text.
    pub text: String,
}

impl CardSource {
    /// Reads a card file.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read (or is not UTF-8).
    pub fn read(path: &Path) -> Result<CardSource, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Ok(CardSource { path: path.to_path_buf(), text })
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// The line of `key = …` in the table that starts at byte `within.start` (a table's
    /// span, which for a `[header]` table may cover only the header): the search runs to the
    /// end of the span or to the next `[header]` line, whichever is later.
    pub fn key_line(&self, within: Range<usize>, key: &str) -> Option<usize> {
        let start = self.text[..within.start.min(self.text.len())].rfind('\n').map_or(0, |i| i + 1);
        let end = within.end.min(self.text.len());
        let mut offset = start;
        for (i, line) in self.text[start..].split_inclusive('\n').enumerate() {
            let trimmed = line.trim_start();
            if i > 0 && trimmed.starts_with('[') && offset >= end {
                break;
            }
            if let Some(rest) = trimmed.strip_prefix(key) {
                if rest.trim_start().starts_with('=') {
                    return Some(self.line_col(offset).0);
                }
            }
            offset += line.len();
        }
        None
    }

    /// Turns a TOML deserialisation error into an [`Error::Card`] with line, column and field.
    ///
    /// An error inside a table that serde buffers (an internally tagged enum, such as the
    /// `measure` designs of a claim's parameters) carries the whole table's span, not the
    /// key's: then the line is that of the key the message names, or of the one key in the
    /// table whose value the message quotes, when there is one.
    pub fn error(&self, e: &toml::de::Error) -> Error {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let mut offset = span.start;
        let mut field = named_field(&message).or_else(|| self.key_at(offset));
        if self.key_at(offset).is_none() {
            let key = field.clone().or_else(|| self.key_quoted_by(span.clone(), &message));
            if let Some((key, at)) = key.and_then(|k| Some((k.clone(), self.key_offset(span, &k)?)))
            {
                (offset, field) = (at, Some(key));
            }
        }
        let (line, column) = self.line_col(offset);
        let message = clearer(message, field.as_deref());
        let field = field.map(|f| escape_controls(&f));
        Error::Card { path: self.path.clone(), line, column, field, message }
    }

    /// The offset of `key = …` in the table at `within` (as [`Self::key_line`]).
    fn key_offset(&self, within: Range<usize>, key: &str) -> Option<usize> {
        let line = self.key_line(within, key)?;
        let start: usize = self.text.split_inclusive('\n').take(line - 1).map(str::len).sum();
        let indent = self.text[start..].len() - self.text[start..].trim_start().len();
        Some(start + indent)
    }

    /// The one key of the table at `within` whose value is the value a serde message quotes
    /// (`invalid type: string "x"`, ``invalid value: integer `7` ``, ``unknown variant `x` ``):
    /// equal to it, or, for a string, containing it quoted (an inline table's `kind`).
    fn key_quoted_by(&self, within: Range<usize>, message: &str) -> Option<String> {
        let (string, token) = quoted_value(message)?;
        let start = self.text[..within.start.min(self.text.len())].rfind('\n').map_or(0, |i| i + 1);
        let mut offset = start;
        let mut found = Vec::new();
        for (i, line) in self.text[start..].split_inclusive('\n').enumerate() {
            let trimmed = line.trim();
            if i > 0 && trimmed.starts_with('[') && offset >= within.end {
                break;
            }
            offset += line.len();
            let Some((key, value)) = trimmed.split_once('=') else { continue };
            let value = value.split(" #").next().unwrap_or("").trim();
            let quoted = [format!("\"{token}\""), format!("'{token}'")];
            let hit = if string {
                quoted.iter().any(|q| value.contains(q.as_str()))
            } else {
                value == token
            };
            if hit && !key.trim().starts_with('[') {
                found.push(key.trim().to_string());
            }
        }
        (found.len() == 1).then(|| found.remove(0))
    }

    /// The key of a `key = value` line containing `offset`.
    fn key_at(&self, offset: usize) -> Option<String> {
        let start = self.text[..offset.min(self.text.len())].rfind('\n').map_or(0, |i| i + 1);
        let line = self.text[start..].lines().next()?;
        let (key, _) = line.split_once('=')?;
        let key = key.trim();
        // Only a TOML key: not a comment or a line of a multi-line string that holds a `=`.
        let is_key = key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.\"' ".contains(c));
        (!key.is_empty() && is_key).then(|| key.to_string())
    }
}

/// A TOML message in the card's words: the parser's count of "elements" of a one-key table
/// (an enum such as `control`) becomes a count of keys, control characters are escaped, and a
/// bad `control` says what a control may be.
fn clearer(message: String, field: Option<&str>) -> String {
    let message = message
        .replace("wanted exactly 1 element, more than 1 element", "wanted one key, found several")
        .replace("wanted exactly 1 element, found 0 elements", "wanted one key, found none");
    let message = escape_controls(&message);
    if field == Some("control") {
        let accepted = "control = { shift = NUMBER } or control = { rival = \"NAME\" }";
        format!("{message}; accepted: {accepted}")
    } else {
        message
    }
}

/// A text with its control characters escaped: a stray carriage return in a card (or in a
/// quoted key) would break the one-line error.
pub(crate) fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// The field a serde message names ("unknown field `foo`, expected …", "missing field `id`").
/// Other messages quote a value, not a field ("unknown variant `exact`, expected …"): for them
/// the field is the key at the error's position.
fn named_field(message: &str) -> Option<String> {
    ["unknown field", "missing field", "duplicate field"]
        .iter()
        .any(|kind| message.starts_with(kind))
        .then(|| backticked(message))
        .flatten()
}

/// The value a serde message quotes, and whether it is a string: `string "x"` and
/// ``unknown variant `x` `` quote a string, ``integer `7` `` and friends a literal.
fn quoted_value(message: &str) -> Option<(bool, String)> {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        return Some((true, rest.split_once('`')?.0.to_string()));
    }
    let rest = message.strip_prefix("invalid type: ").or(message.strip_prefix("invalid value: "))?;
    if let Some(s) = rest.strip_prefix("string \"") {
        return Some((true, s.split_once('"')?.0.to_string()));
    }
    let literal = rest.split_once('`')?.1.split_once('`')?.0;
    Some((false, literal.to_string()))
}

/// The first `` `name` `` in a serde message.
fn backticked(message: &str) -> Option<String> {
    let rest = message.split_once('`')?.1;
    Some(rest.split_once('`')?.0.to_string())
}

/// Only the card's `id`, to select the module that parses the rest.
#[derive(Deserialize)]
struct CardHead {
    id: Spanned<String>,
}

/// Reads the theorem id of a card and the line it is on.
///
/// # Errors
/// [`Error::Card`] for invalid TOML or a missing `id`.
pub fn card_theorem_id(src: &CardSource) -> Result<(String, usize), Error> {
    let head: CardHead = toml::from_str(&src.text).map_err(|e| src.error(&e))?;
    let line = src.line_col(head.id.span().start).0;
    Ok((head.id.into_inner(), line))
}

/// A theorem card with the module's parameter type `P` for each claim.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardDoc<P> {
    /// Stable kebab-case theorem id; equal to the module's id and the built-in card's stem.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Machine-readable citation.
    pub citation: Citation,
    /// The statement in prose: what is claimed, for which learner and data, in which regime.
    pub statement: String,
    /// The checked claims.
    pub claims: Vec<ClaimDoc<P>>,
}

/// Where a theorem comes from. `arxiv` carries the version the locator was read in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Authors, in the paper's order.
    pub authors: Vec<String>,
    /// Year of the version cited.
    pub year: u16,
    /// Title of the paper.
    pub title: String,
    /// arXiv id with version, e.g. `2003.10409v4`; empty when the source has none.
    pub arxiv: String,
    /// Theorem, proposition or figure number in that version, and the venue if any.
    pub locator: String,
}

impl Citation {
    /// "Ben Arous, Gheissari, Jagannath (2021), arXiv:2003.10409v4, Theorem 1.3".
    pub fn short(&self) -> String {
        // Authors are "Given Surname…": compound surnames ("Ben Arous") keep every word.
        let surnames: Vec<&str> =
            self.authors.iter().map(|a| a.split_once(' ').map_or(a.as_str(), |(_, s)| s)).collect();
        let arxiv =
            if self.arxiv.is_empty() { String::new() } else { format!(", arXiv:{}", self.arxiv) };
        format!("{} ({}){arxiv}, {}", surnames.join(", "), self.year, self.locator)
    }
}

/// One checked claim of a card.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimDoc<P> {
    /// Short local id, e.g. `k3` (with its span, to point at duplicates).
    pub id: Spanned<String>,
    /// What the claim says, in one sentence.
    pub description: String,
    /// Master seed; every random stream of the claim is derived from it.
    pub seed: u64,
    /// Half-width of the predicted set for the fitted exponent.
    pub tolerance: Spanned<f64>,
    /// Why the tolerance has this size (theory, finite-size drift, cost).
    pub tolerance_reason: String,
    /// The falsification control, which the same data must refute: the prediction shifted by
    /// a stated amount (`control = { shift = 0.5 }`) or a rival law the module computes
    /// (`control = { rival = "d-log-d" }`; `thm show ID` lists each module's rivals).
    pub control: Spanned<ControlDoc>,
    /// How the claim is judged: `"exponent"` (the default: the asymptotic exponent) or
    /// `"finite-size"` (the medians against the module's prediction at each finite size).
    #[serde(default)]
    pub judge: Judge,
    /// A **twin**: the id of an earlier claim of the card whose trials this claim judges (its
    /// parameters, seed, draws and profiles must equal that claim's, and its streams are that
    /// claim's, so the data are the same bits and a check computes them once).
    #[serde(default)]
    pub trials_of: Option<Spanned<String>>,
    /// Earlier claims of the same card that must be confirmed before this one runs (a lemma
    /// this claim builds on). A claim whose prerequisite is not confirmed is reported
    /// `inconclusive: prerequisite … not confirmed`, without running its trials.
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    /// Common random numbers across sizes: trial `t` draws from the same stream at every size,
    /// so one trial is one sweep over the sizes on one draw (one data set, nested widths), and
    /// the bootstrap resamples whole trials across sizes. Default `false`: each (size, trial)
    /// has its own stream.
    #[serde(default)]
    pub shared_draws: bool,
    /// The module's typed parameters.
    pub params: Spanned<P>,
    /// Size sweeps per profile (at least one; [`ClaimDoc::missing_profiles`]).
    #[serde(default)]
    pub profiles: Profiles,
}

/// A claim's control as a card writes it: `control = { shift = 0.5 }` or
/// `control = { rival = "d-log-d" }`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum ControlDoc {
    /// The prediction shifted by this amount.
    Shift(f64),
    /// A rival law of the module, by name.
    Rival(String),
}

/// The profiles of a claim: at least one of the two. A claim without a quick profile only
/// makes sense at sizes beyond the quick budget (a *full-profile-only* claim); one without a
/// full profile has nothing to gain from larger sizes (a *quick-profile-only* claim). A check
/// on the profile a claim lacks lists it as not run, without a verdict.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// Runs in `cargo test` and the default `thm check`: seconds.
    #[serde(default)]
    pub quick: Option<Spanned<Sweep>>,
    /// Larger sizes and more trials, from the CLI: minutes.
    #[serde(default)]
    pub full: Option<Spanned<Sweep>>,
}

impl Profiles {
    /// The sweep of a profile with its span; `None` for a profile the claim lacks.
    pub fn get(&self, profile: Profile) -> Option<&Spanned<Sweep>> {
        match profile {
            Profile::Quick => self.quick.as_ref(),
            Profile::Full => self.full.as_ref(),
        }
    }
}

/// A size sweep: the sizes (d, N or m) and the number of trials at each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// Increasing sizes.
    pub sizes: Vec<u64>,
    /// Independent trials per size.
    pub trials: u32,
}

/// Which sweep of a claim to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Seconds per claim; what `cargo test` checks.
    Quick,
    /// Larger sizes and more trials; minutes.
    Full,
}

impl Profile {
    /// Both profiles, quick first.
    pub const ALL: [Profile; 2] = [Profile::Quick, Profile::Full];

    /// `quick` or `full`.
    pub const fn name(self) -> &'static str {
        match self {
            Profile::Quick => "quick",
            Profile::Full => "full",
        }
    }

    /// The other profile: what a claim that lacks this one has.
    pub const fn other(self) -> Profile {
        match self {
            Profile::Quick => Profile::Full,
            Profile::Full => Profile::Quick,
        }
    }
}

impl<P> ClaimDoc<P> {
    /// The sweep of a profile; `None` for a profile the claim lacks.
    pub fn sweep(&self, profile: Profile) -> Option<&Sweep> {
        self.profiles.get(profile).map(Spanned::get_ref)
    }

    /// The error for a claim that gives neither profile (a claim needs one to run at all),
    /// at the line of its id.
    pub fn missing_profiles(&self, src: &CardSource) -> Option<Error> {
        if self.profiles.quick.is_some() || self.profiles.full.is_some() {
            return None;
        }
        let (line, column) = src.line_col(self.id.span().start);
        Some(Error::Card {
            path: src.path.clone(),
            line,
            column,
            field: Some("claims.profiles".into()),
            message: format!(
                "claim `{}` has no profile: give [claims.profiles.quick] (seconds, what \
                 `cargo test` and the default `thm check` run), [claims.profiles.full] \
                 (minutes, `--profile full`), or both, each with `sizes` and `trials`",
                self.id.get_ref()
            ),
        })
    }

    /// Checks the harness-level hypotheses every claim shares: a finite non-negative
    /// tolerance, a control far enough away to be refutable, at least three increasing sizes
    /// and one trial per profile it has.
    pub fn generic_violations(&self, src: &CardSource) -> Vec<Violation> {
        let mut out = Vec::new();
        let line = |s: &Range<usize>| Some(src.line_col(s.start).0);
        let tol = *self.tolerance.get_ref();
        if !(tol.is_finite() && tol >= 0.0) {
            out.push(Violation {
                line: line(&self.tolerance.span()),
                ..Violation::new(
                    "tolerance",
                    "the tolerance is a finite number ≥ 0",
                    format!("{tol}"),
                )
            });
        }
        if let ControlDoc::Shift(delta) = *self.control.get_ref() {
            if !(delta.is_finite() && delta.abs() > 2.0 * tol.abs()) {
                out.push(Violation {
                    line: line(&self.control.span()),
                    ..Violation::new(
                        "control.shift",
                        "|shift| > 2 × tolerance, so that the control's predicted set is \
                         disjoint from the claim's and a confirmed claim can refute it",
                        format!("shift = {delta}, tolerance = {tol}"),
                    )
                });
            }
        }
        for (name, sweep) in Profile::ALL
            .into_iter()
            .filter_map(|p| self.profiles.get(p).map(|sweep| (p.name(), sweep)))
        {
            let s = sweep.get_ref();
            if s.sizes.len() < 3 || s.sizes.windows(2).any(|w| w[0] >= w[1]) {
                out.push(Violation {
                    line: src.key_line(sweep.span(), "sizes").or(line(&sweep.span())),
                    ..Violation::new(
                        format!("profiles.{name}.sizes"),
                        "at least 3 strictly increasing sizes (a slope interval needs 3 points)",
                        format!("{:?}", s.sizes),
                    )
                });
            }
            if s.trials == 0 {
                out.push(Violation {
                    line: src.key_line(sweep.span(), "trials").or(line(&sweep.span())),
                    ..Violation::new(format!("profiles.{name}.trials"), "at least one trial", "0")
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> CardSource {
        CardSource { path: "x.toml".into(), text: text.into() }
    }

    #[test]
    fn line_and_column_are_one_based() {
        let s = src("a = 1\nbb = 2\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(6), (2, 1));
        assert_eq!(s.line_col(9), (2, 4));
    }

    #[test]
    fn key_line_finds_a_key_inside_a_span() {
        let s = src("[p]\nx = 1\nxy = 2\n[q]\nz = 3\n");
        assert_eq!(s.key_line(0..3, "xy"), Some(3));
        assert_eq!(s.key_line(0..3, "x"), Some(2));
        assert_eq!(s.key_line(0..3, "z"), None, "the search stops at the next table");
        assert_eq!(s.key_line(0..s.text.len(), "z"), Some(5));
    }

    #[test]
    fn a_bad_enum_value_is_reported_under_its_key_not_as_a_field() {
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        enum Choice {
            TestPoints,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct P {
            projection: Choice,
        }
        let s = src("projection = \"exact\"\n");
        let e = s.error(&toml::from_str::<P>(&s.text).unwrap_err()).to_string();
        assert!(e.contains("field `projection`"), "{e}");
        assert!(!e.contains("field `exact`"), "{e}");
        assert!(e.contains("unknown variant `exact`"), "{e}");
    }

    #[test]
    fn missing_id_is_a_card_error_with_a_line() {
        let e = card_theorem_id(&src("title = \"t\"\n")).unwrap_err();
        assert!(e.to_string().starts_with("x.toml:1:1: "), "{e}");
        assert!(e.to_string().contains("missing field `id`"), "{e}");
    }
}
