//! Unit tests of `double-descent`: the risk formulas against our prototype's values and a
//! simulation, the hypotheses, the width grid and the peak.

use super::rf::{peak_location, width_grid};
use super::risk::{asymptotic_risk, exact_risk, mp_stieltjes, ridge_risk};
use super::variance::one_risk;
use super::*;
use crate::rng::rng_from_u64;

fn variance() -> VarianceDesign {
    VarianceDesign {
        samples: 200,
        signal: 1.0,
        noise: 0.25,
        replicates: 4,
        panel_gammas: Vec::new(),
        panel_ridges: Vec::new(),
        panel_size: None,
    }
}

fn below(v: VarianceDesign) -> DoubleDescentParams {
    DoubleDescentParams::VarianceBelow(v)
}

fn above(v: VarianceDesign) -> DoubleDescentParams {
    DoubleDescentParams::VarianceAbove(v)
}

fn rf() -> RfPeakDesign {
    RfPeakDesign { signal: 1.0, noise: 0.25, replicates: 4, dim: 16, test_points: 500 }
}

fn fields(v: &[Violation]) -> Vec<&str> {
    v.iter().map(|v| v.field.as_str()).collect()
}

#[test]
fn the_exact_risk_reproduces_our_prototypes_values() {
    // Our earlier prototype (docs/theory/double-descent.md): n = 200, r² = 1, σ² = 0.25:
    // exact 2.37 at γ = 0.9 and 2.72 at γ = 1.1.
    assert!((exact_risk(200, 180, 1.0, 0.25).unwrap() - 0.25 * 180.0 / 19.0).abs() < 1e-12);
    assert!((exact_risk(200, 180, 1.0, 0.25).unwrap() - 2.37).abs() < 5e-3);
    assert!((exact_risk(200, 220, 1.0, 0.25).unwrap() - 2.72).abs() < 5e-3);
    for p in [199, 200, 201] {
        assert_eq!(exact_risk(200, p, 1.0, 0.25), None, "p = {p}");
    }
    // The asymptotic law: 0.25 at γ = 0.5, 0.75 at γ = 2, none at γ = 1.
    assert!((asymptotic_risk(0.5, 1.0, 0.25).unwrap() - 0.25).abs() < 1e-12);
    assert!((asymptotic_risk(2.0, 1.0, 0.25).unwrap() - 0.75).abs() < 1e-12);
    assert_eq!(asymptotic_risk(1.0, 1.0, 0.25), None);
}

#[test]
fn the_ridge_risk_tends_to_the_ridgeless_law_and_matches_a_simulation() {
    for g in [0.3, 0.8, 1.2, 2.5] {
        let ridgeless = asymptotic_risk(g, 1.0, 0.25).unwrap();
        let tiny = ridge_risk(g, 1e-9, 1.0, 0.25);
        assert!((tiny - ridgeless).abs() < 1e-5 * ridgeless, "γ = {g}: {tiny} vs {ridgeless}");
        // m solves its quadratic.
        let (m, _) = mp_stieltjes(g, 0.3);
        assert!((g * 0.3 * m * m + (0.3 + 1.0 - g) * m - 1.0).abs() < 1e-12);
    }
    // Our earlier prototype: within 1% at n = 400 for γ in {0.5, 2}, λ in {0.05, 0.3} (with
    // 40 repetitions); here 30 draws at λ = 0.3 must agree within 5% (their standard error
    // is about 1-2%).
    let mut rng = rng_from_u64(5);
    for (g, l) in [(0.5, 0.3), (2.0, 0.3)] {
        let n = 400;
        let p = (g * n as f64) as usize;
        let mean =
            (0..30).map(|_| one_risk(n, p, l, 1.0, 0.25, &mut rng).unwrap()).sum::<f64>() / 30.0;
        let theory = ridge_risk(g, l, 1.0, 0.25);
        assert!((mean / theory - 1.0).abs() < 0.05, "γ = {g}, λ = {l}: {mean} vs {theory}");
    }
}

