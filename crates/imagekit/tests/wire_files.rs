//! Every files, upload and assets call of the official Node SDK's wire capture
//! (groups `coverage` and `variants`), replayed through our client on a
//! recording transport: the same method, path, query, auth and body.

mod common;

use std::time::Duration;

use common::*;
use imagekit::UploadFile;
use imagekit::types::{
    CopyFileRequest, ListAssetsQuery, MoveFileRequest, RenameFileRequest, UpdateFileRequest, UploadParams,
};
use imagekit_transport::test_util::{MockResponse, RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

const METHODS: &[&str] = &[
    "files.get",
    "files.update",
    "files.delete",
    "files.copy",
    "files.move",
    "files.rename",
    "files.upload",
    "beta.v2.files.upload",
    "assets.list",
];

/// Bytes standing in for a recorded file of `size` bytes.
fn file_bytes(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7 % 251) as u8).collect()
}

/// The upload's file and parameters from a record's `params.body`.
fn upload_args(body: &Value, tmp: &std::path::Path) -> (UploadFile, UploadParams) {
    let mut body = body.clone();
    let obj = body.as_object_mut().unwrap();
    let file = obj.shift_remove("file").unwrap();
    if let Some(joined) = obj.get("tags").and_then(Value::as_str) {
        let list: Vec<Value> = joined.split(',').map(|t| json!(t)).collect();
        obj.insert("tags".into(), Value::Array(list));
    }
    let params: UploadParams = serde_json::from_value(body).unwrap();
    let file = match file {
        Value::String(s) if s.starts_with("http") => UploadFile::url(s),
        Value::String(s) => UploadFile::base64(s),
        Value::Object(o) if o.contains_key("$file") => {
            let f = &o["$file"];
            let size = f["size"].as_u64().unwrap() as usize;
            let ct = f["type"].as_str().unwrap_or("application/octet-stream");
            UploadFile::bytes(file_bytes(size)).file_name(f["name"].as_str().unwrap()).content_type(ct)
        }
        Value::Object(o) if o.contains_key("$readStream") => {
            let name = o["$readStream"].as_str().unwrap();
            let path = tmp.join(name);
            std::fs::write(&path, file_bytes(70)).unwrap();
            UploadFile::path(path)
        }
        other => panic!("unknown file {other}"),
    };
    (file, params)
}

async fn replay(record: &Value, tmp: &std::path::Path) -> RecordedRequest {
    let transport = RecordingTransport::new();
    transport.respond(MockResponse::new(200).json(&json!({})));
    let client = recording_client(&transport);
    let p = &record["params"];
    let id = p["fileID"].as_str().unwrap_or("");
    let body = &p["body"];
    let result = match record["sdk_method"].as_str().unwrap() {
        "files.get" => {
            let mut call = client.files().get(id);
            if let Some(opts) = p.get("options") {
                for (k, v) in opts["headers"].as_object().unwrap() {
                    call = call.header(k, v.as_str().unwrap());
                }
                for (k, v) in opts["query"].as_object().unwrap() {
                    call = call.query(k, v.as_str().unwrap());
                }
                call = call.timeout(Duration::from_millis(opts["timeout"].as_u64().unwrap()));
            }
            call.await.map(|_| ())
        }
        "files.update" => {
            let req: UpdateFileRequest = serde_json::from_value(body.clone()).unwrap();
            client.files().update(id, req).await.map(|_| ())
        }
        "files.delete" => client.files().delete(id).await,
        "files.copy" => {
            client.files().copy(serde_json::from_value::<CopyFileRequest>(body.clone()).unwrap()).await.map(|_| ())
        }
        "files.move" => {
            client.files().r#move(serde_json::from_value::<MoveFileRequest>(body.clone()).unwrap()).await.map(|_| ())
        }
        "files.rename" => {
            client.files().rename(serde_json::from_value::<RenameFileRequest>(body.clone()).unwrap()).await.map(|_| ())
        }
        "assets.list" => {
            let mut q = p.get("query").cloned().unwrap_or(json!({}));
            q.as_object_mut().unwrap().retain(|_, v| v.get("$undefined").is_none());
            let q: ListAssetsQuery = serde_json::from_value(q).unwrap();
            transport.take_requests();
            let t2 = RecordingTransport::new();
            t2.respond(MockResponse::new(200).json(&json!([])));
            let c2 = recording_client(&t2);
            c2.assets().list(q).await.unwrap();
            return t2.last_request().unwrap();
        }
        "files.upload" => {
            let (file, params) = upload_args(body, tmp);
            client.files().upload(file, params).await.map(|_| ())
        }
        "beta.v2.files.upload" => {
            let (file, params) = upload_args(body, tmp);
            client.beta().v2().files().upload_at(file, params, 1_767_225_600, Duration::from_secs(3600)).await.map(|_| ())
        }
        other => panic!("{other}"),
    };
    if let Err(e) = result {
        panic!("{}: the call failed: {e}", record["case"]);
    }
    assert_eq!(transport.request_count(), 1, "{}", record["case"]);
    transport.last_request().unwrap()
}

