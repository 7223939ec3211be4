//! Unit tests of the `kernel-barrier` module.

use super::krr::{draw_data, sample_grid, zonal_values};
use super::params::{
    GrowthDegree, GrowthDesign, PlateauDesign, Projection, ThresholdDesign, WidthDesign, WidthModel,
};
use super::*;
use crate::learn::{gram_matrix, kernel_matrix, sphere_points, Krr};
use crate::special::energies::inner_product_kernel_spectrum;
use crate::special::gegenbauer::SphericalMarginal;
use crate::special::harmonics::{cumulative_harmonic_dimension_f64, harmonic_dimension_f64};

fn threshold() -> ThresholdDesign {
    ThresholdDesign {
        degree: 2,
        kernel: KernelChoice::Exponential,
        target: vec![0.0, 1.0, 1.0, 1.0],
        relative_ridge: 1e-3,
        sample_budget: 2.0,
        test_points: 2000,
        threshold_scale: ThresholdScale::Harmonics,
        projection: Projection::TestPoints,
    }
}

fn plateau() -> PlateauDesign {
    PlateauDesign {
        degree: 2,
        kernel: KernelChoice::Exponential,
        target: vec![0.0, 1.0, 1.0, 1.0],
        relative_ridge: 1e-3,
        test_points: 2000,
        plateau_gap: 0.5,
    }
}

/// An NT width claim of degree 2 whose sweep d = 8..16 passes H8.
fn width() -> WidthDesign {
    WidthDesign {
        degree: 2,
        model: WidthModel::NeuralTangent,
        target: vec![0.0, 1.0, 1.0, 1.0],
        relative_ridge: 1e-3,
        sample_budget: 2.0,
        test_points: 2000,
        threshold_scale: ThresholdScale::Harmonics,
        sample_ratio: 10.0,
    }
}

/// A growth claim over degrees 1..=3 whose sweeps pass H0 and H5.
fn growth() -> GrowthDesign {
    GrowthDesign {
        kernel: KernelChoice::Exponential,
        target: vec![0.0, 1.0, 1.0, 1.0, 1.0],
        relative_ridge: 1e-3,
        test_points: 2000,
        threshold_scale: ThresholdScale::Harmonics,
        projection: Projection::TestPoints,
        degrees: [(vec![16, 23, 32], 3.0), (vec![8, 11, 16], 2.0), (vec![6, 8, 11], 1.0)]
            .into_iter()
            .map(|(dims, sample_budget)| GrowthDegree { dims, sample_budget })
            .collect(),
    }
}

fn violations(p: impl Into<KernelBarrierParams>, sizes: &[u64]) -> Vec<Violation> {
    KernelBarrier.violations(&p.into(), sizes)
}

fn fields(v: &[Violation]) -> Vec<&str> {
    v.iter().map(|v| v.field.as_str()).collect()
}

impl From<ThresholdDesign> for KernelBarrierParams {
    fn from(t: ThresholdDesign) -> Self {
        KernelBarrierParams::Threshold(t)
    }
}

impl From<PlateauDesign> for KernelBarrierParams {
    fn from(p: PlateauDesign) -> Self {
        KernelBarrierParams::Plateau(p)
    }
}

impl From<GrowthDesign> for KernelBarrierParams {
    fn from(g: GrowthDesign) -> Self {
        KernelBarrierParams::Growth(g)
    }
}

impl From<WidthDesign> for KernelBarrierParams {
    fn from(w: WidthDesign) -> Self {
        KernelBarrierParams::Width(w)
    }
}

/// The `[claims.params]` table of a card, parsed as the card loader does (`measure` first).
fn parse(table: &str) -> Result<KernelBarrierParams, String> {
    toml::from_str(table).map_err(|e| e.message().to_string())
}

const THRESHOLD_TABLE: &str = "measure = \"threshold\"\ndegree = 2\nkernel = \"exponential\"\n\
     target = [0.0, 1.0, 1.0, 1.0]\nrelative_ridge = 1e-3\nsample_budget = 2.0\n\
     test_points = 2000\nthreshold_scale = \"harmonics\"\n";

#[test]
fn a_design_parses_with_exactly_its_fields_and_its_defaults() {
    let p = parse(THRESHOLD_TABLE).unwrap();
    assert_eq!(p, KernelBarrierParams::Threshold(threshold()));
    assert_eq!(p.measure(), Measure::Threshold);
    // The resolved parameters carry the selector first and leave the default projection out.
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.starts_with("{\"measure\":\"threshold\",\"degree\":2,"), "{json}");
    assert!(!json.contains("projection"), "{json}");
    let exact = parse(&format!("{THRESHOLD_TABLE}projection = \"funk-hecke\"\n")).unwrap();
    let json = serde_json::to_string(&exact).unwrap();
    assert!(json.ends_with("\"projection\":\"funk-hecke\"}"), "{json}");
}

