//! Upload progress (`Call::on_progress`): what a transport reading the body
//! chunk by chunk sees, for every kind of upload, across a retry, and against
//! the emulator over a real connection.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use common::*;
use imagekit::types::UploadParams;
use imagekit::{Client, UploadFile, UploadProgress};
use imagekit_transport::{Body, HttpClient, Request, Response, TransportError, async_trait};

type Events = Arc<Mutex<Vec<UploadProgress>>>;
/// Per attempt: (bytes read after each chunk, `sent` of the last event then).
type Seen = Arc<Mutex<Vec<Vec<(u64, u64)>>>>;

/// A transport that reads each request body chunk by chunk, as a connection
/// would, and answers from a script. After each chunk it notes what the last
/// progress event said, to check progress is counted when a chunk is taken.
#[derive(Clone)]
struct Reader {
    answers: Arc<Mutex<VecDeque<u16>>>,
    events: Events,
    seen: Seen,
    /// Per attempt: the whole body received.
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Reader {
    fn new(answers: &[u16]) -> Self {
        Reader {
            answers: Arc::new(Mutex::new(answers.iter().copied().collect())),
            events: Events::default(),
            seen: Arc::default(),
            bodies: Arc::default(),
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .private_key(PRIVATE_KEY)
            .public_key(PUBLIC_KEY)
            .base_url(BASE_URL)
            .http_client(self.clone())
            .build()
            .unwrap()
    }

    fn callback(&self) -> impl Fn(UploadProgress) + Send + Sync + 'static {
        let events = Arc::clone(&self.events);
        move |p| events.lock().unwrap().push(p)
    }

    fn events(&self) -> Vec<UploadProgress> {
        self.events.lock().unwrap().clone()
    }
}

#[async_trait]
impl HttpClient for Reader {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let mut body = request.into_body();
        let (mut received, mut seen) = (Vec::new(), Vec::new());
        while let Some(chunk) = body.chunk().await {
            received.extend_from_slice(&chunk?);
            let last_sent = self.events.lock().unwrap().last().map_or(0, |p| p.sent);
            seen.push((received.len() as u64, last_sent));
        }
        self.seen.lock().unwrap().push(seen);
        self.bodies.lock().unwrap().push(received);
        let status = self.answers.lock().unwrap().pop_front().expect("more attempts than answers");
        let answer = if status == 200 {
            r#"{"fileId":"f1","name":"a.bin","filePath":"/a.bin","size":3}"#
        } else {
            r#"{"message":"try again"}"#
        };
        // No wait before the retry.
        let response = http::Response::builder().status(status).header("retry-after-ms", "1");
        Ok(response.body(Body::from(answer)).unwrap())
    }
}

/// The checks every upload's events pass: per attempt, a first event at 0,
/// `sent` never falling, `total` and `attempt` fixed, the last event equal to
/// the bytes the transport received (and to the total, when known); and at
/// each chunk the transport took, the last event counted exactly what it had.
fn check_attempts(reader: &Reader, attempts: usize, total_known: bool) {
    let events = reader.events();
    let bodies = reader.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), attempts);
    let mut rest = &events[..];
    for (n, body) in bodies.iter().enumerate() {
        let attempt = n as u32 + 1;
        let len = rest.iter().take_while(|p| p.attempt == attempt).count();
        let (this, next) = rest.split_at(len);
        rest = next;
        assert!(!this.is_empty(), "no events for attempt {attempt}: {events:?}");
        assert_eq!(this[0].sent, 0, "attempt {attempt} starts from 0: {events:?}");
        assert!(this.windows(2).all(|w| w[0].sent <= w[1].sent), "attempt {attempt} went back: {events:?}");
        let total = this[0].total;
        assert!(this.iter().all(|p| p.total == total), "{events:?}");
        let last = this.last().unwrap();
        assert_eq!(last.sent, body.len() as u64, "attempt {attempt}: all of the body, no more: {events:?}");
        if total_known {
            assert_eq!(total, Some(body.len() as u64), "{events:?}");
            assert_eq!(last.fraction(), Some(1.0));
        } else {
            assert_eq!(total, None, "{events:?}");
        }
        // Counted as taken: never ahead of the transport, never behind it.
        for &(read, sent) in &reader.seen.lock().unwrap()[n] {
            assert_eq!(read, sent, "attempt {attempt}: counted {sent} when the transport had {read}");
        }
    }
    assert!(rest.is_empty(), "events after the last attempt: {rest:?}");
}

fn params() -> UploadParams {
    UploadParams::new("a.bin")
}

