//! The population ($n = \infty$) moments of the neural-tangent (NT) features of a two-layer
//! ReLU network under Gaussian inputs $x \sim N(0, I_d)$, in closed form: what a width sweep of
//! the NT model at $n = \infty$ needs (GMMM 2021's approximation-limited regime; the NT half of
//! the kernel-barrier card's planned `rf-vs-nt-width` claim).
//!
//! Neuron $i$ of $f(x) = \sum_i a_i\,\mathrm{relu}(\langle w_i, x\rangle)$ contributes the
//! $d$ features $\phi_{i\alpha}(x) = \mathbb{1}\{\langle u_i, x\rangle > 0\}\,x_\alpha$, the
//! gradient in $w_i$ divided by $a_i$ (with $u_i = w_i/|w_i|$): the span of the features, and
//! so the least-squares fit, does not depend on the second layer. Gaussian integration by
//! parts twice, $\mathbb{E}[h\,x x^\top] = \mathbb{E}[h]\,I + \mathbb{E}[\nabla^2 h]$, with
//! $h = \mathbb{1}_u \mathbb{1}_v$ and the joint density of $(\langle u,x\rangle, \langle
//! v,x\rangle)$ at the origin, $1/(2\pi\sin\theta)$ ($\cos\theta = \rho = \langle u,v\rangle$),
//! gives the $d \times d$ block of the Gram matrix
//! $$\mathbb{E}[\mathbb{1}_u\mathbb{1}_v\, x x^\top] = \frac{\pi-\theta}{2\pi}\, I +
//! \frac{1}{2\pi\sin\theta}\big(u v^\top + v u^\top - \rho\,(u u^\top + v v^\top)\big),$$
//! and $\frac12 I$ for $u = v$ (the correction vanishes as $\theta \to 0$, like $\sin\theta$).
//! Once, for the unit-variance degree-2 Hermite target $f(x) = (x_1^2 - 1)/\sqrt 2$:
//! $$\mathbb{E}[\mathbb{1}_u\, x\, f(x)] = \frac{2 u_1 e_1 - u_1^2\, u}{2\sqrt\pi},$$
//! and for the degree-1 target $f(x) = x_1$, $\mathbb{E}[\mathbb{1}_u\, x\, x_1] = \frac12 e_1$.
//! Both are checked against Monte-Carlo estimates in the tests, with a control formula that
//! must fail them.

use crate::learn::{LearnError, ReluFeatures};
use faer::Mat;
use std::f64::consts::PI;

/// Below this $\sin\theta$ two neurons count as parallel: the Gram block is $\frac12 I$ (the
/// correction term is $O(\sin\theta)$, so the error is below $10^{-9}$).
const PARALLEL: f64 = 1e-9;

/// Closed-form population moments of NT features for Gaussian inputs in dimension $d$.
#[derive(Clone, Copy, Debug)]
pub struct NtPopulation {
    d: usize,
}

impl NtPopulation {
    /// Moments in dimension `d`.
    ///
    /// # Errors
    /// [`LearnError::InvalidParameter`] if $d < 2$ (the target $x_1^2 - 1$ needs an axis and
    /// neurons need directions).
    pub fn new(d: usize) -> Result<Self, LearnError> {
        if d < 2 {
            return Err(LearnError::InvalidParameter {
                name: "dimension d",
                value: d as f64,
                requirement: "NT population moments need d ≥ 2",
            });
        }
        Ok(NtPopulation { d })
    }

    /// The $(N d) \times (N d)$ Gram matrix $\mathbb{E}[\phi\phi^\top]$, neuron-major (the $d$
    /// features of neuron 0 first), so that the leading $q d$ rows and columns are the Gram
    /// matrix of the first $q$ neurons: one factorisation serves every width.
    ///
    /// # Errors
    /// [`LearnError::DimensionMismatch`] if the neurons do not live in dimension $d$.
    pub fn gram(&self, neurons: &ReluFeatures) -> Result<Mat<f64>, LearnError> {
        let units = self.units(neurons)?;
        let (n, d) = (units.len(), self.d);
        let mut g = Mat::<f64>::zeros(n * d, n * d);
        for i in 0..n {
            for a in 0..d {
                g[(i * d + a, i * d + a)] = 0.5;
            }
            for j in 0..i {
                let (u, v) = (&units[i], &units[j]);
                let rho = dot(u, v).clamp(-1.0, 1.0);
                let sin = (1.0 - rho * rho).sqrt();
                if sin < PARALLEL {
                    let c = if rho > 0.0 { 0.5 } else { 0.0 };
                    for a in 0..d {
                        g[(i * d + a, j * d + a)] = c;
                        g[(j * d + a, i * d + a)] = c;
                    }
                    continue;
                }
                let c = (PI - rho.acos()) / (2.0 * PI);
                let k = 1.0 / (2.0 * PI * sin);
                for a in 0..d {
                    for b in 0..d {
                        let mut e =
                            k * (u[a] * v[b] + v[a] * u[b] - rho * (u[a] * u[b] + v[a] * v[b]));
                        if a == b {
                            e += c;
                        }
                        g[(i * d + a, j * d + b)] = e;
                        g[(j * d + b, i * d + a)] = e;
                    }
                }
            }
        }
        Ok(g)
    }

