//! The API handlers, one module per resource.

pub mod assets;
pub mod bulk;
pub mod cache;
pub mod cmf;
pub mod docs;
pub mod files;
pub mod folders;
pub mod metadata;
pub mod search;
pub mod upload;
pub mod versions;
