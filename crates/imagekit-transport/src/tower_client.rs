//! [`TowerClient`]: any tower `Service` over `http::Request<Body>` as an
//! [`HttpClient`].

use std::any::Any;
use std::error::Error as StdError;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use bytes::Buf;
use tower_service::Service;

use crate::error::{BoxError, Symptoms, chain};
use crate::{Body, HttpClient, Request, Response, TransportError, TransportErrorKind};

type Classifier = dyn Fn(&(dyn StdError + 'static)) -> Option<TransportError> + Send + Sync;

/// An [`HttpClient`] on any tower [`Service`] that takes an
/// `http::Request<`[`Body`]`>` and returns an `http::Response<B>` for some
/// [`http_body::Body`] `B`, so requests from the SDK go through the tower
/// layers you choose: headers, concurrency limits, rate limits, metrics,
/// tracing, timeouts.
///
/// [`HyperClient`](crate::HyperClient) (and `ReqwestClient` with feature
/// `reqwest`) are tower services themselves, so a stack usually ends in one
/// of them:
///
/// ```no_run
/// use std::time::Duration;
/// use http::HeaderValue;
/// use imagekit_transport::{Body, HttpClient, HyperClient, TowerClient, TransportError, TransportErrorKind};
/// use tower::ServiceBuilder;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let service = ServiceBuilder::new()
///     .map_request(|mut request: http::Request<Body>| {
///         request.headers_mut().insert("x-app", HeaderValue::from_static("gallery"));
///         request
///     })
///     .concurrency_limit(16)
///     .timeout(Duration::from_secs(30))
///     .service(HyperClient::new()?);
/// let client = TowerClient::new(service).classify_errors(|err| {
///     // tower's timeout error, which this crate cannot name without depending on tower.
///     err.is::<tower::timeout::error::Elapsed>().then(|| TransportError::new(TransportErrorKind::Timeout))
/// });
/// let response = client.send(http::Request::get("https://api.imagekit.io/v1/files").body(Body::empty())?).await?;
/// println!("{}", response.status());
/// # Ok(()) }
/// ```
///
/// **Readiness.** Each [`send`](HttpClient::send) clones the service and
/// waits for `poll_ready` on that clone before `call`, the standard tower
/// pattern, so backpressure from a concurrency limit or a buffer holds the
/// request until there is room. The service need not be `Sync`: it is kept
/// behind a mutex that is held only while cloning it.
///
/// **Errors.** A [`TransportError`] from the service keeps its kind and
/// [`request_sent`](TransportError::request_sent). Other errors are
/// classified by their source chain (a `TransportError` inside, an
/// [`io::Error`] kind, a refused connect, a reset or timeout) and otherwise become
/// [`Other`](TransportErrorKind::Other) with `request_sent() == true`: the
/// request may have left. An error from `poll_ready` always has
/// `request_sent() == false`, since the request was never handed over.
///
/// Layers' own error types are not known to this crate: in particular
/// tower's `tower::timeout::error::Elapsed` becomes `Other`, not `Timeout`,
/// unless you say so with [`classify_errors`](Self::classify_errors) as
/// above (the SDK retries `Timeout`, not `Other`). A timeout layer bounds the
/// wait for the response head only; the SDK's own per-attempt timeout also
/// covers reading the body.
///
/// **Bodies.** A response body that already is a [`Body`] is passed through
/// as is; any other `http_body::Body` is wrapped without buffering, its
/// errors classified like the service's (with [`Body`](TransportErrorKind::Body)
/// instead of `Other` as the fallback).
pub struct TowerClient<S> {
    service: Mutex<S>,
    classifier: Option<Arc<Classifier>>,
}

impl<S> TowerClient<S> {
    /// Wraps `service`.
    pub fn new(service: S) -> Self {
        Self { service: Mutex::new(service), classifier: None }
    }

    /// Classifies errors this crate cannot recognise, e.g. those of your
    /// layers. `classifier` is asked about each error in an error's source
    /// chain, outermost first, for both the service's errors and the response
    /// body's; the first `Some` wins, and the original error becomes its
    /// [`source`](StdError::source) if it has none. `None` falls back to the
    /// default classification.
    ///
    /// ```
    /// use imagekit_transport::{TowerClient, TransportError, TransportErrorKind};
    /// # let service = tower::service_fn(|_req: http::Request<imagekit_transport::Body>| async {
    /// #     Ok::<_, std::io::Error>(http::Response::new(imagekit_transport::Body::empty()))
    /// # });
    ///
    /// let client = TowerClient::new(service).classify_errors(|err| {
    ///     if err.is::<tower::timeout::error::Elapsed>() {
    ///         Some(TransportError::new(TransportErrorKind::Timeout))
    ///     } else if err.is::<tower::load_shed::error::Overloaded>() {
    ///         // Shed before sending: safe to retry.
    ///         Some(TransportError::new(TransportErrorKind::Other).with_request_sent(false))
    ///     } else {
    ///         None
    ///     }
    /// });
    /// ```
    #[must_use]
    pub fn classify_errors<F>(mut self, classifier: F) -> Self
    where
        F: Fn(&(dyn StdError + 'static)) -> Option<TransportError> + Send + Sync + 'static,
    {
        self.classifier = Some(Arc::new(classifier));
        self
    }

    /// Gives the service back.
    pub fn into_inner(self) -> S {
        self.service.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<S: Clone> TowerClient<S> {
    fn clone_service(&self) -> S {
        // A panic in another clone cannot leave `S` half-updated: we only
        // ever clone it under the lock.
        self.service.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl<S: Clone> Clone for TowerClient<S> {
    fn clone(&self) -> Self {
        Self { service: Mutex::new(self.clone_service()), classifier: self.classifier.clone() }
    }
}

impl<S> fmt::Debug for TowerClient<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TowerClient")
            .field("service", &std::any::type_name::<S>())
            .field("classify_errors", &self.classifier.is_some())
            .finish()
    }
}

#[async_trait]
impl<S, B> HttpClient for TowerClient<S>
where
    S: Service<Request, Response = http::Response<B>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send,
    B: http_body::Body + Send + 'static,
    B::Data: Buf,
    B::Error: Into<BoxError>,
{
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let classifier = self.classifier.as_deref();
        let mut service = self.clone_service();
        poll_fn(|cx| service.poll_ready(cx))
            .await
            .map_err(|err| map_error(err.into(), TransportErrorKind::Other, classifier).with_request_sent(false))?;
        let response =
            service.call(request).await.map_err(|err| map_error(err.into(), TransportErrorKind::Other, classifier))?;
        Ok(response.map(|body| into_body(body, self.classifier.clone())))
    }
}

/// A `Body` as is; anything else wrapped with its errors classified.
fn into_body<B>(body: B, classifier: Option<Arc<Classifier>>) -> Body
where
    B: http_body::Body + Send + 'static,
    B::Data: Buf,
    B::Error: Into<BoxError>,
{
    let mut slot = Some(body);
    if let Some(ours) = (&mut slot as &mut dyn Any).downcast_mut::<Option<Body>>() {
        return ours.take().unwrap_or_default();
    }
    match slot {
        Some(inner) => Body::from_http_body_with(inner, move |e: B::Error| {
            map_error(e.into(), TransportErrorKind::Body, classifier.as_deref())
        }),
        None => Body::empty(),
    }
}

/// Classifies a service or body error; `fallback` is the kind for errors
/// nothing is known about.
fn map_error(err: BoxError, fallback: TransportErrorKind, classifier: Option<&Classifier>) -> TransportError {
    if let Some(found) = classifier.and_then(|classify| chain(&*err).find_map(classify)) {
        return if found.source().is_none() { found.with_source(err) } else { found };
    }
    let err = match err.downcast::<TransportError>() {
        Ok(found) => return *found,
        Err(err) => err,
    };
    let err = match err.downcast::<io::Error>() {
        Ok(io) => {
            let mapped = TransportError::from_io(*io);
            return if mapped.kind() == TransportErrorKind::Other {
                TransportError::with_kind_source(fallback, mapped.into_source().unwrap_or_else(|| "I/O error".into()))
            } else {
                mapped
            };
        }
        Err(err) => err,
    };
    let symptoms = Symptoms::of(&*err);
    let (kind, sent) = symptoms.transport.unwrap_or(if symptoms.refused {
        (TransportErrorKind::Connect, false)
    } else if symptoms.timed_out {
        (TransportErrorKind::Timeout, true)
    } else if symptoms.closed {
        (TransportErrorKind::Closed, true)
    } else {
        (fallback, true)
    });
    TransportError::with_kind_source(kind, err).with_request_sent(sent)
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    #[derive(Debug)]
    struct LayerError;

    impl fmt::Display for LayerError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a layer gave up")
        }
    }

    impl StdError for LayerError {}

    #[test]
    fn transport_errors_keep_their_kind() {
        let err = map_error(Box::new(TransportError::tls("bad cert")), TransportErrorKind::Other, None);
        assert_eq!((err.kind(), err.request_sent()), (TransportErrorKind::Tls, false));
    }

    #[test]
    fn io_errors_are_classified() {
        let refused =
            map_error(Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)), TransportErrorKind::Other, None);
        assert_eq!((refused.kind(), refused.request_sent()), (TransportErrorKind::Connect, false));
        let odd = map_error(Box::new(io::Error::other("odd")), TransportErrorKind::Body, None);
        assert_eq!((odd.kind(), odd.request_sent()), (TransportErrorKind::Body, true));
        assert!(odd.source().is_some());
    }

    #[test]
    fn unknown_errors_may_have_left() {
        let err = map_error(Box::new(LayerError), TransportErrorKind::Other, None);
        assert_eq!((err.kind(), err.request_sent()), (TransportErrorKind::Other, true));
        assert!(err.source().is_some_and(|s| s.is::<LayerError>()));
    }

    #[test]
    fn classifier_wins_and_gets_the_source_attached() {
        let classify: &Classifier = &|e| e.is::<LayerError>().then(|| TransportError::new(TransportErrorKind::Timeout));
        let err = map_error(Box::new(io::Error::other(LayerError)), TransportErrorKind::Other, Some(classify));
        assert_eq!(err.kind(), TransportErrorKind::Timeout);
        assert!(err.source().is_some_and(|s| s.is::<io::Error>()), "the whole original error is kept");
        let other = map_error("unrelated".into(), TransportErrorKind::Other, Some(classify));
        assert_eq!(other.kind(), TransportErrorKind::Other);
    }

    #[test]
    fn our_body_passes_through_unwrapped() {
        let body = into_body(Body::from("abc"), None);
        assert!(body.is_replayable(), "still the in-memory body, not a wrapper");
        let foreign = into_body(http_body_util::Full::new(Bytes::from_static(b"abc")), None);
        assert!(!foreign.is_replayable());
        assert_eq!(foreign.content_length(), Some(3));
    }
}
