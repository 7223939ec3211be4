//! # thm: a typed theorem harness for deep-learning theory
//!
//! A theorem of the form "this learner needs $n \sim d^a$ samples" becomes a checkable object:
//! a module with typed, validated parameters, a predicted law computed from them, and a
//! seeded simulation that measures the same quantity. The harness fits the empirical exponent
//! with a 95% interval, compares it with the prediction, runs a falsification control, and
//! returns a verdict with its reason.
//!
//! ```
//! use thm::{card::Profile, check::run_claim, registry, verdict::Verdict};
//!
//! let card = registry::builtin_card("depth-efficiency-square").unwrap();
//! let claim = card.claim("deep").unwrap();
//! let result = run_claim(&card, claim, Profile::Quick, None, &|| {});
//! assert_eq!(result.outcome.verdict, Verdict::Confirmed);
//! assert_eq!(result.outcome.control.verdict, Verdict::Refuted);
//!
//! // Bad input is an error that names the field, never a panic.
//! assert!(registry::builtin_card("no-such-theorem").is_err());
//! ```
//!
//! Pipeline: [`card`] → [`theorem`] (validated parameters, prediction, simulation) →
//! [`check`] (trials, medians, [`stats`]) → [`verdict`] → [`report`] and [`cert`]. See
//! `ARCHITECTURE.md` for the code map and invariants.

// Every public item says what it is (the docs are part of the theory's statement).
#![deny(missing_docs)]

pub mod card;
pub mod cert;
pub mod check;
pub mod cli;
pub mod error;
pub mod law;
pub mod learn;
pub mod numerics;
pub mod registry;
pub mod report;
pub mod resources;
pub mod rng;
pub mod sim;
pub mod special;
pub mod stats;
pub mod store;
pub mod theorem;
pub mod theorems;
pub mod verdict;
