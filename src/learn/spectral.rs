//! The spectral estimate of a hidden subspace from the second Hermite moment of a labelled
//! Gaussian sample: the one-step / spectral proxy of the first layer's update (stage 1 of
//! `depth-advantage`; Dandi, Pesce, Zdeborová, Krzakala, arXiv:2502.13961v4, Thm 1(i)).
//!
//! For $x_i \sim N(0, I_d)$ and weights $w_i$ (centred labels),
//! $$ M_n = \frac1n \sum_{i \le n} w_i \,(x_i x_i^\top - I), $$
//! whose population value $\mathbb{E}[w\,(x x^\top - I)]$ is the $\mathrm{He}_2$ coefficient
//! matrix of the label: it lives in the span of the directions the label depends on. The
//! estimate of that span is the eigenvectors of $M_n$ of largest **absolute** eigenvalue
//! (the spike has both signs when the target's signs $a^*$ do).
//!
//! $\sum_i w_i x_i x_i^\top$ is accumulated over a stream, one batch at a time, as two
//! symmetric rank-$b$ updates (faer's triangular GEMM: the positive weights with $+1$, the
//! negative with $-1$, each column scaled by $\sqrt{|w_i|}$), so nested snapshots at growing
//! $n$ cost the largest $n$ once: $n d^2 / 2$ multiply-adds.

use crate::numerics::dense::{symmetric_eigen, syrk_lower};
use crate::numerics::NumericsError;
use faer::{Mat, MatRef};

/// The running sum $\sum_i w_i x_i x_i^\top$ (lower triangle), $\sum_i w_i$ and $n$.
#[derive(Clone, Debug)]
pub struct HermiteMoment {
    lower: Mat<f64>,
    weight_sum: f64,
    samples: usize,
    positive: Mat<f64>,
    negative: Mat<f64>,
}

impl HermiteMoment {
    /// An empty accumulator in dimension `d`.
    pub fn new(d: usize) -> HermiteMoment {
        HermiteMoment {
            lower: Mat::zeros(d, d),
            weight_sum: 0.0,
            samples: 0,
            positive: Mat::zeros(d, 0),
            negative: Mat::zeros(d, 0),
        }
    }

    /// The dimension $d$.
    pub fn dim(&self) -> usize {
        self.lower.nrows()
    }

    /// The number of samples added so far.
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// Adds the samples `x` (one per **column**, $d \times b$) with their weights.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` has not $d$ rows or not one column per weight;
    /// [`NumericsError::InvalidParameter`] if a weight is not finite.
    pub fn add(&mut self, x: MatRef<'_, f64>, weights: &[f64]) -> Result<(), NumericsError> {
        let d = self.dim();
        if x.nrows() != d {
            return Err(NumericsError::DimensionMismatch {
                what: "rows of the sample batch (dimension d)",
                expected: d,
                found: x.nrows(),
            });
        }
        if x.ncols() != weights.len() {
            return Err(NumericsError::DimensionMismatch {
                what: "weights of the sample batch (one per column)",
                expected: x.ncols(),
                found: weights.len(),
            });
        }
        if let Some(&w) = weights.iter().find(|w| !w.is_finite()) {
            return Err(NumericsError::InvalidParameter {
                name: "sample weight",
                value: w,
                requirement: "weights must be finite",
            });
        }
        let n_pos = weights.iter().filter(|&&w| w > 0.0).count();
        let n_neg = weights.iter().filter(|&&w| w < 0.0).count();
        self.positive.resize_with(d, n_pos, |_, _| 0.0);
        self.negative.resize_with(d, n_neg, |_, _| 0.0);
        let (mut ip, mut ineg) = (0, 0);
        for (j, &w) in weights.iter().enumerate() {
            let scale = w.abs().sqrt();
            let dst = if w > 0.0 {
                ip += 1;
                self.positive.col_mut(ip - 1)
            } else if w < 0.0 {
                ineg += 1;
                self.negative.col_mut(ineg - 1)
            } else {
                continue;
            };
            dst.iter_mut().zip(x.col(j).iter()).for_each(|(o, &v)| *o = scale * v);
        }
        syrk_lower(self.lower.as_mut(), self.positive.as_ref(), 1.0);
        syrk_lower(self.lower.as_mut(), self.negative.as_ref(), -1.0);
        self.weight_sum += weights.iter().sum::<f64>();
        self.samples += weights.len();
        Ok(())
    }

