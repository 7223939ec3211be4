//! Resampling over trials: the bootstrap behind every percentile interval of a check.
//!
//! Replicate `b` draws from its own stream ([`ClaimStreams::bootstrap`]) and the replicates
//! are collected in order, so the intervals do not depend on the thread count.

use super::fit::numeric;
use super::streams::ClaimStreams;
use super::BOOTSTRAP_REPLICATES;
use crate::stats;
use crate::theorem::Observation;
use rand::RngExt;
use rayon::prelude::*;

/// The per-size medians recomputed on each of `BOOTSTRAP_REPLICATES` resamples of the trials
/// ([`resample`]): `replicates[b][s]`. A censored median is `+inf`, a failed trial makes its
/// median NaN.
pub(super) fn replicate_medians(
    streams: &ClaimStreams,
    observations: &[Vec<Observation>],
) -> Vec<Vec<f64>> {
    let values: Vec<Vec<f64>> =
        observations.iter().map(|row| row.iter().map(numeric).collect()).collect();
    resample(streams, &values, |rows| rows.iter().map(|row| stats::median(row)).collect())
}

/// A statistic recomputed on `BOOTSTRAP_REPLICATES` resamples of the trials: within each size,
/// the trials are drawn with replacement (a trial's whole record, e.g. both sides of a pair,
/// moves together). For a claim with shared draws the trial indices are drawn once per
/// replicate and used at every size, since trial `t` is one draw swept over the sizes: the
/// resample keeps what the sizes share. Replicate `b` has its own
/// [`Purpose::Bootstrap`](crate::rng::Purpose::Bootstrap) stream, so the replicates do not
/// depend on the thread count.
pub(super) fn resample<T: Copy + Send + Sync, R: Send>(
    streams: &ClaimStreams,
    rows: &[Vec<T>],
    statistic: impl Fn(&[Vec<T>]) -> R + Sync,
) -> Vec<R> {
    (0..BOOTSTRAP_REPLICATES)
        .into_par_iter()
        .map(|b| {
            let mut rng = streams.bootstrap(b);
            let drawn: Vec<Vec<T>> = if streams.shared_draws() {
                // Every size has the sweep's trial count; the shortest row bounds the picks.
                let n = rows.iter().map(Vec::len).min().unwrap_or(0) as u32;
                let picks: Vec<usize> = (0..n).map(|_| rng.random_range(0..n) as usize).collect();
                rows.iter().map(|row| picks.iter().map(|&i| row[i]).collect()).collect()
            } else {
                rows.iter()
                    .map(|row| {
                        let n = row.len() as u32;
                        (0..n).map(|_| row[rng.random_range(0..n) as usize]).collect()
                    })
                    .collect()
            };
            statistic(&drawn)
        })
        .collect()
}
