//! The `errors`, `retries` and `timeouts` records of the Node SDK's capture,
//! replayed against a scripted transport on a paused clock: the same number of
//! attempts, the same error classes and messages, delays inside the documented
//! bounds. Plus the duplicate-upload rule the official SDKs lack.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use imagekit::types::{CopyFileRequest, UploadParams};
use imagekit::{Client, Error, UploadFile};
use imagekit_transport::{Body, HttpClient, Request, Response, TransportError, async_trait};
use serde_json::{Value, json};
use tokio::time::Instant;

#[derive(Debug, Clone)]
enum Action {
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    Close,
    Reset,
    Refuse,
    Hang,
}

/// A transport that plays a script and notes when each request arrived.
#[derive(Clone, Default)]
struct Script {
    actions: Arc<Mutex<VecDeque<Action>>>,
    arrivals: Arc<Mutex<Vec<Instant>>>,
}

impl Script {
    fn new(actions: Vec<Action>) -> Self {
        Script { actions: Arc::new(Mutex::new(actions.into())), arrivals: Arc::default() }
    }
    fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().unwrap().clone()
    }
}

#[async_trait]
impl HttpClient for Script {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        // Read the body as a server would, so one-shot bodies are consumed.
        request.into_body().collect().await?;
        self.arrivals.lock().unwrap().push(Instant::now());
        let action = self.actions.lock().unwrap().pop_front().expect("script exhausted: too many attempts");
        match action {
            Action::Respond { status, headers, body } => {
                let mut b = http::Response::builder().status(status);
                for (k, v) in headers {
                    b = b.header(k, v);
                }
                Ok(b.body(Body::from(body)).unwrap())
            }
            Action::Close => Err(TransportError::closed(std::io::Error::from(std::io::ErrorKind::ConnectionAborted))),
            Action::Reset => Err(TransportError::closed(std::io::Error::from(std::io::ErrorKind::ConnectionReset))),
            Action::Refuse => Err(TransportError::connect(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))),
            Action::Hang => futures::future::pending().await,
        }
    }
}

fn client(script: &Script, max_retries: Option<u32>, timeout: Option<Duration>) -> Client {
    let mut b = Client::builder().private_key(PRIVATE_KEY).base_url(BASE_URL).http_client(script.clone());
    if let Some(r) = max_retries {
        b = b.max_retries(r);
    }
    if let Some(t) = timeout {
        b = b.timeout(t);
    }
    b.build().unwrap()
}

/// The response body the capture server sent for a recorded attempt.
fn recorded_body(rec: &Value) -> Vec<u8> {
    let err = &rec["outcome"]["error"];
    let status = rec["request"]["response"]["status"].as_u64().unwrap_or(0);
    let ct = err["headers"]["content-type"].as_str().unwrap_or("application/json");
    if err["headers"]["content-length"] == "0" {
        return Vec::new();
    }
    match &err["error"] {
        Value::Object(o) if !o.contains_key("$undefined") => err["error"].to_string().into_bytes(),
        // Not JSON: the text is what follows the status in Node's message.
        _ if !ct.starts_with("application/json") => {
            let msg = err["message"].as_str().unwrap();
            msg.split_once(' ').unwrap().1.as_bytes().to_vec()
        }
        _ => json!({"message": format!("status {status}"), "help": ""}).to_string().into_bytes(),
    }
}

fn action(rec: &Value, http_date: &str) -> Action {
    let resp = &rec["request"]["response"];
    match resp["action"].as_str().unwrap() {
        "respond" => {
            let mut headers: Vec<(String, String)> = resp["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| {
                    // A recorded date is in the past now: send one 2 s ahead instead.
                    let v = v.as_str().unwrap();
                    let v = if k == "Retry-After" && v.ends_with("GMT") { http_date } else { v };
                    (k.clone(), v.to_owned())
                })
                .collect();
            let ct = rec["outcome"]["error"]["headers"]["content-type"].as_str().unwrap_or("application/json");
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                headers.push(("content-type".into(), ct.into()));
            }
            Action::Respond { status: resp["status"].as_u64().unwrap() as u16, headers, body: recorded_body(rec) }
        }
        "close" => Action::Close,
        "reset" => Action::Reset,
        "hang" => Action::Hang,
        other => panic!("unknown action {other}"),
    }
}

