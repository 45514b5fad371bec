//! The `imagekit-emulator` binary: startup line, requests, secrecy of the
//! private key, graceful shutdown, flag validation and `--help`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine as _;

const BIN: &str = env!("CARGO_BIN_EXE_imagekit-emulator");
const SECRET: &str = "private_cli_test_s3cr3t_value";

fn command() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("IMAGEKIT_PRIVATE_KEY").env_remove("IMAGEKIT_PUBLIC_KEY").env_remove("RUST_LOG");
    c
}

/// A running emulator process; killed on drop if still running.
struct Running {
    child: Child,
    first_line: String,
    base_url: String,
    rest_of_stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain<R: Read + Send + 'static>(r: R) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(r).read_to_string(&mut s);
        let _ = tx.send(s);
    });
    rx
}

fn spawn(cmd: &mut Command) -> Running {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn the emulator");
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let stderr: ChildStderr = child.stderr.take().unwrap();
    let stderr = drain(stderr);
    // Read the first line on a thread so a hung process fails the test instead of blocking it.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send((line, reader));
    });
    let (first_line, reader) = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(v) => v,
        Err(_) => {
            let _ = child.kill();
            panic!("no startup line within 30 s; stderr: {:?}", stderr.recv_timeout(Duration::from_secs(1)));
        }
    };
    let base_url = first_line
        .strip_prefix("imagekit-emulator listening on ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
        .to_owned();
    let rest_of_stdout = drain(reader);
    Running { child, first_line, base_url, rest_of_stdout, stderr }
}

/// A minimal HTTP/1.1 request; returns the status code and the whole response text.
fn http(base_url: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let host = base_url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    stream.read_to_string(&mut resp).unwrap();
    let status = resp.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, resp)
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[cfg(unix)]
fn terminate(child: &Child) {
    let status = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(status.success());
}

#[cfg(not(unix))]
fn terminate(child: &Child) {
    let _ = child;
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn starts_answers_hides_the_key_and_stops_on_sigterm() {
    let mut emu = spawn(command().args(["--port", "0", "--private-key", SECRET, "--public-key", "public_cli"]));
    let line = emu.first_line.clone();
    assert!(line.starts_with("imagekit-emulator listening on http://127.0.0.1:"), "{line}");
    let port: u16 = emu.base_url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    assert!(line.contains(&format!("url endpoint {}/emulator", emu.base_url)), "{line}");
    assert!(line.contains("public key public_cli"), "{line}");
    assert!(line.contains("private key set by --private-key"), "{line}");
    assert!(!line.contains(SECRET));

    // The API wants the key; delivery of an unknown file is a 404.
    let (status, body) = http(&emu.base_url, "GET", "/v1/files", &[]);
    assert_eq!(status, 401, "{body}");
    let (status, _) = http(&emu.base_url, "GET", "/v1/files", &[("Authorization", "Basic d3Jvbmc6")]);
    assert_eq!(status, 401);
    let (status, body) = http(&emu.base_url, "GET", "/emulator/missing.jpg", &[]);
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("\"message\""), "{body}");

    if cfg!(unix) {
        terminate(&emu.child);
        let status = wait_exit(&mut emu.child, Duration::from_secs(15)).expect("exits after SIGTERM");
        assert!(status.success(), "{status:?}");
        let out = emu.rest_of_stdout.recv_timeout(Duration::from_secs(5)).unwrap();
        let err = emu.stderr.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(out.is_empty(), "exactly one line on stdout, then {out:?}");
        assert!(!err.contains(SECRET), "{err}");
        // One log line per request, then the shutdown.
        assert!(err.contains("/emulator/missing.jpg"), "{err}");
        assert!(err.contains("shutting down"), "{err}");
    }
}

#[test]
fn key_from_the_environment_and_json_logs() {
    let mut emu = spawn(command().args(["--port", "0", "--log-format", "json"]).env("IMAGEKIT_PRIVATE_KEY", SECRET));
    assert!(emu.first_line.contains("private key set by IMAGEKIT_PRIVATE_KEY"), "{}", emu.first_line);
    assert!(!emu.first_line.contains(SECRET));
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{SECRET}:")));
    // With the right key the request passes authentication (whatever the handler answers).
    let (status, body) = http(&emu.base_url, "GET", "/v1/files", &[("Authorization", &auth)]);
    assert_ne!(status, 401, "{body}");
    let (status, _) = http(&emu.base_url, "GET", "/emulator/x.png", &[]);
    assert_eq!(status, 404);
    if cfg!(unix) {
        terminate(&emu.child);
        assert!(wait_exit(&mut emu.child, Duration::from_secs(15)).is_some_and(|s| s.success()));
        let err = emu.stderr.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(!err.contains(SECRET), "{err}");
        let request_line = err
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["fields"]["path"] == "/emulator/x.png")
            .unwrap_or_else(|| panic!("no JSON request log in {err}"));
        assert_eq!(request_line["fields"]["status"], 404);
        assert_eq!(request_line["fields"]["method"], "GET");
        assert!(request_line["fields"]["elapsed_ms"].is_u64());
        assert_eq!(request_line["target"], "imagekit_emulator::request");
    }
}

