//! One stored unit: its coordinates, its observation and auxiliary values with every `f64`
//! stored as its bit pattern, and a checksum over all of it.
//!
//! The file is one JSON object. Floats are written as 16 hexadecimal digits of their IEEE-754
//! bits, so a NaN, an infinity and every last bit survive (JSON has no NaN, and a decimal
//! round trip is only as good as the printer). The checksum is the SHA-256 of the record's
//! canonical JSON without the checksum field: a record that was truncated, edited or written
//! for another key is detected and never used.

use crate::theorem::Observation;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The record format tag.
pub const RECORD_FORMAT: &str = "thm-unit/1";

/// One unit's result, with the coordinates that say what it is (for `thm store ls` and `gc`).
#[derive(Clone, Debug, PartialEq)]
pub struct UnitRecord {
    /// The unit's key ([`super::UnitId::key`]).
    pub key: String,
    /// Theorem id.
    pub theorem: String,
    /// The claim whose streams the unit read.
    pub claim: String,
    /// `quick` or `full`.
    pub profile: String,
    /// Master seed.
    pub seed: u64,
    /// Size.
    pub size: u64,
    /// Trial index.
    pub trial: u64,
    /// The sanitised observation.
    pub observation: Observation,
    /// The auxiliary values of an exploratory measurement (empty when none).
    pub auxiliary: Vec<f64>,
}

fn bits(v: f64) -> Value {
    Value::String(format!("{:016x}", v.to_bits()))
}

fn unbits(v: &Value) -> Result<f64, String> {
    let s = v.as_str().ok_or("a float is not a bit string")?;
    if s.len() != 16 {
        return Err(format!("float bits `{s}` are not 16 hex digits"));
    }
    u64::from_str_radix(s, 16).map(f64::from_bits).map_err(|e| format!("float bits `{s}`: {e}"))
}

fn encode_observation(o: &Observation) -> Value {
    match o {
        Observation::Value(v) => json!({ "value": bits(*v) }),
        Observation::Censored(v) => json!({ "censored": bits(*v) }),
        Observation::Failed(r) => json!({ "failed": r }),
        Observation::Pair(a, b) => {
            json!({ "pair": [encode_observation(a), encode_observation(b)] })
        }
        // Split off before a unit is stored; stored as what it annotates.
        Observation::Annotated(a, _) => encode_observation(a),
    }
}

fn decode_observation(v: &Value) -> Result<Observation, String> {
    let map =
        v.as_object().filter(|m| m.len() == 1).ok_or("an observation is not a tagged object")?;
    let (tag, inner) = map.iter().next().ok_or("empty observation")?;
    match tag.as_str() {
        "value" => Ok(Observation::Value(unbits(inner)?)),
        "censored" => Ok(Observation::Censored(unbits(inner)?)),
        "failed" => {
            Ok(Observation::Failed(inner.as_str().ok_or("a failure without a reason")?.into()))
        }
        "pair" => match inner.as_array().map(Vec::as_slice) {
            Some([a, b]) => Ok(Observation::pair(decode_observation(a)?, decode_observation(b)?)),
            _ => Err("a pair without two sides".into()),
        },
        other => Err(format!("unknown observation tag `{other}`")),
    }
}

fn checksum(body: &Map<String, Value>) -> String {
    // serde_json's maps are sorted by key (no `preserve_order` feature), so the text is
    // canonical.
    let text = Value::Object(body.clone()).to_string();
    crate::check::to_hex(&Sha256::digest(text.as_bytes()))
}

impl UnitRecord {
    /// The record's file text: one JSON object, newline-terminated.
    pub fn to_text(&self) -> String {
        let mut body = Map::new();
        body.insert("format".into(), json!(RECORD_FORMAT));
        body.insert("key".into(), json!(self.key));
        body.insert("theorem".into(), json!(self.theorem));
        body.insert("claim".into(), json!(self.claim));
        body.insert("profile".into(), json!(self.profile));
        body.insert("seed".into(), json!(self.seed.to_string()));
        body.insert("size".into(), json!(self.size));
        body.insert("trial".into(), json!(self.trial));
        body.insert("observation".into(), encode_observation(&self.observation));
        body.insert(
            "auxiliary".into(),
            Value::Array(self.auxiliary.iter().map(|v| bits(*v)).collect()),
        );
        let sum = checksum(&body);
        body.insert("checksum".into(), json!(sum));
        let mut text = Value::Object(body).to_string();
        text.push('\n');
        text
    }

