//! Support for `open_struct_deserialize!`: hand-rolled `Deserialize` for the
//! models a media library listing is made of.
//!
//! serde's derive gathers a struct's unknown fields (`#[serde(flatten)] extra`)
//! through its buffered `Content`, and reads every key as an owned identifier.
//! For the few structs decoded thousands of times per listing, reading keys as
//! borrowed text and matching them directly decodes a listing about a quarter faster.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A map key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// `Option<u64>` read as `crate::num::opt_u64` reads it.
pub(crate) struct OptU64(pub(crate) Option<u64>);

impl<'de> Deserialize<'de> for OptU64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::num::opt_u64::deserialize(d).map(OptU64)
    }
}

/// Marks `bit` as seen in `seen`, or fails when it already was.
pub(crate) fn first_time<E: de::Error>(seen: &mut u64, bit: u32, field: &'static str) -> Result<(), E> {
    let mask = 1u64 << bit;
    if *seen & mask != 0 {
        // As serde's derive reports it.
        return Err(E::duplicate_field(field));
    }
    *seen |= mask;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_fields_are_refused_like_derive_does() {
        let mut seen = 0;
        first_time::<serde_json::Error>(&mut seen, 3, "name").unwrap();
        first_time::<serde_json::Error>(&mut seen, 4, "url").unwrap();
        let err = first_time::<serde_json::Error>(&mut seen, 3, "name").unwrap_err();
        assert_eq!(err.to_string(), "duplicate field `name`");
    }
}
