//! The transport error, classified for retry policies.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::io;

/// A boxed, thread-safe error, the currency of sources and stream errors.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What went wrong, in the terms a retry policy needs.
///
/// The kind answers "may the request have reached the server?" together with
/// [`TransportError::request_sent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Could not connect (DNS, TCP refused/unreachable, proxy): the request
    /// never left.
    Connect,
    /// A timeout expired: the connect timeout (request not sent) or the
    /// whole-request timeout (the request may have been sent).
    Timeout,
    /// The connection was closed or reset after sending began, e.g. the
    /// server hung up before or while sending its response.
    Closed,
    /// The TLS handshake failed (bad certificate, protocol error): the
    /// request never left.
    Tls,
    /// A body stream failed: the request body's source (a file read error,
    /// say) or a response body error not caused by the connection.
    Body,
    /// A body was larger than the limit given to a `collect_*` method.
    BodyTooLarge,
    /// Anything else (invalid request, no runtime, unknown failures).
    Other,
}

impl TransportErrorKind {
    /// Whether an error of this kind implies the request may have reached the
    /// server, when nothing more specific is known.
    const fn default_request_sent(self) -> bool {
        !matches!(self, Self::Connect | Self::Tls)
    }

    fn describe(self, request_sent: bool) -> &'static str {
        match self {
            Self::Connect => "could not connect",
            Self::Timeout if request_sent => "request timed out",
            Self::Timeout => "connect timed out",
            Self::Closed => "connection closed after the request was sent",
            Self::Tls => "TLS handshake failed",
            Self::Body => "body stream failed",
            Self::BodyTooLarge => "body exceeds the size limit",
            Self::Other => "transport error",
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe(self.default_request_sent()))
    }
}

/// An error raised by an [`HttpClient`](crate::HttpClient) or while reading a
/// [`Body`](crate::Body).
///
/// It carries a [`kind`](Self::kind), whether the request may have reached
/// the server ([`request_sent`](Self::request_sent)), an optional context
/// message and the underlying error as [`source`](StdError::source).
///
/// `Display` prints the kind and the message only; walk `source()` (or use
/// `{:?}`) for the cause, as usual for Rust errors.
///
/// ```
/// use imagekit_transport::{TransportError, TransportErrorKind};
///
/// let err = TransportError::connect(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
/// assert_eq!(err.kind(), TransportErrorKind::Connect);
/// assert!(!err.request_sent());
/// assert!(err.is_retry_safe());
/// assert!(std::error::Error::source(&err).is_some());
/// ```
pub struct TransportError {
    kind: TransportErrorKind,
    request_sent: bool,
    message: Option<Cow<'static, str>>,
    source: Option<BoxError>,
}

impl TransportError {
    /// An error of `kind` with no source; `request_sent` defaults to `false`
    /// for [`Connect`](TransportErrorKind::Connect) and
    /// [`Tls`](TransportErrorKind::Tls) and to `true` (the safe assumption)
    /// otherwise.
    pub fn new(kind: TransportErrorKind) -> Self {
        Self { kind, request_sent: kind.default_request_sent(), message: None, source: None }
    }

    /// An error of `kind` caused by `source`.
    pub fn with_kind_source(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        Self::new(kind).with_source(source)
    }

    /// A [`Connect`](TransportErrorKind::Connect) error: the request never left.
    pub fn connect(source: impl Into<BoxError>) -> Self {
        Self::with_kind_source(TransportErrorKind::Connect, source)
    }

