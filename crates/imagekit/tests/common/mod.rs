//! Shared support for the SDK's tests: the Node SDK's wire records, a client on
//! a recording transport, and a multipart parser for what the client sent.

#![allow(dead_code)]

use std::path::PathBuf;

use imagekit::Client;
use imagekit_transport::test_util::{RecordedRequest, RecordingTransport};
use serde_json::Value;

/// The private key of the recorded sessions (its Basic header is in every record).
pub const PRIVATE_KEY: &str = "private_test_key";
pub const PUBLIC_KEY: &str = "public_test_key";
pub const BASE_URL: &str = "http://127.0.0.1:32769";

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel)
}

pub fn records() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("wire/records-nodejs.jsonl")).unwrap();
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A client on a fresh recording transport, pointed at the capture server's
/// address like the recorded Node client.
pub fn recording_client(transport: &RecordingTransport) -> Client {
    Client::builder()
        .private_key(PRIVATE_KEY)
        .public_key(PUBLIC_KEY)
        .url_endpoint("https://ik.imagekit.io/demo")
        .base_url(BASE_URL)
        .http_client(transport.clone())
        .build()
        .unwrap()
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// Split a `multipart/form-data` body sent by the client.
pub fn parse_multipart(req: &RecordedRequest) -> Vec<Part> {
    let ct = req.header("content-type").expect("content-type");
    let boundary = ct.split("boundary=").nth(1).expect("boundary").to_owned();
    let delim = format!("--{boundary}");
    let body = &req.body[..];
    let mut parts = Vec::new();
    let positions: Vec<usize> = find_all(body, delim.as_bytes());
    assert!(!positions.is_empty(), "no boundary in body");
    for w in positions.windows(2) {
        let chunk = &body[w[0] + delim.len()..w[1]];
        let chunk = chunk.strip_prefix(b"\r\n").expect("CRLF after boundary");
        let chunk = chunk.strip_suffix(b"\r\n").expect("CRLF before boundary");
        let split = find_all(chunk, b"\r\n\r\n")[0];
        let head = std::str::from_utf8(&chunk[..split]).unwrap();
        let data = chunk[split + 4..].to_vec();
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            if let Some(rest) = line.strip_prefix("Content-Disposition: form-data; ") {
                for attr in rest.split("; ") {
                    if let Some(v) = attr.strip_prefix("name=") {
                        name = Some(v.trim_matches('"').to_owned());
                    } else if let Some(v) = attr.strip_prefix("filename=") {
                        filename = Some(v.trim_matches('"').to_owned());
                    }
                }
            } else if let Some(v) = line.strip_prefix("Content-Type: ") {
                content_type = Some(v.to_owned());
            }
        }
        parts.push(Part { name: name.expect("part name"), filename, content_type, data });
    }
    let last = *positions.last().unwrap();
    assert_eq!(&body[last + delim.len()..], b"--\r\n", "closing delimiter");
    parts
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect()
}

/// Decoded query pairs of a recorded request, sorted.
pub fn query_pairs(uri: &http::Uri) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
}
