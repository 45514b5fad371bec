//! The SDK on an executor that is not Tokio: `futures::executor`, with no Tokio
//! runtime anywhere in this test binary. Timeouts, retry backoff, job polling and
//! uploads from disk must work and really wait (wall-clock lower bounds from the
//! delays configured), and a custom sleep must replace the default.

mod common;

use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use futures::executor::{LocalPool, block_on};
use futures::task::LocalSpawnExt;
use imagekit::resources::wait::WaitOptions;
use imagekit::sleep::{AsyncSleep, Sleep};
use imagekit::types::{JobStatus, UploadParams};
use imagekit::{Client, Error, UploadFile};
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use imagekit_transport::{HttpClient, Request, Response, TransportError, http_client_fn};
use serde_json::json;

/// Run `future` on `futures::executor::block_on`, first checking that no Tokio
/// runtime is around to rescue a stray `tokio::time` call.
fn run<F: std::future::Future>(future: F) -> F::Output {
    block_on(async {
        assert!(tokio::runtime::Handle::try_current().is_err(), "this test must not run inside a Tokio runtime");
        future.await
    })
}

fn refused() -> TransportError {
    TransportError::connect(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
}

fn file_json(id: &str) -> serde_json::Value {
    json!({"fileId": id, "name": "a.jpg", "type": "file"})
}

/// A client on `t` that also notes each request body's announced length
/// (what goes out as `Content-Length`), which the recording does not keep.
fn client_noting_lengths(t: &RecordingTransport) -> (Client, Arc<Mutex<Vec<Option<u64>>>>) {
    let lengths = Arc::new(Mutex::new(Vec::new()));
    let (noted, t) = (lengths.clone(), t.clone());
    let http = http_client_fn(move |request: Request| {
        noted.lock().unwrap().push(request.body().content_length());
        let t = t.clone();
        async move { t.send(request).await }
    });
    let client = Client::builder().private_key(PRIVATE_KEY).base_url(BASE_URL).http_client(http).build().unwrap();
    (client, lengths)
}

#[test]
fn retries_wait_out_the_backoff_on_the_default_timer() {
    let t = RecordingTransport::new();
    // 1st attempt: connect refused -> exponential backoff, 0.5 s less up to 25 % jitter.
    // 2nd attempt: 503 asking for 250 ms. 3rd attempt: success.
    t.fail(refused())
        .respond(MockResponse::new(503).header("retry-after-ms", "250").json(&json!({"message": "busy"})))
        .respond(MockResponse::new(200).json(&file_json("abc")));
    let client = recording_client(&t);
    let started = Instant::now();
    let file = run(client.files().get("abc").into_future()).unwrap();
    let elapsed = started.elapsed();

    assert_eq!(file.file_id.as_deref(), Some("abc"));
    assert_eq!(t.request_count(), 3);
    let lower = Duration::from_millis(375 + 250);
    assert!(elapsed >= lower, "two pauses of at least {lower:?}, took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn an_attempt_that_never_answers_times_out_and_is_retried() {
    let calls = Arc::new(Mutex::new(0u32));
    let seen = calls.clone();
    let never = http_client_fn(move |_request: Request| {
        *seen.lock().unwrap() += 1;
        std::future::pending::<Result<Response, TransportError>>()
    });
    let client = Client::builder().private_key(PRIVATE_KEY).base_url(BASE_URL).http_client(never).build().unwrap();
    let timeout = Duration::from_millis(200);
    let started = Instant::now();
    let err = run(client.files().get("abc").timeout(timeout).max_retries(1).into_future()).unwrap_err();
    let elapsed = started.elapsed();

    assert!(matches!(err, Error::Timeout { after } if after == timeout), "{err:?}");
    assert_eq!(*calls.lock().unwrap(), 2, "a timed-out attempt is retried once");
    // Two timeouts and one backoff of at least 375 ms.
    let lower = timeout * 2 + Duration::from_millis(375);
    assert!(elapsed >= lower, "at least {lower:?}, took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn waiting_for_a_job_polls_on_the_default_timer() {
    let t = RecordingTransport::new();
    let job =
        |status: &str| MockResponse::new(200).json(&json!({"jobId": "j1", "type": "COPY_FOLDER", "status": status}));
    t.respond(job("Pending")).respond(job("Pending")).respond(job("Completed"));
    let client = recording_client(&t);
    let opts = WaitOptions::new().poll_interval(Duration::from_millis(150)).timeout(Duration::from_secs(30));
    let started = Instant::now();
    let done = run(client.folders().job().wait("j1", opts)).unwrap();
    let elapsed = started.elapsed();

    assert_eq!(done.status, Some(JobStatus::Completed));
    assert_eq!(t.request_count(), 3);
    assert_eq!(t.requests()[0].uri.path(), "/v1/bulkJobs/j1");
    assert!(elapsed >= Duration::from_millis(300), "two pauses of 150 ms, took {elapsed:?}");
}

#[test]
fn waiting_gives_up_after_its_timeout_on_the_default_timer() {
    let t = RecordingTransport::new();
    for _ in 0..50 {
        t.respond(MockResponse::new(200).json(&json!({"status": "Pending"})));
    }
    let client = recording_client(&t);
    let opts = WaitOptions::new().poll_interval(Duration::from_millis(100)).timeout(Duration::from_millis(350));
    let started = Instant::now();
    let err = run(client.cache().invalidation().wait("req1", opts)).unwrap_err();
    let elapsed = started.elapsed();

    assert!(matches!(&err, Error::WaitTimeout { waited, job } if *waited == opts.timeout && job == "req1"), "{err:?}");
    assert!(elapsed >= opts.timeout, "took {elapsed:?}");
    // Polls at about 0, 100, 200 and 300 ms; a slow machine may fit fewer.
    let polls = t.request_count();
    assert!((1..=4).contains(&polls), "{polls} polls");
}

/// A file in the temp dir, removed when dropped.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn an_upload_from_a_path_is_read_and_replayed_without_tokio() {
    // Several 256 KiB chunks and a remainder, with a pattern that shows order.
    let data: Vec<u8> = (0..3 * 256 * 1024 + 4321u32).map(|i| (i % 251) as u8).collect();
    let file = TempFile(std::env::temp_dir().join(format!("imagekit-executor-{}.bin", std::process::id())));
    std::fs::write(&file.0, &data).unwrap();

    let t = RecordingTransport::new();
    t.respond(MockResponse::new(503).header("retry-after-ms", "50").json(&json!({"message": "busy"})))
        .respond(MockResponse::new(200).json(&json!({"fileId": "up1", "name": "big.bin"})));
    let (client, lengths) = client_noting_lengths(&t);

    // A LocalPool this time: a single-threaded executor that is not block_on.
    let mut pool = LocalPool::new();
    let out = Arc::new(Mutex::new(None));
    let slot = out.clone();
    let upload =
        client.files().upload(UploadFile::path(&file.0), UploadParams::new("big.bin").use_unique_file_name(false));
    pool.spawner()
        .spawn_local(async move {
            assert!(tokio::runtime::Handle::try_current().is_err());
            *slot.lock().unwrap() = Some(upload.await);
        })
        .unwrap();
    pool.run();
    let uploaded = out.lock().unwrap().take().expect("the upload ran").unwrap();
    assert_eq!(uploaded.file_id.as_deref(), Some("up1"));

    let requests = t.requests();
    assert_eq!(requests.len(), 2, "the 503 is retried");
    let lengths = lengths.lock().unwrap().clone();
    for (i, req) in requests.iter().enumerate() {
        assert_eq!(lengths[i], Some(req.body.len() as u64), "attempt {i}: Content-Length computed up front");
        let parts = parse_multipart(req);
        let part = parts.iter().find(|p| p.name == "file").expect("a file part");
        assert_eq!(part.filename.as_deref(), Some(file.0.file_name().unwrap().to_str().unwrap()));
        assert!(part.data == data, "attempt {i}: the whole file, in order, from the start");
    }
}

#[test]
fn an_async_read_source_uploads_without_tokio() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 256) as u8).collect();
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({"fileId": "r"})));
    let (client, lengths) = client_noting_lengths(&t);
    let reader = futures::io::Cursor::new(data.clone());
    let upload = UploadFile::async_read(reader, Some(data.len() as u64)).file_name("r.bin");
    run(client.files().upload(upload, UploadParams::new("r.bin")).into_future()).unwrap();

    let req = t.last_request().unwrap();
    assert_eq!(lengths.lock().unwrap()[..], [Some(req.body.len() as u64)], "the length given is announced");
    let parts = parse_multipart(&req);
    let part = parts.iter().find(|p| p.name == "file").unwrap();
    assert_eq!(part.filename.as_deref(), Some("r.bin"));
    assert!(part.data == data);
}

