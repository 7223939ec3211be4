//! Simulation building blocks shared by theorem modules: special functions and learners.
//!
//! **Architecture Invariant:** pure numerics: no IO, no printing, no generator built here
//! (a `&mut Rng` is passed in).

pub mod hermite;
pub mod online_sgd;
pub mod overlap_chain;
