//! `HyperClient` against real servers on 127.0.0.1, started by each test:
//! what is specific to it (TLS, HTTP/2, pooling, its timeouts, lazy 64 MiB
//! uploads). What every transport must do (streaming both ways, connect,
//! timeout, reset and hang-up errors) is in the conformance suite,
//! `tests/conformance.rs`, which runs for `HyperClient` too.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use imagekit_transport::{Body, HttpClient, HyperClient, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type ServerResponse = http::Response<Full<Bytes>>;

struct Server {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// A hyper HTTP/1.1 server counting accepted connections. Its tasks end with
/// the test's runtime.
fn serve<F, Fut>(listener: TcpListener, handler: F) -> Server
where
    F: Fn(http::Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ServerResponse> + Send + 'static,
{
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

async fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind loopback")
}

fn client() -> HyperClient {
    HyperClient::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

fn get(url: &str) -> http::Request<Body> {
    http::Request::get(url).body(Body::empty()).expect("valid request")
}

/// Reads one request head from a raw socket (enough for bodiless requests).
async fn read_head(stream: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A raw TCP server running `script` on each accepted connection.
async fn raw_server<F, Fut>(script: F) -> SocketAddr
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

#[tokio::test]
async fn get_returns_status_headers_and_streamed_body() {
    let server = serve(listener().await, |req: http::Request<Incoming>| async move {
        let text = format!("{} {}", req.method(), req.uri().path());
        http::Response::builder()
            .status(203)
            .header("x-echo", "yes")
            .body(Full::new(Bytes::from(text)))
            .expect("valid response")
    });
    let response = client().send(get(&server.url("/v1/files?limit=2"))).await.expect("response");
    assert_eq!(response.status(), 203);
    assert_eq!(response.headers()["x-echo"], "yes");
    assert!(!response.body().is_replayable(), "response bodies stream");
    assert_eq!(response.into_body().collect().await.expect("body"), "GET /v1/files");
}

#[tokio::test]
async fn post_json_body_arrives_intact_with_content_length() {
    let server = serve(listener().await, |req: http::Request<Incoming>| async move {
        let length = req.headers().get("content-length").cloned();
        let content_type = req.headers().get("content-type").cloned();
        let body = req.into_body().collect().await.expect("request body").to_bytes();
        let summary = format!("{:?}|{:?}|{}", length, content_type, String::from_utf8_lossy(&body));
        http::Response::new(Full::new(Bytes::from(summary)))
    });
    let json = r#"{"fileName":"a.jpg","tags":["x","y"]}"#;
    let request = http::Request::post(server.url("/upload"))
        .header("content-type", "application/json")
        .body(Body::from(json))
        .expect("valid request");
    let response = client().send(request).await.expect("response");
    assert_eq!(response.status(), 200);
    let echoed = response.into_body().collect().await.expect("body");
    assert_eq!(echoed, format!(r#"Some("{}")|Some("application/json")|{json}"#, json.len()));
}

#[tokio::test]
async fn streamed_64_mib_upload_is_pulled_lazily() {
    const CHUNK: usize = 256 * 1024;
    const CHUNKS: usize = 256;
    const TOTAL: u64 = (CHUNK * CHUNKS) as u64; // 64 MiB

    // A small server receive buffer (which also stops kernel autotuning)
    // keeps in-flight bytes small, so a lazy producer must stay close to
    // what the server has consumed.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(64 * 1024).expect("rcvbuf");
    socket.bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
    let received = Arc::new(AtomicU64::new(0));
    let server_received = Arc::clone(&received);
    let server = serve(socket.listen(16).expect("listen"), move |req: http::Request<Incoming>| {
        let received = Arc::clone(&server_received);
        async move {
            let mut body = req.into_body();
            let mut offset = 0u64;
            let mut in_order = true;
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else { break };
                if let Ok(data) = frame.into_data() {
                    // Each chunk is filled with its index: check both ends.
                    let first = (offset / CHUNK as u64) as u8;
                    let last = ((offset + data.len() as u64 - 1) / CHUNK as u64) as u8;
                    in_order &= data.first() == Some(&first) && data.last() == Some(&last);
                    offset += data.len() as u64;
                    received.store(offset, Ordering::SeqCst);
                }
            }
            http::Response::new(Full::new(Bytes::from(format!("{offset} {in_order}"))))
        }
    });

    let produced = Arc::new(AtomicUsize::new(0));
    let max_lead = Arc::new(AtomicU64::new(0));
    let (p, lead, seen) = (Arc::clone(&produced), Arc::clone(&max_lead), Arc::clone(&received));
    let chunks = stream::iter(0..CHUNKS).map(move |i| {
        p.fetch_add(1, Ordering::SeqCst);
        // Bytes handed out before this chunk that the server has not yet read.
        let ahead = (i * CHUNK) as u64 - seen.load(Ordering::SeqCst);
        lead.fetch_max(ahead, Ordering::SeqCst);
        Ok::<_, Infallible>(Bytes::from(vec![i as u8; CHUNK]))
    });
    let request =
        http::Request::put(server.url("/big")).body(Body::from_stream(chunks, Some(TOTAL))).expect("valid request");

    let started = Instant::now();
    let response = client().send(request).await.expect("upload");
    let reply = response.into_body().collect().await.expect("reply");
    assert_eq!(reply, format!("{TOTAL} true"));
    assert_eq!(produced.load(Ordering::SeqCst), CHUNKS);
    let max_lead = max_lead.load(Ordering::SeqCst);
    // An eager transport would have produced all 64 MiB before the server
    // read much; a lazy one stays within socket buffers + a few chunks.
    assert!(max_lead <= 12 * 1024 * 1024, "producer ran {max_lead} bytes ahead of the server");
    eprintln!("64 MiB upload: max lead {max_lead} bytes, {:?}", started.elapsed());
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let server = serve(listener().await, |_req: http::Request<Incoming>| async {
        http::Response::new(Full::new(Bytes::from_static(b"ok")))
    });
    let client = client();
    for _ in 0..5 {
        let response = client.send(get(&server.url("/ping"))).await.expect("response");
        assert_eq!(response.into_body().collect().await.expect("body"), "ok");
    }
    // Clones share the pool too.
    let clone = client.clone();
    clone.send(get(&server.url("/ping"))).await.expect("response");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn timeout_covers_reading_the_body() {
    let addr = raw_server(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789").await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let client = HyperClient::builder().timeout(Duration::from_millis(1000)).build().expect("client");
    let response = client.send(get(&format!("http://{addr}/"))).await.expect("headers arrive");
    assert_eq!(response.status(), 200);
    let err = response.into_body().collect().await.expect_err("body stalls");
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
}

#[tokio::test]
async fn tls_garbage_from_server_is_tls_error() {
    let addr = raw_server(|mut stream| async move {
        let mut hello = [0u8; 512];
        let _ = stream.read(&mut hello).await;
        // Plain HTTP in reply to a ClientHello.
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    })
    .await;
    let err = client().send(get(&format!("https://{addr}/"))).await.expect_err("no TLS");
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err:?}");
    assert!(!err.request_sent());
}

#[tokio::test]
async fn stalled_tls_handshake_hits_connect_timeout() {
    let addr = raw_server(|stream| async move {
        // Accept TCP, never answer the ClientHello.
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let client = HyperClient::builder().connect_timeout(Duration::from_millis(300)).build().expect("client");
    let started = Instant::now();
    let err = client.send(get(&format!("https://{addr}/"))).await.expect_err("stall");
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(!err.request_sent(), "nothing left during the handshake");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn usable_as_arc_dyn_http_client() {
    let server = serve(listener().await, |_req: http::Request<Incoming>| async {
        http::Response::new(Full::new(Bytes::from_static(b"dyn")))
    });
    let client: Arc<dyn HttpClient> = Arc::new(client());
    let response = client.send(get(&server.url("/"))).await.expect("response");
    assert_eq!(response.into_body().collect().await.expect("body"), "dyn");
}

// ---- HTTPS: a rustls server with a test CA (tests/fixtures, valid to 2126) ----

const TEST_CA: &[u8] = include_bytes!("fixtures/test-ca.pem");
const LEAF_CERT: &[u8] = include_bytes!("fixtures/localhost-cert.pem");
const LEAF_KEY: &[u8] = include_bytes!("fixtures/localhost-key.pem");

fn ring() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// An HTTPS server offering h2 and http/1.1 by ALPN, answering with the HTTP
/// version it spoke; counts accepted TCP connections.
async fn tls_server() -> Server {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let cert = CertificateDer::from_pem_slice(LEAF_CERT).expect("leaf cert");
    let key = PrivateKeyDer::from_pem_slice(LEAF_KEY).expect("leaf key");
    let mut config = rustls::ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let listener = listener().await;
    let addr = listener.local_addr().expect("bound");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper::service::service_fn(|req: http::Request<Incoming>| async move {
                    let version = format!("{:?}", req.version());
                    Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from(version))))
                });
                let _ = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    Server { addr, accepted }
}

fn trusting_test_ca() -> rustls::ClientConfig {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(TEST_CA).expect("ca cert")).expect("add ca");
    rustls::ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

#[tokio::test]
async fn https_negotiates_http2_by_alpn_and_multiplexes_one_connection() {
    let server = tls_server().await;
    let client =
        HyperClient::builder().tls_config(trusting_test_ca()).timeout(Duration::from_secs(10)).build().expect("client");
    for _ in 0..3 {
        let url = format!("https://{}/v1/files", server.addr);
        let response = client.send(get(&url)).await.expect("https response");
        assert_eq!(response.version(), http::Version::HTTP_2);
        assert_eq!(response.into_body().collect().await.expect("body"), "HTTP/2.0");
    }
    // Concurrent requests share the one h2 connection too.
    let url = format!("https://{}/", server.addr);
    let (a, b) = tokio::join!(client.send(get(&url)), client.send(get(&url)));
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn https_speaks_http1_when_http2_is_disabled() {
    let server = tls_server().await;
    let client = HyperClient::builder().tls_config(trusting_test_ca()).http2(false).build().expect("client");
    let url = format!("https://{}/", server.addr);
    for _ in 0..2 {
        let response = client.send(get(&url)).await.expect("https response");
        assert_eq!(response.version(), http::Version::HTTP_11);
        assert_eq!(response.into_body().collect().await.expect("body"), "HTTP/1.1");
    }
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1, "keep-alive reuse");
}

#[tokio::test]
async fn untrusted_certificate_is_tls_error() {
    let server = tls_server().await;
    // Default roots (webpki) do not include the test CA.
    let err = client().send(get(&format!("https://{}/", server.addr))).await.expect_err("untrusted");
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err:?}");
    assert!(!err.request_sent());
    assert!(err.is_retry_safe());
}

#[tokio::test]
async fn https_only_refuses_plain_http_without_sending() {
    let server =
        serve(listener().await, |_req: http::Request<Incoming>| async { http::Response::new(Full::new(Bytes::new())) });
    let client = HyperClient::builder().https_only(true).build().expect("client");
    let err = client.send(get(&server.url("/"))).await.expect_err("http refused");
    assert!(!err.request_sent(), "{err:?}");
    assert_eq!(server.accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn huge_timeouts_are_accepted_without_panicking() {
    let server = serve(listener().await, |_req: http::Request<Incoming>| async {
        http::Response::new(Full::new(Bytes::from_static(b"fine")))
    });
    let client = HyperClient::builder()
        .connect_timeout(Duration::MAX)
        .timeout(Duration::MAX)
        .pool_idle_timeout(Duration::MAX)
        .build()
        .expect("client");
    let response = client.send(get(&server.url("/"))).await.expect("response");
    assert_eq!(response.into_body().collect().await.expect("body"), "fine");
}
