//! `ls` prints nothing on stdout when the listing fails: no header, no partial
//! table, on the first page or a later one.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Env, KEY, Run, bare};
use imagekit_emulator::Faults;

#[test]
fn a_bad_key_prints_nothing_on_stdout() {
    let env = Env::start();
    for json in [false, true] {
        let mut cmd = bare();
        cmd.args(["--base-url", &env.emu.base_url(), "--private-key", "private_wrong_key", "ls", "/"]);
        if json {
            cmd.arg("--json");
        }
        let run = Run::of(&mut cmd).expect(1);
        assert_eq!(run.stdout, "", "json={json}: stdout must stay empty; stderr: {}", run.stderr);
        assert!(run.stderr.contains("401"), "json={json}: {}", run.stderr);
    }
    // The same listing with the right key: the header, then the (empty) listing.
    let run = env.run(&["ls", "/"]).ok();
    assert!(run.stdout.starts_with("TYPE"), "{}", run.stdout);
}

#[test]
fn a_server_error_prints_nothing_on_stdout() {
    let env = Env::with_faults(Faults { fail_rate: 1.0, ..Faults::default() });
    let run = env.run(&["--max-retries", "0", "ls", "/"]).expect(1);
    assert_eq!(run.stdout, "", "stderr: {}", run.stderr);
    assert!(run.stderr.contains("500"), "{}", run.stderr);
}

/// A listing server: a full first page (1000 files), then 500 for every
/// later page.
fn first_page_then_500() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&requests);
    let page: Vec<_> = (0..1000)
        .map(|n| serde_json::json!({"type": "file", "fileId": format!("f{n}"), "name": format!("{n}.jpg"), "filePath": format!("/{n}.jpg"), "size": n}))
        .collect();
    let page = serde_json::Value::from(page).to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            // Read the request head (a GET: no body).
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) && line != "\r\n" {
                line.clear();
            }
            let n = count.fetch_add(1, Ordering::SeqCst);
            let (status, body) = if n == 0 {
                ("200 OK", page.clone())
            } else {
                ("500 Internal Server Error", r#"{"message":"boom"}"#.into())
            };
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.flush();
            let mut rest = [0u8; 1];
            let _ = stream.read(&mut rest);
        }
    });
    (url, requests)
}

#[test]
fn a_later_page_failing_leaves_no_partial_table() {
    let (url, requests) = first_page_then_500();
    let mut cmd = bare();
    cmd.args(["--private-key", KEY, "--base-url", &url, "--max-retries", "0", "ls"]);
    let run = Run::of(&mut cmd).expect(1);
    assert_eq!(run.stdout, "", "stderr: {}", run.stderr);
    assert!(run.stderr.contains("boom"), "{}", run.stderr);
    assert_eq!(requests.load(Ordering::SeqCst), 2, "the first page was read, the second failed");
}
