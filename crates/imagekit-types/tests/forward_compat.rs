//! Forward compatibility: unknown fields, unknown enum values, integer-or-float
//! numbers and `null`-versus-absent, on every response model.

mod common;

use common::*;
use imagekit_types::*;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every (model, sample) of the hand-written response fixtures.
fn samples() -> Vec<(String, Value)> {
    let all = read_json(crate_fixture("responses.json"));
    let mut out = Vec::new();
    for (model, list) in all.as_object().unwrap() {
        if model.starts_with('_') {
            continue;
        }
        for sample in list.as_array().unwrap() {
            out.push((model.clone(), sample.clone()));
        }
    }
    out
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "[a-zA-Z0-9 _.-]{0,12}".prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A mutation: where to add an unknown field (by object index in walk order),
/// its value, and which string value to replace with an unknown one.
#[derive(Debug, Clone)]
struct Mutation {
    add_at: usize,
    key: String,
    value: Value,
    replace_string_at: usize,
    new_string: String,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (0usize..64, "[a-z]{1,8}", json_value(), 0usize..64, "[a-zA-Z0-9._-]{0,16}").prop_map(
        |(add_at, key, value, replace_string_at, new_string)| Mutation {
            add_at,
            // A prefix no model uses, so the key is unknown everywhere.
            key: format!("zzFuture_{key}"),
            value,
            replace_string_at,
            new_string,
        },
    )
}

const TYPED_MAPS: &[&str] = &["selectedFieldsSchema", "extensionStatus"];

/// Apply `m` to the n-th object and the n-th string (walk order, modulo counts).
fn apply(v: &mut Value, m: &Mutation) {
    fn count(v: &Value, objects: &mut usize, strings: &mut usize) {
        match v {
            Value::Object(map) => {
                *objects += 1;
                map.values().for_each(|c| count(c, objects, strings));
            }
            Value::Array(a) => a.iter().for_each(|c| count(c, objects, strings)),
            Value::String(_) => *strings += 1,
            _ => {}
        }
    }
    /// `typed` is true for the value of a map whose values have a fixed type
    /// (field schemas, extension states): a new key there is a new entry, not a
    /// new field, so nothing is added to it.
    fn walk(v: &mut Value, typed: bool, targets: (usize, usize), o: &mut usize, s: &mut usize, m: &Mutation) {
        match v {
            Value::Object(map) => {
                let here = *o;
                *o += 1;
                for (k, c) in map.iter_mut() {
                    walk(c, TYPED_MAPS.contains(&k.as_str()), targets, o, s, m);
                }
                if here == targets.0 && !typed {
                    map.insert(m.key.clone(), m.value.clone());
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, false, targets, o, s, m)),
            Value::String(text) => {
                if *s == targets.1 {
                    *text = m.new_string.clone();
                }
                *s += 1;
            }
            _ => {}
        }
    }
    let (mut objects, mut strings) = (0, 0);
    count(v, &mut objects, &mut strings);
    let (o, s) = (m.add_at % objects.max(1), m.replace_string_at % strings.max(1));
    walk(v, false, (o, s), &mut 0, &mut 0, m);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any response sample with an unknown field added anywhere and any string
    /// value (enum values and tags included) replaced by an unknown one still
    /// parses, and writes back to the same JSON.
    #[test]
    fn unknown_fields_and_enum_values_still_parse(pick in any::<prop::sample::Index>(), m in mutation()) {
        let all = samples();
        let (model, sample) = &all[pick.index(all.len())];
        let mut mutated = sample.clone();
        apply(&mut mutated, &m);
        round_trip_named(model, &format!("{model} + {m:?}"), &mutated, false);
    }
}

#[test]
fn unknown_enum_values_are_kept() {
    let job: Job = serde_json::from_value(json!({"jobId": "j", "type": "ZIP_FOLDER", "status": "Paused"})).unwrap();
    assert_eq!(job.kind, Some(JobType::Unknown("ZIP_FOLDER".into())));
    assert_eq!(job.status, Some(JobStatus::Unknown("Paused".into())));
    assert_eq!(serde_json::to_value(&job).unwrap()["status"], "Paused");

    let ext: Extension = serde_json::from_value(json!({"name": "ai-upscale", "factor": 2})).unwrap();
    assert_eq!(ext.tag(), "ai-upscale");
    assert!(matches!(ext, Extension::Unknown(_)));

    let ev: WebhookEvent = serde_json::from_value(json!({"type": "asset.archived", "id": "e", "data": {}})).unwrap();
    assert!(matches!(ev, WebhookEvent::Unknown(_)));
    assert_eq!(ev.tag(), "asset.archived");
}

#[test]
fn video_event_literals_are_enums_that_keep_new_values() {
    let t: VideoTransformation = serde_json::from_value(json!({
        "type": "video-transformation",
        "options": {"audio_codec": "aac", "video_codec": "av1", "format": "webp", "stream_protocol": "DASH"},
        "error": {"reason": "download_failed"}
    }))
    .unwrap();
    let options = t.options.as_ref().unwrap();
    assert_eq!(options.audio_codec, Some(AudioCodec::Aac));
    assert_eq!(options.video_codec, Some(VideoCodec::Av1));
    assert_eq!(options.format, Some(VideoFormat::Webp));
    assert_eq!(options.stream_protocol, Some(StreamingProtocol::Dash));
    assert_eq!(t.error.as_ref().unwrap().reason, VideoErrorReason::DownloadFailed);

    // Values added to the API later decode, and are written back as sent.
    let later = json!({
        "type": "video-transformation",
        "options": {"audio_codec": "flac", "video_codec": "h265", "format": "avif", "stream_protocol": "hls"},
        "error": {"reason": "quota_exceeded", "detail": "x"}
    });
    let t: VideoTransformation = serde_json::from_value(later.clone()).unwrap();
    let options = t.options.as_ref().unwrap();
    assert_eq!(options.audio_codec, Some(AudioCodec::Unknown("flac".into())));
    assert_eq!(options.video_codec, Some(VideoCodec::Unknown("h265".into())));
    assert_eq!(options.format, Some(VideoFormat::Unknown("avif".into())));
    // Upper case on the wire: lower case is not the same protocol here.
    assert_eq!(options.stream_protocol, Some(StreamingProtocol::Unknown("hls".into())));
    assert_eq!(t.error.as_ref().unwrap().reason, VideoErrorReason::Unknown("quota_exceeded".into()));
    assert_eq!(serde_json::to_value(&t).unwrap(), later);

    // Upload transformation errors carry free text.
    let e: TransformationError =
        serde_json::from_value(json!({"error": {"reason": "Invalid transformation: w-abc"}})).unwrap();
    assert_eq!(e.error.reason, "Invalid transformation: w-abc");
}

#[test]
fn numbers_parse_from_integers_and_floats() {
    // Dimensions and sizes are integers: an integral float reads exactly and is
    // written back without `.0`; a fraction (which the official models allow but
    // the API does not send) reads as the nearest integer instead of failing.
    let f: File = serde_json::from_value(json!({"width": 1342.0, "height": 638, "size": 10.5})).unwrap();
    assert_eq!((f.width, f.height, f.size), (Some(1342), Some(638), Some(11)));
    assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"height":638,"width":1342,"size":11}"#);

    let m: Metadata = serde_json::from_value(json!({"height": 68.0, "bitRate": 1200, "duration": 12.5})).unwrap();
    assert_eq!((m.height, m.bit_rate, m.duration), (Some(68), Some(1200), Some(13)));
    // A negative number is an error naming the value.
    let err = serde_json::from_value::<Metadata>(json!({"height": -68.5})).unwrap_err();
    assert!(err.to_string().contains("expected a non-negative number, found -68.5"), "{err}");
    let u: Usage = serde_json::from_value(json!({"bandwidthBytes": 2.1991583e7})).unwrap();
    assert_eq!(u.bandwidth_bytes, Some(21_991_583));
}

