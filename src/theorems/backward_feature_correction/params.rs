//! The card's parameters of a claim: the experiment design (`measure`) and, for each design,
//! exactly its fields: the target, the learner and the budgets.

use serde::{Deserialize, Serialize};

/// Parameters of one claim: one variant per experiment design, selected by the card's
/// `measure` key (`[claims.params]`, next to the design's fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum BackwardFeatureCorrectionParams {
    /// `bfc`, `bfc-depth-*`: $\ln(E_l^A/E_l^B) - \ln c$ at each $r$ (sizes are $1000 r$).
    FeatureGap(FeatureGapParams),
    /// `deep-learns-poly`: the fresh samples $n^*$ the jointly trained network needs to reach
    /// relative test error $\tau$ (sizes are $d$).
    Samples(SamplesParams),
    /// `kernel-gap`: the KRR test error at $n = \lfloor c B(d,4)\rfloor$ minus the kernel
    /// lower bound $e_4(d)(1 - n/B(d,4))$, in percent of $\mathrm{Var} f^*$ (sizes are $d$).
    KernelPlateau(KernelPlateauParams),
    /// `bfc-bias`, `bfc-correction`: the level-1 feature errors (regression on the true $G_1$,
    /// relative residual norm) after layer-wise and joint training on the skip target, where a
    /// narrow level 1 trained alone is biased (sizes are $1000 r$).
    FeatureBias(FeatureBiasParams),
    /// `bfc3-correction-level1`, `bfc3-correction-level2`: the level-$l$ feature errors
    /// ($l = 1, 2$) after layer-wise and joint training on the three-level skip target, with
    /// narrow levels 1 and 2 (sizes are $1000 r$; $\alpha = 1, r, r^2$).
    ThreeLevelBias(ThreeLevelBiasParams),
    /// `depth-step-2`, `depth-step-3`: what one more level costs the network against what it
    /// costs a kernel, at each $d$: $\log_d B(d,2^L)/B(d,2^{L-1}) - \log_d n^*(L)/n^*(L-1)$
    /// (sizes are $d$; `depth` is the upper depth $L$, H15). The fields are `samples`'s.
    DepthStep(SamplesParams),
}

/// Measure `feature-bias` (issue 26): layer-wise against joint schedules from a common start
/// on the skip target ([`HierarchicalTarget::with_skip`](crate::sim::hierarchical::HierarchicalTarget::with_skip)),
/// learner with the level-2 skip, at a fixed $d$, over $r = \alpha_2/\alpha_1$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureBiasParams {
    /// $L$ (H1: 2).
    pub depth: u32,
    /// Input dimension $d$ (H2).
    pub dim: u32,
    /// Features per level $k$ (H2).
    pub features: u32,
    /// Widths $m_1, m_2$ (H3, H13: $m_1 = k$, a narrow level 1).
    pub widths: Vec<u32>,
    /// Initial scales $\varsigma_1, \varsigma_2$ (H4; the learner's skip $S$ starts at
    /// $\varsigma_2$).
    pub init_scales: Vec<f64>,
    /// The SGD step in units of $1/d$: $\eta = $ `step`$/d$ (H4).
    pub step: f64,
    /// Mini-batch size (H4).
    pub batch: u32,
    /// $T_1$: steps of the common level-1 phase (H5).
    pub level1_steps: u32,
    /// $T_2$: steps of each schedule after it (H5).
    pub schedule_steps: u32,
    /// $\kappa$, the weight of the target's skip $U z$ into level 2 (H13).
    pub skip: f64,
    /// How the target's map $V$ is drawn (none: orthogonal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
    /// Fresh inputs on which the feature errors are fitted and read (H13).
    pub test_points: u32,
    /// What a trial returns (H13).
    pub judged: BfcJudged,
}

/// The observable of a `feature-bias` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcJudged {
    /// $E_1^A$, the layer-wise level-1 feature error (claim `bfc-bias`).
    LayerWise,
    /// $E_1^A / E_1^B$, the factor by which joint training lowers it (claim `bfc-correction`).
    Correction,
}