#[test]
fn fault_flags_take_effect() {
    let emu = spawn(command().args(["--port", "0", "--rate-limit", "1/s", "--fail-rate", "0"]));
    let statuses: Vec<u16> = (0..4).map(|_| http(&emu.base_url, "GET", "/v1/files", &[]).0).collect();
    // The first request in the window gets through (to a 401), later ones get 429.
    assert!(statuses.contains(&429), "{statuses:?}");
    let (_, resp) =
        (0..4).map(|_| http(&emu.base_url, "GET", "/v1/files", &[])).find(|(s, _)| *s == 429).expect("a 429");
    let lower = resp.to_ascii_lowercase();
    assert!(lower.contains("retry-after: 1"), "{resp}");
    assert!(lower.contains("x-ratelimit-limit: 1"), "{resp}");
    assert!(lower.contains("x-ratelimit-interval: 1000"), "{resp}");
    assert!(lower.contains("x-ratelimit-reset: "), "{resp}");
    // Delivery is not rate limited.
    for _ in 0..3 {
        assert_eq!(http(&emu.base_url, "GET", "/emulator/x.png", &[]).0, 404);
    }
    drop(emu);

    let emu = spawn(command().args(["--port", "0", "--fail-rate", "1"]));
    let (status, body) = http(&emu.base_url, "GET", "/v1/files", &[]);
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("Injected failure"), "{body}");
    drop(emu);

    let emu = spawn(command().args(["--port", "0", "--latency-ms", "300"]));
    let started = Instant::now();
    http(&emu.base_url, "GET", "/v1/files", &[]);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn data_dir_is_created_and_imagekit_id_used() {
    let dir = tmp_dir("data").join("nested/store");
    let emu = spawn(command().args(["--port", "0", "--imagekit-id", "myid", "--data-dir"]).arg(&dir));
    assert!(dir.is_dir(), "{} was not created", dir.display());
    assert!(emu.first_line.contains(&format!("url endpoint {}/myid", emu.base_url)), "{}", emu.first_line);
    assert!(emu.first_line.contains("data dir"), "{}", emu.first_line);
    assert_eq!(http(&emu.base_url, "GET", "/myid/missing.png", &[]).0, 404);
    drop(emu);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap().parent().unwrap());
}

#[test]
fn help_lists_every_flag() {
    let out = command().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--host",
        "--port",
        "--private-key",
        "--public-key",
        "--imagekit-id",
        "--data-dir",
        "--fail-rate",
        "--latency-ms",
        "--rate-limit",
        "--log-format",
        "--original-creation-date",
        "--folder-creator-email",
        "--folder-creator-name",
        "IMAGEKIT_PRIVATE_KEY",
        "IMAGEKIT_PUBLIC_KEY",
        "Examples:",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help:\n{help}");
    }
    // A key set in the environment is not echoed by --help.
    let out = command().arg("--help").env("IMAGEKIT_PRIVATE_KEY", SECRET).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET));
}

#[test]
fn bad_flags_exit_non_zero_with_a_message() {
    for (args, needle) in [
        (&["--rate-limit", "abc"][..], "--rate-limit"),
        (&["--rate-limit", "0/s"][..], "at least 1"),
        (&["--fail-rate", "1.5"][..], "--fail-rate"),
        (&["--port", "99999"][..], "--port"),
        (&["--log-format", "xml"][..], "--log-format"),
        (&["--no-such-flag"][..], "--no-such-flag"),
        (&["--imagekit-id", "v1"][..], "ImageKit id"),
        (&["--host", "not a host name"][..], "--host"),
    ] {
        let out = command().args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed {:?}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn bind_failure_exits_non_zero() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out = command().args(["--port", &port]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bind") && err.contains(&port), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn original_creation_date_and_folder_creator_flags() {
    let emu = spawn(command().args([
        "--port",
        "0",
        "--private-key",
        SECRET,
        "--original-creation-date",
        "--folder-creator-email",
        "ana@example.com",
        "--folder-creator-name",
        "Ana",
    ]));
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{SECRET}:")));
    let (status, body) = http(&emu.base_url, "GET", "/v1/customMetadataFields", &[("Authorization", &auth)]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""name":"_internal_original_created_datetime""#), "{body}");
    assert!(body.contains(r#""reserved":true"#), "{body}");
    drop(emu);

    // The user needs both halves.
    let out = command().args(["--port", "0", "--folder-creator-email", "ana@example.com"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--folder-creator-name"), "{out:?}");
}
