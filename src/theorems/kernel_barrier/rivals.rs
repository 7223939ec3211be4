//! The rival laws of `kernel-barrier` and the threshold claims' finite-$d$ prediction.
//!
//! **Finite size** (threshold claims). The eigenlearning equivalent of KRR
//! ([`crate::learn::eigenlearning`]) puts the mean learned fraction of degree $\ell$ at
//! $\mathcal L_\ell = \mu_\ell/(\mu_\ell + \kappa)$, so half of it is learned where $\kappa =
//! \mu_\ell$: $n^*(d) = \sum_k B(d,k)\,\mu_k/(\mu_k + \mu_\ell) + \delta/\mu_\ell$, with the
//! card's absolute ridge $\delta = r N_\ell(d) d^{-\ell}$ and the kernel's Funk–Hecke
//! eigenvalues $\mu_k$ at dimension $d$ ([`DegreeSpectrum::samples_for_fraction`]). The
//! observable is that $n^*$ on the claim's scale ($n^* d^\ell/N_\ell(d)$ on the harmonic
//! one). Neglected: the fluctuations of the equivalent, of relative order $n^{-1/2}$ up to
//! logarithms (Misiakiewicz & Saeed, arXiv:2403.08938v1), and the difference between the
//! median of the trials' crossings and the crossing of the mean fraction (the eigenlearning
//! module's tests measure the learned fractions within 0.05 of $\mathcal L_k$).
//!
//! **Rivals** of the threshold claims, each the claim's law $n^* \propto N_\ell(d)$ times a
//! factor $g(d)$ and put on the claim's scale (so the finite-$d$ drift of $N_\ell(d)$, which
//! the harmonic scale removes from the claim, is removed from the rival too):
//! `log-factor` ($g = \log d$: the logarithm that kernel-matrix concentration bounds carry,
//! Mei, Misiakiewicz & Montanari 2022, arXiv:2101.10588v1), `previous-degree` ($g = 1/d$,
//! $n^* \sim d^{\ell-1}$: no barrier, degree $\ell$ as cheap as degree $\ell - 1$) and
//! `next-degree` ($g = d$, $n^* \sim d^{\ell+1}$: the barrier one degree higher; the issue's
//! rival).
//! Of the plateau claim: `degree-one-unlearned` (the error stays at $\lVert P_{\ge 1}
//! f\rVert^2$: at $n \ll d^\ell$ the kernel learns nothing, not even degree 1), whose excess
//! over the claim's bound is $\sum_{k\ge1} a_k^2 \min(1, n/B(d,k))$. Of the width-gap claim:
//! `equal-widths` (the parameter-count-blind view: both models need the same width, a
//! difference of exponents 0).

use super::params::{krr_ridge, KernelBarrierParams, ThresholdDesign};
use crate::law::RivalLaw;
use crate::learn::eigenlearning::DegreeSpectrum;
use crate::special::harmonics::harmonic_dimension_f64;

/// One line: the formula, the order of the neglected term, the source.
pub(super) const PROVENANCE: &str = "n*(d) = Σ_k B(d,k) μ_k/(μ_k + μ_l) + δ/μ_l (eigenlearning: \
     half of degree l learned at κ = μ_l; δ = r N_l(d) d^-l), on the claim's scale; neglected: \
     relative O(n^-1/2) fluctuations of the equivalent (Simon et al., arXiv:2110.03922v6; \
     Misiakiewicz & Saeed, arXiv:2403.08938v1)";

/// The predicted observable of a threshold claim at each $d$.
pub(super) fn threshold_curve(t: &ThresholdDesign, sizes: &[u64]) -> Result<Vec<f64>, String> {
    let l = t.degree;
    let kernel = t.kernel.kernel();
    sizes
        .iter()
        .map(|&d| {
            let (n_l, ridge) = krr_ridge(t.relative_ridge, d, l).ok_or("N_ℓ(d) overflows")?;
            let spectrum = DegreeSpectrum::sphere(&kernel, d).map_err(|e| e.to_string())?;
            let n_star = spectrum
                .samples_for_fraction(l as usize, 0.5, ridge)
                .map_err(|e| format!("d = {d}: {e}"))?;
            Ok(n_star * t.threshold_scale.factor(d, l, n_l))
        })
        .collect()
}

/// The rivals `thm show` lists and a card may name.
pub(super) fn rivals(p: &KernelBarrierParams) -> Vec<RivalLaw> {
    let rival =
        |name: &str, law: String, why: &str| RivalLaw { name: name.into(), law, why: why.into() };
    match p {
        KernelBarrierParams::Threshold(t) => {
            let l = t.degree;
            vec![
                rival(
                    "log-factor",
                    format!("n* ~ N_{l}(d) log d"),
                    "kernel-matrix concentration bounds carry a log d (Mei, Misiakiewicz, \
                     Montanari 2022, arXiv:2101.10588v1)",
                ),
                rival(
                    "previous-degree",
                    format!("n* ~ N_{l}(d)/d ~ d^{}", l - 1),
                    "no barrier: degree l costs what degree l - 1 costs",
                ),
                rival(
                    "next-degree",
                    format!("n* ~ d N_{l}(d) ~ d^{}", l + 1),
                    "the barrier one degree higher (issue 23's rival)",
                ),
            ]
        }
        KernelBarrierParams::Plateau(_) => vec![rival(
            "degree-one-unlearned",
            "err ≥ ‖P≥1 f‖²".into(),
            "below d^l a kernel learns nothing, not even degree 1 (a sceptic's reading of the \
             plateau as total failure)",
        )],
        KernelBarrierParams::WidthGap(_) => vec![rival(
            "equal-widths",
            "N*_RF / N*_NT ~ 1".into(),
            "the parameter-count-blind view: a neuron is a neuron, both models need the same \
             width (difference of exponents 0)",
        )],
        KernelBarrierParams::Growth(_) | KernelBarrierParams::Width(_) => Vec::new(),
    }
}

/// A rival's value of the claim's observable at each size, up to a constant (for the plateau:
/// its excess over the claim's bound).
pub(super) fn rival_curve(
    p: &KernelBarrierParams,
    rival: &str,
    sizes: &[u64],
) -> Result<Vec<f64>, String> {
    let unknown = || format!("the module has no rival `{rival}` for this claim");
    match (p, rival) {
        (KernelBarrierParams::Threshold(t), _) => {
            let factor: fn(f64) -> f64 = match rival {
                "log-factor" => f64::ln,
                "previous-degree" => f64::recip,
                "next-degree" => |d| d,
                _ => return Err(unknown()),
            };
            sizes
                .iter()
                .map(|&d| {
                    let (n_l, _) =
                        krr_ridge(t.relative_ridge, d, t.degree).ok_or("N_ℓ(d) overflows")?;
                    Ok(n_l * factor(d as f64) * t.threshold_scale.factor(d, t.degree, n_l))
                })
                .collect()
        }
        (KernelBarrierParams::Plateau(pl), "degree-one-unlearned") => sizes
            .iter()
            .map(|&d| {
                let n = pl.samples(d) as f64;
                let mut excess = 0.0;
                for (k, a) in pl.target.iter().enumerate().skip(1) {
                    let b = harmonic_dimension_f64(d, k as u32).map_err(|e| e.to_string())?;
                    excess += a * a * (n / b).min(1.0);
                }
                Ok(excess)
            })
            .collect(),
        (KernelBarrierParams::WidthGap(_), "equal-widths") => Ok(vec![1.0; sizes.len()]),
        _ => Err(unknown()),
    }
}
