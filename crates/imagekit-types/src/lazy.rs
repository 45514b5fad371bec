//! A JSON object that stays JSON text until something reads it.
//!
//! `embeddedMetadata` and `customMetadata` are the bulk of a media library listing
//! (dozens of EXIF keys per file) and most programs that list files never look at
//! them. Building a map of `Value`s for each is what made a 10,000-item listing
//! slow to decode, so a [`File`](crate::File) keeps their text and decodes a map the
//! first time it is read.

use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::Object;
use crate::fast_de::Key;

/// A JSON object that is decoded on first use: [`File::embedded_metadata`] and
/// [`File::custom_metadata`].
///
/// Read it through [`get`](Self::get), [`iter`](Self::iter) and the other map
/// methods, or [`as_object`](Self::as_object) for the whole [`Object`]; the first
/// read decodes the object's JSON text, later reads reuse the result. Changing it
/// through [`insert`](Self::insert), [`remove`](Self::remove) or
/// [`as_object_mut`](Self::as_object_mut) turns it into a plain object. Equality, `Debug` and serialization look at the decoded object, so a
/// value read, compared or written back is the same whether it was decoded early
/// or late.
///
/// [`File::embedded_metadata`]: crate::File::embedded_metadata
/// [`File::custom_metadata`]: crate::File::custom_metadata
///
/// ```
/// use imagekit_types::File;
///
/// let file: File = serde_json::from_str(r#"{"customMetadata":{"brand":"Acme","price":49.99}}"#)?;
/// let custom = file.custom_metadata.as_ref().unwrap();
/// assert_eq!(custom.json_text(), Some(r#"{"brand":"Acme","price":49.99}"#)); // not decoded yet
/// assert_eq!(custom.get("brand").and_then(|v| v.as_str()), Some("Acme")); // decoded here, once
/// assert_eq!(custom.get("price").and_then(|v| v.as_f64()), Some(49.99));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct LazyObject(State);

enum State {
    /// As received: the object's JSON text (checked by [`raw_text`]) and, once
    /// something has read it, the decoded map.
    Text { json: Box<str>, decoded: OnceLock<Box<Object>> },
    /// Built or changed in code.
    Decoded(Box<Object>),
}
// Boxed maps keep this small: a `File` holds two, and listings move thousands of files.

impl LazyObject {
    /// An empty object.
    pub fn new() -> Self {
        Self(State::Decoded(Box::default()))
    }

    /// The object, decoding it if this is the first read.
    pub fn as_object(&self) -> &Object {
        match &self.0 {
            State::Text { json, decoded } => decoded.get_or_init(|| Box::new(decode(json))),
            State::Decoded(map) => map,
        }
    }

    /// The object, for changing it. The JSON text it was read from is dropped.
    pub fn as_object_mut(&mut self) -> &mut Object {
        if let State::Text { json, decoded } = &mut self.0 {
            let map = decoded.take().unwrap_or_else(|| Box::new(decode(json)));
            self.0 = State::Decoded(map);
        }
        match &mut self.0 {
            State::Decoded(map) => map,
            State::Text { .. } => unreachable!("replaced just above"),
        }
    }

    /// The object, owned.
    pub fn into_object(self) -> Object {
        match self.0 {
            State::Text { json, mut decoded } => decoded.take().map_or_else(|| decode(&json), |map| *map),
            State::Decoded(map) => *map,
        }
    }

    /// The value of `key`, if the object has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().get(key)
    }

    /// Whether the object has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.as_object().contains_key(key)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.as_object().len()
    }

    /// Whether the object has no keys.
    pub fn is_empty(&self) -> bool {
        self.as_object().is_empty()
    }

    /// The keys and values, in the object's order.
    pub fn iter(&self) -> serde_json::map::Iter<'_> {
        self.as_object().iter()
    }

    /// The keys, in the object's order.
    pub fn keys(&self) -> serde_json::map::Keys<'_> {
        self.as_object().keys()
    }

    /// Sets `key` to `value`, returning the value it replaced. The JSON text is dropped.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.as_object_mut().insert(key, value)
    }

    /// Removes `key`, returning its value. The JSON text is dropped.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.as_object_mut().remove(key)
    }

    /// The JSON text the object was read from, while it has not been changed.
    pub fn json_text(&self) -> Option<&str> {
        match &self.0 {
            State::Text { json, .. } => Some(json),
            State::Decoded(_) => None,
        }
    }
}

