//! A user-written transport: adds a header to every request, logs the
//! outcome, and delegates the actual I/O to [`HyperClient`].
//!
//! Run with `cargo run -p imagekit-transport --example custom_transport [URL]`
//! (defaults to a local server it starts itself, so it needs no network).

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::HeaderValue;
use imagekit_transport::{Body, HttpClient, HyperClient, Request, Response, TransportError, async_trait};

/// Stamps a header on each request and delegates to any inner client.
struct Tagging<C> {
    inner: C,
    tag: HeaderValue,
}

#[async_trait]
impl<C: HttpClient> HttpClient for Tagging<C> {
    async fn send(&self, mut request: Request) -> Result<Response, TransportError> {
        request.headers_mut().insert("x-request-source", self.tag.clone());
        let started = Instant::now();
        let (method, uri) = (request.method().clone(), request.uri().clone());
        let result = self.inner.send(request).await;
        match &result {
            Ok(response) => eprintln!("{method} {uri} -> {} in {:?}", response.status(), started.elapsed()),
            // The kind tells a retry policy whether resending is safe.
            Err(err) => {
                eprintln!("{method} {uri} failed ({:?}, retry-safe: {}): {err}", err.kind(), err.is_retry_safe())
            }
        }
        result
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = match std::env::args().nth(1) {
        Some(url) => url,
        None => local_echo_server().await?,
    };

    let hyper =
        HyperClient::builder().connect_timeout(Duration::from_secs(5)).timeout(Duration::from_secs(30)).build()?;
    // What the SDK receives: an `Arc<dyn HttpClient>`.
    let client: Arc<dyn HttpClient> =
        Arc::new(Tagging { inner: hyper, tag: HeaderValue::from_static("custom-transport-example") });

    let request = http::Request::get(url.as_str()).body(Body::empty())?;
    let response = client.send(request).await?;
    let status = response.status();
    // Bounded read: never buffer more than 64 KiB of an unknown body.
    let body = response.into_body().collect_truncated(64 * 1024).await?;
    println!("{status}: {}", String::from_utf8_lossy(&body));
    Ok(())
}

/// A one-connection loopback server answering with the request's
/// `x-request-source` header, so the example runs offline.
async fn local_echo_server() -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        let mut buf = vec![0u8; 8192];
        let mut len = 0;
        // Read until the end of the request head (GET has no body).
        while !buf[..len].windows(4).any(|w| w == b"\r\n\r\n") && len < buf.len() {
            match stream.read(&mut buf[len..]).await {
                Ok(0) | Err(_) => return,
                Ok(n) => len += n,
            }
        }
        let head = String::from_utf8_lossy(&buf[..len]).to_ascii_lowercase();
        let tag = head
            .lines()
            .find_map(|line| line.strip_prefix("x-request-source: "))
            .unwrap_or("<missing>")
            .trim()
            .to_owned();
        let reply = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{tag}", tag.len());
        let _ = stream.write_all(reply.as_bytes()).await;
    });
    Ok(format!("http://{addr}/"))
}
