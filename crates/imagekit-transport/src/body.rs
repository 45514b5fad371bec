//! The request and response body type.

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use http_body::{Body as _, Frame, SizeHint};
use sync_wrapper::SyncWrapper;

use crate::error::{BoxError, TransportError, TransportErrorKind, from_box_error};

// Sources need only be `Send`; `SyncWrapper` makes `Body` `Sync` as well (it only ever hands out
// `&mut` access to what it wraps), so `reqwest::Body::wrap` and other `Sync`-bound consumers take it.
type BoxStream = SyncWrapper<Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>>;
type Factory = dyn Fn() -> BoxStream + Send + Sync;
type BoxHttpBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = TransportError> + Send>>;

/// A request or response body: empty, in-memory bytes, or a stream of byte
/// chunks with an optional known length.
///
/// `Body` implements [`http_body::Body`] (so it plugs straight into hyper),
/// is `Send + Sync + Unpin + 'static` (so `reqwest::Body::wrap` and any other
/// `http-body` consumer take it without buffering), and is pulled lazily: a
/// streamed body is only read as fast as the transport writes it. Sources
/// handed to it need only be `Send`.
///
/// **Replay.** The SDK only retries what it can send again. Empty and
/// in-memory bodies, and streams built by a factory
/// ([`from_stream_factory`](Self::from_stream_factory)), are
/// [replayable](Self::is_replayable): [`try_clone`](Self::try_clone) returns
/// a fresh body producing the same bytes from the start. One-shot streams
/// are not.
///
/// ```
/// use imagekit_transport::Body;
///
/// # futures_util::FutureExt::now_or_never(async {
/// let body = Body::from("hello");
/// assert!(body.is_replayable());
/// assert_eq!(body.content_length(), Some(5));
/// let again = body.try_clone().unwrap();
/// assert_eq!(body.collect().await.unwrap(), "hello");
/// assert_eq!(again.collect().await.unwrap(), "hello");
/// # }).unwrap();
/// ```
#[derive(Default)]
pub struct Body {
    kind: Kind,
}

#[derive(Default)]
enum Kind {
    #[default]
    Empty,
    Bytes {
        data: Bytes,
        sent: bool,
    },
    Stream(StreamBody),
    Http(HttpBody),
}

/// A foreign `http_body::Body`, with its end-of-stream flag and size hint
/// cached after every poll so they can be read through `&self` while the
/// body itself sits behind a `SyncWrapper`.
struct HttpBody {
    body: SyncWrapper<BoxHttpBody>,
    end: bool,
    hint: SizeHint,
}

impl HttpBody {
    fn new(body: BoxHttpBody) -> Self {
        let (end, hint) = (body.is_end_stream(), body.size_hint());
        Self { body: SyncWrapper::new(body), end, hint }
    }

    fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, TransportError>>> {
        let body = self.body.get_mut();
        let polled = body.as_mut().poll_frame(cx);
        if polled.is_ready() {
            self.end = body.is_end_stream();
            self.hint = body.size_hint();
        }
        polled
    }
}

struct StreamBody {
    /// Created lazily from `factory` on first poll, so a clone that is never
    /// sent never opens its source.
    stream: Option<BoxStream>,
    factory: Option<Arc<Factory>>,
    len: Option<u64>,
    read: u64,
    done: bool,
}

impl Body {
    /// An empty body.
    pub const fn empty() -> Self {
        Self { kind: Kind::Empty }
    }

    /// An in-memory body (replayable).
    pub fn from_bytes(data: impl Into<Bytes>) -> Self {
        Self { kind: Kind::Bytes { data: data.into(), sent: false } }
    }

    /// A one-shot stream of chunks (not replayable). With `len` set, the
    /// length is announced (`Content-Length` over HTTP/1.1) and enforced: a
    /// stream that yields more or fewer bytes fails with a
    /// [`Body`](TransportErrorKind::Body) error instead of sending a
    /// malformed message.
    ///
    /// Stream errors become [`TransportError`]s of kind `Body` (or keep their
    /// kind when they already are `TransportError`s).
    pub fn from_stream<S, B, E>(stream: S, len: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        Self {
            kind: Kind::Stream(StreamBody {
                stream: Some(box_stream(stream)),
                factory: None,
                len,
                read: 0,
                done: false,
            }),
        }
    }

