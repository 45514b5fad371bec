//! Replays what the official clients sent (the legacy Python SDK 4.2.0, the
//! legacy Node SDK 6.0.0 and the browser SDK 5.5.1, recorded by
//! `cargo xtask clients` into `tests/fixtures/official-clients/`) against a
//! fresh emulator on a real socket, and checks each live answer against what
//! the real service answers (`expect_status`, service-facts §1-5): the status,
//! CORS for the browser, and the body's shape where the recording's body is
//! the right one.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use imagekit_emulator::{Emulator, RunningEmulator};
use imagekit_transport::{Body, HttpClient, HyperClient};
use serde_json::Value;

/// The recording run's keys (the emulator's defaults).
const PRIVATE: &str = "private_emulator_key";
/// Stands in for the port of the page the browser SDK ran in.
const PAGE_PORT: &str = "8089";
const BOUNDARY: &str = "replayBoundary7MA4YWxkTrZu0gW";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn fixture(name: &str) -> Vec<Value> {
    let path = format!("{}/../../tests/fixtures/official-clients/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The placeholders learnt so far: name (without braces) to live value.
struct Vars(HashMap<String, String>);

impl Vars {
    fn fill(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (k, v) in &self.0 {
            out = out.replace(&format!("{{{{{k}}}}}"), v);
        }
        out
    }
}

/// The literal pieces of `template` around its `{{...}}` placeholders.
fn pieces(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else { break };
        out.push(&rest[..start]);
        rest = &rest[start + end + 2..];
    }
    out.push(rest);
    out
}

/// Whether `live` fits `template`: its literal pieces in order, anything
/// where a placeholder was.
fn fits(template: &str, live: &str) -> bool {
    let parts = pieces(template);
    if parts.len() == 1 {
        return template == live;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !live.starts_with(first) || !live[first.len()..].ends_with(last) || live.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &live[first.len()..live.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// Differences between the recorded body (placeholders filled where known,
/// wildcards where not) and the live one. `loose` compares only the keys of
/// objects: after a step the recording got wrong (a 404 where the service
/// updates the file), the values recorded later are no longer the service's.
fn shape_diff(vars: &Vars, recorded: &Value, live: &Value, at: &str, loose: bool, out: &mut Vec<String>) {
    match (recorded, live) {
        (Value::Array(r), Value::Array(l)) if loose => {
            for (i, (rv, lv)) in r.iter().zip(l).enumerate() {
                shape_diff(vars, rv, lv, &format!("{at}/{i}"), loose, out);
            }
        }
        (r, l) if loose && !(r.is_object() && l.is_object()) => {}
        (Value::String(r), Value::String(l)) => {
            if !fits(&vars.fill(r), l) {
                out.push(format!("{at}: recorded {r:?}, live {l:?}"));
            }
        }
        (Value::Object(r), Value::Object(l)) => {
            let rk: Vec<_> = r.keys().collect();
            let lk: Vec<_> = l.keys().collect();
            if rk != lk {
                out.push(format!("{at}: keys {rk:?} recorded, {lk:?} live"));
                return;
            }
            for (k, v) in r {
                shape_diff(vars, v, &l[k], &format!("{at}/{k}"), loose, out);
            }
        }
        (Value::Array(r), Value::Array(l)) => {
            if r.len() != l.len() {
                out.push(format!("{at}: {} items recorded, {} live", r.len(), l.len()));
                return;
            }
            for (i, (rv, lv)) in r.iter().zip(l).enumerate() {
                shape_diff(vars, rv, lv, &format!("{at}/{i}"), loose, out);
            }
        }
        (r, l) if r == l => {}
        (r, l) => out.push(format!("{at}: recorded {r}, live {l}")),
    }
}

fn hmac_sha1_hex(message: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(PRIVATE.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The multipart body of a record, rebuilt from its parts (the browser's
/// upload auth recomputed: a fresh token, expiry and signature).
fn multipart(vars: &Vars, parts: &[Value]) -> Vec<u8> {
    let expire = (now() + 600).to_string();
    let token = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    let signature = hmac_sha1_hex(&format!("{token}{expire}"));
    let mut body = Vec::new();
    for p in parts {
        let name = p["name"].as_str().unwrap();
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(f) = p.get("filename").and_then(Value::as_str) {
            body.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        if let Some(ct) = p.get("content_type").and_then(Value::as_str) {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        if let Some(v) = p.get("value").and_then(Value::as_str) {
            let v = if v.starts_with("{{token_") {
                token.clone()
            } else if v == "{{expire}}" {
                expire.clone()
            } else if v.starts_with("{{signature_") {
                signature.clone()
            } else {
                vars.fill(v)
            };
            body.extend_from_slice(v.as_bytes());
        } else {
            let bytes = p.get("file").or_else(|| p.get("binary")).and_then(|f| f["base64"].as_str()).unwrap();
            body.extend_from_slice(&STANDARD.decode(bytes).unwrap());
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The request target with ports filled and a signed URL's `ik-t`/`ik-s`
/// recomputed with the private key.
fn target(vars: &Vars, emulator: &RunningEmulator, record: &Value) -> String {
    let target = vars.fill(record["target"].as_str().unwrap());
    if !target.contains("{{ik-s}}") {
        return target;
    }
    let (path, _) = target.split_once('?').unwrap();
    let expiry = now() + 300;
    let signer = imagekit_url::PrivateKey::new(PRIVATE).unwrap();
    let url = format!("{}{path}", emulator.base_url());
    let sig = signer.url_signature(&url, emulator.url_endpoint(), expiry).unwrap();
    target.replace("{{ik-t}}", &expiry.to_string()).replace("{{ik-s}}", &sig)
}

/// Learn the placeholders this record introduces from the live body.
fn capture(vars: &mut Vars, record: &Value, live: &Value, problems: &mut Vec<String>) {
    let Some(captures) = record.get("captures").and_then(Value::as_object) else { return };
    for (name, how) in captures {
        let pointer = how["pointer"].as_str().unwrap();
        let recorded = record.pointer(pointer).and_then(Value::as_str).unwrap_or_default();
        let live_at = pointer.strip_prefix("/response/body").unwrap();
        let Some(got) = live.pointer(live_at).and_then(Value::as_str) else {
            problems.push(format!("capture {name}: nothing at {live_at} in {live}"));
            continue;
        };
        let template = vars.fill(recorded);
        let placeholder = format!("{{{{{name}}}}}");
        let (prefix, suffix) = template.split_once(&placeholder).unwrap_or(("", ""));
        match got.strip_prefix(prefix).and_then(|g| g.strip_suffix(suffix)) {
            Some(value) if !value.is_empty() => {
                vars.0.insert(name.clone(), value.to_owned());
            }
            _ => problems.push(format!("capture {name}: {got:?} does not fit {template:?}")),
        }
    }
}

/// Headers a replay does not copy: the client sets them for the live body
/// and connection.
const SKIP: [&str; 5] = ["host", "content-length", "connection", "content-type", "authorization"];

/// Replay one fixture; every mismatch, one line each.
async fn replay(file: &str) -> Vec<String> {
    let records = fixture(file);
    assert!(!records.is_empty(), "{file} has no records");
    let emulator = Emulator::builder().start().await.unwrap();
    let client = HyperClient::new().unwrap();
    let port = emulator.addr().port().to_string();
    let mut vars = Vars(HashMap::from([
        ("emulator_port".to_owned(), port.clone()),
        ("proxy_port".to_owned(), port),
        ("page_port".to_owned(), PAGE_PORT.to_owned()),
    ]));
    let mut problems = Vec::new();
    let mut diverged = false;
    for record in &records {
        let seq = &record["seq"];
        let step = record["step"].as_str().unwrap();
        let method = record["method"].as_str().unwrap();
        let mut req = http::Request::builder().method(method).uri(format!(
            "{}{}",
            emulator.base_url(),
            target(&vars, &emulator, record)
        ));
        let headers = record["headers"].as_object().unwrap();
        for (k, v) in headers {
            if !SKIP.contains(&k.as_str())
                && let Some(v) = v.as_str()
            {
                req = req.header(k.as_str(), vars.fill(v));
            }
        }
        if headers.contains_key("authorization") {
            req = req.header("authorization", format!("Basic {}", STANDARD.encode(format!("{PRIVATE}:"))));
        }
        let body = match record["body_kind"].as_str().unwrap() {
            "empty" => Vec::new(),
            "json" => {
                req = req.header("content-type", "application/json");
                vars.fill(record["raw_body"].as_str().unwrap()).into_bytes()
            }
            "multipart" => {
                req = req.header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
                multipart(&vars, record["body"]["multipart/form-data"].as_array().unwrap())
            }
            other => panic!("{file} #{seq}: no replay for a {other} body"),
        };
        let resp = client.send(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = resp.status().as_u16();
        let live_headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap();
        let what = format!("{file} #{seq} {step} ({method} {})", record["path"].as_str().unwrap());

        let expect: Vec<u64> = record["expect_status"].as_array().unwrap().iter().filter_map(Value::as_u64).collect();
        if !expect.contains(&u64::from(status)) {
            problems.push(format!(
                "{what}: status {status}, the service answers {expect:?}: {}",
                String::from_utf8_lossy(&bytes)
            ));
            continue;
        }

        // The browser reads every answer cross-origin (service-facts §3).
        if headers.contains_key("origin") || record["client"] == "browser" {
            let acao = live_headers.get("access-control-allow-origin").and_then(|v| v.to_str().ok());
            let origin = vars.fill(headers.get("origin").and_then(Value::as_str).unwrap_or("*"));
            if !matches!(acao, Some(a) if a == "*" || a == origin) {
                problems.push(format!("{what}: access-control-allow-origin {acao:?}"));
            }
            if method == "OPTIONS" {
                let methods = live_headers.get("access-control-allow-methods").and_then(|v| v.to_str().ok());
                if !methods.is_some_and(|m| m.split(',').any(|m| m.trim() == "POST")) {
                    problems.push(format!("{what}: access-control-allow-methods {methods:?}"));
                }
            }
        }

        let recorded = &record["response"];
        let recorded_status = recorded["status"].as_u64().unwrap();
        let was_diverged = diverged;
        // A change the recording's emulator refused and the service makes:
        // later recorded values may differ from the service's.
        if !expect.contains(&recorded_status) && method != "GET" {
            diverged = true;
        }
        let diverged = was_diverged;
        if status == 204 {
            if !bytes.is_empty() {
                problems.push(format!("{what}: 204 with a body {:?}", String::from_utf8_lossy(&bytes)));
            }
            continue;
        }
        match recorded["body_kind"].as_str().unwrap() {
            "json" => {
                let live: Value = match serde_json::from_slice(&bytes) {
                    Ok(v) => v,
                    Err(e) => {
                        problems.push(format!("{what}: body is not JSON ({e})"));
                        continue;
                    }
                };
                // The recorded body is the service's when the recorded
                // status was (a success status like) the service's.
                let same_kind = recorded_status == u64::from(status)
                    || ((200..300).contains(&recorded_status) && (200..300).contains(&status));
                if same_kind {
                    let mut diffs = Vec::new();
                    shape_diff(&vars, &recorded["body"], &live, "", diverged, &mut diffs);
                    if !diffs.is_empty() {
                        problems.push(format!("{what}: body differs: {}", diffs.join("; ")));
                    }
                }
                capture(&mut vars, record, &live, &mut problems);
            }
            "binary" => {
                let len = recorded["body"]["binary"]["len"].as_u64().unwrap();
                let want = recorded["body"]["binary"]["base64"].as_str().unwrap();
                if bytes.len() as u64 != len || STANDARD.encode(&bytes) != want {
                    problems.push(format!("{what}: delivered {} bytes, not the recorded {len}", bytes.len()));
                }
            }
            _ => {}
        }
    }
    emulator.shutdown().await;
    problems
}

fn report(file: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{file}: {} mismatches:\n{}", problems.len(), problems.join("\n"));
}

#[tokio::test]
async fn legacy_python_sdk_4_2_0() {
    let file = "python-legacy.jsonl";
    report(file, &replay(file).await);
}

#[tokio::test]
async fn legacy_node_sdk_6_0_0() {
    let file = "node-legacy.jsonl";
    report(file, &replay(file).await);
}

#[tokio::test]
async fn browser_sdk_5_5_1() {
    let file = "browser.jsonl";
    report(file, &replay(file).await);
}

#[test]
fn templates_fit_only_their_literal_pieces() {
    assert!(fits("{{fileId_1}}", "abc"));
    assert!(fits("http://h/{{unique_1}}.png", "http://h/x_Ab1.png"));
    assert!(!fits("http://h/{{unique_1}}.png", "http://h/x_Ab1.jpg"));
    assert!(fits("a{{x}}b{{y}}c", "a1b2c"));
    assert!(!fits("a{{x}}b{{y}}c", "ac"));
    assert!(!fits("plain", "other"));
}
