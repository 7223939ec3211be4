//! The faer calls of the learners and simulations, each sequential (`Par::Seq`) and each followed by
//! [`clear_avx_upper`], so scalar code after them on the same thread runs at full speed.

use super::NumericsError;
use faer::col::ColMut;
use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt::factor::{cholesky_in_place, cholesky_in_place_scratch, LltError};
use faer::linalg::evd::{
    self_adjoint_evd, self_adjoint_evd_scratch, ComputeEigenvectors, EvdError,
};
use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place, solve_upper_triangular_in_place,
};
use faer::{Accum, Mat, MatMut, MatRef, Par};

/// Clears the upper halves of the AVX registers (`vzeroupper`) where the CPU has AVX; a no-op
/// elsewhere.
///
/// faer's SIMD kernels can return with the upper halves dirty; scalar SSE code (libm's
/// `acos`, `exp`, `tanh`, and this crate's loops, built for baseline x86-64) then runs
/// slower. Measured with `benches/kernel.rs` (n = 4000, d = 32, one thread): the arc-cosine
/// map over the 16·10⁶ entries of $X X^\top / d$ took 491 ms right after the GEMM and 287 ms
/// after `vzeroupper` (the `exp` map 263 ms and 169 ms); an earlier prototype saw 10x for
/// libm `tanh` (`docs/engineering.md`, "The AVX upper state after a faer call").
/// Every learner here calls it after its faer calls; call it after your own faer calls
/// before element-wise work. It changes no value.
#[inline]
pub fn clear_avx_upper() {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU has AVX (checked just above), so the instruction exists.
            // `vzeroupper` zeroes only bits 128..256 of the ymm registers, which are
            // caller-saved and hold no value of this function, which is compiled without AVX
            // (and the intrinsic, being `target_feature(enable = "avx")`, is not inlined into
            // it).
            unsafe { core::arch::x86_64::_mm256_zeroupper() }
        }
    }
}

/// `dst = alpha · lhs · rhs` (or `dst += …` with `Accum::Add`), sequential, then
/// [`clear_avx_upper`]; f64 everywhere but the end-to-end net, which may run in f32.
pub(crate) fn gemm<T: faer::traits::ComplexField>(
    dst: MatMut<'_, T>,
    accum: Accum,
    lhs: MatRef<'_, T>,
    rhs: MatRef<'_, T>,
    alpha: T,
) {
    matmul(dst, accum, lhs, rhs, alpha, Par::Seq);
    clear_avx_upper();
}

/// Adds $\alpha A A^\top$ to the lower triangle of the square `dst` (its strict upper
/// triangle is not touched): faer's triangular GEMM, half the flops of a full product.
pub(crate) fn syrk_lower(dst: MatMut<'_, f64>, a: MatRef<'_, f64>, alpha: f64) {
    triangular::matmul(
        dst,
        BlockStructure::TriangularLower,
        Accum::Add,
        a,
        BlockStructure::Rectangular,
        a.transpose(),
        BlockStructure::Rectangular,
        alpha,
        Par::Seq,
    );
    clear_avx_upper();
}

/// Overwrites the lower triangle of the square `a` with its Cholesky factor $L$, $L L^\top =
/// A$ (faer's blocked left-looking $LL^\top$, reading the lower triangle only; the strict
/// upper triangle is left as it was).
///
/// # Errors
/// The 0-based index of the first pivot that is not positive (or NaN).
pub(crate) fn cholesky_lower(a: MatMut<'_, f64>) -> Result<(), usize> {
    let n = a.nrows();
    let mut mem = MemBuffer::new(cholesky_in_place_scratch::<f64>(n, Par::Seq, Default::default()));
    let result = cholesky_in_place(
        a,
        Default::default(),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    clear_avx_upper();
    match result {
        Ok(_) => Ok(()),
        Err(LltError::NonPositivePivot { index }) => Err(index),
    }
}

/// Solves $L L^\top x = b$ in place in `rhs` ($= b$ on entry), for a lower-triangular $L$
/// (only its lower triangle is read): forward then backward substitution, $2n^2$ flops.
pub(crate) fn solve_llt(l: MatRef<'_, f64>, rhs: &mut [f64]) {
    solve_lower_triangular_in_place(l, ColMut::from_slice_mut(rhs).as_mat_mut(), Par::Seq);
    solve_upper_triangular_in_place(
        l.transpose(),
        ColMut::from_slice_mut(rhs).as_mat_mut(),
        Par::Seq,
    );
    clear_avx_upper();
}

/// The eigenvalues (nondecreasing) and orthonormal eigenvectors (the columns of the matrix) of
/// the symmetric matrix whose lower triangle is `a` (the strict upper triangle is not read):
/// faer's tridiagonalisation and implicit QR, sequential.
///
/// # Errors
/// [`NumericsError::InvalidParameter`] if the QR iteration does not converge or an eigenvalue is
/// not finite (a NaN or infinite entry, say).
pub fn symmetric_eigen(a: MatRef<'_, f64>) -> Result<(Vec<f64>, Mat<f64>), NumericsError> {
    let n = a.nrows();
    let mut values = Diag::<f64>::zeros(n);
    let mut vectors = Mat::<f64>::zeros(n, n);
    let mut mem = MemBuffer::new(self_adjoint_evd_scratch::<f64>(
        n,
        ComputeEigenvectors::Yes,
        Par::Seq,
        Default::default(),
    ));
    let result = self_adjoint_evd(
        a,
        values.as_mut(),
        Some(vectors.as_mut()),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    );
    clear_avx_upper();
    let values: Vec<f64> = (0..n).map(|i| values[i]).collect();
    match result {
        Ok(()) if values.iter().all(|v| v.is_finite()) => Ok((values, vectors)),
        Ok(()) | Err(EvdError::NoConvergence) => Err(NumericsError::InvalidParameter {
            name: "largest |entry| of the symmetric matrix",
            value: a.norm_max(),
            requirement: "the eigensolver needs finite entries (its QR iteration must converge)",
        }),
    }
}

/// Copies the strict lower triangle of a square matrix onto its upper triangle, by 64 × 64
/// blocks (a column-major transpose touches one cache line per element otherwise).
pub(crate) fn mirror_lower(mut k: MatMut<'_, f64>) {
    const B: usize = 64;
    let n = k.nrows();
    for jb in (0..n).step_by(B) {
        for ib in (jb..n).step_by(B) {
            for j in jb..(jb + B).min(n) {
                for i in ib.max(j + 1)..(ib + B).min(n) {
                    k[(j, i)] = k[(i, j)];
                }
            }
        }
    }
}
