//! One run of the reference's experiment on a SIGHT target: the data in the reference's draw
//! order, training, test error and $M_W$; and phase 1 alone, for the onset.

use super::{NetFloat, ThreeLayerConfig, ThreeLayerNet};
use crate::numerics::clear_avx_upper;
use crate::numerics::draw_gaussians;
use crate::rng::Rng;
use crate::sim::sight::SightTarget;
use faer::{Mat, MatRef};

/// `n` rows of $N(0, I_d)$ drawn row by row (the reference's `torch.randn(n, d)` order).
pub fn gaussian_rows(n: usize, d: usize, rng: &mut Rng) -> Mat<f64> {
    let mut v = vec![0.0; n * d];
    draw_gaussians(&mut v, rng);
    Mat::from_fn(n, d, |i, j| v[i * d + j])
}

/// What one end-to-end run on a SIGHT target measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SightRun {
    /// The test mean squared error of the trained network.
    pub test_mse: f64,
    /// The test labels' variance about their own mean (the best constant predictor's error).
    pub test_label_variance: f64,
    /// $M_W$ after phase 1 ([`ThreeLayerNet::overlap`]).
    pub overlap: f64,
}

/// One run of the reference's experiment on a SIGHT target (W* on the first `d_eff` axes):
/// draws `test` test points, then `n` training points (rows of $N(0, I_d)$, labels
/// $f^*(x)$, no noise), initialises the network, trains it layer-wise, and measures the test
/// error and $M_W$. The network computes in `T` ([`NetFloat`]); the data are drawn in f64.
///
/// # Errors
/// Why the training broke down (a non-finite loss, a failed readout).
pub fn run_sight<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    test: usize,
    rng: &mut Rng,
) -> Result<SightRun, String> {
    run_sight_with::<T>(cfg, target, n, test, rng, |net, x, y, rng| net.train(x, y, rng).map(drop))
}

/// [`run_sight`] with the training given: the data and the network in the reference's draw
/// order, `train` on the training set, then the test error and $M_W$ (shared with the joint
/// training's run).
pub(crate) fn run_sight_with<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    test: usize,
    rng: &mut Rng,
    train: impl FnOnce(&mut ThreeLayerNet<T>, MatRef<'_, f64>, &[f64], &mut Rng) -> Result<(), String>,
) -> Result<SightRun, String> {
    let data = SightData::draw(target, cfg.d, n, test, rng);
    let mut net = ThreeLayerNet::<T>::init(cfg, rng);
    train(&mut net, data.x.as_ref(), &data.y, rng)?;
    let (test_mse, test_label_variance) = data.test_error(|x| net.predict(x))?;
    Ok(SightRun { test_mse, test_label_variance, overlap: net.overlap(target.d_eff) })
}

/// One end-to-end run's data on a SIGHT target (W* on the first `d_eff` axes): `test` test
/// points, then `n` training points, rows of $N(0, I_d)$ with labels $f^*(x)$ (no noise),
/// drawn in that order (the reference's).
pub(crate) struct SightData {
    /// Training inputs, $n \times d$.
    pub(crate) x: Mat<f64>,
    /// Training labels.
    pub(crate) y: Vec<f64>,
    x_test: Mat<f64>,
    y_test: Vec<f64>,
}

impl SightData {
    /// Draws the test set, then the training set.
    pub(crate) fn draw(
        target: &SightTarget,
        d: usize,
        n: usize,
        test: usize,
        rng: &mut Rng,
    ) -> SightData {
        let x_test = gaussian_rows(test, d, rng);
        let y_test = sight_labels(target, &x_test);
        let x = gaussian_rows(n, d, rng);
        let y = sight_labels(target, &x);
        SightData { x, y, x_test, y_test }
    }

