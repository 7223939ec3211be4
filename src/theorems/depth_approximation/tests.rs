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

/// The least-squares slope of a curve in the claim's coordinates (`log MSE` against `log n`),
/// as an exponent: what `check/control.rs` does to a rival, with equal weights.
fn curve_exponent(sizes: &[u64], curve: &[f64]) -> f64 {
    let xs: Vec<f64> = sizes.iter().map(|&n| (n as f64).ln()).collect();
    let ys: Vec<f64> = curve.iter().map(|v| v.ln()).collect();
    let k = xs.len() as f64;
    let (xm, ym) = (xs.iter().sum::<f64>() / k, ys.iter().sum::<f64>() / k);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - xm) * (y - ym)).sum();
    -sxy / xs.iter().map(|x| (x - xm).powi(2)).sum::<f64>()
}

/// Pre-registration of the cards' rival controls (no simulation data): each rival's exponent
/// over the quick and full sweeps, and its distance from the prediction against 2 × the
/// claim's tolerance. The card's choice is the nearest rival farther than that.
#[test]
fn rival_exponents_over_the_card_sweeps() {
    let quick = [1000, 1900, 3700, 7200, 13900, 26800];
    let full = [1000, 1900, 3700, 7200, 13900, 26800, 51800, 100000];
    let jq = [1000, 2000, 4000, 8000, 16000, 32000, 64000];
    let jf = [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000];
    type Case<'a> =
        (&'a str, DepthApproximationParams, f64, &'a [u64], &'a [u64], &'a str, Option<&'a str>);
    let cases: [Case; 5] = [
        (
            "stone-d1",
            nw(torus(1, 2.0, 0.155)),
            0.06,
            &quick,
            &full,
            "first-order-smoother",
            Some("first-order-smoother"),
        ),
        (
            "stone-d2",
            nw(torus(2, 2.0, 0.171)),
            0.08,
            &quick,
            &full,
            "first-order-smoother",
            Some("additive-rate"),
        ),
        (
            "stone-d3",
            nw(torus(3, 2.0, 0.184)),
            0.10,
            &quick,
            &full,
            "additive-rate",
            Some("higher-dimension"),
        ),
        ("jump-linear", nw(jump_linear(0.313)), 0.06, &jq, &jf, "first-order-smoother", None),
        ("jump-free-knot", fk(free_knot(10)), 0.10, &jq, &jf, "linear-rate", None),
    ];
    for (id, p, tol, q, f, chosen, twin) in cases {
        let v = Validated::check(&DepthApproximation, p, f).unwrap();
        let predicted = DepthApproximation.predict(&v).exponent.value();
        let mut nearest: Option<(f64, String)> = None;
        for r in DepthApproximation.rivals(&v) {
            let a: Vec<f64> = [q, f]
                .iter()
                .map(|s| {
                    curve_exponent(s, &DepthApproximation.rival_curve(&v, &r.name, s).unwrap())
                })
                .collect();
            let far = a.iter().all(|a| (a - predicted).abs() > 2.0 * tol);
            println!(
                "{id}: rival {} exponent quick {:.3} full {:.3} (refutable: {far})",
                r.name, a[0], a[1]
            );
            let gap = (a[0] - predicted).abs().min((a[1] - predicted).abs());
            if far && nearest.as_ref().is_none_or(|(g, _)| gap < *g) {
                nearest = Some((gap, r.name.clone()));
            }
        }
        assert_eq!(nearest.map(|n| n.1).as_deref(), Some(chosen), "{id}");
        // The twins' frame: the slope of log(expansion / rival), against 2 × 0.05.
        let Some(twin_rival) = twin else { continue };
        let fs: Vec<f64> = [q, f]
            .iter()
            .map(|s| curve_exponent(s, &DepthApproximation.finite_size(&v, s).unwrap()))
            .collect();
        println!("{id}: finite-size exponent quick {:.3} full {:.3}", fs[0], fs[1]);
        let mut nearest: Option<(f64, String)> = None;
        for r in DepthApproximation.rivals(&v) {
            let gaps: Vec<f64> = [q, f]
                .iter()
                .zip(&fs)
                .map(|(s, a)| {
                    let c = DepthApproximation.rival_curve(&v, &r.name, s).unwrap();
                    (curve_exponent(s, &c) - a).abs()
                })
                .collect();
            println!(
                "{id}-fs: rival {} gap slope quick {:.3} full {:.3}",
                r.name, gaps[0], gaps[1]
            );
            let gap = gaps[0].min(gaps[1]);
            if gap > 0.1 && nearest.as_ref().is_none_or(|(g, _)| gap < *g) {
                nearest = Some((gap, r.name.clone()));
            }
        }
        assert_eq!(nearest.map(|n| n.1).as_deref(), Some(twin_rival), "{id}-fs");
    }
}

/// The finite-size curve against a direct simulation at one small size (D = 1 and D = 2,
/// n = 1000, the cards' bandwidths): the mean MSE over 200 trials lies within 10% of the
/// expansion (its neglected terms are of relative order 1/(n h^D), 5-7% here; the Monte-Carlo
/// error of the mean is a few per cent).
#[test]
fn the_finite_size_curve_matches_a_direct_simulation() {
    for (d, c) in [(1, 0.155), (2, 0.171)] {
        let p = torus(d, 2.0, c);
        let mut rng = crate::rng::rng_from_u64(7);
        let trials = 200;
        let mean = (0..trials)
            .map(|_| match trials::nadaraya_watson_trial(&p, 1000, &mut rng) {
                Observation::Value(v) => v,
                o => panic!("{o:?}"),
            })
            .sum::<f64>()
            / f64::from(trials);
        let theory = p.theory_mse(1000);
        println!("D = {d}: simulated {mean:.5}, expansion {theory:.5}");
        assert!((mean / theory - 1.0).abs() < 0.10, "D = {d}: {mean} against {theory}");
    }
}
