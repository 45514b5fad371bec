//! Test transports: a [`RecordingTransport`] that captures every request and
//! answers from a script of [`MockResponse`]s and errors.
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
//! let request = http::Request::post("https://api.imagekit.io/v1/files/addTags")
//!     .header("content-type", "application/json")
//!     .body(Body::from(r#"{"fileIds":["abc"],"tags":["sale"]}"#))
//!     .unwrap();
//! let response = transport.send(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//!
//! let second = http::Request::get("https://api.imagekit.io/v1/files").body(Body::empty()).unwrap();
//! assert!(transport.send(second).await.unwrap_err().is_closed());
//!
//! let recorded = transport.requests();
//! assert_eq!(recorded.len(), 2);
//! assert_eq!(recorded[0].body_json().unwrap()["tags"][0], "sale");
//! assert_eq!(
//!     recorded[0].to_string(),
//!     "POST https://api.imagekit.io/v1/files/addTags\n\
//!      content-type: application/json\n\
//!      \n\
//!      {\"fileIds\":[\"abc\"],\"tags\":[\"sale\"]}\n"
//! );
//! # }).unwrap();
//! ```
//!
//! # Snapshots of the exact payloads
//!
//! A [`RecordedRequest`] renders — as text with [`Display`](fmt::Display), as
//! JSON with [`RecordedRequest::to_json`] or [`serde::Serialize`] — the same
//! way on every run and in every release, so it makes a stable snapshot:
//!
//! - The request line, then the headers sorted by name (one line per value).
//! - Headers that are secret or change with the version or the run render as
//!   `[redacted]`: by default [`DEFAULT_REDACTED_HEADERS`] (`authorization`,
//!   `cookie`, `idempotency-key`, `proxy-authorization`, `user-agent`,
//!   `x-request-id`). Change that per transport with
//!   [`RecordingTransport::redact_header`], [`RecordingTransport::keep_header`]
//!   or [`RecordingTransport::with_render_options`], or per request with
//!   [`RecordedRequest::with_render_options`]. Only the rendering is redacted:
//!   [`RecordedRequest::headers`] holds the values as sent, for assertions.
//! - A `multipart/form-data` body renders as its parts, never its boundary,
//!   which is random per request (in `content-type` it shows as
//!   `boundary=[boundary]`). Each part shows its field name, file name and
//!   content type when it has them, then its content: a text part's text
//!   (`value: …`; `value (escaped): "…"`, a JSON string literal, when the text
//!   is empty, has control characters such as CR LF, or starts or ends with
//!   whitespace), or for a part with a file name (`file: …`) or non-UTF-8
//!   bytes (`binary: …`) its length and the first 16 hex digits of its SHA-256
//!   (the start of what `sha256sum` prints). A body that is announced as
//!   multipart but does not parse renders as a note with the parser's message,
//!   its length and hash, then its text if it is UTF-8.
//! - Any other body: text (JSON included) as sent, other bytes as
//!   `<binary body: N bytes, sha256 …>`. In the JSON form a JSON body is
//!   embedded as parsed JSON.
//! - A body whose length was not known before it was sent (a stream without a
//!   length, which a transport sends chunked) is flagged:
//!   `<no length declared: sent chunked>`, or `"length_declared": false`.
//!   Every other body declared its length, which a transport sends as
//!   `Content-Length`. A `content-length` header that the client set itself
//!   renders as sent, so it changes with the length of a multipart boundary
//!   (the SDK leaves the header to the transport, and its boundaries have a
//!   fixed length).
//!
//! The recipe with [insta](https://insta.rs): hand a clone of the transport to
//! the client under test, make the call, snapshot `requests()[i]`. Here a
//! stand-in client uploads twice, each time with a fresh boundary as a real
//! multipart encoder does, and both uploads render identically:
//!
//! ```
//! use std::sync::Arc;
//!
//! use imagekit_transport::test_util::{MockResponse, RecordingTransport};
//! use imagekit_transport::{Body, HttpClient, Request};
//!
//! /// What an SDK's upload sends: a file part and two text fields.
//! fn upload(boundary: &str) -> Request {
//!     let mut body = format!(
//!         "--{boundary}\r\n\
//!          Content-Disposition: form-data; name=\"file\"; filename=\"shoe.jpg\"\r\n\
//!          Content-Type: image/jpeg\r\n\r\n"
//!     )
//!     .into_bytes();
//!     body.extend_from_slice(&[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
//!     body.extend_from_slice(
//!         format!(
//!             "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\nshoe.jpg\
//!              \r\n--{boundary}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nsale,summer\
//!              \r\n--{boundary}--\r\n"
//!         )
//!         .as_bytes(),
//!     );
//!     http::Request::post("https://upload.imagekit.io/api/v1/files/upload")
//!         .header("authorization", "Basic cHJpdmF0ZV9rZXk6")
//!         .header("user-agent", "my-sdk/1.2.3")
//!         .header("content-type", format!("multipart/form-data; boundary={boundary}"))
//!         .header("content-length", body.len())
//!         .body(Body::from(body))
//!         .unwrap()
//! }
//!
//! # futures_util::FutureExt::now_or_never(async {
//! let transport = RecordingTransport::new();
//! transport.respond(MockResponse::new(200)).respond(MockResponse::new(200));
//! let client: Arc<dyn HttpClient> = Arc::new(transport.clone());
//! client.send(upload("----boundary-0f3a9c41d2e87b65")).await.unwrap();
//! client.send(upload("----boundary-77c01b9e4a5f3d28")).await.unwrap();
//!
//! let requests = transport.requests();
//! assert_eq!(requests[0].to_string(), requests[1].to_string());
//! assert_eq!(requests[0].to_json(), requests[1].to_json());
//! insta::assert_snapshot!(requests[0].to_string(), @r#"
//! POST https://upload.imagekit.io/api/v1/files/upload
//! authorization: [redacted]
//! content-length: 357
//! content-type: multipart/form-data; boundary=[boundary]
//! user-agent: [redacted]
//!
//! multipart/form-data: 3 parts
//! part 1: name="file" filename="shoe.jpg" content-type="image/jpeg"
//!   file: 6 bytes, sha256 fc16d7dcee9cae83
//! part 2: name="fileName"
//!   value: shoe.jpg
//! part 3: name="tags"
//!   value: sale,summer
//! "#);
//! # }).unwrap();
//! ```
//!
//! In a test file, `insta::assert_snapshot!(requests[0].to_string())` (no
//! inline literal) keeps the snapshot in `tests/snapshots/`; run
//! `cargo insta review` (or set `INSTA_UPDATE=always`) to accept a change. The
//! `imagekit` SDK's `tests/payload_snapshots.rs` does this through
//! `imagekit::Client` for uploads from bytes and from disk, a file update, a
//! bulk call and an error response.