/// Decodes text that [`raw_text`] checked: an object that an eager decode accepts.
/// Decoding it again cannot fail.
fn decode(json: &str) -> Object {
    serde_json::from_str(json).unwrap_or_default()
}

impl Default for LazyObject {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> IntoIterator for &'a LazyObject {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Clone for LazyObject {
    fn clone(&self) -> Self {
        Self(match &self.0 {
            State::Text { json, decoded } => State::Text { json: json.clone(), decoded: decoded.clone() },
            State::Decoded(map) => State::Decoded(map.clone()),
        })
    }
}

impl PartialEq for LazyObject {
    fn eq(&self, other: &Self) -> bool {
        self.as_object() == other.as_object()
    }
}

impl PartialEq<Object> for LazyObject {
    fn eq(&self, other: &Object) -> bool {
        self.as_object() == other
    }
}

impl fmt::Debug for LazyObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_object().fmt(f)
    }
}

impl From<Object> for LazyObject {
    fn from(map: Object) -> Self {
        Self(State::Decoded(Box::new(map)))
    }
}

impl From<LazyObject> for Object {
    fn from(lazy: LazyObject) -> Self {
        lazy.into_object()
    }
}

impl FromIterator<(String, Value)> for LazyObject {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Self(State::Decoded(Box::new(iter.into_iter().collect())))
    }
}

impl Serialize for LazyObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Through the map, not the text: right for every serializer, not only serde_json's.
        self.as_object().serialize(s)
    }
}

/// The name under which serde_json hands out a value's raw text (the protocol of
/// `serde_json::value::RawValue`, feature `raw_value`). Deserializers that do not
/// know it treat the request as an ordinary newtype and get an eager decode.
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

impl<'de> Deserialize<'de> for LazyObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(RAW_TOKEN, LazyVisitor)
    }
}

struct LazyVisitor;

impl<'de> Visitor<'de> for LazyVisitor {
    type Value = LazyObject;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    /// Any deserializer but serde_json's (serde's buffered content inside
    /// `#[serde(flatten)]` and untagged enums among them): decode now.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<LazyObject, D::Error> {
        Object::deserialize(d).map(LazyObject::from)
    }

    /// serde_json answers with a one-entry map: its private key, then the raw text.
    /// A deserializer that treats newtypes as transparent hands over the object
    /// itself, which is decoded as usual.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LazyObject, A::Error> {
        let Some(Key(first)) = map.next_key::<Key<'de>>()? else {
            return Ok(LazyObject::new());
        };
        // Any key of serde_json's private namespace, should the name ever change.
        if first.starts_with("$serde_json::private::") {
            return raw_text(map.next_value::<String>()?);
        }
        let mut object = Object::new();
        object.insert(first.into_owned(), map.next_value()?);
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            object.insert(k, v);
        }
        Ok(LazyObject::from(object))
    }
}

fn raw_text<E: de::Error>(json: String) -> Result<LazyObject, E> {
    if !json.starts_with('{') {
        let found = match json.as_bytes().first() {
            Some(b'[') => de::Unexpected::Seq,
            Some(b'"') => de::Unexpected::Other("a string"),
            Some(b'n') => de::Unexpected::Unit,
            Some(b't' | b'f') => de::Unexpected::Other("a boolean"),
            _ => de::Unexpected::Other("a number"),
        };
        return Err(E::invalid_type(found, &"a JSON object"));
    }
    // serde_json hands raw text over after checking only its syntax: numbers out of
    // range, lone surrogates and nesting beyond its limit pass. Text that could hold
    // one is walked as an eager decode would walk it, building nothing, so that
    // later decoding cannot fail.
    if may_be_refused(json.as_bytes()) {
        let mut de = serde_json::Deserializer::from_str(&json);
        Validate.deserialize(&mut de).and_then(|()| de.end()).map_err(E::custom)?;
    }
    Ok(LazyObject(State::Text { json: json.into_boxed_str(), decoded: OnceLock::new() }))
}

