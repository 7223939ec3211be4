//! The harness on synthetic simulations with known answers: it confirms a true law, refutes a
//! wrong one (so a check can fail), and turns divergence and censoring into `inconclusive`
//! with the reason.

use std::sync::Arc;
use thm::card::{CardSource, Citation, Profile, Sweep};
use thm::law::{ClaimKind, Exponent, Prediction};
use thm::rng::Rng;
use thm::theorem::{About, Exploratory, LoadedCard, LoadedClaim, Observation, Simulation};
use thm::verdict::Verdict;

/// `n*(d) = 3 d^a` times a trial-level lognormal factor, or a forced outcome at one size.
struct Synthetic {
    exponent: f64,
    noise: f64,
    at_size: Option<(u64, Observation)>,
}

impl Simulation for Synthetic {
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
        use rand::RngExt;
        if let Some((s, o)) = &self.at_size {
            if *s == size {
                return o.clone();
            }
        }
        let g: f64 = rng.sample(rand_distr::StandardNormal);
        Observation::Value(3.0 * (size as f64).powf(self.exponent) * (self.noise * g).exp())
    }
}

static ABOUT: About = About { hypotheses: &[], simulation: "synthetic power law" };

/// A prediction on sizes `d` with no rationale, for the synthetic claims of these tests.
fn prediction(kind: ClaimKind, exponent: Exponent, law: &str, observable: &str) -> Prediction {
    Prediction {
        kind,
        exponent,
        law: law.into(),
        rationale: String::new(),
        size: "d".into(),
        observable: observable.into(),
    }
}

fn run(sim: Synthetic, predicted: f64) -> thm::check::ClaimResult {
    let prediction = prediction(
        ClaimKind::ThresholdScaling { log_power: 0.0 },
        Exponent::Exactly(predicted),
        &format!("n* ~ d^{predicted}"),
        "n*",
    );
    run_claim(Arc::new(sim), prediction)
}

fn run_claim(sim: Arc<dyn Simulation>, prediction: Prediction) -> thm::check::ClaimResult {
    run_explored(sim, prediction, None)
}

fn run_explored(
    sim: Arc<dyn Simulation>,
    prediction: Prediction,
    exploratory: Option<Exploratory>,
) -> thm::check::ClaimResult {
    run_with(sim, prediction, exploratory, false)
}

fn run_with(
    sim: Arc<dyn Simulation>,
    prediction: Prediction,
    exploratory: Option<Exploratory>,
    shared_draws: bool,
) -> thm::check::ClaimResult {
    let sweep = Sweep { sizes: vec![32, 64, 128, 256, 512], trials: 24 };
    let claim = LoadedClaim {
        id: "synthetic".into(),
        description: String::new(),
        seed: 0,
        tolerance: 0.1,
        tolerance_reason: String::new(),
        control: thm::law::Control::Shift(0.5),
        judge: thm::law::Judge::Exponent,
        finite_size: None,
        rivals: Vec::new(),
        trials_of: None,
        quick: Some(sweep.clone()),
        full: Some(sweep),
        params: serde_json::Value::Null,
        requires: Vec::new(),
        shared_draws,
        exploratory,
        prediction,
        simulation: sim,
    };
    let card = LoadedCard {
        source: CardSource { path: "synthetic.toml".into(), text: String::new() },
        id: "synthetic".into(),
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
    thm::check::run_claim(&card, &claim, Profile::Quick, None, &|| {})
}

#[test]
fn a_true_law_is_confirmed_and_its_control_refuted() {
    let r = run(Synthetic { exponent: 2.0, noise: 0.1, at_size: None }, 2.0);
    assert_eq!(
        (r.outcome.verdict, r.outcome.control.verdict),
        (Verdict::Confirmed, Verdict::Refuted),
        "{}",
        r.outcome.reason
    );
}

#[test]
fn a_wrong_prediction_is_refuted() {
    let r = run(Synthetic { exponent: 2.0, noise: 0.1, at_size: None }, 1.5);
    assert_eq!(r.outcome.verdict, Verdict::Refuted, "{}", r.outcome.reason);
    assert!(r.outcome.reason.contains("predicted 1.50 ± 0.10"), "{}", r.outcome.reason);
}

#[test]
fn noise_without_power_is_inconclusive() {
    let r = run(Synthetic { exponent: 2.0, noise: 3.0, at_size: None }, 2.0);
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive, "{}", r.outcome.reason);
}