#[test]
fn another_designs_field_or_a_missing_field_is_refused_by_name() {
    // `plateau_gap` belongs to the plateau design, `projection` to threshold and growth.
    let e = parse(&format!("{THRESHOLD_TABLE}plateau_gap = 0.5\n")).unwrap_err();
    assert!(e.contains("unknown field `plateau_gap`, expected"), "{e}");
    let plateau = THRESHOLD_TABLE
        .replace("\"threshold\"", "\"plateau\"")
        .replace("sample_budget = 2.0\n", "plateau_gap = 0.5\n")
        .replace("threshold_scale = \"harmonics\"\n", "projection = \"funk-hecke\"\n");
    let e = parse(&plateau).unwrap_err();
    assert!(e.contains("unknown field `projection`, expected"), "{e}");
    let e = parse(&THRESHOLD_TABLE.replace("degree = 2\n", "")).unwrap_err();
    assert!(e.contains("missing field `degree`"), "{e}");
    let e = parse(&THRESHOLD_TABLE.replace("\"threshold\"", "\"staircase\"")).unwrap_err();
    assert!(e.contains("unknown variant `staircase`") && e.contains("`width-gap`"), "{e}");
    let e = parse(&THRESHOLD_TABLE.replace("measure = \"threshold\"\n", "")).unwrap_err();
    assert!(e.contains("missing field `measure`"), "{e}");
}

#[test]
fn measure_may_come_anywhere_in_the_table() {
    let last =
        THRESHOLD_TABLE.replace("measure = \"threshold\"\n", "") + "measure = \"threshold\"\n";
    assert_eq!(parse(&last).unwrap(), KernelBarrierParams::Threshold(threshold()));
    let e = parse(&format!("{last}plateau_gap = 0.5\n")).unwrap_err();
    assert!(e.contains("unknown field `plateau_gap`, expected"), "{e}");
}

/// The Funk–Hecke coefficient $\mu_\ell \sum_i \alpha_i q_\ell(x_{i,1})$ is the degree-$\ell$
/// coefficient of the KRR fit, for a smooth kernel and for the ReLU NTK (whose $h$ has
/// square-root singularities at $s = \pm 1$): a Monte-Carlo mean over 10^5 fresh points
/// agrees within four of its standard errors, and the same sum with the next degree's
/// eigenvalue (a wrong formula) does not.
#[test]
fn the_funk_hecke_coefficient_is_the_fits_projection_on_q_l() {
    let (d, n) = (8u64, 120usize);
    for (choice, l) in [
        (KernelChoice::Exponential, 2u32),
        (KernelChoice::Exponential, 1),
        (KernelChoice::ReluNtk, 2),
        (KernelChoice::ReluNtk, 1),
    ] {
        let p = ThresholdDesign { kernel: choice, ..threshold() };
        let mut rng = crate::rng::rng_from_u64(11);
        let data = draw_data(&p.target, p.test_points, d, n, &mut rng).unwrap();
        let law = SphericalMarginal::new(d).unwrap();
        let kernel = p.kernel.kernel();
        let krr = Krr::factor(gram_matrix(&kernel, data.x.as_ref()).unwrap(), 1e-3).unwrap();
        let alpha = krr.coefficients(n, &data.y).unwrap();
        let spectrum = inner_product_kernel_spectrum(|s| kernel.eval(s), &[], d, 3).unwrap();
        let q_train = zonal_values(&law, l, &data.x);
        let sum: f64 = alpha.iter().zip(&q_train).map(|(a, q)| a * q).sum();
        let exact = spectrum.eigenvalues[l as usize] * sum;
        let wrong = spectrum.eigenvalues[l as usize + 1] * sum;
        // Monte Carlo: f_hat(t) q_l(t_1) over 10 blocks of 10^4 fresh points.
        let (mut total, mut squares, mut m) = (0.0, 0.0, 0.0);
        for _ in 0..10 {
            let t = sphere_points(10_000, d as usize, &mut rng).unwrap();
            let k = kernel_matrix(&kernel, t.as_ref(), data.x.as_ref()).unwrap();
            let f_hat = krr.predict(n, k.as_ref(), &data.y).unwrap();
            for (f, q) in f_hat.iter().zip(zonal_values(&law, l, &t)) {
                total += f * q;
                squares += (f * q).powi(2);
                m += 1.0;
            }
        }
        let mean = total / m;
        let se = ((squares / m - mean * mean) / m).sqrt();
        let at = format!("{choice:?}, degree {l}");
        assert!(
            (exact - mean).abs() < 4.0 * se,
            "{at}: exact {exact} vs Monte Carlo {mean} ± {se}"
        );
        assert!(
            (wrong - mean).abs() > 10.0 * se,
            "{at}: wrong {wrong} vs Monte Carlo {mean} ± {se}"
        );
    }
}

