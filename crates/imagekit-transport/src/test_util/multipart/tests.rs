//! The multipart rendering, through `RecordedRequest`'s text and JSON forms.
//! Expected hashes are `sha256sum` output, cut to 16 hex digits.

use bytes::Bytes;
use serde_json::json;

use crate::test_util::{RecordedRequest, RenderOptions};

/// A part as written on the wire: its header lines and its bytes.
struct Raw<'a> {
    headers: &'a [&'a str],
    data: &'a [u8],
}

fn form_body(boundary: &str, parts: &[Raw<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        for line in part.headers {
            body.extend_from_slice(format!("{line}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(part.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

fn recorded(content_type: &str, body: Vec<u8>) -> RecordedRequest {
    let (parts, ()) = http::Request::post("https://upload.imagekit.io/api/v1/files/upload")
        .header("content-type", content_type)
        .header("user-agent", "ImageKit/Rust 9.9.9")
        .body(())
        .expect("valid request")
        .into_parts();
    RecordedRequest::from_parts(parts, Bytes::from(body))
}

fn upload(boundary: &str, parts: &[Raw<'_>]) -> RecordedRequest {
    recorded(&format!("multipart/form-data; boundary={boundary}"), form_body(boundary, parts))
}

const FILE: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];

fn typical(boundary: &str) -> RecordedRequest {
    upload(
        boundary,
        &[
            Raw {
                headers: &[
                    r#"Content-Disposition: form-data; name="file"; filename="shoe.jpg""#,
                    "Content-Type: image/jpeg",
                ],
                data: FILE,
            },
            Raw { headers: &[r#"Content-Disposition: form-data; name="fileName""#], data: b"shoe.jpg" },
            Raw { headers: &[r#"Content-Disposition: form-data; name="tags""#], data: b"sale,summer" },
        ],
    )
}

#[test]
fn a_form_renders_as_its_parts_with_the_boundary_as_a_placeholder() {
    let request = typical("----imagekit-rs-0123456789abcdef");
    assert_eq!(
        request.to_string(),
        "POST https://upload.imagekit.io/api/v1/files/upload\n\
         content-type: multipart/form-data; boundary=[boundary]\n\
         user-agent: [redacted]\n\
         \n\
         multipart/form-data: 3 parts\n\
         part 1: name=\"file\" filename=\"shoe.jpg\" content-type=\"image/jpeg\"\n  \
           file: 6 bytes, sha256 fc16d7dcee9cae83\n\
         part 2: name=\"fileName\"\n  \
           value: shoe.jpg\n\
         part 3: name=\"tags\"\n  \
           value: sale,summer\n"
    );
    assert!(!request.to_string().contains("0123456789abcdef"));
    assert_eq!(
        request.to_json(),
        json!({
            "method": "POST",
            "uri": "https://upload.imagekit.io/api/v1/files/upload",
            "headers": {
                "content-type": "multipart/form-data; boundary=[boundary]",
                "user-agent": "[redacted]",
            },
            "body": {
                "multipart/form-data": [
                    {
                        "name": "file",
                        "filename": "shoe.jpg",
                        "content_type": "image/jpeg",
                        "file": { "len": 6, "sha256": "fc16d7dcee9cae83" },
                    },
                    { "name": "fileName", "value": "shoe.jpg" },
                    { "name": "tags", "value": "sale,summer" },
                ]
            }
        })
    );
}

#[test]
fn two_different_boundaries_render_the_same() {
    let a = typical("----imagekit-rs-0123456789abcdef");
    let b = typical("X-short");
    assert_ne!(a.body, b.body);
    assert_eq!(a.to_string(), b.to_string());
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    // A quoted boundary is a boundary too.
    let quoted = recorded(
        "multipart/form-data; boundary=\"q b\"",
        form_body("q b", &[Raw { headers: &[r#"Content-Disposition: form-data; name="tags""#], data: b"sale,summer" }]),
    );
    assert!(quoted.to_string().contains("boundary=[boundary]\n"), "{quoted}");
    assert!(quoted.to_string().ends_with("part 1: name=\"tags\"\n  value: sale,summer\n"), "{quoted}");
}

#[test]
fn nested_quotes_in_names_are_unescaped_then_shown_escaped() {
    let request = upload(
        "b0",
        &[Raw {
            headers: &[r#"Content-Disposition: form-data; name="file"; filename="say \"cheese\".jpg""#],
            data: b"GIF89a\x00\xff",
        }],
    );
    let text = request.to_string();
    assert!(
        text.ends_with(
            "part 1: name=\"file\" filename=\"say \\\"cheese\\\".jpg\"\n  file: 8 bytes, sha256 d4413b8f2c434b93\n"
        ),
        "{text}"
    );
    let part = &request.to_json()["body"]["multipart/form-data"][0];
    assert_eq!(part["filename"], "say \"cheese\".jpg");
    // Percent-encoded quotes (what browsers and undici send) stay as sent.
    let request = upload(
        "b0",
        &[Raw {
            headers: &[r#"Content-Disposition: form-data; name="file"; filename="say %22cheese%22.jpg""#],
            data: b"x",
        }],
    );
    assert_eq!(request.to_json()["body"]["multipart/form-data"][0]["filename"], "say %22cheese%22.jpg");
}

#[test]
fn a_part_without_content_type_shows_none() {
    let request = upload(
        "b0",
        &[Raw {
            headers: &[r#"Content-Disposition: form-data; name="blob"; filename="blob.bin""#],
            data: b"\x00\x01\x02",
        }],
    );
    assert!(request.to_string().ends_with(
        "multipart/form-data: 1 part\npart 1: name=\"blob\" filename=\"blob.bin\"\n  file: 3 bytes, sha256 ae4b3280e56e2faf\n"
    ));
    assert_eq!(
        request.to_json()["body"],
        json!({ "multipart/form-data": [
            { "name": "blob", "filename": "blob.bin", "file": { "len": 3, "sha256": "ae4b3280e56e2faf" } }
        ]})
    );
}

#[test]
fn crlf_inside_a_text_value_stays_visible() {
    let request = upload(
        "b0",
        &[
            Raw { headers: &[r#"Content-Disposition: form-data; name="description""#], data: b"line 1\r\nline 2\n" },
            Raw { headers: &[r#"Content-Disposition: form-data; name="empty""#], data: b"" },
        ],
    );
    let text = request.to_string();
    assert!(
        text.ends_with(
            "part 1: name=\"description\"\n  value (escaped): \"line 1\\r\\nline 2\\n\"\n\
             part 2: name=\"empty\"\n  value (escaped): \"\"\n"
        ),
        "{text}"
    );
    let parts = &request.to_json()["body"]["multipart/form-data"];
    assert_eq!(parts[0]["value"], "line 1\r\nline 2\n");
    assert_eq!(parts[1]["value"], "");
}

#[test]
fn an_empty_file_has_the_empty_hash() {
    let request = upload(
        "b0",
        &[Raw {
            headers: &[
                r#"Content-Disposition: form-data; name="file"; filename="empty.txt""#,
                "Content-Type: text/plain",
            ],
            data: b"",
        }],
    );
    assert!(request.to_string().ends_with(
        "part 1: name=\"file\" filename=\"empty.txt\" content-type=\"text/plain\"\n  file: 0 bytes, sha256 e3b0c44298fc1c14\n"
    ));
    assert_eq!(
        request.to_json()["body"]["multipart/form-data"][0]["file"],
        json!({ "len": 0, "sha256": "e3b0c44298fc1c14" })
    );
}

#[test]
fn binary_text_parts_other_headers_preamble_and_epilogue_are_shown() {
    let mut body = b"junk before".to_vec();
    body.extend(form_body(
        "b0",
        &[Raw { headers: &[r#"Content-Disposition: form-data; name="raw""#, "X-Extra: 1"], data: b"\xff\xfe\x00" }],
    ));
    body.extend_from_slice(b"junk before");
    let request = recorded("multipart/form-data; boundary=b0", body);
    assert!(
        request.to_string().ends_with(
            "multipart/form-data: 1 part\n\
             preamble: 11 bytes, sha256 182754dd426f9c72\n\
             part 1: name=\"raw\"\n  x-extra: 1\n  binary: 3 bytes, sha256 ba778c0261008c8f\n\
             epilogue: 11 bytes, sha256 182754dd426f9c72\n"
        ),
        "{request}"
    );
    assert_eq!(
        request.to_json()["body"],
        json!({
            "multipart/form-data": [
                { "name": "raw", "headers": { "x-extra": "1" }, "binary": { "len": 3, "sha256": "ba778c0261008c8f" } }
            ],
            "preamble": { "len": 11, "sha256": "182754dd426f9c72" },
            "epilogue": { "len": 11, "sha256": "182754dd426f9c72" },
        })
    );
}

#[test]
fn a_malformed_body_is_a_note_not_a_panic() {
    let whole = form_body("b0", &[Raw { headers: &[r#"Content-Disposition: form-data; name="tags""#], data: b"a,b" }]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // Cut before the closing delimiter.
        ("multipart/form-data; boundary=b0", whole[..whole.len() - 8].to_vec()),
        // Headers never end.
        ("multipart/form-data; boundary=b0", b"--b0\r\nContent-Disposition: form-data; name=\"x\"".to_vec()),
        // No boundary parameter.
        ("multipart/form-data", whole.clone()),
        // Not the announced boundary, and not UTF-8.
        ("multipart/form-data; boundary=zz", vec![0xff, 0xfe, 0x00]),
    ];
    for (content_type, body) in cases {
        let request = recorded(content_type, body.clone());
        let text = request.to_string();
        let note = text.lines().find(|l| l.starts_with("<multipart body that does not parse (")).unwrap_or_else(|| {
            panic!("no note for {content_type:?} {body:?}:\n{text}");
        });
        assert!(note.ends_with(&format!("): {} bytes, sha256 {}>", body.len(), super::sha256_prefix(&body))), "{note}");
        let json = request.to_json();
        let unparsed = &json["body"]["unparsed_multipart"];
        assert!(unparsed["error"].as_str().is_some_and(|e| !e.is_empty()), "{json}");
        assert_eq!(unparsed["len"], body.len());
        assert_eq!(unparsed["text"].as_str().map(str::as_bytes), std::str::from_utf8(&body).ok().map(str::as_bytes));
    }
}

#[test]
fn redaction_and_the_placeholder_follow_the_render_options() {
    let request = typical("----imagekit-rs-0123456789abcdef");
    let kept = request.with_render_options(RenderOptions::new().keep_header("user-agent"));
    assert!(kept.to_string().contains("\nuser-agent: ImageKit/Rust 9.9.9\n"));
    let redacted = request.with_render_options(RenderOptions::new().redact_header("content-type"));
    assert!(redacted.to_string().contains("\ncontent-type: [redacted]\n"));
    // The body is still rendered as parts: parsing reads the real header.
    assert!(redacted.to_string().contains("\nmultipart/form-data: 3 parts\n"));
    assert_eq!(request, redacted, "equality ignores render options");
}