#[test]
fn a_diverged_trial_makes_the_claim_inconclusive_with_the_reason() {
    let failed = Observation::Failed("the overlap became NaN at step 7".into());
    let r = run(Synthetic { exponent: 2.0, noise: 0.1, at_size: Some((128, failed)) }, 2.0);
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(
        r.outcome.reason.contains("at d = 128 failed: the overlap became NaN at step 7"),
        "{}",
        r.outcome.reason
    );
    assert!(r.fit.is_none());
}

#[test]
fn a_non_finite_value_is_a_failure_not_a_number() {
    let r = run(
        Synthetic { exponent: 2.0, noise: 0.1, at_size: Some((64, Observation::Value(f64::NAN))) },
        2.0,
    );
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(r.outcome.reason.contains("the observable is NaN"), "{}", r.outcome.reason);
}

#[test]
fn a_censored_median_makes_the_claim_inconclusive() {
    let r = run(
        Synthetic { exponent: 2.0, noise: 0.1, at_size: Some((512, Observation::Censored(1e5))) },
        2.0,
    );
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(
        r.outcome.reason.starts_with("right-censored: 24 of 24 trials at d = 512"),
        "{}",
        r.outcome.reason
    );
}

/// A margin over a bound: `mean + noise * g` per trial, whatever the size.
struct Margin {
    mean: f64,
    noise: f64,
}

impl Simulation for Margin {
    fn trial(&self, _size: u64, rng: &mut Rng) -> Observation {
        use rand::RngExt;
        let g: f64 = rng.sample(rand_distr::StandardNormal);
        Observation::Value(self.mean + self.noise * g)
    }
}

fn bound_claim(mean: f64, noise: f64) -> thm::check::ClaimResult {
    let prediction =
        prediction(ClaimKind::LowerBound, Exponent::AtLeast(0.0), "err ≥ plateau", "err - plateau");
    run_claim(Arc::new(Margin { mean, noise }), prediction)
}

#[test]
fn a_bound_that_holds_is_confirmed_and_a_bound_above_the_truth_refuted() {
    // Margins 0.1 ± 0.05 per trial: the bound (margin ≥ 0 - 0.1) holds; the control raises
    // it by 0.5, above every margin.
    let r = bound_claim(0.1, 0.05);
    assert_eq!(
        (r.outcome.verdict, r.outcome.control.verdict),
        (Verdict::Confirmed, Verdict::Refuted),
        "{}",
        r.outcome.reason
    );
    let fit = r.fit.unwrap();
    assert!(fit.ci_t.is_none() && fit.interval.0 <= fit.exponent && fit.exponent <= fit.interval.1);
}

#[test]
fn a_violated_bound_is_refuted() {
    let r = bound_claim(-0.4, 0.05);
    assert_eq!(r.outcome.verdict, Verdict::Refuted, "{}", r.outcome.reason);
}

#[test]
fn a_bound_the_noise_cannot_settle_is_inconclusive() {
    let r = bound_claim(-0.1, 1.0);
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive, "{}", r.outcome.reason);
}

/// The built-in depth-efficiency card with `deep` declared to build on `shallow`.
fn card_where_deep_requires_shallow(shallow_edit: (&str, &str)) -> LoadedCard {
    let text = thm::registry::BUILTIN_CARDS
        .iter()
        .find(|(id, _)| *id == "depth-efficiency-square")
        .unwrap()
        .1
        .replacen(shallow_edit.0, shallow_edit.1, 1)
        .replacen(
            "control = { rival = \"width-like\" }\n[claims.params]\nmeasure = \"deep\"",
            "control = { rival = \"width-like\" }\nrequires = [\"shallow\"]\n[claims.params]\nmeasure = \"deep\"",
            1,
        );
    assert!(text.contains("requires = [\"shallow\"]"));
    let src = CardSource { path: "my-card.toml".into(), text };
    thm::registry::load_card(&src).unwrap()
}

