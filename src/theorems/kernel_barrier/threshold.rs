//! The threshold experiment (the first $n$ at which KRR has learned half of degree $\ell$,
//! budget escalation included, which the growth experiment reuses), the plateau experiment
//! (test error at $n = d^{\ell-\delta}$ against the bound) and the learning-curve figure.

use super::krr::{
    draw_data, factor_krr, fit, half_learned, mean_product, sample_grid, test_error, zonal_values,
};
use super::params::{error_bound, krr_ridge, KrrRun, PlateauDesign, Projection, ThresholdDesign};
use crate::learn::kernel_matrix;
use crate::rng::Rng;
use crate::special::energies::inner_product_kernel_spectrum;
use crate::special::gegenbauer::SphericalMarginal;
use crate::special::harmonics::cumulative_harmonic_dimension_f64;
use crate::stats;
use crate::theorem::{Observation, Panel};

/// The threshold on $2^{D} \beta N_\ell(d)$ drawn points, $D$ = `doublings`: the first
/// $\beta N_\ell(d)$ are fitted, and the nested prefix doubles while the threshold is censored.
/// A threshold claim's trial is this with $D = 0$.
pub(super) fn escalating_threshold(
    run: &KrrRun<'_>,
    d: u64,
    doublings: u32,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let l = run.degree;
    let (n_l, n_max, ridge) = run.budget(d).ok_or("N_ℓ(d) overflows")?;
    let cap = n_max << doublings;
    let law = SphericalMarginal::new(d).map_err(|e| e.to_string())?;
    let data = draw_data(run.target, run.test_points, d, cap, rng)?;
    let scale = run.threshold_scale.factor(d, l, n_l);
    let kernel = run.kernel.kernel();
    let degree = (l, run.target[l as usize]);
    // Funk–Hecke: c_ℓ = μ_ℓ Σ_i α_i q_ℓ(x_i1); the test points only for `test-points`.
    let (mu_l, q_points) = match run.projection {
        Projection::TestPoints => (1.0, zonal_values(&law, l, &data.test)),
        Projection::FunkHecke => {
            let spectrum = inner_product_kernel_spectrum(|s| kernel.eval(s), &[], d, l)
                .map_err(|e| e.to_string())?;
            (spectrum.eigenvalues[l as usize], zonal_values(&law, l, &data.x))
        }
    };
    let mut n = n_max;
    loop {
        let x = data.x.as_ref().subrows(0, n);
        let krr = factor_krr(&kernel, x, ridge)?;
        let grid = sample_grid(n_l, n);
        let obs = match run.projection {
            Projection::TestPoints => {
                let k_test =
                    kernel_matrix(&kernel, data.test.as_ref(), x).map_err(|e| e.to_string())?;
                half_learned(degree, &grid, scale, "n", |m| {
                    let f_hat =
                        krr.predict(m, k_test.as_ref(), &data.y[..m]).map_err(|e| e.to_string())?;
                    Ok(mean_product(&f_hat, &q_points))
                })?
            }
            Projection::FunkHecke => half_learned(degree, &grid, scale, "n", |m| {
                let alpha = krr.coefficients(m, &data.y[..m]).map_err(|e| e.to_string())?;
                Ok(mu_l * alpha.iter().zip(&q_points).map(|(a, q)| a * q).sum::<f64>())
            })?,
        };
        match obs {
            Observation::Censored(_) if n < cap => n = (2 * n).min(cap),
            obs => return Ok(obs),
        }
    }
}

/// One trial's margin: test error at $n = d^{\ell-\delta}$ minus the bound $\mathcal{B}(n, d)$.
pub(super) fn plateau_margin(p: &PlateauDesign, d: u64, rng: &mut Rng) -> Result<f64, String> {
    let n = p.samples(d);
    let (_, ridge) = krr_ridge(p.relative_ridge, d, p.degree).ok_or("N_ℓ(d) overflows")?;
    let data = draw_data(&p.target, p.test_points, d, n, rng)?;
    let nested = fit(p.kernel, &data, ridge)?;
    let f_hat =
        nested.krr.predict(n, nested.k_test.as_ref(), &data.y).map_err(|e| e.to_string())?;
    let err = test_error(&f_hat, &data.y_test);
    Ok(err - p.error_bound(n as f64, d))
}

/// Runs of the learning-curve figure per $d$, and its largest $n$.
const PANEL_RUNS: u64 = 3;
const PANEL_MAX_SAMPLES: f64 = 6000.0;

/// A threshold claim's figure at dimension $d$: the test error of KRR against $n$ with the
/// analytic staircase $\sum_k a_k^2 [n < N_k(d)]$ and the finite-$d$ bound beside it.
pub(super) fn learning_curve_panel(
    p: &ThresholdDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let top = p.target.iter().rposition(|a| *a != 0.0).unwrap_or(0) as u32;
    let n_top = cumulative_harmonic_dimension_f64(d, top).map_err(|e| e.to_string())?;
    let n_max = (p.sample_budget * n_top).min(PANEL_MAX_SAMPLES).ceil() as usize;
    let (_, _, ridge) = p.run().budget(d).ok_or("N_ℓ(d) overflows")?;
    let mut grid = sample_grid(32.0, n_max);
    grid.retain(|&n| n <= n_max);
    let mut points = Vec::new();
    let mut per_n: Vec<Vec<f64>> = vec![Vec::new(); grid.len()];
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        let data = draw_data(&p.target, p.test_points, d, n_max, &mut rng)?;
        let nested = fit(p.kernel, &data, ridge)?;
        for (i, &n) in grid.iter().enumerate() {
            let f_hat = nested
                .krr
                .predict(n, nested.k_test.as_ref(), &data.y[..n])
                .map_err(|e| e.to_string())?;
            let err = test_error(&f_hat, &data.y_test);
            points.push((n as f64, err));
            per_n[i].push(err);
        }
    }
    let medians = grid.iter().zip(&per_n).map(|(&n, e)| (n as f64, stats::median(e))).collect();
    let xs: Vec<f64> = {
        let (lo, hi) = ((grid[0] as f64).ln(), (n_max as f64).ln());
        (0..=200).map(|i| (lo + (hi - lo) * f64::from(i) / 200.0).exp()).collect()
    };
    let thresholds: Vec<f64> = (0..p.target.len() as u32)
        .map(|k| cumulative_harmonic_dimension_f64(d, k).unwrap_or(f64::INFINITY))
        .collect();
    let staircase = xs
        .iter()
        .map(|&n| {
            let plateau: f64 = p
                .target
                .iter()
                .zip(&thresholds)
                .filter(|(_, &n_k)| n < n_k)
                .map(|(a, _)| a * a)
                .sum();
            (n, plateau)
        })
        .collect();
    let bound = xs.iter().map(|&n| (n, error_bound(&p.target, n, d))).collect();
    Ok(Panel {
        name: format!("d{d}"),
        title: format!(
            "KRR ({}) test error at d = {d}: plateaus Σ_(k>ℓ) a_k² until n = N_ℓ(d)",
            p.kernel.name()
        ),
        x_label: "n (training samples)".into(),
        y_label: "test error".into(),
        log_x: true,
        log_y: false,
        points,
        medians,
        curves: vec![
            ("plateau staircase, steps at N_k(d)".into(), staircase),
            ("bound Σ a_k² (1 - n/B(d,k))+".into(), bound),
        ],
    })
}
