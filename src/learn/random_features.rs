//! Finite-width linearised two-layer ReLU networks: random features (RF) and the neural
//! tangent (NT) model, as kernels for [`Krr`] and as a ridge fit that picks the cheaper of
//! the dual and the primal problem.
//!
//! Ghorbani, Mei, Misiakiewicz, Montanari (arXiv:1904.12191v3, abstract; see
//! `docs/theory/kernel-barrier.md`) linearise $f(x) = \sum_{i \le N} a_i \sigma(\langle w_i,
//! x\rangle)$ at random first-layer weights $w_i$:
//! * **RF:** only the $a_i$ are fitted, $f(x) = \sum_i a_i \sigma(\langle w_i, x\rangle)$
//!   ($N$ parameters);
//! * **NT:** only the first layer moves, $f(x) = \sum_i \langle b_i, x\rangle
//!   \sigma'(\langle w_i, x\rangle)$ ($N d$ parameters).
//!
//! With $n = \infty$ and $d^{l+\delta} \le N \le d^{l+1-\delta}$ RF fits a degree-$l$
//! polynomial and NT one degree more; `kernel-barrier`'s claim `rf-vs-nt-width` sweeps $N$ at
//! $n \gg N$.
//!
//! Here $\sigma = \mathrm{relu}$, $\sigma'(z) = \mathbf 1\{z > 0\}$, and the weights are
//! $w_i \sim N(0, I_d/d)$ i.i.d., so $\langle w_i, x\rangle \sim N(0, 1)$ exactly on
//! $S^{d-1}(\sqrt d)$ (equivalently $\sigma(\langle v_i, x\rangle/\sqrt d)$ with
//! $v_i \sim N(0, I_d)$). The finite-width kernels are
//! $K_{\rm RF}(x,y) = \frac1N \sum_i \sigma(\langle w_i,x\rangle)\sigma(\langle w_i,y\rangle)$
//! and $K_{\rm NT}(x,y) = \frac{\langle x,y\rangle}{d}\,\frac1N \sum_i
//! \sigma'(\langle w_i,x\rangle)\sigma'(\langle w_i,y\rangle)$ (NT features $x \otimes
//! \sigma'(\langle w_i, x\rangle)/\sqrt{Nd}$); as $N \to \infty$ they converge to
//! [`InnerProductKernel::ReluArcCosine`] and [`InnerProductKernel::ReluNtk`] without the
//! second layer.
//!
//! [`InnerProductKernel::ReluArcCosine`]: crate::learn::InnerProductKernel::ReluArcCosine
//! [`InnerProductKernel::ReluNtk`]: crate::learn::InnerProductKernel::ReluNtk

use crate::learn::Krr;
use crate::numerics::dense::{gemm, mirror_lower, syrk_lower};
use crate::numerics::draw_gaussians;
use crate::numerics::NumericsError;
use crate::rng::Rng;
use faer::col::{ColMut, ColRef};
use faer::{Accum, Mat, MatRef};

/// Features are processed in blocks of this many neurons, so that an $n \times N$ feature
/// matrix is never held whole (memory $n \times$ `FEATURE_BLOCK`).
const FEATURE_BLOCK: usize = 1024;

/// The $N$ random first-layer weights $w_i \sim N(0, I_d/d)$ of a two-layer ReLU net, shared
/// by its RF and NT linearisations.
#[derive(Clone, Debug, PartialEq)]
pub struct ReluFeatures {
    /// $N \times d$, row $i$ is $w_i$.
    w: Mat<f64>,
}

impl ReluFeatures {
    /// Draws $N$ = `n_features` weights $w_i \sim N(0, I_d/d)$ from `rng`: the $d$ normals of
    /// $w_0$ first, then $w_1$, …, so a narrower draw is a prefix of a wider one.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] if `d == 0` or `n_features == 0`.
    pub fn draw(n_features: usize, d: usize, rng: &mut Rng) -> Result<ReluFeatures, NumericsError> {
        if d == 0 || n_features == 0 {
            return Err(NumericsError::InvalidParameter {
                name: if d == 0 { "dimension d" } else { "number of neurons N" },
                value: 0.0,
                requirement: "random features need d ≥ 1 and N ≥ 1",
            });
        }
        let scale = 1.0 / (d as f64).sqrt();
        let mut g = vec![0.0; d];
        let mut w = Mat::<f64>::zeros(n_features, d);
        for i in 0..n_features {
            draw_gaussians(&mut g, rng);
            for (j, gj) in g.iter().enumerate() {
                w[(i, j)] = gj * scale;
            }
        }
        Ok(ReluFeatures { w })
    }

