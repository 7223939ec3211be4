//! Unit tests of `depth-approximation`: the predicted exponents, the hypotheses, the sieve
//! error, the expansion's slope and the typed designs.

use super::*;

fn torus(dimension: u32, smoothness: f64, c: f64) -> NadarayaWatson {
    NadarayaWatson {
        target: Target::TorusSines { dimension, smoothness },
        bandwidth_constant: c,
        noise: 0.5,
        test_points: 1000,
    }
}

fn jump_target() -> Target {
    Target::Jump { location: 0.5, height: 1.0, amplitude: 0.5, evaluation: [0.05, 0.95] }
}

fn jump_linear(c: f64) -> NadarayaWatson {
    NadarayaWatson { target: jump_target(), bandwidth_constant: c, noise: 0.3, test_points: 2000 }
}

fn free_knot(degree: u32) -> FreeKnot {
    FreeKnot { target: jump_target(), degree, noise: 0.3 }
}

fn exponent(p: DepthApproximationParams, sizes: &[u64]) -> f64 {
    let v = Validated::check(&DepthApproximation, p, sizes).unwrap();
    DepthApproximation.predict(&v).exponent.value()
}

fn nw(p: NadarayaWatson) -> DepthApproximationParams {
    DepthApproximationParams::NadarayaWatson(p)
}

fn fk(p: FreeKnot) -> DepthApproximationParams {
    DepthApproximationParams::FreeKnot(p)
}

#[test]
fn stone_exponents_saturate_at_the_kernel_order() {
    let sizes = [1000, 2000, 4000];
    for (d, a) in [(1, 0.8), (2, 2.0 / 3.0), (3, 4.0 / 7.0)] {
        assert!((exponent(nw(torus(d, 2.0, 0.1)), &sizes) - a).abs() < 1e-12);
        assert!((exponent(nw(torus(d, 5.0, 0.1)), &sizes) - a).abs() < 1e-12, "saturation");
    }
    assert!((exponent(nw(torus(1, 1.0, 0.1)), &sizes) - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(exponent(nw(jump_linear(0.1)), &sizes), 0.5);
    assert_eq!(exponent(fk(free_knot(10)), &sizes), 1.0);
}

#[test]
fn bad_parameters_name_their_hypothesis() {
    let sizes = [1000, 2000, 4000];
    let v = |p: DepthApproximationParams| DepthApproximation.violations(&p, &sizes);
    let first = |p: DepthApproximationParams| {
        let v = v(p);
        (v[0].field.clone(), v[0].hypothesis[..4].to_string())
    };
    assert_eq!(first(nw(torus(0, 2.0, 0.1))), ("params.target".into(), "(H1)".into()));
    assert_eq!(first(nw(torus(1, 0.0, 0.1))), ("params.target".into(), "(H2)".into()));
    let h4 = ("params.bandwidth_constant".to_string(), "(H4)".to_string());
    assert_eq!(first(nw(torus(1, 2.0, 0.0))), h4);
    assert_eq!(first(nw(torus(1, 2.0, 10.0))), h4, "window too wide");
    let noiseless = FreeKnot { noise: 0.0, ..free_knot(10) };
    let h5 = ("params.degree".to_string(), "(H5)".to_string());
    assert_eq!(first(fk(noiseless)), h5, "no variance, no rate");
    assert_eq!(first(fk(free_knot(3))), h5, "sieve too coarse");
    let on_torus =
        FreeKnot { target: Target::TorusSines { dimension: 1, smoothness: 2.0 }, ..free_knot(10) };
    assert_eq!(first(fk(on_torus)), ("params.target".into(), "(H5)".into()));
    let outside = FreeKnot {
        target: Target::Jump {
            location: 0.99,
            height: 1.0,
            amplitude: 0.5,
            evaluation: [0.05, 0.95],
        },
        ..free_knot(10)
    };
    assert_eq!(first(fk(outside)), ("params.target".into(), "(H1)".into()));
    let v = DepthApproximation.violations(&fk(free_knot(10)), &[1000, 2_000_000_000]);
    assert!(v.iter().any(|v| v.field == "sizes" && v.hypothesis.starts_with("(H7)")), "{v:?}");
}

#[test]
fn the_sieve_error_of_a_sine_falls_fast_with_the_degree() {
    let e: Vec<f64> = [0, 2, 6, 10].iter().map(|&k| sine_sieve_error(0.5, k)).collect();
    assert!((e[0] - 0.125).abs() < 1e-12, "A²/2 with no polynomial: {}", e[0]);
    assert!(e[1] < e[0] && e[2] < 1e-4 && e[3] < 1e-9, "{e:?}");
}

#[test]
fn far_out_the_expansion_has_the_predicted_slope() {
    // Far out the expansion has the predicted slope; its drift at the card's sizes is what
    // the card's tolerances are sized from.
    let far = [1_000_000_000, 2_000_000_000, 4_000_000_000];
    assert!((torus(1, 2.0, 0.155).theory_exponent(&far) - 0.8).abs() < 0.005);
    assert!((torus(3, 2.0, 0.184).theory_exponent(&far) - 4.0 / 7.0).abs() < 0.005);
    assert!((jump_linear(0.2).theory_exponent(&far) - 0.5).abs() < 0.005);
}

/// The estimator fixes the fields: another estimator's field, or a missing one, is refused
/// when the card is read, naming the field.
#[test]
fn a_design_admits_exactly_its_fields() {
    let card = crate::registry::BUILTIN_CARDS
        .iter()
        .find(|(id, _)| *id == "depth-approximation")
        .unwrap()
        .1;
    let load = |text: String| {
        let src = crate::card::CardSource { path: "my-card.toml".into(), text };
        crate::registry::load_card(&src).map(|_| ()).unwrap_err().to_string()
    };
    // Nadaraya–Watson with the free-knot fit's `degree`.
    let e = load(card.replacen("bandwidth_constant = 0.155\n", "degree = 10\n", 1));
    assert!(e.starts_with("my-card.toml:") && e.contains("unknown field `degree`"), "{e}");
    // Free-knot with Nadaraya–Watson's `test_points`, or without its `degree`.
    let e = load(card.replacen("degree = 10\n", "degree = 10\ntest_points = 2000\n", 1));
    assert!(e.contains("unknown field `test_points`"), "{e}");
    let e = load(card.replacen("degree = 10\n", "", 1));
    assert!(e.contains("missing field `degree`"), "{e}");
}
