//! Vector kernels every simulation shares: fresh Gaussian samples and a dot product.

use crate::rng::Rng;
use rand::RngExt;
use rand_distr::StandardNormal;

/// Fills `x` with independent standard normals (ziggurat, rand_distr): the natural cost floor
/// of an online SGD step, which needs one fresh $d$-dimensional sample.
#[inline]
pub fn draw_gaussians(x: &mut [f64], rng: &mut Rng) {
    for xi in x.iter_mut() {
        *xi = rng.sample(StandardNormal);
    }
}

/// Dot product with four independent accumulators (a plain `.sum()` stays scalar and serial).
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        for i in 0..4 {
            acc[i] += x[i] * y[i];
        }
    }
    for (x, y) in ar.iter().zip(br) {
        acc[0] += x * y;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_the_naive_sum() {
        let a: Vec<f64> = (0..11).map(f64::from).collect();
        let b: Vec<f64> = (0..11).map(|i| f64::from(i) * 0.5).collect();
        let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-12);
    }
}