    /// $\mathbb{E}[\phi\, f]$ for the degree-`degree` unit-variance Hermite target along the
    /// first axis ($f = x_1$ for degree 1, $(x_1^2 - 1)/\sqrt 2$ for degree 2), neuron-major.
    ///
    /// # Errors
    /// [`LearnError::DimensionMismatch`] if the neurons do not live in dimension $d$;
    /// [`LearnError::InvalidParameter`] for a degree other than 1 or 2.
    pub fn projection(&self, neurons: &ReluFeatures, degree: u32) -> Result<Vec<f64>, LearnError> {
        let units = self.units(neurons)?;
        let d = self.d;
        let mut b = vec![0.0; units.len() * d];
        for (i, u) in units.iter().enumerate() {
            let block = &mut b[i * d..(i + 1) * d];
            match degree {
                1 => block[0] = 0.5,
                2 => {
                    let s = 1.0 / (2.0 * PI.sqrt());
                    for (e, ua) in block.iter_mut().zip(u) {
                        *e = -s * u[0] * u[0] * ua;
                    }
                    block[0] += s * 2.0 * u[0];
                }
                _ => {
                    return Err(LearnError::InvalidParameter {
                        name: "Hermite degree",
                        value: f64::from(degree),
                        requirement: "the NT projections are written for degrees 1 and 2",
                    })
                }
            }
        }
        Ok(b)
    }

    /// The unit directions of the neurons.
    fn units(&self, neurons: &ReluFeatures) -> Result<Vec<Vec<f64>>, LearnError> {
        if neurons.dim() != self.d {
            return Err(LearnError::DimensionMismatch {
                what: "dimension of the neurons",
                expected: self.d,
                found: neurons.dim(),
            });
        }
        let w = neurons.weights();
        Ok((0..w.nrows())
            .map(|i| {
                let row: Vec<f64> = (0..self.d).map(|a| w[(i, a)]).collect();
                let r = dot(&row, &row).sqrt();
                row.iter().map(|v| v / r).collect()
            })
            .collect())
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::rng_from_u64;
    use rand::RngExt;

    /// Monte-Carlo estimates of the Gram matrix and both projections from `m` Gaussian points.
    fn monte_carlo(neurons: &ReluFeatures, m: usize) -> (Mat<f64>, [Vec<f64>; 2]) {
        let (n, d) = (neurons.weights().nrows(), neurons.dim());
        let w = neurons.weights();
        let mut rng = rng_from_u64(5);
        let mut g = Mat::<f64>::zeros(n * d, n * d);
        let mut b = [vec![0.0; n * d], vec![0.0; n * d]];
        let mut phi = vec![0.0; n * d];
        for _ in 0..m {
            let x: Vec<f64> = (0..d).map(|_| rng.sample(rand_distr::StandardNormal)).collect();
            for i in 0..n {
                let on = (0..d).map(|a| w[(i, a)] * x[a]).sum::<f64>() > 0.0;
                for a in 0..d {
                    phi[i * d + a] = if on { x[a] } else { 0.0 };
                }
            }
            let targets = [x[0], (x[0] * x[0] - 1.0) / 2f64.sqrt()];
            for p in 0..n * d {
                for (bk, t) in b.iter_mut().zip(targets) {
                    bk[p] += phi[p] * t;
                }
                for q in 0..=p {
                    g[(p, q)] += phi[p] * phi[q];
                }
            }
        }
        for p in 0..n * d {
            for bk in &mut b {
                bk[p] /= m as f64;
            }
            for q in 0..=p {
                g[(p, q)] /= m as f64;
                g[(q, p)] = g[(p, q)];
            }
        }
        (g, b)
    }

    /// The closed forms agree with 400 000 Monte-Carlo points to within 0.015 (about five
    /// standard errors: an entry's variance is at most E[x_a^2 x_b^2] <= 3), and a control, the
    /// Gram matrix without its correction term (the "independent directions" guess), misses
    /// them by far more: the test can fail.
    #[test]
    fn nt_moments_match_their_monte_carlo_estimates_and_a_wrong_formula_does_not() {
        let (d, n, m) = (4, 3, 400_000);
        let neurons = ReluFeatures::draw(n, d, &mut rng_from_u64(9)).unwrap();
        let pop = NtPopulation::new(d).unwrap();
        let g = pop.gram(&neurons).unwrap();
        let (g_mc, b_mc) = monte_carlo(&neurons, m);
        let mut worst_control: f64 = 0.0;
        let units = pop.units(&neurons).unwrap();
        for p in 0..n * d {
            for q in 0..n * d {
                assert!(
                    (g[(p, q)] - g_mc[(p, q)]).abs() < 0.015,
                    "G[{p},{q}] = {} vs {}",
                    g[(p, q)],
                    g_mc[(p, q)]
                );
                let (i, j) = (p / d, q / d);
                let control = if p % d == q % d {
                    if i == j {
                        0.5
                    } else {
                        (PI - dot(&units[i], &units[j]).acos()) / (2.0 * PI)
                    }
                } else {
                    0.0
                };
                worst_control = worst_control.max((control - g_mc[(p, q)]).abs());
            }
        }
        assert!(worst_control > 0.05, "the control formula was not refuted ({worst_control})");
        for (k, degree) in [1, 2].into_iter().enumerate() {
            let b = pop.projection(&neurons, degree).unwrap();
            for p in 0..n * d {
                assert!(
                    (b[p] - b_mc[k][p]).abs() < 0.015,
                    "b{degree}[{p}] = {} vs {}",
                    b[p],
                    b_mc[k][p]
                );
            }
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(NtPopulation::new(1).is_err());
        let neurons = ReluFeatures::draw(2, 5, &mut rng_from_u64(1)).unwrap();
        let pop = NtPopulation::new(4).unwrap();
        assert!(pop.gram(&neurons).is_err());
        assert!(NtPopulation::new(5).unwrap().projection(&neurons, 3).is_err());
    }
}
