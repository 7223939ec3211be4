//! Energies of activations and links: how a function of one variable splits over degrees.
//!
//! * **Hermite energies** (Gaussian inputs, or the sphere as $d \to \infty$): for
//!   $z \sim N(0,1)$, $c_k = \mathbb{E}[\phi(z) h_k(z)]$ with $h_k = \mathrm{He}_k/\sqrt{k!}$,
//!   so $\phi = \sum_k c_k h_k$ in $L^2$ and $\mathbb{E}\phi^2 = \sum_k c_k^2$. The
//!   *information exponent* is the first $k \ge 1$ with $c_k \ne 0$.
//! * **Gegenbauer energies** (the sphere at finite $d$): for $t = \langle w, x\rangle$, $x$
//!   uniform on $S^{d-1}(\sqrt d)$, $\xi_k = \mathbb{E}[\phi(t) q_k(t)]$ with $q_k$ of
//!   [`super::gegenbauer`]; $\xi_k^2 = \lVert P_k f\rVert^2$ for $f(x) = \phi(\langle w,x\rangle)$
//!   (the addition theorem of [`super::gegenbauer`]), and $\xi_k \to c_k$ as $d \to \infty$.
//!   The Hermite energies of common activations, with their closed forms, are tabulated in
//!   `docs/theory/conventions.md`.
//! * **Inner-product kernels** $K(x,y) = h(\langle x, y\rangle/d)$ on $S^{d-1}(\sqrt d)$: by the
//!   addition theorem, $K = \sum_k \mu_k \sum_{j \le B(d,k)} Y_{kj}(x) Y_{kj}(y)$ with
//!   eigenvalue $\mu_k = \xi_k/\sqrt{B(d,k)}$ of multiplicity $B(d,k)$, where $\xi_k$ are the
//!   Gegenbauer coefficients of $t \mapsto h(t/\sqrt d)$; the degree-$k$ mass
//!   $\mu_k B(d,k) = \xi_k\sqrt{B(d,k)}$ sums to $h(1) = K(x,x)$ and tends to $h^{(k)}(0)/k!$.
//!
//! Expectations use the composite rules of [`super::quadrature`], split at the kinks the caller
//! gives, so kinked functions (relu, abs) are integrated to rounding level; the absolute error
//! of a coefficient is about $10^{-15}$ times the size of $\phi$ (measured in the tests against
//! closed forms). Sums run in node order.

use super::gegenbauer::SphericalMarginal;
use super::harmonics::harmonic_dimension_f64;
use super::hermite::{hermite_series, normalised_hermite_all};
use super::quadrature::{gaussian_rule, marginal_rule, Rule};
use super::{invalid, SpecialError};

/// The highest degree the energy functions accept: beyond it the 24-point panels of width 0.5
/// no longer resolve the oscillations of $h_k$ to rounding level.
pub const MAX_DEGREE: u32 = 100;

/// An activation or link $\phi$ of one variable, with its derivative and its kinks.
#[derive(Clone, Debug, PartialEq)]
pub enum Activation {
    /// $\max(z, 0)$.
    Relu,
    /// $|z|$.
    Abs,
    /// $\tanh z$.
    Tanh,
    /// $\tanh(a z)$ for the given $a$.
    ScaledTanh(f64),
    /// The logistic function $1/(1+e^{-z})$.
    Sigmoid,
    /// $\sum_k a_k h_k(z)$ with the given $a_k$ (normalised Hermite coefficients, which are
    /// then its exact Hermite coefficients), e.g. $\mathrm{He}_2/2 + \mathrm{He}_3/6 =
    /// h_2/\sqrt2 + h_3/\sqrt6$.
    HermiteSeries(Vec<f64>),
}

impl Activation {
    /// $\phi(z)$.
    pub fn eval(&self, z: f64) -> f64 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::Abs => z.abs(),
            Activation::Tanh => z.tanh(),
            Activation::ScaledTanh(a) => (a * z).tanh(),
            Activation::Sigmoid => sigmoid(z),
            Activation::HermiteSeries(a) => hermite_series(a, z).0,
        }
    }

    /// $\phi'(z)$; at a kink, the convention of autodiff frameworks: relu$'$ is the step
    /// $\mathbb{1}_{z > 0}$ (so relu$'(0) = 0$), abs$'$ is the sign (0 at 0).
    pub fn derivative(&self, z: f64) -> f64 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Abs => {
                if z == 0.0 {
                    0.0
                } else {
                    z.signum()
                }
            }
            Activation::Tanh => 1.0 - z.tanh().powi(2),
            Activation::ScaledTanh(a) => a * (1.0 - (a * z).tanh().powi(2)),
            Activation::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            Activation::HermiteSeries(a) => hermite_series(a, z).1,
        }
    }

    /// The points where $\phi$ is not smooth: split quadrature there.
    pub fn kinks(&self) -> &'static [f64] {
        match self {
            Activation::Relu | Activation::Abs => &[0.0],
            _ => &[],
        }
    }
}

