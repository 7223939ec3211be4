//! Ridge regression on explicit features, solved for every prefix of the features from one
//! Cholesky factor: the random-features and NT models at $n \gg N$ (GMMM 2021's
//! approximation-limited regime, as in `kernel-barrier`'s claim `rf-vs-nt-width`), whose width
//! sweeps cost their widest model.
//!
//! With features $\Phi$ ($n \times p$) and targets $y$, the coefficients on the first $q$
//! features are $\beta_q = (G_q + \lambda I_q)^{-1} b_q$ with $G = \Phi^\top \Phi / n$ and
//! $b = \Phi^\top y / n$, and $G_q$, $b_q$ their leading blocks: so one factor of $G +
//! \lambda I$ serves every $q$ ([`Krr`] on the Gram matrix of the features).

use crate::learn::Krr;
use crate::numerics::dense::{gemm, mirror_lower, syrk_lower};
use crate::numerics::NumericsError;
use faer::col::{ColMut, ColRef};
use faer::{Accum, Mat, MatRef};

/// A factored feature ridge regression, ready to predict with any prefix of its features.
#[derive(Clone, Debug)]
pub struct PrefixRidge {
    krr: Krr,
    b: Vec<f64>,
}

impl PrefixRidge {
    /// Forms $G = \Phi^\top\Phi/n$ (triangular GEMM) and $b = \Phi^\top y / n$, and factors
    /// $G + \lambda I$ with the ridge $\lambda = r \cdot \mathrm{tr}(G)/p$ (relative to the mean
    /// feature energy).
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `y` has not one value per row of `features`;
    /// [`NumericsError::InvalidParameter`] for a relative ridge that is not finite and positive;
    /// [`NumericsError::NotPositiveDefinite`] if the factorisation fails.
    pub fn fit(
        features: MatRef<'_, f64>,
        y: &[f64],
        relative_ridge: f64,
    ) -> Result<Self, NumericsError> {
        let (n, p) = (features.nrows(), features.ncols());
        if y.len() != n {
            return Err(NumericsError::DimensionMismatch {
                what: "targets y (one per row of the features)",
                expected: n,
                found: y.len(),
            });
        }
        let mut g = Mat::<f64>::zeros(p, p);
        syrk_lower(g.as_mut(), features.transpose(), 1.0 / n as f64);
        mirror_lower(g.as_mut());
        let mut b = vec![0.0; p];
        gemm(
            ColMut::from_slice_mut(&mut b).as_mat_mut(),
            Accum::Replace,
            features.transpose(),
            ColRef::from_slice(y).as_mat(),
            1.0 / n as f64,
        );
        Self::from_moments(g, b, relative_ridge)
    }

    /// The same fit from the moments themselves: a symmetric $p \times p$ matrix $G$ and
    /// $b$, e.g. the population moments $\mathbb{E}[\phi\phi^\top]$ and
    /// $\mathbb{E}[\phi\, y]$ of a fit at $n = \infty$ ([`RfPopulation`](crate::learn::RfPopulation)).
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if $G$ is not $p \times p$ with $p$ = `b.len()`;
    /// [`NumericsError::InvalidParameter`] for a relative ridge that is not finite and positive;
    /// [`NumericsError::NotPositiveDefinite`] if the factorisation fails.
    pub fn from_moments(
        g: Mat<f64>,
        b: Vec<f64>,
        relative_ridge: f64,
    ) -> Result<Self, NumericsError> {
        let p = b.len();
        if g.nrows() != p || g.ncols() != p {
            return Err(NumericsError::DimensionMismatch {
                what: "order of the moment matrix G (one row per feature of b)",
                expected: p,
                found: if g.nrows() != p { g.nrows() } else { g.ncols() },
            });
        }
        if !(relative_ridge.is_finite() && relative_ridge > 0.0) {
            return Err(NumericsError::InvalidParameter {
                name: "relative ridge r",
                value: relative_ridge,
                requirement: "the relative ridge must be finite and > 0",
            });
        }
        let trace: f64 = (0..p).map(|i| g[(i, i)]).sum();
        let krr = Krr::factor(g, relative_ridge * trace / p.max(1) as f64)?;
        Ok(PrefixRidge { krr, b })
    }

    /// The coefficients $\beta_q = (G_q + \lambda I_q)^{-1} b_q$ of the fit on the first $q$
    /// features.
    ///
    /// # Errors
    /// [`NumericsError::PrefixTooLong`] if $q > p$.
    pub fn coefficients(&self, q: usize) -> Result<Vec<f64>, NumericsError> {
        if q > self.n_features() {
            return Err(NumericsError::PrefixTooLong { n: q, n_max: self.n_features() });
        }
        self.krr.coefficients(q, &self.b[..q])
    }

    /// The number $p$ of features factored.
    pub fn n_features(&self) -> usize {
        self.b.len()
    }

