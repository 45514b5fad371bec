//! Fault injection over real sockets: a misbehaving HTTP/1.1 server on
//! 127.0.0.1:0, scripted per test and written byte by byte on a raw
//! `TcpListener`, driven through `imagekit::Client` with the default
//! `HyperClient`. Every scenario asserts the documented outcome (the typed
//! error, the number of attempts, the delays between them measured with a real
//! clock), and every test body runs under a tight `tokio::time::timeout` so a
//! hang fails instead of stalling CI. `docs/reliability.md` tabulates the
//! outcomes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use imagekit::types::UploadParams;
use imagekit::{Client, Error, UploadFile};
use tokio::net::TcpListener;

mod harness;

use harness::*;

// ---------------------------------------------------------------- rate limits

#[tokio::test]
async fn rate_limit_retry_after_seconds_is_honoured() {
    bounded(5, async {
        let server = Server::start(vec![status(429, &[("Retry-After", "1")]), ok()]).await;
        let file = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap();
        assert_eq!(file.name.as_deref(), Some("a.jpg"));
        assert_eq!(server.attempts(), 2);
        assert_between("Retry-After: 1", server.gaps()[0], Duration::from_secs(1), Duration::from_secs(1));
    })
    .await;
}

#[tokio::test]
async fn rate_limit_retry_after_ms_is_honoured_then_the_429_surfaces() {
    bounded(5, async {
        let h = [("retry-after-ms", "50"), ("Retry-After", "5")];
        let server = Server::start(vec![status(429, &h), status(429, &h), status(429, &h)]).await;
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        assert!(matches!(err, Error::RateLimit(_)), "{err:?}");
        assert!(err.is_retryable());
        assert_eq!(err.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(server.attempts(), 3, "1 + 2 retries");
        for (i, gap) in server.gaps().into_iter().enumerate() {
            // retry-after-ms wins over Retry-After: 5.
            assert_between(
                &format!("retry-after-ms: 50, gap {i}"),
                gap,
                Duration::from_millis(50),
                Duration::from_millis(50),
            );
        }
    })
    .await;
}

#[tokio::test]
async fn rate_limit_x_ratelimit_reset_alone_is_honoured() {
    bounded(5, async {
        let h = [("X-RateLimit-Limit", "10"), ("X-RateLimit-Reset", "150"), ("X-RateLimit-Interval", "1000")];
        let server = Server::start(vec![status(429, &h), ok()]).await;
        client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap();
        assert_eq!(server.attempts(), 2);
        let gap = server.gaps()[0];
        // 150 ms, below the 375 ms the shortest backoff would take.
        assert!(gap < FIRST_BACKOFF.0, "X-RateLimit-Reset ignored: {gap:?}");
        assert_between("X-RateLimit-Reset: 150", gap, Duration::from_millis(150), Duration::from_millis(150));
    })
    .await;
}

#[tokio::test]
async fn garbage_retry_after_falls_back_to_backoff() {
    bounded(5, async {
        let server = Server::start(vec![status(429, &[("Retry-After", "soon")]), ok()]).await;
        client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap();
        assert_eq!(server.attempts(), 2);
        assert_between("Retry-After: soon (backoff)", server.gaps()[0], FIRST_BACKOFF.0, FIRST_BACKOFF.1);
    })
    .await;
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_retries_at_once() {
    bounded(5, async {
        let server = Server::start(vec![status(429, &[("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")]), ok()]).await;
        client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap();
        assert_eq!(server.attempts(), 2);
        assert_between("Retry-After: <past date>", server.gaps()[0], Duration::ZERO, Duration::ZERO);
    })
    .await;
}

// ------------------------------------------------------------- server errors

#[tokio::test]
async fn server_errors_back_off_then_surface() {
    bounded(8, async {
        let server = Server::start(vec![status(503, &[]), status(503, &[]), status(503, &[]), ok()]).await;
        let started = Instant::now();
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        eprintln!("503 x3: failed after {:?}", started.elapsed());
        assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
        assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(err.to_string(), "503 scripted");
        assert_eq!(server.attempts(), 3, "the default 2 retries, then the 503");
        let gaps = server.gaps();
        assert_between("503 backoff 1", gaps[0], FIRST_BACKOFF.0, FIRST_BACKOFF.1);
        assert_between("503 backoff 2", gaps[1], SECOND_BACKOFF.0, SECOND_BACKOFF.1);
    })
    .await;
}

#[tokio::test]
async fn server_errors_three_times_then_success_with_three_retries() {
    bounded(5, async {
        let h = [("Retry-After", "0")];
        let server = Server::start(vec![status(503, &h), status(503, &h), status(503, &h), ok()]).await;
        let file = client(&server, Duration::from_secs(5)).files().get("f1").max_retries(3).await.unwrap();
        assert_eq!(file.name.as_deref(), Some("a.jpg"));
        assert_eq!(server.attempts(), 4);
        for gap in server.gaps() {
            assert_between("Retry-After: 0", gap, Duration::ZERO, Duration::ZERO);
        }
    })
    .await;
}

#[tokio::test]
async fn html_502_is_an_internal_server_error_with_the_page_kept_short() {
    bounded(5, async {
        let page = format!("<html><body><h1>502 Bad Gateway</h1>{}</body></html>", "<p>nginx</p>".repeat(1000));
        let act = || Act::Write(response(502, &[("Content-Type", "text/html"), ("Retry-After", "0")], page.as_bytes()));
        let server = Server::start(vec![act(), act(), act()]).await;
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
        let api = err.api_error().unwrap();
        assert!(api.body.is_none());
        let raw = api.raw.as_deref().unwrap();
        assert!(raw.starts_with("<html><body><h1>502 Bad Gateway"), "{raw}");
        assert!(raw.len() <= 4096 + 3, "raw cut to 4 KiB: {}", raw.len());
        assert!(err.to_string().starts_with("502 <html>"));
        assert!(err.to_string().len() < 1024);
        assert_eq!(server.attempts(), 3);
    })
    .await;
}

#[tokio::test]
async fn empty_500_is_an_internal_server_error_with_no_body() {
    bounded(5, async {
        let act = || Act::Write(response(500, &[("Retry-After", "0")], b""));
        let server = Server::start(vec![act(), act(), act()]).await;
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
        assert_eq!(err.to_string(), "500 status code (no body)");
        let api = err.api_error().unwrap();
        assert!(api.body.is_none() && api.raw.is_none());
        assert_eq!(server.attempts(), 3);
    })
    .await;
}

// ------------------------------------------------------ broken connections

#[tokio::test]
async fn reset_before_the_response_head() {
    bounded(5, async {
        let server = Server::start(vec![Act::ResetBeforeHead, Act::ResetBeforeHead, ok()]).await;
        let client = client(&server, Duration::from_secs(5));
        let err = client.files().get("f1").max_retries(0).await.unwrap_err();
        let t = transport(&err);
        assert!(t.is_closed() && t.request_sent(), "{t:?}");
        assert!(err.is_connection() && err.is_retryable());
        assert_eq!(server.attempts(), 1);

        // With a retry, the reset is retried after a backoff.
        client.files().get("f1").max_retries(1).await.unwrap();
        assert_eq!(server.attempts(), 3);
        assert_between("reset before head, backoff", server.gaps()[1], FIRST_BACKOFF.0, FIRST_BACKOFF.1);
    })
    .await;
}

#[tokio::test]
async fn reset_after_the_response_head_mid_body() {
    bounded(5, async {
        let mut partial = head(200, &[("Content-Type", "application/json")], 200);
        partial.extend_from_slice(br#"{"fileId":"f1","na"#);
        let server =
            Server::start(vec![Act::WriteThenReset(partial.clone()), Act::WriteThenReset(partial), ok()]).await;
        let client = client(&server, Duration::from_secs(5));
        let err = client.files().get("f1").max_retries(0).await.unwrap_err();
        let t = transport(&err);
        assert!(t.is_closed() && t.request_sent(), "{t:?}");
        assert!(err.is_retryable());

        client.files().get("f1").max_retries(1).await.unwrap();
        assert_eq!(server.attempts(), 3);
        // The server holds the half-sent body 100 ms before the reset.
        let hold = Duration::from_millis(100);
        assert_between(
            "reset mid-body, hold + backoff",
            server.gaps()[1],
            FIRST_BACKOFF.0 + hold,
            FIRST_BACKOFF.1 + hold,
        );
    })
    .await;
}

#[tokio::test]
async fn truncated_json_body_is_a_closed_connection_not_a_decode_error() {
    bounded(5, async {
        let mut cut = head(200, &[("Content-Type", "application/json")], FILE_JSON.len() + 100);
        cut.extend_from_slice(FILE_JSON);
        let server = Server::start(vec![Act::Write(cut.clone()), Act::Write(cut), ok()]).await;
        let client = client(&server, Duration::from_secs(5));
        let err = client.files().get("f1").max_retries(0).await.unwrap_err();
        let t = transport(&err);
        assert!(t.is_closed() && t.request_sent(), "{t:?}");

        client.files().get("f1").max_retries(1).await.unwrap();
        assert_eq!(server.attempts(), 3);
    })
    .await;
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error_and_not_retried() {
    bounded(5, async {
        let body = b"<html>maintenance</html>";
        let server = Server::start(vec![Act::Write(response(200, &[("Content-Type", "text/html")], body)), ok()]).await;
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        match &err {
            Error::Decode { status, excerpt, .. } => {
                assert_eq!(*status, http::StatusCode::OK);
                assert_eq!(excerpt, "<html>maintenance</html>");
            }
            other => panic!("expected Error::Decode, got {other:?}"),
        }
        assert!(!err.is_retryable());
        assert_eq!(server.attempts(), 1);
    })
    .await;
}

// ------------------------------------------------------------------ timeouts

#[tokio::test]
async fn headers_that_never_come_time_out_each_attempt() {
    bounded(5, async {
        let timeout = Duration::from_millis(300);
        let server = Server::start(vec![Act::WriteThenStall(vec![]), Act::WriteThenStall(vec![])]).await;
        let started = Instant::now();
        let err = client(&server, timeout).files().get("f1").max_retries(1).await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(err, Error::Timeout { after } if after == timeout), "{err:?}");
        assert!(err.is_timeout() && err.is_retryable());
        assert_eq!(server.attempts(), 2);
        // Two timed-out attempts and one backoff between them.
        assert_between(
            "no headers: 2 x 300 ms + backoff",
            elapsed,
            timeout * 2 + FIRST_BACKOFF.0,
            timeout * 2 + FIRST_BACKOFF.1,
        );
    })
    .await;
}

#[tokio::test]
async fn a_body_that_stalls_halfway_times_out() {
    bounded(5, async {
        let timeout = Duration::from_millis(300);
        let mut partial = head(200, &[("Content-Type", "application/json")], FILE_JSON.len());
        partial.extend_from_slice(&FILE_JSON[..FILE_JSON.len() / 2]);
        let server = Server::start(vec![Act::WriteThenStall(partial)]).await;
        let started = Instant::now();
        let err = client(&server, timeout).files().get("f1").max_retries(0).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert_between("stalled body", started.elapsed(), timeout, timeout);
    })
    .await;
}

// ------------------------------------------------------------- large bodies

#[tokio::test]
async fn a_10_mib_error_body_is_read_bounded() {
    bounded(10, async {
        let len = 10 * 1024 * 1024;
        let big = Act::Large { head: head(400, &[("Content-Type", "text/plain")], len), len };
        let server = Server::start(vec![big]).await;
        let started = Instant::now();
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        eprintln!("10 MiB error body: {:?}", started.elapsed());
        assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
        let message = err.to_string();
        assert!(message.len() < 1024, "message of {} bytes", message.len());
        assert!(err.api_error().unwrap().raw.as_ref().unwrap().len() <= 4096 + 3);
        assert_eq!(server.attempts(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_error_body_is_not_read_past_64_kib() {
    bounded(5, async {
        // 10 MiB announced, 128 KiB sent, then silence: reading it all would time out.
        let mut partial = head(400, &[("Content-Type", "text/plain")], 10 * 1024 * 1024);
        partial.extend(std::iter::repeat_n(b'x', 128 * 1024));
        let server = Server::start(vec![Act::WriteThenStall(partial)]).await;
        let started = Instant::now();
        let err = client(&server, Duration::from_secs(2)).files().get("f1").await.unwrap_err();
        assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        assert!(err.to_string().len() < 1024);
    })
    .await;
}

#[tokio::test]
async fn a_long_json_error_message_is_kept_short_in_the_display() {
    bounded(5, async {
        let long = "y".repeat(60 * 1024);
        let body = serde_json::json!({ "message": long, "help": "h" }).to_string();
        let server = Server::start(vec![Act::Write(response(400, &[], body.as_bytes()))]).await;
        let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
        assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
        assert_eq!(err.api_error().unwrap().message(), Some(long.as_str()), "the full message stays on the body");
        let shown = err.to_string();
        assert!(shown.starts_with("400 yyy") && shown.len() < 1024, "message of {} bytes", shown.len());
    })
    .await;
}

// ----------------------------------------------------------------- redirects

#[tokio::test]
async fn redirects_are_not_followed() {
    bounded(5, async {
        for code in [301u16, 302, 307] {
            let to = [("Location", "http://127.0.0.1:9/v1/files/other/details")];
            let server = Server::start(vec![Act::Write(response(code, &to, b"")), ok()]).await;
            let err = client(&server, Duration::from_secs(5)).files().get("f1").await.unwrap_err();
            assert!(matches!(err, Error::Status(_)), "{code}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
            assert!(!err.is_retryable());
            let api = err.api_error().unwrap();
            assert_eq!(api.headers["location"], "http://127.0.0.1:9/v1/files/other/details");
            assert_eq!(server.attempts(), 1, "{code}: not followed, not retried");
        }
    })
    .await;
}

// ------------------------------------------------------------------- uploads

/// A file of `len` patterned bytes in a fresh temporary directory.
fn temp_file(name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!("imagekit-faults-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

/// The bytes of the `file` part of a multipart request.
fn file_part(head: &str, body: &[u8]) -> Vec<u8> {
    let boundary = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-type: multipart/form-data"))
        .and_then(|l| l.split("boundary=").nth(1))
        .expect("a multipart request")
        .trim()
        .to_owned();
    let start = find(body, b"name=\"file\"").expect("a file part");
    let data = start + find(&body[start..], b"\r\n\r\n").unwrap() + 4;
    let end = data + find(&body[data..], format!("\r\n--{boundary}").as_bytes()).unwrap();
    body[data..end].to_vec()
}

const UPLOADED: &[u8] = br#"{"fileId":"u1","name":"a.bin"}"#;

fn uploaded() -> Act {
    Act::Write(response(200, &[("Content-Type", "application/json")], UPLOADED))
}

#[tokio::test]
async fn a_named_upload_is_retried_through_503s_and_resends_the_exact_file() {
    bounded(5, async {
        let (path, data) = temp_file("named.bin", 300 * 1024 + 7);
        let h = [("retry-after-ms", "50")];
        let server = Server::start(vec![status(503, &h), status(503, &h), uploaded()]).await;
        let params = UploadParams::new("named.bin").use_unique_file_name(false);
        let out =
            client(&server, Duration::from_secs(5)).files().upload(UploadFile::path(&path), params).await.unwrap();
        assert_eq!(out.file_id.as_deref(), Some("u1"));
        let bodies = server.bodies();
        assert_eq!(bodies.len(), 3);
        for (i, (head, body)) in bodies.iter().enumerate() {
            assert!(file_part(head, body) == data, "attempt {i}: the file part differs from the file");
        }
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    })
    .await;
}

#[tokio::test]
async fn a_unique_name_upload_is_not_retried_after_a_503() {
    bounded(5, async {
        let server = Server::start(vec![status(503, &[("Retry-After", "0")]), uploaded()]).await;
        let err = client(&server, Duration::from_secs(5))
            .files()
            .upload(UploadFile::bytes(vec![7u8; 1024]), UploadParams::new("u.bin"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
        assert!(err.is_retryable(), "retryable by status; the SDK declines so as not to store a second copy");
        assert_eq!(server.attempts(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_unique_name_upload_is_not_retried_after_a_reset() {
    bounded(5, async {
        let server = Server::start(vec![Act::ResetBeforeHead, uploaded()]).await;
        let err = client(&server, Duration::from_secs(5))
            .files()
            .upload(UploadFile::bytes(vec![7u8; 1024]), UploadParams::new("u.bin"))
            .await
            .unwrap_err();
        assert!(transport(&err).request_sent());
        assert_eq!(server.attempts(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_unique_name_upload_is_retried_after_a_429() {
    bounded(5, async {
        let (path, data) = temp_file("unique429.bin", 100 * 1024);
        let server = Server::start(vec![status(429, &[("Retry-After", "0")]), uploaded()]).await;
        let out = client(&server, Duration::from_secs(5))
            .files()
            .upload(UploadFile::path(&path), UploadParams::new("unique429.bin"))
            .await
            .unwrap();
        assert_eq!(out.file_id.as_deref(), Some("u1"));
        let bodies = server.bodies();
        assert_eq!(bodies.len(), 2);
        let (head, body) = bodies.last().unwrap();
        assert!(file_part(head, body) == data, "the final attempt carries the exact file");
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    })
    .await;
}

#[tokio::test]
async fn a_unique_name_upload_is_retried_after_a_refused_connection() {
    bounded(5, async {
        let (path, data) = temp_file("refused.bin", 64 * 1024 + 1);
        // A port nobody listens on yet: the first attempt is refused.
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = probe.local_addr().unwrap();
        drop(probe);
        let client = Client::builder()
            .private_key("k")
            .base_url(format!("http://{addr}"))
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let started = Instant::now();
        // The server comes up during the backoff before the retry.
        let server = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            Server::serve(TcpListener::bind(addr).await.unwrap(), vec![uploaded()])
        });
        let out = client.files().upload(UploadFile::path(&path), UploadParams::new("refused.bin")).await.unwrap();
        let server = server.await.unwrap();
        assert_eq!(out.file_id.as_deref(), Some("u1"));
        assert_eq!(server.attempts(), 1, "the refused attempt never reached a server");
        let arrived = server.seen.lock().unwrap()[0].at - started;
        assert_between("refused, then backoff", arrived, FIRST_BACKOFF.0, FIRST_BACKOFF.1);
        let (head, body) = &server.bodies()[0];
        assert!(file_part(head, body) == data);
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    })
    .await;
}

#[tokio::test]
async fn a_stream_upload_is_sent_once_even_after_a_429() {
    bounded(5, async {
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(vec![1u8; 1000]), Ok(vec![2u8; 24])]);
        let file = UploadFile::stream(chunks, Some(1024));
        let server = Server::start(vec![status(429, &[("Retry-After", "0")]), uploaded()]).await;
        let params = UploadParams::new("s.bin").use_unique_file_name(false);
        let err = client(&server, Duration::from_secs(5)).files().upload(file, params).await.unwrap_err();
        assert!(matches!(err, Error::RateLimit(_)), "{err:?}");
        assert_eq!(server.attempts(), 1, "a one-shot body cannot go twice");
        let (head, body) = &server.bodies()[0];
        let mut expected = vec![1u8; 1000];
        expected.extend_from_slice(&[2u8; 24]);
        assert!(file_part(head, body) == expected);
    })
    .await;
}

#[tokio::test]
async fn a_unique_name_upload_does_not_reuse_a_connection_the_server_closed_while_idle() {
    bounded(5, async {
        // A keep-alive 200 (no `Connection: close`); the server hangs up 50 ms later.
        let keep_alive =
            format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", FILE_JSON.len());
        let mut bytes = keep_alive.into_bytes();
        bytes.extend_from_slice(FILE_JSON);
        let server = Server::start(vec![Act::WriteThenIdleClose(bytes, Duration::from_millis(50)), uploaded()]).await;
        let client = client(&server, Duration::from_secs(5));
        client.files().get("f1").await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Sending on the dead pooled connection would fail after the request may
        // have been sent, and a unique-name upload is not retried then.
        let out = client.files().upload(UploadFile::bytes(vec![5u8; 2048]), UploadParams::new("u.bin")).await.unwrap();
        assert_eq!(out.file_id.as_deref(), Some("u1"));
        assert_eq!(server.attempts(), 2);
    })
    .await;
}
