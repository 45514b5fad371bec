//! Delivery URLs against an in-process emulator (and one over a socket):
//! content types, transformations, private files and signed URLs built with
//! `imagekit_url`, exactly as a client builds them.

mod serving;
mod signed_urls;
mod transformations;

use std::io::Cursor;

use bytes::Bytes;
use http::{Method, StatusCode};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use imagekit_transport::{Body, HttpClient};
use imagekit_url::{PrivateKey, Transformation, TransformationPosition, UrlOptions};

use crate::model::{FileRecord, FileVersion};
use crate::{DEFAULT_PRIVATE_KEY, Emulator, InProcess};

const ORIGIN: &str = "http://emu.local";
const ENDPOINT: &str = "http://emu.local/emulator";

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x * 4) as u8, (y * 4) as u8, 128]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
    out
}

fn png_alpha(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, _| Rgba([255, 0, 0, if x < w / 2 { 0 } else { 255 }]));
    let mut out = Vec::new();
    DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
    out
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x * 3) as u8, 90, (y * 3) as u8]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
    out
}

struct Fixture {
    emu: InProcess,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture { emu: Emulator::builder().in_process(ORIGIN).unwrap() }
    }

    /// Store `data` at `path` as a file (`private`: a private file).
    fn add(&self, path: &str, mime: &str, data: Vec<u8>, private: bool) -> FileRecord {
        add_file(&self.emu, path, mime, data, private)
    }

    async fn send(&self, method: Method, url: &str) -> Resp {
        send(&self.emu, method, url, &[]).await
    }

    async fn get(&self, url: &str) -> Resp {
        self.send(Method::GET, url).await
    }
}

fn add_file(emu: &InProcess, path: &str, mime: &str, data: Vec<u8>, private: bool) -> FileRecord {
    let size = data.len() as u64;
    let dims = image::load_from_memory(&data).ok().map(|i| i.dimensions());
    let blob = emu.seed_blob(data);
    let id = format!("{:024x}", fastrand_id(path));
    let now = "2025-01-01T00:00:00.000Z".to_owned();
    let rec = FileRecord {
        file_id: id.clone(),
        current: FileVersion {
            version_id: id,
            version_name: "Version 1".into(),
            name: path.rsplit('/').next().unwrap().into(),
            file_path: path.into(),
            blob,
            size,
            mime: mime.into(),
            format: None,
            width: dims.map(|d| d.0),
            height: dims.map(|d| d.1),
            has_alpha: None,
            duration: None,
            tags: None,
            ai_tags: None,
            custom_coordinates: None,
            custom_metadata: Default::default(),
            embedded_metadata: Default::default(),
            description: None,
            is_private: private,
            is_published: true,
            created_at: now.clone(),
            updated_at: now,
        },
        versions: Vec::new(),
    };
    emu.seed(|tx| tx.put_file(rec.clone()));
    rec
}

/// A stable id per path (FNV-1a).
fn fastrand_id(path: &str) -> u128 {
    path.bytes().fold(0xcbf29ce484222325u128, |h, b| (h ^ u128::from(b)).wrapping_mul(0x100000001b3))
        & ((1u128 << 96) - 1)
}

struct Resp {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn image(&self) -> DynamicImage {
        image::load_from_memory(&self.body).unwrap_or_else(|e| panic!("not an image ({e}): {:?}", self.headers))
    }

    fn format(&self) -> ImageFormat {
        image::guess_format(&self.body).unwrap()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

async fn send(client: &dyn HttpClient, method: Method, url: &str, headers: &[(&str, &str)]) -> Resp {
    let mut b = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let resp = client.send(b.body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap();
    Resp { status, headers, body }
}

fn key() -> PrivateKey {
    PrivateKey::new(DEFAULT_PRIVATE_KEY).unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// A `multipart/form-data` body with text fields and one file part.
fn multipart(fields: &[(&str, &str)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----emulator-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.png\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
