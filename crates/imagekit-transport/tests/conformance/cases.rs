//! The conformance cases, written once over `Arc<dyn HttpClient>` and run for
//! every transport by `conformance_suite!` in `conformance.rs`.
//!
//! Streaming is checked by lockstep rather than by timing: the upload's
//! producer only yields a chunk after the server has received the previous
//! one, and the download's server only sends the rest after the client has
//! read the first part. A buffering transport deadlocks there, which the
//! `within` guard turns into a failure.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::stream;
use http_body::Frame;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use imagekit_transport::{Body, HttpClient, TransportError, TransportErrorKind};
use tokio::io::AsyncWriteExt;
use tokio::sync::{Notify, oneshot, watch};

use crate::servers::{self, full};

/// How a transport under test is configured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Setup {
    /// The transport's own whole-request timeout (none when `None`).
    pub timeout: Option<Duration>,
}

/// Builds the transport under test.
pub type Factory = fn(Setup) -> Arc<dyn HttpClient>;

fn client(make: Factory) -> Arc<dyn HttpClient> {
    make(Setup::default())
}

fn get(url: &str) -> http::Request<Body> {
    http::Request::get(url).body(Body::empty()).expect("valid request")
}

/// Fails the test instead of hanging when a lockstep deadlocks.
async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), fut).await.unwrap_or_else(|_| panic!("stuck: {what}"))
}

fn header(req: &http::Request<Incoming>, name: &str) -> Option<String> {
    req.headers().get(name).map(|v| v.to_str().unwrap_or("<binary>").to_owned())
}

/// Sends the request, then reads the body; the error of whichever fails.
async fn send_and_read(client: &dyn HttpClient, request: http::Request<Body>) -> Result<Bytes, TransportError> {
    client.send(request).await?.into_body().collect().await
}

// ---- streamed uploads ----

const UP_CHUNK: usize = 64 * 1024;
const UP_CHUNKS: usize = 16;
const UP_TOTAL: u64 = (UP_CHUNK * UP_CHUNKS) as u64;

/// A server that checks every uploaded byte (chunk `i` is filled with `i`)
/// and publishes how many it has received; it answers
/// `"<bytes>|<all in order>|<content-length>|<transfer-encoding>"`.
async fn upload_server() -> (servers::Server, watch::Receiver<u64>) {
    let (tx, rx) = watch::channel(0u64);
    let tx = Arc::new(tx);
    let server = servers::serve(move |req: http::Request<Incoming>| {
        let tx = Arc::clone(&tx);
        async move {
            let (length, encoding) = (header(&req, "content-length"), header(&req, "transfer-encoding"));
            let mut body = req.into_body();
            let (mut offset, mut in_order) = (0usize, true);
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else {
                    in_order = false;
                    break;
                };
                if let Ok(data) = frame.into_data() {
                    in_order &= data.iter().enumerate().all(|(k, b)| *b == ((offset + k) / UP_CHUNK) as u8);
                    offset += data.len();
                    tx.send_replace(offset as u64);
                }
            }
            http::Response::new(full(format!("{offset}|{in_order}|{length:?}|{encoding:?}")))
        }
    })
    .await;
    (server, rx)
}

/// Chunk `i` is only produced once the server has received chunks `0..i`.
fn lockstep_chunks(received: watch::Receiver<u64>) -> impl futures_core::Stream<Item = Result<Bytes, Infallible>> {
    stream::unfold(0usize, move |i| {
        let mut received = received.clone();
        async move {
            if i == UP_CHUNKS {
                return None;
            }
            // Ends the stream early if the server is gone; the body then fails.
            received.wait_for(|&n| n >= (i * UP_CHUNK) as u64).await.ok()?;
            Some((Ok(Bytes::from(vec![i as u8; UP_CHUNK])), i + 1))
        }
    })
}

pub async fn upload_with_known_length_streams_with_content_length(make: Factory) {
    let (server, received) = upload_server().await;
    let body = Body::from_stream(lockstep_chunks(received), Some(UP_TOTAL));
    let request = http::Request::put(server.url("/upload")).body(body).expect("valid request");
    let reply =
        within("request body buffered before sending", send_and_read(&*client(make), request)).await.expect("upload");
    assert_eq!(reply, format!("{UP_TOTAL}|true|Some(\"{UP_TOTAL}\")|None"));
}

pub async fn upload_with_unknown_length_streams_chunked(make: Factory) {
    let (server, received) = upload_server().await;
    let body = Body::from_stream(lockstep_chunks(received), None);
    let request = http::Request::post(server.url("/upload")).body(body).expect("valid request");
    let reply =
        within("request body buffered before sending", send_and_read(&*client(make), request)).await.expect("upload");
    assert_eq!(reply, format!("{UP_TOTAL}|true|None|Some(\"chunked\")"));
}