    /// A [`Timeout`](TransportErrorKind::Timeout) error. Assumes the request
    /// may have been sent; use `.with_request_sent(false)` for connect timeouts.
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        Self::with_kind_source(TransportErrorKind::Timeout, source)
    }

    /// A [`Closed`](TransportErrorKind::Closed) error (connection closed or reset).
    pub fn closed(source: impl Into<BoxError>) -> Self {
        Self::with_kind_source(TransportErrorKind::Closed, source)
    }

    /// A [`Tls`](TransportErrorKind::Tls) error.
    pub fn tls(source: impl Into<BoxError>) -> Self {
        Self::with_kind_source(TransportErrorKind::Tls, source)
    }

    /// A [`Body`](TransportErrorKind::Body) error.
    pub fn body(source: impl Into<BoxError>) -> Self {
        Self::with_kind_source(TransportErrorKind::Body, source)
    }

    /// An [`Other`](TransportErrorKind::Other) error.
    pub fn other(source: impl Into<BoxError>) -> Self {
        Self::with_kind_source(TransportErrorKind::Other, source)
    }

    /// Classifies an I/O error by its [`io::ErrorKind`]: refused/unreachable
    /// as `Connect` (request not sent), `TimedOut` as `Timeout`, resets and
    /// unexpected EOF as `Closed`, anything else as `Other`.
    pub fn from_io(err: io::Error) -> Self {
        use io::ErrorKind as K;
        let kind = match err.kind() {
            K::ConnectionRefused | K::AddrNotAvailable | K::HostUnreachable | K::NetworkUnreachable => {
                TransportErrorKind::Connect
            }
            K::TimedOut => TransportErrorKind::Timeout,
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof | K::NotConnected => {
                TransportErrorKind::Closed
            }
            _ => TransportErrorKind::Other,
        };
        Self::with_kind_source(kind, err)
    }

    /// Sets the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets a short context message shown by `Display` after the kind.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Overrides whether the request may have reached the server.
    #[must_use]
    pub fn with_request_sent(mut self, sent: bool) -> Self {
        self.request_sent = sent;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The context message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Whether the request may have (partly) reached the server. `false`
    /// guarantees the server saw nothing of it.
    pub fn request_sent(&self) -> bool {
        self.request_sent
    }

    /// Whether resending cannot duplicate a side effect, whatever the method:
    /// the request never left. (Idempotent requests may be retried more
    /// liberally; that is the caller's policy.)
    pub fn is_retry_safe(&self) -> bool {
        !self.request_sent
    }

    /// Could not connect.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// A connect or request timeout expired.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// The connection was closed or reset after sending began.
    pub fn is_closed(&self) -> bool {
        self.kind == TransportErrorKind::Closed
    }

    /// The TLS handshake failed.
    pub fn is_tls(&self) -> bool {
        self.kind == TransportErrorKind::Tls
    }

    /// A body stream failed or exceeded a limit.
    pub fn is_body(&self) -> bool {
        matches!(self.kind, TransportErrorKind::Body | TransportErrorKind::BodyTooLarge)
    }

    /// Consumes the error, returning its source.
    pub fn into_source(self) -> Option<BoxError> {
        self.source
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe(self.request_sent))?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("TransportError");
        d.field("kind", &self.kind).field("request_sent", &self.request_sent);
        if let Some(message) = &self.message {
            d.field("message", message);
        }
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<io::Error> for TransportError {
    fn from(err: io::Error) -> Self {
        Self::from_io(err)
    }
}

impl From<TransportErrorKind> for TransportError {
    fn from(kind: TransportErrorKind) -> Self {
        Self::new(kind)
    }
}

/// Turns any boxed error into a `TransportError`, keeping it intact if it
/// already is one (so kinds survive a round trip through hyper's `BoxError`).
pub(crate) fn from_box_error(err: BoxError, fallback: TransportErrorKind) -> TransportError {
    match err.downcast::<TransportError>() {
        Ok(te) => *te,
        Err(err) => match err.downcast::<io::Error>() {
            Ok(io) if fallback != TransportErrorKind::Body => TransportError::from_io(*io),
            Ok(io) => TransportError::with_kind_source(fallback, *io),
            Err(err) => TransportError::with_kind_source(fallback, err),
        },
    }
}

/// The error and its sources, outermost first. Descends into the error an
/// `io::Error` wraps, which `io::Error::source` skips (it returns the wrapped
/// error's own source): TLS and body errors often arrive wrapped that way.
#[cfg(any(feature = "hyper-client", feature = "reqwest", feature = "tower"))]
pub(crate) fn chain<'a>(err: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |&e: &&'a (dyn StdError + 'static)| {
        match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        }
    })
}

/// What an error's source chain says about a failure, independent of the
/// HTTP stack that raised it.
#[cfg(any(feature = "hyper-client", feature = "reqwest", feature = "tower"))]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Symptoms {
    /// The kind and `request_sent` of the outermost `TransportError` in the
    /// chain: our own body's error, passed back through the stack.
    pub(crate) transport: Option<(TransportErrorKind, bool)>,
    /// A timeout (`io::ErrorKind::TimedOut`, a hyper timeout).
    pub(crate) timed_out: bool,
    /// The connection was reset, aborted or closed early, or hyper saw an
    /// incomplete message.
    pub(crate) closed: bool,
    /// A TCP connect failed (refused, unreachable): nothing was sent.
    pub(crate) refused: bool,
}

