//! Quadrature rules: Gauss rules for symmetric laws by Golub–Welsch, and composite
//! Gauss–Legendre rules split at kinks.
//!
//! A **Gauss rule** with $n$ nodes for a probability law with orthonormal polynomials
//! $t\,p_k = b_{k+1}p_{k+1} + b_k p_{k-1}$ integrates polynomials of degree $\le 2n-1$
//! exactly. Its nodes are the eigenvalues of the symmetric tridiagonal Jacobi matrix with zero
//! diagonal and off-diagonal $b_1, \dots, b_{n-1}$ (G. H. Golub and J. H. Welsch, *Calculation
//! of Gauss quadrature rules*, Math. Comp. 23 (1969) 221–230), computed by faer's tridiagonal
//! QR algorithm (sequential) and polished by Newton steps on $p_n$; its weights are the
//! Christoffel numbers $1/\sum_{k<n} p_k(x_i)^2$, which keep relative accuracy in the tails.
//! Nodes and weights are symmetrised, so odd moments vanish exactly.
//!
//! Gauss rules converge slowly for kinked integrands (relu, abs: error $\sim n^{-3/2}$; the
//! third digit of a relu energy is wrong at moderate $n$). The **composite rules**
//! ([`composite_gauss_legendre`], [`gaussian_rule`], [`marginal_rule`]) split the range at the
//! kinks and into short panels, and apply a 24-point Gauss–Legendre rule on each: for an
//! integrand smooth on every panel, the error is at rounding level.

use super::gegenbauer::SphericalMarginal;
use super::{invalid, SpecialError};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::{diag::DiagMut, diag::DiagRef, Par};

/// The most nodes a Gauss rule may have (Golub–Welsch is $O(n^2)$ here; far more than any
/// use needs).
pub const MAX_NODES: usize = 1000;

/// Points of Gauss–Legendre per panel in the composite rules.
pub const POINTS_PER_PANEL: usize = 24;

/// The widest panel of [`gaussian_rule`] and [`marginal_rule`], in units of $z$ or $t$.
pub const PANEL_WIDTH: f64 = 0.5;

/// [`gaussian_rule`] and [`marginal_rule`] for degree $K$ integrate over
/// $|z| \le 14 + \sqrt{4K+2}$ ([`reach`]; the whole support of the law of $t$ when $\sqrt d$
/// is smaller). Past the turning point $\sqrt{4k+2}$, $h_k(z)^2 e^{-z^2/2}$ decays like a
/// Gaussian; below it Cramér's inequality $|h_k(z)| \le 1.09\, e^{z^2/4}$ holds. So for
/// $\phi$ growing like $|z|^p$ the mass left out of $\mathbb{E}[\phi h_k]$, $k \le K$, is about
/// $14^p e^{-49}$, and a Hermite series of degree $\le K$ is integrated to rounding.
pub const CUTOFF: f64 = 14.0;

/// The half-width $14 + \sqrt{4K+2}$ of the range of [`gaussian_rule`] for degree $K$.
pub fn reach(max_degree: u32) -> f64 {
    CUTOFF + (4.0 * f64::from(max_degree) + 2.0).sqrt()
}

/// A quadrature rule $\int f\,d\mu \approx \sum_i w_i f(x_i)$.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    nodes: Vec<f64>,
    weights: Vec<f64>,
}

impl Rule {
    /// The nodes $x_i$, in increasing order.
    pub fn nodes(&self) -> &[f64] {
        &self.nodes
    }

    /// The weights $w_i$, in the order of the nodes.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the rule has no nodes (never true for a rule built here).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// $\sum_i w_i f(x_i)$, summed in node order (deterministic).
    pub fn integrate(&self, mut f: impl FnMut(f64) -> f64) -> f64 {
        self.nodes.iter().zip(&self.weights).map(|(&x, &w)| w * f(x)).sum()
    }
}

/// Gauss–Hermite for the probabilists' weight $e^{-z^2/2}/\sqrt{2\pi}$: $n$ nodes, weights
/// summing to 1, exact for polynomials of degree $\le 2n-1$ ($b_k = \sqrt k$, DLMF Table
/// 18.9.1, row $\mathit{He}_n$).
///
/// # Errors
/// `InvalidArgument` unless $1 \le n \le$ [`MAX_NODES`].
///
/// # Example
/// ```
/// let rule = thm::special::quadrature::gauss_hermite(3).unwrap();
/// assert!((rule.integrate(|z| z.powi(4)) - 3.0).abs() < 1e-14);
/// ```
pub fn gauss_hermite(n: usize) -> Result<Rule, SpecialError> {
    symmetric_gauss(n, |k| f64::from(k).sqrt(), "gauss_hermite")
}