pub async fn in_memory_body_has_content_length_and_get_has_no_body(make: Factory) {
    let server = servers::serve(|req: http::Request<Incoming>| async move {
        let (length, encoding) = (header(&req, "content-length"), header(&req, "transfer-encoding"));
        let method = req.method().clone();
        let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        http::Response::new(full(format!("{method}|{length:?}|{encoding:?}|{}", body.len())))
    })
    .await;
    let client = client(make);
    let post = http::Request::post(server.url("/json")).body(Body::from(vec![b'x'; 1000])).expect("valid request");
    assert_eq!(send_and_read(&*client, post).await.expect("post"), "POST|Some(\"1000\")|None|1000");
    assert_eq!(send_and_read(&*client, get(&server.url("/get"))).await.expect("get"), "GET|None|None|0");
}

pub async fn failing_request_body_is_a_body_error(make: Factory) {
    let server = servers::serve(|req: http::Request<Incoming>| async move {
        let _ = req.into_body().collect().await;
        http::Response::new(full(""))
    })
    .await;
    let items: Vec<Result<Bytes, std::io::Error>> =
        vec![Ok(Bytes::from_static(b"first chunk")), Err(std::io::Error::other("disk read failed"))];
    let request = http::Request::post(server.url("/upload"))
        .body(Body::from_stream(stream::iter(items), None))
        .expect("valid request");
    let err = send_and_read(&*client(make), request).await.expect_err("body fails");
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err:?}");
    assert!(err.request_sent(), "part of the body was sent");
}

// ---- streamed responses ----

const DOWN_FIRST: usize = 256 * 1024;
const DOWN_CHUNK: usize = 64 * 1024;
const DOWN_REST_CHUNKS: usize = 64;
const DOWN_TOTAL: usize = DOWN_FIRST + DOWN_CHUNK * DOWN_REST_CHUNKS; // 4.25 MiB

fn pattern(offset: usize, len: usize) -> Bytes {
    (offset..offset + len).map(|i| (i % 251) as u8).collect()
}

pub async fn response_streams_before_it_is_complete(make: Factory) {
    let release = Arc::new(Notify::new());
    let rest_sent = Arc::new(AtomicBool::new(false));
    let (r, s) = (Arc::clone(&release), Arc::clone(&rest_sent));
    let server = servers::serve(move |_req: http::Request<Incoming>| {
        let (release, rest_sent) = (Arc::clone(&r), Arc::clone(&s));
        async move {
            let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(1);
            tokio::spawn(async move {
                if tx.send(pattern(0, DOWN_FIRST)).await.is_err() {
                    return;
                }
                // The rest only goes out once the client has read the first part.
                release.notified().await;
                rest_sent.store(true, Ordering::SeqCst);
                for i in 0..DOWN_REST_CHUNKS {
                    if tx.send(pattern(DOWN_FIRST + i * DOWN_CHUNK, DOWN_CHUNK)).await.is_err() {
                        return;
                    }
                }
            });
            let frames = stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|data| (Ok::<_, Infallible>(Frame::data(data)), rx))
            });
            http::Response::builder()
                .header("content-length", DOWN_TOTAL)
                .body(http_body_util::StreamBody::new(frames).boxed())
                .expect("valid response")
        }
    })
    .await;

    let client = client(make);
    within("response body buffered until complete", async {
        let response = client.send(get(&server.url("/large"))).await.expect("response head");
        assert_eq!(response.status(), 200);
        let mut body = response.into_body();
        let (mut offset, mut chunks) = (0usize, 0usize);
        while offset < DOWN_FIRST {
            let chunk = body.chunk().await.expect("first part").expect("chunk");
            assert_eq!(chunk, pattern(offset, chunk.len()), "bytes at {offset}");
            offset += chunk.len();
            chunks += 1;
        }
        assert_eq!(offset, DOWN_FIRST, "the first part arrived alone");
        assert!(!rest_sent.load(Ordering::SeqCst), "read before the server sent the rest");
        release.notify_one();
        while let Some(chunk) = body.chunk().await {
            let chunk = chunk.expect("chunk");
            assert_eq!(chunk, pattern(offset, chunk.len()), "bytes at {offset}");
            offset += chunk.len();
            chunks += 1;
        }
        assert_eq!(offset, DOWN_TOTAL);
        assert!(chunks > 2, "read in {chunks} chunk(s)");
    })
    .await;
}

