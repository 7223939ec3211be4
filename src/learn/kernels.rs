//! Inner-product kernels $K(x, y) = h(\langle x, y \rangle / d)$ on $S^{d-1}(\sqrt d)$, and
//! their kernel matrices built by one GEMM followed by an element-wise map.
//!
//! On the sphere every kernel here is a function of $s = \langle x, y \rangle / d \in [-1, 1]$
//! only; its degree-$k$ mass tends to $h^{(k)}(0)/k!$ as $d \to \infty$ (the Taylor
//! coefficient of $h$; see [`crate::special::energies`]), which is what sets the effective ridge
//! of each degree. The two ReLU kernels are the
//! infinite-width limits of the random-features and neural-tangent models of
//! [`crate::learn::random_features`].
//!
//! Off the sphere the ReLU kernels take their positively homogeneous form (what the
//! expectation over the weights gives for any $x, y$); the polynomial and exponential kernels
//! stay functions of $\langle x, y\rangle / d$.

use crate::numerics::dense::{gemm, mirror_lower};
use crate::numerics::NumericsError;
use faer::{Accum, Mat, MatRef};
use std::f64::consts::PI;

/// An inner-product kernel $K(x, y) = h(s)$, $s = \langle x, y \rangle / d$, on
/// $S^{d-1}(\sqrt d)$. With $\theta = \arccos s$:
///
/// | variant | $h(s)$ |
/// |---|---|
/// | `ReluArcCosine` | $\frac{1}{2\pi}\big(\sin\theta + (\pi - \theta)\cos\theta\big)$ |
/// | `ReluNtk { second_layer: false }` | $s\,\frac{\pi - \theta}{2\pi}$ |
/// | `ReluNtk { second_layer: true }` | the sum of the two rows above |
/// | `Polynomial { degree, c }` | $(s + c)^{\text{degree}}$ |
/// | `Exponential` | $e^{s}$ |
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InnerProductKernel {
    /// The random-features kernel of a two-layer ReLU net,
    /// $K(x,y) = \mathbb E_{w \sim N(0, I_d/d)}[\mathrm{relu}(\langle w,x\rangle)\,
    /// \mathrm{relu}(\langle w,y\rangle)] = \frac{\lVert x\rVert \lVert y\rVert}{d}\,
    /// \frac{1}{2\pi}\big(\sin\theta + (\pi-\theta)\cos\theta\big)$, $\cos\theta =
    /// \frac{\langle x,y\rangle}{\lVert x\rVert\lVert y\rVert}$.
    ///
    /// This is half the arc-cosine kernel of order 1 of Cho & Saul (*Kernel methods for deep
    /// learning*, NeurIPS 2009), which takes $w \sim N(0, I_d)$ and a factor 2:
    /// $k_1 = \frac1\pi \lVert x\rVert\lVert y\rVert (\sin\theta + (\pi-\theta)\cos\theta)$.
    /// Here $h(1) = 1/2 = \mathbb E\,\mathrm{relu}(z)^2$ and $h(0) = 1/(2\pi)$, the squared
    /// Hermite coefficient $c_0^2$ of relu.
    ReluArcCosine,
    /// The neural tangent kernel of a two-layer ReLU net $f(x) = \frac{1}{\sqrt N}\sum_i a_i\,
    /// \mathrm{relu}(\langle w_i, x\rangle)$ at $w_i \sim N(0, I_d/d)$, $a_i^2 = 1$, with the
    /// first-layer gradient taken in $v_i = \sqrt d\, w_i$:
    /// $K_{\rm NT}(x,y) = \frac{\langle x,y\rangle}{d}\,\mathbb E_w[\mathrm{relu}'(\langle
    /// w,x\rangle)\,\mathrm{relu}'(\langle w,y\rangle)] = \frac{\langle x,y\rangle}{d}\,
    /// \frac{\pi - \theta}{2\pi}$ (the kernel of the NT model of Ghorbani, Mei, Misiakiewicz,
    /// Montanari, arXiv:1904.12191v3). With `second_layer` the second-layer part (the
    /// [`ReluArcCosine`](Self::ReluArcCosine) kernel) is added: the NTK when both layers train.
    ReluNtk {
        /// Whether to add the second-layer part $K_{\rm RF}$.
        second_layer: bool,
    },
    /// $(s + c)^{\text{degree}}$; positive definite on every sphere for $c \ge 0$ (all its
    /// Taylor coefficients in $s$ are then $\ge 0$; Schoenberg 1942).
    Polynomial {
        /// The degree $p$.
        degree: u32,
        /// The offset $c \ge 0$.
        c: f64,
    },
    /// $e^{s}$, the kernel of `kernel-barrier`'s staircase claims: as $d \to \infty$ every
    /// degree $k$ has mass $1/k!$, none vanishes.
    Exponential,
}

