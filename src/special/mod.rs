//! Special functions of the theory, written once and tested against exact values.
//!
//! **Architecture Invariant:** pure numerics: no IO, no printing, no random numbers, no
//! global state.

pub mod hermite;
