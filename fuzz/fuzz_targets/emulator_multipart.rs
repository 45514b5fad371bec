//! The emulator's upload endpoint (multipart parsing, field validation) from an
//! arbitrary body: it always answers with a status, never panics.
#![no_main]

use std::sync::OnceLock;

use base64::Engine as _;
use imagekit_emulator::{DEFAULT_PRIVATE_KEY, Emulator, InProcess};
use imagekit_transport::{Body, HttpClient};
use libfuzzer_sys::fuzz_target;

fn emulator() -> &'static InProcess {
    static EMU: OnceLock<InProcess> = OnceLock::new();
    EMU.get_or_init(|| Emulator::builder().in_process("http://fuzz.local").expect("emulator"))
}

fuzz_target!(|data: &[u8]| {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let req = http::Request::post("http://fuzz.local/api/v1/files/upload")
        .header("authorization", auth)
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(Body::from(data.to_vec()))
        .expect("request");
    let resp = rt.block_on(emulator().send(req)).expect("the in-process emulator always answers");
    assert!(resp.status().as_u16() < 600);
});
