//! The HTTP front: one dispatcher shared by the socket server and the
//! in-process transport, with request logging and graceful shutdown.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::state::State;
use crate::web::{ApiError, Req, Resp};

/// The largest request body accepted (uploads included).
pub const MAX_BODY: usize = 1024 * 1024 * 1024;

/// Answer one request whose body has been read.
pub async fn dispatch(
    state: &State,
    method: http::Method,
    uri: &http::Uri,
    headers: http::HeaderMap,
    body: Bytes,
) -> Resp {
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
    let req = Req { method, path: uri.path().to_owned(), query, headers, body };
    let api = crate::router::is_api_path(&req.path);
    let resp = if api {
        let resp = match crate::faults::before(state, &req).await {
            Some(resp) => resp,
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

async fn serve_one(
    state: Arc<State>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let resp = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => dispatch(&state, parts.method, &parts.uri, parts.headers, collected.to_bytes()).await,
        Err(e) => {
            let too_large = e.downcast_ref::<http_body_util::LengthLimitError>().is_some();
            let err = if too_large {
                ApiError::new(http::StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large.")
            } else {
                ApiError::bad_request(format!("Could not read the request body: {e}"))
            };
            err.into_resp()
        }
    };
    Ok(to_hyper(resp))
}

pub(crate) fn to_hyper(resp: Resp) -> hyper::Response<Full<Bytes>> {
    let mut out = hyper::Response::new(Full::new(resp.body));
    *out.status_mut() = resp.status;
    *out.headers_mut() = resp.headers;
    out
}

/// Accept connections until `shutdown` flips, then let open connections finish.
pub(crate) async fn run(listener: TcpListener, state: Arc<State>, mut shutdown: watch::Receiver<bool>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let state = state.clone();
                let mut stop = shutdown.clone();
                connections.spawn(async move {
                    let svc = service_fn(move |req| serve_one(state.clone(), req));
                    let conn = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc);
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
            _ = shutdown.changed() => break,
        }
    }
    while connections.join_next().await.is_some() {}
}

/// Bind `addr`.
pub(crate) async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