#[test]
fn a_claim_runs_after_its_confirmed_prerequisite() {
    let card = card_where_deep_requires_shallow(("", ""));
    let deep = card.claim("deep").unwrap();
    assert_eq!(deep.requires, ["shallow"]);
    // Run alone, the claim runs its prerequisite first; confirmed, the claim itself runs.
    let r = thm::check::run_claim(&card, deep, Profile::Quick, None, &|| {});
    assert_eq!(r.outcome.verdict, Verdict::Confirmed, "{}", r.outcome.reason);
    assert_eq!(r.observations.len(), r.sizes.len());
}

#[test]
fn a_claim_whose_prerequisite_is_not_confirmed_is_not_run() {
    // A zero tolerance for `shallow`: its interval, however narrow, is not inside the single
    // point {2}, so the lemma is not confirmed.
    let card = card_where_deep_requires_shallow(("tolerance = 0.05", "tolerance = 0.0"));
    let shallow = card.claim("shallow").unwrap();
    let lemma = thm::check::run_claim(&card, shallow, Profile::Quick, None, &|| {});
    assert_ne!(lemma.outcome.verdict, Verdict::Confirmed, "the edit must break the lemma");
    let deep = card.claim("deep").unwrap();
    let r = thm::check::run_claim_after(
        &card,
        deep,
        Profile::Quick,
        None,
        std::slice::from_ref(&lemma),
        &|| {},
    );
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert_eq!(
        r.outcome.reason,
        format!("prerequisite `shallow` not confirmed (it is {})", lemma.outcome.verdict)
    );
    assert!(r.observations.is_empty() && r.fit.is_none(), "its trials must not run");
    assert_eq!(r.outcome.control.verdict, Verdict::Inconclusive);
}

/// Both learners on the same target: `n*_faster = 3 d^a · e^(s g0 + e g1)` and
/// `n*_slower = 2 d^b · e^(s g0 + e g2)`, where `g0` (the target's difficulty, shared) moves
/// both, and each learner has its own noise `e`. Or every slower trial censored.
struct Separating {
    faster: f64,
    slower: f64,
    shared: f64,
    own: f64,
    slower_censored: bool,
}

impl Simulation for Separating {
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
        use rand::RngExt;
        let mut g = || -> f64 { rng.sample(rand_distr::StandardNormal) };
        let (g0, g1, g2) = (g(), g(), g());
        let d = size as f64;
        let fast = 3.0 * d.powf(self.faster) * (self.shared * g0 + self.own * g1).exp();
        let slow = 2.0 * d.powf(self.slower) * (self.shared * g0 + self.own * g2).exp();
        let slow = if self.slower_censored {
            Observation::Censored(1e3)
        } else {
            Observation::Value(slow)
        };
        Observation::pair(Observation::Value(fast), slow)
    }
}

fn separation(sim: Separating, margin: f64) -> thm::check::ClaimResult {
    let prediction = prediction(
        ClaimKind::Separation { log_power: 0.0 },
        Exponent::AtLeast(margin),
        &format!("n*_slower / n*_faster ≳ d^{margin}"),
        "n*",
    );
    run_claim(Arc::new(sim), prediction)
}

#[test]
fn a_separation_is_confirmed_with_both_exponents_reported_and_its_control_refuted() {
    // A true separation of 1.0 claimed as "at least 0.8": the control (at least 1.3) must fail.
    let sim =
        Separating { faster: 1.5, slower: 2.5, shared: 0.1, own: 0.1, slower_censored: false };
    let r = separation(sim, 0.8);
    assert_eq!(
        (r.outcome.verdict, r.outcome.control.verdict),
        (Verdict::Confirmed, Verdict::Refuted),
        "{}",
        r.outcome.reason
    );
    let fit = r.fit.unwrap();
    assert!((fit.exponent - 1.0).abs() < 0.1, "difference {}", fit.exponent);
    let [fast, slow] = fit.sides.unwrap();
    assert!(fast.interval.0 < 1.5 && 1.5 < fast.interval.1, "{:?}", fast.interval);
    assert!(slow.interval.0 < 2.5 && 2.5 < slow.interval.1, "{:?}", slow.interval);
}

