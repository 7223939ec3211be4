//! The reference's layer-wise three-layer ReLU network (`ThreeLayerNN` of
//! IdePHICS/ComputationalDepth at commit 04485f3, `Codes/utils.py`, with `train_layer1`,
//! `train_layer2` and `ridge_regression_update_W3`), the learner of Dandi, Pesce, Zdeborová and
//! Krzakala, arXiv:2502.13961v4 (Fig. 2, App. F.4), in f64 or, as the reference, f32
//! ([`NetFloat`]); its conventions and check D-C's reduced configuration are written out in
//! `docs/theory/depth-advantage.md`, "The reference's network and check D-C":
//!
//! $$ \hat f(x) = w_3^\top \mathrm{relu}\big(W_2\, \mathrm{relu}(W_1 x + b_1) + b_2\big), $$
//!
//! $W_1 \in \mathbb{R}^{p_1\times d}$, $W_2 \in \mathbb{R}^{p_2 \times p_1}$, $w_3 \in
//! \mathbb{R}^{p_2}$, biases fixed at their random draw. Initialisation (the reference's order):
//! $W_1 \sim N(0, 1/d)$, $W_2 \sim \epsilon N(0, 1/p_1)$, $w_3 \sim \epsilon N(0, 1/p_2)$,
//! $b_1 \sim U(-1, 1)$, $b_2 \sim \epsilon U(-1, 1)$, $\epsilon$ = `eps_init`.
//!
//! Training on $n$ samples, each step on a minibatch of $\lfloor 0.7 n\rfloor$ rows (the first
//! entries of a fresh uniform random permutation), error $e = \hat f - y$ (loss $\frac12$ mean
//! squared error), $w_3$ and $W_2$ frozen at their initial values in phase 1:
//! * phase 1, `steps1` steps: $W_1 \leftarrow W_1 - \eta\big(\sqrt{p_1}\, G_1/\epsilon^2 +
//!   r_1 W_1\big)$, $G_1$ the gradient averaged over the minibatch;
//! * phase 2, `steps2` steps: $W_2 \leftarrow W_2 - 4\eta\big(\sqrt{p_2}\, G_2/(\epsilon p_1) +
//!   r_2 W_2/d^{1.5}\big)$, where $G_2 = \sum_{\rm batch} \partial/n$ is divided by the **full**
//!   $n$, not the minibatch size (the reference's quirk, kept);
//! * readout: $w_3 = (H_2^\top H_2 + \lambda n I)^{-1} H_2^\top y$ on all $n$ samples.
//!
//! Bookkeeping, not algorithm (the same numbers up to rounding): phase 2 does not recompute
//! $\mathrm{relu}(W_1 x + b_1)$ (frozen) for each minibatch but gathers its rows from one pass
//! over the $n$ samples; a minibatch's rows are processed in increasing order (every quantity
//! of a step is a sum over the batch); samples and first-layer features are stored row-major,
//! so that a gather is one contiguous copy per sample. The forward and backward passes are faer
//! GEMMs with `Par::Seq` on in-place batch buffers, followed by
//! [`clear_avx_upper`](crate::numerics::clear_avx_upper).
//!
//! **Precision.** The network's weights, features and GEMMs are in the float type `T`
//! ([`NetFloat`]: `f64`, the crate's default, or `f32`, the reference's `dtype`, whose GEMMs run
//! at twice the rate). Everything else is f64 whatever `T`: the random draws (made in f64 and
//! rounded to `T`, so both precisions see the same stream), the labels (rounded to `T` for
//! training), the step sizes, the losses and $M_W$ (accumulated in f64), and the readout's
//! $p_2 \times p_2$ Cholesky solve. With `T = f64` every operation is the f64 version's.
//!
//! **Architecture Invariant:** pure numerics; every random number comes from the `&mut Rng`
//! passed in, in a fixed order.

//!
//! The code, by concern: [`ThreeLayerNet`]'s forward and backward passes, features, predictions
//! and $M_W$ (`network.rs`); the minibatch draw and the two training phases (`phases.rs`); the
//! ridge readout (`readout.rs`); one run on a SIGHT target (`sight_run.rs`); the overlaps
//! $M_W$ and $M_h$ along training (`trajectory.rs`); the reference's joint training of all
//! three layers, and its run on a SIGHT target (`joint.rs`).

use faer::Mat;
use std::ops::{Add, AddAssign, Mul, Sub, SubAssign};

mod joint;
mod network;
mod phases;
mod readout;
mod sight_run;
#[cfg(test)]
mod tests;
mod trajectory;

pub use joint::{run_sight_joint, JOINT_LR_FACTOR};
pub(crate) use network::relu_features_t;
pub(crate) use phases::{gather_rows, Minibatch};
pub(crate) use readout::ridge_weights;
pub(crate) use sight_run::SightData;
pub use sight_run::{
    gaussian_rows, run_sight, sight_phase1_overlap, sight_phase1_span, Phase1Span, SightRun,
};
pub use trajectory::{feature_overlap, sight_overlap_trajectory, OverlapTrajectory};

