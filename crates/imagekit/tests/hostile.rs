//! A misbehaving server on 127.0.0.1 (raw TCP, so it can break HTTP's rules
//! on purpose) cannot exhaust the client: bodies are read up to a limit,
//! auto-paging stops, credentials in a base URL never show, and a total
//! timeout bounds retries and `Retry-After` waits.
//!
//! The tests take turns (one lock): one measures the process's peak memory,
//! and all log into one global TRACE subscriber, installed before any SDK
//! call so no callsite is registered without it.

use std::future::{Future, IntoFuture};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use imagekit::types::{Asset, ListAssetsQuery};
use imagekit::{Client, Error, PagingStop};
use imagekit_transport::{Body, HttpClient, HyperClient, Request, Response, TransportError, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "private_hostile_test_key";
const MIB: usize = 1024 * 1024;

// ---------------------------------------------------------------- harness

static SERIAL: Mutex<()> = Mutex::new(());
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Everything every test logs, at TRACE, from every crate.
#[derive(Clone, Copy)]
struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Run one test: alone, with the TRACE subscriber, on a fresh runtime.
fn run<F: Future>(test: F) -> F::Output {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    static TRACING: Once = Once::new();
    TRACING.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(|| Capture)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(test)
}

/// Start measuring the peak afresh (Linux: `5` resets `VmHWM` to the current
/// RSS), so an earlier test's peak cannot hide this one's.
fn reset_peak_rss() {
    // Where the reset is not allowed the peak is only ever higher: the test
    // measures less growth, never more.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of this process, in bytes (Linux).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// What the server does with one request.
#[derive(Clone)]
enum Reply {
    /// A complete response with `Content-Length`.
    Full { status: u16, headers: Vec<(&'static str, String)>, body: Vec<u8> },
    /// Headers, then 16 KiB chunks of a chunked body until the client hangs up.
    Endless { status: u16 },
    /// 200 announcing `Content-Length: len`, then silence until the client hangs up.
    Announce(u64),
    /// Read the request, never answer.
    Hang,
}

fn json(status: u16, body: &serde_json::Value) -> Reply {
    Reply::Full {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: serde_json::to_vec(body).unwrap(),
    }
}

const CHUNK: usize = 16 * 1024;

/// A loopback server answering each request (one per connection) as the
/// script says for the n-th request and its request line.
struct Server {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    /// Body bytes written by `Endless` replies before the client hung up.
    sent: Arc<AtomicU64>,
    /// `Endless` and `Announce` connections the client has hung up on.
    hung_up: Arc<AtomicUsize>,
}

impl Server {
    async fn start(script: impl Fn(usize, &str) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Server { addr, requests: Arc::default(), sent: Arc::default(), hung_up: Arc::default() };
        let (requests, sent, hung_up) = (server.requests.clone(), server.sent.clone(), server.hung_up.clone());
        let script = Arc::new(script);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (script, requests, sent, hung_up) =
                    (script.clone(), requests.clone(), sent.clone(), hung_up.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &*script, &requests, &sent, &hung_up).await;
                });
            }
        });
        server
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    script: &(dyn Fn(usize, &str) -> Reply + Send + Sync),
    requests: &Mutex<Vec<String>>,
    sent: &AtomicU64,
    hung_up: &AtomicUsize,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    let index = {
        let mut all = requests.lock().unwrap();
        all.push(line.clone());
        all.len() - 1
    };
    match script(index, &line) {
        Reply::Full { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await?;
        }
        Reply::Endless { status } => {
            let head =
                format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', CHUNK));
            chunk.extend_from_slice(b"\r\n");
            while stream.write_all(&chunk).await.is_ok() {
                sent.fetch_add(CHUNK as u64, Ordering::SeqCst);
            }
            hung_up.fetch_add(1, Ordering::SeqCst);
        }
        Reply::Announce(len) => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            // Silence: a client that waits for the body waits until its timeout.
            while matches!(tokio::time::timeout(Duration::from_secs(120), stream.read(&mut buf)).await, Ok(Ok(n)) if n > 0)
            {
            }
            hung_up.fetch_add(1, Ordering::SeqCst);
        }
        Reply::Hang => while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {},
    }
    Ok(())
}

/// The default transport, counting the response body bytes the SDK pulls.
#[derive(Clone)]
struct Counting {
    inner: Arc<HyperClient>,
    read: Arc<AtomicU64>,
    largest_chunk: Arc<AtomicU64>,
}