#[test]
fn a_separation_smaller_than_claimed_is_refuted() {
    let sim =
        Separating { faster: 1.5, slower: 2.0, shared: 0.1, own: 0.05, slower_censored: false };
    let r = separation(sim, 1.0);
    assert_eq!(r.outcome.verdict, Verdict::Refuted, "{}", r.outcome.reason);
}

#[test]
fn pairing_cancels_the_noise_the_two_learners_share() {
    // A target difficulty that moves both thresholds by a factor e^(±1.5) hides each exponent
    // but not their difference, because the bootstrap resamples the two sides together.
    let sim =
        Separating { faster: 1.5, slower: 2.5, shared: 1.5, own: 0.05, slower_censored: false };
    let fit = separation(sim, 0.5).fit.unwrap();
    let [fast, slow] = fit.sides.unwrap();
    let width = |(lo, hi): (f64, f64)| hi - lo;
    assert!(width(fit.interval) < 0.2, "difference interval {:?}", fit.interval);
    assert!(width(fast.interval) > 3.0 * width(fit.interval), "{:?}", fast.interval);
    assert!(width(slow.interval) > 3.0 * width(fit.interval), "{:?}", slow.interval);
}

#[test]
fn a_separation_whose_slower_side_never_crosses_is_inconclusive_and_says_which() {
    let sim = Separating { faster: 1.5, slower: 2.5, shared: 0.1, own: 0.1, slower_censored: true };
    let r = separation(sim, 0.5);
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(
        r.outcome
            .reason
            .starts_with("the slower learner: right-censored: 24 of 24 trials at d = 32"),
        "{}",
        r.outcome.reason
    );
}

#[test]
fn a_single_value_where_a_separation_expects_a_pair_is_inconclusive() {
    let prediction =
        prediction(ClaimKind::Separation { log_power: 0.0 }, Exponent::AtLeast(0.5), "", "n*");
    let r = run_claim(Arc::new(Synthetic { exponent: 2.0, noise: 0.1, at_size: None }), prediction);
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(r.outcome.reason.contains("a separation trial returns a pair"), "{}", r.outcome.reason);
}

/// A bound margin annotated with two error series, `e_b = size^-0.5` and `e_a = size^1`, each
/// times its own lognormal factor: the exploratory slopes are -0.5, 1 and their ratio's 1.5.
/// `bad_at` puts a non-positive error at one size.
struct Annotating {
    bad_at: Option<u64>,
}

impl Simulation for Annotating {
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
        use rand::RngExt;
        let mut g = || -> f64 { rng.sample(rand_distr::StandardNormal) };
        let margin = Observation::Value(0.1 + 0.05 * g());
        let s = size as f64;
        let e_b = s.powf(-0.5) * (0.2 * g()).exp();
        let e_a = if self.bad_at == Some(size) { 0.0 } else { s * (0.2 * g()).exp() };
        Observation::annotated(margin, vec![e_b, e_a])
    }
}

fn explored(bad_at: Option<u64>) -> (thm::check::ClaimResult, thm::check::ClaimResult) {
    let bound =
        || prediction(ClaimKind::LowerBound, Exponent::AtLeast(0.0), "err ≥ plateau", "margin");
    let spec =
        Exploratory { quantity: "E against d".into(), series: vec!["E_B".into(), "E_A".into()] };
    let annotated = run_explored(Arc::new(Annotating { bad_at }), bound(), Some(spec));
    // The same margins without the annotation: what the verdict sees.
    struct Plain(Annotating);
    impl Simulation for Plain {
        fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
            self.0.trial(size, rng).split_annotation().0
        }
    }
    let plain = run_claim(Arc::new(Plain(Annotating { bad_at })), bound());
    (annotated, plain)
}

