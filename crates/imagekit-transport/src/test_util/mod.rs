//! Test transports: a [`RecordingTransport`] that captures every request and
//! answers from a script of [`MockResponse`]s and errors.
//!
//! Recorded requests print ([`Display`](fmt::Display)) and serialize
//! ([`serde::Serialize`], see [`RecordedRequest::to_json`]) deterministically
//! — headers sorted by name — so they make stable snapshots of exact payloads.
//!
//! ```
//! use imagekit_transport::test_util::{MockResponse, RecordingTransport};
//! use imagekit_transport::{Body, HttpClient, TransportError};
//!
//! # futures_util::FutureExt::now_or_never(async {
//! let transport = RecordingTransport::new();
//! transport
//!     .respond(MockResponse::new(200).json(&serde_json::json!({ "fileId": "abc" })))
//!     .fail(TransportError::closed(std::io::Error::from(std::io::ErrorKind::ConnectionReset)));
//!
//! let request = http::Request::post("https://upload.imagekit.io/api/v1/files/upload")
//!     .header("content-type", "application/json")
//!     .body(Body::from(r#"{"fileName":"a.jpg"}"#))
//!     .unwrap();
//! let response = transport.send(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//!
//! let second = http::Request::get("https://api.imagekit.io/v1/files").body(Body::empty()).unwrap();
//! assert!(transport.send(second).await.unwrap_err().is_closed());
//!
//! let recorded = transport.requests();
//! assert_eq!(recorded.len(), 2);
//! assert_eq!(
//!     recorded[0].to_string(),
//!     "POST https://upload.imagekit.io/api/v1/files/upload\n\
//!      content-type: application/json\n\
//!      \n\
//!      {\"fileName\":\"a.jpg\"}\n"
//! );
//! # }).unwrap();
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method, StatusCode, Uri, Version};

use crate::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind};

/// One request as a [`RecordingTransport`] saw it, body fully read.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The request method.
    pub method: Method,
    /// The request URI, as given.
    pub uri: Uri,
    /// The HTTP version the request asked for.
    pub version: Version,
    /// The request headers.
    pub headers: HeaderMap,
    /// The complete request body.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The first value of header `name`, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as UTF-8 text, if it is.
    pub fn body_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The body parsed as JSON, if it is.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A copy with the values of the named headers replaced by
    /// `[redacted]`, to keep credentials out of snapshots.
    #[must_use]
    pub fn redact_headers(&self, names: &[&str]) -> Self {
        let mut copy = self.clone();
        for name in names {
            if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
                if copy.headers.contains_key(&name) {
                    copy.headers.insert(name, HeaderValue::from_static("[redacted]"));
                }
            }
        }
        copy
    }

    /// Headers sorted by name (values of one name keep their order), with
    /// non-UTF-8 values shown lossily.
    fn sorted_headers(&self) -> BTreeMap<&str, Vec<String>> {
        let mut sorted: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (name, value) in &self.headers {
            sorted.entry(name.as_str()).or_default().push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
        sorted
    }

    fn is_json(&self) -> bool {
        self.header(CONTENT_TYPE.as_str()).is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
    }

    /// A deterministic JSON view: `method`, `uri`, `headers` (an object
    /// sorted by name; a string, or an array for repeated headers) and
    /// `body`: parsed JSON when the content type says JSON and it parses,
    /// else the text, else `{"binary_len": n, "fnv1a64": "…"}`; `null` when
    /// empty.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value};
        let mut headers = Map::new();
        for (name, mut values) in self.sorted_headers() {
            let value = if values.len() == 1 {
                Value::String(values.remove(0))
            } else {
                Value::Array(values.into_iter().map(Value::String).collect())
            };
            headers.insert(name.to_owned(), value);
        }
        let body = if self.body.is_empty() {
            Value::Null
        } else if let Some(json) = self.is_json().then(|| self.body_json()).flatten() {
            json
        } else if let Some(text) = self.body_text() {
            Value::String(text.to_owned())
        } else {
            serde_json::json!({
                "binary_len": self.body.len(),
                "fnv1a64": format!("{:016x}", fnv1a64(&self.body)),
            })
        };
        let mut out = Map::new();
        out.insert("method".into(), Value::String(self.method.to_string()));
        out.insert("uri".into(), Value::String(self.uri.to_string()));
        out.insert("headers".into(), Value::Object(headers));
        out.insert("body".into(), body);
        Value::Object(out)
    }
}

