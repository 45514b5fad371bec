//! Client configuration, the V2 upload token, paging, URL helpers and secrets.

mod common;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use futures::TryStreamExt;
use hmac::{Hmac, KeyInit, Mac};
use imagekit::types::{ListAssetsQuery, UploadParams};
use imagekit::{Client, Error, UploadFile};
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use serde_json::{Value, json};
use sha2::Sha256;

#[test]
fn a_missing_private_key_is_a_clear_build_error() {
    let err = Client::builder().http_client(RecordingTransport::new()).build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(err.to_string().contains("IMAGEKIT_PRIVATE_KEY"), "{err}");
    let bad = Client::builder().private_key("k").base_url("ftp://x").http_client(RecordingTransport::new()).build();
    assert!(matches!(bad, Err(Error::Config(_))));
}

#[test]
fn uploads_follow_the_base_url_only_when_it_is_overridden() {
    let t = RecordingTransport::new();
    let default = Client::builder().private_key("k").http_client(t.clone()).build().unwrap();
    assert_eq!(default.base_url(), "https://api.imagekit.io");
    assert_eq!(default.upload_base_url(), "https://upload.imagekit.io");
    let same = Client::builder().private_key("k").base_url("https://api.imagekit.io").http_client(t.clone()).build();
    assert_eq!(same.unwrap().upload_base_url(), "https://upload.imagekit.io");
    let local = Client::builder().private_key("k").base_url("http://127.0.0.1:9/prefix/").http_client(t).build();
    assert_eq!(local.unwrap().upload_base_url(), "http://127.0.0.1:9/prefix");
}

#[tokio::test]
async fn every_request_carries_auth_accept_and_user_agent() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({})));
    let client = Client::builder()
        .private_key(PRIVATE_KEY)
        .default_header("X-Team", "media")
        .http_client(t.clone())
        .build()
        .unwrap();
    client.files().get("abc").await.unwrap();
    let req = t.last_request().unwrap();
    assert_eq!(req.uri.to_string(), "https://api.imagekit.io/v1/files/abc/details");
    // The spec's value for private_test_key.
    assert_eq!(req.header("authorization"), Some("Basic cHJpdmF0ZV90ZXN0X2tleTpkb19ub3Rfc2V0"));
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(req.header("x-team"), Some("media"));
    assert!(req.header("user-agent").unwrap().starts_with("ImageKit/Rust "));
}

fn decode_jwt(token: &str) -> (Value, Value, String) {
    let mut parts = token.split('.');
    let header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap();
    let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap();
    (header, claims, parts.next().unwrap().to_owned())
}

/// HS256 of `header.claims` with `key`, computed here independently.
fn hs256_ok(token: &str, key: &str) -> bool {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()) == sig
}

#[tokio::test]
async fn the_v2_upload_token_matches_the_documented_recipe() {
    let record = records().into_iter().find(|r| r["case"] == "beta.v2.files.upload").unwrap();
    let recorded_token = record["params"]["body"]["token"].as_str().unwrap().to_owned();
    // The recorded token was signed with the recorded private key.
    assert!(hs256_ok(&recorded_token, PRIVATE_KEY));
    let (their_header, their_claims, _) = decode_jwt(&recorded_token);

    // Build the same upload without a token: the SDK makes one.
    let mut body = record["params"]["body"].clone();
    let obj = body.as_object_mut().unwrap();
    obj.shift_remove("file");
    obj.shift_remove("token");
    let params: UploadParams = serde_json::from_value(body).unwrap();
    let iat = their_claims["iat"].as_u64().unwrap();
    let lifetime = Duration::from_secs(their_claims["exp"].as_u64().unwrap() - iat);
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({"fileId": "x"})));
    recording_client(&t)
        .beta()
        .v2()
        .files()
        .upload_at(UploadFile::bytes(vec![1u8; 70]).file_name("sample.png"), params, iat, lifetime)
        .await
        .unwrap();
    let parts = parse_multipart(&t.last_request().unwrap());
    let token = String::from_utf8(parts.iter().find(|p| p.name == "token").unwrap().data.clone()).unwrap();
    let (header, claims, _) = decode_jwt(&token);
    assert_eq!(header, their_header);
    assert_eq!(claims, their_claims, "claims are every field as the exact string sent, plus iat and exp");
    assert!(hs256_ok(&token, PRIVATE_KEY));
    // Every claim is exactly a sent form value.
    for p in parts.iter().filter(|p| p.name != "file" && p.name != "token") {
        assert_eq!(claims[&p.name], String::from_utf8(p.data.clone()).unwrap(), "{}", p.name);
    }

    // Without a public key there is no token to build.
    let t = RecordingTransport::new();
    let no_pk = Client::builder().private_key("k").http_client(t.clone()).build().unwrap();
    let err = no_pk.beta().v2().files().upload(vec![1u8], UploadParams::new("a")).await.unwrap_err();
    // The client was built fine: a call-time missing setting, not a build error.
    assert!(matches!(err, Error::MissingSetting { needed_for: "a V2 upload token", .. }), "{err:?}");
    assert!(err.to_string().contains("ClientBuilder::public_key") && !err.is_retryable(), "{err}");
    let auth = no_pk.auth_params();
    let err = no_pk.files().upload_client_side(vec![1u8], UploadParams::new("a"), &auth).await.unwrap_err();
    assert!(matches!(err, Error::MissingSetting { needed_for: "a client-side upload", .. }), "{err:?}");
    assert_eq!(t.request_count(), 0);
}