#[test]
fn the_exact_projection_passes_the_hypotheses_of_a_threshold_claim() {
    assert!(violations(plateau(), &[16, 23, 32]).is_empty());
    let t = ThresholdDesign { projection: Projection::FunkHecke, ..threshold() };
    assert!(violations(t, &[16, 23, 32]).is_empty());
}

#[test]
fn a_growth_claim_with_a_sweep_per_degree_is_accepted_and_a_trial_fits_a_slope() {
    let p: KernelBarrierParams = growth().into();
    assert!(KernelBarrier.violations(&p, &[1, 2, 3]).is_empty());
    let v = Validated::check(&KernelBarrier, p, &[1, 2, 3]).unwrap();
    let obs = KernelBarrier.trial(&v, 2, &mut crate::rng::rng_from_u64(1));
    assert!(matches!(obs, Observation::Value(a) if a.is_finite()), "{obs:?}");
}

#[test]
fn a_growth_degree_without_dimensions_is_refused() {
    let v = violations(growth(), &[1, 2, 3, 4]);
    assert_eq!(fields(&v), ["params.degrees"], "{v:?}");
    assert!(v[0].found.contains("degree 4 has no dimensions"), "{v:?}");
}

#[test]
fn a_growth_sweep_must_have_three_increasing_dimensions_of_at_least_four() {
    for dims in [vec![8, 16], vec![8, 16, 11], vec![8, 8, 11], vec![3, 8, 11]] {
        let mut p = growth();
        p.degrees[1].dims = dims.clone();
        let v = violations(p, &[1, 2, 3]);
        assert_eq!(fields(&v), ["params.degrees"], "dims {dims:?}: {v:?}");
    }
}

#[test]
fn a_growth_budget_is_checked_per_degree_with_its_doublings() {
    // Degree 3 at d = 23: 2^3 · 1 · N_3(23) = 20608 samples exceed the 20000 the check
    // solves, though its first pass (2576) fits.
    let mut p = growth();
    p.degrees[2].dims = vec![8, 16, 23];
    let v = violations(p, &[1, 2, 3]);
    assert_eq!(fields(&v), ["params.degrees"], "{v:?}");
    assert!(v[0].found.contains("degree 3 at d = 23"), "{v:?}");
    // A degree's own β below 1 is refused for that degree only.
    let mut p = growth();
    p.degrees[0].sample_budget = 0.5;
    let v = violations(p.clone(), &[1, 2, 3]);
    assert_eq!(fields(&v), ["params.degrees"], "{v:?}");
    assert!(v[0].found.contains("degree 1: β = 0.5"), "{v:?}");
    assert!(violations(p, &[2, 3]).is_empty());
}

#[test]
fn the_bound_runs_from_the_whole_energy_down_to_the_plateau() {
    let p = plateau();
    let d = 64;
    assert_eq!(p.error_bound(0.0, d), 3.0);
    // Past B(d,1) = d, degree 1 may be learned; degrees 2 and 3 barely: n/B is small.
    let n = 512.0;
    let expected =
        2.0 - n / harmonic_dimension_f64(d, 2).unwrap() - n / harmonic_dimension_f64(d, 3).unwrap();
    assert!((p.error_bound(n, d) - expected).abs() < 1e-12);
    assert!(p.error_bound(n, d) < p.plateau() && p.error_bound(n, d) > 1.7);
    assert_eq!(p.error_bound(1e9, d), 0.0);
}

#[test]
fn a_plateau_gap_outside_zero_to_one_is_refused() {
    for delta in [0.0, 1.5, f64::NAN] {
        let v = violations(PlateauDesign { plateau_gap: delta, ..plateau() }, &[16, 23, 32]);
        assert_eq!(fields(&v), ["params.plateau_gap"], "δ = {delta}: {v:?}");
    }
}

