//! Webhook verification (spec §6). Every expected signature here is computed
//! independently with `hmac` + `sha2` + `base64`, not with `Webhooks::sign`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use imagekit::types::WebhookEvent;
use imagekit::webhooks::{LegacyWebhook, WebhookError, Webhooks};
use proptest::prelude::*;
use sha2::Sha256;

const SECRET: &str = "whsec_testsecret123";
const NOW: i64 = 1_735_689_600; // 2025-01-01T00:00:00Z
const ID: &str = "msg_2Lh9KRb0pzN4LePd3XiA4ivdVcv";

const VIDEO_ACCEPTED: &str = r#"{"type":"video.transformation.accepted","id":"58e6d24d-6098-4319-be8d-40c3cb0a402d","created_at":"2025-06-11T10:10:10.000Z","request":{"x_request_id":"fa98fa2e-d6cd-45b4-acf5-bc1d2bbb8ba9","url":"https://ik.imagekit.io/demo/sample.mp4?tr=f-webm","user_agent":"curl/8.7.1"},"data":{"asset":{"url":"https://ik.imagekit.io/demo/sample.mp4"},"transformation":{"type":"video-transformation","options":{"video_codec":"vp9","audio_codec":"opus","auto_rotate":true,"format":"webm","quality":80}}}}"#;

const FILE_CREATED: &str = r#"{
  "type": "file.created",
  "id": "a2b1a9f4-3c1e-4f0a-9a57-2c2ff2b6a0a1",
  "created_at": "2025-01-01T00:00:00.000Z",
  "data": {
    "type": "file",
    "fileId": "598821f949c0a938d57563bd",
    "name": "shoe.jpg",
    "filePath": "/products/shoe.jpg",
    "url": "https://ik.imagekit.io/demo/products/shoe.jpg",
    "fileType": "image",
    "height": 600,
    "width": 800,
    "size": 102400,
    "mime": "image/jpeg",
    "tags": ["sale"],
    "AITags": null,
    "isPrivateFile": false,
    "createdAt": "2025-01-01T00:00:00.000Z",
    "updatedAt": "2025-01-01T00:00:00.000Z"
  }
}"#;

const FILE_DELETED: &str = r#"{"type":"file.deleted","id":"msg_2Lh9KRb0pzN4LePd3XiA4ivdVcv","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"598821f949c0a938d57563bd"}}"#;

