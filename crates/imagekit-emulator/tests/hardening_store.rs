//! A failed database commit (injected, as a full disk would fail it) leaves
//! memory as it was and the store writable; a restart sees what memory saw.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{Method, StatusCode};
use imagekit_emulator::{Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use serde_json::Value;

const PRIVATE: &str = "private_store_faults";
const BOUNDARY: &str = "store-faults-boundary";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ik-emu-{name}-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn open(dir: &PathBuf) -> InProcess {
    Emulator::builder().private_key(PRIVATE).data_dir(dir).in_process("http://emu.local").unwrap()
}

async fn call(emu: &InProcess, method: Method, path: &str, body: Option<Vec<u8>>) -> (StatusCode, Value) {
    let mut req = http::Request::builder()
        .method(method)
        .uri(format!("http://emu.local{path}"))
        .header("authorization", format!("Basic {}", STANDARD.encode(format!("{PRIVATE}:"))));
    if body.is_some() {
        req = req.header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
    }
    let resp = emu.send(req.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect_limited(1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn upload(emu: &InProcess, name: &str) -> (StatusCode, Value) {
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n{name}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"useUniqueFileName\"\r\n\r\nfalse\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/plain\r\n\r\ncontents of {name}\r\n--{BOUNDARY}--\r\n"
    );
    call(emu, Method::POST, "/api/v1/files/upload", Some(body.into_bytes())).await
}

async fn names(emu: &InProcess) -> Vec<String> {
    let (status, list) = call(emu, Method::GET, "/v1/files", None).await;
    assert_eq!(status, 200, "{list}");
    let mut names: Vec<String> =
        list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_failed_commit_changes_nothing_and_the_store_keeps_working() {
    let dir = temp_dir("commit");
    let emu = open(&dir);
    let (status, a) = upload(&emu, "a.txt").await;
    assert_eq!(status, 200, "{a}");
    let a_id = a["fileId"].as_str().unwrap().to_owned();

    // A DELETE whose commit fails: 500, and the file is still there.
    emu.fail_next_commit();
    let (status, body) = call(&emu, Method::DELETE, &format!("/v1/files/{a_id}"), None).await;
    assert_eq!(status, 500, "{body}");
    let (status, details) = call(&emu, Method::GET, &format!("/v1/files/{a_id}/details"), None).await;
    assert_eq!(status, 200, "the failed DELETE hid the file: {details}");
    assert_eq!(names(&emu).await, ["a.txt"]);

    // An upload whose commit fails: 500, nothing listed; the retry works (the database accepts writes).
    emu.fail_next_commit();
    let (status, body) = upload(&emu, "b.txt").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(names(&emu).await, ["a.txt"]);
    let (status, body) = upload(&emu, "b.txt").await;
    assert_eq!(status, 200, "{body}");

    // The DELETE again, now committed.
    let (status, body) = call(&emu, Method::DELETE, &format!("/v1/files/{a_id}"), None).await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(names(&emu).await, ["b.txt"]);

    // A restart on the same directory sees exactly what memory saw.
    drop(emu);
    let again = open(&dir);
    assert_eq!(names(&again).await, ["b.txt"]);
    let (status, _) = call(&again, Method::GET, &format!("/v1/files/{a_id}/details"), None).await;
    assert_eq!(status, 404);
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_failed_commit_of_a_new_folder_leaves_no_folder_behind() {
    let dir = temp_dir("folder");
    let emu = open(&dir);
    emu.fail_next_commit();
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\nc.txt\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"folder\"\r\n\r\n/deep/nested\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.txt\"\r\n\r\nc\r\n--{BOUNDARY}--\r\n"
    );
    let (status, resp) = call(&emu, Method::POST, "/api/v1/files/upload", Some(body.clone().into_bytes())).await;
    assert_eq!(status, 500, "{resp}");
    // Neither the file nor the folders its upload would have created.
    let (status, list) = call(&emu, Method::GET, "/v1/files?type=folder", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list, Value::Array(vec![]), "folders left behind: {list}");
    drop(emu);
    let again = open(&dir);
    let (_, list) = call(&again, Method::GET, "/v1/files?type=folder", None).await;
    assert_eq!(list, Value::Array(vec![]), "{list}");
    // The same upload committed does create them (the check above can fail).
    let (status, resp) = call(&again, Method::POST, "/api/v1/files/upload", Some(body.into_bytes())).await;
    assert_eq!(status, 200, "{resp}");
    let (_, list) = call(&again, Method::GET, "/v1/files?type=folder", None).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}
