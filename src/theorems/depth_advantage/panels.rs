//! The `--plot` panels of stages 1–3 and of the onset (both designs): curves per d over their
//! own streams.

use super::features::{learned_fraction_curve, readout_curve};
use super::params::{FeatureDesign, OnsetDesign, OnsetSpanDesign, ReadoutDesign, SubspaceDesign};
use super::subspace::{onset_curve_until, onset_span_curve, overlap_curve};
use super::{hidden_dimension, polynomial_count};
use super::{sig3, PANEL_RUNS};
use crate::rng::Rng;
use crate::stats;
use crate::theorem::Panel;

/// Points `(x, y)` of a panel.
type Points = Vec<(f64, f64)>;

/// [`PANEL_RUNS`] runs of a curve `(n, value)` on their own streams: every run's points and
/// the pointwise medians, with `x(n)` on the horizontal axis (the runs share their grid).
fn panel_runs(
    stream: &dyn Fn(u64) -> Rng,
    curve: impl Fn(&mut Rng) -> Result<Vec<(usize, f64)>, String>,
    x: impl Fn(usize) -> f64,
) -> Result<(Points, Points), String> {
    let mut points = Vec::new();
    let mut per_n: Vec<Vec<f64>> = Vec::new();
    let mut grid = Vec::new();
    for run in 0..PANEL_RUNS {
        let curve = curve(&mut stream(run))?;
        per_n.resize(curve.len(), Vec::new());
        grid = curve.iter().map(|&(n, _)| x(n)).collect();
        for (i, &(n, v)) in curve.iter().enumerate() {
            points.push((x(n), v));
            per_n[i].push(v);
        }
    }
    let medians = grid.iter().zip(&per_n).map(|(&t, v)| (t, stats::median(v))).collect();
    Ok((points, medians))
}

/// Stage 3 at one $d$: the readout's risk ratio against $n_3$, with the level and the
/// least-squares law $(n_3 - p_3 - 1)/(n_3 - 1)$ it follows (module docs, [`readout_curve`]).
pub(super) fn readout_panel(
    r: &ReadoutDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let (points, medians) = panel_runs(stream, |rng| readout_curve(r, d, None, rng), |n| n as f64)?;
    let d_eff = hidden_dimension(r.epsilon, d).unwrap_or(1);
    let p3 = f64::from(r.knots) + 2.0;
    let (lo, hi) =
        (medians.first().map_or(p3 + 2.0, |m| m.0), medians.last().map_or(p3 + 2.0, |m| m.0));
    let law: Vec<(f64, f64)> =
        medians.iter().map(|&(n, _)| (n, (n - p3 - 1.0) / (n - 1.0))).collect();
    Ok(Panel {
        name: format!("d{d}"),
        title: format!(
            "Stage 3 at d = {d} (d_eff = {d_eff}): readout risk ratio MSE(n₃,max) / MSE(n₃)"
        ),
        x_label: "n₃ (readout training samples)".into(),
        y_label: "risk ratio".into(),
        log_x: true,
        log_y: false,
        points,
        medians,
        curves: vec![
            (format!("least-squares law, p₃ = {p3}"), law),
            (
                format!("level {}", sig3(r.risk_ratio_level)),
                vec![(lo, r.risk_ratio_level), (hi, r.risk_ratio_level)],
            ),
        ],
    })
}

pub(super) fn fraction_panel(
    f: &FeatureDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let (points, medians) =
        panel_runs(stream, |rng| learned_fraction_curve(f, d, None, rng), |n| n as f64)?;
    let grid: Vec<f64> = medians.iter().map(|&(n, _)| n).collect();
    let d_eff = hidden_dimension(f.epsilon, d).unwrap_or(1);
    let k = f.sight().degree();
    let count = polynomial_count(d_eff, k);
    let (lo, hi) = (grid.first().copied().unwrap_or(1.0), grid.last().copied().unwrap_or(1.0));
    Ok(Panel {
        name: format!("d{d}"),
        title: format!(
            "Stage 2 at d = {d} (d_eff = {d_eff}): learned fraction of h*'s degree-{k} part"
        ),
        x_label: "n (training samples)".into(),
        y_label: "learned fraction of h*'s degree-k component".into(),
        log_x: true,
        log_y: false,
        points,
        medians,
        curves: vec![
            (format!("C(d_eff+{k}, {k}) = {count:.0}"), vec![(count, 0.0), (count, 1.0)]),
            (
                format!("level {}", sig3(f.learned_level)),
                vec![(lo, f.learned_level), (hi, f.learned_level)],
            ),
        ],
    })
}

