//! The harness the `hostile_*` tests share: a misbehaving server on 127.0.0.1 (raw
//! TCP, so it can break HTTP's rules on purpose), a transport that counts what the SDK
//! reads, and one lock so tests take turns. One test measures the process's peak
//! memory, and all log into one global TRACE subscriber, installed before any SDK call
//! so no callsite is registered without it.

// Each test file uses part of the harness.
#![allow(dead_code)]

use std::future::{Future, IntoFuture};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use imagekit::Client;
use imagekit_transport::{Body, HttpClient, HyperClient, Request, Response, TransportError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const KEY: &str = "private_hostile_test_key";
pub const MIB: usize = 1024 * 1024;

pub static SERIAL: Mutex<()> = Mutex::new(());
pub static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Everything every test logs, at TRACE, from every crate.
#[derive(Clone, Copy)]
pub struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Run one test: alone, with the TRACE subscriber, on a fresh runtime.
pub fn run<F: Future>(test: F) -> F::Output {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    static TRACING: Once = Once::new();
    TRACING.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(|| Capture)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(test)
}

/// Start measuring the peak afresh (Linux: `5` resets `VmHWM` to the current
/// RSS), so an earlier test's peak cannot hide this one's.
pub fn reset_peak_rss() {
    // Where the reset is not allowed the peak is only ever higher: the test
    // measures less growth, never more.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of this process, in bytes (Linux).
pub fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// What the server does with one request.
#[derive(Clone)]
pub enum Reply {
    /// A complete response with `Content-Length`.
    Full { status: u16, headers: Vec<(&'static str, String)>, body: Vec<u8> },
    /// Headers, then 16 KiB chunks of a chunked body until the client hangs up.
    Endless { status: u16 },
    /// 200 announcing `Content-Length: len`, then silence until the client hangs up.
    Announce(u64),
    /// Read the request, never answer.
    Hang,
}

pub fn json(status: u16, body: &serde_json::Value) -> Reply {
    Reply::Full {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: serde_json::to_vec(body).unwrap(),
    }
}

pub const CHUNK: usize = 16 * 1024;

/// A loopback server answering each request (one per connection) as the
/// script says for the n-th request and its request line.
pub struct Server {
    pub addr: std::net::SocketAddr,
    pub requests: Arc<Mutex<Vec<String>>>,
    /// Body bytes written by `Endless` replies before the client hung up.
    pub sent: Arc<AtomicU64>,
    /// `Endless` and `Announce` connections the client has hung up on.
    pub hung_up: Arc<AtomicUsize>,
}

impl Server {
    pub async fn start(script: impl Fn(usize, &str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Server { addr, requests: Arc::default(), sent: Arc::default(), hung_up: Arc::default() };
        let (requests, sent, hung_up) = (server.requests.clone(), server.sent.clone(), server.hung_up.clone());
        let script = Arc::new(script);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (script, requests, sent, hung_up) =
                    (script.clone(), requests.clone(), sent.clone(), hung_up.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &*script, &requests, &sent, &hung_up).await;
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

pub async fn serve(
    mut stream: TcpStream,
    script: &(dyn Fn(usize, &str) -> Reply + Send + Sync),
    requests: &Mutex<Vec<String>>,
    sent: &AtomicU64,
    hung_up: &AtomicUsize,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    let index = {
        let mut all = requests.lock().unwrap();
        all.push(line.clone());
        all.len() - 1
    };
    match script(index, &line) {
        Reply::Full { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await?;
        }
        Reply::Endless { status } => {
            let head =
                format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', CHUNK));
            chunk.extend_from_slice(b"\r\n");
            while stream.write_all(&chunk).await.is_ok() {
                sent.fetch_add(CHUNK as u64, Ordering::SeqCst);
            }
            hung_up.fetch_add(1, Ordering::SeqCst);
        }
        Reply::Announce(len) => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            // Silence: a client that waits for the body waits until its timeout.
            while matches!(tokio::time::timeout(Duration::from_secs(120), stream.read(&mut buf)).await, Ok(Ok(n)) if n > 0)
            {
            }
            hung_up.fetch_add(1, Ordering::SeqCst);
        }
        Reply::Hang => while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {},
    }
    Ok(())
}

/// The default transport, counting the response body bytes the SDK pulls.
#[derive(Clone)]
pub struct Counting {
    pub inner: Arc<HyperClient>,
    pub read: Arc<AtomicU64>,
    pub largest_chunk: Arc<AtomicU64>,
}

impl Counting {
    pub fn new() -> Counting {
        Counting { inner: Arc::new(HyperClient::new().unwrap()), read: Arc::default(), largest_chunk: Arc::default() }
    }
    pub fn read(&self) -> u64 {
        self.read.load(Ordering::SeqCst)
    }
}

#[imagekit_transport::async_trait]
impl HttpClient for Counting {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let (parts, body) = self.inner.send(request).await?.into_parts();
        let (read, largest) = (self.read.clone(), self.largest_chunk.clone());
        // The length stays in the headers only: the SDK must act on them.
        let counted = body.into_data_stream().inspect_ok(move |chunk| {
            read.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            largest.fetch_max(chunk.len() as u64, Ordering::SeqCst);
        });
        Ok(Response::from_parts(parts, Body::from_stream(counted, None)))
    }
}

pub fn client_on(server: &Server, transport: &Counting) -> imagekit::ClientBuilder {
    Client::builder().private_key(KEY).base_url(server.url()).http_client(transport.clone())
}

/// `future`'s output, or a failure (not a hang) if a regression lets it run on.
pub async fn within<F: IntoFuture>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), future.into_future()).await.expect("ended within 60 s")
}

/// After this many requests the paging servers end the listing, so a pager
/// that does not stop itself fails its test instead of running forever.
pub const SERVER_PAGES: usize = 50;

/// Wait (up to 30 s) until `cond` holds.
pub async fn eventually(what: &str, cond: impl Fn() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < Duration::from_secs(30), "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn file(n: u64) -> serde_json::Value {
    serde_json::json!({"type": "file", "fileId": format!("f{n}"), "name": format!("n{n}.jpg"), "filePath": format!("/n{n}.jpg")})
}

/// The value of `name` in a request line's query.
pub fn param(line: &str, name: &str) -> Option<u64> {
    let query = line.split_whitespace().nth(1)?.split_once('?')?.1;
    query.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}