    /// Predictions at the rows of `test_features` ($m \times p$) of the ridge fit on the first
    /// $q$ features (only the first $q$ columns of `test_features` are read).
    ///
    /// # Errors
    /// [`NumericsError::PrefixTooLong`] if $q > p$; [`NumericsError::DimensionMismatch`] if
    /// `test_features` does not have $p$ columns.
    pub fn predict(
        &self,
        q: usize,
        test_features: MatRef<'_, f64>,
    ) -> Result<Vec<f64>, NumericsError> {
        if q > self.n_features() {
            return Err(NumericsError::PrefixTooLong { n: q, n_max: self.n_features() });
        }
        // KRR's prediction, with the test features as the test-train "kernel" matrix and b as
        // the targets: the same coefficients, then the same product with the first q columns.
        self.krr.predict(q, test_features, &self.b[..q])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::{sphere_points, ReluFeatures};
    use crate::rng::rng_from_u64;

    #[test]
    fn a_prefix_fit_equals_a_fit_on_the_prefix_alone() {
        let mut rng = rng_from_u64(3);
        let x = sphere_points(300, 6, &mut rng).unwrap();
        let test = sphere_points(20, 6, &mut rng).unwrap();
        let feats = ReluFeatures::draw(40, 6, &mut rng).unwrap();
        let (phi, phi_test) =
            (feats.rf_features(x.as_ref()).unwrap(), feats.rf_features(test.as_ref()).unwrap());
        let y: Vec<f64> = (0..300).map(|i| x[(i, 0)] * x[(i, 1)]).collect();
        let full = PrefixRidge::fit(phi.as_ref(), &y, 1e-3).unwrap();
        // The ridge is relative to the trace of the full Gram matrix: pass the same absolute
        // value to the prefix-only fit by rescaling r.
        let q = 25;
        let g_full: f64 =
            (0..40).map(|j| phi.col(j).iter().map(|v| v * v).sum::<f64>()).sum::<f64>()
                / 300.0
                / 40.0;
        let g_q: f64 = (0..q).map(|j| phi.col(j).iter().map(|v| v * v).sum::<f64>()).sum::<f64>()
            / 300.0
            / q as f64;
        let alone = PrefixRidge::fit(phi.as_ref().subcols(0, q), &y, 1e-3 * g_full / g_q).unwrap();
        let a = full.predict(q, phi_test.as_ref()).unwrap();
        let b = alone.predict(q, phi_test.as_ref().subcols(0, q)).unwrap();
        for (u, v) in a.iter().zip(&b) {
            assert!((u - v).abs() <= 1e-9 * (1.0 + v.abs()), "{u} vs {v}");
        }
        assert!(full.predict(41, phi_test.as_ref()).is_err());
        assert!(full.coefficients(41).is_err());
        // The coefficients are the prediction's weights on the test features.
        let beta = full.coefficients(q).unwrap();
        let first: f64 = (0..q).map(|j| beta[j] * phi_test[(0, j)]).sum();
        assert!((first - a[0]).abs() <= 1e-9 * (1.0 + first.abs()));
    }

    /// At n = ∞ the ridge fit of random features learns what the sampled fit at n ≫ N
    /// learns: the degree-2 coefficient of the fitted function agrees within its
    /// Monte-Carlo error.
    #[test]
    fn the_population_fit_is_the_limit_of_the_sampled_fit() {
        use crate::learn::RfPopulation;
        use crate::special::gegenbauer::SphericalMarginal;
        let (d, n_neurons, n) = (8, 30, 100_000);
        let mut rng = rng_from_u64(12);
        let neurons = ReluFeatures::draw(n_neurons, d, &mut rng).unwrap();
        let law = SphericalMarginal::new(d as u64).unwrap();
        let x = sphere_points(n, d, &mut rng).unwrap();
        let q2: Vec<f64> = (0..n).map(|r| law.orthonormal(2, x[(r, 0)]).0).collect();
        let phi = neurons.rf_features(x.as_ref()).unwrap();
        let sampled = PrefixRidge::fit(phi.as_ref(), &q2, 1e-3).unwrap();
        let pop = RfPopulation::new(d, 60).unwrap();
        let c2 = pop.projection(&neurons, 2).unwrap();
        let exact =
            PrefixRidge::from_moments(pop.gram(&neurons).unwrap(), c2.clone(), 1e-3).unwrap();
        for q in [5, 15, 30] {
            let learned = |fit: &PrefixRidge| {
                fit.coefficients(q).unwrap().iter().zip(&c2).map(|(b, c)| b * c).sum::<f64>()
            };
            let (s, e) = (learned(&sampled), learned(&exact));
            assert!(e > 0.0 && e < 1.0, "q = {q}: learned fraction {e}");
            assert!((s - e).abs() < 0.03, "q = {q}: sampled {s} vs population {e}");
        }
        let wrong = PrefixRidge::from_moments(Mat::zeros(3, 4), vec![0.0; 3], 1e-3);
        assert!(wrong.is_err());
    }

    #[test]
    fn nt_features_reproduce_the_nt_gram_matrix() {
        let mut rng = rng_from_u64(4);
        let x = sphere_points(15, 5, &mut rng).unwrap();
        let feats = ReluFeatures::draw(30, 5, &mut rng).unwrap();
        let phi = feats.nt_features(x.as_ref()).unwrap();
        let k = feats.nt_gram(x.as_ref()).unwrap();
        for i in 0..15 {
            for j in 0..15 {
                let dot: f64 =
                    (0..phi.ncols()).map(|c| phi[(i, c)] * phi[(j, c)]).sum::<f64>() / 30.0;
                assert!((dot - k[(i, j)]).abs() < 1e-12, "({i}, {j}): {dot} vs {}", k[(i, j)]);
            }
        }
    }
}
