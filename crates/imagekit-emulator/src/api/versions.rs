//! TODO(emulator): being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{ApiError, ApiResult};

/// Not written yet.
pub fn list(state: &State, file_id: &str) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn get(state: &State, file_id: &str, version_id: &str) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn delete(state: &State, file_id: &str, version_id: &str) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn restore(state: &State, file_id: &str, version_id: &str) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}
