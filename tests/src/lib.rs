//! Workspace-level integration tests for imagekit-rs live in `tests/tests/`.
//!
//! The README's Rust examples are compiled and run as this crate's doc tests, so
//! the README cannot drift from the code.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
