//! Tests through the HTTP surface that seed the store directly (files with
//! chosen dates, versions and bytes): they need the crate's private store and
//! model types, so they live inside the crate. The emulator's other HTTP
//! tests are in `tests/`.

mod delivery;
mod library;