/// The float type of the network ([module docs](self), "Precision"): `f64` or `f32`.
pub trait NetFloat:
    faer::traits::ComplexField
    + Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + AddAssign
    + SubAssign
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
    /// Zero.
    const ZERO: Self;
    /// The nearest value of this type.
    fn of(v: f64) -> Self;
    /// The value as f64 (exact).
    fn f64(self) -> f64;
    /// `max(self, 0)` as `f64::max` does it (a NaN becomes 0).
    fn relu(self) -> Self;
}

impl NetFloat for f64 {
    const ZERO: f64 = 0.0;
    fn of(v: f64) -> f64 {
        v
    }
    fn f64(self) -> f64 {
        self
    }
    fn relu(self) -> f64 {
        self.max(0.0)
    }
}

impl NetFloat for f32 {
    const ZERO: f32 = 0.0;
    fn of(v: f64) -> f32 {
        v as f32
    }
    fn f64(self) -> f64 {
        f64::from(self)
    }
    fn relu(self) -> f32 {
        self.max(0.0)
    }
}

/// The hyper-parameters of the reference's layer-wise training.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreeLayerConfig {
    /// Input dimension $d$.
    pub d: usize,
    /// First hidden width $p_1$.
    pub p1: usize,
    /// Second hidden width $p_2$.
    pub p2: usize,
    /// Learning rate $\eta$ (`lr`).
    pub lr: f64,
    /// Weight decay of phase 1 $r_1$ (`reg1`).
    pub reg1: f64,
    /// Weight decay of phase 2 $r_2$ (`reg2`), applied as $r_2/d^{1.5}$.
    pub reg2: f64,
    /// Readout ridge $\lambda$ (`lambda_ridge`): $\lambda n I$.
    pub lambda_ridge: f64,
    /// Initialisation scale $\epsilon$ (`eps_init`).
    pub eps_init: f64,
    /// Minibatch fraction (`fraction_batch`): $\lfloor f n\rfloor$ rows per step.
    pub fraction_batch: f64,
    /// Phase-1 iterations `max_iter1`: $\lfloor$`max_iter1`$/f\rfloor$ steps.
    pub max_iter1: usize,
    /// Phase-2 iterations `max_iter2`: $\lfloor$`max_iter2`$/f\rfloor$ steps.
    pub max_iter2: usize,
}

impl ThreeLayerConfig {
    /// The reduced configuration of check D-C (`benches/dc-reference.md`): d = 64, p1 = 256, p2 = 32,
    /// lr 1, no weight decay, ridge 1, eps_init 0.2, fraction 0.7, `max_iter1` = int(15 ln 64)
    /// = 62, `max_iter2` = 300.
    pub fn reduced_dc() -> ThreeLayerConfig {
        let d = 64;
        ThreeLayerConfig {
            d,
            p1: 256,
            p2: 32,
            lr: 1.0,
            reg1: 0.0,
            reg2: 0.0,
            lambda_ridge: 1.0,
            eps_init: 0.2,
            fraction_batch: 0.7,
            max_iter1: (15.0 * (d as f64).ln()) as usize,
            max_iter2: 300,
        }
    }

    /// Minibatch steps of a phase with `max_iter` iterations: `int(max_iter / fraction)`.
    pub fn steps(&self, max_iter: usize) -> usize {
        (max_iter as f64 / self.fraction_batch) as usize
    }

    /// Minibatch size on `n` samples: `int(n * fraction)`.
    pub fn batch(&self, n: usize) -> usize {
        (n as f64 * self.fraction_batch) as usize
    }
}

/// The network and its batch buffers (reused across steps: no allocation per step), in the
/// float type `T` ([`NetFloat`]).
#[derive(Clone, Debug)]
pub struct ThreeLayerNet<T: NetFloat = f64> {
    cfg: ThreeLayerConfig,
    /// $W_1$, $p_1 \times d$.
    pub w1: Mat<T>,
    /// $W_2$, $p_2 \times p_1$.
    pub w2: Mat<T>,
    /// $w_3$, length $p_2$.
    pub w3: Vec<T>,
    /// $b_1$, length $p_1$.
    pub b1: Vec<T>,
    /// $b_2$, length $p_2$.
    pub b2: Vec<T>,
    // Batch buffers (rows = current batch size; the gathered inputs transposed: one sample per
    // column, so that a gather copies contiguous rows of a row-major source).
    xbt: Mat<T>,
    h1bt: Mat<T>,
    h1: Mat<T>,
    h2: Mat<T>,
    g1: Mat<T>,
    out: Vec<T>,
    yb: Vec<T>,
    grad_w1: Mat<T>,
    grad_w2: Mat<T>,
    batch: Minibatch,
}

/// Per-phase record of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    /// The minibatch loss $\frac12$ mean $e^2$ of phase 1's last step.
    pub last_loss1: f64,
    /// The same for phase 2.
    pub last_loss2: f64,
}

/// Where [`ThreeLayerNet::train_observed`] is: `phase` 1 (training $W_1$) or 2 (training
/// $W_2$), and the number of GD steps taken in that phase (0 before the first step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrainingStep {
    /// The phase, 1 or 2.
    pub phase: u8,
    /// GD steps taken in this phase.
    pub step: usize,
}