    /// A replayable stream: `factory` is called to (re)start the stream from
    /// the beginning, e.g. "re-open this file at offset 0". It is first
    /// called when the body is first polled, and again for each
    /// [`try_clone`](Self::try_clone) that gets polled.
    ///
    /// An asynchronous open can be deferred into the stream itself (e.g. with
    /// `futures::stream::once(open).try_flatten()`).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use imagekit_transport::Body;
    ///
    /// let chunks = vec![Bytes::from_static(b"ab"), Bytes::from_static(b"cd")];
    /// let body = Body::from_stream_factory(
    ///     move || futures_util::stream::iter(chunks.clone().into_iter().map(Ok::<_, std::io::Error>)),
    ///     Some(4),
    /// );
    /// assert!(body.is_replayable());
    /// # futures_util::FutureExt::now_or_never(async {
    /// let copy = body.try_clone().unwrap();
    /// assert_eq!(body.collect().await.unwrap(), "abcd");
    /// assert_eq!(copy.collect().await.unwrap(), "abcd");
    /// # }).unwrap();
    /// ```
    pub fn from_stream_factory<F, S, B, E>(factory: F, len: Option<u64>) -> Self
    where
        F: Fn() -> S + Send + Sync + 'static,
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        let factory: Arc<Factory> = Arc::new(move || box_stream(factory()));
        Self { kind: Kind::Stream(StreamBody { stream: None, factory: Some(factory), len, read: 0, done: false }) }
    }

    /// Wraps any [`http_body::Body`] (e.g. `hyper::body::Incoming` or another
    /// client's body) as a one-shot body. Errors that already are
    /// [`TransportError`]s keep their kind, I/O errors are classified by
    /// [`TransportError::from_io`], anything else becomes `Body`.
    pub fn from_http_body<B>(body: B) -> Self
    where
        B: http_body::Body + Send + 'static,
        B::Data: Buf,
        B::Error: Into<BoxError>,
    {
        Self::from_http_body_with(body, |e: B::Error| from_box_error(e.into(), TransportErrorKind::Body))
    }

    /// Wraps a foreign body whose errors `map_err` turns into
    /// [`TransportError`]s: the adapters classify their client's errors with
    /// their own rules (reqwest's predicates, a tower classifier).
    pub(crate) fn from_http_body_with<B, F>(body: B, map_err: F) -> Self
    where
        B: http_body::Body + Send + 'static,
        B::Data: Buf,
        F: Fn(B::Error) -> TransportError + Send + 'static,
    {
        Self { kind: Kind::Http(HttpBody::new(Box::pin(MapBody { inner: body, map_err }))) }
    }

    /// Wraps a body whose errors are already `TransportError`s.
    #[cfg(feature = "hyper-client")]
    pub(crate) fn from_transport_body<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes, Error = TransportError> + Send + 'static,
    {
        Self { kind: Kind::Http(HttpBody::new(Box::pin(body))) }
    }

    /// Whether [`try_clone`](Self::try_clone) can produce a fresh copy, i.e.
    /// whether a request with this body can be sent again.
    pub fn is_replayable(&self) -> bool {
        match &self.kind {
            Kind::Empty | Kind::Bytes { .. } => true,
            Kind::Stream(s) => s.factory.is_some(),
            Kind::Http(_) => false,
        }
    }

    /// A fresh body producing the same bytes from the start, however much of
    /// `self` was already read; `None` for one-shot streams.
    pub fn try_clone(&self) -> Option<Self> {
        let kind = match &self.kind {
            Kind::Empty => Kind::Empty,
            Kind::Bytes { data, .. } => Kind::Bytes { data: data.clone(), sent: false },
            Kind::Stream(StreamBody { factory: Some(factory), len, .. }) => Kind::Stream(StreamBody {
                stream: None,
                factory: Some(Arc::clone(factory)),
                len: *len,
                read: 0,
                done: false,
            }),
            Kind::Stream(_) | Kind::Http(_) => return None,
        };
        Some(Self { kind })
    }

    /// The total length in bytes, when known up front.
    pub fn content_length(&self) -> Option<u64> {
        match &self.kind {
            Kind::Empty => Some(0),
            Kind::Bytes { data, .. } => Some(data.len() as u64),
            Kind::Stream(s) => s.len,
            Kind::Http(b) => b.hint.exact(),
        }
    }

    /// The content of an in-memory body, without consuming it.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.kind {
            Kind::Empty => Some(&[]),
            Kind::Bytes { data, .. } => Some(data),
            Kind::Stream(_) | Kind::Http(_) => None,
        }
    }

    /// The next data chunk, or `None` at the end (trailers are skipped).
    pub async fn chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        loop {
            let frame = poll_fn(|cx| Pin::new(&mut *self).poll_frame(cx)).await?;
            match frame {
                Ok(frame) => {
                    if let Ok(data) = frame.into_data() {
                        return Some(Ok(data));
                    }
                }
                Err(err) => return Some(Err(err)),
            }
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(self) -> Result<Bytes, TransportError> {
        self.collect_inner(None).await
    }

    /// Reads the whole body into memory, failing with a
    /// [`BodyTooLarge`](TransportErrorKind::BodyTooLarge) error as soon as it
    /// is known to exceed `limit` bytes (without buffering past the limit).
    pub async fn collect_limited(self, limit: usize) -> Result<Bytes, TransportError> {
        if let Some(len) = self.content_length() {
            if len > limit as u64 {
                return Err(too_large(limit));
            }
        }
        self.collect_inner(Some(limit)).await
    }

    /// Reads at most `max` bytes and drops the rest of the body, e.g. to keep
    /// a bounded excerpt of an error response. Fails only if reading the
    /// first `max` bytes fails.
    ///
    /// ```
    /// # futures_util::FutureExt::now_or_never(async {
    /// let body = imagekit_transport::Body::from("a long error message");
    /// assert_eq!(body.collect_truncated(6).await.unwrap(), "a long");
    /// # }).unwrap();
    /// ```
    pub async fn collect_truncated(mut self, max: usize) -> Result<Bytes, TransportError> {
        let mut buf = BytesMut::new();
        while buf.len() < max {
            match self.chunk().await {
                None => break,
                Some(chunk) => {
                    let chunk = chunk?;
                    let take = chunk.len().min(max - buf.len());
                    buf.extend_from_slice(&chunk[..take]);
                }
            }
        }
        Ok(buf.freeze())
    }

    async fn collect_inner(mut self, limit: Option<usize>) -> Result<Bytes, TransportError> {
        // Fast path: in-memory bodies are returned without copying.
        if let Kind::Bytes { data, sent: false } = &self.kind {
            return Ok(data.clone());
        }
        let mut first: Option<Bytes> = None;
        let mut buf = BytesMut::new();
        let mut total = 0usize;
        while let Some(chunk) = self.chunk().await {
            let chunk = chunk?;
            total = total.saturating_add(chunk.len());
            if limit.is_some_and(|limit| total > limit) {
                return Err(too_large(limit.unwrap_or_default()));
            }
            // A single-chunk body is returned without copying.
            match first.take() {
                None if buf.is_empty() => first = Some(chunk),
                None => buf.extend_from_slice(&chunk),
                Some(prev) => {
                    buf.extend_from_slice(&prev);
                    buf.extend_from_slice(&chunk);
                }
            }
        }
        Ok(first.unwrap_or_else(|| buf.freeze()))
    }

    /// Converts the body into a [`Stream`] of data chunks.
    pub fn into_data_stream(self) -> DataStream {
        DataStream { body: self }
    }
}

