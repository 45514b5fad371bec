//! What goes into the upload form's part headers cannot break its framing: a
//! content type that is not a printable media type is refused before sending,
//! and file names are escaped so the body on the wire parses back whole.

mod common;

use common::*;
use imagekit::types::UploadParams;
use imagekit::{Error, UploadFile};
use imagekit_transport::test_util::{MockResponse, RecordingTransport};
use serde_json::json;

#[tokio::test]
async fn a_content_type_that_is_not_a_printable_media_type_is_refused() {
    let t = RecordingTransport::new();
    let client = recording_client(&t);
    for bad in
        ["image/png\r\nX-Evil: 1", "image/png\n", "image/\0png", "png", "/png", "image/", "image /png", "imäge/png"]
    {
        let file = UploadFile::bytes(b"data".to_vec()).content_type(bad);
        let err = client.files().upload(file, UploadParams::new("a.png")).await.unwrap_err();
        let Error::InvalidInput(message) = err else { panic!("{bad:?}: expected InvalidInput, got {err:?}") };
        assert!(message.contains(&format!("{bad:?}")), "the value is not named: {message}");
    }
    assert_eq!(t.request_count(), 0, "a request was sent");
}

#[tokio::test]
async fn media_types_with_parameters_go_out_as_given() {
    let t = RecordingTransport::new();
    t.respond(MockResponse::new(200).json(&json!({})));
    let client = recording_client(&t);
    let file = UploadFile::bytes(b"hello".to_vec()).content_type("text/plain; charset=utf-8").file_name("a.txt");
    client.files().upload(file, UploadParams::new("a.txt")).await.unwrap();
    let parts = parse_multipart(&t.last_request().unwrap());
    assert_eq!(parts[0].content_type.as_deref(), Some("text/plain; charset=utf-8"));
    assert_eq!(parts[0].data, b"hello");
}

#[tokio::test]
async fn hostile_file_names_keep_the_body_well_formed() {
    let t = RecordingTransport::new();
    let client = recording_client(&t);
    let names = [
        ("a\"b.png", "a%22b.png"),
        ("line\r\nContent-Type: text/html\r\n\r\nx.png", "line%0D%0AContent-Type: text/html%0D%0A%0D%0Ax.png"),
        ("nul\0bell\x07.png", "nul%00bell%07.png"),
        ("café.png", "café.png"),
    ];
    for (name, on_wire) in names {
        t.respond(MockResponse::new(200).json(&json!({})));
        let file = UploadFile::bytes(b"PNGDATA".to_vec()).file_name(name).content_type("image/png");
        client.files().upload(file, UploadParams::new("upload.png").tags(["a", "b"])).await.unwrap();
        let req = t.last_request().unwrap();
        let parts = parse_multipart(&req);
        let file_part = &parts[0];
        assert_eq!(file_part.name, "file");
        assert_eq!(file_part.filename.as_deref(), Some(on_wire), "{name:?}");
        assert_eq!(file_part.content_type.as_deref(), Some("image/png"));
        assert_eq!(file_part.data, b"PNGDATA");
        let fields: Vec<(&str, &[u8])> = parts[1..].iter().map(|p| (p.name.as_str(), &p.data[..])).collect();
        assert!(fields.contains(&("fileName", &b"upload.png"[..])), "{fields:?}");
        assert!(fields.contains(&("tags", &b"a,b"[..])), "{fields:?}");
        // Every header line of the form is one of the three the SDK writes.
        let body = String::from_utf8_lossy(&req.body);
        for line in body.split("\r\n").filter(|l| l.contains(": ") && !l.starts_with("--")) {
            assert!(
                line.starts_with("Content-Disposition: form-data; name=\"") || line == "Content-Type: image/png",
                "{name:?}: an injected line: {line:?}"
            );
        }
    }
}
