//! The contract between the harness and a theorem module.
//!
//! A module implements [`TypedTheorem`]: a parameter type whose hypotheses it validates, the
//! prediction it computes from validated parameters, and one seeded trial of its simulation.
//! The blanket impl of the object-safe [`Theorem`] turns it into something the registry can
//! hold: it parses a card with the module's parameter type, validates every claim, and binds
//! each claim's parameters to the simulation.
//!
//! **API Boundary:** this is where strings (card fields) become types. Past [`Theorem::load`]
//! nothing is parsed and nothing can be invalid; a trial that diverges returns
//! [`Observation::Failed`], which the harness turns into an `inconclusive` verdict.

use crate::card::{CardDoc, CardSource, Citation, ClaimDoc, ControlDoc, Profile, Sweep};
use crate::error::{Error, Violation};
use crate::law::{Control, Judge, Prediction, RivalLaw};
use crate::resources::TrialCost;
use crate::rng::Rng;
use crate::stats;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::ops::Deref;
use std::sync::Arc;

/// Parameters whose hypotheses have been checked. Built only by [`Validated::check`], so a
/// function taking `&Validated<P>` cannot be handed unchecked parameters.
#[derive(Clone, Debug)]
pub struct Validated<P> {
    params: P,
}

impl<P> Validated<P> {
    /// Validates `params` for the sweep `sizes` with the module's hypotheses.
    ///
    /// # Errors
    /// Every violated hypothesis, not only the first.
    pub fn check<T>(theorem: &T, params: P, sizes: &[u64]) -> Result<Validated<P>, Vec<Violation>>
    where
        T: TypedTheorem<Params = P> + ?Sized,
    {
        let violations = theorem.violations(&params, sizes);
        if violations.is_empty() {
            Ok(Validated { params })
        } else {
            Err(violations)
        }
    }
}

impl<P> Deref for Validated<P> {
    type Target = P;
    fn deref(&self) -> &P {
        &self.params
    }
}

/// What one trial measured at one size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Observation {
    /// The observable (a threshold n*, an error).
    Value(f64),
    /// A threshold not reached within the budget: it exceeds this value (right-censored).
    Censored(f64),
    /// The simulation broke down (NaN, divergence); the reason says where.
    Failed(String),
    /// Two thresholds measured on the same draw of a target by two learners, the **faster**
    /// one (e.g. a deep network) first and the **slower** one (e.g. a kernel) second: what a
    /// trial of a [`crate::law::ClaimKind::Separation`] claim returns. Each side is a `Value`,
    /// `Censored` or `Failed`.
    Pair(Box<Observation>, Box<Observation>),
    /// A judged observation with the auxiliary values of the claim's [`Exploratory`]
    /// measurement. Exists only between a trial and the harness: `check` splits the values off
    /// before anything is stored, so results hold only the other variants.
    Annotated(Box<Observation>, Vec<f64>),
}

impl Observation {
    /// A pair of thresholds on the same target, faster learner first.
    pub fn pair(faster: Observation, slower: Observation) -> Observation {
        Observation::Pair(Box::new(faster), Box::new(slower))
    }

    /// A judged observation carrying the auxiliary values of an exploratory measurement, in
    /// the order of [`Exploratory::series`].
    pub fn annotated(judged: Observation, auxiliary: Vec<f64>) -> Observation {
        Observation::Annotated(Box::new(judged), auxiliary)
    }

    /// The judged observation and the auxiliary values (empty when there are none).
    pub fn split_annotation(self) -> (Observation, Vec<f64>) {
        match self {
            Observation::Annotated(judged, auxiliary) => (judged.split_annotation().0, auxiliary),
            obs => (obs, Vec::new()),
        }
    }

