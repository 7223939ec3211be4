//! Theorem modules, one per theorem (a file, or a directory with its docs in `mod.rs`), each
//! named after its card's id.
//!
//! **Architecture Invariant:** modules here do no IO, read no environment, print nothing, and
//! get random numbers only from the generator the harness hands to `trial`.

/// The one list of theorems: each line `module::Type = "id"` declares the module (a file or a
/// directory under `src/theorems/`), re-exports its type, registers it in [`THEOREMS`] and
/// compiles its card `theorems/<id>.toml` into [`BUILTIN_CARDS`], both in this order (the
/// order of `thm check`'s output). `build.rs` generates the snapshot tests of the cards'
/// claims (`tests/it/theorems.rs`); `tests/it/tidy.rs` checks that cards, modules and
/// snapshots agree with this list.
macro_rules! registry {
    ($($module:ident :: $theorem:ident = $id:literal,)+) => {
        $(mod $module;)+
        $(pub use $module::$theorem;)+

        /// Every registered theorem module, in registry order.
        pub static THEOREMS: &[&dyn crate::theorem::Theorem] = &[$(&$theorem,)+];

        /// The built-in cards as (id, text), in registry order, compiled into the binary so
        /// `thm` runs from any directory.
        pub static BUILTIN_CARDS: &[(&str, &str)] =
            &[$(($id, include_str!(concat!("../../theorems/", $id, ".toml"))),)+];
    };
}

registry! {
    information_exponent::InformationExponent = "information-exponent",
    depth_efficiency_square::DepthEfficiencySquare = "depth-efficiency-square",
    kernel_barrier::KernelBarrier = "kernel-barrier",
    double_descent::DoubleDescent = "double-descent",
    depth_approximation::DepthApproximation = "depth-approximation",
    lazy_training::LazyTraining = "lazy-training",
    depth_advantage::DepthAdvantage = "depth-advantage",
    backward_feature_correction::BackwardFeatureCorrection = "backward-feature-correction",
}

// The other public types of the modules (parameters, designs), for the docs and the tests.
pub use backward_feature_correction::{
    BackwardFeatureCorrectionParams, FeatureGapParams, KernelPlateauParams, SamplesParams,
};
pub use depth_advantage::{fig2_errors_n, Fig2Design, Fig2Errors};
pub use depth_advantage::{mehler_gram, DepthAdvantageParams, LinkFamily};
pub use depth_approximation::{DepthApproximationParams, FreeKnot, NadarayaWatson, Target};
pub use depth_efficiency_square::{DepthEfficiencySquareParams, SupGrid};
pub use double_descent::{DoubleDescentParams, RfPeakDesign, VarianceDesign};
pub use information_exponent::{InformationExponentParams, SgdSetting};
pub use kernel_barrier::{KernelBarrierParams, KernelChoice, Measure, ThresholdScale};
pub use lazy_training::{LazyTrainingParams, LinearRate, RateDeviation, ScaleSweep, WidthSweep};
