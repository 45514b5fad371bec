//! The emulator binary with its `--data-dir` on a small tmpfs, filled up: the
//! upload that does not fit gets ImageKit's error with a 5xx, leaves no partial
//! blob, earlier files still list and download, a DELETE frees space for a new
//! upload without a restart, and everything is whole after a kill and restart.
//! Needs root (to mount); without it the test says `SKIPPED` on stderr.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

mod common;
use common::Emu;

const PRIVATE: &str = "private_full_disk";
const BOUNDARY: &str = "full-disk-boundary";
/// Each upload's size; the tmpfs holds eight of them, less the database.
const FILE_SIZE: usize = 1024 * 1024;

/// A tmpfs mounted for the test; unmounted (and its mount point removed) on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let dir = std::env::temp_dir().join(format!("ik-emu-full-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("run mount: {e}"));
        match out {
            Ok(out) if out.status.success() => Ok(Tmpfs(dir)),
            Ok(out) => {
                let _ = std::fs::remove_dir(&dir);
                Err(format!("mount -t tmpfs failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()))
            }
            Err(e) => {
                let _ = std::fs::remove_dir(&dir);
                Err(e)
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        match Command::new("umount").arg(&self.0).status() {
            Ok(s) if s.success() => {
                let _ = std::fs::remove_dir(&self.0);
            }
            other => eprintln!("could not unmount {}: {other:?}", self.0.display()),
        }
    }
}

impl Emu {
    /// One request on its own connection: the status and the body.
    fn call(&self, method: &str, path: &str, content_type: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(&self.host).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{PRIVATE}:"));
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Basic {auth}\r\n\
             Content-Length: {}\r\n",
            self.host,
            body.len()
        );
        if let Some(ct) = content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
        let head = String::from_utf8_lossy(&out[..split]).into_owned();
        assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head}"));
        (status, out[split + 4..].to_vec())
    }

    fn upload(&self, name: &str, data: &[u8]) -> (u16, Value) {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n{name}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"useUniqueFileName\"\r\n\r\nfalse\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={BOUNDARY}");
        let (status, body) = self.call("POST", "/api/v1/files/upload", Some(&ct), &body);
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// The names in the library, sorted.
    fn names(&self) -> Vec<String> {
        let (status, body) = self.call("GET", "/v1/files", None, b"");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let list: Value = serde_json::from_slice(&body).unwrap();
        let mut names: Vec<String> =
            list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect();
        names.sort();
        names
    }

    /// Download an uploaded file through its delivery URL.
    fn download(&self, uploaded: &Value) -> Vec<u8> {
        let url = uploaded["url"].as_str().unwrap();
        // The path only: after a restart the port differs from the upload's.
        let rest = url.strip_prefix("http://").unwrap();
        let path = &rest[rest.find('/').unwrap()..];
        let (status, body) = self.call("GET", path, None, b"");
        assert_eq!(status, 200, "{url}");
        body
    }
}

fn random_file() -> Vec<u8> {
    std::iter::repeat_with(|| fastrand::u8(..)).take(FILE_SIZE).collect()
}

/// The names in the blob directory.
fn blob_files(data_dir: &Path) -> Vec<(String, u64)> {
    std::fs::read_dir(data_dir.join("blobs"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().len())
        })
        .collect()
}

#[test]
fn a_full_disk_refuses_the_upload_cleanly_and_the_store_recovers_without_a_restart() {
    let tmpfs = match Tmpfs::mount("8m") {
        Ok(t) => t,
        Err(reason) => {
            eprintln!("SKIPPED: {reason} (this test needs root to mount a tmpfs)");
            return;
        }
    };
    let data_dir = tmpfs.0.join("data");
    let emu = Emu::start(&data_dir, PRIVATE);

    // Fill the disk.
    let mut stored: Vec<(String, Vec<u8>, Value)> = Vec::new();
    let refused = loop {
        assert!(stored.len() < 16, "16 MiB fitted on an 8 MiB tmpfs");
        let name = format!("f{}.bin", stored.len());
        let data = random_file();
        let (status, body) = emu.upload(&name, &data);
        if status != 200 {
            break (status, body);
        }
        stored.push((name, data, body));
    };
    let (status, body) = refused;
    eprintln!("{} uploads of 1 MiB fitted; the next got {status}: {body}", stored.len());
    assert!(stored.len() >= 3, "only {} uploads fitted", stored.len());
    // The blob write is what fails in practice (507); should the database
    // commit run out of space first, the write is undone with a 500.
    let message = body["message"].as_str().unwrap_or_default();
    match status {
        507 => assert!(message.contains("full"), "{body}"),
        500 => assert!(message.starts_with("storage error"), "{body}"),
        _ => panic!("the upload that does not fit got {status}: {body}"),
    }
    assert!(body["help"].is_string(), "{body}");

    // No partial blob: exactly the stored files, each whole.
    let blobs = blob_files(&data_dir);
    assert_eq!(blobs.len(), stored.len(), "{blobs:?}");
    assert!(blobs.iter().all(|(name, len)| !name.ends_with(".tmp") && *len == FILE_SIZE as u64), "{blobs:?}");

    // Earlier files still list and download.
    let mut names: Vec<String> = stored.iter().map(|(n, ..)| n.clone()).collect();
    names.sort();
    assert_eq!(emu.names(), names);
    for (name, data, uploaded) in &stored {
        assert!(emu.download(uploaded) == *data, "{name} came back different");
    }

    // A DELETE frees space; a new upload then fits, without a restart.
    let (first, _, first_uploaded) = stored.remove(0);
    let path = format!("/v1/files/{}", first_uploaded["fileId"].as_str().unwrap());
    let (status, body) = emu.call("DELETE", &path, None, b"");
    assert_eq!(status, 204, "{}", String::from_utf8_lossy(&body));
    let data = random_file();
    let (status, body) = emu.upload("after-delete.bin", &data);
    assert_eq!(status, 200, "{body}");
    stored.push(("after-delete.bin".into(), data, body));
    let names = emu.names();
    assert!(!names.contains(&first) && names.contains(&"after-delete.bin".to_owned()), "{names:?}");

    // Killed (as a crash would) and restarted: every stored file is there and whole.
    drop(emu);
    let emu = Emu::start(&data_dir, PRIVATE);
    let mut expected: Vec<String> = stored.iter().map(|(n, ..)| n.clone()).collect();
    expected.sort();
    assert_eq!(emu.names(), expected);
    for (name, data, uploaded) in &stored {
        assert!(emu.download(uploaded) == *data, "{name} came back different after a restart");
    }
    assert_eq!(blob_files(&data_dir).len(), stored.len());
    drop(emu);
    drop(tmpfs);
}
