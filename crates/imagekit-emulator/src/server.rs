//! The HTTP front: one dispatcher shared by the socket server and the
//! in-process transport, with request logging and graceful shutdown.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::body::{body_error, read_body, spool_body};
use crate::state::State;
use crate::web::{Req, Resp};

/// Answer one request whose body has been read.
pub async fn dispatch(
    state: &State,
    method: http::Method,
    uri: &http::Uri,
    headers: http::HeaderMap,
    body: Bytes,
) -> Resp {
    dispatch_req(state, method, uri, headers, body, None).await
}

/// [`dispatch`], with an upload's body possibly spooled to a file.
async fn dispatch_req(
    state: &State,
    method: http::Method,
    uri: &http::Uri,
    headers: http::HeaderMap,
    body: Bytes,
    spooled: Option<crate::spool::TempFile>,
) -> Resp {
    let spooled = spooled.map(Arc::new);
    let started = Instant::now();
    let query = uri
        .query()
        .map(|q| {
            q.split('&')
                .filter(|kv| !kv.is_empty())
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (form_decode(k), form_decode(v))
                })
                .collect()
        })
        .unwrap_or_default();
    let req = Req { method, path: uri.path().to_owned(), query, headers, body, spooled };
    let api = crate::router::is_api_path(&req.path);
    let resp = if api {
        let resp = match crate::faults::before(state, &req).await {
            // Made before routing: the upload endpoints' CORS header is added here.
            Some(resp) => crate::router::with_upload_cors(&req.path, resp),
            None => crate::router::api(state, req.clone()).await,
        };
        // Every API answer carries a request id, as ImageKit's do (support asks for it).
        resp.with_header("x-ik-requestid", &crate::util::new_id())
    } else {
        crate::delivery::serve(state, &req, uri.query()).await
    };
    tracing::info!(
        target: "imagekit_emulator::request",
        method = %req.method,
        path = %req.path,
        status = resp.status.as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    resp
}

/// `application/x-www-form-urlencoded` decoding of a query component.
fn form_decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus).decode_utf8_lossy().into_owned()
}

/// Per-connection limits of the socket server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnLimits {
    /// How long a client may take to send a request's headers.
    pub header_read: Duration,
    /// How long a request body may stall (no bytes) before the request fails with 408.
    pub body_idle: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits { header_read: Duration::from_secs(30), body_idle: Duration::from_secs(30) }
    }
}

async fn serve_one(
    state: Arc<State>,
    limits: ConnLimits,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    // An upload's body goes to a file, so its size does not become memory.
    let upload = parts.method == http::Method::POST && crate::router::is_upload_path(parts.uri.path());
    let body = if upload {
        spool_body(body, limits.body_idle, &state.store.spool_dir()).await.map(|f| (Bytes::new(), Some(f)))
    } else {
        read_body(body, limits.body_idle).await.map(|b| (b, None))
    };
    let (body, spooled) = match body {
        Ok(body) => body,
        Err(e) => {
            // Answered before routing: an upload's error still needs its CORS header.
            let resp = crate::router::with_upload_cors(parts.uri.path(), body_error(e));
            return Ok(to_hyper(resp));
        }
    };
    Ok(to_hyper(dispatch_req(&state, parts.method, &parts.uri, parts.headers, body, spooled).await))
}

pub(crate) fn to_hyper(resp: Resp) -> hyper::Response<Full<Bytes>> {
    let mut out = hyper::Response::new(Full::new(resp.body));
    *out.status_mut() = resp.status;
    *out.headers_mut() = resp.headers;
    out
}

/// Whether an accept error concerns only the one connection (retry at once),
/// rather than the process (out of descriptors or memory: back off).
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset | Interrupted | WouldBlock)
}

/// The first and the longest pause after an accept error that is not the
/// connection's own (EMFILE, ENFILE, ENOBUFS, ENOMEM, ...): retrying at once
/// would spin a core while the error lasts.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// Accept connections until `shutdown` flips, then let open connections finish.
pub(crate) async fn run(
    listener: TcpListener,
    state: Arc<State>,
    limits: ConnLimits,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    let mut backoff: Option<Duration> = None;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    Err(e) if is_connection_error(&e) => continue,
                    Err(e) => {
                        let pause = backoff.map_or(ACCEPT_BACKOFF.0, |b| (b * 2).min(ACCEPT_BACKOFF.1));
                        backoff = Some(pause);
                        tracing::warn!(error = %e, pause_ms = pause.as_millis() as u64, "accept failed; backing off");
                        // Open connections keep being served meanwhile: they are tasks of their own.
                        tokio::select! {
                            _ = tokio::time::sleep(pause) => {}
                            _ = shutdown.changed() => break,
                        }
                        continue;
                    }
                };
                backoff = None;
                let state = state.clone();
                let mut stop = shutdown.clone();
                connections.spawn(async move {
                    let svc = service_fn(move |req| serve_one(state.clone(), limits, req));
                    let conn = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(limits.header_read)
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), svc);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = conn.await;
                        }
                    }
                });
            }
            // Reap finished connections so the set does not grow for ever.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    while connections.join_next().await.is_some() {}
}

/// Bind `addr`.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
