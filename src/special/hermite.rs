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
