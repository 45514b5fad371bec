//! The service's behaviour beyond `api.md` that real clients depend on
//! (`shared/spec/service-facts.md` §2-5), each checked on its own; the replay
//! of the recorded official clients is in `official_clients.rs`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, Method, StatusCode};
use imagekit_emulator::{Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use serde_json::{Value, json};

const PRIVATE: &str = "private_facts_test";
const ORIGIN: &str = "http://emu.local";
const PAGE: &str = "https://shop.example";

fn emulator() -> InProcess {
    Emulator::builder().private_key(PRIVATE).public_key("public_facts_test").in_process(ORIGIN).unwrap()
}

fn basic() -> String {
    format!("Basic {}", STANDARD.encode(format!("{PRIVATE}:")))
}

async fn send(
    client: &InProcess,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, HeaderMap, Value) {
    let mut req = http::Request::builder().method(method).uri(format!("{ORIGIN}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = client.send(req.body(Body::from(body)).unwrap()).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap();
    // Delivery answers bytes; everything else JSON.
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, value)
}

async fn api(client: &InProcess, method: Method, path: &str, body: Option<Value>) -> (StatusCode, HeaderMap, Value) {
    let auth = basic();
    let mut headers = vec![("authorization", auth.as_str())];
    let body = match body {
        Some(v) => {
            headers.push(("content-type", "application/json"));
            serde_json::to_vec(&v).unwrap()
        }
        None => Vec::new(),
    };
    send(client, method, path, &headers, body).await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A one-pixel PNG upload with Basic auth.
async fn upload(client: &InProcess, name: &str, tags: &str) -> Value {
    let png = STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        .unwrap();
    let mut body = Vec::new();
    for (k, v) in [("fileName", name), ("tags", tags), ("useUniqueFileName", "false")] {
        body.extend_from_slice(
            format!("--b\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\n");
    body.extend_from_slice(&png);
    body.extend_from_slice(b"\r\n--b--\r\n");
    let auth = basic();
    let headers = [("authorization", auth.as_str()), ("content-type", "multipart/form-data; boundary=b")];
    let (status, _, json) = send(client, Method::POST, "/api/v1/files/upload", &headers, body).await;
    assert_eq!(status, 200, "{json}");
    json
}

#[tokio::test]
async fn one_trailing_slash_routes_like_none() {
    let emu = emulator();
    let file = upload(&emu, "a.png", "t").await;
    let id = file["fileId"].as_str().unwrap();
    let (status, _, list) = api(&emu, Method::GET, "/v1/files/?type=file", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let (status, _, body) =
        api(&emu, Method::PATCH, &format!("/v1/files/{id}/details/"), Some(json!({"tags": ["x"]}))).await;
    assert_eq!((status, &body["tags"]), (StatusCode::OK, &json!(["x"])), "{body}");
    // Only one: two slashes are another path.
    let (status, _, _) = api(&emu, Method::GET, "/v1/files//", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn upload_endpoints_answer_cors_and_the_private_api_does_not() {
    let emu = emulator();
    for path in ["/api/v1/files/upload", "/api/v2/files/upload", "/api/v1/files/upload/"] {
        let asked = [
            ("origin", PAGE),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type,x-requested-with"),
        ];
        let (status, headers, body) = send(&emu, Method::OPTIONS, path, &asked, Vec::new()).await;
        assert!(status == 200 || status == 204, "{path}: {status} {body}");
        assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"), "{path}");
        let methods = header(&headers, "access-control-allow-methods").unwrap_or_default();
        assert!(methods.split(',').any(|m| m.trim() == "POST"), "{path}: {methods}");
        assert_eq!(header(&headers, "access-control-allow-headers"), Some("content-type,x-requested-with"));
    }
    // An error answer is readable by the page too.
    let headers = [("origin", PAGE), ("content-type", "multipart/form-data; boundary=b")];
    let (status, headers, body) =
        send(&emu, Method::POST, "/api/v1/files/upload", &headers, b"--b--\r\n".to_vec()).await;
    assert!(status.is_client_error(), "{status} {body}");
    assert!(body["message"].is_string());
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));
    // The private-key REST API is not for browsers.
    let (_, headers, _) = api(&emu, Method::GET, "/v1/files", None).await;
    assert_eq!(header(&headers, "access-control-allow-origin"), None);
    let (status, headers, _) = send(&emu, Method::OPTIONS, "/v1/files", &[("origin", PAGE)], Vec::new()).await;
    assert!(status.is_client_error());
    assert_eq!(header(&headers, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn delivery_is_readable_cross_origin() {
    let emu = emulator();
    upload(&emu, "d.png", "t").await;
    for path in ["/emulator/d.png", "/emulator/missing.png"] {
        let (_, headers, _) = send(&emu, Method::GET, path, &[("origin", PAGE)], Vec::new()).await;
        assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"), "{path}");
    }
}

#[tokio::test]
async fn single_quoted_search_values() {
    let emu = emulator();
    upload(&emu, "q.png", "tag-1").await;
    upload(&emu, "r.png", "other").await;
    let names = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect()
    };
    let q = "/v1/files?searchQuery=tags%20IN%20%5B%27tag-1%27%2C%20%27tag-2%27%5D";
    let (status, _, list) = api(&emu, Method::GET, q, None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), ["q.png"]);
    let q = "/v1/files?searchQuery=createdAt%20%3E%3D%20%272d%27%20AND%20name%3D%27r.png%27";
    let (status, _, list) = api(&emu, Method::GET, q, None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), ["r.png"]);
}
