//! The error of the shared numerics and the learners built on them: shapes and parameters a
//! card could get wrong, and a matrix that is not positive definite. Never a panic.

/// What can go wrong in a dense computation: building a kernel matrix, factoring it, fitting a
/// learner.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NumericsError {
    /// The Cholesky factorisation of $K + \lambda I$ met a pivot that is not positive (or is
    /// NaN): the matrix is not numerically positive definite.
    #[error(
        "the {n}×{n} matrix K + λI is not positive definite: Cholesky pivot {pivot} (0-based) \
         is not positive; raise the ridge λ, or check that the kernel is positive definite and \
         its values finite"
    )]
    NotPositiveDefinite {
        /// 0-based index of the first failing pivot.
        pivot: usize,
        /// Order of the matrix.
        n: usize,
    },
    /// Two sizes that must agree do not.
    #[error("{what}: expected {expected}, got {found}")]
    DimensionMismatch {
        /// Which size, e.g. `columns of the test points (dimension d)`.
        what: &'static str,
        /// The size required by the other arguments.
        expected: usize,
        /// The size passed.
        found: usize,
    },
    /// A prefix of the training set longer than the set that was factored.
    #[error("a prefix of n = {n} training points was asked for, but only {n_max} were factored")]
    PrefixTooLong {
        /// The prefix size asked for.
        n: usize,
        /// The number of points factored.
        n_max: usize,
    },
    /// A scalar parameter outside its domain.
    #[error("{name} = {value}, but {requirement}")]
    InvalidParameter {
        /// The parameter, e.g. `ridge λ`.
        name: &'static str,
        /// Its value.
        value: f64,
        /// The constraint in words, e.g. `it must be finite and ≥ 0`.
        requirement: &'static str,
    },
}