mod multipart;
mod recorded;
mod render;

pub use recorded::RecordedRequest;
pub use render::{BOUNDARY_PLACEHOLDER, DEFAULT_REDACTED_HEADERS, REDACTED, RenderOptions};

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};

use crate::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind};

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
    options: RenderOptions,
}

impl State {
    /// A recorded request as handed out: with the transport's current
    /// render options, whenever they were set.
    fn hand_out(&self, mut request: RecordedRequest) -> RecordedRequest {
        request.set_render_options(&self.options);
        request
    }
}

/// An [`HttpClient`] that records every request (method, URI, headers, full
/// body) and answers with the next step of its script, in order.
///
/// When the script is exhausted it answers with an
/// [`Other`](TransportErrorKind::Other) error saying so (the request is still
/// recorded). If reading the request body fails, that error is returned and
/// nothing is recorded or consumed.
///
/// Clones share the script, the recordings and the render options, so a test
/// can keep one clone and hand another (e.g. as `Arc<dyn HttpClient>`) to the
/// code under test.
///
/// The requests it hands out render with its [`RenderOptions`] (by default
/// [`DEFAULT_REDACTED_HEADERS`] are redacted), set with
/// [`redact_header`](Self::redact_header), [`keep_header`](Self::keep_header)
/// or [`with_render_options`](Self::with_render_options):
///
/// ```
/// use imagekit_transport::test_util::RecordingTransport;
///
/// let transport = RecordingTransport::new().redact_header("x-my-trace").keep_header("user-agent");
/// assert!(transport.render_options().is_redacted("x-my-trace"));
/// assert!(transport.render_options().is_redacted("authorization"));
/// assert!(!transport.render_options().is_redacted("user-agent"));
/// ```
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

    /// Also redact header `name` when rendering the requests (see
    /// [`RenderOptions::redact_header`]). Applies to every clone, and to
    /// requests already recorded.
    #[must_use]
    pub fn redact_header(self, name: &str) -> Self {
        self.update_options(|options| options.redact_header(name))
    }

    /// Render header `name` as sent, even if it is redacted by default (see
    /// [`RenderOptions::keep_header`]). Applies to every clone, and to
    /// requests already recorded.
    #[must_use]
    pub fn keep_header(self, name: &str) -> Self {
        self.update_options(|options| options.keep_header(name))
    }

    /// Render the requests with `options`. Applies to every clone, and to
    /// requests already recorded.
    #[must_use]
    pub fn with_render_options(self, options: RenderOptions) -> Self {
        self.update_options(|_| options)
    }

    /// The options the requests render with.
    pub fn render_options(&self) -> RenderOptions {
        self.state().options.clone()
    }

    fn update_options(self, update: impl FnOnce(RenderOptions) -> RenderOptions) -> Self {
        {
            let mut state = self.state();
            let options = std::mem::take(&mut state.options);
            state.options = update(options);
        }
        self
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
        let state = self.state();
        state.requests.iter().map(|request| state.hand_out(request.clone())).collect()
    }

    /// Returns and forgets the requests recorded so far.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        let mut state = self.state();
        let requests = std::mem::take(&mut state.requests);
        requests.into_iter().map(|request| state.hand_out(request)).collect()
    }

    /// The most recent request.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        let state = self.state();
        state.requests.last().map(|request| state.hand_out(request.clone()))
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
        let declared_length = body.content_length();
        // Read the body before taking the lock: it may be a slow stream.
        let body = body.collect().await?;
        let step = {
            let mut state = self.state();
            let mut recorded = RecordedRequest::from_parts(parts, body);
            recorded.declared_length = declared_length;
            state.requests.push(recorded);
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
