//! The population ($n = \infty$) moments of random ReLU features on $S^{d-1}(\sqrt d)$: the
//! Gram matrix $U_{ij} = \mathbb{E}_x[\mathrm{relu}(\langle w_i,x\rangle)\,
//! \mathrm{relu}(\langle w_j,x\rangle)]$ and the projections $\mathbb{E}_x[\mathrm{relu}(\langle
//! w_i,x\rangle)\, q_k(x_1)]$, exact up to a stated truncation in degree. With them, the ridge
//! fit of $N$ random features at $n = \infty$ (GMMM 2021's approximation-limited regime, where
//! the width and not the sample limits what is learned) costs $N^2 K + N^3/3$ flop instead of
//! the $n N^2$ of a sampled fit with $n \gg N$.
//!
//! ReLU is positively homogeneous, so with $w = r u$, $|u| = 1$, $\mathrm{relu}(\langle
//! w,x\rangle) = r \sum_k \xi_k\, q_k(\langle u,x\rangle)$, where $\xi_k$ are the Gegenbauer
//! coefficients of relu under the law of $\langle u,x\rangle$ ([`gegenbauer_energies`]). The
//! addition theorem, $\mathbb{E}_x[q_k(\langle u,x\rangle)\, q_k(\langle v,x\rangle)] =
//! Q_k(\langle u,v\rangle)$ with $Q_k(s) = q_k(\sqrt d\, s)/\sqrt{B(d,k)}$ and $Q_k(1) = 1$,
//! and the orthogonality of different degrees give
//! $$U_{ij} = r_i r_j \sum_{k} \xi_k^2\, Q_k(\langle u_i,u_j\rangle), \qquad
//! \mathbb{E}_x[\mathrm{relu}(\langle w_i,x\rangle)\, q_k(x_1)] = r_i\, \xi_k\,
//! Q_k(\langle u_i, e_1\rangle).$$
//! The sum is cut at degree $K$; the diagonal is exact ($r_i^2\, \mathbb{E}\,\mathrm{relu}^2$)
//! and each off-diagonal entry is off by at most $r_i r_j$ times the tail
//! $\sum_{k>K}\xi_k^2$ ([`RfPopulation::truncation`]), since $|Q_k| \le 1$.

use crate::learn::ReluFeatures;
use crate::numerics::NumericsError;
use crate::special::energies::{gegenbauer_energies, Activation};
use crate::special::gegenbauer::SphericalMarginal;
use crate::special::harmonics::harmonic_dimension_f64;
use faer::Mat;

/// The Gegenbauer expansion of relu at dimension $d$, cut at degree $K$.
#[derive(Clone, Debug)]
pub struct RfPopulation {
    law: SphericalMarginal,
    /// $\xi_k$, $k = 0..=K$.
    xi: Vec<f64>,
    /// $1/\sqrt{B(d,k)}$, $k = 0..=K$.
    inv_sqrt_multiplicity: Vec<f64>,
    /// $\mathbb{E}\,\mathrm{relu}(t)^2$.
    second_moment: f64,
}