fn class_of(err: &Error) -> &'static str {
    match err {
        Error::BadRequest(_) => "BadRequestError",
        Error::Authentication(_) => "AuthenticationError",
        Error::PermissionDenied(_) => "PermissionDeniedError",
        Error::NotFound(_) => "NotFoundError",
        Error::Conflict(_) => "ConflictError",
        Error::UnprocessableEntity(_) => "UnprocessableEntityError",
        Error::RateLimit(_) => "RateLimitError",
        Error::InternalServer(_) => "InternalServerError",
        Error::Status(_) => "APIError",
        Error::Connection(_) => "APIConnectionError",
        Error::Timeout { .. } => "APIConnectionTimeoutError",
        _ => "other",
    }
}

/// The bounds of the n-th delay (0-based) the records' case calls for.
fn delay_bounds(case: &str, n: u32) -> (Duration, Duration) {
    let ms = Duration::from_millis;
    let exact = |d: Duration| (d, d + ms(5));
    if case.contains("retry-after-ms:200") {
        exact(ms(200))
    } else if case.contains("Retry-After:1") {
        exact(ms(1000))
    } else if case.contains("Retry-After:0") {
        exact(ms(0))
    } else if case.contains("Retry-After:2.5") {
        exact(ms(2500))
    } else if case.contains("http-date") {
        // An HTTP date has one-second resolution.
        (ms(1000), ms(2000))
    } else {
        // Backoff: min(0.5 s * 2^n, 8 s) less up to 25 %. (A garbage Retry-After
        // falls back to it, as Python does; Node retried at once.)
        let top = (0.5 * 2f64.powi(n as i32)).min(8.0);
        (Duration::from_secs_f64(top * 0.75), Duration::from_secs_f64(top))
    }
}

