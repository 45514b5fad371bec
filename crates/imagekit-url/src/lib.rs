#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;

mod auth;
mod build;
mod error;
mod phash;
mod responsive;
#[cfg(feature = "serde")]
mod serde_impl;

#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod cases;
mod sign;
mod strict;
mod transform;
mod url;
mod value;
mod whatwg;

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use auth::get_authentication_parameters;
pub use auth::{AuthParams, DEFAULT_AUTH_EXPIRY_SECS, authentication_parameters};
pub use build::{TransformationPosition, UrlOptions};
pub use error::{PHashError, StrictError, StrictErrorKind, UrlError};
pub use phash::phash_distance;
pub use responsive::{
    DEFAULT_DEVICE_BREAKPOINTS, DEFAULT_IMAGE_BREAKPOINTS, ResponsiveImageAttributes, ResponsiveOptions,
    get_responsive_image_attributes,
};
pub use sign::{DEFAULT_TIMESTAMP, PrivateKey};
pub use strict::validate_transformations;
pub use transform::{Overlay, OverlayEncoding, OverlayKind, Transformation, build_transformation_string, url_key};
pub use url::build_url;
pub use value::Value;
