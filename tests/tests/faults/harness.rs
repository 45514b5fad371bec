//! The scripted HTTP/1.1 server the fault tests drive the SDK against: raw
//! bytes on a `TcpListener`, one scripted act per connection, every request
//! logged with its arrival time.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use imagekit::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Slack added to the upper bound of every measured delay: CI runs this suite
/// on two cores in debug, with other tests in parallel.
pub(crate) const SLACK: Duration = Duration::from_millis(250);

/// The backoff bounds of the first and second retry (spec §1.5).
pub(crate) const FIRST_BACKOFF: (Duration, Duration) = (Duration::from_millis(375), Duration::from_millis(500));
pub(crate) const SECOND_BACKOFF: (Duration, Duration) = (Duration::from_millis(750), Duration::from_millis(1000));

/// What the server does with one connection, after reading one request.
pub(crate) enum Act {
    /// Write these bytes, then close gracefully.
    Write(Vec<u8>),
    /// Reset the connection (RST) before writing anything.
    ResetBeforeHead,
    /// Write these bytes, give the client time to read them, then reset.
    WriteThenReset(Vec<u8>),
    /// Write these bytes, then hold the connection open without a word.
    WriteThenStall(Vec<u8>),
    /// Write a keep-alive response, then close the idle connection after a while.
    WriteThenIdleClose(Vec<u8>, Duration),
    /// Write a response head, then `len` body bytes of `x`, then close.
    Large { head: Vec<u8>, len: usize },
}

/// One request as the server read it.
pub(crate) struct Seen {
    pub(crate) at: Instant,
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    pub(crate) seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub(crate) async fn start(script: Vec<Act>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, script)
    }

    pub(crate) fn serve(listener: TcpListener, script: Vec<Act>) -> Server {
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (log, script) = (log.clone(), script.clone());
                tokio::spawn(async move { handle(stream, log, script).await });
            }
        });
        Server { addr, seen }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The time between consecutive requests.
    pub(crate) fn gaps(&self) -> Vec<Duration> {
        let seen = self.seen.lock().unwrap();
        seen.windows(2).map(|w| w[1].at - w[0].at).collect()
    }

    pub(crate) fn bodies(&self) -> Vec<(String, Vec<u8>)> {
        self.seen.lock().unwrap().iter().map(|s| (s.head.clone(), s.body.clone())).collect()
    }
}

pub(crate) async fn handle(mut stream: TcpStream, log: Arc<Mutex<Vec<Seen>>>, script: Arc<Mutex<VecDeque<Act>>>) {
    let Some((head, body)) = read_request(&mut stream).await else { return };
    log.lock().unwrap().push(Seen { at: Instant::now(), head, body });
    let act = script.lock().unwrap().pop_front();
    let act = act.unwrap_or_else(|| Act::Write(response(599, &[], b"script exhausted")));
    match act {
        Act::Write(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Act::ResetBeforeHead => reset(stream),
        Act::WriteThenReset(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            reset(stream);
        }
        Act::WriteThenIdleClose(bytes, idle) => {
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(idle).await;
            let _ = stream.shutdown().await;
        }
        Act::WriteThenStall(bytes) => {
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Act::Large { head, len } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            while sent < len {
                let n = chunk.len().min(len - sent);
                if stream.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                sent += n;
            }
            let _ = stream.shutdown().await;
        }
    }
}

pub(crate) fn reset(stream: TcpStream) {
    stream.set_zero_linger().unwrap();
    drop(stream);
}

/// Read one request: the head up to the blank line, then `Content-Length`
/// bytes (or a chunked body up to its last chunk). `None` if the client closed.
pub(crate) async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let end = loop {
        if let Some(p) = find(&buf, b"\r\n\r\n") {
            break p + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut body = buf[end..].to_vec();
    let lower = head.to_ascii_lowercase();
    let length =
        lower.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = lower.contains("transfer-encoding: chunked");
    loop {
        let done = match length {
            Some(len) => body.len() >= len,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => true,
        };
        if done {
            return Some((head, body));
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return Some((head, body));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A complete response that closes the connection.
pub(crate) fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = head(status, headers, body.len());
    out.extend_from_slice(body);
    out
}

/// A response head announcing `len` body bytes, with `Connection: close`.
pub(crate) fn head(status: u16, headers: &[(&str, &str)], len: usize) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Scripted\r\nContent-Length: {len}\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

pub(crate) const FILE_JSON: &[u8] = br#"{"fileId":"f1","name":"a.jpg"}"#;

pub(crate) fn ok() -> Act {
    Act::Write(response(200, &[("Content-Type", "application/json")], FILE_JSON))
}

/// A JSON error response `{"message":"scripted"}` with extra headers.
pub(crate) fn status(code: u16, headers: &[(&str, &str)]) -> Act {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    Act::Write(response(code, &all, br#"{"message":"scripted"}"#))
}

pub(crate) fn client(server: &Server, timeout: Duration) -> Client {
    Client::builder().private_key("k").base_url(server.url()).timeout(timeout).build().unwrap()
}

/// Run a test body with a hard bound: a hang is a failure, not a stuck CI job.
pub(crate) async fn bounded<F: std::future::Future<Output = ()>>(secs: u64, body: F) {
    tokio::time::timeout(Duration::from_secs(secs), body).await.expect("the scenario hung");
}

pub(crate) fn assert_between(what: &str, d: Duration, lo: Duration, hi: Duration) {
    assert!(d >= lo && d <= hi + SLACK, "{what}: {d:?} not in [{lo:?}, {hi:?} + {SLACK:?}]");
    eprintln!("{what}: {:.0} ms", d.as_secs_f64() * 1000.0);
}

pub(crate) fn transport(err: &Error) -> &imagekit_transport::TransportError {
    match err {
        Error::Connection(e) => e,
        other => panic!("expected Error::Connection, got {other:?}"),
    }
}
