//! Webhook verification from arbitrary headers and bodies: never panics, and a
//! body signed with the secret always verifies.
#![no_main]

use imagekit::Webhooks;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Three header values and a body, split on the first three 0xFF bytes.
    let mut parts = data.splitn(4, |b| *b == 0xFF);
    let id = parts.next().unwrap_or_default();
    let ts = parts.next().unwrap_or_default();
    let sig = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let hooks = Webhooks::new("whsec_fuzz_secret");
    let mut headers = http::HeaderMap::new();
    for (name, value) in [("webhook-id", id), ("webhook-timestamp", ts), ("webhook-signature", sig)] {
        if let Ok(v) = http::HeaderValue::from_bytes(value) {
            headers.insert(name, v);
        }
    }
    let _ = hooks.verify_and_parse_at(body, &headers, 1_700_000_000);
    if let Ok(text) = std::str::from_utf8(sig) {
        let _ = hooks.verify_legacy(body, text);
    }
    // Round trip: what we sign, we verify.
    if let Ok(id) = std::str::from_utf8(id)
        && !id.is_empty()
        && http::HeaderValue::from_str(id).is_ok()
        && let Ok(signature) = hooks.sign(id, 1_700_000_000, body)
    {
        let mut h = http::HeaderMap::new();
        h.insert("webhook-id", http::HeaderValue::from_str(id).unwrap());
        h.insert("webhook-timestamp", http::HeaderValue::from_static("1700000000"));
        h.insert("webhook-signature", http::HeaderValue::from_str(&signature).unwrap());
        assert!(hooks.verify_at(body, &h, 1_700_000_000).is_ok());
    }
});
