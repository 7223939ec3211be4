//! The population ($n = \infty$) moments of the two linearisations of a two-layer ReLU network
//! under Gaussian inputs $x \sim N(0, I_d)$, in closed form: what a width sweep of the
//! random-features (RF) and neural-tangent (NT) models at $n = \infty$ needs (GMMM 2021's
//! approximation-limited regime; the kernel-barrier claim `rf-vs-nt-width`).
//!
//! Only the directions $u_i = w_i/|w_i|$ matter: rescaling a neuron rescales its features, not
//! their span, so not the least-squares fit. **RF:** neuron $i$ is the feature
//! $\mathrm{relu}(\langle u_i, x\rangle)$; with $\cos\theta = \rho = \langle u, v\rangle$,
//! $$\mathbb{E}[\mathrm{relu}(\langle u,x\rangle)\,\mathrm{relu}(\langle v,x\rangle)] =
//! \frac{\sin\theta + (\pi - \theta)\cos\theta}{2\pi}$$
//! (the arc-cosine kernel of order 1), and by Gaussian integration by parts
//! ($\mathbb{E}[g\, x_1] = \mathbb{E}[\partial_1 g]$, $\mathbb{E}[g\,(x_1^2-1)] =
//! \mathbb{E}[\partial_1^2 g]$) the projections on $h_1(x_1) = x_1$ and $h_2(x_1) =
//! (x_1^2-1)/\sqrt2$ are $u_1/2$ and $u_1^2/(2\sqrt\pi)$.
//!
//! **NT:** neuron $i$ of $f(x) = \sum_i a_i\,\mathrm{relu}(\langle w_i, x\rangle)$ contributes
//! the $d$ features $\phi_{i\alpha}(x) = \mathbb{1}\{\langle u_i, x\rangle > 0\}\,x_\alpha$ (the
//! gradient in $w_i$ divided by $a_i$). Integration by parts twice,
//! $\mathbb{E}[h\,x x^\top] = \mathbb{E}\[h\]\,I + \mathbb{E}[\nabla^2 h]$, with
//! $h = \mathbb{1}_u \mathbb{1}_v$ and the joint density of $(\langle u,x\rangle, \langle
//! v,x\rangle)$ at the origin, $1/(2\pi\sin\theta)$, gives the $d \times d$ block
//! $$\mathbb{E}[\mathbb{1}_u\mathbb{1}_v\, x x^\top] = \frac{\pi-\theta}{2\pi}\, I +
//! \frac{1}{2\pi\sin\theta}\big(u v^\top + v u^\top - \rho\,(u u^\top + v v^\top)\big),$$
//! and $\frac12 I$ for $u = v$ (the correction vanishes as $\theta \to 0$, like $\sin\theta$);
//! the projections are $\mathbb{E}[\mathbb{1}_u\, x\, x_1] = \frac12 e_1$ and
//! $\mathbb{E}[\mathbb{1}_u\, x\, h_2(x_1)] = (2 u_1 e_1 - u_1^2\, u)/(2\sqrt\pi)$.
//!
//! Every formula is checked against Monte-Carlo estimates in the tests, with a wrong formula
//! as a control that must fail them.

use crate::learn::ReluFeatures;
use crate::numerics::NumericsError;
use faer::Mat;
use std::f64::consts::PI;

/// Below this $\sin\theta$ two neurons count as parallel: the Gram block is $\frac12 I$ (the
/// correction term is $O(\sin\theta)$, so the error is below $10^{-9}$).
const PARALLEL: f64 = 1e-9;

/// Closed-form population moments of RF and NT features for Gaussian inputs in dimension $d$.
#[derive(Clone, Copy, Debug)]
pub struct GaussianPopulation {
    d: usize,
}

impl GaussianPopulation {
    /// Moments in dimension `d`.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] if $d < 2$ (the target $x_1^2 - 1$ needs an axis and
    /// neurons need directions).
    pub fn new(d: usize) -> Result<Self, NumericsError> {
        if d < 2 {
            return Err(NumericsError::InvalidParameter {
                name: "dimension d",
                value: d as f64,
                requirement: "NT population moments need d ≥ 2",
            });
        }
        Ok(GaussianPopulation { d })
    }

