//! The upload, file, version, bulk and metadata endpoints of the emulator,
//! driven with raw HTTP requests (multipart bodies built here), in-process and
//! over a real socket.

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

// ---------------------------------------------------------------- helpers

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

// ---------------------------------------------------------------- uploads

#[tokio::test]
async fn upload_png_reports_dimensions_format_and_alpha() {
    let emu = emulator();
    let bytes = png(40, 30, true);
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "pic.png"),
            Part::Text("useUniqueFileName", "false"),
            Part::Text("tags", "a,b"),
            Part::Text("responseFields", "tags,isPrivateFile,isPublished,customCoordinates,metadata,embeddedMetadata"),
            Part::File("pic.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "pic.png");
    assert_eq!(body["filePath"], "/pic.png");
    assert_eq!(body["width"], 40);
    assert_eq!(body["height"], 30);
    assert_eq!(body["size"], bytes.len());
    assert_eq!(body["fileType"], "image");
    assert_eq!(body["url"], "http://emu.local/emulator/pic.png");
    assert_eq!(body["thumbnailUrl"], "http://emu.local/emulator/tr:n-ik_ml_thumbnail/pic.png");
    assert_eq!(body["versionInfo"]["name"], "Version 1");
    assert_eq!(body["versionInfo"]["id"], body["fileId"]);
    assert_eq!(body["tags"], json!(["a", "b"]));
    assert_eq!(body["isPrivateFile"], false);
    assert_eq!(body["isPublished"], true);
    assert_eq!(body["customCoordinates"], Value::Null);
    assert_eq!(body["metadata"]["width"], 40);
    assert_eq!(body["metadata"]["format"], "png");
    assert_eq!(body["metadata"]["hasTransparency"], true);
    assert!(body["embeddedMetadata"].is_object());
    assert!(body.get("customMetadata").is_none(), "not requested: {body}");
    assert!(body.get("extensionStatus").is_none());

    let file = details(&emu, &id(&body)).await;
    assert_eq!(file["type"], "file");
    assert_eq!(file["hasAlpha"], true);
    assert_eq!(file["mime"], "image/png");
    assert_eq!(file["width"], 40);
    assert_eq!(file["size"], bytes.len());
    assert_eq!(file["thumbnail"], "http://emu.local/emulator/tr:n-ik_ml_thumbnail/pic.png");

    // An opaque PNG, a JPEG and a GIF with a transparent pixel.
    let opaque = put(&emu, "opaque.png", &png(5, 6, false), &[]).await;
    assert_eq!(details(&emu, &id(&opaque)).await["hasAlpha"], false);
    let j = put(&emu, "photo.jpeg", &jpeg(64, 48), &[]).await;
    let jf = details(&emu, &id(&j)).await;
    assert_eq!(
        (jf["width"].clone(), jf["height"].clone(), jf["mime"].clone()),
        (json!(64), json!(48), json!("image/jpeg"))
    );
    assert_eq!(jf["hasAlpha"], false);
    let g = put(&emu, "anim.gif", &gif(8, 4), &[]).await;
    let gf = details(&emu, &id(&g)).await;
    assert_eq!(
        (gf["width"].clone(), gf["mime"].clone(), gf["hasAlpha"].clone()),
        (json!(8), json!("image/gif"), json!(true))
    );

    // A non-image: no dimensions, MIME from the extension.
    let t = put(&emu, "notes.txt", b"hello world", &[]).await;
    assert_eq!(t["fileType"], "non-image");
    assert!(t.get("width").is_none() && t.get("thumbnailUrl").is_none(), "{t}");
    assert_eq!(details(&emu, &id(&t)).await["mime"], "text/plain");
}

#[tokio::test]
async fn base64_and_data_uri_uploads() {
    let emu = emulator();
    let bytes = jpeg(20, 10);
    let b64 = STANDARD.encode(&bytes);
    let (status, body) = upload(&emu, &[Part::Text("fileName", "b64.jpg"), Part::Text("file", &b64)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["width"].clone(), body["size"].clone()), (json!(20), json!(bytes.len())));

    let uri = format!("data:image/png;base64,{}", STANDARD.encode(png(3, 4, false)));
    let (status, body) = upload(&emu, &[Part::Text("fileName", "d.png"), Part::Text("file", &uri)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["width"].clone(), body["height"].clone()), (json!(3), json!(4)));

    let (status, body) =
        upload(&emu, &[Part::Text("fileName", "x.jpg"), Part::Text("file", "%%% not base64 %%%")]).await;
    assert_error(status, &body, 400);

    // URLs are fetched only from loopback hosts.
    let (status, body) =
        upload(&emu, &[Part::Text("fileName", "x.jpg"), Part::Text("file", "https://example.com/a.jpg")]).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("loopback"), "{body}");
}