    /// The observation with every non-finite value turned into a failure naming it (a
    /// `Value(NaN)` is a broken simulation, not a number). Auxiliary values are left as they
    /// are: the exploratory fit reports them.
    pub fn sanitised(self) -> Observation {
        match self {
            Observation::Value(v) if !v.is_finite() => {
                Observation::Failed(format!("the observable is {v}"))
            }
            Observation::Pair(a, b) => Observation::pair(a.sanitised(), b.sanitised()),
            Observation::Annotated(a, aux) => Observation::annotated(a.sanitised(), aux),
            obs => obs,
        }
    }

    /// A threshold read off an order parameter observed on an increasing `grid` of a resource
    /// ($n$, a width): where the **running maximum** of `order_parameter` first reaches
    /// `level`, interpolated in $\log$ ([`stats::log_interpolated_crossing`]), times `scale`
    /// (the claim's scale, e.g. $d^\ell/N_\ell(d)$; 1 for raw counts). Already at the level at
    /// the first grid point: that point (the threshold lies at or below it). Never reached:
    /// censored at the last grid point.
    ///
    /// ```
    /// use thm::theorem::Observation;
    /// let n = [10.0, 100.0, 1000.0];
    /// // The dip after the crossing does not matter: the running maximum stays above 1/2.
    /// let Observation::Value(v) = Observation::threshold(&n, &[0.0, 1.0, 0.2], 0.5, 2.0) else {
    ///     panic!("crossed between 10 and 100")
    /// };
    /// assert!((v - 2.0 * 10f64.powf(1.5)).abs() < 1e-9);
    /// assert_eq!(Observation::threshold(&n, &[0.0, 0.1, 0.2], 0.5, 1.0), Observation::Censored(1000.0));
    /// ```
    pub fn threshold(grid: &[f64], order_parameter: &[f64], level: f64, scale: f64) -> Observation {
        let Some(&last) = grid.last() else {
            return Observation::Failed("a threshold needs a non-empty grid".into());
        };
        let mut running = f64::NEG_INFINITY;
        let maxima: Vec<f64> = order_parameter
            .iter()
            .map(|&v| {
                running = running.max(v);
                running
            })
            .collect();
        match stats::log_interpolated_crossing(grid, &maxima, level) {
            stats::Crossing::At(v) => Observation::Value(v * scale),
            stats::Crossing::AtStart => Observation::Value(grid[0] * scale),
            stats::Crossing::NotReached => Observation::Censored(last * scale),
        }
    }
}

/// A supplementary figure a module draws for one size of a claim, beside the claim's fit: e.g.
/// a learning curve with its analytic plateaus. Pure data; `report::figure` draws it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    /// Suffix of the file name, e.g. `d16`.
    pub name: String,
    /// Title.
    pub title: String,
    /// Horizontal axis label.
    pub x_label: String,
    /// Vertical axis label.
    pub y_label: String,
    /// Logarithmic horizontal axis.
    pub log_x: bool,
    /// Logarithmic vertical axis.
    pub log_y: bool,
    /// Simulated points, one per (trial, x).
    pub points: Vec<(f64, f64)>,
    /// Median over trials per x.
    pub medians: Vec<(f64, f64)>,
    /// Analytic curves, labelled, in legend order.
    pub curves: Vec<(String, Vec<(f64, f64)>)>,
}

/// An exploratory measurement reported beside a claim's verdict: a quantity the theory leaves
/// open, so it has no prediction, no verdict and no control, and it never changes the exit
/// code. It is read off auxiliary values that the claim's own trials return
/// ([`Observation::annotated`]), so it costs no extra simulation. The harness fits the log-log
/// slope of each series' per-size median against the size, and the slope of the ratio of the
/// last series' median to the first's, with Student-t and bootstrap intervals
/// ([`crate::check::Exploration`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exploratory {
    /// What is measured, e.g. `ln E1 against ln r`.
    pub quantity: String,
    /// The names of the auxiliary series, in the order the trials return them.
    pub series: Vec<String>,
}

