//! [`ReqwestClient`]: a `reqwest::Client` as an [`HttpClient`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_trait::async_trait;

use crate::error::Symptoms;
use crate::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind};

/// An [`HttpClient`] on a [`reqwest::Client`], so the SDK shares the reqwest
/// stack an application already has: its connection pool, proxies, TLS
/// backend and roots, DNS resolver and timeouts.
///
/// **Streaming.** Nothing is buffered. The request [`Body`] goes to reqwest
/// through [`reqwest::Body::wrap`] and is pulled as the connection accepts
/// it; a body of known length (in-memory bytes, or a stream with a declared
/// length) is sent with `Content-Length` (hyper reads it from the body's size
/// hint), a stream of unknown length with `Transfer-Encoding: chunked`. The
/// response body streams back as a [`Body`], chunk by chunk.
///
/// **Errors** become [`TransportError`]s whose kind tells the SDK's retry
/// policy whether the request may have left:
///
/// | reqwest error | kind | `request_sent()` |
/// |---|---|---|
/// | [`is_connect`](reqwest::Error::is_connect) (DNS, refused, TLS handshake) | `Connect` | `false` |
/// | connect and [`is_timeout`](reqwest::Error::is_timeout) (the connect timeout) | `Timeout` | `false` |
/// | [`is_timeout`](reqwest::Error::is_timeout) otherwise (reqwest's `timeout`, `read_timeout`) | `Timeout` | `true` |
/// | the request `Body`'s own failure (e.g. a file read error) | its kind (`Body`) | `true` |
/// | reset, early close or incomplete message after connecting | `Closed` | `true` |
/// | other body and decode errors | `Body` | `true` |
/// | [`is_builder`](reqwest::Error::is_builder) (e.g. a relative URI) | `Other` | `false` |
/// | anything else | `Other` | `true` |
///
/// The reqwest error stays available as the [`source`](std::error::Error::source),
/// with its URL removed ([`reqwest::Error::without_url`]) so that URL
/// userinfo or query secrets never reach messages or logs.
///
/// **Redirects.** An [`HttpClient`] follows none; the SDK needs to see every
/// response. [`ReqwestClient::new`] builds a client with
/// [`Policy::none`](reqwest::redirect::Policy::none); a client you pass in
/// keeps its own policy, so build it with `.redirect(Policy::none())` too.
///
/// **Timeouts.** The SDK bounds each attempt itself; a `timeout` configured
/// on the `reqwest::Client` also applies and is reported as `Timeout`.
///
/// **TLS.** This crate turns on no TLS feature of reqwest. For `https://`
/// (the real ImageKit API) enable one on your own reqwest dependency, e.g.
/// `reqwest = { version = "0.13", features = ["rustls"] }`.
///
/// Must be used within a Tokio runtime, like reqwest itself.
///
/// ```no_run
/// use std::time::Duration;
/// use imagekit_transport::{Body, HttpClient, ReqwestClient};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let reqwest = reqwest::Client::builder()
///     .redirect(reqwest::redirect::Policy::none())
///     .connect_timeout(Duration::from_secs(5))
///     .build()?;
/// let client = ReqwestClient::from(reqwest);
/// let request = http::Request::get("https://api.imagekit.io/v1/files").body(Body::empty())?;
/// let response = client.send(request).await?;
/// println!("{}", response.status());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ReqwestClient {
    client: reqwest::Client,
}

impl ReqwestClient {
    /// A `reqwest::Client` with reqwest's defaults except redirects, which
    /// are not followed. Fails only if reqwest cannot initialise (e.g. its
    /// TLS backend).
    pub fn new() -> Result<Self, TransportError> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map(Self::from)
            .map_err(|err| map_error(err).with_request_sent(false))
    }

    /// The wrapped client.
    pub fn get_ref(&self) -> &reqwest::Client {
        &self.client
    }

    /// Gives the wrapped client back.
    pub fn into_inner(self) -> reqwest::Client {
        self.client
    }
}

impl From<reqwest::Client> for ReqwestClient {
    fn from(client: reqwest::Client) -> Self {
        Self { client }
    }
}

#[async_trait]
impl HttpClient for ReqwestClient {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        execute(&self.client, request)?.await
    }
}

/// A `ReqwestClient` is also a tower [`Service`](tower_service::Service),
/// always ready (reqwest queues requests in its pool), so tower layers can
/// wrap it; see [`TowerClient`](crate::TowerClient).
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
impl tower_service::Service<Request> for ReqwestClient {
    type Response = Response;
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match execute(&self.client, request) {
            Ok(pending) => Box::pin(pending),
            Err(err) => Box::pin(std::future::ready(Err(err))),
        }
    }
}

/// Converts the request and starts it; the returned future owns everything
/// it needs (reqwest's `execute` future does not borrow the client).
fn execute(
    client: &reqwest::Client,
    request: Request,
) -> Result<impl Future<Output = Result<Response, TransportError>> + Send + 'static, TransportError> {
    // reqwest would panic outside a runtime; say so instead.
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(TransportError::new(TransportErrorKind::Other)
            .with_message("ReqwestClient must be used within a Tokio runtime")
            .with_request_sent(false));
    }
    let request = reqwest::Request::try_from(request.map(reqwest::Body::wrap)).map_err(map_error)?;
    let pending = client.execute(request);
    Ok(async move {
        let response = pending.await.map_err(map_error)?;
        let response: http::Response<reqwest::Body> = response.into();
        // Body errors are mapped like `send`'s, so a reset mid-body is `Closed`
        // and reqwest's timeout is `Timeout`.
        Ok(response.map(|inner| Body::from_http_body_with(inner, map_error)))
    })
}

/// Maps a reqwest error as the table on [`ReqwestClient`] says, dropping the
/// URL it carries.
fn map_error(err: reqwest::Error) -> TransportError {
    let err = err.without_url();
    let (kind, sent) = classify(&err);
    TransportError::with_kind_source(kind, err).with_request_sent(sent)
}

fn classify(err: &reqwest::Error) -> (TransportErrorKind, bool) {
    let symptoms = Symptoms::of(err);
    if let Some(found) = symptoms.transport {
        // Our own request body failed and reqwest passed its error back.
        found
    } else if err.is_builder() {
        (TransportErrorKind::Other, false)
    } else if err.is_connect() {
        let kind = if err.is_timeout() { TransportErrorKind::Timeout } else { TransportErrorKind::Connect };
        (kind, false)
    } else if err.is_timeout() {
        (TransportErrorKind::Timeout, true)
    } else if symptoms.closed {
        (TransportErrorKind::Closed, true)
    } else if err.is_body() || err.is_decode() {
        (TransportErrorKind::Body, true)
    } else {
        (TransportErrorKind::Other, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_errors_are_not_sent() {
        let request = http::Request::get("/relative").body(Body::empty()).expect("valid");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let err = runtime.block_on(async { ReqwestClient::new().expect("client").send(request).await }).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
        assert!(!err.request_sent());
        assert!(std::error::Error::source(&err).is_some_and(|s| s.is::<reqwest::Error>()));
    }

    #[test]
    fn send_without_runtime_is_an_error_not_a_panic() {
        let client = ReqwestClient::new().expect("client");
        let request = http::Request::get("http://127.0.0.1:9/").body(Body::empty()).expect("valid");
        let result = futures_util::FutureExt::now_or_never(client.send(request));
        let err = result.expect("returns at once").expect_err("no runtime");
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(!err.request_sent());
    }

    #[test]
    fn is_send_sync_and_cheap_to_clone() {
        fn assert<T: Send + Sync + Clone + 'static>() {}
        assert::<ReqwestClient>();
    }
}
