//! Shared numerics at the bottom of the crate: the vector kernels every simulation uses
//! ([`draw_gaussians`], [`dot`]), the sequential faer calls of the learners and simulations
//! (`dense`, crate-private), and their error ([`NumericsError`]).
//!
//! Both `learn/` and `sim/` build on this folder; nothing here imports either of them.
//!
//! **Architecture Invariant:** pure numerics: no IO, no generator built here (a `&mut Rng` is
//! passed in), faer with `Par::Seq` only, each faer call followed by [`clear_avx_upper`]. Bad
//! shapes or parameters are a [`NumericsError`], never a panic.

pub(crate) mod dense;
mod error;
mod vector;

pub use dense::{clear_avx_upper, symmetric_eigen};
pub use error::NumericsError;
pub use vector::{dot, draw_gaussians};
