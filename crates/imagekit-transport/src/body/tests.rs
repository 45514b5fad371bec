use super::*;
use futures_util::FutureExt;
use futures_util::stream;
use std::sync::atomic::{AtomicUsize, Ordering};

fn block<F: Future>(f: F) -> F::Output {
    f.now_or_never().expect("ready without I/O")
}

fn chunks(parts: &[&'static str]) -> Vec<Result<Bytes, std::io::Error>> {
    parts.iter().map(|p| Ok(Bytes::from_static(p.as_bytes()))).collect()
}

#[test]
fn empty_and_bytes_are_replayable() {
    let empty = Body::empty();
    assert!(empty.is_replayable());
    assert!(http_body::Body::is_end_stream(&empty));
    assert_eq!(block(empty.collect()).unwrap(), "");

    let mut body = Body::from(vec![1u8, 2, 3]);
    assert_eq!(block(body.chunk()).unwrap().unwrap(), &[1u8, 2, 3][..]);
    assert!(block(body.chunk()).is_none());
    // Replay after the original was fully read.
    let again = body.try_clone().expect("bytes replay");
    assert_eq!(block(again.collect()).unwrap(), &[1u8, 2, 3][..]);
}

#[test]
fn one_shot_stream_is_not_replayable() {
    let body = Body::from_stream(stream::iter(chunks(&["a", "b"])), None);
    assert!(!body.is_replayable());
    assert!(body.try_clone().is_none());
    assert_eq!(body.content_length(), None);
    assert_eq!(block(body.collect()).unwrap(), "ab");
}

#[test]
fn factory_is_called_lazily_per_replay() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    let body = Body::from_stream_factory(
        move || {
            c.fetch_add(1, Ordering::SeqCst);
            stream::iter(chunks(&["he", "", "llo"]))
        },
        Some(5),
    );
    let clone = body.try_clone().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing opened before polling");
    assert_eq!(body.content_length(), Some(5));
    assert_eq!(block(body.collect()).unwrap(), "hello");
    assert_eq!(block(clone.collect()).unwrap(), "hello");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn declared_length_is_enforced() {
    let long = Body::from_stream(stream::iter(chunks(&["abc", "def"])), Some(4));
    let err = block(long.collect()).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body);
    let short = Body::from_stream(stream::iter(chunks(&["ab"])), Some(4));
    assert_eq!(block(short.collect()).unwrap_err().kind(), TransportErrorKind::Body);
}

#[test]
fn stream_errors_become_body_errors() {
    let items: Vec<Result<Bytes, std::io::Error>> =
        vec![Ok(Bytes::from_static(b"x")), Err(std::io::Error::other("disk on fire"))];
    let err = block(Body::from_stream(stream::iter(items), None).collect()).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body);
    assert!(std::error::Error::source(&err).is_some());
    // A TransportError from the stream keeps its kind.
    let items: Vec<Result<Bytes, TransportError>> = vec![Err(TransportError::closed("reset"))];
    let err = block(Body::from_stream(stream::iter(items), None).collect()).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Closed);
}

#[test]
fn limits() {
    let known = Body::from("0123456789");
    let err = block(known.collect_limited(4)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);

    let unknown = Body::from_stream(stream::iter(chunks(&["0123", "4567", "89"])), None);
    let err = block(unknown.collect_limited(9)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);

    let fits = Body::from_stream(stream::iter(chunks(&["0123", "4567", "89"])), None);
    assert_eq!(block(fits.collect_limited(10)).unwrap(), "0123456789");

    let trunc = Body::from_stream(stream::iter(chunks(&["0123", "4567", "89"])), None);
    assert_eq!(block(trunc.collect_truncated(6)).unwrap(), "012345");
    let all = Body::from_stream(stream::iter(chunks(&["01"])), None);
    assert_eq!(block(all.collect_truncated(6)).unwrap(), "01");
}

#[test]
fn size_hints_track_progress() {
    use http_body::Body as _;
    let mut body = Body::from_stream(stream::iter(chunks(&["ab", "cd"])), Some(4));
    assert_eq!(body.size_hint().exact(), Some(4));
    block(body.chunk()).unwrap().unwrap();
    assert_eq!(body.size_hint().exact(), Some(2));
    let bytes = Body::from("xyz");
    assert_eq!(bytes.size_hint().exact(), Some(3));
}

#[test]
fn wraps_foreign_http_bodies() {
    let inner = http_body_util::Full::new(Bytes::from_static(b"full"));
    let body = Body::from_http_body(inner);
    assert!(!body.is_replayable());
    assert_eq!(body.content_length(), Some(4));
    let mut data = block(body.into_data_stream().collect::<Vec<_>>());
    assert_eq!(data.pop().unwrap().unwrap(), "full");
}

#[test]
fn is_send_sync_unpin_static() {
    fn assert<T: Send + Sync + Unpin + 'static>() {}
    assert::<Body>();
    assert::<DataStream>();
}

/// A source that is `Send` but not `Sync` (a `Cell` inside) still makes a
/// `Sync` body, and the wrapped body's hints stay readable after polls.
#[test]
fn send_only_sources_make_sync_bodies() {
    fn assert_sync<T: Sync>(_: &T) {}
    let counter = std::cell::Cell::new(0u8);
    let s = stream::iter(chunks(&["ab", "c"])).map(move |c| {
        counter.set(counter.get() + 1);
        c
    });
    let body = Body::from_stream(s, Some(3));
    assert_sync(&body);
    assert_eq!(block(body.collect()).unwrap(), "abc");

    let mut http = Body::from_http_body(http_body_util::Full::new(Bytes::from_static(b"xy")));
    assert_sync(&http);
    assert!(!http_body::Body::is_end_stream(&http));
    assert_eq!(block(http.chunk()).unwrap().unwrap(), "xy");
    assert!(http_body::Body::is_end_stream(&http), "end seen after the last frame");
    assert_eq!(http_body::Body::size_hint(&http).exact(), Some(0));
}

use futures_util::StreamExt as _;