impl Counting {
    fn new() -> Counting {
        Counting { inner: Arc::new(HyperClient::new().unwrap()), read: Arc::default(), largest_chunk: Arc::default() }
    }
    fn read(&self) -> u64 {
        self.read.load(Ordering::SeqCst)
    }
}

#[imagekit_transport::async_trait]
impl HttpClient for Counting {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let (parts, body) = self.inner.send(request).await?.into_parts();
        let (read, largest) = (self.read.clone(), self.largest_chunk.clone());
        // The length stays in the headers only: the SDK must act on them.
        let counted = body.into_data_stream().inspect_ok(move |chunk| {
            read.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            largest.fetch_max(chunk.len() as u64, Ordering::SeqCst);
        });
        Ok(Response::from_parts(parts, Body::from_stream(counted, None)))
    }
}

fn client_on(server: &Server, transport: &Counting) -> imagekit::ClientBuilder {
    Client::builder().private_key(KEY).base_url(server.url()).http_client(transport.clone())
}

/// `future`'s output, or a failure (not a hang) if a regression lets it run on.
async fn within<F: IntoFuture>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), future.into_future()).await.expect("ended within 60 s")
}

/// After this many requests the paging servers end the listing, so a pager
/// that does not stop itself fails its test instead of running forever.
const SERVER_PAGES: usize = 50;

/// Wait (up to 30 s) until `cond` holds.
async fn eventually(what: &str, cond: impl Fn() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < Duration::from_secs(30), "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn file(n: u64) -> serde_json::Value {
    serde_json::json!({"type": "file", "fileId": format!("f{n}"), "name": format!("n{n}.jpg"), "filePath": format!("/n{n}.jpg")})
}

/// The value of `name` in a request line's query.
fn param(line: &str, name: &str) -> Option<u64> {
    let query = line.split_whitespace().nth(1)?.split_once('?')?.1;
    query.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
}

// ---------------------------------------------------------------- bounded reads

#[test]
fn an_endless_body_stops_at_the_limit_with_bounded_memory() {
    run(async {
        let server = Server::start(|i, _| match i {
            0 => json(200, &serde_json::json!({"fileId": "warm"})),
            _ => Reply::Endless { status: 200 },
        })
        .await;
        let transport = Counting::new();
        let client = client_on(&server, &transport).max_response_size(MIB).build().unwrap();
        // Warm up the connection machinery, so the measurement sees the body only.
        client.files().get("warm").await.unwrap();
        reset_peak_rss();
        let (before_read, before_rss) = (transport.read(), peak_rss());

        let started = Instant::now();
        let err = within(client.files().get("endless")).await.unwrap_err();
        let growth = peak_rss().saturating_sub(before_rss);
        let read = transport.read() - before_read;
        let chunk = transport.largest_chunk.load(Ordering::SeqCst);

        let Error::ResponseTooLarge { status, limit, content_length, ref source } = err else {
            panic!("expected ResponseTooLarge, got {err:?}")
        };
        assert_eq!((status.as_u16(), limit, content_length), (200, MIB, None));
        assert_eq!(source.kind(), TransportErrorKind::BodyTooLarge);
        assert!(err.is_body_too_large() && !err.is_retryable() && !err.is_connection());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        let source = std::error::Error::source(&err).expect("source kept");
        assert!(source.downcast_ref::<TransportError>().is_some(), "{source:?}");
        assert!(err.to_string().contains("1048576"), "the message names the limit: {err}");
        assert_eq!(server.requests().len(), 2, "not retried");

        eprintln!("read {read} bytes (largest chunk {chunk}), peak RSS grew {} KiB", growth / 1024);
        assert!(read > MIB as u64, "read up to the limit: {read}");
        assert!(read <= MIB as u64 + chunk, "at most the limit plus one chunk: {read}");
        // Twice the limit (the buffer and the chunk being added), plus slack for
        // the allocator and the runtime.
        assert!(growth < 2 * MIB as u64 + 2 * MIB as u64, "peak memory grew by {growth} bytes");
        assert!(started.elapsed() < Duration::from_secs(30));

        // The client hung up: the server's writes failed soon after.
        eventually("the server sees the hang-up", || server.hung_up.load(Ordering::SeqCst) == 1).await;
        let sent = server.sent.load(Ordering::SeqCst);
        assert!(sent < 64 * MIB as u64, "the server got to send {sent} bytes");
    });
}

