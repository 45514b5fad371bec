//! `imagekit webhook verify`: signatures computed here as the spec says (§6.2:
//! HMAC-SHA256 keyed with the raw bytes of the whole `whsec_...` secret over
//! `id.timestamp.body`, sent as `v1,<base64>`), then checked by the binary.

mod common;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use common::{Run, TempDir, bare};

const SECRET: &str = "whsec_Y2xpLXRlc3Qtc2VjcmV0";
const BODY: &str =
    r#"{"type":"file.deleted","id":"evt_cli_1","created_at":"2025-01-01T00:00:00.000Z","data":{"fileId":"f_123"}}"#;

fn hmac(parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Write the headers and body files and run `webhook verify` on them.
fn verify(dir: &TempDir, headers: &str, body: &str, extra: &[&str]) -> Run {
    let h = dir.write("headers.txt", headers.as_bytes());
    let b = dir.write("body.json", body.as_bytes());
    let mut cmd = bare();
    cmd.args(["webhook", "verify", "--secret", SECRET, "--headers"]).arg(&h).arg("--body").arg(&b).args(extra);
    let run = Run::of(&mut cmd);
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET), "the secret was printed");
    run
}

#[test]
fn a_valid_signature_prints_the_typed_event() {
    let dir = TempDir::new("webhook-valid");
    let ts = now();
    let sig = base64::engine::general_purpose::STANDARD.encode(hmac(&[
        b"msg_1.",
        ts.to_string().as_bytes(),
        b".",
        BODY.as_bytes(),
    ]));
    // As an HTTP request would show them: a request line, mixed-case names, CRLF.
    let headers = format!(
        "POST /hooks/imagekit HTTP/1.1\r\nContent-Type: application/json\r\nWebhook-Id: msg_1\r\nwebhook-timestamp: {ts}\r\nwebhook-signature: v1,bm9wZQ== v1,{sig}\r\n"
    );
    let run = verify(&dir, &headers, BODY, &["--json"]).ok();
    let event = run.json();
    assert_eq!(event["type"], "file.deleted");
    assert_eq!(event["data"]["fileId"], "f_123");

    // The same request judged at a given time: an old recording still verifies as of then.
    let old = ts - 86_400;
    let sig = base64::engine::general_purpose::STANDARD.encode(hmac(&[
        b"msg_1.",
        old.to_string().as_bytes(),
        b".",
        BODY.as_bytes(),
    ]));
    let headers = format!("webhook-id: msg_1\nwebhook-timestamp: {old}\nwebhook-signature: v1,{sig}\n");
    verify(&dir, &headers, BODY, &["--at", &(old + 10).to_string()]).ok();
    let run = verify(&dir, &headers, BODY, &[]).expect(1);
    assert!(run.stderr.contains("Message timestamp too old"), "{}", run.stderr);
}

#[test]
fn an_invalid_signature_fails_with_the_reason() {
    let dir = TempDir::new("webhook-invalid");
    let ts = now();
    let sig = base64::engine::general_purpose::STANDARD.encode(hmac(&[
        b"msg_2.",
        ts.to_string().as_bytes(),
        b".",
        BODY.as_bytes(),
    ]));
    let headers = format!("webhook-id: msg_2\nwebhook-timestamp: {ts}\nwebhook-signature: v1,{sig}\n");
    let tampered = BODY.replace("f_123", "f_999");
    let run = verify(&dir, &headers, &tampered, &[]).expect(1);
    assert!(run.stdout.is_empty(), "nothing on stdout for a rejected webhook: {}", run.stdout);
    assert!(run.stderr.contains("No matching signature found"), "{}", run.stderr);

    let run = verify(&dir, "webhook-id: msg_2\n", BODY, &[]).expect(1);
    assert!(run.stderr.contains("Missing required headers: webhook-timestamp"), "{}", run.stderr);

    let run = verify(&dir, "this is not a header line\n", BODY, &[]).expect(1);
    assert!(run.stderr.contains("expected `Name: value`"), "{}", run.stderr);
}

#[test]
fn the_legacy_scheme() {
    let dir = TempDir::new("webhook-legacy");
    let ms = now() * 1000;
    let hex: String =
        hmac(&[ms.to_string().as_bytes(), b".", BODY.as_bytes()]).iter().map(|b| format!("{b:02x}")).collect();
    let headers = format!("x-ik-signature: t={ms},v1={hex}\n");
    let run = verify(&dir, &headers, BODY, &["--legacy", "--json"]).ok();
    assert_eq!(run.json()["type"], "file.deleted");

    let run = verify(&dir, &headers, &BODY.replace("f_123", "f_1"), &["--legacy"]).expect(1);
    assert!(run.stderr.contains("Incorrect webhook signature"), "{}", run.stderr);
    let run = verify(&dir, "x-other: 1\n", BODY, &["--legacy"]).expect(1);
    assert!(run.stderr.contains("x-ik-signature"), "{}", run.stderr);
}
