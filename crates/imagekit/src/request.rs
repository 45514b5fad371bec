//! The one request path every endpoint goes through: URL, headers, auth,
//! per-attempt timeout, retries, tracing, error mapping and decoding.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use http::{Method, StatusCode};
use imagekit_transport::{Body, TransportError, TransportErrorKind};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::options::{RequestOptions, check_not_sdk_owned, parse_header};
use crate::progress::{ProgressFn, UploadProgress};
use crate::retry::{self, RetryClass};
use crate::{ApiError, Client, Error, Result};

/// Which host a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    Api,
    Upload,
}

/// What a request carries.
pub(crate) enum Payload {
    /// No body and no `Content-Type` (GET, DELETE, and the body-less PUT of a
    /// version restore, sent with `Content-Length: 0`).
    None,
    /// A JSON body.
    Json(Bytes),
    /// Any other body with its content type (multipart uploads).
    Raw { body: Body, content_type: HeaderValue },
}

/// One endpoint call, described as data.
pub(crate) struct Endpoint {
    pub(crate) method: Method,
    pub(crate) host: Host,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) payload: Payload,
    pub(crate) accept: &'static str,
    pub(crate) retry: RetryClass,
    /// False for client-side uploads, which authenticate with a signature.
    pub(crate) basic_auth: bool,
}

impl Endpoint {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Endpoint {
            method,
            host: Host::Api,
            path: path.into(),
            query: Vec::new(),
            payload: Payload::None,
            accept: "application/json",
            retry: RetryClass::Normal,
            basic_auth: true,
        }
    }

    /// A JSON body.
    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::encode("the request body", e))?;
        self.payload = Payload::Json(bytes.into());
        Ok(self)
    }

    /// Query parameters from a serializable struct, in field order.
    pub(crate) fn query<T: serde::Serialize>(mut self, query: &T) -> Result<Self> {
        self.query = crate::encode::query_pairs(query)?;
        Ok(self)
    }

    /// A void endpoint: `Accept: */*`, any 2xx accepted.
    pub(crate) fn void(mut self) -> Self {
        self.accept = "*/*";
        self
    }
}

type Decoder<T> = fn(StatusCode, Bytes) -> Result<T>;

/// A pending call: await it, or set per-call options first.
///
/// ```no_run
/// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
/// use std::time::Duration;
/// let file = client.files().get("file_id").timeout(Duration::from_secs(5)).max_retries(0).await?;
/// # let _ = file; Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    client: Client,
    endpoint: Result<Endpoint>,
    options: RequestOptions,
    progress: Option<ProgressFn>,
    decode: Decoder<T>,
    _out: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.endpoint {
            Ok(e) => write!(f, "Call({} {})", e.method, e.path),
            Err(e) => write!(f, "Call(invalid: {e})"),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// A call whose 2xx body is JSON of type `T`. An empty body or a 204 reads
    /// as `{}`, so empty-object responses accept all three forms.
    pub(crate) fn json(client: &Client, endpoint: Result<Endpoint>) -> Self {
        Call::with_decoder(client, endpoint, decode_json::<T>)
    }
}

impl Call<()> {
    /// A call with no response body: any 2xx is success.
    pub(crate) fn void(client: &Client, endpoint: Result<Endpoint>) -> Self {
        Call::with_decoder(client, endpoint.map(Endpoint::void), |_, _| Ok(()))
    }
}

impl<T> Call<T> {
    fn with_decoder(client: &Client, endpoint: Result<Endpoint>, decode: Decoder<T>) -> Self {
        Call {
            client: client.clone(),
            endpoint,
            options: RequestOptions::default(),
            progress: None,
            decode,
            _out: PhantomData,
        }
    }