/// base64(HMAC-SHA256(key, "{id}.{ts}.{body}")), computed here.
fn b64_sig(key: &[u8], id: &str, ts: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(format!("{id}.{ts}.").as_bytes());
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// hex(HMAC-SHA256(key, "{t}.{body}")), computed here.
fn hex_sig(key: &[u8], t: u64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn headers(id: &str, ts: &str, sig: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("webhook-id", HeaderValue::from_str(id).unwrap());
    h.insert("webhook-timestamp", HeaderValue::from_str(ts).unwrap());
    h.insert("webhook-signature", HeaderValue::from_str(sig).unwrap());
    h
}

/// Headers correctly signed with `SECRET` at `ts`.
fn signed(body: &str, ts: i64) -> HeaderMap {
    headers(ID, &ts.to_string(), &format!("v1,{}", b64_sig(SECRET.as_bytes(), ID, ts, body.as_bytes())))
}

fn wh() -> Webhooks {
    Webhooks::new(SECRET)
}

#[test]
fn valid_signature_returns_the_typed_video_event() {
    let event = wh().verify_and_parse_at(VIDEO_ACCEPTED.as_bytes(), &signed(VIDEO_ACCEPTED, NOW), NOW).unwrap();
    let WebhookEvent::VideoTransformationAccepted(e) = event else { panic!("wrong variant: {event:?}") };
    assert_eq!(e.id, "58e6d24d-6098-4319-be8d-40c3cb0a402d");
    assert_eq!(e.created_at, "2025-06-11T10:10:10.000Z");
    assert_eq!(e.data.asset.url, "https://ik.imagekit.io/demo/sample.mp4");
    let options = e.data.transformation.options.unwrap();
    assert_eq!(options.video_codec, Some(imagekit::types::VideoCodec::Vp9));
    assert_eq!(options.audio_codec, Some(imagekit::types::AudioCodec::Opus));
    assert_eq!(options.format, Some(imagekit::types::VideoFormat::Webm));
    assert_eq!(options.quality, Some(80.0));
    let request = e.request.unwrap();
    assert_eq!(request.x_request_id, "fa98fa2e-d6cd-45b4-acf5-bc1d2bbb8ba9");
    assert_eq!(request.user_agent.as_deref(), Some("curl/8.7.1"));
}

#[test]
fn valid_signature_returns_the_typed_file_event() {
    // A pretty-printed body: the raw bytes are signed, never a re-serialisation.
    let event = wh().verify_and_parse_at(FILE_CREATED.as_bytes(), &signed(FILE_CREATED, NOW), NOW).unwrap();
    let WebhookEvent::FileCreated(e) = event else { panic!("wrong variant: {event:?}") };
    assert_eq!(e.data.file_id.as_deref(), Some("598821f949c0a938d57563bd"));
    assert_eq!(e.data.name.as_deref(), Some("shoe.jpg"));
    assert_eq!(e.data.file_path.as_deref(), Some("/products/shoe.jpg"));
}

#[test]
fn a_fixed_vector_computed_with_openssl_passes() {
    // printf '%s' "$ID.1735689600.$FILE_DELETED" | openssl dgst -sha256 -hmac whsec_testsecret123 -binary | base64
    let h = headers(ID, "1735689600", "v1,z48qK38pkFs5p6hG/HGL32GUwyb5OzSAwC3t4+71III=");
    let event = wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW).unwrap();
    let WebhookEvent::FileDeleted(e) = event else { panic!("wrong variant: {event:?}") };
    assert_eq!(e.data.file_id, "598821f949c0a938d57563bd");
}

#[test]
fn unwrap_uses_the_current_time() {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let h = signed(FILE_DELETED, now);
    assert!(matches!(wh().verify_and_parse(FILE_DELETED.as_bytes(), &h), Ok(WebhookEvent::FileDeleted(_))));
    assert_eq!(wh().verify(FILE_DELETED.as_bytes(), &h), Ok(()));
    // Signed an hour ago: too old against the real clock.
    let h = signed(FILE_DELETED, now - 3600);
    assert_eq!(wh().verify_and_parse(FILE_DELETED.as_bytes(), &h), Err(WebhookError::TimestampTooOld));
}

#[test]
fn header_names_match_case_insensitively() {
    let sig = format!("v1,{}", b64_sig(SECRET.as_bytes(), ID, NOW, FILE_DELETED.as_bytes()));
    let mut h = HeaderMap::new();
    h.insert(HeaderName::from_bytes(b"Webhook-Id").unwrap(), HeaderValue::from_str(ID).unwrap());
    h.insert(HeaderName::from_bytes(b"WEBHOOK-TIMESTAMP").unwrap(), HeaderValue::from_str(&NOW.to_string()).unwrap());
    h.insert(HeaderName::from_bytes(b"wEbHoOk-SiGnAtUrE").unwrap(), HeaderValue::from_str(&sig).unwrap());
    assert!(matches!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Ok(WebhookEvent::FileDeleted(_))));

    // The same through an http::Request, as a server framework would hand it over.
    let req = http::Request::builder()
        .header("Webhook-ID", ID)
        .header("Webhook-Timestamp", NOW.to_string())
        .header("Webhook-Signature", sig)
        .body(FILE_DELETED.as_bytes().to_vec())
        .unwrap();
    assert!(wh().verify_and_parse_at(req.body(), req.headers(), NOW).is_ok());
}

