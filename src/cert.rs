//! Certificates: everything needed to cite a result and re-run it bit for bit.
//!
//! A certificate is canonical JSON (fixed field order, shortest round-trip floats): format
//! and crate versions, git commit, rustc, target and CPU features, the RNG crates and their
//! pinned versions, the stream-derivation tag, and per claim the card's text and SHA-256, the
//! resolved parameters, the seed and profile, the raw per-trial observations, the fit, the
//! verdict and the SHA-256 of the raw observations. `thm reproduce` re-runs each claim from
//! the embedded card and reports identical bits or the first difference.
//!
//! Identical bits are promised on the same target and CPU-feature set; elsewhere the
//! results agree within rounding, and the verdict should not change.

use crate::card::{CardSource, Profile};
use crate::check::{self, ClaimResult};
use crate::error::Error;
use crate::theorem::Observation;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Version of the certificate format; bumped when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;

/// The pinned RNG crates (kept equal to `Cargo.toml` by a test).
pub const RNG_CRATES: [(&str, &str); 3] =
    [("rand", "0.10.4"), ("rand_chacha", "0.10.0"), ("rand_distr", "0.6.0")];

/// A crate and its exact version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateVersion {
    /// Crate name.
    pub name: String,
    /// Exact version.
    pub version: String,
}

/// The provenance of a build.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// `thm` crate version.
    pub thm_version: String,
    /// Git commit the binary was built from (`-dirty` with uncommitted changes).
    pub git_commit: String,
    /// `rustc --version` of the build.
    pub rustc: String,
    /// Target triple.
    pub target: String,
    /// CPU features that change floating-point bits (FMA, AVX2), detected at run time.
    pub cpu_features: Vec<String>,
    /// RNG crates with their pinned versions.
    pub rng_crates: Vec<CrateVersion>,
    /// The seed-derivation tag of [`crate::rng::DERIVATION`].
    pub stream_derivation: String,
}

impl Build {
    /// This binary's provenance.
    pub fn current() -> Build {
        Build {
            thm_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: env!("THM_GIT_COMMIT").to_string(),
            rustc: env!("THM_RUSTC_VERSION").to_string(),
            target: env!("THM_TARGET").to_string(),
            cpu_features: cpu_features(),
            rng_crates: RNG_CRATES
                .iter()
                .map(|(n, v)| CrateVersion { name: n.to_string(), version: v.to_string() })
                .collect(),
            stream_derivation: crate::rng::DERIVATION.to_string(),
        }
    }
}

fn cpu_features() -> Vec<String> {
    #[allow(unused_mut)]
    let mut out = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        for (name, on) in [
            ("avx2", std::arch::is_x86_feature_detected!("avx2")),
            ("fma", std::arch::is_x86_feature_detected!("fma")),
        ] {
            if on {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// A certificate: one build, one or more claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The build that produced the results.
    pub build: Build,
    /// The certified claims.
    pub claims: Vec<CertifiedClaim>,
}

/// One certified claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertifiedClaim {
    /// The card's file name as given (informational; no absolute path).
    pub card_name: String,
    /// SHA-256 of the card's text (hex).
    pub card_sha256: String,
    /// The card's text, so the claim can be re-run without the file.
    pub card_text: String,
    /// Theorem id.
    pub theorem: String,
    /// Claim id.
    pub claim: String,
    /// Profile run.
    pub profile: Profile,
    /// Master seed used.
    pub seed: u64,
    /// The resolved parameters.
    pub params: serde_json::Value,
    /// The full result: sizes, raw observations, medians, fit, verdict, results hash.
    pub result: serde_json::Value,
}

/// SHA-256 of a text, hex.
pub fn sha256_hex(text: &str) -> String {
    check::to_hex(&Sha256::digest(text.as_bytes()))
}

impl CertifiedClaim {
    /// Certifies a result of a claim from `card`.
    pub fn new(
        card: &CardSource,
        params: serde_json::Value,
        result: &ClaimResult,
    ) -> CertifiedClaim {
        let card_name = card
            .path
            .file_name()
            .map_or_else(|| card.path.display().to_string(), |n| n.to_string_lossy().into_owned());
        CertifiedClaim {
            card_name,
            card_sha256: sha256_hex(&card.text),
            card_text: card.text.clone(),
            theorem: result.theorem.clone(),
            claim: result.claim.clone(),
            profile: result.profile,
            seed: result.seed,
            params,
            result: serde_json::to_value(result).unwrap_or(serde_json::Value::Null),
        }
    }
}

impl Certificate {
    /// The canonical JSON text (pretty-printed, newline-terminated).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parses a certificate and checks that this build can reproduce it.
    ///
    /// # Errors
    /// [`Error::Certificate`] for invalid JSON (with line and column), unknown or missing
    /// fields, another format or crate version, or a card whose hash does not match its text.
    pub fn parse(path: &Path, text: &str) -> Result<Certificate, Error> {
        let err = |message: String| Error::Certificate { path: path.to_path_buf(), message };
        // Read the versions first, so a certificate from another version says so instead of
        // failing on a field that version had.
        let head: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            err(format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column()))
        })?;
        let format = head.get("format_version").and_then(serde_json::Value::as_u64);
        let version = head.pointer("/build/thm_version").and_then(serde_json::Value::as_str);
        match (format, version) {
            (Some(f), _) if f != u64::from(FORMAT_VERSION) => {
                return Err(err(format!(
                    "format version {f}, but this thm reads format {FORMAT_VERSION}"
                )))
            }
            (_, Some(v)) if v != env!("CARGO_PKG_VERSION") => {
                return Err(err(format!(
                    "written by thm {v}, this is thm {}: re-run it with thm {v} (bits are promised per version)",
                    env!("CARGO_PKG_VERSION")
                )))
            }
            (None, _) | (_, None) => {
                return Err(err("missing `format_version` or `build.thm_version`".into()))
            }
            _ => {}
        }
        let cert: Certificate = serde_json::from_value(head).map_err(|e| err(e.to_string()))?;
        for (i, c) in cert.claims.iter().enumerate() {
            if sha256_hex(&c.card_text) != c.card_sha256 {
                return Err(err(format!(
                    "claim {i} ({}/{}): the card text does not match its SHA-256: the certificate was altered",
                    c.theorem, c.claim
                )));
            }
        }
        if cert.claims.is_empty() {
            return Err(err("no claims".into()));
        }
        Ok(cert)
    }
}

