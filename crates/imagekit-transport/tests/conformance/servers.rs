//! Local test servers on 127.0.0.1: a hyper HTTP/1.1 server with a handler,
//! and a raw TCP server running a script (for misbehaviour hyper would not
//! produce). Their tasks end with the test's runtime.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// What a handler answers with: any body, streamed or not.
pub type ServerResponse = http::Response<BoxBody<Bytes, Infallible>>;

pub struct Server {
    pub addr: SocketAddr,
    pub accepted: Arc<AtomicUsize>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

pub async fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind loopback")
}

/// A port nothing listens on: bound, then closed again.
pub async fn closed_port() -> SocketAddr {
    listener().await.local_addr().expect("bound")
}

/// A hyper HTTP/1.1 server calling `handler` for each request.
pub async fn serve<F, Fut>(handler: F) -> Server
where
    F: Fn(http::Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ServerResponse> + Send + 'static,
{
    let listener = listener().await;
    let addr = listener.local_addr().expect("bound");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let response = handler(req);
                    async move { Ok::<_, Infallible>(response.await) }
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Server { addr, accepted }
}

/// A raw TCP server running `script` on each accepted connection.
pub async fn raw_server<F, Fut>(script: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = listener().await;
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(script(stream));
        }
    });
    addr
}

/// Reads one request head from a raw socket (enough for bodiless requests);
/// returns what it read, or `None` if the peer closed first.
pub async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Waits until the peer closes (EOF or an error) and discards what it sends.
pub async fn wait_for_close(stream: &mut TcpStream) {
    let mut chunk = [0u8; 1024];
    while let Ok(n) = stream.read(&mut chunk).await {
        if n == 0 {
            return;
        }
    }
}

/// A full in-memory response body.
pub fn full(data: impl Into<Bytes>) -> BoxBody<Bytes, Infallible> {
    use http_body_util::BodyExt;
    http_body_util::Full::new(data.into()).boxed()
}