/// Records every requested pause. Pauses as long as the attempt timeout never
/// end (that timer must lose to the answer); every other pause ends at once.
#[derive(Clone)]
struct CountingSleep {
    attempt_timeout: Duration,
    pauses: Arc<Mutex<Vec<Duration>>>,
}

impl AsyncSleep for CountingSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.pauses.lock().unwrap().push(duration);
        if duration == self.attempt_timeout { Sleep::new(std::future::pending()) } else { Sleep::new(async {}) }
    }
}

#[test]
fn a_custom_sleep_replaces_the_timer() {
    let t = RecordingTransport::new();
    let busy = || MockResponse::new(503).json(&json!({"message": "busy"}));
    t.respond(busy()).respond(busy()).respond(MockResponse::new(200).json(&file_json("abc")));
    let job = |status: &str| MockResponse::new(200).json(&json!({"jobId": "j1", "status": status}));
    t.respond(job("Pending")).respond(job("Completed"));
    let attempt_timeout = Duration::from_secs(45);
    let sleep = CountingSleep { attempt_timeout, pauses: Arc::default() };
    let client = Client::builder()
        .private_key(PRIVATE_KEY)
        .base_url(BASE_URL)
        .http_client(t.clone())
        .timeout(attempt_timeout)
        .sleep_impl(sleep.clone())
        .build()
        .unwrap();

    let started = Instant::now();
    let file = run(client.files().get("abc").into_future()).unwrap();
    assert_eq!(file.file_id.as_deref(), Some("abc"));
    let pauses = std::mem::take(&mut *sleep.pauses.lock().unwrap());
    // Per attempt a timeout timer; between attempts the backoff (0.5 s and 1 s, less up to 25 %).
    let timeouts = pauses.iter().filter(|d| **d == attempt_timeout).count();
    let backoffs: Vec<Duration> = pauses.iter().copied().filter(|d| *d != attempt_timeout).collect();
    assert_eq!(timeouts, 3, "{pauses:?}");
    assert_eq!(backoffs.len(), 2, "{pauses:?}");
    assert!((Duration::from_millis(375)..=Duration::from_millis(500)).contains(&backoffs[0]), "{backoffs:?}");
    assert!((Duration::from_millis(750)..=Duration::from_millis(1000)).contains(&backoffs[1]), "{backoffs:?}");

    let opts = WaitOptions::new().poll_interval(Duration::from_secs(7)).timeout(Duration::from_secs(600));
    let done = run(client.folders().job().wait("j1", opts)).unwrap();
    assert_eq!(done.status, Some(JobStatus::Completed));
    let pauses = sleep.pauses.lock().unwrap().clone();
    assert!(pauses.contains(&Duration::from_secs(600)), "the wait's own timeout: {pauses:?}");
    assert_eq!(pauses.iter().filter(|d| **d == Duration::from_secs(7)).count(), 1, "one poll pause: {pauses:?}");
    // The default timer would have taken over 1.1 s of backoff and 7 s of polling.
    assert!(started.elapsed() < Duration::from_secs(1), "no real waiting: {:?}", started.elapsed());
}

/// The packages `cargo tree` lists for `imagekit`'s normal dependencies.
fn dependency_tree(default_features: bool) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut args = vec!["tree", "-p", "imagekit", "-e", "normal", "--prefix", "none", "--format", "{p}", "--offline"];
    if !default_features {
        args.push("--no-default-features");
    }
    let out = std::process::Command::new(cargo)
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn without_default_features_no_async_runtime_is_a_dependency() {
    let lean = dependency_tree(false);
    assert!(lean.iter().any(|p| p == "futures-timer"), "the listing is real: {lean:?}");
    for runtime in ["tokio", "async-std", "smol", "async-io", "async-executor"] {
        assert!(!lean.iter().any(|p| p == runtime), "{runtime} in {lean:?}");
    }
    // And the default features do bring Tokio, so the check above can fail.
    assert!(dependency_tree(true).iter().any(|p| p == "tokio"));
}