/// Gauss–Legendre on $[-1, 1]$ with Lebesgue measure: weights summing to 2, exact for
/// polynomials of degree $\le 2n-1$ ($b_k = k/\sqrt{4k^2-1}$ for the uniform law).
///
/// # Errors
/// `InvalidArgument` unless $1 \le n \le$ [`MAX_NODES`].
pub fn gauss_legendre(n: usize) -> Result<Rule, SpecialError> {
    let mut rule = symmetric_gauss(
        n,
        |k| {
            let k = f64::from(k);
            k / (4.0 * k * k - 1.0).sqrt()
        },
        "gauss_legendre",
    )?;
    rule.weights.iter_mut().for_each(|w| *w *= 2.0);
    Ok(rule)
}

/// The Gauss rule of the law of $t$ (Gauss–Gegenbauer in $t = \sqrt d\, s$): $n$ nodes in
/// $(-\sqrt d, \sqrt d)$, weights summing to 1, exact for polynomials of degree $\le 2n-1$.
/// For kinked integrands use [`marginal_rule`].
///
/// # Errors
/// `InvalidArgument` unless $1 \le n \le$ [`MAX_NODES`].
pub fn gauss_gegenbauer(law: &SphericalMarginal, n: usize) -> Result<Rule, SpecialError> {
    symmetric_gauss(n, |k| law.jacobi_coefficient(k), "gauss_gegenbauer")
}

/// The composite Gauss–Legendre rule for Lebesgue measure on $[b_0, b_m]$: `points_per_panel`
/// nodes on each panel $[b_{i-1}, b_i]$. Put the kinks of the integrand among the breakpoints.
///
/// # Errors
/// `InvalidArgument` if fewer than two breakpoints, a breakpoint is not finite, they do not
/// increase strictly, or `points_per_panel` is not in $1..=$[`MAX_NODES`].
///
/// # Example
/// ```
/// let rule = thm::special::quadrature::composite_gauss_legendre(&[-1.0, 0.0, 2.0], 4).unwrap();
/// assert!((rule.integrate(f64::abs) - 2.5).abs() < 1e-14);
/// ```
pub fn composite_gauss_legendre(
    breakpoints: &[f64],
    points_per_panel: usize,
) -> Result<Rule, SpecialError> {
    if breakpoints.len() < 2 {
        return Err(invalid(format!(
            "composite_gauss_legendre needs at least two breakpoints, got {}",
            breakpoints.len()
        )));
    }
    if let Some(b) = breakpoints.iter().find(|b| !b.is_finite()) {
        return Err(invalid(format!("composite_gauss_legendre: breakpoint {b} is not finite")));
    }
    if let Some(w) = breakpoints.windows(2).find(|w| w[0] >= w[1]) {
        return Err(invalid(format!(
            "composite_gauss_legendre: breakpoints must increase strictly, got {} then {}",
            w[0], w[1]
        )));
    }
    let base = gauss_legendre(points_per_panel)?;
    Ok(composite(&base, breakpoints, |x, w| (x, w)))
}

/// A rule for $z \sim N(0,1)$ for integrands $\phi\, p$ with $\phi$ smooth between the given
/// kinks and $p$ a polynomial of degree $\le K$ = `max_degree`: composite Gauss–Legendre on
/// $[-r, r]$, $r$ = [`reach`]$(K)$, split at the kinks and into panels of width at most
/// [`PANEL_WIDTH`], [`POINTS_PER_PANEL`] nodes each, weighted by the density and normalised to
/// sum to 1. Kinks outside $(-r, r)$ are ignored.
///
/// # Errors
/// `InvalidArgument` if a kink is not finite.
pub fn gaussian_rule(kinks: &[f64], max_degree: u32) -> Result<Rule, SpecialError> {
    let r = reach(max_degree);
    let edges = panel_edges(-r, r, kinks)?;
    let base = gauss_legendre(POINTS_PER_PANEL)?;
    let mut rule = composite(&base, &edges, |z, w| (z, w * (-0.5 * z * z).exp()));
    normalise(&mut rule);
    Ok(rule)
}