    /// The lower triangle of $M_n = \frac1n(\sum_i w_i x_i x_i^\top - \sum_i w_i\, I)$.
    fn moment(&self) -> Mat<f64> {
        let n = self.samples.max(1) as f64;
        let d = self.dim();
        Mat::from_fn(d, d, |i, j| {
            if i < j {
                0.0
            } else {
                let diag = if i == j { self.weight_sum } else { 0.0 };
                (self.lower[(i, j)] - diag) / n
            }
        })
    }

    /// The overlap of the top-`rank` eigenspace of $M_n$ (largest $|\lambda|$) with the
    /// first `hidden` coordinate axes: $\|P_{\rm hidden} U\|_F^2 / \mathrm{rank} \in [0, 1]$,
    /// which is $\mathrm{hidden}/d$ on average for a random subspace of the same rank when
    /// `rank == hidden`.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] if no sample was added, `rank` is 0 or exceeds $d$, or
    /// the eigensolver does not converge (a non-finite moment).
    pub fn spike_overlap(&self, rank: usize, hidden: usize) -> Result<f64, NumericsError> {
        let d = self.dim();
        if self.samples == 0 {
            return Err(NumericsError::InvalidParameter {
                name: "samples",
                value: 0.0,
                requirement: "the moment needs at least one sample",
            });
        }
        if rank == 0 || rank > d || hidden > d {
            return Err(NumericsError::InvalidParameter {
                name: "rank",
                value: rank as f64,
                requirement: "1 ≤ rank ≤ d and hidden ≤ d",
            });
        }
        let (vectors, order) = self.ranked_eigenvectors()?;
        let mass: f64 = order[..rank]
            .iter()
            .map(|&c| (0..hidden).map(|r| vectors[(r, c)].powi(2)).sum::<f64>())
            .sum();
        Ok(mass / rank as f64)
    }
}

impl HermiteMoment {
    /// The top-`rank` eigenspace of $M_n$ (largest $|\lambda|$, ties broken by index, as
    /// [`spike_overlap`](Self::spike_overlap)): a $d \times$ `rank` matrix with orthonormal
    /// columns, the first layer's learned subspace in `depth-advantage`'s `shallow-gap`.
    ///
    /// # Errors
    /// As [`spike_overlap`](Self::spike_overlap).
    pub fn top_subspace(&self, rank: usize) -> Result<Mat<f64>, NumericsError> {
        let d = self.dim();
        if self.samples == 0 || rank == 0 || rank > d {
            return Err(NumericsError::InvalidParameter {
                name: "rank",
                value: rank as f64,
                requirement: "at least one sample and 1 ≤ rank ≤ d",
            });
        }
        let (vectors, order) = self.ranked_eigenvectors()?;
        Ok(Mat::from_fn(d, rank, |r, c| vectors[(r, order[c])]))
    }