    /// Timeout of each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt, for this call.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.options.max_retries = Some(retries);
        self
    }

    /// A bound on this whole call: all attempts, backoff and `Retry-After`
    /// waits (see [`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout)).
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use std::time::Duration;
    /// match client.files().get("file_id").total_timeout(Duration::from_secs(10)).await {
    ///     Err(e) if e.is_deadline_exceeded() => println!("gave up: {e}"),
    ///     other => { other?; }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.options.total_timeout = Some(total);
        self
    }

    /// The most bytes of a 2xx body this call reads into memory (see
    /// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)).
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.options.max_response_size = Some(bytes);
        self
    }

    /// An extra header for this call. A malformed name or value, or a header
    /// the SDK owns (see [`SDK_OWNED_HEADERS`](crate::SDK_OWNED_HEADERS)), fails the call with
    /// [`Error::InvalidInput`] naming the header (never echoing the value).
    /// `User-Agent` may be set: it replaces the SDK's.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) {
    /// let err = client.files().get("file_id").header("Authorization", "Basic eA==").await.unwrap_err();
    /// assert!(err.to_string().contains("authorization"));
    /// # }
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match parse_header(name, value) {
            Ok((n, v)) => {
                self.options.headers.append(n, v);
            }
            Err(e) => {
                if self.endpoint.is_ok() {
                    self.endpoint = Err(e);
                }
            }
        }
        self
    }

    /// An extra query parameter for this call.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.query.push((name.into(), value.into()));
        self
    }

    /// Replace all per-call options.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Report the progress of the request body to `callback`: an upload's
    /// file (any [`UploadFile`](crate::UploadFile): path, bytes, stream,
    /// reader), V1 or V2 ([`Beta`](crate::resources::beta::Beta)), or any
    /// other call's body.
    ///
    /// Each attempt first reports `sent == 0`, then the bytes taken so far as
    /// the transport takes each chunk (nothing is copied or buffered for it);
    /// a retry starts again from 0 with the next
    /// [`attempt`](UploadProgress::attempt). See [`UploadProgress`]. The
    /// callback runs wherever the transport polls the body (with hyper, its
    /// connection task), between two chunks, so it should be quick: update a
    /// counter or a progress bar, don't block.
    ///
    /// ```no_run
    /// # async fn demo(client: imagekit::Client) -> imagekit::Result<()> {
    /// use imagekit::{UploadFile, UploadProgress, types::UploadParams};
    ///
    /// let uploaded = client
    ///     .files()
    ///     .upload(UploadFile::path("video.mp4"), UploadParams::new("video.mp4"))
    ///     .on_progress(|p: UploadProgress| match p.total {
    ///         Some(total) => eprint!("\rattempt {}: {} of {total} bytes", p.attempt, p.sent),
    ///         None => eprint!("\rattempt {}: {} bytes", p.attempt, p.sent),
    ///     })
    ///     .await?;
    /// # let _ = uploaded; Ok(()) }
    /// ```
    pub fn on_progress(mut self, callback: impl Fn(UploadProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(ProgressFn::new(callback));
        self
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let endpoint = self.endpoint?;
            let (status, bytes) = execute(&self.client, endpoint, self.options, self.progress).await?;
            (self.decode)(status, bytes)
        })
    }
}

fn decode_json<T: DeserializeOwned>(status: StatusCode, bytes: Bytes) -> Result<T> {
    let text: &[u8] =
        if status == StatusCode::NO_CONTENT || bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
    serde_json::from_slice(text).map_err(|e| Error::decode(status, e, &bytes))
}

/// The most of an error body kept in memory: enough for any JSON error, and a
/// bound against a misbehaving server.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

const SDK_USER_AGENT: &str = concat!("ImageKit/Rust ", env!("CARGO_PKG_VERSION"));

