//! The private key, its Basic-auth form and the webhook secret never appear in
//! `Debug`, `Display`, errors or TRACE-level logs. Alone in its binary: the
//! `tracing` subscriber is per thread, and other tests' threads would race it
//! for callsite registration.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use imagekit::Client;
use imagekit::types::UploadParams;
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use serde_json::json;

/// A `tracing` writer that keeps everything written.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn the_private_key_never_appears_in_debug_errors_or_logs() {
    const KEY: &str = "private_SUPER_SECRET_key_123";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:do_not_set"));
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let t = RecordingTransport::new();
    t.respond(MockResponse::new(500).json(&json!({"message": "boom"})))
        .respond(MockResponse::new(401).header("x-ik-requestId", "r1").json(&json!({"message": "no"})))
        .respond(MockResponse::new(200).json(&json!({"fileId": "f"})));
    let client =
        Client::builder().private_key(KEY).webhook_secret("whsec_hidden_value").http_client(t.clone()).build().unwrap();
    let err = client.files().get("f").max_retries(1).await.unwrap_err();
    client.files().upload(vec![1u8, 2, 3], UploadParams::new("a.bin")).await.unwrap();
    let invalid = client.files().get("..").await.unwrap_err();

    let mut texts = vec![
        format!("{client:?}"),
        format!("{:?}", Client::builder().private_key(KEY)),
        format!("{err:?}"),
        err.to_string(),
        format!("{invalid:?}"),
        format!("{:?}", client.files().get("x")),
    ];
    for req in t.requests() {
        // Header maps print sensitive values as "Sensitive".
        texts.push(format!("{:?}", req.headers));
    }
    texts.push(String::from_utf8(capture.0.lock().unwrap().clone()).unwrap());
    let logs = texts.last().unwrap();
    assert!(logs.contains("imagekit.attempt"), "spans were logged: {logs}");
    assert!(logs.contains("status=401") && logs.contains("request_id=\"r1\""), "attempt fields: {logs}");
    for text in &texts {
        for secret in [KEY, basic.as_str(), "whsec_hidden_value"] {
            assert!(!text.contains(secret), "a secret leaked into: {text}");
        }
    }
}
