//! The media library listing and search, folders and folder jobs, purges,
//! custom metadata fields, and the account documents (saved extensions, named
//! transformations, origins, URL endpoints, usage; webhooks are in
//! `tests/account_webhooks.rs`), driven in-process with raw HTTP requests.
//! Files are seeded straight into the store.

mod access;
mod custom_metadata;
mod documents;
mod folders;
mod listing;
mod search;
mod usage;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{Method, StatusCode};
use imagekit_transport::{Body, HttpClient};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use crate::model::{FileRecord, FileVersion};
use crate::{DEFAULT_PRIVATE_KEY, Emulator, InProcess};

const ORIGIN: &str = "http://emu.local";
const DAY: i64 = 86_400_000;

fn emulator() -> InProcess {
    Emulator::builder().in_process(ORIGIN).unwrap()
}

fn basic() -> String {
    format!("Basic {}", STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")))
}

async fn send(
    client: &InProcess,
    method: Method,
    path: &str,
    auth: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = http::Request::builder().method(method).uri(format!("{ORIGIN}{path}"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    if !body.is_empty() {
        req = req.header("content-type", "application/json");
    }
    let resp = client.send(req.body(Body::from(body)).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    (status, value)
}

/// An API call with Basic auth and an optional JSON body.
async fn api(client: &InProcess, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let body = body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default();
    send(client, method, path, Some(&basic()), body).await
}

async fn get(client: &InProcess, path: &str) -> (StatusCode, Value) {
    api(client, Method::GET, path, None).await
}

async fn post(client: &InProcess, path: &str, body: Value) -> (StatusCode, Value) {
    api(client, Method::POST, path, Some(body)).await
}

/// An ImageKit-shaped error with `status`.
#[track_caller]
fn assert_error(status: StatusCode, body: &Value, expected: u16) {
    assert_eq!(status.as_u16(), expected, "body: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "no message: {body}");
    assert_eq!(body["help"], "For support kindly contact us at support@imagekit.io .", "{body}");
}

/// `message` contains `needle`.
#[track_caller]
fn assert_message(body: &Value, needle: &str) {
    let m = body["message"].as_str().unwrap_or_default();
    assert!(m.contains(needle), "message {m:?} does not contain {needle:?}");
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// `millis` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
fn iso(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        millis.rem_euclid(1000)
    )
}

/// A file to seed.
#[derive(Clone)]
struct Seed {
    path: &'static str,
    size: u64,
    dims: Option<(u32, u32)>,
    tags: &'static [&'static str],
    created: i64,
    private: bool,
    alpha: bool,
    meta: Value,
    versions: usize,
}

impl Seed {
    fn new(path: &'static str) -> Seed {
        Seed {
            path,
            size: 100,
            dims: None,
            tags: &[],
            created: now_ms(),
            private: false,
            alpha: false,
            meta: json!({}),
            versions: 0,
        }
    }
}

fn version(client: &InProcess, s: &Seed, id: &str, n: usize) -> FileVersion {
    let name = s.path.rsplit('/').next().unwrap().to_owned();
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_owned());
    let mime = match ext.as_deref() {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    };
    let blob = client.seed_blob(format!("bytes of {} v{n}", s.path).into_bytes());
    FileVersion {
        version_id: id.to_owned(),
        version_name: format!("Version {n}"),
        name,
        file_path: s.path.to_owned(),
        blob,
        size: s.size,
        mime: mime.into(),
        format: ext,
        width: s.dims.map(|d| d.0),
        height: s.dims.map(|d| d.1),
        has_alpha: Some(s.alpha),
        duration: None,
        tags: (!s.tags.is_empty()).then(|| s.tags.iter().map(|t| t.to_string()).collect()),
        ai_tags: None,
        custom_coordinates: None,
        custom_metadata: s.meta.as_object().cloned().unwrap_or_default(),
        embedded_metadata: Default::default(),
        description: None,
        is_private: s.private,
        is_published: true,
        created_at: iso(s.created),
        updated_at: iso(s.created + 1000),
    }
}

/// Store a file (with `versions` older versions) and its folders; its id.
fn seed(client: &InProcess, s: Seed) -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let file_id = format!("{:024x}", N.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 0xf00d_0000);
    let older: Vec<FileVersion> =
        (0..s.versions).map(|i| version(client, &s, &format!("{file_id}v{i}"), i + 1)).collect();
    let current = version(client, &s, &file_id, s.versions + 1);
    let folder = s.path.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
    client.seed(|tx| {
        tx.ensure_folder(&folder);
        tx.put_file(FileRecord { file_id: file_id.clone(), current, versions: older });
    });
    file_id
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|v| v["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn list(client: &InProcess, query: &str) -> Vec<String> {
    let (status, body) = get(client, &format!("/v1/files{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    names(&body)
}

async fn search(client: &InProcess, q: &str) -> Vec<String> {
    sorted(list(client, &format!("?searchQuery={}", enc(q))).await)
}

fn s(names: &[&str]) -> Vec<String> {
    sorted(names.iter().map(|n| n.to_string()).collect())
}

/// A small library: files at the root, in `/shop` and `/shop/shoes`.
fn library(client: &InProcess) {
    let now = now_ms();
    seed(
        client,
        Seed {
            dims: Some((100, 50)),
            size: 1000,
            tags: &["summer", "sale"],
            created: now - 400 * DAY,
            ..Seed::new("/a.jpg")
        },
    );
    seed(client, Seed { size: 5 * 1024 * 1024, created: now - 30 * DAY, private: true, ..Seed::new("/b.pdf") });
    seed(
        client,
        Seed {
            dims: Some((300, 200)),
            size: 60 * 1024,
            tags: &["winter"],
            created: now - 3 * DAY,
            alpha: true,
            meta: json!({"brand": "Nike", "price": 120}),
            versions: 1,
            ..Seed::new("/shop/c.png")
        },
    );
    seed(
        client,
        Seed {
            dims: Some((800, 600)),
            size: 2 * 1024 * 1024,
            tags: &["sale"],
            created: now - DAY / 2,
            ..Seed::new("/shop/shoes/d.jpg")
        },
    );
}

async fn poll(client: &InProcess, job_id: &str) -> Value {
    let (status, body) = get(client, &format!("/v1/bulkJobs/{job_id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn job_completes(client: &InProcess, resp: (StatusCode, Value), kind: &str) -> Value {
    let (status, body) = resp;
    assert_eq!(status, StatusCode::OK, "{body}");
    let job_id = body["jobId"].as_str().unwrap().to_owned();
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    let first = poll(client, &job_id).await;
    assert_eq!(first["jobId"], job_id.as_str());
    assert_eq!(first["type"], kind);
    assert_eq!(first["status"], "Pending");
    let second = poll(client, &job_id).await;
    assert_eq!(second["status"], "Completed");
    assert_eq!(poll(client, &job_id).await["status"], "Completed");
    second
}

async fn paths(client: &InProcess) -> Vec<String> {
    let (_, body) = get(client, "/v1/files?type=all").await;
    let mut out: Vec<String> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| match v["type"].as_str() {
            Some("folder") => format!("{}/", v["folderPath"].as_str().unwrap()),
            _ => v["filePath"].as_str().unwrap().to_owned(),
        })
        .collect();
    out.sort();
    out
}

async fn cmf(client: &InProcess, name: &str, label: &str, schema: Value) -> (StatusCode, Value) {
    post(client, "/v1/customMetadataFields", json!({"name": name, "label": label, "schema": schema})).await
}