#[tokio::test]
async fn unique_names_sanitising_and_folders() {
    let emu = emulator();
    let bytes = png(2, 2, false);
    let mut names = HashSet::new();
    for _ in 0..3 {
        let (status, body) =
            upload(&emu, &[Part::Text("fileName", "my shoe.jpg"), Part::File("my shoe.jpg", &bytes)]).await;
        assert_eq!(status, 200, "{body}");
        let name = body["name"].as_str().unwrap().to_owned();
        let suffix =
            name.strip_prefix("my_shoe_").and_then(|s| s.strip_suffix(".jpg")).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(suffix.len(), 9, "{name}");
        assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
        assert_eq!(body["filePath"], format!("/{name}"));
        names.insert(name);
    }
    assert_eq!(names.len(), 3);

    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "a.png"),
            Part::Text("folder", "products/summer sale"),
            Part::Text("useUniqueFileName", "false"),
            Part::File("a.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filePath"], "/products/summer_sale/a.png");
    assert_eq!(body["url"], "http://emu.local/emulator/products/summer_sale/a.png");
    // The new folder is a real folder: a file can be copied into it and moved within it.
    let (status, _) = api(
        &emu,
        Method::POST,
        "/v1/files/copy",
        Some(json!({"sourceFilePath": "/products/summer_sale/a.png", "destinationPath": "/products/"})),
    )
    .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn overwrite_versions_and_restore() {
    let emu = emulator();
    let first = png(10, 10, false);
    let second = png(20, 20, false);
    let v1 =
        put(&emu, "logo.png", &first, &[Part::Text("tags", "old"), Part::Text("customCoordinates", "1,2,3,4")]).await;
    let file_id = id(&v1);
    let v2 = put(&emu, "logo.png", &second, &[]).await;
    assert_eq!(id(&v2), file_id, "overwriting keeps the file id");
    assert_eq!(v2["versionInfo"]["name"], "Version 2");
    assert_ne!(v2["versionInfo"]["id"], v1["versionInfo"]["id"]);
    let cur = details(&emu, &file_id).await;
    assert_eq!(cur["width"], 20);
    assert_eq!(cur["tags"], Value::Null, "overwriteTags defaults to true");
    assert_eq!(cur["customCoordinates"], Value::Null);

    // overwriteTags=false keeps the old tags when none are sent.
    put(&emu, "logo.png", &second, &[Part::Text("tags", "keep")]).await;
    let v4 = put(&emu, "logo.png", &second, &[Part::Text("overwriteTags", "false")]).await;
    assert_eq!(v4["versionInfo"]["name"], "Version 4");
    assert_eq!(details(&emu, &file_id).await["tags"], json!(["keep"]));

    // overwriteFile=false refuses.
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "logo.png"),
            Part::Text("useUniqueFileName", "false"),
            Part::Text("overwriteFile", "false"),
            Part::File("logo.png", &first),
        ],
    )
    .await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("already exists"));

    let (status, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 4);
    let names: Vec<&str> = list.iter().map(|v| v["versionInfo"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Version 1", "Version 2", "Version 3", "Version 4"]);
    assert!(list[..3].iter().all(|v| v["type"] == "file-version"));
    assert_eq!(list[3]["type"], "file");
    assert_eq!(list[0]["versionInfo"]["id"], file_id.as_str(), "the first version's id is the file id");
    assert_eq!(list[0]["tags"], json!(["old"]));
    assert!(list.iter().all(|v| v["fileId"] == file_id.as_str()));

    // Get one version.
    let (status, got) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions/{file_id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!((got["type"].clone(), got["width"].clone()), (json!("file-version"), json!(10)));
    let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions/nope"), None).await;
    assert_error(status, &body, 404);

    // Restore version 1: it becomes current again.
    let (status, restored) =
        api(&emu, Method::PUT, &format!("/v1/files/{file_id}/versions/{file_id}/restore"), None).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["type"], "file");
    assert_eq!(restored["versionInfo"]["id"], file_id.as_str());
    assert_eq!(restored["width"], 10);
    assert_eq!(restored["size"], first.len());
    assert_eq!(details(&emu, &file_id).await["versionInfo"]["name"], "Version 1");
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(list.as_array().unwrap().len(), 4);

    // Deleting: the current version is refused, an old one works, an unknown one is 404.
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}/versions/{file_id}"), None).await;
    assert_error(status, &body, 400);
    let v2_id = v2["versionInfo"]["id"].as_str().unwrap();
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}/versions/{v2_id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}/versions/{v2_id}"), None).await;
    assert_error(status, &body, 404);
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(list.as_array().unwrap().len(), 3);
    // A new upload after a deletion never reuses a version name.
    let v5 = put(&emu, "logo.png", &second, &[]).await;
    assert_eq!(v5["versionInfo"]["name"], "Version 5");

    // Deleting the file removes everything.
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/details"), None).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}"), None).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn extensions_custom_metadata_and_response_fields() {
    let emu = emulator();
    let bytes = png(4, 4, false);
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "e.png"),
            Part::Text(
                "extensions",
                r#"[{"name":"google-auto-tagging","maxTags":5,"minConfidence":95},{"name":"remove-bg"}]"#,
            ),
            Part::Text("description", "a red square"),
            Part::Text("webhookUrl", "https://example.com/hook"),
            Part::Text("checks", r#""request.folder" : "/""#),
            Part::Text("responseFields", "customMetadata,selectedFieldsSchema"),
            Part::File("e.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["extensionStatus"], json!({"google-auto-tagging": "pending", "remove-bg": "pending"}));
    assert_eq!(body["description"], "a red square");
    assert_eq!(body["customMetadata"], json!({}));
    assert_eq!(body["selectedFieldsSchema"], json!({}));

    // Unknown custom metadata keys, malformed JSON fields and unknown response fields are 400s.
    for (k, v) in [
        ("customMetadata", r#"{"nope": 1}"#),
        ("customMetadata", "{not json"),
        ("extensions", "not json"),
        ("responseFields", "tags,bogus"),
        ("isPrivateFile", "yes"),
        ("customCoordinates", "1,2"),
        ("tags", "a,b%c"),
    ] {
        let (status, body) =
            upload(&emu, &[Part::Text("fileName", "bad.png"), Part::Text(k, v), Part::File("bad.png", &bytes)]).await;
        assert_error(status, &body, 400);
    }
}

#[tokio::test]
async fn custom_metadata_on_upload_update_and_overwrite() {
    let emu = emulator();
    let field = |name: &str, schema: Value| json!({"name": name, "label": name.to_uppercase(), "schema": schema});
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/customMetadataFields",
        Some(field("brand", json!({"type": "Text", "maxLength": 10}))),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) =
        api(&emu, Method::POST, "/v1/customMetadataFields", Some(field("price", json!({"type": "Number"})))).await;
    assert_eq!(status, 201, "{body}");

    let bytes = png(2, 2, false);
    let f = put(
        &emu,
        "cm.png",
        &bytes,
        &[
            Part::Text("customMetadata", r#"{"brand":"acme","price":10}"#),
            Part::Text("responseFields", "customMetadata"),
        ],
    )
    .await;
    assert_eq!(f["customMetadata"], json!({"brand": "acme", "price": 10}));
    let file_id = id(&f);

    // Values of the wrong type or for unknown fields are refused, naming the field.
    for bad in [r#"{"brand":5}"#, r#"{"brand":"far too long a brand"}"#, r#"{"colour":"red"}"#] {
        let (status, body) = upload(
            &emu,
            &[Part::Text("fileName", "x.png"), Part::Text("customMetadata", bad), Part::File("x.png", &bytes)],
        )
        .await;
        assert_error(status, &body, 400);
        assert!(body["errors"].is_object(), "{body}");
    }

    // Update: set one key, unset another with null.
    let path = format!("/v1/files/{file_id}/details");
    let (status, body) =
        api(&emu, Method::PATCH, &path, Some(json!({"customMetadata": {"brand": "other", "price": null}}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["customMetadata"], json!({"brand": "other"}));
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"customMetadata": {"price": "ten"}}))).await;
    assert_error(status, &body, 400);
    assert_eq!(details(&emu, &file_id).await["customMetadata"], json!({"brand": "other"}));

    // Overwrite: kept with overwriteCustomMetadata=false, cleared by default.
    put(&emu, "cm.png", &bytes, &[Part::Text("overwriteCustomMetadata", "false")]).await;
    assert_eq!(details(&emu, &file_id).await["customMetadata"], json!({"brand": "other"}));
    put(&emu, "cm.png", &bytes, &[]).await;
    assert_eq!(details(&emu, &file_id).await["customMetadata"], json!({}));

    // A required field (service-facts §5): a plain upload gets its default; an
    // upload that sends customMetadata without it is refused.
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/customMetadataFields",
        Some(field("sku", json!({"type": "Text", "isValueRequired": true, "defaultValue": "none"}))),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = upload(&emu, &[Part::Text("fileName", "r.png"), Part::File("r.png", &bytes)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(details(&emu, &id(&body)).await["customMetadata"], json!({"sku": "none"}));
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "r.png"),
            Part::Text("customMetadata", r#"{"brand":"x"}"#),
            Part::File("r.png", &bytes),
        ],
    )
    .await;
    assert_error(status, &body, 400);
    assert_eq!(body["errors"], json!({"sku": "value is required"}));
    let (status, body) = upload(
        &emu,
        &[
            Part::Text("fileName", "r.png"),
            Part::Text("customMetadata", r#"{"sku":"A1"}"#),
            Part::File("r.png", &bytes),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

// ---------------------------------------------------------------- auth

#[tokio::test]
async fn client_side_v1_signature() {
    let emu = emulator();
    let bytes = png(3, 3, false);
    let expire = (now() + 600).to_string();
    let token = "token-v1-valid";
    let sig = v1_signature(token, expire.parse().unwrap());
    let signed = |token: &'static str, sig: String, expire: String, public: &'static str| (token, sig, expire, public);
    let go = |(token, sig, expire, public): (&'static str, String, String, &'static str)| {
        let emu = emu.clone();
        let bytes = bytes.clone();
        async move {
            upload_to(
                &emu,
                "v1",
                &[
                    Part::Text("fileName", "client.png"),
                    Part::Text("publicKey", public),
                    Part::Text("signature", &sig),
                    Part::Text("expire", &expire),
                    Part::Text("token", token),
                    Part::File("client.png", &bytes),
                ],
                false,
            )
            .await
        }
    };
    let (status, body) = go(signed(token, sig.clone(), expire.clone(), PUBLIC)).await;
    assert_eq!(status, 200, "{body}");
    // The same token again fails.
    let (status, body) = go(signed(token, sig.clone(), expire.clone(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("already been used"), "{body}");

    // A wrong signature.
    let (status, body) = go(signed("token-v1-badsig", sig.clone(), expire.clone(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("Invalid signature"), "{body}");
    // Expired.
    let past = now() - 10;
    let (status, body) =
        go(signed("token-v1-expired", v1_signature("token-v1-expired", past), past.to_string(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("expire"), "{body}");
    // More than an hour ahead.
    let far = now() + 7200;
    let (status, body) = go(signed("token-v1-far", v1_signature("token-v1-far", far), far.to_string(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("less than 1 hour"), "{body}");
    // The wrong public key.
    let (status, body) =
        go(signed("token-v1-pub", v1_signature("token-v1-pub", far - 7000), (far - 7000).to_string(), "public_other"))
            .await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("publicKey"), "{body}");
    // Some but not all client-side fields.
    let (status, body) = upload_to(
        &emu,
        "v1",
        &[Part::Text("fileName", "c.png"), Part::Text("token", "only-a-token"), Part::File("c.png", &bytes)],
        false,
    )
    .await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("Missing"), "{body}");
    // A failed upload still spends a token whose signature was valid.
    let e = now() + 300;
    let t = "token-v1-spent";
    let (status, body) = upload_to(
        &emu,
        "v1",
        &[
            Part::Text("fileName", "client.png"),
            Part::Text("publicKey", PUBLIC),
            Part::Text("signature", &v1_signature(t, e)),
            Part::Text("expire", &e.to_string()),
            Part::Text("token", t),
            Part::Text("customCoordinates", "bad"),
            Part::File("client.png", &bytes),
        ],
        false,
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = go(signed(t, v1_signature(t, e), e.to_string(), PUBLIC)).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("already been used"), "{body}");
}

#[tokio::test]
async fn client_side_v2_jwt() {
    let emu = emulator();
    let bytes = png(3, 3, false);
    let iat = now();
    // Claims for the three fields sent; `age` makes each token distinct.
    let claims = |age: u64, extra: Value| {
        let mut c = json!({"fileName": "jwt.png", "tags": "a,b", "useUniqueFileName": "false",
                           "iat": iat - age, "exp": iat - age + 600});
        if let (Value::Object(c), Value::Object(e)) = (&mut c, extra) {
            c.extend(e);
        }
        c
    };
    let fields = |token: &str| {
        vec![
            ("fileName".to_owned(), "jwt.png".to_owned()),
            ("tags".to_owned(), "a,b".to_owned()),
            ("useUniqueFileName".to_owned(), "false".to_owned()),
            ("token".to_owned(), token.to_owned()),
        ]
    };
    let go = |fields: Vec<(String, String)>| {
        let emu = emu.clone();
        let bytes = bytes.clone();
        async move {
            let mut parts: Vec<Part<'_>> = fields.iter().map(|(k, v)| Part::Text(k, v)).collect();
            parts.push(Part::File("jwt.png", &bytes));
            upload_to(&emu, "v2", &parts, false).await
        }
    };
    let refused = |(status, body): (StatusCode, Value), why: &str| {
        assert_error(status, &body, 400);
        assert!(body["message"].as_str().unwrap().contains(why), "expected {why:?}: {body}");
    };
    let token = jwt(PRIVATE, PUBLIC, claims(0, json!({})));
    let (status, body) = go(fields(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["filePath"], "/jwt.png");
    assert_eq!(body["name"], "jwt.png");
    refused(go(fields(&token)).await, "already been used");

    // A field whose value differs from its claim.
    let mut f = fields(&jwt(PRIVATE, PUBLIC, claims(1, json!({}))));
    f[1].1 = "a,b,c".into();
    refused(go(f).await, "does not match the token's claim");
    // A claim the request did not send.
    refused(go(fields(&jwt(PRIVATE, PUBLIC, claims(2, json!({"folder": "/x"}))))).await, "was not sent as a field");
    // A field the token does not cover.
    let mut f = fields(&jwt(PRIVATE, PUBLIC, claims(3, json!({}))));
    f.push(("folder".into(), "/x".into()));
    refused(go(f).await, "is not in the token's claims");
    // A tampered payload: the claim matches the field, the signature no longer does.
    let token = jwt(PRIVATE, PUBLIC, claims(4, json!({})));
    let mut pieces: Vec<String> = token.split('.').map(str::to_owned).collect();
    pieces[1] = URL_SAFE_NO_PAD.encode(claims(4, json!({"tags": "a,b,c"})).to_string());
    let mut f = fields(&pieces.join("."));
    f[1].1 = "a,b,c".into();
    refused(go(f).await, "signature does not match");
    // Signed with the wrong key, the wrong kid, expired, too long-lived, not a JWT.
    refused(go(fields(&jwt("private_other", PUBLIC, claims(5, json!({}))))).await, "signature does not match");
    refused(go(fields(&jwt(PRIVATE, "public_other", claims(6, json!({}))))).await, "kid");
    refused(go(fields(&jwt(PRIVATE, PUBLIC, claims(700, json!({"exp": iat - 100}))))).await, "expired");
    refused(go(fields(&jwt(PRIVATE, PUBLIC, claims(7, json!({"exp": iat + 7200}))))).await, "lifetime");
    refused(go(fields("not.a.jwt")).await, "Invalid token");
    refused(go(fields("nodots")).await, "Invalid token");
    // Refused tokens did not store anything.
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Fjwt.png", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["width"], 3);
    // Basic auth works for V2 too, and no auth at all is a 401.
    let (status, body) =
        upload_to(&emu, "v2", &[Part::Text("fileName", "b.png"), Part::File("b.png", &bytes)], true).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        upload_to(&emu, "v2", &[Part::Text("fileName", "b.png"), Part::File("b.png", &bytes)], false).await;
    assert_error(status, &body, 401);
}

#[tokio::test]
async fn auth_and_malformed_requests() {
    let emu = emulator();
    let bytes = png(2, 2, false);
    let (status, body) =
        upload_to(&emu, "v1", &[Part::Text("fileName", "a.png"), Part::File("a.png", &bytes)], false).await;
    assert_error(status, &body, 401);
    assert_eq!(body["message"], "Your request does not contain private API key.");
    let (status, body) = send(&emu, Method::GET, "/v1/files/abc/details", &[], Vec::new()).await;
    assert_error(status, &body, 401);
    let wrong = format!("Basic {}", STANDARD.encode("private_wrong:"));
    let (status, body) = send(&emu, Method::GET, "/v1/files/abc/details", &[("authorization", &wrong)], vec![]).await;
    assert_error(status, &body, 401);
    let (status, body) =
        upload_to(&emu, "v1", &[Part::Text("fileName", "a.png"), Part::File("a.png", &bytes)], false).await;
    assert_error(status, &body, 401);

    // Malformed multipart: truncated, wrong boundary, not multipart at all.
    let auth = basic();
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut truncated = multipart(&[Part::Text("fileName", "a.png"), Part::File("a.png", &bytes)]);
    truncated.truncate(truncated.len() - 30);
    for (ct, body) in [
        (ct.as_str(), truncated),
        ("multipart/form-data; boundary=other", multipart(&[Part::Text("fileName", "a.png")])),
        ("multipart/form-data", b"garbage".to_vec()),
        ("application/json", b"{\"fileName\":\"a.png\"}".to_vec()),
        (ct.as_str(), Vec::new()),
    ] {
        let (status, body) =
            send(&emu, Method::POST, "/api/v1/files/upload", &[("content-type", ct), ("authorization", &auth)], body)
                .await;
        assert_error(status, &body, 400);
    }
    // Missing fileName, missing file.
    let (status, body) = upload(&emu, &[Part::File("a.png", &bytes)]).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("fileName"));
    let (status, body) = upload(&emu, &[Part::Text("fileName", "a.png")]).await;
    assert_error(status, &body, 400);
    assert!(body["message"].as_str().unwrap().contains("file"));
    // Malformed JSON bodies elsewhere.
    let (status, body) = send(
        &emu,
        Method::PATCH,
        "/v1/files/abc/details",
        &[("authorization", &auth), ("content-type", "application/json")],
        b"{not json".to_vec(),
    )
    .await;
    assert_error(status, &body, 400);
    let (status, body) = api(&emu, Method::POST, "/v1/files/copy", Some(json!({"sourceFilePath": 5}))).await;
    assert_error(status, &body, 400);
}

// ---------------------------------------------------------------- files

#[tokio::test]
async fn update_details_and_publication() {
    let emu = emulator();
    let f =
        put(&emu, "u.png", &png(4, 4, false), &[Part::Text("tags", "x,y"), Part::Text("customCoordinates", "0,0,2,2")])
            .await;
    let file_id = id(&f);
    let path = format!("/v1/files/{file_id}/details");

    let (status, body) = api(
        &emu,
        Method::PATCH,
        &path,
        Some(json!({"tags": ["t1", "t2"], "customCoordinates": "1,1,3,3", "description": "hello",
                    "extensions": [{"name": "aws-auto-tagging", "maxTags": 3, "minConfidence": 80}],
                    "removeAITags": "all", "webhookUrl": "https://example.com/w"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tags"], json!(["t1", "t2"]));
    assert_eq!(body["customCoordinates"], "1,1,3,3");
    assert_eq!(body["description"], "hello");
    assert_eq!(body["extensionStatus"], json!({"aws-auto-tagging": "pending"}));
    assert_eq!(body["fileId"], file_id.as_str());

    // Absent fields stay; null clears.
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"description": "again"}))).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"], json!(["t1", "t2"]));
    assert!(body.get("extensionStatus").is_none());
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"tags": null, "customCoordinates": null}))).await;
    assert_eq!(status, 200);
    assert_eq!(body["tags"], Value::Null);
    assert_eq!(body["customCoordinates"], Value::Null);
    assert_eq!(details(&emu, &file_id).await["tags"], Value::Null);

    // Bad input.
    for bad in [
        json!({"customCoordinates": "1,2,3"}),
        json!({"tags": "notalist"}),
        json!({"customMetadata": {"unknownField": 1}}),
        json!({"removeAITags": "some"}),
        json!({"publish": {"includeFileVersions": true}}),
        json!({"publish": {"isPublished": true}, "tags": ["a"]}),
    ] {
        let (status, body) = api(&emu, Method::PATCH, &path, Some(bad.clone())).await;
        assert_error(status, &body, 400);
    }

    // Publication, for the current version and then all versions.
    put(&emu, "u.png", &png(4, 4, false), &[]).await;
    let (status, body) = api(&emu, Method::PATCH, &path, Some(json!({"publish": {"isPublished": false}}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["isPublished"], false);
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert_eq!(list[0]["isPublished"], true);
    let (status, body) =
        api(&emu, Method::PATCH, &path, Some(json!({"publish": {"isPublished": false, "includeFileVersions": true}})))
            .await;
    assert_eq!(status, 200);
    assert_eq!(body["isPublished"], false);
    let (_, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
    assert!(list.as_array().unwrap().iter().all(|v| v["isPublished"] == false));

    let (status, body) = api(&emu, Method::PATCH, "/v1/files/missing/details", Some(json!({"tags": ["a"]}))).await;
    assert_error(status, &body, 404);
}

#[tokio::test]
async fn copy_move_and_rename() {
    let emu = emulator();
    let (w5, w6, w7) = (png(5, 5, false), png(6, 6, false), png(7, 7, false));
    put(&emu, "a.png", &w6, &[Part::Text("folder", "/src")]).await;
    let src_id = id(&put(&emu, "a.png", &w7, &[Part::Text("folder", "/src")]).await);
    let copy = |src: &str, dst: &str, versions: bool| json!({"sourceFilePath": src, "destinationPath": dst, "includeFileVersions": versions});
    let versions_of = |file_id: String| {
        let emu = emu.clone();
        async move {
            let (status, list) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/versions"), None).await;
            assert_eq!(status, 200, "{list}");
            list.as_array().unwrap().clone()
        }
    };
    let widths = |list: &[Value]| list.iter().map(|v| v["width"].as_u64().unwrap()).collect::<Vec<_>>();

    // Copy without versions into a folder that does not exist yet.
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/copy", Some(copy("/src/a.png", "/fresh/deep", false))).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, metadata) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Ffresh%2Fdeep%2Fa.png", None).await;
    assert_eq!(status, 200, "{metadata}");
    assert_eq!(metadata["width"], 7);
    assert_eq!(details(&emu, &src_id).await["filePath"], "/src/a.png", "the source stays");

    // Copy with versions onto an existing file: they become its newer versions.
    let dest_id = id(&put(&emu, "a.png", &w5, &[Part::Text("folder", "/dst")]).await);
    let (status, _) = api(&emu, Method::POST, "/v1/files/copy", Some(copy("src/a.png", "dst", true))).await;
    assert_eq!(status, 204);
    let list = versions_of(dest_id.clone()).await;
    assert_eq!(widths(&list), [5, 6, 7]);
    let names: Vec<&str> = list.iter().map(|v| v["versionInfo"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Version 1", "Version 2", "Version 3"]);
    assert!(list.iter().all(|v| v["filePath"] == "/dst/a.png"));

    // Move onto an existing file: the moved file's versions are appended and
    // the moved record is gone. (This also shows the fresh copy had one version.)
    let keep_id = id(&put(&emu, "a.png", &w5, &[Part::Text("folder", "/k")]).await);
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/files/move",
        Some(json!({"sourceFilePath": "/fresh/deep/a.png", "destinationPath": "/k"})),
    )
    .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(widths(&versions_of(keep_id.clone()).await), [5, 7]);
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Ffresh%2Fdeep%2Fa.png", None).await;
    assert_error(status, &body, 404);

    // A copy with versions to a fresh place keeps them, renumbered from the file id.
    let (status, _) = api(&emu, Method::POST, "/v1/files/copy", Some(copy("/src/a.png", "/withv", true))).await;
    assert_eq!(status, 204);
    let (status, _) = api(
        &emu,
        Method::POST,
        "/v1/files/move",
        Some(json!({"sourceFilePath": "/withv/a.png", "destinationPath": "/k/"})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(widths(&versions_of(keep_id.clone()).await), [5, 7, 6, 7]);

    // Deleting the source does not take the copies' bytes.
    let (status, _) = api(&emu, Method::DELETE, &format!("/v1/files/{src_id}"), None).await;
    assert_eq!(status, 204);
    let (status, m) = api(&emu, Method::GET, &format!("/v1/files/{dest_id}/metadata"), None).await;
    assert_eq!((status, m["width"].clone()), (StatusCode::OK, json!(7)));
    assert!(m["pHash"].is_string(), "the bytes are readable: {m}");

    // Copy or move of a missing file; missing parameters.
    let (status, body) = api(&emu, Method::POST, "/v1/files/copy", Some(copy("/nope.png", "/", false))).await;
    assert_error(status, &body, 404);
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/move", Some(json!({"sourceFilePath": "/nope.png", "destinationPath": "/"})))
            .await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::POST, "/v1/files/copy", Some(json!({"sourceFilePath": "/k/a.png"}))).await;
    assert_error(status, &body, 400);

    // Move to a new folder: same id, new path for every version.
    let (status, _) = api(
        &emu,
        Method::POST,
        "/v1/files/move",
        Some(json!({"sourceFilePath": "/dst/a.png", "destinationPath": "/moved"})),
    )
    .await;
    assert_eq!(status, 204);
    let moved = details(&emu, &dest_id).await;
    assert_eq!(moved["filePath"], "/moved/a.png");
    assert_eq!(moved["url"], "http://emu.local/emulator/moved/a.png");
    assert!(versions_of(dest_id.clone()).await.iter().all(|v| v["filePath"] == "/moved/a.png"));

    // Rename: sanitised name, 409 on a taken name, purgeCache.
    put(&emu, "taken.png", &w5, &[Part::Text("folder", "/moved")]).await;
    let rename = |path: &str, name: &str| json!({"filePath": path, "newFileName": name});
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/moved/a.png", "new name.png"))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({})));
    let renamed = details(&emu, &dest_id).await;
    assert_eq!(renamed["name"], "new_name.png");
    assert_eq!(renamed["filePath"], "/moved/new_name.png");
    let (status, body) =
        api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/moved/new_name.png", "taken.png"))).await;
    assert_error(status, &body, 409);
    let mut with_purge = rename("/moved/new_name.png", "final.png");
    with_purge["purgeCache"] = json!(true);
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(with_purge)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["purgeRequestId"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
    assert_eq!(details(&emu, &dest_id).await["filePath"], "/moved/final.png");
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/nope.png", "x.png"))).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::PUT, "/v1/files/rename", Some(rename("/moved/final.png", ""))).await;
    assert_error(status, &body, 400);
}

// ---------------------------------------------------------------- bulk

#[tokio::test]
async fn bulk_delete_and_tags() {
    let emu = emulator();
    let mut ids = Vec::new();
    for i in 0..3 {
        let f = put(&emu, &format!("bulk{i}.png"), &png(2, 2, false), &[Part::Text("tags", "keep")]).await;
        ids.push(id(&f));
    }

    // Tags.
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/files/addTags",
        Some(json!({"fileIds": [ids[0], ids[1]], "tags": ["new", "keep"]})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"successfullyUpdatedFileIds": [ids[0], ids[1]]}));
    assert_eq!(details(&emu, &ids[0]).await["tags"], json!(["keep", "new"]));
    assert_eq!(details(&emu, &ids[2]).await["tags"], json!(["keep"]));
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/removeTags", Some(json!({"fileIds": [ids[0]], "tags": ["keep", "new"]})))
            .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"successfullyUpdatedFileIds": [ids[0]]})));
    assert_eq!(details(&emu, &ids[0]).await["tags"], Value::Null);
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/removeAITags", Some(json!({"fileIds": [ids[1]], "AITags": ["car"]}))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"successfullyUpdatedFileIds": [ids[1]]})));
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/addTags", Some(json!({"fileIds": [ids[0], "missing1"], "tags": ["z"]})))
            .await;
    assert_error(status, &body, 404);
    assert_eq!(body["missingFileIds"], json!(["missing1"]));
    assert_eq!(details(&emu, &ids[0]).await["tags"], Value::Null, "nothing changed");
    let many: Vec<String> = (0..51).map(|i| format!("id{i}")).collect();
    for path in ["/v1/files/addTags", "/v1/files/removeTags"] {
        let (status, body) = api(&emu, Method::POST, path, Some(json!({"fileIds": many, "tags": ["a"]}))).await;
        assert_error(status, &body, 400);
    }
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/removeAITags", Some(json!({"fileIds": many, "AITags": ["a"]}))).await;
    assert_error(status, &body, 400);

    // Delete: a missing id deletes nothing.
    let (status, body) = api(
        &emu,
        Method::POST,
        "/v1/files/batch/deleteByFileIds",
        Some(json!({"fileIds": [ids[0], "missing1", ids[1], "missing2"]})),
    )
    .await;
    assert_error(status, &body, 404);
    assert_eq!(body["missingFileIds"], json!(["missing1", "missing2"]));
    for id in &ids {
        details(&emu, id).await;
    }
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/batch/deleteByFileIds", Some(json!({"fileIds": many}))).await;
    assert_error(status, &body, 400);
    let (status, body) =
        api(&emu, Method::POST, "/v1/files/batch/deleteByFileIds", Some(json!({"fileIds": [ids[0], ids[1]]}))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"successfullyDeletedFileIds": [ids[0], ids[1]]})));
    for gone in &ids[..2] {
        let (status, body) = api(&emu, Method::GET, &format!("/v1/files/{gone}/details"), None).await;
        assert_error(status, &body, 404);
    }
    details(&emu, &ids[2]).await;
}

// ---------------------------------------------------------------- metadata

#[tokio::test]
async fn metadata_by_id_and_by_url() {
    let emu = emulator();
    let bytes = jpeg(64, 32);
    let f = put(&emu, "m.jpg", &bytes, &[Part::Text("folder", "meta")]).await;
    let (status, m) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&f)), None).await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["width"], 64);
    assert_eq!(m["height"], 32);
    assert_eq!(m["size"], bytes.len());
    assert_eq!(m["format"], "jpg");
    assert_eq!(m["hasTransparency"], false);
    assert_eq!(m["hasColorProfile"], false);
    assert_eq!(m["density"], 72);
    assert!(m["quality"].as_u64().is_some_and(|q| (60..=90).contains(&q)), "{m}");
    let phash = m["pHash"].as_str().unwrap();
    assert!(phash.len() == 16 && phash.chars().all(|c| c.is_ascii_hexdigit()), "{phash}");
    assert_eq!(m["exif"], json!({}));

    for url in [
        "http://emu.local/emulator/meta/m.jpg",
        "http://emu.local/emulator/tr:w-100,h-100/meta/m.jpg",
        "http://emu.local/emulator/meta/m.jpg?tr=w-10&ik-s=abc",
    ] {
        let q: String = url.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, by_url) = api(&emu, Method::GET, &format!("/v1/metadata?url={q}"), None).await;
        assert_eq!(status, 200, "{url}: {by_url}");
        assert_eq!(by_url, m);
    }
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=https%3A%2F%2Fik.imagekit.io%2Fdemo%2Fa.jpg", None).await;
    assert_error(status, &body, 400);
    let (status, body) =
        api(&emu, Method::GET, "/v1/metadata?url=http%3A%2F%2Femu.local%2Femulator%2Fnope.jpg", None).await;
    assert_error(status, &body, 404);
    let (status, body) = api(&emu, Method::GET, "/v1/metadata", None).await;
    assert_error(status, &body, 400);
    let (status, body) = api(&emu, Method::GET, "/v1/files/nope/metadata", None).await;
    assert_error(status, &body, 404);

    // A non-image has size and format only.
    let t = put(&emu, "doc.pdf", b"%PDF-1.4 not really", &[]).await;
    let (_, m) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&t)), None).await;
    assert_eq!(m, json!({"size": 19, "format": "pdf"}));

    // Similar images have close hashes; different ones do not share it.
    let a = put(&emu, "p1.png", &png(64, 64, false), &[]).await;
    let b = put(&emu, "p2.png", &png(64, 64, false), &[]).await;
    let (_, ma) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&a)), None).await;
    let (_, mb) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&b)), None).await;
    assert_eq!(ma["pHash"], mb["pHash"]);
}

