//! The production transport: hyper 1 + hyper-util's pooled client + rustls.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http::Uri;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::{Instant, Sleep};

use crate::error::{BoxError, Symptoms, chain};
use crate::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind};

type Connector = TimeoutConnector<HttpsConnector<HttpConnector>>;

/// The default [`HttpClient`]: hyper 1 with hyper-util's pooled client,
/// keep-alive connection reuse, HTTP/1.1 and HTTP/2 (negotiated by ALPN over
/// TLS; plain `http://` speaks HTTP/1.1), rustls with the `ring` provider.
///
/// Build it once and share it: clones are cheap and share the connection
/// pool. Must be used from within a Tokio runtime with timers enabled.
///
/// ```no_run
/// use std::time::Duration;
/// use imagekit_transport::{Body, HttpClient, HyperClient};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = HyperClient::builder()
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(60))
///     .build()?;
/// let request = http::Request::get("https://api.imagekit.io/v1/files").body(Body::empty())?;
/// let response = client.send(request).await?;
/// println!("{}", response.status());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HyperClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client<Connector, Body>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
}

impl HyperClient {
    /// A client with the default settings (see [`HyperClientBuilder`]).
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Starts configuring a client.
    pub fn builder() -> HyperClientBuilder {
        HyperClientBuilder::default()
    }
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient")
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl HttpClient for HyperClient {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        execute(Arc::clone(&self.inner), request).await
    }
}

/// A `HyperClient` is also a tower [`Service`](tower_service::Service), always
/// ready, so tower layers can wrap it directly; see `TowerClient` (feature
/// `tower`) for turning the layered service back into an [`HttpClient`].
impl tower_service::Service<Request> for HyperClient {
    type Response = Response;
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), TransportError>> {
        // The pool queues requests itself; there is no backpressure to report.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        Box::pin(execute(Arc::clone(&self.inner), request))
    }
}

/// Sends one request; owns what it uses, so the future is `'static`.
async fn execute(inner: Arc<Inner>, request: Request) -> Result<Response, TransportError> {
    // Checked up front: hyper-util and tokio would panic or give a vague
    // error for these.
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(not_sent("HyperClient must be used within a Tokio runtime"));
    }
    let uri = request.uri();
    if uri.scheme().is_none() || uri.authority().is_none() {
        return Err(not_sent("request URI must be absolute (scheme and host)"));
    }

    let timeout = inner.timeout;
    // `checked_add`: an absurdly long timeout means no deadline, not a panic.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let pending = inner.client.request(request);
    let result = match deadline {
        Some(deadline) => match tokio::time::timeout_at(deadline, pending).await {
            Ok(result) => result,
            Err(_) => return Err(request_timeout(timeout)),
        },
        None => pending.await,
    };
    let response = result.map_err(|err| {
        let (kind, sent) = classify(&err, err.is_connect());
        TransportError::with_kind_source(kind, err).with_request_sent(sent)
    })?;
    Ok(response.map(|incoming| {
        Body::from_transport_body(IncomingBody {
            inner: incoming,
            sleep: deadline.map(|d| Box::pin(tokio::time::sleep_until(d))),
            timeout,
            done: false,
        })
    }))
}

fn not_sent(message: &'static str) -> TransportError {
    TransportError::new(TransportErrorKind::Other).with_message(message).with_request_sent(false)
}

fn request_timeout(timeout: Option<Duration>) -> TransportError {
    let message = match timeout {
        Some(t) => format!("no complete response within {t:?}"),
        None => "no complete response in time".to_owned(),
    };
    // We cannot tell whether the request reached the server: assume it did.
    TransportError::new(TransportErrorKind::Timeout).with_message(message)
}

/// Where the TLS configuration comes from.
enum Tls {
    Roots(Roots),
    Custom(Box<rustls::ClientConfig>),
}

/// Which root certificates a built-in TLS configuration trusts.
enum Roots {
    #[cfg(feature = "webpki-roots")]
    Webpki,
    #[cfg(feature = "native-roots")]
    Native,
    /// Trusts nothing: only reachable without a root feature, where `https`
    /// needs a [`HyperClientBuilder::tls_config`].
    #[cfg_attr(any(feature = "webpki-roots", feature = "native-roots"), allow(dead_code))]
    Empty,
}

impl Roots {
    /// webpki if enabled, else native if enabled, else none.
    const DEFAULT: Roots = {
        #[cfg(feature = "webpki-roots")]
        let roots = Roots::Webpki;
        #[cfg(all(feature = "native-roots", not(feature = "webpki-roots")))]
        let roots = Roots::Native;
        #[cfg(not(any(feature = "native-roots", feature = "webpki-roots")))]
        let roots = Roots::Empty;
        roots
    };
}

