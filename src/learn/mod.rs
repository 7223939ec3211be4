//! Kernel learners of the kernel barrier (Ghorbani, Mei, Misiakiewicz, Montanari,
//! arXiv:1904.12191v3; the derivations are in `docs/theory/kernel-barrier.md`): points
//! uniform on $S^{d-1}(\sqrt d)$, inner-product kernels and their matrices, kernel ridge
//! regression solved for every prefix of the training set from one Cholesky factor, and the
//! finite-width random-features and neural-tangent models of a two-layer ReLU net.
//!
//! A sample-size sweep at fixed $d$ reads
//! ```
//! use thm::learn::{gram_matrix, kernel_matrix, sphere_points, InnerProductKernel, Krr};
//! use thm::rng::rng_from_u64;
//!
//! let mut rng = rng_from_u64(1);
//! let (d, n_max) = (8, 200);
//! let x = sphere_points(n_max, d, &mut rng)?;
//! let test = sphere_points(50, d, &mut rng)?;
//! let y: Vec<f64> = (0..n_max).map(|i| x[(i, 0)] * x[(i, 1)]).collect();
//! let kernel = InnerProductKernel::Exponential;
//! let krr = Krr::factor(gram_matrix(&kernel, x.as_ref())?, 1e-6)?;
//! let k_test = kernel_matrix(&kernel, test.as_ref(), x.as_ref())?;
//! for n in [25, 50, 100, 200] {
//!     let f_hat = krr.predict(n, k_test.as_ref(), &y[..n])?;
//!     assert_eq!(f_hat.len(), 50);
//! }
//! // A prefix longer than the factored set is an error, not a panic.
//! assert!(krr.coefficients(201, &[0.0; 201]).is_err());
//! # Ok::<(), thm::numerics::NumericsError>(())
//! ```
//!
//! **Architecture Invariant:** pure numerics as in `sim/`: no IO, no printing, no generator
//! built here (a `&mut Rng` is passed in); dense algebra is faer with `Par::Seq` only
//! (parallelism is across trials). Bad shapes or parameters are a
//! [`NumericsError`](crate::numerics::NumericsError), never a panic.

pub mod eigenlearning;
pub mod gaussian_population;
pub mod kernels;
pub mod krr;
pub mod least_squares;
pub mod population;
pub mod primal;
pub mod random_features;
pub mod spectral;
pub mod sphere;
pub mod width_equivalent;

pub use gaussian_population::GaussianPopulation;
pub use kernels::{gram_matrix, kernel_matrix, InnerProductKernel};
pub use krr::Krr;
pub use least_squares::ridge_fit;
pub use population::RfPopulation;
pub use primal::PrefixRidge;
pub use random_features::{ReluFeatures, RfForm, RfRidge};
pub use spectral::HermiteMoment;
pub use sphere::sphere_points;