/// $1/(1+e^{-z})$ without overflow for large $|z|$.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The coefficients of a function on an orthonormal basis, degrees $0..=K$, and its second
/// moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Energies {
    /// $c_k$ (Hermite) or $\xi_k$ (Gegenbauer) for $k = 0, \dots, K$.
    pub coefficients: Vec<f64>,
    /// $\mathbb{E}\phi^2$, by the same rule.
    pub second_moment: f64,
}

impl Energies {
    /// The energies $c_k^2$, $k = 0, \dots, K$.
    pub fn energies(&self) -> Vec<f64> {
        self.coefficients.iter().map(|c| c * c).collect()
    }

    /// $\mathbb{E}\phi^2 - \sum_{k \le l} c_k^2 = \lVert P_{>l}\phi \rVert^2$ (Bessel: $\ge 0$ up
    /// to rounding). `l` past $K$ is clamped to $K$.
    pub fn tail(&self, l: usize) -> f64 {
        let top = l.min(self.coefficients.len().saturating_sub(1));
        self.second_moment - self.coefficients[..=top].iter().map(|c| c * c).sum::<f64>()
    }

    /// The information exponent: the first $k \ge 1$ with $|c_k| >$ `tolerance`, or `None` if
    /// there is none up to $K$.
    pub fn information_exponent(&self, tolerance: f64) -> Option<u32> {
        (1..self.coefficients.len())
            .find(|&k| self.coefficients[k].abs() > tolerance)
            .map(|k| k as u32)
    }
}

/// The Hermite coefficients $c_k = \mathbb{E}[\phi(z) h_k(z)]$, $k = 0..=K$, and
/// $\mathbb{E}\phi(z)^2$, for $z \sim N(0,1)$, by [`gaussian_rule`] split at `kinks`.
///
/// # Errors
/// `InvalidArgument` if $K >$ [`MAX_DEGREE`] or a kink is not finite.
///
/// # Example
/// ```
/// use thm::special::energies::{hermite_energies, Activation};
/// let relu = Activation::Relu;
/// let e = hermite_energies(|z| relu.eval(z), relu.kinks(), 4).unwrap();
/// assert!((e.energies()[1] - 0.25).abs() < 1e-14);
/// assert!((e.energies()[2] - 1.0 / (4.0 * std::f64::consts::PI)).abs() < 1e-14);
/// ```
pub fn hermite_energies(
    phi: impl Fn(f64) -> f64,
    kinks: &[f64],
    max_degree: u32,
) -> Result<Energies, SpecialError> {
    check_degree(max_degree)?;
    let rule = gaussian_rule(kinks, max_degree)?;
    Ok(project(&rule, &phi, max_degree, normalised_hermite_all))
}

/// The Gegenbauer coefficients $\xi_k = \mathbb{E}[\phi(t) q_k(t)]$, $k = 0..=K$, and
/// $\mathbb{E}\phi(t)^2$, for $t$ distributed as `law`, by [`marginal_rule`] split at `kinks`
/// (values of $t$).
///
/// # Errors
/// `InvalidArgument` if $K >$ [`MAX_DEGREE`] or a kink is not finite.
pub fn gegenbauer_energies(
    phi: impl Fn(f64) -> f64,
    kinks: &[f64],
    law: &SphericalMarginal,
    max_degree: u32,
) -> Result<Energies, SpecialError> {
    check_degree(max_degree)?;
    let rule = marginal_rule(law, kinks, max_degree)?;
    Ok(project(&rule, &phi, max_degree, |t, out| law.orthonormal_all(t, out)))
}

