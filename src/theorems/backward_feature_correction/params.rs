//! The card's parameters of a claim: what it measures, the target, the learner and the budgets.

use serde::{Deserialize, Serialize};

/// What a claim measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcMeasure {
    /// `bfc`: $\ln(E_1^A/E_1^B) - \ln c$ at each $r$ (sizes are $1000 r$).
    FeatureGap,
    /// `deep-learns-poly`: the fresh samples $n^*$ the jointly trained network needs to reach
    /// relative test error $\tau$ (sizes are $d$).
    Samples,
    /// `kernel-gap`: the KRR test error at $n = \lfloor c B(d,4)\rfloor$ minus the kernel
    /// lower bound $e_4(d)(1 - n/B(d,4))$, in percent of $\mathrm{Var} f^*$ (sizes are $d$).
    KernelPlateau,
}

/// The rotation-invariant kernel $h(\langle x, y\rangle/d)$ of a `kernel-plateau` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcKernel {
    /// $e^{s}$ (the kernel of check K-A and the staircase claims).
    Exponential,
    /// $\cosh s$, the even part of $e^s$: the target has only even Hermite degrees, and the
    /// odd degrees of $e^s$ (about $d^3/6$ directions of degree 3) only fit noise.
    EvenExponential,
}

impl BfcKernel {
    pub(super) fn h(self, s: f64) -> f64 {
        match self {
            BfcKernel::Exponential => s.exp(),
            BfcKernel::EvenExponential => s.cosh(),
        }
    }
}

/// Parameters of one claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackwardFeatureCorrectionParams {
    /// What the claim measures.
    pub measure: BfcMeasure,
    /// $L$, the number of levels of the target and the network (H1).
    pub depth: u32,
    /// Input dimension $d$ (H2; `feature-gap` only: `samples` sweeps $d$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dim: Option<u32>,
    /// Features per level $k$ (H2).
    pub features: u32,
    /// Widths $m_1, \dots, m_L$ (H3; none for `kernel-plateau`, H11).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub widths: Vec<u32>,
    /// Initial scales $\varsigma_l$ per level (H4; none for `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_scales: Vec<f64>,
    /// The SGD step in units of $1/d$: $\eta = $ `step`$/d$ (H4; none for `kernel-plateau`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub step: f64,
    /// Mini-batch size (H4; none for `kernel-plateau`).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub batch: u32,
    /// $T_1$: steps of the common level-1 phase (H5; `feature-gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level1_steps: Option<u32>,
    /// $T_2$: steps of each schedule after it (H5; `feature-gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_steps: Option<u32>,
    /// $c$: the claimed factor $E_1^A/E_1^B \ge c$ (H6; `feature-gap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// $r = \alpha_2/\alpha_1$ of the target (H7; `samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// $\tau$: the relative test error $E(\hat f - f^*)^2 / E f^{*2}$ to reach (H7; `samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_level: Option<f64>,
    /// Sample budget $n_{\max} = \max($`budget_per_d2`$\cdot d^2,$ `budget_floor`$)$ (H7;
    /// `samples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_per_d2: Option<f64>,
    /// The smallest sample budget, whatever $d$ (H7; `samples`; none: no floor). For learners
    /// whose $n^*$ has a part that does not shrink with $d$ (the third level at $L = 3$), where
    /// a budget $\propto d^2$ would censor the small $d$.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_floor: Option<f64>,
    /// Test points of the test error (H7; `samples`; H9 `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_points: Option<u32>,
    /// $c$: the kernel's training set is $n = \lfloor c\, B(d,4)\rfloor$ (H8, H9;
    /// `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_fraction: Option<f64>,
    /// The kernel (H10; `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<BfcKernel>,
    /// $\rho$: the KRR ridge is $\lambda = \rho$ times the mean diagonal of the kernel matrix
    /// (H10; `kernel-plateau`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_ridge: Option<f64>,
    /// How the target's maps between levels are drawn (default orthogonal; H12 at $L = 3$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
    /// $T_{12}$: steps of levels 1-2 after the level-1 phase, before the schedules (H12;
    /// `feature-gap` at $L = 3$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level2_steps: Option<u32>,
    /// The level $l$ whose feature error $E_l$ is judged (H12; `feature-gap` at $L = 3$: 1 or
    /// 2; at $L = 2$ it is 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judged_level: Option<u32>,
    /// Huber's threshold $\delta$ on the training residual
    /// ([`QuadNet::with_residual_clip`](crate::sim::hierarchical::QuadNet::with_residual_clip);
    /// H12; none: the square loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_clip: Option<f64>,
}

/// The card's name for [`LevelMaps`](crate::sim::hierarchical::LevelMaps).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcLevelMaps {
    /// Random orthogonal $V_l$ (version 1 of the toy; the default).
    Orthogonal,
    /// Independent Gaussian unit rows: every level depends on its map.
    Gaussian,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}