#[tokio::test(start_paused = true)]
async fn errors_retries_and_timeouts_match_the_records() {
    let mut calls: BTreeMap<u64, Vec<Value>> = BTreeMap::new();
    for rec in records() {
        if matches!(rec["group"].as_str(), Some("errors" | "retries" | "timeouts")) {
            calls.entry(rec["call_index"].as_u64().unwrap()).or_default().push(rec);
        }
    }
    let http_date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let mut checked = 0;
    for (_, mut attempts) in calls {
        attempts.sort_by_key(|r| r["attempt"].as_u64());
        let last = attempts.last().unwrap().clone();
        let case = last["case"].as_str().unwrap().to_owned();
        let method = last["sdk_method"].as_str().unwrap();
        let opts = &last["params"]["options"];
        let script = Script::new(attempts.iter().map(|r| action(r, &http_date)).collect());

        // Client-level settings the case names.
        let client_retries = case.contains("maxRetries=0 client").then_some(0);
        let client_timeout = case.contains("client timeout=1000ms").then(|| Duration::from_millis(1000));
        let c = client(&script, client_retries, client_timeout);
        let started = Instant::now();
        let result: Result<(), Error> = match method {
            "files.get" => {
                let mut call = c.files().get(last["params"]["fileID"].as_str().unwrap());
                if let Some(r) = opts["maxRetries"].as_u64() {
                    call = call.max_retries(r as u32);
                }
                if let Some(t) = opts["timeout"].as_u64() {
                    call = call.timeout(Duration::from_millis(t));
                }
                call.await.map(|_| ())
            }
            "files.copy" => c.files().copy(CopyFileRequest::new("/a.jpg", "/b/")).await.map(|_| ()),
            "files.upload" => {
                let mut call = c.files().upload(UploadFile::bytes(vec![1u8; 70]), UploadParams::new("sample.png"));
                if let Some(r) = opts["maxRetries"].as_u64() {
                    call = call.max_retries(r as u32);
                }
                call.await.map(|_| ())
            }
            other => panic!("{other}"),
        };
        let elapsed = started.elapsed();
        let arrivals = script.arrivals();

        // Our one deliberate difference: a unique-name upload is not resent after
        // a 5xx, since the first attempt may have stored the file.
        let expected_attempts =
            if case == "retry[files.upload 503 -> 200]" { 1 } else { last["attempts"].as_u64().unwrap() as usize };
        assert_eq!(arrivals.len(), expected_attempts, "{case}: attempts");

        let outcome = &last["outcome"];
        match (&result, outcome["ok"].as_bool().unwrap()) {
            (Ok(()), true) => {}
            (Err(e), false) => {
                let node = &outcome["error"];
                assert_eq!(class_of(e), node["class"], "{case}: error class ({e})");
                if let Some(api) = e.api_error() {
                    assert!(
                        api.to_string().starts_with(node["message"].as_str().unwrap()),
                        "{case}: message {api} vs {}",
                        node["message"]
                    );
                    if let Some(id) = node["headers"]["x-ik-requestid"].as_str() {
                        assert_eq!(e.request_id(), Some(id), "{case}: request id");
                    }
                    if let Some(body) = node["error"].as_object().filter(|o| !o.contains_key("$undefined")) {
                        assert_eq!(api.body.as_ref().unwrap().message, body.get("message").cloned(), "{case}");
                    } else {
                        assert!(api.body.is_none(), "{case}: a non-JSON body is not parsed");
                    }
                }
            }
            (Err(e), true) if case == "retry[files.upload 503 -> 200]" => {
                assert_eq!(e.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
            }
            (r, _) => panic!("{case}: got {r:?}, recorded {outcome}"),
        }

        // Delays between attempts (minus the time an attempt took to time out).
        let attempt_time = if case.contains("hang") {
            Duration::from_millis(opts["timeout"].as_u64().unwrap_or(1000))
        } else {
            Duration::ZERO
        };
        for (n, w) in arrivals.windows(2).enumerate() {
            let gap = w[1] - w[0] - attempt_time;
            let (lo, hi) = delay_bounds(&case, n as u32);
            assert!(gap >= lo && gap <= hi, "{case}: delay {n} was {gap:?}, expected {lo:?}..={hi:?}");
        }
        assert!(elapsed < Duration::from_secs(30), "{case}: took {elapsed:?}");
        checked += 1;
    }
    assert_eq!(checked, 46, "recorded calls");
}

#[tokio::test(start_paused = true)]
async fn unique_uploads_are_never_sent_twice_after_they_may_have_landed() {
    let upload = |c: &Client, unique: bool| {
        c.files().upload(UploadFile::bytes(vec![0u8; 10]), UploadParams::new("a.png").use_unique_file_name(unique))
    };
    let ok = || Action::Respond { status: 200, headers: vec![], body: br#"{"fileId":"f"}"#.to_vec() };
    let status = |s: u16| Action::Respond { status: s, headers: vec![], body: Vec::new() };

    // Connect refused and 429: nothing was stored, so retry.
    for first in [Action::Refuse, status(429)] {
        let script = Script::new(vec![first.clone(), ok()]);
        upload(&client(&script, None, None), true).await.unwrap_or_else(|e| panic!("{first:?}: {e}"));
        assert_eq!(script.arrivals().len(), 2, "{first:?}");
    }
    // A 5xx, a closed connection or a timeout after sending: maybe stored, no retry.
    for first in [status(500), status(503), Action::Close] {
        let script = Script::new(vec![first.clone(), ok()]);
        assert!(upload(&client(&script, None, None), true).await.is_err(), "{first:?}");
        assert_eq!(script.arrivals().len(), 1, "{first:?}");
    }
    // The server may say so explicitly.
    let forced = Action::Respond { status: 503, headers: vec![("x-should-retry".into(), "true".into())], body: vec![] };
    let script = Script::new(vec![forced, ok()]);
    upload(&client(&script, None, None), true).await.unwrap();
    assert_eq!(script.arrivals().len(), 2);
    // Without a unique name, the official rule applies.
    let script = Script::new(vec![status(503), ok()]);
    upload(&client(&script, None, None), false).await.unwrap();
    assert_eq!(script.arrivals().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_one_shot_stream_is_not_sent_twice() {
    let script = Script::new(vec![
        Action::Respond { status: 503, headers: vec![], body: vec![] },
        Action::Respond { status: 200, headers: vec![], body: b"{}".to_vec() },
    ]);
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"abc"))]);
    let err = client(&script, None, None)
        .files()
        .upload(UploadFile::stream(chunks, Some(3)), UploadParams::new("a.txt").use_unique_file_name(false))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(script.arrivals().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn odd_bodies_become_clear_errors() {
    let respond = |status: u16, ct: &str, body: &[u8]| Action::Respond {
        status,
        headers: vec![("content-type".into(), ct.into())],
        body: body.to_vec(),
    };
    // Truncated JSON on an error: kept raw, not a decode error.
    let script = Script::new(vec![respond(400, "application/json", br#"{"message":"trunc"#)]);
    let err = client(&script, Some(0), None).files().get("f").await.unwrap_err();
    let api = err.api_error().expect("a status error");
    assert_eq!(api.raw.as_deref(), Some(r#"{"message":"trunc"#));
    assert_eq!(err.to_string(), r#"400 {"message":"trunc"#);

    // An empty 500.
    let script = Script::new(vec![respond(500, "application/json", b"")]);
    let err = client(&script, Some(0), None).files().get("f").await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)));
    assert_eq!(err.to_string(), "500 status code (no body)");

    // A 200 whose body is not JSON: a decode error with an excerpt.
    let script = Script::new(vec![respond(200, "text/html", b"<html>oops</html>")]);
    let err = client(&script, Some(0), None).files().get("f").await.unwrap_err();
    match &err {
        Error::Decode { status, excerpt, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(excerpt, "<html>oops</html>");
        }
        other => panic!("{other:?}"),
    }
    // A truncated 200.
    let script = Script::new(vec![respond(200, "application/json", br#"{"fileId":"#)]);
    assert!(matches!(client(&script, Some(0), None).files().get("f").await, Err(Error::Decode { .. })));

    // Empty-object endpoints accept {}, an empty body and a 204.
    for body in [&b"{}"[..], b""] {
        let script = Script::new(vec![respond(200, "application/json", body)]);
        client(&script, Some(0), None).files().copy(CopyFileRequest::new("/a", "/b/")).await.unwrap();
    }
    let script = Script::new(vec![Action::Respond { status: 204, headers: vec![], body: vec![] }]);
    client(&script, Some(0), None).files().copy(CopyFileRequest::new("/a", "/b/")).await.unwrap();

    // Bad input fails before anything is sent.
    let script = Script::new(vec![]);
    for id in ["", ".", ".."] {
        let err = client(&script, Some(0), None).files().get(id).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{id:?}: {err:?}");
    }
    assert!(script.arrivals().is_empty());
}

#[tokio::test(start_paused = true)]
async fn retryable_predicates() {
    let script = Script::new(vec![Action::Respond { status: 429, headers: vec![], body: vec![] }]);
    let err = client(&script, Some(0), None).files().get("f").await.unwrap_err();
    assert!(err.is_retryable() && !err.is_timeout());
    let script = Script::new(vec![Action::Hang]);
    let err = client(&script, Some(0), Some(Duration::from_millis(50))).files().get("f").await.unwrap_err();
    assert!(err.is_timeout() && err.is_retryable() && err.status().is_none());
    let script = Script::new(vec![Action::Respond { status: 404, headers: vec![], body: vec![] }]);
    let err = client(&script, Some(0), None).files().get("f").await.unwrap_err();
    assert!(!err.is_retryable());
}