#[tokio::test]
async fn list_all_pages_until_a_short_page() {
    let t = RecordingTransport::new();
    let page = |n: usize, start: usize| {
        Value::Array((start..start + n).map(|i| json!({"type": "file", "fileId": format!("f{i}")})).collect())
    };
    t.respond(MockResponse::new(200).json(&page(2, 0)))
        .respond(MockResponse::new(200).json(&page(2, 2)))
        .respond(MockResponse::new(200).json(&page(1, 4)));
    let client = recording_client(&t);
    let items: Vec<_> =
        client.assets().list_all(ListAssetsQuery::default().path("/p/").limit(2u64)).try_collect().await.unwrap();
    assert_eq!(items.len(), 5);
    let queries: Vec<String> = t.requests().iter().map(|r| r.uri.query().unwrap().to_owned()).collect();
    assert_eq!(queries, ["path=%2Fp%2F&limit=2&skip=0", "path=%2Fp%2F&limit=2&skip=2", "path=%2Fp%2F&limit=2&skip=4"]);

    // An error ends the stream with that error.
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&page(2, 0))).respond(MockResponse::new(404).json(&json!({"message": "x"})));
    let client = recording_client(&t);
    let res: Result<Vec<_>, _> = client.assets().list_all(ListAssetsQuery::default().limit(2u64)).try_collect().await;
    assert!(matches!(res, Err(Error::NotFound(_))));
}

#[test]
fn url_helpers_use_the_clients_endpoint_and_key() {
    let client = Client::builder()
        .private_key("private_key_test")
        .url_endpoint("https://ik.imagekit.io/demo")
        .http_client(RecordingTransport::new())
        .build()
        .unwrap();
    assert_eq!(client.url("/a.jpg").build().unwrap(), "https://ik.imagekit.io/demo/a.jpg");
    // The spec's check value for upload auth parameters.
    let c2 = Client::builder().private_key("private_x").http_client(RecordingTransport::new()).build().unwrap();
    let p = c2.auth_params_with("tok", 1_700_000_000).unwrap();
    assert_eq!(p.signature, "85c690d7d085c9b82089181d16cf13bd068768df");
    let fresh = c2.auth_params();
    assert_eq!(fresh.token.len(), 36, "a v4 UUID");
    // An empty token is refused, with the URL helpers' error as the source.
    let err = c2.auth_params_with("", 1_700_000_000).unwrap_err();
    assert!(matches!(err, Error::Url { .. }) && err.is_invalid_input(), "{err:?}");
    assert!(std::error::Error::source(&err).is_some_and(|s| s.is::<imagekit::url::UrlError>()), "{err:?}");
}