    /// Wraps given weights (rows $w_i$, $N \times d$).
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] if the matrix is empty.
    pub fn from_weights(w: Mat<f64>) -> Result<ReluFeatures, NumericsError> {
        if w.nrows() == 0 || w.ncols() == 0 {
            return Err(NumericsError::InvalidParameter {
                name: if w.ncols() == 0 { "dimension d" } else { "number of neurons N" },
                value: 0.0,
                requirement: "random features need d ≥ 1 and N ≥ 1",
            });
        }
        Ok(ReluFeatures { w })
    }

    /// The number of neurons $N$.
    pub fn n_features(&self) -> usize {
        self.w.nrows()
    }

    /// The input dimension $d$.
    pub fn dim(&self) -> usize {
        self.w.ncols()
    }

    /// The weights, $N \times d$ (row $i$ is $w_i$).
    pub fn weights(&self) -> MatRef<'_, f64> {
        self.w.as_ref()
    }

    /// The RF feature matrix $\Phi_{ij} = \mathrm{relu}(\langle w_j, x_i\rangle)$ ($n \times
    /// N$) of the rows of `x`.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` does not have $d$ columns.
    pub fn rf_features(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>, NumericsError> {
        self.check_dim(x)?;
        Ok(self.activations(x, 0, self.n_features(), relu))
    }

    /// The NT feature matrix of the rows of `x`, $n \times Nd$: column $i d + a$ holds
    /// $\mathbf 1\{\langle w_i, x\rangle > 0\}\, x_a / \sqrt d$, the gradient of a two-layer
    /// ReLU net in its first-layer weights $v_i = \sqrt d\, w_i$ (so that $\Phi\Phi^\top / N$
    /// is [`nt_gram`](Self::nt_gram)). Neuron by neuron: the first $k d$ columns are the
    /// features of the first $k$ neurons, so a narrower NT model is a prefix of the columns.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` does not have $d$ columns.
    pub fn nt_features(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>, NumericsError> {
        self.check_dim(x)?;
        let (n, d) = (x.nrows(), self.dim());
        let s = self.activations(x, 0, self.n_features(), step);
        let scale = 1.0 / (d as f64).sqrt();
        let mut phi = Mat::<f64>::zeros(n, self.n_features() * d);
        for i in 0..self.n_features() {
            let si = s.col_as_slice(i);
            for a in 0..d {
                let xa = x.col(a);
                for (r, out) in phi.col_as_slice_mut(i * d + a).iter_mut().enumerate() {
                    *out = si[r] * xa[r] * scale;
                }
            }
        }
        Ok(phi)
    }

    /// The $n \times m$ RF kernel matrix $K_{\rm RF}(x_i, y_j) = \frac1N \sum_k
    /// \mathrm{relu}(\langle w_k, x_i\rangle)\,\mathrm{relu}(\langle w_k, y_j\rangle)$, by GEMMs
    /// over blocks of neurons.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` or `y` does not have $d$ columns.
    pub fn rf_kernel(
        &self,
        x: MatRef<'_, f64>,
        y: MatRef<'_, f64>,
    ) -> Result<Mat<f64>, NumericsError> {
        self.check_dim(x)?;
        self.check_dim(y)?;
        Ok(self.hidden_kernel(x, y, relu))
    }

    /// The symmetric $n \times n$ RF Gram matrix of the rows of `x`, exactly symmetric
    /// (lower triangle by triangular GEMMs, then mirrored): what [`Krr::factor`] takes.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` does not have $d$ columns.
    pub fn rf_gram(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>, NumericsError> {
        self.check_dim(x)?;
        Ok(self.hidden_gram(x, relu))
    }

    /// The $n \times m$ NT kernel matrix $K_{\rm NT}(x_i, y_j) = \frac{\langle x_i,
    /// y_j\rangle}{d} \cdot \frac1N \sum_k \mathbf 1\{\langle w_k, x_i\rangle > 0\}\,
    /// \mathbf 1\{\langle w_k, y_j\rangle > 0\}$: the Hadamard product of the input Gram
    /// matrix and the Gram matrix of the activation patterns, each by GEMMs. The $n \times
    /// Nd$ NT feature matrix is never formed.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` or `y` does not have $d$ columns.
    pub fn nt_kernel(
        &self,
        x: MatRef<'_, f64>,
        y: MatRef<'_, f64>,
    ) -> Result<Mat<f64>, NumericsError> {
        self.check_dim(x)?;
        self.check_dim(y)?;
        let mut k = self.hidden_kernel(x, y, step);
        let mut g = Mat::<f64>::zeros(x.nrows(), y.nrows());
        gemm(g.as_mut(), Accum::Replace, x, y.transpose(), 1.0 / self.dim() as f64);
        for j in 0..k.ncols() {
            for (kij, gij) in k.col_as_slice_mut(j).iter_mut().zip(g.col_as_slice(j)) {
                *kij *= gij;
            }
        }
        Ok(k)
    }

    /// The symmetric $n \times n$ NT Gram matrix of the rows of `x` (see
    /// [`nt_kernel`](Self::nt_kernel)), exactly symmetric.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` does not have $d$ columns.
    pub fn nt_gram(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>, NumericsError> {
        self.check_dim(x)?;
        let n = x.nrows();
        let mut k = self.hidden_gram(x, step);
        let mut g = Mat::<f64>::zeros(n, n);
        syrk_lower(g.as_mut(), x, 1.0 / self.dim() as f64);
        mirror_lower(g.as_mut());
        for j in 0..n {
            for (kij, gij) in k.col_as_slice_mut(j).iter_mut().zip(g.col_as_slice(j)) {
                *kij *= gij;
            }
        }
        Ok(k)
    }

    /// $\frac1N A_x A_y^\top$ with $A = a(X W^\top)$, accumulated over blocks of neurons.
    fn hidden_kernel(&self, x: MatRef<'_, f64>, y: MatRef<'_, f64>, a: fn(f64) -> f64) -> Mat<f64> {
        let n_feat = self.n_features();
        let mut k = Mat::<f64>::zeros(x.nrows(), y.nrows());
        for start in (0..n_feat).step_by(FEATURE_BLOCK) {
            let len = FEATURE_BLOCK.min(n_feat - start);
            let ax = self.activations(x, start, len, a);
            let ay = self.activations(y, start, len, a);
            gemm(k.as_mut(), Accum::Add, ax.as_ref(), ay.transpose(), 1.0 / n_feat as f64);
        }
        k
    }

    /// $\frac1N A_x A_x^\top$, lower triangle accumulated over blocks of neurons, mirrored.
    fn hidden_gram(&self, x: MatRef<'_, f64>, a: fn(f64) -> f64) -> Mat<f64> {
        let n_feat = self.n_features();
        let mut k = Mat::<f64>::zeros(x.nrows(), x.nrows());
        for start in (0..n_feat).step_by(FEATURE_BLOCK) {
            let len = FEATURE_BLOCK.min(n_feat - start);
            let ax = self.activations(x, start, len, a);
            syrk_lower(k.as_mut(), ax.as_ref(), 1.0 / n_feat as f64);
        }
        mirror_lower(k.as_mut());
        k
    }

    /// $a(X W_{[start, start+len)}^\top)$, $n \times len$.
    fn activations(
        &self,
        x: MatRef<'_, f64>,
        start: usize,
        len: usize,
        a: fn(f64) -> f64,
    ) -> Mat<f64> {
        let mut z = Mat::<f64>::zeros(x.nrows(), len);
        let w = self.w.as_ref().subrows(start, len);
        gemm(z.as_mut(), Accum::Replace, x, w.transpose(), 1.0);
        for j in 0..len {
            for v in z.col_as_slice_mut(j) {
                *v = a(*v);
            }
        }
        z
    }

    fn check_dim(&self, x: MatRef<'_, f64>) -> Result<(), NumericsError> {
        if x.ncols() != self.dim() {
            return Err(NumericsError::DimensionMismatch {
                what: "columns of the points (dimension d of the features)",
                expected: self.dim(),
                found: x.ncols(),
            });
        }
        Ok(())
    }
}

#[inline]
fn relu(z: f64) -> f64 {
    z.max(0.0)
}

/// $\mathrm{relu}'(z) = \mathbf 1\{z > 0\}$ (0 at the kink, a null event).
#[inline]
fn step(z: f64) -> f64 {
    if z > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// Which ridge problem an [`RfRidge`] fit solved: both give the same predictor (push-through
/// identity $\Phi^\top(\Phi\Phi^\top/N + \lambda I_n)^{-1} = (\Phi^\top\Phi/N + \lambda
/// I_N)^{-1}\Phi^\top$), at cost $n^2 N + n^3/3$ (dual) or $n N^2 + N^3/3$ (primal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RfForm {
    /// The dual when $n \le N$, the primal when $n > N$.
    Auto,
    /// $\alpha = (\Phi\Phi^\top/N + \lambda I_n)^{-1} y$, $a = \Phi^\top\alpha / N$.
    Dual,
    /// $a = (\Phi^\top\Phi/N + \lambda I_N)^{-1}\Phi^\top y / N$.
    Primal,
}

/// A random-features ridge regression fit: second-layer weights $a$ with predictor
/// $\hat f(x) = \sum_{i \le N} a_i\, \mathrm{relu}(\langle w_i, x\rangle)$, minimising
/// $\sum_{j \le n} (y_j - \hat f(x_j))^2 + \lambda N \lVert a\rVert^2$, which is KRR with the
/// kernel $K_{\rm RF}$ and absolute ridge $\lambda$.
#[derive(Clone, Debug)]
pub struct RfRidge {
    features: ReluFeatures,
    a: Vec<f64>,
    form: RfForm,
}

impl RfRidge {
    /// Fits on the rows of `x` with targets `y` and absolute ridge $\lambda$, in the dual
    /// when $n \le N$ and the primal otherwise ([`RfForm::Auto`]).
    ///
    /// # Errors
    /// As [`fit_in`](Self::fit_in).
    pub fn fit(
        features: &ReluFeatures,
        x: MatRef<'_, f64>,
        y: &[f64],
        ridge: f64,
    ) -> Result<RfRidge, NumericsError> {
        RfRidge::fit_in(features, x, y, ridge, RfForm::Auto)
    }

    /// Fits in the given form (see [`RfForm`]).
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x` does not have $d$ columns or `y` not $n$
    /// entries; the errors of [`Krr::factor`] (a negative or non-finite ridge, a system that
    /// is not positive definite, e.g. $\lambda = 0$ with $n > N$ in the dual).
    pub fn fit_in(
        features: &ReluFeatures,
        x: MatRef<'_, f64>,
        y: &[f64],
        ridge: f64,
        form: RfForm,
    ) -> Result<RfRidge, NumericsError> {
        features.check_dim(x)?;
        let (n, n_feat) = (x.nrows(), features.n_features());
        if y.len() != n {
            return Err(NumericsError::DimensionMismatch {
                what: "targets y (one per training point)",
                expected: n,
                found: y.len(),
            });
        }
        let form = match form {
            RfForm::Auto if n <= n_feat => RfForm::Dual,
            RfForm::Auto => RfForm::Primal,
            other => other,
        };
        let phi = features.rf_features(x)?;
        let inv_n = 1.0 / n_feat as f64;
        let mut a = vec![0.0; n_feat];
        match form {
            RfForm::Dual => {
                let krr = Krr::factor(features.rf_gram(x)?, ridge)?;
                let alpha = krr.coefficients(n, y)?;
                gemm(
                    ColMut::from_slice_mut(&mut a).as_mat_mut(),
                    Accum::Replace,
                    phi.transpose(),
                    ColRef::from_slice(&alpha).as_mat(),
                    inv_n,
                );
            }
            _ => {
                let mut gram = Mat::<f64>::zeros(n_feat, n_feat);
                syrk_lower(gram.as_mut(), phi.transpose(), inv_n);
                let mut b = vec![0.0; n_feat];
                gemm(
                    ColMut::from_slice_mut(&mut b).as_mat_mut(),
                    Accum::Replace,
                    phi.transpose(),
                    ColRef::from_slice(y).as_mat(),
                    inv_n,
                );
                a = Krr::factor(gram, ridge)?.coefficients(n_feat, &b)?;
            }
        }
        Ok(RfRidge { features: features.clone(), a, form })
    }

    /// The fitted second-layer weights $a$ ($N$ entries).
    pub fn second_layer(&self) -> &[f64] {
        &self.a
    }

    /// The form that was solved ([`RfForm::Dual`] or [`RfForm::Primal`]).
    pub fn form(&self) -> RfForm {
        self.form
    }

    /// Predictions $\hat f(t_j) = \sum_i a_i\,\mathrm{relu}(\langle w_i, t_j\rangle)$ at the rows
    /// of `x_test`.
    ///
    /// # Errors
    /// [`NumericsError::DimensionMismatch`] if `x_test` does not have $d$ columns.
    pub fn predict(&self, x_test: MatRef<'_, f64>) -> Result<Vec<f64>, NumericsError> {
        let phi = self.features.rf_features(x_test)?;
        let mut f = vec![0.0; x_test.nrows()];
        gemm(
            ColMut::from_slice_mut(&mut f).as_mat_mut(),
            Accum::Replace,
            phi.as_ref(),
            ColRef::from_slice(&self.a).as_mat(),
            1.0,
        );
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::{gram_matrix, kernel_matrix, sphere_points, InnerProductKernel};
    use crate::rng::rng_from_u64;

    fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
        let mut m = 0.0f64;
        for j in 0..a.ncols() {
            for i in 0..a.nrows() {
                m = m.max((a[(i, j)] - b[(i, j)]).abs());
            }
        }
        m
    }

    #[test]
    fn wide_rf_and_nt_kernels_converge_to_the_relu_kernels() {
        let mut rng = rng_from_u64(9);
        let d = 16;
        let x = sphere_points(40, d, &mut rng).unwrap();
        let t = sphere_points(7, d, &mut rng).unwrap();
        let features = ReluFeatures::draw(20_000, d, &mut rng).unwrap();
        let rf_limit = InnerProductKernel::ReluArcCosine;
        let nt_limit = InnerProductKernel::ReluNtk { second_layer: false };
        // Entries have fluctuations ~ 0.5/sqrt(N) = 0.0035; the max over ~1000 entries
        // stays within 0.03.
        let rf = features.rf_gram(x.as_ref()).unwrap();
        let nt = features.nt_gram(x.as_ref()).unwrap();
        assert!(max_abs_diff(&rf, &gram_matrix(&rf_limit, x.as_ref()).unwrap()) < 0.03);
        assert!(max_abs_diff(&nt, &gram_matrix(&nt_limit, x.as_ref()).unwrap()) < 0.03);
        let rf_xt = features.rf_kernel(t.as_ref(), x.as_ref()).unwrap();
        let nt_xt = features.nt_kernel(t.as_ref(), x.as_ref()).unwrap();
        let want_rf = kernel_matrix(&rf_limit, t.as_ref(), x.as_ref()).unwrap();
        let want_nt = kernel_matrix(&nt_limit, t.as_ref(), x.as_ref()).unwrap();
        assert!(max_abs_diff(&rf_xt, &want_rf) < 0.03);
        assert!(max_abs_diff(&nt_xt, &want_nt) < 0.03);
        // And a narrow net is visibly off (the check has power).
        let narrow = ReluFeatures::draw(20, d, &mut rng).unwrap();
        let rf_narrow = narrow.rf_gram(x.as_ref()).unwrap();
        assert!(max_abs_diff(&rf_narrow, &gram_matrix(&rf_limit, x.as_ref()).unwrap()) > 0.05);
    }

    #[test]
    fn kernels_match_their_feature_definitions() {
        // Across a feature-block boundary: N = FEATURE_BLOCK + 3.
        let mut rng = rng_from_u64(10);
        let d = 3;
        let x = sphere_points(5, d, &mut rng).unwrap();
        let y = sphere_points(4, d, &mut rng).unwrap();
        let features = ReluFeatures::draw(FEATURE_BLOCK + 3, d, &mut rng).unwrap();
        let n_feat = features.n_features();
        let w = features.weights();
        let pre =
            |p: &Mat<f64>, i: usize, k: usize| (0..d).map(|l| p[(i, l)] * w[(k, l)]).sum::<f64>();
        let rf = features.rf_kernel(x.as_ref(), y.as_ref()).unwrap();
        let nt = features.nt_kernel(x.as_ref(), y.as_ref()).unwrap();
        for i in 0..5 {
            for j in 0..4 {
                let (mut want_rf, mut want_nt) = (0.0, 0.0);
                for k in 0..n_feat {
                    let (zx, zy) = (pre(&x, i, k), pre(&y, j, k));
                    want_rf += zx.max(0.0) * zy.max(0.0);
                    want_nt += step(zx) * step(zy);
                }
                let s: f64 = (0..d).map(|l| x[(i, l)] * y[(j, l)]).sum::<f64>() / d as f64;
                want_rf /= n_feat as f64;
                want_nt *= s / n_feat as f64;
                assert!((rf[(i, j)] - want_rf).abs() < 1e-12);
                assert!((nt[(i, j)] - want_nt).abs() < 1e-12);
            }
        }
        let g = features.nt_gram(x.as_ref()).unwrap();
        let k = features.nt_kernel(x.as_ref(), x.as_ref()).unwrap();
        assert!(max_abs_diff(&g, &k) < 1e-12);
        assert_eq!(g, g.transpose().to_owned());
    }

    #[test]
    fn dual_and_primal_fits_agree_and_match_krr() {
        let mut rng = rng_from_u64(11);
        let d = 5;
        let features = ReluFeatures::draw(30, d, &mut rng).unwrap();
        let t = sphere_points(11, d, &mut rng).unwrap();
        for n in [20, 50] {
            let x = sphere_points(n, d, &mut rng).unwrap();
            let y: Vec<f64> = (0..n).map(|i| x[(i, 0)] + x[(i, 1)] * x[(i, 2)]).collect();
            let ridge = 0.05;
            let dual = RfRidge::fit_in(&features, x.as_ref(), &y, ridge, RfForm::Dual).unwrap();
            let primal = RfRidge::fit_in(&features, x.as_ref(), &y, ridge, RfForm::Primal).unwrap();
            let auto = RfRidge::fit(&features, x.as_ref(), &y, ridge).unwrap();
            assert_eq!(auto.form(), if n <= 30 { RfForm::Dual } else { RfForm::Primal });
            let (fd, fp) = (dual.predict(t.as_ref()).unwrap(), primal.predict(t.as_ref()).unwrap());
            // KRR with the finite-width kernel predicts the same.
            let krr = Krr::factor(features.rf_gram(x.as_ref()).unwrap(), ridge).unwrap();
            let kt = features.rf_kernel(t.as_ref(), x.as_ref()).unwrap();
            let fk = krr.predict(n, kt.as_ref(), &y).unwrap();
            for j in 0..11 {
                assert!((fd[j] - fp[j]).abs() < 1e-9 * (1.0 + fp[j].abs()), "n = {n}");
                assert!((fd[j] - fk[j]).abs() < 1e-9 * (1.0 + fk[j].abs()), "n = {n}");
            }
        }
    }

    #[test]
    fn bad_shapes_are_errors() {
        let mut rng = rng_from_u64(12);
        assert!(ReluFeatures::draw(0, 3, &mut rng).is_err());
        assert!(ReluFeatures::draw(3, 0, &mut rng).is_err());
        assert!(ReluFeatures::from_weights(Mat::zeros(0, 3)).is_err());
        let features = ReluFeatures::draw(4, 3, &mut rng).unwrap();
        let x = Mat::<f64>::zeros(5, 2);
        assert!(features.rf_gram(x.as_ref()).is_err());
        assert!(features.nt_kernel(x.as_ref(), x.as_ref()).is_err());
        let x = sphere_points(5, 3, &mut rng).unwrap();
        assert!(RfRidge::fit(&features, x.as_ref(), &[1.0; 4], 0.1).is_err());
        assert!(RfRidge::fit(&features, x.as_ref(), &[1.0; 5], -0.1).is_err());
        let fit = RfRidge::fit(&features, x.as_ref(), &[1.0; 5], 0.1).unwrap();
        assert!(fit.predict(Mat::<f64>::zeros(2, 4).as_ref()).is_err());
    }
}
