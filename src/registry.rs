//! The registry: the only list of theorems, and the built-in cards that go with them.
//!
//! **Architecture Invariant:** [`THEOREMS`] and [`BUILTIN_CARDS`] list the same ids in the same
//! order, each equal to the card's file stem in `theorems/`: both come from one `registry!`
//! line per theorem (`src/theorems/mod.rs`); `tests/it/tidy.rs` checks cards, modules and
//! snapshots against them both ways. A theorem whose simulation does not run is not listed.

use crate::card::{card_theorem_id, escape_controls, CardSource};
use crate::error::Error;
use crate::theorem::{LoadedCard, Theorem};

/// Both lists are built by the `registry!` macro in `src/theorems/mod.rs` from one line per
/// theorem, so they cannot disagree; they are re-exported here, where they are used.
pub use crate::theorems::{BUILTIN_CARDS, THEOREMS};

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
    Error::UnknownTheorem { context, id: shown_id(id), suggestion, known }
}

/// An unknown id as an error shows it: control characters escaped and at most
/// [`SHOWN_ID_CHARS`] characters, so that a card whose `id` holds another field's multi-line
/// value still gives a one-line error.
fn shown_id(id: &str) -> String {
    let escaped = escape_controls(id);
    match escaped.char_indices().nth(SHOWN_ID_CHARS) {
        Some((cut, _)) => format!("{}…", &escaped[..cut]),
        None => escaped,
    }
}

/// The longest unknown id an error repeats in full.
const SHOWN_ID_CHARS: usize = 80;

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
    let text = builtin_text(id)?;
    load_card(&CardSource { path: format!("theorems/{id}.toml").into(), text: text.to_string() })
}

/// The text of a built-in card.
fn builtin_text(id: &str) -> Result<&'static str, Error> {
    BUILTIN_CARDS
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, text)| *text)
        .ok_or_else(|| unknown(id, String::new()))
}

/// Every built-in card, in registry order.
///
/// # Errors
/// The first card that fails to load.
pub fn builtin_cards() -> Result<Vec<LoadedCard>, Error> {
    THEOREMS.iter().map(|t| builtin_card(t.id())).collect()
}

/// A claim a built-in card keeps out of the registry, as it ran: the card's comments say why
/// (a claim whose control was not refuted has no power, and a claim without power is not a
/// check), and its lines, each starting with `#| `, are the claim itself, so a reader can run
/// it ([`held_back_card`], `thm check ID/CLAIM --held-back`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldBack {
    /// The claim's id.
    pub claim: String,
    /// The 1-based line of its `#| [[claims]]` in the card.
    pub line: usize,
    /// The claim's TOML: its `#| ` lines without the prefix.
    pub toml: String,
}

/// The held-back claims of a card's text: each block of comment lines that starts with
/// `#| [[claims]]` runs to the next such line or to the first line that is not a comment;
/// its `#| ` lines make the claim, the other comments in it are the design's prose.
pub fn held_back_claims(text: &str) -> Vec<HeldBack> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, first) in lines.iter().enumerate() {
        if first.trim_end() != "#| [[claims]]" {
            continue;
        }
        let block = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with('#') && l.trim_end() != "#| [[claims]]");
        let mut toml = String::from("[[claims]]\n");
        for l in block.filter_map(|l| l.strip_prefix("#| ").or(l.strip_prefix("#|"))) {
            toml += l;
            toml.push('\n');
        }
        let claim = toml
            .lines()
            .find_map(|l| l.strip_prefix("id = "))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_default();
        out.push(HeldBack { claim, line: i + 1, toml });
    }
    out
}

/// The held-back claims of a built-in card.
///
/// # Errors
/// [`Error::UnknownTheorem`] for an unknown id.
pub fn held_back(id: &str) -> Result<Vec<HeldBack>, Error> {
    let text = builtin_text(id)?;
    Ok(held_back_claims(text))
}

/// A card of one held-back claim: the built-in card's head (everything before its first
/// `[[claims]]` line) and the claim, parsed and validated as any card.
///
/// # Errors
/// [`Error::UnknownTheorem`]; [`Error::Usage`] if the card holds back no such claim; a
/// held-back claim that no longer loads is caught by the tests.
pub fn held_back_card(id: &str, claim: &str) -> Result<LoadedCard, Error> {
    let text = builtin_text(id)?;
    let held = held_back_claims(text);
    let Some(h) = held.iter().find(|h| h.claim == claim) else {
        let known: Vec<&str> = held.iter().map(|h| h.claim.as_str()).collect();
        return Err(Error::Usage(format!(
            "theorem `{id}` holds back no claim `{claim}`; its held-back claims: {}",
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        )));
    };
    let head: &str = text.find("\n[[claims]]").map_or(text, |at| &text[..=at]);
    load_card(&CardSource {
        path: format!("theorems/{id}.toml (held back: {claim}, line {})", h.line).into(),
        text: format!("{head}{}", h.toml),
    })
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

    /// Found by the card fuzzer: an `id` holding the statement's multi-line text.
    #[test]
    fn an_unknown_multi_line_id_is_reported_on_one_short_line() {
        let id = format!("Allen-Zhu & Li\n{}", "x".repeat(500));
        let message = theorem(&id).err().expect("no such theorem").to_string();
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(
            message.contains("unknown theorem `Allen-Zhu & Li\\n") && message.contains("…`"),
            "{message}"
        );
        assert!(message.len() < 400, "{message}");
    }

    #[test]
    fn held_back_blocks_keep_their_claim_lines_and_drop_the_prose_between_them() {
        let text = "id = \"t\"\n[[claims]]\nid = \"a\"\n\n# why b is held back\n#| [[claims]]\n\
                    #| id = \"b\"\n# prose inside the block\n#| seed = 0\n#| [[claims]]\n\
                    #| id = \"c\"\nnot = \"a comment\"\n#| seed = 1\n";
        let held = held_back_claims(text);
        let ids: Vec<(&str, usize)> = held.iter().map(|h| (h.claim.as_str(), h.line)).collect();
        assert_eq!(ids, [("b", 6), ("c", 10)]);
        assert_eq!(held[0].toml, "[[claims]]\nid = \"b\"\nseed = 0\n");
        assert_eq!(
            held[1].toml, "[[claims]]\nid = \"c\"\n",
            "the block ends at a non-comment line"
        );
    }

    #[test]
    fn unknown_ids_get_a_suggestion() {
        let e = theorem("information-exponnet").err().unwrap().to_string();
        assert!(e.contains("did you mean `information-exponent`"), "{e}");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
