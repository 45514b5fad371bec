//! Properties over the emulator's upload parser, a surface of the fuzz
//! targets in `fuzz/`: arbitrary input never panics and always gets an answer.
//! (The search query properties are unit tests in `src/api/search/properties.rs`.)

use base64::Engine as _;
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, Emulator};
use imagekit_transport::{Body, HttpClient};
use proptest::prelude::*;

/// Multipart-ish bodies: real delimiters and headers mixed with noise.
fn multipart_body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"--XyZ\r\n".to_vec()),
        Just(b"--XyZ--\r\n".to_vec()),
        Just(b"Content-Disposition: form-data; name=\"fileName\"\r\n\r\n".to_vec()),
        Just(b"Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n".to_vec()),
        Just(b"Content-Disposition: form-data; name=\"tags\"\r\n\r\n".to_vec()),
        Just(b"Content-Type: image/png\r\n\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        prop::collection::vec(any::<u8>(), 0..32),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

#[test]
fn arbitrary_upload_bodies_always_get_an_answer() {
    let emu = Emulator::builder().in_process("http://prop.local").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 300, ..ProptestConfig::default() });
    runner
        .run(&multipart_body(), |body| {
            let req = http::Request::post("http://prop.local/api/v1/files/upload")
                .header("authorization", auth.as_str())
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .body(Body::from(body))
                .unwrap();
            let resp = rt.block_on(emu.send(req)).expect("the in-process emulator always answers");
            let status = resp.status().as_u16();
            prop_assert!(status == 200 || (400..500).contains(&status), "status {status}");
            Ok(())
        })
        .unwrap();
}

/// The same path as the `search_query` fuzz target: any text as `searchQuery`
/// gets a listing or a 400, never a panic or a 500.
#[test]
fn arbitrary_search_queries_over_http_get_a_listing_or_a_400() {
    let emu = Emulator::builder().in_process("http://prop.local").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 300, ..ProptestConfig::default() });
    runner
        .run(&"\\PC{0,48}", |text| {
            let encoded: String = text.bytes().map(|b| format!("%{b:02X}")).collect();
            let req = http::Request::get(format!("http://prop.local/v1/files?searchQuery={encoded}"))
                .header("authorization", auth.as_str())
                .body(Body::empty())
                .unwrap();
            let resp = rt.block_on(emu.send(req)).expect("the in-process emulator always answers");
            let status = resp.status().as_u16();
            prop_assert!(status == 200 || status == 400, "{text:?}: status {status}");
            Ok(())
        })
        .unwrap();
}
