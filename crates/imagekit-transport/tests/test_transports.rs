//! The recording transport and the closure adapter.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use futures_util::stream;
use imagekit_transport::test_util::{MockResponse, RecordingTransport, RenderOptions};
use imagekit_transport::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind, http_client_fn};

fn upload_request() -> Request {
    http::Request::post("https://upload.imagekit.io/api/v1/files/upload?x=1")
        .header("content-type", "application/json")
        .header("authorization", "Basic c2VjcmV0Og==")
        .header("user-agent", "ImageKit/Rust 0.1.0")
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
async fn recorded_request_text_snapshot_is_sorted_exact_and_redacted_by_default() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200));
    transport.send(upload_request()).await.expect("response");
    let recorded = transport.last_request().expect("recorded");
    // Only the rendering is redacted: the recorded header is as sent.
    assert_eq!(recorded.header("authorization"), Some("Basic c2VjcmV0Og=="));
    assert_eq!(recorded.header("user-agent"), Some("ImageKit/Rust 0.1.0"));
    insta::assert_snapshot!(recorded.to_string(), @r#"
    POST https://upload.imagekit.io/api/v1/files/upload?x=1
    authorization: [redacted]
    content-type: application/json
    user-agent: [redacted]
    x-a: 1
    x-a: 0
    x-b: 2

    {"fileName":"a.jpg","useUniqueFileName":false}
    "#);
    assert_eq!(format!("{recorded:?}"), recorded.to_string(), "Debug is the redacted rendering");
}

#[tokio::test]
async fn recorded_request_json_snapshot_embeds_json_bodies() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200));
    transport.send(upload_request()).await.expect("response");
    let recorded = transport.last_request().expect("recorded");
    insta::assert_json_snapshot!(recorded, @r#"
    {
      "method": "POST",
      "uri": "https://upload.imagekit.io/api/v1/files/upload?x=1",
      "headers": {
        "authorization": "[redacted]",
        "content-type": "application/json",
        "user-agent": "[redacted]",
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
async fn redaction_is_set_on_the_transport_for_every_clone_and_every_request() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200)).respond(MockResponse::new(200));
    let client: Arc<dyn HttpClient> = Arc::new(transport.clone());
    client.send(upload_request()).await.expect("response");
    // Set after the first request and on another clone: applies to both.
    let _ = transport.clone().keep_header("user-agent").redact_header("X-B");
    client.send(upload_request()).await.expect("response");
    for recorded in transport.requests() {
        let text = recorded.to_string();
        assert!(text.contains("\nuser-agent: ImageKit/Rust 0.1.0\n"), "{text}");
        assert!(text.contains("\nx-b: [redacted]\n"), "{text}");
        assert!(text.contains("\nauthorization: [redacted]\n"), "{text}");
        assert_eq!(recorded.to_json()["headers"]["x-b"], "[redacted]");
    }
    assert!(transport.render_options().is_redacted("x-b"));

    // Nothing redacted, per request, when a test wants the raw headers.
    let raw = transport.last_request().expect("recorded").with_render_options(RenderOptions::redacting_nothing());
    assert!(raw.to_string().contains("\nauthorization: Basic c2VjcmV0Og==\n"));
    // The old per-request redaction still works on the stored values.
    let redacted = raw.redact_headers(&["x-a"]);
    assert_eq!(redacted.headers.get_all("x-a").iter().count(), 1);
    assert_eq!(redacted.header("x-a"), Some("[redacted]"));

    let taken = transport.take_requests();
    assert_eq!(taken.len(), 2);
    assert!(taken[0].to_string().contains("\nx-b: [redacted]\n"));
}

#[tokio::test]
async fn identical_uploads_with_random_boundaries_render_identically() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200)).respond(MockResponse::new(200));
    for boundary in ["----formdata-undici-012345678901", "----formdata-undici-098765432109"] {
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nhello\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\na.txt\r\n\
             --{boundary}--\r\n"
        );
        let request = http::Request::post("https://upload.imagekit.io/api/v1/files/upload")
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("content-length", body.len())
            .body(Body::from(body))
            .expect("valid request");
        transport.send(request).await.expect("response");
    }
    let recorded = transport.requests();
    assert_ne!(recorded[0].body, recorded[1].body);
    assert_eq!(recorded[0].to_string(), recorded[1].to_string());
    assert_eq!(recorded[0].to_json(), recorded[1].to_json());
    // printf hello | sha256sum → 2cf24dba5fb0a30e…
    insta::assert_snapshot!(recorded[0].to_string(), @r#"
    POST https://upload.imagekit.io/api/v1/files/upload
    content-length: 266
    content-type: multipart/form-data; boundary=[boundary]

    multipart/form-data: 2 parts
    part 1: name="file" filename="a.txt" content-type="text/plain"
      file: 5 bytes, sha256 2cf24dba5fb0a30e
    part 2: name="fileName"
      value: a.txt
    "#);
    insta::assert_json_snapshot!(recorded[1], @r#"
    {
      "method": "POST",
      "uri": "https://upload.imagekit.io/api/v1/files/upload",
      "headers": {
        "content-length": "266",
        "content-type": "multipart/form-data; boundary=[boundary]"
      },
      "body": {
        "multipart/form-data": [
          {
            "name": "file",
            "filename": "a.txt",
            "content_type": "text/plain",
            "file": {
              "len": 5,
              "sha256": "2cf24dba5fb0a30e"
            }
          },
          {
            "name": "fileName",
            "value": "a.txt"
          }
        ]
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
    // printf '\xff\x00\x10\x80' | sha256sum → f6051b6408d0be09…
    assert_eq!(recorded.to_string(), "PUT http://127.0.0.1/blob\n\n<binary body: 4 bytes, sha256 f6051b6408d0be09>\n");
    assert_eq!(recorded.to_json()["body"], serde_json::json!({ "binary": { "len": 4, "sha256": "f6051b6408d0be09" } }));
}

#[tokio::test]
async fn a_body_streamed_without_a_length_is_flagged() {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200)).respond(MockResponse::new(200));
    let chunks = || stream::iter([Ok::<_, io::Error>(Bytes::from_static(b"{\"a\":")), Ok(Bytes::from_static(b"1}"))]);
    for len in [None, Some(7)] {
        let request = http::Request::post("http://127.0.0.1/json")
            .header("content-type", "application/json")
            .body(Body::from_stream(chunks(), len))
            .expect("valid request");
        transport.send(request).await.expect("response");
    }
    let recorded = transport.requests();
    assert_eq!(recorded[0].declared_length, None);
    assert_eq!(recorded[1].declared_length, Some(7));
    assert_eq!(
        recorded[0].to_string(),
        "POST http://127.0.0.1/json\ncontent-type: application/json\n\n<no length declared: sent chunked>\n{\"a\":1}\n"
    );
    assert_eq!(recorded[0].to_json()["length_declared"], false);
    assert_eq!(recorded[0].to_json()["body"], serde_json::json!({ "a": 1 }));
    assert_eq!(recorded[1].to_string(), "POST http://127.0.0.1/json\ncontent-type: application/json\n\n{\"a\":1}\n");
    assert_eq!(recorded[1].to_json().get("length_declared"), None);
    assert_ne!(recorded[0], recorded[1], "the framing is part of the request");
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
