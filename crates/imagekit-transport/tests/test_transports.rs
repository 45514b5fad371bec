//! The recording transport and the closure adapter.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use futures_util::stream;
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use imagekit_transport::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind, http_client_fn};

fn upload_request() -> Request {
    http::Request::post("https://upload.imagekit.io/api/v1/files/upload?x=1")
        .header("content-type", "application/json")
        .header("authorization", "Basic c2VjcmV0Og==")
        .header("x-b", "2")
        .header("x-a", "1")
        .header("x-a", "0")
        .body(Body::from(r#"{"fileName":"a.jpg","useUniqueFileName":false}"#))
        .expect("valid request")
}

#[tokio::test]
async fn answers_from_the_script_in_order_and_records_everything() {
    let transport = RecordingTransport::new();
    transport
        .respond(MockResponse::new(201).header("x-ik-requestid", "req-1").json(&serde_json::json!({ "fileId": "f1" })))
        .fail(TransportError::closed(io::Error::from(io::ErrorKind::ConnectionReset)))
        .respond(MockResponse::new(404).body("not found"));
    assert_eq!(transport.remaining(), 3);

    // Hand a clone to "the SDK" as a trait object; the test keeps the other.
    let client: Arc<dyn HttpClient> = Arc::new(transport.clone());

    let first = client.send(upload_request()).await.expect("scripted 201");
    assert_eq!(first.status(), 201);
    assert_eq!(first.headers()["x-ik-requestid"], "req-1");
    assert_eq!(first.headers()["content-type"], "application/json");
    assert_eq!(first.into_body().collect().await.expect("body"), r#"{"fileId":"f1"}"#);

    let get = |path: &str| {
        http::Request::get(format!("https://api.imagekit.io{path}")).body(Body::empty()).expect("valid request")
    };
    let second = client.send(get("/v1/files")).await.expect_err("scripted reset");
    assert!(second.is_closed());
    assert_eq!(
        std::error::Error::source(&second).and_then(|s| s.downcast_ref::<io::Error>()).map(io::Error::kind),
        Some(io::ErrorKind::ConnectionReset)
    );

    let third = client.send(get("/v1/files/f1")).await.expect("scripted 404");
    assert_eq!(third.status(), 404);
    assert_eq!(third.into_body().collect().await.expect("body"), "not found");

    let exhausted = client.send(get("/v1/extra")).await.expect_err("script exhausted");
    assert_eq!(exhausted.kind(), TransportErrorKind::Other);
    assert!(exhausted.to_string().contains("no scripted response left"));

    let recorded = transport.requests();
    let lines: Vec<String> = recorded.iter().map(|r| format!("{} {}", r.method, r.uri)).collect();
    assert_eq!(
        lines,
        [
            "POST https://upload.imagekit.io/api/v1/files/upload?x=1",
            "GET https://api.imagekit.io/v1/files",
            "GET https://api.imagekit.io/v1/files/f1",
            "GET https://api.imagekit.io/v1/extra",
        ]
    );
    assert_eq!(recorded[0].header("x-b"), Some("2"));
    assert_eq!(recorded[0].body_json(), Some(serde_json::json!({ "fileName": "a.jpg", "useUniqueFileName": false })));
    assert_eq!(transport.last_request().map(|r| r.uri.path().to_owned()).as_deref(), Some("/v1/extra"));
    assert_eq!(transport.take_requests().len(), 4);
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn recorded_request_text_snapshot_is_sorted_and_exact() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200));
    transport.send(upload_request()).await.expect("response");
    let recorded = transport.last_request().expect("recorded");
    insta::assert_snapshot!(recorded.redact_headers(&["authorization"]).to_string(), @r#"
    POST https://upload.imagekit.io/api/v1/files/upload?x=1
    authorization: [redacted]
    content-type: application/json
    x-a: 1
    x-a: 0
    x-b: 2

    {"fileName":"a.jpg","useUniqueFileName":false}
    "#);
}

#[tokio::test]
async fn recorded_request_json_snapshot_embeds_json_bodies() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200));
    transport.send(upload_request()).await.expect("response");
    let recorded = transport.last_request().expect("recorded");
    insta::assert_json_snapshot!(recorded.redact_headers(&["authorization"]), @r#"
    {
      "method": "POST",
      "uri": "https://upload.imagekit.io/api/v1/files/upload?x=1",
      "headers": {
        "authorization": "[redacted]",
        "content-type": "application/json",
        "x-a": [
          "1",
          "0"
        ],
        "x-b": "2"
      },
      "body": {
        "fileName": "a.jpg",
        "useUniqueFileName": false
      }
    }
    "#);
}

