//! One module per command family.

pub mod api;
pub mod emulator;
pub mod fields;
pub mod files;
pub mod folders;
pub mod ls;
pub mod purge;
pub mod sync;
pub mod upload;
pub mod url;
pub mod webhook;