/// Send `endpoint`, retrying as the policy allows; the 2xx status and body.
/// Each attempt's body progress goes to `progress`, when given.
pub(crate) async fn execute(
    client: &Client,
    endpoint: Endpoint,
    options: RequestOptions,
    progress: Option<ProgressFn>,
) -> Result<(StatusCode, Bytes)> {
    let inner = &client.inner;
    let base = match endpoint.host {
        Host::Api => &inner.base_url,
        Host::Upload => &inner.upload_base_url,
    };
    let mut url = format!("{base}{}", endpoint.path);
    let mut query = endpoint.query;
    query.extend(options.query);
    crate::encode::append_query(&mut url, &query);
    // `RequestOptions::headers` is a public field: checked here, where it is used.
    for name in options.headers.keys() {
        check_not_sdk_owned(name).map_err(Error::InvalidInput)?;
    }
    let uri: http::Uri = url.parse().map_err(|_| Error::InvalidInput(format!("not a valid URL: {url}")))?;

    let mut headers = HeaderMap::new();
    if endpoint.basic_auth {
        headers.insert(AUTHORIZATION, inner.auth.clone());
    }
    headers.insert(ACCEPT, HeaderValue::from_static(endpoint.accept));
    headers.insert(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT));
    let (first_body, replay) = match endpoint.payload {
        Payload::None => {
            if endpoint.method == Method::PUT || endpoint.method == Method::POST {
                headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
            }
            (Body::empty(), Some(Body::empty()))
        }
        Payload::Json(bytes) => {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            (Body::from_bytes(bytes.clone()), Some(Body::from_bytes(bytes)))
        }
        Payload::Raw { body, content_type } => {
            headers.insert(CONTENT_TYPE, content_type);
            let replay = body.try_clone();
            (body, replay)
        }
    };
    for (name, value) in inner.default_headers.iter().chain(options.headers.iter()) {
        headers.insert(name.clone(), value.clone());
    }

    let timeout = options.timeout.unwrap_or(inner.timeout);
    let max_retries = options.max_retries.unwrap_or(inner.max_retries);
    let limit = options.max_response_size.unwrap_or(inner.max_response_size);
    let total = options.total_timeout.or(inner.total_timeout);
    let span = tracing::info_span!("imagekit.call", method = %endpoint.method, path = %endpoint.path);
    let mut first_body = Some(first_body);
    // The error of the last finished attempt, for a deadline that passes
    // during the next one.
    let mut last_error: Option<Error> = None;
    let last = &mut last_error;
    let started = Instant::now();

    let attempts = async move {
        // Time spent in the client's sleeps (waits and timed-out attempts):
        // with a paused test clock the wall clock does not see it.
        let mut slept = Duration::ZERO;
        let mut attempt: u32 = 0;
        loop {
            let body = match first_body.take() {
                Some(b) => b,
                // Only reached when `replay` was Some: checked before retrying.
                None => replay.as_ref().and_then(Body::try_clone).unwrap_or_default(),
            };
            // Wrapped per attempt, so each attempt counts from 0.
            let body = match &progress {
                Some(progress) => progress.observe(body, attempt.saturating_add(1)),
                None => body,
            };
            let mut request = http::Request::new(body);
            *request.method_mut() = endpoint.method.clone();
            *request.uri_mut() = uri.clone();
            *request.headers_mut() = headers.clone();

            let attempt_span = tracing::debug_span!(
                "imagekit.attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let attempt_future = send_and_read(client, request, limit).instrument(attempt_span.clone());
            let outcome = crate::sleep::timeout(&*inner.sleep, timeout, attempt_future).await;
            attempt_span.record("elapsed_ms", attempt_started.elapsed().as_millis() as u64);

            let replayable = replay.is_some();
            let (error, retry_headers, retry) = match outcome {
                Err(_) => {
                    slept += timeout;
                    let retry = retry::retry_transport(endpoint.retry, retry::NoResponse::timed_out(replayable));
                    (Error::Timeout { after: timeout }, None, retry)
                }
                Ok(Err(Attempt::Transport(e))) => {
                    let retry = retry::retry_transport(endpoint.retry, retry::NoResponse::transport(&e, replayable));
                    (Error::Connection(e), None, retry)
                }
                // Over the size limit: the same request would get the same body.
                Ok(Err(Attempt::Failed(error))) => (error, None, false),
                Ok(Ok((status, resp_headers, bytes))) => {
                    if status.is_success() {
                        return Ok((status, bytes));
                    }
                    // A response arrived, so the body was read: a one-shot body cannot go again.
                    let retry = replayable && retry::retry_response(endpoint.retry, status.as_u16(), &resp_headers);
                    let err = Error::from_status(ApiError::new(status, resp_headers.clone(), &bytes));
                    (err, Some(resp_headers), retry)
                }
            };
            if !retry || attempt >= max_retries {
                tracing::debug!(attempt, error = %error, "imagekit call failed");
                return Err(error);
            }
            let wait = retry::delay(retry_headers.as_ref(), attempt);
            if let Some(total) = total {
                // A wait that ends at or past the deadline leaves no time for
                // the next attempt: give up now rather than sleep for nothing.
                let spent = started.elapsed().max(slept);
                if spent.saturating_add(wait) >= total {
                    let error = Error::DeadlineExceeded { total, retry_in: Some(wait), last: Some(Box::new(error)) };
                    tracing::debug!(attempt, error = %error, "imagekit call failed");
                    return Err(error);
                }
            }
            tracing::debug!(attempt, delay_ms = wait.as_millis() as u64, error = %error, "retrying");
            *last = Some(error);
            inner.sleep.sleep(wait).await;
            slept += wait;
            attempt += 1;
        }
    };

    let Some(total) = total else { return attempts.instrument(span).await };
    // `let` drops the attempts (and their borrow of `last_error`) right here.
    let outcome = crate::sleep::timeout(&*inner.sleep, total, attempts).instrument(span.clone()).await;
    outcome.unwrap_or_else(|_| {
        let error = Error::DeadlineExceeded { total, retry_in: None, last: last_error.map(Box::new) };
        span.in_scope(|| tracing::debug!(error = %error, "imagekit call failed"));
        Err(error)
    })
}

