//! Check D-C: the reference's layer-wise three-layer network end to end at d = 64, its
//! margin over the two-layer plateau, and its figure beside the reference's two-layer net.

use super::hidden_dimension;
use super::params::{EndToEndDesign, Precision};
use super::{sig3, PANEL_RUNS};
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use crate::sim::two_layer_relu::{run_sight_two_layer, TwoLayerConfig};
use crate::stats;
use crate::theorem::{Observation, Panel};

/// [`crate::sim::three_layer::run_sight`] in the design's precision.
fn run_end_to_end(
    e: &EndToEndDesign,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<crate::sim::three_layer::SightRun, String> {
    let (cfg, test) = (end_to_end_config(e), e.test_points as usize);
    match e.precision {
        Precision::F64 => crate::sim::three_layer::run_sight::<f64>(cfg, target, n, test, rng),
        Precision::F32 => crate::sim::three_layer::run_sight::<f32>(cfg, target, n, test, rng),
    }
}

/// The size (100 κ) whose figure shows the end-to-end net along check D-C's κ grid: κ = 2,
/// n = d², the grid's end; the other sizes have none (each figure retrains the net).
pub(super) const END_TO_END_PANEL_SIZE: u64 = 200;

/// Check D-C's grid of κ (`docs/theory/depth-advantage.md`, "The reference's network and check
/// D-C"; `benches/dc-reference.md`).
const END_TO_END_PANEL_KAPPAS: [u64; 7] = [100, 120, 140, 150, 160, 180, 200];

/// End to end (issue 5 part 5): $M_W$ per run and $\kappa$ (points, medians), the median test
/// error per $\kappa$ and the reference's two-layer GD net's ([`end_to_end_two_layer`], on
/// streams of its own), against $\kappa$, with the onset $1 + \varepsilon$, $M_W$'s random
/// baseline $\sqrt{d_{\rm eff}/d}$ and the two-layer plateaus marked; one fresh target and
/// network per (run, $\kappa$), as the reference's trials.
pub(super) fn end_to_end_panel(
    e: &EndToEndDesign,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    let s = e.sight();
    let d = e.dimension as usize;
    let d_eff = hidden_dimension(s.epsilon, e.dimension).ok_or("d_eff is not an integer")?;
    let kappas = END_TO_END_PANEL_KAPPAS.map(|k| k as f64 / 100.0);
    let mut overlaps = vec![Vec::new(); kappas.len()];
    let mut errors = vec![Vec::new(); kappas.len()];
    let mut two_layer = vec![Vec::new(); kappas.len()];
    let mut two_layer_diverged = 0;
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        // The two-layer baseline on streams of its own: the three-layer curves do not move.
        let mut rng_two = stream(PANEL_RUNS + run);
        for (i, &size) in END_TO_END_PANEL_KAPPAS.iter().enumerate() {
            let target = s.target(d, d_eff, &mut rng);
            let n = samples_at(e.dimension, size);
            let out = run_end_to_end(e, &target, n, &mut rng)?;
            overlaps[i].push(out.overlap);
            errors[i].push(out.test_mse);
            let target = s.target(d, d_eff, &mut rng_two);
            // The reference's step can blow the first layer up at n ~ d: such a run is left out
            // of its median and counted in the curve's name, not a reason to lose the figure.
            match end_to_end_two_layer(e, &target, n, &mut rng_two) {
                Ok(mse) => two_layer[i].push(mse),
                Err(_) => two_layer_diverged += 1,
            }
        }
    }
    let two_layer_medians = kappas
        .iter()
        .zip(&two_layer)
        .filter(|(_, v)| !v.is_empty())
        .map(|(&k, v)| (k, stats::median(v)))
        .collect();
    let two_layer_name = match two_layer_diverged {
        0 => "two-layer GD net, median MSE".to_string(),
        k => format!("two-layer GD net ({k} diverged)"),
    };
    let points =
        kappas.iter().zip(&overlaps).flat_map(|(&k, v)| v.iter().map(move |&m| (k, m))).collect();
    let medians = kappas.iter().zip(&overlaps).map(|(&k, v)| (k, stats::median(v))).collect();
    let error_medians = kappas.iter().zip(&errors).map(|(&k, v)| (k, stats::median(v))).collect();
    let onset = 1.0 + s.epsilon;
    let baseline = (d_eff as f64 / d as f64).sqrt();
    let (lo, hi) = (kappas[0], kappas[kappas.len() - 1]);
    Ok(Panel {
        name: "dc-grid".into(),
        title: format!(
            "Check D-C at d = {d} (d_eff = {d_eff}, p1 = {}, p2 = {}): M_W (points, median), the \
             median test error, and the reference's two-layer net's (p = {}) against κ",
            e.widths[0],
            e.widths[1],
            end_to_end_two_layer_config(e).p
        ),
        x_label: "κ = log n / log d".into(),
        y_label: "M_W; test MSE".into(),
        log_x: false,
        log_y: false,
        points,
        medians,
        curves: vec![
            ("median test MSE (simulated)".into(), error_medians),
            (two_layer_name, two_layer_medians),
            (
                format!("predicted onset κ = 1 + ε = {}", sig3(onset)),
                vec![(onset, 0.0), (onset, 1.0)],
            ),
            ("M_W random baseline √(d_eff/d)".into(), vec![(lo, baseline), (hi, baseline)]),
            (
                format!("two-layer plateau {} (deg ≤ 3)", TWO_LAYER_PLATEAU[0]),
                vec![(lo, TWO_LAYER_PLATEAU[0]), (hi, TWO_LAYER_PLATEAU[0])],
            ),
            (
                format!("two-layer quartic line {}", TWO_LAYER_PLATEAU[1]),
                vec![(lo, TWO_LAYER_PLATEAU[1]), (hi, TWO_LAYER_PLATEAU[1])],
            ),
        ],
    })
}

