//! Special functions of the theory, written once and tested against exact values.
//!
//! * [`hermite`]: normalised Hermite polynomials $h_k = \mathrm{He}_k/\sqrt{k!}$, orthonormal
//!   for $N(0,1)$.
//! * [`harmonics`]: the dimension $B(d,k)$ of degree-$k$ spherical harmonics on $S^{d-1}$ and
//!   its partial sums $N_l$, exactly in `u128` and in `f64`.
//! * [`gegenbauer`]: the law of $t = \langle w, x\rangle$ for $x$ uniform on
//!   $S^{d-1}(\sqrt d)$ and its orthonormal (Gegenbauer) polynomials $q_k$, which tend to
//!   $h_k$ as $d \to \infty$.
//! * [`quadrature`]: Gauss rules (Hermite, Legendre, Gegenbauer) by Golub–Welsch, and
//!   composite Gauss–Legendre rules split at kinks, for $N(0,1)$ and for the law of $t$.
//! * [`energies`]: Hermite energies $c_k^2$ and finite-$d$ Gegenbauer energies $\xi_k^2$ of an
//!   activation or link, and the degree masses of an inner-product kernel on the sphere.
//!
//! **Architecture Invariant:** pure numerics: no IO, no printing, no random numbers, no
//! global state. Every public function that a card's parameters can reach returns a
//! [`SpecialError`] on bad input instead of panicking, and every sum runs in a fixed order,
//! so results are bit-identical run to run.

pub mod energies;
pub mod gegenbauer;
pub mod harmonics;
pub mod hermite;
pub mod quadrature;

/// Bad input to a special function, or an exact result too large for its type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecialError {
    /// An argument outside the function's domain, e.g. a dimension $d < 2$ or no nodes; the
    /// message names the argument, the requirement and the value found.
    #[error("{0}")]
    InvalidArgument(String),
    /// An exact integer result that does not fit its type; the message names the quantity.
    #[error("{0} overflows u128")]
    Overflow(String),
}

/// The crate-internal shorthand for an invalid argument.
pub(crate) fn invalid(message: impl Into<String>) -> SpecialError {
    SpecialError::InvalidArgument(message.into())
}
