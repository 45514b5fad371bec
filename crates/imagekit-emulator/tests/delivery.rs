//! Delivery URLs against an in-process emulator (and one over a socket):
//! content types, transformations, private files and signed URLs built with
//! `imagekit_url`, exactly as a client builds them.

use std::io::Cursor;

use bytes::Bytes;
use http::{Method, StatusCode};
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use imagekit_emulator::model::{FileRecord, FileVersion};
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use imagekit_url::{PrivateKey, Transformation, TransformationPosition, UrlOptions};

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

#[tokio::test]
async fn serves_the_bytes_with_type_length_etag_and_cache_headers() {
    let f = Fixture::new();
    let data = png(40, 30);
    f.add("/products/shoe.png", "image/png", data.clone(), false);
    f.add("/docs/readme.txt", "text/plain", b"hello".to_vec(), false);

    let r = f.get(&format!("{ENDPOINT}/products/shoe.png")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, data);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("content-length"), Some(data.len().to_string().as_str()));
    assert!(r.header("cache-control").unwrap().contains("max-age"));
    let etag = r.header("etag").unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10);
    assert!(r.header("x-ik-emulator-ignored").is_none());

    let r = f.get(&format!("{ENDPOINT}/docs/readme.txt")).await;
    assert_eq!((r.status, r.header("content-type"), &r.body[..]), (StatusCode::OK, Some("text/plain"), &b"hello"[..]));

    // A conditional request with the same ETag is a 304.
    let r = send(&f.emu, Method::GET, &format!("{ENDPOINT}/products/shoe.png"), &[("if-none-match", &etag)]).await;
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn unknown_files_and_paths_outside_the_endpoint_are_404() {
    let f = Fixture::new();
    f.add("/a.png", "image/png", png(4, 4), false);
    for url in [
        format!("{ENDPOINT}/nope.png"),
        format!("{ENDPOINT}/tr:w-10/nope.png"),
        format!("{ENDPOINT}/"),
        format!("{ORIGIN}/other/a.png"),
        format!("{ORIGIN}/emulatorx/a.png"),
        format!("{ORIGIN}/a.png"),
    ] {
        let r = f.get(&url).await;
        assert_eq!(r.status, 404, "{url}");
        assert!(r.json()["message"].is_string(), "{url}");
        assert!(r.json()["help"].is_string(), "{url}");
    }
    let r = f.send(Method::POST, &format!("{ENDPOINT}/a.png")).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn head_has_the_headers_and_no_body() {
    let f = Fixture::new();
    let data = png(20, 10);
    f.add("/h.png", "image/png", data.clone(), false);
    let r = f.send(Method::HEAD, &format!("{ENDPOINT}/h.png")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("content-length"), Some(data.len().to_string().as_str()));
    // With a transformation, the length is the transformed one.
    let get = f.get(&format!("{ENDPOINT}/h.png?tr=w-10")).await;
    let head = f.send(Method::HEAD, &format!("{ENDPOINT}/h.png?tr=w-10")).await;
    assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()));
    assert_eq!(head.header("etag"), get.header("etag"));
}

#[tokio::test]
async fn resize_in_path_and_query_form() {
    let f = Fixture::new();
    f.add("/img/photo.png", "image/png", png(200, 100), false);

    let r = f.get(&format!("{ENDPOINT}/tr:w-100/img/photo.png")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.image().dimensions(), (100, 50));

    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-100")).await;
    assert_eq!(r.image().dimensions(), (100, 50));

    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=h-20")).await;
    assert_eq!(r.image().dimensions(), (40, 20));

    // Ratios below 1 are fractions of the original.
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-0.25")).await;
    assert_eq!(r.image().dimensions(), (50, 25));

    // Both: ImageKit's default maintain_ratio covers, then crops the middle.
    let r = f.get(&format!("{ENDPOINT}/tr:w-50,h-50/img/photo.png")).await;
    assert_eq!(r.image().dimensions(), (50, 50));

    // Chained steps, and path + query together.
    let r = f.get(&format!("{ENDPOINT}/tr:w-100:h-10/img/photo.png")).await;
    assert_eq!(r.image().dimensions(), (20, 10));
    let r = f.get(&format!("{ENDPOINT}/tr:w-100/img/photo.png?tr=rt-90")).await;
    assert_eq!(r.image().dimensions(), (50, 100));

    // c-force stretches; ar with one side; dpr multiplies.
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-30,h-70,c-force")).await;
    assert_eq!(r.image().dimensions(), (30, 70));
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-40,ar-4-1")).await;
    assert_eq!(r.image().dimensions(), (40, 10));
    let r = f.get(&format!("{ENDPOINT}/img/photo.png?tr=w-30,dpr-2")).await;
    assert_eq!(r.image().dimensions(), (60, 30));
}

