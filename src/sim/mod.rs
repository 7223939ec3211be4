//! Simulation building blocks shared by theorem modules: learners. Special functions (Hermite
//! and Gegenbauer polynomials, quadrature, energies) live in [`crate::special`].
//!
//! **Architecture Invariant:** pure numerics: no IO, no printing, no generator built here
//! (a `&mut Rng` is passed in).

pub mod hierarchical;
pub mod hitting_time;
pub mod might;
pub mod online_sgd;
pub mod overlap_chain;
pub mod sight;
pub mod smoothers;
pub mod three_layer;
pub mod two_layer;
pub mod two_layer_relu;