#[tokio::test]
async fn streamed_and_binary_bodies_are_recorded_in_full() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200));
    let chunks: Vec<Result<Bytes, io::Error>> =
        vec![Ok(Bytes::from_static(&[0xff, 0x00])), Ok(Bytes::from_static(&[0x10, 0x80]))];
    let request = http::Request::put("http://127.0.0.1/blob")
        .body(Body::from_stream(stream::iter(chunks), Some(4)))
        .expect("valid request");
    transport.send(request).await.expect("response");
    let recorded = transport.last_request().expect("recorded");
    assert_eq!(recorded.body, Bytes::from_static(&[0xff, 0x00, 0x10, 0x80]));
    assert_eq!(recorded.body_text(), None);
    // Deterministic fingerprint: identical bytes give identical snapshots.
    let text = recorded.to_string();
    assert!(text.starts_with("PUT http://127.0.0.1/blob\n\n<binary body: 4 bytes, fnv1a64 "));
    let json = recorded.to_json();
    assert_eq!(json["body"]["binary_len"], 4);
    assert_eq!(json["body"]["fnv1a64"].as_str().map(str::len), Some(16));
}

#[tokio::test]
async fn failing_request_body_is_returned_and_not_recorded() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200));
    let items: Vec<Result<Bytes, io::Error>> = vec![Err(io::Error::other("gone"))];
    let request = http::Request::post("http://127.0.0.1/")
        .body(Body::from_stream(stream::iter(items), None))
        .expect("valid request");
    let err = transport.send(request).await.expect_err("body error");
    assert_eq!(err.kind(), TransportErrorKind::Body);
    assert_eq!(transport.request_count(), 0);
    assert_eq!(transport.remaining(), 1, "script step not consumed");
}

#[tokio::test]
async fn scripted_response_body_can_fail_midway() {
    let transport = RecordingTransport::new();
    let items: Vec<Result<Bytes, TransportError>> = vec![
        Ok(Bytes::from_static(b"[{\"fileId\":")),
        Err(TransportError::closed(io::Error::from(io::ErrorKind::ConnectionReset))),
    ];
    transport.respond(MockResponse::new(200).body(Body::from_stream(stream::iter(items), None)));
    let response = transport
        .send(http::Request::get("https://api.imagekit.io/v1/files").body(Body::empty()).expect("valid"))
        .await
        .expect("head arrives");
    let err = response.into_body().collect().await.expect_err("reset mid-body");
    assert!(err.is_closed());
    assert!(!err.is_retry_safe());
}

#[tokio::test]
async fn invalid_mock_input_is_an_error_not_a_panic() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(42)).respond(MockResponse::new(200).header("bad header", "x"));
    for _ in 0..2 {
        let err = transport
            .send(http::Request::get("http://127.0.0.1/").body(Body::empty()).expect("valid"))
            .await
            .expect_err("invalid mock");
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(err.to_string().contains("MockResponse"), "{err}");
    }
}

#[tokio::test]
async fn closure_adapter_is_an_http_client() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = http_client_fn(move |request: Request| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                return Err(TransportError::connect(io::Error::from(io::ErrorKind::ConnectionRefused)));
            }
            let body = request.into_body().collect().await?;
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = http::StatusCode::ACCEPTED;
            Ok(response)
        }
    });
    let client: Arc<dyn HttpClient> = Arc::new(client);

    // What the SDK's retry loop does: keep a replayable copy, resend it after
    // an error that says the request never left.
    let request = http::Request::post("https://api.imagekit.io/v1/files/f1/details")
        .body(Body::from_stream_factory(
            || stream::iter([Ok::<_, io::Error>(Bytes::from_static(b"{\"tags\":[]}"))]),
            Some(11),
        ))
        .expect("valid request");
    let retry_body = request.body().try_clone().expect("replayable");

    let err = client.send(request).await.expect_err("first attempt refused");
    assert!(err.is_retry_safe());
    let retry =
        http::Request::post("https://api.imagekit.io/v1/files/f1/details").body(retry_body).expect("valid request");
    let response = client.send(retry).await.expect("second attempt");
    assert_eq!(response.status(), 202);
    assert_eq!(response.into_body().collect().await.expect("echo"), "{\"tags\":[]}");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
