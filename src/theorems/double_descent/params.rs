//! The claim's parameters: one experiment design per `measure`, each with exactly its fields.

use serde::{Deserialize, Serialize};

/// Parameters of one claim: what it measures (`measure`, the experiment design) and that
/// design's fields; each field is one hypothesis of the module docs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "kebab-case")]
pub enum DoubleDescentParams {
    /// $R/\gamma$ against $s = n - p - 1$ ($p < n$).
    VarianceBelow(VarianceDesign),
    /// $R - r^2(1 - n/p)$ against $s = p - n - 1$ ($p > n$).
    VarianceAbove(VarianceDesign),
    /// The width at which the random-features risk peaks, against $n$.
    RfPeak(RfPeakDesign),
}

/// `variance-below` and `variance-above`: ridgeless least squares at $n$ samples, sizes the
/// distance $s$ to the threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VarianceDesign {
    /// $n$, the training samples (H1).
    pub samples: u64,
    /// $r^2 = \lVert\beta\rVert^2$ (H2).
    pub signal: f64,
    /// $\sigma^2$, the noise variance (H2).
    pub noise: f64,
    /// $B$: independent draws averaged in one trial (H3).
    pub replicates: u32,
    /// The $\gamma$ at which the figure simulates the ridgeless risk (H4); none, no figure.
    #[serde(default)]
    pub panel_gammas: Vec<f64>,
    /// The ridges $\lambda$ whose Marchenko–Pastur risk the figure draws (H4).
    #[serde(default)]
    pub panel_ridges: Vec<f64>,
    /// The size of the sweep whose figure slot draws the curve, once per claim (H4); required
    /// with `panel_gammas`.
    #[serde(default)]
    pub panel_size: Option<u64>,
}

/// `rf-peak`: ridgeless random ReLU features, sizes the sample size $n$.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RfPeakDesign {
    /// $\lVert f\rVert^2 = r^2$ of the linear target (H2).
    pub signal: f64,
    /// $\sigma^2$, the noise variance (H2).
    pub noise: f64,
    /// $B$: independent draws averaged in one trial (H3).
    pub replicates: u32,
    /// Input dimension $d$ (H5).
    pub dim: u32,
    /// Test points $m$ (H5).
    pub test_points: u32,
}

/// Which side of the interpolation threshold a variance claim measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// $p = n - 1 - s < n$.
    Below,
    /// $p = n + 1 + s > n$.
    Above,
}

impl DoubleDescentParams {
    /// $(r^2, \sigma^2, B)$, whichever design.
    pub fn signal_noise_replicates(&self) -> (f64, f64, u32) {
        match self {
            DoubleDescentParams::VarianceBelow(v) | DoubleDescentParams::VarianceAbove(v) => {
                (v.signal, v.noise, v.replicates)
            }
            DoubleDescentParams::RfPeak(r) => (r.signal, r.noise, r.replicates),
        }
    }
}

impl VarianceDesign {
    /// The number of features at distance $s$ from the threshold on `side`; `None` below the
    /// threshold when $n < 1 + s$.
    pub fn features(&self, side: Side, s: u64) -> Option<u64> {
        let n = self.samples;
        match side {
            Side::Below => n.checked_sub(1 + s),
            Side::Above => Some(n + 1 + s),
        }
    }
}