impl InnerProductKernel {
    /// $h(s)$ for points on $S^{d-1}(\sqrt d)$, with $s = \langle x, y\rangle/d$ (see the
    /// table on [`InnerProductKernel`]). For the ReLU kernels $s$ is clamped to $[-1, 1]$
    /// before $\arccos$, so rounding just outside the sphere gives no NaN.
    #[inline]
    pub fn eval(&self, s: f64) -> f64 {
        self.eval_with_norms(s, 1.0)
    }

    /// $K(x, y)$ from $g = \langle x, y\rangle/d$ and $r = \lVert x\rVert\lVert y\rVert/d$
    /// ($r = 1$ on the sphere).
    #[inline]
    fn eval_with_norms(&self, g: f64, r: f64) -> f64 {
        match *self {
            InnerProductKernel::ReluArcCosine => {
                if r == 0.0 {
                    return 0.0;
                }
                let (cos, theta) = cos_and_angle(g, r);
                r * arc_cosine_1(cos, theta)
            }
            InnerProductKernel::ReluNtk { second_layer } => {
                if r == 0.0 {
                    return 0.0;
                }
                let (cos, theta) = cos_and_angle(g, r);
                let first = g * (PI - theta) * (0.5 / PI);
                if second_layer {
                    first + r * arc_cosine_1(cos, theta)
                } else {
                    first
                }
            }
            // `validate` keeps the degree within i32.
            InnerProductKernel::Polynomial { degree, c } => (g + c).powi(degree as i32),
            InnerProductKernel::Exponential => g.exp(),
        }
    }

    /// Checks the parameters: for `Polynomial`, $c$ finite and $\ge 0$ (positive
    /// definiteness) and degree $\le 2^{31} - 1$.
    ///
    /// # Errors
    /// [`NumericsError::InvalidParameter`] naming the parameter.
    pub fn validate(&self) -> Result<(), NumericsError> {
        if let InnerProductKernel::Polynomial { degree, c } = *self {
            if !(c.is_finite() && c >= 0.0) {
                return Err(NumericsError::InvalidParameter {
                    name: "polynomial kernel offset c",
                    value: c,
                    requirement: "(s + c)^p is positive definite on every sphere only for \
                                  finite c ≥ 0",
                });
            }
            if i32::try_from(degree).is_err() {
                return Err(NumericsError::InvalidParameter {
                    name: "polynomial kernel degree p",
                    value: f64::from(degree),
                    requirement: "it must be at most 2^31 - 1",
                });
            }
        }
        Ok(())
    }
}

/// $\cos\theta = \mathrm{clamp}(g / r, -1, 1)$ and $\theta = \arccos(\cos\theta)$.
#[inline]
fn cos_and_angle(g: f64, r: f64) -> (f64, f64) {
    let cos = (g / r).clamp(-1.0, 1.0);
    (cos, cos.acos())
}

/// $\frac{1}{2\pi}(\sin\theta + (\pi - \theta)\cos\theta)$, with $\sin\theta =
/// \sqrt{1 - \cos^2\theta}$ ($\theta \in [0, \pi]$).
#[inline]
fn arc_cosine_1(cos: f64, theta: f64) -> f64 {
    let sin = (1.0 - cos * cos).max(0.0).sqrt();
    (sin + (PI - theta) * cos) * (0.5 / PI)
}

/// The $n \times m$ kernel matrix $K_{ij} = K(x_i, y_j)$ between the rows of `x` ($n \times
/// d$) and of `y` ($m \times d$).
///
/// One GEMM $G = X Y^\top / d$ (faer, `Par::Seq`, then
/// [`clear_avx_upper`](crate::numerics::clear_avx_upper)), then the element-wise map
/// $K_{ij} = h(G_{ij})$ (on the sphere; off it the ReLU kernels use the norms, see the module
/// doc). Cost $2nmd$ flops plus $nm$ evaluations of $h$.
///
/// # Errors
/// [`NumericsError::DimensionMismatch`] if `x` and `y` have different numbers of columns;
/// [`NumericsError::InvalidParameter`] if $d = 0$ or the kernel fails
/// [`InnerProductKernel::validate`].
pub fn kernel_matrix(
    kernel: &InnerProductKernel,
    x: MatRef<'_, f64>,
    y: MatRef<'_, f64>,
) -> Result<Mat<f64>, NumericsError> {
    let d = check_points(kernel, x, y)?;
    let mut k = Mat::<f64>::zeros(x.nrows(), y.nrows());
    gemm(k.as_mut(), Accum::Replace, x, y.transpose(), 1.0 / d as f64);
    let (rx, ry) = (scaled_norms(x), scaled_norms(y));
    for (j, ryj) in ry.iter().enumerate() {
        for (kij, rxi) in k.col_as_slice_mut(j).iter_mut().zip(&rx) {
            *kij = kernel.eval_with_norms(*kij, rxi * ryj);
        }
    }
    Ok(k)
}