#[test]
fn a_variance_trial_estimates_the_exact_variance() {
    // Far from the pole the mean of 64 draws is within a few % of σ² n/s.
    for side in [below, above] {
        let p = side(VarianceDesign { replicates: 64, ..variance() });
        let v = Validated::check(&DoubleDescent, p, &[59, 79, 99]).unwrap();
        let obs = DoubleDescent.trial(&v, 99, &mut rng_from_u64(3));
        let exact = 0.25 * 200.0 / 99.0;
        match obs {
            Observation::Value(x) => {
                assert!((x / exact - 1.0).abs() < 0.1, "{x} vs {exact}")
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn gamma_one_and_the_threshold_itself_are_refused_by_name() {
    let v = DoubleDescent.violations(&below(variance()), &[0, 9, 19]);
    assert_eq!(fields(&v), ["sizes"], "{v:?}");
    assert!(v[0].found.contains("p = n - 1 = 199") && v[0].found.contains("infinite"));
    let v = DoubleDescent.violations(&above(variance()), &[0, 9, 19]);
    assert!(v[0].found.contains("p = n + 1 = 201"), "{v:?}");
    let panel = |gammas: &[f64], size: u64| {
        above(VarianceDesign {
            panel_gammas: gammas.to_vec(),
            panel_size: Some(size),
            ..variance()
        })
    };
    let v = DoubleDescent.violations(&panel(&[0.5, 1.0], 9), &[9, 19, 29]);
    assert_eq!(fields(&v), ["params.panel_gammas"], "{v:?}");
    assert!(v[0].found.contains("γ = 1") && v[0].found.contains("infinite"), "{v:?}");
    // p = round(200.8) = 201 = n + 1
    let v = DoubleDescent.violations(&panel(&[0.5, 1.004], 9), &[9, 19, 29]);
    assert_eq!(fields(&v), ["params.panel_gammas"]);
    assert!(DoubleDescent.violations(&panel(&[0.5, 1.1], 9), &[9, 19, 29]).is_empty());
    let v = DoubleDescent.violations(&panel(&[0.5, 1.1], 10), &[9, 19, 29]);
    assert_eq!(fields(&v), ["params.panel_size"]);
}

#[test]
fn out_of_range_parameters_are_refused() {
    // p = n - 1 - s ≥ 1: s = 198 leaves p = 1, s = 199 none.
    assert!(DoubleDescent.violations(&below(variance()), &[9, 19, 198]).is_empty());
    let v = DoubleDescent.violations(&below(variance()), &[9, 19, 199]);
    assert_eq!(fields(&v), ["sizes"]);
    let p = below(VarianceDesign { noise: 0.0, signal: f64::NAN, replicates: 0, ..variance() });
    let v = DoubleDescent.violations(&p, &[9, 19, 29]);
    assert_eq!(fields(&v), ["params.signal", "params.noise", "params.replicates"], "{v:?}");
    let p = below(VarianceDesign { samples: 5, ..variance() });
    assert_eq!(fields(&DoubleDescent.violations(&p, &[9, 19, 29])), ["params.samples"]);
    let p = DoubleDescentParams::RfPeak(rf());
    assert!(DoubleDescent.violations(&p, &[25, 50, 100]).is_empty());
    assert_eq!(fields(&DoubleDescent.violations(&p, &[8, 50, 100])), ["sizes"]);
    let p = DoubleDescentParams::RfPeak(RfPeakDesign { dim: 1, test_points: 10, ..rf() });
    let v = DoubleDescent.violations(&p, &[25, 50, 100]);
    assert_eq!(fields(&v), ["params.dim", "params.test_points"], "{v:?}");
}

#[test]
fn the_width_grid_is_fixed_and_skips_the_threshold() {
    // round(4 · 2^(j/8)) near 25: ..., 23, [25 dropped], 27, ...
    let g = width_grid(25);
    assert!(g.contains(&23) && g.contains(&27) && !g.contains(&25), "{g:?}");
    assert!(g.iter().all(|&w| (13..=50).contains(&w)));
    // The same widths for every n: the grid of n = 50 shares 27..=49 with that of 25.
    let h = width_grid(50);
    for w in g.iter().filter(|&&w| w >= 25) {
        assert!(h.contains(w) || w.abs_diff(50) <= 1, "{w}");
    }
}

#[test]
fn the_peak_is_the_parabola_vertex_between_the_neighbours() {
    let grid = [10, 20, 40, 80];
    // log R = -(log N - log 30)^2: the vertex is at N = 30 exactly.
    let risks: Vec<f64> =
        grid.iter().map(|&w| (-((w as f64).ln() - 30f64.ln()).powi(2)).exp()).collect();
    let peak = peak_location(&grid, &risks).unwrap();
    assert!((peak - 30.0).abs() < 1e-9, "{peak}");
    assert_eq!(peak_location(&grid, &[5.0, 4.0, 3.0, 2.0]), None);
    assert_eq!(peak_location(&grid, &[1.0, 2.0, 3.0, 4.0]), None);
}

#[test]
fn an_rf_trial_finds_the_peak_near_n() {
    let p = DoubleDescentParams::RfPeak(rf());
    let v = Validated::check(&DoubleDescent, p, &[25, 50, 100]).unwrap();
    match DoubleDescent.trial(&v, 50, &mut rng_from_u64(2)) {
        Observation::Value(w) => assert!((40.0..=60.0).contains(&w), "N* = {w}"),
        other => panic!("{other:?}"),
    }
}

/// The design fixes the fields: another design's field, or a missing one, is refused when the
/// card is read, naming the field.
#[test]
fn a_design_admits_exactly_its_fields() {
    let card =
        crate::registry::BUILTIN_CARDS.iter().find(|(id, _)| *id == "double-descent").unwrap().1;
    let load = |text: String| {
        let src = crate::card::CardSource { path: "my-card.toml".into(), text };
        crate::registry::load_card(&src).map(|_| ()).unwrap_err().to_string()
    };
    // A variance claim with rf-peak's `dim`; rf-peak with a variance claim's `samples`.
    let e = load(card.replacen("samples = 200\n", "samples = 200\ndim = 32\n", 1));
    assert!(e.starts_with("my-card.toml:") && e.contains("unknown field `dim`"), "{e}");
    let e =
        load(card.replacen("measure = \"rf-peak\"\n", "measure = \"rf-peak\"\nsamples = 200\n", 1));
    assert!(e.contains("unknown field `samples`"), "{e}");
    // A variance claim without `samples`; rf-peak without `dim`.
    let e = load(card.replacen("samples = 200\n", "", 1));
    assert!(e.contains("missing field `samples`"), "{e}");
    let e = load(card.replacen("dim = 32\n", "", 1));
    assert!(e.contains("missing field `dim`"), "{e}");
}

/// Pre-registration of the cards' rival controls (no simulation data): each rival's exponent
/// over the quick and full sweeps in the claim's coordinates (`log` observable against `log`
/// size, equal weights), against 2 × the claim's tolerance (0.1).
#[test]
fn rival_exponents_over_the_card_sweeps() {
    let slope = |sizes: &[u64], curve: &[f64]| {
        let xs: Vec<f64> = sizes.iter().map(|&n| (n as f64).ln()).collect();
        let ys: Vec<f64> = curve.iter().map(|v| v.ln()).collect();
        let k = xs.len() as f64;
        let (xm, ym) = (xs.iter().sum::<f64>() / k, ys.iter().sum::<f64>() / k);
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - xm) * (y - ym)).sum();
        sxy / xs.iter().map(|x| (x - xm).powi(2)).sum::<f64>()
    };
    let quick: &[u64] = &[9, 13, 19, 27, 39, 56, 79, 99];
    let full: &[u64] = &[9, 11, 13, 16, 19, 23, 27, 33, 39, 47, 56, 66, 79, 93, 99];
    let mut rf_design = rf();
    rf_design.dim = 32;
    let cases = [
        ("variance-below", below(variance()), quick, full, -1.0, "smallest-eigenvalue"),
        ("variance-above", above(variance()), quick, full, -1.0, "smallest-eigenvalue"),
        (
            "rf-peak",
            DoubleDescentParams::RfPeak(rf_design),
            &[25, 50, 100, 200, 400][..],
            &[25, 50, 100, 200, 400, 800][..],
            1.0,
            "input-dimension",
        ),
    ];
    for (id, p, q, f, predicted_slope, chosen) in cases {
        let v = Validated::check(&DoubleDescent, p, f).unwrap();
        for r in DoubleDescent.rivals(&v) {
            let a: Vec<f64> = [q, f]
                .iter()
                .map(|s| slope(s, &DoubleDescent.rival_curve(&v, &r.name, s).unwrap()))
                .collect();
            let far = a.iter().all(|a| (a - predicted_slope).abs() > 0.2);
            println!(
                "{id}: rival {} slope quick {:.3} full {:.3} (refutable: {far})",
                r.name, a[0], a[1]
            );
            assert_eq!(far, r.name == chosen, "{id}: {}", r.name);
        }
    }
}