/// Text for `thm show`: what the module assumes and measures.
#[derive(Clone, Copy, Debug)]
pub struct About {
    /// The hypotheses, each as (card field, statement), in the order of the module docs.
    pub hypotheses: &'static [(&'static str, &'static str)],
    /// What is simulated and what the observable is.
    pub simulation: &'static str,
}

/// A theorem module, with its parameter type.
pub trait TypedTheorem: Sync + Send + 'static {
    /// One field per assumption, each documented with the paper's symbol.
    type Params: DeserializeOwned + Serialize + Clone + Send + Sync + std::fmt::Debug + 'static;

    /// Stable kebab-case id; the built-in card is `theorems/<id>.toml`.
    fn id(&self) -> &'static str;

    /// Hypotheses and simulation in words.
    fn about(&self) -> &'static About;

    /// Every hypothesis that `params` with the sweep `sizes` violates. Fields are named as in
    /// the card (`params.<name>` or `sizes`).
    fn violations(&self, params: &Self::Params, sizes: &[u64]) -> Vec<Violation>;

    /// The predicted law, computed from the parameters (never read from a card).
    fn predict(&self, params: &Validated<Self::Params>) -> Prediction;

    /// One trial at one size, with its own random stream.
    fn trial(&self, params: &Validated<Self::Params>, size: u64, rng: &mut Rng) -> Observation;

    /// The estimated peak memory and time of one trial at `size`, from the parameters alone
    /// ([`crate::resources`]): what the resource guard holds a run to and `thm plan` balances
    /// shards on. Cheap and total: it must not allocate what it estimates, and it saturates
    /// (an overflowing count is `f64::INFINITY`, refused by the guard) rather than fail.
    fn cost(&self, params: &Validated<Self::Params>, size: u64) -> TrialCost;

    /// A supplementary figure at one size, or `None` if the module draws none (the default).
    /// `stream(i)` is the generator of the figure's `i`-th run at this size.
    ///
    /// # Errors
    /// Why the figure could not be computed (a failed factorisation, say).
    fn panel(
        &self,
        params: &Validated<Self::Params>,
        size: u64,
        stream: &dyn Fn(u64) -> Rng,
    ) -> Option<Result<Panel, String>> {
        let _ = (params, size, stream);
        None
    }

    /// The exploratory measurement this claim's trials annotate, or `None` (the default).
    fn exploratory(&self, params: &Validated<Self::Params>) -> Option<Exploratory> {
        let _ = params;
        None
    }

    /// Where the module's **finite-size prediction** of this claim's observable comes from,
    /// if it has one: the formula, the order of the neglected term and the source, in one
    /// line. `None` (the default): the module predicts only the asymptotic law, and a card
    /// may not ask for `judge = "finite-size"`.
    fn finite_size_provenance(&self, params: &Validated<Self::Params>) -> Option<String> {
        let _ = params;
        None
    }

    /// The theory's value of the observable at each of `sizes` (in the units of the trials'
    /// observations): exact, or to the order the provenance states. Pure and deterministic.
    ///
    /// # Errors
    /// Why it cannot be computed at these sizes (the default: the module has none).
    fn finite_size(
        &self,
        params: &Validated<Self::Params>,
        sizes: &[u64],
    ) -> Result<Vec<f64>, String> {
        let _ = (params, sizes);
        Err("the module computes no finite-size prediction".into())
    }

    /// The rival laws a sceptic would propose for this claim, nearest first; a card names one
    /// as its control (`control = { rival = "…" }`).
    fn rivals(&self, params: &Validated<Self::Params>) -> Vec<RivalLaw> {
        let _ = params;
        Vec::new()
    }

    /// A rival's value of the observable at each of `sizes`, up to a constant factor: its
    /// finite-size curve where the module has one, else its asymptotic law.
    ///
    /// # Errors
    /// An unknown rival, or why it cannot be computed at these sizes.
    fn rival_curve(
        &self,
        params: &Validated<Self::Params>,
        rival: &str,
        sizes: &[u64],
    ) -> Result<Vec<f64>, String> {
        let _ = (params, sizes);
        Err(format!("the module has no rival `{rival}`"))
    }
}

