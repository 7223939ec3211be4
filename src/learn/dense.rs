//! The faer calls of the learners, each sequential (`Par::Seq`) and each followed by
//! [`clear_avx_upper`], so scalar code after them on the same thread runs at full speed.

use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::{Accum, MatMut, MatRef, Par};

/// Clears the upper halves of the AVX registers (`vzeroupper`) where the CPU has AVX; a no-op
/// elsewhere.
///
/// faer's SIMD kernels can return with the upper halves dirty; scalar SSE code (libm's
/// `acos`, `exp`, `tanh`, and this crate's loops, built for baseline x86-64) then runs
/// slower. Measured with `benches/kernel.rs` (n = 4000, d = 32, one thread): the arc-cosine
/// map over the 16·10⁶ entries of $X X^\top / d$ took 491 ms right after the GEMM and 287 ms
/// after `vzeroupper` (the `exp` map 263 ms and 169 ms); style.md §3.5 saw 10x for `tanh`.
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

/// `dst = alpha · lhs · rhs` (or `dst += …` with `Accum::Add`), sequential.
pub(crate) fn gemm(
    dst: MatMut<'_, f64>,
    accum: Accum,
    lhs: MatRef<'_, f64>,
    rhs: MatRef<'_, f64>,
    alpha: f64,
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
