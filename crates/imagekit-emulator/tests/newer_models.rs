//! The newer models of the Python SDK 5.11 as the emulator serves them: the
//! `DURATION` and `ORIGINAL_CREATION_DATE` sorts (over real uploads), the
//! reserved original-creation-date field, `Folder.createdBy`, and fractional
//! length bounds of custom metadata fields.

use std::io::Cursor;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{Method, StatusCode};
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, Emulator, EmulatorBuilder, InProcess};
use imagekit_transport::{Body, HttpClient};
use imagekit_types::{Asset, CustomMetadataField, File};
use serde_json::{Value, json};

const ORIGIN: &str = "http://emu.local";
const BOUNDARY: &str = "----newerModelsBoundary";
const RESERVED: &str = "_internal_original_created_datetime";

fn emulator(builder: EmulatorBuilder) -> InProcess {
    builder.in_process(ORIGIN).unwrap()
}

async fn send(
    client: &InProcess,
    method: Method,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let auth = format!("Basic {}", STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let mut req = http::Request::builder().method(method).uri(format!("{ORIGIN}{path}")).header("authorization", auth);
    if !body.is_empty() {
        req = req.header("content-type", content_type);
    }
    let resp = client.send(req.body(Body::from(body)).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap();
    let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (status, value)
}

async fn api(client: &InProcess, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let body = body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default();
    send(client, method, path, "application/json", body).await
}

/// Upload `bytes` as `/{folder}/{name}` (no unique suffix), with `customMetadata`
/// when given; the response.
async fn upload(
    client: &InProcess,
    folder: &str,
    name: &str,
    bytes: &[u8],
    meta: Option<Value>,
) -> (StatusCode, Value) {
    let mut fields =
        vec![("fileName", name.to_owned()), ("useUniqueFileName", "false".into()), ("folder", folder.into())];
    if let Some(m) = meta {
        fields.push(("customMetadata", m.to_string()));
    }
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    out.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    out.extend_from_slice(bytes);
    out.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    send(client, Method::POST, "/api/v1/files/upload", &ct, out).await
}

async fn uploaded(client: &InProcess, folder: &str, name: &str, bytes: &[u8], meta: Option<Value>) -> Value {
    let (status, body) = upload(client, folder, name, bytes, meta).await;
    assert_eq!(status, StatusCode::OK, "{name}: {body}");
    body
}

/// Names of `GET /v1/files{query}`, which must decode as `Asset`s.
async fn list(client: &InProcess, query: &str) -> Vec<String> {
    let (status, body) = api(client, Method::GET, &format!("/v1/files{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    let _: Vec<Asset> = serde_json::from_value(body.clone()).unwrap();
    body.as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap().to_owned()).collect()
}

// ---------------------------------------------------------------- media files

/// An MP4 (`ftyp`, `moov/mvhd` version 0, `mdat`) lasting `duration / timescale` seconds.
fn mp4(timescale: u32, duration: u32, padding: usize) -> Vec<u8> {
    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }
    let mut mvhd = vec![0u8; 12];
    mvhd.extend_from_slice(&timescale.to_be_bytes());
    mvhd.extend_from_slice(&duration.to_be_bytes());
    mvhd.extend_from_slice(&[0; 80]);
    let mut out = bx(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    out.extend(bx(b"moov", &bx(b"mvhd", &mvhd)));
    out.extend(bx(b"mdat", &vec![0; padding]));
    out
}

/// A PCM WAVE file: `seconds` of 8 kHz mono 16-bit silence.
fn wav(seconds: f64) -> Vec<u8> {
    let data = vec![0u8; (seconds * 16_000.0) as usize];
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((36 + data.len()) as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt \x10\0\0\0\x01\0\x01\0");
    out.extend_from_slice(&8_000u32.to_le_bytes());
    out.extend_from_slice(&16_000u32.to_le_bytes());
    out.extend_from_slice(b"\x02\0\x10\0data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend(data);
    out
}

/// A WebM whose `Segment/Info` says `ms` milliseconds (TimecodeScale 1 ms).
fn webm(ms: f64) -> Vec<u8> {
    let mut b = vec![0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x86, 0x81, 0x01];
    b.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    let mut info = vec![0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40, 0x44, 0x89, 0x88];
    info.extend_from_slice(&ms.to_be_bytes());
    b.extend_from_slice(&[0x15, 0x49, 0xA9, 0x66, 0x80 | info.len() as u8]);
    b.extend(info);
    b
}

fn png() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(3, 2).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

// ---------------------------------------------------------------- sorts

#[tokio::test]
async fn sort_by_duration_of_uploaded_videos_and_audio() {
    let client = emulator(Emulator::builder());
    // Uploaded in this order; durations read from the bytes.
    let clip = uploaded(&client, "/media", "clip.mp4", &mp4(1000, 12_500, 20_000), None).await; // 12.5 s
    uploaded(&client, "/media", "photo.png", &png(), None).await; // no duration
    uploaded(&client, "/media", "voice.wav", &wav(2.5), None).await; // 2.5 s
    uploaded(&client, "/media", "long.mov", &mp4(600, 600 * 95, 100), None).await; // 95 s
    uploaded(&client, "/media", "notes.pdf", b"%PDF-1.4 not a video", None).await; // no duration
    uploaded(&client, "/media", "loop.webm", &webm(4321.0), None).await; // 4.321 s
    uploaded(&client, "/media", "beep.wav", &wav(0.25), None).await; // 0.25 s

    let q = |sort: &str| format!("?type=file&path=/media&sort={sort}");
    // Files without a duration first (in upload order), then shortest to longest.
    assert_eq!(
        list(&client, &q("ASC_DURATION")).await,
        ["photo.png", "notes.pdf", "beep.wav", "voice.wav", "loop.webm", "clip.mp4", "long.mov"]
    );
    assert_eq!(
        list(&client, &q("DESC_DURATION")).await,
        ["long.mov", "clip.mp4", "loop.webm", "voice.wav", "beep.wav", "notes.pdf", "photo.png"]
    );
    // Folders have no duration: first ascending.
    let all = list(&client, "?sort=ASC_DURATION").await;
    assert_eq!(all[0], "media");

    // The File object says it too: whole seconds, and the overall bit rate.
    let id = clip["fileId"].as_str().unwrap();
    let (_, details) = api(&client, Method::GET, &format!("/v1/files/{id}/details"), None).await;
    let size = details["size"].as_f64().unwrap();
    let file: File = serde_json::from_value(details).unwrap();
    assert_eq!(file.duration, Some(13), "12.5 s rounds to 13");
    assert_eq!(file.bit_rate, Some((size * 8.0 / 12.5 / 1000.0).round() as u64));
    let (_, meta) = api(&client, Method::GET, &format!("/v1/files/{id}/metadata"), None).await;
    assert_eq!((meta["duration"].as_u64(), meta["bitRate"].as_u64()), (Some(13), file.bit_rate));
    let (_, page) = api(&client, Method::GET, "/v1/files?type=file&path=/media&sort=ASC_DURATION", None).await;
    let durations: Vec<Option<u64>> = page.as_array().unwrap().iter().map(|f| f["duration"].as_u64()).collect();
    assert_eq!(durations, [None, None, Some(0), Some(3), Some(4), Some(13), Some(95)]);
    // An image has neither.
    assert!(page[0].get("duration").is_none() && page[0].get("bitRate").is_none(), "{}", page[0]);
}

#[tokio::test]
async fn sort_by_original_creation_date() {
    let client = emulator(Emulator::builder().original_creation_date_field(true));
    let date = |d: &str| Some(json!({ RESERVED: d }));
    // Upload order a..e; b, c and e carry an original creation date.
    uploaded(&client, "/", "a.png", &png(), None).await;
    uploaded(&client, "/", "b.png", &png(), date("2010-06-01T00:00:00.000Z")).await;
    uploaded(&client, "/", "c.png", &png(), date("1999-12-31T23:59:59.000Z")).await;
    let d = uploaded(&client, "/", "d.png", &png(), None).await;
    uploaded(&client, "/", "e.png", &png(), date("2099-01-01T00:00:00.000Z")).await;

    // Files without a value fall back to their upload time, between the dates.
    assert_eq!(
        list(&client, "?type=file&sort=ASC_ORIGINAL_CREATION_DATE").await,
        ["c.png", "b.png", "a.png", "d.png", "e.png"]
    );
    assert_eq!(
        list(&client, "?type=file&sort=DESC_ORIGINAL_CREATION_DATE").await,
        ["e.png", "d.png", "a.png", "b.png", "c.png"]
    );

    // Set later through a file update, it counts the same.
    let path = format!("/v1/files/{}/details", d["fileId"].as_str().unwrap());
    let (status, body) =
        api(&client, Method::PATCH, &path, Some(json!({"customMetadata": {RESERVED: "2005-01-01T00:00:00.000Z"}})))
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        list(&client, "?type=file&sort=ASC_ORIGINAL_CREATION_DATE").await,
        ["c.png", "d.png", "b.png", "a.png", "e.png"]
    );
    // Not a date: refused by the field's Date schema.
    let (status, _) =
        api(&client, Method::PATCH, &path, Some(json!({"customMetadata": {RESERVED: "last year"}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_the_setting_the_original_creation_date_is_the_upload_time() {
    let client = emulator(Emulator::builder());
    for name in ["x.png", "y.png", "z.png"] {
        uploaded(&client, "/", name, &png(), None).await;
    }
    assert_eq!(list(&client, "?type=file&sort=ASC_ORIGINAL_CREATION_DATE").await, ["x.png", "y.png", "z.png"]);
    assert_eq!(list(&client, "?type=file&sort=DESC_ORIGINAL_CREATION_DATE").await, ["z.png", "y.png", "x.png"]);
    // The reserved field does not exist, so files cannot carry it.
    let (status, body) =
        upload(&client, "/", "w.png", &png(), Some(json!({RESERVED: "2001-01-01T00:00:00.000Z"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, fields) = api(&client, Method::GET, "/v1/customMetadataFields", None).await;
    assert_eq!(fields, json!([]));
}

// ---------------------------------------------------------------- reserved field

#[tokio::test]
async fn the_reserved_field_is_listed_and_protected() {
    let dir = std::env::temp_dir().join(format!("ik-emu-reserved-{}-{}", std::process::id(), fastrand::u64(..)));
    let builder = || Emulator::builder().original_creation_date_field(true).data_dir(&dir);
    let field = {
        let client = emulator(builder());
        let (status, fields) = api(&client, Method::GET, "/v1/customMetadataFields", None).await;
        assert_eq!(status, StatusCode::OK);
        let fields: Vec<CustomMetadataField> = serde_json::from_value(fields).unwrap();
        assert_eq!(fields.len(), 1);
        let f = fields[0].clone();
        assert_eq!((f.name.as_str(), f.label.as_str(), f.reserved), (RESERVED, "Original creation date", Some(true)));
        assert_eq!(f.schema.kind.as_ref().map(|k| k.as_str()), Some("Date"));

        // Its name cannot be used again, nor can it be deleted.
        let (status, body) = api(
            &client,
            Method::POST,
            "/v1/customMetadataFields",
            Some(json!({"name": RESERVED, "label": "Mine", "schema": {"type": "Date"}})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["message"].as_str().unwrap().contains("reserved"), "{body}");
        let (status, body) = api(&client, Method::DELETE, &format!("/v1/customMetadataFields/{}", f.id), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        // A regular field says nothing about being reserved.
        let (status, mine) = api(
            &client,
            Method::POST,
            "/v1/customMetadataFields",
            Some(json!({"name": "code", "label": "Code", "schema": {"type": "Text"}})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{mine}");
        assert!(mine.get("reserved").is_none(), "{mine}");
        f
    };
    // Enabled again on the same data: still the one field, same id.
    let client = emulator(builder());
    let (_, fields) = api(&client, Method::GET, "/v1/customMetadataFields", None).await;
    let names: Vec<&str> = fields.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, [RESERVED, "code"]);
    assert_eq!(fields[0]["id"], field.id.as_str());
    drop(client);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- createdBy

#[tokio::test]
async fn folders_record_who_created_them() {
    let client = emulator(Emulator::builder().folder_creator("ana@example.com", "Ana Silva"));
    let (status, _) =
        api(&client, Method::POST, "/v1/folder", Some(json!({"folderName": "shoes", "parentFolderPath": "/shop"})))
            .await;
    assert!(status.is_success(), "{status}");
    // Missing parents of an upload, and folders made by a copy, too.
    uploaded(&client, "/imports/2026", "a.png", &png(), None).await;
    let (status, body) = api(
        &client,
        Method::POST,
        "/v1/bulkJobs/copyFolder",
        Some(json!({"sourceFolderPath": "/shop", "destinationPath": "/archive"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (_, page) = api(&client, Method::GET, "/v1/files?type=folder&sort=ASC_NAME", None).await;
    let folders: Vec<Asset> = serde_json::from_value(page.clone()).unwrap();
    let mut paths = Vec::new();
    for f in &folders {
        let Asset::Folder(f) = f else { panic!("{f:?}") };
        let by = f.created_by.as_ref().unwrap_or_else(|| panic!("no createdBy: {f:?}"));
        assert_eq!((by.email.as_deref(), by.name.as_deref()), (Some("ana@example.com"), Some("Ana Silva")));
        paths.push(f.folder_path.clone().unwrap());
    }
    paths.sort();
    assert_eq!(
        paths,
        ["/archive", "/archive/shop", "/archive/shop/shoes", "/imports", "/imports/2026", "/shop", "/shop/shoes"]
    );
    assert_eq!(page[0]["createdBy"], json!({"email": "ana@example.com", "name": "Ana Silva"}));

    // Without a configured user, ImageKit-style: no createdBy at all.
    let anonymous = emulator(Emulator::builder());
    api(&anonymous, Method::POST, "/v1/folder", Some(json!({"folderName": "x", "parentFolderPath": "/"}))).await;
    let (_, page) = api(&anonymous, Method::GET, "/v1/files?type=folder", None).await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert!(page[0].get("createdBy").is_none(), "{page}");
}

// ---------------------------------------------------------------- numeric lengths

#[tokio::test]
async fn fractional_length_bounds() {
    let client = emulator(Emulator::builder());
    let (status, field) = api(
        &client,
        Method::POST,
        "/v1/customMetadataFields",
        Some(json!({"name": "code", "label": "Code", "schema": {"type": "Text", "minLength": 1.5, "maxLength": 3.5}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{field}");
    assert_eq!(field["schema"], json!({"type": "Text", "minLength": 1.5, "maxLength": 3.5}));
    let (_, list) = api(&client, Method::GET, "/v1/customMetadataFields", None).await;
    let fields: Vec<CustomMetadataField> = serde_json::from_value(list).unwrap();
    assert_eq!((fields[0].schema.min_length, fields[0].schema.max_length), (Some(1.5), Some(3.5)));

    // Lengths are counted in characters and compared as numbers: 2 and 3 fit.
    for (value, ok) in [("a", false), ("ab", true), ("abc", true), ("abcd", false)] {
        let (status, body) = upload(&client, "/", "f.png", &png(), Some(json!({"code": value}))).await;
        assert_eq!(status == StatusCode::OK, ok, "{value}: {body}");
    }
    // min above max is still refused.
    let (status, _) = api(
        &client,
        Method::POST,
        "/v1/customMetadataFields",
        Some(json!({"name": "bad", "label": "Bad", "schema": {"type": "Text", "minLength": 4.5, "maxLength": 4}})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
