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
    use serde_json::json;

    use super::*;
    use crate::*;

    #[test]
    fn duplicate_fields_are_refused_like_derive_does() {
        let mut seen = 0;
        first_time::<serde_json::Error>(&mut seen, 3, "name").unwrap();
        first_time::<serde_json::Error>(&mut seen, 4, "url").unwrap();
        let err = first_time::<serde_json::Error>(&mut seen, 3, "name").unwrap_err();
        assert_eq!(err.to_string(), "duplicate field `name`");
    }

    /// Every field of the hand-read models survives a round trip through text, so
    /// none is missing from the key table of its `Deserialize` (it would land in `extra`).
    /// Struct literals without `..Default::default()` (possible only inside the crate,
    /// the types being `#[non_exhaustive]`): a new field must be added here.
    #[test]
    fn hand_read_models_know_every_field() {
        let tag = AiTag {
            name: Some("Car".into()),
            confidence: Some(99.5),
            source: Some("aws".into()),
            extra: Object::new(),
        };
        let version = VersionInfo { id: Some("v1".into()), name: Some("Version 1".into()), extra: Object::new() };
        let schema: SelectedFieldSchema =
            serde_json::from_value(json!({"type": "Text", "isValueRequired": false})).unwrap();
        let file = File {
            kind: Some(FileKind::FileVersion),
            name: Some("a.jpg".into()),
            created_at: Some("2026-01-01T00:00:00.000Z".into()),
            updated_at: Some("2026-01-02T00:00:00.000Z".into()),
            file_id: Some("f1".into()),
            tags: Some(Some(vec!["t".into()])),
            ai_tags: Some(Some(vec![tag.clone()])),
            version_info: Some(version.clone()),
            embedded_metadata: Some(Some(json!({"Make": "Canon"}).as_object().unwrap().clone().into())),
            custom_coordinates: Some(None),
            custom_metadata: Some(json!({"brand": "Acme"}).as_object().unwrap().clone().into()),
            is_private_file: Some(true),
            is_published: Some(false),
            url: Some("https://ik.imagekit.io/demo/a.jpg".into()),
            thumbnail: Some("https://ik.imagekit.io/demo/tr:n-ik_ml_thumbnail/a.jpg".into()),
            file_type: Some(FileType::Image),
            file_path: Some("/a.jpg".into()),
            height: Some(10),
            width: Some(20),
            size: Some(300),
            has_alpha: Some(true),
            mime: Some("image/jpeg".into()),
            bit_rate: Some(1200),
            duration: Some(7),
            audio_codec: Some("aac".into()),
            video_codec: Some("h264".into()),
            description: Some("d".into()),
            selected_fields_schema: Some([("price".to_owned(), schema)].into_iter().collect()),
            extra: Object::new(),
        };
        let folder = Folder {
            kind: Some("folder".into()),
            folder_id: Some("d1".into()),
            name: Some("shoes".into()),
            folder_path: Some("/shoes".into()),
            created_at: Some("2026-01-01T00:00:00.000Z".into()),
            updated_at: Some("2026-01-02T00:00:00.000Z".into()),
            created_by: Some(CreatedBy {
                email: Some("ana@example.com".into()),
                name: Some("Ana".into()),
                extra: Object::new(),
            }),
            custom_metadata: Some(Object::new()),
            extra: Object::new(),
        };
        fn again<T: serde::Serialize + serde::de::DeserializeOwned>(v: &T) -> T {
            serde_json::from_slice(&serde_json::to_vec(v).unwrap()).unwrap()
        }
        assert_eq!(again(&tag), tag);
        assert_eq!(again(&version), version);
        assert_eq!(again(&file), file);
        assert_eq!(again(&folder), folder);
        assert_eq!(again(&Asset::File(file.clone())), Asset::File(file));
        assert_eq!(again(&Asset::Folder(folder.clone())), Asset::Folder(folder));

        // Given twice: refused, as serde's derive does.
        let err = serde_json::from_str::<File>(r#"{"name":"a","name":"b"}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate field `name`"), "{err}");
        let err = serde_json::from_str::<File>(r#"{"tags":null,"tags":["x"]}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate field `tags`"), "{err}");
        // Unknown keys, escaped keys and a wrong type.
        let f: File = serde_json::from_str(r#"{"n\u0061me":"esc","zz":1,"zz":2}"#).unwrap();
        assert_eq!(f.name.as_deref(), Some("esc"));
        assert_eq!(f.extra["zz"], 2, "last one wins, as in a JSON object");
        assert!(serde_json::from_str::<File>(r#"{"width":"wide"}"#).is_err());
        // A fraction is rounded, as by the serde-derived models (crate::num).
        assert_eq!(serde_json::from_str::<File>(r#"{"duration":1.5}"#).unwrap().duration, Some(2));
        assert!(serde_json::from_str::<File>(r#"{"duration":-1}"#).is_err());
        assert_eq!(serde_json::from_str::<File>(r#"{"duration":12.0}"#).unwrap().duration, Some(12));
    }
}