#[test]
fn the_wrong_secret_fails() {
    let h = signed(FILE_DELETED, NOW);
    let other = Webhooks::new("whsec_testsecret124");
    assert_eq!(other.verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
}

#[test]
fn a_tampered_body_fails() {
    let h = signed(FILE_DELETED, NOW);
    let tampered = FILE_DELETED.replace("598821f949c0a938d57563bd", "598821f949c0a938d57563be");
    assert_eq!(wh().verify_and_parse_at(tampered.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
    // Re-serialising (even semantically identical JSON) breaks the signature too.
    let reserialised =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(FILE_DELETED).unwrap()).unwrap();
    assert_eq!(wh().verify_and_parse_at(reserialised.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
    // A tampered id or timestamp header also fails.
    let sig = format!("v1,{}", b64_sig(SECRET.as_bytes(), ID, NOW, FILE_DELETED.as_bytes()));
    let h = headers("msg_other", &NOW.to_string(), &sig);
    assert_eq!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
    let h = headers(ID, &(NOW + 1).to_string(), &sig);
    assert_eq!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
}

#[test]
fn the_timestamp_must_be_within_300_seconds() {
    let body = FILE_DELETED.as_bytes();
    for (offset, expected) in [
        (-301, Err(WebhookError::TimestampTooOld)),
        (301, Err(WebhookError::TimestampTooNew)),
        (-299, Ok(())),
        (299, Ok(())),
        (-300, Ok(())),
        (300, Ok(())),
        (0, Ok(())),
    ] {
        let ts = NOW + offset;
        assert_eq!(wh().verify_at(body, &signed(FILE_DELETED, ts), NOW), expected, "offset {offset}");
    }
    // Far outside i64 arithmetic comfort.
    assert_eq!(wh().verify_at(body, &signed(FILE_DELETED, 0), i64::MAX), Err(WebhookError::TimestampTooOld));
    assert_eq!(wh().verify_at(body, &signed(FILE_DELETED, i64::MAX), i64::MIN), Err(WebhookError::TimestampTooNew));
    assert_eq!(wh().verify_at(body, &signed(FILE_DELETED, 0), i64::MIN), Err(WebhookError::TimestampTooNew));
}

#[test]
fn a_non_numeric_timestamp_is_invalid() {
    let sig = format!("v1,{}", b64_sig(SECRET.as_bytes(), ID, NOW, FILE_DELETED.as_bytes()));
    for ts in ["abc", "1735689600.0", "1e9", "-1735689600", "+1735689600", " 1735689600", "99999999999999999999"] {
        let h = headers(ID, ts, &sig);
        assert_eq!(
            wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW),
            Err(WebhookError::InvalidTimestamp),
            "{ts:?}"
        );
    }
    assert_eq!(WebhookError::InvalidTimestamp.to_string().split(':').next(), Some("Invalid Signature Headers"));
}

#[test]
fn each_missing_header_is_named() {
    let full = signed(FILE_DELETED, NOW);
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut h = full.clone();
        h.remove(name);
        let err = wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW).unwrap_err();
        assert_eq!(err, WebhookError::MissingHeader(name));
        assert_eq!(err.to_string(), format!("Missing required headers: {name}"));
        // An empty value counts as missing, as in the official library.
        let mut h = full.clone();
        h.insert(name, HeaderValue::from_static(""));
        assert_eq!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::MissingHeader(name)));
    }
    assert_eq!(
        wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &HeaderMap::new(), NOW),
        Err(WebhookError::MissingHeader("webhook-id"))
    );
}

#[test]
fn non_utf8_header_values_are_typed_errors() {
    let bad = HeaderValue::from_bytes(b"\xff\xfe").unwrap();
    let full = signed(FILE_DELETED, NOW);
    for (name, expected) in [
        ("webhook-id", WebhookError::InvalidHeader("webhook-id")),
        ("webhook-timestamp", WebhookError::InvalidTimestamp),
        ("webhook-signature", WebhookError::InvalidHeader("webhook-signature")),
    ] {
        let mut h = full.clone();
        h.insert(name, bad.clone());
        assert_eq!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(expected));
    }
}

#[test]
fn any_v1_entry_may_match() {
    let good = b64_sig(SECRET.as_bytes(), ID, NOW, FILE_DELETED.as_bytes());
    let wrong = b64_sig(b"whsec_other", ID, NOW, FILE_DELETED.as_bytes());
    let h = headers(ID, &NOW.to_string(), &format!("v1,{wrong} v1,{good}"));
    assert!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW).is_ok());
    let h = headers(ID, &NOW.to_string(), &format!("v1a,{wrong} garbage v1,{good}"));
    assert!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW).is_ok());
}

