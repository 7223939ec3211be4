//! Probabilists' Hermite polynomials, normalised: $h_k = \mathrm{He}_k / \sqrt{k!}$, so that
//! $\mathbb{E}_{z \sim N(0,1)}[h_j(z) h_k(z)] = \delta_{jk}$.

/// $h_k(z)$ and its derivative $h_k'(z) = \sqrt{k}\, h_{k-1}(z)$, by the three-term recurrence
/// $\mathrm{He}_{j+1} = z \mathrm{He}_j - j \mathrm{He}_{j-1}$.
///
/// # Example
/// ```
/// let (h2, dh2) = thm::special::hermite::normalised_hermite(2, 3.0);
/// assert!((h2 - (9.0 - 1.0) / 2f64.sqrt()).abs() < 1e-12);
/// assert!((dh2 - 6.0 / 2f64.sqrt()).abs() < 1e-12);
/// ```
#[inline]
pub fn normalised_hermite(k: u32, z: f64) -> (f64, f64) {
    // He_{k-1} and He_k.
    let (mut prev, mut cur) = (0.0, 1.0);
    for j in 0..k {
        let next = z * cur - f64::from(j) * prev;
        prev = cur;
        cur = next;
    }
    let norm = factorial_sqrt(k);
    (cur / norm, f64::from(k) * prev / norm)
}

/// Fills `out[k]` with $h_k(z)$ for $k = 0, \dots, $ `out.len() - 1`, by the normalised
/// recurrence $\sqrt{k+1}\, h_{k+1} = z h_k - \sqrt{k}\, h_{k-1}$ (DLMF Table 18.9.1, row
/// $\mathit{He}_n$, divided by $\sqrt{(k+1)!}$). Unlike [`normalised_hermite`] no factorial
/// is formed, so high degrees do not overflow.
///
/// # Example
/// ```
/// let mut h = [0.0; 4];
/// thm::special::hermite::normalised_hermite_all(2.0, &mut h);
/// assert!((h[3] - (8.0 - 6.0) / 6f64.sqrt()).abs() < 1e-15);
/// ```
pub fn normalised_hermite_all(z: f64, out: &mut [f64]) {
    let (mut prev, mut cur) = (0.0, 1.0);
    for (k, slot) in out.iter_mut().enumerate() {
        *slot = cur;
        let kf = k as f64;
        let next = (z * cur - kf.sqrt() * prev) / (kf + 1.0).sqrt();
        prev = cur;
        cur = next;
    }
}

/// A Hermite series $\phi(z) = \sum_k a_k h_k(z)$ and its derivative
/// $\phi'(z) = \sum_k a_k \sqrt{k}\, h_{k-1}(z)$, with `coefficients[k]` $= a_k$; by the
/// recurrence of [`normalised_hermite_all`], without allocating. The $a_k$ are the Hermite
/// coefficients $\mathbb{E}[\phi(z) h_k(z)]$ of $\phi$.
///
/// # Example
/// ```
/// // He_2/2 + He_3/6 = h_2/sqrt(2) + h_3/sqrt(6)
/// let a = [0.0, 0.0, 0.5f64.sqrt(), (1.0f64 / 6.0).sqrt()];
/// let (v, dv) = thm::special::hermite::hermite_series(&a, 2.0);
/// assert!((v - ((4.0 - 1.0) / 2.0 + (8.0 - 6.0) / 6.0)).abs() < 1e-14);
/// assert!((dv - (2.0 + (12.0 - 3.0) / 6.0)).abs() < 1e-14);
/// ```
pub fn hermite_series(coefficients: &[f64], z: f64) -> (f64, f64) {
    let (mut prev, mut cur) = (0.0, 1.0);
    let (mut value, mut derivative) = (0.0, 0.0);
    for (k, &a) in coefficients.iter().enumerate() {
        let kf = k as f64;
        value += a * cur;
        derivative += a * kf.sqrt() * prev;
        let next = (z * cur - kf.sqrt() * prev) / (kf + 1.0).sqrt();
        prev = cur;
        cur = next;
    }
    (value, derivative)
}

/// $\sqrt{k!}$.
fn factorial_sqrt(k: u32) -> f64 {
    (1..=k).map(f64::from).product::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_closed_forms() {
        for z in [-2.0f64, -0.5, 0.0, 0.7, 3.0] {
            let he = [1.0, z, z * z - 1.0, z * z * z - 3.0 * z, z.powi(4) - 6.0 * z * z + 3.0];
            let fact = [1.0, 1.0, 2.0, 6.0, 24.0f64];
            for k in 0..5u32 {
                let (h, _) = normalised_hermite(k, z);
                assert!(
                    (h - he[k as usize] / fact[k as usize].sqrt()).abs() < 1e-12,
                    "k {k} z {z}"
                );
            }
        }
    }

    #[test]
    fn all_degrees_agree_with_the_single_degree_version() {
        let mut h = [0.0; 12];
        for z in [-3.1, -0.4, 0.0, 1.7, 5.0] {
            normalised_hermite_all(z, &mut h);
            for (k, &hk) in h.iter().enumerate() {
                let (want, _) = normalised_hermite(k as u32, z);
                assert!((hk - want).abs() <= 1e-12 * want.abs().max(1.0), "k {k} z {z}");
            }
        }
    }

    #[test]
    fn a_series_sums_its_terms_and_their_derivatives() {
        let a = [0.3, -1.0, 0.0, 2.5, 0.1, -0.7];
        for z in [-2.2, 0.0, 0.9] {
            let (v, dv) = hermite_series(&a, z);
            let (mut want, mut dwant) = (0.0, 0.0);
            for (k, &ak) in a.iter().enumerate() {
                let (h, dh) = normalised_hermite(k as u32, z);
                want += ak * h;
                dwant += ak * dh;
            }
            assert!((v - want).abs() < 1e-12 && (dv - dwant).abs() < 1e-12, "z {z}");
        }
    }

    #[test]
    fn derivative_matches_finite_differences() {
        for k in 0..6 {
            for z in [-1.3, 0.2, 2.1] {
                let eps = 1e-6;
                let fd = (normalised_hermite(k, z + eps).0 - normalised_hermite(k, z - eps).0)
                    / (2.0 * eps);
                assert!((normalised_hermite(k, z).1 - fd).abs() < 1e-6, "k {k} z {z}");
            }
        }
    }
}
