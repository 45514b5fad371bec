//! The emulator's `searchQuery` parser from arbitrary text, through its public
//! surface (`GET /v1/files?searchQuery=`, in-process): a listing or a 400,
//! never a panic or a stack overflow.
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
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Every byte percent-encoded: the query reaches the parser exactly as fuzzed.
    let encoded: String = text.bytes().map(|b| format!("%{b:02X}")).collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_PRIVATE_KEY}:")));
    let req = http::Request::get(format!("http://fuzz.local/v1/files?searchQuery={encoded}"))
        .header("authorization", auth)
        .body(Body::empty())
        .expect("request");
    let resp = rt.block_on(emulator().send(req)).expect("the in-process emulator always answers");
    assert!(matches!(resp.status().as_u16(), 200 | 400), "status {}", resp.status());
});