/// A rule for the law of $t$ at dimension $d$, for integrands smooth between the given kinks
/// (times polynomials of degree $\le K$): panels of width at most [`PANEL_WIDTH`] in $t$ over
/// $|t| \le \min(\sqrt d,$ [`reach`]$(K))$, split at the kinks, each mapped to
/// $\theta = \arcsin(t/\sqrt d)$, where the density becomes $\propto \cos^{d-2}\theta$ (smooth
/// up to the endpoints, unlike $(1-t^2/d)^{(d-3)/2}$ in $t$), with [`POINTS_PER_PANEL`]
/// Gauss–Legendre nodes in $\theta$; weights normalised to sum to 1. The density is evaluated as
/// $\exp(\frac{d-2}{2}\log(1-\sin^2\theta))$, whose relative error does not grow with $d$
/// (`cos(θ).powf(d - 2)` loses $d$ ulps). Kinks outside the range are ignored.
///
/// # Errors
/// `InvalidArgument` if a kink is not finite.
pub fn marginal_rule(
    law: &SphericalMarginal,
    kinks: &[f64],
    max_degree: u32,
) -> Result<Rule, SpecialError> {
    let radius = law.radius();
    let r = radius.min(reach(max_degree));
    let edges: Vec<f64> = panel_edges(-r, r, kinks)?
        .into_iter()
        .map(|t| (t / radius).clamp(-1.0, 1.0).asin())
        .collect();
    let half_power = 0.5 * (law.dimension() - 2) as f64;
    let base = gauss_legendre(POINTS_PER_PANEL)?;
    let mut rule = composite(&base, &edges, |theta, w| {
        let sin = theta.sin();
        let density =
            if half_power == 0.0 { 1.0 } else { (half_power * (-sin * sin).ln_1p()).exp() };
        (radius * sin, w * density)
    });
    normalise(&mut rule);
    Ok(rule)
}

/// The Gauss rule of a symmetric law from its recurrence coefficients $b_k$ ($k \ge 1$).
fn symmetric_gauss(n: usize, b: impl Fn(u32) -> f64, name: &str) -> Result<Rule, SpecialError> {
    if n == 0 || n > MAX_NODES {
        return Err(invalid(format!("{name} needs 1 ≤ n ≤ {MAX_NODES} nodes, got n = {n}")));
    }
    let b: Vec<f64> = (1..=n as u32).map(b).collect();
    let mut nodes = tridiagonal_eigenvalues(&b[..n - 1], name)?;
    let mut weights = Vec::with_capacity(n);
    for x in &mut nodes {
        for _ in 0..2 {
            let (p, dp, _) = orthonormal_at(&b, *x);
            let step = p / dp;
            if step.is_finite() {
                *x -= step;
            }
        }
        let (_, _, sum_sq) = orthonormal_at(&b, *x);
        weights.push(1.0 / sum_sq);
    }
    // Symmetrise: the law is even, so x_{n-1-i} = -x_i and w_{n-1-i} = w_i.
    for i in 0..n / 2 {
        let j = n - 1 - i;
        let x = 0.5 * (nodes[j] - nodes[i]);
        let w = 0.5 * (weights[i] + weights[j]);
        (nodes[i], nodes[j], weights[i], weights[j]) = (-x, x, w, w);
    }
    if n % 2 == 1 {
        nodes[n / 2] = 0.0;
    }
    Ok(Rule { nodes, weights })
}

/// $p_n(x)$, $p_n'(x)$ and $\sum_{k<n} p_k(x)^2$ for the orthonormal polynomials with
/// recurrence coefficients `b` $= (b_1, \dots, b_n)$.
fn orthonormal_at(b: &[f64], x: f64) -> (f64, f64, f64) {
    let (mut prev, mut cur, mut dprev, mut dcur, mut sum_sq) = (0.0, 1.0, 0.0, 0.0, 0.0);
    let mut b_prev = 0.0;
    for &b_next in b {
        sum_sq += cur * cur;
        let next = (x * cur - b_prev * prev) / b_next;
        let dnext = (cur + x * dcur - b_prev * dprev) / b_next;
        (prev, cur, dprev, dcur, b_prev) = (cur, next, dcur, dnext, b_next);
    }
    (cur, dcur, sum_sq)
}