// ---------------------------------------------------------------- concurrency, socket, persistence

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_uploads() {
    concurrent_uploads(emulator()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_uploads_persisted() {
    let dir = std::env::temp_dir().join(format!("ik-emu-load-{}-{}", std::process::id(), fastrand::u64(..)));
    let emu = Emulator::builder().private_key(PRIVATE).data_dir(&dir).in_process(ORIGIN).unwrap();
    concurrent_uploads(emu).await;
    let blobs = std::fs::read_dir(dir.join("blobs")).unwrap().count();
    assert_eq!(blobs, 201, "one blob per upload, no temporary files left");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn concurrent_uploads(emu: InProcess) {
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            let bytes = png(i + 1, 1 + i % 7, i % 2 == 0);
            let (status, body) = upload(
                &emu,
                &[Part::Text("fileName", "same.png"), Part::Text("folder", "load"), Part::File("same.png", &bytes)],
            )
            .await;
            assert_eq!(status, 200, "{body}");
            (i, bytes.len(), body)
        }));
    }
    // One more from the test's own (block_on) future rather than a spawned task.
    let (status, body) =
        upload(&emu, &[Part::Text("fileName", "main.png"), Part::File("main.png", &png(2, 2, false))]).await;
    assert_eq!(status, 200, "{body}");
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    for (i, len, body) in results {
        assert!(names.insert(body["name"].as_str().unwrap().to_owned()), "duplicate name {body}");
        assert!(ids.insert(id(&body)));
        let file = details(&emu, &id(&body)).await;
        assert_eq!(file["size"], len);
        assert_eq!(file["width"], i + 1);
        assert_eq!(file["height"], 1 + i % 7);
        assert_eq!(file["hasAlpha"], i % 2 == 0);
        let (_, m) = api(&emu, Method::GET, &format!("/v1/files/{}/metadata", id(&body)), None).await;
        assert_eq!((m["width"].clone(), m["size"].clone()), (json!(i + 1), json!(len)), "bytes of upload {i}");
    }
    assert_eq!(names.len(), 200);
}