/// The deepest nesting serde_json decodes (it refuses a 128th level).
const MAX_DEPTH: usize = 127;

/// Whether syntactically valid JSON text holds anything an eager decode might still
/// refuse: a `\u` escape (a lone surrogate), a number with an exponent or more than
/// 300 digits in a row (out of range), or nesting deeper than [`MAX_DEPTH`]. It errs
/// towards yes; a yes only means the text gets the full check.
fn may_be_refused(json: &[u8]) -> bool {
    let (mut i, mut depth, mut digits) = (0, 0usize, 0usize);
    while let Some(&b) = json.get(i) {
        match b {
            b'"' => {
                // To the closing quote, byte by byte: metadata strings are short, and
                // calling `memchr` per string measured no faster.
                i += 1;
                loop {
                    match json.get(i) {
                        Some(b'"') => break,
                        Some(b'\\') if json.get(i + 1) == Some(&b'u') => return true,
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                        None => return true,
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'e' | b'E' => return true,
            b'0'..=b'9' => {
                digits += 1;
                if digits > 300 {
                    return true;
                }
                i += 1;
                continue;
            }
            // `true`, `false`, `null`: skipped whole, so their `e` is not an exponent.
            b't' | b'n' => i += 3,
            b'f' => i += 4,
            _ => {}
        }
        digits = 0;
        i += 1;
    }
    false
}

/// Reads any JSON value exactly as `serde_json::Value` does (same numbers, strings,
/// escapes and depth limit) and keeps nothing: keys and strings stay borrowed.
struct Validate;

impl<'de> DeserializeSeed<'de> for Validate {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Validate {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Validate)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Validate)?.is_some() {
            map.next_value_seed(Validate)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shares_across_threads_like_an_object() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<LazyObject>();
        send_sync::<crate::File>();
        send_sync::<crate::Asset>();
    }

    #[test]
    fn serde_json_hands_over_the_text() {
        let lazy: LazyObject = serde_json::from_str(r#" {"a": [1, 2.5], "b": {"c": null}} "#).unwrap();
        // If serde_json ever stops offering raw text this fails, and decoding is merely eager again.
        assert_eq!(lazy.json_text(), Some(r#"{"a": [1, 2.5], "b": {"c": null}}"#));
        assert_eq!(lazy.get("a"), Some(&json!([1, 2.5])));
        assert_eq!(lazy.get("b"), Some(&json!({"c": null})));
        assert_eq!(lazy.get("c"), None);
        assert_eq!((lazy.len(), lazy.is_empty()), (2, false));
        assert!(lazy.contains_key("a") && !lazy.contains_key("c"));
        assert_eq!(lazy.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!((&lazy).into_iter().count(), 2);
        assert_eq!(lazy.json_text(), Some(r#"{"a": [1, 2.5], "b": {"c": null}}"#), "reading keeps the text");
    }

    #[test]
    fn from_a_reader_and_from_a_value() {
        let lazy: LazyObject = serde_json::from_reader(&br#"{"k":"v"}"#[..]).unwrap();
        assert_eq!(lazy.json_text(), Some(r#"{"k":"v"}"#));
        let lazy: LazyObject = serde_json::from_value(json!({"k": "v", "n": 1})).unwrap();
        assert_eq!(lazy.as_object(), json!({"k": "v", "n": 1}).as_object().unwrap());
    }

    #[test]
    fn buffered_content_decodes_eagerly() {
        #[derive(Deserialize)]
        struct Outer {
            #[serde(flatten)]
            inner: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            m: LazyObject,
        }
        let outer: Outer = serde_json::from_str(r#"{"m":{"x":1},"other":2}"#).unwrap();
        assert_eq!(outer.inner.m.json_text(), None);
        assert_eq!(outer.inner.m.get("x"), Some(&json!(1)));
    }

    #[test]
    fn anything_but_an_object_is_refused() {
        for bad in ["[1]", "\"s\"", "null", "true", "5", "-1"] {
            let err = serde_json::from_str::<LazyObject>(bad).unwrap_err();
            assert!(err.to_string().contains("expected a JSON object"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_depth_limit_is_the_eager_decoders_own() {
        for depth in 125..=131 {
            // `depth` levels in all, the outer object included.
            let text = format!("{{\"a\":{}1{}}}", "[".repeat(depth - 1), "]".repeat(depth - 1));
            same_as_eager(&text);
        }
    }

    /// Text serde_json hands over raw (it checks only syntax) but an eager decode
    /// refuses: found by the `decode_responses` fuzz target (`5e662`).
    #[test]
    fn what_an_eager_decode_refuses_is_refused() {
        for text in [
            r#"{"a":5e662}"#,
            r#"{"a":-1e400}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":"\udc00x"}"#,
            r#"{"a":{"b":[1,2,{"c":1e999}]}}"#,
        ] {
            let err = serde_json::from_str::<LazyObject>(text).unwrap_err();
            assert!(serde_json::from_str::<Object>(text).is_err(), "{text}");
            assert!(!err.to_string().is_empty());
        }
        for text in [r#"{"a":1e308,"b":"\ud83d\ude00","c":-0.0,"d":18446744073709551616}"#, r#"{"a":{},"a":[]}"#] {
            same_as_eager(text);
        }
    }

    #[test]
    fn texts_that_might_be_refused_get_the_full_check() {
        for text in [
            r#"{"a":1e3}"#,
            r#"{"a":2E-9}"#,
            r#"{"a":"\u00e9"}"#,
            r#"{"k\ud800":1}"#,
            &format!(r#"{{"a":{}}}"#, "9".repeat(301)),
            &format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH)),
        ] {
            assert!(may_be_refused(text.as_bytes()), "{text}");
        }
        for text in [
            r#"{"Make":"Canon EOS","ok":true,"no":false,"x":null,"n":-12.50,"s":"e\"E\\","t":[1,{"u":"\n"}]}"#,
            &format!(r#"{{"a":{}.{}}}"#, "9".repeat(300), "9".repeat(300)),
            &format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1)),
        ] {
            assert!(!may_be_refused(text.as_bytes()), "{text}");
            same_as_eager(text);
        }
    }

    fn same_as_eager(text: &str) {
        let eager = serde_json::from_str::<Object>(text);
        let lazy = serde_json::from_str::<LazyObject>(text);
        assert_eq!(lazy.is_ok(), eager.is_ok(), "{text}: lazy {lazy:?}, eager {eager:?}");
        if let (Ok(lazy), Ok(eager)) = (lazy, eager) {
            assert_eq!(lazy.as_object(), &eager);
        }
    }

    #[test]
    fn changing_drops_the_text_and_keeps_the_change() {
        let mut lazy: LazyObject = serde_json::from_str(r#"{"a":1}"#).unwrap();
        assert_eq!(lazy.insert("b".into(), json!(2)), None);
        assert_eq!(lazy.json_text(), None);
        assert_eq!(serde_json::to_string(&lazy).unwrap(), r#"{"a":1,"b":2}"#);
        assert_eq!(lazy.remove("a"), Some(json!(1)));
        assert_eq!(Object::from(lazy).len(), 1);
    }

    #[test]
    fn equality_and_debug_see_the_object() {
        let read: LazyObject = serde_json::from_str(r#"{"a": 1.50, "b": [true]}"#).unwrap();
        let built: LazyObject = [("a".to_owned(), json!(1.5)), ("b".to_owned(), json!([true]))].into_iter().collect();
        assert_eq!(read, built);
        assert_eq!(format!("{read:?}"), format!("{built:?}"));
        assert_eq!(read.clone(), read);
    }
}
