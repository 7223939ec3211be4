//! Dimensions of spaces of spherical harmonics on $S^{d-1} \subset \mathbb{R}^d$.
//!
//! $L^2(S^{d-1})$ splits into the orthogonal spaces $V_k$ of spherical harmonics of degree
//! $k$ (restrictions of harmonic homogeneous polynomials of degree $k$), of dimension
//! $$B(d,k) = \frac{2k+d-2}{k}\binom{k+d-3}{k-1}, \qquad B(d,0) = 1,$$
//! so $B(d,1) = d$, $B(d,2) = (d+2)(d-1)/2$ and $B(d,k) \sim d^k/k!$ as $d \to \infty$.
//! The polynomials of degree at most $l$, restricted to the sphere, are $\bigoplus_{k\le l}V_k$,
//! of dimension
//! $$N_l = \sum_{k\le l} B(d,k) = \binom{l+d-1}{d-1} + \binom{l+d-2}{d-1},$$
//! $N_1 = d+1$, $N_2 = d(d+3)/2$ (homogeneous polynomials of degree $l$ and $l-1$ restrict to
//! that space injectively and span it). See K. Atkinson and W. Han, *Spherical Harmonics and
//! Approximations on the Unit Sphere: An Introduction*, Lecture Notes in Math. 2044,
//! Springer (2012).
//!
//! Everything here needs $d \ge 2$: $S^0$ is two points and has no harmonics of degree
//! $\ge 2$.

use super::{invalid, SpecialError};

/// The dimension $B(d,k)$ of degree-$k$ spherical harmonics on $S^{d-1}$, exactly.
///
/// Computed as $\frac{2k+d-2}{g} \cdot \binom{k+d-3}{k-1} / \frac{k}{g}$ with
/// $g = \gcd(2k+d-2, k)$; the binomial is built with exact divisions, so every intermediate is
/// at most the result and `Overflow` means the result itself exceeds `u128::MAX`.
///
/// # Errors
/// `InvalidArgument` if $d < 2$; `Overflow` if $B(d,k) > 2^{128}-1$.
///
/// # Example
/// ```
/// use thm::special::harmonics::harmonic_dimension;
/// assert_eq!(harmonic_dimension(10, 2).unwrap(), 12 * 9 / 2);
/// assert_eq!(harmonic_dimension(3, 5).unwrap(), 11); // 2k + 1 on the 2-sphere
/// ```
pub fn harmonic_dimension(d: u64, k: u32) -> Result<u128, SpecialError> {
    check_dimension(d)?;
    if k == 0 {
        return Ok(1);
    }
    let k = u128::from(k);
    let d = u128::from(d);
    let overflow = || SpecialError::Overflow(format!("B(d = {d}, k = {k})"));
    // d >= 2 and k >= 1: k + d - 3 >= k - 1 >= 0.
    let c = binomial(k + d - 3, k - 1).ok_or_else(overflow)?;
    let a = 2 * k + d - 2;
    let g = gcd(a, k);
    // k | a·c and gcd(a/g, k/g) = 1, so k/g divides c.
    (a / g).checked_mul(c / (k / g)).ok_or_else(overflow)
}

/// $B(d,k)$ in floating point, as $\frac{2k+d-2}{k}\prod_{i=1}^{k-1}\frac{d-2+i}{i}$: relative
/// error about $k$ ulps, and $+\infty$ beyond `f64::MAX`.
///
/// # Errors
/// `InvalidArgument` if $d < 2$.
pub fn harmonic_dimension_f64(d: u64, k: u32) -> Result<f64, SpecialError> {
    check_dimension(d)?;
    if k == 0 {
        return Ok(1.0);
    }
    let (df, kf) = (d as f64, f64::from(k));
    let product: f64 = (1..k).map(|i| (df - 2.0 + f64::from(i)) / f64::from(i)).product();
    Ok((2.0 * kf + df - 2.0) / kf * product)
}