/// A one-shot HTTP server on loopback answering every request with `body`.
async fn serve_bytes(body: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("http://{addr}/image.png")
}

#[tokio::test]
async fn over_a_socket_with_a_loopback_url() {
    let emulator = Emulator::builder().private_key(PRIVATE).public_key(PUBLIC).start().await.unwrap();
    let client = imagekit_transport::HyperClient::new().unwrap();
    let bytes = png(12, 5, true);
    let url = serve_bytes(bytes.clone()).await;
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let body = multipart(&[Part::Text("fileName", "fetched.png"), Part::Text("file", &url)]);
    let req = http::Request::post(format!("{}/api/v1/files/upload", emulator.base_url()))
        .header("content-type", ct)
        .header("authorization", basic())
        .body(Body::from(body))
        .unwrap();
    let resp = client.send(req).await.unwrap();
    let status = resp.status();
    let json: Value = serde_json::from_slice(&resp.into_body().collect().await.unwrap()).unwrap();
    assert_eq!(status, 200, "{json}");
    assert_eq!(
        (json["width"].clone(), json["height"].clone(), json["size"].clone()),
        (json!(12), json!(5), json!(bytes.len()))
    );
    assert!(json["url"].as_str().unwrap().starts_with(emulator.url_endpoint()));
    // Metadata by URL, also when the URL names the host as localhost.
    let local = json["url"].as_str().unwrap().replace("127.0.0.1", "localhost");
    for url in [json["url"].as_str().unwrap(), local.as_str()] {
        let q: String = url.bytes().map(|b| format!("%{b:02X}")).collect();
        let req = http::Request::get(format!("{}/v1/metadata?url={q}", emulator.base_url()))
            .header("authorization", basic())
            .body(Body::empty())
            .unwrap();
        let resp = client.send(req).await.unwrap();
        assert_eq!(resp.status(), 200, "{url}");
        let m: Value = serde_json::from_slice(&resp.into_body().collect().await.unwrap()).unwrap();
        assert_eq!(m["width"], 12);
    }

    // A loopback URL that refuses connections is a 400, not a hang.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let body = multipart(&[Part::Text("fileName", "x.png"), Part::Text("file", &format!("http://{dead}/x.png"))]);
    let req = http::Request::post(format!("{}/api/v1/files/upload", emulator.base_url()))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("authorization", basic())
        .body(Body::from(body))
        .unwrap();
    let resp = client.send(req).await.unwrap();
    assert_eq!(resp.status(), 400);
    emulator.shutdown().await;
}

