//! How often the judge says what, on laws whose truth is known: the coverage of the verdicts.
//!
//! Synthetic thresholds $n^* = 3\, d^{a}\,(1 + b\, d^{-1/2})$ times a lognormal trial factor
//! ($\sigma = 0.3$), on the sizes and trial count of `information-exponent/k1` (d = 64..512 in
//! steps of √2, 48 trials). The claim predicts $a_{\rm pred}$ and the truth is
//! $a = a_{\rm pred} + \Delta$. For each Δ, 200 seeds give the frequencies of the three
//! verdicts for:
//!
//! * the **asymptotic** judge (exponent ± 0.15) on an **unbiased** law ($b = 0$): it should
//!   confirm at Δ = 0 and refute at |Δ| ≥ 2 × 0.15;
//! * the same judge on a **biased** law ($b = 4$: the local slope sits about 0.1 below $a$ over
//!   these sizes, as a finite-size correction would put it): what a referee fears, a finite-size
//!   effect read as a failed exponent;
//! * the **finite-size** judge (slope of the ratio, 0 ± 0.15) against the exact biased curve
//!   with $a_{\rm pred}$: it sees only Δ, whatever $b$ does.
//!
//! Both judges get the same tolerance, so the table isolates what the bias does. (A first
//! draft gave the finite-size judge 0.05; it could never confirm: with σ = 0.3 and 48 trials a
//! size's log-median has a standard error of about 1.25 · 0.3/√48 ≈ 0.054, the 7 sizes span
//! Σ(x − x̄)² = 28 · (ln √2)² ≈ 3.4, so the slope's 95% half-width is about
//! 2.57 · 0.054/√3.4 ≈ 0.08, wider than the band. A tolerance must exceed the interval the
//! design can produce.)
//!
//! The table is snapshotted (`snapshots/coverage__verdict-rates.snap`, shown in the README),
//! and the test asserts the rates a referee needs: at the truth the judges confirm, far from
//! it they refute.

use std::fmt::Write;
use std::sync::Arc;
use thm::card::{CardSource, Citation, Profile, Sweep};
use thm::law::{ClaimKind, Control, Exponent, Judge, Prediction};
use thm::rng::Rng;
use thm::theorem::{About, LoadedCard, LoadedClaim, Observation, Simulation};
use thm::verdict::Verdict;

const PREDICTED: f64 = 1.0;
const BIAS_STRENGTH: f64 = 4.0;
const NOISE: f64 = 0.3;
const SEEDS: u64 = 200;
const SIZES: [u64; 7] = [64, 91, 128, 181, 256, 362, 512];
const DELTAS: [f64; 7] = [-0.3, -0.15, -0.05, 0.0, 0.05, 0.15, 0.3];

/// The biased law with exponent `a`, and its value (the finite-size prediction uses it with
/// the predicted exponent).
fn law(a: f64, b: f64, d: f64) -> f64 {
    3.0 * d.powf(a) * (1.0 + b / d.sqrt())
}

struct Biased {
    exponent: f64,
    bias: f64,
}

impl Simulation for Biased {
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
        use rand::RngExt;
        let g: f64 = rng.sample(rand_distr::StandardNormal);
        Observation::Value(law(self.exponent, self.bias, size as f64) * (NOISE * g).exp())
    }

    fn finite_size(&self, sizes: &[u64]) -> Result<Vec<f64>, String> {
        Ok(sizes.iter().map(|&d| law(PREDICTED, self.bias, d as f64)).collect())
    }
}

static ABOUT: About = About { hypotheses: &[], simulation: "synthetic biased power law" };