/// How a re-run compares with its certificate.
#[derive(Clone, Debug, PartialEq)]
pub enum Comparison {
    /// Every raw observation and every derived number is identical.
    Identical {
        /// The results hash both share.
        results_hash: String,
    },
    /// Something differs; the first difference in words.
    Differs(String),
}

/// Compares a re-run with a certified claim: raw observations first (the first difference by
/// size and trial), then the results hash, then every derived field.
pub fn compare(certified: &CertifiedClaim, rerun: &ClaimResult) -> Comparison {
    let stored_obs: Option<Vec<Vec<Observation>>> =
        certified.result.get("observations").and_then(|v| serde_json::from_value(v.clone()).ok());
    let sizes: Vec<u64> = certified
        .result
        .get("sizes")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let Some(stored_obs) = stored_obs else {
        return Comparison::Differs("the certificate has no readable raw observations".into());
    };
    if sizes != rerun.sizes {
        return Comparison::Differs(format!(
            "sizes differ: certificate {sizes:?}, re-run {:?}",
            rerun.sizes
        ));
    }
    for (s, (a, b)) in stored_obs.iter().zip(&rerun.observations).enumerate() {
        if a.len() != b.len() {
            return Comparison::Differs(format!(
                "size {}: certificate has {} trials, re-run {}",
                sizes[s],
                a.len(),
                b.len()
            ));
        }
        for (t, (x, y)) in a.iter().zip(b).enumerate() {
            if !same_bits(x, y) {
                return Comparison::Differs(format!(
                    "first difference at size {} trial {t}: certificate {x:?}, re-run {y:?}",
                    sizes[s]
                ));
            }
        }
    }
    let stored_hash = certified.result.get("results_hash").and_then(|v| v.as_str()).unwrap_or("");
    let stored_aux: Vec<Vec<Vec<f64>>> = certified
        .result
        .get("auxiliary")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let recomputed = check::hash_results(&stored_obs, &stored_aux);
    if stored_hash != recomputed {
        return Comparison::Differs(format!(
            "the certificate's results hash {stored_hash} does not match its own observations ({recomputed})"
        ));
    }
    let rerun_value = serde_json::to_value(rerun).unwrap_or(serde_json::Value::Null);
    if let Some(field) = first_difference(&certified.result, &rerun_value, String::new()) {
        return Comparison::Differs(format!("raw observations identical, but `{field}` differs"));
    }
    Comparison::Identical { results_hash: rerun.results_hash.clone() }
}

fn same_bits(a: &Observation, b: &Observation) -> bool {
    match (a, b) {
        (Observation::Value(x), Observation::Value(y))
        | (Observation::Censored(x), Observation::Censored(y)) => x.to_bits() == y.to_bits(),
        (Observation::Failed(x), Observation::Failed(y)) => x == y,
        (Observation::Pair(a, b), Observation::Pair(c, d)) => same_bits(a, c) && same_bits(b, d),
        (Observation::Annotated(a, x), Observation::Annotated(b, y)) => {
            same_bits(a, b)
                && x.len() == y.len()
                && x.iter().zip(y).all(|(u, v)| u.to_bits() == v.to_bits())
        }
        _ => false,
    }
}

/// The path of the first field where two JSON values differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                match y.get(k) {
                    Some(w) => {
                        if let Some(p) = first_difference(v, w, path) {
                            return Some(p);
                        }
                    }
                    None => return Some(path),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{at}.{k}"))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at);
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| first_difference(v, w, format!("{at}[{i}]")))
        }
        _ => (a != b).then_some(at),
    }
}