    /// Parses a record's text and checks its format and checksum.
    ///
    /// # Errors
    /// Why the text is not a valid record: not JSON (a truncated write), another format, a
    /// missing or mistyped field, a checksum that does not match (an edited or damaged file).
    pub fn parse(text: &str) -> Result<UnitRecord, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not a JSON record ({e})"))?;
        let Value::Object(mut body) = value else { return Err("not a JSON object".into()) };
        let stated = match body.remove("checksum") {
            Some(Value::String(s)) => s,
            _ => return Err("no checksum".into()),
        };
        if checksum(&body) != stated {
            return Err("checksum mismatch: the record was damaged or edited".into());
        }
        let text_field = |name: &str| -> Result<String, String> {
            body.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("field `{name}` missing or not a string"))
        };
        let number = |name: &str| -> Result<u64, String> {
            body.get(name)
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("field `{name}` missing or not a number"))
        };
        let format = text_field("format")?;
        if format != RECORD_FORMAT {
            return Err(format!("format `{format}`, this thm reads `{RECORD_FORMAT}`"));
        }
        let seed = text_field("seed")?.parse::<u64>().map_err(|e| format!("field `seed`: {e}"))?;
        let auxiliary = body
            .get("auxiliary")
            .and_then(Value::as_array)
            .ok_or("field `auxiliary` missing")?
            .iter()
            .map(unbits)
            .collect::<Result<Vec<f64>, String>>()?;
        Ok(UnitRecord {
            key: text_field("key")?,
            theorem: text_field("theorem")?,
            claim: text_field("claim")?,
            profile: text_field("profile")?,
            seed,
            size: number("size")?,
            trial: number("trial")?,
            observation: decode_observation(
                body.get("observation").ok_or("field `observation` missing")?,
            )?,
            auxiliary,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(observation: Observation, auxiliary: Vec<f64>) -> UnitRecord {
        UnitRecord {
            key: "ab".repeat(32),
            theorem: "information-exponent".into(),
            claim: "k1".into(),
            profile: "quick".into(),
            seed: u64::MAX,
            size: 64,
            trial: 7,
            observation,
            auxiliary,
        }
    }

    #[test]
    fn every_observation_and_every_bit_round_trips() {
        let cases = [
            record(Observation::Value(0.1 + 0.2), vec![]),
            record(Observation::Censored(1e300), vec![f64::NAN, f64::INFINITY, -0.0, 5e-324]),
            record(Observation::Failed("diverged at step 3 \"quoted\"".into()), vec![]),
            record(
                Observation::pair(Observation::Value(1.5), Observation::Censored(2.0)),
                vec![1.0],
            ),
        ];
        for r in cases {
            let back = UnitRecord::parse(&r.to_text()).unwrap();
            assert_eq!(back.key, r.key);
            assert_eq!(back.seed, u64::MAX);
            assert_eq!(format!("{:?}", back.observation), format!("{:?}", r.observation));
            let b: Vec<u64> = back.auxiliary.iter().map(|v| v.to_bits()).collect();
            let a: Vec<u64> = r.auxiliary.iter().map(|v| v.to_bits()).collect();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn truncated_edited_or_foreign_records_are_refused_with_a_reason() {
        let text = record(Observation::Value(2.0), vec![]).to_text();
        let truncated = &text[..text.len() / 2];
        assert!(UnitRecord::parse(truncated).unwrap_err().contains("not a JSON record"));
        let edited = text.replace("\"trial\":7", "\"trial\":8");
        assert!(UnitRecord::parse(&edited).unwrap_err().contains("checksum mismatch"));
        let foreign = text.replace(RECORD_FORMAT, "thm-unit/0");
        assert!(UnitRecord::parse(&foreign).unwrap_err().contains("checksum mismatch"));
        assert!(UnitRecord::parse("").is_err());
        assert!(UnitRecord::parse("[]").is_err());
    }
}
