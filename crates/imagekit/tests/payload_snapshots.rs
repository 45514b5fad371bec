//! Snapshots of the exact payloads the SDK sends, through `imagekit::Client` on a
//! `RecordingTransport` (the recipe of `imagekit_transport::test_util`).
//!
//! Each call runs twice and both requests must render identically — in text and
//! JSON — before the render is snapshotted: an upload's random multipart boundary
//! or the crate version in `user-agent` would break that. The snapshots were
//! checked against the official Node SDK's requests (shared/spec/wire.md, the
//! `files.update`, `files.upload`, `files.bulk.*` and `error[...]` records).

mod common;

use std::future::Future;

use common::recording_client;
use imagekit::types::{Object, UpdateFileDetails, UploadParams};
use imagekit::{Client, UploadFile};
use imagekit_transport::test_util::RecordingTransport;
use imagekit_transport::test_util::{MockResponse, RecordedRequest};
use serde_json::json;

/// A tiny stand-in PNG: the signature, then a few bytes.
/// `printf '\x89PNG\r\n\x1a\n\x00\x01\x02\x03' | sha256sum` → `0f6c3a09018d44c7…`
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x01\x02\x03";

/// Records `call` twice, each answered by `response()`; asserts one request per
/// call and identical renders; returns the first request and both results.
async fn record_twice<T, Fut>(
    response: impl Fn() -> MockResponse,
    call: impl Fn(Client) -> Fut,
) -> (RecordedRequest, RecordedRequest, Vec<imagekit::Result<T>>)
where
    Fut: Future<Output = imagekit::Result<T>>,
{
    let transport = RecordingTransport::new();
    let client = recording_client(&transport);
    let mut results = Vec::new();
    for _ in 0..2 {
        transport.respond(response());
        results.push(call(client.clone()).await);
    }
    let mut requests = transport.requests();
    assert_eq!(requests.len(), 2, "one request per call, no retry");
    assert_eq!(requests[0].to_string(), requests[1].to_string(), "the text render is stable");
    assert_eq!(requests[0].to_json(), requests[1].to_json(), "the JSON render is stable");
    let second = requests.pop().expect("two requests");
    let first = requests.pop().expect("two requests");
    (first, second, results)
}

fn object(value: serde_json::Value) -> Object {
    serde_json::from_value(value).expect("a JSON object")
}

fn upload_params(file_name: &str) -> UploadParams {
    UploadParams::new(file_name)
        .use_unique_file_name(false)
        .tags(["t-shirt", "round-neck", "men"])
        .folder("/marketing/summer/")
        .custom_metadata(object(json!({ "brand": "Nike", "price": 1999, "onSale": true })))
}

fn uploaded() -> MockResponse {
    MockResponse::new(200).json(&json!({ "fileId": "598821f949c0a938d57563bd", "name": "sample.png" }))
}

#[tokio::test]
async fn file_details_update() {
    let (request, _, results) = record_twice(
        || MockResponse::new(200).json(&json!({ "fileId": "598821f949c0a938d57563bd", "type": "file" })),
        |client| async move {
            let details = UpdateFileDetails::new()
                .tags(["t-shirt", "sale2019"])
                .custom_coordinates("10,10,100,100")
                .custom_metadata(object(json!({ "brand": "Nike", "price": 1999 })))
                .description("Updated description");
            client.files().update("598821f949c0a938d57563bd", details).await
        },
    )
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    insta::assert_snapshot!("file_details_update", request.to_string());
}

#[tokio::test]
async fn upload_from_bytes() {
    let (request, second, results) = record_twice(uploaded, |client| async move {
        let file = UploadFile::bytes(PNG).file_name("sample.png").content_type("image/png");
        client.files().upload(file, upload_params("sample.png")).await
    })
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // What the stability check is worth: the bytes sent differ (a new boundary
    // per request), the renders do not.
    assert_ne!(request.body, second.body, "each upload has its own boundary");
    assert_ne!(request.header("content-type"), second.header("content-type"));
    insta::assert_snapshot!("upload_from_bytes", request.to_string());
    insta::assert_json_snapshot!("upload_from_bytes_json", request);
}

#[tokio::test]
async fn upload_from_a_file_on_disk() {
    let dir = std::env::temp_dir().join(format!("imagekit-payload-snapshots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("shoe.png");
    std::fs::write(&path, PNG).expect("write the file");
    let (request, second, results) = record_twice(uploaded, |client| {
        let path = path.clone();
        async move { client.files().upload(UploadFile::path(path), upload_params("shoe.png")).await }
    })
    .await;
    std::fs::remove_dir_all(&dir).ok();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_ne!(request.body, second.body, "each upload has its own boundary");
    // The path's directory, which differs per run and machine, is not sent.
    assert!(!request.to_string().contains(&dir.display().to_string()));
    insta::assert_snapshot!("upload_from_a_file_on_disk", request.to_string());
}

#[tokio::test]
async fn bulk_add_tags() {
    let (request, _, results) = record_twice(
        || MockResponse::new(200).json(&json!({ "successfullyUpdatedFileIds": ["598821f949c0a938d57563bd"] })),
        |client| async move {
            client
                .files()
                .bulk()
                .add_tags(
                    vec!["598821f949c0a938d57563bd".into(), "598821f949c0a938d57563be".into()],
                    vec!["t-shirt".into(), "round-neck".into(), "sale2019".into()],
                )
                .await
        },
    )
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    insta::assert_snapshot!("bulk_add_tags", request.to_string());
}

#[tokio::test]
async fn bulk_delete() {
    let (request, _, results) =
        record_twice(
            || MockResponse::new(200).json(&json!({ "successfullyDeletedFileIds": ["598821f949c0a938d57563bd"] })),
            |client| async move {
                client.files().bulk().delete(["598821f949c0a938d57563bd", "598821f949c0a938d57563be"]).await
            },
        )
        .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    insta::assert_snapshot!("bulk_delete", request.to_string());
}

/// The request, then the error the caller sees.
fn request_and_error<T: std::fmt::Debug>(request: &RecordedRequest, results: &[imagekit::Result<T>]) -> String {
    let errors: Vec<String> = results.iter().map(|r| r.as_ref().expect_err("a 4xx is an error").to_string()).collect();
    assert_eq!(errors[0], errors[1], "the error is stable too");
    format!("{request}\n=> error: {}\n", errors[0])
}

#[tokio::test]
async fn not_found_error() {
    let (request, _, results) = record_twice(
        || {
            MockResponse::new(404).header("x-ik-requestid", "ik-404").json(&json!({
                "message": "The requested file does not exist.",
                "help": "For support kindly contact us at support@imagekit.io ."
            }))
        },
        |client| async move { client.files().get("file_err").await },
    )
    .await;
    for result in &results {
        let err = result.as_ref().expect_err("404");
        assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
    }
    insta::assert_snapshot!("not_found_error", request_and_error(&request, &results));
}

#[tokio::test]
async fn upload_rejected_with_400() {
    let (request, _, results) = record_twice(
        || MockResponse::new(400).json(&json!({ "message": "A file with this name already exists", "help": "" })),
        |client| async move {
            let file = UploadFile::bytes(PNG).file_name("sample.png").content_type("image/png");
            client.files().upload(file, UploadParams::new("sample.png")).await
        },
    )
    .await;
    insta::assert_snapshot!("upload_rejected_with_400", request_and_error(&request, &results));
}