#[test]
fn a_content_length_over_the_limit_fails_before_reading() {
    run(async {
        let server = Server::start(|_, _| Reply::Announce(2 * 1024 * 1024 * 1024)).await;
        let transport = Counting::new();
        // A per-attempt timeout far beyond the test's bound: waiting for the
        // silent body would show.
        let client = client_on(&server, &transport).timeout(Duration::from_secs(60)).build().unwrap();
        let started = Instant::now();
        let err = within(client.assets().list(ListAssetsQuery::default())).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
        let Error::ResponseTooLarge { limit, content_length, .. } = &err else { panic!("{err:?}") };
        assert_eq!(*limit, imagekit::DEFAULT_MAX_RESPONSE_SIZE);
        assert_eq!(*content_length, Some(2 * 1024 * 1024 * 1024));
        assert!(err.to_string().contains("2147483648") && err.to_string().contains("67108864"), "{err}");
        assert_eq!(transport.read(), 0, "not a byte of the body was read");
        assert_eq!(server.requests().len(), 1);
        eventually("the client hangs up", || server.hung_up.load(Ordering::SeqCst) == 1).await;
    });
}

#[test]
fn the_limit_is_per_client_and_per_call() {
    run(async {
        let body = serde_json::json!({"fileId": "f", "description": "x".repeat(10_000)});
        let server = Server::start(move |_, _| json(200, &body)).await;
        let transport = Counting::new();
        let client = client_on(&server, &transport).build().unwrap();
        client.files().get("f").await.expect("the default limit is far above 10 KB");
        let err = client.files().get("f").max_response_size(4096).await.unwrap_err();
        assert!(err.is_body_too_large(), "{err:?}");
        assert!(matches!(err, Error::ResponseTooLarge { limit: 4096, content_length: Some(_), .. }), "{err:?}");

        let small = client_on(&server, &transport).max_response_size(4096).build().unwrap();
        assert!(small.files().get("f").await.unwrap_err().is_body_too_large());
        small.files().get("f").max_response_size(MIB).await.expect("the call's limit wins");
        let options = imagekit::RequestOptions::new().max_response_size(MIB);
        small.files().get("f").options(options).await.expect("and through RequestOptions");
    });
}

#[test]
fn an_endless_error_body_is_cut_short() {
    run(async {
        let server = Server::start(|_, _| Reply::Endless { status: 500 }).await;
        let transport = Counting::new();
        let client = client_on(&server, &transport).max_retries(0).build().unwrap();
        let err = client.files().get("f").await.unwrap_err();
        let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(api.status.as_u16(), 500);
        assert!(api.raw.as_ref().is_some_and(|raw| raw.len() <= 4100), "raw excerpt kept short");
        let read = transport.read();
        let chunk = transport.largest_chunk.load(Ordering::SeqCst);
        assert!(read <= 64 * 1024 + chunk, "an error body is read to 64 KiB at most: {read}");
    });
}

// ---------------------------------------------------------------- paging