/// A file in the temp dir, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("imagekit-progress-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[tokio::test]
async fn bytes_upload_reports_up_to_the_total() {
    let reader = Reader::new(&[200]);
    let file = UploadFile::bytes(data(100_000));
    reader.client().files().upload(file, params()).on_progress(reader.callback()).await.unwrap();
    check_attempts(&reader, 1, true);
    let events = reader.events();
    assert!(events.len() >= 3, "the form's parts are chunks of their own: {events:?}");
    // The total is the whole form: the file and its framing.
    assert!(events[0].total.unwrap() > 100_000);
}

#[tokio::test]
async fn path_upload_reports_many_chunks() {
    // Several of the disk reader's 256 KiB chunks.
    let file = TempFile::new("path", &data(1_000_000));
    let reader = Reader::new(&[200]);
    reader.client().files().upload(UploadFile::path(&file.0), params()).on_progress(reader.callback()).await.unwrap();
    check_attempts(&reader, 1, true);
    assert!(reader.events().len() >= 6, "{:?}", reader.events());
}

#[tokio::test]
async fn a_retry_restarts_from_zero_with_the_next_attempt() {
    let file = TempFile::new("retry", &data(600_000));
    let reader = Reader::new(&[503, 200]);
    // Not unique: a 503 may then be retried (a unique name could store a second copy).
    let params = params().use_unique_file_name(false);
    let call = reader.client().files().upload(UploadFile::path(&file.0), params).max_retries(1);
    call.on_progress(reader.callback()).await.unwrap();
    check_attempts(&reader, 2, true);
    let events = reader.events();
    let second = events.iter().position(|p| p.attempt == 2).expect("a second attempt");
    assert_eq!(events[second - 1].sent, events[second - 1].total.unwrap(), "the first attempt was sent in full");
    assert_eq!(events[second].sent, 0, "{events:?}");
    assert_eq!(events.last().unwrap().attempt, 2);
}

#[tokio::test]
async fn streams_and_readers_with_and_without_a_length() {
    let bytes = data(200_000);
    let chunks: Vec<Vec<u8>> = bytes.chunks(30_000).map(<[u8]>::to_vec).collect();
    for len in [Some(bytes.len() as u64), None] {
        let reader = Reader::new(&[200]);
        let items = chunks.clone().into_iter().map(Ok::<_, std::io::Error>);
        let file = UploadFile::stream(futures::stream::iter(items), len);
        reader.client().files().upload(file, params()).on_progress(reader.callback()).await.unwrap();
        check_attempts(&reader, 1, len.is_some());

        let reader = Reader::new(&[200]);
        let file = UploadFile::async_read(futures::io::Cursor::new(bytes.clone()), len);
        reader.client().files().upload(file, params()).on_progress(reader.callback()).await.unwrap();
        check_attempts(&reader, 1, len.is_some());

        let reader = Reader::new(&[200]);
        let file = UploadFile::reader(std::io::Cursor::new(bytes.clone()), len);
        reader.client().files().upload(file, params()).on_progress(reader.callback()).await.unwrap();
        check_attempts(&reader, 1, len.is_some());
    }
}

#[tokio::test]
async fn v2_and_client_side_uploads_report_too() {
    let reader = Reader::new(&[200]);
    let call = reader.client().beta().v2().files().upload(UploadFile::bytes(data(70_000)), params());
    call.on_progress(reader.callback()).await.unwrap();
    check_attempts(&reader, 1, true);

    let reader = Reader::new(&[200]);
    let auth = reader.client().auth_params();
    let call = reader.client().files().upload_client_side(UploadFile::bytes(data(70_000)), params(), &auth);
    call.on_progress(reader.callback()).await.unwrap();
    check_attempts(&reader, 1, true);
}

#[tokio::test]
async fn over_a_real_connection_to_the_emulator() {
    let emulator = imagekit_emulator::Emulator::builder().start().await.unwrap();
    let client = Client::builder()
        .private_key(emulator.private_key())
        .public_key(emulator.public_key())
        .base_url(emulator.base_url())
        .build()
        .unwrap();
    let file = TempFile::new("emulator", &data(3 * 1024 * 1024 + 17));
    let events = Events::default();
    let sink = Arc::clone(&events);
    let uploaded = client
        .files()
        .upload(UploadFile::path(&file.0), UploadParams::new("big.bin"))
        .on_progress(move |p| sink.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(uploaded.size, Some(3 * 1024 * 1024 + 17));
    let events = events.lock().unwrap().clone();
    assert_eq!(events[0].sent, 0);
    assert!(events.windows(2).all(|w| w[0].sent <= w[1].sent && w[0].attempt == 1 && w[1].attempt == 1));
    let last = events.last().unwrap();
    assert_eq!(Some(last.sent), last.total, "{last:?}");
    assert!(last.sent > 3 * 1024 * 1024 + 17, "the file and its form: {last:?}");
}
