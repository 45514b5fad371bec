//! The emulator's `searchQuery` parser from arbitrary text: a query or a 400,
//! never a panic or a stack overflow.
#![no_main]

use imagekit_emulator::api::search::Query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Query::parse(text, 1_700_000_000_000);
    }
});
