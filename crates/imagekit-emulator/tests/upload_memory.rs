//! The emulator binary takes a large upload in bounded memory: the body is
//! spooled to disk and the file streamed into its blob, so the server's peak
//! resident memory (VmHWM) grows by far less than the file. Linux only
//! (/proc/<pid>/status).
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

mod common;
use common::Emu;

const PRIVATE: &str = "private_upload_memory";
const BOUNDARY: &str = "upload-memory-boundary";
const MIB: usize = 1024 * 1024;
/// The upload: big enough that buffering it would show, small enough for CI.
const FILE_SIZE: usize = 64 * MIB;
/// How much the peak may grow over the one after a small upload.
const BOUND: usize = 32 * MIB;

impl Emu {
    /// A /proc/<pid>/status value in bytes (VmHWM, VmRSS).
    fn status_bytes(&self, key: &str) -> usize {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap_or_else(|| panic!("no {key}"));
        let kib: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kib * 1024
    }

    /// Upload `size` bytes from `fill` (called chunk by chunk, so the test
    /// itself does not hold the file), streamed over one connection.
    fn upload(&self, name: &str, size: usize, seed: u64) -> (u16, Value) {
        let head = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n{name}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"useUniqueFileName\"\r\n\r\nfalse\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        );
        let tail = format!("\r\n--{BOUNDARY}--\r\n");
        let mut s = TcpStream::connect(&self.host).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{PRIVATE}:"));
        let request = format!(
            "POST /api/v1/files/upload HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Basic {auth}\r\n\
             Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n{head}",
            self.host,
            head.len() + size + tail.len()
        );
        s.write_all(request.as_bytes()).unwrap();
        let mut chunks = Chunks::new(seed, size);
        while let Some(chunk) = chunks.next_chunk() {
            s.write_all(chunk).unwrap();
        }
        s.write_all(tail.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
        let head = String::from_utf8_lossy(&out[..split]).into_owned();
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head}"));
        (status, serde_json::from_slice(&out[split + 4..]).unwrap_or(Value::Null))
    }
}

/// Pseudo-random content, 1 MiB at a time, reproducible from its seed.
struct Chunks {
    rng: fastrand::Rng,
    left: usize,
    buf: Vec<u8>,
}

impl Chunks {
    fn new(seed: u64, size: usize) -> Chunks {
        Chunks { rng: fastrand::Rng::with_seed(seed), left: size, buf: vec![0; MIB] }
    }

    fn next_chunk(&mut self) -> Option<&[u8]> {
        if self.left == 0 {
            return None;
        }
        let n = self.left.min(MIB);
        self.rng.fill(&mut self.buf[..n]);
        self.left -= n;
        Some(&self.buf[..n])
    }
}

#[test]
fn a_64_mib_upload_grows_the_servers_peak_memory_by_under_32_mib() {
    let dir = std::env::temp_dir().join(format!("ik-emu-mem-{}-{}", std::process::id(), fastrand::u64(..)));
    let emu = Emu::start(&dir, PRIVATE);
    // A small upload first, so the baseline includes what any upload allocates once.
    let (status, body) = emu.upload("small.bin", 64 * 1024, 1);
    assert_eq!(status, 200, "{body}");
    let baseline = emu.status_bytes("VmHWM");

    let (status, body) = emu.upload("big.bin", FILE_SIZE, 2);
    let peak = emu.status_bytes("VmHWM");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["size"], FILE_SIZE as u64, "{body}");
    let grown = peak.saturating_sub(baseline);
    assert!(
        grown <= BOUND,
        "a {} MiB upload raised the peak RSS from {} to {} MiB (+{} MiB, bound {} MiB)",
        FILE_SIZE / MIB,
        baseline / MIB,
        peak / MIB,
        grown / MIB,
        BOUND / MIB
    );

    // The blob holds exactly the bytes sent, and no temporary file is left.
    let blobs = dir.join("blobs");
    let entries: Vec<_> = std::fs::read_dir(&blobs).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(entries.iter().all(|p| !p.to_string_lossy().ends_with(".tmp")), "{entries:?}");
    let big = entries.iter().find(|p| p.metadata().unwrap().len() == FILE_SIZE as u64).expect("the big blob");
    let mut stored = std::fs::File::open(big).unwrap();
    let mut chunks = Chunks::new(2, FILE_SIZE);
    let mut read = vec![0; MIB];
    while let Some(expected) = chunks.next_chunk() {
        stored.read_exact(&mut read[..expected.len()]).unwrap();
        assert!(read[..expected.len()] == *expected, "the stored blob differs from the upload");
    }
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}