#[tokio::test]
async fn crop_modes() {
    let f = Fixture::new();
    f.add("/c.png", "image/png", png(200, 100), false);
    let dims = |tr: &str| {
        let url = format!("{ENDPOINT}/c.png?tr={tr}");
        let f = &f;
        async move { f.get(&url).await.image().dimensions() }
    };
    // at_max: fit within, keep the ratio.
    assert_eq!(dims("w-100,h-100,c-at_max").await, (100, 50));
    // ... and never enlarge.
    assert_eq!(dims("w-400,h-400,c-at_max").await, (200, 100));
    assert_eq!(dims("w-400,c-at_max").await, (200, 100));
    // at_least: cover, no crop.
    assert_eq!(dims("w-100,h-100,c-at_least").await, (200, 100));
    assert_eq!(dims("w-50,h-50,c-at_least").await, (100, 50));
    // pad_resize: exactly w×h.
    assert_eq!(dims("w-100,h-100,cm-pad_resize,bg-FF0000").await, (100, 100));
    // extract: a region, no resize.
    assert_eq!(dims("w-60,h-40,cm-extract").await, (60, 40));
    // The built-in named thumbnail: at most 200px.
    f.add("/big.png", "image/png", png(600, 300), false);
    let r = f.get(&format!("{ENDPOINT}/tr:n-ik_ml_thumbnail/big.png")).await;
    assert_eq!(r.image().dimensions(), (200, 100));
    assert!(r.header("x-ik-emulator-ignored").is_none());
}

#[tokio::test]
async fn format_conversion_and_quality() {
    let f = Fixture::new();
    f.add("/p.png", "image/png", png(32, 32), false);
    f.add("/j.jpg", "image/jpeg", jpeg(64, 64), false);

    let r = f.get(&format!("{ENDPOINT}/p.png?tr=f-jpg")).await;
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert_eq!(r.format(), ImageFormat::Jpeg);
    assert_eq!(r.image().dimensions(), (32, 32));

    let r = f.get(&format!("{ENDPOINT}/tr:f-png/j.jpg")).await;
    assert_eq!((r.header("content-type"), r.format()), (Some("image/png"), ImageFormat::Png));

    let r = f.get(&format!("{ENDPOINT}/j.jpg?tr=f-webp")).await;
    assert_eq!((r.header("content-type"), r.format()), (Some("image/webp"), ImageFormat::WebP));

    let r = f.get(&format!("{ENDPOINT}/j.jpg?tr=f-gif")).await;
    assert_eq!((r.header("content-type"), r.format()), (Some("image/gif"), ImageFormat::Gif));

    // f-auto keeps the original format; with nothing else to do the bytes are the original.
    let original = f.get(&format!("{ENDPOINT}/j.jpg")).await.body;
    let r = f.get(&format!("{ENDPOINT}/j.jpg?tr=f-auto")).await;
    assert_eq!(r.body, original);

    // Lower JPEG quality gives fewer bytes.
    let q10 = f.get(&format!("{ENDPOINT}/j.jpg?tr=q-10")).await;
    let q95 = f.get(&format!("{ENDPOINT}/j.jpg?tr=q-95")).await;
    assert_eq!(q10.format(), ImageFormat::Jpeg);
    assert!(q10.body.len() < q95.body.len(), "{} vs {}", q10.body.len(), q95.body.len());
    // q means nothing for PNG output: reported as ignored.
    let r = f.get(&format!("{ENDPOINT}/p.png?tr=q-10,w-16")).await;
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("q"));

    // Alpha survives PNG and WebP output.
    f.add("/a.png", "image/png", png_alpha(8, 8), false);
    let r = f.get(&format!("{ENDPOINT}/a.png?tr=f-webp")).await;
    assert!(r.image().color().has_alpha());
    assert_eq!(r.image().get_pixel(0, 0)[3], 0);
}

#[tokio::test]
async fn rotation_and_flip() {
    let f = Fixture::new();
    f.add("/r.png", "image/png", png(60, 20), false);
    let r = f.get(&format!("{ENDPOINT}/tr:rt-90/r.png")).await;
    assert_eq!(r.image().dimensions(), (20, 60));
    let r = f.get(&format!("{ENDPOINT}/r.png?tr=rt-180")).await;
    assert_eq!(r.image().dimensions(), (60, 20));
    let r = f.get(&format!("{ENDPOINT}/r.png?tr=rt-270")).await;
    assert_eq!(r.image().dimensions(), (20, 60));
    // Rotating 90° clockwise moves the bottom-left pixel to the top-left.
    let original = f.get(&format!("{ENDPOINT}/r.png")).await.image();
    let rotated = f.get(&format!("{ENDPOINT}/r.png?tr=rt-90")).await.image();
    assert_eq!(rotated.get_pixel(0, 0), original.get_pixel(0, 19));
    let flipped = f.get(&format!("{ENDPOINT}/r.png?tr=fl-h")).await.image();
    assert_eq!(flipped.get_pixel(0, 0), original.get_pixel(59, 0));
}

