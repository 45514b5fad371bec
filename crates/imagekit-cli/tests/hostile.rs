//! The binary against a misbehaving loopback server (raw TCP): credentials in
//! a base URL never printed at any verbosity, a listing that repeats itself
//! stopped, an endless body cut at the SDK's limit, and `--total-timeout`
//! ending a long `Retry-After`.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{KEY, Run, bare};

const USER: &str = "ikuser-name-9";
const PASSWORD: &str = "hunter2-SECRET-cli-pw";

#[derive(Clone)]
enum Reply {
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// A chunked 200 that never ends.
    Endless,
}

/// A loopback server on plain threads: one request per connection, answered
/// as the script says for the n-th request.
struct Server {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (seen, script) = (requests.clone(), Arc::new(script));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (seen, script) = (seen.clone(), script.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &*script, &seen);
                });
            }
        });
        Server { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(
    mut stream: TcpStream,
    script: &(dyn Fn(usize) -> Reply + Send + Sync),
    seen: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    let index = {
        let mut all = seen.lock().unwrap();
        all.push(line);
        all.len() - 1
    };
    match script(index) {
        Reply::Full { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes())?;
            stream.write_all(&body)?;
        }
        Reply::Endless => {
            stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
            )?;
            let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', 64 * 1024));
            chunk.extend_from_slice(b"\r\n");
            while stream.write_all(&chunk).is_ok() {}
        }
    }
    Ok(())
}

fn json(value: serde_json::Value) -> Reply {
    Reply::Full {
        status: 200,
        headers: vec![("content-type", "application/json".into())],
        body: value.to_string().into_bytes(),
    }
}

fn assert_no_credentials(run: &Run) {
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(PASSWORD) && !text.contains(USER), "credentials printed:\n{text}");
    }
}

#[test]
fn credentials_in_the_base_url_are_never_printed() {
    let server = Server::start(|_| json(serde_json::json!([])));
    let with_creds = format!("http://{USER}:{PASSWORD}@{}", server.addr);
    let verbosities: [&[&str]; 6] = [&[], &["-v"], &["-vv"], &["-vvv"], &["--json"], &["-vvv", "--json"]];
    for flags in verbosities {
        for command in [&["ls"][..], &["get", "file_id"], &["rm", "/folder/a.jpg"]] {
            // As a flag, and from each environment variable the SDK reads.
            let mut runs = Vec::new();
            let mut cmd = bare();
            cmd.args(["--private-key", KEY, "--base-url", &with_creds]).args(flags).args(command);
            runs.push(Run::of(&mut cmd));
            for var in ["IMAGE_KIT_BASE_URL", "IMAGEKIT_BASE_URL"] {
                let mut cmd = bare();
                cmd.env(var, &with_creds).args(["--private-key", KEY]).args(flags).args(command);
                runs.push(Run::of(&mut cmd));
            }
            for run in runs {
                let run = run.expect(1);
                assert_no_credentials(&run);
                assert!(
                    run.stderr.contains("credentials"),
                    "{flags:?} {command:?}: the refusal says why:\n{}",
                    run.stderr
                );
                assert!(run.stderr.contains("***"), "the URL is shown masked:\n{}", run.stderr);
                if flags.contains(&"--json") {
                    let line = run.stderr.lines().last().unwrap();
                    let error: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
                    assert!(error["error"]["message"].as_str().unwrap().contains("credentials"));
                }
            }
        }
    }
    // --help shows the environment's variables, but never this one's value.
    let mut cmd = bare();
    cmd.env("IMAGE_KIT_BASE_URL", &with_creds).arg("--help");
    let run = Run::of(&mut cmd).ok();
    assert!(run.stdout.contains("IMAGE_KIT_BASE_URL"), "{}", run.stdout);
    assert_no_credentials(&run);
    assert!(server.requests().is_empty(), "nothing was sent: {:?}", server.requests());

    // Without credentials, -vvv reaches the server and logs the call.
    let mut cmd = bare();
    cmd.args(["--private-key", KEY, "--base-url", &server.url(), "-vvv", "ls"]);
    let run = Run::of(&mut cmd).ok();
    assert!(run.stderr.contains(&format!("API {}", server.url())), "{}", run.stderr);
    assert!(run.stderr.contains("imagekit.call"), "-vv logs the calls: {}", run.stderr);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn ls_stops_when_the_server_repeats_a_full_page() {
    // The API's largest page, again and again, whatever `skip` says.
    let page: Vec<_> = (0..1000)
        .map(|n| serde_json::json!({"type": "file", "fileId": format!("f{n}"), "name": format!("{n}.jpg"), "filePath": format!("/{n}.jpg")}))
        .collect();
    let body = serde_json::Value::from(page);
    let server = Server::start(move |_| json(body.clone()));
    let mut cmd = bare();
    cmd.args(["--private-key", KEY, "--base-url", &server.url(), "ls", "--json"]);
    let run = Run::of(&mut cmd).expect(1);
    assert_eq!(run.json_lines().len(), 1000, "the first page is listed once");
    let error: serde_json::Value = serde_json::from_str(run.stderr.lines().last().unwrap()).unwrap();
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("repeats the page at skip=0"), "{message}");
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());
}

#[test]
fn an_endless_listing_body_stops_at_the_size_limit() {
    let server = Server::start(|_| Reply::Endless);
    let mut cmd = bare();
    cmd.args(["--private-key", KEY, "--base-url", &server.url(), "ls"]).env("IMAGEKIT_CLI_REPORT_PEAK_RSS", "1");
    let started = Instant::now();
    let run = Run::of(&mut cmd).expect(1);
    assert!(started.elapsed() < Duration::from_secs(120), "{:?}", started.elapsed());
    assert!(run.stderr.contains("response size limit of 67108864 bytes"), "{}", run.stderr);
    let peak_kb: u64 = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("imagekit: peak RSS "))
        .and_then(|v| v.trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS line: {}", run.stderr));
    eprintln!("peak RSS of `imagekit ls` against an endless body: {peak_kb} kB");
    // The body buffer doubles up to the limit: 64 + 32 MiB at the peak, plus the process.
    assert!(peak_kb < 160 * 1024, "memory stays bounded by the 64 MiB limit: {peak_kb} kB");
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[test]
fn total_timeout_ends_a_long_retry_after() {
    let server = Server::start(|_| Reply::Full {
        status: 429,
        headers: vec![("retry-after", "30".into()), ("content-type", "application/json".into())],
        body: br#"{"message":"Too many requests"}"#.to_vec(),
    });
    let mut cmd = bare();
    cmd.args(["--private-key", KEY, "--base-url", &server.url(), "--total-timeout", "20", "get", "file_id"]);
    let started = Instant::now();
    let run = Run::of(&mut cmd).expect(1);
    assert!(started.elapsed() < Duration::from_secs(15), "failed at once: {:?}", started.elapsed());
    assert!(run.stderr.contains("total timeout of 20s would be exceeded"), "{}", run.stderr);
    assert!(run.stderr.contains("Too many requests"), "the last error is shown: {}", run.stderr);
    assert_eq!(server.requests().len(), 1);
}
