//! Golden values of `thm::special`: the Hermite energy table of `docs/theory/conventions.md` to
//! its printed digits, the closed forms for relu and abs to 1e-10, and the finite-d Gegenbauer
//! energies against their Hermite limit and Bessel's inequality.

use std::f64::consts::PI;
use thm::special::energies::{gegenbauer_energies, hermite_energies, Activation, Energies};
use thm::special::gegenbauer::SphericalMarginal;

fn hermite(phi: &Activation, max_degree: u32) -> Energies {
    hermite_energies(|z| phi.eval(z), phi.kinks(), max_degree).unwrap()
}

/// `He_2/2 + He_3/6` (the inner polynomial of the depth-advantage reference code) =
/// `h_2/√2 + h_3/√6`.
fn dandi_p3() -> Activation {
    Activation::HermiteSeries(vec![0.0, 0.0, 0.5f64.sqrt(), (1.0f64 / 6.0).sqrt()])
}

/// The table of Hermite energies c_k^2 = E[phi He_k]^2/k! in `docs/theory/conventions.md`:
/// E phi^2, then c_0^2 … c_6^2, as printed there.
#[allow(clippy::approx_constant)] // 0.6366 and 0.3183 are the table's digits of 2/π and 1/π
fn table() -> Vec<(&'static str, Activation, [f64; 8])> {
    vec![
        ("relu", Activation::Relu, [0.5, 0.1592, 0.25, 0.0796, 0.0, 0.0066, 0.0, 0.0020]),
        ("abs", Activation::Abs, [1.0, 0.6366, 0.0, 0.3183, 0.0, 0.0265, 0.0, 0.0080]),
        ("tanh", Activation::Tanh, [0.3943, 0.0, 0.3669, 0.0, 0.0220, 0.0, 0.0039, 0.0]),
        (
            "tanh(3z)",
            Activation::ScaledTanh(3.0),
            [0.7452, 0.0, 0.5845, 0.0, 0.0824, 0.0, 0.0315, 0.0],
        ),
        ("He_2/2 + He_3/6", dandi_p3(), [0.6667, 0.0, 0.0, 0.5, 0.1667, 0.0, 0.0, 0.0]),
        ("sigmoid", Activation::Sigmoid, [0.2934, 0.25, 0.0427, 0.0, 0.0006, 0.0, 0.0, 0.0]),
    ]
}

#[test]
fn hermite_energies_match_the_theory_table_to_its_printed_digits() {
    for (name, phi, row) in table() {
        let e = hermite(&phi, 6);
        let got: Vec<f64> = std::iter::once(e.second_moment).chain(e.energies()).collect();
        for (col, (&g, &printed)) in got.iter().zip(&row).enumerate() {
            // Four decimals printed: the true value is within half a unit of the last digit.
            assert!((g - printed).abs() <= 0.5e-4, "{name}, column {col}: {g} vs {printed}");
        }
    }
}

#[test]
fn relu_and_abs_energies_match_their_closed_forms() {
    // E[relu He_k] = (-1)^(k/2-1) (k-3)!!/√(2π) for even k ≥ 2, so c_k^2 = ((k-3)!!)^2/(2π k!).
    let relu = hermite(&Activation::Relu, 12);
    let abs = hermite(&Activation::Abs, 12);
    let sqrt_2pi = (2.0 * PI).sqrt();
    assert!((relu.energies()[0] - 1.0 / (2.0 * PI)).abs() < 1e-10);
    assert!((relu.energies()[1] - 0.25).abs() < 1e-10);
    assert!((relu.energies()[2] - 1.0 / (4.0 * PI)).abs() < 1e-10);
    assert!((relu.energies()[4] - 1.0 / (48.0 * PI)).abs() < 1e-10);
    assert!((relu.second_moment - 0.5).abs() < 1e-10);
    let (mut double_factorial, mut factorial) = (1.0, 2.0); // (k-3)!! and k! at k = 2
    for k in (2..=12).step_by(2) {
        if k > 2 {
            double_factorial *= f64::from(k - 3);
            factorial *= f64::from(k * (k - 1));
        }
        let sign = if (k / 2 - 1) % 2 == 0 { 1.0 } else { -1.0 };
        let c = sign * double_factorial / sqrt_2pi / factorial.sqrt();
        assert!((relu.coefficients[k as usize] - c).abs() < 1e-10, "relu k {k}");
        // abs = 2 relu - z doubles the even coefficients.
        assert!((abs.coefficients[k as usize] - 2.0 * c).abs() < 1e-10, "abs k {k}");
    }
    // Odd coefficients past the first vanish (relu - z/2 = |z|/2 is even).
    for k in (3..=11).step_by(2) {
        assert!(relu.coefficients[k].abs() < 1e-10 && abs.coefficients[k].abs() < 1e-10, "k {k}");
    }
    assert!(abs.coefficients[1].abs() < 1e-10);
    assert!((abs.energies()[0] - 2.0 / PI).abs() < 1e-10);
    assert!((abs.energies()[2] - 1.0 / PI).abs() < 1e-10);
    assert!((abs.second_moment - 1.0).abs() < 1e-10);
}

#[test]
fn information_exponents_of_the_table() {
    let k = |phi: &Activation| hermite(phi, 6).information_exponent(1e-8);
    assert_eq!(k(&Activation::Relu), Some(1));
    assert_eq!(k(&Activation::Abs), Some(2));
    assert_eq!(k(&Activation::Tanh), Some(1));
    assert_eq!(k(&dandi_p3()), Some(2));
    assert_eq!(k(&Activation::HermiteSeries(vec![0.0, 0.0, 0.0, 1.0])), Some(3));
}

#[test]
fn gegenbauer_energies_tend_to_the_hermite_ones() {
    for (name, phi, _) in table() {
        let limit = hermite(&phi, 6);
        let mut previous = f64::INFINITY;
        for d in [10u64, 100, 1000, 10_000] {
            let law = SphericalMarginal::new(d).unwrap();
            let e = gegenbauer_energies(|t| phi.eval(t), phi.kinks(), &law, 6).unwrap();
            let gap = e
                .energies()
                .iter()
                .zip(limit.energies())
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            if d == 10_000 {
                assert!(gap < 1e-3, "{name} at d = {d}: gap {gap}");
            }
            // O(1/d): each tenfold increase of d shrinks the gap (or it is already at rounding).
            assert!(gap < previous || gap < 1e-12, "{name} at d = {d}: {gap} ≥ {previous}");
            previous = gap;
        }
    }
}

#[test]
fn gegenbauer_energies_obey_bessel_at_every_dimension() {
    for (name, phi, _) in table() {
        for d in [2u64, 3, 4, 5, 8, 16, 64, 1000, 100_000] {
            let law = SphericalMarginal::new(d).unwrap();
            let e = gegenbauer_energies(|t| phi.eval(t), phi.kinks(), &law, 12).unwrap();
            for l in 0..=12 {
                assert!(e.tail(l) > -1e-13, "{name}, d = {d}, l = {l}: tail {}", e.tail(l));
            }
        }
    }
}