#[tokio::test]
async fn unsupported_keys_are_listed_in_a_header() {
    let f = Fixture::new();
    f.add("/i.png", "image/png", png(40, 40), false);
    f.add("/doc.pdf", "application/pdf", b"%PDF-1.4 fake".to_vec(), false);
    f.add("/broken.png", "image/png", b"not really a png".to_vec(), false);

    let r = f.get(&format!("{ENDPOINT}/tr:w-20,fo-face,e-shadow,l-text,i-Hi,fs-20,l-end/i.png?tr=z-0.5")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.image().dimensions(), (20, 20));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("fo,e-shadow,l-text,z"));

    // Nothing applied at all: the original bytes, every key listed.
    let r = f.get(&format!("{ENDPOINT}/i.png?tr=e-removedotbg")).await;
    assert_eq!(r.body, png(40, 40));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("e-removedotbg"));

    // Non-images are served as they are.
    let r = f.get(&format!("{ENDPOINT}/tr:w-100,h-100/doc.pdf")).await;
    assert_eq!((r.status, &r.body[..]), (StatusCode::OK, &b"%PDF-1.4 fake"[..]));
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("w,h"));

    // An image that does not decode: the original, with a warning.
    let r = f.get(&format!("{ENDPOINT}/broken.png?tr=w-10")).await;
    assert_eq!((r.status, &r.body[..]), (StatusCode::OK, &b"not really a png"[..]));
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("w"));
    assert!(r.header("x-ik-emulator-warning").is_some());

    // orig-true serves the original.
    let r = f.get(&format!("{ENDPOINT}/i.png?tr=w-10,orig-true")).await;
    assert_eq!(r.body, png(40, 40));
}

