//! Server-side authentication: HTTP Basic with the private key as the user
//! name (any password), as ImageKit checks it.

use base64::Engine as _;
use http::StatusCode;

use crate::state::State;
use crate::web::{ApiError, Req};

/// The message ImageKit answers a missing or wrong key with.
pub const NO_KEY: &str = "Your request does not contain private API key.";

/// Check `Authorization: Basic base64(private_key:anything)`.
pub fn check_basic(state: &State, req: &Req) -> Result<(), ApiError> {
    let unauthorized = || ApiError::new(StatusCode::UNAUTHORIZED, NO_KEY);
    let value = req.header("authorization").ok_or_else(unauthorized)?;
    let encoded = value.strip_prefix("Basic ").ok_or_else(unauthorized)?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(|_| unauthorized())?;
    let user = decoded.split(|b| *b == b':').next().unwrap_or_default();
    if constant_time_eq(user, state.private_key.as_bytes()) { Ok(()) } else { Err(unauthorized()) }
}

/// Compare without an early exit on the first differing byte.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
