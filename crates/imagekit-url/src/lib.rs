//! Pure ImageKit.io URL building: delivery URLs, transformation strings, overlays,
//! signed URLs, client-side upload authentication parameters, responsive image
//! attributes and pHash distance.
//!
//! The output is byte-identical to the official `@imagekit/nodejs` 7.x helper
//! (`helper.buildSrc`, `buildTransformationString`, `getAuthenticationParameters`),
//! including its quirks: transformation values are never URL-encoded, parameters keep
//! insertion order, and the path is percent-encoded as the WHATWG URL parser does.
//!
//! This crate does no I/O, reads no clock unless the `std` feature asks it to, and
//! speaks no HTTP. It builds with `#![no_std]` + `alloc` when default features are off.
//!
//! ```
//! use imagekit_url::{build_url, Overlay, PrivateKey, Transformation, TransformationPosition, UrlOptions};
//!
//! let key = PrivateKey::new("private_key_test")?;
//! let url = UrlOptions::new("/default-image.jpg")
//!     .url_endpoint("https://ik.imagekit.io/demo")
//!     .transformation(Transformation::new().width(400).height(300).crop("maintain_ratio"))
//!     .transformation(Transformation::new().overlay(Overlay::text("Hello").x(10)))
//!     .position(TransformationPosition::Path)
//!     .signed(&key)
//!     .expires_in(300, 1_700_000_000)
//!     .build()?;
//! assert!(url.starts_with(
//!     "https://ik.imagekit.io/demo/tr:w-400,h-300,c-maintain_ratio:l-text,i-Hello,lx-10,l-end/default-image.jpg?ik-t=1700000300&ik-s="
//! ));
//! # Ok::<(), imagekit_url::UrlError>(())
//! ```
//!
//! Features: `std` (default) adds the system clock and random v4 upload tokens;
//! `serde` lets the options types deserialize from the official SDK's camelCase JSON, and
//! adds [`cases`], the official helpers' conformance case format.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod auth;
mod build;
mod error;
mod overlay;
mod phash;
mod responsive;
#[cfg(feature = "serde")]
mod serde_impl;

#[cfg(feature = "serde")]
pub mod cases;
mod sign;
mod transform;
mod value;
mod whatwg;

#[cfg(feature = "std")]
pub use auth::get_authentication_parameters;
pub use auth::{AuthParams, DEFAULT_AUTH_EXPIRY_SECS, authentication_parameters};
pub use build::{TransformationPosition, UrlOptions, build_url};
pub use error::{PHashError, UrlError};
pub use overlay::{Overlay, OverlayEncoding, OverlayKind};
pub use phash::phash_distance;
pub use responsive::{
    DEFAULT_DEVICE_BREAKPOINTS, DEFAULT_IMAGE_BREAKPOINTS, ResponsiveImageAttributes, ResponsiveOptions,
    get_responsive_image_attributes,
};
pub use sign::{DEFAULT_TIMESTAMP, PrivateKey};
pub use transform::{Transformation, build_transformation_string, url_key};
pub use value::Value;
