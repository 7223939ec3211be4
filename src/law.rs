//! Predicted laws: what a claim says about how an observable scales with a size, and which
//! line the harness fits to test it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The shape of a claim: which observable, which resource, which coordinates are fitted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimKind {
    /// A sample threshold grows as `n*(d) ~ C d^a (log d)^b`. The harness fits
    /// `log n* - b log log d` against `log d`; the exponent is the slope `a`.
    ThresholdScaling {
        /// The power `b` of the logarithmic factor (0 for a pure power law; 1 for `d log d`).
        log_power: f64,
    },
    /// An error decays as a power of a resource, `err ~ C N^{-a}`. The harness fits
    /// `log err` against `log N`; the exponent is `a = -slope`.
    PowerDecay,
    /// An error decays exponentially in a resource, `err ~ C 2^{-a m}`. The harness fits
    /// `log2 err` against `m`; the exponent is `a = -slope`, in bits per unit of resource.
    ExponentialDecay,
    /// A quantity grows linearly in a discrete size, `y ~ c + a ℓ` (e.g. a fitted sample
    /// exponent against the degree ℓ of a target). The harness fits `y` against `ℓ`; the
    /// exponent is the slope `a`.
    LinearGrowth,
    /// A lower bound that holds at every size: the observable is the **margin** of a measured
    /// quantity over a bound the module computes analytically for that size (e.g. a test error
    /// minus its predicted plateau), and the claim is margin ≥ 0 within the tolerance. No line
    /// is fitted: the harness judges the smallest per-size median margin, with a bootstrap
    /// interval over trials. The control raises the bound by a shift (a bound set
    /// above the truth), which the data must refute.
    LowerBound,
    /// A separation between two learners on the same target: each trial measures both
    /// thresholds ([`crate::theorem::Observation::Pair`], faster learner first), each side
    /// scales as `n*(d) ~ C d^a (log d)^b`, and the claim is on the difference
    /// `a_slower - a_faster` (typically: at least a margin). The harness fits the difference
    /// as the slope of `log(median n*_slower / median n*_faster)` against `log d` (the
    /// difference of the two least-squares slopes, exactly), with a **paired** bootstrap
    /// (both sides resampled with the same trials); each side's exponent and interval are
    /// reported beside it.
    Separation {
        /// The power `b` of the logarithmic factor of both thresholds (it cancels in the
        /// difference; it matters for each side's own exponent).
        log_power: f64,
    },
}