    /// The NT model's $(N d) \times (N d)$ Gram matrix $\mathbb{E}[\phi\phi^\top]$, neuron-major (the $d$
    /// features of neuron 0 first), so that the leading $q d$ rows and columns are the Gram
    /// matrix of the first $q$ neurons: one factorisation serves every width.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if the neurons do not live in dimension $d$.
    pub fn nt_gram(&self, neurons: &ReluFeatures) -> Result<Mat<f64>, NumericsError> {
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

    /// The NT model's $\mathbb{E}[\phi\, f]$ for the degree-`degree` unit-variance Hermite target along the
    /// first axis ($f = x_1$ for degree 1, $(x_1^2 - 1)/\sqrt 2$ for degree 2), neuron-major.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if the neurons do not live in dimension $d$;
    /// [`NumericsError::InvalidParameter`] for a degree other than 1 or 2.
    pub fn nt_projection(
        &self,
        neurons: &ReluFeatures,
        degree: u32,
    ) -> Result<Vec<f64>, NumericsError> {
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
                _ => return Err(unwritten(degree)),
            }
        }
        Ok(b)
    }

    /// The RF model's $N \times N$ Gram matrix $\mathbb{E}[\mathrm{relu}(\langle u_i,x\rangle)\,
    /// \mathrm{relu}(\langle u_j,x\rangle)]$ (unit directions), so that the leading $q \times q$
    /// block is the Gram matrix of the first $q$ neurons.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if the neurons do not live in dimension $d$.
    pub fn rf_gram(&self, neurons: &ReluFeatures) -> Result<Mat<f64>, NumericsError> {
        let units = self.units(neurons)?;
        let n = units.len();
        let mut g = Mat::<f64>::zeros(n, n);
        for i in 0..n {
            g[(i, i)] = 0.5;
            for j in 0..i {
                let rho = dot(&units[i], &units[j]).clamp(-1.0, 1.0);
                let e = ((1.0 - rho * rho).sqrt() + (PI - rho.acos()) * rho) / (2.0 * PI);
                g[(i, j)] = e;
                g[(j, i)] = e;
            }
        }
        Ok(g)
    }

    /// The RF model's $\mathbb{E}[\mathrm{relu}(\langle u_i,x\rangle)\, f]$ for $f = h_1(x_1)$ or
    /// $h_2(x_1)$ (`degree` 1 or 2).
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if the neurons do not live in dimension $d$;
    /// [`NumericsError::InvalidParameter`] for a degree other than 1 or 2.
    pub fn rf_projection(
        &self,
        neurons: &ReluFeatures,
        degree: u32,
    ) -> Result<Vec<f64>, NumericsError> {
        let units = self.units(neurons)?;
        match degree {
            1 => Ok(units.iter().map(|u| 0.5 * u[0]).collect()),
            2 => Ok(units.iter().map(|u| u[0] * u[0] / (2.0 * PI.sqrt())).collect()),
            _ => Err(unwritten(degree)),
        }
    }

    /// The unit directions of the neurons.
    fn units(&self, neurons: &ReluFeatures) -> Result<Vec<Vec<f64>>, NumericsError> {
        if neurons.dim() != self.d {
            return Err(NumericsError::DimensionMismatch {
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

fn unwritten(degree: u32) -> NumericsError {
    NumericsError::InvalidParameter {
        name: "Hermite degree",
        value: f64::from(degree),
        requirement: "the population projections are written for degrees 1 and 2",
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

    /// Monte-Carlo estimates of a Gram matrix and the projections on h_1(x_1), h_2(x_1) of
    /// `p` features, `features(x, out)`, from `m` Gaussian points in dimension `d`.
    fn monte_carlo(
        d: usize,
        p: usize,
        m: usize,
        features: impl Fn(&[f64], &mut [f64]),
    ) -> (Mat<f64>, [Vec<f64>; 2]) {
        let mut rng = rng_from_u64(5);
        let mut g = Mat::<f64>::zeros(p, p);
        let mut b = [vec![0.0; p], vec![0.0; p]];
        let mut phi = vec![0.0; p];
        for _ in 0..m {
            let x: Vec<f64> = (0..d).map(|_| rng.sample(rand_distr::StandardNormal)).collect();
            features(&x, &mut phi);
            let targets = [x[0], (x[0] * x[0] - 1.0) / 2f64.sqrt()];
            for r in 0..p {
                for (bk, t) in b.iter_mut().zip(targets) {
                    bk[r] += phi[r] * t;
                }
                for q in 0..=r {
                    g[(r, q)] += phi[r] * phi[q];
                }
            }
        }
        for r in 0..p {
            for bk in &mut b {
                bk[r] /= m as f64;
            }
            for q in 0..=r {
                g[(r, q)] /= m as f64;
                g[(q, r)] = g[(r, q)];
            }
        }
        (g, b)
    }

    fn pre_activation(w: faer::MatRef<'_, f64>, i: usize, x: &[f64]) -> f64 {
        (0..x.len()).map(|a| w[(i, a)] * x[a]).sum()
    }

    /// The largest entry-wise distance between two matrices.
    fn distance(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
        let mut worst: f64 = 0.0;
        for r in 0..a.nrows() {
            for q in 0..a.ncols() {
                worst = worst.max((a[(r, q)] - b[(r, q)]).abs());
            }
        }
        worst
    }

    fn assert_close(name: &str, closed: &[f64], mc: &[f64]) {
        for (r, (c, m)) in closed.iter().zip(mc).enumerate() {
            assert!((c - m).abs() < 0.015, "{name}[{r}] = {c} vs Monte Carlo {m}");
        }
    }

    /// The NT closed forms agree with 400 000 Monte-Carlo points to within 0.015 (about five
    /// standard errors: an entry's variance is at most E[x_a^2 x_b^2] <= 3), and a control, the
    /// Gram matrix without its correction term (the "independent directions" guess), misses
    /// them by far more: the test can fail.
    #[test]
    fn nt_moments_match_their_monte_carlo_estimates_and_a_wrong_formula_does_not() {
        let (d, n, m) = (4, 3, 400_000);
        let neurons = ReluFeatures::draw(n, d, &mut rng_from_u64(9)).unwrap();
        let w = neurons.weights();
        let (g_mc, b_mc) = monte_carlo(d, n * d, m, |x, phi| {
            for i in 0..n {
                let on = pre_activation(w, i, x) > 0.0;
                for a in 0..d {
                    phi[i * d + a] = if on { x[a] } else { 0.0 };
                }
            }
        });
        let pop = GaussianPopulation::new(d).unwrap();
        let g = pop.nt_gram(&neurons).unwrap();
        assert!(distance(&g, &g_mc) < 0.015, "NT Gram off by {}", distance(&g, &g_mc));
        let units = pop.units(&neurons).unwrap();
        let control = Mat::<f64>::from_fn(n * d, n * d, |p, q| {
            let (i, j) = (p / d, q / d);
            match (p % d == q % d, i == j) {
                (false, _) => 0.0,
                (true, true) => 0.5,
                (true, false) => (PI - dot(&units[i], &units[j]).acos()) / (2.0 * PI),
            }
        });
        assert!(distance(&control, &g_mc) > 0.05, "the control formula was not refuted");
        for (k, degree) in [1, 2].into_iter().enumerate() {
            assert_close("NT b", &pop.nt_projection(&neurons, degree).unwrap(), &b_mc[k]);
        }
    }

    /// The same for RF features; the control is the Gram matrix of independent neurons
    /// (E relu(<u,x>) E relu(<v,x>) = 1/(2 pi) off the diagonal).
    #[test]
    fn rf_moments_match_their_monte_carlo_estimates_and_a_wrong_formula_does_not() {
        let (d, n, m) = (4, 5, 400_000);
        let neurons = ReluFeatures::draw(n, d, &mut rng_from_u64(10)).unwrap();
        let w = neurons.weights();
        let (g_mc, b_mc) = monte_carlo(d, n, m, |x, phi| {
            for (i, f) in phi.iter_mut().enumerate() {
                // Unit directions: relu is positively homogeneous.
                let r = (0..d).map(|a| w[(i, a)] * w[(i, a)]).sum::<f64>().sqrt();
                *f = (pre_activation(w, i, x) / r).max(0.0);
            }
        });
        let pop = GaussianPopulation::new(d).unwrap();
        let g = pop.rf_gram(&neurons).unwrap();
        assert!(distance(&g, &g_mc) < 0.015, "RF Gram off by {}", distance(&g, &g_mc));
        let control = Mat::<f64>::from_fn(n, n, |i, j| if i == j { 0.5 } else { 1.0 / (2.0 * PI) });
        assert!(distance(&control, &g_mc) > 0.05, "the control formula was not refuted");
        for (k, degree) in [1, 2].into_iter().enumerate() {
            assert_close("RF b", &pop.rf_projection(&neurons, degree).unwrap(), &b_mc[k]);
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(GaussianPopulation::new(1).is_err());
        let neurons = ReluFeatures::draw(2, 5, &mut rng_from_u64(1)).unwrap();
        let pop = GaussianPopulation::new(4).unwrap();
        assert!(pop.nt_gram(&neurons).is_err() && pop.rf_gram(&neurons).is_err());
        let pop = GaussianPopulation::new(5).unwrap();
        assert!(pop.nt_projection(&neurons, 3).is_err() && pop.rf_projection(&neurons, 0).is_err());
    }
}