/// The reference's two-layer baseline beside the D-C net (`FlagTrain2Layer` of
/// `RunExperiment.py`): its width rule $p = \lfloor\lfloor n_{\max}^{0.9}\rfloor/15\rfloor$ with the
/// reference Example's $n_{\max} = \lfloor 64^{2.2}\rfloor = 9410$ ($p = 251$), the design's
/// `max_iter2` GD iterations, the reference's lr, weight decay and ridge.
fn end_to_end_two_layer_config(e: &EndToEndDesign) -> TwoLayerConfig {
    let n_max = (e.dimension as f64).powf(2.2).floor();
    let p = (n_max.powf(0.9) as usize) / 15;
    TwoLayerConfig::reference(e.dimension as usize, p.max(1), e.max_iter[1])
}

/// One run of [`end_to_end_two_layer_config`]'s net in the design's precision: its test MSE.
fn end_to_end_two_layer(
    e: &EndToEndDesign,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<f64, String> {
    let (cfg, test) = (end_to_end_two_layer_config(e), e.test_points as usize);
    let run = match e.precision {
        Precision::F64 => run_sight_two_layer::<f64>(cfg, target, n, test, rng),
        Precision::F32 => run_sight_two_layer::<f32>(cfg, target, n, test, rng),
    };
    run.map_err(|why| format!("two-layer baseline at n = {n}: {why}"))
}

/// The two-layer plateaus at $d = 64$ for eq. 11 ($d_{\rm eff} = 8$; our Monte-Carlo table in
/// `docs/theory/depth-advantage.md`, "Plateaus"): the residual of the best polynomial of degree
/// $\le 3$ and $\le 4$ in $z = W^* x$, what a two-layer net that has found $W^*$ reaches for
/// $n \lesssim d_{\rm eff}^4 = d^2$ and at its quartic asymptote (Fig. 2's green line).
pub const TWO_LAYER_PLATEAU: [f64; 2] = [0.162, 0.105];

/// The two-layer plateau at $\kappa$: degree $\lfloor 2\kappa \rfloor$ in $z$ ($n =
/// d_{\rm eff}^{2\kappa}$ at $\varepsilon = 1/2$; `docs/theory/depth-advantage.md`, "Shallow
/// learners").
pub fn two_layer_plateau(kappa_hundredths: u64) -> f64 {
    if kappa_hundredths < 200 {
        TWO_LAYER_PLATEAU[0]
    } else {
        TWO_LAYER_PLATEAU[1]
    }
}

/// The training set at $100\kappa$ on $\mathbb{R}^d$: $\lfloor d^\kappa \rfloor$ (the reference's
/// `int(d**kappa)`), for check D-C and Fig. 2.
pub fn samples_at(dimension: u64, kappa_hundredths: u64) -> usize {
    (dimension as f64).powf(kappa_hundredths as f64 / 100.0) as usize
}

/// The reference's layer-wise network on $\mathbb{R}^d$ with widths $(p_1, p_2)$ and iteration
/// counts (`max_iter1`, `max_iter2`), its other settings check D-C's (for check D-C and Fig. 2;
/// Fig. 2's joint net takes the same widths).
pub(super) fn reduced_net_config(
    dimension: u64,
    widths: [usize; 2],
    max_iter: [usize; 2],
) -> crate::sim::three_layer::ThreeLayerConfig {
    crate::sim::three_layer::ThreeLayerConfig {
        d: dimension as usize,
        p1: widths[0],
        p2: widths[1],
        max_iter1: max_iter[0],
        max_iter2: max_iter[1],
        ..crate::sim::three_layer::ThreeLayerConfig::reduced_dc()
    }
}

fn end_to_end_config(e: &EndToEndDesign) -> crate::sim::three_layer::ThreeLayerConfig {
    reduced_net_config(e.dimension, e.widths, e.max_iter)
}

/// One end-to-end trial at $100\kappa$: the target's signs, then
/// [`crate::sim::three_layer::run_sight`]; the margin $\ln(\text{plateau}/\text{test MSE})$.
pub(super) fn end_to_end_margin(
    e: &EndToEndDesign,
    kappa_hundredths: u64,
    rng: &mut Rng,
) -> Observation {
    let s = e.sight();
    let d = e.dimension as usize;
    let Some(d_eff) = hidden_dimension(s.epsilon, e.dimension) else {
        return Observation::Failed("d_eff is not an integer".into());
    };
    let target = s.target(d, d_eff, rng);
    let n = samples_at(e.dimension, kappa_hundredths);
    match run_end_to_end(e, &target, n, rng) {
        Ok(run) => Observation::Value((two_layer_plateau(kappa_hundredths) / run.test_mse).ln()),
        Err(why) => Observation::Failed(why),
    }
}

/// The sizes (100κ) of `e2e-below-two-layer` whose figures show the network's overlaps along
/// training, and the κ each figure trains at: the paper's Fig. 9 pair, κ = 1.2 (below the
/// onset 1 + ε: nothing is learned) at 100κ = 180, and κ = 2 (above it) at 100κ = 190. Fig. 7
/// is the same overlaps at the end of training against κ (the figure at 200, [`END_TO_END_PANEL_SIZE`]).
pub(super) const TRAINING_TIME_PANELS: [(u64, u64); 2] = [(180, 120), (190, 200)];

/// Probe inputs of $M_h$ (the reference's `n_overlap`).
const OVERLAP_PROBES: usize = 1000;

/// Recording interval of the overlaps, in GD steps.
const OVERLAP_EVERY: usize = 4;

/// The overlaps $M_W$ (points and median) and $M_h$ (median) of the design's network against
/// the GD step at $n = \lfloor d^\kappa \rfloor$, [`PANEL_RUNS`] runs each on a fresh target,
/// with the end of phase 1 and both random levels marked and the prediction in the title
/// (Theorem 1: both overlaps rise, $M_W$ in phase 1 and $M_h$ in phase 2, only when
/// $\kappa > \max(1+\varepsilon, k\varepsilon)$).
pub(super) fn training_time_panel(
    e: &EndToEndDesign,
    kappa_hundredths: u64,
    stream: &dyn Fn(u64) -> Rng,
) -> Result<Panel, String> {
    use crate::sim::three_layer::{sight_overlap_trajectory, OverlapTrajectory};
    let s = e.sight();
    let d = e.dimension as usize;
    let d_eff = hidden_dimension(s.epsilon, e.dimension).ok_or("d_eff is not an integer")?;
    let n = samples_at(e.dimension, kappa_hundredths);
    let cfg = end_to_end_config(e);
    let mut runs: Vec<OverlapTrajectory> = Vec::new();
    for run in 0..PANEL_RUNS {
        let mut rng = stream(run);
        let target = s.target(d, d_eff, &mut rng);
        let (probes, every) = (OVERLAP_PROBES, OVERLAP_EVERY);
        let t = match e.precision {
            Precision::F64 => sight_overlap_trajectory::<f64>(cfg, &target, n, probes, every, &mut rng),
            Precision::F32 => sight_overlap_trajectory::<f32>(cfg, &target, n, probes, every, &mut rng),
        };
        runs.push(t.map_err(|why| format!("run {run} at n = {n}: {why}"))?);
    }
    let times: Vec<f64> = runs[0].times.iter().map(|&t| t as f64).collect();
    let median_of = |series: fn(&OverlapTrajectory) -> &Vec<f64>| -> Vec<(f64, f64)> {
        (0..times.len())
            .map(|i| (times[i], stats::median(&runs.iter().map(|r| series(r)[i]).collect::<Vec<_>>())))
            .collect()
    };
    let first = median_of(|r| &r.first_layer);
    let second = median_of(|r| &r.second_layer);
    let points = runs
        .iter()
        .flat_map(|r| r.times.iter().zip(&r.first_layer).map(|(&t, &m)| (t as f64, m)))
        .collect();
    let (start, end) = (0.0, times[times.len() - 1]);
    let phase_end = runs[0].steps1 as f64;
    let kappa = kappa_hundredths as f64 / 100.0;
    let onset = (1.0 + s.epsilon).max(f64::from(s.degree()) * s.epsilon);
    let baseline = (d_eff as f64 / d as f64).sqrt();
    let predicted = if kappa > onset {
        format!("κ = {} > {}: M_W predicted to rise in phase 1, M_h in phase 2", sig3(kappa), sig3(onset))
    } else {
        format!("κ = {} < {}: both overlaps predicted to stay at their random level", sig3(kappa), sig3(onset))
    };
    Ok(Panel {
        name: format!("time-kappa{kappa_hundredths}"),
        title: format!(
            "Overlaps along training at d = {d}, n = {n} (p1 = {}, p2 = {}; {PANEL_RUNS} runs): {predicted}",
            e.widths[0], e.widths[1]
        ),
        x_label: "GD step (phase 1, then phase 2)".into(),
        y_label: "M_W (points, median); M_h (median)".into(),
        log_x: false,
        log_y: false,
        points,
        medians: first,
        curves: vec![
            ("M_h, median (simulated)".into(), second.clone()),
            ("end of phase 1".into(), vec![(phase_end, 0.0), (phase_end, 1.0)]),
            ("M_W random level √(d_eff/d)".into(), vec![(start, baseline), (end, baseline)]),
            ("M_h at initialisation (median)".into(), vec![(start, second[0].1), (end, second[0].1)]),
        ],
    })
}