/// FNV-1a, 64-bit: a dependency-free, stable fingerprint of binary bodies.
fn fnv1a64(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// The request line, the headers sorted by name, then a blank line and the
/// body if there is one: as text when it is UTF-8, else
/// `<binary body: N bytes, fnv1a64 …>`.
impl fmt::Display for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.uri)?;
        for (name, values) in self.sorted_headers() {
            for value in values {
                writeln!(f, "{name}: {value}")?;
            }
        }
        if self.body.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        match self.body_text() {
            Some(text) => writeln!(f, "{text}"),
            None => writeln!(f, "<binary body: {} bytes, fnv1a64 {:016x}>", self.body.len(), fnv1a64(&self.body)),
        }
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for RecordedRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.to_json(), serializer)
    }
}

/// A scripted response for [`RecordingTransport`].
///
/// Invalid input (a status outside 100..=999, a malformed header) is not a
/// panic: the transport answers that step with an
/// [`Other`](TransportErrorKind::Other) error naming the problem.
#[derive(Debug)]
pub struct MockResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    invalid: Option<String>,
}

impl MockResponse {
    /// A response with this status, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        let (status, invalid) = match StatusCode::from_u16(status) {
            Ok(status) => (status, None),
            Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Some(format!("invalid status code {status}"))),
        };
        Self { status, headers: HeaderMap::new(), body: Body::empty(), invalid }
    }

    /// Appends a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => {
                self.invalid.get_or_insert_with(|| format!("invalid header {name:?}: {value:?}"));
            }
        }
        self
    }

    /// Sets the body: bytes, text, or any [`Body`] — e.g. a stream that
    /// fails midway to simulate a connection reset during the response.
    #[must_use]
    pub fn body(mut self, body: impl Into<Body>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets a JSON body and `content-type: application/json`.
    #[must_use]
    pub fn json(mut self, value: &serde_json::Value) -> Self {
        self.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Body::from(value.to_string());
        self
    }

    fn into_response(self) -> Result<Response, TransportError> {
        if let Some(problem) = self.invalid {
            return Err(TransportError::new(TransportErrorKind::Other).with_message(format!("MockResponse: {problem}")));
        }
        let mut response = Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        Ok(response)
    }
}

enum Step {
    Respond(MockResponse),
    Fail(TransportError),
}

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    script: VecDeque<Step>,
}

/// An [`HttpClient`] that records every request (method, URI, headers, full
/// body) and answers with the next step of its script, in order.
///
/// When the script is exhausted it answers with an
/// [`Other`](TransportErrorKind::Other) error saying so (the request is still
/// recorded). If reading the request body fails, that error is returned and
/// nothing is recorded or consumed.
///
/// Clones share the script and the recordings, so a test can keep one clone
/// and hand another (e.g. as `Arc<dyn HttpClient>`) to the code under test.
#[derive(Clone, Default)]
pub struct RecordingTransport {
    state: Arc<Mutex<State>>,
}

impl RecordingTransport {
    /// A transport with an empty script.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not cascade.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends a response to the script.
    pub fn respond(&self, response: MockResponse) -> &Self {
        self.state().script.push_back(Step::Respond(response));
        self
    }

    /// Appends an error to the script, e.g.
    /// `TransportError::closed(io::Error::from(io::ErrorKind::ConnectionReset))`.
    pub fn fail(&self, error: TransportError) -> &Self {
        self.state().script.push_back(Step::Fail(error));
        self
    }

    /// All requests recorded so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// Returns and forgets the requests recorded so far.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut self.state().requests)
    }

    /// The most recent request.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.state().requests.last().cloned()
    }

    /// How many requests were recorded.
    pub fn request_count(&self) -> usize {
        self.state().requests.len()
    }

    /// How many script steps are left.
    pub fn remaining(&self) -> usize {
        self.state().script.len()
    }
}

impl fmt::Debug for RecordingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("RecordingTransport")
            .field("recorded", &state.requests.len())
            .field("remaining", &state.script.len())
            .finish()
    }
}

#[async_trait]
impl HttpClient for RecordingTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let (parts, body) = request.into_parts();
        // Read the body before taking the lock: it may be a slow stream.
        let body = body.collect().await?;
        let step = {
            let mut state = self.state();
            state.requests.push(RecordedRequest {
                method: parts.method,
                uri: parts.uri,
                version: parts.version,
                headers: parts.headers,
                body,
            });
            state.script.pop_front()
        };
        match step {
            Some(Step::Respond(response)) => response.into_response(),
            Some(Step::Fail(error)) => Err(error),
            None => Err(TransportError::new(TransportErrorKind::Other)
                .with_message("RecordingTransport: no scripted response left")),
        }
    }
}
