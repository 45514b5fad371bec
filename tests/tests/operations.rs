//! The operation table (`imagekit::operations`) against the emulator, the
//! SDK and the sources: every row names a route the emulator serves, every
//! SDK method sends its row's method to its row's path and host, and every
//! official dotted name is written once in the workspace's sources.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use imagekit::operations::{self as ops, Host, Location, OPERATIONS, Operation};
use imagekit::types::*;
use imagekit::{Client, UploadFile};
use imagekit_emulator::{Emulator, RunningEmulator};
use imagekit_transport::test_util::RecordingTransport;
use imagekit_transport::{Body, HttpClient, HyperClient};

/// Path parameter values that exist nowhere, with characters that need encoding.
const DUMMY_IDS: [&str; 2] = ["no such id", "v/0"];

/// What the emulator answers `method path` with: the status and the error
/// message, if any.
async fn raw(emu: &RunningEmulator, http: &HyperClient, method: &str, path: &str) -> (u16, String) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:", emu.private_key()));
    let req = http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", emu.base_url()))
        .header("authorization", format!("Basic {basic}"))
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let resp = http.send(req).await.unwrap();
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.unwrap();
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_default();
    (status, message)
}

/// The emulator's router answers a route it does not know with this 404
/// message; a known route whose item is missing says so differently.
fn route_unknown(status: u16, message: &str) -> bool {
    status == 405 || (status == 404 && message.starts_with("No route for"))
}

/// Whether the concrete `path` fits `template` (a `{name}` segment fits any one segment).
fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

/// The row's path with [`DUMMY_IDS`] in its `{name}` segments, percent-encoded
/// here by hand rather than by the SDK.
fn filled(op: &Operation) -> String {
    const ENCODED: [&str; 2] = ["no%20such%20id", "v%2F0"];
    let mut ids = ENCODED.iter();
    let segments: Vec<&str> = op
        .path
        .split('/')
        .map(|seg| if seg.starts_with('{') { ids.next().unwrap_or_else(|| panic!("{op}: 3 ids")) } else { seg })
        .collect();
    segments.join("/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_row_is_a_route_the_emulator_serves() {
    let emu = Emulator::builder().start().await.unwrap();
    let http = HyperClient::new().unwrap();

    // The difference the test relies on: an unknown route, and a known route
    // whose file is missing.
    let (status, message) = raw(&emu, &http, "GET", "/v1/no-such-resource").await;
    assert!(route_unknown(status, &message), "{status} {message}");
    let (status, message) = raw(&emu, &http, "GET", &filled(&ops::FILES_GET)).await;
    assert_eq!(status, 404, "{message}");
    assert!(!route_unknown(status, &message), "a missing file reads as a missing route: {message}");

    let mut answers = BTreeMap::new();
    let mut unrouted = 0;
    for op in OPERATIONS {
        let path = filled(op);
        let (status, message) = raw(&emu, &http, op.method.as_str(), &path).await;
        assert!(!route_unknown(status, &message), "{op}: {} {path} -> {status} {message}", op.method);
        // API routes check the key before anything else: it was accepted.
        if op.host == Host::Api {
            assert_ne!(status, 401, "{op}: {message}");
        }
        // The same path with a method no row uses there is not a route, so
        // the check above tells routes apart by method too.
        let used: Vec<&str> =
            OPERATIONS.iter().filter(|o| template_matches(o.path, &path)).map(|o| o.method.as_str()).collect();
        if let Some(other) = ["GET", "POST", "PUT", "PATCH", "DELETE"].into_iter().find(|m| !used.contains(m)) {
            let (status, message) = raw(&emu, &http, other, &path).await;
            assert!(route_unknown(status, &message), "{op}: {other} {path} -> {status} {message}");
            unrouted += 1;
        }
        answers.insert(op.name, status);
    }
    assert_eq!(answers.len(), OPERATIONS.len(), "names are unique");
    assert_eq!(unrouted, OPERATIONS.len(), "every path has a method no row uses");
    emu.shutdown().await;
}

#[test]
fn the_table_is_consistent() {
    assert_eq!(OPERATIONS.len(), 58);
    let mut routes = HashSet::new();
    for op in OPERATIONS {
        assert_eq!(Operation::find(op.name), Some(op), "{op}");
        assert!(routes.insert((op.method, op.path)), "{op}: two rows share a route");
        assert!(op.path.starts_with('/') && !op.summary.is_empty(), "{op}");
        // The template's `{name}` segments are the path parameters, in order.
        let in_template: Vec<&str> =
            op.path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        let declared: Vec<&str> = op.params_in(Location::Path).map(|p| p.name).collect();
        assert_eq!(in_template, declared, "{op}");
        let n = declared.len();
        assert_eq!(op.fill_path(&DUMMY_IDS[..n]).unwrap(), filled(op), "{op}");
        if n > 0 {
            assert!(op.fill_path(&[]).is_err() && op.fill_path(&["..", "."][..n]).is_err(), "{op}");
        }
        let names: Vec<&str> = op.params.iter().map(|p| p.name).collect();
        let unique: HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{op}: a parameter twice");
        assert_eq!(op.host == Host::Upload, op.path.starts_with("/api/"), "{op}");
    }
    assert_eq!(Operation::find("files.nope"), None);
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// How many times `needle` occurs in the sources of `crates/*/src`, by file.
fn occurrences(sources: &[(PathBuf, String)], needle: &str) -> Vec<(String, usize)> {
    sources
        .iter()
        .map(|(path, text)| (path.display().to_string(), text.matches(needle).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn workspace_sources(crates: &[&str]) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if (crates.is_empty() || crates.contains(&name.as_str())) && dir.join("src").is_dir() {
            rust_files(&dir.join("src"), &mut files);
        }
    }
    assert!(files.len() > 20, "found only {} source files under {}", files.len(), root.display());
    files.into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap())).collect()
}

#[test]
fn every_official_name_is_written_once_in_the_sources() {
    let sources = workspace_sources(&[]);
    for op in OPERATIONS {
        // As a string literal: a second one would be a hand-kept list.
        let found = occurrences(&sources, &format!("\"{}\"", op.name));
        assert_eq!(found.len(), 1, "{}: {found:?}", op.name);
        assert!(found[0].0.ends_with("operations/table.rs") && found[0].1 == 1, "{}: {found:?}", op.name);
    }
    // The paths too are written only in the table, in the SDK and the CLI
    // (the emulator routes by itself; list and create share a path).
    let sdk = workspace_sources(&["imagekit", "imagekit-cli"]);
    let paths: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.path).collect();
    for path in paths {
        let found = occurrences(&sdk, &format!("\"{path}\""));
        let rows = OPERATIONS.iter().filter(|op| op.path == path).count();
        assert_eq!(found.len(), 1, "{path}: {found:?}");
        assert!(found[0].0.ends_with("operations/table.rs") && found[0].1 == rows, "{path}: {found:?}");
    }
}