impl ClaimKind {
    /// A short name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            ClaimKind::ThresholdScaling { .. } => "scaling exponent of a threshold",
            ClaimKind::PowerDecay => "power-law decay rate",
            ClaimKind::ExponentialDecay => "exponential decay rate",
            ClaimKind::LinearGrowth => "linear growth rate",
            ClaimKind::LowerBound => "lower bound at every size",
            ClaimKind::Separation { .. } => "separation of two threshold exponents",
        }
    }

    /// The fitted coordinates `(x, y)` of one point `(size, observable)` (for a separation, the
    /// observable is the ratio `n*_slower / n*_faster`).
    pub fn coordinates(self, size: f64, observable: f64) -> (f64, f64) {
        match self {
            ClaimKind::ThresholdScaling { log_power } => {
                (size.ln(), observable.ln() - log_power * size.ln().ln())
            }
            // The observable of a separation is the ratio of the two thresholds: the common
            // log factor cancels.
            ClaimKind::PowerDecay | ClaimKind::Separation { .. } => (size.ln(), observable.ln()),
            ClaimKind::ExponentialDecay => (size, observable.log2()),
            ClaimKind::LinearGrowth => (size, observable),
            ClaimKind::LowerBound => (size.ln(), observable),
        }
    }

    /// Whether the claim is judged from a fitted line (every kind but [`ClaimKind::LowerBound`]).
    pub const fn fits_a_line(self) -> bool {
        !matches!(self, ClaimKind::LowerBound)
    }

    /// The exponent a fitted slope stands for (`a = slope` for thresholds, `-slope` for decays).
    pub fn exponent_of_slope(self, slope: f64) -> f64 {
        match self {
            ClaimKind::ThresholdScaling { .. }
            | ClaimKind::Separation { .. }
            | ClaimKind::LinearGrowth
            | ClaimKind::LowerBound => slope,
            ClaimKind::PowerDecay | ClaimKind::ExponentialDecay => -slope,
        }
    }

    /// The inverse of [`ClaimKind::coordinates`]: the observable at `size` on a fitted line
    /// whose value there is `y`.
    pub fn observable_at(self, size: f64, y: f64) -> f64 {
        match self {
            ClaimKind::ThresholdScaling { log_power } => (y + log_power * size.ln().ln()).exp(),
            ClaimKind::PowerDecay | ClaimKind::Separation { .. } => y.exp(),
            ClaimKind::ExponentialDecay => y.exp2(),
            ClaimKind::LinearGrowth | ClaimKind::LowerBound => y,
        }
    }

    /// The slope a given exponent stands for (inverse of [`ClaimKind::exponent_of_slope`]).
    pub fn slope_of_exponent(self, exponent: f64) -> f64 {
        self.exponent_of_slope(exponent)
    }

    /// The label of the fitted coordinates, e.g. `log n* - log log d = c + a log d`.
    pub fn fit_description(self, size_symbol: &str, observable_symbol: &str) -> String {
        let (s, o) = (size_symbol, observable_symbol);
        match self {
            ClaimKind::ThresholdScaling { log_power: 0.0 } => {
                format!("log {o} = c + a log {s}")
            }
            ClaimKind::ThresholdScaling { log_power: 1.0 } => {
                format!("log({o} / log {s}) = c + a log {s}")
            }
            ClaimKind::ThresholdScaling { log_power } => {
                format!("log({o} / (log {s})^{log_power}) = c + a log {s}")
            }
            ClaimKind::PowerDecay => format!("log {o} = c - a log {s}"),
            ClaimKind::ExponentialDecay => format!("log2 {o} = c - a {s}"),
            ClaimKind::LinearGrowth => format!("{o} = c + a {s}"),
            ClaimKind::LowerBound => format!("min over {s} of the median {o}"),
            ClaimKind::Separation { .. } => {
                format!("log({o}_slower / {o}_faster) = c + (a_slower - a_faster) log {s}")
            }
        }
    }
}

/// What a claim predicts for the fitted exponent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exponent {
    /// The exponent equals this value (within the tolerance).
    Exactly(f64),
    /// The exponent is at least this value (a lower bound; within the tolerance).
    AtLeast(f64),
    /// The exponent is at most this value (an upper bound; within the tolerance).
    AtMost(f64),
}

impl Exponent {
    /// The value the prediction is stated at.
    pub fn value(self) -> f64 {
        match self {
            Exponent::Exactly(a) | Exponent::AtLeast(a) | Exponent::AtMost(a) => a,
        }
    }

    /// The same kind of prediction at `value + delta`: the falsification control.
    pub fn shifted(self, delta: f64) -> Exponent {
        match self {
            Exponent::Exactly(a) => Exponent::Exactly(a + delta),
            Exponent::AtLeast(a) => Exponent::AtLeast(a + delta),
            Exponent::AtMost(a) => Exponent::AtMost(a + delta),
        }
    }

    /// The set of exponents consistent with the prediction under `tolerance`.
    pub fn accepted_set(self, tolerance: f64) -> (f64, f64) {
        match self {
            Exponent::Exactly(a) => (a - tolerance, a + tolerance),
            Exponent::AtLeast(a) => (a - tolerance, f64::INFINITY),
            Exponent::AtMost(a) => (f64::NEG_INFINITY, a + tolerance),
        }
    }

    /// "2.00 ± 0.15", "≥ 4.00 - 0.15", "≤ 1.00 + 0.10".
    pub fn describe(self, tolerance: f64) -> String {
        match self {
            Exponent::Exactly(a) => format!("{a:.2} ± {tolerance:.2}"),
            Exponent::AtLeast(a) => format!("≥ {a:.2} - {tolerance:.2}"),
            Exponent::AtMost(a) => format!("≤ {a:.2} + {tolerance:.2}"),
        }
    }
}