pub async fn status_headers_and_redirects_pass_through(make: Factory) {
    let server = servers::serve(|req: http::Request<Incoming>| async move {
        let echo = header(&req, "x-custom").unwrap_or_default();
        let status = if req.uri().path() == "/old" { 302 } else { 503 };
        http::Response::builder()
            .status(status)
            .header("location", "/new")
            .header("x-echo", echo)
            .body(full(format!("{} {}", req.method(), req.uri())))
            .expect("valid response")
    })
    .await;
    let client = client(make);
    let request = http::Request::delete(server.url("/old?x=1"))
        .header("x-custom", "kept")
        .body(Body::empty())
        .expect("valid request");
    let response = client.send(request).await.expect("a 302 is a response, not an error");
    assert_eq!(response.status(), 302, "redirects are not followed");
    assert_eq!(response.headers()["location"], "/new");
    assert_eq!(response.headers()["x-echo"], "kept");
    assert_eq!(response.into_body().collect().await.expect("body"), "DELETE /old?x=1");

    let response = client.send(get(&server.url("/down"))).await.expect("a 503 is a response, not an error");
    assert_eq!(response.status(), 503);
    assert_eq!(server.accepted(), 1, "one kept-alive connection");
}

// ---- failures ----

pub async fn refused_connection_is_connect_never_sent_and_hides_userinfo(make: Factory) {
    let addr = servers::closed_port().await;
    let url = format!("http://imagekit-user:hunter2-secret@{addr}/v1/files");
    let err = client(make).send(get(&url)).await.expect_err("refused");
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(!err.request_sent());
    assert!(err.is_retry_safe());
    assert!(std::error::Error::source(&err).is_some(), "source kept");

    let mut printed = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(e) = source {
        printed.push_str(&format!(" {e} {e:?}"));
        source = e.source();
    }
    assert!(!printed.contains("hunter2"), "userinfo leaked: {printed}");
}

pub async fn stalled_server_hits_the_transport_timeout(make: Factory) {
    let addr = servers::raw_server(|mut stream| async move {
        servers::read_head(&mut stream).await;
        // Never answer; hold the socket open.
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let client = make(Setup { timeout: Some(Duration::from_millis(300)) });
    let started = Instant::now();
    let err = client.send(get(&format!("http://{addr}/"))).await.expect_err("stall");
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.request_sent(), "the request reached the server");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

/// The SDK bounds each attempt with `tokio::time::timeout` around `send`:
/// dropping the future must abandon the request and close its connection,
/// not leave it running.
pub async fn dropped_send_closes_the_connection(make: Factory) {
    let (closed_tx, closed_rx) = oneshot::channel();
    let closed_tx = Arc::new(std::sync::Mutex::new(Some(closed_tx)));
    let addr = servers::raw_server(move |mut stream| {
        let closed_tx = Arc::clone(&closed_tx);
        async move {
            servers::read_head(&mut stream).await;
            servers::wait_for_close(&mut stream).await;
            if let Some(tx) = closed_tx.lock().expect("not poisoned").take() {
                let _ = tx.send(Instant::now());
            }
        }
    })
    .await;
    let client = client(make);
    let outcome = tokio::time::timeout(Duration::from_millis(300), client.send(get(&format!("http://{addr}/")))).await;
    assert!(outcome.is_err(), "the server never answers");
    let dropped = Instant::now();
    let closed = tokio::time::timeout(Duration::from_secs(5), closed_rx)
        .await
        .expect("connection closed after the send future was dropped")
        .expect("server task ran");
    eprintln!("connection closed {:?} after the drop", closed.saturating_duration_since(dropped));
}

pub async fn reset_mid_body_is_closed_after_sending(make: Factory) {
    let addr = servers::raw_server(|mut stream| async move {
        servers::read_head(&mut stream).await;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\npartial body").await;
        // Let the client read the head and the first bytes, then abort with a TCP RST.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _ = stream.set_zero_linger();
        drop(stream);
    })
    .await;
    // Normally the head arrives and the body read fails; on a starved
    // machine the RST may beat the head, failing `send` itself. Either way
    // it is the same "closed after sending" error.
    let err = match client(make).send(get(&format!("http://{addr}/"))).await {
        Ok(response) => {
            let mut body = response.into_body();
            let mut read = Vec::new();
            loop {
                match body.chunk().await {
                    Some(Ok(chunk)) => read.extend_from_slice(&chunk),
                    Some(Err(err)) => break err,
                    None => panic!("body ended cleanly after {} bytes", read.len()),
                }
            }
        }
        Err(err) => err,
    };
    assert_eq!(err.kind(), TransportErrorKind::Closed, "{err:?}");
    assert!(err.request_sent());
    assert!(!err.is_retry_safe());
}

pub async fn hangup_before_response_is_closed_after_sending(make: Factory) {
    let addr = servers::raw_server(|mut stream| async move {
        servers::read_head(&mut stream).await;
        drop(stream);
    })
    .await;
    let err = client(make).send(get(&format!("http://{addr}/"))).await.expect_err("hangup");
    assert_eq!(err.kind(), TransportErrorKind::Closed, "{err:?}");
    assert!(err.request_sent());
}

pub async fn relative_uri_is_refused_without_sending(make: Factory) {
    let err = client(make).send(get("/v1/files")).await.expect_err("relative");
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(!err.request_sent());
}
