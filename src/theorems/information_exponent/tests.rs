use super::*;
use crate::rng::rng_from_u64;
use crate::sim::hitting_time::{hitting_time_law_with, Chain, Options};

const QUICK: [u64; 7] = [64, 91, 128, 181, 256, 362, 512];
const FULL: [u64; 11] = [64, 91, 128, 181, 256, 362, 512, 724, 1024, 1448, 2048];
const QUICK_K3: [u64; 7] = [256, 362, 512, 724, 1024, 1448, 2048];
const FULL_K3: [u64; 11] = [128, 181, 256, 362, 512, 724, 1024, 1448, 2048, 2896, 4096];

/// The cards' setting for link degree `k` (c = 0.5, m_thr = 0.5).
fn validated(k: u32) -> Validated<InformationExponentParams> {
    let setting = SgdSetting {
        information_exponent: k,
        step_constant: 0.5,
        overlap_threshold: 0.5,
        step_budget: 100.0,
    };
    Validated::check(&InformationExponent, InformationExponentParams::OverlapChain(setting), &[32])
        .unwrap()
}

/// The least-squares slope of `values` in the claim's fit coordinates (unweighted: the
/// judge weights by the data, which a pre-registration has not seen).
fn slope_in_claim_coordinates(kind: ClaimKind, sizes: &[u64], values: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) =
        sizes.iter().zip(values).map(|(&s, &v)| kind.coordinates(s as f64, v)).unzip();
    let (mx, my) = (x.iter().sum::<f64>() / x.len() as f64, y.iter().sum::<f64>() / y.len() as f64);
    let sxy: f64 = x.iter().zip(&y).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = x.iter().map(|x| (x - mx) * (x - mx)).sum();
    kind.exponent_of_slope(sxy / sxx)
}

/// Pre-registration (no simulation data): each rival's exponent over the cards' sweeps in the
/// claim's coordinates, against the prediction (asymptotic claims, tolerance 0.15) and against
/// the slope of the finite-size curve (twins, tolerance 0.09, 0.17, 0.20 for k* = 1, 2, 3:
/// the design's half-width from [`design_half_widths_from_the_exact_law`] plus 0.05, see the
/// card). A rival within 2 × tolerance cannot be refuted by data that confirm the claim; the
/// card names the nearest one beyond. The numbers are written into the card.
#[test]
fn rival_exponents_over_the_cards_sweeps() {
    let tol = 0.15;
    let twin_tol = |k: u32| [0.09, 0.17, 0.20][k as usize - 1];
    // (k, rival, refutable by the asymptotic claim, by the finite-size twin)
    let expected: &[(u32, &str, bool, bool)] = &[
        (1, "d-log-d", false, false),
        (1, "d-log2-d", true, true),
        (2, "d", false, false),
        (2, "d-log2-d", false, false),
        (2, "kernel", true, true),
        (3, "log-factor", false, false),
        (3, "smoothed-loss", true, true),
        (3, "kernel", true, true),
    ];
    for &(k, name, asymptotic, twin) in expected {
        let p = validated(k);
        let kind = InformationExponent.predict(&p).kind;
        let predicted = if k <= 2 { 1.0 } else { f64::from(k) - 1.0 };
        let sweeps: [&[u64]; 2] = if k <= 2 { [&QUICK, &FULL] } else { [&QUICK_K3, &FULL_K3] };
        for sizes in sweeps {
            let rival = InformationExponent.rival_curve(&p, name, sizes).unwrap();
            let a = slope_in_claim_coordinates(kind, sizes, &rival);
            let exact = InformationExponent.finite_size(&p, sizes).unwrap();
            let a_fs = slope_in_claim_coordinates(kind, sizes, &exact);
            println!(
                "k{k} {name} d = {}..{}: rival {a:.3}, gap {:.3} to the prediction, {:.3} to \
                 the finite-size slope {a_fs:.3}",
                sizes[0],
                sizes[sizes.len() - 1],
                a - predicted,
                a - a_fs
            );
            assert_eq!((a - predicted).abs() > 2.0 * tol, asymptotic, "k{k} {name}");
            assert_eq!((a - a_fs).abs() > 2.0 * twin_tol(k), twin, "k{k} {name} (twin)");
        }
    }
}

/// The design's 95% half-width of the finite-size residual slope, from the exact law (no
/// simulation data): the sample median of T trials has standard error 1/(2 f(n_med) √T),
/// f the density at the median (read off the exact CDF between its 45% and 55% quantiles);
/// in logs divided by the median; the slope's half-width is t(S - 2) times the root-mean
/// variance over Σ(x - x̄)². The values are the twins' tolerance reasons in the card.
#[test]
fn design_half_widths_from_the_exact_law() {
    let designs: [(u32, &[u64], u64, f64, f64); 6] = [
        (1, &QUICK, 48, 2.571, 0.031),
        (1, &FULL, 96, 2.262, 0.008),
        (2, &QUICK, 48, 2.571, 0.105),
        (2, &FULL, 96, 2.262, 0.029),
        (3, &QUICK_K3, 132, 2.571, 0.127),
        (3, &FULL_K3, 96, 2.262, 0.067),
    ];
    for (k, sizes, trials, t, card) in designs {
        let p = validated(k);
        let s = p.setting();
        let mut var = 0.0;
        for &d in sizes {
            let chain =
                Chain::new(d, k, s.step_size(d), 1.0 / (d as f64).sqrt(), s.overlap_threshold)
                    .unwrap();
            let law =
                hitting_time_law_with(&chain, &Options { horizon: 0.6, ..Options::default() })
                    .unwrap();
            let (lo, hi) = (law.quantile(0.45).unwrap(), law.quantile(0.55).unwrap());
            let density = 0.1 / (hi - lo);
            let se = 1.0 / (2.0 * density * (trials as f64).sqrt()) / law.median;
            var += se * se / sizes.len() as f64;
        }
        let x: Vec<f64> = sizes.iter().map(|&d| (d as f64).ln()).collect();
        let mx = x.iter().sum::<f64>() / x.len() as f64;
        let sxx: f64 = x.iter().map(|x| (x - mx) * (x - mx)).sum();
        let half_width = t * (var / sxx).sqrt();
        assert!((half_width - card).abs() < 0.0015, "k{k} d = {}..: {half_width}", sizes[0]);
    }
}

/// The finite-size curve against a direct simulation at one small size: the exact median
/// inside the 99% distribution-free interval of the median of 2000 simulated trials (order
/// statistics 2000/2 ± 2.576 √2000 / 2).
#[test]
fn the_finite_size_median_matches_simulated_trials() {
    for k in [1, 2] {
        let p = validated(k);
        let d = 32;
        let exact = InformationExponent.finite_size(&p, &[d]).unwrap()[0];
        let mut runs: Vec<f64> = (0..2000)
            .map(|r| match InformationExponent.trial(&p, d, &mut rng_from_u64(500 + r)) {
                Observation::Value(v) => v,
                other => panic!("k{k}: {other:?}"),
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        let half = 2.576 * 2000f64.sqrt() / 2.0;
        let (lo, hi) = (runs[(1000.0 - half) as usize], runs[(1000.0 + half) as usize]);
        assert!(lo <= exact && exact <= hi, "k{k}, d = {d}: exact {exact}, simulated [{lo}, {hi}]");
    }
}