#[cfg(any(feature = "hyper-client", feature = "reqwest", feature = "tower"))]
impl Symptoms {
    pub(crate) fn of(err: &(dyn StdError + 'static)) -> Self {
        let mut found = Self::default();
        for e in chain(err) {
            if let Some(te) = e.downcast_ref::<TransportError>() {
                found.transport.get_or_insert((te.kind(), te.request_sent()));
            }
            #[cfg(any(feature = "hyper-client", feature = "reqwest"))]
            if let Some(h) = e.downcast_ref::<hyper::Error>() {
                found.closed |=
                    h.is_incomplete_message() || h.is_canceled() || h.is_closed() || h.is_body_write_aborted();
                found.timed_out |= h.is_timeout();
            }
            if let Some(io) = e.downcast_ref::<io::Error>() {
                use io::ErrorKind as K;
                match io.kind() {
                    K::TimedOut => found.timed_out = true,
                    K::ConnectionRefused | K::AddrNotAvailable | K::HostUnreachable | K::NetworkUnreachable => {
                        found.refused = true
                    }
                    K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof | K::NotConnected => {
                        found.closed = true
                    }
                    _ => {}
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_kind() {
        assert!(!TransportError::new(TransportErrorKind::Connect).request_sent());
        assert!(!TransportError::new(TransportErrorKind::Tls).request_sent());
        assert!(TransportError::new(TransportErrorKind::Timeout).request_sent());
        assert!(TransportError::new(TransportErrorKind::Closed).request_sent());
        assert!(TransportError::new(TransportErrorKind::Other).request_sent());
        let connect_timeout = TransportError::timeout("slow").with_request_sent(false);
        assert!(connect_timeout.is_retry_safe());
        assert_eq!(connect_timeout.to_string(), "connect timed out");
    }

    #[test]
    fn io_kinds_map() {
        let k = |e: io::ErrorKind| TransportError::from(io::Error::from(e)).kind();
        assert_eq!(k(io::ErrorKind::ConnectionRefused), TransportErrorKind::Connect);
        assert_eq!(k(io::ErrorKind::ConnectionReset), TransportErrorKind::Closed);
        assert_eq!(k(io::ErrorKind::UnexpectedEof), TransportErrorKind::Closed);
        assert_eq!(k(io::ErrorKind::TimedOut), TransportErrorKind::Timeout);
        assert_eq!(k(io::ErrorKind::PermissionDenied), TransportErrorKind::Other);
    }

    #[test]
    fn display_and_source() {
        let err = TransportError::closed(io::Error::from(io::ErrorKind::ConnectionReset))
            .with_message("while reading headers");
        assert_eq!(err.to_string(), "connection closed after the request was sent: while reading headers");
        let src = err.source().expect("source kept");
        assert_eq!(src.downcast_ref::<io::Error>().map(io::Error::kind), Some(io::ErrorKind::ConnectionReset));
    }

    #[test]
    fn box_round_trip_keeps_kind() {
        let boxed: BoxError = Box::new(TransportError::tls("bad cert"));
        let back = from_box_error(boxed, TransportErrorKind::Body);
        assert_eq!(back.kind(), TransportErrorKind::Tls);
        let foreign = from_box_error("oops".into(), TransportErrorKind::Body);
        assert_eq!(foreign.kind(), TransportErrorKind::Body);
    }

    #[cfg(any(feature = "hyper-client", feature = "reqwest", feature = "tower"))]
    mod chains {
        use super::*;

        /// An error wrapping `inner` as its source, like most library errors.
        #[derive(Debug)]
        struct Wrap(BoxError);

        impl fmt::Display for Wrap {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("wrapper")
            }
        }

        impl StdError for Wrap {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&*self.0)
            }
        }

        #[test]
        fn chain_descends_into_io_errors() {
            let err = Wrap(Box::new(io::Error::other(TransportError::body("disk"))));
            assert_eq!(chain(&err).count(), 4, "wrapper, io::Error, TransportError, its \"disk\" source");
            let symptoms = Symptoms::of(&err);
            assert_eq!(symptoms.transport, Some((TransportErrorKind::Body, true)));
            assert!(!symptoms.closed && !symptoms.timed_out);

            let reset = Wrap(Box::new(io::Error::from(io::ErrorKind::ConnectionReset)));
            assert_eq!(Symptoms::of(&reset), Symptoms { closed: true, ..Symptoms::default() });
            let slow = Wrap(Box::new(io::Error::from(io::ErrorKind::TimedOut)));
            assert_eq!(Symptoms::of(&slow), Symptoms { timed_out: true, ..Symptoms::default() });
            let refused = Wrap(Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)));
            assert_eq!(Symptoms::of(&refused), Symptoms { refused: true, ..Symptoms::default() });
            assert_eq!(Symptoms::of(&Wrap("plain".into())), Symptoms::default());
        }
    }
}