fn claim(sim: Biased, judge: Judge, tolerance: f64) -> (LoadedCard, LoadedClaim) {
    let sweep = Sweep { sizes: SIZES.to_vec(), trials: 48 };
    let claim = LoadedClaim {
        id: "biased".into(),
        description: String::new(),
        seed: 0,
        tolerance,
        tolerance_reason: String::new(),
        control: Control::Shift(0.5),
        judge,
        finite_size: Some("the synthetic law itself".into()),
        rivals: Vec::new(),
        trials_of: None,
        quick: Some(sweep),
        full: None,
        params: serde_json::Value::Null,
        requires: Vec::new(),
        shared_draws: false,
        exploratory: None,
        prediction: Prediction {
            kind: ClaimKind::ThresholdScaling { log_power: 0.0 },
            exponent: Exponent::Exactly(PREDICTED),
            law: "n* ~ d".into(),
            rationale: String::new(),
            size: "d".into(),
            observable: "n*".into(),
        },
        simulation: Arc::new(sim),
    };
    let card = LoadedCard {
        source: CardSource { path: "coverage.toml".into(), text: String::new() },
        id: "coverage".into(),
        title: String::new(),
        citation: Citation {
            authors: vec![],
            year: 2026,
            title: String::new(),
            arxiv: String::new(),
            locator: String::new(),
        },
        statement: String::new(),
        about: &ABOUT,
        claims: vec![claim.clone()],
    };
    (card, claim)
}

/// Frequencies of (confirmed, inconclusive, refuted) over `SEEDS` seeds.
fn rates(bias: f64, delta: f64, judge: Judge, tolerance: f64) -> [f64; 3] {
    let (card, claim) = claim(Biased { exponent: PREDICTED + delta, bias }, judge, tolerance);
    let mut counts = [0u32; 3];
    for seed in 0..SEEDS {
        let r = thm::check::run_claim(&card, &claim, Profile::Quick, Some(seed), &|| {});
        counts[match r.outcome.claim.verdict {
            Verdict::Confirmed => 0,
            Verdict::Inconclusive => 1,
            Verdict::Refuted => 2,
        }] += 1;
    }
    counts.map(|c| f64::from(c) / SEEDS as f64)
}

#[test]
fn verdict_rates_on_biased_laws() {
    let configs = [
        ("asymptotic, unbiased", 0.0, Judge::Exponent, 0.15),
        ("asymptotic, biased", BIAS_STRENGTH, Judge::Exponent, 0.15),
        ("finite-size, biased", BIAS_STRENGTH, Judge::FiniteSize, 0.15),
    ];
    let table: Vec<Vec<[f64; 3]>> = configs
        .iter()
        .map(|&(_, b, judge, tol)| DELTAS.iter().map(|&d| rates(b, d, judge, tol)).collect())
        .collect();
    let mut text = String::from(
        "P(confirmed / inconclusive / refuted) over 200 seeds; truth a = 1 + Δ, prediction 1\n",
    );
    let _ = write!(text, "{:<8}", "Δ");
    for (name, ..) in &configs {
        let _ = write!(text, "{name:<26}");
    }
    text.push('\n');
    for (i, delta) in DELTAS.iter().enumerate() {
        let _ = write!(text, "{:<8}", format!("{delta:+.2}"));
        for row in &table {
            let [c, n, r] = row[i];
            let _ = write!(text, "{:<26}", format!("{c:.2} / {n:.2} / {r:.2}"));
        }
        text.push('\n');
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("coverage__verdict-rates", text));

    let at =
        |config: usize, delta: f64| table[config][DELTAS.iter().position(|d| *d == delta).unwrap()];
    // At the truth, both judges confirm on an unbiased law, the finite-size one on a biased law.
    assert!(at(0, 0.0)[0] >= 0.9, "{text}");
    assert!(at(2, 0.0)[0] >= 0.9, "{text}");
    // Two tolerances away, they refute.
    for d in [-0.3, 0.3] {
        assert!(at(0, d)[2] >= 0.9, "{text}");
        assert!(at(2, d)[2] >= 0.9, "{text}");
    }
    // The finite-size bias costs the asymptotic judge confirmations it deserved.
    assert!(at(1, 0.0)[0] < at(0, 0.0)[0], "{text}");
}
