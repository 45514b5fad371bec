//! The `HttpClient` trait and the closure adapter.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;

use crate::{Body, TransportError};

/// A request as the SDK hands it to a transport.
pub type Request = http::Request<Body>;

/// A response as a transport hands it back to the SDK.
pub type Response = http::Response<Body>;

/// The seam between the SDK and an HTTP stack: the SDK calls
/// [`send`](Self::send) for every request.
///
/// Object-safe and `Send + Sync`, so it is usable as `Arc<dyn HttpClient>`.
/// An implementation sends the request as given (method, absolute URI,
/// headers, body), follows no redirects and does not interpret the status:
/// any HTTP response, 4xx and 5xx included, is `Ok`. Errors are for failures
/// to get a response, classified by [`TransportError::kind`] so the SDK's
/// retry policy can tell "never left" from "may have been processed".
///
/// The response body should be streamed, not buffered, so that large
/// downloads do not have to fit in memory.
///
/// ```
/// use std::sync::Arc;
/// use imagekit_transport::{async_trait, Body, HttpClient, Request, Response, TransportError};
///
/// /// A transport that answers every request with 204, for tests.
/// struct NoContent;
///
/// #[async_trait]
/// impl HttpClient for NoContent {
///     async fn send(&self, _request: Request) -> Result<Response, TransportError> {
///         let mut response = Response::new(Body::empty());
///         *response.status_mut() = http::StatusCode::NO_CONTENT;
///         Ok(response)
///     }
/// }
///
/// let client: Arc<dyn HttpClient> = Arc::new(NoContent);
/// # futures_util::FutureExt::now_or_never(async {
/// let response = client.send(Request::new(Body::empty())).await.unwrap();
/// assert_eq!(response.status(), 204);
/// # }).unwrap();
/// ```
#[async_trait]
pub trait HttpClient: Send + Sync {
    /// Sends one request and returns the response (whatever its status), or
    /// the transport failure.
    async fn send(&self, request: Request) -> Result<Response, TransportError>;
}

#[async_trait]
impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait]
impl<T: HttpClient + ?Sized> HttpClient for Box<T> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait]
impl<T: HttpClient + ?Sized> HttpClient for &T {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        (**self).send(request).await
    }
}

/// An [`HttpClient`] backed by a closure; see [`http_client_fn`].
#[derive(Clone)]
pub struct HttpClientFn<F> {
    f: F,
}

/// Turns an async closure into an [`HttpClient`], for tests and small
/// adapters.
///
/// ```
/// use imagekit_transport::{http_client_fn, Body, HttpClient, Request, Response};
///
/// let client = http_client_fn(|request: Request| async move {
///     let echo = format!("{} {}", request.method(), request.uri());
///     Ok(Response::new(Body::from(echo)))
/// });
/// # futures_util::FutureExt::now_or_never(async {
/// let request = http::Request::post("https://example.test/x").body(Body::empty()).unwrap();
/// let response = client.send(request).await.unwrap();
/// assert_eq!(response.into_body().collect().await.unwrap(), "POST https://example.test/x");
/// # }).unwrap();
/// ```
pub fn http_client_fn<F, Fut>(f: F) -> HttpClientFn<F>
where
    F: Fn(Request) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response, TransportError>> + Send,
{
    HttpClientFn { f }
}

#[async_trait]
impl<F, Fut> HttpClient for HttpClientFn<F>
where
    F: Fn(Request) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response, TransportError>> + Send,
{
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        (self.f)(request).await
    }
}

impl<F> fmt::Debug for HttpClientFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientFn").finish_non_exhaustive()
    }
}