/// Why an attempt produced no response to look at.
enum Attempt {
    /// The transport failed: the retry policy decides.
    Transport(TransportError),
    /// A final error (a body over the size limit).
    Failed(Error),
}

/// Send `request` and read its body: a 2xx body up to `limit` bytes, an error
/// body cut to [`ERROR_BODY_LIMIT`]. Records status and request id on the
/// current (attempt) span.
async fn send_and_read(
    client: &Client,
    request: http::Request<Body>,
    limit: usize,
) -> std::result::Result<(StatusCode, HeaderMap, Bytes), Attempt> {
    let response = client.inner.http.send(request).await.map_err(Attempt::Transport)?;
    let (parts, body) = response.into_parts();
    let span = tracing::Span::current();
    span.record("status", parts.status.as_u16());
    if let Some(id) = parts.headers.get("x-ik-requestid").and_then(|v| v.to_str().ok()) {
        span.record("request_id", id);
    }
    if !parts.status.is_success() {
        let bytes = body.collect_truncated(ERROR_BODY_LIMIT).await.map_err(Attempt::Transport)?;
        return Ok((parts.status, parts.headers, bytes));
    }
    let too_large = |content_length: Option<u64>, source: TransportError| {
        Attempt::Failed(Error::ResponseTooLarge { status: parts.status, limit, content_length, source })
    };
    // Refuse an announced length over the limit before reading a byte,
    // whatever the transport reports as the body's length.
    let announced = parts.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if let Some(len) = announced.filter(|&len| len > limit as u64) {
        let source = TransportError::new(TransportErrorKind::BodyTooLarge)
            .with_message(format!("Content-Length {len} is more than {limit} bytes"));
        return Err(too_large(Some(len), source));
    }
    match body.collect_limited(limit).await {
        Ok(bytes) => Ok((parts.status, parts.headers, bytes)),
        Err(e) if e.kind() == TransportErrorKind::BodyTooLarge => Err(too_large(announced, e)),
        Err(e) => Err(Attempt::Transport(e)),
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn a_body_that_cannot_be_serialised_keeps_the_serde_error_as_source() {
        // JSON object keys must be strings: a map keyed by pairs cannot be written.
        let body = std::collections::BTreeMap::from([((1, 2), "v")]);
        let Err(err) = Endpoint::new(Method::POST, "/x").json(&body) else { panic!("serialised a map keyed by pairs") };
        assert!(matches!(err, Error::Encode { .. }) && err.is_invalid_input(), "{err:?}");
        let source = err.source().and_then(|s| s.downcast_ref::<serde_json::Error>()).expect("the serde error");
        assert!(source.to_string().contains("key must be a string"), "{source}");
        assert!(err.to_string().starts_with("invalid input: the request body: key must be a string"), "{err}");
    }
}
