//! The library's error type. Every variant says what is wrong and where; the CLI prints it on
//! one line and exits with code 2.

use std::path::PathBuf;

/// One violated hypothesis of a claim, with the card field it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The card field, relative to the claim: `params.information_exponent`,
    /// `profiles.quick.sizes`, `tolerance`.
    pub field: String,
    /// Line of the field in the card, when known.
    pub line: Option<usize>,
    /// The hypothesis in words, e.g. `(H1) the information exponent k is at least 1`.
    pub hypothesis: String,
    /// What was found instead, e.g. `k = 0`.
    pub found: String,
}

impl Violation {
    /// A violation of `hypothesis` by the value `found` in `field`.
    pub fn new(
        field: impl Into<String>,
        hypothesis: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Violation {
            field: field.into(),
            line: None,
            hypothesis: hypothesis.into(),
            found: found.into(),
        }
    }
}

/// How a violation shows an optional card field: its value, or "not given" (never `Some(..)`).
pub fn shown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "not given".to_owned(), |v| v.to_string())
}

/// How a violation shows an enumerated card value: as the card spells it (`rate-deviation`),
/// not as Rust's `Debug` does (`RateDeviation`).
pub fn spelled<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(e) => format!("<{e}>"),
    }
}

/// Everything that can go wrong before a simulation runs, or while reading a certificate.
///
/// A simulation that diverges is **not** an error: it becomes an `inconclusive` verdict.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A card that does not parse, or names an unknown field, or misses one.
    #[error("{}:{line}:{column}: {}{message}", path.display(), field.as_deref().map(|f| format!("field `{f}`: ")).unwrap_or_default())]
    Card {
        /// The card file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The field concerned, when it can be named.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// Hypotheses of a claim that its parameters violate (all of them, not the first).
    #[error("{}: claim `{claim}`: {}", path.display(), describe_violations(path, violations))]
    Hypotheses {
        /// The card file.
        path: PathBuf,
        /// The claim id.
        claim: String,
        /// Every violated hypothesis.
        violations: Vec<Violation>,
    },
    /// A theorem id (on the command line or in a card) that no module implements.
    #[error("{context}unknown theorem `{id}`{}; known theorems: {}", suggestion.as_deref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), known.join(", "))]
    UnknownTheorem {
        /// Where the id was found, e.g. `my.toml:1: `; empty for the command line.
        context: String,
        /// The id.
        id: String,
        /// The closest known id, if any is close.
        suggestion: Option<String>,
        /// Every registered id.
        known: Vec<String>,
    },
    /// A claim id that the card does not have.
    #[error("theorem `{theorem}` has no claim `{claim}`; its claims: {}", known.join(", "))]
    UnknownClaim {
        /// The theorem id.
        theorem: String,
        /// The claim id asked for.
        claim: String,
        /// The card's claims.
        known: Vec<String>,
    },
    /// A certificate that cannot be read, parsed or re-run.
    #[error("certificate {}: {message}", path.display())]
    Certificate {
        /// The certificate file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file that cannot be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A command-line request that makes no sense (e.g. `--threads 0`).
    #[error("{0}")]
    Usage(String),
    /// A claim whose estimated memory exceeds the limit ([`crate::resources::guard`]).
    #[error("{0}")]
    Resources(String),
}

fn describe_violations(path: &std::path::Path, violations: &[Violation]) -> String {
    let parts: Vec<String> = violations
        .iter()
        .map(|v| {
            let at = v.line.map(|l| format!("line {l}, ")).unwrap_or_default();
            format!(
                "{at}field `{}`: hypothesis violated: {}; found {}",
                v.field, v.hypothesis, v.found
            )
        })
        .collect();
    let _ = path;
    parts.join("; ")
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_shows_values_as_the_card_writes_them() {
        assert_eq!(shown(Some(0.5)), "0.5");
        assert_eq!(shown(None::<f64>), "not given");
        assert_eq!(
            spelled(&crate::sim::sight::FeatureNormalisation::UnitVariance),
            "unit-variance"
        );
    }
}
