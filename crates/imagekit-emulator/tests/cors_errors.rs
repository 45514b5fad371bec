//! Answers made before routing (body too large, body stalled, injected 500 and
//! 429) still carry `Access-Control-Allow-Origin` on the upload endpoints
//! (service-facts §3: every upload response, errors included), and only there.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use imagekit_emulator::{Emulator, Faults};

/// The upload paths, with and without one trailing slash.
const UPLOAD_PATHS: [&str; 4] =
    ["/api/v1/files/upload", "/api/v1/files/upload/", "/api/v2/files/upload", "/api/v2/files/upload/"];

/// Send `head` (the request line and headers, without the blank line) and
/// `body`, then read the answer until the server closes or 10 s pass.
fn exchange(addr: SocketAddr, head: String, body: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(format!("{head}\r\n\r\n").as_bytes()).unwrap();
    s.write_all(body).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The status code and the lower-cased head of an answer, and its body.
fn parse(text: &str) -> (u16, String, serde_json::Value) {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head in {text:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head:?}"));
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("body {body:?}: {e}"));
    (status, head.to_ascii_lowercase(), body)
}

/// The answer is ImageKit's error with `status`, and carries ACAO iff `cors`.
fn check(text: &str, status: u16, cors: bool, what: &str) {
    let (got, head, body) = parse(text);
    assert_eq!(got, status, "{what}: {text:?}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
    assert!(body["help"].is_string(), "{what}: {body}");
    assert_eq!(head.contains("\r\naccess-control-allow-origin: *"), cors, "{what}: {head}");
}

/// Run blocking socket code off the runtime's threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_large_body_413_carries_cors_on_upload_paths_only() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.addr();
    blocking(move || {
        let head = |path: &str| {
            format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 2147483648")
        };
        for path in UPLOAD_PATHS {
            check(&exchange(addr, head(path), b""), 413, true, path);
        }
        // The private-key API gets no CORS, even on its errors.
        check(&exchange(addr, head("/v1/files"), b""), 413, false, "/v1/files");
        check(&exchange(addr, head("/api/v1/files/upload//"), b""), 413, false, "two slashes");
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_body_408_carries_cors_on_upload_paths_only() {
    let emu = Emulator::builder().body_idle_timeout(Duration::from_millis(200)).start().await.unwrap();
    let addr = emu.addr();
    blocking(move || {
        // Ten bytes of a hundred announced, then nothing.
        let head = |path: &str| format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100");
        for path in UPLOAD_PATHS {
            check(&exchange(addr, head(path), b"0123456789"), 408, true, path);
        }
        check(&exchange(addr, head("/v1/files/addTags"), b"0123456789"), 408, false, "/v1/files/addTags");
    })
    .await;
    emu.shutdown().await;
}

fn post(path: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_500_carries_cors_on_upload_paths_only() {
    let faults = Faults { fail_rate: 1.0, ..Faults::default() };
    let emu = Emulator::builder().faults(faults).start().await.unwrap();
    let addr = emu.addr();
    blocking(move || {
        for path in UPLOAD_PATHS {
            check(&exchange(addr, post(path), b"{}"), 500, true, path);
        }
        check(&exchange(addr, post("/v1/files/addTags"), b"{}"), 500, false, "/v1/files/addTags");
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_429_carries_cors_on_upload_paths_only() {
    // A limit of zero refuses every request: no window boundary to race.
    let faults = Faults { rate_limit: Some(0), ..Faults::default() };
    let emu = Emulator::builder().faults(faults).start().await.unwrap();
    let addr = emu.addr();
    blocking(move || {
        for path in UPLOAD_PATHS {
            let text = exchange(addr, post(path), b"{}");
            check(&text, 429, true, path);
            assert!(text.to_ascii_lowercase().contains("\r\nx-ratelimit-limit: 0"), "{text:?}");
        }
        check(&exchange(addr, post("/v1/files/addTags"), b"{}"), 429, false, "/v1/files/addTags");
    })
    .await;
    emu.shutdown().await;
}
