//! Theorem modules, one per theorem (a file, or a directory with its docs in `mod.rs`), each
//! named after its card's id.
//!
//! **Architecture Invariant:** modules here do no IO, read no environment, print nothing, and
//! get random numbers only from the generator the harness hands to `trial`.

mod backward_feature_correction;
mod depth_advantage;
mod depth_approximation;
mod depth_efficiency_square;
mod double_descent;
mod information_exponent;
mod kernel_barrier;
mod lazy_training;

pub use backward_feature_correction::{
    BackwardFeatureCorrection, BackwardFeatureCorrectionParams, FeatureGapParams,
    KernelPlateauParams, SamplesParams,
};
pub use depth_advantage::{mehler_gram, DepthAdvantage, DepthAdvantageParams, LinkFamily};
pub use depth_approximation::{
    DepthApproximation, DepthApproximationParams, FreeKnot, NadarayaWatson, Target,
};
pub use depth_efficiency_square::{DepthEfficiencySquare, DepthEfficiencySquareParams, SupGrid};
pub use double_descent::{DoubleDescent, DoubleDescentParams, RfPeakDesign, VarianceDesign};
pub use information_exponent::{InformationExponent, InformationExponentParams, SgdSetting};
pub use kernel_barrier::{
    KernelBarrier, KernelBarrierParams, KernelChoice, Measure, ThresholdScale,
};
pub use lazy_training::{
    LazyTraining, LazyTrainingParams, LinearRate, RateDeviation, ScaleSweep, WidthSweep,
};