    /// The test mean squared error of `predict` (given the test inputs in `T`) and the test
    /// labels' variance about their own mean (the best constant predictor's error).
    ///
    /// # Errors
    /// A non-finite test error.
    pub(crate) fn test_error<T: NetFloat>(
        &self,
        mut predict: impl FnMut(MatRef<'_, T>) -> Vec<f64>,
    ) -> Result<(f64, f64), String> {
        let (m, d) = (self.x_test.nrows(), self.x_test.ncols());
        let x_test = Mat::<T>::from_fn(m, d, |i, j| T::of(self.x_test[(i, j)]));
        let pred = predict(x_test.as_ref());
        let y = &self.y_test;
        let mse = pred.iter().zip(y).map(|(f, t)| (f - t) * (f - t)).sum::<f64>() / m as f64;
        let mean = y.iter().sum::<f64>() / m as f64;
        let variance = y.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / m as f64;
        if !mse.is_finite() {
            return Err(format!("the test error is {mse}"));
        }
        Ok((mse, variance))
    }
}

/// The labels $f^*(x_i)$ of the rows of `x` (W* on the first `d_eff` axes).
pub(crate) fn sight_labels(target: &SightTarget, x: &Mat<f64>) -> Vec<f64> {
    let mut row = vec![0.0; target.d_eff];
    (0..x.nrows())
        .map(|i| {
            row.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
            target.value(&row)
        })
        .collect()
}

/// Phase 1 alone of [`run_sight`]'s training, on `n` fresh training points (no test set):
/// $M_W$ of the first layer after the reference's `max_iter1` GD iterations, layers 2 and 3
/// at their initial values (the onset of check D-C, across $d$).
///
/// # Errors
/// Why phase 1 broke down (a non-finite loss or weight).
pub fn sight_phase1_overlap<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<f64, String> {
    let x = gaussian_rows(n, cfg.d, rng);
    let y: Vec<T> = sight_labels(target, &x).into_iter().map(T::of).collect();
    let mut net = ThreeLayerNet::<T>::init(cfg, rng);
    net.phase1(x.as_ref(), &y, rng)?;
    clear_avx_upper();
    Ok(net.overlap(target.d_eff))
}

/// What one phase-1 run under the onset's divergence policy measured
/// ([`sight_phase1_span`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phase1Span {
    /// The span overlap of the trained first layer ([`ThreeLayerNet::span_overlap`]).
    pub span: f64,
    /// $M_W$ of the trained first layer ([`ThreeLayerNet::overlap`]).
    pub overlap: f64,
    /// Whether the run at the configured step diverged and this is its re-run at half the step.
    pub retried: bool,
}

/// Phase 1 alone on `n` fresh training points, as [`sight_phase1_overlap`], reading the span
/// overlap and $M_W$, under a divergence policy fixed before any run (issue 25): a run whose
/// loss or first-layer weights become non-finite is discarded and re-run once, on the same
/// samples, from a fresh initialisation (drawn next from `rng`) with the step $\eta/2$; the
/// result says so (`retried`).
///
/// # Errors
/// Both runs diverged (both reasons are named), or the span overlap failed.
pub fn sight_phase1_span<T: NetFloat>(
    cfg: ThreeLayerConfig,
    target: &SightTarget,
    n: usize,
    rng: &mut Rng,
) -> Result<Phase1Span, String> {
    let x = gaussian_rows(n, cfg.d, rng);
    let y: Vec<T> = sight_labels(target, &x).into_iter().map(T::of).collect();
    let mut net = ThreeLayerNet::<T>::init(cfg, rng);
    let retried = match net.phase1(x.as_ref(), &y, rng) {
        Ok(_) => false,
        Err(first) => {
            let half = ThreeLayerConfig { lr: cfg.lr / 2.0, ..cfg };
            net = ThreeLayerNet::<T>::init(half, rng);
            net.phase1(x.as_ref(), &y, rng).map_err(|again| {
                format!("at step {}: {first}; re-run at step {}: {again}", cfg.lr, half.lr)
            })?;
            true
        }
    };
    clear_avx_upper();
    Ok(Phase1Span {
        span: net.span_overlap(target.d_eff)?,
        overlap: net.overlap(target.d_eff),
        retried,
    })
}