#[test]
fn null_and_absent_are_different() {
    let absent: UpdateFileRequest = serde_json::from_str("{}").unwrap();
    let null: UpdateFileRequest = serde_json::from_str(r#"{"tags":null}"#).unwrap();
    let UpdateFileRequest::Details(a) = &absent else { panic!("{absent:?}") };
    let UpdateFileRequest::Details(n) = &null else { panic!("{null:?}") };
    assert_eq!(a.tags, None);
    assert_eq!(n.tags, Some(None));
    assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
    assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"tags":null}"#);
}

#[test]
fn update_request_shapes_are_told_apart() {
    let publish: UpdateFileRequest = serde_json::from_str(r#"{"publish":{"isPublished":true}}"#).unwrap();
    assert!(matches!(publish, UpdateFileRequest::Publication(_)));
    let all: UpdateFileRequest = serde_json::from_str(r#"{"removeAITags":"all"}"#).unwrap();
    let UpdateFileRequest::Details(d) = all else { panic!() };
    assert_eq!(d.remove_ai_tags, Some(RemoveAiTags::All));
    let bad = serde_json::from_str::<UpdateFileDetails>(r#"{"removeAITags":"some"}"#).unwrap_err();
    assert!(bad.to_string().contains("removeAITags"), "{bad}");
}

#[test]
fn origin_secrets_do_not_show_in_debug() {
    let req: OriginRequest = serde_json::from_value(json!({
        "type": "S3", "name": "n", "bucket": "b", "accessKey": "AK", "secretKey": "very-secret-value"
    }))
    .unwrap();
    let dbg = format!("{req:?}");
    assert!(!dbg.contains("very-secret-value"), "{dbg}");
    assert_eq!(serde_json::to_value(&req).unwrap()["secretKey"], "very-secret-value");
}

#[test]
fn upload_form_field_errors_name_the_field() {
    let err = UploadParams::from_form_fields([("fileName", "a.jpg"), ("isPrivateFile", "yes")]).unwrap_err();
    assert_eq!(err.field, "isPrivateFile");
    let err = UploadParams::from_form_fields([("tags", "a")]).unwrap_err();
    assert_eq!(err.field, "fileName");
    let err = UploadParams::from_form_fields([("fileName", "a"), ("extensions", "[{")]).unwrap_err();
    assert_eq!(err.field, "extensions");
    let mut p = UploadParams::new("a");
    p.extra.insert("nothing".into(), Value::Null);
    assert!(p.form_fields().is_err(), "a null form value is an error, not a silent omission");
}

/// Found by the `decode_responses` fuzz target: a long float in an unknown
/// field read back as a different double after a round trip, until serde_json's
/// correctly rounded float parsing (`float_roundtrip`) was turned on.
#[test]
fn fuzz_regression_floats_survive_a_round_trip() {
    let input = std::fs::read(crate_fixture("fuzz/float-roundtrip.json")).unwrap();
    let first: File = serde_json::from_slice(&input).unwrap();
    let again: File = serde_json::from_slice(&serde_json::to_vec(&first).unwrap()).unwrap();
    assert_eq!(again, first);
}

/// Found by the `decode_responses` fuzz target: serde_json hands over an object's
/// raw text after checking only its syntax, so `5e662` was kept, and the lazy map
/// later decoded to an empty object where an eager decode refuses the input.
#[test]
fn fuzz_regression_lazy_objects_refuse_what_eager_ones_refuse() {
    let input = std::fs::read(crate_fixture("fuzz/lazy-number-out-of-range.json")).unwrap();
    let eager = serde_json::from_slice::<Object>(&input).unwrap_err();
    assert!(eager.to_string().contains("number out of range"), "{eager}");
    let lazy = serde_json::from_slice::<LazyObject>(&input).unwrap_err();
    assert!(lazy.to_string().contains("number out of range"), "{lazy}");
    let text = std::str::from_utf8(&input).unwrap();
    for wrapped in [format!(r#"{{"customMetadata":{text}}}"#), format!(r#"{{"embeddedMetadata":{text}}}"#)] {
        assert!(serde_json::from_str::<File>(&wrapped).is_err());
        assert!(serde_json::from_str::<Asset>(&format!(r#"{{"type":"file",{}"#, &wrapped[1..])).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// A listing item decodes to the same value wherever its `type` key sits:
    /// first (as ImageKit writes it, read straight from the input) or anywhere
    /// else (gathered into a map first).
    #[test]
    fn listing_items_do_not_depend_on_key_order(pick in any::<prop::sample::Index>(), rotate in 0usize..64) {
        let all: Vec<Value> = samples().into_iter().filter(|(m, _)| m == "Asset").map(|(_, v)| v).collect();
        prop_assume!(!all.is_empty());
        let sample = &all[pick.index(all.len())];
        let map = sample.as_object().unwrap();
        let mut entries: Vec<(String, Value)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let n = entries.len();
        entries.rotate_left(rotate % n.max(1));
        let rotated = Value::Object(entries.into_iter().collect());
        let straight: Asset = serde_json::from_slice(&serde_json::to_vec(sample).unwrap()).unwrap();
        let moved: Asset = serde_json::from_slice(&serde_json::to_vec(&rotated).unwrap()).unwrap();
        prop_assert_eq!(std::mem::discriminant(&straight), std::mem::discriminant(&moved));
        prop_assert_eq!(&straight, &moved);
        prop_assert_eq!(serde_json::to_value(&moved).unwrap(), serde_json::to_value(&straight).unwrap());
    }
}

#[test]
fn listing_items_of_every_kind() {
    let page = r#"[
        {"type":"file","fileId":"f","customMetadata":{"a":1},"embeddedMetadata":null,"zzNew":[1]},
        {"type":"file-version","fileId":"v","embeddedMetadata":{"Make":"Canon"}},
        {"type":"folder","folderId":"d","customMetadata":{}},
        {"name":"x.png","type":"file"},
        {"type":"album","id":"a"},
        {"type":7},
        {}
    ]"#;
    let items: Vec<Asset> = serde_json::from_str(page).unwrap();
    let Asset::File(f) = &items[0] else { panic!("{:?}", items[0]) };
    assert_eq!(f.custom_metadata.as_ref().unwrap().get("a").unwrap(), 1);
    assert_eq!(f.embedded_metadata, Some(None));
    assert_eq!(f.extra["zzNew"], json!([1]));
    let Asset::File(v) = &items[1] else { panic!("{:?}", items[1]) };
    assert_eq!(v.kind, Some(FileKind::FileVersion));
    assert_eq!(v.embedded_metadata.as_ref().unwrap().as_ref().unwrap().get("Make").unwrap(), "Canon");
    assert!(matches!(&items[2], Asset::Folder(d) if d.folder_id.as_deref() == Some("d")));
    assert!(matches!(&items[3], Asset::File(f) if f.name.as_deref() == Some("x.png")));
    assert!(matches!(&items[4], Asset::Unknown(m) if m["id"] == "a"));
    assert!(matches!(&items[5], Asset::Unknown(m) if m["type"] == 7));
    assert!(matches!(&items[6], Asset::Unknown(m) if m.is_empty()));
    let back = serde_json::to_value(&items).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(page).unwrap());
    // Not an object at all: a clear error, as before.
    assert!(serde_json::from_str::<Asset>("[1]").is_err());
    assert!(serde_json::from_str::<Asset>(r#"{"type":"file","customMetadata":[1]}"#).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// A `LazyObject` accepts exactly the text an eager `Object` accepts (cut short
    /// anywhere, or whole) and, once read, holds the same map.
    #[test]
    fn lazy_objects_read_what_eager_ones_read(v in json_value(), wrap in any::<bool>(), cut in any::<prop::sample::Index>()) {
        let v = if wrap { json!({"k": v, "n": [1.5, {"x": null}]}) } else { v };
        let text = serde_json::to_string(&v).unwrap();
        for text in [text.as_str(), &text[..cut.index(text.len() + 1)]] {
            let lazy = serde_json::from_str::<LazyObject>(text);
            let eager = serde_json::from_str::<Object>(text);
            match (lazy, eager) {
                (Ok(lazy), Ok(eager)) => prop_assert_eq!(lazy.as_object(), &eager),
                (Err(_), Err(_)) => {}
                (lazy, eager) => prop_assert!(false, "{text}: lazy {lazy:?}, eager {eager:?}"),
            }
        }
    }
}