/// A claim whose parameters are validated and bound to its module's simulation.
pub trait Simulation: Send + Sync {
    /// One trial at one size.
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation;

    /// The estimated cost of one trial at one size ([`TypedTheorem::cost`]); nothing for a
    /// simulation that is not a module's (the harness's test doubles).
    fn cost(&self, size: u64) -> TrialCost {
        let _ = size;
        TrialCost::default()
    }

    /// The module's supplementary figure at one size, if it draws one.
    fn panel(&self, size: u64, stream: &dyn Fn(u64) -> Rng) -> Option<Result<Panel, String>> {
        let _ = (size, stream);
        None
    }

    /// The module's finite-size prediction at `sizes` ([`TypedTheorem::finite_size`]).
    ///
    /// # Errors
    /// Why it cannot be computed.
    fn finite_size(&self, sizes: &[u64]) -> Result<Vec<f64>, String> {
        let _ = sizes;
        Err("the module computes no finite-size prediction".into())
    }

    /// A rival's curve at `sizes` ([`TypedTheorem::rival_curve`]).
    ///
    /// # Errors
    /// An unknown rival, or why it cannot be computed.
    fn rival_curve(&self, rival: &str, sizes: &[u64]) -> Result<Vec<f64>, String> {
        let _ = sizes;
        Err(format!("no rival `{rival}`"))
    }
}

struct Bound<T: TypedTheorem> {
    theorem: &'static T,
    params: Validated<T::Params>,
}

impl<T: TypedTheorem> Simulation for Bound<T> {
    fn trial(&self, size: u64, rng: &mut Rng) -> Observation {
        self.theorem.trial(&self.params, size, rng)
    }

    fn cost(&self, size: u64) -> TrialCost {
        self.theorem.cost(&self.params, size)
    }

    fn panel(&self, size: u64, stream: &dyn Fn(u64) -> Rng) -> Option<Result<Panel, String>> {
        self.theorem.panel(&self.params, size, stream)
    }

    fn finite_size(&self, sizes: &[u64]) -> Result<Vec<f64>, String> {
        self.theorem.finite_size(&self.params, sizes)
    }

    fn rival_curve(&self, rival: &str, sizes: &[u64]) -> Result<Vec<f64>, String> {
        self.theorem.rival_curve(&self.params, rival, sizes)
    }
}

/// A card whose claims are all validated and ready to run.
#[derive(Clone)]
pub struct LoadedCard {
    /// Where the card came from, and its text (hashed into certificates).
    pub source: CardSource,
    /// Theorem id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Citation.
    pub citation: Citation,
    /// Statement in prose.
    pub statement: String,
    /// The module's hypotheses and simulation in words.
    pub about: &'static About,
    /// The claims, in card order.
    pub claims: Vec<LoadedClaim>,
}

impl LoadedCard {
    /// The claim with this id.
    ///
    /// # Errors
    /// [`Error::UnknownClaim`] naming the card's claims.
    pub fn claim(&self, id: &str) -> Result<&LoadedClaim, Error> {
        self.claims.iter().find(|c| c.id == id).ok_or_else(|| Error::UnknownClaim {
            theorem: self.id.clone(),
            claim: id.to_string(),
            known: self.claims.iter().map(|c| c.id.clone()).collect(),
        })
    }
}

