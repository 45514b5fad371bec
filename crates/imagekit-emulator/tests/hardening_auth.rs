//! Attacks on client-side upload authentication: replaying a V2 JWT in
//! another spelling, using it before `nbf`, and making the emulator fetch
//! loopback URLs with only a public key.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use http::{Method, StatusCode};
use imagekit_emulator::{Emulator, InProcess};
use imagekit_transport::{Body, HttpClient, HyperClient};
use serde_json::{Value, json};
use sha2::Sha256;

const PRIVATE: &str = "private_hardening";
const PUBLIC: &str = "public_hardening";
const BOUNDARY: &str = "hardening-boundary-7f3a";

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn sign(input: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(PRIVATE.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn jwt(claims: &Value) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": PUBLIC});
    let input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sign(&input)))
}

fn claims(file_name: &str) -> Value {
    json!({"fileName": file_name, "iat": now(), "exp": now() + 600})
}

fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some(bytes) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post(
    client: &dyn HttpClient,
    url: &str,
    auth: Option<&str>,
    fields: &[(&str, &str)],
    file: Option<&[u8]>,
) -> (StatusCode, Value) {
    let mut req = http::Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let resp = client.send(req.body(Body::from(multipart(fields, file))).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect_limited(1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn in_process() -> InProcess {
    Emulator::builder().private_key(PRIVATE).public_key(PUBLIC).in_process("http://emu.local").unwrap()
}

async fn v2_upload(emu: &InProcess, token: &str, file_name: &str) -> (StatusCode, Value) {
    post(
        emu,
        "http://emu.local/api/v2/files/upload",
        None,
        &[("fileName", file_name), ("token", token)],
        Some(b"hello"),
    )
    .await
}

#[tokio::test]
async fn a_v2_token_is_single_use_whatever_its_spelling() {
    let emu = in_process();
    let token = jwt(&claims("once.txt"));
    let (status, body) = v2_upload(&emu, &token, "once.txt").await;
    assert_eq!(status, 200, "{body}");

    // The same token again, exactly and in every other spelling: all refused.
    let (status, body) = v2_upload(&emu, &token, "once.txt").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("already been used"), "{body}");
    let (h, rest) = token.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(s).unwrap();
    let padded_sig = URL_SAFE.encode(&sig);
    assert!(padded_sig.ends_with('='), "a 32-byte signature pads with one `=`");
    let variants = [
        format!("{token} "),
        format!("{token}\n"),
        format!("{token}\r\n"),
        format!(" {token}"),
        format!("{token}="),
        format!("{token}=="),
        format!("{h}.{p}.{padded_sig}"),
        format!("{h}=.{p}.{s}"),
        format!("{h}.{p} .{s}"),
    ];
    for v in &variants {
        let (status, body) = v2_upload(&emu, v, "once.txt").await;
        assert_eq!(status, 400, "{v:?} was accepted again: {body}");
    }
    // Only the first upload stored a file.
    let list = emu
        .send(
            http::Request::get("http://emu.local/v1/files")
                .header("authorization", format!("Basic {}", STANDARD.encode(format!("{PRIVATE}:"))))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let bytes = list.into_body().collect_limited(1 << 20).await.unwrap();
    let files: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(files.as_array().map(Vec::len), Some(1), "{files}");
}

#[tokio::test]
async fn a_fresh_token_in_a_non_canonical_spelling_is_refused_not_burnt() {
    // The variants are refused for their spelling, before single use is
    // checked: the canonical text then still works once.
    let emu = in_process();
    let token = jwt(&claims("padded.txt"));
    for v in [format!("{token} "), format!("{token}\n"), format!("{token}=")] {
        let (status, body) = v2_upload(&emu, &v, "padded.txt").await;
        assert_eq!(status, 400, "{v:?}: {body}");
        assert!(body["message"].as_str().unwrap().starts_with("Invalid token"), "{body}");
    }
    let (status, body) = v2_upload(&emu, &token, "padded.txt").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_v2_token_is_refused_before_its_nbf() {
    let emu = in_process();
    let mut future = claims("later.txt");
    future["nbf"] = json!(now() + 120);
    let (status, body) = v2_upload(&emu, &jwt(&future), "later.txt").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("nbf"), "{body}");

    let mut bad = claims("later.txt");
    bad["nbf"] = json!("soon");
    let (status, body) = v2_upload(&emu, &jwt(&bad), "later.txt").await;
    assert_eq!(status, 400, "{body}");

    let mut past = claims("later.txt");
    past["nbf"] = json!(now() - 5);
    let (status, body) = v2_upload(&emu, &jwt(&past), "later.txt").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn remote_url_uploads_need_the_private_key() {
    let emu = Emulator::builder().private_key(PRIVATE).public_key(PUBLIC).start().await.unwrap();
    let client = HyperClient::builder().build().unwrap();
    let upload = format!("{}/api/v1/files/upload", emu.base_url());
    let basic = format!("Basic {}", STANDARD.encode(format!("{PRIVATE}:")));
    let (status, body) = post(
        &client,
        &upload,
        Some(&basic),
        &[("fileName", "src.txt"), ("useUniqueFileName", "false")],
        Some(b"source"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let source = format!("{}/src.txt", emu.url_endpoint());

    // The legacy SDK workflow: the private key, the emulator's own delivery URL.
    let (status, body) =
        post(&client, &upload, Some(&basic), &[("fileName", "copy.txt"), ("file", &source)], None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["size"], 6, "{body}");

    // A V2 token signed for the URL: a public-key holder cannot make the emulator fetch.
    let v2 = format!("{}/api/v2/files/upload", emu.base_url());
    let admin = format!("{}/v1/files", emu.base_url());
    for (name, target) in [("stolen-a.txt", source.as_str()), ("stolen-b.txt", admin.as_str())] {
        let token = jwt(&claims(name));
        let (status, body) =
            post(&client, &v2, None, &[("fileName", name), ("file", target), ("token", &token)], None).await;
        assert_eq!(status, 403, "{target}: {body}");
        assert!(body["message"].as_str().unwrap().contains("private key"), "{body}");
    }
    // V1 client-side (publicKey + signature) likewise.
    let expire = (now() + 600) as u64;
    let key = imagekit_url::PrivateKey::new(PRIVATE).unwrap();
    let sig = imagekit_url::authentication_parameters(&key, "tok-v1-url", expire).unwrap().signature;
    let expire = expire.to_string();
    let (status, body) = post(
        &client,
        &upload,
        None,
        &[
            ("fileName", "stolen1.txt"),
            ("file", &source),
            ("publicKey", PUBLIC),
            ("signature", &sig),
            ("expire", &expire),
            ("token", "tok-v1-url"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    emu.shutdown().await;
}
