//! The media library listing and search, folders and folder jobs, purges,
//! custom metadata fields, and the account documents (saved extensions, named
//! transformations, origins, URL endpoints, usage; webhooks are in
//! `account_webhooks.rs`), driven in-process
//! with raw HTTP requests. Files are seeded straight into the store.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{Method, StatusCode};
use imagekit_emulator::api::cmf::{check_required, validate_custom_metadata};
use imagekit_emulator::model::{FileRecord, FileVersion};
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

const ORIGIN: &str = "http://emu.local";
const DAY: i64 = 86_400_000;

// ---------------------------------------------------------------- helpers

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

// ---------------------------------------------------------------- auth and errors

#[tokio::test]
async fn every_route_needs_the_private_key() {
    let client = emulator();
    let routes = [
        (Method::GET, "/v1/files"),
        (Method::POST, "/v1/folder"),
        (Method::DELETE, "/v1/folder"),
        (Method::POST, "/v1/bulkJobs/copyFolder"),
        (Method::GET, "/v1/bulkJobs/x"),
        (Method::POST, "/v1/files/purge"),
        (Method::GET, "/v1/files/purge/x"),
        (Method::GET, "/v1/customMetadataFields"),
        (Method::GET, "/v1/saved-extensions"),
        (Method::GET, "/v1/named-transformations"),
        (Method::GET, "/v1/accounts/origins"),
        (Method::GET, "/v1/accounts/url-endpoints"),
        (Method::GET, "/v1/accounts/webhooks"),
        (Method::GET, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-01-02"),
    ];
    let wrong = format!("Basic {}", STANDARD.encode("private_wrong:"));
    for (method, path) in routes {
        let (status, body) = send(&client, method.clone(), path, None, Vec::new()).await;
        assert_error(status, &body, 401);
        let (status, body) = send(&client, method.clone(), path, Some(&wrong), Vec::new()).await;
        assert_error(status, &body, 401);
        let (status, body) = send(&client, method, path, Some("Bearer x"), Vec::new()).await;
        assert_error(status, &body, 401);
    }
}

#[tokio::test]
async fn junk_bodies_never_crash_a_handler() {
    let client = emulator();
    let routes = [
        (Method::POST, "/v1/folder"),
        (Method::DELETE, "/v1/folder"),
        (Method::POST, "/v1/bulkJobs/copyFolder"),
        (Method::POST, "/v1/bulkJobs/moveFolder"),
        (Method::POST, "/v1/bulkJobs/renameFolder"),
        (Method::POST, "/v1/files/purge"),
        (Method::POST, "/v1/customMetadataFields"),
        (Method::PATCH, "/v1/customMetadataFields/x"),
        (Method::POST, "/v1/saved-extensions"),
        (Method::PATCH, "/v1/saved-extensions/x"),
        (Method::POST, "/v1/named-transformations"),
        (Method::PATCH, "/v1/named-transformations/x"),
        (Method::POST, "/v1/accounts/origins"),
        (Method::PUT, "/v1/accounts/origins/x"),
        (Method::POST, "/v1/accounts/url-endpoints"),
        (Method::PUT, "/v1/accounts/url-endpoints/default"),
        (Method::POST, "/v1/accounts/webhooks"),
        (Method::PATCH, "/v1/accounts/webhooks/x"),
    ];
    let bodies: [&[u8]; 9] = [
        b"",
        b"{",
        b"[]",
        b"null",
        b"42",
        b"\"str\"",
        b"{\"folderName\":1,\"name\":[],\"schema\":\"x\",\"type\":7,\"url\":{}}",
        b"{\"sourceFolderPath\":\"/\",\"destinationPath\":\"/\",\"folderPath\":\"/\",\"newFolderName\":\"\"}",
        b"\xff\xfe\x00",
    ];
    for (method, path) in &routes {
        for body in bodies {
            let (status, resp) = send(&client, method.clone(), path, Some(&basic()), body.to_vec()).await;
            assert!(status.is_client_error(), "{method} {path} {:?}: {status} {resp}", String::from_utf8_lossy(body));
            assert!(resp["message"].is_string(), "{method} {path}: {resp}");
        }
    }
    for q in ["type=%00", "sort=", "limit=-5", "skip=1e9", "searchQuery=%22", "searchQuery=((((", "path=%2F%2F%2F"] {
        let (status, resp) = get(&client, &format!("/v1/files?{q}")).await;
        assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{q}: {status} {resp}");
    }
}

// ---------------------------------------------------------------- listing

#[tokio::test]
async fn list_by_type() {
    let client = emulator();
    library(&client);
    let files = s(&["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    let folders = s(&["shop", "shoes"]);
    let all = sorted(files.iter().chain(&folders).cloned().collect());
    assert_eq!(sorted(list(&client, "").await), all);
    assert_eq!(sorted(list(&client, "?type=all").await), all);
    assert_eq!(sorted(list(&client, "?type=file").await), files);
    assert_eq!(sorted(list(&client, "?type=folder").await), folders);

    let (status, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(status, StatusCode::OK);
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["type"], "file-version");
    assert_eq!(versions[0]["name"], "c.png");
    assert_eq!(versions[0]["versionInfo"]["name"], "Version 1");

    let (_, body) = get(&client, "/v1/files?type=all&sort=ASC_NAME").await;
    for item in body.as_array().unwrap() {
        match item["type"].as_str().unwrap() {
            "file" => {
                assert!(item["fileId"].is_string() && item["filePath"].is_string() && item["url"].is_string());
                assert!(item["url"].as_str().unwrap().starts_with("http://emu.local/emulator/"));
            }
            "folder" => {
                assert!(item["folderId"].is_string() && item["folderPath"].is_string());
                assert_eq!(item["customMetadata"], json!({}));
            }
            other => panic!("unexpected type {other}"),
        }
    }
}

#[tokio::test]
async fn list_by_path_and_file_type() {
    let client = emulator();
    library(&client);
    assert_eq!(sorted(list(&client, "?path=/shop").await), s(&["c.png", "shoes"]));
    assert_eq!(sorted(list(&client, "?path=%2Fshop%2F").await), s(&["c.png", "shoes"]));
    assert_eq!(sorted(list(&client, "?path=/shop/shoes/").await), s(&["d.jpg"]));
    assert_eq!(sorted(list(&client, "?path=/").await), s(&["a.jpg", "b.pdf", "shop"]));
    assert_eq!(list(&client, "?path=/nowhere").await, Vec::<String>::new());
    assert_eq!(sorted(list(&client, "?type=file&fileType=image").await), s(&["a.jpg", "c.png", "d.jpg"]));
    assert_eq!(list(&client, "?type=file&fileType=non-image").await, vec!["b.pdf"]);
    assert_eq!(sorted(list(&client, "?type=file&fileType=all").await), s(&["a.jpg", "b.pdf", "c.png", "d.jpg"]));
    // fileType filters files; folders stay.
    assert_eq!(sorted(list(&client, "?fileType=non-image").await), s(&["b.pdf", "shop", "shoes"]));
    // Legacy filters.
    assert_eq!(sorted(list(&client, "?type=file&tags=sale,nothing").await), s(&["a.jpg", "d.jpg"]));
    assert_eq!(list(&client, "?name=c.png").await, vec!["c.png"]);
}

#[tokio::test]
async fn list_sorted() {
    let client = emulator();
    library(&client);
    let q = |sort: &str| format!("?type=file&sort={sort}");
    assert_eq!(list(&client, &q("ASC_NAME")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_NAME")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
    assert_eq!(list(&client, &q("ASC_CREATED")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, "?type=file").await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_CREATED")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
    assert_eq!(list(&client, &q("ASC_UPDATED")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_UPDATED")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
    assert_eq!(list(&client, &q("ASC_SIZE")).await, ["a.jpg", "c.png", "d.jpg", "b.pdf"]);
    assert_eq!(list(&client, &q("DESC_SIZE")).await, ["b.pdf", "d.jpg", "c.png", "a.jpg"]);
    // No width (the PDF) sorts first ascending, last descending.
    assert_eq!(list(&client, &q("ASC_WIDTH")).await, ["b.pdf", "a.jpg", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_WIDTH")).await, ["d.jpg", "c.png", "a.jpg", "b.pdf"]);
    assert_eq!(list(&client, &q("ASC_HEIGHT")).await, ["b.pdf", "a.jpg", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_HEIGHT")).await, ["d.jpg", "c.png", "a.jpg", "b.pdf"]);
    assert_eq!(list(&client, &q("ASC_RELEVANCE")).await, ["a.jpg", "b.pdf", "c.png", "d.jpg"]);
    assert_eq!(list(&client, &q("DESC_RELEVANCE")).await, ["d.jpg", "c.png", "b.pdf", "a.jpg"]);
}

#[tokio::test]
async fn list_skip_and_limit() {
    let client = emulator();
    library(&client);
    let base = "?type=file&sort=ASC_NAME";
    assert_eq!(list(&client, &format!("{base}&limit=2")).await, ["a.jpg", "b.pdf"]);
    assert_eq!(list(&client, &format!("{base}&skip=1&limit=2")).await, ["b.pdf", "c.png"]);
    assert_eq!(list(&client, &format!("{base}&skip=3")).await, ["d.jpg"]);
    assert_eq!(list(&client, &format!("{base}&skip=4")).await, Vec::<String>::new());
    assert_eq!(list(&client, &format!("{base}&skip=99999999999&limit=1000")).await, Vec::<String>::new());
    assert_eq!(list(&client, &format!("{base}&limit=1000&skip=0")).await.len(), 4);
}

#[tokio::test]
async fn list_rejects_bad_parameters() {
    let client = emulator();
    for (q, needle) in [
        ("type=files", "type"),
        ("type=", "type"),
        ("sort=NAME", "sort"),
        ("sort=asc_name", "sort"),
        ("fileType=video", "fileType"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("skip=-1", "skip"),
        ("skip=1.5", "skip"),
        ("searchQuery=name%20%3D", "searchQuery"),
    ] {
        let (status, body) = get(&client, &format!("/v1/files?{q}")).await;
        assert_error(status, &body, 400);
        assert_message(&body, needle);
    }
}

// ---------------------------------------------------------------- search

#[tokio::test]
async fn search_operators() {
    let client = emulator();
    library(&client);
    assert_eq!(search(&client, r#"name = "a.jpg""#).await, s(&["a.jpg"]));
    assert_eq!(search(&client, r#"name : "sho""#).await, s(&["shoes", "shop"]));
    assert_eq!(search(&client, r#"name IN ["a.jpg", "d.jpg", "zzz"]"#).await, s(&["a.jpg", "d.jpg"]));
    assert_eq!(search(&client, r#"name NOT IN ["a.jpg", "shop", "shoes"]"#).await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"tags = "sale""#).await, s(&["a.jpg", "d.jpg"]));
    assert_eq!(search(&client, r#""tags" IN ["winter", "summer"]"#).await, s(&["a.jpg", "c.png"]));
    assert_eq!(search(&client, r#"format = "png""#).await, s(&["c.png"]));
    assert_eq!(search(&client, "width > 100").await, s(&["c.png", "d.jpg"]));
    assert_eq!(search(&client, "width >= 100").await, s(&["a.jpg", "c.png", "d.jpg"]));
    assert_eq!(search(&client, "height < 200").await, s(&["a.jpg"]));
    assert_eq!(search(&client, "height <= 200").await, s(&["a.jpg", "c.png"]));
    assert_eq!(search(&client, "width = 800").await, s(&["d.jpg"]));
    assert_eq!(search(&client, "private = true").await, s(&["b.pdf"]));
    assert_eq!(search(&client, "transparency = true").await, s(&["c.png"]));
    assert_eq!(search(&client, r#""customMetadata.brand" = "Nike""#).await, s(&["c.png"]));
    assert_eq!(search(&client, r#""customMetadata.price" >= 100"#).await, s(&["c.png"]));
}

#[tokio::test]
async fn search_sizes_with_units() {
    let client = emulator();
    library(&client);
    assert_eq!(search(&client, "size > 50kb").await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"size < "1mb""#).await, s(&["a.jpg", "c.png"]));
    assert_eq!(search(&client, "size >= 2mb").await, s(&["b.pdf", "d.jpg"]));
    assert_eq!(search(&client, "size > 4MB").await, s(&["b.pdf"]));
    assert_eq!(search(&client, "size < 1gb AND size > 1000").await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, "size = 1000").await, s(&["a.jpg"]));
}

#[tokio::test]
async fn search_dates() {
    let client = emulator();
    library(&client);
    // The folders were made just now.
    assert_eq!(search(&client, r#"createdAt > "7d""#).await, s(&["c.png", "d.jpg", "shop", "shoes"]));
    assert_eq!(search(&client, r#"createdAt > 1d AND type = "file""#).await, s(&["d.jpg"]));
    assert_eq!(search(&client, r#"createdAt > "12h" AND NOT type = "folder""#).await, Vec::<String>::new());
    assert_eq!(search(&client, r#"createdAt > "2w" AND type = "file""#).await, s(&["c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"createdAt > "2m" AND type = "file""#).await, s(&["b.pdf", "c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"createdAt < "1y""#).await, s(&["a.jpg"]));
    assert_eq!(search(&client, r#"updatedAt < "1y""#).await, s(&["a.jpg"]));
    let cutoff = iso(now_ms() - 10 * DAY);
    assert_eq!(search(&client, &format!(r#"createdAt < "{cutoff}""#)).await, s(&["a.jpg", "b.pdf"]));
    assert_eq!(search(&client, &format!("createdAt < {}", &cutoff[..10])).await, s(&["a.jpg", "b.pdf"]));
    assert_eq!(search(&client, "createdAt > 2000-01-01 AND createdAt < 2000-01-02").await, Vec::<String>::new());
}

#[tokio::test]
async fn search_logic_paths_and_types() {
    let client = emulator();
    library(&client);
    assert_eq!(search(&client, r#"name = "a.jpg" OR name = "b.pdf""#).await, s(&["a.jpg", "b.pdf"]));
    assert_eq!(search(&client, r#"tags = "sale" AND width > 500"#).await, s(&["d.jpg"]));
    assert_eq!(search(&client, r#"NOT type = "folder" AND NOT tags = "sale""#).await, s(&["b.pdf", "c.png"]));
    assert_eq!(
        search(&client, r#"(size < "1mb" AND width > 200) OR (tags IN ["summer", "banner"])"#).await,
        s(&["a.jpg", "c.png"])
    );
    assert_eq!(search(&client, r#"name = "a.jpg" OR name = "b.pdf" AND private = false"#).await, s(&["a.jpg"]));
    assert_eq!(search(&client, r#"(name = "a.jpg" OR name = "b.pdf") AND private = true"#).await, s(&["b.pdf"]));
    // The query searches every folder; path inside it narrows.
    assert_eq!(search(&client, r#"path = "/shop""#).await, s(&["c.png", "shoes"]));
    assert_eq!(search(&client, r#"path : "/shop""#).await, s(&["c.png", "shoes", "d.jpg"]));
    assert_eq!(search(&client, r#"path : "/shop" AND type = "file""#).await, s(&["c.png", "d.jpg"]));
    assert_eq!(search(&client, r#"type = "folder""#).await, s(&["shop", "shoes"]));
    // Versions only when asked for.
    let (_, v) = get(&client, &format!("/v1/files?searchQuery={}", enc(r#"type = "file-version""#))).await;
    assert_eq!(names(&v), ["c.png"]);
    assert_eq!(v[0]["type"], "file-version");
    // With a searchQuery, type/tags/name are ignored; path, fileType, sort and paging still apply.
    let q = enc(r#"tags = "sale""#);
    assert_eq!(
        sorted(list(&client, &format!("?searchQuery={q}&type=folder&name=x&tags=winter")).await),
        s(&["a.jpg", "d.jpg"])
    );
    assert_eq!(list(&client, &format!("?searchQuery={q}&path=/shop/shoes")).await, ["d.jpg"]);
    assert_eq!(list(&client, &format!("?searchQuery={q}&sort=DESC_NAME&limit=1")).await, ["d.jpg"]);
    assert_eq!(list(&client, &format!("?searchQuery={q}&fileType=non-image")).await, Vec::<String>::new());
}

#[tokio::test]
async fn search_errors_name_the_problem() {
    let client = emulator();
    for (q, needle) in [
        (r#"colour = "red""#, "unsupported field `colour`"),
        (r#"name < "x""#, "operator `<` is not supported for field `name`"),
        (r#"createdAt > "soon""#, "`soon` is not a date"),
        ("size > huge", "`huge` is not a size"),
        ("private = yes", "`yes` is not true or false"),
        (r#"name = "x" AND"#, "expected a field name"),
        (r#"(name = "x""#, "expected `)`"),
        (r#"name = "x"#, "unterminated string"),
        (r#"tags IN "x""#, "`[`"),
        (r#"name != "x""#, "unsupported character `!`"),
        (r#"name = "x" extra"#, "end of the query"),
    ] {
        let (status, body) = get(&client, &format!("/v1/files?searchQuery={}", enc(q))).await;
        assert_error(status, &body, 400);
        assert_message(&body, needle);
    }
}

// ---------------------------------------------------------------- folders

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

#[tokio::test]
async fn create_folders() {
    let client = emulator();
    let (status, body) = post(&client, "/v1/folder", json!({"folderName": "summer", "parentFolderPath": "/"})).await;
    assert_eq!((status, body), (StatusCode::CREATED, json!({})));
    let (status, _) =
        post(&client, "/v1/folder", json!({"folderName": "new arrivals!", "parentFolderPath": "/shop/men"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = post(&client, "/v1/folder", json!({"folderName": "été-2025", "parentFolderPath": "shop"})).await;
    assert_eq!(status, StatusCode::CREATED);
    // Again: fine.
    let (status, _) = post(&client, "/v1/folder", json!({"folderName": "summer", "parentFolderPath": "/"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        paths(&client).await,
        ["/shop/", "/shop/men/", "/shop/men/new_arrivals_/", "/shop/été_2025/", "/summer/"]
    );
    let (_, folder) = get(&client, "/v1/files?type=folder&path=/shop/men").await;
    assert_eq!(folder[0]["name"], "new_arrivals_");
    assert_eq!(folder[0]["folderPath"], "/shop/men/new_arrivals_");

    for body in [
        json!({"parentFolderPath": "/"}),
        json!({"folderName": "x"}),
        json!({"folderName": " ", "parentFolderPath": "/"}),
    ] {
        let (status, resp) = post(&client, "/v1/folder", body).await;
        assert_error(status, &resp, 400);
    }
}

#[tokio::test]
async fn delete_folders() {
    let client = emulator();
    seed(&client, Seed::new("/keep/x.pdf"));
    seed(&client, Seed { versions: 2, ..Seed::new("/gone/a.pdf") });
    seed(&client, Seed::new("/gone/deep/er/b.pdf"));
    seed(&client, Seed::new("/gone-not/c.pdf"));
    let (_, before) = get(&client, "/v1/files?type=file&path=/gone").await;
    let url = before[0]["url"].as_str().unwrap().to_owned();
    let (status, _) = send(&client, Method::GET, url.trim_start_matches(ORIGIN), None, Vec::new()).await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/gone/"}))).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(paths(&client).await, ["/gone-not/", "/gone-not/c.pdf", "/keep/", "/keep/x.pdf"]);
    let (status, _) = send(&client, Method::GET, url.trim_start_matches(ORIGIN), None, Vec::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/gone"}))).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({}))).await;
    assert_error(status, &body, 400);
    let (status, body) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/"}))).await;
    assert_error(status, &body, 400);
    // An empty folder with no files can be deleted too.
    post(&client, "/v1/folder", json!({"folderName": "empty", "parentFolderPath": "/"})).await;
    let (status, _) = api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "empty"}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn copy_folder_into_destination() {
    let client = emulator();
    seed(&client, Seed { versions: 1, ..Seed::new("/a/sub/x.pdf") });
    seed(&client, Seed::new("/a/sub/deeper/y.pdf"));
    seed(&client, Seed::new("/a/other.pdf"));
    post(&client, "/v1/folder", json!({"folderName": "b", "parentFolderPath": "/"})).await;

    let resp =
        post(&client, "/v1/bulkJobs/copyFolder", json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"})).await;
    let done = job_completes(&client, resp, "COPY_FOLDER").await;
    assert!(done.get("purgeRequestId").is_none());
    assert_eq!(
        paths(&client).await,
        [
            "/a/",
            "/a/other.pdf",
            "/a/sub/",
            "/a/sub/deeper/",
            "/a/sub/deeper/y.pdf",
            "/a/sub/x.pdf",
            "/b/",
            "/b/sub/",
            "/b/sub/deeper/",
            "/b/sub/deeper/y.pdf",
            "/b/sub/x.pdf",
        ]
    );
    // Without includeVersions only the current version is copied; copies have new ids.
    let (_, src) = get(&client, "/v1/files?type=file&path=/a/sub").await;
    let (_, copy) = get(&client, "/v1/files?type=file&path=/b/sub").await;
    assert_ne!(src[0]["fileId"], copy[0]["fileId"]);
    assert_eq!(copy[0]["versionInfo"]["name"], "Version 1");
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions.as_array().unwrap().len(), 1);

    // With versions, into a destination that does not exist yet.
    let resp = post(
        &client,
        "/v1/bulkJobs/copyFolder",
        json!({"sourceFolderPath": "/a/sub/", "destinationPath": "/c/d", "includeVersions": true}),
    )
    .await;
    job_completes(&client, resp, "COPY_FOLDER").await;
    let (_, copy) = get(&client, "/v1/files?type=file&path=/c/d/sub").await;
    assert_eq!(names(&copy), ["x.pdf"]);
    assert_eq!(copy[0]["versionInfo"]["name"], "Version 2");
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions.as_array().unwrap().len(), 2);

    // Copies have bytes of their own.
    let url = copy[0]["url"].as_str().unwrap().trim_start_matches(ORIGIN).to_owned();
    api(&client, Method::DELETE, "/v1/folder", Some(json!({"folderPath": "/a"}))).await;
    let (status, body) = send(&client, Method::GET, &url, None, Vec::new()).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Copying again into the same place adds versions to the existing files.
    let resp =
        post(&client, "/v1/bulkJobs/copyFolder", json!({"sourceFolderPath": "/b/sub", "destinationPath": "/c/d"}))
            .await;
    job_completes(&client, resp, "COPY_FOLDER").await;
    let (_, copy) = get(&client, "/v1/files?type=file&path=/c/d/sub").await;
    assert_eq!(copy[0]["versionInfo"]["name"], "Version 3");
}

#[tokio::test]
async fn copy_folder_errors() {
    let client = emulator();
    seed(&client, Seed::new("/a/sub/x.pdf"));
    let cases = [
        (json!({"sourceFolderPath": "/missing", "destinationPath": "/b"}), 404),
        (json!({"sourceFolderPath": "/a", "destinationPath": "/a/sub"}), 400),
        (json!({"sourceFolderPath": "/a", "destinationPath": "/a"}), 400),
        (json!({"sourceFolderPath": "/a/sub", "destinationPath": "/a"}), 400),
        (json!({"sourceFolderPath": "/", "destinationPath": "/b"}), 400),
        (json!({"sourceFolderPath": "/a"}), 400),
        (json!({"destinationPath": "/a"}), 400),
        (json!({"sourceFolderPath": "", "destinationPath": "/b"}), 400),
        (json!({"sourceFolderPath": 5, "destinationPath": "/b"}), 400),
    ];
    for (body, expected) in cases {
        let (status, resp) = post(&client, "/v1/bulkJobs/copyFolder", body.clone()).await;
        assert_error(status, &resp, expected);
    }
    let (status, body) = get(&client, "/v1/bulkJobs/000000000000000000000000").await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn move_folder_into_destination() {
    let client = emulator();
    let id = seed(&client, Seed { versions: 1, ..Seed::new("/a/sub/x.pdf") });
    seed(&client, Seed::new("/a/sub/deeper/y.pdf"));
    seed(&client, Seed::new("/b/sub/y.pdf"));
    client.seed(|tx| {
        let mut f = tx.db().folders.get("/a/sub").cloned().unwrap();
        f.custom_metadata.insert("k".into(), json!("v"));
        tx.put_folder(f);
    });
    let (_, before) = get(&client, "/v1/files?type=folder&path=/a").await;

    let resp =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"})).await;
    job_completes(&client, resp, "MOVE_FOLDER").await;
    assert_eq!(
        paths(&client).await,
        ["/a/", "/b/", "/b/sub/", "/b/sub/deeper/", "/b/sub/deeper/y.pdf", "/b/sub/x.pdf", "/b/sub/y.pdf"]
    );
    // The file keeps its id and versions; its versions moved too.
    let (status, details) =
        get(&client, &format!("/v1/files?type=file&path=/b/sub&searchQuery={}", enc(r#"name = "x.pdf""#))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(details[0]["fileId"], id.as_str());
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions[0]["filePath"], "/b/sub/x.pdf");
    // /b/sub existed: it is merged into, keeping its own record.
    let (_, moved) = get(&client, "/v1/files?type=folder&path=/b").await;
    assert_ne!(moved[0]["folderId"], before[0]["folderId"]);

    // A folder moved where nothing exists keeps its id and metadata.
    seed(&client, Seed::new("/m/n/z.pdf"));
    client.seed(|tx| {
        let mut f = tx.db().folders.get("/m/n").cloned().unwrap();
        f.custom_metadata.insert("k".into(), json!("v"));
        tx.put_folder(f);
    });
    let (_, before) = get(&client, "/v1/files?type=folder&path=/m").await;
    let resp =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/m/n", "destinationPath": "/"})).await;
    job_completes(&client, resp, "MOVE_FOLDER").await;
    let (_, after) = get(&client, &format!("/v1/files?searchQuery={}", enc(r#"type = "folder" AND name = "n""#))).await;
    assert_eq!(after[0]["folderPath"], "/n");
    assert_eq!(after[0]["folderId"], before[0]["folderId"]);
    assert_eq!(after[0]["customMetadata"], json!({"k": "v"}));

    let (status, body) =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"})).await;
    assert_error(status, &body, 404);
    let (status, body) =
        post(&client, "/v1/bulkJobs/moveFolder", json!({"sourceFolderPath": "/b", "destinationPath": "/b/sub"})).await;
    assert_error(status, &body, 400);
    let (status, body) = post(&client, "/v1/bulkJobs/moveFolder", json!({"destinationPath": "/b"})).await;
    assert_error(status, &body, 400);
}

#[tokio::test]
async fn rename_folder_with_purge() {
    let client = emulator();
    seed(&client, Seed::new("/shop/old/x.pdf"));
    seed(&client, Seed::new("/shop/old/in/y.pdf"));
    seed(&client, Seed::new("/shop/taken/z.pdf"));

    let resp =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/shop/old", "newFolderName": "new name-2"}))
            .await;
    let done = job_completes(&client, resp, "RENAME_FOLDER").await;
    assert!(done.get("purgeRequestId").is_none());
    assert_eq!(
        paths(&client).await,
        [
            "/shop/",
            "/shop/new_name-2/",
            "/shop/new_name-2/in/",
            "/shop/new_name-2/in/y.pdf",
            "/shop/new_name-2/x.pdf",
            "/shop/taken/",
            "/shop/taken/z.pdf"
        ]
    );

    let resp = post(
        &client,
        "/v1/bulkJobs/renameFolder",
        json!({"folderPath": "/shop/new_name-2/", "newFolderName": "fresh", "purgeCache": true}),
    )
    .await;
    let done = job_completes(&client, resp, "RENAME_FOLDER").await;
    let purge = done["purgeRequestId"].as_str().expect("purgeRequestId").to_owned();
    let (status, body) = get(&client, &format!("/v1/files/purge/{purge}")).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "Pending"})));
    let (_, body) = get(&client, &format!("/v1/files/purge/{purge}")).await;
    assert_eq!(body, json!({"status": "Completed"}));
    assert_eq!(sorted(list(&client, "?path=/shop/fresh").await), s(&["in", "x.pdf"]));

    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/shop/fresh", "newFolderName": "taken"}))
            .await;
    assert_error(status, &body, 409);
    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/nope", "newFolderName": "x"})).await;
    assert_error(status, &body, 404);
    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/shop/fresh", "newFolderName": ""})).await;
    assert_error(status, &body, 400);
    let (status, body) =
        post(&client, "/v1/bulkJobs/renameFolder", json!({"folderPath": "/", "newFolderName": "x"})).await;
    assert_error(status, &body, 400);
}

// ---------------------------------------------------------------- purge

#[tokio::test]
async fn purge_requests() {
    let client = emulator();
    let (status, body) = post(&client, "/v1/files/purge", json!({"url": "http://emu.local/emulator/a.jpg*"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = body["requestId"].as_str().unwrap().to_owned();
    let (_, first) = get(&client, &format!("/v1/files/purge/{id}")).await;
    assert_eq!(first, json!({"status": "Pending"}));
    let (_, second) = get(&client, &format!("/v1/files/purge/{id}")).await;
    assert_eq!(second, json!({"status": "Completed"}));

    for body in
        [json!({}), json!({"url": ""}), json!({"url": "not a url"}), json!({"url": "ftp://x/y"}), json!({"url": 3})]
    {
        let (status, resp) = post(&client, "/v1/files/purge", body).await;
        assert_error(status, &resp, 400);
    }
    let (status, body) = get(&client, "/v1/files/purge/unknown").await;
    assert_error(status, &body, 404);
    // A folder job id is not a purge id, and the other way round.
    let (_, job) = post(&client, "/v1/folder", json!({"folderName": "f", "parentFolderPath": "/"})).await;
    assert_eq!(job, json!({}));
    let (status, body) = get(&client, &format!("/v1/bulkJobs/{id}")).await;
    assert_error(status, &body, 404);
}

// ---------------------------------------------------------------- custom metadata fields

async fn cmf(client: &InProcess, name: &str, label: &str, schema: Value) -> (StatusCode, Value) {
    post(client, "/v1/customMetadataFields", json!({"name": name, "label": label, "schema": schema})).await
}

#[tokio::test]
async fn custom_metadata_fields_of_every_type() {
    let client = emulator();
    let schemas = [
        ("brand", json!({"type": "Text", "minLength": 2, "maxLength": 10, "defaultValue": "acme"})),
        ("notes", json!({"type": "Textarea", "maxLength": 500})),
        (
            "price",
            json!({"type": "Number", "minValue": 0, "maxValue": 1000, "defaultValue": 10, "isValueRequired": true}),
        ),
        (
            "launch",
            json!({"type": "Date", "minValue": "2020-01-01", "maxValue": "2030-12-31T00:00:00.000Z", "defaultValue": "2025-06-01"}),
        ),
        ("featured", json!({"type": "Boolean", "defaultValue": false})),
        ("size", json!({"type": "SingleSelect", "selectOptions": ["S", "M", "L", 42, true], "defaultValue": 42})),
        (
            "colors",
            json!({"type": "MultiSelect", "selectOptions": ["red", "blue", "green"], "defaultValue": ["red", "blue"]}),
        ),
    ];
    let mut ids = Vec::new();
    for (name, schema) in &schemas {
        let (status, body) = post(
            &client,
            "/v1/customMetadataFields",
            json!({"name": name, "label": format!("The {name}"), "schema": schema, "description": "d"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
        assert_eq!(body["name"], *name);
        assert_eq!(body["label"], format!("The {name}"));
        assert_eq!(body["schema"], *schema);
        assert_eq!(body["description"], "d");
        assert_eq!(body["id"].as_str().unwrap().len(), 24);
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (_, all) = get(&client, "/v1/customMetadataFields").await;
    let listed: Vec<&str> = all.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(listed, ["brand", "notes", "price", "launch", "featured", "size", "colors"]);

    // Delete: {} then gone from the list unless includeDeleted; a second delete is 404.
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{}", ids[1]), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{}", ids[1]), None).await;
    assert_error(status, &body, 404);
    let (_, live) = get(&client, "/v1/customMetadataFields?folderPath=/any").await;
    assert_eq!(live.as_array().unwrap().len(), 6);
    let (_, with_deleted) = get(&client, "/v1/customMetadataFields?includeDeleted=true").await;
    assert_eq!(with_deleted.as_array().unwrap().len(), 7);
    let (status, body) = get(&client, "/v1/customMetadataFields?includeDeleted=maybe").await;
    assert_error(status, &body, 400);

    // The deleted name can never be reused; its label can.
    let (status, body) = cmf(&client, "notes", "Other label", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["name"].is_string(), "{body}");
    let (status, body) = cmf(&client, "notes2", "The notes", json!({"type": "Text"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // A live label cannot be reused.
    let (status, body) = cmf(&client, "brand2", "The brand", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["label"].is_string(), "{body}");
}

#[tokio::test]
async fn custom_metadata_field_validation_errors() {
    let client = emulator();
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "schema.type"),
        (json!({"type": "Color"}), "schema.type"),
        (json!({"type": "SingleSelect"}), "schema.selectOptions"),
        (json!({"type": "MultiSelect", "selectOptions": []}), "schema.selectOptions"),
        (json!({"type": "Text", "selectOptions": ["a"]}), "schema.selectOptions"),
        (json!({"type": "Text", "minValue": 1}), "schema.minValue"),
        (json!({"type": "Boolean", "maxValue": 1}), "schema.maxValue"),
        (json!({"type": "Number", "minLength": 1}), "schema.minLength"),
        (json!({"type": "Date", "maxLength": 1}), "schema.maxLength"),
        (json!({"type": "Number", "minValue": "a"}), "schema.minValue"),
        (json!({"type": "Number", "minValue": 5, "maxValue": 1}), "schema.minValue"),
        (json!({"type": "Date", "minValue": "yesterday"}), "schema.minValue"),
        (json!({"type": "Date", "minValue": "2025-01-02", "maxValue": "2025-01-01"}), "schema.minValue"),
        (json!({"type": "Text", "minLength": 5, "maxLength": 1}), "schema.minLength"),
        (json!({"type": "Text", "isValueRequired": true}), "schema.defaultValue"),
        (json!({"type": "Text", "defaultValue": 5}), "schema.defaultValue"),
        (json!({"type": "Text", "maxLength": 3, "defaultValue": "long"}), "schema.defaultValue"),
        (json!({"type": "Textarea", "minLength": 3, "defaultValue": "ab"}), "schema.defaultValue"),
        (json!({"type": "Number", "defaultValue": "5"}), "schema.defaultValue"),
        (json!({"type": "Number", "maxValue": 10, "defaultValue": 11}), "schema.defaultValue"),
        (json!({"type": "Number", "minValue": 10, "defaultValue": 9.5}), "schema.defaultValue"),
        (json!({"type": "Date", "defaultValue": "not a date"}), "schema.defaultValue"),
        (json!({"type": "Date", "maxValue": "2020-01-01", "defaultValue": "2021-01-01"}), "schema.defaultValue"),
        (json!({"type": "Boolean", "defaultValue": "true"}), "schema.defaultValue"),
        (json!({"type": "SingleSelect", "selectOptions": ["a"], "defaultValue": "b"}), "schema.defaultValue"),
        (json!({"type": "SingleSelect", "selectOptions": ["a"], "defaultValue": ["a"]}), "schema.defaultValue"),
        (json!({"type": "MultiSelect", "selectOptions": ["a"], "defaultValue": "a"}), "schema.defaultValue"),
        (json!({"type": "MultiSelect", "selectOptions": ["a"], "defaultValue": ["a", "z"]}), "schema.defaultValue"),
        (
            json!({"type": "MultiSelect", "selectOptions": ["a"], "defaultValue": [], "isValueRequired": true}),
            "schema.defaultValue",
        ),
    ];
    for (i, (schema, field)) in cases.into_iter().enumerate() {
        let (status, body) = cmf(&client, &format!("f{i}"), &format!("F{i}"), schema.clone()).await;
        assert_error(status, &body, 400);
        assert!(body["errors"][field].is_string(), "{schema}: expected errors.{field} in {body}");
    }
    let (status, body) = cmf(&client, "", "Empty", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["name"].is_string());
    let (status, body) = cmf(&client, "x", "", json!({"type": "Text"})).await;
    assert_error(status, &body, 400);
    assert!(body["errors"]["label"].is_string());
    let (status, body) = post(
        &client,
        "/v1/customMetadataFields",
        json!({"name": "d", "label": "D", "schema": {"type": "Text"}, "description": "x".repeat(501)}),
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = post(&client, "/v1/customMetadataFields", json!({"name": "d", "label": "D"})).await;
    assert_error(status, &body, 400);
    let (_, all) = get(&client, "/v1/customMetadataFields?includeDeleted=true").await;
    assert_eq!(all, json!([]), "nothing was created");
}

#[tokio::test]
async fn update_custom_metadata_fields() {
    let client = emulator();
    let (_, field) = post(
        &client,
        "/v1/customMetadataFields",
        json!({"name": "size", "label": "Size", "description": "shirt size",
               "schema": {"type": "SingleSelect", "selectOptions": ["S", "M"], "defaultValue": "S"}}),
    )
    .await;
    let id = field["id"].as_str().unwrap().to_owned();
    cmf(&client, "other", "Other", json!({"type": "Text"})).await;
    let path = format!("/v1/customMetadataFields/{id}");
    let patch = |body: Value| api(&client, Method::PATCH, &path, Some(body));

    let (status, body) = patch(json!({"label": "Shirt size"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["label"], "Shirt size");
    assert_eq!(body["description"], "shirt size");
    // Schema keys merge; type is ignored; null removes a key.
    let (status, body) = patch(
        json!({"schema": {"type": "Text", "selectOptions": ["S", "M", "L"], "defaultValue": null}, "description": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["schema"], json!({"type": "SingleSelect", "selectOptions": ["S", "M", "L"]}));
    assert!(body.get("description").is_none(), "an empty description clears it: {body}");
    assert_eq!(body["name"], "size");

    for (bad, field) in [
        (json!({"schema": {"defaultValue": "XL"}}), "schema.defaultValue"),
        (json!({"schema": {"selectOptions": null}}), "schema.selectOptions"),
        (json!({"label": "Other"}), "label"),
        (json!({"description": "only"}), "label"),
        (json!({}), "label"),
        (json!({"label": 5}), "label"),
    ] {
        let (status, body) = patch(bad.clone()).await;
        assert_error(status, &body, 400);
        assert!(body["errors"][field].is_string(), "{bad}: {body}");
    }
    let (_, now) = get(&client, "/v1/customMetadataFields").await;
    assert_eq!(now[0]["schema"], json!({"type": "SingleSelect", "selectOptions": ["S", "M", "L"]}), "unchanged");

    let (status, body) =
        api(&client, Method::PATCH, "/v1/customMetadataFields/000000000000000000000000", Some(json!({"label": "x"})))
            .await;
    assert_error(status, &body, 404);
    api(&client, Method::DELETE, &path, None).await;
    let (status, body) = patch(json!({"label": "again"})).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn custom_metadata_values_are_validated() {
    let client = emulator();
    for (name, schema) in [
        ("brand", json!({"type": "Text", "maxLength": 5})),
        ("notes", json!({"type": "Textarea", "minLength": 2})),
        ("price", json!({"type": "Number", "minValue": 0, "maxValue": 100})),
        ("launch", json!({"type": "Date", "minValue": "2020-01-01"})),
        ("featured", json!({"type": "Boolean"})),
        ("size", json!({"type": "SingleSelect", "selectOptions": ["S", "M", 3]})),
        ("colors", json!({"type": "MultiSelect", "selectOptions": ["red", "blue"]})),
        ("sku", json!({"type": "Text", "isValueRequired": true, "defaultValue": "none"})),
        ("gone", json!({"type": "Text"})),
    ] {
        let (status, body) = cmf(&client, name, name, schema).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, all) = get(&client, "/v1/customMetadataFields").await;
    let gone = all.as_array().unwrap().iter().find(|f| f["name"] == "gone").unwrap()["id"].as_str().unwrap().to_owned();
    api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{gone}"), None).await;

    let check = |values: Value| {
        let values = values.as_object().cloned().unwrap();
        client
            .seed(|tx| validate_custom_metadata(tx.db(), &values).map_err(|e| (e.status.as_u16(), e.message, e.extra)))
    };
    let required = |values: Value| {
        let values = values.as_object().cloned().unwrap();
        client.seed(|tx| check_required(tx.db(), &values).map_err(|e| (e.status.as_u16(), e.message, e.extra)))
    };

    let good = json!({
        "brand": "Nike", "notes": "long enough", "price": 99.5, "launch": "2024-02-03T10:00:00Z",
        "featured": true, "size": 3, "colors": ["red", "blue"], "sku": "A1"
    });
    assert!(check(good.clone()).is_ok());
    assert!(required(good).is_ok());
    assert!(check(json!({})).is_ok());
    assert!(check(json!({"brand": null, "colors": null, "size": "M"})).is_ok(), "null unsets");

    for (values, key) in [
        (json!({"unknown": 1}), "unknown"),
        (json!({"gone": "x"}), "gone"),
        (json!({"brand": "too long"}), "brand"),
        (json!({"brand": 5}), "brand"),
        (json!({"notes": "x"}), "notes"),
        (json!({"price": 101}), "price"),
        (json!({"price": -1}), "price"),
        (json!({"price": "5"}), "price"),
        (json!({"launch": "2019-12-31"}), "launch"),
        (json!({"launch": "someday"}), "launch"),
        (json!({"featured": "yes"}), "featured"),
        (json!({"size": "XL"}), "size"),
        (json!({"size": "3"}), "size"),
        (json!({"colors": "red"}), "colors"),
        (json!({"colors": ["red", "pink"]}), "colors"),
        (json!({"sku": null}), "sku"),
    ] {
        let (status, message, extra) = check(values.clone()).expect_err(&values.to_string());
        assert_eq!(status, 400);
        assert!(message.contains(key), "{message} should name {key}");
        assert!(extra["errors"][key].is_string(), "{values}: {extra:?}");
    }
    let (status, message, extra) = required(json!({"brand": "x"})).unwrap_err();
    assert_eq!(status, 400);
    assert!(message.contains("sku"));
    assert!(extra["errors"]["sku"].is_string());
    assert!(required(json!({"sku": null})).is_err());
}

// ---------------------------------------------------------------- saved extensions

#[tokio::test]
async fn saved_extensions_crud() {
    let client = emulator();
    let config = json!({"name": "google-auto-tagging", "maxTags": 5, "minConfidence": 90});
    let (status, ext) =
        post(&client, "/v1/saved-extensions", json!({"name": "Tagger", "description": "tags", "config": config})).await;
    assert_eq!(status, StatusCode::OK, "{ext}");
    let id = ext["id"].as_str().unwrap().to_owned();
    assert_eq!(ext["name"], "Tagger");
    assert_eq!(ext["config"], config);
    assert!(ext["createdAt"].is_string() && ext["updatedAt"].is_string());

    let (_, got) = get(&client, &format!("/v1/saved-extensions/{id}")).await;
    assert_eq!(got, ext);
    let (status, updated) = api(
        &client,
        Method::PATCH,
        &format!("/v1/saved-extensions/{id}"),
        Some(json!({"description": "new", "config": {"name": "remove-bg"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["description"], "new");
    assert_eq!(updated["name"], "Tagger");
    assert_eq!(updated["config"], json!({"name": "remove-bg"}));
    let (_, all) = get(&client, "/v1/saved-extensions").await;
    assert_eq!(all, json!([updated]));

    for body in [
        json!({"name": "x", "description": "d", "config": {"name": "saved-extension", "id": id}}),
        json!({"name": "x", "description": "d", "config": {"name": "teleport"}}),
        json!({"name": "x", "description": "d", "config": {"name": "google-auto-tagging"}}),
        json!({"name": "", "description": "d", "config": {"name": "remove-bg"}}),
        json!({"name": "x", "config": {"name": "remove-bg"}}),
    ] {
        let (status, resp) = post(&client, "/v1/saved-extensions", body).await;
        assert_error(status, &resp, 400);
    }
    let (status, resp) =
        api(&client, Method::PATCH, &format!("/v1/saved-extensions/{id}"), Some(json!({"config": {"name": "nope"}})))
            .await;
    assert_error(status, &resp, 400);

    let (status, body) = api(&client, Method::DELETE, &format!("/v1/saved-extensions/{id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = api(&client, method, &format!("/v1/saved-extensions/{id}"), None).await;
        assert_error(status, &body, 404);
    }
    let (status, body) =
        api(&client, Method::PATCH, &format!("/v1/saved-extensions/{id}"), Some(json!({"name": "y"}))).await;
    assert_error(status, &body, 404);

    // At most 100.
    for i in 0..100 {
        let (status, _) = post(
            &client,
            "/v1/saved-extensions",
            json!({"name": format!("e{i}"), "description": "d", "config": {"name": "remove-bg"}}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = post(
        &client,
        "/v1/saved-extensions",
        json!({"name": "one more", "description": "d", "config": {"name": "remove-bg"}}),
    )
    .await;
    assert_error(status, &body, 400);
}

// ---------------------------------------------------------------- named transformations

#[tokio::test]
async fn named_transformations_crud_and_conflicts() {
    let client = emulator();
    let (status, nt) =
        post(&client, "/v1/named-transformations", json!({"name": "thumb_200", "transformation": "w-200,h-200"})).await;
    assert_eq!(status, StatusCode::OK, "{nt}");
    assert_eq!(nt["enabled"], true);
    assert!(nt["id"].is_string() && nt["createdAt"].is_string());
    let id = nt["id"].as_str().unwrap().to_owned();

    let (status, body) =
        post(&client, "/v1/named-transformations", json!({"name": "thumb_200", "transformation": "w-100"})).await;
    assert_error(status, &body, 409);
    let (status, other) = post(
        &client,
        "/v1/named-transformations",
        json!({"name": "Thumb_200", "transformation": "w-1", "enabled": false}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "names are case-sensitive: {other}");
    assert_eq!(other["enabled"], false);

    for body in [
        json!({"name": "with-dash", "transformation": "w-1"}),
        json!({"name": "sp ace", "transformation": "w-1"}),
        json!({"name": "", "transformation": "w-1"}),
        json!({"name": "ok", "transformation": ""}),
        json!({"name": "ok"}),
    ] {
        let (status, resp) = post(&client, "/v1/named-transformations", body).await;
        assert_error(status, &resp, 400);
    }

    let path = format!("/v1/named-transformations/{id}");
    let (status, body) = api(&client, Method::PATCH, &path, Some(json!({"name": "Thumb_200"}))).await;
    assert_error(status, &body, 409);
    let (status, body) = api(&client, Method::PATCH, &path, Some(json!({"name": "thumb_200", "enabled": false}))).await;
    assert_eq!(status, StatusCode::OK, "keeping its own name is fine: {body}");
    assert_eq!(body["enabled"], false);
    let (_, body) = api(&client, Method::PATCH, &path, Some(json!({"transformation": "w-300"}))).await;
    assert_eq!(body["transformation"], "w-300");
    assert_eq!(body["createdAt"], nt["createdAt"]);
    let (_, got) = get(&client, &path).await;
    assert_eq!(got, body);
    let (_, all) = get(&client, "/v1/named-transformations").await;
    assert_eq!(all.as_array().unwrap().len(), 2);

    let (status, _) = api(&client, Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = get(&client, &path).await;
    assert_error(status, &body, 404);
    // The name is free again.
    let (status, _) =
        post(&client, "/v1/named-transformations", json!({"name": "thumb_200", "transformation": "w-1"})).await;
    assert_eq!(status, StatusCode::OK);
}

// ---------------------------------------------------------------- origins and URL endpoints

fn origin_requests() -> Vec<(Value, Vec<&'static str>, Vec<&'static str>)> {
    // (request, keys the response must have, secret values it must not contain)
    vec![
        (
            json!({"type": "S3", "name": "s3", "bucket": "b", "accessKey": "AKIA", "secretKey": "s3-secret", "prefix": "p"}),
            vec!["bucket", "prefix", "useIAMRole"],
            vec!["s3-secret", "AKIA"],
        ),
        (
            json!({"type": "S3", "name": "iam", "bucket": "b", "accessKey": "", "secretKey": "", "useIAMRole": true}),
            vec!["bucket", "prefix", "useIAMRole"],
            vec![],
        ),
        (
            json!({"type": "S3_COMPATIBLE", "name": "minio", "bucket": "b", "accessKey": "ak", "secretKey": "compat-secret",
                   "endpoint": "https://minio.local", "s3ForcePathStyle": true}),
            vec!["bucket", "prefix", "endpoint", "s3ForcePathStyle"],
            vec!["compat-secret"],
        ),
        (
            json!({"type": "CLOUDINARY_BACKUP", "name": "cb", "bucket": "b", "accessKey": "ak", "secretKey": "cb-secret"}),
            vec!["bucket", "prefix", "useIAMRole"],
            vec!["cb-secret"],
        ),
        (
            json!({"type": "WEB_FOLDER", "name": "web", "baseUrl": "https://example.com/images",
                   "forwardHostHeaderToOrigin": true, "includeCanonicalHeader": true,
                   "baseUrlForCanonicalHeader": "https://example.com"}),
            vec!["baseUrl", "forwardHostHeaderToOrigin", "baseUrlForCanonicalHeader"],
            vec![],
        ),
        (json!({"type": "WEB_PROXY", "name": "proxy"}), vec![], vec![]),
        (
            json!({"type": "GCS", "name": "gcs", "bucket": "b", "clientEmail": "sa@x.iam.gserviceaccount.com",
                   "privateKey": "-----BEGIN PRIVATE KEY-----gcs"}),
            vec!["bucket", "prefix", "clientEmail"],
            vec!["BEGIN PRIVATE KEY"],
        ),
        (
            json!({"type": "AZURE_BLOB", "name": "azure", "accountName": "acct", "container": "c", "sasToken": "sv=azure-sas"}),
            vec!["accountName", "container", "prefix"],
            vec!["azure-sas"],
        ),
        (
            json!({"type": "AKENEO_PIM", "name": "pim", "baseUrl": "https://pim.example.com", "clientId": "cid",
                   "clientSecret": "pim-client-secret", "username": "u", "password": "pim-password"}),
            vec!["baseUrl"],
            vec!["pim-client-secret", "pim-password"],
        ),
    ]
}

#[tokio::test]
async fn origins_of_every_type_drop_secrets() {
    let client = emulator();
    let mut ids = Vec::new();
    for (req, keys, secrets) in origin_requests() {
        let (status, body) = post(&client, "/v1/accounts/origins", req.clone()).await;
        assert_eq!(status, StatusCode::OK, "{req}: {body}");
        assert_eq!(body["type"], req["type"]);
        assert_eq!(body["name"], req["name"]);
        assert!(body["id"].is_string());
        assert_eq!(body["includeCanonicalHeader"], req.get("includeCanonicalHeader").cloned().unwrap_or(json!(false)));
        for k in keys {
            assert!(body.get(k).is_some(), "{req}: no {k} in {body}");
        }
        let text = body.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        for k in
            ["secretKey", "accessKey", "privateKey", "sasToken", "clientSecret", "password", "clientId", "username"]
        {
            assert!(body.get(k).is_none(), "{k} in {body}");
        }
        let (_, got) = get(&client, &format!("/v1/accounts/origins/{}", body["id"].as_str().unwrap())).await;
        assert_eq!(got, body);
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (_, all) = get(&client, "/v1/accounts/origins").await;
    assert_eq!(all.as_array().unwrap().len(), 9);
    assert_eq!(all[0]["id"], ids[0].as_str());

    // PUT replaces everything, the type included.
    let (status, body) = api(
        &client,
        Method::PUT,
        &format!("/v1/accounts/origins/{}", ids[0]),
        Some(json!({"type": "WEB_PROXY", "name": "now a proxy"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"type": "WEB_PROXY", "id": ids[0], "name": "now a proxy", "includeCanonicalHeader": false})
    );

    for bad in [
        json!({"type": "FTP", "name": "x"}),
        json!({"name": "no type"}),
        json!({"type": "S3", "name": "x", "bucket": "b", "accessKey": "a"}),
        json!({"type": "S3", "name": "x", "bucket": "b", "accessKey": "", "secretKey": ""}),
        json!({"type": "S3", "name": "", "bucket": "b", "accessKey": "a", "secretKey": "s"}),
        json!({"type": "S3_COMPATIBLE", "name": "x", "bucket": "b", "accessKey": "a", "secretKey": "s", "endpoint": "not a url"}),
        json!({"type": "WEB_FOLDER", "name": "x"}),
        json!({"type": "WEB_FOLDER", "name": "x", "baseUrl": "example.com"}),
        json!({"type": "GCS", "name": "x", "bucket": "b", "clientEmail": "e", "privateKey": ""}),
        json!({"type": "AZURE_BLOB", "name": "x", "accountName": "a", "container": "c"}),
        json!({"type": "AKENEO_PIM", "name": "x", "baseUrl": "https://p", "clientId": "c", "clientSecret": "s", "username": "u"}),
    ] {
        let (status, body) = post(&client, "/v1/accounts/origins", bad.clone()).await;
        assert_error(status, &body, 400);
    }
    let (status, body) =
        api(&client, Method::PUT, "/v1/accounts/origins/nope", Some(json!({"type": "WEB_PROXY", "name": "x"}))).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{}", ids[1]), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = get(&client, &format!("/v1/accounts/origins/{}", ids[1])).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn url_endpoints_and_origins_in_use() {
    let client = emulator();
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list, json!([{"id": "default", "description": "Default", "origins": [], "urlPrefix": ""}]));
    let (_, default) = get(&client, "/v1/accounts/url-endpoints/default").await;
    assert_eq!(default, list[0]);
    let (status, body) = api(&client, Method::DELETE, "/v1/accounts/url-endpoints/default", None).await;
    assert_error(status, &body, 400);

    let (_, o1) = post(&client, "/v1/accounts/origins", json!({"type": "WEB_PROXY", "name": "one"})).await;
    let (_, o2) =
        post(&client, "/v1/accounts/origins", json!({"type": "WEB_FOLDER", "name": "two", "baseUrl": "https://x.y"}))
            .await;
    let (o1, o2) = (o1["id"].as_str().unwrap().to_owned(), o2["id"].as_str().unwrap().to_owned());

    let (status, ep) = post(
        &client,
        "/v1/accounts/url-endpoints",
        json!({"description": "Legacy", "urlPrefix": "legacy-2", "origins": [o2, o1], "urlRewriter": {"type": "CLOUDINARY"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ep}");
    assert_eq!(ep["origins"], json!([o2, o1]));
    assert_eq!(ep["urlPrefix"], "legacy-2");
    assert_eq!(ep["urlRewriter"], json!({"type": "CLOUDINARY", "preserveAssetDeliveryTypes": false}));
    let ep_id = ep["id"].as_str().unwrap().to_owned();
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["id"], "default");
    assert_eq!(list[1], ep);

    for bad in [
        json!({"description": "x", "urlPrefix": "has space"}),
        json!({"description": "x", "urlPrefix": "under_score"}),
        json!({"description": "x", "urlPrefix": "a/b"}),
        json!({"description": "x"}),
        json!({"description": "x", "urlPrefix": "legacy-2"}),
        json!({"description": "x", "urlPrefix": "p", "origins": ["missing"]}),
        json!({"description": "x", "urlPrefix": "p", "origins": [o1, o1]}),
        json!({"description": "x", "urlPrefix": "p", "urlRewriter": {"type": "FASTLY"}}),
        json!({"description": "", "urlPrefix": "p"}),
        json!({"urlPrefix": "p"}),
    ] {
        let (status, body) = post(&client, "/v1/accounts/url-endpoints", bad.clone()).await;
        assert_error(status, &body, 400);
    }

    // An origin in use cannot be deleted.
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{o1}"), None).await;
    assert_error(status, &body, 400);
    // PUT replaces the endpoint; then the origin is free.
    let (status, body) = api(
        &client,
        Method::PUT,
        &format!("/v1/accounts/url-endpoints/{ep_id}"),
        Some(json!({"description": "Legacy v2", "urlPrefix": "legacy-2", "origins": [o2], "urlRewriter": {"type": "IMGIX"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"id": ep_id, "description": "Legacy v2", "origins": [o2], "urlPrefix": "legacy-2", "urlRewriter": {"type": "IMGIX"}})
    );
    let (status, _) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{o1}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // The default endpoint can be given origins, but not a prefix.
    let (status, body) = api(
        &client,
        Method::PUT,
        "/v1/accounts/url-endpoints/default",
        Some(json!({"description": "Main", "origins": [o2]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list[0], json!({"id": "default", "description": "Main", "origins": [o2], "urlPrefix": ""}));
    let (status, body) = api(
        &client,
        Method::PUT,
        "/v1/accounts/url-endpoints/default",
        Some(json!({"description": "M", "urlPrefix": "x"})),
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = api(&client, Method::DELETE, &format!("/v1/accounts/origins/{o2}"), None).await;
    assert_error(status, &body, 400);

    let (status, _) = api(&client, Method::DELETE, &format!("/v1/accounts/url-endpoints/{ep_id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = get(&client, &format!("/v1/accounts/url-endpoints/{ep_id}")).await;
    assert_error(status, &body, 404);
    let (status, body) = api(
        &client,
        Method::PUT,
        "/v1/accounts/url-endpoints/nope",
        Some(json!({"description": "x", "urlPrefix": "q"})),
    )
    .await;
    assert_error(status, &body, 404);
    let (_, list) = get(&client, "/v1/accounts/url-endpoints").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------- usage

#[tokio::test]
async fn usage_reports_zeros() {
    let client = emulator();
    let (status, body) = get(&client, "/v1/accounts/usage?startDate=2025-01-01&endDate=2025-03-31").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"bandwidthBytes": 0, "mediaLibraryStorageBytes": 0, "originalCacheStorageBytes": 0,
               "videoProcessingUnitsCount": 0, "extensionUnitsCount": 0})
    );
    for q in [
        "",
        "startDate=2025-01-01",
        "endDate=2025-01-02",
        "startDate=2025-01-02&endDate=2025-01-01",
        "startDate=2025-01-01&endDate=2025-01-01",
        "startDate=2025-01-01&endDate=2025-04-01",
        "startDate=2025-1-01&endDate=2025-01-10",
        "startDate=2025-02-30&endDate=2025-03-10",
        "startDate=01/01/2025&endDate=2025-01-10",
        "startDate=2025-01-01T00:00:00Z&endDate=2025-01-10",
    ] {
        let (status, body) = get(&client, &format!("/v1/accounts/usage?{q}")).await;
        assert_error(status, &body, 400);
    }
}

#[tokio::test]
async fn usage_analytics_is_empty_but_complete() {
    let client = emulator();
    let (status, body) = get(&client, "/v1/accounts/usage-analytics?startDate=2025-01-01&endDate=2025-01-01").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["startDate"], "2025-01-01");
    assert_eq!(body["endDate"], "2025-01-01");
    assert!(body["generatedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(body["bandwidthBytes"], 0);
    assert_eq!(body["requestCount"], 0);
    assert_eq!(body["cache"], json!({"hitCount": 0, "missCount": 0, "errorCount": 0}));
    for k in [
        "browser",
        "country",
        "device",
        "format",
        "topImages",
        "topImageTransforms",
        "topOtherAssets",
        "topReferrers",
        "topUserAgents",
        "topVideos",
        "topVideoTransforms",
        "urlEndpoints",
    ] {
        assert_eq!(body[k], json!({"byBandwidth": [], "byRequests": []}), "{k}");
    }
    for k in ["errorReasons", "statusCodes", "top404Assets", "extensions", "videoProcessing"] {
        assert_eq!(body[k], json!([]), "{k}");
    }
    let parsed: imagekit_types::UsageAnalytics = serde_json::from_value(body).unwrap();
    assert_eq!(parsed.start_date, "2025-01-01");
    for q in ["", "startDate=2025-01-02&endDate=2025-01-01", "startDate=x&endDate=2025-01-01"] {
        let (status, body) = get(&client, &format!("/v1/accounts/usage-analytics?{q}")).await;
        assert_error(status, &body, 400);
    }
}

// ---------------------------------------------------------------- persistence

#[tokio::test]
async fn documents_and_folders_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("ik-emu-library-{}-{}", std::process::id(), now_ms()));
    {
        let client = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        cmf(&client, "brand", "Brand", json!({"type": "Text"})).await;
        post(&client, "/v1/accounts/origins", json!({"type": "WEB_PROXY", "name": "p"})).await;
        post(&client, "/v1/folder", json!({"folderName": "kept", "parentFolderPath": "/"})).await;
        let (_, purge) = post(&client, "/v1/files/purge", json!({"url": "https://x.y/z"})).await;
        let id = purge["requestId"].as_str().unwrap().to_owned();
        let (_, first) = get(&client, &format!("/v1/files/purge/{id}")).await;
        assert_eq!(first["status"], "Pending");
        std::fs::write(dir.join("purge-id"), id).unwrap();
    }
    {
        let client = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        let (_, fields) = get(&client, "/v1/customMetadataFields").await;
        assert_eq!(fields[0]["name"], "brand");
        let (_, origins) = get(&client, "/v1/accounts/origins").await;
        assert_eq!(origins[0]["name"], "p");
        assert_eq!(list(&client, "?type=folder").await, ["kept"]);
        let id = std::fs::read_to_string(dir.join("purge-id")).unwrap();
        let (_, second) = get(&client, &format!("/v1/files/purge/{id}")).await;
        assert_eq!(second["status"], "Completed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn folder_jobs_are_all_or_nothing() {
    let client = emulator();
    // A destination file with 100 versions cannot take another one.
    seed(&client, Seed { versions: 99, ..Seed::new("/b/sub/full.pdf") });
    seed(&client, Seed::new("/a/sub/aaa.pdf"));
    seed(&client, Seed::new("/a/sub/full.pdf"));
    seed(&client, Seed::new("/a/sub/zzz.pdf"));
    let before = paths(&client).await;
    for route in ["copyFolder", "moveFolder"] {
        let (status, body) = post(
            &client,
            &format!("/v1/bulkJobs/{route}"),
            json!({"sourceFolderPath": "/a/sub", "destinationPath": "/b"}),
        )
        .await;
        assert_error(status, &body, 400);
        assert_eq!(paths(&client).await, before, "{route} changed something");
    }
    let (_, versions) = get(&client, "/v1/files?type=file-version").await;
    assert_eq!(versions.as_array().unwrap().len(), 99);
}
