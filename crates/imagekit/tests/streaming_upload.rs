//! A 256 MiB file on disk uploaded through the real `HyperClient` to a loopback
//! server: the file is streamed (peak memory grows by far less than its size),
//! `Content-Length` is announced, and every byte arrives intact.
//!
//! Alone in its own test binary so that the process's peak memory belongs to
//! this test only.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use imagekit::types::UploadParams;
use imagekit::{Client, UploadFile};

const SIZE: u64 = 256 * 1024 * 1024;

fn pattern(i: u64) -> u8 {
    (i % 251) as u8
}

/// Peak resident memory of this process, in bytes (Linux).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// What the server saw.
#[derive(Default)]
struct Seen {
    bytes: AtomicU64,
    content_length: AtomicU64,
    file_bytes_ok: AtomicU64,
}

async fn serve(req: hyper::Request<Incoming>, seen: Arc<Seen>) -> Result<hyper::Response<String>, hyper::Error> {
    let len = req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    seen.content_length.store(len.unwrap_or(0), Ordering::SeqCst);
    let mut body = req.into_body();
    // Check the file part as it streams by: after the first blank line comes
    // the file, byte i equal to pattern(i).
    let mut header = Vec::new();
    let mut in_file: Option<u64> = None;
    let mut good = 0u64;
    while let Some(frame) = body.frame().await {
        let frame = frame?;
        let Some(data) = frame.data_ref() else { continue };
        seen.bytes.fetch_add(data.len() as u64, Ordering::SeqCst);
        let mut rest: &[u8] = data;
        if in_file.is_none() {
            header.extend_from_slice(rest);
            if let Some(p) = header.windows(4).position(|w| w == b"\r\n\r\n") {
                let already = header.len() - data.len();
                rest = &data[p + 4 - already..];
                in_file = Some(0);
            } else {
                continue;
            }
        }
        let pos = in_file.as_mut().unwrap();
        for &b in rest {
            if *pos < SIZE && b == pattern(*pos) {
                good += 1;
            }
            *pos += 1;
        }
    }
    seen.file_bytes_ok.store(good, Ordering::SeqCst);
    Ok(hyper::Response::new(r#"{"fileId":"big","name":"big.bin"}"#.to_owned()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_file_streams_from_disk() {
    // The file: 256 MiB of a known pattern, written in 1 MiB pieces.
    let dir = std::env::temp_dir().join(format!("imagekit-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.bin");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let block: Vec<u8> = (0..251 * 4096).map(pattern).collect();
        let mut written = 0u64;
        while written < SIZE {
            let n = (SIZE - written).min(block.len() as u64) as usize;
            f.write_all(&block[..n]).unwrap();
            written += n as u64;
        }
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let server_seen = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let seen = server_seen.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req| serve(req, seen.clone()));
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), svc).await;
            });
        }
    });

    let client =
        Client::builder().private_key("private_stream_test").base_url(format!("http://{addr}")).build().unwrap();
    let before = peak_rss();
    let uploaded = client
        .files()
        .upload(UploadFile::path(&path), UploadParams::new("big.bin").use_unique_file_name(false))
        .await
        .unwrap();
    let growth = peak_rss().saturating_sub(before);
    std::fs::remove_dir_all(&dir).ok();

    assert_eq!(uploaded.file_id.as_deref(), Some("big"));
    let received = seen.bytes.load(Ordering::SeqCst);
    assert!(received > SIZE, "the whole form arrived: {received}");
    assert_eq!(seen.content_length.load(Ordering::SeqCst), received, "Content-Length announced up front");
    assert_eq!(seen.file_bytes_ok.load(Ordering::SeqCst), SIZE, "every file byte arrived intact");
    eprintln!("peak memory growth while uploading 256 MiB: {} KiB", growth / 1024);
    assert!(growth < 32 * 1024 * 1024, "peak memory grew by {growth} bytes");
}
