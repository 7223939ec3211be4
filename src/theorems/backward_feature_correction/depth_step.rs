//! Design `depth-step` (issue 26 part 4, "how deep, how much"): at each fixed $d$ of the
//! sweep, what one more level of the target costs the deep network, against what it costs a
//! kernel.
//!
//! One trial draws a target of depth $L - 1$ and one of depth $L$ (levels
//! $\alpha_l = r^{l-1}$, the card's maps) and trains a network of the matching depth on each,
//! jointly from the start on fresh samples (the learner of `samples`), each until its relative
//! test error first reaches the same $\tau$: $n^*(L-1)$ and $n^*(L)$. The network's step is
//! $\Delta_{\mathrm{net}} = \log_d n^*(L) - \log_d n^*(L-1)$. The kernel's step is
//! $\Delta_K(d) = \log_d B(d, 2^L) - \log_d B(d, 2^{L-1})$: a rotation-invariant kernel learns
//! the harmonic component of degree $m$ only once $n$ is of the order of its dimension
//! $B(d, m)$ (the bound of `kernel-gap`, §3 of the theory page; eigenlearning for the
//! learning curve), and the top degree of a depth-$L$ target is $2^L$. The trial returns the
//! margin $\Delta_K(d) - \Delta_{\mathrm{net}}$, annotated with $(n^*(L-1), n^*(L))$.
//! What is assumed, not checked: that the kernel's cost at both depths is the same multiple
//! of the top degree's dimension (so the multiple cancels in the step). The theory page,
//! §7, gives the reasons, and why $L = 4$ needs the update cap
//! ([`QuadNet::with_update_clip`](crate::sim::hierarchical::QuadNet::with_update_clip)) and
//! runs of up to $2\cdot10^8$ samples (the held-back `depth-step-4`).

use super::samples::{sample_budget, samples_to_error};
use super::SamplesParams;
use crate::law::{ClaimKind, Exponent, Prediction, RivalLaw};
use crate::rng::Rng;
use crate::special::harmonics::harmonic_dimension_f64;
use crate::theorem::Observation;

/// The same learner and target at depth `depth` (its first `depth` widths and scales).
pub(super) fn at_depth(p: &SamplesParams, depth: u32) -> SamplesParams {
    let levels = depth as usize;
    SamplesParams {
        depth,
        widths: p.widths[..levels.min(p.widths.len())].to_vec(),
        init_scales: p.init_scales[..levels.min(p.init_scales.len())].to_vec(),
        ..p.clone()
    }
}

/// $\Delta_K(d) = \log_d B(d, 2^L) - \log_d B(d, 2^{L-1})$, the kernel's step from depth
/// $L - 1$ to $L$ in powers of $d$.
pub(super) fn kernel_step(d: u64, depth: u32) -> Result<f64, String> {
    let b = |m: u32| harmonic_dimension_f64(d, m).map_err(|e| e.to_string());
    let (top, below) = (b(1 << depth)?, b(1 << (depth - 1))?);
    Ok((top / below).ln() / (d as f64).ln())
}

/// One `depth-step` trial at dimension `size`: the margin $\Delta_K(d) - \Delta_{\mathrm{net}}$,
/// annotated with $(n^*(L-1), n^*(L))$.
///
/// A run that does not reach $\tau$ (its budget spent, or SGD diverged) counts as the worst
/// step the design can record: the margin $\Delta_K(d) - \log_d(n_{\max}/B)$ of a step from
/// one batch $B$ to the whole budget $n_{\max}$, below every margin a run that arrives can
/// give, and its sample count as $n_{\max}$. So a failure weighs against the claim in the
/// median (one rank), instead of voiding the claim (a failed trial makes it inconclusive) or
/// being read as a step whose cost is the budget (which would flatter the level when the
/// lower depth is the one that failed). Version 2 of the design: the pilot's one divergence
/// (card) showed that a trial's failure would otherwise make the whole claim inconclusive.
pub(super) fn depth_step_margin(
    p: &SamplesParams,
    size: u64,
    rng: &mut Rng,
) -> Result<Observation, String> {
    let kernel = kernel_step(size, p.depth)?;
    let log_d = (size as f64).ln();
    let budget = sample_budget(p, size as u32);
    let lower = at_depth(p, p.depth - 1);
    let mut reached = [budget; 2];
    let mut failed = false;
    for (slot, params) in reached.iter_mut().zip([&lower, p]) {
        match samples_to_error(params, size, rng) {
            Ok(Observation::Value(n)) => *slot = n,
            Ok(Observation::Censored(_)) | Err(_) => failed = true,
            Ok(other) => return Err(format!("unexpected threshold {other:?}")),
        }
    }
    let network = if failed {
        (budget / f64::from(p.batch)).ln() / log_d
    } else {
        (reached[1] / reached[0]).ln() / log_d
    };
    Ok(Observation::annotated(Observation::Value(kernel - network), reached.to_vec()))
}

/// The prediction of a `depth-step` claim: margin $\ge 0$ at every $d$.
pub(super) fn depth_step_prediction(p: &SamplesParams) -> Prediction {
    let (l, m) = (p.depth, 1u32 << p.depth);
    Prediction {
        kind: ClaimKind::LowerBound,
        exponent: Exponent::AtLeast(0.0),
        law: format!(
            "log_d n*(L) - log_d n*(L-1) ≤ log_d B(d,{m})/B(d,{}) at every d (L = {l}, τ fixed): \
             the level costs the network less than it costs a kernel",
            m / 2
        ),
        rationale: format!(
            "a rotation-invariant kernel must learn the harmonic component of degree 2^L = {m}, \
             of dimension B(d,{m}) ~ d^{m}/{m}!, so one more level multiplies its samples by \
             about B(d,{m})/B(d,{}) (kernel-gap's bound; Ghorbani, Mei, Misiakiewicz, \
             Montanari); the network learns level L in the k dimensions of the level below \
             once that is learned, at a cost that does not grow like d^(2^(L-1)) (our toy; \
             Allen-Zhu & Li state poly(d) at the abstract level)",
            m / 2
        ),
        size: "d".into(),
        observable: format!("Δ_K - Δ_net (log_d, L = {l})"),
    }
}

/// The rivals of a `depth-step` claim, with each one's excess over the bound at dimension d.
pub(super) fn depth_step_rivals() -> Vec<RivalLaw> {
    vec![RivalLaw {
        name: "depth-free".into(),
        law: "n*(L) ≤ n*(L-1): the added level costs the network nothing".into(),
        why: "the stronger claim a believer in depth would make: once the lower levels are \
              learned, level L is a fixed-size problem in k dimensions that SGD solves while it \
              still refines them, so n* does not grow with L at all (margin ≥ Δ_K at every d); \
              the data must refute it for the claim to have power"
            .into(),
    }]
}

/// The rival's excess over the bound at each size: `depth-free` claims a margin of at least
/// $\Delta_K(d)$.
pub(super) fn depth_step_rival_curve(
    p: &SamplesParams,
    rival: &str,
    sizes: &[u64],
) -> Result<Vec<f64>, String> {
    match rival {
        "depth-free" => sizes.iter().map(|&d| kernel_step(d, p.depth)).collect(),
        _ => Err(format!("the module has no rival `{rival}` for this design")),
    }
}