#[test]
fn only_v1_entries_count() {
    let good = b64_sig(SECRET.as_bytes(), ID, NOW, FILE_DELETED.as_bytes());
    let wrong = b64_sig(b"whsec_other", ID, NOW, FILE_DELETED.as_bytes());
    for sig in [
        format!("v1,{wrong} v2,{good}"),
        format!("v2,{good}"),
        format!("v1a,{good}"),
        format!("V1,{good}"),
        good.clone(),
        format!("v1,{}", good.trim_end_matches('=')),
        format!("v1,{good}x"),
        format!("v1, {good}"),
    ] {
        let h = headers(ID, &NOW.to_string(), &sig);
        assert_eq!(
            wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW),
            Err(WebhookError::NoMatchingSignature),
            "{sig}"
        );
    }
}

#[test]
fn the_key_is_the_whole_secret_string_not_its_base64_decoding() {
    // Keyed with the bytes of "whsec_testsecret123": passes (tested above). The
    // standard derivation (strip whsec_, base64-decode) must fail. Node decodes
    // "testsecret123" leniently, dropping the dangling 13th character.
    let standard_key = STANDARD.decode("testsecret12").unwrap();
    let sig = format!("v1,{}", b64_sig(&standard_key, ID, NOW, FILE_DELETED.as_bytes()));
    let h = headers(ID, &NOW.to_string(), &sig);
    assert_eq!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));

    // Without the prefix: fails as well.
    let sig = format!("v1,{}", b64_sig(b"testsecret123", ID, NOW, FILE_DELETED.as_bytes()));
    let h = headers(ID, &NOW.to_string(), &sig);
    assert_eq!(wh().verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));

    // A secret whose suffix is valid base64 (Standard Webhooks' example secret).
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let webhooks = Webhooks::new(secret);
    let decoded = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let sig = format!("v1,{}", b64_sig(&decoded, ID, NOW, FILE_DELETED.as_bytes()));
    let h = headers(ID, &NOW.to_string(), &sig);
    assert_eq!(webhooks.verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
    let sig = format!("v1,{}", b64_sig(secret.as_bytes(), ID, NOW, FILE_DELETED.as_bytes()));
    let h = headers(ID, &NOW.to_string(), &sig);
    assert!(webhooks.verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW).is_ok());
}

#[test]
fn unknown_event_types_parse_into_unknown() {
    let body =
        r#"{"type":"asset.teleported","id":"evt_9","created_at":"2030-01-01T00:00:00.000Z","data":{"where":"mars"}}"#;
    let event = wh().verify_and_parse_at(body.as_bytes(), &signed(body, NOW), NOW).unwrap();
    assert_eq!(event.tag(), "asset.teleported");
    let WebhookEvent::Unknown(obj) = event else { panic!("expected Unknown") };
    assert_eq!(obj["data"]["where"], "mars");
}

#[test]
fn a_body_that_is_not_an_event_is_a_parse_error() {
    for body in ["not json at all", "", "[1,2,3]", r#"{"type":"file.deleted","id":"e","created_at":"x","data":{}}"#] {
        let err = wh().verify_and_parse_at(body.as_bytes(), &signed(body, NOW), NOW).unwrap_err();
        let WebhookError::Parse(msg) = &err else { panic!("expected Parse for {body:?}, got {err:?}") };
        assert!(!msg.is_empty());
        assert!(err.to_string().starts_with("Webhook body is not a valid event: "), "{err}");
    }
    let WebhookError::Parse(msg) = wh().parse_unverified(b"not json").unwrap_err() else { panic!() };
    assert!(msg.contains("expected"), "{msg}");
    let WebhookError::Parse(msg) = wh().parse_unverified(br#"{"type":"file.deleted","data":{}}"#).unwrap_err() else {
        panic!()
    };
    assert!(msg.contains("missing field"), "{msg}");
}

#[test]
fn parse_unverified_checks_nothing() {
    let none = Webhooks::from_secret(None);
    assert!(matches!(none.parse_unverified(FILE_DELETED.as_bytes()), Ok(WebhookEvent::FileDeleted(_))));
    assert!(matches!(
        Webhooks::default().parse_unverified(VIDEO_ACCEPTED.as_bytes()),
        Ok(WebhookEvent::VideoTransformationAccepted(_))
    ));
}