#[test]
fn list_all_stops_when_a_server_repeats_a_full_page() {
    run(async {
        let page: Vec<_> = (0..10).map(file).collect();
        let server = Server::start(move |i, _| match i {
            i if i < SERVER_PAGES => json(200, &serde_json::Value::from(page.clone())),
            _ => json(200, &serde_json::json!([])),
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let mut items = client.assets().list_all(ListAssetsQuery::default().limit(10u64));
        let mut got = Vec::new();
        let err = loop {
            match items.next().await.expect("the stream ends with an error, not silently") {
                Ok(item) => got.push(item),
                Err(e) => break e,
            }
        };
        assert_eq!(got.len(), 10, "the first page's items, not the repeat's");
        assert!(err.is_paging() && !err.is_retryable(), "{err:?}");
        let Error::Paging { stop, pages } = &err else { panic!("{err:?}") };
        assert_eq!(*stop, PagingStop::RepeatedPage { skip: 10, earlier_skip: 0 });
        assert_eq!(*pages, 2);
        assert!(err.to_string().contains("repeats"), "{err}");
        assert!(items.next().await.is_none(), "the stream is over");
        assert_eq!(server.requests().len(), 2);
    });
}

#[test]
fn list_all_stops_on_a_cycle_of_pages() {
    run(async {
        // Pages A, B, A, B, ...: no page repeats the one just before it.
        let server = Server::start(|i, _| {
            if i >= SERVER_PAGES {
                return json(200, &serde_json::json!([]));
            }
            let base = (i as u64 % 2) * 100;
            json(200, &serde_json::Value::from((base..base + 5).map(file).collect::<Vec<_>>()))
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let result: Result<Vec<Asset>, Error> =
            client.assets().list_all(ListAssetsQuery::default().limit(5u64)).try_collect().await;
        let err = result.unwrap_err();
        assert!(
            matches!(err, Error::Paging { stop: PagingStop::RepeatedPage { skip: 10, earlier_skip: 0 }, pages: 3 }),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 3);
    });
}

#[test]
fn list_all_stops_at_the_page_cap() {
    run(async {
        // Always a new full page: only the cap ends it.
        let server = Server::start(|i, line| {
            let skip = param(line, "skip").unwrap_or(0);
            let limit = if i < SERVER_PAGES { param(line, "limit").unwrap() } else { 0 };
            json(200, &serde_json::Value::from((skip..skip + limit).map(file).collect::<Vec<_>>()))
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let mut items = client.assets().list_all(ListAssetsQuery::default().limit(4u64)).max_pages(3);
        let mut got = 0;
        let err = loop {
            match items.next().await.expect("ends with an error") {
                Ok(_) => got += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(got, 12, "every item of the pages allowed");
        assert!(matches!(err, Error::Paging { stop: PagingStop::PageCap { max_pages: 3 }, pages: 3 }), "{err:?}");
        assert!(err.to_string().contains("page cap"), "{err}");
        assert!(items.next().await.is_none());
        let asked: Vec<_> = server.requests().iter().map(|l| param(l, "skip").unwrap_or(0)).collect();
        assert_eq!(asked, [0, 4, 8]);
        assert_eq!(imagekit::resources::assets::DEFAULT_MAX_PAGES, 10_000);
    });
}

#[test]
fn a_listing_that_ends_is_read_whole() {
    run(async {
        let server = Server::start(|_, line| {
            let skip = param(line, "skip").unwrap_or(0);
            let end = (skip + param(line, "limit").unwrap()).min(23);
            json(200, &serde_json::Value::from((skip..end).map(file).collect::<Vec<_>>()))
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let all: Vec<Asset> =
            client.assets().list_all(ListAssetsQuery::default().limit(10u64)).max_pages(3).try_collect().await.unwrap();
        let ids: Vec<_> = all
            .iter()
            .map(|a| match a {
                Asset::File(f) => f.file_id.clone().unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids, (0..23).map(|n| format!("f{n}")).collect::<Vec<_>>());
        assert_eq!(server.requests().len(), 3, "a short third page ends it within the cap");
    });
}

#[test]
fn bulk_delete_reports_only_the_ids_it_sent_as_missing() {
    run(async {
        let server = Server::start(|i, _| match i {
            // Ids never sent, and one sent id listed many times.
            0 => {
                let mut missing: Vec<String> = (0..1000).map(|n| format!("never-sent-{n}")).collect();
                missing.extend(std::iter::repeat_n("a".to_owned(), 50));
                json(404, &serde_json::json!({"message": "not found", "missingFileIds": missing}))
            }
            _ => json(200, &serde_json::json!({"successfullyDeletedFileIds": ["b", "c"]})),
        })
        .await;
        let client = client_on(&server, &Counting::new()).build().unwrap();
        let ids = ["a", "b", "c"].map(String::from).to_vec();
        let outcome = client.files().bulk().delete_all(ids, 1).await;
        assert_eq!(outcome.succeeded, ["b", "c"]);
        let failed: Vec<_> = outcome.failed.iter().map(|f| f.file_id.as_str()).collect();
        assert_eq!(failed, ["a"], "once, and nothing that was not sent");
        assert_eq!(server.requests().len(), 2);
    });
}

// ---------------------------------------------------------------- credentials

#[test]
fn credentials_in_a_base_url_never_show() {
    const USER: &str = "ikuser-name-7";
    const PASSWORD: &str = "hunter2-SECRET-pw";
    run(async {
        let server = Server::start(|_, _| json(200, &serde_json::json!({"fileId": "f"}))).await;
        let host = server.addr;
        let mut texts = Vec::new();
        for url in [
            format!("http://{USER}:{PASSWORD}@{host}"),
            format!("http://{USER}:{PASSWORD}@{host}/prefix/"),
            format!("http://{PASSWORD}@{host}"),
            format!("http://{USER}:{PASSWORD}@{host}?q"),
            format!("http://{USER}:{PASSWORD}/x@{host}"),
        ] {
            let builder = Client::builder().private_key(KEY).base_url(&url).http_client(Counting::new());
            texts.push(format!("{builder:?}"));
            let err = builder.build().expect_err("credentials are refused at build time");
            assert!(matches!(err, Error::Config(_)), "{err:?}");
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                texts.push(format!("{s} {s:?}"));
                source = s.source();
            }
        }
        assert!(texts[1].contains("credentials"), "the refusal says why: {}", texts[1]);

        // A client without credentials logs its calls at TRACE: the capture works.
        let client = Client::builder().private_key(KEY).base_url(server.url()).build().unwrap();
        tracing::info!(target: "hostile", "credentials test");
        client.files().get("f").await.unwrap();
        texts.push(format!("{client:?}"));
        let logs = logs();
        assert!(logs.contains("imagekit.attempt") && logs.contains("credentials test"), "TRACE logs captured");
        texts.push(logs);

        for text in &texts {
            assert!(!text.contains(PASSWORD) && !text.contains(USER), "credentials leaked into: {text}");
        }
        assert_eq!(server.requests().len(), 1, "nothing was sent with credentials");
    });
}

// ---------------------------------------------------------------- total timeout

#[test]
fn a_retry_after_past_the_deadline_fails_at_once() {
    run(async {
        let server = Server::start(|_, _| Reply::Full {
            status: 429,
            headers: vec![("retry-after", "30".into()), ("x-ik-requestId", "rl-1".into())],
            body: br#"{"message":"Too many requests"}"#.to_vec(),
        })
        .await;
        let client =
            client_on(&server, &Counting::new()).max_retries(5).total_timeout(Duration::from_secs(20)).build().unwrap();
        let started = Instant::now();
        let err = client.files().get("f").await.unwrap_err();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(10), "failed at once, not after the wait or the deadline: {took:?}");

        let Error::DeadlineExceeded { total, retry_in, last } = &err else { panic!("{err:?}") };
        assert_eq!((*total, *retry_in), (Duration::from_secs(20), Some(Duration::from_secs(30))));
        let last = last.as_deref().expect("carries the last error");
        assert!(matches!(last, Error::RateLimit(_)) && last.request_id() == Some("rl-1"), "{last:?}");
        assert!(err.is_deadline_exceeded());
        assert!(!err.is_retryable() && !err.is_connection() && !err.is_timeout(), "{err:?}");
        let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<Error>());
        assert!(matches!(source, Some(Error::RateLimit(_))), "source() is the last error");
        let text = err.to_string();
        assert!(text.contains("total timeout") && text.contains("Too many requests"), "{text}");
        assert_eq!(server.requests().len(), 1, "no wait, no retry");

        // The per-call setting wins: room for no wait at all.
        let err = client.files().get("f").total_timeout(Duration::from_millis(1)).await.unwrap_err();
        assert!(err.is_deadline_exceeded(), "{err:?}");
    });
}

#[test]
fn the_deadline_cuts_a_hanging_attempt() {
    run(async {
        let server = Server::start(|i, _| match i {
            // A 503 retried at once, then silence.
            0 => Reply::Full {
                status: 503,
                headers: vec![("retry-after", "0".into())],
                body: br#"{"message":"busy"}"#.to_vec(),
            },
            _ => Reply::Hang,
        })
        .await;
        let client = client_on(&server, &Counting::new()).timeout(Duration::from_secs(60)).build().unwrap();
        let started = Instant::now();
        let err = client.files().get("f").total_timeout(Duration::from_millis(1500)).await.unwrap_err();
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(1500) && took < Duration::from_secs(20), "{took:?}");
        let Error::DeadlineExceeded { retry_in: None, last: Some(last), .. } = &err else { panic!("{err:?}") };
        assert!(matches!(**last, Error::InternalServer(_)), "{last:?}");
        assert!(!err.is_retryable());
        assert_eq!(server.requests().len(), 2);

        // The first attempt still running: no last error.
        let err = client.files().get("f").total_timeout(Duration::from_millis(500)).await.unwrap_err();
        assert!(matches!(err, Error::DeadlineExceeded { retry_in: None, last: None, .. }), "{err:?}");
        assert!(err.to_string().contains("was exceeded"), "{err}");
    });
}

#[test]
fn a_generous_deadline_changes_nothing() {
    run(async {
        let server = Server::start(|i, _| match i {
            0 => Reply::Full { status: 503, headers: vec![("retry-after", "0".into())], body: b"busy".to_vec() },
            _ => json(200, &serde_json::json!({"fileId": "f"})),
        })
        .await;
        let client = client_on(&server, &Counting::new()).total_timeout(Duration::from_secs(60)).build().unwrap();
        let file = client.files().get("f").await.unwrap();
        assert_eq!(file.file_id.as_deref(), Some("f"));
        assert_eq!(server.requests().len(), 2);
    });
}
