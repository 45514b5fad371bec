//! One module per API resource, named as the official SDKs name them.

pub mod accounts;
pub mod assets;
pub mod beta;
pub mod bulk;
pub mod cache;
mod crud;
pub mod custom_metadata_fields;
pub mod files;
pub mod folders;
pub mod metadata;
pub mod named_transformations;
pub mod saved_extensions;
mod uploads;
pub mod versions;
pub mod wait;
