//! Headers a caller adds cannot replace the ones the SDK owns, and a bad
//! header fails the call with an error that names it (never its value).

mod common;

use common::*;
use http::{HeaderMap, HeaderName, HeaderValue};
use imagekit::{Client, Error, RequestOptions, SDK_OWNED_HEADERS};
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use serde_json::json;

fn invalid_input(err: Error) -> String {
    match err {
        Error::InvalidInput(m) => m,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn a_per_call_header_cannot_replace_one_the_sdk_owns() {
    for name in ["Authorization", "Content-Length", "Content-Type", "Host", "Transfer-Encoding"] {
        let t = RecordingTransport::new();
        let client = recording_client(&t);
        let err = client.files().get("abc").header(name, "Basic c2VjcmV0LXZhbHVl").await.unwrap_err();
        let message = invalid_input(err);
        assert!(message.contains(&format!("{:?}", name.to_ascii_lowercase())), "{name}: {message}");
        assert!(!message.contains("c2VjcmV0LXZhbHVl"), "the value is echoed: {message}");
        assert_eq!(t.request_count(), 0, "{name}: a request was sent");
    }
}

#[tokio::test]
async fn request_options_cannot_replace_an_sdk_owned_header_either() {
    let t = RecordingTransport::new();
    let client = recording_client(&t);
    let typed = RequestOptions::new().header(http::header::AUTHORIZATION, HeaderValue::from_static("Basic eHh4"));
    let message = invalid_input(client.files().get("abc").options(typed).await.unwrap_err());
    assert!(message.contains("\"authorization\""), "{message}");
    assert!(!message.contains("eHh4"), "{message}");

    let mut map = HeaderMap::new();
    map.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    let replaced = RequestOptions::new().headers(map);
    let message = invalid_input(client.files().get("abc").options(replaced).await.unwrap_err());
    assert!(message.contains("\"content-type\""), "{message}");
    assert_eq!(t.request_count(), 0);
}

#[tokio::test]
async fn user_agent_and_other_headers_may_be_set() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({})));
    t.respond(MockResponse::new(200).json(&json!({})));
    let client = recording_client(&t);
    client.files().get("abc").header("User-Agent", "my-app/1.0").header("X-Trace", "t-1").await.unwrap();
    let req = t.last_request().unwrap();
    assert_eq!(req.header("user-agent"), Some("my-app/1.0"));
    assert_eq!(req.header("x-trace"), Some("t-1"));
    // The SDK's Authorization is still the one sent.
    assert_eq!(req.header("authorization"), Some("Basic cHJpdmF0ZV90ZXN0X2tleTpkb19ub3Rfc2V0"));

    let options = RequestOptions::new().header(HeaderName::from_static("x-trace"), HeaderValue::from_static("t-2"));
    client.files().get("abc").options(options).await.unwrap();
    assert_eq!(t.last_request().unwrap().header("x-trace"), Some("t-2"));
}

#[tokio::test]
async fn a_header_value_with_a_line_break_names_the_header_and_why() {
    let t = RecordingTransport::new();
    let client = recording_client(&t);
    for value in ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b"] {
        let err = client.files().get("abc").header("X-Trace", value).await.unwrap_err();
        let message = invalid_input(err);
        assert!(message.contains("\"x-trace\"") && message.contains("CR, LF"), "{message}");
        assert!(!message.contains("Injected"), "{message}");
    }
    let message = invalid_input(client.files().get("abc").header("bad name", "v").await.unwrap_err());
    assert!(message.contains("\"bad name\"") && message.contains("header name"), "{message}");
    assert_eq!(t.request_count(), 0);
}

#[test]
fn default_headers_cannot_replace_an_sdk_owned_header() {
    for name in SDK_OWNED_HEADERS {
        let built = Client::builder()
            .private_key(PRIVATE_KEY)
            .default_header(name.to_ascii_uppercase(), "Basic c2VjcmV0")
            .http_client(RecordingTransport::new())
            .build();
        let Err(Error::Config(message)) = built else { panic!("{name}: expected a Config error") };
        assert!(message.contains(&format!("{name:?}")) && !message.contains("c2VjcmV0"), "{message}");
    }
    let built = Client::builder()
        .private_key(PRIVATE_KEY)
        .default_header("X-Team", "a\r\nb")
        .http_client(RecordingTransport::new())
        .build();
    let Err(Error::Config(message)) = built else { panic!("expected a Config error") };
    assert!(message.contains("\"x-team\"") && message.contains("CR, LF"), "{message}");
}