/// Configures a [`HyperClient`].
///
/// Defaults: connect timeout 10 s (DNS + TCP + TLS), no overall request
/// timeout, idle pooled connections kept 90 s, HTTP/2 offered via ALPN,
/// `http://` allowed, roots from `webpki-roots` if that feature is on, else
/// `native-roots`, else none (then pass [`tls_config`](Self::tls_config)).
pub struct HyperClientBuilder {
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    http2: bool,
    https_only: bool,
    tls: Tls,
}

impl Default for HyperClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            timeout: None,
            pool_idle_timeout: Some(Duration::from_secs(90)),
            pool_max_idle_per_host: usize::MAX,
            http2: true,
            https_only: false,
            tls: Tls::Roots(Roots::DEFAULT),
        }
    }
}

impl fmt::Debug for HyperClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClientBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("http2", &self.http2)
            .field("https_only", &self.https_only)
            .finish_non_exhaustive()
    }
}

impl HyperClientBuilder {
    /// Limit for establishing a connection (DNS, TCP and TLS handshake);
    /// `None` waits indefinitely. Expiry gives a
    /// [`Timeout`](TransportErrorKind::Timeout) error with
    /// `request_sent() == false`.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// Limit for the whole exchange, from sending until the response body
    /// has been read to the end; `None` (the default) waits indefinitely.
    /// Expiry gives a [`Timeout`](TransportErrorKind::Timeout) error, from
    /// `send` or from reading the body.
    #[must_use]
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// How long an idle pooled connection is kept; `None` keeps it forever.
    #[must_use]
    pub fn pool_idle_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.pool_idle_timeout = timeout.into();
        self
    }

    /// Maximum idle connections kept per host (0 disables reuse).
    #[must_use]
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Whether to offer HTTP/2 via ALPN on TLS connections (default `true`).
    #[must_use]
    pub fn http2(mut self, enabled: bool) -> Self {
        self.http2 = enabled;
        self
    }

    /// Refuse plain `http://` URIs (default `false`).
    #[must_use]
    pub fn https_only(mut self, enabled: bool) -> Self {
        self.https_only = enabled;
        self
    }

    /// Trust the Mozilla root bundle compiled in by `webpki-roots`.
    #[cfg(feature = "webpki-roots")]
    #[must_use]
    pub fn webpki_roots(mut self) -> Self {
        self.tls = Tls::Roots(Roots::Webpki);
        self
    }

    /// Trust the operating system's certificate store, loaded at
    /// [`build`](Self::build).
    #[cfg(feature = "native-roots")]
    #[must_use]
    pub fn native_roots(mut self) -> Self {
        self.tls = Tls::Roots(Roots::Native);
        self
    }

    /// Use this rustls configuration (roots, client certificates, provider).
    /// Its ALPN list is replaced according to [`http2`](Self::http2).
    #[must_use]
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls = Tls::Custom(Box::new(config));
        self
    }

    /// Builds the client. Fails only if the TLS configuration cannot be
    /// assembled (e.g. no usable native root certificates).
    pub fn build(self) -> Result<HyperClient, TransportError> {
        let mut tls_config = self.tls.into_config()?;
        // hyper-rustls sets ALPN itself and panics on a preset list.
        tls_config.alpn_protocols.clear();

        let mut http = HttpConnector::new();
        // Plain HTTP is allowed here; the TLS layer decides by scheme.
        http.enforce_http(false);
        http.set_nodelay(true);

        let schemes = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls_config);
        let protocols = if self.https_only { schemes.https_only() } else { schemes.https_or_http() };
        let https = if self.http2 {
            protocols.enable_all_versions().wrap_connector(http)
        } else {
            protocols.enable_http1().wrap_connector(http)
        };
        let connector = TimeoutConnector { inner: https, timeout: self.connect_timeout };

        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(connector);
        Ok(HyperClient {
            inner: Arc::new(Inner { client, timeout: self.timeout, connect_timeout: self.connect_timeout }),
        })
    }
}

impl Tls {
    fn into_config(self) -> Result<rustls::ClientConfig, TransportError> {
        #[allow(unused_imports)] // unused when no root feature is enabled
        use hyper_rustls::ConfigBuilderExt as _;

        let roots = match self {
            Tls::Custom(config) => return Ok(*config),
            Tls::Roots(roots) => roots,
        };
        let builder = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(TransportError::tls)?;
        let builder = match roots {
            #[cfg(feature = "webpki-roots")]
            Roots::Webpki => builder.with_webpki_roots(),
            #[cfg(feature = "native-roots")]
            Roots::Native => builder.with_native_roots().map_err(TransportError::tls)?,
            Roots::Empty => builder.with_root_certificates(rustls::RootCertStore::empty()),
        };
        Ok(builder.with_no_client_auth())
    }
}

