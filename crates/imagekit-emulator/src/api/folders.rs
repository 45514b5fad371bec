//! TODO(emulator): being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{ApiError, ApiResult, Req};

/// Not written yet.
pub fn create(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn delete(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn copy(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn move_folder(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn rename(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub fn job(state: &State, job_id: &str) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}