#[test]
fn the_sample_grid_is_finer_than_a_tenth_in_kappa() {
    for d in [6u64, 16, 64] {
        let grid = sample_grid(100.0, 400);
        for w in grid.windows(2) {
            let step = (w[1] as f64 / w[0] as f64).ln() / (d as f64).ln();
            // Below 16 samples the rounding of the grid to integers dominates its steps.
            assert!(step <= 0.1 + 1e-9 || w[0] < 16, "d = {d}: {w:?}");
        }
        assert_eq!(grid.last(), Some(&400));
    }
}

#[test]
fn a_width_trial_runs_and_a_low_sample_ratio_is_refused() {
    assert!(violations(width(), &[8, 11, 16]).is_empty());
    let v = Validated::check(&KernelBarrier, width().into(), &[8, 11, 16]).unwrap();
    let obs = KernelBarrier.trial(&v, 8, &mut crate::rng::rng_from_u64(1));
    assert!(matches!(obs, Observation::Value(x) if x > 0.0), "{obs:?}");
    let v = violations(WidthDesign { sample_ratio: 2.0, ..width() }, &[8, 11, 16]);
    assert_eq!(fields(&v), ["params.sample_ratio"], "{v:?}");
}

#[test]
fn a_width_threshold_is_reported_on_the_scale_the_card_names() {
    let d = 8;
    let run = |p: WidthDesign| {
        let v = Validated::check(&KernelBarrier, p.into(), &[8, 11, 16]).unwrap();
        match KernelBarrier.trial(&v, d, &mut crate::rng::rng_from_u64(1)) {
            Observation::Value(x) => x,
            other => panic!("{other:?}"),
        }
    };
    let raw = run(WidthDesign { threshold_scale: ThresholdScale::Samples, ..width() });
    // A raw width lies on the grid [2, N_max], N_max = ⌈2 N_2(8) / 8⌉ = 12.
    assert!((2.0..=12.0).contains(&raw), "N* = {raw}");
    let n_2 = cumulative_harmonic_dimension_f64(d, 2).unwrap();
    assert!((run(width()) - raw * 64.0 / n_2).abs() < 1e-12 * raw);
}

#[test]
fn relu_kernels_are_refused_for_odd_degrees_above_one() {
    let mut p = ThresholdDesign { degree: 3, kernel: KernelChoice::ReluNtk, ..threshold() };
    let v = violations(p.clone(), &[8, 11, 16]);
    assert!(v.iter().any(|v| v.field == "params.kernel"), "{v:?}");
    p.kernel = KernelChoice::Exponential;
    assert!(violations(p, &[8, 11, 16]).is_empty());
    // A width claim's kernel is its model's: the NT model cannot learn degree 3 either.
    let v = violations(WidthDesign { degree: 3, sample_budget: 1.0, ..width() }, &[4, 5, 6]);
    assert!(v.iter().any(|v| v.field == "params.model" && v.found.contains("relu-ntk")), "{v:?}");
}

/// The least-squares slope of `log curve` against `log d` (the threshold claims' coordinates,
/// equal weights).
fn log_slope(sizes: &[u64], curve: &[f64]) -> f64 {
    let xs: Vec<f64> = sizes.iter().map(|&d| (d as f64).ln()).collect();
    let ys: Vec<f64> = curve.iter().map(|v| v.ln()).collect();
    let k = xs.len() as f64;
    let (xm, ym) = (xs.iter().sum::<f64>() / k, ys.iter().sum::<f64>() / k);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - xm) * (y - ym)).sum();
    sxy / xs.iter().map(|x| (x - xm).powi(2)).sum::<f64>()
}

/// A staircase claim: degree, relative ridge, quick and full sizes, the exponent claim's rival and
/// its finite-size twin's.
type StaircaseClaim = (u32, f64, &'static [u64], &'static [u64], &'static str, &'static str);

