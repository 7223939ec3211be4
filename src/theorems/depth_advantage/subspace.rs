//! Stage 1 (the spectral proxy) and the onset (the network's own first layer): how the
//! hidden subspace W* is found along a grid n = d^κ.

use super::hidden_dimension;
use super::params::{OnsetDesign, OnsetSpanDesign, Precision, SubspaceDesign};
use super::{kappa_sample_grid, BATCH};
use crate::learn::HermiteMoment;
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::theorem::Observation;
use faer::MatRef;

/// One run's subspace overlap at every $n$ of the grid.
pub(super) fn overlap_curve(
    g: &SubspaceDesign,
    d: u64,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let s = g.sight();
    let d_eff = hidden_dimension(s.epsilon, d).ok_or("d^ε is not an integer")?;
    let d = d as usize;
    let target = s.target(d, d_eff, rng);
    let mean = target.mean_estimate(g.mean_samples as usize, rng);
    let grid = g.sample_grid(d as u64);
    spectral_overlap_curve(d, d_eff, &grid, mean, &|x| target.value(x), rng)
}

/// Stage 1's overlap curve on a target read through `value` (hidden directions first):
/// the moment of centred labels streamed in batches, the top-`hidden` eigenspace's overlap at
/// each $n$ of `grid`: stage 1's curve ([`overlap_curve`]) and the MIGHT and tree designs'.
pub(super) fn spectral_overlap_curve(
    d: usize,
    hidden: usize,
    grid: &[usize],
    mean: f64,
    value: &dyn Fn(&[f64]) -> f64,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    let mut moment = HermiteMoment::new(d);
    let mut x = vec![0.0; d * BATCH];
    let mut weights = vec![0.0; BATCH];
    let mut curve = Vec::new();
    for &n in grid {
        while moment.samples() < n {
            let b = (n - moment.samples()).min(BATCH);
            draw_gaussians(&mut x[..d * b], rng);
            for (j, w) in weights[..b].iter_mut().enumerate() {
                *w = value(&x[j * d..(j + 1) * d]) - mean;
            }
            let batch = MatRef::from_column_major_slice(&x[..d * b], d, b);
            moment.add(batch, &weights[..b]).map_err(|e| format!("n = {n}: {e}"))?;
        }
        let overlap = moment.spike_overlap(hidden, hidden).map_err(|e| format!("n = {n}: {e}"))?;
        if !overlap.is_finite() {
            return Err(format!("the overlap is {overlap} at n = {n}"));
        }
        curve.push((n, overlap));
    }
    Ok(curve)
}

/// One onset trial's curve: $M_W^2$ after phase 1 on $n = d^\kappa$ fresh samples at each
/// $\kappa$ of the grid (a fresh network each time), stopping after the first point at or above
/// the level.
pub(super) fn onset_curve(
    o: &OnsetDesign,
    d: u64,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    onset_curve_until(o, d, Some(o.overlap_level), rng)
}

/// [`onset_curve`], stopping at `stop` (none: the whole grid).
pub(super) fn onset_curve_until(
    o: &OnsetDesign,
    d: u64,
    stop: Option<f64>,
    rng: &mut Rng,
) -> Result<Vec<(usize, f64)>, String> {
    use crate::sim::three_layer::{sight_phase1_overlap, ThreeLayerConfig};
    let s = o.sight();
    let d_eff = hidden_dimension(s.epsilon, d).ok_or("d^ε is not an integer")?;
    let target = s.target(d as usize, d_eff, rng);
    let cfg = ThreeLayerConfig {
        d: d as usize,
        p1: o.widths[0],
        p2: o.widths[1],
        max_iter1: (15.0 * (d as f64).ln()) as usize,
        ..ThreeLayerConfig::reduced_dc()
    };
    let mut curve = Vec::new();
    for n in kappa_sample_grid((o.kappa_min, o.kappa_max, o.kappa_step), d) {
        let m = match o.precision {
            Precision::F64 => sight_phase1_overlap::<f64>(cfg, &target, n, rng),
            Precision::F32 => sight_phase1_overlap::<f32>(cfg, &target, n, rng),
        }
        .map_err(|e| format!("n = {n}: {e}"))?;
        curve.push((n, m * m));
        if stop.is_some_and(|level| m * m >= level) {
            break;
        }
    }
    Ok(curve)
}

/// One trial of the onset's second design: the curve of the span overlap on the $\kappa$ grid
/// (a fresh network on $n = d^\kappa$ fresh samples at each point, $p_1 = \lceil
/// d^a\rceil$, the reference's `max_iter1` $= \lfloor 15\ln d\rfloor$ iterations), up to and
/// including the first point at or above `stop`, with the number of runs made at the full step
/// and of re-runs at half the step (the divergence policy,
/// [`crate::sim::three_layer::sight_phase1_span`]).
pub(super) fn onset_span_curve(
    o: &OnsetSpanDesign,
    d: u64,
    stop: Option<f64>,
    rng: &mut Rng,
) -> Result<SpanCurve, String> {
    use crate::sim::three_layer::{sight_phase1_span, ThreeLayerConfig};
    let s = o.sight();
    let d_eff = hidden_dimension(s.epsilon, d).ok_or("d^ε is not an integer")?;
    let target = s.target(d as usize, d_eff, rng);
    let cfg = ThreeLayerConfig {
        d: d as usize,
        p1: o.first_width(d),
        p2: o.second_width,
        max_iter1: (15.0 * (d as f64).ln()) as usize,
        ..ThreeLayerConfig::reduced_dc()
    };
    let mut out = SpanCurve { curve: Vec::new(), runs: 0, retries: 0 };
    for n in kappa_sample_grid((o.kappa_min, o.kappa_max, o.kappa_step), d) {
        let run = match o.precision {
            Precision::F64 => sight_phase1_span::<f64>(cfg, &target, n, rng),
            Precision::F32 => sight_phase1_span::<f32>(cfg, &target, n, rng),
        }
        .map_err(|e| format!("n = {n}: {e}"))?;
        out.runs += 1;
        out.retries += usize::from(run.retried);
        out.curve.push((n, run.span));
        if stop.is_some_and(|level| run.span >= level) {
            break;
        }
    }
    Ok(out)
}

/// [`onset_span_curve`]'s result.
pub(super) struct SpanCurve {
    /// $(n, \text{span overlap})$ along the grid.
    pub(super) curve: Vec<(usize, f64)>,
    /// Runs at the configured step (one per grid point visited).
    pub(super) runs: usize,
    /// Of these, the runs that diverged and were re-run at half the step.
    pub(super) retries: usize,
}

/// One trial of `onset-span`: the threshold where the span overlap first reaches the level
/// $b + q(1 - b)$ of this $d$, annotated with the runs and re-runs of the divergence policy.
pub(super) fn onset_span_trial(o: &OnsetSpanDesign, d: u64, rng: &mut Rng) -> Observation {
    let Some(level) = o.level(d) else {
        return Observation::Failed("d^ε is not an integer".into());
    };
    match onset_span_curve(o, d, Some(level), rng) {
        Ok(c) => {
            let (n, values): (Vec<f64>, Vec<f64>) =
                c.curve.iter().map(|&(n, v)| (n as f64, v)).unzip();
            Observation::annotated(
                Observation::threshold(&n, &values, level, 1.0),
                vec![c.runs as f64, (c.runs + c.retries) as f64],
            )
        }
        Err(why) => Observation::Failed(why),
    }
}