impl RfPopulation {
    /// The expansion of relu under the law of $\langle u, x\rangle$ at dimension `d`, degrees
    /// $0..=K$ (`max_degree`).
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] if $d < 2$ or $K$ is outside what the quadrature
    /// resolves.
    pub fn new(d: usize, max_degree: u32) -> Result<Self, NumericsError> {
        let invalid = |name, value: f64, requirement| NumericsError::InvalidParameter {
            name,
            value,
            requirement,
        };
        let law = SphericalMarginal::new(d as u64)
            .map_err(|_| invalid("dimension d", d as f64, "the sphere needs d ≥ 2"))?;
        let relu = Activation::Relu;
        let expansion =
            gegenbauer_energies(|t| relu.eval(t), &[0.0], &law, max_degree).map_err(|_| {
                invalid(
                    "degree cut K",
                    f64::from(max_degree),
                    "K must not exceed special::energies::MAX_DEGREE",
                )
            })?;
        let inv_sqrt_multiplicity = (0..=max_degree)
            .map(|k| harmonic_dimension_f64(d as u64, k).map(|b| 1.0 / b.sqrt()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid("dimension d", d as f64, "B(d,k) must be finite for k ≤ K"))?;
        Ok(RfPopulation {
            law,
            xi: expansion.coefficients,
            inv_sqrt_multiplicity,
            second_moment: expansion.second_moment,
        })
    }

    /// The energy $\sum_{k>K}\xi_k^2$ the cut leaves out: the largest error of an
    /// off-diagonal entry of [`gram`](Self::gram) for unit-norm neurons.
    pub fn truncation(&self) -> f64 {
        (self.second_moment - self.xi.iter().map(|x| x * x).sum::<f64>()).max(0.0)
    }

    /// $Q_k(s)$ for $k = 0..=K$ into `out`.
    fn normalised(&self, s: f64, out: &mut [f64]) {
        self.law.orthonormal_all(self.law.radius() * s.clamp(-1.0, 1.0), out);
        for (q, c) in out.iter_mut().zip(&self.inv_sqrt_multiplicity) {
            *q *= c;
        }
    }

    /// The $N \times N$ population Gram matrix $U$ of the neurons' ReLU features.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if the neurons do not live in dimension $d$.
    pub fn gram(&self, neurons: &ReluFeatures) -> Result<Mat<f64>, NumericsError> {
        let (norms, units) = self.directions(neurons)?;
        let n = norms.len();
        let mut q = vec![0.0; self.xi.len()];
        let mut u = Mat::<f64>::zeros(n, n);
        for i in 0..n {
            u[(i, i)] = norms[i] * norms[i] * self.second_moment;
            for j in 0..i {
                let s: f64 = units[i].iter().zip(&units[j]).map(|(a, b)| a * b).sum();
                self.normalised(s, &mut q);
                let h: f64 = self.xi.iter().zip(&q).map(|(x, q)| x * x * q).sum();
                u[(i, j)] = norms[i] * norms[j] * h;
                u[(j, i)] = u[(i, j)];
            }
        }
        Ok(u)
    }

    /// $\mathbb{E}_x[\mathrm{relu}(\langle w_i,x\rangle)\, q_k(x_1)]$ for every neuron $i$:
    /// the covariance of the features with the degree-$k$ Gegenbauer polynomial of the
    /// direction $e_1$.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if the neurons do not live in dimension $d$;
    /// [`NumericsError::InvalidParameter`] if $k > K$.
    pub fn projection(&self, neurons: &ReluFeatures, k: u32) -> Result<Vec<f64>, NumericsError> {
        let Some(&xi_k) = self.xi.get(k as usize) else {
            return Err(NumericsError::InvalidParameter {
                name: "degree k",
                value: f64::from(k),
                requirement: "k must not exceed the expansion's cut K",
            });
        };
        let (norms, units) = self.directions(neurons)?;
        let mut q = vec![0.0; k as usize + 1];
        Ok(norms
            .iter()
            .zip(&units)
            .map(|(r, u)| {
                self.normalised(u[0], &mut q);
                r * xi_k * q[k as usize]
            })
            .collect())
    }

    /// The norms $r_i$ and unit directions $u_i$ of the neurons.
    fn directions(
        &self,
        neurons: &ReluFeatures,
    ) -> Result<(Vec<f64>, Vec<Vec<f64>>), NumericsError> {
        let d = self.law.dimension() as usize;
        if neurons.dim() != d {
            return Err(NumericsError::DimensionMismatch {
                what: "dimension of the neurons",
                expected: d,
                found: neurons.dim(),
            });
        }
        let w = neurons.weights();
        let mut norms = Vec::with_capacity(w.nrows());
        let mut units = Vec::with_capacity(w.nrows());
        for i in 0..w.nrows() {
            let row: Vec<f64> = (0..d).map(|a| w[(i, a)]).collect();
            let r = row.iter().map(|v| v * v).sum::<f64>().sqrt();
            units.push(row.iter().map(|v| v / r).collect());
            norms.push(r);
        }
        Ok((norms, units))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::sphere_points;
    use crate::rng::rng_from_u64;

    /// The population moments agree with their Monte-Carlo estimates over 200 000 points, to
    /// within five standard errors (each entry's standard error is below 0.002 here).
    #[test]
    fn population_moments_match_their_monte_carlo_estimates() {
        let (d, n_neurons, m) = (8, 6, 200_000);
        let mut rng = rng_from_u64(11);
        let neurons = ReluFeatures::draw(n_neurons, d, &mut rng).unwrap();
        let x = sphere_points(m, d, &mut rng).unwrap();
        let phi = neurons.rf_features(x.as_ref()).unwrap();
        let pop = RfPopulation::new(d, 60).unwrap();
        assert!(pop.truncation() < 1e-3, "tail {}", pop.truncation());
        let u = pop.gram(&neurons).unwrap();
        let law = SphericalMarginal::new(d as u64).unwrap();
        let q2: Vec<f64> = (0..m).map(|r| law.orthonormal(2, x[(r, 0)]).0).collect();
        let c2 = pop.projection(&neurons, 2).unwrap();
        for i in 0..n_neurons {
            for j in 0..n_neurons {
                let mc = (0..m).map(|r| phi[(r, i)] * phi[(r, j)]).sum::<f64>() / m as f64;
                assert!((mc - u[(i, j)]).abs() < 0.01, "U[{i},{j}] = {} vs {mc}", u[(i, j)]);
            }
            let mc = (0..m).map(|r| phi[(r, i)] * q2[r]).sum::<f64>() / m as f64;
            assert!((mc - c2[i]).abs() < 0.01, "c2[{i}] = {} vs {mc}", c2[i]);
        }
    }

    #[test]
    fn the_relu_expansion_carries_its_whole_energy_and_bad_input_is_an_error() {
        // E relu(t)^2 = E t^2 / 2 = 1/2 for the unit-variance law of <u, x>.
        let pop = RfPopulation::new(16, 80).unwrap();
        assert!((pop.second_moment - 0.5).abs() < 1e-12);
        assert!(pop.truncation() < 1e-3);
        assert!(RfPopulation::new(1, 10).is_err());
        assert!(RfPopulation::new(8, 10_000).is_err());
        let neurons = ReluFeatures::draw(3, 5, &mut rng_from_u64(1)).unwrap();
        assert!(pop.gram(&neurons).is_err());
        assert!(RfPopulation::new(5, 4).unwrap().projection(&neurons, 5).is_err());
    }
}
