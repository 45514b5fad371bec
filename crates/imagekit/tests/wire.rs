//! Every call of the official Node SDK's wire capture (groups `coverage`,
//! `variants` and `errors`), replayed through our client on a recording
//! transport: the same method, path, query, auth, accept header and body, for
//! all 53 methods.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use imagekit::UploadFile;
use imagekit::types::*;
use imagekit_transport::test_util::{MockResponse, RecordedRequest, RecordingTransport};
use serde_json::{Value, json};

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

fn from<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

/// Drop the `{"$undefined": true}` markers of the capture.
fn defined(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.retain(|_, x| x.get("$undefined").is_none());
    }
    v
}

async fn replay(record: &Value, tmp: &std::path::Path) -> RecordedRequest {
    let transport = RecordingTransport::new();
    // Whatever the answer, only the request is compared here.
    transport.respond(MockResponse::new(200).json(&json!({})));
    let client = recording_client(&transport);
    let p = &record["params"];
    let s = |k: &str| p[k].as_str().unwrap_or("").to_owned();
    let body = &p["body"];
    let query = defined(p.get("query").unwrap_or(&json!({})));
    let file_id = p["params"]["fileId"].as_str().unwrap_or("").to_owned();
    macro_rules! run {
        ($call:expr) => {{
            let _ = $call.await;
        }};
    }
    match record["sdk_method"].as_str().unwrap() {
        "files.get" => {
            let mut call = client.files().get(&s("fileID"));
            if let Some(opts) = p.get("options") {
                for (k, v) in opts["headers"].as_object().into_iter().flatten() {
                    call = call.header(k, v.as_str().unwrap());
                }
                for (k, v) in opts["query"].as_object().into_iter().flatten() {
                    call = call.query(k, v.as_str().unwrap());
                }
                if let Some(t) = opts["timeout"].as_u64() {
                    call = call.timeout(Duration::from_millis(t));
                }
                if let Some(r) = opts["maxRetries"].as_u64() {
                    call = call.max_retries(r as u32);
                }
            }
            run!(call)
        }
        "files.update" => run!(client.files().update(&s("fileID"), from::<UpdateFileRequest>(body))),
        "files.delete" => run!(client.files().delete(&s("fileID"))),
        "files.copy" => run!(client.files().copy(from(body))),
        "files.move" => run!(client.files().r#move(from(body))),
        "files.rename" => run!(client.files().rename(from(body))),
        "files.upload" => {
            let (file, params) = upload_args(body, tmp);
            run!(client.files().upload(file, params))
        }
        "beta.v2.files.upload" => {
            let (file, params) = upload_args(body, tmp);
            run!(client.beta().v2().files().upload_at(file, params, 1_767_225_600, Duration::from_secs(3600)))
        }
        "assets.list" => run!(client.assets().list(from(&query))),
        "files.bulk.delete" => run!(client.files().bulk().delete(from::<Vec<String>>(&body["fileIds"]))),
        "files.bulk.addTags" => run!(client.files().bulk().add_tags(from(&body["fileIds"]), from(&body["tags"]))),
        "files.bulk.removeTags" => {
            run!(client.files().bulk().remove_tags(from(&body["fileIds"]), from(&body["tags"])))
        }
        "files.bulk.removeAITags" => {
            run!(client.files().bulk().remove_ai_tags(from(&body["fileIds"]), from(&body["AITags"])))
        }
        "files.versions.list" => run!(client.files().versions().list(&s("fileID"))),
        "files.versions.get" => run!(client.files().versions().get(&file_id, &s("versionID"))),
        "files.versions.delete" => run!(client.files().versions().delete(&file_id, &s("versionID"))),
        "files.versions.restore" => run!(client.files().versions().restore(&file_id, &s("versionID"))),
        "files.metadata.get" => run!(client.files().metadata().get(&s("fileID"))),
        "files.metadata.getFromURL" => run!(client.files().metadata().get_from_url(query["url"].as_str().unwrap())),
        "folders.create" => run!(
            client.folders().create(body["folderName"].as_str().unwrap(), body["parentFolderPath"].as_str().unwrap())
        ),
        "folders.delete" => run!(client.folders().delete(body["folderPath"].as_str().unwrap())),
        "folders.copy" => run!(client.folders().copy(from(body))),
        "folders.move" => run!(client.folders().r#move(from(body))),
        "folders.rename" => run!(client.folders().rename(from(body))),
        "folders.job.get" => run!(client.folders().job().get(&s("jobID"))),
        "cache.invalidation.create" => run!(client.cache().invalidation().create(body["url"].as_str().unwrap())),
        "cache.invalidation.get" => run!(client.cache().invalidation().get(&s("requestID"))),
        "customMetadataFields.list" => run!(client.custom_metadata_fields().list(from(&query))),
        "customMetadataFields.create" => run!(client.custom_metadata_fields().create(from(body))),
        "customMetadataFields.update" => {
            let b = if body.is_null() { json!({}) } else { body.clone() };
            run!(client.custom_metadata_fields().update(&s("id"), from(&b)))
        }
        "customMetadataFields.delete" => run!(client.custom_metadata_fields().delete(&s("id"))),
        "savedExtensions.list" => run!(client.saved_extensions().list()),
        "savedExtensions.create" => run!(client.saved_extensions().create(from(body))),
        "savedExtensions.get" => run!(client.saved_extensions().get(&s("id"))),
        "savedExtensions.update" => run!(client.saved_extensions().update(&s("id"), from(body))),
        "savedExtensions.delete" => run!(client.saved_extensions().delete(&s("id"))),
        "namedTransformations.list" => run!(client.named_transformations().list()),
        "namedTransformations.create" => run!(client.named_transformations().create(from(body))),
        "namedTransformations.get" => run!(client.named_transformations().get(&s("id"))),
        "namedTransformations.update" => run!(client.named_transformations().update(&s("id"), from(body))),
        "namedTransformations.delete" => run!(client.named_transformations().delete(&s("id"))),
        "accounts.usage.get" => run!(
            client.accounts().usage().get(query["startDate"].as_str().unwrap(), query["endDate"].as_str().unwrap())
        ),
        "accounts.usageAnalytics.get" => run!(
            client
                .accounts()
                .usage_analytics()
                .get(query["startDate"].as_str().unwrap(), query["endDate"].as_str().unwrap())
        ),
        "accounts.origins.list" => run!(client.accounts().origins().list()),
        "accounts.origins.create" => run!(client.accounts().origins().create(from(body))),
        "accounts.origins.get" => run!(client.accounts().origins().get(&s("id"))),
        "accounts.origins.update" => run!(client.accounts().origins().update(&s("id"), from(body))),
        "accounts.origins.delete" => run!(client.accounts().origins().delete(&s("id"))),
        "accounts.urlEndpoints.list" => run!(client.accounts().url_endpoints().list()),
        "accounts.urlEndpoints.create" => run!(client.accounts().url_endpoints().create(from(body))),
        "accounts.urlEndpoints.get" => run!(client.accounts().url_endpoints().get(&s("id"))),
        "accounts.urlEndpoints.update" => run!(client.accounts().url_endpoints().update(&s("id"), from(body))),
        "accounts.urlEndpoints.delete" => run!(client.accounts().url_endpoints().delete(&s("id"))),
        other => panic!("no replay for {other}: every official method needs one"),
    }
    assert_eq!(transport.request_count(), 1, "{}", record["case"]);
    transport.last_request().unwrap()
}

/// A multipart part as compared: name, filename, content type, text value, length.
type PartSummary = (String, Option<String>, Option<String>, Option<String>, u64);

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
            let mut want: Vec<PartSummary> = theirs["body"]
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
                    let value =
                        if p.filename.is_some() { None } else { Some(String::from_utf8(p.data.clone()).unwrap()) };
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
async fn every_official_method_sends_what_the_node_sdk_sends() {
    let tmp = std::env::temp_dir().join(format!("imagekit-wire-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let all = records();
    let every_method: BTreeSet<String> = all.iter().map(|r| r["sdk_method"].as_str().unwrap().to_owned()).collect();
    assert_eq!(every_method.len(), 53, "the Node SDK's 53 methods");
    let mut snapshot = String::new();
    let mut covered = BTreeSet::new();
    let mut cases = 0;
    for record in &all {
        if !matches!(record["group"].as_str(), Some("coverage" | "variants" | "errors")) {
            continue;
        }
        let ours = replay(record, &tmp).await;
        snapshot.push_str(&compare(record, &ours));
        covered.insert(record["sdk_method"].as_str().unwrap().to_owned());
        cases += 1;
    }
    std::fs::remove_dir_all(&tmp).ok();
    let missing: Vec<_> = every_method.difference(&covered).collect();
    assert!(missing.is_empty(), "methods without a wire check: {missing:?}");
    assert_eq!(cases, 108, "records replayed");
    insta::assert_snapshot!("wire", snapshot);
}