/// Each SDK method and the row it must be built from. Ids are [`DUMMY_IDS`].
async fn call_each(c: &Client) -> Vec<(&'static Operation, imagekit::Result<()>)> {
    let [a, b] = DUMMY_IDS;
    let file = || UploadFile::bytes(b"x".to_vec());
    let (files, accounts) = (c.files(), c.accounts());
    macro_rules! calls {
        ($($op:ident => $call:expr),* $(,)?) => {{
            let mut out = Vec::new();
            $( out.push((&ops::$op, $call.await.map(drop))); )*
            out
        }};
    }
    calls! {
        FILES_UPLOAD => files.upload(file(), UploadParams::new("a.png")),
        FILES_GET => files.get(a),
        FILES_UPDATE => files.update(a, UpdateFileDetails::default().description("d")),
        FILES_DELETE => files.delete(a),
        FILES_COPY => files.copy(CopyFileRequest::new("/a.png", "/b")),
        FILES_MOVE => files.r#move(MoveFileRequest::new("/a.png", "/b")),
        FILES_RENAME => files.rename(RenameFileRequest::new("/a.png", "b.png")),
        FILES_BULK_DELETE => files.bulk().delete([a]),
        FILES_BULK_ADD_TAGS => files.bulk().add_tags(vec![a.into()], vec!["t".into()]),
        FILES_BULK_REMOVE_TAGS => files.bulk().remove_tags(vec![a.into()], vec!["t".into()]),
        FILES_BULK_REMOVE_AI_TAGS => files.bulk().remove_ai_tags(vec![a.into()], vec!["t".into()]),
        FILES_VERSIONS_LIST => files.versions().list(a),
        FILES_VERSIONS_GET => files.versions().get(a, b),
        FILES_VERSIONS_DELETE => files.versions().delete(a, b),
        FILES_VERSIONS_RESTORE => files.versions().restore(a, b),
        FILES_METADATA_GET => files.metadata().get(a),
        FILES_METADATA_GET_FROM_URL => files.metadata().get_from_url("https://ik.imagekit.io/demo/a.png"),
        ASSETS_LIST => c.assets().list(ListAssetsQuery::default()),
        FOLDERS_CREATE => c.folders().create("f", "/"),
        FOLDERS_DELETE => c.folders().delete("/f"),
        FOLDERS_COPY => c.folders().copy(CopyFolderRequest::new("/a", "/b")),
        FOLDERS_MOVE => c.folders().r#move(MoveFolderRequest::new("/a", "/b")),
        FOLDERS_RENAME => c.folders().rename(RenameFolderRequest::new("/a", "b")),
        FOLDERS_JOB_GET => c.folders().job().get(a),
        CACHE_INVALIDATION_CREATE => c.cache().invalidation().create("https://ik.imagekit.io/demo/a.png"),
        CACHE_INVALIDATION_GET => c.cache().invalidation().get(a),
        CUSTOM_METADATA_FIELDS_LIST => c.custom_metadata_fields().list(ListCustomMetadataFieldsQuery::default()),
        CUSTOM_METADATA_FIELDS_CREATE => c.custom_metadata_fields().create(
            CreateCustomMetadataFieldRequest::new("p", "P", FieldSchema::new(FieldType::Number))),
        CUSTOM_METADATA_FIELDS_UPDATE => c.custom_metadata_fields().update(a, UpdateCustomMetadataFieldRequest::default()),
        CUSTOM_METADATA_FIELDS_DELETE => c.custom_metadata_fields().delete(a),
        SAVED_EXTENSIONS_LIST => c.saved_extensions().list(),
        SAVED_EXTENSIONS_CREATE => c.saved_extensions().create(
            CreateSavedExtensionRequest::new("bg", "d", Extension::RemoveBg(RemoveBg::new()))),
        SAVED_EXTENSIONS_GET => c.saved_extensions().get(a),
        SAVED_EXTENSIONS_UPDATE => c.saved_extensions().update(a, UpdateSavedExtensionRequest::default()),
        SAVED_EXTENSIONS_DELETE => c.saved_extensions().delete(a),
        NAMED_TRANSFORMATIONS_LIST => c.named_transformations().list(),
        NAMED_TRANSFORMATIONS_CREATE => c.named_transformations().create(CreateNamedTransformationRequest::new("t", "w-1")),
        NAMED_TRANSFORMATIONS_GET => c.named_transformations().get(a),
        NAMED_TRANSFORMATIONS_UPDATE => c.named_transformations().update(a, UpdateNamedTransformationRequest::default()),
        NAMED_TRANSFORMATIONS_DELETE => c.named_transformations().delete(a),
        ACCOUNTS_USAGE_GET => accounts.usage().get("2025-01-01", "2025-01-31"),
        ACCOUNTS_USAGE_ANALYTICS_GET => accounts.usage_analytics().get("2025-01-01", "2025-01-31"),
        ACCOUNTS_ORIGINS_LIST => accounts.origins().list(),
        ACCOUNTS_ORIGINS_CREATE => accounts.origins().create(OriginRequest::WebFolder(WebFolderOrigin::new("s", "https://e.com"))),
        ACCOUNTS_ORIGINS_GET => accounts.origins().get(a),
        ACCOUNTS_ORIGINS_UPDATE => accounts.origins().update(a, OriginRequest::WebFolder(WebFolderOrigin::new("s", "https://e.com"))),
        ACCOUNTS_ORIGINS_DELETE => accounts.origins().delete(a),
        ACCOUNTS_URL_ENDPOINTS_LIST => accounts.url_endpoints().list(),
        ACCOUNTS_URL_ENDPOINTS_CREATE => accounts.url_endpoints().create(UrlEndpointRequest::new("d")),
        ACCOUNTS_URL_ENDPOINTS_GET => accounts.url_endpoints().get(a),
        ACCOUNTS_URL_ENDPOINTS_UPDATE => accounts.url_endpoints().update(a, UrlEndpointRequest::new("d")),
        ACCOUNTS_URL_ENDPOINTS_DELETE => accounts.url_endpoints().delete(a),
        ACCOUNTS_WEBHOOKS_LIST => accounts.webhooks().list(),
        ACCOUNTS_WEBHOOKS_CREATE => accounts.webhooks().create(
            CreateAccountWebhookRequest::new("https://e.com/h", [WebhookEventType::FileCreated])),
        ACCOUNTS_WEBHOOKS_GET => accounts.webhooks().get(a),
        ACCOUNTS_WEBHOOKS_UPDATE => accounts.webhooks().update(a, UpdateAccountWebhookRequest::new()),
        ACCOUNTS_WEBHOOKS_DELETE => accounts.webhooks().delete(a),
        BETA_V2_FILES_UPLOAD => c.beta().v2().files().upload(file(), UploadParams::new("a.png")),
    }
}