#[tokio::test]
async fn client_side_uploads_sign_instead_of_sending_the_private_key() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({"fileId": "f"})));
    let client = recording_client(&t);
    let auth = client.auth_params_with("fixed-token-123", 1_767_225_600).unwrap();
    client.files().upload_client_side(vec![7u8; 5], UploadParams::new("a.bin"), &auth).await.unwrap();
    let req = t.last_request().unwrap();
    assert_eq!(req.header("authorization"), None, "no Basic auth on a client-side upload");
    let parts = parse_multipart(&req);
    let field = |n: &str| parts.iter().find(|p| p.name == n).map(|p| String::from_utf8(p.data.clone()).unwrap());
    assert_eq!(field("publicKey").as_deref(), Some(PUBLIC_KEY));
    assert_eq!(field("token").as_deref(), Some("fixed-token-123"));
    assert_eq!(field("expire").as_deref(), Some("1767225600"));
    // The value both official SDKs give for this token and expiry (spec/wire.md §6).
    assert_eq!(field("signature").as_deref(), Some("82f4bc94c911d507cc664fd7812dbda44a0ffee9"));
    assert_eq!(req.uri.to_string(), format!("{BASE_URL}/api/v1/files/upload"));
}

#[cfg(feature = "tokio")]
#[tokio::test]
async fn uploads_from_an_async_reader_are_sent_once_in_full() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({"fileId": "f"})));
    let client = recording_client(&t);
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 256) as u8).collect();
    let reader = std::io::Cursor::new(data.clone());
    client
        .files()
        .upload(UploadFile::reader(reader, Some(data.len() as u64)).file_name("r.bin"), UploadParams::new("r.bin"))
        .await
        .unwrap();
    let parts = parse_multipart(&t.last_request().unwrap());
    let file = parts.iter().find(|p| p.name == "file").unwrap();
    assert_eq!(file.filename.as_deref(), Some("r.bin"));
    assert_eq!(file.content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!(file.data, data);
}

#[tokio::test]
async fn a_missing_file_is_invalid_input_before_sending() {
    let t = RecordingTransport::new();
    let client = recording_client(&t);
    let err = client.files().upload(UploadFile::path("/no/such/file.jpg"), UploadParams::new("x.jpg")).await;
    // The file is named, the OS error is the source, and it counts as invalid input.
    match err {
        Err(ref e @ Error::File { ref path, ref source, .. }) => {
            assert_eq!(path, std::path::Path::new("/no/such/file.jpg"));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            assert!(e.is_invalid_input() && e.to_string().contains("/no/such/file.jpg"), "{e}");
        }
        other => panic!("expected Error::File, got {other:?}"),
    }
    let err = client.files().upload(vec![1u8], UploadParams::new("")).await;
    assert!(matches!(err, Err(Error::InvalidInput(_))), "{err:?}");
    assert_eq!(t.request_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn request_options_built_with_setters_reach_the_request() {
    use hyper::header::{HeaderName, HeaderValue};
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(500).json(&json!({"message": "down"})));
    let client = recording_client(&t);
    let options = imagekit::RequestOptions::new()
        .header(HeaderName::from_static("x-trace"), HeaderValue::from_static("t1"))
        .query("version", "2")
        .max_retries(0)
        .timeout(Duration::from_secs(3));
    assert_eq!((options.max_retries, options.timeout), (Some(0), Some(Duration::from_secs(3))));
    let err = client.files().get("abc").options(options).await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(t.request_count(), 1, "max_retries(0): no retry of the 500");
    let req = t.last_request().unwrap();
    assert_eq!(req.header("x-trace"), Some("t1"));
    assert_eq!(req.uri.path_and_query().unwrap().as_str(), "/v1/files/abc/details?version=2");
}

#[tokio::test]
async fn a_rate_limit_error_says_how_long_to_wait() {
    let t = RecordingTransport::new();
    // What a rate-limited ImageKit answers: the millisecond reset is the precise wait.
    t.respond(
        MockResponse::new(429)
            .header("retry-after", "1")
            .header("x-ratelimit-reset", "250")
            .json(&json!({"message": "You have exceeded the rate limit."})),
    );
    t.respond(MockResponse::new(429).json(&json!({"message": "no wait named"})));
    let client = recording_client(&t);
    let Err(Error::RateLimit(api)) = client.files().get("f1").max_retries(0).await else { panic!("a 429") };
    assert_eq!(api.retry_after(), Some(Duration::from_millis(250)));
    let Err(Error::RateLimit(api)) = client.files().get("f1").max_retries(0).await else { panic!("a 429") };
    assert_eq!(api.retry_after(), None);
}