/// Eigenvalues, increasing, of the symmetric tridiagonal matrix with zero diagonal and the
/// given off-diagonal, by faer's QR algorithm (no eigenvectors, sequential).
fn tridiagonal_eigenvalues(off_diagonal: &[f64], name: &str) -> Result<Vec<f64>, SpecialError> {
    let n = off_diagonal.len() + 1;
    let diag = vec![0.0; n];
    let mut sub = off_diagonal.to_vec();
    sub.push(0.0);
    let mut eigenvalues = vec![0.0; n];
    let par = Par::Seq;
    let mut buf = MemBuffer::new(evd::self_adjoint_evd_scratch::<f64>(
        n,
        ComputeEigenvectors::No,
        par,
        Default::default(),
    ));
    evd::tridiagonal_self_adjoint_evd(
        DiagRef::from_slice(&diag),
        DiagRef::from_slice(&sub),
        DiagMut::from_slice_mut(&mut eigenvalues),
        None,
        par,
        MemStack::new(&mut buf),
        Default::default(),
    )
    .map_err(|e| invalid(format!("{name}: the eigensolver failed ({e:?}) at n = {n}")))?;
    eigenvalues.sort_by(f64::total_cmp);
    Ok(eigenvalues)
}

/// Panel edges on $[lo, hi]$: a uniform grid of step at most [`PANEL_WIDTH`] merged with the
/// kinks strictly inside.
fn panel_edges(lo: f64, hi: f64, kinks: &[f64]) -> Result<Vec<f64>, SpecialError> {
    if let Some(k) = kinks.iter().find(|k| !k.is_finite()) {
        return Err(invalid(format!("kink {k} is not finite")));
    }
    let panels = ((hi - lo) / PANEL_WIDTH).ceil().max(1.0) as usize;
    let step = (hi - lo) / panels as f64;
    let mut edges: Vec<f64> = (0..panels).map(|i| lo + i as f64 * step).collect();
    edges.push(hi);
    edges.extend(kinks.iter().copied().filter(|&k| lo < k && k < hi));
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    Ok(edges)
}

/// The composite rule of `base` (on $[-1,1]$) over the panels between consecutive `edges`,
/// with `map(x, w)` giving the final node and weight from the Lebesgue node and weight.
fn composite(base: &Rule, edges: &[f64], map: impl Fn(f64, f64) -> (f64, f64)) -> Rule {
    let mut nodes = Vec::with_capacity(base.len() * (edges.len() - 1));
    let mut weights = Vec::with_capacity(nodes.capacity());
    for panel in edges.windows(2) {
        let (mid, half) = (0.5 * (panel[0] + panel[1]), 0.5 * (panel[1] - panel[0]));
        for (&x, &w) in base.nodes.iter().zip(&base.weights) {
            let (node, weight) = map(mid + half * x, half * w);
            nodes.push(node);
            weights.push(weight);
        }
    }
    Rule { nodes, weights }
}

