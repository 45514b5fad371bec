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

/// `Option<u64>` fields for integers: sizes, dimensions, durations, counts.
///
/// The API sends integers here, but the official models type them as `number`,
/// which allows a fraction, and a JavaScript server may write `12.0`. So any
/// non-negative JSON number is accepted: an integral value exactly, a fraction
/// rounded to the nearest integer (halves away from zero: `12.5` reads as `13`).
/// A negative or out-of-range number is an error naming the value.
pub(crate) mod opt_u64 {
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_u64(*n),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_option(super::OptU64Visitor)
    }
}

/// Required `u64` fields, same rules as [`opt_u64`].
pub(crate) mod u64_lenient {
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*v)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(super::U64Visitor)
    }
}

/// Reads a JSON number as a `u64` by the rules of [`opt_u64`], without going
/// through `serde_json::Number` (listings read several per file).
struct U64Visitor;

impl serde::de::Visitor<'_> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a non-negative number")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom(format_args!("expected a non-negative number, found {v}")))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
        f64_to_u64(v).ok_or_else(|| E::custom(format_args!("expected a non-negative number, found {v}")))
    }
}

struct OptU64Visitor;

impl<'de> serde::de::Visitor<'de> for OptU64Visitor {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a non-negative number or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_any(U64Visitor).map(Some)
    }
}

/// The nearest `u64` to a finite, non-negative `f64` (halves away from zero).
fn f64_to_u64(f: f64) -> Option<u64> {
    let r = f.round();
    // `u64::MAX as f64` is 2^64, one past the largest u64.
    (r >= 0.0 && r < u64::MAX as f64).then_some(r as u64)
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

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, with = "super::opt_u64")]
        n: Option<u64>,
        #[serde(default, with = "super::u64_lenient")]
        m: u64,
    }

    fn read(json: &str) -> Result<(Option<u64>, u64), String> {
        serde_json::from_str::<T>(json).map(|t| (t.n, t.m)).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_read_exactly_from_integers_and_integral_floats() {
        assert_eq!(read(r#"{"n":12,"m":12.0}"#), Ok((Some(12), 12)));
        assert_eq!(read(r#"{"n":null}"#), Ok((None, 0)));
        assert_eq!(read(r#"{"n":18446744073709551615}"#), Ok((Some(u64::MAX), 0)));
        assert_eq!(read(r#"{"n":1e3}"#), Ok((Some(1000), 0)));
    }

    #[test]
    fn fractions_round_to_the_nearest_integer() {
        assert_eq!(read(r#"{"n":12.5,"m":12.4}"#), Ok((Some(13), 12)));
        assert_eq!(read(r#"{"n":0.49,"m":0.5}"#), Ok((Some(0), 1)));
        assert_eq!(read(r#"{"n":-0.4}"#), Ok((Some(0), 0)));
    }

    #[test]
    fn negative_and_huge_numbers_are_errors_naming_the_value() {
        let err = read(r#"{"n":-3}"#).unwrap_err();
        assert!(err.contains("-3"), "{err}");
        let err = read(r#"{"m":-2.5}"#).unwrap_err();
        assert!(err.contains("-2.5"), "{err}");
        assert!(read(r#"{"n":1e300}"#).unwrap_err().contains("expected a non-negative number, found 1000"));
        assert!(read(r#"{"n":"12"}"#).unwrap_err().contains("non-negative number"));
    }
}