#[tokio::test]
async fn every_sdk_method_sends_its_rows_method_path_and_host() {
    let transport = RecordingTransport::new();
    // The default hosts: the API and uploads on different origins.
    let client = Client::builder()
        .private_key("private_k")
        .public_key("public_k")
        .max_retries(0)
        .http_client(transport.clone())
        .build()
        .unwrap();
    assert_ne!(imagekit::DEFAULT_BASE_URL, imagekit::DEFAULT_UPLOAD_BASE_URL);
    let calls = call_each(&client).await;
    let requests = transport.take_requests();
    assert_eq!((calls.len(), requests.len()), (OPERATIONS.len(), OPERATIONS.len()), "one request per method");
    let mut seen = HashSet::new();
    for ((op, result), req) in calls.iter().zip(&requests) {
        assert!(result.is_err(), "{op}: the transport answers nothing, so the call fails");
        assert!(seen.insert(op.name), "{op}: twice");
        assert_eq!(req.method.as_str(), op.method.as_str(), "{op}");
        assert_eq!(req.uri.path(), filled(op), "{op}");
        let base = match op.host {
            Host::Api => imagekit::DEFAULT_BASE_URL,
            _ => imagekit::DEFAULT_UPLOAD_BASE_URL,
        };
        let origin = format!("{}://{}", req.uri.scheme_str().unwrap(), req.uri.authority().unwrap());
        assert_eq!(origin, base.trim_end_matches('/'), "{op}");
    }
}