/// Pre-registration of the staircase claims' rival controls (no simulation data): each
/// rival's exponent over the quick and full sweeps on the harmonic scale, in the exponent
/// frame and (for the finite-size twins) the slope of log(prediction / rival), against 2 × 0.15;
/// and the finite-size curve's own slope and cost.
#[test]
fn staircase_rival_exponents_over_the_card_sweeps() {
    // (degree, ridge, quick, full, the exponent claim's rival, the twin's rival). Degree 1's
    // previous- and next-degree rivals are equally far (exponents 0 and 2): the issue's
    // next-degree is taken.
    let claims: [StaircaseClaim; 3] = [
        (
            1,
            1e-2,
            &[16, 23, 32, 45, 64, 91, 128],
            &[16, 23, 32, 45, 64, 91, 128, 181, 256],
            "next-degree",
            "next-degree",
        ),
        (
            2,
            1e-3,
            &[8, 11, 16, 23, 32, 45, 64],
            &[8, 11, 16, 23, 32, 45, 64, 90],
            "log-factor",
            "next-degree",
        ),
        (3, 1e-3, &[6, 8, 11, 16, 23], &[6, 8, 11, 16, 23, 32], "log-factor", "log-factor"),
    ];
    for (l, r, quick, full, chosen, chosen_fs) in claims {
        let mut t = threshold();
        (t.degree, t.relative_ridge) = (l, r);
        let v = Validated::check(&KernelBarrier, KernelBarrierParams::Threshold(t), full).unwrap();
        let start = std::time::Instant::now();
        let fs: Vec<Vec<f64>> =
            [quick, full].iter().map(|s| KernelBarrier.finite_size(&v, s).unwrap()).collect();
        println!(
            "l = {l}: finite-size slope quick {:.3} full {:.3}, {:?} for both; values {:?}",
            log_slope(quick, &fs[0]),
            log_slope(full, &fs[1]),
            start.elapsed(),
            fs[1]
        );
        let mut nearest: Option<(f64, String)> = None;
        let mut nearest_fs: Option<(f64, String)> = None;
        for rival in KernelBarrier.rivals(&v) {
            let mut gaps = Vec::new();
            let mut gaps_fs = Vec::new();
            for (k, s) in [quick, full].iter().enumerate() {
                let curve = KernelBarrier.rival_curve(&v, &rival.name, s).unwrap();
                let a = log_slope(s, &curve);
                let ratio: Vec<f64> = fs[k].iter().zip(&curve).map(|(p, c)| p / c).collect();
                println!(
                    "l = {l}: rival {} exponent {:.3}, finite-size gap slope {:.3} ({})",
                    rival.name,
                    a,
                    log_slope(s, &ratio),
                    if k == 0 { "quick" } else { "full" }
                );
                gaps.push((a - f64::from(l)).abs());
                gaps_fs.push(log_slope(s, &ratio).abs());
            }
            for (g, best) in [(&gaps, &mut nearest), (&gaps_fs, &mut nearest_fs)] {
                let gap = g.iter().copied().fold(f64::INFINITY, f64::min);
                // Ties (within 1e-9) keep the earlier rival unless it is the issue's.
                if gap > 0.3
                    && best.as_ref().is_none_or(|(b, _)| {
                        gap < *b - 1e-9 || (gap < *b + 1e-9 && rival.name == "next-degree")
                    })
                {
                    *best = Some((gap, rival.name.clone()));
                }
            }
        }
        assert_eq!(nearest.map(|n| n.1).as_deref(), Some(chosen), "l = {l}");
        assert_eq!(nearest_fs.map(|n| n.1).as_deref(), Some(chosen_fs), "l = {l}, twin");
    }
}

/// The finite-size threshold against a direct simulation at one small size (degree 2, d = 11,
/// the card's design): the median of 64 trials' thresholds within 15% of the eigenlearning
/// prediction (the equivalent's learned fractions are within 0.05 of the simulated ones at
/// d = 12, eigenlearning module tests, and the learned fraction rises by about 0.3 per factor 2
/// of n near the threshold, so 0.05 moves the crossing by about 12%).
#[test]
fn the_finite_size_threshold_matches_a_direct_simulation() {
    let t = threshold();
    let d = 11;
    let predicted = rivals::threshold_curve(&t, &[d]).unwrap()[0];
    let mut rng = crate::rng::rng_from_u64(11);
    let mut values: Vec<f64> = (0..64)
        .map(|_| match threshold::escalating_threshold(&t.run(), d, 0, &mut rng) {
            Ok(Observation::Value(v)) => v,
            o => panic!("{o:?}"),
        })
        .collect();
    values.sort_by(f64::total_cmp);
    let median = (values[31] + values[32]) / 2.0;
    println!("d = {d}: median {median:.1}, eigenlearning {predicted:.1}");
    assert!((median / predicted - 1.0).abs() < 0.15, "{median} against {predicted}");
}

/// The plateau's rival excess is the degree-1 energy (learned at n = d^1.5 > d) plus the
/// captured share of the higher degrees.
#[test]
fn the_plateau_rival_excess() {
    let v = Validated::check(&KernelBarrier, KernelBarrierParams::Plateau(plateau()), &[16, 64])
        .unwrap();
    let e = KernelBarrier.rival_curve(&v, "degree-one-unlearned", &[16, 64]).unwrap();
    println!("plateau rival excess {e:?}");
    assert!(e.iter().all(|e| *e > 1.0 && *e < 1.7), "{e:?}");
}