#[test]
fn an_exploratory_measurement_recovers_known_slopes_and_leaves_the_verdict_alone() {
    let (r, plain) = explored(None);
    let e = r.exploration.as_ref().expect("the claim declares an exploratory measurement");
    assert_eq!(e.not_fitted, None);
    let slopes: Vec<f64> = e.series.iter().map(|(_, f)| f.exponent).collect();
    let ratio = e.ratio.as_ref().expect("two series have a ratio");
    for (fit, truth) in e.series.iter().map(|(_, f)| f).chain([ratio]).zip([-0.5, 1.0, 1.5]) {
        assert!(
            fit.interval.0 <= truth
                && truth <= fit.interval.1
                && fit.interval.1 - fit.interval.0 < 0.3,
            "slopes {slopes:?}, ratio {:?}: {truth} should lie in a narrow interval {:?}",
            ratio.exponent,
            fit.interval
        );
    }
    // Measured, not judged: the verdict, the fit and the judged observations are those of the
    // same trials without the annotation; only the results hash also covers the raw series.
    assert_eq!(
        (&r.outcome, &r.fit, &r.observations),
        (&plain.outcome, &plain.fit, &plain.observations)
    );
    assert_eq!(plain.auxiliary.len(), 0);
    assert_eq!(r.auxiliary.len(), 5);
    assert_ne!(r.results_hash, plain.results_hash);
    let table = thm::report::text::verdict_table(&[r]);
    assert!(
        table
            .contains("synthetic/synthetic: exploratory, not judged: E against d: slopes E_B -0.5"),
        "{table}"
    );
}

#[test]
fn an_exploratory_value_without_a_logarithm_is_reported_not_fitted() {
    let (r, plain) = explored(Some(128));
    let e = r.exploration.as_ref().unwrap();
    assert!(e.series.is_empty() && e.ratio.is_none());
    let why = e.not_fitted.as_deref().unwrap_or("");
    assert!(why.starts_with("trial 0 at d = 128: E_A = 0 is not a positive number"), "{why}");
    assert_eq!(r.outcome, plain.outcome);
}

#[test]
fn a_certificate_covers_the_exploratory_series_bit_for_bit() {
    use thm::cert::{compare, CertifiedClaim, Comparison};
    let (r, _) = explored(None);
    let source = CardSource { path: "synthetic.toml".into(), text: String::new() };
    let mut certified = CertifiedClaim::new(&source, serde_json::Value::Null, &r);
    assert!(matches!(compare(&certified, &r), Comparison::Identical { .. }));
    // One raw series value altered: the stored hash no longer matches the stored data.
    certified.result["auxiliary"][2][3][1] = serde_json::json!(1.0);
    let Comparison::Differs(why) = compare(&certified, &r) else {
        panic!("an altered exploratory value must be found")
    };
    assert!(why.contains("results hash"), "{why}");
}

#[test]
fn a_full_profile_only_claim_run_on_quick_is_not_run_and_says_why() {
    let text = thm::registry::BUILTIN_CARDS
        .iter()
        .find(|(id, _)| *id == "depth-efficiency-square")
        .unwrap()
        .1
        .replacen("[claims.profiles.quick]\nsizes = [1, 2, 3, 4, 5, 6, 7, 8]\ntrials = 1\n", "", 1);
    let card = thm::registry::load_card(&CardSource { path: "my-card.toml".into(), text }).unwrap();
    let deep = card.claim("deep").unwrap();
    assert!(!deep.runs_on(Profile::Quick) && deep.runs_on(Profile::Full));
    let r = thm::check::run_claim(&card, deep, Profile::Quick, None, &|| {});
    assert_eq!(r.outcome.verdict, Verdict::Inconclusive);
    assert!(r.outcome.reason.starts_with("no quick profile: a full-profile-only claim"));
    assert!(r.observations.is_empty() && r.sizes.is_empty() && r.trials == 0);
    let full = thm::check::run_claim(&card, deep, Profile::Full, None, &|| {});
    assert_eq!(full.outcome.verdict, Verdict::Confirmed, "{}", full.outcome.reason);
}

