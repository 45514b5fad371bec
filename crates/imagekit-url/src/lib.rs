//! Pure ImageKit.io URL building: delivery URLs, transformation strings, overlays,
//! signed URLs, client-side upload authentication parameters, responsive image
//! attributes and pHash distance.
//!
//! This crate does no I/O, reads no clock unless the `std` feature asks it to, and
//! speaks no HTTP. It builds with `#![no_std]` + `alloc` when default features are off.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