    /// The eigenvectors of $M_n$ (columns) and their order by $|\lambda|$, largest first; ties
    /// broken by index, so the choice is deterministic.
    fn ranked_eigenvectors(&self) -> Result<(Mat<f64>, Vec<usize>), NumericsError> {
        let (values, vectors) = symmetric_eigen(self.moment().as_ref())?;
        let mut order: Vec<usize> = (0..self.dim()).collect();
        order.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs()).then(a.cmp(&b)));
        Ok((vectors, order))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerics::draw_gaussians;
    use crate::rng::rng_from_u64;

    fn batch(d: usize, b: usize, rng: &mut crate::rng::Rng) -> Mat<f64> {
        let mut buf = vec![0.0; d * b];
        draw_gaussians(&mut buf, rng);
        MatRef::from_column_major_slice(&buf, d, b).to_owned()
    }

    #[test]
    fn the_accumulated_moment_equals_the_direct_sum_in_both_signs_and_in_batches() {
        let mut rng = rng_from_u64(3);
        let (d, b) = (5, 7);
        let x = batch(d, b, &mut rng);
        let w = [0.5, -1.0, 0.0, 2.0, -0.25, 1.5, -3.0];
        let mut acc = HermiteMoment::new(d);
        acc.add(x.as_ref().subcols(0, 3), &w[..3]).unwrap();
        acc.add(x.as_ref().subcols(3, 4), &w[3..]).unwrap();
        let m = acc.moment();
        let sw: f64 = w.iter().sum();
        for i in 0..d {
            for j in 0..=i {
                let direct: f64 = (0..b).map(|k| w[k] * x[(i, k)] * x[(j, k)]).sum::<f64>()
                    - if i == j { sw } else { 0.0 };
                assert!((m[(i, j)] - direct / b as f64).abs() < 1e-12, "({i}, {j})");
            }
        }
    }

    #[test]
    fn the_top_subspace_is_orthonormal_and_holds_the_planted_spike() {
        let (d, n) = (30, 20_000);
        let mut rng = rng_from_u64(13);
        let x = batch(d, n, &mut rng);
        let spike: Vec<f64> = (0..n).map(|k| x[(0, k)].powi(2) - x[(1, k)].powi(2)).collect();
        let mut acc = HermiteMoment::new(d);
        acc.add(x.as_ref(), &spike).unwrap();
        let u = acc.top_subspace(2).unwrap();
        assert_eq!((u.nrows(), u.ncols()), (d, 2));
        for (a, b) in [(0, 0), (0, 1), (1, 1)] {
            let dot: f64 = (0..d).map(|r| u[(r, a)] * u[(r, b)]).sum();
            assert!((dot - f64::from(u8::from(a == b))).abs() < 1e-10, "{a} {b}: {dot}");
        }
        // Its mass on the planted axes is the overlap of `spike_overlap`.
        let mass: f64 = (0..2).map(|c| u[(0, c)].powi(2) + u[(1, c)].powi(2)).sum::<f64>() / 2.0;
        assert!((mass - acc.spike_overlap(2, 2).unwrap()).abs() < 1e-12);
        assert!(acc.top_subspace(0).is_err());
    }

    #[test]
    fn a_planted_second_moment_spike_is_found_and_pure_noise_is_not() {
        // Label y = z_1^2 - z_2^2 (He_2 spike of both signs on the first two axes).
        let (d, n) = (40, 20_000);
        let mut rng = rng_from_u64(11);
        let x = batch(d, n, &mut rng);
        let spike: Vec<f64> = (0..n).map(|k| x[(0, k)].powi(2) - x[(1, k)].powi(2)).collect();
        let mut acc = HermiteMoment::new(d);
        acc.add(x.as_ref(), &spike).unwrap();
        let overlap = acc.spike_overlap(2, 2).unwrap();
        assert!(overlap > 0.95, "planted spike: overlap {overlap}");
        // Labels independent of x: the overlap is a random subspace's, 2/d = 0.05 on average.
        let noise: Vec<f64> = batch(1, n, &mut rng).row(0).iter().copied().collect();
        let mut acc = HermiteMoment::new(d);
        acc.add(x.as_ref(), &noise).unwrap();
        let overlap = acc.spike_overlap(2, 2).unwrap();
        assert!(overlap < 0.3, "no spike: overlap {overlap}");
    }

    #[test]
    fn bad_shapes_and_weights_are_errors() {
        let mut acc = HermiteMoment::new(3);
        assert!(acc.spike_overlap(1, 1).is_err());
        let x = Mat::<f64>::zeros(3, 2);
        assert!(acc.add(x.as_ref(), &[1.0]).is_err());
        assert!(acc.add(x.as_ref(), &[1.0, f64::NAN]).is_err());
        assert!(acc.add(Mat::<f64>::zeros(2, 2).as_ref(), &[1.0, 1.0]).is_err());
        acc.add(x.as_ref(), &[1.0, -1.0]).unwrap();
        assert!(acc.spike_overlap(0, 1).is_err() && acc.spike_overlap(4, 1).is_err());
    }
}
