//! Support code for `tagged_enum!`: writing the tag first and reading a variant
//! back from the object that remains once the tag is removed.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::Object;

pub(crate) fn serialize_tagged<S: Serializer, T: Serialize>(
    s: S,
    tag: &str,
    wire: &str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    let fields = match serde_json::to_value(inner).map_err(S::Error::custom)? {
        Value::Object(m) => m,
        _ => return Err(S::Error::custom("tagged variant must serialize to an object")),
    };
    let mut out = Object::with_capacity(fields.len() + 1);
    out.insert(tag.to_owned(), Value::String(wire.to_owned()));
    out.extend(fields);
    out.serialize(s)
}

pub(crate) fn from_object<T: DeserializeOwned, E: serde::de::Error>(map: Object) -> Result<T, E> {
    serde_json::from_value(Value::Object(map)).map_err(E::custom)
}
