//! [`Asset`], an item of a media library listing, and how one is read quickly.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Object;
use crate::fast_de::Key;
use crate::file::{File, Folder};

/// One item of `GET /v1/files`: a file, a file version or a folder, told apart by
/// `type`. Items of a type this crate does not know are kept as `Unknown`.
///
/// ```
/// use imagekit_types::Asset;
/// let items: Vec<Asset> = serde_json::from_str(
///     r#"[{"type":"folder","name":"a"},{"type":"file","name":"b.png"},{"type":"album"}]"#,
/// )?;
/// assert!(matches!(items[0], Asset::Folder(_)));
/// assert!(matches!(items[1], Asset::File(_)));
/// assert!(matches!(items[2], Asset::Unknown(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
// Not boxed: listings hold thousands of files, and one allocation per file made
// freeing a listing cost half as much as decoding it (glibc consolidating chunks).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Asset {
    /// A file or a file version (`type` is `file` or `file-version`).
    File(File),
    /// A folder.
    Folder(Folder),
    /// An item of a type this version does not know, kept whole.
    ///
    /// A later version may name the type as a variant of its own: match it in
    /// one `_` arm with the variants added later, not on its own.
    Unknown(Object),
}

impl Serialize for Asset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Asset::File(f) => f.serialize(s),
            Asset::Folder(f) => f.serialize(s),
            Asset::Unknown(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Asset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(AssetVisitor)
    }
}

/// Reads a listing item. ImageKit writes `type` first, so once that key is seen
/// the item's struct is read straight from the input; an item that does not start
/// with a known `type` is gathered into a map first and dispatched from there.
struct AssetVisitor;

impl<'de> Visitor<'de> for AssetVisitor {
    type Value = Asset;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a file, file version or folder object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Asset, A::Error> {
        let Some(Key(first)) = map.next_key::<Key<'de>>()? else {
            return Ok(Asset::Unknown(Object::new()));
        };
        let value = if first == "type" {
            match map.next_value_seed(TypeValue)? {
                Kind::File(kind) => return File::deserialize(prepend(kind, map)).map(Asset::File),
                Kind::Folder => return Folder::deserialize(prepend("folder", map)).map(Asset::Folder),
                Kind::Other(value) => value,
            }
        } else {
            map.next_value()?
        };
        let first = first.into_owned();
        let mut object = Object::new();
        object.insert(first, value);
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            object.insert(k, v);
        }
        match object.get("type").and_then(|v| v.as_str()) {
            Some("file" | "file-version") => crate::tagged::from_object(object).map(Asset::File),
            Some("folder") => crate::tagged::from_object(object).map(Asset::Folder),
            _ => Ok(Asset::Unknown(object)),
        }
    }
}

/// The rest of `map`, after a `"type": kind` entry given back in front.
fn prepend<'de, A: MapAccess<'de>>(kind: &'static str, map: A) -> MapAccessDeserializer<Prepended<A>> {
    MapAccessDeserializer::new(Prepended { kind: Some(kind), key_given: false, rest: map })
}

/// The value of a `type` key: a known kind (without allocating) or anything else.
enum Kind {
    File(&'static str),
    Folder,
    Other(Value),
}

struct TypeValue;

impl<'de> DeserializeSeed<'de> for TypeValue {
    type Value = Kind;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TypeValue {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
        Ok(match v {
            "file" => Kind::File("file"),
            "file-version" => Kind::File("file-version"),
            "folder" => Kind::Folder,
            other => Kind::Other(Value::from(other)),
        })
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Other(Value::from(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Other(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::Other(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Other(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Kind, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Kind::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Kind, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Kind::Other)
    }
}

/// An item's map with its `type` entry, already read, given back first.
struct Prepended<A> {
    kind: Option<&'static str>,
    key_given: bool,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Prepended<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if self.kind.is_some() && !self.key_given {
            self.key_given = true;
            return seed.deserialize("type".into_deserializer()).map(Some);
        }
        self.rest.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.kind.take() {
            Some(kind) => seed.deserialize(KindStr(kind, PhantomData)),
            None => self.rest.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.rest.size_hint().map(|n| n + usize::from(self.kind.is_some()))
    }
}

/// The value of the `type` entry given back: a string, which is also a present
/// `Option` (serde's own string deserializer refuses `Option` fields).
struct KindStr<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for KindStr<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
