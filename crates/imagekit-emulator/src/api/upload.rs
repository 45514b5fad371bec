//! TODO(emulator): being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{ApiError, ApiResult, Req};

/// Not written yet.
pub async fn v1(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}

/// Not written yet.
pub async fn v2(state: &State, req: &Req) -> ApiResult {
    Err(ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet"))
}
