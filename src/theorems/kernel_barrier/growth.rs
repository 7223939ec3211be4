//! The growth experiment: one trial of degree $\ell$ measures the threshold exponent $a_\ell$
//! over that degree's own dimensions, its budget escalating while a threshold is censored.

use super::params::{GrowthDesign, KrrRun};
use super::threshold::escalating_threshold;
use crate::rng::Rng;
use crate::special::harmonics::cumulative_harmonic_dimension_f64;
use crate::stats;
use crate::theorem::Observation;

/// How often a growth trial doubles its sample budget at one $d$ before it calls the
/// threshold censored: its largest training set is $2^{3} \beta N_\ell(d)$ (H5).
pub const GROWTH_DOUBLINGS: u32 = 3;

/// One growth trial's degree-$\ell$ threshold at dimension $d$ (harmonic scale if the claim
/// says so). A growth trial is lost if any of its thresholds is censored, and the pilot's
/// thresholds have a heavy right tail (degree 1: $n^*/N_1$ up to 12 against a median of
/// 1.5), so the budget escalates: the trial draws $2^{D} \beta N_\ell(d)$ training points
/// ($D$ = [`GROWTH_DOUBLINGS`]), fits the first $\beta N_\ell(d)$ and, while the threshold is
/// censored, doubles the prefix. The samples are nested, so the threshold is the one the
/// largest prefix would give on its grid below the crossing; only the trials that need the
/// larger Cholesky factor pay for it.
fn growth_threshold(run: &KrrRun<'_>, d: u64, rng: &mut Rng) -> Result<Observation, String> {
    escalating_threshold(run, d, GROWTH_DOUBLINGS, rng)
}

/// One trial's threshold exponent for degree $\ell$ over `degrees[ℓ-1].dims`: the
/// least-squares slope of $\log n^*$ (on the claim's scale) against $\log d$.
pub(super) fn growth_exponent(
    p: &GrowthDesign,
    l: u32,
    rng: &mut Rng,
) -> Result<Observation, String> {
    // Validated: every degree of the sweep has its `degrees` entry (H0).
    let (Some(run), Some(degree)) = (p.run(l), p.degree(l)) else {
        return Err(format!(
            "degree {l} has no sweep: degrees[{}] is missing",
            l.saturating_sub(1)
        ));
    };
    let dims = &degree.dims;
    let mut xs = Vec::with_capacity(dims.len());
    let mut ys = Vec::with_capacity(dims.len());
    for &d in dims {
        match growth_threshold(&run, d, rng)? {
            Observation::Value(v) => {
                xs.push((d as f64).ln());
                ys.push(v.ln());
            }
            Observation::Censored(v) => {
                // `v` is on the claim's scale; the message gives the samples.
                let n_l = cumulative_harmonic_dimension_f64(d, l).map_err(|e| e.to_string())?;
                let n = v / p.threshold_scale.factor(d, l, n_l);
                return Ok(Observation::Failed(format!(
                    "degree {l} at d = {d}: not learned within n = {n:.0} samples (censored)"
                )));
            }
            // `growth_threshold` reads one learner and annotates nothing: never a pair.
            failed @ (Observation::Failed(_)
            | Observation::Pair(..)
            | Observation::Annotated(..)) => return Ok(failed),
        }
    }
    stats::fit_line(&xs, &ys, 0.95)
        .map(|line| Observation::Value(line.slope))
        .map_err(|e| format!("degree {l}: the per-trial fit failed: {e}"))
}