fn too_large(limit: usize) -> TransportError {
    TransportError::new(TransportErrorKind::BodyTooLarge).with_message(format!("more than {limit} bytes"))
}

fn box_stream<S, B, E>(stream: S) -> BoxStream
where
    S: Stream<Item = Result<B, E>> + Send + 'static,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    SyncWrapper::new(Box::pin(MapStream { inner: stream }))
}

pin_project_lite::pin_project! {
    /// Maps a user stream's items into `Bytes` / `TransportError`.
    struct MapStream<S> {
        #[pin]
        inner: S,
    }
}

impl<S, B, E> Stream for MapStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project()
            .inner
            .poll_next(cx)
            .map(|item| item.map(|r| r.map(Into::into).map_err(|e| from_box_error(e.into(), TransportErrorKind::Body))))
    }
}

pin_project_lite::pin_project! {
    /// Maps a foreign `http_body::Body` into `Bytes` / `TransportError`.
    struct MapBody<B, F> {
        #[pin]
        inner: B,
        map_err: F,
    }
}

impl<B, F> http_body::Body for MapBody<B, F>
where
    B: http_body::Body,
    B::Data: Buf,
    F: Fn(B::Error) -> TransportError,
{
    type Data = Bytes;
    type Error = TransportError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, TransportError>>> {
        let this = self.project();
        let map_err = &*this.map_err;
        this.inner
            .poll_frame(cx)
            .map(|frame| frame.map(|r| r.map(|f| f.map_data(|mut d| d.copy_to_bytes(d.remaining()))).map_err(map_err)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl StreamBody {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, TransportError>>> {
        if self.done {
            return Poll::Ready(None);
        }
        loop {
            let stream = match (&mut self.stream, &self.factory) {
                (Some(stream), _) => stream,
                (None, Some(factory)) => self.stream.insert(factory()),
                (None, None) => {
                    self.done = true;
                    return Poll::Ready(None);
                }
            };
            let item = match stream.get_mut().as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(item) => item,
            };
            match item {
                Some(Ok(chunk)) if chunk.is_empty() => continue,
                Some(Ok(chunk)) => {
                    self.read = self.read.saturating_add(chunk.len() as u64);
                    if self.len.is_some_and(|len| self.read > len) {
                        return Poll::Ready(Some(Err(self.fail("more bytes than its declared length"))));
                    }
                    return Poll::Ready(Some(Ok(chunk)));
                }
                Some(Err(err)) => {
                    self.finish();
                    return Poll::Ready(Some(Err(err)));
                }
                None => {
                    if self.len.is_some_and(|len| self.read < len) {
                        return Poll::Ready(Some(Err(self.fail("fewer bytes than its declared length"))));
                    }
                    self.finish();
                    return Poll::Ready(None);
                }
            }
        }
    }

    fn fail(&mut self, what: &'static str) -> TransportError {
        self.finish();
        TransportError::new(TransportErrorKind::Body).with_message(format!("stream produced {what}"))
    }

    fn finish(&mut self) {
        // Drop the source (closing files, etc.) as soon as we are done.
        self.stream = None;
        self.done = true;
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = TransportError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, TransportError>>> {
        match &mut self.get_mut().kind {
            Kind::Empty => Poll::Ready(None),
            Kind::Bytes { data, sent } => {
                if *sent || data.is_empty() {
                    *sent = true;
                    return Poll::Ready(None);
                }
                *sent = true;
                // Cloning `Bytes` is a refcount bump; keeping `data` lets
                // `try_clone` replay even after sending.
                Poll::Ready(Some(Ok(Frame::data(data.clone()))))
            }
            Kind::Stream(s) => s.poll_chunk(cx).map(|c| c.map(|r| r.map(Frame::data))),
            Kind::Http(b) => b.poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Empty => true,
            Kind::Bytes { data, sent } => *sent || data.is_empty(),
            Kind::Stream(s) => s.done || s.len == Some(0),
            Kind::Http(b) => b.end,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Empty => SizeHint::with_exact(0),
            Kind::Bytes { data, sent } => SizeHint::with_exact(if *sent { 0 } else { data.len() as u64 }),
            Kind::Stream(s) => match s.len {
                Some(len) => SizeHint::with_exact(len.saturating_sub(s.read)),
                None => SizeHint::default(),
            },
            Kind::Http(b) => b.hint,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Empty => f.write_str("Body::Empty"),
            Kind::Bytes { data, .. } => write!(f, "Body::Bytes({} bytes)", data.len()),
            Kind::Stream(s) => {
                f.debug_struct("Body::Stream").field("len", &s.len).field("replayable", &s.factory.is_some()).finish()
            }
            Kind::Http(b) => f.debug_struct("Body::Http").field("len", &b.hint.exact()).finish(),
        }
    }
}

impl From<()> for Body {
    fn from((): ()) -> Self {
        Self::empty()
    }
}

impl From<Bytes> for Body {
    fn from(data: Bytes) -> Self {
        Self::from_bytes(data)
    }
}

impl From<Vec<u8>> for Body {
    fn from(data: Vec<u8>) -> Self {
        Self::from_bytes(data)
    }
}

impl From<String> for Body {
    fn from(data: String) -> Self {
        Self::from_bytes(data)
    }
}

impl From<&'static str> for Body {
    fn from(data: &'static str) -> Self {
        Self::from_bytes(data)
    }
}

impl From<&'static [u8]> for Body {
    fn from(data: &'static [u8]) -> Self {
        Self::from_bytes(data)
    }
}

/// A [`Stream`] of a [`Body`]'s data chunks, from
/// [`Body::into_data_stream`].
#[derive(Debug)]
pub struct DataStream {
    body: Body,
}

impl DataStream {
    /// Gives the body back.
    pub fn into_inner(self) -> Body {
        self.body
    }
}

impl Stream for DataStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let body = &mut self.get_mut().body;
        loop {
            match Pin::new(&mut *body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        return Poll::Ready(Some(Ok(data)));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