/// `n*(d) = 3 d^a e^(1.5 g₀ + 0.05 g₁)`: `g₀`, the stream's first normal, is a trial's draw
/// (a data set) that moves the threshold by a factor e^(±1.5) whatever `d` is; `g₁` is read
/// after a size-dependent skip, so it is the size's own noise even when the stream is shared.
struct SharedFactor {
    exponent: f64,
}

impl Simulation for SharedFactor {
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
        use rand::RngExt;
        let g0: f64 = rng.sample(rand_distr::StandardNormal);
        for _ in 0..size.trailing_zeros() {
            let _: f64 = rng.sample(rand_distr::StandardNormal);
        }
        let g1: f64 = rng.sample(rand_distr::StandardNormal);
        let v = 3.0 * (size as f64).powf(self.exponent) * (1.5 * g0 + 0.05 * g1).exp();
        Observation::Value(v)
    }
}

fn shared_factor_claim(shared_draws: bool) -> thm::check::ClaimResult {
    let prediction = prediction(
        ClaimKind::ThresholdScaling { log_power: 0.0 },
        Exponent::Exactly(1.5),
        "n* ~ d^1.5",
        "n*",
    );
    run_with(Arc::new(SharedFactor { exponent: 1.5 }), prediction, None, shared_draws)
}

#[test]
fn shared_draws_give_every_size_the_same_stream_per_trial() {
    let shared = shared_factor_claim(true);
    let own = shared_factor_claim(false);
    // g₀ is the first draw: with shared draws it is the same at every size, so the
    // observations divided by 3 d^1.5 agree to the size's own noise (e^(±0.05 g₁)).
    let factor = |r: &thm::check::ClaimResult, s: usize, t: usize| match r.observations[s][t] {
        Observation::Value(v) => (v / (3.0 * (r.sizes[s] as f64).powf(1.5))).ln(),
        ref o => panic!("{o:?}"),
    };
    for t in 0..shared.trials as usize {
        let spread = |r: &thm::check::ClaimResult| {
            let f: Vec<f64> = (0..r.sizes.len()).map(|s| factor(r, s, t)).collect();
            f.iter().copied().fold(f64::MIN, f64::max) - f.iter().copied().fold(f64::MAX, f64::min)
        };
        assert!(spread(&shared) < 0.5, "trial {t}: shared draws spread {}", spread(&shared));
        if t < 3 {
            assert!(spread(&own) > 0.5, "trial {t}: own draws spread {}", spread(&own));
        }
    }
    assert!(shared.shared_draws && !own.shared_draws);
}

#[test]
fn shared_draws_cancel_a_factor_every_size_shares_and_the_bootstrap_keeps_it_cancelled() {
    // A per-trial factor e^(±1.5) hides the exponent when every (size, trial) draws its own,
    // and cancels when a trial is one draw swept over the sizes: the medians then move
    // together, and the bootstrap, which resamples whole trials across sizes, agrees.
    let shared = shared_factor_claim(true);
    let own = shared_factor_claim(false);
    let fit = shared.fit.as_ref().unwrap();
    let width = |(lo, hi): (f64, f64)| hi - lo;
    assert_eq!(shared.outcome.verdict, Verdict::Confirmed, "{}", shared.outcome.reason);
    assert_eq!(shared.outcome.control.verdict, Verdict::Refuted);
    assert!(width(fit.ci_bootstrap) < 0.1, "shared bootstrap {:?}", fit.ci_bootstrap);
    let own_fit = own.fit.as_ref().unwrap();
    assert!(
        width(own_fit.ci_bootstrap) > 5.0 * width(fit.ci_bootstrap),
        "own {:?} vs shared {:?}",
        own_fit.ci_bootstrap,
        fit.ci_bootstrap
    );
    assert_ne!(own.outcome.verdict, Verdict::Confirmed, "{}", own.outcome.reason);
}