#[tokio::test]
async fn oversized_requests_are_refused() {
    let f = Fixture::new();
    f.add("/s.png", "image/png", png(10, 10), false);
    let r = f.get(&format!("{ENDPOINT}/s.png?tr=w-20000")).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("10000"));
    let r = f.get(&format!("{ENDPOINT}/s.png?tr=w-5000,dpr-3")).await;
    assert_eq!(r.status, 400);
    let r = f.get(&format!("{ENDPOINT}/s.png?tr=w-10000,h-1,c-force")).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn private_files_need_a_valid_signature() {
    let f = Fixture::new();
    f.add("/private/secret.png", "image/png", png(80, 40), true);
    let key = key();

    let r = f.get(&format!("{ENDPOINT}/private/secret.png")).await;
    assert_eq!(r.status, 401);
    assert!(r.json()["message"].is_string());
    let r = f.get(&format!("{ENDPOINT}/tr:w-10/private/secret.png")).await;
    assert_eq!(r.status, 401);

    // Signed, never expiring, no transformation.
    let url = UrlOptions::new("/private/secret.png").url_endpoint(ENDPOINT).signed(&key).build().unwrap();
    assert!(url.contains("?ik-s=") && !url.contains("ik-t"), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (80, 40));
    assert!(r.header("cache-control").unwrap().starts_with("private"));

    // Signed with an expiry, the transformation in the path.
    let url = UrlOptions::new("private/secret.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(40))
        .position(TransformationPosition::Path)
        .signed(&key)
        .expires_in(600, now())
        .build()
        .unwrap();
    assert!(url.contains("/tr:w-40/") && url.contains("?ik-t="), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (40, 20));

    // ... and in the query, after another query parameter.
    let url = UrlOptions::new("/private/secret.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(20).height(20))
        .transformation(Transformation::new().rotation(90))
        .query_parameter("v", "2 & more")
        .signed(&key)
        .expires_in(600, now())
        .build()
        .unwrap();
    assert!(url.contains("?v=2+%26+more&tr=w-20,h-20:rt-90&ik-t="), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (20, 20));

    // An endpoint written with a trailing slash signs the same text.
    let url = UrlOptions::new("/private/secret.png").url_endpoint(format!("{ENDPOINT}/")).signed(&key).build().unwrap();
    assert_eq!(f.get(&url).await.status, 200, "{url}");
}

#[tokio::test]
async fn expired_tampered_and_foreign_signatures_are_401() {
    let f = Fixture::new();
    f.add("/private/p.png", "image/png", png(30, 30), true);
    f.add("/public/p.png", "image/png", png(30, 30), false);
    let key = key();

    // Expired: the signature is right, ik-t is in the past.
    let url = UrlOptions::new("/private/p.png")
        .url_endpoint(ENDPOINT)
        .signed(&key)
        .expires_in(10, now() - 100)
        .build()
        .unwrap();
    let r = f.get(&url).await;
    assert_eq!(r.status, 401, "{url}");
    assert!(r.json()["message"].as_str().unwrap().contains("expired"));

    let good = UrlOptions::new("/private/p.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(10))
        .signed(&key)
        .expires_in(600, now())
        .build()
        .unwrap();
    assert_eq!(f.get(&good).await.status, 200);
    // Another transformation, a later expiry, another file, a flipped digit: all 401.
    let tampered = [
        good.replace("tr=w-10", "tr=w-20"),
        good.replace("ik-t=", "ik-t=1"),
        good.replace("/private/p.png", "/public/p.png"),
        {
            let i = good.len() - 1;
            let last = if good.ends_with('0') { "1" } else { "0" };
            format!("{}{last}", &good[..i])
        },
        good.replace("ik-t=", "ik-t=x"),
    ];
    for url in tampered {
        let r = f.get(&url).await;
        assert_eq!(r.status, 401, "{url}");
        assert!(r.json()["message"].is_string());
    }

    // Signed with another key.
    let other = PrivateKey::new("private_someone_else").unwrap();
    let url = UrlOptions::new("/private/p.png").url_endpoint(ENDPOINT).signed(&other).build().unwrap();
    assert_eq!(f.get(&url).await.status, 401);

    // A public file with a bad signature is checked too; without one it is served.
    let url = UrlOptions::new("/public/p.png").url_endpoint(ENDPOINT).signed(&other).build().unwrap();
    assert_eq!(f.get(&url).await.status, 401);
    let url = UrlOptions::new("/public/p.png").url_endpoint(ENDPOINT).signed(&key).build().unwrap();
    assert_eq!(f.get(&url).await.status, 200);
    assert_eq!(f.get(&format!("{ENDPOINT}/public/p.png")).await.status, 200);
}

#[tokio::test]
async fn signed_urls_with_encoded_characters() {
    let f = Fixture::new();
    f.add("/my folder/é photo.png", "image/png", png(30, 30), true);
    let key = key();
    // The path is percent-encoded by the builder, and signed encoded.
    let url = UrlOptions::new("/my folder/é photo.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(15))
        .position(TransformationPosition::Path)
        .signed(&key)
        .build()
        .unwrap();
    assert!(url.contains("my%20folder/%C3%A9%20photo.png"), "{url}");
    let r = f.get(&url).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (15, 15));

    // A raw space in the transformation is signed raw but must be sent encoded.
    let url = UrlOptions::new("/my folder/é photo.png")
        .url_endpoint(ENDPOINT)
        .transformation(Transformation::new().width(15).raw("e-edit-prompt-make it vintage"))
        .signed(&key)
        .build()
        .unwrap();
    assert!(url.contains("prompt-make it vintage"), "{url}");
    let r = f.get(&url.replace(' ', "%20")).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.header("x-ik-emulator-ignored"), Some("e-edit"));
}

#[tokio::test]
async fn older_versions_by_id() {
    let f = Fixture::new();
    let mut rec = f.add("/v.png", "image/png", png(10, 10), false);
    let mut old = rec.current.clone();
    old.version_id = "oldversion0000000000000".into();
    old.blob = f.emu.seed_blob(png(5, 5));
    rec.versions.push(old);
    f.emu.seed(|tx| tx.put_file(rec.clone()));
    assert_eq!(f.get(&format!("{ENDPOINT}/v.png")).await.image().dimensions(), (10, 10));
    let r = f.get(&format!("{ENDPOINT}/v.png?ik-obj-version=oldversion0000000000000")).await;
    assert_eq!(r.image().dimensions(), (5, 5));
    assert_eq!(f.get(&format!("{ENDPOINT}/v.png?ik-obj-version=nope")).await.status, 404);
}

#[tokio::test]
async fn over_a_socket() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("delivery-socket-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = png(64, 32);
    {
        // Seed through an in-process emulator on the same data directory.
        let emu = Emulator::builder().data_dir(&dir).in_process(ORIGIN).unwrap();
        add_file(&emu, "/s/socket.png", "image/png", data.clone(), false);
        add_file(&emu, "/s/private.png", "image/png", data.clone(), true);
    }
    let running = Emulator::builder().data_dir(&dir).start().await.unwrap();
    let endpoint = running.url_endpoint().to_owned();
    let client = imagekit_transport::HyperClient::new().unwrap();

    let r = send(&client, Method::GET, &format!("{endpoint}/s/socket.png"), &[]).await;
    assert_eq!((r.status, r.body.len()), (StatusCode::OK, data.len()));
    let r = send(&client, Method::HEAD, &format!("{endpoint}/s/socket.png"), &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some(data.len().to_string().as_str()));
    let r = send(&client, Method::GET, &format!("{endpoint}/tr:w-32/s/socket.png"), &[]).await;
    assert_eq!(r.image().dimensions(), (32, 16));

    let key = key();
    assert_eq!(send(&client, Method::GET, &format!("{endpoint}/s/private.png"), &[]).await.status, 401);
    let url = UrlOptions::new("/s/private.png")
        .url_endpoint(endpoint.as_str())
        .transformation(Transformation::new().height(8))
        .signed(&key)
        .expires_in(60, now())
        .build()
        .unwrap();
    let r = send(&client, Method::GET, &url, &[]).await;
    assert_eq!(r.status, 200, "{url}");
    assert_eq!(r.image().dimensions(), (16, 8));

    running.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
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

#[tokio::test]
async fn uploaded_files_are_delivered_with_their_urls() {
    use base64::Engine as _;
    let f = Fixture::new();
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let upload = |fields: Vec<(&'static str, &'static str)>| {
        let (ct, body) = multipart(&fields, &png(400, 300));
        let req = http::Request::post(format!("{ORIGIN}/api/v1/files/upload"))
            .header("authorization", auth.as_str())
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        let emu = f.emu.clone();
        async move {
            let resp = emu.send(req).await.unwrap();
            assert_eq!(resp.status(), 200);
            let body = resp.into_body().collect().await.unwrap();
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()
        }
    };

    let up = upload(vec![("fileName", "up.png"), ("folder", "/uploads"), ("useUniqueFileName", "false")]).await;
    let url = up["url"].as_str().unwrap();
    assert_eq!(url, format!("{ENDPOINT}/uploads/up.png"));
    let r = f.get(url).await;
    assert_eq!((r.status, r.image().dimensions()), (StatusCode::OK, (400, 300)));
    // The thumbnail URL uses the built-in named transformation.
    let thumb = up["thumbnailUrl"].as_str().unwrap();
    let r = f.get(thumb).await;
    assert_eq!(r.status, 200, "{thumb}");
    assert_eq!(r.image().dimensions(), (200, 150));

    let up = upload(vec![("fileName", "hidden.png"), ("isPrivateFile", "true"), ("useUniqueFileName", "false")]).await;
    let url = up["url"].as_str().unwrap();
    assert_eq!(f.get(url).await.status, 401);
    let key = key();
    let signed = UrlOptions::new(url).url_endpoint(ENDPOINT).signed(&key).expires_in(60, now()).build().unwrap();
    assert_eq!(f.get(&signed).await.status, 200, "{signed}");
}

#[tokio::test]
async fn named_transformations_created_through_the_api() {
    use base64::Engine as _;
    let f = Fixture::new();
    f.add("/n.png", "image/png", png(100, 50), false);
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let call = |method: Method, url: String, body: serde_json::Value| {
        let req = http::Request::builder()
            .method(method)
            .uri(url)
            .header("authorization", auth.as_str())
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let emu = f.emu.clone();
        async move {
            let resp = emu.send(req).await.unwrap();
            let status = resp.status();
            let body = resp.into_body().collect().await.unwrap();
            (status, serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default())
        }
    };
    let (status, nt) = call(
        Method::POST,
        format!("{ORIGIN}/v1/named-transformations"),
        serde_json::json!({"name": "small_square", "transformation": "w-20,h-20:rt-90"}),
    )
    .await;
    assert_eq!(status, 200, "{nt}");
    let r = f.get(&format!("{ENDPOINT}/tr:n-small_square/n.png")).await;
    assert_eq!((r.status, r.image().dimensions()), (StatusCode::OK, (20, 20)));
    assert!(r.header("x-ik-emulator-ignored").is_none());

    // Disabled: delivery fails.
    let id = nt["id"].as_str().unwrap();
    let (status, _) =
        call(Method::PATCH, format!("{ORIGIN}/v1/named-transformations/{id}"), serde_json::json!({"enabled": false}))
            .await;
    assert_eq!(status, 200);
    assert_eq!(f.get(&format!("{ENDPOINT}/n.png?tr=n-small_square")).await.status, 400);
}
