//! URL building from arbitrary options: any case line (`buildSrc`,
//! `buildTransformationString`, auth parameters, pHash, responsive attributes)
//! answers without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        let _ = imagekit_url::cases::respond_line(line);
    }
});