/// The old names stay, deprecated, and answer exactly as the new ones.
#[test]
#[allow(deprecated)]
fn the_deprecated_names_still_work() {
    let h = signed(FILE_DELETED, NOW);
    assert!(matches!(wh().unwrap_at(FILE_DELETED.as_bytes(), &h, NOW), Ok(WebhookEvent::FileDeleted(_))));
    let tampered = FILE_DELETED.replace("file", "fil");
    assert_eq!(wh().unwrap_at(tampered.as_bytes(), &h, NOW), Err(WebhookError::NoMatchingSignature));
    // Against the clock (a 2025 signature, too old by now), both names agree.
    assert_eq!(wh().unwrap(FILE_DELETED.as_bytes(), &h), wh().verify_and_parse(FILE_DELETED.as_bytes(), &h));
    assert!(matches!(
        Webhooks::from_secret(None).unsafe_unwrap(FILE_DELETED.as_bytes()),
        Ok(WebhookEvent::FileDeleted(_))
    ));
}

#[test]
fn without_a_secret_everything_fails_with_missing_secret() {
    let h = signed(FILE_DELETED, NOW);
    let legacy =
        format!("t=1735689600000,v1={}", hex_sig(SECRET.as_bytes(), 1_735_689_600_000, FILE_DELETED.as_bytes()));
    for w in
        [Webhooks::from_secret(None), Webhooks::default(), Webhooks::new(""), Webhooks::from_secret(Some("".into()))]
    {
        assert_eq!(w.verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW), Err(WebhookError::MissingSecret));
        assert_eq!(w.verify_and_parse(FILE_DELETED.as_bytes(), &h), Err(WebhookError::MissingSecret));
        assert_eq!(w.verify_legacy(FILE_DELETED.as_bytes(), &legacy), Err(WebhookError::MissingSecret));
        assert_eq!(w.sign(ID, NOW, b"{}"), Err(WebhookError::MissingSecret));
        assert_eq!(w.sign_legacy(1, b"{}"), Err(WebhookError::MissingSecret));
    }
    // The secret check comes before the header checks.
    assert_eq!(Webhooks::default().verify_at(b"", &HeaderMap::new(), NOW), Err(WebhookError::MissingSecret));
    // From the client's Option<Secret>.
    let w = Webhooks::from_secret(Some(imagekit::types::Secret::new(SECRET)));
    assert!(w.verify_and_parse_at(FILE_DELETED.as_bytes(), &h, NOW).is_ok());
}

#[test]
fn sign_agrees_with_the_independent_computation() {
    let expected = format!("v1,{}", b64_sig(SECRET.as_bytes(), ID, NOW, FILE_DELETED.as_bytes()));
    assert_eq!(wh().sign(ID, NOW, FILE_DELETED.as_bytes()).unwrap(), expected);
    assert_eq!(
        wh().sign(ID, 1_735_689_600, FILE_DELETED.as_bytes()).unwrap(),
        "v1,z48qK38pkFs5p6hG/HGL32GUwyb5OzSAwC3t4+71III="
    );
    let legacy = wh().sign_legacy(1_735_689_600_000, FILE_DELETED.as_bytes()).unwrap();
    assert_eq!(
        legacy,
        format!("t=1735689600000,v1={}", hex_sig(SECRET.as_bytes(), 1_735_689_600_000, FILE_DELETED.as_bytes()))
    );
}

// ---- legacy x-ik-signature -------------------------------------------------

const T_MS: u64 = 1_655_788_406_333;

fn legacy_header(body: &str) -> String {
    format!("t={T_MS},v1={}", hex_sig(SECRET.as_bytes(), T_MS, body.as_bytes()))
}

#[test]
fn legacy_valid_signature() {
    // T_MS is from 2022: there is no tolerance window.
    let LegacyWebhook { timestamp_ms, event, .. } =
        wh().verify_legacy(VIDEO_ACCEPTED.as_bytes(), &legacy_header(VIDEO_ACCEPTED)).unwrap();
    assert_eq!(timestamp_ms, T_MS);
    assert!(matches!(event, WebhookEvent::VideoTransformationAccepted(_)));
    // Items in another order, with spaces.
    let v1 = hex_sig(SECRET.as_bytes(), T_MS, FILE_DELETED.as_bytes());
    let got = wh().verify_legacy(FILE_DELETED.as_bytes(), &format!("v1={v1}, t={T_MS}")).unwrap();
    assert_eq!(got.timestamp_ms, T_MS);
    // A fixed vector: printf '%s' "1735689600000.$FILE_DELETED" | openssl dgst -sha256 -hmac whsec_testsecret123
    let got = wh()
        .verify_legacy(
            FILE_DELETED.as_bytes(),
            "t=1735689600000,v1=4995b46bbee7dc667d55aaec7eec1b34277099f064e10862791e431275caed89",
        )
        .unwrap();
    assert_eq!(got.timestamp_ms, 1_735_689_600_000);
}

