//! `--plot` figures: the whole double-descent curve of a variance claim (simulated beside the
//! exact, asymptotic and ridge risks), and the random-features risk against the width.

use super::params::{RfPeakDesign, VarianceDesign};
use super::rf::{rf_risks, width_grid};
use super::risk::{asymptotic_risk, exact_risk, ridge_risk};
use super::variance::one_risk;
use crate::rng::Rng;
use crate::stats;
use crate::theorem::Panel;

/// Runs of the random-features figure per $n$.
const RF_PANEL_RUNS: u64 = 5;
/// Runs per $\gamma$ of the double-descent figure (each a mean over $B$ draws).
const CURVE_PANEL_RUNS: u64 = 5;

pub(super) fn rf_panel(
    p: &RfPeakDesign,
    n: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let grid = width_grid(n);
    let mut points = Vec::new();
    let mut per_w: Vec<Vec<f64>> = vec![Vec::new(); grid.len()];
    for run in 0..RF_PANEL_RUNS {
        let risks = rf_risks(p, n, &grid, &mut stream(run))?;
        for (i, (&w, r)) in grid.iter().zip(risks).enumerate() {
            points.push((w as f64, r));
            per_w[i].push(r);
        }
    }
    let medians: Vec<(f64, f64)> =
        grid.iter().zip(&per_w).map(|(&w, r)| (w as f64, stats::median(r))).collect();
    let top = medians.iter().map(|m| m.1).fold(0.0, f64::max).max(p.signal);
    let bottom = medians.iter().map(|m| m.1).fold(f64::INFINITY, f64::min).min(p.noise);
    Ok(Panel {
        name: format!("n{n}"),
        title: format!(
            "ridgeless random ReLU features, n = {n}, d = {}: test risk against width N",
            p.dim
        ),
        x_label: "N (random features)".into(),
        y_label: "excess test risk".into(),
        log_x: true,
        log_y: true,
        points,
        medians,
        curves: vec![(
            "interpolation threshold N = n".into(),
            vec![(n as f64, bottom / 2.0), (n as f64, top * 2.0)],
        )],
    })
}

pub(super) fn curve_panel(
    p: &VarianceDesign,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let n = p.samples;
    let (r2, s2) = (p.signal, p.noise);
    let mut points = Vec::new();
    let mut medians = Vec::new();
    for (i, &g) in p.panel_gammas.iter().enumerate() {
        let q = (g * n as f64).round() as u64;
        let mut means = Vec::new();
        for run in 0..CURVE_PANEL_RUNS {
            let mut rng = stream(i as u64 * CURVE_PANEL_RUNS + run);
            let mut total = 0.0;
            for _ in 0..p.replicates {
                total += one_risk(n as usize, q as usize, 0.0, r2, s2, &mut rng)?;
            }
            let mean = total / f64::from(p.replicates);
            points.push((q as f64 / n as f64, mean));
            means.push(mean);
        }
        medians.push((q as f64 / n as f64, stats::median(&means)));
    }
    let nf = n as f64;
    // Each law is one polyline: across the pole it joins p = n - 2 to p = n + 2 (and the
    // asymptotic law |1 - γ| = 1.5/n on both sides), where both are at their largest.
    let exact: Vec<(f64, f64)> =
        (1..=3 * n).filter_map(|q| exact_risk(n, q, r2, s2).map(|r| (q as f64 / nf, r))).collect();
    let gammas: Vec<f64> = (1..=300).map(|i| f64::from(i) / 100.0).collect();
    let asymptotic: Vec<(f64, f64)> = gammas
        .iter()
        .filter(|&&g| (g - 1.0).abs() >= 1.5 / nf)
        .filter_map(|&g| asymptotic_risk(g, r2, s2).map(|r| (g, r)))
        .collect();
    let mut curves = vec![
        ("exact finite-n risk".to_string(), exact),
        ("asymptotic (n → ∞) risk".to_string(), asymptotic),
    ];
    for &l in &p.panel_ridges {
        let curve = gammas.iter().map(|&g| (g, ridge_risk(g, l, r2, s2))).collect();
        curves.push((format!("ridge λ = {l}, Marchenko–Pastur"), curve));
    }
    Ok(Panel {
        name: format!("n{n}"),
        title: format!("double descent of ridgeless least squares, n = {n}, r² = {r2}, σ² = {s2}"),
        x_label: "γ = p/n".into(),
        y_label: format!("risk ‖β̂ - β‖², mean of {} draws", p.replicates),
        log_x: false,
        log_y: true,
        points,
        medians,
        curves,
    })
}