/// The spectrum of an inner-product kernel $K(x,y) = h(\langle x,y\rangle/d)$ on
/// $S^{d-1}(\sqrt d)$, degree by degree.
#[derive(Clone, Debug, PartialEq)]
pub struct KernelSpectrum {
    /// $\mu_k = \xi_k/\sqrt{B(d,k)}$: the eigenvalue of the integral operator
    /// $f \mapsto \mathbb{E}_y[K(\cdot,y) f(y)]$ on degree-$k$ harmonics.
    pub eigenvalues: Vec<f64>,
    /// $B(d,k)$, the multiplicity of $\mu_k$ (as `f64`: it may exceed any integer type).
    pub multiplicities: Vec<f64>,
}

impl KernelSpectrum {
    /// The degree-$k$ mass $\mu_k B(d,k)$, the part of $h(1) = K(x,x)$ carried by degree $k$;
    /// it tends to $h^{(k)}(0)/k!$ as $d \to \infty$. Zero past the computed degrees.
    pub fn mass(&self, k: usize) -> f64 {
        match (self.eigenvalues.get(k), self.multiplicities.get(k)) {
            (Some(mu), Some(b)) => mu * b,
            _ => 0.0,
        }
    }
}

/// The eigenvalues and multiplicities of $K(x,y) = h(\langle x,y\rangle/d)$ on
/// $S^{d-1}(\sqrt d)$ for degrees $0..=K$, from the Gegenbauer coefficients of
/// $t \mapsto h(t/\sqrt d)$ (module docs). `kinks` are values of $s = \langle x,y\rangle/d$ in
/// $[-1,1]$. High degrees at large $d$ have tiny $\xi_k \sim d^{-k/2}$ and keep only the
/// absolute accuracy (about $10^{-16}\max|h|$), not a relative one.
///
/// # Errors
/// `InvalidArgument` if $d < 2$, $d > 2^{53}$, $K >$ [`MAX_DEGREE`] or a kink is not finite.
///
/// # Example
/// ```
/// use thm::special::energies::inner_product_kernel_spectrum;
/// // The linear kernel <x,y>/d: all its mass, h(1) = 1, is in degree 1.
/// let spec = inner_product_kernel_spectrum(|s| s, &[], 10, 3).unwrap();
/// assert!((spec.mass(1) - 1.0).abs() < 1e-14 && spec.mass(2).abs() < 1e-14);
/// assert!((spec.eigenvalues[1] - 0.1).abs() < 1e-15);
/// ```
pub fn inner_product_kernel_spectrum(
    h: impl Fn(f64) -> f64,
    kinks: &[f64],
    d: u64,
    max_degree: u32,
) -> Result<KernelSpectrum, SpecialError> {
    let law = SphericalMarginal::new(d)?;
    let radius = law.radius();
    let t_kinks: Vec<f64> = kinks.iter().map(|s| s * radius).collect();
    let xi = gegenbauer_energies(|t| h(t / radius), &t_kinks, &law, max_degree)?.coefficients;
    let multiplicities =
        (0..=max_degree).map(|k| harmonic_dimension_f64(d, k)).collect::<Result<Vec<_>, _>>()?;
    let eigenvalues = xi.iter().zip(&multiplicities).map(|(x, b)| x / b.sqrt()).collect();
    Ok(KernelSpectrum { eigenvalues, multiplicities })
}

fn check_degree(max_degree: u32) -> Result<(), SpecialError> {
    if max_degree > MAX_DEGREE {
        return Err(invalid(format!(
            "energies are computed up to degree {MAX_DEGREE}, got K = {max_degree}"
        )));
    }
    Ok(())
}

