//! The upload, file, version, bulk and metadata endpoints of the emulator,
//! driven with raw HTTP requests (multipart bodies built here), in-process and
//! over a real socket.

mod bulk_and_metadata;
mod client_side;
mod files;
mod load_and_persistence;
mod uploads;

use std::collections::HashSet;
use std::io::Cursor;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use http::{Method, StatusCode};
use imagekit_emulator::{Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use serde_json::{Value, json};
use sha2::Sha256;

const PRIVATE: &str = "private_files_test";
const PUBLIC: &str = "public_files_test";
const ORIGIN: &str = "http://emu.local";

fn emulator() -> InProcess {
    Emulator::builder().private_key(PRIVATE).public_key(PUBLIC).in_process(ORIGIN).unwrap()
}

fn basic() -> String {
    format!("Basic {}", STANDARD.encode(format!("{PRIVATE}:")))
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let img = if alpha {
        image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([(x * 7) as u8, (y * 3) as u8, 200, 128])
        }))
    } else {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 3) as u8, 200])
        }))
    };
    encode(&img, image::ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 5) as u8, (y * 9) as u8, ((x + y) * 2) as u8])
    }));
    encode(&img, image::ImageFormat::Jpeg)
}

fn gif(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(width, height, |x, _| {
        if x == 0 { image::Rgba([0, 0, 0, 0]) } else { image::Rgba([255, 0, 0, 255]) }
    }));
    encode(&img, image::ImageFormat::Gif)
}

fn encode(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// One multipart part: a text field, or a file with a file name.
enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a [u8]),
}

const BOUNDARY: &str = "----emulatorTestBoundary7MA4YWxkTrZu0gW";

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                out.extend_from_slice(value.as_bytes());
            }
            Part::File(file_name, bytes) => {
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(bytes);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

async fn send(
    client: &impl HttpClient,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = http::Request::builder().method(method).uri(format!("{ORIGIN}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = client.send(req.body(Body::from(body)).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap();
    let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (status, value)
}

/// An API call with Basic auth and an optional JSON body.
async fn api(client: &impl HttpClient, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
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

/// A multipart upload to `/api/{version}/files/upload`, with Basic auth when `auth`.
async fn upload_to(client: &impl HttpClient, version: &str, parts: &[Part<'_>], auth: bool) -> (StatusCode, Value) {
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let basic = basic();
    let mut headers = vec![("content-type", ct.as_str())];
    if auth {
        headers.push(("authorization", basic.as_str()));
    }
    send(client, Method::POST, &format!("/api/{version}/files/upload"), &headers, multipart(parts)).await
}

async fn upload(client: &impl HttpClient, parts: &[Part<'_>]) -> (StatusCode, Value) {
    upload_to(client, "v1", parts, true).await
}

/// Upload `bytes` as `name` at a fixed path (no unique suffix); returns the response.
async fn put(client: &impl HttpClient, name: &str, bytes: &[u8], extra: &[Part<'_>]) -> Value {
    let mut parts = vec![Part::Text("fileName", name), Part::Text("useUniqueFileName", "false")];
    parts.extend(extra.iter().map(|p| match p {
        Part::Text(k, v) => Part::Text(k, v),
        Part::File(k, v) => Part::File(k, v),
    }));
    parts.push(Part::File(name, bytes));
    let (status, body) = upload(client, &parts).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn id(v: &Value) -> String {
    v["fileId"].as_str().unwrap().to_owned()
}

async fn details(client: &impl HttpClient, file_id: &str) -> Value {
    let (status, body) = api(client, Method::GET, &format!("/v1/files/{file_id}/details"), None).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn assert_error(status: StatusCode, body: &Value, expected: u16) {
    assert_eq!(status, expected, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "no message: {body}");
    assert!(body["help"].is_string(), "no help: {body}");
}

fn jwt(private: &str, kid: &str, claims: Value) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": kid});
    let input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(private.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

fn v1_signature(token: &str, expire: u64) -> String {
    let key = imagekit_url::PrivateKey::new(PRIVATE).unwrap();
    imagekit_url::authentication_parameters(&key, token, expire).unwrap().signature
}
