//! TODO(emulator): delivery, being written.

#![allow(unused_variables)]

use crate::state::State;
use crate::web::{ApiError, Req, Resp};

/// Serve a delivery URL.
pub async fn serve(state: &State, req: &Req) -> Resp {
    ApiError::new(http::StatusCode::NOT_IMPLEMENTED, "not implemented yet").into_resp()
}