/// $\sum_i w_i \phi(x_i) p_k(x_i)$ for $k \le K$ and $\sum_i w_i \phi(x_i)^2$, with `basis`
/// filling $p_0(x), \dots, p_K(x)$.
fn project(
    rule: &Rule,
    phi: &impl Fn(f64) -> f64,
    max_degree: u32,
    basis: impl Fn(f64, &mut [f64]),
) -> Energies {
    let mut p = vec![0.0; max_degree as usize + 1];
    let mut coefficients = vec![0.0; p.len()];
    let mut second_moment = 0.0;
    for (&x, &w) in rule.nodes().iter().zip(rule.weights()) {
        let v = phi(x);
        basis(x, &mut p);
        for (c, pk) in coefficients.iter_mut().zip(&p) {
            *c += w * v * pk;
        }
        second_moment += w * v * v;
    }
    Energies { coefficients, second_moment }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences_away_from_kinks() {
        let all = [
            Activation::Relu,
            Activation::Abs,
            Activation::Tanh,
            Activation::ScaledTanh(3.0),
            Activation::Sigmoid,
            Activation::HermiteSeries(vec![0.1, 0.0, 0.5f64.sqrt(), (1.0f64 / 6.0).sqrt()]),
        ];
        for phi in &all {
            for z in [-2.3, -0.4, 0.3, 1.7] {
                let eps = 1e-6;
                let fd = (phi.eval(z + eps) - phi.eval(z - eps)) / (2.0 * eps);
                assert!((phi.derivative(z) - fd).abs() < 1e-6, "{phi:?} at {z}");
            }
        }
        assert_eq!(Activation::Relu.derivative(0.0), 0.0);
        assert_eq!(Activation::Abs.derivative(0.0), 0.0);
        assert_eq!(Activation::Sigmoid.eval(-800.0), 0.0);
        assert_eq!(Activation::Sigmoid.eval(800.0), 1.0);
    }

    #[test]
    fn a_hermite_series_has_its_own_coefficients() {
        let mut a = vec![0.0; 61];
        a[0] = 0.2;
        a[7] = -1.0;
        a[50] = 0.5;
        let phi = Activation::HermiteSeries(a.clone());
        let e = hermite_energies(|z| phi.eval(z), phi.kinks(), 60).unwrap();
        for (k, (&c, &want)) in e.coefficients.iter().zip(&a).enumerate() {
            assert!((c - want).abs() < 1e-10, "k {k}: {c}");
        }
        assert!((e.second_moment - (0.04 + 1.0 + 0.25)).abs() < 1e-10);
        assert_eq!(e.information_exponent(1e-8), Some(7));
    }

    #[test]
    fn gegenbauer_energies_at_d3_are_those_of_a_uniform_law() {
        // t uniform on [-√3, √3]: ξ_0 = √3/4, ξ_1 = 1/2, ξ_2 = √15/16, E relu² = 1/2.
        let law = SphericalMarginal::new(3).unwrap();
        let relu = Activation::Relu;
        let e = gegenbauer_energies(|t| relu.eval(t), relu.kinks(), &law, 2).unwrap();
        let want = [3f64.sqrt() / 4.0, 0.5, 15f64.sqrt() / 16.0];
        for (k, (&c, &w)) in e.coefficients.iter().zip(&want).enumerate() {
            assert!((c - w).abs() < 1e-15, "k {k}: {c} vs {w}");
        }
        assert!((e.second_moment - 0.5).abs() < 1e-15);
    }

    #[test]
    fn kernel_masses_sum_to_the_diagonal_and_tend_to_taylor_coefficients() {
        // K = exp(<x,y>/d): Σ_k mass_k = e, and mass_k → 1/k!. The absolute error of mass_k is
        // about 1e-16 √B(d,k), so sum only degrees where that is small.
        for (d, top, tol) in [(3u64, 30, 1e-13), (10, 30, 1e-11), (50, 14, 1e-9)] {
            let spec = inner_product_kernel_spectrum(f64::exp, &[], d, top).unwrap();
            let total: f64 = (0..=top as usize).map(|k| spec.mass(k)).sum();
            assert!((total - 1f64.exp()).abs() < tol, "d {d}: {total}");
            // Schoenberg: positive Taylor coefficients give positive eigenvalues (checked where
            // they are well above rounding).
            assert!(spec.eigenvalues[..=6].iter().all(|&mu| mu > 0.0), "d {d}");
        }
        let spec = inner_product_kernel_spectrum(f64::exp, &[], 100_000, 4).unwrap();
        let mut factorial = 1.0;
        for k in 0..=4 {
            factorial *= f64::from(k.max(1));
            assert!((spec.mass(k as usize) - 1.0 / factorial).abs() < 1e-4, "k {k}");
        }
        assert_eq!(spec.mass(5), 0.0);
    }

    #[test]
    fn bad_degrees_and_dimensions_are_errors() {
        assert!(hermite_energies(f64::tanh, &[], MAX_DEGREE + 1).is_err());
        assert!(inner_product_kernel_spectrum(f64::exp, &[], 1, 3).is_err());
        let law = SphericalMarginal::new(4).unwrap();
        assert!(gegenbauer_energies(f64::tanh, &[f64::NAN], &law, 3).is_err());
        let e = hermite_energies(|z| z, &[], 0).unwrap();
        assert_eq!(e.coefficients.len(), 1);
        assert!((e.tail(5) - 1.0).abs() < 1e-14);
    }
}