/// Compare what we sent with what the Node SDK sent; returns a stable text
/// rendering for the snapshot.
fn compare(record: &Value, ours: &RecordedRequest) -> String {
    let case = record["case"].as_str().unwrap();
    let theirs = &record["request"];
    assert_eq!(ours.method.as_str(), theirs["method"], "{case}: method");
    assert_eq!(ours.uri.path(), theirs["path"], "{case}: path");
    let mut their_query: Vec<(String, String)> = theirs["query"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| (kv[0].as_str().unwrap().to_owned(), kv[1].as_str().unwrap().to_owned()))
        .collect();
    their_query.sort();
    assert_eq!(query_pairs(&ours.uri), their_query, "{case}: query");
    let th = &theirs["headers"];
    assert_eq!(ours.header("authorization"), th["authorization"].as_str(), "{case}: authorization");
    assert_eq!(ours.header("accept"), th["accept"].as_str(), "{case}: accept");
    if let Some(custom) = th.get("x-custom") {
        assert_eq!(ours.header("x-custom"), custom.as_str(), "{case}: x-custom");
    }

    let mut out = format!("{case}\n{} {}\n", ours.method, ours.uri.path_and_query().unwrap());
    for h in ["accept", "content-type"] {
        if let Some(v) = ours.header(h) {
            let v = if v.starts_with("multipart/") { "multipart/form-data; boundary=<boundary>" } else { v };
            out.push_str(&format!("{h}: {v}\n"));
        }
    }
    match theirs["body_kind"].as_str().unwrap() {
        "json" => {
            assert_eq!(ours.header("content-type"), Some("application/json"), "{case}");
            assert_eq!(ours.body_json().unwrap(), theirs["body"], "{case}: JSON body");
            out.push_str(ours.body_text().unwrap());
            out.push('\n');
        }
        "empty" => {
            assert!(ours.body.is_empty(), "{case}: body should be empty");
            assert_eq!(ours.header("content-type"), None, "{case}: no content-type without a body");
        }
        "multipart" => {
            let parts = parse_multipart(ours);
            let mut want: Vec<(String, Option<String>, Option<String>, Option<String>, u64)> = theirs["body"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        p["filename"].as_str().map(str::to_owned),
                        p["content_type"].as_str().map(str::to_owned),
                        p["value"].as_str().map(str::to_owned),
                        p["length"].as_u64().unwrap(),
                    )
                })
                .collect();
            let mut got: Vec<_> = parts
                .iter()
                .map(|p| {
                    let value = if p.filename.is_some() { None } else { Some(String::from_utf8(p.data.clone()).unwrap()) };
                    (p.name.clone(), p.filename.clone(), p.content_type.clone(), value, p.data.len() as u64)
                })
                .collect();
            if record["sdk_method"] == "beta.v2.files.upload" && !want.iter().any(|w| w.0 == "token") {
                // Node sends no token unless given one; we build the JWT. Check it
                // exists, then compare the rest.
                let i = got.iter().position(|g| g.0 == "token").expect("a token part");
                got.remove(i);
            }
            want.sort();
            got.sort();
            assert_eq!(got, want, "{case}: multipart parts");
            for p in &parts {
                if p.filename.is_some() {
                    assert_eq!(p.data, file_bytes(p.data.len()), "{case}: file bytes");
                }
                let shown = if p.filename.is_some() {
                    format!("<{} bytes>", p.data.len())
                } else {
                    String::from_utf8_lossy(&p.data).into_owned()
                };
                let shown = if p.name == "token" && shown.len() > 64 { "<jwt>".to_owned() } else { shown };
                out.push_str(&format!("part {} {:?} {:?} = {shown}\n", p.name, p.filename, p.content_type));
            }
            let len: u64 = ours.header("content-length").map(|v| v.parse().unwrap()).unwrap_or(ours.body.len() as u64);
            assert_eq!(len, ours.body.len() as u64, "{case}: content-length");
        }
        other => panic!("{other}"),
    }
    out.push('\n');
    out
}

#[tokio::test]
async fn files_uploads_and_assets_match_the_node_sdk() {
    let tmp = std::env::temp_dir().join(format!("imagekit-wire-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut snapshot = String::new();
    let mut cases = 0;
    for record in records() {
        let group = record["group"].as_str().unwrap();
        if !(group == "coverage" || group == "variants") || !METHODS.contains(&record["sdk_method"].as_str().unwrap()) {
            continue;
        }
        let ours = replay(&record, &tmp).await;
        snapshot.push_str(&compare(&record, &ours));
        cases += 1;
    }
    std::fs::remove_dir_all(&tmp).ok();
    assert_eq!(cases, 23, "records replayed");
    insta::assert_snapshot!("wire-files", snapshot);
}