/// One validated claim.
#[derive(Clone)]
pub struct LoadedClaim {
    /// Claim id.
    pub id: String,
    /// One sentence.
    pub description: String,
    /// Master seed from the card.
    pub seed: u64,
    /// Half-width of the predicted set.
    pub tolerance: f64,
    /// Why the tolerance has this size.
    pub tolerance_reason: String,
    /// The falsification control: a shift of the prediction, or a rival law.
    pub control: Control,
    /// How the claim is judged: its asymptotic exponent, or against the finite-size curve.
    pub judge: Judge,
    /// The module's finite-size prediction's provenance, when it has one for this claim.
    pub finite_size: Option<String>,
    /// Every rival law the module proposes for this claim (for `thm show`).
    pub rivals: Vec<RivalLaw>,
    /// A twin's original: the earlier claim whose trials (streams, parameters, sweeps) this
    /// claim judges; `None` for a claim with trials of its own.
    pub trials_of: Option<String>,
    /// The quick sweep; `None` for a full-profile-only claim.
    pub quick: Option<Sweep>,
    /// The full sweep; `None` for a quick-profile-only claim. A loaded claim has at least
    /// one of the two.
    pub full: Option<Sweep>,
    /// The resolved parameters, as the card gave them (for reports and certificates).
    pub params: serde_json::Value,
    /// Earlier claims of the card that must be confirmed before this one runs.
    pub requires: Vec<String>,
    /// Whether trial `t` draws from the same stream at every size (card `shared_draws`).
    pub shared_draws: bool,
    /// The module's exploratory measurement, if its trials annotate one.
    pub exploratory: Option<Exploratory>,
    /// The module's prediction.
    pub prediction: Prediction,
    /// The bound simulation.
    pub simulation: Arc<dyn Simulation>,
}

impl LoadedClaim {
    /// The sweep of a profile; `None` for a profile the claim lacks.
    pub fn sweep(&self, profile: Profile) -> Option<&Sweep> {
        match profile {
            Profile::Quick => self.quick.as_ref(),
            Profile::Full => self.full.as_ref(),
        }
    }

    /// Whether the claim has a sweep for `profile` (every claim has at least one).
    pub fn runs_on(&self, profile: Profile) -> bool {
        self.sweep(profile).is_some()
    }

    /// The claim whose random streams the trials read: the twin's original, else itself.
    pub fn trials_owner(&self) -> &str {
        self.trials_of.as_deref().unwrap_or(&self.id)
    }
}

/// The object-safe face of a theorem module, held by the registry.
pub trait Theorem: Sync {
    /// Stable kebab-case id.
    fn id(&self) -> &'static str;
    /// Hypotheses and simulation in words.
    fn about(&self) -> &'static About;
    /// Parses a card with this module's parameter type and validates every claim for each
    /// profile it has (at least one).
    ///
    /// # Errors
    /// [`Error::Card`] for parse errors and unknown or missing fields; [`Error::Hypotheses`]
    /// listing every violated hypothesis of the first claim that has any.
    fn load(&'static self, src: &CardSource) -> Result<LoadedCard, Error>;
}

impl<T: TypedTheorem> Theorem for T {
    fn id(&self) -> &'static str {
        TypedTheorem::id(self)
    }

