//! The Rust SDK for the ImageKit.io media API.
//!
//! It composes [`imagekit_types`] (wire models), [`imagekit_url`] (URL building and
//! signing) and [`imagekit_transport`] (HTTP) into the client users call.

pub use imagekit_transport as transport;
pub use imagekit_types as types;
pub use imagekit_url as url;