/// How a claim is judged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judge {
    /// The asymptotic exponent: the slope of the medians in the coordinates of the claim's
    /// kind, against the predicted exponent (the default).
    #[default]
    Exponent,
    /// The theory's value at each finite size: the slope of the medians over the module's
    /// finite-size prediction (`log(measured / predicted)` against the size, in the kind's
    /// coordinates) must be 0 within the tolerance. The asymptotic exponent is fitted and
    /// reported beside it.
    FiniteSize,
}

impl Judge {
    /// `exponent` or `finite-size`, as a card writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Judge::Exponent => "exponent",
            Judge::FiniteSize => "finite-size",
        }
    }
}

/// A rival law: the nearest law a sceptic would propose instead of the claim's, which the
/// data must refute for the claim to have power. The module computes it (its value at each
/// size, up to a constant factor) from a named hypothesis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RivalLaw {
    /// The name a card uses, e.g. `d-log-d`.
    pub name: String,
    /// The law, e.g. `n* ~ d log d`.
    pub law: String,
    /// Who would propose it and why, with its source.
    pub why: String,
}

/// A claim's falsification control: what the same data must refute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    /// The prediction shifted by this amount (`control = { shift = 0.5 }`).
    Shift(f64),
    /// A rival law the module computes (`control = { rival = "d-log-d" }`).
    Rival(RivalLaw),
}

impl Control {
    /// "+0.50" for a shift, the rival's name for a rival.
    pub fn label(&self) -> String {
        match self {
            Control::Shift(delta) => format!("{delta:+.2}"),
            Control::Rival(r) => r.name.clone(),
        }
    }
}

/// A module's prediction for one claim, computed from the claim's validated parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Which line is fitted.
    pub kind: ClaimKind,
    /// The predicted exponent.
    pub exponent: Exponent,
    /// The law in the theory's notation, e.g. `n* ~ d log d`.
    pub law: String,
    /// Why this law, in one sentence with its source.
    pub rationale: String,
    /// Symbol of the size in reports (`d`, `N`, `m`).
    pub size: String,
    /// Symbol of the observable in reports (`n*`, `err`).
    pub observable: String,
}

impl Prediction {
    /// `log n* = c + a log d` and the like, in this prediction's symbols.
    pub fn fit_description(&self) -> String {
        self.kind.fit_description(&self.size, &self.observable)
    }
}

impl fmt::Display for Prediction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.law)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_turn_each_law_into_a_line_with_the_exponent_as_slope() {
        let d_log_d = ClaimKind::ThresholdScaling { log_power: 1.0 };
        let (x1, y1) = d_log_d.coordinates(100.0, 7.0 * 100.0 * 100f64.ln());
        let (x2, y2) = d_log_d.coordinates(1000.0, 7.0 * 1000.0 * 1000f64.ln());
        assert!((d_log_d.exponent_of_slope((y2 - y1) / (x2 - x1)) - 1.0).abs() < 1e-12);

        let growth = ClaimKind::LinearGrowth;
        let (x1, y1) = growth.coordinates(1.0, 1.1);
        let (x2, y2) = growth.coordinates(3.0, 3.1);
        assert!((growth.exponent_of_slope((y2 - y1) / (x2 - x1)) - 1.0).abs() < 1e-12);

        let decay = ClaimKind::ExponentialDecay;
        let (x1, y1) = decay.coordinates(1.0, 4f64.powi(-1));
        let (x2, y2) = decay.coordinates(5.0, 4f64.powi(-5));
        assert!((decay.exponent_of_slope((y2 - y1) / (x2 - x1)) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn accepted_sets_and_shifts() {
        assert_eq!(Exponent::Exactly(2.0).accepted_set(0.25), (1.75, 2.25));
        assert_eq!(Exponent::AtLeast(2.0).shifted(1.0), Exponent::AtLeast(3.0));
        assert_eq!(Exponent::AtMost(1.0).accepted_set(0.5).1, 1.5);
    }
}