    fn about(&self) -> &'static About {
        TypedTheorem::about(self)
    }

    fn load(&'static self, src: &CardSource) -> Result<LoadedCard, Error> {
        let doc: CardDoc<T::Params> = toml::from_str(&src.text).map_err(|e| src.error(&e))?;
        // An error at the start of `span`, in the claims' field `field`.
        let card_error = |span: std::ops::Range<usize>, field: &str, message: String| {
            let (line, column) = src.line_col(span.start);
            Error::Card { path: src.path.clone(), line, column, field: Some(field.into()), message }
        };
        if let Some(dup) = doc.claims.iter().enumerate().find_map(|(i, c)| {
            doc.claims[..i].iter().any(|o| o.id.get_ref() == c.id.get_ref()).then_some(&c.id)
        }) {
            let message = format!("claim id `{}` appears twice", dup.get_ref());
            return Err(card_error(dup.span(), "claims.id", message));
        }
        for (i, claim) in doc.claims.iter().enumerate() {
            let earlier: Vec<&String> = doc.claims[..i].iter().map(|c| c.id.get_ref()).collect();
            if let Some(req) = claim.requires.iter().find(|r| !earlier.contains(&r.get_ref())) {
                let known = if earlier.is_empty() {
                    "it is the card's first claim".to_string()
                } else {
                    let names: Vec<String> = earlier.iter().map(|e| format!("`{e}`")).collect();
                    format!("earlier claims: {}", names.join(", "))
                };
                let message = format!(
                    "claim `{}` requires `{}`, which is not an earlier claim of this card \
                     ({known})",
                    claim.id.get_ref(),
                    req.get_ref()
                );
                return Err(card_error(req.span(), "claims.requires", message));
            }
        }
        if let Some(e) = doc.claims.iter().find_map(|c| c.missing_profiles(src)) {
            return Err(e);
        }
        // A prerequisite runs on the profile of the claim that needs it, so a claim with a
        // profile cannot rest on one that lacks it (a quick claim on a full-profile-only one,
        // a full claim on a quick-profile-only one).
        for claim in &doc.claims {
            for profile in Profile::ALL.into_iter().filter(|&p| claim.profiles.get(p).is_some()) {
                let lacking = claim.requires.iter().find(|r| {
                    doc.claims
                        .iter()
                        .any(|c| c.id.get_ref() == r.get_ref() && c.profiles.get(profile).is_none())
                });
                if let Some(req) = lacking {
                    let message = format!(
                        "claim `{}` has a {p} profile but requires `{}`, which is {other}-profile \
                         only (it has no [claims.profiles.{p}])",
                        claim.id.get_ref(),
                        req.get_ref(),
                        p = profile.name(),
                        other = profile.other().name(),
                    );
                    return Err(card_error(req.span(), "claims.requires", message));
                }
            }
        }
        let mut claims: Vec<LoadedClaim> = Vec::with_capacity(doc.claims.len());
        for claim in &doc.claims {
            let mut loaded = load_claim(self, src, claim)?;
            if let Some(of) = &claim.trials_of {
                let original = claims.iter().find(|c| c.id == *of.get_ref()).ok_or_else(|| {
                    let message = format!(
                        "claim `{}` judges the trials of `{}`, which is not an earlier claim \
                         of this card",
                        loaded.id,
                        of.get_ref()
                    );
                    card_error(of.span(), "claims.trials_of", message)
                })?;
                if let Some(what) = twin_mismatch(original, &loaded) {
                    let message = format!(
                        "claim `{}` judges the trials of `{}`, so its {what} must equal that \
                         claim's",
                        loaded.id, original.id
                    );
                    return Err(card_error(of.span(), "claims.trials_of", message));
                }
                // A twin of a twin reads the first claim's streams.
                loaded.trials_of = Some(original.trials_owner().to_string());
            }
            claims.push(loaded);
        }
        if claims.is_empty() {
            return Err(Error::Card {
                path: src.path.clone(),
                line: 1,
                column: 1,
                field: Some("claims".into()),
                message: "a card needs at least one [[claims]] table".into(),
            });
        }
        Ok(LoadedCard {
            source: src.clone(),
            id: doc.id,
            title: doc.title,
            citation: doc.citation,
            statement: doc.statement,
            about: TypedTheorem::about(self),
            claims,
        })
    }
}

/// What a twin (`trials_of`) does not share with its original, if anything: the data must be
/// the same bits.
fn twin_mismatch(original: &LoadedClaim, twin: &LoadedClaim) -> Option<&'static str> {
    if twin.params != original.params {
        Some("params")
    } else if twin.seed != original.seed {
        Some("seed")
    } else if twin.shared_draws != original.shared_draws {
        Some("shared_draws")
    } else if twin.quick != original.quick || twin.full != original.full {
        Some("profiles")
    } else {
        None
    }
}