/// $N_l = \sum_{k \le l} B(d,k) = \binom{l+d-1}{d-1} + \binom{l+d-2}{d-1}$, the dimension of
/// polynomials of degree at most $l$ restricted to $S^{d-1}$, exactly.
///
/// # Errors
/// `InvalidArgument` if $d < 2$; `Overflow` if $N_l > 2^{128}-1$.
///
/// # Example
/// ```
/// use thm::special::harmonics::cumulative_harmonic_dimension;
/// assert_eq!(cumulative_harmonic_dimension(32, 2).unwrap(), 32 * 35 / 2);
/// ```
pub fn cumulative_harmonic_dimension(d: u64, l: u32) -> Result<u128, SpecialError> {
    check_dimension(d)?;
    let (d, l) = (u128::from(d), u128::from(l));
    let overflow = || SpecialError::Overflow(format!("N_l(d = {d}, l = {l})"));
    let top = binomial(l + d - 1, d - 1).ok_or_else(overflow)?;
    // For l = 0 the second term is C(d - 2, d - 1) = 0.
    let below = if l == 0 { 0 } else { binomial(l + d - 2, d - 1).ok_or_else(overflow)? };
    top.checked_add(below).ok_or_else(overflow)
}

/// $N_l$ in floating point (products of ratios, relative error about $\min(l, d)$ ulps;
/// $+\infty$ beyond `f64::MAX`).
///
/// # Errors
/// `InvalidArgument` if $d < 2$.
pub fn cumulative_harmonic_dimension_f64(d: u64, l: u32) -> Result<f64, SpecialError> {
    check_dimension(d)?;
    let (d, l) = (d as f64, f64::from(l));
    let below = if l == 0.0 { 0.0 } else { binomial_f64(l + d - 2.0, d - 1.0) };
    Ok(binomial_f64(l + d - 1.0, d - 1.0) + below)
}

/// The binomial coefficient $\binom{n}{k}$ exactly, or `None` if it exceeds `u128::MAX`
/// ($0$ when $k > n$). Each step $\binom{n}{i+1} = \binom{n}{i}\frac{n-i}{i+1}$ divides
/// before it multiplies, so no intermediate exceeds the result.
///
/// # Example
/// ```
/// assert_eq!(thm::special::harmonics::binomial(50, 25), Some(126_410_606_437_752));
/// assert_eq!(thm::special::harmonics::binomial(3, 5), Some(0));
/// ```
pub fn binomial(n: u128, k: u128) -> Option<u128> {
    if k > n {
        return Some(0);
    }
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        // r = C(n, i); (i + 1) | r·(n - i).
        let (num, den) = (n - i, i + 1);
        let g = gcd(r, den);
        let (r_red, den_red) = (r / g, den / g);
        // gcd(r/g, den/g) = 1, so den/g divides n - i.
        r = r_red.checked_mul(num / den_red)?;
    }
    Some(r)
}

