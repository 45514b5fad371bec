//! Numbers as the API sends them.
//!
//! ImageKit's API is JavaScript on both ends, so every number is an IEEE double
//! and an integral value is written without a fraction (`638`, not `638.0`). The
//! helpers here read integers or floats alike and write integral floats the way
//! `JSON.stringify` would, so a value survives a round trip unchanged.

/// `Option<f64>` fields: read any JSON number, write integral values as integers.
pub(crate) mod opt_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(f) => super::write_f64(*f, s),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Option::<f64>::deserialize(d)
    }
}

/// Required `f64` fields, same rules as [`opt_f64`].
pub(crate) mod f64_js {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        super::write_f64(*v, s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        f64::deserialize(d)
    }
}

/// `Option<u64>` fields the API documents as integers: an integral float such as
/// `12.0` is accepted too, since a JavaScript server may write one.
pub(crate) mod opt_u64 {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_u64(*n),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match Option::<serde_json::Number>::deserialize(d)? {
            None => Ok(None),
            Some(n) => super::number_to_u64(&n)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format_args!("expected a non-negative integer, found {n}"))),
        }
    }
}

/// Required `u64` fields, same rules as [`opt_u64`].
pub(crate) mod u64_lenient {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*v)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        super::number_to_u64(&n)
            .ok_or_else(|| D::Error::custom(format_args!("expected a non-negative integer, found {n}")))
    }
}

fn write_f64<S: serde::Serializer>(f: f64, s: S) -> Result<S::Ok, S::Error> {
    // 2^53: beyond it an f64 no longer holds every integer, and JS prints exponents.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if f.fract() == 0.0 && f.abs() <= EXACT {
        if f >= 0.0 { s.serialize_u64(f as u64) } else { s.serialize_i64(f as i64) }
    } else {
        s.serialize_f64(f)
    }
}

fn number_to_u64(n: &serde_json::Number) -> Option<u64> {
    if let Some(u) = n.as_u64() {
        return Some(u);
    }
    let f = n.as_f64()?;
    (f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64).then_some(f as u64)
}
