//! Points uniform on the sphere $S^{d-1}(\sqrt d)$, the input law of the kernel barrier
//! (as in Ghorbani, Mei, Misiakiewicz, Montanari, arXiv:1904.12191v3; see
//! `docs/theory/kernel-barrier.md`).

use crate::numerics::draw_gaussians;
use crate::numerics::NumericsError;
use crate::rng::Rng;
use faer::Mat;

/// `n` i.i.d. points uniform on $S^{d-1}(\sqrt d) = \{x \in \mathbb R^d : \lVert x \rVert =
/// \sqrt d\}$, as the rows of an $n \times d$ matrix.
///
/// Point $i$ is $x_i = \sqrt d\, g_i / \lVert g_i \rVert$ with $g_i \sim N(0, I_d)$ (the
/// normalised Gaussian is uniform on the sphere by rotation invariance). The $d$ normals of
/// point 0 are drawn first, then those of point 1, and so on, so the first $n$ points of a
/// draw of $n' > n$ points are the draw of $n$ points from the same stream state.
///
/// # Errors
/// [`NumericsError::InvalidParameter`] if `d == 0`.
pub fn sphere_points(n: usize, d: usize, rng: &mut Rng) -> Result<Mat<f64>, NumericsError> {
    if d == 0 {
        return Err(NumericsError::InvalidParameter {
            name: "dimension d",
            value: 0.0,
            requirement: "points on a sphere need d ≥ 1",
        });
    }
    let radius = (d as f64).sqrt();
    let mut g = vec![0.0; d];
    let mut x = Mat::<f64>::zeros(n, d);
    for i in 0..n {
        let mut norm2 = 0.0;
        // A zero vector has probability 0 but the ziggurat can return 0.0; redraw.
        while norm2 == 0.0 {
            draw_gaussians(&mut g, rng);
            norm2 = g.iter().map(|v| v * v).sum::<f64>();
        }
        let scale = radius / norm2.sqrt();
        for (j, gj) in g.iter().enumerate() {
            x[(i, j)] = gj * scale;
        }
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;

    #[test]
    fn points_have_norm_sqrt_d_and_mean_near_zero() {
        let (n, d) = (4000, 7);
        let x = sphere_points(n, d, &mut rng_from_u64(3)).unwrap();
        assert_eq!((x.nrows(), x.ncols()), (n, d));
        for i in 0..n {
            let r2: f64 = (0..d).map(|j| x[(i, j)] * x[(i, j)]).sum();
            assert!((r2 - d as f64).abs() < 1e-12);
        }
        // Each coordinate has mean 0 and variance 1 on S^{d-1}(sqrt d): |mean| < 4/sqrt(n).
        for j in 0..d {
            let mean: f64 = (0..n).map(|i| x[(i, j)]).sum::<f64>() / n as f64;
            assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "coordinate {j}: mean {mean}");
        }
    }

    #[test]
    fn a_longer_draw_extends_a_shorter_one() {
        let short = sphere_points(5, 3, &mut rng_from_u64(4)).unwrap();
        let long = sphere_points(9, 3, &mut rng_from_u64(4)).unwrap();
        assert_eq!(short, long.subrows(0, 5).to_owned());
    }

    #[test]
    fn dimension_zero_is_an_error() {
        assert!(sphere_points(3, 0, &mut rng_from_u64(5)).is_err());
    }
}
