//! `imagekit api`: every row of `imagekit::operations::OPERATIONS` called through `run`
//! against the emulator, and the usage errors.

#[path = "../src/api_cmd.rs"]
#[allow(dead_code)] // `list` and `list_json` are tested through the binary (api_list.rs)
mod api_cmd;

use std::collections::HashSet;

use api_cmd::{ApiCmdError, run};
use imagekit::Client;
use imagekit::operations::OPERATIONS;
use imagekit_emulator::{Emulator, RunningEmulator};
use serde_json::{Value, json};

/// A valid 1x1 RGBA PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async fn emulator() -> (RunningEmulator, Client) {
    let emu = Emulator::builder().start().await.unwrap();
    let client = Client::builder()
        .private_key(emu.private_key())
        .public_key(emu.public_key())
        .base_url(emu.base_url())
        .url_endpoint(emu.url_endpoint())
        .build()
        .unwrap();
    (emu, client)
}

/// Calls `run`, remembering which methods were exercised.
struct Api {
    client: Client,
    done: HashSet<&'static str>,
}

impl Api {
    async fn call(&mut self, method: &'static str, params: Value) -> Value {
        self.done.insert(method);
        run(&self.client, method, params).await.unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// A call that fails with an API error of `status`.
    async fn fails(&self, method: &str, params: Value, status: u16) {
        match run(&self.client, method, params).await {
            Err(ApiCmdError::Api(e)) => assert_eq!(e.status().map(|s| s.as_u16()), Some(status), "{method}: {e}"),
            other => panic!("{method}: expected a {status}, got {other:?}"),
        }
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).to_owned()
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array().unwrap().iter().map(|item| s(&item[key])).collect()
}

fn usage_error(result: Result<Value, ApiCmdError>) -> String {
    match result {
        Err(ApiCmdError::Usage(m)) => m,
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_method_against_the_emulator() {
    let (emu, client) = emulator().await;
    let mut api = Api { client, done: HashSet::new() };

    // ---- uploads: base64, a local file, a URL, V2
    let a = api
        .call(
            "files.upload",
            json!({"file": PNG, "fileName": "a.png", "folder": "/api", "tags": "one, two", "useUniqueFileName": false,
                "responseFields": "tags,isPublished"}),
        )
        .await;
    assert_eq!(a["filePath"], "/api/a.png");
    assert_eq!(a["tags"], json!(["one", "two"]));
    assert_eq!(a["width"], 1);
    let a_id = s(&a["fileId"]);
    let a_url = s(&a["url"]);

    let local = std::env::temp_dir().join(format!("imagekit-cli-api-{}.png", std::process::id()));
    std::fs::write(&local, imagekit_png_bytes()).unwrap();
    let from_disk =
        api.call("files.upload", json!({"file": format!("@{}", local.display()), "useUniqueFileName": false})).await;
    std::fs::remove_file(&local).unwrap();
    assert_eq!(from_disk["name"], local.file_name().unwrap().to_str().unwrap(), "fileName defaults to the file's");
    assert_eq!(from_disk["size"], a["size"]);

    // The emulator fetches loopback URLs: its own delivery URL of `a`.
    let from_url = api.call("files.upload", json!({"file": a_url, "fileName": "b.png", "folder": "/api"})).await;
    assert!(s(&from_url["name"]).starts_with('b'), "{from_url}");
    assert_eq!(from_url["size"], a["size"]);
    let b_id = s(&from_url["fileId"]);

    let v2 = api
        .call(
            "beta.v2.files.upload",
            json!({"file": PNG, "fileName": "v2.png", "tags": ["x", "y"], "responseFields": ["tags"]}),
        )
        .await;
    assert_eq!(v2["tags"], json!(["x", "y"]));
    let v2_id = s(&v2["fileId"]);

    // ---- files
    let got = api.call("files.get", json!({"fileId": a_id})).await;
    assert_eq!(got["fileId"], a_id.as_str());
    assert_eq!(got["name"], "a.png");

    let updated = api.call("files.update", json!({"fileId": a_id, "tags": ["t1"], "description": "first"})).await;
    assert_eq!(updated["tags"], json!(["t1"]));
    assert_eq!(updated["description"], "first");

    let meta = api.call("files.metadata.get", json!({"fileId": a_id})).await;
    assert_eq!((meta["width"].clone(), meta["height"].clone()), (json!(1), json!(1)));
    let meta = api.call("files.metadata.getFromURL", json!({"url": a_url})).await;
    assert_eq!(meta["format"], "png");

    let tagged = api.call("files.bulk.addTags", json!({"fileIds": [a_id, b_id], "tags": ["bulk"]})).await;
    assert_eq!(tagged["successfullyUpdatedFileIds"], json!([a_id, b_id]));
    assert_eq!(api.call("files.get", json!({"fileId": b_id})).await["tags"], json!(["bulk"]));
    let untagged = api.call("files.bulk.removeTags", json!({"fileIds": [b_id], "tags": ["bulk"]})).await;
    assert_eq!(untagged["successfullyUpdatedFileIds"], json!([b_id]));
    assert_eq!(api.call("files.get", json!({"fileId": b_id})).await["tags"], Value::Null);
    let ai = api.call("files.bulk.removeAITags", json!({"fileIds": [a_id], "AITags": ["car"]})).await;
    assert_eq!(ai["successfullyUpdatedFileIds"], json!([a_id]));

    // ---- versions: upload `a` again to get a second version
    let first_version = s(&a["versionInfo"]["id"]);
    let again = api
        .call("files.upload", json!({"file": PNG, "fileName": "a.png", "folder": "/api", "useUniqueFileName": false}))
        .await;
    assert_eq!(again["fileId"], a_id.as_str());
    let second_version = s(&again["versionInfo"]["id"]);
    assert_ne!(first_version, second_version);

    let versions = api.call("files.versions.list", json!({"fileId": a_id})).await;
    let version_ids: Vec<String> = versions.as_array().unwrap().iter().map(|v| s(&v["versionInfo"]["id"])).collect();
    assert_eq!(version_ids, [first_version.as_str(), second_version.as_str()]);
    let version = api.call("files.versions.get", json!({"fileId": a_id, "versionId": first_version})).await;
    assert_eq!(version["versionInfo"]["id"], first_version.as_str());
    let restored = api.call("files.versions.restore", json!({"fileId": a_id, "versionId": first_version})).await;
    assert_eq!(restored["versionInfo"]["id"], first_version.as_str());
    let deleted = api.call("files.versions.delete", json!({"fileId": a_id, "versionId": second_version})).await;
    assert_eq!(deleted, json!({}));
    assert_eq!(api.call("files.versions.list", json!({"fileId": a_id})).await.as_array().unwrap().len(), 1);

    // ---- copy, move, rename, listing
    assert_eq!(
        api.call("files.copy", json!({"sourceFilePath": "/api/a.png", "destinationPath": "/copy"})).await,
        json!({})
    );
    assert_eq!(
        api.call("files.move", json!({"sourceFilePath": "/copy/a.png", "destinationPath": "/moved"})).await,
        json!({})
    );
    let renamed = api.call("files.rename", json!({"filePath": "/moved/a.png", "newFileName": "r.png"})).await;
    assert!(renamed.is_object(), "{renamed}");
    let listed = api.call("assets.list", json!({"path": "/moved/", "type": "file", "limit": 10})).await;
    assert_eq!(ids(&listed, "name"), ["r.png"]);
    let copies = api.call("assets.list", json!({"path": "/copy/"})).await;
    assert_eq!(copies, json!([]), "the copy was moved away");

    // ---- deletes
    assert_eq!(api.call("files.delete", json!({"fileId": v2_id})).await, Value::Null);
    api.fails("files.get", json!({"fileId": v2_id}), 404).await;
    let bulk = api.call("files.bulk.delete", json!({"fileIds": [b_id]})).await;
    assert_eq!(bulk["successfullyDeletedFileIds"], json!([b_id]));
    api.fails("files.get", json!({"fileId": b_id}), 404).await;

    // ---- folders and jobs
    assert_eq!(api.call("folders.create", json!({"folderName": "f", "parentFolderPath": "/"})).await, json!({}));
    let copy = api.call("folders.copy", json!({"sourceFolderPath": "/api", "destinationPath": "/f"})).await;
    let job = api.call("folders.job.get", json!({"jobId": copy["jobId"]})).await;
    assert_eq!(job["jobId"], copy["jobId"]);
    assert_eq!(job["type"], "COPY_FOLDER");
    let moved = api.call("folders.move", json!({"sourceFolderPath": "/moved", "destinationPath": "/f"})).await;
    assert!(moved["jobId"].is_string(), "{moved}");
    let renamed = api.call("folders.rename", json!({"folderPath": "/f", "newFolderName": "g"})).await;
    assert_eq!(api.call("folders.job.get", json!({"jobId": renamed["jobId"]})).await["type"], "RENAME_FOLDER");
    let in_g = api.call("assets.list", json!({"path": "/g/api/", "type": "file"})).await;
    assert_eq!(ids(&in_g, "name"), ["a.png"]);
    assert_eq!(api.call("folders.delete", json!({"folderPath": "/g"})).await, json!({}));
    assert_eq!(api.call("assets.list", json!({"path": "/g/"})).await, json!([]));

    // ---- cache
    let purge = api.call("cache.invalidation.create", json!({"url": a_url})).await;
    let status = api.call("cache.invalidation.get", json!({"requestId": purge["requestId"]})).await;
    assert!(matches!(status["status"].as_str(), Some("Pending" | "Completed")), "{status}");

    // ---- custom metadata fields
    let field = api
        .call(
            "customMetadataFields.create",
            json!({"name": "price", "label": "Price", "schema": {"type": "Number", "minValue": 0}}),
        )
        .await;
    let field_id = s(&field["id"]);
    assert_eq!(field["schema"]["type"], "Number");
    let field = api.call("customMetadataFields.update", json!({"id": field_id, "label": "Cost"})).await;
    assert_eq!(field["label"], "Cost");
    assert_eq!(api.call("customMetadataFields.delete", json!({"id": field_id})).await, json!({}));
    assert_eq!(api.call("customMetadataFields.list", json!({})).await, json!([]), "deleted fields are hidden");
    let all = api.call("customMetadataFields.list", json!({"includeDeleted": true})).await;
    assert_eq!(ids(&all, "id"), [field_id]);

    // ---- saved extensions
    let ext = api
        .call("savedExtensions.create", json!({"name": "bg", "description": "cut", "config": {"name": "remove-bg"}}))
        .await;
    let ext_id = s(&ext["id"]);
    assert_eq!(ext["config"]["name"], "remove-bg");
    assert_eq!(ids(&api.call("savedExtensions.list", json!({})).await, "id"), [ext_id.as_str()]);
    assert_eq!(api.call("savedExtensions.get", json!({"id": ext_id})).await["name"], "bg");
    let ext = api.call("savedExtensions.update", json!({"id": ext_id, "description": "remove"})).await;
    assert_eq!(ext["description"], "remove");
    assert_eq!(api.call("savedExtensions.delete", json!({"id": ext_id})).await, Value::Null);
    api.fails("savedExtensions.get", json!({"id": ext_id}), 404).await;

    // ---- named transformations
    let named = api.call("namedTransformations.create", json!({"name": "thumb", "transformation": "w-100"})).await;
    let named_id = s(&named["id"]);
    assert_eq!(ids(&api.call("namedTransformations.list", Value::Null).await, "id"), [named_id.as_str()]);
    assert_eq!(api.call("namedTransformations.get", json!({"id": named_id})).await["name"], "thumb");
    let named = api.call("namedTransformations.update", json!({"id": named_id, "transformation": "w-200"})).await;
    assert_eq!(named["transformation"], "w-200");
    assert_eq!(api.call("namedTransformations.delete", json!({"id": named_id})).await, Value::Null);
    api.fails("namedTransformations.get", json!({"id": named_id}), 404).await;

    // ---- usage
    let dates = json!({"startDate": "2025-01-01", "endDate": "2025-01-31"});
    let usage = api.call("accounts.usage.get", dates.clone()).await;
    assert!(usage.is_object(), "{usage}");
    let analytics = api.call("accounts.usageAnalytics.get", dates).await;
    assert!(analytics.is_object(), "{analytics}");

    // ---- origins and URL endpoints
    let origin = json!({"type": "WEB_FOLDER", "name": "site", "baseUrl": "https://images.example.com"});
    let origin = api.call("accounts.origins.create", origin).await;
    let origin_id = s(&origin["id"]);
    assert_eq!(origin["type"], "WEB_FOLDER");
    assert_eq!(ids(&api.call("accounts.origins.list", json!({})).await, "id"), [origin_id.as_str()]);
    assert_eq!(api.call("accounts.origins.get", json!({"id": origin_id})).await["name"], "site");
    let origin = api
        .call(
            "accounts.origins.update",
            json!({"id": origin_id, "type": "WEB_FOLDER", "name": "site2", "baseUrl": "https://img.example.com"}),
        )
        .await;
    assert_eq!(origin["name"], "site2");

    let endpoint = json!({"description": "cdn", "urlPrefix": "cdn", "origins": [origin_id]});
    let endpoint = api.call("accounts.urlEndpoints.create", endpoint).await;
    let endpoint_id = s(&endpoint["id"]);
    assert_eq!(endpoint["origins"], json!([origin_id]));
    let endpoints = ids(&api.call("accounts.urlEndpoints.list", json!({})).await, "id");
    assert!(endpoints.contains(&endpoint_id), "{endpoints:?}");
    assert_eq!(api.call("accounts.urlEndpoints.get", json!({"id": endpoint_id})).await["urlPrefix"], "cdn");
    let endpoint = api
        .call("accounts.urlEndpoints.update", json!({"id": endpoint_id, "description": "cdn2", "urlPrefix": "cdn2"}))
        .await;
    assert_eq!((endpoint["description"].clone(), endpoint["origins"].clone()), (json!("cdn2"), json!([])));
    assert_eq!(api.call("accounts.urlEndpoints.delete", json!({"id": endpoint_id})).await, Value::Null);
    api.fails("accounts.urlEndpoints.get", json!({"id": endpoint_id}), 404).await;
    assert_eq!(api.call("accounts.origins.delete", json!({"id": origin_id})).await, Value::Null);
    api.fails("accounts.origins.get", json!({"id": origin_id}), 404).await;

    // ---- account webhooks
    let hook = json!({"endpoint": "https://example.com/hook", "events": ["video.transformation.ready"]});
    let hook = api.call("accounts.webhooks.create", hook).await;
    let hook_id = s(&hook["id"]);
    assert_eq!(hook["enabled"], true);
    assert_eq!(ids(&api.call("accounts.webhooks.list", json!({})).await, "id"), [hook_id.as_str()]);
    assert_eq!(api.call("accounts.webhooks.get", json!({"id": hook_id})).await["endpoint"], "https://example.com/hook");
    let hook = api.call("accounts.webhooks.update", json!({"id": hook_id, "enabled": false})).await;
    assert_eq!(hook["enabled"], false);
    assert_eq!(api.call("accounts.webhooks.delete", json!({"id": hook_id})).await, Value::Null);
    api.fails("accounts.webhooks.get", json!({"id": hook_id}), 404).await;

    // ---- every method, once each
    let unique: HashSet<&str> = OPERATIONS.iter().map(|op| op.name).collect();
    assert_eq!((OPERATIONS.len(), unique.len()), (58, 58));
    let missed: Vec<&str> = OPERATIONS.iter().map(|op| op.name).filter(|m| !api.done.contains(m)).collect();
    assert!(missed.is_empty(), "not exercised: {missed:?}");
    assert_eq!(api.done.len(), 58);
    emu.shutdown().await;
}

/// The bytes of [`PNG`].
fn imagekit_png_bytes() -> Vec<u8> {
    // A tiny base64 decoder, to keep the test free of a base64 dependency.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in PNG.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | alphabet.iter().position(|&a| a == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[tokio::test]
async fn usage_errors_name_the_method_and_the_field() {
    let (emu, client) = emulator().await;

    let m = usage_error(run(&client, "files.gett", json!({})).await);
    assert!(m.contains("unknown method `files.gett`") && m.contains("files.get"), "{m}");
    let m = usage_error(run(&client, "files.bulk.addtags", json!({})).await);
    assert!(m.contains("files.bulk.addTags"), "{m}");
    let m = usage_error(run(&client, "upload", json!({})).await);
    assert!(m.contains("files.upload") && m.contains("beta.v2.files.upload"), "{m}");
    let m = usage_error(run(&client, "zzz", json!({})).await);
    assert!(m.contains("unknown method `zzz`") && m.contains("58"), "{m}");

    let m = usage_error(run(&client, "files.get", json!({})).await);
    assert!(m.contains("files.get") && m.contains("missing path parameter `fileId`"), "{m}");
    let m = usage_error(run(&client, "files.versions.get", json!({"fileId": "f"})).await);
    assert!(m.contains("`versionId`"), "{m}");
    let m = usage_error(run(&client, "files.get", json!({"fileId": 7})).await);
    assert!(m.contains("`fileId` must be a non-empty string"), "{m}");
    let m = usage_error(run(&client, "files.get", json!({"fileId": "f", "extra": 1})).await);
    assert!(m.contains("unknown field `extra`"), "{m}");
    let m = usage_error(run(&client, "savedExtensions.list", json!({"limit": 1})).await);
    assert!(m.contains("unknown field `limit`"), "{m}");
    let m = usage_error(run(&client, "assets.list", json!({"limt": 1})).await);
    assert!(m.contains("unknown field `limt`") && m.contains("limit"), "{m}");
    let m = usage_error(run(&client, "files.get", json!(["fileId"])).await);
    assert!(m.contains("must be a JSON object"), "{m}");

    // Wrong types name the field.
    let m = usage_error(run(&client, "assets.list", json!({"type": "file", "limit": "ten"})).await);
    assert!(m.contains("field `limit`"), "{m}");
    let m = usage_error(run(&client, "files.update", json!({"fileId": "f", "description": "d", "tags": 5})).await);
    assert!(m.contains("field `tags`"), "{m}");
    let m = usage_error(run(&client, "files.bulk.addTags", json!({"fileIds": "f", "tags": ["t"]})).await);
    assert!(m.contains("field `fileIds`"), "{m}");
    let m = usage_error(run(&client, "namedTransformations.create", json!({"name": "n"})).await);
    assert!(m.contains("missing field `transformation`"), "{m}");
    let m = usage_error(run(&client, "customMetadataFields.list", json!({"includeDeleted": "yes"})).await);
    assert!(m.contains("field `includeDeleted`"), "{m}");
    let upload = json!({"file": PNG, "fileName": "a.png", "useUniqueFileName": "no"});
    let m = usage_error(run(&client, "files.upload", upload).await);
    assert!(m.contains("field `useUniqueFileName`"), "{m}");
    let m = usage_error(run(&client, "files.upload", json!({"fileName": "a.png"})).await);
    assert!(m.contains("missing field `file`"), "{m}");
    let m = usage_error(run(&client, "beta.v2.files.upload", json!({"file": PNG})).await);
    assert!(m.contains("missing field `fileName`"), "{m}");

    // A local file that is not there: the SDK refuses it before sending.
    let missing = json!({"file": "@/nonexistent/imagekit-cli-test.png"});
    match run(&client, "files.upload", missing).await {
        Err(ApiCmdError::Api(e @ imagekit::Error::File { .. })) => {
            assert!(e.is_invalid_input());
            assert!(std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()), "{e:?}");
            assert!(e.to_string().contains("imagekit-cli-test.png"), "{e}")
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    // An API error comes back as such.
    match run(&client, "files.get", json!({"fileId": "nope"})).await {
        Err(e @ ApiCmdError::Api(_)) => {
            assert!(std::error::Error::source(&e).is_some());
            assert!(e.to_string().starts_with("404"), "{e}");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    emu.shutdown().await;
}
