//! The socket server under slow, oversized and descriptor-starved clients:
//! raw TCP, so nothing between the test and the server is polite.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use imagekit_emulator::Emulator;

/// Read until the server closes (or `limit` passes); the bytes and when it closed.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&out).into_owned(), Some(started.elapsed())),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (String::from_utf8_lossy(&out).into_owned(), Some(started.elapsed()));
            }
            Err(_) => return (String::from_utf8_lossy(&out).into_owned(), None),
        }
        if started.elapsed() > limit {
            return (String::from_utf8_lossy(&out).into_owned(), None);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_stalling_in_its_headers_is_cut_off() {
    let emu = Emulator::builder().header_read_timeout(Duration::from_millis(500)).start().await.unwrap();
    let addr = emu.addr();
    let (text, closed) = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ").unwrap();
        read_until_closed(&mut s, Duration::from_secs(10))
    })
    .await
    .unwrap();
    let closed = closed.unwrap_or_else(|| panic!("still open after 10 s; got {text:?}"));
    eprintln!("stalled header cut after {closed:?}");
    assert!(closed >= Duration::from_millis(400), "cut too early: {closed:?}");
    assert!(closed < Duration::from_secs(3), "cut too late: {closed:?}");
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_stalling_midway_gets_408_and_a_closed_connection() {
    let emu = Emulator::builder().body_idle_timeout(Duration::from_millis(500)).start().await.unwrap();
    let addr = emu.addr();
    let (text, closed) = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(
            b"POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; \
              boundary=x\r\nContent-Length: 1000\r\n\r\n--x\r\nContent-Disposition: form-data; name=\"fileName\"\r\n",
        )
        .unwrap();
        read_until_closed(&mut s, Duration::from_secs(10))
    })
    .await
    .unwrap();
    let closed = closed.unwrap_or_else(|| panic!("still open after 10 s; got {text:?}"));
    eprintln!("stalled body cut after {closed:?}");
    assert!(text.starts_with("HTTP/1.1 408"), "{text:?}");
    assert!(text.contains("stalled"), "{text:?}");
    assert!(closed >= Duration::from_millis(400) && closed < Duration::from_secs(3), "{closed:?}");

    // A body that keeps arriving, slowly, is not cut: each gap is below the limit.
    let emu2 = Emulator::builder().body_idle_timeout(Duration::from_millis(500)).start().await.unwrap();
    let addr = emu2.addr();
    let text = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        let body = b"hello";
        s.write_all(
            format!(
                "POST /api/v1/files/upload HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
        for b in body {
            std::thread::sleep(Duration::from_millis(200));
            s.write_all(&[*b]).unwrap();
        }
        read_until_closed(&mut s, Duration::from_secs(10)).0
    })
    .await
    .unwrap();
    // Read in full and handed to the API (which stamps a request id), not cut with 408.
    assert!(text.starts_with("HTTP/1.1 ") && !text.starts_with("HTTP/1.1 408"), "{text:?}");
    assert!(text.contains("x-ik-requestid"), "{text:?}");
    emu.shutdown().await;
    emu2.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announced_body_over_the_limit_is_refused_before_reading() {
    let emu = Emulator::builder().start().await.unwrap();
    let addr = emu.addr();
    let (text, closed) = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        // 2 GiB announced, nothing sent: the answer must not wait for it.
        s.write_all(
            b"POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; \
              boundary=x\r\nContent-Length: 2147483648\r\n\r\n",
        )
        .unwrap();
        read_until_closed(&mut s, Duration::from_secs(10))
    })
    .await
    .unwrap();
    let closed = closed.unwrap_or_else(|| panic!("still open after 10 s; got {text:?}"));
    eprintln!("2 GiB Content-Length answered and closed after {closed:?}");
    assert!(text.starts_with("HTTP/1.1 413"), "{text:?}");
    assert!(text.contains("too large"), "{text:?}");
    assert!(closed < Duration::from_secs(2), "{closed:?}");
    emu.shutdown().await;
}

// ------------------------------------------------ descriptor exhaustion

/// utime + stime of a process, from /proc (clock ticks converted at 100 Hz,
/// the kernel's USER_HZ on Linux).
#[cfg(target_os = "linux")]
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the `(comm)`, which may hold spaces: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

#[cfg(target_os = "linux")]
fn get(stream: &mut TcpStream) -> String {
    stream.write_all(b"GET /api/v1/files HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn out_of_descriptors_the_server_backs_off_and_recovers() {
    // The binary, with a descriptor limit of 64, in a shell of its own.
    let bin = env!("CARGO_BIN_EXE_imagekit-emulator");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" --port 0")
        .arg(bin)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("{line:?}"));
    let addr: SocketAddr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();

    let result = std::panic::catch_unwind(|| {
        // A connection opened before the exhaustion, kept alive.
        let mut early = TcpStream::connect(addr).unwrap();
        assert!(get(&mut early).starts_with("HTTP/1.1 401"));

        // Hold 120 idle connections: the server runs out of descriptors at
        // about 60, the rest wait in the listen backlog.
        let mut held: Vec<TcpStream> = (0..120).map(|_| TcpStream::connect(addr).unwrap()).collect();
        std::thread::sleep(Duration::from_millis(500));
        let before = cpu_time(pid);
        let window = Duration::from_secs(2);
        std::thread::sleep(window);
        let used = cpu_time(pid) - before;
        eprintln!("CPU while out of descriptors: {used:?} in {window:?}");
        assert!(used < Duration::from_millis(300), "the accept loop spins: {used:?} of CPU in {window:?}");

        // The connection opened before is still served.
        let started = Instant::now();
        assert!(get(&mut early).starts_with("HTTP/1.1 401"));
        eprintln!("existing connection answered in {:?} while exhausted", started.elapsed());

        // Free the descriptors: a new client is served again, within the longest pause.
        held.clear();
        let started = Instant::now();
        let mut late = TcpStream::connect(addr).unwrap();
        let answer = get(&mut late);
        eprintln!("new client served {:?} after descriptors were freed", started.elapsed());
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_binary_takes_its_timeouts_from_flags() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imagekit-emulator"))
        .args(["--port", "0", "--header-read-timeout-secs", "1", "--body-idle-timeout-secs", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("{line:?}"));
    let addr: SocketAddr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    let result = std::panic::catch_unwind(|| {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /api/v1/files HTTP/1.1\r\nHost: h\r\n").unwrap();
        let (_, closed) = read_until_closed(&mut s, Duration::from_secs(10));
        let closed = closed.expect("still open after 10 s");
        assert!(closed >= Duration::from_millis(900) && closed < Duration::from_secs(4), "{closed:?}");

        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"POST /api/v1/files HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc").unwrap();
        let (text, closed) = read_until_closed(&mut s, Duration::from_secs(10));
        assert!(text.starts_with("HTTP/1.1 408"), "{text:?}");
        let closed = closed.expect("still open after 10 s");
        assert!(closed >= Duration::from_millis(900) && closed < Duration::from_secs(4), "{closed:?}");
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}