/// Scales the weights to sum to 1.
fn normalise(rule: &mut Rule) {
    let total: f64 = rule.weights.iter().sum();
    rule.weights.iter_mut().for_each(|w| *w /= total);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// $(p-1)!!$ for even $p$, 0 for odd: the moments of $N(0,1)$.
    fn gaussian_moment(p: u32) -> f64 {
        if p % 2 == 1 {
            return 0.0;
        }
        (1..p).step_by(2).map(f64::from).product()
    }

    #[test]
    fn gauss_hermite_is_exact_up_to_degree_2n_minus_1() {
        for n in [1usize, 2, 3, 5, 8, 13, 20] {
            let rule = gauss_hermite(n).unwrap();
            assert_eq!(rule.len(), n);
            for p in 0..2 * n as u32 {
                let got = rule.integrate(|z| z.powi(p as i32));
                // Odd moments cancel in pairs; rounding is relative to E|z|^p.
                let scale = rule.integrate(|z| z.abs().powi(p as i32));
                let want = gaussian_moment(p);
                assert!((got - want).abs() <= 1e-14 * scale.max(1.0), "n {n} p {p}: {got}");
            }
            // Degree 2n is not integrated exactly (the error is n!).
            let p = 2 * n as u32;
            let err = rule.integrate(|z| z.powi(p as i32)) - gaussian_moment(p);
            assert!(err.abs() > 0.5, "n {n}");
        }
    }

    #[test]
    fn gauss_hermite_matches_known_nodes() {
        // n = 3: nodes 0, ±√3, weights 2/3, 1/6.
        let rule = gauss_hermite(3).unwrap();
        let s3 = 3f64.sqrt();
        assert_eq!(rule.nodes()[1], 0.0);
        assert!((rule.nodes()[2] - s3).abs() < 1e-15 && (rule.nodes()[0] + s3).abs() < 1e-15);
        assert!((rule.weights()[1] - 2.0 / 3.0).abs() < 1e-15);
        assert!((rule.weights()[0] - 1.0 / 6.0).abs() < 1e-15);
        // Large n: still exact on low moments, weights positive, tails tiny but accurate.
        let rule = gauss_hermite(200).unwrap();
        assert!(rule.weights().iter().all(|&w| w > 0.0));
        assert!((rule.integrate(|_| 1.0) - 1.0).abs() < 1e-13);
        assert!((rule.integrate(|z| z.powi(8)) - 105.0).abs() < 1e-11);
    }

    #[test]
    fn gauss_legendre_is_exact_up_to_degree_2n_minus_1() {
        for n in [1usize, 2, 4, 7, 24, 50] {
            let rule = gauss_legendre(n).unwrap();
            for p in 0..2 * n as i32 {
                let want = if p % 2 == 0 { 2.0 / f64::from(p + 1) } else { 0.0 };
                let got = rule.integrate(|x| x.powi(p));
                assert!((got - want).abs() < 1e-14, "n {n} p {p}");
            }
        }
        // n = 2: ±1/√3, weights 1.
        let rule = gauss_legendre(2).unwrap();
        assert!((rule.nodes()[1] - 1.0 / 3f64.sqrt()).abs() < 1e-15);
        assert!((rule.weights()[0] - 1.0).abs() < 1e-15);
    }

    #[test]
    fn gauss_gegenbauer_is_exact_on_the_moments_of_t() {
        for d in [2u64, 3, 4, 7, 30, 1000] {
            let law = SphericalMarginal::new(d).unwrap();
            for n in [1usize, 2, 3, 6] {
                let rule = gauss_gegenbauer(&law, n).unwrap();
                assert!(rule.nodes().iter().all(|x| x.abs() < law.radius()));
                for m in 0..n as u32 {
                    let got = rule.integrate(|t| t.powi(2 * m as i32));
                    let want = law.even_moment(m);
                    assert!((got - want).abs() < 1e-13 * want.max(1.0), "d {d} n {n} m {m}");
                    let odd = rule.integrate(|t| t.powi(2 * m as i32 + 1));
                    assert!(odd.abs() < 1e-14, "d {d} n {n} m {m}");
                }
            }
        }
        // d = 2: Gauss–Chebyshev, nodes √2 cos((2i+1)π/2n), equal weights.
        let law = SphericalMarginal::new(2).unwrap();
        let n = 7;
        let rule = gauss_gegenbauer(&law, n).unwrap();
        for (i, (&x, &w)) in rule.nodes().iter().zip(rule.weights()).enumerate() {
            let theta = std::f64::consts::PI * (2 * (n - 1 - i) + 1) as f64 / (2 * n) as f64;
            assert!((x - 2f64.sqrt() * theta.cos()).abs() < 1e-14, "i {i}");
            assert!((w - 1.0 / n as f64).abs() < 1e-14, "i {i}");
        }
    }

    #[test]
    fn composite_legendre_is_exact_per_panel_and_splits_kinks() {
        let rule = composite_gauss_legendre(&[-2.0, -0.5, 0.0, 3.0], 5).unwrap();
        assert_eq!(rule.len(), 15);
        for p in 0..10 {
            let want = (3f64.powi(p + 1) - (-2f64).powi(p + 1)) / f64::from(p + 1);
            let got = rule.integrate(|x| x.powi(p));
            assert!((got - want).abs() < 1e-12 * want.abs().max(1.0), "p {p}");
        }
        // ∫_{-2}^{3} relu = 4.5, ∫ |x| = 6.5: exact with a breakpoint at the kink.
        assert!((rule.integrate(|x| x.max(0.0)) - 4.5).abs() < 1e-14);
        assert!((rule.integrate(f64::abs) - 6.5).abs() < 1e-14);
    }

    #[test]
    fn gaussian_rule_is_exact_on_moments_and_kinked_functions() {
        let rule = gaussian_rule(&[0.0], 8).unwrap();
        assert!(rule.nodes().windows(2).all(|w| w[0] < w[1]));
        for p in 0..=16u32 {
            let got = rule.integrate(|z| z.powi(p as i32));
            let scale = rule.integrate(|z| z.abs().powi(p as i32));
            let want = gaussian_moment(p);
            assert!((got - want).abs() < 1e-14 * scale.max(1.0), "p {p}");
        }
        // E relu(z) = 1/√(2π), E |z|^3 = 2√(2/π).
        let inv_sqrt_2pi = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
        assert!((rule.integrate(|z| z.max(0.0)) - inv_sqrt_2pi).abs() < 1e-15);
        assert!((rule.integrate(|z| z.abs().powi(3)) - 4.0 * inv_sqrt_2pi).abs() < 1e-14);
    }

    /// Plain Gauss–Hermite gets the relu energies only to a few digits: the reason for the
    /// composite rules.
    #[test]
    fn gauss_hermite_converges_slowly_for_a_kink() {
        let want = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
        let err = |n| (gauss_hermite(n).unwrap().integrate(|z| z.max(0.0)) - want).abs();
        assert!(err(20) > 1e-4 && err(20) < 1e-2, "{}", err(20));
        assert!(err(80) < err(20));
    }

    #[test]
    fn marginal_rule_matches_exact_moments_at_every_dimension() {
        for d in [2u64, 3, 4, 5, 10, 50, 196, 197, 1000, 100_000] {
            let law = SphericalMarginal::new(d).unwrap();
            let rule = marginal_rule(&law, &[0.0], 6).unwrap();
            assert!(rule.nodes().iter().all(|t| t.abs() <= law.radius()));
            for m in 0..=6 {
                let got = rule.integrate(|t| t.powi(2 * m as i32));
                let want = law.even_moment(m);
                assert!((got - want).abs() < 1e-13 * want.max(1.0), "d {d} m {m}: {got}");
            }
        }
        // d = 3: t is uniform on [-√3, √3] (Archimedes), so E relu(t) = √3/4.
        let law = SphericalMarginal::new(3).unwrap();
        let rule = marginal_rule(&law, &[0.0], 6).unwrap();
        assert!((rule.integrate(|t| t.max(0.0)) - 3f64.sqrt() / 4.0).abs() < 1e-15);
    }

    #[test]
    fn orthonormality_under_the_marginal_rule() {
        for d in [2u64, 3, 6, 25, 400] {
            let law = SphericalMarginal::new(d).unwrap();
            let rule = marginal_rule(&law, &[], 9).unwrap();
            let mut q = [0.0; 10];
            let mut gram = [[0.0; 10]; 10];
            for (&t, &w) in rule.nodes().iter().zip(rule.weights()) {
                law.orthonormal_all(t, &mut q);
                for j in 0..10 {
                    for k in 0..10 {
                        gram[j][k] += w * q[j] * q[k];
                    }
                }
            }
            for (j, row) in gram.iter().enumerate() {
                for (k, &g) in row.iter().enumerate() {
                    let want = if j == k { 1.0 } else { 0.0 };
                    assert!((g - want).abs() < 1e-12, "d {d} j {j} k {k}: {g}");
                }
            }
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(gauss_hermite(0).is_err());
        assert!(gauss_hermite(MAX_NODES + 1).is_err());
        assert!(gauss_legendre(0).is_err());
        assert!(composite_gauss_legendre(&[1.0], 4).is_err());
        assert!(composite_gauss_legendre(&[0.0, 0.0, 1.0], 4).is_err());
        assert!(composite_gauss_legendre(&[0.0, f64::NAN], 4).is_err());
        assert!(composite_gauss_legendre(&[0.0, 1.0], 0).is_err());
        assert!(gaussian_rule(&[f64::NAN], 3).is_err());
        assert!(gaussian_rule(&[f64::INFINITY], 3).is_err());
        let law = SphericalMarginal::new(5).unwrap();
        assert!(marginal_rule(&law, &[f64::NAN], 3).is_err());
        // Kinks outside the range are ignored, not errors.
        assert_eq!(marginal_rule(&law, &[100.0], 3).unwrap(), marginal_rule(&law, &[], 3).unwrap());
    }
}