/// The symmetric $n \times n$ Gram matrix $K_{ij} = K(x_i, x_j)$ of the rows of `x`: as
/// [`kernel_matrix`]`(kernel, x, x)`, but $h$ is evaluated on the lower triangle only and
/// mirrored, so the result is exactly symmetric and the map costs half.
///
/// # Errors
/// As [`kernel_matrix`].
pub fn gram_matrix(
    kernel: &InnerProductKernel,
    x: MatRef<'_, f64>,
) -> Result<Mat<f64>, NumericsError> {
    let d = check_points(kernel, x, x)?;
    let n = x.nrows();
    let mut k = Mat::<f64>::zeros(n, n);
    gemm(k.as_mut(), Accum::Replace, x, x.transpose(), 1.0 / d as f64);
    let r = scaled_norms(x);
    for j in 0..n {
        let rj = r[j];
        for (kij, ri) in k.col_as_slice_mut(j)[j..].iter_mut().zip(&r[j..]) {
            *kij = kernel.eval_with_norms(*kij, ri * rj);
        }
    }
    mirror_lower(k.as_mut());
    Ok(k)
}

/// The shared shape and parameter checks; returns $d$.
fn check_points(
    kernel: &InnerProductKernel,
    x: MatRef<'_, f64>,
    y: MatRef<'_, f64>,
) -> Result<usize, NumericsError> {
    kernel.validate()?;
    if x.ncols() != y.ncols() {
        return Err(NumericsError::DimensionMismatch {
            what: "columns of the second point set (dimension d of the first)",
            expected: x.ncols(),
            found: y.ncols(),
        });
    }
    if x.ncols() == 0 {
        return Err(NumericsError::InvalidParameter {
            name: "dimension d",
            value: 0.0,
            requirement: "an inner-product kernel ⟨x,y⟩/d needs d ≥ 1",
        });
    }
    Ok(x.ncols())
}