#[tokio::test]
async fn failed_uploads_leave_no_blob_and_records_persist() {
    let dir = std::env::temp_dir().join(format!("ik-emu-files-{}-{}", std::process::id(), fastrand::u64(..)));
    let blobs = |dir: &std::path::Path| std::fs::read_dir(dir.join("blobs")).map(|d| d.count()).unwrap_or(0);
    let file_id;
    {
        let emu = Emulator::builder().private_key(PRIVATE).data_dir(&dir).in_process(ORIGIN).unwrap();
        let f = put(&emu, "keep.png", &png(9, 9, false), &[]).await;
        file_id = id(&f);
        assert_eq!(blobs(&dir), 1);
        // Refused after the bytes were read: overwriteFile=false on an existing path.
        let (status, body) = upload(
            &emu,
            &[
                Part::Text("fileName", "keep.png"),
                Part::Text("useUniqueFileName", "false"),
                Part::Text("overwriteFile", "false"),
                Part::File("keep.png", &png(3, 3, false)),
            ],
        )
        .await;
        assert_error(status, &body, 400);
        assert_eq!(blobs(&dir), 1, "the refused upload's bytes are gone");
        put(&emu, "keep.png", &png(10, 10, false), &[]).await;
        assert_eq!(blobs(&dir), 2);
    }
    let emu = Emulator::builder().private_key(PRIVATE).data_dir(&dir).in_process(ORIGIN).unwrap();
    let f = details(&emu, &file_id).await;
    assert_eq!((f["width"].clone(), f["versionInfo"]["name"].clone()), (json!(10), json!("Version 2")));
    let (_, m) = api(&emu, Method::GET, &format!("/v1/files/{file_id}/metadata"), None).await;
    assert_eq!(m["width"], 10);
    let (status, _) = api(&emu, Method::DELETE, &format!("/v1/files/{file_id}"), None).await;
    assert_eq!(status, 204);
    assert_eq!(blobs(&dir), 0, "deleting a file removes every version's bytes");
    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}
