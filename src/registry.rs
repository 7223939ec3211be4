//! The registry: the only list of theorems, and the built-in cards that go with them.
//!
//! **Architecture Invariant:** [`THEOREMS`] and [`BUILTIN_CARDS`] list the same ids, each
//! equal to the card's file stem in `theorems/`; `tests/it/tidy.rs` checks it both ways. A
//! theorem whose simulation does not run is not listed.

use crate::card::{card_theorem_id, CardSource};
use crate::error::Error;
use crate::theorem::{LoadedCard, Theorem};
use crate::theorems::{
    DepthAdvantage, DepthApproximation, DepthEfficiencySquare, DoubleDescent, InformationExponent,
    KernelBarrier, LazyTraining,
};

/// Every registered theorem module.
pub static THEOREMS: &[&dyn Theorem] = &[
    &InformationExponent,
    &DepthEfficiencySquare,
    &KernelBarrier,
    &DoubleDescent,
    &DepthApproximation,
    &LazyTraining,
    &DepthAdvantage,
];

/// The built-in cards, compiled into the binary so `thm` runs from any directory.
pub static BUILTIN_CARDS: &[(&str, &str)] = &[
    ("information-exponent", include_str!("../theorems/information-exponent.toml")),
    ("depth-efficiency-square", include_str!("../theorems/depth-efficiency-square.toml")),
    ("kernel-barrier", include_str!("../theorems/kernel-barrier.toml")),
    ("double-descent", include_str!("../theorems/double-descent.toml")),
    ("depth-advantage", include_str!("../theorems/depth-advantage.toml")),
    ("depth-approximation", include_str!("../theorems/depth-approximation.toml")),
    ("lazy-training", include_str!("../theorems/lazy-training.toml")),
];

/// The module with this id.
///
/// # Errors
/// [`Error::UnknownTheorem`] with the closest id as a suggestion.
pub fn theorem(id: &str) -> Result<&'static dyn Theorem, Error> {
    THEOREMS.iter().copied().find(|t| t.id() == id).ok_or_else(|| unknown(id, String::new()))
}

fn unknown(id: &str, context: String) -> Error {
    let known: Vec<String> = THEOREMS.iter().map(|t| t.id().to_string()).collect();
    let suggestion = known
        .iter()
        .map(|k| (edit_distance(id, k), k))
        .filter(|(d, k)| *d <= k.len() / 3 || k.contains(id) && !id.is_empty())
        .min()
        .map(|(_, k)| k.clone());
    Error::UnknownTheorem { context, id: id.to_string(), suggestion, known }
}

/// Parses and validates a card with the module its `id` names.
///
/// # Errors
/// [`Error::Card`], [`Error::UnknownTheorem`] or [`Error::Hypotheses`].
pub fn load_card(src: &CardSource) -> Result<LoadedCard, Error> {
    let (id, line) = card_theorem_id(src)?;
    let module = THEOREMS
        .iter()
        .copied()
        .find(|t| t.id() == id)
        .ok_or_else(|| unknown(&id, format!("{}:{line}: field `id`: ", src.path.display())))?;
    module.load(src)
}

/// The built-in card of a theorem, parsed and validated.
///
/// # Errors
/// [`Error::UnknownTheorem`] for an unknown id; a broken built-in card is caught by the tests.
pub fn builtin_card(id: &str) -> Result<LoadedCard, Error> {
    let (_, text) =
        BUILTIN_CARDS.iter().find(|(i, _)| *i == id).ok_or_else(|| unknown(id, String::new()))?;
    load_card(&CardSource { path: format!("theorems/{id}.toml").into(), text: text.to_string() })
}

/// Every built-in card, in registry order.
///
/// # Errors
/// The first card that fails to load.
pub fn builtin_cards() -> Result<Vec<LoadedCard>, Error> {
    THEOREMS.iter().map(|t| builtin_card(t.id())).collect()
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_get_a_suggestion() {
        let e = theorem("information-exponnet").err().unwrap().to_string();
        assert!(e.contains("did you mean `information-exponent`"), "{e}");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
