//! One module per API resource, named as the official SDKs name them.

pub mod assets;
pub mod beta;
pub mod files;
