//! TODO(emulator): being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{ApiError, ApiResult, Req};

/// Not written yet.
pub fn delete(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn add_tags(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn remove_tags(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn remove_ai_tags(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}