fn load_claim<T: TypedTheorem>(
    theorem: &'static T,
    src: &CardSource,
    claim: &ClaimDoc<T::Params>,
) -> Result<LoadedClaim, Error> {
    let mut violations = claim.generic_violations(src);
    let params_span = claim.params.span();
    let mut validated = None;
    for profile in Profile::ALL {
        let Some(sweep) = claim.profiles.get(profile) else { continue };
        let sizes = &sweep.get_ref().sizes;
        match Validated::check(theorem, claim.params.get_ref().clone(), sizes) {
            Ok(v) => validated = validated.or(Some(v)),
            Err(vs) => {
                for mut v in vs {
                    if let Some(name) = v.field.strip_prefix("params.") {
                        v.line = v.line.or_else(|| src.key_line(params_span.clone(), name));
                    } else if v.field == "sizes" {
                        v.field = format!("profiles.{}.sizes", profile.name());
                        v.line = src.key_line(sweep.span(), "sizes");
                    }
                    if !violations.contains(&v) {
                        violations.push(v);
                    }
                }
            }
        }
    }
    let params = match validated {
        Some(p) if violations.is_empty() => p,
        _ => {
            return Err(Error::Hypotheses {
                path: src.path.clone(),
                claim: claim.id.get_ref().clone(),
                violations,
            })
        }
    };
    let prediction = theorem.predict(&params);
    let exploratory = theorem.exploratory(&params);
    let params_json = serde_json::to_value(&*params).unwrap_or(serde_json::Value::Null);
    let rivals = theorem.rivals(&params);
    let finite_size = theorem.finite_size_provenance(&params);
    let at = |span: std::ops::Range<usize>, field: &str, message: String| {
        let (line, column) = src.line_col(span.start);
        Error::Card { path: src.path.clone(), line, column, field: Some(field.into()), message }
    };
    let id = claim.id.get_ref();
    let control = match claim.control.get_ref() {
        ControlDoc::Shift(delta) => Control::Shift(*delta),
        ControlDoc::Rival(name) => match rivals.iter().find(|r| r.name == *name) {
            Some(r) => Control::Rival(r.clone()),
            None => {
                let known: Vec<String> =
                    rivals.iter().map(|r| format!("`{}` ({})", r.name, r.law)).collect();
                let known = if known.is_empty() {
                    "the module proposes none for this design: use control = { shift = … }"
                        .to_string()
                } else {
                    format!("known rivals: {}", known.join(", "))
                };
                return Err(at(
                    claim.control.span(),
                    "control.rival",
                    format!("claim `{id}`: unknown rival `{name}`; {known}"),
                ));
            }
        },
    };
    if claim.judge == Judge::FiniteSize && finite_size.is_none() {
        let (id_line, _) = src.line_col(claim.id.span().start);
        return Err(Error::Card {
            path: src.path.clone(),
            line: src.key_line(claim.id.span(), "judge").unwrap_or(id_line),
            column: 1,
            field: Some("judge".into()),
            message: format!(
                "claim `{id}`: judge = \"finite-size\", but module `{}` computes no \
                 finite-size prediction for this design; accepted: judge = \"exponent\"",
                theorem.id()
            ),
        });
    }
    Ok(LoadedClaim {
        id: claim.id.get_ref().clone(),
        description: claim.description.clone(),
        seed: claim.seed,
        tolerance: *claim.tolerance.get_ref(),
        tolerance_reason: claim.tolerance_reason.clone(),
        control,
        judge: claim.judge,
        finite_size,
        rivals,
        trials_of: claim.trials_of.as_ref().map(|t| t.get_ref().clone()),
        quick: claim.profiles.quick.as_ref().map(|q| q.get_ref().clone()),
        full: claim.profiles.full.as_ref().map(|f| f.get_ref().clone()),
        params: params_json,
        requires: claim.requires.iter().map(|r| r.get_ref().clone()).collect(),
        shared_draws: claim.shared_draws,
        exploratory,
        prediction,
        simulation: Arc::new(Bound { theorem, params }),
    })
}