/// Measure `feature-gap`: layer-wise against joint schedules from a common start, at a fixed
/// $d$, over $r = \alpha_2/\alpha_1$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureGapParams {
    /// $L$, the number of levels of the target and the network (H1: 2 or 3).
    pub depth: u32,
    /// Input dimension $d$ (H2).
    pub dim: u32,
    /// Features per level $k$ (H2).
    pub features: u32,
    /// Widths $m_1, \dots, m_L$ (H3).
    pub widths: Vec<u32>,
    /// Initial scales $\varsigma_l$ per level (H4).
    pub init_scales: Vec<f64>,
    /// The SGD step in units of $1/d$: $\eta = $ `step`$/d$ (H4).
    pub step: f64,
    /// Mini-batch size (H4).
    pub batch: u32,
    /// $T_1$: steps of the common level-1 phase (H5).
    pub level1_steps: u32,
    /// $T_2$: steps of each schedule after it (H5).
    pub schedule_steps: u32,
    /// $c$: the claimed factor $E_l^A/E_l^B \ge c$ (H6).
    pub factor: f64,
    /// How the target's maps between levels are drawn (none: orthogonal; H12 at $L = 3$).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
    /// $T_{12}$: steps of levels 1-2 after the level-1 phase, before the schedules (H12: given
    /// at $L = 3$ only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level2_steps: Option<u32>,
    /// The level $l$ whose feature error $E_l$ is judged (H12: at $L = 3$, 1 or 2; at $L = 2$
    /// it is 1, and may be omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judged_level: Option<u32>,
    /// Huber's threshold $\delta$ on the training residual
    /// ([`QuadNet::with_residual_clip`](crate::sim::hierarchical::QuadNet::with_residual_clip);
    /// H12; none: the square loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_clip: Option<f64>,
}

/// Measure `samples`: learning curves of joint training from the start, over $d$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplesParams {
    /// $L$, the number of levels of the target and the network (H1: 2 or 3; `depth-step`:
    /// the upper depth, H15).
    pub depth: u32,
    /// Features per level $k$ (H2; the sizes are $d$).
    pub features: u32,
    /// Widths $m_1, \dots, m_L$ (H3).
    pub widths: Vec<u32>,
    /// Initial scales $\varsigma_l$ per level (H4).
    pub init_scales: Vec<f64>,
    /// The SGD step in units of $1/d$: $\eta = $ `step`$/d$ (H4).
    pub step: f64,
    /// Mini-batch size (H4).
    pub batch: u32,
    /// $r = \alpha_2/\alpha_1$ of the target (H7).
    pub ratio: f64,
    /// $\tau$: the relative test error $E(\hat f - f^*)^2 / E f^{*2}$ to reach (H7).
    pub error_level: f64,
    /// Sample budget $n_{\max} = \max($`budget_per_d2`$\cdot d^2,$ `budget_floor`$)$ (H7).
    pub budget_per_d2: f64,
    /// The smallest sample budget, whatever $d$ (H7; none: no floor). For learners whose
    /// $n^*$ has a part that does not shrink with $d$ (the third level at $L = 3$), where a
    /// budget $\propto d^2$ would censor the small $d$.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_floor: Option<f64>,
    /// Test points of the test error (H7).
    pub test_points: u32,
    /// How the target's maps between levels are drawn (none: orthogonal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
    /// Huber's threshold $\delta$ on the training residual (H12; none: the square loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_clip: Option<f64>,
    /// The cap $u$ on the norm of a step's weight update
    /// ([`QuadNet::with_update_clip`](crate::sim::hierarchical::QuadNet::with_update_clip);
    /// H12; none: plain SGD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_clip: Option<f64>,
}

/// Measure `kernel-plateau`: kernel ridge regression on the depth-2 target, over $d$. No
/// network (H11: the type has no widths, initial scales, step or batch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KernelPlateauParams {
    /// $L$, the number of levels of the target (H1: 2).
    pub depth: u32,
    /// Features per level $k$ (H2; the sizes are $d$).
    pub features: u32,
    /// $r = \alpha_2/\alpha_1$ of the target (H9).
    pub ratio: f64,
    /// $c$: the kernel's training set is $n = \lfloor c\, B(d,4)\rfloor$ (H8, H9).
    pub budget_fraction: f64,
    /// The kernel (H10).
    pub kernel: BfcKernel,
    /// $\rho$: the KRR ridge is $\lambda = \rho$ times the mean diagonal of the kernel matrix
    /// (H10).
    pub relative_ridge: f64,
    /// Test points of the test error (H9).
    pub test_points: u32,
    /// How the target's maps between levels are drawn (none: orthogonal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
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

/// The card's name for [`LevelMaps`](crate::sim::hierarchical::LevelMaps).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BfcLevelMaps {
    /// Random orthogonal $V_l$ (version 1 of the toy; the default).
    Orthogonal,
    /// Independent Gaussian unit rows: every level depends on its map.
    Gaussian,
}

/// The target's shape, which every design has: its depth, features per level and level maps.
#[derive(Clone, Copy, Debug)]
pub(super) struct TargetShape {
    pub(super) depth: u32,
    pub(super) features: u32,
    pub(super) level_maps: Option<BfcLevelMaps>,
}

