//! Workspace-level integration tests for imagekit-rs live in `tests/tests/`.
//! This library is empty on purpose: the crate exists to hold tests that span
//! several workspace crates.