/// $\binom{n}{k}$ for real $n \ge k \ge 0$ with integer values, as a product of
/// $\min(k, n-k)$ ratios.
fn binomial_f64(n: f64, k: f64) -> f64 {
    let k = k.min(n - k);
    let mut r = 1.0;
    let mut i = 1.0;
    while i <= k {
        r *= (n - k + i) / i;
        i += 1.0;
    }
    r
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn check_dimension(d: u64) -> Result<(), SpecialError> {
    if d < 2 {
        return Err(invalid(format!("spherical harmonics on S^(d-1) need d ≥ 2, got d = {d}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_closed_forms_of_low_degree() {
        for d in 2..200u64 {
            let dd = u128::from(d);
            assert_eq!(harmonic_dimension(d, 0).unwrap(), 1);
            assert_eq!(harmonic_dimension(d, 1).unwrap(), dd);
            assert_eq!(harmonic_dimension(d, 2).unwrap(), (dd + 2) * (dd - 1) / 2);
            // B(d,3) = C(d+2,3) - d: cubics minus the linear forms x·|x|^2.
            assert_eq!(
                harmonic_dimension(d, 3).unwrap(),
                (dd + 2) * (dd + 1) * dd / 6 - dd,
                "d {d}"
            );
            assert_eq!(cumulative_harmonic_dimension(d, 0).unwrap(), 1);
            assert_eq!(cumulative_harmonic_dimension(d, 1).unwrap(), dd + 1);
            assert_eq!(cumulative_harmonic_dimension(d, 2).unwrap(), dd * (dd + 3) / 2);
        }
    }

    #[test]
    fn circle_and_two_sphere() {
        for k in 1..50 {
            assert_eq!(harmonic_dimension(2, k).unwrap(), 2, "cos kθ, sin kθ");
            assert_eq!(harmonic_dimension(3, k).unwrap(), 2 * u128::from(k) + 1);
            assert_eq!(cumulative_harmonic_dimension(3, k).unwrap(), (u128::from(k) + 1).pow(2));
        }
    }

    /// B(d,k) = C(k+d-1, d-1) - C(k+d-3, d-1): harmonic homogeneous polynomials of degree k
    /// are the kernel of the (onto) Laplacian from degree k to degree k - 2.
    #[test]
    fn is_homogeneous_dimension_minus_that_of_degree_two_lower() {
        for d in 2..40u128 {
            for k in 0..40u128 {
                let lower = if k >= 2 { binomial(k + d - 3, d - 1).unwrap() } else { 0 };
                let want = binomial(k + d - 1, d - 1).unwrap() - lower;
                assert_eq!(harmonic_dimension(d as u64, k as u32).unwrap(), want, "{d} {k}");
            }
        }
    }

    #[test]
    fn partial_sums_equal_the_closed_form() {
        for d in 2..30u64 {
            let mut sum = 0u128;
            for l in 0..30u32 {
                sum += harmonic_dimension(d, l).unwrap();
                assert_eq!(cumulative_harmonic_dimension(d, l).unwrap(), sum, "d {d} l {l}");
            }
        }
    }

    #[test]
    fn floating_versions_agree_with_the_exact_ones() {
        for d in [2u64, 3, 5, 10, 64, 1000, 123_457] {
            for k in 0..12 {
                // Past u128 (d = 123457, k ≥ 8) only the f64 version has a value.
                if let Ok(exact) = harmonic_dimension(d, k) {
                    let approx = harmonic_dimension_f64(d, k).unwrap();
                    assert!((approx - exact as f64).abs() <= 1e-14 * exact as f64, "B {d} {k}");
                }
                if let Ok(exact) = cumulative_harmonic_dimension(d, k) {
                    let approx = cumulative_harmonic_dimension_f64(d, k).unwrap();
                    assert!((approx - exact as f64).abs() <= 1e-14 * exact as f64, "N {d} {k}");
                }
            }
        }
    }

    #[test]
    fn binomials_are_exact_up_to_the_largest_that_fits() {
        assert_eq!(binomial(0, 0), Some(1));
        assert_eq!(binomial(10, 3), Some(120));
        assert_eq!(binomial(67, 33), Some(14_226_520_737_620_288_370));
        // C(130, 65) ≈ 9.5e37 fits; C(132, 66) ≈ 3.8e38 does not (u128::MAX ≈ 3.4e38).
        assert_eq!(binomial(130, 65), Some(95_067_625_827_960_698_145_584_333_020_095_113_100));
        assert_eq!(binomial(132, 66), None);
        // Pascal's rule at the edge of u128.
        for k in 1..65u128 {
            let (a, b, c) = (binomial(129, k - 1), binomial(129, k), binomial(130, k));
            assert_eq!(a.unwrap() + b.unwrap(), c.unwrap(), "k {k}");
        }
    }

    #[test]
    fn overflow_and_small_dimensions_are_errors_not_panics() {
        assert!(matches!(harmonic_dimension(1_000_000, 10), Err(SpecialError::Overflow(_))));
        assert!(matches!(
            cumulative_harmonic_dimension(u64::MAX, 3),
            Err(SpecialError::Overflow(_))
        ));
        for d in [0, 1] {
            assert!(matches!(harmonic_dimension(d, 2), Err(SpecialError::InvalidArgument(_))));
            assert!(harmonic_dimension_f64(d, 2).is_err());
            assert!(cumulative_harmonic_dimension(d, 2).is_err());
            assert!(cumulative_harmonic_dimension_f64(d, 2).is_err());
        }
        assert_eq!(harmonic_dimension(u64::MAX, 1).unwrap(), u128::from(u64::MAX));
        assert_eq!(harmonic_dimension_f64(1_000_000, 80).unwrap(), f64::INFINITY);
    }
}