/// The quadratic network and its SGD, which designs `feature-gap` and `samples` share.
#[derive(Clone, Copy, Debug)]
pub(super) struct Learner<'a> {
    pub(super) shape: TargetShape,
    pub(super) widths: &'a [u32],
    pub(super) init_scales: &'a [f64],
    pub(super) step: f64,
    pub(super) batch: u32,
    pub(super) residual_clip: Option<f64>,
    pub(super) update_clip: Option<f64>,
}

impl FeatureGapParams {
    /// The network and its SGD.
    pub(super) fn learner(&self) -> Learner<'_> {
        Learner {
            shape: TargetShape {
                depth: self.depth,
                features: self.features,
                level_maps: self.level_maps,
            },
            widths: &self.widths,
            init_scales: &self.init_scales,
            step: self.step,
            batch: self.batch,
            residual_clip: self.residual_clip,
            update_clip: None,
        }
    }
}

impl SamplesParams {
    /// The network and its SGD.
    pub(super) fn learner(&self) -> Learner<'_> {
        Learner {
            shape: TargetShape {
                depth: self.depth,
                features: self.features,
                level_maps: self.level_maps,
            },
            widths: &self.widths,
            init_scales: &self.init_scales,
            step: self.step,
            batch: self.batch,
            residual_clip: self.residual_clip,
            update_clip: self.update_clip,
        }
    }
}

impl FeatureBiasParams {
    /// The network and its SGD (square loss).
    pub(super) fn learner(&self) -> Learner<'_> {
        Learner {
            shape: TargetShape {
                depth: self.depth,
                features: self.features,
                level_maps: self.level_maps,
            },
            widths: &self.widths,
            init_scales: &self.init_scales,
            step: self.step,
            batch: self.batch,
            residual_clip: None,
            update_clip: None,
        }
    }
}

impl KernelPlateauParams {
    /// The target's shape.
    pub(super) fn shape(&self) -> TargetShape {
        TargetShape { depth: self.depth, features: self.features, level_maps: self.level_maps }
    }
}

/// Measure `three-level-bias` (issue 26, three levels): the skip target with a third level
/// ([`HierarchicalTarget::with_skip`](crate::sim::hierarchical::HierarchicalTarget::with_skip)
/// with $\alpha = 1, r, r^2$), a learner with narrow levels 1 and 2 and the level-2 skip, the
/// layer-wise and joint schedules of all three levels, at a fixed $d$, over $r$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreeLevelBiasParams {
    /// $L$ (H14: 3).
    pub depth: u32,
    /// Input dimension $d$ (H2).
    pub dim: u32,
    /// Features per level $k$ (H2).
    pub features: u32,
    /// Widths $m_1, m_2, m_3$ (H3, H14: $m_1 = m_2 = k$, narrow levels 1 and 2).
    pub widths: Vec<u32>,
    /// Initial scales $\varsigma_1, \varsigma_2, \varsigma_3$ (H4; the skip $S$ starts at
    /// $\varsigma_2$).
    pub init_scales: Vec<f64>,
    /// The SGD step in units of $1/d$: $\eta = $ `step`$/d$ (H4).
    pub step: f64,
    /// Mini-batch size (H4).
    pub batch: u32,
    /// $T_1$: steps of the common level-1 phase (H5).
    pub level1_steps: u32,
    /// $T_2$: the unit of the schedules' phases (H5): layer-wise trains level 1 alone for
    /// $2T_2$ steps, then level 2 on the frozen level 1 for $2T_2$; joint trains levels 1-2
    /// for $T_2$, then all three for $T_2$ (each level gets as many steps in both).
    pub schedule_steps: u32,
    /// $\kappa$, the weight of the target's skip $U z$ into level 2 (H14).
    pub skip: f64,
    /// How the target's maps $V_2, V_3$ are drawn (none: orthogonal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_maps: Option<BfcLevelMaps>,
    /// Huber's threshold $\delta$ on the training residual (H14; none: the square loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_clip: Option<f64>,
    /// Fresh inputs on which the feature errors are fitted and read (H14).
    pub test_points: u32,
    /// The level $l$ whose factor $E_l^A/E_l^B$ a trial returns (H14: 1 or 2).
    pub judged_level: u32,
}

impl ThreeLevelBiasParams {
    /// The network and its SGD.
    pub(super) fn learner(&self) -> Learner<'_> {
        Learner {
            shape: TargetShape {
                depth: self.depth,
                features: self.features,
                level_maps: self.level_maps,
            },
            widths: &self.widths,
            init_scales: &self.init_scales,
            step: self.step,
            batch: self.batch,
            residual_clip: self.residual_clip,
            update_clip: None,
        }
    }
}