/// The marker error for an expired connect timeout, found again in the
/// source chain by [`classify`].
#[derive(Debug)]
struct ConnectTimeout(Duration);

impl fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no connection within {:?}", self.0)
    }
}

impl StdError for ConnectTimeout {}

/// Bounds the whole connect (DNS + TCP + TLS), which hyper-util's own
/// `HttpConnector` timeout does not (it stops at TCP).
#[derive(Clone)]
struct TimeoutConnector<C> {
    inner: C,
    timeout: Option<Duration>,
}

impl<C> tower_service::Service<Uri> for TimeoutConnector<C>
where
    C: tower_service::Service<Uri>,
    C::Response: Send + 'static,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let timeout = self.timeout;
        Box::pin(async move {
            match timeout {
                None => connecting.await.map_err(Into::into),
                Some(t) => match tokio::time::timeout(t, connecting).await {
                    Ok(result) => result.map_err(Into::into),
                    Err(_) => Err(Box::new(ConnectTimeout(t)) as BoxError),
                },
            }
        })
    }
}

pin_project_lite::pin_project! {
    /// A response body that maps hyper errors and enforces the request
    /// deadline while the body is read.
    struct IncomingBody {
        #[pin]
        inner: Incoming,
        sleep: Option<Pin<Box<Sleep>>>,
        timeout: Option<Duration>,
        done: bool,
    }
}

impl http_body::Body for IncomingBody {
    type Data = Bytes;
    type Error = TransportError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, TransportError>>> {
        let this = self.project();
        if *this.done {
            return Poll::Ready(None);
        }
        if let Some(sleep) = this.sleep {
            if sleep.as_mut().poll(cx).is_ready() {
                *this.done = true;
                return Poll::Ready(Some(Err(request_timeout(*this.timeout))));
            }
        }
        match this.inner.poll_frame(cx) {
            Poll::Ready(Some(Err(err))) => {
                *this.done = true;
                let (kind, sent) = classify(&err, false);
                Poll::Ready(Some(Err(TransportError::with_kind_source(kind, err).with_request_sent(sent))))
            }
            Poll::Ready(None) => {
                *this.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(frame))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Classifies an error from hyper / hyper-util / rustls by walking its source
/// chain. `connect` says the failure happened while connecting (so nothing
/// was sent). Returns the kind and whether the request may have been sent.
fn classify(err: &(dyn StdError + 'static), connect: bool) -> (TransportErrorKind, bool) {
    let symptoms = Symptoms::of(err);
    let connect_timeout = chain(err).any(|e| e.is::<ConnectTimeout>());
    let tls = chain(err).any(|e| e.is::<rustls::Error>());

    if let Some(found) = symptoms.transport {
        found
    } else if connect_timeout {
        (TransportErrorKind::Timeout, false)
    } else if tls {
        (TransportErrorKind::Tls, false)
    } else if connect && symptoms.timed_out {
        (TransportErrorKind::Timeout, false)
    } else if connect {
        (TransportErrorKind::Connect, false)
    } else if symptoms.timed_out {
        (TransportErrorKind::Timeout, true)
    } else if symptoms.closed {
        (TransportErrorKind::Closed, true)
    } else {
        (TransportErrorKind::Other, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn classify_io_chains() {
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(classify(&reset, false), (TransportErrorKind::Closed, true));
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(classify(&refused, true), (TransportErrorKind::Connect, false));
        let tls = io::Error::new(io::ErrorKind::InvalidData, rustls::Error::General("bad".into()));
        assert_eq!(classify(&tls, true), (TransportErrorKind::Tls, false));
        let slow = io::Error::other(ConnectTimeout(Duration::from_secs(1)));
        assert_eq!(classify(&slow, true), (TransportErrorKind::Timeout, false));
        let body = io::Error::other(TransportError::body("disk"));
        assert_eq!(classify(&body, false), (TransportErrorKind::Body, true));
        let odd = io::Error::other("odd");
        assert_eq!(classify(&odd, false), (TransportErrorKind::Other, true));
    }

    #[test]
    fn builder_variants_build() {
        assert!(HyperClient::builder().http2(false).https_only(true).build().is_ok());
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring supports the defaults")
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
        let mut preset = config.clone();
        // A preset ALPN list must not make hyper-rustls panic.
        preset.alpn_protocols = vec![b"h2".to_vec()];
        assert!(HyperClient::builder().tls_config(preset).build().is_ok());
    }

    #[test]
    fn send_without_runtime_is_an_error_not_a_panic() {
        let client = HyperClient::new().expect("default client");
        let request = http::Request::get("http://127.0.0.1:9/").body(Body::empty()).expect("valid");
        let result = futures_util::FutureExt::now_or_never(client.send(request));
        let err = result.expect("returns at once").expect_err("no runtime");
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(!err.request_sent());
    }
}
