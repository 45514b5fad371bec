//! Fields where an explicit `null` means something different from an absent key.

/// `Option<Option<T>>` with serde: absent is `None`, `null` is `Some(None)`, a
/// value is `Some(Some(v))`. Use with `#[serde(default, skip_serializing_if =
/// "Option::is_none", with = "crate::nullable::double_option")]`.
pub(crate) mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer, T: Serialize>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            // Skipped by `skip_serializing_if`; written as null if a caller forgets it.
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