/// $\lVert x_i \rVert / \sqrt d$ for each row $x_i$ (1 on the sphere), summed column by column.
fn scaled_norms(x: MatRef<'_, f64>) -> Vec<f64> {
    let mut acc = vec![0.0; x.nrows()];
    for j in 0..x.ncols() {
        let col = x.col(j);
        for (a, v) in acc.iter_mut().zip(col.iter()) {
            *a += v * v;
        }
    }
    let inv_d = 1.0 / x.ncols() as f64;
    acc.iter().map(|a| (a * inv_d).sqrt()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::sphere_points;
    use crate::rng::rng_from_u64;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn closed_forms_at_known_angles() {
        let rf = InnerProductKernel::ReluArcCosine;
        assert!(close(rf.eval(1.0), 0.5, 1e-15));
        assert!(close(rf.eval(0.0), 1.0 / (2.0 * PI), 1e-15));
        assert!(close(rf.eval(-1.0), 0.0, 1e-15));
        let nt = InnerProductKernel::ReluNtk { second_layer: false };
        assert!(close(nt.eval(1.0), 0.5, 1e-15));
        assert!(close(nt.eval(0.0), 0.0, 1e-15));
        assert!(close(nt.eval(-1.0), 0.0, 1e-15));
        // s = 1/2: theta = pi/3, so (pi - theta)/(2 pi) = 1/3.
        assert!(close(nt.eval(0.5), 0.5 / 3.0, 1e-15));
        let ntk = InnerProductKernel::ReluNtk { second_layer: true };
        assert!(close(ntk.eval(0.5), nt.eval(0.5) + rf.eval(0.5), 1e-15));
        // Rounding beyond the sphere is clamped, not NaN.
        assert!(close(rf.eval(1.0 + 1e-15), 0.5, 1e-14));
        assert!(nt.eval(-1.0 - 1e-15).is_finite());
        let poly = InnerProductKernel::Polynomial { degree: 3, c: 1.0 };
        assert!(close(poly.eval(0.5), 3.375, 1e-15));
        assert!(close(InnerProductKernel::Exponential.eval(0.5), 0.5f64.exp(), 1e-15));
    }

    #[test]
    fn arc_cosine_matches_the_relu_hermite_series() {
        // E[relu(u) relu(v)] at correlation s is sum_k c_k^2 s^k with the relu energies of
        // docs/theory/conventions.md: c0^2 = 1/(2 pi), c1^2 = 1/4, c2^2 = 1/(4 pi), and for even
        // k >= 2, c_k^2 = ((k-3)!!)^2 / (2 pi k!), so c_{k+2}^2 / c_k^2 = (k-1)^2/((k+1)(k+2)).
        let rf = InnerProductKernel::ReluArcCosine;
        for s in [-0.9, -0.3, 0.2, 0.7] {
            let mut series = 1.0 / (2.0 * PI) + 0.25 * s;
            let mut ck2 = 1.0 / (4.0 * PI);
            let mut sk = s * s;
            for k in (2..2000).step_by(2) {
                series += ck2 * sk;
                ck2 *= ((k - 1) * (k - 1)) as f64 / ((k + 1) * (k + 2)) as f64;
                sk *= s * s;
            }
            assert!(close(rf.eval(s), series, 1e-12), "s = {s}: {} vs {series}", rf.eval(s));
        }
    }

    #[test]
    fn gram_matrix_equals_the_kernel_matrix_and_direct_evaluation() {
        let x = sphere_points(37, 5, &mut rng_from_u64(6)).unwrap();
        let kernels = [
            InnerProductKernel::ReluArcCosine,
            InnerProductKernel::ReluNtk { second_layer: true },
            InnerProductKernel::Polynomial { degree: 2, c: 0.5 },
            InnerProductKernel::Exponential,
        ];
        for kernel in kernels {
            // h of the NT kernel has an infinite slope at s = 1 (arccos), so on the diagonal a
            // rounding of s by 1e-16 moves it by ~1e-8.
            let tol =
                if matches!(kernel, InnerProductKernel::ReluNtk { .. }) { 1e-7 } else { 1e-12 };
            let g = gram_matrix(&kernel, x.as_ref()).unwrap();
            let k = kernel_matrix(&kernel, x.as_ref(), x.as_ref()).unwrap();
            for i in 0..37 {
                for j in 0..37 {
                    assert_eq!(g[(i, j)], g[(j, i)]);
                    let s: f64 = (0..5).map(|l| x[(i, l)] * x[(j, l)]).sum::<f64>() / 5.0;
                    assert!(close(g[(i, j)], kernel.eval(s), tol), "{kernel:?}");
                    assert!(close(k[(i, j)], g[(i, j)], tol), "{kernel:?}");
                }
            }
        }
    }

    #[test]
    fn relu_kernels_off_the_sphere_are_positively_homogeneous() {
        let x = Mat::from_fn(2, 3, |i, j| [[1.0, 2.0, -0.5], [0.3, -1.0, 2.0]][i][j]);
        let y = Mat::from_fn(2, 3, |i, j| 2.5 * x[(i, j)]);
        for kernel in
            [InnerProductKernel::ReluArcCosine, InnerProductKernel::ReluNtk { second_layer: false }]
        {
            let kx = kernel_matrix(&kernel, x.as_ref(), x.as_ref()).unwrap();
            let kxy = kernel_matrix(&kernel, x.as_ref(), y.as_ref()).unwrap();
            for i in 0..2 {
                for j in 0..2 {
                    // 1e-7: the NT kernel's infinite slope at angle 0 (see above).
                    assert!(close(kxy[(i, j)], 2.5 * kx[(i, j)], 1e-7));
                }
            }
        }
        // A zero point has zero ReLU kernel, not NaN.
        let z = Mat::<f64>::zeros(1, 3);
        let kz = kernel_matrix(&InnerProductKernel::ReluArcCosine, z.as_ref(), x.as_ref());
        assert_eq!(kz.unwrap()[(0, 1)], 0.0);
    }

    #[test]
    fn bad_shapes_and_parameters_are_errors() {
        let x = Mat::<f64>::zeros(3, 4);
        let y = Mat::<f64>::zeros(2, 5);
        let e = InnerProductKernel::Exponential;
        assert!(matches!(
            kernel_matrix(&e, x.as_ref(), y.as_ref()),
            Err(NumericsError::DimensionMismatch { expected: 4, found: 5, .. })
        ));
        let empty = Mat::<f64>::zeros(3, 0);
        assert!(gram_matrix(&e, empty.as_ref()).is_err());
        let bad = InnerProductKernel::Polynomial { degree: 2, c: -1.0 };
        assert!(gram_matrix(&bad, x.as_ref()).is_err());
        let nan = InnerProductKernel::Polynomial { degree: 2, c: f64::NAN };
        assert!(nan.validate().is_err());
    }
}