#[test]
fn legacy_wrong_signature() {
    let body = FILE_DELETED.as_bytes();
    let err = Err(WebhookError::IncorrectLegacySignature);
    // Wrong secret.
    let other = format!("t={T_MS},v1={}", hex_sig(b"whsec_other", T_MS, body));
    assert_eq!(wh().verify_legacy(body, &other), err);
    // Tampered body.
    assert_eq!(wh().verify_legacy(br#"{"type":"file.deleted"}"#, &legacy_header(FILE_DELETED)), err);
    // Signature from another timestamp.
    let shifted = format!("t={},v1={}", T_MS + 1, hex_sig(SECRET.as_bytes(), T_MS, body));
    assert_eq!(wh().verify_legacy(body, &shifted), err);
    // Upper-case hex, empty v1, truncated v1.
    let upper = legacy_header(FILE_DELETED).to_uppercase().replacen("T=", "t=", 1).replacen("V1=", "v1=", 1);
    assert_eq!(wh().verify_legacy(body, &upper), err);
    assert_eq!(wh().verify_legacy(body, &format!("t={T_MS},v1=")), err);
    let full = legacy_header(FILE_DELETED);
    assert_eq!(wh().verify_legacy(body, &full[..full.len() - 2]), err);
}

#[test]
fn legacy_missing_or_invalid_timestamp() {
    let body = FILE_DELETED.as_bytes();
    let v1 = hex_sig(SECRET.as_bytes(), T_MS, body);
    assert_eq!(wh().verify_legacy(body, &format!("v1={v1}")), Err(WebhookError::MissingLegacyTimestamp));
    assert_eq!(wh().verify_legacy(body, &format!("t,v1={v1}")), Err(WebhookError::MissingLegacyTimestamp));
    for t in ["", "abc", "-5", "1.5", "99999999999999999999999"] {
        assert_eq!(
            wh().verify_legacy(body, &format!("t={t},v1={v1}")),
            Err(WebhookError::InvalidLegacyTimestamp),
            "{t:?}"
        );
    }
}

#[test]
fn legacy_missing_signature() {
    let body = FILE_DELETED.as_bytes();
    assert_eq!(wh().verify_legacy(body, &format!("t={T_MS}")), Err(WebhookError::MissingLegacySignature));
    assert_eq!(wh().verify_legacy(body, &format!("t={T_MS},v2=abcd")), Err(WebhookError::MissingLegacySignature));
}

#[test]
fn legacy_garbage_header() {
    let body = FILE_DELETED.as_bytes();
    for header in ["", "garbage", ",,,", "===", "t", "\u{0}\u{1}", "v1=,t="] {
        let err = wh().verify_legacy(body, header).unwrap_err();
        assert!(
            matches!(
                err,
                WebhookError::MissingLegacyTimestamp
                    | WebhookError::InvalidLegacyTimestamp
                    | WebhookError::MissingLegacySignature
            ),
            "{header:?}: {err:?}"
        );
    }
}

#[test]
fn legacy_valid_signature_but_not_an_event() {
    let err = wh().verify_legacy(b"not json", &legacy_header("not json")).unwrap_err();
    assert!(matches!(err, WebhookError::Parse(_)), "{err:?}");
}

// ---- the secret never leaks ------------------------------------------------

#[test]
fn debug_and_errors_never_show_the_secret() {
    let secret = "whsec_SUPER_SECRET_value_42";
    let needles = [secret, "SUPER_SECRET_value_42", "SUPER_SECRET"];
    let w = Webhooks::new(secret);
    let client_like = Webhooks::from_secret(Some(imagekit::types::Secret::new(secret)));
    let mut outputs = vec![format!("{w:?}"), format!("{w:#?}"), format!("{client_like:?}")];

    let body = FILE_DELETED.as_bytes();
    let good = headers(ID, &NOW.to_string(), &format!("v1,{}", b64_sig(secret.as_bytes(), ID, NOW, body)));
    let mut errors = vec![
        w.verify_and_parse_at(body, &HeaderMap::new(), NOW).unwrap_err(),
        w.verify_and_parse_at(body, &headers(ID, "x", "v1,abc"), NOW).unwrap_err(),
        w.verify_and_parse_at(body, &good, NOW + 1000).unwrap_err(),
        w.verify_and_parse_at(body, &good, NOW - 1000).unwrap_err(),
        w.verify_and_parse_at(b"tampered", &good, NOW).unwrap_err(),
        w.verify_and_parse_at(b"not json", &signed_with(secret, "not json"), NOW).unwrap_err(),
        w.verify_legacy(body, "").unwrap_err(),
        w.verify_legacy(body, "t=x").unwrap_err(),
        w.verify_legacy(body, "t=1").unwrap_err(),
        w.verify_legacy(body, "t=1,v1=00").unwrap_err(),
        Webhooks::default().verify_and_parse_at(body, &good, NOW).unwrap_err(),
    ];
    let mut bad = good.clone();
    bad.insert("webhook-id", HeaderValue::from_bytes(b"\xff").unwrap());
    errors.push(w.verify_and_parse_at(body, &bad, NOW).unwrap_err());
    for e in &errors {
        outputs.push(format!("{e:?}"));
        outputs.push(e.to_string());
    }
    for out in &outputs {
        for needle in needles {
            assert!(!out.contains(needle), "{out:?} leaks the secret");
        }
    }
    assert!(outputs[0].contains("***"), "{}", outputs[0]);
}

fn signed_with(secret: &str, body: &str) -> HeaderMap {
    headers(ID, &NOW.to_string(), &format!("v1,{}", b64_sig(secret.as_bytes(), ID, NOW, body.as_bytes())))
}

// ---- never panics ----------------------------------------------------------

fn header_value() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        Just(None),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(Some),
        "[0-9]{0,25}".prop_map(|s| Some(s.into_bytes())),
        "(v[0-9a-z]{0,2},[A-Za-z0-9+/=]{0,48} ?){0,4}".prop_map(|s| Some(s.into_bytes())),
    ]
}