pub(super) fn overlap_panel(
    g: &SubspaceDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let d_eff = hidden_dimension(g.epsilon, d).unwrap_or(1);
    kappa_panel(
        g.epsilon,
        d,
        stream,
        (g.kappa_min, g.kappa_max, g.overlap_level),
        |rng| overlap_curve(g, d, rng),
        (
            format!(
                "Stage 1 at d = {d} (d_eff = {d_eff}): overlap of the top-|λ| eigenspace of M_n \
                 with W*"
            ),
            "overlap ‖W* U‖²/d_eff",
        ),
    )
}

/// The onset at one $d$: $M_W^2$ of the network's first layer after phase 1 against $\kappa$
/// (the whole grid: the panel's runs do not stop at the level).
pub(super) fn onset_panel(
    o: &OnsetDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let d_eff = hidden_dimension(o.epsilon, d).unwrap_or(1);
    kappa_panel(
        o.epsilon,
        d,
        stream,
        (o.kappa_min, o.kappa_max, o.overlap_level),
        |rng| onset_curve_until(o, d, None, rng),
        (
            format!("Onset at d = {d} (d_eff = {d_eff}): the net's first layer after phase 1"),
            "M_W² (share of W1's weight energy in W*)",
        ),
    )
}

/// The onset's second design at $d$: the span overlap of the first layer (p₁ = ⌈d^a⌉) against
/// $\kappa$, with the level $b + q(1-b)$ of this $d$, the predicted onset and the baseline.
pub(super) fn onset_span_panel(
    o: &OnsetSpanDesign,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let d_eff = hidden_dimension(o.epsilon, d).unwrap_or(1);
    let level = o.level(d).ok_or("d^ε is not an integer")?;
    kappa_panel(
        o.epsilon,
        d,
        stream,
        (o.kappa_min, o.kappa_max, level),
        |rng| onset_span_curve(o, d, None, rng).map(|c| c.curve),
        (
            format!(
                "Onset at d = {d} (d_eff = {d_eff}, p1 = {}): the span of the net's first layer",
                o.first_width(d)
            ),
            "overlap of W1's top d_eff singular subspace with W*",
        ),
    )
}

/// A panel of an overlap against $\kappa = \log n/\log d$ (medians over [`PANEL_RUNS`]
/// runs), with the predicted onset $1 + \varepsilon$, the level and the random baseline
/// $d_{\rm eff}/d$.
fn kappa_panel(
    epsilon: f64,
    d: u64,
    stream: &dyn Fn(u64) -> Rng,
    (lo, hi, level): (f64, f64, f64),
    curve: impl Fn(&mut Rng) -> Result<Vec<(usize, f64)>, String>,
    (title, y_label): (String, &str),
) -> Result<Panel, String> {
    let kappa = |n: usize| (n as f64).ln() / (d as f64).ln();
    let (points, medians) = panel_runs(stream, curve, kappa)?;
    let d_eff = hidden_dimension(epsilon, d).unwrap_or(1) as f64;
    let onset = 1.0 + epsilon;
    Ok(Panel {
        name: format!("d{d}"),
        title,
        x_label: "κ = log n / log d".into(),
        y_label: y_label.into(),
        log_x: false,
        log_y: false,
        points,
        medians,
        curves: vec![
            (
                format!("predicted onset κ = 1 + ε = {}", sig3(onset)),
                vec![(onset, 0.0), (onset, 1.0)],
            ),
            (format!("level {}", sig3(level)), vec![(lo, level), (hi, level)]),
            (
                "random baseline d_eff/d".into(),
                vec![(lo, d_eff / d as f64), (hi, d_eff / d as f64)],
            ),
        ],
    })
}