fn insert(h: &mut HeaderMap, name: &'static str, value: Option<Vec<u8>>) {
    if let Some(v) = value.and_then(|v| HeaderValue::from_bytes(&v).ok()) {
        h.insert(name, v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_input_never_panics(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        id in header_value(),
        ts in header_value(),
        sig in header_value(),
        now in any::<i64>(),
        legacy in ".{0,80}",
        secret in proptest::option::of(".{0,40}"),
    ) {
        let w = Webhooks::from_secret(secret.map(imagekit::types::Secret::new));
        let mut h = HeaderMap::new();
        insert(&mut h, "webhook-id", id);
        insert(&mut h, "webhook-timestamp", ts);
        insert(&mut h, "webhook-signature", sig);
        let _ = w.verify_and_parse_at(&body, &h, now);
        let _ = w.verify_and_parse(&body, &h);
        let _ = w.verify_legacy(&body, &legacy);
        let _ = w.parse_unverified(&body);
        let _ = w.sign(&legacy, now, &body);
    }

    #[test]
    fn sign_then_verify_round_trips(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        id in "[a-zA-Z0-9_]{1,40}",
        ts in 0i64..4_000_000_000,
        skew in -300i64..=300,
        flip in any::<proptest::sample::Index>(),
    ) {
        let w = wh();
        let sig = w.sign(&id, ts, &body).unwrap();
        prop_assert_eq!(&sig, &format!("v1,{}", b64_sig(SECRET.as_bytes(), &id, ts, &body)));
        let h = headers(&id, &ts.to_string(), &sig);
        prop_assert_eq!(w.verify_at(&body, &h, ts + skew), Ok(()));
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 0x01;
            prop_assert_eq!(w.verify_at(&tampered, &h, ts), Err(WebhookError::NoMatchingSignature));
        }
        let legacy = w.sign_legacy(ts as u64, &body).unwrap();
        let verified = w.verify_legacy(&body, &legacy);
        // The signature always checks out; what remains is whether the body is an event.
        prop_assert!(matches!(verified, Ok(_) | Err(WebhookError::Parse(_))), "{:?}", verified);
    }
}
